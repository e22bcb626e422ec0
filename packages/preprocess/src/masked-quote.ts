/**
 * The start of a text a message quotes back (a cell of an export, a value a client sent), masked first: messages leave
 * the terminal (reports, run records, a CRM's logs), so what they quote is masked as `mailroute clean` masks text, names
 * too. Training's quoted cells (`shownCell`) and serving's quoted values (`sentValue`) both cut with it.
 */
import { redactPii } from './redact.js';

/**
 * Characters of a long text that are masked for its quote: a body in a label column, on every row of a big export, is
 * not masked whole for 40 characters of it (unless its start masks to little: see `maskedStart`).
 */
const MASKED_CHARS = 1000;

/**
 * `value` masked (names too), put through `tidy` (training folds blanks), and cut to `max` characters, masked before it
 * is cut (an IBAN cut short is no IBAN to the masking); `cut` says whether it was, so the caller adds its mark (`...`).
 * Never cut inside a placeholder (`[IBAN]`, not `[IB`) nor between the two halves of a surrogate pair (an emoji).
 */
export function maskedStart(value: string, max: number, tidy: (text: string) => string = (text) => text): { text: string; cut: boolean } {
  const long = value.length > MASKED_CHARS;
  let shown = tidy(redactPii(long ? value.slice(0, MASKED_CHARS) : value, { names: true }).text);
  // The start of a long text masked to little (blanks, or masks taking long spans): what the cut at MASKED_CHARS split
  // may then stand among the characters shown, unmasked. Masked whole.
  if (long && shown.length < 4 * max) shown = tidy(redactPii(value, { names: true }).text);
  if (shown.length <= max) return { text: shown, cut: false };
  const end = /[\uD800-\uDBFF]/.test(shown.charAt(max - 1)) ? max - 1 : max;
  return { text: shown.slice(0, end).replace(/\[[A-Z_]*$/, ''), cut: true };
}
