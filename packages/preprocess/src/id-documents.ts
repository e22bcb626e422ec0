/**
 * Identity documents and social security numbers that a keyword names, for `redactPii`'s `ids` detector:
 * passport, identity card and driving licence numbers (`[ID_DOCUMENT]`) and German, US, UK, Austrian and Swiss
 * social security numbers (`[SOCIAL_SECURITY]`), their keywords in German, English, French and Italian; also UK
 * National Insurance numbers after `national insurance` or `NI number`, Irish PPS numbers after `PPS`/`PPSN` (both
 * `[SOCIAL_SECURITY]`) and an Eircode after its keyword (`[ADDRESS]`), whose values uk-ie-ids.ts gives. The keyword
 * stays; only the value is masked. One case-insensitive scan for the keywords (no `u` flag: it made the scan about 15
 * times slower), then the value right after one. Swiss AHV numbers without a keyword are swiss-ids.ts', UK and Irish
 * numbers by their shape and after `NINO` or `NI` (in capitals) uk-ie-ids.ts'.
 */
import { byFirstLetter } from './alternation.js';
import { CURRENCY } from './keyed-numbers.js';
import type { Hit } from './redact.js';
import { YEAR } from './patterns.js';
import { EIRCODE_VALUE, NINO_VALUE, PPS_VALUE } from './uk-ie-ids.js';

/**
 * `Nr.`, `No.`, `Nummer`, `number`, `#` or `ID` after a document's word (`Reisepass Nr.`, `Ausweis-ID`), and French and
 * Italian `n°`, `n.`, `numéro`, `numero` (`Passaporto n.`, `passeport n°`).
 */
const NUMBER_WORD = String.raw`(?:[- ]?(?:nummer|nr\.?|no\.?|number|id|#|n°|n\.|num[eé]ro))?`;
// The keywords are written an alternative a word, each starting with its letter (an optional prefix such as
// `(?:kinder)?` spelt out before the word without it, in the order the engine tries them), so that KEY_WORD can group
// them by that letter.
const DOCUMENT_KEY = String.raw`kinderreisepa(?:ss|ß)(?:es)?${NUMBER_WORD}|reisepa(?:ss|ß)(?:es)?${NUMBER_WORD}|personalausweis(?:es)?${NUMBER_WORD}|dienstausweis(?:es)?${NUMBER_WORD}|kinderausweis(?:es)?${NUMBER_WORD}|ausweis(?:es)?${NUMBER_WORD}|passport${NUMBER_WORD}|id[- ]?(?:card|karte)${NUMBER_WORD}|identity card${NUMBER_WORD}|identit(?:ä|ae)tskarte${NUMBER_WORD}|perso${NUMBER_WORD}|pa(?:ss|ß)[- ]?(?:nummer|nr\.?)|passeports?${NUMBER_WORD}|passaport[oi]${NUMBER_WORD}|carte d['’]identit[eé]${NUMBER_WORD}|carta d(?:['’]|i )identit[aà]${NUMBER_WORD}`;
/**
 * `Führerschein`, `Fuehrerschein`, `driving licence`, `driver's license`, `drivers license`, `permis de conduire`,
 * `patente (di guida)`; not `DL`, which names too much else.
 */
const LICENCE_KEY = String.raw`f(?:ü|ue)hrerscheins?${NUMBER_WORD}|driv(?:ing|ers?|er['’]s) licen[cs]e${NUMBER_WORD}|permis de conduire${NUMBER_WORD}|patente(?: di guida)?${NUMBER_WORD}`;
const SOCIAL_KEY = String.raw`sozialversicherungs-?(?:nummer|nr\.?)(?: ?\((?:ahv|avs)\))?|rentenversicherungs-?(?:nummer|nr\.?)|sv[- ]?(?:nummer|nr\.?)|rv[- ]?(?:nummer|nr\.?)|social security(?: (?:numbers?|no\.?|#))?|ssns?|ahv(?:n13)?(?:[- ]?(?:nummer|nr\.?|number|no\.?))?|avs(?:[- ]?(?:nummer|nr\.?|number|no\.?|n°))?`;
/**
 * UK and Irish keywords, each with its own value (KINDS): a National Insurance number's (`national insurance (number)`,
 * `NI number`, `NI no.`), whose suffix may be left out; a PPS number's (`PPS`, `PPSN`, `PPS No.`, `PPS number`,
 * `personal public service number (PPSN)`); an Eircode's (`Eircode`, `Eir code`). In this one scan, which every text
 * pays for already: a scan of their own for them cost 3% of masking. `NINO` and `NI` alone, in capitals only, are
 * uk-ie-ids.ts'.
 */
const NINO_KEY = String.raw`national insurance(?: (?:numbers?|no\.?|#))?|ni (?:numbers?|no\.?|#)`;
const PPS_KEY = String.raw`ppsn?${NUMBER_WORD}|personal public service(?: (?:numbers?|no\.?))?(?: \(ppsn?\))?`;
const EIRCODE_KEY = String.raw`eir ?codes?`;
/**
 * A keyword (not inside a longer word, but `Kinderreisepass` and `Dienstausweis` are keywords), then `:`, `#`, `(`,
 * `=` or a dash between blanks (`NI number - JT 48 29 17 B`), and a linking word, present or past (`ist`, `lautet`,
 * `war`, `is`, `are`, `was`, `were`, `est`, `était`, `è`, `era`: `his NI number was ZX 11 22 33 A`, as after an
 * account's keyword), with or without a colon after it, and blanks.
 */
const KEY = new RegExp(
  String.raw`(?<![a-zäöüß])(?:(${DOCUMENT_KEY})|(${LICENCE_KEY})|(${SOCIAL_KEY})|(${NINO_KEY})|(${PPS_KEY})|(${EIRCODE_KEY}))(?![a-zäöüßàéè])(?:\s?[:#(=]|\s-(?=\s))?\s{0,3}(?:(?:ist|lautete|lautet|waren|war|is|are|was|were|est|était|etait|è|era)\s{0,3}:?\s{0,3})?`,
  'gi',
);
/**
 * Any keyword of KEY, anywhere: where it finds none, KEY finds none either (each of its matches starts with one).
 * Grouped by first letter, it is a fraction of KEY's scan, and almost no text names a document.
 */
const KEY_WORD = new RegExp(byFirstLetter([DOCUMENT_KEY, LICENCE_KEY, SOCIAL_KEY, NINO_KEY, PPS_KEY, EIRCODE_KEY]), 'i');
/** An amount or a value after the number: `Ausweis 150000 EUR`, `Reisepass ist 1000000 wert` stay. */
const AMOUNT_WORD = String.raw`[ \t]?(?:${CURRENCY}|wert\b|worth\b)`;
const NOT_AFTER = `(?!${AMOUNT_WORD})`;
const AMOUNT_AFTER = new RegExp(AMOUNT_WORD, 'iy');
/** Passport and identity card numbers: 6 to 12 letters and digits (German ones: 9 or 10), checked for two digits or more. */
const DOCUMENT_VALUE = new RegExp(String.raw`[a-z0-9]{6,12}(?![a-z0-9])${NOT_AFTER}`, 'iy');
/**
 * Driving licence numbers: German ones have 11 letters and digits (`B072RRE2I55`), UK ones 16
 * (`MORGA753116SM9IJ`), US ones 5 to 13, some in dashed groups after a letter (`S530-460-56-320-0`).
 * Dashes only after a leading letter: `2019-2024` is a range of years.
 */
const LICENCE_VALUE = new RegExp(String.raw`(?:[a-z](?:-?[a-z0-9]){4,15}|\d[a-z0-9]{4,15})(?![a-z0-9]|-[a-z0-9])${NOT_AFTER}`, 'iy');
/**
 * A driving licence number written in groups split by single blanks (`B072 RRE2 I55`, `MORGA 753116 SM9IJ`,
 * `D123 4567 8901`): two to six groups of capitals and digits, taken up to the first word with a lower-case
 * letter (prose: `liegt bei`, `since`) or a mark; `spacedLicenceEnd` then decides how many of them are the
 * number. Bounded and anchored at the keyword's end, so it stays linear.
 */
const SPACED_GROUPS = /[A-Z0-9]{1,16}(?: [A-Z0-9]{1,16}){1,5}(?![\p{L}\p{N}])/uy;
/** Driving licence classes of two characters or more (`BE`, `C1`, `C1E`, `B96`): a list of classes is no number. */
const LICENCE_CLASSES = new Set(['AM', 'A1', 'A2', 'BE', 'B1', 'B17', 'B96', 'C1', 'C1E', 'CE', 'D1', 'D1E', 'DE']);
const DIGIT = /\d/;
const LETTER = /[A-Z]/;

/**
 * Where a driving licence number written in blank-separated groups (SPACED_GROUPS) and starting at `at` ends,
 * or -1 when there is none of two groups or more. The rule, group by group, is meant to be safe rather than
 * complete:
 * - a licence class (`BE 2019`, `C1 C1E 2018`) ends it, and so does any group after a group of fewer than
 *   three characters: only the last group may be short (`MORGA 753116 SM9IJ 35`);
 * - a group without a digit, of five letters at most, may start it (`MORGA`) or stand between groups with
 *   digits (`B072 RREX 2I55`), never two in a row (`KLASSE B`, `BITTE UM`);
 * - it ends on its last group with a digit that is no year: words in capitals after it (`… I55 KLASSE B`) and
 *   the year it was issued (`… I55 2019`) are not part of it.
 * What is left must be 8 to 18 letters and digits, letters and two digits or more among them: digits alone
 * are years and amounts (`2010 2015`, `1 500`), and a short run (`B96 2020`) is a class and a year.
 */
function spacedLicenceEnd(text: string, at: number): number {
  SPACED_GROUPS.lastIndex = at;
  const m = SPACED_GROUPS.exec(text);
  if (!m) return -1;
  const groups = m[0].split(' ');
  let n = 0;
  for (let i = 0; i < groups.length; i += 1) {
    const g = groups[i];
    if (LICENCE_CLASSES.has(g)) break;
    if (i > 0 && groups[i - 1].length < 3) break;
    if (!DIGIT.test(g) && (g.length > 5 || (i > 0 && !DIGIT.test(groups[i - 1])))) break;
    n = i + 1;
  }
  // A year after the number is the date it was issued, not part of it.
  while (n > 0 && (!DIGIT.test(groups[n - 1]) || YEAR.test(groups[n - 1]))) n -= 1;
  if (n < 2) return -1;
  const number = groups.slice(0, n).join(' ');
  const compact = number.length - (n - 1);
  if (compact < 8 || compact > 18 || !LETTER.test(number) || digitCount(number) < 2) return -1;
  AMOUNT_AFTER.lastIndex = at + number.length;
  return AMOUNT_AFTER.test(text) ? -1 : at + number.length;
}

/** A number word in a keyword (`Nr.`, `No.`, `Nummer`, `number`, `#`): then digits in blank-separated groups name the document too. */
const NUMBER_NAMED = /nummer|nr\b|nr\.|no\b|no\.|number|#|n°|n\.|num[eé]ro/i;
/** Groups of digits split by single blanks (`1234 5678 901`, `123 456 789`). */
const DIGIT_GROUPS = /\d{1,6}(?: \d{1,6}){1,4}(?![\p{L}\p{N}]|[.,]\d)/uy;

/**
 * Where a number of digits alone in blank-separated groups (`Führerschein-Nr. 1234 5678 901`, `passport no.
 * 123 456 789`) starting at `at` ends, or -1: only after a keyword that says `Nr.`/`number` (digits alone after
 * `Führerschein seit` are years), 8 to 16 digits, not every group a year, no amount after them.
 */
function spacedDigitsEnd(text: string, at: number): number {
  DIGIT_GROUPS.lastIndex = at;
  const m = DIGIT_GROUPS.exec(text);
  if (!m) return -1;
  const groups = m[0].split(' ');
  const digits = m[0].length - (groups.length - 1);
  if (digits < 8 || digits > 16 || groups.every((g) => YEAR.test(g))) return -1;
  AMOUNT_AFTER.lastIndex = at + m[0].length;
  return AMOUNT_AFTER.test(text) ? -1 : at + m[0].length;
}

/**
 * German (`65 170839 J 003`), US (`123-45-6789`, `123 45 6789`, `123456789`), UK (`QQ 12 34 56 C`), Austrian
 * (`1234 010180`) and Swiss (AHV: `756.1234.5678.97`, `756-1234-5678-97`) social security numbers.
 */
const SOCIAL_VALUE = /(?:\d{2}[ -]?\d{6}[ -]?[a-z][ -]?\d{3}|\d{3}[- ]?\d{2}[- ]?\d{4}|[a-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[a-d]|\d{4} ?\d{6}|756[. -]?\d{4}[. -]?\d{4}[. -]?\d{2})(?![a-z0-9])/iy;

/** The type and value of each of KEY's keyword groups, in order. */
const KINDS = [
  { type: 'ID_DOCUMENT', value: DOCUMENT_VALUE },
  { type: 'ID_DOCUMENT', value: LICENCE_VALUE },
  { type: 'SOCIAL_SECURITY', value: SOCIAL_VALUE },
  { type: 'SOCIAL_SECURITY', value: NINO_VALUE },
  { type: 'SOCIAL_SECURITY', value: PPS_VALUE },
  { type: 'ADDRESS', value: EIRCODE_VALUE },
] as const;

/** Which of KEY's keyword groups (1 to KINDS.length) matched, as an index of KINDS. */
function kindOf(m: RegExpExecArray): number {
  let g = 1;
  while (g < KINDS.length && m[g] === undefined) g += 1;
  return g - 1;
}

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i += 1) if (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) n += 1;
  return n;
}

export function documentHits(text: string): Hit[] {
  if (!KEY_WORD.test(text)) return [];
  const hits: Hit[] = [];
  KEY.lastIndex = 0;
  for (let m = KEY.exec(text); m !== null; m = KEY.exec(text)) {
    const at = m.index + m[0].length;
    const { type, value } = KINDS[kindOf(m)];
    // A driving licence number in groups (`B072 RRE2 I55`) first: its first group alone may pass as a number (`D1234 5678`).
    let spaced = m[2] !== undefined ? spacedLicenceEnd(text, at) : -1;
    if (spaced < 0 && (m[1] !== undefined || m[2] !== undefined) && NUMBER_NAMED.test(m[0])) spaced = spacedDigitsEnd(text, at);
    if (spaced > 0) {
      hits.push({ type, start: at, end: spaced, placeholder: `[${type}]` });
      KEY.lastIndex = spaced;
      continue;
    }
    value.lastIndex = at;
    const v = value.exec(text);
    // A word after the keyword (`Personalausweis abgelaufen`, `passport is valid`) is not a number.
    if (!v || digitCount(v[0]) < 2) continue;
    hits.push({ type, start: at, end: at + v[0].length, placeholder: `[${type}]` });
    KEY.lastIndex = at + v[0].length;
  }
  return hits;
}
