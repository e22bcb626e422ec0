// Line patterns for quotes and reply headers. Every pattern runs on one line cut to MAX_LINE characters,
// has bounded quantifiers only, and is anchored, so the cost per line is bounded and the total is linear.
import { isTrimSpace } from './blank.js';
import { maskedLine } from './redact.js';

export const MAX_LINE = 400;
/** Four digits that read as a year (`2019`, `2026`): an issue date after an id number, a date after a street-like word. */
export const YEAR = /^(?:19|20)\d\d$/;

/** Strips Markdown-style bold/italic markers that Outlook and mail clients put around header keys. */
export function stripMarkers(line: string): string {
  return line.includes('*') || line.includes('_') ? line.replace(/[*_]{1,3}/g, '').trim() : line.trim();
}

export const QUOTE_MARK = /^[ \t]{0,8}>/;

/**
 * Whether a line holds an address: an '@', or the placeholder masking writes for one, so that the reply-header
 * rules read a cleaned text alike before and after masking (`Von: Support <[EMAIL]>` as `Von: Support <help@example.com>`).
 */
export function hasAddress(line: string): boolean {
  return line.includes('@') || line.includes('[EMAIL]');
}

// What a line holds that several patterns below ask about, found once per line (bits of `lineFacts`).
/** An address anywhere (`hasAddress`). */
const HAS_AT = 1;
/** A ':' at index 40 or before, or a '：' before index 40: a header key may open the line. */
const KEY_COLON = 2;
/** 'line' or 'zeile' anywhere ("reply above this line", "über dieser Zeile"). */
const LINE_WORD = 4;

const LINE_WORD_HINT = /[lz](?:ine|eile)/;

/** The facts about a line that `splitterKind`, `isReplyHeader`, `mayStartHeader` and `headerKey` share. */
export function lineFacts(line: string): number {
  let facts = hasAddress(line) ? HAS_AT : 0;
  const colon = line.indexOf(':');
  const wide = colon >= 0 && colon <= 40 ? -1 : line.indexOf('：');
  if ((colon >= 0 && colon <= 40) || (wide >= 0 && wide < 40)) facts |= KEY_COLON;
  // One native scan for either word's tail rules out most lines before the two exact searches.
  if (LINE_WORD_HINT.test(line) && (line.includes('line') || line.includes('zeile'))) facts |= LINE_WORD;
  return facts;
}

const INTRO = String.raw`(?:on|am|le|el|op|il|em|w dniu|dnia|den|d\.|på|dne|в|у|στις|pe|vào|在|於|في)`;
const VERB = String.raw`(?:wrote|writes|sent|has written|schrieb|geschrieben|a écrit|a ecrit|écrit|escribió|escribio|escribieron|ha escrito|schreef|geschreven|ha scritto|scrisse|napisał(?:a|\(a\))?|napisana|napisal|pisze|şunu yazdı|yazdı|skrev(?: følgende)?|escreveu|написал(?:а|\(а\))?|написав|kirjoitti|έγραψε|írta|a scris|đã viết|viết|写道|寫道|작성|のメッセージ|كتب)`;

/** `On <date>, <name> wrote:` and its translations, whole on one line. */
const HEADER_INTRO = new RegExp(String.raw`^${INTRO}[\s,].{0,300}${VERB}.{0,150}[:：]$`, 'iu');
/** `<name> <addr> wrote:` without an intro word: needs a date, a time or an address to count. */
const HEADER_BARE = new RegExp(String.raw`^.{0,250}[\s>"')]${VERB}.{0,150}[:：]$`, 'iu');
/** `Zitat von <name> <address>:` (Horde webmail), `Quoting …:`, `Citation de …:`, `Citazione di …:`. */
const QUOTING = /^(?:zitat von|quoting|citation de|citazione di)\s.{1,200}[:：]$/i;
/** `---- John Smith wrote ----` (Android) and `---- On ... wrote ----` (Zoho): a verb between dashes. */
const HEADER_DASHED = new RegExp(String.raw`^-{2,}.{0,250}\s${VERB}\s?-{2,}$`, 'iu');
/** `2014-03-20 8:48 GMT+01:00 Name <a@b.c>:`, `26.06.2014, 14:41, "Name" <a@b.c>:`: a date first, then an address. */
const DATE_FIRST = /^(?:\d{1,4}[-./] ?\d{1,2}[-./] ?\d{1,4}|\p{L}{2,4}\.?,? \d{1,2}\.? \p{L}{3,5}\.? \d{4}|\p{L}{3}, \d{1,2} \p{L}{3} \d{4})/u;
/** A clock time (`10:15`, `8.48`), not a piece of an amount (`1200.00`) or of a date (`03.11.2025`). */
const TIME = /(?<![\d.,:])(?:[01]?\d|2[0-3])[:.][0-5]\d(?!\d|[.,]\d)/;
/** A zone offset (`+0200`, `GMT+1`), not a signed amount (`-1200.00`, `-1200,00`). */
const ZONE = /\b(?:GMT|UTC)[+-]\d|(?<![\d.,])[+-](?:0\d|1[0-4])[0-5]\d(?![\d.,])/;
/** After the time of a `<date> <time> <name>:` header: a few words of a name, team or firm (`Max Mustermann`, `"Service Team"`, `Müller & Partner`). */
// The words are split by blanks or commas that the pattern requires (`(?:word[\s,]*){1,6}` could split one word of
// n letters n^5 ways before failing: a 100-character line took seconds).
const NAME_AFTER_TIME = /^[\s,]*(?:(?:Uhr|[AaPp]\.?[Mm]\.?|(?:GMT|UTC)?[+-]\d{1,2}(?::?\d{2})?)[\s,]+)*[\p{L}\d"'’()&/.-]+(?:[\s,]+[\p{L}\d"'’()&/.-]+){0,5}[\s,]*:$/u;
/**
 * Words of a customer's own notes and statement rows after a date and time (`10:15 your hotline told me:`,
 * `10:15 Kartenzahlung REWE:`): such a line is not a reply header, whatever else it holds.
 */
const NOTE_WORDS =
  /(?:^|[\s,(])(?:i|me|my|we|you|your|ich|mir|mich|mein\w*|wir|uns|sie|ihr\w*|told|said|called|says|sagte|hat|habe|haben|war|wurde|ist|is|was|anruf|telefonat|gespräch|ergebnis|notiz|result|note|call|buchung|zahlung|kartenzahlung|lastschrift|überweisung|gutschrift|abbuchung|payment|transfer|debit|credit|purchase|einkauf|kauf|verkauf|order)(?=$|[\s,:.)])/iu;
const VERB_WORD = new RegExp(String.raw`\s${VERB}\s`, 'iu');
/** Start of a header wrapped over several lines. */
export const HEADER_START = new RegExp(String.raw`^${INTRO}(?:\s|$)`, 'iu');

const HEADER_START_LOOSE = new RegExp(String.raw`^\s*${INTRO}(?:\s|$)`, 'iu');
const DATE_FIRST_LOOSE = new RegExp(String.raw`^\s*(?:${DATE_FIRST.source.slice(1)})`, 'u');

/** A line that may be the first of a reply header wrapped over several lines. */
export function mayStartHeader(line: string, facts = lineFacts(line)): boolean {
  if (line.length >= 200) return false;
  if ((facts & HAS_AT) !== 0) {
    const l = line.trim();
    return HEADER_START.test(l) || DATE_FIRST.test(l) || VERB_WORD.test(l);
  }
  // Without an address only an intro word or a date can open a wrapped header; both sit at the start.
  const b = firstNonBlank(line);
  return (mayStartIntro(line, b) && HEADER_START_LOOSE.test(line)) || (digitNear(line, b) && DATE_FIRST_LOOSE.test(line));
}

/** Index of the first character above U+0020 (the line's length when there is none). */
function firstNonBlank(line: string): number {
  let b = 0;
  while (b < line.length && line.charCodeAt(b) <= 32) b += 1;
  return b;
}

/**
 * Whether an intro word (`on`, `am`, `le`, `в` ...) may start at `b`: its first two characters are those of an
 * ASCII intro word (on op am le el em il `w ` dn de `d.` pe), or one of them is not ASCII (`på`, `vào`, `в`,
 * `στις`: the regex judges those).
 */
function mayStartIntro(line: string, b: number): boolean {
  const c1 = line.charCodeAt(b);
  const c2 = line.charCodeAt(b + 1);
  if (c1 > 127 || c2 > 127) return true;
  const l2 = c2 | 0x20;
  switch (c1 | 0x20) {
    case 111: // o
      return l2 === 110 || l2 === 112;
    case 97: // a
      return l2 === 109;
    case 108: // l
    case 112: // p
      return l2 === 101;
    case 101: // e
      return l2 === 108 || l2 === 109;
    case 105: // i
      return l2 === 108;
    case 119: // w
      return c2 === 32;
    case 100: // d
      return l2 === 110 || l2 === 101 || c2 === 46;
    default:
      return false;
  }
}

/**
 * Whether a date may start at `b`: a date opens with a digit, or with a short weekday (at most four letters,
 * maybe outside the BMP, then a dot, a comma and a space) before one, so its first space comes at most ten
 * code units on and a digit follows it. Any non-ASCII first character may be a letter or a blank: yes.
 */
function digitNear(line: string, b: number): boolean {
  const c = line.charCodeAt(b);
  if (c > 127 || (c >= 48 && c <= 57)) return true;
  const l = c | 0x20;
  if (l < 97 || l > 122) return false;
  const space = line.indexOf(' ', b + 1);
  if (space < 0 || space > b + 10) return false;
  const d = line.charCodeAt(space + 1);
  return d >= 48 && d <= 57;
}

export function isReplyHeader(line: string, facts?: number): boolean {
  if (line.length > MAX_LINE || line.length < 6) return false;
  // Cheapest gate: a header ends with ':' (maybe inside bold markers or dashes), or has an address or a leading date.
  let e = line.length - 1;
  while (e > 0 && line.charCodeAt(e) <= 32) e -= 1;
  const lastCh = line.charCodeAt(e);
  const endsLikeHeader = lastCh === 58 || lastCh === 0xff1a || lastCh === 42 || lastCh === 95 || lastCh === 45;
  if (!endsLikeHeader && (facts === undefined ? !hasAddress(line) : (facts & HAS_AT) === 0)) {
    const c = line.charCodeAt(firstNonBlank(line));
    if (c < 48 || c > 57) return false;
  }
  const t = line.trim();
  const last = t[t.length - 1];
  if (last === '-' && t[0] === '-') return HEADER_DASHED.test(t);
  // Cheap gate first: a header ends with a colon (possibly inside bold markers), or is a bare date-and-address line.
  const s = stripMarkers(t);
  const l = s[0] === '-' || s[0] === '=' ? s.replace(/^[-=\s]+/, '') : s;
  if (l.length < 6 || l.length > 330) return false;
  return mayBeReplyHeader(l) && replyHeaderRules(l);
}

/** A sentence's end and the blanks after it: where a reply header written on the writer's last line may start. */
const SENTENCE_END = /[.!?]\s+/g;

/**
 * Two words of two letters or more. Patterns with `\p{…}` stand out here, not as literals in the functions that use
 * them: esbuild (tsx, the serving bundle) writes such a literal as `new RegExp(…)`, built anew at every call.
 */
const TWO_WORDS = /\p{L}{2,}\S*\s+\S*\p{L}{2,}/u;

/**
 * Where a reply header starts that a mail program wrote onto the end of the writer's last line (`Bitte stornieren
 * Sie den Auftrag. Am 03.11.2025 um 10:15 schrieb Kundenservice <service@bank.example>:`), or -1: after a sentence's
 * end, an intro word (`Am`, `On`, `Le`) opening what reads as a reply header by itself.
 */
export function inlineHeaderStart(line: string): number {
  const t = line.trimEnd();
  const last = t.charCodeAt(t.length - 1);
  if (last !== 58 && last !== 0xff1a) return -1;
  SENTENCE_END.lastIndex = 0;
  for (let m = SENTENCE_END.exec(t); m !== null; m = SENTENCE_END.exec(t)) {
    const at = m.index + m[0].length;
    const rest = t.slice(at);
    // Two words of the writer's at least before it: not a date's `3.` or `Mo.` inside the header itself.
    if (HEADER_START.test(rest) && isReplyHeader(rest) && TWO_WORDS.test(t.slice(0, m.index))) return at;
  }
  return -1;
}

/** An address (`hasAddress`) or a digit. */
const AT_OR_DIGIT = /[@\d]|\[EMAIL\]/;
/** `<address>` (masked: `<[EMAIL]>`). */
const ANGLE_ADDRESS = /<(?:[^<>\s]{1,100}@[^<>\s]{1,100}|\[EMAIL\])>/;
const ANGLE_ADDRESS_END = new RegExp(`${ANGLE_ADDRESS.source}$`);

/**
 * Whether a trimmed line without markers may pass `replyHeaderRules`: each of its rules needs an intro word at
 * the start, a date (so a digit), or an address (tests check the rules against this gate).
 */
export function mayBeReplyHeader(l: string): boolean {
  return mayStartIntro(l, 0) || AT_OR_DIGIT.test(l);
}

/**
 * A sender writing in the first person, or to the reader: `am 18.10. schrieb ich Ihnen bereits, dass ...:`,
 * `On Monday I wrote to you about this:`, `Ihr Kollege schrieb mir am 3.11.2025:`. A header names the writer
 * in the third person and writes to no one.
 */
const PROSE_HEADER =
  /\b(?:ich|wir)\b|\b(?:i|we)\s+(?:already\s+|have\s+|had\s+)?(?:wrote|written|sent)\b|\b(?:schrieb(?:en)?|geschrieben|wrote|sent)\s+(?:ihnen|euch|dir|mir|uns|(?:to\s+)?(?:you|me|us))\b|\b(?:mir|uns)\s(?:.{0,40}\s)?geschrieben\b/i;

/**
 * Words that speak to the reader: a possessive anywhere (`am 3.11. schrieb Ihr Berater:`, `On Monday your colleague
 * wrote:`) or `you`/`Sie` opening the line as the writer (`You wrote on 3 Nov 2025:`, `Sie schrieben am 3.11.:`). A
 * reply header names its writer after its date (`On Nov 26, 2013 you wrote:` stays one), and a display name such
 * as `Your Bank` comes with an address.
 */
const TO_READER = /(?<!\p{L})(?:your|yours|ihr|ihre|ihrem|ihren|ihrer|ihres)(?!\p{L})|^(?:you|sie)\s/iu;

/** Whether a header-like line without an address speaks to the reader (`quotes.ts` reads it as prose then, unless `>` lines follow). */
export function speaksToReader(header: string): boolean {
  return !header.includes('@') && TO_READER.test(header);
}

/**
 * Whether a line has a reply header's shape, whatever its words (`Sie schrieben mir am 3.11.2025:`, `am 3.11.2025
 * schrieb Ihr Berater:`): where `isReplyHeader` finds none, the writer's own attribution of what they quote.
 */
export function mayBeAttribution(line: string): boolean {
  if (line.length > MAX_LINE) return false;
  const l = stripMarkers(line.trim());
  return l.length >= 6 && l.length <= 330 && (l.endsWith(':') || l.endsWith('：')) && mayBeReplyHeader(l) && headerShape(l);
}

/** The reply-header rules on a trimmed line without markers, of 6 to 330 characters (`isReplyHeader` gates them). */
export function replyHeaderRules(l: string): boolean {
  // The prose test last: few lines have a header's shape, and it is the costlier test.
  return headerShape(l) && !PROSE_HEADER.test(l);
}


/** A short weekday and a digit after it (`Mo., 3`, `Tue, 4`), which a date that opens with a letter starts with (as TWO_WORDS, not inline). */
const WEEKDAY_FIRST = /^\p{L}{2,4}\.?,? \d/u;

/** A date, intro word, verb, address or colon where a reply header has them. */
function headerShape(l: string): boolean {
  const end = l[l.length - 1];
  const c0 = l.charCodeAt(0);
  // Only a date (digit or weekday) or an intro word can start a header that does not end with a colon.
  const date = (c0 >= 48 && c0 <= 57) || WEEKDAY_FIRST.test(l) ? DATE_FIRST.exec(l) : null;
  const dateFirst = date !== null;
  // What follows the date: a time looked for there is not a piece of the date itself.
  const rest = date ? l.slice(date[0].length) : l;
  if (end !== ':' && end !== '：') {
    if (!dateFirst && !hasAddress(l)) return false;
    // Bounds on a line with an address are measured as masking leaves it (`<help@example.com>` as `<[EMAIL]>`): a
    // 210-character `On ... <help@example.com> wrote: ...` was kept, masked to 192 a second cleaning cut it as a header.
    if (dateFirst && ANGLE_ADDRESS_END.test(l) && maskedLine(l).length < 150) return true;
    // `2013/7/20 sam via Discourse <x@y.z>` or `On Tue, ... 10:07 PM John <mailto:...>`: date, time, address, no verb.
    if (dateFirst && TIME.test(rest) && ZONE.test(rest) && l.length < 120) return true;
    return (dateFirst || HEADER_START.test(l)) && hasAddress(l) && l.includes('<') && TIME.test(rest) && maskedLine(l).length < 200;
  }
  if (HEADER_INTRO.test(l)) return true;
  // Horde's and IMP's attribution, which has no verb: `Zitat von Max Muster <max@example.de>:`, with its address.
  if (QUOTING.test(l) && hasAddress(l)) return true;
  // `<date> <name> <address>:`; an address alone in a note (`03.11.2025 E-Mail an service@bank.example:`) is not enough.
  if (dateFirst && ANGLE_ADDRESS.test(l)) return true;
  // `2014-03-20 8:48 Max Mustermann:`; not `03.11.2025 10:15 your hotline told me:`, a customer's own line.
  if (dateFirst) {
    const time = TIME.exec(rest);
    const after = time ? rest.slice(time.index + time[0].length) : '';
    if (time && NAME_AFTER_TIME.test(after) && !NOTE_WORDS.test(after)) return true;
  }
  return HEADER_BARE.test(l) && AT_OR_DIGIT.test(l);
}

/** An amount on a line of its own (`-49,99 EUR`, `EUR 1.234,56`, `12.50 €`): a statement row's second line. */
const AMOUNT_LINE = /^[-+−]?\s*(?:(?:EUR|€|USD|\$|CHF|GBP|£)\s*[-+−]?\s*\d{1,3}(?:[.,' ]?\d{3})*(?:[.,]\d{1,2})?|\d{1,3}(?:[.,' ]?\d{3})*[.,]\d{2}(?:\s*(?:EUR|€|USD|\$|CHF|GBP|£))?|\d{1,3}(?:[.,' ]?\d{3})*\s*(?:EUR|€|USD|\$|CHF|GBP|£))\s*$/i;

/**
 * A line that passes as a reply header only by its `<date> <time> <name>:` shape (no address, no intro
 * word) is a statement row a customer pasted (`03.11.2025 10:15 Amazon Marketplace:`) when the next
 * non-blank line is an amount, or the line above it or the next non-blank line is another dated row (a
 * date and a time): a reply header stands alone.
 */
export function isStatementRow(lines: readonly string[], i: number): boolean {
  const t = lines[i].trim();
  const c0 = t.charCodeAt(0);
  // A reply verb (`... Max Mustermann schrieb:`) makes it a header, whatever stands around it.
  if (c0 < 48 || c0 > 57 || hasAddress(t) || HEADER_BARE.test(t)) return false;
  if (i > 0 && isDatedRow(lines[i - 1].trim())) return true;
  let j = i + 1;
  while (j < lines.length && lines[j].trim() === '') j += 1;
  if (j === lines.length) return false;
  const next = lines[j].trim();
  return AMOUNT_LINE.test(next) || isDatedRow(next);
}

/** Another row of the same kind: a date, then a time (a quoted mail that starts with a date has none there). */
function isDatedRow(line: string): boolean {
  const date = DATE_FIRST.exec(line);
  return date !== null && TIME.test(line.slice(date[0].length, date[0].length + 12));
}

export const SPLIT_PHRASES = [
  'original message',
  'original-nachricht',
  'original nachricht',
  'ursprüngliche nachricht',
  'ursprungliche nachricht',
  "message d'origine",
  'message original',
  'mensaje original',
  'oorspronkelijk bericht',
  'originalmeddelande',
  'ursprungligt meddelande',
  'messaggio originale',
  'wiadomość oryginalna',
  'oprindelig meddelelse',
  'opprinnelig melding',
  'mensagem original',
  'alkuperäinen viesti',
  // Samsung's mail app (`-------- Originalnachricht --------`) and Zimbra's (`----- Ursprüngliche Mail -----`).
  'originalnachricht',
  'ursprüngliche mail',
  'reply above this line',
  'antworten sie über dieser zeile',
  'schreiben sie über dieser zeile',
];
export const FORWARD_PHRASES = [
  'forwarded message',
  'forwarded message follows',
  'weitergeleitete nachricht',
  // Zimbra's `----- Weitergeleitete Mail -----`.
  'weitergeleitete mail',
  'message transféré',
  'message transfere',
  'mensaje reenviado',
  'doorgestuurd bericht',
  'messaggio inoltrato',
  'vidarebefordrat meddelande',
  'videresendt meddelelse',
  'wiadomość przekazana',
  'mensagem encaminhada',
];
/** Whole lines that start a forwarded message (maybe with a colon). */
export const FORWARD_LINE_PHRASES = [
  'begin forwarded message',
  'anfang der weitergeleiteten nachricht',
  'début du message réexpédié',
  'inicio del mensaje reenviado',
  'forwarded message',
  'weitergeleitete nachricht',
];
const FORWARD_LINES = new RegExp(`^(?:${FORWARD_LINE_PHRASES.join('|')})\\s?:?$`, 'i');

/**
 * Words (lower case, no blank in them) one of which every phrase above holds, and Lotus Notes' forward line
 * (NOTES_FORWARD). The phrases are matched after `*` and `_` (FORWARD_LINES) or blanks (the others) are taken out and
 * the line is lower-cased, none of which splits a word of letters: a line that holds none of these words then names no
 * separator (tests check both).
 */
export const SPLIT_WORDS = ['origin', 'nachricht', 'mess', 'mens', 'bericht', 'meddel', 'wiadomo', 'melding', 'viesti', 'line', 'zeile', 'weitergeleitet', 'ursprüngliche', 'forwarded'];
const SPLIT_WORD = new RegExp(SPLIT_WORDS.join('|'));

export type SplitKind = 'splitter' | 'forward';

/** `-----Original Message-----`, `---------- Forwarded message ---------`, `Begin forwarded message:` ... */
const SPLIT_GATE = /^[-=_*#~]|[:：]$|above this line|dieser zeile/i;

/** `-`, `=`, `_`, `*`, `#` or `~`: what separator lines are drawn with. */
export function isRuleChar(c: number): boolean {
  return c === 45 || c === 61 || c === 95 || c === 42 || c === 35 || c === 126;
}

export function splitterKind(line: string, facts?: number): SplitKind | undefined {
  if (line.length > 200 || line.length < 8) return undefined;
  const b = firstNonBlank(line);
  let e = line.length - 1;
  while (e > b && line.charCodeAt(e) <= 32) e -= 1;
  const first = line.charCodeAt(b);
  const last = line.charCodeAt(e);
  const gate =
    isRuleChar(first) ||
    last === 58 ||
    last === 0xff1a ||
    (facts === undefined ? line.includes('line') || line.includes('zeile') : (facts & LINE_WORD) !== 0);
  if (!gate) return undefined;
  const raw = line.trim();
  if (raw.length < 8 || raw.length > 120) return undefined;
  return mayNameSplit(raw) ? splitKindOf(raw) : undefined;
}

/** Whether a trimmed line holds one of SPLIT_WORDS once its `*` and `_` are out and it is lower-cased. */
export function mayNameSplit(raw: string): boolean {
  const bare = raw.includes('*') || raw.includes('_') ? raw.replace(/[*_]/g, '') : raw;
  return SPLIT_WORD.test(bare.toLowerCase());
}

/**
 * `s.replace(/[-=_*#~\s]{2,}$/, '')` in one backward scan: the regex tries every start in a long run of
 * those characters that does not reach the end (`isForward` and `forwardedBody` call `splitKindOf` on lines
 * of any length: a 20,000-character line took 0.4 s).
 */
function trimRuleEnd(s: string): string {
  let e = s.length;
  while (e > 0 && (isRuleChar(s.charCodeAt(e - 1)) || isTrimSpace(s.charCodeAt(e - 1)))) e -= 1;
  return s.length - e >= 2 ? s.slice(0, e) : s;
}

/** The separator a trimmed line of 8 to 120 characters names, by the phrases alone (`splitterKind` gates it). */
export function splitKindOf(raw: string): SplitKind | undefined {
  if (!SPLIT_GATE.test(raw)) return undefined;
  if (FORWARD_LINES.test(stripMarkers(raw))) return 'forward';
  const inner = trimRuleEnd(raw.replace(/^[-=_*#~\s]{2,}/, ''))
    .replace(/\s+/g, ' ')
    .replace(/[:.]$/, '')
    .toLowerCase();
  if (inner.length === raw.length) return REPLY_ABOVE.test(inner) ? 'splitter' : undefined;
  // A help desk's marker drawn as a rule, in its own words only (Zendesk's `##- Please type your reply above this
  // line -##`, `##- Bitte geben Sie Ihre Antwort über dieser Zeile ein. -##`), not a list's item that holds them.
  if (REPLY_MARKER.test(inner)) return 'splitter';
  if (FORWARD_PHRASES.includes(inner)) return 'forward';
  if (SPLIT_PHRASES.includes(inner)) return 'splitter';
  // Drawn as a rule and naming the message answered with its date: `--- Ihre Nachricht vom 02.02.2026 ---`.
  if (RULE_START.test(raw) && DATED_SPLIT.test(inner)) return 'splitter';
  // Lotus Notes (HCL Domino): `----- Weitergeleitet von Petra Lang/PBM am 05.03.2026 10:12 -----`.
  if (RULE_START.test(raw) && NOTES_FORWARD.test(inner)) return 'forward';
  return undefined;
}

const REPLY_ABOVE = /reply above this line|über dieser zeile/;
const REPLY_MARKER = /^(?:(?:please )?type your reply above this line|(?:bitte )?(?:geben sie ihre|schreiben sie ihre|antworten sie) (?:antwort )?über dieser zeile(?: ein)?)$/;
const RULE_START = /^[-=_*#~]{2,}/;
/** `ihre nachricht vom 02.02.2026 (um 10:15)`, `your message of 2 feb 2026`, `your message dated 2026-02-02`: inside a rule only. */
const DATED_SPLIT = /^(?:ihre|deine|eure|your) (?:nachricht|e-?mail|message|mail) (?:vom|from|of|dated) (?:\d{1,2}\.\s?\d{1,2}\.(?:\s?\d{2,4})?|\d{4}-\d{2}-\d{2}|\d{1,2}\.? [a-zäö]{3,9}\.? \d{4}|[a-z]{3,9} \d{1,2},? \d{4})(?:,? (?:um|at) \d{1,2}[:.]\d{2}(?: uhr)?)?$/;

/**
 * Lotus Notes' forward line inside its rule, lower-cased: who forwarded it (`petra lang/pbm`, a few words of at most
 * 60 characters), then its date and time: `weitergeleitet von petra lang/pbm am 05.03.2026 10:12`, `forwarded by petra
 * lang/pbm on 03/05/2026 10:12 am`. Each part of it is bounded and split by a fixed word: no backtracking to speak of.
 */
const NOTES_FORWARD =
  /^(?:weitergeleitet von|forwarded by) [^ ].{0,60}? (?:am|on) \d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?:,? \d{1,2}[:.]\d{2}(?::\d{2})?(?: ?[ap]\.?m\.?| uhr)?)?$/;

// Header keys of a quoted message's header block, per language; "from" keys may open a block.
const FROM_KEYS = new Set(['from', 'von', 'de', 'van', 'od', 'fra', 'från', 'da', 'lähettäjä', 'от', 'від', 'feladó', 'expéditeur', 'absender', 'afzender', 'remitente']);
/** The keys of a header block's date line (`Sent:`, `Gesendet:`, `Datum:`, `Envoyé :` ...), per language. */
export const DATE_KEYS: ReadonlySet<string> = new Set([
  'sent', 'date', 'gesendet', 'datum', 'gesendet am', 'envoyé', 'envoye', 'envoyé le', "date d'envoi", 'enviado', 'fecha', 'verzonden',
  'wysłano', 'data', 'sendt', 'skickat', 'inviato', 'lähetetty', 'отправлено', 'дата', 'elküldve',
]);
const OTHER_KEYS = new Set([
  ...DATE_KEYS,
  'to', 'cc', 'subject', 'reply-to',
  'an', 'betreff', 'kopie',
  'à', 'a', 'objet', 'sujet', 'copie à', 'répondre à', 'message du', 'cci',
  'para', 'asunto',
  'aan', 'onderwerp',
  'do', 'temat',
  'til', 'emne', 'till', 'ämne',
  'oggetto',
  'vastaanottaja', 'aihe',
  'кому', 'тема',
  'címzett', 'tárgy',
]);
const HEADER_KEY = /^([\p{L}' -]{1,20}?)\s?[:：]/u;

/** One answer per known key, shared: a run of `Von:` lines (a memo of every line's key) holds no object of its own per line. */
type HeaderKeyAnswer = Readonly<{ key: string; from: boolean }>;
const KEY_ANSWERS = new Map<string, HeaderKeyAnswer>();
for (const key of OTHER_KEYS) KEY_ANSWERS.set(key, Object.freeze({ key, from: false }));
for (const key of FROM_KEYS) KEY_ANSWERS.set(key, Object.freeze({ key, from: true }));

/** The header key a line starts with (`From:`, `**Von:**`, `Betreff :`), lower-cased, with its class. */
export function headerKey(line: string, facts?: number): HeaderKeyAnswer | undefined {
  if (facts !== undefined) {
    if ((facts & KEY_COLON) === 0) return undefined;
  } else {
    const colon = line.indexOf(':');
    if (colon < 0 || colon > 40) {
      // A '：' among the first 40 characters: the first one stands there (no copy of them to search).
      const wide = line.indexOf('：');
      if (wide < 0 || wide >= 40) return undefined;
    }
  }
  const l = stripMarkers(line.slice(0, 120));
  const m = HEADER_KEY.exec(l);
  if (!m) return undefined;
  const key = m[1].trim().toLowerCase();
  return KEY_ANSWERS.get(key);
}
