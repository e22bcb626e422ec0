import { isBlank } from './blank.js';
import { opensBareForward, textThenRule } from './forward-marker.js';
import { DATE_KEYS, hasAddress, headerKey, isReplyHeader, isStatementRow, lineFacts, mayBeAttribution, mayStartHeader, QUOTE_MARK, speaksToReader, splitterKind } from './patterns.js';
import { isDeviceLine, isGreetingLine, isSignOff, opensWithGreeting, type DeviceTest } from './signature.js';
import { STARTS_LOWER } from './letter-case.js';

/** How a line takes part in quote detection. */
export type LineMark = 'text' | 'empty' | 'quote' | 'header' | 'splitter' | 'forward' | 'block' | 'device';

const MAX_WRAP = 3;

type HeaderKey = ReturnType<typeof headerKey>;
/** `headerKey` of each trimmed line, as far as asked (null: not a header line): a run of `Von:` lines asks about each up to 13 times. */
type KeyMemo = Array<HeaderKey | null>;

function memoKey(lines: readonly string[], j: number, memo: KeyMemo): HeaderKey {
  let k = memo[j];
  if (k === undefined) {
    k = headerKey(lines[j].trim()) ?? null;
    memo[j] = k;
  }
  return k ?? undefined;
}


/**
 * Length of the header block (From/Sent/To/Subject) starting at `i`, or 0 when there is none. A block needs a
 * date line or an address besides its keys: `From: Savings account\nTo: Current account\nAmount: EUR 500` is
 * the customer's own transfer, not a quoted mail.
 */
function headerBlockLength(lines: readonly string[], i: number, facts: number, memo: KeyMemo): number {
  const first = headerKey(lines[i], facts);
  if (!first) return 0;
  // The distinct keys: a block has a handful, so an array beats a Set (this runs for every `Key:` line).
  const keys = [first.key];
  let hasFrom = first.from;
  let addressed = hasAddress(lines[i]);
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
    const k = memoKey(lines, j, memo);
    if (k) {
      if (!keys.includes(k.key)) keys.push(k.key);
      hasFrom = hasFrom || k.from;
      addressed = addressed || hasAddress(line);
      end = j + 1;
      blanks = 0;
    } else if (blanks === 0 && end === j && !/[:：]/.test(line.slice(0, 25)) && wrapsHeaderValue(lines[j - 1], lines[j])) {
      // A wrapped header value (a long To: list or subject) continues the previous key; any other line ends the block
      // (GMX and WEB.DE write the message's text right under `Betreff:`).
      addressed = addressed || hasAddress(line);
      end = j + 1;
    } else break;
  }
  const dated = keys.some((k) => DATE_KEYS.has(k));
  if (keys.length < 2 || !(hasFrom || dated) || !(dated || addressed)) return 0;
  // Without an address the block must not sit among other fields: `Amount: EUR 500\nDate: 03/11/2025\nSubject: Rent` is a form.
  return addressed || !(isOtherField(lines[i - 1]) || isOtherField(lines[end])) ? end - i : 0;
}

/** The width mailers wrap lines at is 72 to 78 characters: a line this long that a word would take past 72 was wrapped. */
const WRAPPED_LENGTH = 60;
const WRAP_WIDTH = 72;

/**
 * Whether `line`, right under the header line (or wrapped value) `above`, carries on its value: folded (it opens
 * with a blank), an address in `<>` opening it, after a comma or semicolon of an address list, or as the rest of a line long enough to have been
 * wrapped (60 characters or more, the line's first word taking it past 72). Not a short `Betreff: Beschwerde` with
 * the message's text right under it.
 */
export function wrapsHeaderValue(above: string, line: string): boolean {
  const c0 = line.charCodeAt(0);
  // Folded, or the address of a `From: Human Resources` wrapped onto a line of its own (`<hr@example.com>`).
  if (c0 === 32 || c0 === 9 || c0 === 60) return true;
  const a = above.trimEnd();
  const end = a[a.length - 1];
  if (end === ',' || end === ';') return true;
  const word = /^\S*/.exec(line)?.[0].length ?? 0;
  return a.length >= WRAPPED_LENGTH && a.length + 1 + word > WRAP_WIDTH;
}

/** A `Key: value` line whose key is no header key (`Amount: EUR 500`, `Betrag: 2.000 EUR`). */
const OTHER_FIELD = /^\p{L}[\p{L} .-]{0,24}:\s/u;

function isOtherField(line: string | undefined): boolean {
  if (line === undefined) return false;
  const t = line.trim();
  return OTHER_FIELD.test(t) && headerKey(t) === undefined;
}

const OPENING_QUOTE = /^["„“”«»‚‘']/;
const CLOSING_QUOTE = /["“”«»‘’'][.!?]?$/;
/** How many lines a quotation in quote marks may run over. */
const MAX_CITED_LINES = 10;

/** Index of the first non-blank line from `j` on (the number of lines when there is none). */
function nextNonBlank(lines: readonly string[], j: number): number {
  while (j < lines.length && isBlank(lines[j])) j += 1;
  return j;
}

/**
 * Whether the header-like `header`, which ends on line `i`, is the customer's own account of what was written:
 * one that speaks to the reader (`Sie schrieben mir am 3.11.2025:`, `On Monday your colleague wrote:`), or one
 * that introduces a quotation in quote marks with the customer's text under it (a reply quote runs to the end).
 * A header with an address, or with a `>` block right under it, stays a header.
 */
function isProseAttribution(lines: readonly string[], i: number, header: string): boolean {
  // An '@' only, not `hasAddress`: a header with one is cut, so its masked form never reaches a second cleaning,
  // while `max(at)bank.de` in prose is masked to `[EMAIL]` too, and would then read as a header.
  if (header.includes('@')) return false;
  const j = nextNonBlank(lines, i + 1);
  if (j < lines.length && QUOTE_MARK.test(lines[j])) return false;
  return speaksToReader(header) || citesInProse(lines, j);
}

/** Whether line `j` opens a quotation in quote marks that has more text of the customer's under it. */
function citesInProse(lines: readonly string[], j: number): boolean {
  if (j === lines.length || !OPENING_QUOTE.test(lines[j].trim())) return false;
  for (let k = j; k < lines.length && k < j + MAX_CITED_LINES; k += 1) {
    if (!CLOSING_QUOTE.test(lines[k].trim())) continue;
    const n = nextNonBlank(lines, k + 1);
    // A closing under the quotation is no text of the customer's: a signature goes, and the quote would then run to the end.
    return n < lines.length && !QUOTE_MARK.test(lines[n]) && !isSignOff(lines[n]);
  }
  return false;
}

/** Marks every line; reply headers wrapped over up to three lines are marked on each of them. */
export function markLines(lines: readonly string[], isDevice: DeviceTest = isDeviceLine): LineMark[] {
  const marks: LineMark[] = new Array<LineMark>(lines.length);
  const keyMemo: KeyMemo = [];
  // What was found about the line under the current one (asked for device lines), kept for its own turn.
  let ahead = -1;
  let aheadFacts = 0;
  let aheadHeader = false;
  for (let i = 0; i < lines.length; i += 1) {
    if (marks[i] !== undefined) continue;
    const line = lines[i];
    const c0 = line.charCodeAt(0);
    if (c0 === 62) {
      marks[i] = 'quote';
      continue;
    }
    if (line === '' || (c0 <= 32 && isBlank(line))) {
      marks[i] = 'empty';
      continue;
    }
    // Only a line starting with a space or tab can still be a `>` line (one starting with `>` was marked above).
    if ((c0 === 32 || c0 === 9) && QUOTE_MARK.test(line)) {
      marks[i] = 'quote';
      continue;
    }
    const f = ahead === i ? aheadFacts : lineFacts(line);
    const split = splitterKind(line, f);
    if (split) {
      marks[i] = split;
      continue;
    }
    // `Begin forwarded message` without its colon opens a forward only above a header block.
    if (opensBareForward(line, lines, i)) {
      marks[i] = 'forward';
      continue;
    }
    if ((ahead === i ? aheadHeader : isReplyHeader(line, f)) && !isStatementRow(lines, i) && !isProseAttribution(lines, i, line)) {
      marks[i] = 'header';
      continue;
    }
    if (mayStartHeader(line, f)) {
      let joined = line.trim();
      for (let k = 1; k < MAX_WRAP && i + k < lines.length && lines[i + k].trim() !== ''; k += 1) {
        joined += ` ${lines[i + k].trim()}`;
        if (isReplyHeader(joined)) {
          if (!isProseAttribution(lines, i + k, joined)) for (let j = i; j <= i + k; j += 1) marks[j] = 'header';
          break;
        }
      }
      if (marks[i] !== undefined) continue;
    }
    const block = headerBlockLength(lines, i, f, keyMemo);
    if (block > 0) {
      for (let j = i; j < i + block; j += 1) marks[j] = 'block';
      continue;
    }
    // The rest of a quoted line that the mailer wrapped, right under it without its `>`.
    const prev = i > 0 ? marks[i - 1] : undefined;
    if (prev === 'quote' && continuesWrapped(lines[i - 1], line, lines[i + 1])) {
      marks[i] = 'quote';
      continue;
    }
    // A device line that ends the reply stands alone: a blank line or a header under it.
    let alone = i + 1 === lines.length || isBlank(lines[i + 1]);
    if (!alone) {
      ahead = i + 1;
      aheadFacts = lineFacts(lines[ahead]);
      aheadHeader = isReplyHeader(lines[ahead], aheadFacts);
      alone = aheadHeader;
    }
    marks[i] = alone && isDevice(line) ? 'device' : 'text';
  }
  return marks;
}

export interface QuoteSplit {
  /** The lines kept: the input array itself when nothing is quoted. */
  kept: readonly string[];
  quoted: string[];
  /** The mark of every input line. */
  marks: readonly LineMark[];
}

/**
 * Whether `line` is the rest of the quoted line `above` that the mailer wrapped. Not under a question or a line
 * ending in `!`, `:` or `;`: that is an inline answer (`> Sollen wir Ihre Karte sperren?` / `ja, bitte sofort`). A
 * lower-case line continues one with no end mark (`> ... gilt ab` / `sofort.`); a line in capitals or digits (German
 * nouns) or under a full stop (`z.B.`) only where `above` is a `>` line long enough to be wrapped (its first word
 * taking `above` past the width mailers wrap at) and `below` goes on with the quote, is blank or is the end.
 */
function continuesWrapped(above: string, line: string, below: string | undefined): boolean {
  const a = above.trimEnd();
  const end = a[a.length - 1];
  if (end === '?' || end === '!' || end === ':' || end === ';') return false;
  const t = line.trimStart();
  if (end !== '.' && STARTS_LOWER.test(t)) return true;
  const word = /^\S*/.exec(t)?.[0].length ?? 0;
  // Only the rest of a real `>` line with the quote going on (or ending) right under it: no chain down the
  // writer's own wrapped lines under a long quoted one.
  if (!/^\s*>/.test(above) || (below !== undefined && !/^\s*(?:>|$)/.test(below))) return false;
  return a.length >= WRAPPED_LENGTH && a.length + 1 + word > WRAP_WIDTH && (end !== '.' || STARTS_LOWER.test(t));
}

const STARTS_QUOTE = new Set<LineMark>(['header', 'splitter', 'forward', 'block']);
const RULE_LINE = /^[-_=*~]{3,}$/;

/** Index of the first line from `i` on that is no separator, header block or blank line. */
function afterOpening(marks: readonly LineMark[], i: number): number {
  while (i < marks.length && (marks[i] === 'splitter' || marks[i] === 'block' || marks[i] === 'empty')) i += 1;
  return i;
}

/**
 * Text between two quoted runs after a reply began, an inline (interleaved) reply: where it ends, at the first
 * separator, forward, header block or reply header after that (an older thread under the answers), else the
 * line count; -1 when the lines are no inline reply.
 */
function inlineReplyEnd(marks: readonly LineMark[]): number {
  let state = 0; // 0: before any quote, 1: in/after a quote run, 2: text after a quote run, 3: inline
  for (let i = 0; i < marks.length; i++) {
    const m = marks[i];
    if (m === 'empty') continue;
    if (STARTS_QUOTE.has(m)) {
      if (state === 3) return i;
      // A reply header may open the quote that the answers interleave, and so may a separator and header block
      // (Outlook's `-----Ursprüngliche Nachricht-----`, `Von:` ...) with the `>` lines right under them; anything else
      // that starts a quote ends it.
      if (m === 'splitter' || m === 'block') {
        const j = afterOpening(marks, i);
        if (j === marks.length || marks[j] !== 'quote') return -1;
        i = j - 1;
        continue;
      }
      if (m !== 'header') return -1;
    }
    if (m === 'quote') {
      if (state === 2) state = 3;
      else if (state < 3) state = 1;
    } else if (m === 'text' && state === 1) state = 2;
  }
  return state === 3 ? marks.length : -1;
}

/**
 * Moves separator lines (`_____`, `-----`) and blank lines at the end of `kept` over to `quoted`, and a long
 * rule after the last words kept on their line (`Bitte um Rückmeldung. ______`): it separates them from the quote.
 */
function moveTrailingRules(kept: string[], quoted: string[]): void {
  let n = kept.length;
  let cut = n;
  while (n > 0) {
    const t = kept[n - 1].trim();
    if (t !== '' && !RULE_LINE.test(t)) break;
    n -= 1;
    if (t !== '') cut = n;
  }
  const inline = n > 0 ? textThenRule(kept[n - 1]) : undefined;
  if (inline !== undefined) {
    kept[n - 1] = inline[0];
    quoted.push(inline[1]);
    cut = n;
  }
  // Only a separator moves (with the blank lines around it); plain blank lines stay with the text. One by one: spread
  // into arguments, a run of 200,000 lines would overflow the stack.
  if (cut < kept.length) for (const line of kept.splice(cut)) quoted.push(line);
}

/**
 * Whether the text from line `j` on, under a device line, is a quoted message without markers: its first line
 * opens with a greeting (`Hi there!`) or is another device line. Anything else (`PS: ...`, a further request) is
 * the customer's; a reply header or `>` block under the device line is cut by its own mark.
 */
function opensMessage(lines: readonly string[], j: number, isDevice: DeviceTest): boolean {
  const n = nextNonBlank(lines, j);
  return n < lines.length && (opensWithGreeting(lines[n]) || isDevice(lines[n]));
}

/** A line that introduces what follows (`Ich habe diese Mail bekommen:`), of two words or more (not `Tel:`). */
const INTRODUCES_BELOW = /\S\s+\S.*:\s*$/;

/**
 * Whether the text kept above a reply header, separator or header block is no text of its own that the quote
 * answers: a salutation alone, its comma waiting for the letter (`Hallo,` above a bottom-posted answer; `Hello`
 * alone is a reply), or a line introducing the message below (`Ich habe diese Mail bekommen:` above a pasted
 * mail, with the question about it under that).
 */
function introducesQuote(kept: readonly string[]): boolean {
  let n = kept.length - 1;
  while (n >= 0 && isBlank(kept[n])) n -= 1;
  if (n < 0) return false;
  // Only a line ending in `:` can match, which the regex finds only after trying every word of the line.
  if (kept[n].trimEnd().endsWith(':') && INTRODUCES_BELOW.test(kept[n])) return true;
  for (let k = 0; k < n; k += 1) if (!isBlank(kept[k])) return false;
  return kept[n].trimEnd().endsWith(',') && isGreetingLine(kept[n]);
}

/**
 * The lines `splitQuotes` keeps and quotes, with what it asks about the kept lines again and again remembered. A class,
 * not closures in splitQuotes: tsx (esbuild's keepNames) names every closure as it is made, 1% of all cleaning.
 */
class KeptAndQuoted {
  readonly kept: string[] = [];
  readonly quoted: string[] = [];
  // `kept`'s length when its trailing rules last moved: with no line kept since, none would move again, and each
  // `>` block under a header would walk the same blank lines back (100,000 blocks under 500,000 blank lines: 37 s).
  private settledAt = -1;
  // `introducesQuote(kept)` as last asked, and for which `kept` (its length and last line): each header of a thread
  // under the same kept text asks again, and would walk the same blank lines back.
  private introducedFor = -1;
  private introducedLast: string | undefined;
  private introduced = false;

  /** `moveTrailingRules(kept, quoted)`, unless no line was kept since it last ran. */
  moveRules(): void {
    if (this.kept.length === this.settledAt) return;
    moveTrailingRules(this.kept, this.quoted);
    this.settledAt = this.kept.length;
  }

  /** `introducesQuote(kept)`, asked again only when `kept` changed. */
  introducedByKept(): boolean {
    const lastLine = this.kept[this.kept.length - 1];
    if (this.kept.length !== this.introducedFor || lastLine !== this.introducedLast) {
      this.introduced = introducesQuote(this.kept);
      this.introducedFor = this.kept.length;
      this.introducedLast = lastLine;
    }
    return this.introduced;
  }
}

/**
 * Where the `>` block that starts at line `i` ends (its blank lines under it with it) when it stands between an
 * attribution the writer's text keeps (`Sie schrieben mir am 3.11.2025:`, `Your colleague wrote to me:`: a line
 * marked text that has a reply header's shape, `mayBeAttribution`) and more text of theirs: the customer quotes the
 * bank to answer it (`Sie ist bis heute nicht gekommen!`). Else `i`.
 */
function citedBetweenText(lines: readonly string[], marks: readonly LineMark[], i: number): number {
  let p = i - 1;
  while (p >= 0 && marks[p] === 'empty') p -= 1;
  if (p < 0 || marks[p] !== 'text' || !mayBeAttribution(lines[p])) return i;
  let j = i;
  while (j < lines.length && (marks[j] === 'quote' || marks[j] === 'empty')) j += 1;
  return j < lines.length && marks[j] === 'text' ? j : i;
}

/** A `>` line that compares an amount or a count (`> 500 EUR am 03.03.`, `>1000 Stück`): greater than, not a quote mark. */
const GREATER_THAN_NUMBER = /^>[ \t]?\d/;

/**
 * Where the `>` lines that start at line `i` end when each is a number after `>` and they stand right between lines of
 * the writer's text, with no blank line on either side (`folgende Umsätze bitte prüfen:` / `> 500 EUR am 03.03. an
 * Amazon` / `Beide habe ich nicht veranlasst!`): the writer's own lines, which a mailer's quote never is, set apart by a
 * blank line or opened by a reply header. Else `i`.
 */
function comparedBetweenText(lines: readonly string[], marks: readonly LineMark[], i: number): number {
  if (i === 0 || marks[i - 1] !== 'text') return i;
  let j = i;
  while (j < lines.length && marks[j] === 'quote' && GREATER_THAN_NUMBER.test(lines[j])) j += 1;
  return j > i && j < lines.length && marks[j] === 'text' ? j : i;
}

/**
 * The split of an inline reply (`inlineReplyEnd`, the answers ending at `end`): the answers stay whole, with the
 * questions they answer; an older thread under them goes. Of what opens the quote they interleave, a separator and
 * header block go, and a reply header with no text of the writer's above it (or only a greeting or an introduction,
 * `introducesQuote`), as at the top of a bottom-posted reply; under the writer's text a reply header stays, as other
 * parsers keep it.
 */
function splitInline(lines: readonly string[], marks: readonly LineMark[], end: number): QuoteSplit {
  let opened = false;
  for (let k = 0; k < end && !opened; k += 1) opened = marks[k] === 'splitter' || marks[k] === 'block' || marks[k] === 'header';
  if (!opened && end === lines.length) return { kept: lines, quoted: [], marks };
  const split = new KeptAndQuoted();
  const { kept, quoted } = split;
  let textAbove = false;
  for (let k = 0; k < end; k += 1) {
    const m = marks[k];
    if (m === 'splitter' || m === 'block' || (m === 'header' && (!textAbove || split.introducedByKept()))) {
      split.moveRules();
      quoted.push(lines[k]);
      // The blank lines under it go with it, when a blank line above parts it from the text.
      if (kept.length === 0 || isBlank(kept[kept.length - 1])) {
        while (k + 1 < end && marks[k + 1] === 'empty') quoted.push(lines[++k]);
      }
      continue;
    }
    if (m === 'text') textAbove = true;
    kept.push(lines[k]);
  }
  if (end < lines.length) split.moveRules();
  for (let k = end; k < lines.length; k += 1) quoted.push(lines[k]);
  return { kept, quoted, marks };
}

/**
 * Splits lines into the new text and the quoted part.
 * - A reply header, separator or header block ends the new text when new text stands above it, unless a
 *   `>` block follows it directly: then only that block goes and the text after it stays (bottom posting).
 * - With nothing above (bottom posting, a bare forward) the header itself is dropped and the text below read on;
 *   so too under a greeting alone or a line that introduces it (`introducesQuote`), but for a forward (forward.ts).
 * - `>` lines are quoted wherever they are, except in inline replies (text between quoted runs): kept whole.
 * - Forwarded messages count as quoted only when `forwards` is true.
 */
export function splitQuotes(lines: readonly string[], options: { forwards?: boolean; isDevice?: DeviceTest } = {}): QuoteSplit {
  const isDevice = options.isDevice ?? isDeviceLine;
  const marks = markLines(lines, isDevice);
  if (marks.every((m) => m === 'text' || m === 'empty')) return { kept: lines, quoted: [], marks };
  let inlineEnd = inlineReplyEnd(marks);
  if (inlineEnd >= 0 && marks[inlineEnd] === 'forward' && options.forwards === false) inlineEnd = lines.length;
  if (inlineEnd >= 0) return splitInline(lines, marks, inlineEnd);
  const split = new KeptAndQuoted();
  const { kept, quoted } = split;
  let seenText = false;
  for (let i = 0; i < lines.length; i += 1) {
    const mark = marks[i];
    if (mark === 'forward' && options.forwards === false && seenText) return { kept: lines, quoted: [], marks };
    if (STARTS_QUOTE.has(mark)) {
      if (seenText && mark !== 'forward' && split.introducedByKept()) seenText = false;
      if (!seenText) {
        quoted.push(lines[i]);
        // Under a greeting or an introduction and a blank line, the blank lines under the header go with it: one
        // blank line parts the two texts.
        if (kept.length > 0 && isBlank(kept[kept.length - 1])) {
          while (i + 1 < lines.length && marks[i + 1] === 'empty') {
            i += 1;
            quoted.push(lines[i]);
          }
        }
        continue;
      }
      let j = i;
      while (j < lines.length && (STARTS_QUOTE.has(marks[j]) || marks[j] === 'empty')) j += 1;
      if (mark === 'header' && j < lines.length && marks[j] === 'quote') {
        // The header introduces a `>` block: drop both with the blank lines after, keep reading below.
        while (j < lines.length && (marks[j] === 'quote' || marks[j] === 'empty')) j += 1;
        split.moveRules();
        for (let k = i; k < j; k += 1) quoted.push(lines[k]);
        i = j - 1;
        continue;
      }
      split.moveRules();
      for (let k = i; k < lines.length; k += 1) quoted.push(lines[k]);
      break;
    }
    if (mark === 'quote') {
      const after = Math.max(citedBetweenText(lines, marks, i), comparedBetweenText(lines, marks, i));
      if (after > i) {
        // The writer quotes to say something about it: the `>` block stays with their text.
        for (let k = i; k < after; k += 1) kept.push(lines[k]);
        i = after - 1;
        continue;
      }
      quoted.push(lines[i]);
      // Blank lines between a quoted block and the text under it go with the quote.
      let j = i + 1;
      while (j < lines.length && marks[j] === 'empty') j += 1;
      if (j < lines.length && marks[j] !== 'quote' && j > i + 1) {
        for (let k = i + 1; k < j; k += 1) quoted.push(lines[k]);
        i = j - 1;
      }
      continue;
    }
    if (mark === 'device' && seenText && opensMessage(lines, i + 1, isDevice)) {
      // "Sent from my iPhone" under the reply: what follows is the quoted message without markers.
      for (let k = i; k < lines.length; k += 1) quoted.push(lines[k]);
      break;
    }
    if (mark === 'text') seenText = true;
    kept.push(lines[i]);
  }
  return { kept, quoted, marks };
}
