import type { Email } from '@mailroute/preprocess';

/**
 * UTF-8 read as Windows-1252 (or Latin-1) and saved again, as a spreadsheet's round trip does: `ü` becomes `Ã¼`, `ß`
 * `ÃŸ`, `é` `Ã©`, `€` `â‚¬`, the typographic quotes and dashes `â€ž`, `â€œ`, `â€“`. Two characters no language
 * writes side by side: one is enough to tell.
 */
const DOUBLE_ENCODED = /Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]|â€|â‚¬/;

/** Whether an email's subject, body or HTML holds text encoded twice (`Ã¼` for `ü`). */
export function looksDoubleEncoded(email: Pick<Email, 'subject' | 'body' | 'html'>): boolean {
  // Both marks start with Ã or â: a text with neither (nearly all) is passed by two plain searches.
  return [email.subject, email.body, email.html].some((text) => text !== undefined && (text.includes('Ã') || text.includes('â')) && DOUBLE_ENCODED.test(text));
}

/** Rows with text encoded twice, and where the first are. */
export interface DoubleEncodedRows {
  rows: number;
  at: string[];
}

/**
 * The warning for rows whose text reads as encoded twice: the model would learn the garbled words, while served mail
 * has the real letters. Undefined when none has such text.
 */
export function doubleEncodedWarning(found: DoubleEncodedRows, read: number): string | undefined {
  if (found.rows === 0) return undefined;
  return `${found.rows} of ${read} row(s) hold text that looks encoded twice (Ã¼ where ü was meant, â‚¬ for €: UTF-8 read as Windows-1252 and saved again, as a spreadsheet's round trip does), e.g. ${found.at.join(', ')}: a model learns the garbled words, while the mail it serves has the real letters. Export the file again as UTF-8 from the CRM, or repair it before training.`;
}
