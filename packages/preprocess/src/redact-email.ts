// The email address detector of `redactPlain` (`[EMAIL]`): addresses with an `@`, and those written with `(at)`, `[at]`,
// ` at ` and `(dot)` or ` dot ` to keep them from spam robots.

import { allMatches, type Hit } from './redact-hit.js';

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

/** A domain of labels (letters of any script, digits, `-`) and a top-level domain of 2 to 24 letters. */
const EMAIL_DOMAIN = /^[\p{L}\p{M}0-9-]+(?:\.[\p{L}\p{M}0-9-]+)*\.\p{L}{2,24}$/u;

export function emailHits(text: string): Hit[] {
  // Scan from each '@' outwards instead of a regex: linear even on a megabyte of address characters.
  const hits: Hit[] = [];
  let at = text.indexOf('@');
  let lastEnd = 0;
  while (at !== -1) {
    // `max.mustermann @ example.de`, `max.mustermann@ mail.example`: a blank on one side of the '@' or each, as some write an
    // address to keep it from robots or mistype it (then with a known top-level domain).
    const gapBefore = text.charCodeAt(at - 1) === 32 ? 1 : 0;
    const gapAfter = text.charCodeAt(at + 1) === 32 ? 1 : 0;
    const localEnd = at - gapBefore;
    const domainStart = at + 1 + gapAfter;
    let s = localEnd;
    while (s > lastEnd && localEnd - s < 64 && isLocalChar(text.charCodeAt(s - 1))) s -= 1;
    // A dot or an apostrophe opens no address: `'max@example.de'` is quoted.
    while (s < localEnd && (text[s] === '.' || text[s] === "'")) s += 1;
    if (s === localEnd && gapBefore === 0) s = quotedLocalStart(text, localEnd, lastEnd);
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

/**
 * Where a local part in quotation marks starts (`"max mustermann"@example.com`, RFC 5322's quoted string: blanks and
 * other characters an address cannot hold otherwise) that ends at `localEnd`; `localEnd` when there is none. On one
 * line, at most 64 characters, not before `lastEnd`.
 */
function quotedLocalStart(text: string, localEnd: number, lastEnd: number): number {
  if (text.charCodeAt(localEnd - 1) !== 34) return localEnd;
  // Only the 64 characters before the closing quote are read: a quote further back opens no local part.
  const from = Math.max(lastEnd, localEnd - QUOTED_LOCAL_CHARS - 2);
  const inside = text.slice(from, localEnd - 1);
  const open = inside.lastIndexOf('"');
  if (open < 0 || open === inside.length - 1 || inside.includes('\n', open)) return localEnd;
  return from + open;
}
/** The longest local part in quotation marks, as RFC 5321 bounds a local part. */
const QUOTED_LOCAL_CHARS = 64;

/** `at` or the German `ät` (read as the same word) in brackets. */
const BRACKETED_AT = String.raw`[([{][aä]t[)\]}]`;
/** `(at)`, `[at]` or `{at}` written for '@' (or `(ät)`), as people do to keep an address from spam robots. */
const OBFUSCATED_AT = new RegExp(BRACKETED_AT, 'i');
/** A dot written in brackets: `(dot)`, `[dot]`, `(punkt)`, `[.]`, `(.)`. */
const BRACKETED_DOT = String.raw`[ \t]?[([{](?:dot|punkt|\.)[)\]}][ \t]?`;
/** Top-level domains an address spelled out in words may end with: a known one, so that prose (`at home dot`) stays. */
const SPELLED_TLDS = 'com|net|org|info|biz|de|at|ch|li|lu|nl|be|fr|it|es|uk|eu|io|us|ca|au|pl|dk|se|no|fi|pt|cz|ie';
/**
 * A dot between blanks before a known top-level domain (`gmx . de`), as an address with a bracketed `at` has it
 * (`hans.meier (at) gmx . de`): prose after a bracketed `at` (`(at) home . Then`) ends with no such domain.
 */
const SPACED_DOT = String.raw`[ \t]\.[ \t](?=(?:${SPELLED_TLDS})(?![\w-]))`;
/**
 * `max.mustermann(at)example.de`, `anna [at] example [dot] com`, `max[at]example[.]de`, `hans.meier (at) gmx . de`: the
 * local part (its dots maybe bracketed too, at most two: `max [dot] mustermann [at] …`), the `at`, the domain with `.`,
 * a bracketed dot, or a dot between blanks before its top-level domain.
 */
const OBFUSCATED_EMAIL = new RegExp(
  String.raw`(?<![\w.+-])(?:[\w%+-]{1,64}${BRACKETED_DOT}){0,2}[\w.%+-]{1,64}[ \t]?${BRACKETED_AT}[ \t]?[A-Za-z0-9-]{1,63}(?:(?:\.|${BRACKETED_DOT})[A-Za-z0-9-]{1,63}){0,4}?(?:\.|${BRACKETED_DOT}|${SPACED_DOT})[A-Za-z]{2,24}(?![\w-])`,
  'gi',
);
/** ` dot ` or ` punkt ` between words: where an address spelled out in words may be. */
const SPELLED_DOT = /[ \t](?:dot|punkt)[ \t]/i;
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
export const WRITTEN_OUT = /[([{][aä]t[)\]}]|[ \t](?:dot|punkt|at)[ \t]/i;
/**
 * `at` written for '@' before a domain written with its dots (`anna.schmidt at gmx.de`; the last maybe between blanks:
 * `anna.schmidt at gmx . de`): the local part (group 1) and a domain with a known top-level domain, not a web site (`www.`).
 */
const SPELLED_AT_EMAIL = new RegExp(
  String.raw`(?<![\w.%+-])([A-Za-z][\w.%+-]{0,63})[ \t]{1,3}at[ \t]{1,3}(?!www\.)([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,3}(?:\.|[ \t]\.[ \t])(?:${WRITTEN_TLDS}))(?![\w-]|\.[A-Za-z0-9])`,
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

/** A dot between blanks, as SPELLED_AT_EMAIL's domain may end (`gmx . de`). */
const SPACED_DOTS = /[ \t]\.[ \t]/g;

/** Whether a plain local part (`isPlainLocal`) is an address's: before a mail provider's domain (`anna at gmx.de`) or after ADDRESS_CUE. */
function isPlainAddress(text: string, m: RegExpExecArray): boolean {
  return isPlainLocal(text, m) && (MAIL_PROVIDER_DOMAIN.test(m[2].replace(SPACED_DOTS, '.')) || ADDRESS_CUE.test(text.slice(Math.max(0, m.index - 48), m.index)));
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

/** The matches of an obfuscated address pattern (`OBFUSCATED_EMAIL`, `SPELLED_EMAIL`) as hits. */
function obfuscatedEmailHits(text: string, re: RegExp): Hit[] {
  return allMatches(re, text).map((m): Hit => ({ type: 'EMAIL', start: m.index, end: m.index + m[0].length, placeholder: '[EMAIL]' }));
}
