/**
 * Swiss numbers found by their shape, without a keyword, for `redactPii`'s `ids` detector: AHV/AVS numbers, the Swiss
 * social security number (`756.1234.5678.97`, `756-1234-5678-97`, `7561234567897`), as `[SOCIAL_SECURITY]`; and the business id (UID)
 * with its VAT suffix after it (`CHE-123.456.789 MWST`, `… TVA`, `… IVA`), as `[TAX_ID]`, the suffix staying as a
 * keyword does. A UID after its keyword (`UID CHE-123.456.789`) is keyed-numbers.ts' VAT rule's.
 */
import { allMatches, type Hit } from './redact-hit.js';

/**
 * Whether 13 digits are an AHV number: `756` (Switzerland's ISO 3166 code), nine digits and an EAN-13 check digit
 * (the first twelve weighted 1, 3, 1, 3, … from the left; with the check digit the sum is a multiple of 10). No
 * GS1 product barcode starts with 756 (Switzerland's are 760-769), so only one 13-digit number in ten that starts
 * so passes by chance.
 */
export function isValidAhv(digits: string): boolean {
  if (digits.length !== 13 || !digits.startsWith('756')) return false;
  let sum = 0;
  for (let i = 0; i < 13; i += 1) {
    const d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    sum += i % 2 === 0 ? d : 3 * d;
  }
  return sum % 10 === 0;
}

// Every quantifier is fixed and the alternatives start alike but differ at their fourth character, so matching stays
// linear.
/**
 * An AHV number as it is written: `756` then ten digits dotted in groups of 4, 4 and 2 (`756.1234.5678.97`), in one
 * (`7561234567897`), or in those groups split by dashes (`756-1234-5678-97`; an en dash is read as one, redact.ts'
 * `hyphenated`) or by single blanks (`756 1234 5678 97`), one separator throughout. Not inside a longer number,
 * word or amount: no letter, digit or `+` right before it, nor a digit and `.`, `,`, `'`, `/` or `-`; no letter or digit
 * right after it, nor `.`, `,`, `'`, `/` or `-` and a digit. Written with blanks, not after a digit and a blank nor
 * before a blank and a digit: its groups would then be some of a longer row of figures.
 */
const AHV_RE = /(?<![\p{L}\p{N}_+]|\d[.,'/-])756(?:\.\d{4}\.\d{4}\.\d{2}|-\d{4}-\d{4}-\d{2}|\d{10}|(?<!\d 756) \d{4} \d{4} \d{2}(?! \d))(?![\p{L}\p{N}_]|[.,'/-]\d)/gu;

/**
 * A Swiss business id (UID: `CHE-123.456.789`, also `CHE123456789`) with the VAT register's suffix after it (`MWST`,
 * `TVA`, `IVA`), group 1 the id. After its keyword (`UID`, `MWST-Nr.`) the VAT rule finds it; a bare UID names a firm
 * and stays, as a bare VAT id (`DE123456789`) does.
 */
const UID_WITH_SUFFIX_RE = /(?<![\p{L}\p{N}_])(CHE-?\d{3}\.?\d{3}\.?\d{3})[ \t]?(?:MWST|TVA|IVA)(?![\p{L}\p{N}_])/gu;

/** The AHV numbers (EAN-13 check digit right) and suffixed UIDs of `text`, in text order. */
export function swissIdHits(text: string): Hit[] {
  const hits: Hit[] = [];
  if (text.includes('756')) {
    for (const m of allMatches(AHV_RE, text)) {
      if (isValidAhv(m[0].replace(/[. -]/g, ''))) hits.push({ type: 'SOCIAL_SECURITY', start: m.index, end: m.index + m[0].length, placeholder: '[SOCIAL_SECURITY]' });
    }
  }
  if (text.includes('CHE')) {
    const uids: Hit[] = allMatches(UID_WITH_SUFFIX_RE, text).map((m) => ({ type: 'TAX_ID', start: m.index, end: m.index + m[1].length, placeholder: '[TAX_ID]' }));
    if (uids.length > 0) return [...hits, ...uids].sort((a, b) => a.start - b.start);
  }
  return hits;
}
