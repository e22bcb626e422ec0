import { headerKey, HEADER_START, isReplyHeader, QUOTE_MARK, splitterKind } from './patterns.js';

/** How a line takes part in quote detection. */
export type LineMark = 'text' | 'empty' | 'quote' | 'header' | 'splitter' | 'forward' | 'block';

const MAX_WRAP = 3;

/** Length of the header block (From/Sent/To/Subject) starting at `i`, or 0 when there is none. */
function headerBlockLength(lines: readonly string[], i: number): number {
  const first = headerKey(lines[i]);
  if (!first) return 0;
  const keys = new Set([first.key]);
  let hasFrom = first.from;
  let end = i + 1;
  let blanks = 0;
  for (let j = i + 1; j < lines.length && j < i + 14; j += 1) {
    const line = lines[j].trim();
    if (line === '') {
      blanks += 1;
      // Blank lines between keys happen (Outlook in Markdown exports); two in a row end the block.
      if (blanks > 1) break;
      continue;
    }
    const k = headerKey(line);
    if (k) {
      keys.add(k.key);
      hasFrom = hasFrom || k.from;
      end = j + 1;
      blanks = 0;
    } else if (blanks === 0 && end === j && !/[:：]/.test(line.slice(0, 25))) {
      // A wrapped header value (a long To: list or subject) continues the previous key.
      end = j + 1;
    } else break;
  }
  return keys.size >= 2 && (hasFrom || keys.has('sent') || keys.has('gesendet') || keys.has('date') || keys.has('datum')) ? end - i : 0;
}

/** Marks every line; reply headers wrapped over up to three lines are marked on each of them. */
export function markLines(lines: readonly string[]): LineMark[] {
  const marks: LineMark[] = new Array<LineMark>(lines.length);
  for (let i = 0; i < lines.length; i += 1) {
    if (marks[i] !== undefined) continue;
    const line = lines[i];
    if (line.trim() === '') {
      marks[i] = 'empty';
      continue;
    }
    if (QUOTE_MARK.test(line)) {
      marks[i] = 'quote';
      continue;
    }
    const split = splitterKind(line);
    if (split) {
      marks[i] = split;
      continue;
    }
    if (isReplyHeader(line)) {
      marks[i] = 'header';
      continue;
    }
    if (HEADER_START.test(line.trim())) {
      let joined = line.trim();
      for (let k = 1; k < MAX_WRAP && i + k < lines.length && lines[i + k].trim() !== ''; k += 1) {
        joined += ` ${lines[i + k].trim()}`;
        if (isReplyHeader(joined)) {
          for (let j = i; j <= i + k; j += 1) marks[j] = 'header';
          break;
        }
      }
      if (marks[i] !== undefined) continue;
    }
    const block = headerBlockLength(lines, i);
    if (block > 0) {
      for (let j = i; j < i + block; j += 1) marks[j] = 'block';
      continue;
    }
    marks[i] = 'text';
  }
  return marks;
}

export interface QuoteSplit {
  kept: string[];
  quoted: string[];
}

const STARTS_QUOTE = new Set<LineMark>(['header', 'splitter', 'forward', 'block']);

/**
 * Splits lines into the new text and the quoted part. A reply header, separator or header block ends
 * the new text when new text stands above it; with nothing above (bottom posting, a bare forward) the
 * header itself is dropped and the text below is read again. Lines marked `>` are quoted wherever they are.
 */
export function splitQuotes(lines: readonly string[]): QuoteSplit {
  const marks = markLines(lines);
  const kept: string[] = [];
  const quoted: string[] = [];
  let seenText = false;
  for (let i = 0; i < lines.length; i += 1) {
    const mark = marks[i];
    if (STARTS_QUOTE.has(mark)) {
      if (seenText) {
        for (let j = i; j < lines.length; j += 1) quoted.push(lines[j]);
        break;
      }
      quoted.push(lines[i]);
      continue;
    }
    if (mark === 'quote') {
      quoted.push(lines[i]);
      continue;
    }
    if (mark === 'text') seenText = true;
    kept.push(lines[i]);
  }
  return { kept, quoted };
}
