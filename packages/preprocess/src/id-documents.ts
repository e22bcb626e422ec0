/**
 * Identity documents and social security numbers that a keyword names, for `redactPii`'s `ids` detector:
 * passport, identity card and driving licence numbers (`[ID_DOCUMENT]`) and German, US and UK social
 * security numbers (`[SOCIAL_SECURITY]`). The keyword stays; only the value is masked. One
 * case-insensitive scan for the keywords (no `u` flag: it made the scan about 15 times slower), then the
 * value right after one.
 */
import type { Hit } from './redact.js';

/** `Nr.`, `No.`, `Nummer`, `number`, `#` or `ID` after a document's word (`Reisepass Nr.`, `Ausweis-ID`). */
const NUMBER_WORD = String.raw`(?:[- ]?(?:nummer|nr\.?|no\.?|number|id|#))?`;
const DOCUMENT_KEY = String.raw`(?:(?:kinder)?reisepa(?:ss|ß)(?:es)?|(?:personal|dienst|kinder)?ausweis(?:es)?|passport|id[- ]?(?:card|karte)|identity card|perso)${NUMBER_WORD}|pa(?:ss|ß)[- ]?(?:nummer|nr\.?)`;
/** `Führerschein`, `Fuehrerschein`, `driving licence`, `driver's license`, `drivers license`; not `DL`, which names too much else. */
const LICENCE_KEY = String.raw`(?:f(?:ü|ue)hrerscheins?|driv(?:ing|ers?|er['’]s) licen[cs]e)${NUMBER_WORD}`;
const SOCIAL_KEY = String.raw`(?:sozial|renten)versicherungs-?(?:nummer|nr\.?)|(?:sv|rv)[- ]?(?:nummer|nr\.?)|social security(?: (?:number|no\.?|#))?|ssn|national insurance (?:number|no\.?)|ni number`;
/**
 * A keyword (not inside a longer word, but `Kinderreisepass` and `Dienstausweis` are keywords), then `:`,
 * `#`, `(`, `ist`, `lautet` or `is` (with or without a colon after it) and blanks.
 */
const KEY = new RegExp(String.raw`(?<![a-zäöüß])(?:(${DOCUMENT_KEY})|(${LICENCE_KEY})|(${SOCIAL_KEY}))(?![a-zäöüß])\s?[:#(]?\s{0,3}(?:(?:ist|lautet|is)\s{0,3}:?\s{0,3})?`, 'gi');
/** An amount or a value after the number: `Ausweis 150000 EUR`, `Reisepass ist 1000000 wert` stay. */
const NOT_AFTER = String.raw`(?![ \t]?(?:€|\$|%|eur\b|euro|usd\b|chf\b|gbp\b|wert\b|worth\b))`;
/** Passport and identity card numbers: 6 to 12 letters and digits (German ones: 9 or 10), checked for two digits or more. */
const DOCUMENT_VALUE = new RegExp(String.raw`[a-z0-9]{6,12}(?![a-z0-9])${NOT_AFTER}`, 'iy');
/**
 * Driving licence numbers: German ones have 11 letters and digits (`B072RRE2I55`), UK ones 16
 * (`MORGA753116SM9IJ`), US ones 5 to 13, some in dashed groups after a letter (`S530-460-56-320-0`).
 * Dashes only after a leading letter: `2019-2024` is a range of years.
 */
const LICENCE_VALUE = new RegExp(String.raw`(?:[a-z](?:-?[a-z0-9]){4,15}|\d[a-z0-9]{4,15})(?![a-z0-9]|-[a-z0-9])${NOT_AFTER}`, 'iy');
/** German (`65 170839 J 003`), US (`123-45-6789`, `123 45 6789`, `123456789`) and UK (`QQ 12 34 56 C`) social security numbers. */
const SOCIAL_VALUE = /(?:\d{2}[ -]?\d{6}[ -]?[a-z][ -]?\d{3}|\d{3}[- ]?\d{2}[- ]?\d{4}|[a-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[a-d])(?![a-z0-9])/iy;

/** The type and value of each of KEY's keyword groups, in order. */
const KINDS = [
  { type: 'ID_DOCUMENT', value: DOCUMENT_VALUE },
  { type: 'ID_DOCUMENT', value: LICENCE_VALUE },
  { type: 'SOCIAL_SECURITY', value: SOCIAL_VALUE },
] as const;

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i += 1) if (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) n += 1;
  return n;
}

export function documentHits(text: string): Hit[] {
  const hits: Hit[] = [];
  KEY.lastIndex = 0;
  for (let m = KEY.exec(text); m !== null; m = KEY.exec(text)) {
    const at = m.index + m[0].length;
    const { type, value } = KINDS[m[1] !== undefined ? 0 : m[2] !== undefined ? 1 : 2];
    value.lastIndex = at;
    const v = value.exec(text);
    // A word after the keyword (`Personalausweis abgelaufen`, `passport is valid`) is not a number.
    if (!v || digitCount(v[0]) < 2) continue;
    hits.push({ type, start: at, end: at + v[0].length, placeholder: `[${type}]` });
    KEY.lastIndex = at + v[0].length;
  }
  return hits;
}
