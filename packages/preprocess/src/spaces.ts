import { CP1252 } from './windows-1252.js';

/**
 * Spaces and invisible characters as the rules read them. Mail clients and CRMs put no-break spaces between the
 * groups of a phone number or an IBAN and between a first and a last name (`Anna\u00a0Schmidt`), and soft hyphens
 * and zero-width characters into words and numbers (`Frei\u00adstellungs\u00adauftrag`, `DE89&shy;3704…`); the
 * cleaning rules, the masking patterns and the model's tokens are written for ` ` and one unbroken word, and
 * would stop at them.
 */

/**
 * No-break, en, em, three-, four- and six-per-em, figure, punctuation, thin, hair and narrow no-break spaces (digits
 * are grouped with some: `4111\u20091111`; HTML's `&ensp;` and `&emsp;` are U+2002 and U+2003): a space.
 */
const WIDE_SPACE_CHARS = '\\u00a0\\u2002-\\u200a\\u202f';
/**
 * Characters that are drawn as nothing, or as a hyphen only where a line happens to break: the combining
 * grapheme joiner U+034F (first: a combining mark after another character in a class reads as one to lint),
 * the soft hyphen U+00AD, the Mongolian vowel separator U+180E, zero-width spaces and
 * joiners and the direction marks U+200B-U+200F, direction embeddings and overrides U+202A-U+202E, the word
 * joiner, invisible operators and direction isolates U+2060-U+2069, the byte order mark U+FEFF: nothing, so
 * that a word or a number they split reads as one. Also `ᐧ` U+1427, a Canadian syllabic that mail add-ons leave
 * alone on a line under the text (the reply fixtures' discourse `delimiters` case): it would stay as its last line.
 */
const FORMAT_CHARS = '\\u034f\\u00ad\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2069\\ufeff\\u1427';
/**
 * The control characters other than tab and the line breaks: U+0000-U+0008, U+000E-U+001F and DEL. A CRM export or
 * a broken converter leaves them in text (a NUL after every letter of text that was UTF-16); between a keyword and
 * its number (`Passwort\u0000: Geheim123!`, `PIN\u00001234`) they hid the secret from masking. Also the five C1 codes
 * Windows-1252 leaves undefined (U+0081, U+008D, U+008F, U+0090, U+009D). Invisible: gone.
 */
const CONTROL_CHARS = '\\u0000-\\u0008\\u000e-\\u001f\\u007f\\u0081\\u008d\\u008f\\u0090\\u009d';
const INVISIBLE_CHARS = FORMAT_CHARS + CONTROL_CHARS;
/**
 * The other C1 control characters but NEL (U+0085, a line break to `cleanEmail`): never written on purpose, but found
 * where Windows-1252 text was read as Latin-1, which puts its euro sign, quotation marks and dashes there
 * (`100\u0080`, `\u0084Depot\u0093`). Read as Windows-1252 (`CP1252`).
 */
const C1_CHARS = '\\u0080-\\u0084\\u0086-\\u009f';
/** The characters `plainSpaces` changes, for a character class: a scan for them decides whether it has work. */
export const UNPLAIN_CHARS = INVISIBLE_CHARS + WIDE_SPACE_CHARS + C1_CHARS;

const WIDE_SPACES = new RegExp(`[${WIDE_SPACE_CHARS}]`, 'g');
const INVISIBLE = new RegExp(`[${INVISIBLE_CHARS}]`, 'g');
const C1 = new RegExp(`[${C1_CHARS}]`, 'g');
/** A control character `plainSpaces` drops or reads as Windows-1252: few texts have one, and a scan finds it at once. */
export const CONTROL_OR_C1 = new RegExp(`[${CONTROL_CHARS}${C1_CHARS}]`);
/** A character that is drawn: neither a blank (what `trim()` removes) nor an invisible one. */
export const VISIBLE = new RegExp(`[^\\s${INVISIBLE_CHARS}]`);
/** Either of them, found in one scan: most texts have none. */
const ANY = new RegExp(`[${UNPLAIN_CHARS}]`);

/**
 * `text` with no-break spaces as spaces, invisible and control characters gone and C1 controls read as Windows-1252;
 * a text with none of them as it is (the same string).
 */
export function plainSpaces(text: string): string {
  if (!ANY.test(text)) return text;
  return text
    .replace(WIDE_SPACES, ' ')
    .replace(INVISIBLE, '')
    .replace(C1, (c) => CP1252[c.charCodeAt(0) - 0x80]);
}
