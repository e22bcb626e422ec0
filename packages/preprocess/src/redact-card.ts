// The card number detector of `redactPlain` (`[CARD]`), and the Luhn check it runs.

import { CARD_EXPIRY, EXPIRY_MONTH_YEAR, keywordBefore } from './keyed-numbers.js';
import { passesLuhn } from './luhn.js';
import { allMatches, type Hit } from './redact-hit.js';
import { namedNotPhone, SHORT_NUMBER_KEYWORDS } from './redact-phone.js';

/** Luhn check on a string of digits. */
export function isValidLuhn(digits: string): boolean {
  return /^\d{12,19}$/.test(digits) && passesLuhn(digits);
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
export function cardHits(text: string, from: number): Hit[] {
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
  const separated = separatedCardHits(text, from);
  return separated.length === 0 ? hits : [...hits, ...separated].sort((a, b) => a.start - b.start);
}

/**
 * A card number written with other separators between its groups, the same one each time, as some write it: four
 * groups of four (`4111.1111.1111.1111`, `4111/1111/1111/1111`, `4111_1111_…`, `4111,1111,…`; a 19-digit card with a
 * fifth of one to three, Amex's 4-6-5), or split by runs of four to eight blanks (a tab read as one: `blankTabs`), as
 * Outlook writes `&nbsp;&nbsp;&nbsp;&nbsp;`. No amount, date, version or address is written so: a comma then a blank,
 * as in a list of amounts (`1.000, 2.000, 3.000 Euro`), splits no card. Not run on into more groups, nor after a digit
 * or one of those separators. Still a card by its issuer's range, length and Luhn, and not named as another number; an
 * expiry glued on after it goes into its mask (`4111/1111/1111/1111/1227`).
 */
const SEPARATED_CARD_RE = new RegExp(
  String.raw`\d{4}(?<![\d.,/_]\d{4})([./_,]| {4,8})(?:\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{6}\1\d{5})(?!\d|[.,_]\d|\1(?!${EXPIRY})\d)`,
  'g',
);
/** The separators SEPARATED_CARD_RE allows, for the checks that know blanks only. */
const OTHER_SEPARATORS = /[./_,]| {4,8}/g;

function separatedCardHits(text: string, from: number): Hit[] {
  return allMatches(SEPARATED_CARD_RE, text, from)
    .filter((m) => {
      const written = m[0].replace(OTHER_SEPARATORS, ' ');
      return isCardNumber(written) && !namedNotCard(text, m.index, written);
    })
    .map((m) => ({ type: 'CARD', start: m.index, end: withExpiry(text, m.index + m[0].length), placeholder: '[CARD]' }));
}
