/**
 * Separator lines where the line rules of `quotes.ts` do not see them: after the writer's note on the same line
 * (`Bitte prüfen. ---------- Forwarded message ---------`, `Zur Info Anfang der weitergeleiteten Nachricht:`, as a
 * mail program that joins lines leaves them), or Apple Mail's `Begin forwarded message` without its colon. Each
 * counts only above a header block (`From:`, `Von:` ...): otherwise it may be the customer's own words.
 */
import { isBlank } from './blank.js';
import { splitFlatHeaders } from './flat-headers.js';
import { FORWARD_LINE_PHRASES, FORWARD_PHRASES, headerKey, inlineHeaderStart, isRuleChar, MAX_LINE, mayNameSplit, QUOTE_MARK, splitterKind } from './patterns.js';

/** `Begin forwarded message`, `Anfang der weitergeleiteten Nachricht` ... alone on a line (`>` markers before it), maybe in bold, no colon. */
const BARE_FORWARD_LINE = new RegExp(`^(?:[ \\t]*>)*[\\s*_]{0,6}(?:${FORWARD_LINE_PHRASES.join('|')})[\\s*_]{0,6}$`, 'i');
/** A run of rule characters: where a separator may start after other text. */
const RULE_RUN = /[-=_*#~]{2,}/g;
/**
 * Apple Mail's forward lines (`Begin forwarded message:`, `Anfang der weitergeleiteten Nachricht:` ...) after other
 * text, with the colon or without. Not the bare `forwarded message` of the dashed lines, which a sentence may end
 * with (`Here is the forwarded message:`).
 */
const INLINE_FORWARD_LINE = new RegExp(`\\s(?:${FORWARD_LINE_PHRASES.filter((p) => !FORWARD_PHRASES.includes(p)).join('|')})\\s?:?$`, 'i');
const LEADING_QUOTE_MARKS = /^(?:[ \t]*>)+/;
/** The longest separator `splitterKind` reads (trimmed). */
const MAX_SEPARATOR = 120;
/** The shortest rule that is a separator after the writer's words on their line (Outlook draws 32 `_`). */
const MIN_INLINE_RULE = 10;
/** Blank lines that may stand between a separator and the header block under it. */
const MAX_BLANKS_UNDER = 2;

/** Whether a line (its `>` markers passed over) is a forward phrase alone, without a colon. */
export function isBareForwardLine(line: string): boolean {
  return line.length <= 80 && BARE_FORWARD_LINE.test(line);
}

/** Whether `line`, which is `lines[i]` (or it without its `>` markers), is a bare forward phrase that opens a forward: one above a header block. */
export function opensBareForward(line: string, lines: readonly string[], i: number): boolean {
  return isBareForwardLine(line) && headerFollows(lines, i + 1);
}

/** Whether the first non-blank line from `j` on (after at most two blank lines, its `>` markers passed over) opens with a header key. */
export function headerFollows(lines: readonly string[], j: number): boolean {
  for (let blanks = 0; j < lines.length; j += 1) {
    // Each line's markers are passed over once; a header key needs a colon (most lines under a note have none).
    const line = unquoted(lines[j]);
    if (!isBlank(line)) return hasColon(line) && headerKey(line.trim()) !== undefined;
    if (++blanks > MAX_BLANKS_UNDER) return false;
  }
  return false;
}

/** Whether the line holds a colon, `:` or the full-width `：` (`headerKey` finds no key without one). */
function hasColon(line: string): boolean {
  return line.includes(':') || line.includes('：');
}

/** The line without its leading `>` markers (the line itself, not a copy, when it has none). */
function unquoted(line: string): string {
  return line.includes('>') ? line.replace(LEADING_QUOTE_MARKS, '') : line;
}

/** Index of the line's last character that is no blank (-1 when there is none). */
function lastNonBlank(line: string): number {
  let e = line.length - 1;
  while (e >= 0 && line.charCodeAt(e) <= 32) e -= 1;
  return e;
}

/** Whether the line's last character (blanks passed over) and the one before it are rule characters. */
function endsWithRule(line: string, e: number): boolean {
  return e > 0 && isRuleChar(line.charCodeAt(e)) && isRuleChar(line.charCodeAt(e - 1));
}

/** Whether the line may end with an Apple Mail forward line: in `:` or in the last letter of one (`message`, `nachricht`, `réexpédié`, `reenviado`). */
function mayEndWithForwardLine(line: string, e: number): boolean {
  const c = line.charCodeAt(e) | 0x20;
  return c === 58 || c === 101 || c === 116 || c === 0xe9 || c === 111;
}

/**
 * Where a separator that ends the line after text of its own starts (`FYI -----Weitergeleitete Nachricht-----`,
 * `see below---------- Forwarded message ---------`, `Zur Info Anfang der weitergeleiteten Nachricht:`), or -1.
 */
export function inlineSeparatorStart(line: string): number {
  if (line.length > MAX_LINE) return -1;
  const e = lastNonBlank(line);
  const start = endsWithRule(line, e) ? ruledSeparatorStart(line.slice(0, e + 1)) : mayEndWithForwardLine(line, e) ? forwardLineStart(line.slice(0, e + 1)) : -1;
  return start > 0 && !isBlank(line.slice(0, start)) ? start : -1;
}

/** Where a separator drawn with rules ends the (right-trimmed) line, at the start of a run of rule characters, or -1. */
function ruledSeparatorStart(line: string): number {
  // A separator has at most MAX_SEPARATOR characters: only its tail is searched.
  const from = Math.max(0, line.length - MAX_SEPARATOR);
  if (!mayNameSplit(line.slice(from))) return -1;
  RULE_RUN.lastIndex = from;
  for (let m = RULE_RUN.exec(line); m !== null; m = RULE_RUN.exec(line)) {
    if (m.index > 0 && splitterKind(line.slice(m.index)) !== undefined) return m.index;
  }
  return -1;
}

/** Where an Apple Mail forward line ends the (right-trimmed) line after other text, or -1. */
function forwardLineStart(line: string): number {
  const m = INLINE_FORWARD_LINE.exec(line);
  return m === null ? -1 : m.index + 1;
}

/**
 * `lines` with a separator that ends a line after the writer's note, above a header block, put on a line of
 * its own under the note, as the writer's mail program would have: then the note is the writer's text and the
 * separator opens the quoted part, as they do when they stand apart; so does a reply header written onto the end of
 * the writer's last line (`inlineHeaderStart`). A header block flattened onto one line
 * (after the note, or after a separator after it) goes on lines of its own first (`splitFlatHeaders`).
 * `lines` itself when there is nothing to split.
 */
export function splitInlineSeparators(input: readonly string[]): readonly string[] {
  const lines = splitFlatHeaders(input);
  let out: string[] | undefined;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    // The cheap tests first: most lines end in no rule or letter of a forward line, most others stand above no header line.
    const e = lastNonBlank(line);
    const may = endsWithRule(line, e) || mayEndWithForwardLine(line, e);
    const separator = may && headerFollows(lines, i + 1) && !QUOTE_MARK.test(line) ? inlineSeparatorStart(line) : -1;
    // A reply header the mail program wrote onto the end of the writer's last line goes on a line of its own too (a
    // line that ends in a colon: the cheap test first).
    const colon = e >= 0 && (line.charCodeAt(e) === 58 || line.charCodeAt(e) === 0xff1a);
    const start = separator > 0 || !colon || QUOTE_MARK.test(line) ? separator : inlineHeaderStart(line);
    if (start > 0) {
      out ??= lines.slice(0, i);
      out.push(line.slice(0, start).trimEnd(), line.slice(start).trim());
    } else if (out !== undefined) out.push(line);
  }
  return out ?? lines;
}

/**
 * A line's text and the rule after it (`Bitte um Rückmeldung. ________________`), or undefined: above a quote
 * (`quotes.ts` asks only there), such a rule is the separator a mail program drew, joined to the writer's words.
 */
export function textThenRule(line: string): [string, string] | undefined {
  const t = line.trimEnd();
  let r = t.length;
  while (r > 0 && '-_=*~'.includes(t[r - 1])) r -= 1;
  if (t.length - r < MIN_INLINE_RULE || r === 0 || (t[r - 1] !== ' ' && t[r - 1] !== '\t')) return undefined;
  const text = t.slice(0, r).trimEnd();
  return text === '' ? undefined : [text, t.slice(r)];
}
