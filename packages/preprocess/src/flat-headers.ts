/**
 * A header block flattened onto one line (`Please see below. From: Anna <anna@example.com> Sent: Monday, 1 June
 * 2026 09:43 To: ... Subject: ...`, `Siehe unten. Von: ... Gesendet: ... An: ... Betreff: ...`), as some mail
 * programs join the lines of a reply or forward, after the writer's note or alone. The line rules of `quotes.ts`
 * read a block a key a line, so such a line is put back on lines of its own: the note, then a line per key.
 */
import { isBlank } from './blank.js';
import { DATE_KEYS, headerKey, QUOTE_MARK } from './patterns.js';

/**
 * A key as a mail program writes it inside a line: after a blank (or at the start), capitalised, maybe in bold, a
 * colon and a blank after it. A sentence's `from:` is lower-case, and a clock time (`09:43`) has no letters.
 */
const INLINE_KEY = /(?<=^|\s)[*_]{0,3}\p{Lu}[\p{L}' -]{0,19}?[*_]{0,3}\s?[:：][*_]{0,3}(?=\s|$)/gu;
/** The fewest distinct keys a flattened block has: a note's own `Von: Girokonto An: Sparkonto` has two. */
const MIN_KEYS = 3;
/** Flattened lines longer than this are left as they are: a long `To:` list fits, a whole message need not. */
const MAX_FLAT_LINE = 2000;

/** Whether the line holds at least `n` colons, `:` or the full-width `：` (counted only as far as needed). */
function hasColons(line: string, n: number): boolean {
  let count = 0;
  for (let at = line.indexOf(':'); at >= 0; at = line.indexOf(':', at + 1)) if (++count >= n) return true;
  for (let at = line.indexOf('：'); at >= 0; at = line.indexOf('：', at + 1)) if (++count >= n) return true;
  return false;
}

/**
 * The line cut into the writer's note (when there is one) and the lines of the header block flattened after it,
 * or undefined when it holds none: a `From:`/`Von:` key, then keys of at least three kinds in all, with a date
 * line (`Sent:`, `Gesendet:` ...) or an address among them, as a block on lines of its own needs one.
 */
export function flatHeaderPieces(line: string): string[] | undefined {
  if (line.length > MAX_FLAT_LINE || !hasColons(line, MIN_KEYS) || QUOTE_MARK.test(line)) return undefined;
  const starts: number[] = [];
  const keys: string[] = [];
  let dated = false;
  INLINE_KEY.lastIndex = 0;
  for (let m = INLINE_KEY.exec(line); m !== null; m = INLINE_KEY.exec(line)) {
    const key = headerKey(m[0]);
    if (key === undefined || (starts.length === 0 && !key.from)) {
      // `Anna Beispiel Sent:` is no key, but the `Sent:` in it is: look again from the next word on.
      INLINE_KEY.lastIndex = m.index + 1;
      continue;
    }
    starts.push(m.index);
    if (!keys.includes(key.key)) keys.push(key.key);
    dated = dated || DATE_KEYS.has(key.key);
  }
  if (keys.length < MIN_KEYS || !(dated || line.includes('@', starts[0]))) return undefined;
  const note = line.slice(0, starts[0]).trimEnd();
  const pieces = isBlank(note) ? [] : [note];
  for (let k = 0; k < starts.length; k += 1) pieces.push(line.slice(starts[k], starts[k + 1]).trim());
  return pieces;
}

/** `lines` with each flattened header block put on lines of its own (`flatHeaderPieces`); `lines` itself when there is none. */
export function splitFlatHeaders(lines: readonly string[]): readonly string[] {
  let out: string[] | undefined;
  for (let i = 0; i < lines.length; i += 1) {
    const pieces = flatHeaderPieces(lines[i]);
    if (pieces !== undefined) {
      out ??= lines.slice(0, i);
      out.push(...pieces);
    } else if (out !== undefined) out.push(lines[i]);
  }
  return out ?? lines;
}
