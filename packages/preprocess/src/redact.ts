import { z } from 'zod';
import { composeDiacritics } from './compose.js';
import { CleanOptionsError } from './errors.js';
import { documentHits } from './id-documents.js';
import { CARD_EXPIRY, CURRENCY, EXPIRY_MONTH_YEAR, KEYED_RULES, keyedHits, keywordBefore, type KeyedRule } from './keyed-numbers.js';
import { addressHits } from './addresses.js';
import { credentialHits } from './credentials.js';
import { nameHits } from './names.js';
import { passesLuhn } from './luhn.js';
import { plainSpaces } from './spaces.js';
import { walletHits } from './wallets.js';

/**
 * A user pattern, e.g. a depot number: `{ type: 'DEPOT', pattern: '\\bDP\\d{8}\\b' }` masks as `[DEPOT]`. `flags`: of a
 * pattern given as text, any of `i`, `m`, `s`, `u` (`g` is always on).
 */
export const RedactPatternSchema = z.object({
  type: z.string().regex(/^[A-Z][A-Z0-9_]{0,31}$/, 'type must be upper-case letters, digits or _'),
  pattern: z.union([z.string().min(1), z.instanceof(RegExp)]),
  flags: z.string().regex(/^(?!.*(.).*\1)[imsu]*$/, 'flags must be some of i, m, s and u, each once').optional(),
  placeholder: z.string().optional(),
});
export type RedactPattern = z.infer<typeof RedactPatternSchema>;

export const RedactOptionsSchema = z.object({
  iban: z.boolean().default(true),
  card: z.boolean().default(true),
  email: z.boolean().default(true),
  phone: z.boolean().default(true),
  /**
   * Numbers a keyword names: customer, account, depot and contract numbers (`[ACCOUNT]`), tax ids
   * (`[TAX_ID]`), German bank codes and UK sort codes (`[BANK_CODE]`), card security codes (`[CVV]`), dates of birth (`[BIRTHDATE]`), passport, identity card and
   * driving licence numbers (`[ID_DOCUMENT]`) and social security numbers (`[SOCIAL_SECURITY]`). The keyword stays.
   * Also crypto wallet addresses (Bitcoin, Ethereum) without a keyword, as `[ACCOUNT]`.
   */
  ids: z.boolean().default(true),
  /**
   * The value a keyword names as a secret or a login (`PIN 4711`, `TAN 123456`, `Passwort lautet Geheim123!`,
   * `Login-ID: 1234567890`, `my password is …`): `[CREDENTIAL]`. The keyword stays.
   */
  credentials: z.boolean().default(true),
  /**
   * Names the text marks (after a salutation or title, which stays; greeted before a comma; given by the
   * writer; signed after a closing: `[NAME]`) and streets with a house number, with the postal code and town after them
   * (`[ADDRESS]`). Off by default: it made cleaning the reply-parser fixtures 4-13% slower, and the
   * model's input never leaves the process. On where text does leave: `mailroute clean` and stored
   * prediction text.
   */
  names: z.boolean().default(false),
  /** With `names`: names found elsewhere in the same email (e.g. signed in its signature), masked wherever they stand here too. */
  knownNames: z.array(z.string()).default([]),
  patterns: z.array(RedactPatternSchema).default([]),
});
export type RedactOptions = z.input<typeof RedactOptionsSchema>;

/** Where a placeholder sits in the redacted text (`start` inclusive, `end` exclusive). */
/** One masked span: its detector and offsets; `part` says it is in the signature, the quoted text or the subject (absent: in the text). */
export const RedactionSchema = z.object({ type: z.string(), start: z.number().int(), end: z.number().int(), part: z.enum(['signature', 'quoted', 'subject']).optional() });
export type Redaction = z.infer<typeof RedactionSchema>;

const DEFAULTS = RedactOptionsSchema.parse({});

export interface RedactResult {
  text: string;
  redactions: Redaction[];
}

/** A span to mask, with its type and the placeholder that replaces it. */
export interface Hit {
  type: string;
  start: number;
  end: number;
  placeholder: string;
  /** A name masked where it stands but not looked for elsewhere (a payee that may be a firm, a weakly cued signature). */
  echo?: false;
  /** Left as it stands, but no later detector masks a part of it: an IBAN when the `iban` detector is off. */
  keep?: true;
}

/** IBANs as hits that keep them: with the `iban` detector off, a phone or card number must not take a part of one. */
function keptIbans(text: string, from: number): Hit[] {
  return ibanHits(text, from).map((h) => ({ ...h, keep: true }));
}

/** ISO 13616 mod-97 check on a compact IBAN (letters moved to the end and turned into numbers). */
export function isValidIban(compact: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  const moved = compact.slice(4) + compact.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const code = ch.charCodeAt(0);
    const val = code >= 65 ? String(code - 55) : ch;
    for (const d of val) rem = (rem * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

/** Luhn check on a string of digits. */
export function isValidLuhn(digits: string): boolean {
  return /^\d{12,19}$/.test(digits) && passesLuhn(digits);
}

// Every quantifier is bounded and the alternatives are disjoint (but IBAN_RE's last, tried only when the others fail),
// so matching stays linear.
/**
 * Between the groups of an IBAN: one to three blanks (HTML and aligned forms double them; a tab is read as a blank,
 * `blankTabs`), a dash, a dot or a line break.
 */
const IBAN_GAP = String.raw`(?:[\n.-]| {1,3})`;
const IBAN_CHAR = '[A-Za-z0-9]';
// IBANs as they are written: in one piece, maybe wrapped onto the next line anywhere (`DE89370400440532\n013000`), or
// in groups of four or of three split by IBAN_GAP (`DE89 3704 0044 ...`, `de89-3704-...`, `DE89.3704.0044...`,
// `DE89  3704  0044 ...`, `DE89 370 400 440 ...`, wrapped after a group), maybe with a blank after a country in
// capitals (`DE 89 3704 ...`, `DE 8937 0400 ...`; not `at 61 ...`, an English word). Bounded, so a candidate is at
// most 64 characters; the wrapped form comes first, since the one-piece form would end at the line break.
// Last, captured, groups of digits and capitals of any length (`DE89 370400440532013000`, `AT61 19043 00234573201`,
// `GB29 NWBK 601613 319268 19`, `DE89 3704 0044 05⏎32 0130 00`), which ibanHits takes only with its country's shape (see
// ibanLength). Each group needs the gap before it, so a run splits into groups one way only; no lower case and no group
// that starts another IBAN (`DE89`), so that such a match never runs over words into the next IBAN (`AB12 bei DE89 …`,
// `AB12 UND DE89 …`), which the scan would then pass.
const IBAN_START = String.raw`\b(?:[A-Za-z]{2}|[A-Z]{2} )\d{2}`;
const UNEVEN_GROUPS = String.raw`(?:${IBAN_GAP}(?![A-Z]{2}\d{2})[0-9A-Z]{1,30}){1,10}`;
const IBAN_RE = new RegExp(
  String.raw`${IBAN_START}(?:${IBAN_CHAR}{4,29}\n${IBAN_CHAR}{1,29}|${IBAN_CHAR}{11,30}|(?:${IBAN_GAP}${IBAN_CHAR}{4}){2,7}(?:${IBAN_GAP}${IBAN_CHAR}{1,4})?|(?:${IBAN_GAP}${IBAN_CHAR}{3}){3,10}(?:${IBAN_GAP}${IBAN_CHAR}{1,3})?|${IBAN_CHAR}{2}(?:${IBAN_GAP}${IBAN_CHAR}{4}){2,7}(?:${IBAN_GAP}${IBAN_CHAR}{1,4})?|(${UNEVEN_GROUPS}))\b`,
  'g',
);
/** The uneven groups at one place: where an evenly grouped match was no IBAN, its groups may go on unevenly (`DE89 3704 0044 0532 013000`). */
const UNEVEN_IBAN_AT = new RegExp(String.raw`${IBAN_START}${UNEVEN_GROUPS}\b`, 'y');
/**
 * IBAN lengths of the countries a German or Swiss bank's customers write most: a number of exactly this
 * shape is masked even when its checksum fails (a typo in an IBAN is still the customer's account).
 */
const IBAN_LENGTHS: Readonly<Record<string, number>> = { DE: 22, AT: 20, CH: 21, LI: 21, LU: 20, NL: 18, BE: 16, FR: 27, IT: 27, ES: 24, GB: 22, IE: 22, PL: 28, DK: 18, SE: 24, FI: 18, PT: 25, CZ: 24 };
/** The account part (BBAN) of those countries: digits only, except where a bank code has letters. */
const BBAN_SHAPES: Readonly<Record<string, RegExp>> = { GB: /^[A-Z]{4}\d{14}$/, IE: /^[A-Z]{4}\d{14}$/, NL: /^[A-Z]{4}\d{10}$/, IT: /^[A-Z]\d{10}[A-Z0-9]{12}$/, FR: /^\d{10}[A-Z0-9]{11}\d{2}$/ };
const DIGITS = /^\d+$/;

/** Whether a compact upper-case IBAN has its country's length and account shape. */
function hasCountryShape(compact: string): boolean {
  const country = compact.slice(0, 2);
  if (IBAN_LENGTHS[country] !== compact.length) return false;
  return (BBAN_SHAPES[country] ?? DIGITS).test(compact.slice(4));
}

/** Characters a mistyped IBAN may have more or fewer than its country's (a digit left out or typed twice). */
const NEAR_LENGTH = 2;
/** The account part of a mistyped IBAN of those countries, its length aside: the bank code's letters where they stand, digits. */
const NEAR_BBAN_SHAPES: Readonly<Record<string, RegExp>> = { GB: /^[A-Z]{4}\d+$/, IE: /^[A-Z]{4}\d+$/, NL: /^[A-Z]{4}\d+$/, IT: /^[A-Z]\d{5}[A-Z0-9]+$/, FR: /^\d{5}[A-Z0-9]+$/ };
/** Letters a mistyped account part may hold after its first four characters (`3M02`): more are a word run into it (`EUR`). */
const NEAR_MAX_LETTERS = 3;
const LETTERS = /[A-Z]/g;

/**
 * Whether a compact upper-case IBAN is at most NEAR_LENGTH characters off its country's length, its account part of
 * that country's shape but for its length: a mistyped IBAN (`GB29 NWBK 6016 1331 9268 1`).
 */
function nearCountryShape(compact: string): boolean {
  const country = compact.slice(0, 2);
  const length = IBAN_LENGTHS[country];
  if (length === undefined || Math.abs(compact.length - length) > NEAR_LENGTH) return false;
  const bban = compact.slice(4);
  return (NEAR_BBAN_SHAPES[country] ?? DIGITS).test(bban) && (bban.slice(4).match(LETTERS)?.length ?? 0) <= NEAR_MAX_LETTERS;
}
/**
 * Between a card number's digits: a dash or one to three blanks (HTML and aligned forms double them; a tab is read as a
 * blank, `blankTabs`), or a line break after a group of four that follows another group, before a group of four: the card
 * wrapped after a group, as an IBAN may be (`4111 1111⏎1111 1111`; not a list of four-digit numbers a line each).
 */
const CARD_GAP = String.raw`(?:-| {1,3}|(?<=\d(?:-| {1,3})\d{4})\n(?=\d{4}(?!\d)))`;
/** A card's expiry glued on after a slash: `/12`, `/1227`, `/12/27`, `/122027` (and `/1/27`, which CARD_RE allows besides). */
const EXPIRY = String.raw`${EXPIRY_MONTH_YEAR}(?!\d)`;
/**
 * A card number's candidates: digits split by CARD_GAP, not run into a date, an amount or a dashed number
 * after them (`… 1111 26.01.2026`, `… 1111 089-1234567`; its expiry after a slash is none: `4111111111111111/1227`), nor
 * starting with a phone number's country code after `+` (`+49 221 15592355`) or right after one (`+41 44 722 12 13 0170
 * 1234567`: a phone number's groups, with the next number's, can pass Luhn) or the last part of a time, a decimal or a
 * date (`0:43 040-41379845`, `EUR 1,59 5100 …`, `1998-09-26 2221 …`).
 */
const CARD_RE = new RegExp(String.raw`(?<!\+\d{0,3}(?:-| {1,3})?|\d[:.,/-])\b\d(?:${CARD_GAP}?\d){11,18}\b(?![.,-]\d|\/(?!${EXPIRY}|[1-9]\/)\d)`, 'g');
/** What CARD_GAP leaves between a card's digits: blanks, dashes, a line break. */
const CARD_SEPARATORS = /[ \n-]/g;
// A leading `(` belongs to the number (`(030) 123 4567`); a national number starts with a 0 and at least
// two more digits (an area code: `030`, `069`, `0171`; not `01/2024`), and not after digits and a `-` or `/`, where it
// is a later group of another number (`Rechnung 2026/01234567`, `Order 123-0456-7890`); groups split by one to three
// blanks (HTML and aligned forms double them: `0171  1234567`), one other character or ` / `.
const PHONE_RE = /\(?(?:\+\d|(?<!\d[/-])\b0\d{2}\)?)(?:(?: {1,3}|[./-]| \/ )?\(?\d\)?){4,15}\d\b/g;
/** A currency or a unit after a number (`EUR`, `€`, `%`, `Stück`, `shares`): the number is an amount or a quantity. */
const UNIT = String.raw`${CURRENCY}|dollars?\b|stück\b|stk\b|shares?\b|units?\b|aktien\b|anteile\b|prozent\b|percent\b`;
/**
 * A North American number without `+1` or a leading 0: `(212) 555-0147`, `212-555-0147`, `212.555.0147` (one
 * separator throughout). Area code and exchange start with 2-9, as NANP numbers do. Without the brackets, not with a
 * currency or unit after it (`250.555.1234 EUR`, `300-400-5000 units`): a quantity; but a currency or unit with a
 * number of its own after it belongs to that number (`212-555-0147 EUR 1,00`: a phone number before an amount). With
 * the brackets, whatever follows: no amount is written `(212) 555-0147`.
 */
const US_PHONE_RE = new RegExp(
  String.raw`\([2-9]\d{2}\) ?[2-9]\d{2}[-. ]\d{4}(?![\d]|[.,-]\d)|(?<![\w.,/-])[2-9]\d{2}([-.])[2-9]\d{2}\1\d{4}(?![\w]|[.,-]\d)(?![ \t]?(?:${UNIT})(?![ \t]?\d))`,
  'gi',
);
/**
 * A group of one to four digits, not starting with 0, and a currency or unit after a phone number's blank
 * (`0171 2345678 100 Stück`, `030 1234567 50 EUR`): a quantity or an amount, not the phone number's last group. Not
 * when a number follows the unit (`+41 44 000 00 00 EUR 1.269,42`): the currency is that amount's.
 */
const QUANTITY_AFTER = new RegExp(String.raw`^ [1-9]\d{0,3}[ \t]?(?:${UNIT})(?![ \t]?\d)`, 'i');
/** After a number, a decimal, time or date part (`,00`, `:30`, `.1990`): the number is an amount, a time or a date. */
const AMOUNT_AFTER = /^[.,:]\d/;
/** The digits before a phone-shaped match and the separator after them (`1.` of `1.000.000.000`). */
const LEADING_GROUP = /\d{1,3}(?:\.| {1,3})$/;
/** A number grouped in thousands by dots or blanks (`1.000.000.000`, `5 000 000 000`): an amount, not a phone. */
const THOUSANDS = /^\d{1,3}(\.| {1,3})\d{3}(?:\1\d{3})*$/;
/**
 * An area code, a dash between blanks, then the number (`030 - 123 456 78`, `089 – 1234567`), as German letterheads
 * wrote it: six digits or more after the dash, so that lists (`Konten 0815 - 0816 - 0817`) stay. An en dash is read
 * as `-` before the detectors run (`hyphenated`).
 */
const DASHED_AREA_PHONE_RE = /(?<![\w.,/-])0\d{2,5} - \d(?:[ /.]?\d){5,10}(?![\w]|[.,-]\d)/g;
/**
 * Keywords of NOT_PHONE_KEYWORDS that name a number far shorter than a card's (a count, a six-character WKN) or one with
 * letters (an ISIN): a card number written as cards are (CARD_AS_WRITTEN) after one (`5 Stück 4111 1111 1111 1111`) is
 * no count or WKN, and stays a card. Digits run together from that short number into another (`WKN 548940 2010-09-18`)
 * are not written so, and stay as they are.
 */
const SHORT_NUMBER_KEYWORDS = new Set('stückzahl stück stk stk. anzahl menge quantity qty qty. isin wkn'.split(' '));
/**
 * Keywords that name a number as no phone: an order, a trade, an invoice, a reference, a count (`Order 234-567-8901`,
 * `Trade 212-555-0147`, `Stückzahl 00123456`, `Referenz 00123456`, `Kaufabrechnung Nr. 0123456789`, a meter's or a parcel's number, a payment's reference). A phone-shaped number after one
 * stays, and so does a card-shaped one (`Order-ID 4111111111111111`), but for SHORT_NUMBER_KEYWORDS' cards.
 */
const NOT_PHONE_KEYWORDS = new Set([
  ...'order orders bestellung bestellnummer bestellnr bestellnr. auftrag auftrags auftragsnummer auftragsnr auftragsnr. trade trades transaktion transaktions transaktionsnummer transaction rechnung rechnungsnummer rechnungsnr rechnungsnr. invoice ticket ticketnummer vorgang vorgangsnummer vorgangsnr. ordernummer ordernr ordernr. abrechnung abrechnungsnummer abrechnungsnr. kaufabrechnung verkaufsabrechnung wertpapierabrechnung aktenzeichen referenz ref ref. reference artikelnummer artikelnr. sendungsnummer sendungsnr sendungsnr. paketnummer tracking trackingnummer zähler zählernummer zählernr zählernr. verwendungszweck belegnummer belegnr. buchungsnummer'.split(' '),
  ...SHORT_NUMBER_KEYWORDS,
]);
const DATE_LIKE = /^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$/;
/**
 * A date at the start of a phone-shaped match (`03.11.2025 10:15`, `01.10.2025 1.200,00`): a date, not a phone.
 * Its year has two or four digits, four only last or as 19xx/20xx first, so that a number grouped by dots
 * (`0049.30.123.4567`, `0221.98.76.54`) is no date.
 */
const DATE_FIRST = /^\(?(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|(?:19|20)\d{2}[./-]\d{1,2}[./-]\d{1,2})(?!\d)/;
/**
 * A month and a four-digit year (`12/2025`, `3.2026`: a card's expiry, a statement's month) at the start of the text
 * after a phone number's blank: the phone number ends before it. Not followed by more of a number (`12.2025,50`).
 */
const MONTH_YEAR_FIRST = /^(?:0?[1-9]|1[0-2])[./](?:19|20)\d{2}(?![\d]|[./,-]\d)/;
/** A letter or mark beyond ASCII (`ä`, `ö`, `é`): internationalised addresses and domains (`jörg@bäckerei-müller.de`). */
const NON_ASCII_LETTER = /^[\p{L}\p{M}]$/u;

/** `[A-Za-z0-9.-]` and letters beyond ASCII: a character of a domain name. */
function isDomainChar(c: number): boolean {
  if (c > 127) return NON_ASCII_LETTER.test(String.fromCharCode(c));
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 45;
}

/** `[A-Za-z0-9._%+'-]` and letters beyond ASCII: a character of an address's local part (`o'brien@example.ie`). */
function isLocalChar(c: number): boolean {
  return isDomainChar(c) || c === 95 || c === 37 || c === 43 || c === 39;
}

/**
 * The matches of one of the global patterns above, in order: what `text.matchAll(re)` gives, without the copy of
 * the pattern it makes per call (none of these patterns matches the empty string).
 */
function allMatches(re: RegExp, text: string, from = 0): RegExpExecArray[] {
  const found: RegExpExecArray[] = [];
  re.lastIndex = from;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) found.push(m);
  return found;
}

const isIbanGap = (c: string | undefined) => c === ' ' || c === '-' || c === '\n' || c === '.';

/**
 * IBANs: in upper case with a valid checksum, as always; in lower case, or mistyped (checksum failing),
 * only with a known country's exact length and account shape, so that ISINs, product codes and words
 * never pass by the 1-in-97 chance of a checksum; grouped evenly or not. Also a character or two short or too long for
 * its country, with its account shape but for that (a typo): masked whole, so that no group of it is left or taken for
 * a phone number. `from`: where the scan starts (`numberScanStart`).
 */
function ibanHits(text: string, from: number): Hit[] {
  const hits: Hit[] = [];
  // Whether the scan looked again inside a candidate that was none (nextCountryStart) to reach this one.
  let lookedAgain = false;
  IBAN_RE.lastIndex = from;
  for (let m = IBAN_RE.exec(text); m !== null; m = IBAN_RE.exec(text)) {
    let found = ibanLength(m[0], m[1] === undefined);
    if ((found === undefined || found.rank === NEAR) && m[1] === undefined) {
      // Even groups that are no IBAN, or only a mistyped one, may go on unevenly (`DE89 3704 0044 0532 013000`, `… 05⏎32 0130 00`).
      UNEVEN_IBAN_AT.lastIndex = m.index;
      const uneven = UNEVEN_IBAN_AT.exec(text);
      const more = uneven === null ? undefined : ibanLength(uneven[0], false);
      if (more !== undefined && (found === undefined || more.rank > found.rank)) found = more;
    }
    if (found === undefined) {
      // Groups that are none may have run into an IBAN after them (`EU27 DE89 3704 …`, `DE12 DE89 3704 …`): look again
      // from there, but not again after a candidate so found, so that a run of such groups is read at most twice.
      const next: number = lookedAgain ? 0 : nextCountryStart(m[0]);
      lookedAgain = next > 0;
      if (lookedAgain) IBAN_RE.lastIndex = m.index + next;
      continue;
    }
    lookedAgain = false;
    const end = m.index + found.end;
    hits.push({ type: 'IBAN', start: m.index, end, placeholder: '[IBAN]' });
    // What it ran into may be the next IBAN (`AT61 1904 3002 3457 3201 DE89 3704 …`, a line each).
    IBAN_RE.lastIndex = end;
  }
  return hits;
}

/** A group that starts as an IBAN of IBAN_LENGTHS does, in capitals, after a gap (`… DE89`). */
const COUNTRY_GROUP = /[ \n.-]([A-Z]{2})\d{2}/g;

/** Where in a candidate that is no IBAN a group starts as one of a known country does (COUNTRY_GROUP); 0 if none. */
function nextCountryStart(raw: string): number {
  COUNTRY_GROUP.lastIndex = 1;
  for (let m = COUNTRY_GROUP.exec(raw); m !== null; m = COUNTRY_GROUP.exec(raw)) if (IBAN_LENGTHS[m[1]] !== undefined) return m.index + 1;
  return 0;
}

/** How sure ibanLength is of an IBAN: of its country's shape and checksum; of one of them; mistyped (NEAR_LENGTH). */
const VALID_AND_SHAPED = 3;
const VALID_OR_SHAPED = 2;
const NEAR = 1;

/**
 * How much of an IBAN_RE match, from its start, is an IBAN, and how sure (`rank`); undefined if none. Of its country's
 * shape, with a valid checksum or not; `even` groups also in capitals with a valid checksum, of any country. Else a
 * character or two short or too long for its country (nearCountryShape): the longest such part, so that a mistyped
 * IBAN is masked with its last group.
 */
function ibanLength(raw: string, even: boolean): { end: number; rank: number } | undefined {
  // The match may run into a following code; shorten at group boundaries until it is an IBAN. One of its country's
  // length goes first: a longer part may pass mod-97 by chance with the first groups of a card number after it
  // (`AT61 1904 3002 3457 3201 4010 0000 5377 0012`).
  let valid: number | undefined;
  let shaped: number | undefined;
  let near: number | undefined;
  for (let end = raw.length; end >= 15; end -= 1) {
    if (isIbanGap(raw[end - 1])) continue;
    const next = raw[end];
    if (next !== undefined && !isIbanGap(next)) continue;
    const written = raw.slice(0, end);
    const compact = written.replace(/[ \n.-]/g, '').toUpperCase();
    const shape = hasCountryShape(compact);
    const passes = isValidIban(compact);
    if (passes && shape) return { end, rank: VALID_AND_SHAPED };
    if (passes && valid === undefined && even && written === written.toUpperCase()) valid = end;
    else if (shaped === undefined && shape) shaped = end;
    else if (!shape && near === undefined && nearCountryShape(compact)) near = end;
  }
  const sure = valid ?? shaped;
  if (sure !== undefined) return { end: sure, rank: VALID_OR_SHAPED };
  return near === undefined ? undefined : { end: near, rank: NEAR };
}

/**
 * Whether digits start as a payment card's do (issuer ranges: Visa 4, Mastercard 51-55 and 2221-2720,
 * Mir 2200-2204, Amex, Diners and JCB 3, Maestro, Discover and UnionPay 5-6): years (`2010 2011 ...`) and
 * order numbers (`2025...`) that pass Luhn by chance do not.
 */
function isCardPrefix(digits: string): boolean {
  const first = digits.charCodeAt(0) - 48;
  if (first >= 3 && first <= 6) return true;
  if (first !== 2) return false;
  const four = Number(digits.slice(0, 4));
  return (four >= 2221 && four <= 2720) || (four >= 2200 && four <= 2204);
}

/** Keywords of a contract's or a customer's number (`Vertragsnummer`, `Kunden-Nr.`): a card-shaped number after one is that number, an [ACCOUNT]. */
const ACCOUNT_ID_KEYWORDS = new Set('vertrag vertrags vertragsnummer vertragsnr vertragsnr. kunden kundennummer kundennr kundennr. mitglieds mitgliedsnummer referenznummer'.split(' '));
/** A keyword of a card (`Karten-ID`, `Kreditkarte Nr.`, `card ID`): the number after it stays a card. */
const CARD_WORD = /kart|card/;
/**
 * A card number as issuers print it: all digits in one, in groups of four (the last of 1-4), or Amex's 4-6-5. Stricter
 * than CARD_GROUPS (any first group of four or more), which reads a WKN and the groups after it as one card.
 */
const CARD_AS_WRITTEN = /^(?:\d+|\d{4}(?:(?:-| {1,3}|\n)\d{4})*(?:(?:-| {1,3}|\n)\d{1,4})?|\d{4}(?:-| {1,3})\d{6}(?:-| {1,3})\d{5})$/;

/**
 * Whether the keyword before a Luhn-valid number at `at` names it as an id that is no card (`Order-ID
 * 4111111111111111`, `Vertragsnummer 4532015112830366`): a card needs no keyword, but one that says otherwise wins.
 * `written`: the card as the text has it (a count's or a WKN's keyword names none written as cards are).
 */
function namedNotCard(text: string, at: number, written: string): boolean {
  const word = keywordBefore(text, at);
  if (CARD_WORD.test(word) || (SHORT_NUMBER_KEYWORDS.has(word) && CARD_AS_WRITTEN.test(written))) return false;
  return ACCOUNT_ID_KEYWORDS.has(word) || namedNotPhone(text, at);
}

/**
 * Whether a card number starting with `digits` may have as many: Visa's have 13, 16 or 19 digits, Amex's 15,
 * Mastercard's 16; other issuers' (Maestro, Discover, JCB, Diners, UnionPay, Mir) 13-19 here. A run of digits of
 * another length is no card of that issuer, even where it passes Luhn (one time in ten): `4184475 3446 515353`, an
 * order number's end and an Amex number's start, is none.
 */
function isIssuerLength(digits: string): boolean {
  const n = digits.length;
  const first = digits.charCodeAt(0) - 48;
  if (first === 4) return n === 13 || n === 16 || n === 19;
  const two = Number(digits.slice(0, 2));
  if (two === 34 || two === 37) return n === 15;
  if ((two >= 51 && two <= 55) || (first === 2 && Number(digits.slice(0, 4)) > 2204)) return n === 16;
  return n >= 13 && n <= 19;
}

/** Whether digits, maybe split by blanks or dashes, are a card's number: 13-19 digits in an issuer's range, of its lengths, passing Luhn. */
function isCardNumber(written: string): boolean {
  const digits = written.replace(CARD_SEPARATORS, '');
  return digits.length >= 13 && isCardPrefix(digits) && isIssuerLength(digits) && isValidLuhn(digits);
}

/** A card number as written in groups (of four, Amex's 4-6-5): every group but the last of four digits or more. */
const CARD_GROUPS = /^(?:\d{4,}(?:-| {1,3}|\n))*\d+$/;
/** The first group of a number, when it has four digits or more: where a card number may start. */
const CARD_FIRST_GROUP = /^\d{4,}(?:[ \n-]|$)/;

/** The digits of a card number starting with `digits`, as most are: 15 for Amex (34, 37), 16 for Visa, Mastercard, Discover and most others. */
const usualCardDigits = (digits: string) => (/^3[47]/.test(digits) ? 15 : 16);

/**
 * How much of a CARD_RE match, from its start, is a card number: of more digits than a card's usual length
 * (usualCardDigits), first its part of that length up to a blank; else all of it, or, run into the groups of another number
 * after it (`4111 1111 1111 1111 50,00 EUR`), its longest part up to a blank in groups of four or more digits (CARD_GROUPS); 0 if
 * none. `whole`: all of it may be a card in any grouping (a match CARD_RE found itself, not one looked for after a
 * number that was none).
 */
function cardLength(written: string, whole: boolean): number {
  const digits = written.replace(CARD_SEPARATORS, '');
  if (!isCardPrefix(digits)) return 0;
  // Looked for after a number that was none, a card starts as cards are written: a group of four digits, or all its
  // digits in one (`Auftrags-Nr. 0000 6202301 6011 7472 0000 0008`: the order number's `6202301` starts none).
  const first = written.search(/[ \n-]|$/);
  const grouped = whole ? CARD_FIRST_GROUP.test(written) : first === 4 || first >= 13;
  // A usual length before a longer run: a card and a short number after it (`4111 1111 1111 1111 18 Stück`) pass Luhn
  // as one run one time in ten, and the number was lost to the mask.
  const usual = grouped && digits.length > usualCardDigits(digits) ? cardPart(written, usualCardDigits(digits)) : 0;
  if (usual > 0) return usual;
  if (whole && isCardNumber(written)) return written.length;
  return grouped ? cardPart(written) : 0;
}

/**
 * The longest part of `written` from its start, up to a blank, in groups of four or more digits (CARD_GROUPS), that is a
 * card number, of `length` digits if given; 0 if none.
 */
function cardPart(written: string, length?: number): number {
  // Parts shorter than 13 characters hold fewer than 13 digits; a part ends at a blank, as one before `-` and a digit
  // would be run into a dashed number (`4948469 1996-04` of `… 1996-04-21`).
  for (let end = written.length; end >= 13; end = written.lastIndexOf(' ', end - 1)) {
    const part = written.slice(0, end);
    if (CARD_GROUPS.test(part) && (length === undefined || part.replace(CARD_SEPARATORS, '').length === length) && isCardNumber(part)) return end;
  }
  return 0;
}

/** CARD_EXPIRY at one place: the expiry glued on after a card number. */
const CARD_EXPIRY_AT = new RegExp(CARD_EXPIRY, 'y');

/** Where a card number ending at `end` ends with the expiry glued on after it (`/1227`, ` 12/27`), if any: `end` when none. */
function withExpiry(text: string, end: number): number {
  CARD_EXPIRY_AT.lastIndex = end;
  return CARD_EXPIRY_AT.test(text) ? CARD_EXPIRY_AT.lastIndex : end;
}

/**
 * Card numbers (CARD_RE, Luhn, an issuer's range), each with the expiry glued on after it (CARD_EXPIRY); `from`: where
 * the scan starts (`numberScanStart`).
 */
function cardHits(text: string, from: number): Hit[] {
  const hits: Hit[] = [];
  // Where a card was looked for after a number that was none: a match starting there counts only in groups of four.
  let after = -1;
  CARD_RE.lastIndex = from;
  for (let m = CARD_RE.exec(text); m !== null; m = CARD_RE.exec(text)) {
    let length = cardLength(m[0], m.index !== after);
    if (length > 0 && namedNotCard(text, m.index, m[0].slice(0, length))) length = 0;
    if (length > 0) {
      const end = withExpiry(text, m.index + length);
      hits.push({ type: 'CARD', start: m.index, end, placeholder: '[CARD]' });
      // A card shortened: the number after it may be another (`5500 0000 0000 0004`).
      if (length < m[0].length || end > CARD_RE.lastIndex) CARD_RE.lastIndex = end;
    } else {
      // After a number that is no card, a card may start at a later group of four or more digits in an issuer's range,
      // after a blank (a year or a count before it: `2026 4111 1111 1111 1111`, `Karte 2 4111 …`).
      const gap = m[0].search(/ [2-6]\d{3}/);
      if (gap > 0) {
        after = m.index + gap + 1;
        CARD_RE.lastIndex = after;
      }
    }
  }
  const dotted = dottedCardHits(text, from);
  return dotted.length === 0 ? hits : [...hits, ...dotted].sort((a, b) => a.start - b.start);
}

/**
 * A card number in four groups of four split by dots (`4111.1111.1111.1111`), as some write it: no amount, date or
 * address is written so. Still a card by its issuer's range and Luhn, and not named as another number.
 */
const DOTTED_CARD_RE = /(?<![\d.,])\d{4}(?:\.\d{4}){3}(?![.,]?\d)/g;

function dottedCardHits(text: string, from: number): Hit[] {
  if (!text.includes('.', from)) return [];
  return allMatches(DOTTED_CARD_RE, text, from)
    .filter((m) => isCardNumber(m[0].replace(/\./g, ' ')) && !namedNotCard(text, m.index, m[0]))
    .map((m) => ({ type: 'CARD', start: m.index, end: m.index + m[0].length, placeholder: '[CARD]' }));
}

/** A domain of labels (letters of any script, digits, `-`) and a top-level domain of 2 to 24 letters. */
const EMAIL_DOMAIN = /^[\p{L}\p{M}0-9-]+(?:\.[\p{L}\p{M}0-9-]+)*\.\p{L}{2,24}$/u;

function emailHits(text: string): Hit[] {
  // Scan from each '@' outwards instead of a regex: linear even on a megabyte of address characters.
  const hits: Hit[] = [];
  let at = text.indexOf('@');
  let lastEnd = 0;
  while (at !== -1) {
    // `max.mustermann @ example.de`, `max.mustermann@ web.de`: a blank on one side of the '@' or each, as some write an
    // address to keep it from robots or mistype it (then with a known top-level domain).
    const gapBefore = text.charCodeAt(at - 1) === 32 ? 1 : 0;
    const gapAfter = text.charCodeAt(at + 1) === 32 ? 1 : 0;
    const localEnd = at - gapBefore;
    const domainStart = at + 1 + gapAfter;
    let s = localEnd;
    while (s > lastEnd && localEnd - s < 64 && isLocalChar(text.charCodeAt(s - 1))) s -= 1;
    // A dot or an apostrophe opens no address: `'max@example.de'` is quoted.
    while (s < localEnd && (text[s] === '.' || text[s] === "'")) s += 1;
    let e = domainStart;
    while (e < text.length && e - domainStart < 254 && isDomainChar(text.charCodeAt(e))) e += 1;
    while (e > domainStart && (text[e - 1] === '.' || text[e - 1] === '-')) e -= 1;
    const domain = text.slice(domainStart, e);
    if (s < localEnd && EMAIL_DOMAIN.test(domain) && (gapBefore + gapAfter === 0 || SPELLED_TLD.test(domain))) {
      hits.push({ type: 'EMAIL', start: s, end: e, placeholder: '[EMAIL]' });
      lastEnd = e;
    }
    at = text.indexOf('@', Math.max(at + 1, e));
  }
  const writtenOut = WRITTEN_OUT.test(text);
  const obfuscated = writtenOut && OBFUSCATED_AT.test(text) ? obfuscatedEmailHits(text, OBFUSCATED_EMAIL) : [];
  const spelled = writtenOut && SPELLED_DOT.test(text) ? obfuscatedEmailHits(text, SPELLED_EMAIL) : [];
  const spelledAt = writtenOut && SPELLED_AT.test(text) ? spelledAtHits(text) : [];
  const more = [...obfuscated, ...spelled, ...spelledAt];
  return more.length === 0 ? hits : [...hits, ...more].sort((a, b) => a.start - b.start);
}

/** `(at)`, `[at]` or `{at}` written for '@', as people do to keep an address from spam robots. */
const OBFUSCATED_AT = /[([{]at[)\]}]/i;
/** A dot written in brackets: `(dot)`, `[dot]`, `(punkt)`, `[.]`, `(.)`. */
const BRACKETED_DOT = String.raw`[ \t]?[([{](?:dot|punkt|\.)[)\]}][ \t]?`;
/**
 * `max.mustermann(at)example.de`, `anna [at] example [dot] com`, `max[at]example[.]de`: the local part, the `at`, the
 * domain with `.` or a bracketed dot.
 */
const OBFUSCATED_EMAIL = new RegExp(
  String.raw`(?<![\w.+-])[\w.%+-]{1,64}[ \t]?[([{]at[)\]}][ \t]?[A-Za-z0-9-]{1,63}(?:(?:\.|${BRACKETED_DOT})[A-Za-z0-9-]{1,63}){0,4}?(?:\.|${BRACKETED_DOT})[A-Za-z]{2,24}(?![\w-])`,
  'gi',
);
/** ` dot ` or ` punkt ` between words: where an address spelled out in words may be. */
const SPELLED_DOT = /[ \t](?:dot|punkt)[ \t]/i;
/** Top-level domains an address spelled out in words may end with: a known one, so that prose (`at home dot`) stays. */
const SPELLED_TLDS = 'com|net|org|info|biz|de|at|ch|li|lu|nl|be|fr|it|es|uk|eu|io|us|ca|au|pl|dk|se|no|fi|pt|cz|ie';
/** Words after ` at ` that start prose, not a domain (`invested at the dot com peak`). */
const NOT_DOMAIN = 'the|a|an|this|that|my|our|your|his|her|their|its|der|die|das|dem|den|des|ein|eine|einem|einer|meiner|meinem|unserer|unserem';
/**
 * An address spelled out in words: `max.mustermann at example dot com`, `max dot mustermann at example punkt de`,
 * `anna at mail dot example dot co dot uk`; ` dot ` at least once in the domain, which ends with a known top-level domain.
 */
const SPELLED_EMAIL = new RegExp(
  String.raw`(?<![\w.%+-])(?:[\w%+-]{1,64}[ \t](?:dot|punkt)[ \t]){0,2}[\w.%+-]{1,64}[ \t]at[ \t](?!(?:${NOT_DOMAIN})[ \t])(?:[A-Za-z0-9-]{1,63}[ \t](?:dot|punkt)[ \t]){1,4}(?:${SPELLED_TLDS})(?![\w-])`,
  'gi',
);

/**
 * Top-level domains a domain written with its dots may end with after a spaced '@' or ` at `: the common ones and
 * those of banks, insurers and mail providers (`anna @ example.bank`, `max.muster at broker.online`).
 */
const WRITTEN_TLDS = `${SPELLED_TLDS}|bank|versicherung|insurance|online|email|finance|money|digital|cloud|shop|app|dev|tech|site|website|me|tv|berlin|hamburg|koeln|bayern|wien|swiss`;
/** A domain ending with a known top-level domain: one after a spaced '@' (`ab @ cd.Netto` is no address). */
const SPELLED_TLD = new RegExp(String.raw`\.(?:${WRITTEN_TLDS})$`, 'i');
/** ` at ` between words: where an address with `at` written for '@' may be. */
const SPELLED_AT = /[ \t]at[ \t]/i;
/** OBFUSCATED_AT, SPELLED_DOT or SPELLED_AT, in one scan: most texts hold none of them, and three scans cost more. */
const WRITTEN_OUT = /[([{]at[)\]}]|[ \t](?:dot|punkt|at)[ \t]/i;
/**
 * `at` written for '@' before a domain written with its dots (`anna.schmidt at gmx.de`): the local part (group 1) and a
 * domain with a known top-level domain, not a web site (`www.`).
 */
const SPELLED_AT_EMAIL = new RegExp(
  String.raw`(?<![\w.%+-])([A-Za-z][\w.%+-]{0,63})[ \t]{1,3}at[ \t]{1,3}(?!www\.)([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,3}\.(?:${WRITTEN_TLDS}))(?![\w-]|\.[A-Za-z0-9])`,
  'gi',
);
/** A local part that reads as an address's, not a word of prose: a dot, `_`, `-`, `+` or a digit after its first letter (`anna.schmidt`, `max1985`). */
const ADDRESS_LIKE_LOCAL = /^.[\w.%+-]*[._+\d-]/;
/** The domain of a mail provider (`gmx.de`, `web.de`, `gmail.com`, `t-online.de`): after it a plain word before `at` is an address's local part. */
const MAIL_PROVIDER_DOMAIN =
  /^(?:gmx|web|gmail|googlemail|yahoo|ymail|outlook|hotmail|live|msn|icloud|me|mac|t-online|freenet|posteo|mailbox|aol|protonmail|proton|arcor|mail|email|bluewin)\.(?:de|net|com|at|ch|me|org|eu|fr|it|es|co\.uk)$/i;
/** Words of prose before `at` (`I work at web.de`, `we met at gmx.de`, `problems at gmail.com`): no local part even before a mail provider. */
const PROSE_BEFORE_AT = new Set(
  'am is are was were be been being me us him her them it you we they i he she work works worked working met meet meeting meetings look looking looked sign signed log logged registered register reach reached contact contacted write wrote e-mail email emails mail mails message messages account accounts here there online only just also not or and but so now still then users customers people problems issues errors staff team support service friends colleagues kunden login'.split(' '),
);

/**
 * What names the word after it as an address (`E-Mail: anna at firma.de`, `schreiben Sie an anna at firma.de`,
 * `Antwort an max at example.com`, `write to anna at example.com`, `contact max at example.com`), ending with the
 * blanks before that word. A plain word before ` at ` and a domain is an address's local part after such a cue, before
 * any domain; without one it is taken for prose (`look at example.com`, `login at bank.de`, `Anna at bank.de`). A list
 * of first names would catch `anna at firma.de` without a cue too, but many first names are words (`Mark`, `Will`,
 * `Max`, `Rose`) and the project keeps no such list, while a cue says it outright.
 */
const ADDRESS_CUE = new RegExp(
  String.raw`(?<![\p{L}\p{N}-])(?:(?:e-?mail|mail)(?:[ -]?(?:adresse|address))?[ \t]*:|(?:adresse|address|kontakt|contact)[ \t]*:|(?:e-?mail|mail|nachricht|antwort|rückmeldung|kopie)[ \t]+an|(?:schreiben|schreibt|schreibe|schreib|antworten|antwortet|antworte|senden|sendet|schicken|schickt|wenden)(?:[ \t]+(?:sie|du|ihr))?(?:[ \t]+(?:sich|bitte|mir|uns)){0,2}[ \t]+an|(?:write|reply|send|forward|e-?mail|mail)(?:[ \t]+(?:it|them|this|me|us))?[ \t]+to|contact|kontaktieren[ \t]+sie|reach)[ \t]+$`,
  'iu',
);

/** A SPELLED_AT_EMAIL match `m` of `text` whose local part is a plain word (two letters or more, no word of prose, not after an apostrophe). */
function isPlainLocal(text: string, m: RegExpExecArray): boolean {
  return m[1].length >= 2 && /^[A-Za-z]+$/.test(m[1]) && !PROSE_BEFORE_AT.has(m[1].toLowerCase()) && !/['’]/.test(text.charAt(m.index - 1));
}

/** Whether a plain local part (`isPlainLocal`) is an address's: before a mail provider's domain (`anna at gmx.de`) or after ADDRESS_CUE. */
function isPlainAddress(text: string, m: RegExpExecArray): boolean {
  return isPlainLocal(text, m) && (MAIL_PROVIDER_DOMAIN.test(m[2]) || ADDRESS_CUE.test(text.slice(Math.max(0, m.index - 48), m.index)));
}

/**
 * Addresses with `at` for '@' (SPELLED_AT_EMAIL) whose local part reads as an address's, or is a plain word (two
 * letters or more, no word of prose, not after an apostrophe) before a mail provider's domain (`anna at gmx.de`) or
 * after a cue (`Mail an anna at firma.de`): `we met at bank.de`, `by e-mail at bank.de` and `I'm at gmx.de` stay.
 */
function spelledAtHits(text: string): Hit[] {
  return allMatches(SPELLED_AT_EMAIL, text)
    .filter((m) => (ADDRESS_LIKE_LOCAL.test(m[1]) && m[1].toLowerCase() !== 'e-mail') || isPlainAddress(text, m))
    .map((m): Hit => ({ type: 'EMAIL', start: m.index, end: m.index + m[0].length, placeholder: '[EMAIL]' }));
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
/** What `redactPlain` marks a claimed character with: a built-in detector's hit, or a user pattern's. */
const CLAIM = 1;
const USER_CLAIM = 2;

/** The runs of `hit` that no earlier hit claimed and that hold a letter or digit, each as a hit of its own. */
function unclaimedParts(text: string, hit: Hit, claimed: Uint8Array): Hit[] {
  const parts: Hit[] = [];
  let start = -1;
  for (let i = hit.start; i <= hit.end; i += 1) {
    const free = i < hit.end && claimed[i] === 0;
    if (free && start < 0) start = i;
    else if (!free && start >= 0) {
      if (LETTER_OR_DIGIT.test(text.slice(start, i))) parts.push({ ...hit, start, end: i });
      start = -1;
    }
  }
  return parts;
}

/** The matches of an obfuscated address pattern (`OBFUSCATED_EMAIL`, `SPELLED_EMAIL`) as hits. */
function obfuscatedEmailHits(text: string, re: RegExp): Hit[] {
  return allMatches(re, text).map((m): Hit => ({ type: 'EMAIL', start: m.index, end: m.index + m[0].length, placeholder: '[EMAIL]' }));
}

/** An id or reference word right before a number (`Transaktions-ID`, `Trade ID:`, `Ref.-Nr.`), over `:`, `#` and blanks. */
const ID_BEFORE = /(?<![\p{L}\p{N}])(?:[\p{L}]{1,30}-)?(?:ID|Id|id)[ \t]{0,3}[:#]?[ \t]{0,3}$/u;

/**
 * Whether the keyword before a phone-shaped number at `at` names it as something else (`Order`, `Stückzahl`), or
 * an id does (`Transaktions-ID 01234567890`).
 */
const namedNotPhone = (text: string, at: number) => NOT_PHONE_KEYWORDS.has(keywordBefore(text, at)) || ID_BEFORE.test(text.slice(Math.max(0, at - 40), at));

/** A digit and a decimal mark right before a number: its fraction (`0.00123456 BTC`), not a phone. */
const DECIMAL_BEFORE = /\d[.,]$/;

/** How often `ch` stands in `s`. */
function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n += 1;
  return n;
}

/** PHONE_RE at one place only: whether a phone number starts there. */
const PHONE_AT = new RegExp(PHONE_RE.source, 'y');
/** The fewest and most digits of a phone number without a keyword; `national`: the fewest PHONE_RE finds after a 0 (area code and number). */
const PHONE_DIGITS = { min: 7, national: 8, max: 15 };

/** US_PHONE_RE at one place only. */
const US_PHONE_AT = new RegExp(US_PHONE_RE.source, 'iy');
/** The start of a national number (`0171`, `(030)`) or of one with `00` and a country code (`0049`): not a group `0000`. */
const NATIONAL_START = /^\(?0{1,2}[1-9]/;

/**
 * Whether a phone number of its own starts at `at`: a North American one, or a national or international one
 * (PHONE_RE, `0049` or a 0 and an area code) with 8-15 digits that runs into no date, amount or time after it
 * (endBeforeAmount: `0958 01.01.1990 0:10` is a group and a date), up to a number after it when `further`.
 */
function phoneStartsAt(text: string, at: number, further: boolean): boolean {
  PHONE_AT.lastIndex = at;
  const m = NATIONAL_START.test(text.slice(at, at + 4)) ? PHONE_AT.exec(text) : null;
  if (m !== null) {
    // It may end before a third number (`030-123456 0049 151 1234567 0151 1234567`; not looked for further), or a date or
    // an amount.
    const third = further ? secondPhoneAt(text, at, at + m[0].length, false) : -1;
    const end = Math.min(third < 0 ? at + m[0].length : third - 1, endBeforeAmount(text, at, at + m[0].length, 0));
    const digits = text.slice(at, end).replace(/\D/g, '').length;
    if (digits >= PHONE_DIGITS.national && digits <= PHONE_DIGITS.max && !AMOUNT_AFTER.test(text.slice(end, end + 12))) return true;
  }
  US_PHONE_AT.lastIndex = at;
  return US_PHONE_AT.test(text);
}

/**
 * Where a second number starts in a phone-shaped span of `text`, `start` to `end`: after a blank, at a phone number of
 * its own (phoneStartsAt), with a phone's digits before it (`030 1234567 0170 1234567`, two numbers; `Referenz
 * 000000000 040-4767598`, a reference and a phone; `+43 1 2345678 (212) 555-0147`). PHONE_RE reads them as one number,
 * up to its digits (`030 1234567 0170`: ` 1234567` was left) or over them (refused, and the first number with it). -1
 * where none starts: `+49 0171 2345678`, `0171 234 05 67` are one number. `min`: the digits before the blank (fewer
 * after a number a keyword names, a WKN's six).
 */
function secondPhoneAt(text: string, start: number, end: number, further = true, min = PHONE_DIGITS.min): number {
  let digits = 0;
  for (let i = start; i < end; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += 1;
    else if (c === 32 && digits >= min && phoneStartsAt(text, i + 1, further)) return i + 1;
  }
  return -1;
}

/**
 * Where a phone-shaped span of `text`, `start` to `end`, ends when a date, an amount or a time follows the phone number
 * with a blank between: before the first blank, after `min` digits or more, that a date or a month follows (`030 1234567
 * 01.01.1990`, `0171 2345678 12/2025`), or before the last one, after as many, when the group after it starts an amount or a time (AMOUNT_AFTER
 * follows: `+43 1 2345678 10,0 %`, `0171 2345678 10:30`) or it is a quantity or an amount of up to four digits
 * (QUANTITY_AFTER: `0171 2345678 100 Stück`); `end` where neither.
 */
function endBeforeAmount(text: string, start: number, end: number, min = PHONE_DIGITS.min): number {
  let digits = 0;
  let last = -1;
  for (let i = start; i < end; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += 1;
    else if (c === 32 && digits >= min) {
      const after = text.slice(i + 1, i + 12);
      if (DATE_FIRST.test(after) || MONTH_YEAR_FIRST.test(after)) return i;
      last = i;
    }
  }
  return last >= 0 && (AMOUNT_AFTER.test(text.slice(end, end + 12)) || QUANTITY_AFTER.test(text.slice(last, end + 12))) ? last : end;
}

/**
 * Where a phone-shaped span of `text`, `start` to `end`, of more digits than a phone number has ends: at its last blank
 * with 8-15 digits before it (a phone number and a number after it: `+44 20 0000 0000 12345 Aufträge`, `0171 2345678
 * 12345`), so that the phone number is masked and the number after it looked at on its own; `end` when it has no more
 * than 15 digits, or no such blank.
 */
function endWithinLength(text: string, start: number, end: number): number {
  let digits = 0;
  let cut = -1;
  for (let i = start; i < end; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += 1;
    else if (c === 32 && digits >= PHONE_DIGITS.national && digits <= PHONE_DIGITS.max) cut = i;
  }
  return digits > PHONE_DIGITS.max && cut >= 0 ? cut : end;
}

/** A PHONE hit of the keyed rule, ended before a second number in it (`Tel. 030 1234567 0170 1234567`), which phoneHits finds. */
function beforeSecondPhone(text: string, hit: Hit): Hit {
  const second = hit.type === 'PHONE' ? secondPhoneAt(text, hit.start, hit.end) : -1;
  return second < 0 ? hit : { ...hit, end: withoutTrailingBlanks(text, hit.start, second - 1) };
}

/**
 * `end` moved back over the blanks before it, down to `start`: a number ended at the last of a run of blanks
 * (`0171  1234567  100 Stück`) keeps the blanks before it out of its mask.
 */
function withoutTrailingBlanks(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && text.charCodeAt(e - 1) === 32) e -= 1;
  return e;
}

/** Phone numbers without a keyword (PHONE_RE, US_PHONE_RE, DASHED_AREA_PHONE_RE); `from`: where the scans start (`numberScanStart`). */
function phoneHits(text: string, from: number): Hit[] {
  const hits: Hit[] = [];
  PHONE_RE.lastIndex = from;
  for (let m = PHONE_RE.exec(text); m !== null; m = PHONE_RE.exec(text)) {
    const date = DATE_FIRST.exec(m[0]);
    if (date) {
      // A date and what follows it (a time, an amount): look again after the date.
      PHONE_RE.lastIndex = m.index + date[0].length;
      continue;
    }
    // Two numbers with a blank between, or a phone number and a date or an amount: it ends before the second, which is
    // looked at next.
    const second = secondPhoneAt(text, m.index, m.index + m[0].length);
    let end = Math.min(second < 0 ? m.index + m[0].length : second - 1, endBeforeAmount(text, m.index, m.index + m[0].length));
    end = withoutTrailingBlanks(text, m.index, endWithinLength(text, m.index, end));
    if (end < m.index + m[0].length) PHONE_RE.lastIndex = end + 1;
    const written = text.slice(m.index, end);
    if (written[0] === '0' && DECIMAL_BEFORE.test(text.slice(Math.max(0, m.index - 2), m.index))) {
      // The fraction of a decimal number: look again after it (`USD 1,234.05 069-195868`).
      const blank = written.indexOf(' ');
      if (blank > 0) PHONE_RE.lastIndex = m.index + blank + 1;
      continue;
    }
    const digits = written.replace(/\D/g, '');
    if (namedNotPhone(text, m.index)) {
      // The keyword names the first number only: a phone number of its own after it is looked at on its own, also after
      // a named number of six digits (`WKN 000000 030-000000`; a second number elsewhere needs 7 before it).
      const next = secondPhoneAt(text, m.index, m.index + written.length, false, 6);
      if (next > 0) PHONE_RE.lastIndex = next;
      continue;
    }
    if (digits.length < PHONE_DIGITS.min || digits.length > PHONE_DIGITS.max || DATE_LIKE.test(written)) continue;
    // `1.000.000.000 EUR`: the groups after the first of an amount in thousands start with a 0 as a number does.
    const lead = written[0] === '0' ? LEADING_GROUP.exec(text.slice(Math.max(0, m.index - 6), m.index)) : null;
    if (lead && THOUSANDS.test(lead[0] + written)) continue;
    // `(` only with its `)`: `(030) 123` keeps both inside the mask, a `(` whose `)` comes after the number stays
    // outside (`(0171 2345678)`, `(+49 (0)171 2345678)`).
    const start = written.startsWith('(') && count(written, '(') > count(written, ')') ? m.index + 1 : m.index;
    hits.push({ type: 'PHONE', start, end: m.index + written.length, placeholder: '[PHONE]' });
  }
  const more = [...allMatches(US_PHONE_RE, text, from), ...allMatches(DASHED_AREA_PHONE_RE, text, from)]
    .filter((m) => !namedNotPhone(text, m.index))
    .map((m): Hit => ({ type: 'PHONE', start: m.index, end: m.index + m[0].length, placeholder: '[PHONE]' }));
  return more.length === 0 ? hits : [...hits, ...more].sort((a, b) => a.start - b.start);
}

function patternHits(text: string, p: RedactPattern): Hit[] {
  let re: RegExp;
  try {
    const src = typeof p.pattern === 'string' ? p.pattern : p.pattern.source;
    const flags = typeof p.pattern === 'string' ? `${p.flags ?? ''}g` : p.pattern.flags.includes('g') ? p.pattern.flags : `${p.pattern.flags}g`;
    re = new RegExp(src, flags);
  } catch (cause) {
    throw new CleanOptionsError(`redaction pattern for ${p.type} is not a valid regular expression`, { cause });
  }
  const hits: Hit[] = [];
  for (const m of text.matchAll(re)) {
    if (m[0].length === 0) continue;
    hits.push({ type: p.type, start: m.index, end: m.index + m[0].length, placeholder: p.placeholder ?? `[${p.type}]` });
  }
  return hits;
}

/**
 * An en or em dash, which word processors put for a hyphen (`+49–30–1234567`, `DE89–3704–…`), or Unicode's hyphen and
 * non-breaking hyphen (U+2010, U+2011: `DE89\u20113704…`).
 */
const DASH_CLASS = '[\\u2010\\u2011–—]';
const DASH = new RegExp(DASH_CLASS);
const DASHES = new RegExp(DASH_CLASS, 'g');
/** Such a dash next to a digit: only then is there a number to read it in (prose with dashes is left as it is). */
const DASH_AT_DIGIT = new RegExp(String.raw`\d[ \t]?${DASH_CLASS}|${DASH_CLASS}[ \t]?\d`);

/**
 * The text with en and em dashes read as hyphens, for the detectors of numbers, which know only `-`: each dash is
 * one UTF-16 unit as `-` is, so their offsets hold in the text itself. A text without a dash, most of them, is
 * looked at once, for the dash alone (the cheaper scan).
 */
function hyphenated(text: string): string {
  return DASH.test(text) && DASH_AT_DIGIT.test(text) ? text.replace(DASHES, '-') : text;
}

/**
 * The text with tabs read as blanks, for the detectors of IBANs, cards and phone numbers, which split groups by blanks
 * (`DE89\t3704\t…`, a form aligned by tabs): one UTF-16 unit for one, so offsets hold. A text without a tab is as it is.
 */
function blankTabs(text: string): string {
  return text.includes('\t') ? text.replaceAll('\t', ' ') : text;
}

/**
 * The text with the spans of `hits` (in order) blanked out (U+0000: no digit, letter, blank or separator, one for each
 * character, so that offsets hold), for the detectors of numbers after those of IBANs and cards: a card or phone number
 * right after an IBAN or a card (`… 0130 00 4111 1111 1111 1111`, `+49 171 2345678 4111 1111 …`) would be read as run
 * into its groups, dropped for overlapping it, and found only when the masked text was masked again.
 */
function withoutSpans(text: string, hits: readonly Hit[]): string {
  if (hits.length === 0) return text;
  let out = '';
  let pos = 0;
  for (const h of hits) {
    out += text.slice(pos, h.start) + '\u0000'.repeat(h.end - h.start);
    pos = h.end;
  }
  return out + text.slice(pos);
}

/** The keyed rules whose detector is on: card and phone numbers named by a keyword go with `card` and `phone`, the rest with `ids`. */
function keyedRulesOn(o: typeof DEFAULTS): readonly KeyedRule[] {
  return o.ids && o.card && o.phone && o.iban ? KEYED_RULES : KEYED_RULES.filter((r) => o[r.detector]);
}

// Scratch of redactPii (synchronous, so never shared): which characters a hit already claimed. Reused up to
// SCRATCH_MAX characters, because allocating a typed array per email costs more than the masking itself.
const SCRATCH_MAX = 1 << 16;
let scratch = new Uint8Array(1024);

function claimedScratch(length: number): Uint8Array {
  if (length > SCRATCH_MAX) return new Uint8Array(length);
  if (scratch.length < length) scratch = new Uint8Array(SCRATCH_MAX);
  return scratch.fill(0, 0, length);
}

/**
 * Masks IBANs (mod-97 valid, or of their country's exact length: a typo), card numbers (Luhn valid, in
 * an issuer's range), email addresses, numbers named by a keyword
 * (`ids`), phone numbers, configured patterns and, when asked, marked names and street addresses
 * (`names`) with typed placeholders. Overlaps go to the earlier
 * detector: user patterns first, then that order. Letters written decomposed come back composed
 * (`composeDiacritics`), no-break spaces as spaces and soft hyphens and zero-width characters gone (`plainSpaces`); `redactions`
 * give each placeholder's place in the returned text.
 */
export function redactPii(input: string, options: RedactOptions = {}): RedactResult {
  // The detectors are written for composed letters (`ü`, not `u` and U+0308) and plain spaces: stored text and
  // subjects reach here as sent, with no-break spaces, soft hyphens and zero-width characters that `cleanEmail`
  // takes out. Those go first, as in `cleanEmail`: a combining grapheme joiner keeps a letter from composing.
  return redactPlain(composeDiacritics(plainSpaces(input)), options);
}

/**
 * The most characters before its first digit at which a match of the number patterns starts (`DE89`, `(+49`, `bc1`):
 * IBAN_RE, CARD_RE, PHONE_RE, US_PHONE_RE, DASHED_AREA_PHONE_RE, WALLET_RE and the keyed numbers' VALUE_START.
 */
const NUMBER_LEAD = 3;
const DIGIT = /\d/g;

/**
 * Where the scans of the number patterns start in `text`: NUMBER_LEAD before its first digit, since none matches before
 * (half of a demo email's text stands before its first digit); -1 when it has no digit. Masking blanks spans out
 * (`withoutSpans`) and reads dashes as `-` (`hyphenated`), which leaves no digit earlier, so it holds for those texts too.
 */
function numberScanStart(text: string): number {
  DIGIT.lastIndex = 0;
  return DIGIT.test(text) ? Math.max(0, DIGIT.lastIndex - 1 - NUMBER_LEAD) : -1;
}

/**
 * `redactPii` for a text in which `plainSpaces` and `composeDiacritics` change nothing, such as `cleanEmail`'s text
 * (`normaliseText` made it so): the two scans that would find nothing to change are skipped.
 */
export function redactPlain(text: string, options: RedactOptions = {}): RedactResult {
  let o = DEFAULTS;
  if (Object.keys(options).length > 0) {
    const parsed = RedactOptionsSchema.safeParse(options);
    if (!parsed.success) throw new CleanOptionsError(`invalid redaction options: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
    o = parsed.data;
  }
  // Most texts have no digits or no '@': skip the detectors that cannot match.
  const from = numberScanStart(text);
  const digits = from >= 0;
  // Found first: a secret may be a word without digits (`Kennwort: sommerwind`).
  const credentials = o.credentials ? credentialHits(text) : [];
  if (!digits && credentials.length === 0 && !o.names && o.patterns.length === 0 && !text.includes('@') && !WRITTEN_OUT.test(text)) return { text, redactions: [] };
  const addresses = o.names && digits ? addressHits(text) : [];
  const numbers = digits ? hyphenated(text) : text;
  const blanked = digits ? blankTabs(numbers) : numbers;
  const ibans = digits ? (o.iban ? ibanHits(blanked, from) : keptIbans(blanked, from)) : [];
  const cards = o.card && digits ? cardHits(withoutSpans(blanked, ibans), from) : [];
  const taken = cards.length === 0 ? ibans : [...ibans, ...cards].sort((a, b) => a.start - b.start);
  const others = withoutSpans(numbers, taken);
  const groups: Hit[][] = [
    ...o.patterns.map((p) => patternHits(text, p)),
    ibans,
    cards,
    o.email ? emailHits(text) : [],
    o.ids && digits ? walletHits(text, from) : [],
    credentials,
    digits && (o.ids || o.card || o.phone || o.iban) ? keyedHits(others, keyedRulesOn(o), from).map((h) => beforeSecondPhone(others, h)) : [],
    o.ids && digits ? documentHits(others) : [],
    o.phone && digits ? phoneHits(blanked === numbers ? others : withoutSpans(blanked, taken), from) : [],
    // Addresses before names: a name that runs into the street after it (`Herr MEYER Musterstraße 12`) ends before it.
    addresses,
    o.names ? nameHits(text, o.knownNames.map(composeDiacritics), addresses) : [],
  ];
  if (groups.every((g) => g.length === 0)) return { text, redactions: [] };
  // Claim characters group by group; a later hit that overlaps a claimed span is dropped, but for a name's words before
  // it and, over a user pattern's match, what is left of the hit.
  const claimed = claimedScratch(text.length);
  const chosen: Hit[] = [];
  // A span a user pattern claimed is marked USER_CLAIM, any other CLAIM.
  const claim = (h: Hit, mark: number) => {
    claimed.fill(mark, h.start, h.end);
    if (h.keep !== true) chosen.push(h);
  };
  for (let g = 0; g < groups.length; g += 1) {
    const mark = g < o.patterns.length ? USER_CLAIM : CLAIM;
    for (const hit of groups[g]) {
      let firstClaimed = -1;
      for (let i = hit.start; i < hit.end && firstClaimed < 0; i += 1) if (claimed[i] !== 0) firstClaimed = i;
      if (firstClaimed < 0) {
        claim(hit, mark);
        continue;
      }
      let overUser = false;
      for (let i = firstClaimed; i < hit.end && !overUser; i += 1) overUser = claimed[i] === USER_CLAIM;
      if (hit.type === 'NAME') {
        // A name keeps its words before a claimed span (the street it ran into).
        const kept = text.slice(hit.start, firstClaimed).trimEnd();
        if (/\p{L}$/u.test(kept)) claim({ ...hit, end: hit.start + kept.length }, mark);
      } else if (overUser) {
        // Over a user pattern's match, a hit keeps what no earlier hit took (`Kundennr. 1234567890` under a pattern
        // `\d{6}`: its `7890`), so that nothing of what it found stays as it was; over a built-in one's, it is dropped.
        for (const part of unclaimedParts(text, hit, claimed)) claim(part, mark);
      }
    }
  }
  chosen.sort((a, b) => a.start - b.start);
  let out = '';
  let pos = 0;
  const redactions: Redaction[] = [];
  for (const h of chosen) {
    out += text.slice(pos, h.start);
    redactions.push({ type: h.type, start: out.length, end: out.length + h.placeholder.length });
    out += h.placeholder;
    pos = h.end;
  }
  out += text.slice(pos);
  return { text: out, redactions };
}

/**
 * A line as `redactPlain` (default options) leaves it, for the cleaning rules that measure a line as masking leaves
 * it (a signature's line length, device lines, reply headers), so that cleaning its own masked output reads the line
 * alike. Remembered for the lines last asked, up to MEMO_CHARS characters of them: the same lines come back scan
 * after scan and pass after pass, and device lines (`Von meinem iPhone gesendet`) from email to email.
 */
export function maskedLine(line: string): string {
  let masked = maskedLines.get(line);
  if (masked === undefined) {
    masked = redactPlain(line).text;
    if (memoChars + line.length > MEMO_CHARS) {
      maskedLines.clear();
      memoChars = 0;
    }
    maskedLines.set(line, masked);
    memoChars += line.length;
  }
  return masked;
}
const maskedLines = new Map<string, string>();
let memoChars = 0;
const MEMO_CHARS = 1 << 20;
