/**
 * Spaces and invisible characters as the rules read them. Mail clients and CRMs put no-break spaces between the
 * groups of a phone number or an IBAN and between a first and a last name (`Anna\u00a0Schmidt`), and zero-width
 * characters into words; the cleaning rules and the masking patterns are written for ` ` and would stop at them.
 */

/** No-break, figure, thin, hair and narrow no-break spaces (digits are grouped with some: `4111\u20091111`): a space. */
const WIDE_SPACES = /[\u00a0\u2007\u2009\u200a\u202f]/g;
/** Zero-width spaces and joiners, direction marks and embeddings, word joiners, the byte order mark, U+1427: nothing. */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u1427]/g;
/** Either of them, found in one scan: most texts have none. */
const ANY = /[\u00a0\u2007\u2009\u200a\u202f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u1427]/;

/** `text` with no-break spaces as spaces and invisible characters gone; a text with neither as it is (the same string). */
export function plainSpaces(text: string): string {
  return ANY.test(text) ? text.replace(WIDE_SPACES, ' ').replace(INVISIBLE, '') : text;
}
