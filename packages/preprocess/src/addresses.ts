/**
 * Street addresses, for `redactPii`'s `names` detector (`[ADDRESS]`): a street and house number (`Musterstraße 12`,
 * `Hauptstr. 5a`, `Berliner Allee 3`, `Konrad-Adenauer-Straße 5`, `221B Baker Street`), with the postal code and town
 * that follow it (`, 10115 Berlin`, `, London SW1A 2AA`); a house number that reads as a year, an English word in
 * -ring (`Spring 26`) and a street named by a preposition (`Am Markt 3`) only with them.
 */
import { BEFORE, END_OF_WORD, stickyAt, WORD } from './names.js';
import { YEAR } from './patterns.js';
import type { Hit } from './redact.js';

/**
 * A German street word with its house number (`…straße 12`, `Str. 5`, `Allee 3`): case-blind, because
 * the engine scans that way several times faster, and GERMAN_STREET then checks the case.
 */
const GERMAN_CUE = /(?:stra(?:ß|ss)e|str\.|weg|allee|platz|gasse|damm|ring|ufer)[ \t]?\d/gi;
/** An English street type (`Baker Street`, `Downing St.`; `Baker St`, `Elm Grove`: see NEEDS_TOWN). */
const ENGLISH_CUE = /(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Boulevard|Blvd\.?|Terrace|Crescent|Lane|Drive|Way|Close|Court|Place|Square|Grove|Gardens|Mews|Row|Hill|Park|Green|Rise|Walk|Parkway|Circle)(?![a-zß-ÿ])/g;
/**
 * A street type abbreviated without its dot (`St`, `Rd`, `Ave`, `Blvd`), or a word that names other things too
 * (`Elm Grove`, `Central Park`, `Notting Hill`): a street only with the town and postcode after it.
 */
const NEEDS_TOWN = /^(?:St|Rd|Ave|Blvd|Grove|Gardens|Mews|Row|Hill|Park|Green|Rise|Walk|Parkway|Circle)$/;
/** A town capitalised or in capitals (`Berlin`, `BERLIN`, `FRANKFURT AM MAIN`). */
const TOWN_WORD = String.raw`(?:${WORD}|\p{Lu}[\p{Lu}-]{1,40})`;
/**
 * After a street and house number: a German, Austrian or Swiss postal code (`10115`, `1060`, `CH-8001`) and town, also
 * after `in` (`Goethestraße 12 in 60313 Frankfurt`); four digits without `A-` or `CH-` only after a comma or line break
 * (`Musterweg 4 2025 Umzug` holds no town).
 */
/** Before a postal code that ends a line of an address: a comma, a `|` (signatures written on one line) or a line break. */
const TOWN_BREAK = String.raw`(?:,[ \t]{0,3}|[ \t]{0,3}\|[ \t]{0,3}|[ \t]{0,3}\r?\n[ \t]{0,3})`;
/** The town after its postal code (`Berlin`, `Frankfurt am Main`). */
const TOWN_NAME = String.raw`[ \t]{1,3}${TOWN_WORD}(?:[ \t](?:am|an der|im|ob der|AM|AN DER|IM|OB DER)[ \t]${TOWN_WORD})?`;
const TOWN = String.raw`(?:(?:${TOWN_BREAK}|[ \t]{1,3}(?:in[ \t]{1,3})?)(?:D-\d{5}|\d{5}|(?:A|CH)-\d{4})|${TOWN_BREAK}\d{4})${TOWN_NAME}`;
/** As TOWN, but after a comma, `|` or line break only: after a street named by a preposition a bare blank and five digits are too often an amount (`Am Montag 3 10000 Euro`). */
const TOWN_AFTER_BREAK = String.raw`${TOWN_BREAK}(?:D-\d{5}|\d{5}|(?:A|CH)-\d{4}|\d{4})${TOWN_NAME}`;
/** A street written in capitals, as an all-capitals email writes it (`MUSTERSTRASSE`, `BERLINER ALLEE`). */
const CAPS_STREET = String.raw`\p{Lu}[\p{Lu}-]{1,40}(?:(?:STRASSE|STRAßE|STR\.|WEG|ALLEE|PLATZ|GASSE|DAMM|RING|UFER)|[ \t](?:STRASSE|STRAßE|STR\.|WEG|ALLEE|PLATZ|GASSE|DAMM|RING|UFER))`;
/** A street named after a person, its words joined by hyphens (`Konrad-Adenauer-Straße`, `Theodor-Heuss-Ring`). */
const NAMED_STREET = String.raw`(?:\p{Lu}\p{Ll}{1,30}-){1,3}(?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Damm|Ring|Ufer)`;
/** `St.` or `Sankt` before a street named after a saint (`St.-Martin-Str. 12`, `St. Annenstraße 12`, `Sankt Annenstraße`). */
const SAINT = String.raw`(?:St\.[ \t]?-?|Sankt[ \t])`;
/** `St.` or `Sankt` right before where `streetStart` found a street's first word. */
const SAINT_BEFORE = /(?:St\.[ \t]?|Sankt[ \t])$/;
/** After a house number: a range (`5-7`) or an Austrian staircase and door (`45/3/12`). */
const DOOR = String.raw`(?:[/-]\d{1,4}[a-zA-Z]?){0,3}`;
/** The house number (group 1), and the postal code and town (group 2) when they follow. */
const GERMAN_STREET = new RegExp(
  String.raw`${BEFORE}${SAINT}?(?:\p{Lu}[\p{Ll}-]{1,40}(?:(?:straße|strasse|str\.|weg|allee|platz|gasse|damm|ring|ufer)|[ \t](?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Damm|Ring|Ufer))|${NAMED_STREET}|${CAPS_STREET})[ \t]?(\d{1,4})(?:[ \t]?[a-zA-Z])?${DOOR}${END_OF_WORD}(${TOWN}${END_OF_WORD})?`,
  'uy',
);
/**
 * A street named by a preposition instead of a street type (`Am Markt 3`, `An der Alster 5`, `Unter den Linden 77`),
 * taken only with the postal code and town after it: without them, `Am Montag 3 Überweisungen` would be one.
 */
const PREPOSITION_STREET = new RegExp(
  String.raw`${BEFORE}(?:Am|Im|An der|An den|Auf dem|Auf der|Auf den|Zum|Zur|Unter den|In der|In den|Hinter dem|Hinter der|Vor dem|Vor den|Alte[rns]?|Neue[rns]?|Große[rns]?|Kleine[rns]?|Hohe[rn]?)[ \t]{1,3}${WORD}(?:[ \t]${WORD}){0,2}[ \t]{1,3}\d{1,4}(?:[ \t]?[a-zA-Z])?${DOOR}${END_OF_WORD}${TOWN_AFTER_BREAK}${END_OF_WORD}`,
  'uy',
);
/** A German, Austrian or Swiss postal code before a capitalised word: where PREPOSITION_STREET may end. */
const POSTAL_CUE = /(?<!\d)\d{4,5}[ \t]{1,3}\p{Lu}/gu;
/** Where a street of PREPOSITION_STREET may start: its first word. */
const PREPOSITION_CUE = /(?<![\p{L}\p{N}])(?:Am|Im|An|Auf|Zum|Zur|Unter|In|Hinter|Vor|Alte|Neue|Große|Kleine|Hohe)/gu;
/** How far before its postal code such a street may start. */
const PREPOSITION_LOOKBACK = 120;

/** The streets of PREPOSITION_STREET with their postal code and town, in text order. */
function prepositionStreetHits(text: string): Hit[] {
  const hits: Hit[] = [];
  let done = 0;
  POSTAL_CUE.lastIndex = 0;
  for (let cue = POSTAL_CUE.exec(text); cue !== null; cue = POSTAL_CUE.exec(text)) {
    const from = Math.max(done, cue.index - PREPOSITION_LOOKBACK);
    // Prepositions are looked for in the window before this postal code only, so the scan stays linear.
    const window = text.slice(from, cue.index);
    PREPOSITION_CUE.lastIndex = 0;
    for (let p = PREPOSITION_CUE.exec(window); p !== null; p = PREPOSITION_CUE.exec(window)) {
      const at = from + p.index;
      const street = stickyAt(PREPOSITION_STREET, text, at);
      // The street must end with this postal code's town, not run past it or stop before it.
      if (street === null || street.index + street[0].length <= cue.index) continue;
      hits.push({ type: 'ADDRESS', start: at, end: at + street[0].length, placeholder: '[ADDRESS]' });
      done = at + street[0].length;
      POSTAL_CUE.lastIndex = Math.max(POSTAL_CUE.lastIndex, done);
      break;
    }
  }
  return hits;
}

/**
 * The house number (`12`, `221B`; its letter, group 1) and one to three capitalised words that end right before the
 * street type, also a possessive (`Queen's Road`, `King’s Road`) and `St` or `St.` (`12 St John's Wood Road`).
 */
const ENGLISH_NUMBER = /(?<![\p{L}\p{N}])\d{1,5}([A-Za-z])?[ \t](?:(?:St\.|\p{Lu}\p{Ll}{1,30}(?:['’]s)?)[ \t]){0,2}\p{Lu}\p{Ll}{0,30}(?:['’]s)?[ \t]$/u;

/** A British postcode (`SW1A 2AA`, `NW1 6XE`). */
const UK_POSTCODE = String.raw`[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}`;

/**
 * After an English street: the town and a British postcode (`, London SW1A 2AA`) or a US state and ZIP code
 * (`, Springfield, IL 62704`), or the postcode alone; or, after a blank, a British postcode and the town when it
 * ends the line or sentence (`12 Baker Street NW1 6XE London.`).
 */
const ENGLISH_TOWN = new RegExp(
  String.raw`(?:(?:,[ \t]{0,3}|[ \t]{0,3}\r?\n[ \t]{0,3})(?:${TOWN_WORD}(?:[ \t]${TOWN_WORD}){0,2}(?:,[ \t]{0,3}|[ \t]{1,3}|[ \t]{0,3}\r?\n[ \t]{0,3}))?(?:${UK_POSTCODE}|[A-Z]{2}[ \t]\d{5}(?:-\d{4})?)|[ \t]{1,3}${UK_POSTCODE}(?:[ \t]{1,3}${TOWN_WORD}(?=[ \t]{0,3}(?:[.,;!?\r\n]|$)))?)${END_OF_WORD}`,
  'uy',
);

const LETTER_OR_HYPHEN = /[\p{L}-]/u;
const AMOUNT_LETTER = /[kmx]/i;

/**
 * Where the street name before a cue at `at` starts: its own word, or the word before a separate street word, with a
 * saint's `St.` or `Sankt` before it.
 */
function streetStart(text: string, at: number): number {
  let b = at;
  while (b > 0 && at - b < 41 && LETTER_OR_HYPHEN.test(text[b - 1])) b -= 1;
  if (b === at && (text[b - 1] === ' ' || text[b - 1] === '\t')) {
    b -= 1;
    while (b > 0 && at - b < 42 && LETTER_OR_HYPHEN.test(text[b - 1])) b -= 1;
  }
  // `St.-Martin-Str.`, `St. Annenstraße`: the saint's `St.` belongs to the street.
  const saint = SAINT_BEFORE.exec(text.slice(Math.max(0, b - 6), b));
  return saint === null ? b : b - saint[0].length;
}

const VOWEL = /[aeiouäöü]/i;
/**
 * English verbs that double their r before -ing (`Recur-ring`, `Transfer-ring`, `Stir-ring`, `Bar-ring`), the whole
 * stem: German ring roads end alike (`Isar-ring`, `Saar-ring`, `Kaiser-ring`).
 */
const DOUBLED_R_STEM = /^(?:non-?)?(?:re|oc|reoc|con|in|pre|de|trans|dis)?(?:cur|fer|ter|er|stir|spur|star|scar|spar|bar|blur|whir|war|jar|mar|tar|char|pur|slur|mur|aver)$/i;

/**
 * Whether a street cue at `at` is the end of an English word in -ring (`Monitoring`, `Offering`, `Spring`,
 * `String`, `Recurring`, `Transferring`) rather than a German ring road (`Kaiserring`, `Ostring`): `ring` glued
 * after a vowel, after one or two letters, or after a verb stem that doubles its r. A ring road written so
 * (`Hansaring 5`) then needs its postal code and town to be taken.
 */
function englishRing(text: string, start: number, at: number): boolean {
  if (text.slice(at, at + 4).toLowerCase() !== 'ring' || at === start || text[at - 1] === ' ' || text[at - 1] === '\t') return false;
  return VOWEL.test(text[at - 1]) || at - start <= 2 || DOUBLED_R_STEM.test(text.slice(start, at));
}

/**
 * A PO box: `Postfach` (group 1), `PO Box` or `P.O. Box`, and its number (group 2), also in groups (`Postfach 10 20
 * 30`). Checked for a letter or digit before it in `poBoxHits`: a lookbehind slows the scan.
 */
const PO_BOX = /(?:(Postfach|POSTFACH)|P\.?[ \t]?O\.?[ \t]?(?:Box|BOX))[ \t]{1,3}(\d{1,6}(?:[ \t]\d{2,3}){0,3})(?![\p{L}\p{N}])/gu;
/** The postal code and town after a German PO box (`, 10115 Berlin`). */
const POSTAL_TOWN = new RegExp(String.raw`${TOWN}${END_OF_WORD}`, 'uy');
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * PO boxes with their number, and the postal code and town (or British postcode) after them. `Postfach` is also the
 * mailbox of an email account (`im Postfach 3 neue Mails`, `Postfach 2025`): without a town its number needs four
 * digits or more and must not read as a year.
 */
function poBoxHits(text: string): Hit[] {
  const hits: Hit[] = [];
  PO_BOX.lastIndex = 0;
  for (let m = PO_BOX.exec(text); m !== null; m = PO_BOX.exec(text)) {
    if (m.index > 0 && LETTER_OR_DIGIT.test(text[m.index - 1])) continue;
    const end = m.index + m[0].length;
    const town = stickyAt(POSTAL_TOWN, text, end) ?? stickyAt(ENGLISH_TOWN, text, end);
    const digits = m[2].replace(/[ \t]/g, '');
    if (town === null && m[1] !== undefined && (digits.length < 4 || YEAR.test(digits))) continue;
    hits.push({ type: 'ADDRESS', start: m.index, end: end + (town?.[0].length ?? 0), placeholder: '[ADDRESS]' });
  }
  return hits;
}

/** Streets with a house number and PO boxes, and the postal code and town after them (`[ADDRESS]`), in text order. */
export function addressHits(text: string): Hit[] {
  const hits: Hit[] = [...prepositionStreetHits(text), ...poBoxHits(text)];
  GERMAN_CUE.lastIndex = 0;
  for (let cue = GERMAN_CUE.exec(text); cue !== null; cue = GERMAN_CUE.exec(text)) {
    const start = streetStart(text, cue.index);
    const street = stickyAt(GERMAN_STREET, text, start);
    // A house number that reads as a year after a word ending like a street (`Spring 2026`, `Offering 2026`) is a
    // date, and an English word in -ring (`Spring 26`, `Monitoring 2`) no street, unless a postal code and town
    // follow (`Musterstraße 1999, 10115 Berlin`).
    if (street === null || ((YEAR.test(street[1]) || englishRing(text, start, cue.index)) && street[2] === undefined)) continue;
    hits.push({ type: 'ADDRESS', start, end: start + street[0].length, placeholder: '[ADDRESS]' });
    GERMAN_CUE.lastIndex = Math.max(GERMAN_CUE.lastIndex, start + street[0].length);
  }
  ENGLISH_CUE.lastIndex = 0;
  for (let cue = ENGLISH_CUE.exec(text); cue !== null; cue = ENGLISH_CUE.exec(text)) {
    // After a lower-case letter and a blank (`Baker Street`), checked here: a lookbehind slows the scan.
    const before = text.charCodeAt(cue.index - 2);
    if (!(text[cue.index - 1] === ' ' || text[cue.index - 1] === '\t') || !(before >= 97 && before <= 122)) continue;
    const from = Math.max(0, cue.index - 100);
    const number = ENGLISH_NUMBER.exec(text.slice(from, cue.index));
    if (!number) continue;
    const end = cue.index + cue[0].length;
    const town = stickyAt(ENGLISH_TOWN, text, end);
    // A k, m or x after the number is an amount or a count (`10k Wall Street`, `5x Main Street Capital`) unless a town
    // and postcode follow (`12k Elm Road, London SW1A 2AA`).
    if (number[1] !== undefined && AMOUNT_LETTER.test(number[1]) && town === null) continue;
    if (town === null && NEEDS_TOWN.test(cue[0])) continue;
    const hit: Hit = { type: 'ADDRESS', start: from + number.index, end: end + (town?.[0].length ?? 0), placeholder: '[ADDRESS]' };
    // A street type inside the name of the street before it (`Evergreen Terrace Road`): the longer street.
    const last = hits[hits.length - 1];
    if (last !== undefined && last.start === hit.start && last.end < hit.end) last.end = hit.end;
    else hits.push(hit);
  }
  return hits.sort((a, b) => a.start - b.start);
}
