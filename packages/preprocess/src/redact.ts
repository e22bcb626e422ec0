import { z } from 'zod';
import { addressHits } from './addresses.js';
import { composeDiacritics } from './compose.js';
import { credentialHits } from './credentials.js';
import { CleanOptionsError } from './errors.js';
import { germanSocialHits } from './de-social-security.js';
import { frItIdHits } from './fr-it-ids.js';
import { documentHits } from './id-documents.js';
import { KEYED_RULES, keyedHits, type KeyedRule } from './keyed-numbers.js';
import { nameHits } from './names.js';
import { cardHits } from './redact-card.js';
import { emailHits, WRITTEN_OUT } from './redact-email.js';
import type { Hit } from './redact-hit.js';
import { ibanHits, keptIbans } from './redact-iban.js';
import { beforeNextNumber, phoneHits } from './redact-phone.js';
import { plainSpaces } from './spaces.js';
import { swissIdHits } from './swiss-ids.js';
import { ukIeIdHits } from './uk-ie-ids.js';
import { walletHits } from './wallets.js';

export type { Hit } from './redact-hit.js';
export { isValidIban } from './redact-iban.js';
export { isValidLuhn } from './redact-card.js';

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
   * Also crypto wallet addresses (Bitcoin, Ethereum) without a keyword, as `[ACCOUNT]`, Swiss AHV/AVS numbers by their
   * shape and check digit (`756.1234.5678.97`), as `[SOCIAL_SECURITY]`, Swiss business ids with their VAT suffix
   * (`CHE-123.456.789 MWST`), as `[TAX_ID]`, and by their shape and check character Italian tax codes (codice fiscale),
   * as `[TAX_ID]`, and French social security numbers (NIR), as `[SOCIAL_SECURITY]`. UK National Insurance numbers by
   * their shape and Irish PPS numbers after their keyword, as `[SOCIAL_SECURITY]`, an Eircode after its keyword, as
   * `[ADDRESS]`, and a UK sort code with its account number (`20 45 87 41236587`), as `[BANK_CODE]` and `[ACCOUNT]`.
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

/**
 * One masked span: its detector (`type`) and where its placeholder sits in the redacted text (`start` inclusive, `end`
 * exclusive); `part` says it is in the signature, the quoted text or the subject (absent: in the text).
 */
export const RedactionSchema = z.object({ type: z.string(), start: z.number().int(), end: z.number().int(), part: z.enum(['signature', 'quoted', 'subject']).optional() });
export type Redaction = z.infer<typeof RedactionSchema>;

const DEFAULTS = RedactOptionsSchema.parse({});

export interface RedactResult {
  text: string;
  redactions: Redaction[];
}

/** A user pattern as a global regular expression, refused with a clear error when it is none. */
function compiledPattern(p: RedactPattern): RegExp {
  try {
    const src = typeof p.pattern === 'string' ? p.pattern : p.pattern.source;
    const flags = typeof p.pattern === 'string' ? `${p.flags ?? ''}g` : p.pattern.flags.includes('g') ? p.pattern.flags : `${p.pattern.flags}g`;
    return new RegExp(src, flags);
  } catch (cause) {
    throw new CleanOptionsError(`redaction pattern for ${p.type} is not a valid regular expression`, { cause });
  }
}

function patternHits(text: string, re: RegExp, p: RedactPattern): Hit[] {
  const hits: Hit[] = [];
  for (const m of text.matchAll(re)) {
    if (m[0].length === 0) continue;
    hits.push({ type: p.type, start: m.index, end: m.index + m[0].length, placeholder: p.placeholder ?? `[${p.type}]` });
  }
  return hits;
}

/**
 * A user pattern's matches in the text as written and, where the detectors' folded copy (`foldedForms`) differs, in
 * that copy too: `KD-\d{8}` finds `KD-１２３４５６７８` (JavaScript's `\d` is ASCII only), and a pattern written for the
 * forms as sent still finds them. The copy is folded one character for one, so its offsets hold in the text.
 */
function userPatternHits(input: string, folded: string, p: RedactPattern): Hit[] {
  const re = compiledPattern(p);
  const asWritten = patternHits(input, re, p);
  if (folded === input) return asWritten;
  const found = new Set(asWritten.map((h) => `${h.start}:${h.end}`));
  const more = patternHits(folded, re, p).filter((h) => !found.has(`${h.start}:${h.end}`));
  return more.length === 0 ? asWritten : [...asWritten, ...more].sort((a, b) => a.start - b.start || b.end - a.end);
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

// Scratch of claimedHits (synchronous, so never shared): which characters a hit already claimed. Reused up to
// SCRATCH_MAX characters, because allocating a typed array per email costs more than the masking itself.
const SCRATCH_MAX = 1 << 16;
let scratch = new Uint8Array(1024);

function claimedScratch(length: number): Uint8Array {
  if (length > SCRATCH_MAX) return new Uint8Array(length);
  if (scratch.length < length) scratch = new Uint8Array(SCRATCH_MAX);
  return scratch.fill(0, 0, length);
}

/** A letter at the end. A constant, not a literal in the function: esbuild (tsx, the serving bundle) writes a literal with `\p{…}` as `new RegExp(…)`, built anew at every call. */
const ENDS_IN_LETTER = /\p{L}$/u;

/**
 * `h` claims its characters in `claimed` (with `mark`) and goes to `chosen` unless it keeps. A function of its own, not
 * a closure in claimedHits: tsx (esbuild's keepNames) names every closure as it is made, 1% of masking the demo rows.
 */
function claim(h: Hit, mark: number, claimed: Uint8Array, chosen: Hit[]): void {
  claimed.fill(mark, h.start, h.end);
  if (h.keep !== true) chosen.push(h);
}

/**
 * The hits of `groups` that mask, in the order of their start: group by group, each hit claims its characters of
 * `text`, and a later hit that overlaps a claimed span is dropped, but for a name's words before it and, over a user
 * pattern's match, what is left of the hit. The first `userGroups` groups are the user patterns'. A hit that keeps
 * (`keep`) claims its characters but masks nothing.
 */
function claimedHits(text: string, groups: readonly (readonly Hit[])[], userGroups: number): Hit[] {
  const claimed = claimedScratch(text.length);
  const chosen: Hit[] = [];
  // A span a user pattern claimed is marked USER_CLAIM, any other CLAIM.
  for (let g = 0; g < groups.length; g += 1) {
    const mark = g < userGroups ? USER_CLAIM : CLAIM;
    for (const hit of groups[g]) {
      let firstClaimed = -1;
      for (let i = hit.start; i < hit.end && firstClaimed < 0; i += 1) if (claimed[i] !== 0) firstClaimed = i;
      if (firstClaimed < 0) {
        claim(hit, mark, claimed, chosen);
        continue;
      }
      let overUser = false;
      for (let i = firstClaimed; i < hit.end && !overUser; i += 1) overUser = claimed[i] === USER_CLAIM;
      if (hit.type === 'NAME') {
        // A name keeps its words before a claimed span (the street it ran into).
        const kept = text.slice(hit.start, firstClaimed).trimEnd();
        if (ENDS_IN_LETTER.test(kept)) claim({ ...hit, end: hit.start + kept.length }, mark, claimed, chosen);
      } else if (overUser) {
        // Over a user pattern's match, a hit keeps what no earlier hit took (`Kundennr. 1234567890` under a pattern
        // `\d{6}`: its `7890`), so that nothing of what it found stays as it was; over a built-in one's, it is dropped.
        for (const part of unclaimedParts(text, hit, claimed)) claim(part, mark, claimed, chosen);
      }
    }
  }
  return chosen.sort((a, b) => a.start - b.start);
}

/**
 * Compatibility forms that the detectors read as the ASCII characters they stand for: full-width ASCII U+FF01-U+FF5E
 * (`４１１１ １１１１ …`, `＋４９`, `max＠beispiel.de`, `ＤＥ８９`), the ideographic space U+3000 between groups
 * (`4111\u30001111 …`), Arabic-Indic and Extended Arabic-Indic digits U+0660-U+0669 and U+06F0-U+06F9 (`٤١١١`, `۴۱۱۱`),
 * the small commercial at U+FE6B (`max﹫example.de`) and the full stops of East Asian scripts, U+3002, U+FE52 and U+FF61
 * (`max@example。de`). Each is one UTF-16 unit, as the ASCII character is.
 */
const FOLDED_CHARS = '\\u0660-\\u0669\\u06f0-\\u06f9\\u3000\\u3002\\ufe52\\ufe6b\\uff01-\\uff5e\\uff61';
const FOLDED = new RegExp(`[${FOLDED_CHARS}]`);
const FOLDED_ALL = new RegExp(`[${FOLDED_CHARS}]`, 'g');
/** The forms of FOLDED_CHARS outside the full-width block and the digits, as ASCII. */
const FOLDED_SIGNS: Readonly<Record<string, string>> = { '\u3000': ' ', '\u3002': '.', '\ufe52': '.', '\ufe6b': '@', '\uff61': '.' };

/** The ASCII character a compatibility form of FOLDED_CHARS stands for. */
function asciiOf(c: string): string {
  const sign = FOLDED_SIGNS[c];
  if (sign !== undefined) return sign;
  const code = c.charCodeAt(0);
  if (code >= 0xff01) return String.fromCharCode(code - 0xfee0);
  return String.fromCharCode(48 + code - (code >= 0x06f0 ? 0x06f0 : 0x0660));
}

/**
 * Greek and Cyrillic capitals that look as Latin ones do (`Ε`, `Е` for `E`), as ASCII: in an IBAN's country code
 * (`DΕ89 3704 …`) the Greek E made the detectors see no IBAN, and its digits were masked in part as a phone number.
 */
const LOOKALIKE_CAPITALS: Readonly<Record<string, string>> = {
  '\u0391': 'A', '\u0392': 'B', '\u0395': 'E', '\u0396': 'Z', '\u0397': 'H', '\u0399': 'I', '\u039a': 'K', '\u039c': 'M',
  '\u039d': 'N', '\u039f': 'O', '\u03a1': 'P', '\u03a4': 'T', '\u03a5': 'Y', '\u03a7': 'X', '\u0405': 'S', '\u0406': 'I',
  '\u0408': 'J', '\u0410': 'A', '\u0412': 'B', '\u0415': 'E', '\u041a': 'K', '\u041c': 'M', '\u041d': 'H', '\u041e': 'O',
  '\u0420': 'P', '\u0421': 'C', '\u0422': 'T', '\u0425': 'X',
};
const LOOKALIKE_CLASS = '\\u0391\\u0392\\u0395-\\u0397\\u0399\\u039a\\u039c\\u039d\\u039f\\u03a1\\u03a4\\u03a5\\u03a7\\u0405\\u0406\\u0408\\u0410\\u0412\\u0415\\u041a\\u041c-\\u041e\\u0420-\\u0422\\u0425';
const LOOKALIKE = new RegExp(`[${LOOKALIKE_CLASS}]`);
/** A look-alike capital in the letters right before a number (`DΕ89`, `ΒΕ71`): a code, where it is read as Latin; in words it stays. */
const LOOKALIKE_IN_CODE = new RegExp(`[${LOOKALIKE_CLASS}](?=[A-Z${LOOKALIKE_CLASS}]?\\d)`, 'g');

/**
 * `text` with its compatibility forms (FOLDED_CHARS) as ASCII, and look-alike capitals before a number as Latin, for
 * the detectors, which know only ASCII digits, letters, `+`, `@` and blanks: a card number in full-width digits stayed
 * as it was. One character for one, so that the offsets found in it hold in `text`, which keeps its characters as
 * written outside the masks. A text without one is as it is.
 */
function foldedForms(text: string): string {
  const folded = FOLDED.test(text) ? text.replace(FOLDED_ALL, asciiOf) : text;
  return LOOKALIKE.test(folded) ? folded.replace(LOOKALIKE_IN_CODE, (c) => LOOKALIKE_CAPITALS[c] ?? c) : folded;
}

/**
 * Masks with typed placeholders, in this order: configured patterns; IBANs (mod-97 valid, or of their country's exact
 * length: a typo); card numbers (Luhn valid, in an issuer's range); email addresses; crypto wallet addresses (`ids`);
 * secrets and logins a keyword names (`credentials`); numbers a keyword names (`ids`, and card and phone numbers after
 * their keyword with `card` and `phone`); identity documents and social security numbers (`ids`); Swiss AHV numbers
 * and suffixed business ids by their shape (`ids`); Italian tax codes and French social security numbers by their shape
 * (`ids`); UK and Irish numbers (`ids`: National Insurance numbers by their shape, PPS numbers and Eircodes after their
 * keyword, a sort code with its account number); phone numbers; and,
 * when asked (`names`), street addresses and marked names. Where hits overlap, the earlier detector wins (over a user
 * pattern's match, a later hit keeps what is left of it). Letters written decomposed come back composed
 * (`composeDiacritics`), no-break spaces as spaces and soft hyphens and zero-width characters gone (`plainSpaces`);
 * full-width forms, the ideographic space and Arabic-Indic digits are read as ASCII (`foldedForms`) but stay as written
 * outside the masks; user patterns read the text both as written and so folded. `redactions` give each placeholder's
 * place in the returned text.
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
 * (`normaliseText` made it so): the two scans that would find nothing to change are skipped. The detectors read `input`
 * with its compatibility forms as ASCII (`foldedForms`); user patterns read it both so and as written.
 */
export function redactPlain(input: string, options: RedactOptions = {}): RedactResult {
  let o = DEFAULTS;
  if (Object.keys(options).length > 0) {
    const parsed = RedactOptionsSchema.safeParse(options);
    if (!parsed.success) throw new CleanOptionsError(`invalid redaction options: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
    o = parsed.data;
  }
  // What the detectors read: the offsets they find hold in `input`, which the masks are put into.
  const text = foldedForms(input);
  // Most texts have no digits or no '@': skip the detectors that cannot match.
  const from = numberScanStart(text);
  const digits = from >= 0;
  // Found first: a secret may be a word without digits (`Kennwort: sommerwind`).
  const credentials = o.credentials ? credentialHits(text) : [];
  if (!digits && credentials.length === 0 && !o.names && o.patterns.length === 0 && !text.includes('@') && !WRITTEN_OUT.test(text)) return { text: input, redactions: [] };
  const addresses = o.names && digits ? addressHits(text) : [];
  const numbers = digits ? hyphenated(text) : text;
  const blanked = digits ? blankTabs(numbers) : numbers;
  const ibans = digits ? (o.iban ? ibanHits(blanked, from) : keptIbans(blanked, from)) : [];
  const cards = o.card && digits ? cardHits(withoutSpans(blanked, ibans), from) : [];
  const taken = cards.length === 0 ? ibans : [...ibans, ...cards].sort((a, b) => a.start - b.start);
  const others = withoutSpans(numbers, taken);
  const groups: Hit[][] = [
    ...o.patterns.map((p) => userPatternHits(input, text, p)),
    ibans,
    cards,
    o.email ? emailHits(text) : [],
    o.ids && digits ? walletHits(text, from) : [],
    credentials,
    // German social security numbers by their shape, before the keyed numbers: after `Versicherungsnummer` (a policy's
    // keyword too) the account reading took its digits and left the letter and serial.
    o.ids && digits ? germanSocialHits(others, from) : [],
    digits && (o.ids || o.card || o.phone || o.iban) ? keyedHits(others, keyedRulesOn(o), from).map((h) => beforeNextNumber(others, h)) : [],
    o.ids && digits ? documentHits(others) : [],
    // AHV numbers and suffixed UIDs by their shape alone: after the keyed ones, so that a keyword's own type wins.
    o.ids && digits ? swissIdHits(others) : [],
    // Italian tax codes and French social security numbers by their shape and check character, likewise.
    o.ids && digits ? frItIdHits(others, from) : [],
    // UK National Insurance numbers by their shape, NINOs, Irish PPS numbers and Eircodes after their keywords, and a UK
    // sort code with its account number: after the keyed ones too (`Tax ID: 8765432S` is a `[TAX_ID]`), before phones.
    o.ids && digits ? ukIeIdHits(others, from) : [],
    o.phone && digits ? phoneHits(blanked === numbers ? others : withoutSpans(blanked, taken), from) : [],
    // Addresses before names: a name that runs into the street after it (`Herr MEYER Musterstraße 12`) ends before it.
    addresses,
    o.names ? nameHits(text, o.knownNames.map((name) => foldedForms(composeDiacritics(name))), addresses) : [],
  ];
  if (groups.every((g) => g.length === 0)) return { text: input, redactions: [] };
  const chosen = claimedHits(text, groups, o.patterns.length);
  let out = '';
  let pos = 0;
  const redactions: Redaction[] = [];
  for (const h of chosen) {
    out += input.slice(pos, h.start);
    redactions.push({ type: h.type, start: out.length, end: out.length + h.placeholder.length });
    out += h.placeholder;
    pos = h.end;
  }
  out += input.slice(pos);
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