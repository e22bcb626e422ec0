// The IBAN detector of `redactPlain` (`[IBAN]`), and the mod-97 check it runs.

import type { Hit } from './redact-hit.js';

/** IBANs as hits that keep them: with the `iban` detector off, a phone or card number must not take a part of one. */
export function keptIbans(text: string, from: number): Hit[] {
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

// Every quantifier is bounded and the alternatives are disjoint (but IBAN_RE's last, tried only when the others fail),
// so matching stays linear.
/**
 * Between the groups of an IBAN: one to eight blanks (HTML and aligned forms double them, Outlook's `&nbsp;` runs come
 * as four; a tab is read as a blank, `blankTabs`), a dash, a dot, a slash, an underscore, a comma or a line break. A
 * slash, an underscore, a comma or four blanks or more (WIDE_GAP) need a valid checksum (ibanLength).
 */
const IBAN_GAP = String.raw`(?:[\n./_,-]| {1,8})`;
/** The gaps IBAN_GAP allows that a candidate passes with only if its checksum is valid: none writes a mistyped IBAN so often. */
const WIDE_GAP = /[/_,]| {4}/;
/** Every character of IBAN_GAP, to take them out of a candidate. */
const IBAN_GAPS = /[ \n./_,-]/g;
const IBAN_CHAR = '[A-Za-z0-9]';
/**
 * Where a candidate ends: not inside a word (`\b`), or where its last digit meets the letters of a word glued on after
 * it (`DE89370400440532013000Danke`), which ibanLength takes off again, with a valid checksum only.
 */
const IBAN_END = String.raw`(?:\b|(?<=\d)(?=[A-Za-z]))`;
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
/** IBANs as written, from `start` (the country and check digits) on: the forms of the comment above. */
const ibanPattern = (start: string) =>
  new RegExp(
    String.raw`${start}(?:${IBAN_CHAR}{4,29}\n${IBAN_CHAR}{1,29}|${IBAN_CHAR}{11,30}|(?:${IBAN_GAP}${IBAN_CHAR}{4}){2,7}(?:${IBAN_GAP}${IBAN_CHAR}{1,4})?|(?:${IBAN_GAP}${IBAN_CHAR}{3}){3,10}(?:${IBAN_GAP}${IBAN_CHAR}{1,3})?|${IBAN_CHAR}{2}(?:${IBAN_GAP}${IBAN_CHAR}{4}){2,7}(?:${IBAN_GAP}${IBAN_CHAR}{1,4})?|(${UNEVEN_GROUPS}))${IBAN_END}`,
    'g',
  );
const IBAN_RE = ibanPattern(IBAN_START);
/**
 * An IBAN in capitals run into the word before it, as text copied from a PDF form joins a field's label and its value
 * (`IBANDE89370400440532013000`, `KontonummerDE89 3704 0044 0532 0130 00`): IBAN_START needs a word's start. Taken
 * only with a valid checksum and its country's shape (`gluedIbanHits`): a product code or a word of capitals seldom passes both.
 * The letter before is looked for after the first capital: most characters of a text are none, and fail at once.
 */
const GLUED_IBAN_RE = ibanPattern(String.raw`[A-Z](?<=[A-Za-zÄÖÜäöüß][A-Z])[A-Z]\d{2}`);
/** The uneven groups at one place: where an evenly grouped match was no IBAN, its groups may go on unevenly (`DE89 3704 0044 0532 013000`). */
const UNEVEN_IBAN_AT = new RegExp(String.raw`${IBAN_START}${UNEVEN_GROUPS}${IBAN_END}`, 'y');
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

const isIbanGap = (c: string | undefined) => c === ' ' || c === '-' || c === '\n' || c === '.' || c === '/' || c === '_' || c === ',';
const isAsciiLetter = (c: string | undefined) => c !== undefined && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
/** Letters alone: a word glued on after an IBAN (`Danke` of `DE89370400440532013000Danke`). */
const GLUED_WORD = /^[A-Za-z]+$/;

/**
 * IBANs: in upper case with a valid checksum, as always; in lower case, or mistyped (checksum failing),
 * only with a known country's exact length and account shape, so that ISINs, product codes and words
 * never pass by the 1-in-97 chance of a checksum; grouped evenly or not. Also a character or two short or too long for
 * its country, with its account shape but for that (a typo): masked whole, so that no group of it is left or taken for
 * a phone number. `from`: where the scan starts (`numberScanStart`).
 */
export function ibanHits(text: string, from: number): Hit[] {
  const hits: Hit[] = [];
  // Whether the scan looked again inside a candidate that was none (nextCountryStart) to reach this one.
  let lookedAgain = false;
  IBAN_RE.lastIndex = from;
  for (let m = IBAN_RE.exec(text); m !== null; m = IBAN_RE.exec(text)) {
    let found = ibanLength(m[0], m[1] === undefined, isAsciiLetter(text[m.index + m[0].length]));
    if ((found === undefined || found.rank === NEAR) && m[1] === undefined) {
      // Even groups that are no IBAN, or only a mistyped one, may go on unevenly (`DE89 3704 0044 0532 013000`, `… 05⏎32 0130 00`).
      UNEVEN_IBAN_AT.lastIndex = m.index;
      const uneven = UNEVEN_IBAN_AT.exec(text);
      const more = uneven === null ? undefined : ibanLength(uneven[0], false, isAsciiLetter(text[m.index + uneven[0].length]));
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
  const glued = gluedIbanHits(text, from, hits);
  return glued.length === 0 ? hits : [...hits, ...glued].sort((a, b) => a.start - b.start);
}

/** IBANs run into the word before them (GLUED_IBAN_RE), of their country's shape with a valid checksum, where `found` has none. */
function gluedIbanHits(text: string, from: number, found: readonly Hit[]): Hit[] {
  const hits: Hit[] = [];
  // `found` is in text order, as the matches: one pass tells which of them a match would overlap.
  let j = 0;
  GLUED_IBAN_RE.lastIndex = from;
  for (let m = GLUED_IBAN_RE.exec(text); m !== null; m = GLUED_IBAN_RE.exec(text)) {
    const sure = ibanLength(m[0], m[1] === undefined, isAsciiLetter(text[m.index + m[0].length]));
    if (sure?.rank !== VALID_AND_SHAPED) continue;
    const start = m.index;
    const end = start + sure.end;
    while (j < found.length && found[j].end <= start) j++;
    if (j >= found.length || found[j].start >= end) hits.push({ type: 'IBAN', start, end, placeholder: '[IBAN]' });
    GLUED_IBAN_RE.lastIndex = end;
  }
  return hits;
}

/** A group that starts as an IBAN of IBAN_LENGTHS does, in capitals, after a gap (`… DE89`). */
const COUNTRY_GROUP = /[ \n./_,-]([A-Z]{2})\d{2}/g;

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
 * IBAN is masked with its last group. A part with a slash, an underscore, a comma or four blanks between its groups
 * (WIDE_GAP) only with a valid checksum; one with a word glued on after its last digit (`DE89370400440532013000Danke`;
 * `letterAfter`: the text goes on after the match with a letter) only with a valid checksum and its country's shape,
 * and the word stays.
 */
function ibanLength(raw: string, even: boolean, letterAfter: boolean): { end: number; rank: number } | undefined {
  // The match may run into a following code; shorten at group boundaries until it is an IBAN. One of its country's
  // length goes first: a longer part may pass mod-97 by chance with the first groups of a card number after it
  // (`AT61 1904 3002 3457 3201 4010 0000 5377 0012`).
  let valid: number | undefined;
  let shaped: number | undefined;
  let near: number | undefined;
  for (let end = raw.length; end >= 15; end -= 1) {
    if (isIbanGap(raw[end - 1])) continue;
    const next = raw[end];
    const glued = next === undefined ? letterAfter : !isIbanGap(next);
    if (glued && !(next === undefined || (isDigit(raw[end - 1]) && GLUED_WORD.test(raw.slice(end))))) continue;
    const written = raw.slice(0, end);
    const compact = written.replace(IBAN_GAPS, '').toUpperCase();
    const shape = hasCountryShape(compact);
    const passes = isValidIban(compact);
    if (passes && shape) return { end, rank: VALID_AND_SHAPED };
    if (glued) continue;
    if (passes && valid === undefined && even && written === written.toUpperCase()) valid = end;
    else if (WIDE_GAP.test(written)) continue;
    else if (shaped === undefined && shape) shaped = end;
    else if (!shape && near === undefined && nearCountryShape(compact)) near = end;
  }
  const sure = valid ?? shaped;
  if (sure !== undefined) return { end: sure, rank: VALID_OR_SHAPED };
  return near === undefined ? undefined : { end: near, rank: NEAR };
}
