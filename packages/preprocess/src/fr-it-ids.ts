/**
 * Italian and French personal numbers found by their shape and check character, without a keyword, for `redactPii`'s
 * `ids` detector, as Swiss customers of a private bank write them from over the border: the Italian codice fiscale
 * (`MSTMRA85C52Z133O`), the tax code on every Italian's health card, as `[TAX_ID]`; and the French social security number
 * (NIR, `1 85 05 78 006 084 91`, `185057800608491`), as `[SOCIAL_SECURITY]`, as an AHV number is (swiss-ids.ts). The check
 * character is what tells them from order numbers and product codes of the same shape, so only valid ones are masked.
 */
import { allMatches, type Hit } from './redact-hit.js';

/** The values of a codice fiscale's characters at odd places (1st, 3rd, …), `0`-`9` then `A`-`Z`; at even places a digit counts as itself and a letter as its place in the alphabet (A = 0). */
const CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
/**
 * The letters that stand for the digits 0-9 where two people would get the same code (omocodia: the digits are replaced
 * from the right, `…Z133O` becomes `…Z13PK`).
 */
const OMOCODIA = 'LMNPQRSTUV';

/** A digit or, by omocodia, its letter, as a number (-1 for any other character). */
function digitOf(c: string): number {
  const code = c.charCodeAt(0);
  return code >= 48 && code <= 57 ? code - 48 : OMOCODIA.indexOf(c);
}

/**
 * Whether 16 capitals and digits are a codice fiscale: the shape (six letters; year, month letter, day; the place's
 * letter and three digits; digits maybe as omocodia letters), a day of 1-31 (men) or 41-71 (women), and the check
 * letter (odd places by CF_ODD, even ones by their value, the sum mod 26 as a letter).
 */
export function isValidCodiceFiscale(code: string): boolean {
  if (!CF_SHAPE.test(code)) return false;
  const day = digitOf(code[9]) * 10 + digitOf(code[10]);
  if (day < 1 || (day > 31 && day < 41) || day > 71) return false;
  let sum = 0;
  for (let i = 0; i < 15; i += 1) {
    const c = code.charCodeAt(i);
    const value = c <= 57 ? c - 48 : c - 65;
    sum += i % 2 === 0 ? CF_ODD[c <= 57 ? value : value + 10] : value;
  }
  return code.charCodeAt(15) - 65 === sum % 26;
}
const CF_SHAPE = /^[A-Z]{6}[\dLMNPQRSTUV]{2}[ABCDEHLMPRST][\dLMNPQRSTUV]{2}[A-Z][\dLMNPQRSTUV]{3}[A-Z]$/;

/**
 * A codice fiscale's last ten characters, from its year's first digit (`85C52Z133O`), in either case: the scan is anchored
 * on that digit, as letters are too common to start one at, and `codiceFiscaleHits` looks at the six letters before it.
 * Omocodia replaces digits from the right, so the year's first digit stays one unless all seven are replaced (a code so
 * written is not found: a known limit).
 */
const CF_TAIL = /\d[\dLMNPQRSTUV][ABCDEHLMPRST][\dLMNPQRSTUV]{2}[A-Z][\dLMNPQRSTUV]{3}[A-Z](?![A-Za-z0-9_])/gi;
/** Six letters right before CF_TAIL, and no letter, digit or `_` before them. */
const CF_HEAD = /(?<![\p{L}\p{N}_])[A-Za-z]{6}$/u;
/** A letter outside ASCII right after a code (`…Z133Oé`): a word, not a code. */
const LETTER_AFTER = /\p{L}/u;

/** The codici fiscali of `text` (all capitals or all lower case, check letter right), scanned from `from` on. */
function codiceFiscaleHits(text: string, from: number): Hit[] {
  const hits: Hit[] = [];
  for (const m of allMatches(CF_TAIL, text, Math.max(0, from))) {
    const start = m.index - 6;
    const end = m.index + m[0].length;
    if (start < 0 || !CF_HEAD.test(text.slice(Math.max(0, start - 1), m.index)) || LETTER_AFTER.test(text.charAt(end))) continue;
    const code = text.slice(start, end);
    const upper = code.toUpperCase();
    // Mixed case is a token or a password, not a code someone copied from a card.
    if ((code !== upper && code !== code.toLowerCase()) || !isValidCodiceFiscale(upper)) continue;
    hits.push({ type: 'TAX_ID', start, end, placeholder: '[TAX_ID]' });
  }
  return hits;
}

/**
 * Whether 15 characters (digits, and `2A` or `2B` for a Corsican department) are a French NIR: its key, the last two
 * digits, is 97 minus the first thirteen mod 97, Corsica's `2A` and `2B` read as 19 and 18.
 */
export function isValidNir(nir: string): boolean {
  if (nir.length !== 15) return false;
  const number = `${nir.slice(0, 5)}${nir.slice(5, 7).replace('2A', '19').replace('2B', '18')}${nir.slice(7, 13)}`;
  if (!/^\d{13}$/.test(number) || !/^\d{2}$/.test(nir.slice(13))) return false;
  // Thirteen digits stay far below 2^53: as a Number, mod 97 is exact.
  return 97 - (Number(number) % 97) === Number(nir.slice(13));
}

// Fixed quantifiers and one separator per form, so matching stays linear; the boundaries are those of swiss-ids.ts' AHV_RE.
/**
 * A French NIR as it is written: sex (1 or 2), year, month (01-12, or 20 and over for a month not known), department
 * (two digits, `2A`, `2B`), commune, birth order and key, in one (`185057800608491`) or in those groups split by single
 * blanks (`1 85 05 78 006 084 91`). Not inside a longer number, word or amount: no letter, digit or `+` right before it,
 * nor a digit and `.`, `,`, `'`, `/` or `-`; no letter or digit right after it, nor one of those and a digit. Written with
 * blanks, not after a digit and a blank nor before a blank and a digit: its groups would be some of a longer row of figures.
 */
const NIR_RE = /(?<![\p{L}\p{N}_+]|\d[.,'/-])(?:[12]\d{2}(?:0[1-9]|1[0-2]|[2-9]\d)(?:\d{2}|2[AB])\d{8}|(?<!\d )[12] \d{2} (?:0[1-9]|1[0-2]|[2-9]\d) (?:\d{2}|2[AB]) \d{3} \d{3} \d{2}(?! \d))(?![\p{L}\p{N}_]|[.,'/-]\d)/gu;

/** The French NIRs of `text` (key right), scanned from `from` on. */
function nirHits(text: string, from: number): Hit[] {
  const hits: Hit[] = [];
  for (const m of allMatches(NIR_RE, text, Math.max(0, from))) {
    if (isValidNir(m[0].replaceAll(' ', ''))) hits.push({ type: 'SOCIAL_SECURITY', start: m.index, end: m.index + m[0].length, placeholder: '[SOCIAL_SECURITY]' });
  }
  return hits;
}

/** The codici fiscali and French NIRs of `text`, in text order; `from`: where its numbers start (redact.ts' numberScanStart). */
export function frItIdHits(text: string, from = 0): Hit[] {
  const codes = codiceFiscaleHits(text, from);
  const nirs = nirHits(text, from);
  if (codes.length === 0) return nirs;
  return nirs.length === 0 ? codes : [...codes, ...nirs].sort((a, b) => a.start - b.start);
}
