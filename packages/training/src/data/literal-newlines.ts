import type { Email } from '@mailroute/preprocess';
import type { Hints } from './read-records.js';

/** The two characters backslash and `n` (as in `\n` or `\r\n`), which some exports write for a line break. */
const LITERAL_NEWLINE = /\\n/;

/**
 * Rows whose text holds literal `\n` are worth a warning from this share of the rows read on, and this many: a few
 * (a Windows path such as `C:\new`) are no export that wrote its line breaks so.
 */
const LITERAL_NEWLINE_SHARE = 0.05;
const LITERAL_NEWLINE_MIN_ROWS = 20;

/** Whether the subject, body or HTML of an email holds the two characters `\n` (read without `literalNewlines`). */
export function hasLiteralNewline(email: Email): boolean {
  return [email.subject, email.body, email.html].some((text) => text !== undefined && LITERAL_NEWLINE.test(text));
}

/**
 * The warning for an export whose text fields hold `\n` on a good share of its rows (`rows` of `read`) while the config
 * does not set `literalNewlines`: quotes and signatures are found line by line, and such a body is one line to them.
 * Undefined when too few rows do. `hints` says whom it speaks to: a config read for a trained model is that model's.
 */
export function literalNewlinesWarning(rows: number, read: number, hints: Hints, configFile?: string): string | undefined {
  if (rows < LITERAL_NEWLINE_MIN_ROWS || rows < LITERAL_NEWLINE_SHARE * read) return undefined;
  const found = `${rows} of the ${read} rows read hold the two characters \\n in their text, not line breaks (an export that writes line breaks so?): quoted replies and signatures are found line by line, so such a text is one line to them`;
  // Read for a trained model, the text is read as its training read it: the way to line breaks is a model trained with them.
  if (hints === 'flags') return `${found}; the config they are read with does not set "literalNewlines": true: train a model with it set to read them as line breaks`;
  return `${found}; set "literalNewlines": true in ${configFile ?? 'the training config'} to read them as line breaks`;
}
