import { decodeHTML } from 'entities';


/** Space, tab, CR, LF or FF: the blanks that fold. */
function isFoldBlank(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12;
}

/**
 * `s` from `start` to `end` with every run of blanks folded: source line breaks survive as one line break
 * (talon and the fixtures keep them), other runs become one space; with `breaksAsSpace`, line breaks too (Word's
 * HTML, whose source wraps lines inside its paragraphs: `Mit\r\nfreundlichen Grüßen`). Copies only what changes.
 */
export function foldBlanks(s: string, start: number, end: number, breaksAsSpace = false): string {
  let out = '';
  let copied = start;
  let i = start;
  while (i < end) {
    const c = s.charCodeAt(i);
    // Most characters are above U+0020: one comparison moves past them.
    if (c > 32 || !isFoldBlank(c)) {
      i += 1;
      continue;
    }
    const run = i;
    let lineBreak = false;
    for (; i < end; i += 1) {
      const d = s.charCodeAt(i);
      if (d === 10) lineBreak = !breaksAsSpace;
      else if (!isFoldBlank(d)) break;
    }
    // A single space stays as it is.
    if (!lineBreak && c === 32 && i === run + 1) continue;
    out += s.slice(copied, run) + (lineBreak ? '\n' : ' ');
    copied = i;
  }
  if (copied === start) return start === 0 && end === s.length ? s : s.slice(start, end);
  return copied < end ? out + s.slice(copied, end) : out;
}

const COMMON_ENTITIES = new Map([
  ['nbsp', '\u00a0'],
  ['quot', '"'],
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['apos', "'"],
]);
/** The longest reference read here, `&#x10FFFF;`; longer ones go to `decodeHTML`. */
const MAX_REFERENCE = 10;
const DECIMAL = /^#\d+$/;
const HEX = /^#[xX][\dA-Fa-f]+$/;

/** A numeric reference's character when `decodeHTML` would keep its code point as it is. */
function numericReference(name: string): string | undefined {
  const hex = HEX.test(name);
  if (!hex && !DECIMAL.test(name)) return undefined;
  const cp = hex ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
  const plain = (cp >= 0x20 && cp < 0x7f) || (cp >= 0xa0 && cp < 0xd800) || (cp >= 0xe000 && cp <= 0x10ffff);
  return plain ? String.fromCodePoint(cp) : undefined;
}

/**
 * `s` with its character references decoded, the same as `decodeHTML(s)`: the common named references and
 * numeric ones are read here (the trie decoder costs far more per call); any other reference hands the
 * whole string to `decodeHTML`.
 */
export function decodeEntities(s: string): string {
  let out = '';
  let copied = 0;
  let amp = s.indexOf('&');
  while (amp >= 0) {
    const semi = s.indexOf(';', amp + 1);
    if (semi < 0 || semi - amp > MAX_REFERENCE) return decodeHTML(s);
    const name = s.slice(amp + 1, semi);
    const char = COMMON_ENTITIES.get(name) ?? numericReference(name);
    if (char === undefined) return decodeHTML(s);
    out += s.slice(copied, amp) + char;
    copied = semi + 1;
    amp = s.indexOf('&', copied);
  }
  return copied === 0 ? s : out + s.slice(copied);
}

/** Collects text with line breaks requested by block elements and written only between pieces of text. */
export class Sink {
  readonly parts: string[] = [];
  private pending = 0;

  text(s: string): void {
    if (s === '') return;
    this.flush();
    this.parts.push(s);
  }

  /**
   * Text whose blanks `foldBlanks` folded: a space at its start after a space that ends the text before it goes, as a
   * browser folds the blanks of neighbouring inline elements into one (`4111 <span> 1111</span>` reads `4111 1111`, a
   * number the masking finds).
   */
  foldedText(s: string): void {
    if (s === '') return;
    this.flush();
    const last = this.parts.length > 0 ? this.parts[this.parts.length - 1] : '';
    const t = s.charCodeAt(0) === 32 && last.charCodeAt(last.length - 1) === 32 ? s.slice(1) : s;
    if (t !== '') this.parts.push(t);
  }

  /** The line breaks asked for, written when text came before them. */
  private flush(): void {
    if (this.pending > 0 && this.parts.length > 0) this.parts.push(this.pending === 1 ? '\n' : '\n'.repeat(this.pending));
    this.pending = 0;
  }

  lineBreak(n: number): void {
    this.pending = Math.max(this.pending, n);
  }

  /** The parts from index `from` on replaced by `s` (a table read as header and value pairs). */
  rewrite(from: number, s: string): void {
    this.parts.length = from;
    this.parts.push(s);
  }

  /** `<br>` always adds a line, even after another one. */
  hardBreak(): void {
    this.flush();
    this.parts.push('\n');
  }
}

/**
 * The lines of a text trimmed, at most one blank line in a row, none at either end, no-break spaces as spaces:
 * `tidyLines(t).join('\n')` is the tidy text, and its lines are handed on so they need not be split again.
 */
export function tidyLines(text: string): string[] {
  const lines = (text.includes('\u00a0') ? text.replace(/\u00a0/g, ' ') : text).split('\n');
  const out: string[] = [];
  let blanks = 0;
  for (const line of lines) {
    const t = line.trim();
    if (t === '') {
      // Blank lines before the first text line are dropped, and a run of them counts once.
      blanks += 1;
      if (blanks > 1 || out.length === 0) continue;
    } else blanks = 0;
    out.push(t);
  }
  if (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}
