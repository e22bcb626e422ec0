// The phone number detector of `redactPlain` (`[PHONE]`) for numbers without a keyword, and what it and the card detector
// take as no phone number (an order's, a count's, a date, an amount).

import { CURRENCY, keywordBefore } from './keyed-numbers.js';
import { allMatches, type Hit } from './redact-hit.js';

// A leading `(` belongs to the number (`(030) 123 4567`); a national number starts with a 0 and at least
// two more digits (an area code: `030`, `069`, `0171`; not `01/2024`), and not after digits and a `-` or `/`, where it
// is a later group of another number (`Rechnung 2026/01234567`, `Order 123-0456-7890`); groups split by one to eight
// blanks (HTML and aligned forms double them: `0171  1234567`; Outlook's `&nbsp;&nbsp;&nbsp;&nbsp;` arrives as four:
// `0171    1234567`; a tab counts as one, `blankTabs`), one other character, or a slash with blanks on one side or both
// (` / `, `030/ 1234567`, `030 /1234567`).
const PHONE_RE = /\(?(?:\+\d|(?<!\d[/-])\b0\d{2}\)?)(?:(?: {1,8}|[./-]| \/ |\/ | \/)?\(?\d\)?){4,15}\d\b/g;
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
/** The digits before a phone-shaped match and the separator after them (`1.` of `1.000.000.000`), blanks as PHONE_RE splits groups. */
const LEADING_GROUP = /\d{1,3}(?:\.| {1,8})$/;
/** A number grouped in thousands by dots or blanks (`1.000.000.000`, `5 000 000 000`): an amount, not a phone. */
const THOUSANDS = /^\d{1,3}(\.| {1,8})\d{3}(?:\1\d{3})*$/;
/**
 * An area code, a dash between blanks, then the number (`030 - 123 456 78`, `089 – 1234567`), as German letterheads
 * wrote it, also after a country code (`+49 160 - 9988 7766`, `+49 (0)30 - 1234 5678`, `0049 30 - 1234567`): six digits
 * or more after the dash, so that lists (`Konten 0815 - 0816 - 0817`) stay. An en dash is read as `-` before the
 * detectors run (`hyphenated`).
 */
const DASHED_AREA_PHONE_RE = /(?<![\w.,/+-])(?:0\d{2,5}|(?:\+|00)[1-9]\d{0,2} (?:\(0\) ?)?[1-9]\d{1,4}) - \d(?:[ /.]?\d){5,10}(?![\w]|[.,-]\d)/g;
/**
 * A national number whose 0 stands apart from the area code (`0 30 12 34 56 78`, `0 30 / 12 34 56 78`, `0 89 12345678`,
 * `0 40 / 123 456`, `(0 30) 1234567`, `(0 62 21) 48 77 32`: a bracketed area code in pairs, as DIN 5008 once wrote it), as PHONE_RE, which needs the 0 and the next two digits together, does not read
 * it: a lone 0, an area code of two to four digits not starting with 0, then the number in one to four groups. Not
 * after a digit and a blank or a word, and not before more of a number (`, 0 30 12 34 56 78 90` is a row of figures):
 * rows of counts and amounts stay. Checked for 8-12 digits and for what follows in `phoneHits`.
 */
const SPLIT_AREA_PHONE_RE = /(?<![\w.,/+-]|\d )(?:\(0 [1-9]\d(?: ?\d){0,2}\) ?|0 [1-9]\d{1,3}(?: ?\/ ?| ))[1-9]\d{1,7}(?: \d{2,4}){0,3}(?![\w]|[.,:/-]\d| ?\d)/g;
/** The fewest and most digits of a number of SPLIT_AREA_PHONE_RE: a German national number has 10 or 11, a few older ones fewer. */
const SPLIT_AREA_DIGITS = { min: 8, max: 12 };
/**
 * Keywords of NOT_PHONE_KEYWORDS that name a number far shorter than a card's (a count, a six-character WKN) or one with
 * letters (an ISIN): a card number written as cards are (CARD_AS_WRITTEN) after one (`5 Stück 4111 1111 1111 1111`) is
 * no count or WKN, and stays a card. Digits run together from that short number into another (`WKN 548940 2010-09-18`)
 * are not written so, and stay as they are.
 */
export const SHORT_NUMBER_KEYWORDS = new Set('stückzahl stück stk stk. anzahl menge quantity qty qty. isin wkn'.split(' '));
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

/** An id or reference word right before a number (`Transaktions-ID`, `Trade ID:`, `Ref.-Nr.`), over `:`, `#` and blanks. */
const ID_BEFORE = /(?<![\p{L}\p{N}])(?:[\p{L}]{1,30}-)?(?:ID|Id|id)[ \t]{0,3}[:#]?[ \t]{0,3}$/u;

/**
 * Whether the keyword before a phone-shaped number at `at` names it as something else (`Order`, `Stückzahl`), or
 * an id does (`Transaktions-ID 01234567890`).
 */
export const namedNotPhone = (text: string, at: number) => NOT_PHONE_KEYWORDS.has(keywordBefore(text, at)) || ID_BEFORE.test(text.slice(Math.max(0, at - 40), at));

/**
 * An IBAN's country code, check digits and groups (in any case, as the IBAN detector reads them), each run split by four
 * to eight blanks, right before a number: its later groups (`DE89    3704    0044    0532    0130    01`), which the IBAN
 * detector takes with a valid checksum only and otherwise leaves, are no phone number though runs of blanks may split
 * one (`0171    1234567`).
 */
const IBAN_HEAD_BEFORE = /(?<![\p{L}\p{N}])[A-Z]{2}\d{2}(?: {4,8}[0-9A-Z]{4}){0,7} {4,8}$/iu;
/** Characters before a number that IBAN_HEAD_BEFORE may take. */
const IBAN_HEAD_WINDOW = 100;
/** Whether the number at `at` follows four blanks or more: only then may an IBAN's head stand before it (IBAN_HEAD_BEFORE). */
const afterBlankRun = (text: string, at: number) => at >= 4 && text.startsWith('    ', at - 4);

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
    // Only at the last blank of a run: no number starts at a blank (`0171    1234567` asks once, not four times).
    else if (c === 32 && digits >= min && text.charCodeAt(i + 1) !== 32 && phoneStartsAt(text, i + 1, further)) return i + 1;
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
    else if (c === 32 && digits >= min && text.charCodeAt(i + 1) !== 32) {
      // The last blank of a run (the span ends with a digit): no date or month starts at a blank.
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

/** The fewest digits of a number a keyword names as a phone's (`Tel. 123 456`): before a date or a month after it, it ends. */
const KEYED_PHONE_MIN_DIGITS = 6;

/**
 * A PHONE hit of the keyed rule, ended before a second number in it (`Tel. 030 1234567 0170 1234567`), which phoneHits
 * finds, or before a date or a month after a blank (`Erreichbar unter 069-1643967 1/1990`: the keyed value reads a
 * slash as a separator, as in `0171/2345678`).
 */
export function beforeNextNumber(text: string, hit: Hit): Hit {
  if (hit.type !== 'PHONE') return hit;
  const second = secondPhoneAt(text, hit.start, hit.end);
  const end = Math.min(second < 0 ? hit.end : second - 1, endBeforeAmount(text, hit.start, hit.end, KEYED_PHONE_MIN_DIGITS));
  return end === hit.end ? hit : { ...hit, end: withoutTrailingBlanks(text, hit.start, end) };
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
export function phoneHits(text: string, from: number): Hit[] {
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
    if (afterBlankRun(text, m.index) && IBAN_HEAD_BEFORE.test(text.slice(Math.max(0, m.index - IBAN_HEAD_WINDOW), m.index))) continue;
    // `1.000.000.000 EUR`: the groups after the first of an amount in thousands start with a 0 as a number does.
    const lead = written[0] === '0' ? LEADING_GROUP.exec(text.slice(Math.max(0, m.index - 11), m.index)) : null;
    if (lead && THOUSANDS.test(lead[0] + written)) continue;
    // `(` only with its `)`: `(030) 123` keeps both inside the mask, a `(` whose `)` comes after the number stays
    // outside (`(0171 2345678)`, `(+49 (0)171 2345678)`).
    const start = written.startsWith('(') && count(written, '(') > count(written, ')') ? m.index + 1 : m.index;
    hits.push({ type: 'PHONE', start, end: m.index + written.length, placeholder: '[PHONE]' });
  }
  const more = [...allMatches(US_PHONE_RE, text, from), ...allMatches(DASHED_AREA_PHONE_RE, text, from), ...allMatches(SPLIT_AREA_PHONE_RE, text, from).filter((m) => splitAreaPhone(text, m))]
    .filter((m) => !namedNotPhone(text, m.index))
    .map((m): Hit => ({ type: 'PHONE', start: m.index, end: m.index + m[0].length, placeholder: '[PHONE]' }));
  return more.length === 0 ? hits : [...hits, ...more].sort((a, b) => a.start - b.start);
}

/**
 * Whether a match of SPLIT_AREA_PHONE_RE is a phone number: 8-12 digits, and no quantity or amount after it (`0 30 12 34
 * 56 78 100 Stück` is refused by the pattern; `0 40 / 123 456 EUR` here).
 */
function splitAreaPhone(text: string, m: RegExpExecArray): boolean {
  const digits = m[0].replace(/\D/g, '').length;
  const after = text.slice(m.index + m[0].length, m.index + m[0].length + 16);
  return digits >= SPLIT_AREA_DIGITS.min && digits <= SPLIT_AREA_DIGITS.max && !UNIT_AFTER.test(after);
}
/** A currency or unit right after a number: an amount or a quantity. */
const UNIT_AFTER = new RegExp(String.raw`^[ \t]?(?:${UNIT})`, 'i');
