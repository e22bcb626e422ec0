import { z } from 'zod';
import { CleanOptionsError } from './errors.js';
import { keyedHits } from './keyed-numbers.js';
import { addressHits, nameHits } from './names.js';

/** A user pattern, e.g. a depot number: `{ type: 'DEPOT', pattern: '\\bDP\\d{8}\\b' }` masks as `[DEPOT]`. */
export const RedactPatternSchema = z.object({
  type: z.string().regex(/^[A-Z][A-Z0-9_]{0,31}$/, 'type must be upper-case letters, digits or _'),
  pattern: z.union([z.string().min(1), z.instanceof(RegExp)]),
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
   * (`[TAX_ID]`), card security codes (`[CVV]`) and dates of birth (`[BIRTHDATE]`). The keyword stays.
   */
  ids: z.boolean().default(true),
  /**
   * Names the text marks (after a salutation or title, which stays; greeted before a comma; given by the
   * writer; signed after a closing: `[NAME]`) and streets with a house number, with the postal code and town after them
   * (`[ADDRESS]`). Off by default: it made cleaning the reply-parser fixtures 4-13% slower, and the
   * model's input never leaves the process. On where text does leave: `mailroute clean` and stored
   * prediction text.
   */
  names: z.boolean().default(false),
  patterns: z.array(RedactPatternSchema).default([]),
});
export type RedactOptions = z.input<typeof RedactOptionsSchema>;

/** Where a placeholder sits in the redacted text (`start` inclusive, `end` exclusive). */
/** One masked span: its detector and offsets; `part` says it is in the signature or the quoted text (absent: in the text). */
export const RedactionSchema = z.object({ type: z.string(), start: z.number().int(), end: z.number().int(), part: z.enum(['signature', 'quoted']).optional() });
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
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

// Every quantifier is bounded and the alternatives are disjoint, so matching stays linear.
const IBAN_RE = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g;
const CARD_RE = /\b\d(?:[ -]?\d){11,18}\b/g;
const PHONE_RE = /(?:\+|\b0)\d(?:[ ./-]?\(?\d\)?){5,16}\d\b/g;
const DATE_LIKE = /^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$/;
/** `[A-Za-z0-9.-]`: a character of a domain name. */
function isDomainChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 45;
}

/** `[A-Za-z0-9._%+-]`: a character of an address's local part. */
function isLocalChar(c: number): boolean {
  return isDomainChar(c) || c === 95 || c === 37 || c === 43;
}

/**
 * The matches of one of the global patterns above, in order: what `text.matchAll(re)` gives, without the copy of
 * the pattern it makes per call (none of these patterns matches the empty string).
 */
function allMatches(re: RegExp, text: string): RegExpExecArray[] {
  const found: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) found.push(m);
  return found;
}

function ibanHits(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of allMatches(IBAN_RE, text)) {
    // The greedy match may run into a following code; shorten at character boundaries until the checksum holds.
    const raw = m[0];
    for (let end = raw.length; end >= 15; end -= 1) {
      if (raw[end - 1] === ' ') continue;
      const next = raw[end];
      if (next !== undefined && next !== ' ') continue;
      if (isValidIban(raw.slice(0, end).replace(/ /g, ''))) {
        hits.push({ type: 'IBAN', start: m.index, end: m.index + end, placeholder: '[IBAN]' });
        break;
      }
    }
  }
  return hits;
}

function cardHits(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of allMatches(CARD_RE, text)) {
    const digits = m[0].replace(/[ -]/g, '');
    if (digits.length >= 13 && isValidLuhn(digits)) hits.push({ type: 'CARD', start: m.index, end: m.index + m[0].length, placeholder: '[CARD]' });
  }
  return hits;
}

function emailHits(text: string): Hit[] {
  // Scan from each '@' outwards instead of a regex: linear even on a megabyte of address characters.
  const hits: Hit[] = [];
  let at = text.indexOf('@');
  let lastEnd = 0;
  while (at !== -1) {
    let s = at;
    while (s > lastEnd && at - s < 64 && isLocalChar(text.charCodeAt(s - 1))) s -= 1;
    while (s < at && text[s] === '.') s += 1;
    let e = at + 1;
    while (e < text.length && e - at < 255 && isDomainChar(text.charCodeAt(e))) e += 1;
    while (e > at + 1 && (text[e - 1] === '.' || text[e - 1] === '-')) e -= 1;
    const domain = text.slice(at + 1, e);
    if (s < at && /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}$/.test(domain)) {
      hits.push({ type: 'EMAIL', start: s, end: e, placeholder: '[EMAIL]' });
      lastEnd = e;
    }
    at = text.indexOf('@', Math.max(at + 1, e));
  }
  return hits;
}

function phoneHits(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of allMatches(PHONE_RE, text)) {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length < 7 || digits.length > 15 || DATE_LIKE.test(m[0])) continue;
    hits.push({ type: 'PHONE', start: m.index, end: m.index + m[0].length, placeholder: '[PHONE]' });
  }
  return hits;
}

function patternHits(text: string, p: RedactPattern): Hit[] {
  let re: RegExp;
  try {
    const src = typeof p.pattern === 'string' ? p.pattern : p.pattern.source;
    const flags = typeof p.pattern === 'string' ? 'g' : p.pattern.flags.includes('g') ? p.pattern.flags : `${p.pattern.flags}g`;
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
 * Masks IBANs (mod-97 valid), card numbers (Luhn valid), email addresses, numbers named by a keyword
 * (`ids`), phone numbers, configured patterns and, when asked, marked names and street addresses
 * (`names`) with typed placeholders. Overlaps go to the earlier
 * detector: user patterns first, then that order. `redactions` give each placeholder's place in the
 * returned text.
 */
export function redactPii(text: string, options: RedactOptions = {}): RedactResult {
  let o = DEFAULTS;
  if (Object.keys(options).length > 0) {
    const parsed = RedactOptionsSchema.safeParse(options);
    if (!parsed.success) throw new CleanOptionsError(`invalid redaction options: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
    o = parsed.data;
  }
  // Most texts have no digits or no '@': skip the detectors that cannot match.
  const digits = /\d/.test(text);
  if (!digits && !o.names && o.patterns.length === 0 && !text.includes('@')) return { text, redactions: [] };
  const groups: Hit[][] = [
    ...o.patterns.map((p) => patternHits(text, p)),
    o.iban && digits ? ibanHits(text) : [],
    o.card && digits ? cardHits(text) : [],
    o.email ? emailHits(text) : [],
    o.ids && digits ? keyedHits(text) : [],
    o.phone && digits ? phoneHits(text) : [],
    o.names ? nameHits(text) : [],
    o.names && digits ? addressHits(text) : [],
  ];
  if (groups.every((g) => g.length === 0)) return { text, redactions: [] };
  // Claim characters group by group; a later hit that overlaps a claimed span is dropped.
  const claimed = claimedScratch(text.length);
  const chosen: Hit[] = [];
  for (const group of groups) {
    for (const h of group) {
      let free = true;
      for (let i = h.start; i < h.end && free; i += 1) if (claimed[i] === 1) free = false;
      if (!free) continue;
      claimed.fill(1, h.start, h.end);
      chosen.push(h);
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
