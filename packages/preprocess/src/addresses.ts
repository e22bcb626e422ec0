/**
 * Street addresses, for `redactPii`'s `names` detector (`[ADDRESS]`): a street and house number (`Musterstraße 12`,
 * `Hauptstr. 5a`, `Berliner Allee 3`, `Konrad-Adenauer-Straße 5`, `Limmatquai 78`, `221B Baker Street`, `Rue de
 * Lausanne 15`, `15 rue de la Paix`, `Via Nassa 5`), with the postal code and town that follow it (`, 10115 Berlin`,
 * `, London SW1A 2AA`, `, 1211 Genève 3`) and one that stands right before it (`8400 Winterthur an der …`); a house
 * number that reads as a year, an English word in -ring (`Spring 26`), a street named by a preposition (`Am Markt 3`)
 * and one whose type is a word too (`Via`, `Place`, `Route`, `Corso`) only with them.
 */
import { BEFORE, END_OF_WORD, stickyAt, WORD } from './names.js';
import { YEAR } from './patterns.js';
import { isPlaceLine } from './place-words.js';
import type { Hit } from './redact.js';

/**
 * A German street word with its house number (`…straße 12`, `Str. 5`, `Allee 3`): case-blind, because
 * the engine scans that way several times faster, and GERMAN_STREET then checks the case.
 */
const GERMAN_CUE = /(?:stra(?:ß|ss)e|str\.|weg|allee|platz|gasse|damm|ring|ufer|quai|rain|halde|matte?)[ \t]?\d/gi;
/** An English street type (`Baker Street`, `Downing St.`, `Victoria Quays`; `Baker St`, `Elm Grove`: see NEEDS_TOWN). */
const ENGLISH_CUE = /(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Boulevard|Blvd\.?|Terrace|Crescent|Lane|Drive|Way|Close|Court|Place|Square|Grove|Gardens|Mews|Row|Hill|Park|Green|Rise|Walk|Parkway|Circle|Quays?|Wharf|Parade|Vale|View|Yard|Croft|Chase)(?![a-zß-ÿ])/g;
/**
 * A street type abbreviated without its dot (`St`, `Rd`, `Ave`, `Blvd`), or a word that names other things too
 * (`Elm Grove`, `Central Park`, `Notting Hill`, `Easter Parade`, `Sea View`): a street only with the town and postcode
 * after it.
 */
const NEEDS_TOWN = /^(?:St|Rd|Ave|Blvd|Grove|Gardens|Mews|Row|Hill|Park|Green|Rise|Walk|Parkway|Circle|Parade|Vale|View|Yard|Croft|Chase)$/;
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
const CAPS_STREET = String.raw`\p{Lu}[\p{Lu}-]{1,40}(?:(?:STRASSE|STRAßE|STR\.|WEG|ALLEE|PLATZ|GASSE|DAMM|RING|UFER|QUAI|HALDE)|[ \t](?:STRASSE|STRAßE|STR\.|WEG|ALLEE|PLATZ|GASSE|DAMM|RING|UFER))`;
/** A street named after a person, its words joined by hyphens (`Konrad-Adenauer-Straße`, `Theodor-Heuss-Ring`). */
const NAMED_STREET = String.raw`(?:\p{Lu}\p{Ll}{1,30}-){1,3}(?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Damm|Ring|Ufer|Quai)`;
/** `St.` or `Sankt` before a street named after a saint (`St.-Martin-Str. 12`, `St. Annenstraße 12`, `Sankt Annenstraße`). */
const SAINT = String.raw`(?:St\.[ \t]?-?|Sankt[ \t])`;
/** `St.` or `Sankt` right before where `streetStart` found a street's first word. */
const SAINT_BEFORE = /(?:St\.[ \t]?|Sankt[ \t])$/;
/** After a house number: a range (`5-7`) or an Austrian staircase and door (`45/3/12`). */
const DOOR = String.raw`(?:[/-]\d{1,4}[a-zA-Z]?){0,3}`;
/**
 * The house number (group 1), and the postal code and town (group 2) when they follow. Swiss streets glue `-quai`,
 * `-rain`, `-halde`, `-matt(e)` on too (`Limmatquai 78`, `Bergrain 4`, `Sonnenhalde 7`, `Breitematt 2`).
 */
const GERMAN_STREET = new RegExp(
  String.raw`${BEFORE}${SAINT}?(?:\p{Lu}[\p{Ll}-]{1,40}(?:(?:straße|strasse|str\.|weg|allee|platz|gasse|damm|ring|ufer|quai|rain|halde|matte?)|[ \t](?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Damm|Ring|Ufer))|${NAMED_STREET}|${CAPS_STREET})[ \t]?(\d{1,4})(?:[ \t]?[a-zA-Z])?${DOOR}${END_OF_WORD}(${TOWN}${END_OF_WORD})?`,
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
 * A street without a street type, as Vienna and Basel name many (`Graben 21, 1010 Wien`, `Spalenberg 12, 4051 Basel`):
 * one capitalised word and a house number, then a comma or line break, ending where its postal code starts
 * (BARE_STREET_TOWN). Read in a window before each postal code, so the scan stays linear.
 */
const BARE_STREET_BEFORE = /(?<![\p{L}\p{N}.-])\p{Lu}\p{Ll}{2,30}(?:-\p{Lu}\p{Ll}{1,30})?[ \t]\d{1,3}[a-z]?(?:,[ \t]{0,3}|[ \t]{0,3}\r?\n[ \t]{0,3})(?:(?:CH|A|D)-)?$/u;
/** A postal code and a town (group 1) after BARE_STREET_BEFORE: taken only for a town `isPlaceLine` knows (`Wien`, `Basel`). */
const BARE_STREET_TOWN = /\d{4,5}[ \t]{1,3}(\p{Lu}[\p{L}-]{1,40}(?:[ \t](?:am|an der|im|ob der)[ \t]\p{Lu}[\p{L}-]{1,40})?)(?![\p{L}\p{N}])/uy;
/** How far before its postal code such a street may start. */
const BARE_STREET_LOOKBACK = 48;

/** Streets without a street type before a postal code and a known town (BARE_STREET_BEFORE), in text order. */
function bareStreetHits(text: string): Hit[] {
  const hits: Hit[] = [];
  POSTAL_CUE.lastIndex = 0;
  for (let cue = POSTAL_CUE.exec(text); cue !== null; cue = POSTAL_CUE.exec(text)) {
    const street = BARE_STREET_BEFORE.exec(text.slice(Math.max(0, cue.index - BARE_STREET_LOOKBACK), cue.index));
    if (street === null) continue;
    const town = stickyAt(BARE_STREET_TOWN, text, cue.index);
    if (town === null || !isPlaceLine(town[1])) continue;
    const end = cue.index + town[0].length;
    hits.push({ type: 'ADDRESS', start: cue.index - street[0].length, end, placeholder: '[ADDRESS]' });
    POSTAL_CUE.lastIndex = Math.max(POSTAL_CUE.lastIndex, end);
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
/** An Irish Eircode (`P31 KX62`, `D06 F2X8`, `D6W XY12`): a routing key and four letters or digits of its alphabet. */
const EIRCODE = String.raw`(?:[AC-FHKNPRTV-Y]\d{2}|D6W)[ \t]?[0-9AC-FHKNPRTV-Y]{4}`;
/**
 * A place of an English address line: a town, a district or a county of one to three words, an Irish county after `Co.`
 * or `County` (`Harrogate`, `North Yorkshire`, `Co. Cork`).
 */
const ENGLISH_PLACE = String.raw`(?:(?:Co\.?|County)[ \t])?${TOWN_WORD}(?:[ \t]${TOWN_WORD}){0,2}`;
/** Between the places of an address and before its postcode: a comma or a line break. */
const PLACE_BREAK = String.raw`(?:,[ \t]{0,3}|[ \t]{0,3}\r?\n[ \t]{0,3})`;

/**
 * A flat, apartment, unit or suite after a street (`2417 Maple Avenue, Apt 5C, Evanston, IL 60201`, `… Suite 200`,
 * `… #12`, `12 Baker Street, Flat 3, London …`), before the town: part of the address, masked with it.
 */
const UNIT_AFTER = String.raw`(?:(?:,[ \t]{0,3}|[ \t]{1,3})(?:Apt\.?|Apartment|Flat|FLAT|Unit|Suite|Ste\.?|#)[ \t]{0,3}(?:\d{1,5}[A-Za-z]?|[A-Z]))?`;

/**
 * After an English street: up to three places and a British postcode or Irish Eircode (`, London SW1A 2AA`, `,
 * Harrogate, North Yorkshire, HG1 4RT`, `, Southsea, Portsmouth PO4 0JT`, `, Ballincollig, Co. Cork, P31 KX62`), or a US
 * state and ZIP code (`, Springfield, IL 62704`), or the postcode alone; or, after a blank, a British postcode and the
 * town when it ends the line or sentence (`12 Baker Street NW1 6XE London.`).
 */
const ENGLISH_TOWN = new RegExp(
  String.raw`${UNIT_AFTER}(?:${PLACE_BREAK}(?:${ENGLISH_PLACE}${PLACE_BREAK}){0,2}(?:${ENGLISH_PLACE}(?:${PLACE_BREAK}|[ \t]{1,3}))?(?:${UK_POSTCODE}|${EIRCODE}|[A-Z]{2}[ \t]\d{5}(?:-\d{4})?)|[ \t]{1,3}${UK_POSTCODE}(?:[ \t]{1,3}${TOWN_WORD}(?=[ \t]{0,3}(?:[.,;!?\r\n]|$)))?)${END_OF_WORD}`,
  'uy',
);

/**
 * A flat, apartment or unit before an English street's house number (`Flat 3, 27 Albert Road`, `Apartment 4B 12 Baker
 * Street`): part of the address, masked with it.
 */
const FLAT_BEFORE = /(?<![\p{L}\p{N}])(?:Flat|FLAT|Apartment|Apt\.?|Unit|Suite)[ \t]{1,3}(?:\d{1,4}[A-Za-z]?|[A-Z])(?:,[ \t]{0,3}|[ \t]{1,3}|[ \t]{0,3}\r?\n[ \t]{0,3})$/u;

/** Where an English street found at `start` starts with the flat before it (FLAT_BEFORE), or `start`. */
function withFlatBefore(text: string, start: number): number {
  const flat = FLAT_BEFORE.exec(text.slice(Math.max(0, start - 24), start));
  return flat === null ? start : start - flat[0].length;
}

/**
 * A British postcode, or an Irish Eircode (group 1), standing alone: where POSTCODE_KEYWORD_BEFORE or
 * TOWN_BEFORE_POSTCODE may take it. By its shape alone it is not taken, as `M1`, `SW1` name products too.
 */
const POSTCODE_SCAN = /(?<![A-Za-z0-9])(?:[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}|((?:[AC-FHKNPRTV-Y]\d{2}|D6W)[ \t]?[0-9AC-FHKNPRTV-Y]{4}))(?![A-Za-z0-9])/g;
/** A postcode's keyword and what joins it to the postcode: `my postcode is BS8 1TH`, `postcode: BS8 1TH`, `Post code - BS8 1TH`. */
const POSTCODE_KEYWORD_BEFORE = /(?<![\p{L}\p{N}])(?:post[ \t-]?code|postal[ \t]code)(?:[ \t]{0,3}[:=][ \t]{0,3}|[ \t]{1,3}-[ \t]{1,3}|[ \t]{1,3}(?:is|was|is now|will be|has changed to|changed to)(?:[ \t]{0,3}:)?[ \t]{1,3}|[ \t]{1,3})$/iu;
/**
 * A town right before a British postcode, at the start of a line or after a comma, `|`, a dash, a colon or `in` (`Thanks!
 * - Ravi Patel, Leicester LE2 1XL`, `Address: Leicester LE2 1XL`), maybe with its county after a comma (`Harrogate, North
 * Yorkshire, HG1 4RT`, by its form: COUNTY). Group 1: its first word, checked against CODE_LABELS.
 */
const TOWN_BEFORE_POSTCODE = new RegExp(
  String.raw`(?:^|[,|(:]|[ \t]-|[ \t](?:in|at))[ \t]{0,3}((?:(?:Co\.?|County)[ \t])?${TOWN_WORD})(?:[ \t]${TOWN_WORD}){0,2}(?:,[ \t]{0,3}(?:(?:North|South|East|West|Greater|Co\.?|County)[ \t]${TOWN_WORD}|\p{Lu}\p{Ll}{1,20}shire))?(?:,[ \t]{0,3}|[ \t]{1,3})$`,
  'u',
);
/** Words before a code that label it (`Order X12 3AB`, `Ref AB1 2CD`), no town. */
const CODE_LABELS = new Set('Order Ref Reference Code Model Item Product Part Serial Version Class Type Flight Seat Ticket Case'.split(' '));
/** After a postcode that ends an address line: the end of the line or sentence. */
const LINE_END_AFTER = /[ \t]{0,3}(?:[.,;!?)]|\r?\n|$)/y;
/** How far before a postcode its keyword or town may start. */
const POSTCODE_LOOKBACK = 80;

/**
 * British postcodes (and Irish Eircodes) outside a street's address: after a postcode keyword (`my postcode is BS8
 * 1TH`: the postcode, the keyword stays), or with the town before them where they end an address line (`, Leicester LE2
 * 1XL`: town and postcode). Not by shape alone.
 */
function postcodeHits(text: string): Hit[] {
  const hits: Hit[] = [];
  POSTCODE_SCAN.lastIndex = 0;
  for (let m = POSTCODE_SCAN.exec(text); m !== null; m = POSTCODE_SCAN.exec(text)) {
    const end = m.index + m[0].length;
    const from = Math.max(0, m.index - POSTCODE_LOOKBACK);
    const before = text.slice(from, m.index);
    if (POSTCODE_KEYWORD_BEFORE.test(before)) {
      hits.push({ type: 'ADDRESS', start: m.index, end, placeholder: '[ADDRESS]' });
      continue;
    }
    if (m[1] !== undefined) continue;
    const town = TOWN_BEFORE_POSTCODE.exec(before.slice(before.lastIndexOf('\n') + 1));
    if (town === null || CODE_LABELS.has(town[1]) || stickyAt(LINE_END_AFTER, text, end) === null) continue;
    const start = m.index - town[0].length + town[0].indexOf(town[1]);
    hits.push({ type: 'ADDRESS', start, end, placeholder: '[ADDRESS]' });
  }
  return hits;
}

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

/** A word glued before `rain` that makes it an English word, not a Swiss street (`Terrain 5`, `Strain 2`, `Bahrain 2`). */
const ENGLISH_RAIN = /(?:train|terrain|bahrain)$/i;

/** Whether a street cue at `at` is `rain` ending an English word or a country (`Terrain`, `Strain`, `Bahrain`). */
function englishRain(text: string, start: number, at: number): boolean {
  return text.slice(at, at + 4).toLowerCase() === 'rain' && ENGLISH_RAIN.test(text.slice(start, at + 4));
}

/**
 * A word glued before `matt(e)` that makes it a mat one buys, not a Swiss street named after a meadow (`Bahnhofmatte`,
 * `Kirchmatt`): `Yogamatte 2`, `Fussmatte 3`, `Isomatte 2`, a checkmate (`Schachmatt 2`). A street's first word names a
 * place (a station, a church, a brook, a field), never one of these uses.
 */
const PRODUCT_MAT = /(?:yoga|pilates|gymnastik|turn|sport|fitness|trainings|iso|camping|luft|schlaf|liege|bade|dusch|wickel|krabbel|maus|heiz|kühl|gummi|schaum|kork|filz|kokos|sisal|bambus|schneide|back|silikon|akupressur|massage|schutz|rutsch|hunde|kofferraum|schmutzfang|sauberlauf|fu(?:ss|ß)|schach)matte?$/i;

/** Whether a street cue at `at` is `matt(e)` ending the name of a mat (`Yogamatte`, `Fussmatte`): see PRODUCT_MAT. */
function productMat(text: string, start: number, at: number): boolean {
  const end = text.slice(at, at + 5).toLowerCase() === 'matte' ? at + 5 : at + 4;
  return text.slice(at, at + 4).toLowerCase() === 'matt' && PRODUCT_MAT.test(text.slice(start, end));
}

/** Whether the street cue at `at` ends a word that only looks like a street's name (`Spring`, `Terrain`, `Yogamatte`). */
function streetLikeWord(text: string, start: number, at: number): boolean {
  return englishRing(text, start, at) || englishRain(text, start, at) || productMat(text, start, at);
}

/**
 * A town in French or Italian Switzerland, France or Italy, or one named so (`Genève`, `La Chaux-de-Fonds`,
 * `Yverdon-les-Bains`, `L'Abbaye`, `Le Mont-sur-Lausanne`, `Saint-Maurice`), and a German one (`Frankfurt am Main`), with
 * a district's number ending the address (`Genève 3`).
 */
const ROMANCE_TOWN_WORD = String.raw`(?:\p{Lu}[\p{Ll}'’]{1,30}(?:-\p{L}[\p{Ll}'’]{0,30}){0,4}|\p{Lu}[\p{Lu}-]{1,40})`;
const ROMANCE_TOWN_NAME = String.raw`[ \t]{1,3}(?:(?:La|Le|Les)[ \t]|L['’])?${ROMANCE_TOWN_WORD}(?:[ \t](?:am|an der|im|ob der|sur|sous|près|en|di|del|della|al|sul)[ \t]${ROMANCE_TOWN_WORD})?(?:[ \t]\d{1,2}(?=[ \t]*(?:[,.;!?)]|\r?\n|$)))?`;
/**
 * After a street: a postal code of four or five digits and the town, after a comma, `|` or line break, or after a blank
 * (or `à`, `a`, `in`) with five digits or a country's letters (`CH-1201`, `F-75002`, `I-20121`), as TOWN.
 */
const ROMANCE_TOWN = String.raw`(?:(?:${TOWN_BREAK}|[ \t]{1,3}(?:(?:in|à|a)[ \t]{1,3})?)(?:(?:CH|F|I|D|A)-\d{4,5}|\d{5})|${TOWN_BREAK}\d{4})${ROMANCE_TOWN_NAME}`;
const ROMANCE_POSTAL_TOWN = new RegExp(String.raw`${ROMANCE_TOWN}${END_OF_WORD}`, 'uy');

/** French and Italian street types that name nothing else, before the street's name (`Rue de Lausanne 15`, `Viale Franscini 10`). */
const ROMANCE_TYPE_SURE = String.raw`[Rr]ue|[Aa]venue|[Bb]oulevard|[Cc]hemin|[Ii]mpasse|[Aa]llée|[Qq]uai|[Vv]iale|[Pp]iazzale|[Pp]iazza|[Vv]icolo|RUE|AVENUE|BOULEVARD|CHEMIN|VIALE|PIAZZA`;
/**
 * Types that are words too (`via email`, `take place`, `Route 66`, `Corso`, `largo`) or abbreviations (`Av.`, `Bd`,
 * `Ch.`, `Rte`, `P.za`): a street only before a particle (`Place de la Gare 2`, `Via della Posta 3`) or with its postal
 * code and town after it (`Via Nassa 5, 6900 Lugano`).
 */
const ROMANCE_TYPE_WORD = String.raw`[Vv]ia|[Rr]oute|[Pp]lace|[Cc]orso|[Ll]argo|[Aa]v\.|[Bb]d\.?|[Cc]h\.|[Rr]te\.?|[Pp]\.za|VIA|ROUTE|PLACE|CORSO`;
/** The particles of a street's name (`de la`, `du`, `des`, `della`, `dei`, `di`, `al`): lower case only. */
const ROMANCE_PARTICLE = String.raw`(?:de|du|des|la|le|les|della|del|dei|degli|delle|dello|di|da|dal|al|alla|alle|ai|à|au|aux|sur|sous)`;
/** A street name's word, capitalised, maybe hyphened or elided (`Lausanne`, `Mont-Blanc`, `l'Aéroport`, `dell'Orologio`). */
const ROMANCE_WORD = String.raw`(?:(?:[lLdD]|dell|all|sull)['’])?(?:\p{Lu}[\p{Ll}'’]{0,30}(?:-\p{L}[\p{Ll}'’]{0,30}){0,4}|\p{Lu}[\p{Lu}'’-]{1,40})`;
/** One to four words of a street's name, particles before each (`de la Gare`, `du Mont-Blanc`, `Nassa`, `Stefano Franscini`). */
const ROMANCE_NAME = String.raw`(?:${ROMANCE_PARTICLE}[ \t]){0,2}${ROMANCE_WORD}(?:[ \t](?:${ROMANCE_PARTICLE}[ \t]){0,2}${ROMANCE_WORD}){0,3}`;
/**
 * At a French or Italian street type, as Switzerland and Italy write it: the type (group 1 when it is a word too), the
 * name, the house number (`15`, `5a`, `3 bis`, `Via Roma, 12`) and the postal code and town after it (group 2).
 */
const ROMANCE_STREET = new RegExp(
  String.raw`(?:${ROMANCE_TYPE_SURE}|(${ROMANCE_TYPE_WORD}))[ \t]{1,3}(${ROMANCE_PARTICLE}[ \t])?${ROMANCE_NAME},?[ \t]{1,3}\d{1,4}(?:[a-z]|[ \t](?:bis|ter|[A-Z]))?${DOOR}${END_OF_WORD}(${ROMANCE_TOWN}${END_OF_WORD})?`,
  'uy',
);
/** As France writes it, the street after its number (found before the type by NUMBER_BEFORE): type and name, then the postal code and town (group 2). */
const ROMANCE_STREET_AFTER_NUMBER = new RegExp(
  String.raw`(?:${ROMANCE_TYPE_SURE}|(${ROMANCE_TYPE_WORD}))[ \t]{1,3}(${ROMANCE_PARTICLE}[ \t])?${ROMANCE_NAME}${END_OF_WORD}(${ROMANCE_TOWN}${END_OF_WORD})?`,
  'uy',
);
/** A house number right before a French street type (`15 rue`, `3 bis, avenue`, `12, rue`). */
const NUMBER_BEFORE = /(?<![\p{L}\p{N}])\d{1,4}(?:[a-z]|[ \t](?:bis|ter))?,?[ \t]{1,3}$/u;
/** Where ROMANCE_STREET may start: a street type, with a blank after it (checked for a letter or digit before it in `romanceStreetHits`). */
const ROMANCE_CUE = /(?:rue|avenue|boulevard|chemin|impasse|allée|quai|viale|piazzale|piazza|vicolo|via|route|place|corso|largo|av\.|bd\.?|ch\.|rte\.?|p\.za)[ \t]/gi;

/**
 * French and Italian streets with a house number, after the name (`Rue de Lausanne 15`, `Via Nassa 5, 6900 Lugano`) or
 * before the type (`15 rue de la Paix, 75002 Paris`), with the postal code and town after or right before them
 * (`withTownBefore`). A type that is a word too needs a particle after it or the postal code and town.
 */
function romanceStreetHits(text: string): Hit[] {
  const hits: Hit[] = [];
  ROMANCE_CUE.lastIndex = 0;
  for (let cue = ROMANCE_CUE.exec(text); cue !== null; cue = ROMANCE_CUE.exec(text)) {
    const at = cue.index;
    if (at > 0 && LETTER_OR_DIGIT.test(text[at - 1])) continue;
    let start = at;
    let street = stickyAt(ROMANCE_STREET, text, at);
    const number = NUMBER_BEFORE.exec(text.slice(Math.max(0, at - 16), at));
    const after = number === null ? null : stickyAt(ROMANCE_STREET_AFTER_NUMBER, text, at);
    // `12 rue du Rhône, 1204 Genève`: with a number before the type and the town after the name, the postal code is no
    // house number (ROMANCE_STREET read `rue du Rhône, 1204` and left the number and town out).
    if (after !== null && (street === null || (after[3] !== undefined && after[0].length >= street[0].length))) {
      street = after;
      start = at - number![0].length;
    }
    if (street === null) continue;
    const withTown = withTownBefore(text, start);
    // `via email 5`, `take place 3`, `Route 66`: a type that is a word too, without a particle or a town, is no street.
    if (street[1] !== undefined && street[2] === undefined && street[3] === undefined && withTown === start) continue;
    const end = street.index + street[0].length;
    hits.push({ type: 'ADDRESS', start: withTown, end, placeholder: '[ADDRESS]' });
    ROMANCE_CUE.lastIndex = Math.max(ROMANCE_CUE.lastIndex, end);
  }
  return hits;
}

/**
 * A postal code and town right before a street in the same phrase (`in 8400 Winterthur an der Technikumstrasse 9a`,
 * `75002 Paris, 15 rue de la Paix`), ending where the street starts: the town (group 1) is checked against UNIT_WORDS.
 */
const TOWN_BEFORE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:(?:CH|A|D|F|I)-)?\d{4,5}[ \t]{1,3}(${ROMANCE_TOWN_WORD})(?:[ \t]${ROMANCE_TOWN_WORD})?(?:,[ \t]{0,3}|[ \t]{1,3}(?:(?:an der|in der|auf der|am|im|an|in|à|au|en|in via|nella|alla)[ \t]{1,3})?)$`,
  'u',
);
/** Words after a number that make it an amount or a count, not a postal code (`5000 Franken an der Bahnhofstrasse 3`). */
const UNIT_WORDS = new Set('franken fr chf eur euro euros usd dollar dollars francs franchi stück mal jahre jahren monate tage km meter personen kunden aktien'.split(' '));
/** How far before a street its postal code and town may start. */
const TOWN_BEFORE_LOOKBACK = 80;

/** Where a street found at `start` starts with the postal code and town right before it on its line (TOWN_BEFORE), or `start`. */
function withTownBefore(text: string, start: number): number {
  const from = Math.max(0, start - TOWN_BEFORE_LOOKBACK);
  const before = text.slice(from, start);
  const m = TOWN_BEFORE.exec(before.slice(before.lastIndexOf('\n') + 1));
  return m === null || UNIT_WORDS.has(m[1].toLowerCase()) ? start : start - m[0].length;
}

/**
 * A PO box: `Postfach` (group 1), `PO Box` or `P.O. Box`, French and Italian ones (group 3: `Case postale`, `Casella
 * postale`, `Boîte postale`), and its number (group 2), also in groups (`Postfach 10 20 30`). Checked for a letter or
 * digit before it in `poBoxHits`: a lookbehind slows the scan.
 */
const PO_BOX = /(?:(Postfach|POSTFACH)|P\.?[ \t]?O\.?[ \t]?(?:Box|BOX)|(?:Case|Casella|Boîte|CASE|CASELLA)[ \t](?:postale|POSTALE))[ \t]{1,3}(\d{1,6}(?:[ \t]\d{2,3}){0,3})(?![\p{L}\p{N}])/gu;
/** The postal code and town after a German PO box (`, 10115 Berlin`). */
const POSTAL_TOWN = new RegExp(String.raw`${TOWN}${END_OF_WORD}`, 'uy');
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** The longer of two matches at one place, if any (a Swiss town with its district's number: `1211 Genève 3`). */
function longer(a: RegExpExecArray | null, b: RegExpExecArray | null): RegExpExecArray | null {
  return a === null || (b !== null && b[0].length > a[0].length) ? b : a;
}

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
    const town = longer(stickyAt(POSTAL_TOWN, text, end), stickyAt(ROMANCE_POSTAL_TOWN, text, end)) ?? stickyAt(ENGLISH_TOWN, text, end);
    const digits = m[2].replace(/[ \t]/g, '');
    if (town === null && m[1] !== undefined && (digits.length < 4 || YEAR.test(digits))) continue;
    hits.push({ type: 'ADDRESS', start: m.index, end: end + (town?.[0].length ?? 0), placeholder: '[ADDRESS]' });
  }
  return hits;
}

/**
 * Streets with a house number and PO boxes, and the postal code and town after them (`[ADDRESS]`), and before a street
 * (`withTownBefore`), in text order, hits that overlap joined.
 */
export function addressHits(text: string): Hit[] {
  const hits: Hit[] = [...prepositionStreetHits(text), ...poBoxHits(text), ...romanceStreetHits(text), ...bareStreetHits(text), ...postcodeHits(text)];
  GERMAN_CUE.lastIndex = 0;
  for (let cue = GERMAN_CUE.exec(text); cue !== null; cue = GERMAN_CUE.exec(text)) {
    const start = streetStart(text, cue.index);
    const street = stickyAt(GERMAN_STREET, text, start);
    // A house number that reads as a year after a word ending like a street (`Spring 2026`, `Offering 2026`) is a
    // date, and an English word in -ring (`Spring 26`, `Monitoring 2`) or a mat (`Yogamatte 2`) no street, unless a
    // postal code and town follow (`Musterstraße 1999, 10115 Berlin`).
    if (street === null || (street[2] === undefined && (YEAR.test(street[1]) || streetLikeWord(text, start, cue.index)))) continue;
    hits.push({ type: 'ADDRESS', start: withTownBefore(text, start), end: start + street[0].length, placeholder: '[ADDRESS]' });
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
    const hit: Hit = { type: 'ADDRESS', start: withFlatBefore(text, from + number.index), end: end + (town?.[0].length ?? 0), placeholder: '[ADDRESS]' };
    // A street type inside the name of the street before it (`Evergreen Terrace Road`): the longer street.
    const last = hits[hits.length - 1];
    if (last !== undefined && last.start === hit.start && last.end < hit.end) last.end = hit.end;
    else hits.push(hit);
  }
  return joined(hits.sort((a, b) => a.start - b.start || b.end - a.end));
}

/** Hits in text order with those that overlap joined into one (`Limmatquai 78` as a German and a French street). */
function joined(hits: Hit[]): Hit[] {
  const out: Hit[] = [];
  for (const h of hits) {
    const last = out[out.length - 1];
    if (last !== undefined && h.start < last.end) last.end = Math.max(last.end, h.end);
    else out.push({ ...h });
  }
  return out;
}
