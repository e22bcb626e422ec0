/**
 * UK and Irish personal numbers for `redactPii`'s `ids` detector, as a UK or Irish broker's customers write them:
 * - UK National Insurance numbers (NINO) by their shape alone, two prefix letters HMRC allocates, six digits and a
 *   suffix `A`-`D` (`JT 48 29 17 B`, `JT482917B`), and in any case or prefix after `NINO` or `NI` in capitals (`NINO
 *   (QR 77 12 40 A)`), as `[SOCIAL_SECURITY]`;
 * - Irish PPS numbers, in a text that says `PPS`, by their shape and check letter (`It's 8765432S.`), as
 *   `[SOCIAL_SECURITY]`;
 * - a UK sort code with the account number right after it (`20 45 87 41236587`), as `[BANK_CODE]` and `[ACCOUNT]`.
 * The keyword stays. After the keyed numbers and identity documents, so that a keyword's own type wins (`Tax ID:
 * 8765432S` is a `[TAX_ID]`). The keywords in any case (`national insurance`, `PPS`, `Eircode`) are read in
 * id-documents.ts' scan, with the values this module gives (NINO_VALUE, PPS_VALUE, EIRCODE_VALUE).
 */
import type { Hit } from './redact-hit.js';

/**
 * Between a keyword and its value: `:`, `#`, `=`, `(` or a dash between blanks (`NI number - JT 48 29 17 B`), blanks
 * and up to one line break (a table's header and cell), and `is`, `was`, `are`, `were` maybe with a colon (`My NI is
 * …`). Bounded.
 */
const TAIL = String.raw`(?:[ \t]{0,3}[:#=(]|[ \t]{1,3}-(?=[ \t]))?\s{0,3}(?:(?:is|was|are|were)[ \t]{0,3}:?\s{1,3})?`;
/**
 * `NINO` and `NI` (with a number word: `NI number`, `NI no.`), in capitals only: `Nino` is a first name and `ni` a French
 * word. A text without `NI` (most of them) is not scanned for it.
 */
const NI_KEY = new RegExp(String.raw`\b(?:NINO|NI)s?(?![A-Za-z0-9])(?: (?:[Nn]umbers?|[Nn]o\.?|#))?${TAIL}`, 'g');

/**
 * A NINO after its keyword: any two letters (`NINO (QR 77 12 40 A)`, a mistyped prefix), in any case, the suffix maybe
 * left out; a suffix after a blank or dash only in capitals, so that a word after the digits is none (`NI: AB 12 34 56 a
 * while ago`).
 */
export const NINO_VALUE = /[A-Za-z]{2}[ -]?\d{2}[ -]?\d{2}[ -]?\d{2}(?:[A-Da-d]|[ -][A-D])?(?![A-Za-z0-9])/y;
/**
 * A PPS number after its keyword: seven digits, a check letter (`A`-`W`) and maybe a second letter, in any case (`8765432S`,
 * `1234567fa`), or in capitals after a blank (`8765432 S`), so that a word after the digits is none (`PPS 1234567 is`).
 * Its check letter is not asked: a mistyped number is still the customer's.
 */
export const PPS_VALUE = /\d{7}(?:[A-Wa-w][A-Za-z]?| [A-W][A-Z]?)(?![0-9A-Za-z])/y;
/**
 * An Eircode: the routing key (a letter of the Eircode alphabet and two digits, or Dublin's `D6W`) and the four
 * characters of the home (`D06 F2X8`, `P31 KX62`, also without the blank). Only after its keyword: by shape alone a
 * model or part number (`V12 4000`) would pass.
 */
export const EIRCODE_VALUE = /(?:[AC-FHKNPRTV-Y]\d\d|D6W) ?[0-9AC-FHKNPRTV-Y]{4}(?![A-Za-z0-9])/iy;

/**
 * The three shapes in one scan (one pass costs half of three), each standing alone (`\b`); fixed quantifiers only, so
 * matching stays linear:
 * - group 1, a NINO: the first prefix letter none of `D`, `F`, `I`, `Q`, `U`, `V`, the second none of those nor `O`, six
 *   digits in one or in pairs after a blank, the suffix `A`-`D`, in capitals (`JT482917B`, `JT 48 29 17 B`, `JT 482917
 *   B`, `JT 48 29 17B`). A blank before the suffix only where one follows the prefix: a company number then a word
 *   (`SC123456 A …`) is none. The prefixes never allocated (NINO_UNUSED) are checked in `shapeHit`;
 * - group 2, a sort code (its separator group 3, one blank or dash throughout) and group 4, the eight-digit account
 *   number after up to three blanks (`20 45 87 41236587`); no blank and a digit after it (a row of figures);
 * - group 5, a PPS number: seven digits, the check letter and maybe a second letter, in capitals (`8765432S`,
 *   `1234567FA`).
 * None runs on into a number after it (`.`, `,`, `/`, `-` and a digit).
 */
const SHAPES =
  /\b(?:([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z](?:\d{6}[A-D]|(?: \d\d){3} ?[A-D]| \d{6} ?[A-D]))(?![A-Za-z0-9_])|(\d\d([ -])\d\d\3\d\d)[ \t]{1,3}(\d{8})\b(?! \d)|(\d{7}[A-W][A-Z]?)\b)(?![.,/-]\d)/g;
/** Prefixes never allocated (`BG`, `GB`, `NK`, `KN`, `TN`, `NT`, `ZZ`): temporary and administrative numbers. */
const NINO_UNUSED = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);
/** Characters that join a NINO-shaped run to a longer reference before it (`REF-AB123456C`, `#AB123456C`, `x/AB123456C`). */
const NINO_JOINED = new Set(['-', '/', '.', '#', '_']);
/** The day, month and year of a dashed group (`14-02-25`): with them an 8-digit number after it is an order's, not an account. */
const DASHED_DATE = /^(?:0[1-9]|[12]\d|3[01])-(?:0[1-9]|1[0-2])-\d\d$/;
/** A text that names a PPS number: only in one is a PPS number read by its shape, asked once one passes its check. */
const PPS_WORD = /\bppsn?\b|personal public service/i;

/**
 * Whether seven digits and one or two letters (no blank) are a PPS number: the digits weighted 8 to 2 from the left,
 * plus nine times a second letter's place in the alphabet (A = 1, W = 0), mod 23 gives the check letter (0 → `W`, 1 →
 * `A`, …). Numbers issued before 2013 put `W`, `T` or `X` second without counting it (`1234567TW`), so a check letter
 * right without it counts too.
 */
export function isValidPps(pps: string): boolean {
  if (!/^\d{7}[A-W][A-Z]?$/.test(pps)) return false;
  let sum = 0;
  for (let i = 0; i < 7; i += 1) sum += (pps.charCodeAt(i) - 48) * (8 - i);
  const second = pps.charAt(8);
  if (second === '') return pps.charAt(7) === checkLetter(sum);
  if (pps.charAt(7) === checkLetter(sum + 9 * ((second.charCodeAt(0) - 64) % 23))) return true;
  return (second === 'W' || second === 'T' || second === 'X') && pps.charAt(7) === checkLetter(sum);
}

/** A PPS number's check letter for a weighted sum: the sum mod 23 as a letter, 0 as `W`, 1 as `A` (`203` → `S`). */
function checkLetter(total: number): string {
  return total % 23 === 0 ? 'W' : String.fromCharCode(64 + (total % 23));
}

/** `+`, `.`, `,`, `/`, `-` and `:` before a number: it goes on a longer one (`+44 …`, `12.…`, `10:…`). */
const JOINING = new Set([43, 46, 44, 47, 45, 58]);
const isDigit = (c: number) => c >= 48 && c <= 57;

/** Whether the character before `at` joins what starts there to a longer run: a digit and a blank, or `+`, `.`, `,`, `/`, `-`, `:`. */
function joinedBefore(text: string, at: number): boolean {
  if (at === 0) return false;
  const c = text.charCodeAt(at - 1);
  if (c === 32) return at > 1 && isDigit(text.charCodeAt(at - 2));
  return JOINING.has(c);
}

/** A hit of `type` over `start` to `end`. */
const hitOf = (type: string, start: number, end: number): Hit => ({ type, start, end, placeholder: `[${type}]` });

/**
 * The hits of one match of SHAPES, if it is one: a NINO of an allocated prefix, not glued into a reference; a sort
 * code and its account, not run on from a number before them nor, with dashes, a date (DASHED_DATE); a PPS number with
 * a right check letter, not run on from a number, in a text that names PPS (PPS_WORD, asked once a number passes and
 * kept in `pps.named` for the rest of the scan).
 */
function shapeHits(text: string, m: RegExpExecArray, hits: Hit[], pps: { named?: boolean }): void {
  const at = m.index;
  if (m[1] !== undefined) {
    if (!NINO_UNUSED.has(m[1].slice(0, 2)) && !NINO_JOINED.has(text.charAt(at - 1))) hits.push(hitOf('SOCIAL_SECURITY', at, at + m[1].length));
  } else if (m[2] !== undefined) {
    if (joinedBefore(text, at) || (m[3] === '-' && DASHED_DATE.test(m[2]))) return;
    const account = at + m[0].length - m[4].length;
    hits.push(hitOf('BANK_CODE', at, at + m[2].length), hitOf('ACCOUNT', account, account + m[4].length));
  } else if (!joinedBefore(text, at) && isValidPps(m[5]) && (pps.named ??= PPS_WORD.test(text))) {
    hits.push(hitOf('SOCIAL_SECURITY', at, at + m[5].length));
  }
}

/** The value after each `NINO` or `NI` in capitals (NI_KEY) that is a NINO (NINO_VALUE). */
function afterNi(text: string, hits: Hit[]): void {
  NI_KEY.lastIndex = 0;
  for (let m = NI_KEY.exec(text); m !== null; m = NI_KEY.exec(text)) {
    const at = m.index + m[0].length;
    NINO_VALUE.lastIndex = at;
    const v = NINO_VALUE.exec(text);
    if (v === null) continue;
    hits.push(hitOf('SOCIAL_SECURITY', at, at + v[0].length));
    NI_KEY.lastIndex = at + v[0].length;
  }
}

/**
 * The UK and Irish numbers of `text` (see above), in text order; `from`: where its numbers start (redact.ts'
 * numberScanStart), as a NINO's letters stand at most three characters before its first digit.
 */
export function ukIeIdHits(text: string, from = 0): Hit[] {
  const hits: Hit[] = [];
  if (text.includes('NI')) afterNi(text, hits);
  const pps: { named?: boolean } = {};
  SHAPES.lastIndex = from;
  for (let m = SHAPES.exec(text); m !== null; m = SHAPES.exec(text)) shapeHits(text, m, hits, pps);
  return hits.length < 2 ? hits : hits.sort((a, b) => a.start - b.start || b.end - a.end);
}
