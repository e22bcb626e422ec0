/**
 * Separator lines where the line rules of `quotes.ts` do not see them: after the writer's note on the same line
 * (`Bitte prüfen. ---------- Forwarded message ---------`, as a mail program that joins lines leaves them), or
 * Apple Mail's `Begin forwarded message` without its colon. Either counts only above a header block (`From:`,
 * `Von:` ...): otherwise it may be the customer's own words.
 */
import { isBlank } from './blank.js';
import { FORWARD_LINE_PHRASES, headerKey, isRuleChar, MAX_LINE, mayNameSplit, QUOTE_MARK, splitterKind } from './patterns.js';

/** `Begin forwarded message`, `Anfang der weitergeleiteten Nachricht` ... alone on a line (`>` markers before it), maybe in bold, no colon. */
const BARE_FORWARD_LINE = new RegExp(`^(?:[ \\t]*>)*[\\s*_]{0,6}(?:${FORWARD_LINE_PHRASES.join('|')})[\\s*_]{0,6}$`, 'i');
/** A blank, then two rule characters: where a separator may start after other text. */
const RULE_AFTER_BLANK = /\s[-=_*#~]{2}/g;
const LEADING_QUOTE_MARKS = /^(?:[ \t]*>)+/;
/** The longest separator `splitterKind` reads (trimmed). */
const MAX_SEPARATOR = 120;
/** Blank lines that may stand between a separator and the header block under it. */
const MAX_BLANKS_UNDER = 2;

/** Whether a line (its `>` markers passed over) is a forward phrase alone, without a colon. */
export function isBareForwardLine(line: string): boolean {
  return line.length <= 80 && BARE_FORWARD_LINE.test(line);
}

/** Whether the first non-blank line from `j` on (after at most two blank lines, its `>` markers passed over) opens with a header key. */
export function headerFollows(lines: readonly string[], j: number): boolean {
  let blanks = 0;
  while (j < lines.length && isBlank(lines[j].replace(LEADING_QUOTE_MARKS, ''))) {
    if (++blanks > MAX_BLANKS_UNDER) return false;
    j += 1;
  }
  return j < lines.length && headerKey(lines[j].replace(LEADING_QUOTE_MARKS, '').trim()) !== undefined;
}

/** Whether the line's last character (blanks passed over) and the one before it are rule characters. */
function endsWithRule(line: string): boolean {
  let e = line.length - 1;
  while (e > 0 && line.charCodeAt(e) <= 32) e -= 1;
  return e > 0 && isRuleChar(line.charCodeAt(e)) && isRuleChar(line.charCodeAt(e - 1));
}

/** Where a separator that ends the line after text of its own starts (`FYI -----Weitergeleitete Nachricht-----`), or -1. */
export function inlineSeparatorStart(line: string): number {
  if (line.length > MAX_LINE || !endsWithRule(line)) return -1;
  // A separator has at most MAX_SEPARATOR characters: only its tail is searched.
  const from = Math.max(0, line.trimEnd().length - MAX_SEPARATOR - 1);
  if (!mayNameSplit(line.slice(from))) return -1;
  RULE_AFTER_BLANK.lastIndex = from;
  for (let m = RULE_AFTER_BLANK.exec(line); m !== null; m = RULE_AFTER_BLANK.exec(line)) {
    const start = m.index + 1;
    if (isBlank(line.slice(0, start))) return -1;
    if (splitterKind(line.slice(start)) !== undefined) return start;
    RULE_AFTER_BLANK.lastIndex = start;
  }
  return -1;
}

/**
 * `lines` with a separator that ends a line after the writer's note, above a header block, put on a line of
 * its own under the note, as the writer's mail program would have: then the note is the writer's text and the
 * separator opens the quoted part, as they do when they stand apart. `lines` itself when there is none.
 */
export function splitInlineSeparators(lines: readonly string[]): readonly string[] {
  let out: string[] | undefined;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    // The cheap tests first: most lines end in no rule, and most that do stand above no header line.
    const start = endsWithRule(line) && headerFollows(lines, i + 1) && !QUOTE_MARK.test(line) ? inlineSeparatorStart(line) : -1;
    if (start > 0) {
      out ??= lines.slice(0, i);
      out.push(line.slice(0, start).trimEnd(), line.slice(start).trim());
    } else if (out !== undefined) out.push(line);
  }
  return out ?? lines;
}
