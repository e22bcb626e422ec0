import { z } from 'zod';
import { isBlank } from './blank.js';
import { composeDiacritics } from './compose.js';
import type { Email } from './email.js';
import { CleanInputError, CleanOptionsError, InputTooLargeError } from './errors.js';
import { bodyIsHtml } from './html-body.js';
import { htmlPlaceholder, writersText } from './eml-text.js';
import { splitInlineSeparators } from './forward-marker.js';
import { htmlParts } from './html.js';
import { announcesAnswersBelow } from './announced-answers.js';
import { detectLanguage } from './language.js';
import { removeLeadingBanner } from './banner.js';
import { splitQuotes, type LineMark } from './quotes.js';
import { RedactionSchema, redactPlain, type RedactOptions, type RedactResult } from './redact.js';
import { deviceLineMemo, removeDeviceLines, removeLegalTail, removeSignature, type DeviceTest, type TailRemoval } from './signature.js';
import { normaliseSubject } from './subject.js';
import { headerKey } from './patterns.js';
import { CONTROL_OR_C1, plainSpaces, UNPLAIN_CHARS, VISIBLE } from './spaces.js';

export const CleanScopeSchema = z.enum(['quotes', 'visible']);
/** `quotes`: quoted and forwarded content only; `visible`: also signature, device lines, disclaimers, footers. */
export type CleanScope = z.infer<typeof CleanScopeSchema>;

export const RemovedPartSchema = z.object({
  kind: z.enum(['quoted', 'signature', 'disclaimer', 'device', 'footer']),
  text: z.string(),
});
export type RemovedPart = z.infer<typeof RemovedPartSchema>;

export const CleanResultSchema = z.object({
  /** The customer's new text, PII masked unless redaction is off. */
  text: z.string(),
  /** The subject without Re:/AW:/WG:/Fwd: prefixes, PII masked as `text` is. */
  subject: z.string(),
  signature: z.string().optional(),
  quoted: z.string().optional(),
  removed: z.array(RemovedPartSchema),
  /** ISO 639-1 code, or 'und' when undetermined. */
  language: z.string(),
  /** Where each placeholder sits in `text`, or in `subject` (`part: 'subject'`). */
  redactions: z.array(RedactionSchema),
});
export type CleanResult = z.infer<typeof CleanResultSchema>;

export interface CleanOptions {
  scope?: CleanScope;
  /** `true` (default) masks everything with the default detectors; `false` masks nothing. */
  redact?: boolean | RedactOptions;
  /** Inputs longer than this many characters are refused with `InputTooLargeError` (default 4 Mi). */
  maxInputChars?: number;
}

// The characters that make normalising needed (U+0300-U+036F: letters to compose; `\r` and the Unicode line breaks
// NEL, LS and PS; the characters `plainSpaces` changes, from its own list): most emails have none.
const NORMALISED_CHAR = new RegExp(`[\\u0300-\\u036f\\r\\u0085\\u2028\\u2029${UNPLAIN_CHARS}]`);
/** Line breaks other than LF: CRLF and CR, and the next line, line and paragraph separators (U+0085, U+2028, U+2029) some editors and CRMs write. */
const OTHER_BREAK = /\r\n?|[\u0085\u2028\u2029]/g;
/**
 * Those of NORMALISED_CHAR up to U+00FF, read off the class itself. A text with no character above U+00FF (most:
 * German and English mail is Latin-1) is searched for each of them alone, which costs a fraction of the class's scan;
 * the control characters among them, for one class of their own (`CONTROL_OR_C1`).
 */
const NORMALISED_LATIN1 = Array.from({ length: 256 }, (_, c) => String.fromCharCode(c)).filter((c) => NORMALISED_CHAR.test(c) && !CONTROL_OR_C1.test(c));
const ABOVE_LATIN1 = /[^\0-\xff]/;
/** A blank before a line break: its line ends in a blank that normalising cuts. */
const BLANK_BEFORE_BREAK = /[ \t\f\v]\n/;

export const DEFAULT_MAX_INPUT_CHARS = 4 * 1024 * 1024;
const MAX_PASSES = 4;

/** Whether `text` has a character that normalising changes (NORMALISED_CHAR). */
function hasNormalisedChar(text: string): boolean {
  if (ABOVE_LATIN1.test(text)) return NORMALISED_CHAR.test(text);
  for (const c of NORMALISED_LATIN1) if (text.includes(c)) return true;
  // The control characters, some sixty, in one scan rather than one each.
  return CONTROL_OR_C1.test(text);
}

/** Whether the text ends in a blank other than a line break, which normalising cuts. */
function endsInBlank(text: string): boolean {
  const lastCode = text.charCodeAt(text.length - 1);
  return lastCode <= 32 && lastCode !== 10;
}

function needsNormalising(text: string): boolean {
  return hasNormalisedChar(text) || BLANK_BEFORE_BREAK.test(text) || endsInBlank(text);
}

/** Whether a line other than the last ends in a blank that BLANK_BEFORE_BREAK finds (space, tab, form feed, vertical tab). */
function blankBeforeBreak(lines: readonly string[]): boolean {
  for (let i = 0; i < lines.length - 1; i += 1) {
    const c = lines[i].charCodeAt(lines[i].length - 1);
    if (c === 32 || c === 9 || c === 12 || c === 11) return true;
  }
  return false;
}

/**
 * The lines of `normaliseText(text)`, without joining them first; `lines`, when given, are the text's lines. A blank
 * before a line break is looked for at the ends of the lines, which most texts are split into anyway.
 */
function normalisedLines(text: string, lines?: readonly string[]): readonly string[] {
  if (!hasNormalisedChar(text) && !endsInBlank(text)) {
    const split = lines ?? text.split('\n');
    if (!blankBeforeBreak(split)) return split;
  }
  let t = text.replace(OTHER_BREAK, '\n');
  t = composeDiacritics(plainSpaces(t));
  const split = t.split('\n');
  if (/\s\n|\s$/.test(t)) for (let i = 0; i < split.length; i += 1) split[i] = split[i].trimEnd();
  return split;
}

/** CRLF, CR and the Unicode line breaks (U+0085, U+2028, U+2029) to LF, no-break spaces to spaces, soft hyphens and zero-width characters gone (`plainSpaces`), decomposed letters composed (`composeDiacritics`), trailing blanks cut. */
export function normaliseText(text: string): string {
  return needsNormalising(text) ? normalisedLines(text).join('\n') : text;
}

/** Blank lines at both ends dropped; blank lines inside kept, emptied (copied only when one is not empty yet). */
function tidyLines(lines: readonly string[]): string {
  const kept = trimEdges(lines);
  const blankFilled = kept.some((line) => line !== '' && isBlank(line));
  return (blankFilled ? kept.map((line) => (isBlank(line) ? '' : line)) : kept).join('\n');
}

interface TextClean {
  text: string;
  removed: RemovedPart[];
  /** Every signature cut, as they stood in the text, blank line between (a later pass cuts one above the last). */
  signature?: string;
}

/** Blank lines dropped at both ends (a view, no copying of the lines themselves). */
function trimEdges(lines: readonly string[]): readonly string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && isBlank(lines[start])) start += 1;
  while (end > start && isBlank(lines[end - 1])) end -= 1;
  return start === 0 && end === lines.length ? lines : lines.slice(start, end);
}

/**
 * What a pass may take as known about its input lines from the pass before. `deviceFree`: they all passed the
 * device-line removal, so none is a device line and removing them again changes nothing. `plain`: `markLines`
 * marks every one text or empty, so `splitQuotes` keeps them all and quotes nothing. With `plain`, the tail
 * rules then see the input itself: `legalDone`, `removeLegalTail` removes nothing from it; `signatureDone`,
 * `removeSignature` removes nothing from it either.
 */
interface Known {
  deviceFree: boolean;
  plain: boolean;
  legalDone: boolean;
  signatureDone: boolean;
}

const NOTHING_KNOWN: Known = { deviceFree: false, plain: false, legalDone: false, signatureDone: false };

/** What one pass did, and what the next pass may take as known about `trimEdges(lines)`. */
interface PassResult {
  lines: readonly string[];
  removed: RemovedPart[];
  signature?: string;
  marks?: readonly LineMark[];
  legalDone: boolean;
  signatureDone: boolean;
}

const NOTHING_REMOVED: TailRemoval = { lines: [], removed: [] };

/** Nothing removed from `lines` when `done` (a rule already known to find nothing), else undefined. */
function skip(done: boolean, lines: readonly string[]): TailRemoval | undefined {
  return done ? { lines, removed: NOTHING_REMOVED.removed } : undefined;
}

/**
 * `into.push(...parts)`, without the call for no parts (most rules remove nothing from most emails), and one by one
 * for many: spread into arguments, 200,000 parts (a footer's paragraphs) overflowed the stack.
 */
function append<T>(into: T[], parts: readonly T[]): void {
  if (parts.length > 1000) for (const part of parts) into.push(part);
  else if (parts.length > 0) into.push(...parts);
}

/** One pass of every rule. Rules only ever drop lines, so an unchanged length means nothing changed. */
function cleanPass(input: readonly string[], scope: CleanScope, isDevice: DeviceTest, known: Known): PassResult {
  const removed: RemovedPart[] = [];
  let lines = input;
  let marks: readonly LineMark[] | undefined;
  if (!known.plain) {
    const split = splitQuotes(input, { isDevice });
    lines = split.kept;
    marks = split.marks;
    const quoted = split.quoted.length === 0 ? '' : split.quoted.join('\n').trim();
    if (quoted !== '') removed.push({ kind: 'quoted', text: quoted });
  }
  if (scope === 'quotes') {
    const device = skip(known.deviceFree, lines) ?? removeDeviceLines(lines, isDevice);
    append(removed, device.removed);
    return { lines: device.lines, removed, marks, legalDone: false, signatureDone: false };
  }
  const legal = skip(known.plain && known.legalDone, lines) ?? removeLegalTail(lines);
  const device = skip(known.deviceFree, legal.lines) ?? removeDeviceLines(legal.lines, isDevice);
  const sig = skip(known.plain && known.legalDone && known.signatureDone, device.lines) ?? removeSignature(device.lines);
  // A disclaimer under the signature only surfaces once the signature is gone.
  const legal2 = sig.removed.length > 0 ? removeLegalTail(sig.lines) : undefined;
  append(removed, legal.removed);
  append(removed, device.removed);
  append(removed, sig.removed);
  if (legal2 !== undefined) append(removed, legal2.removed);
  // Blank lines at either end change nothing for removeLegalTail, and blank lines at the end nothing for
  // removeSignature: run again on the lines they returned, they would remove nothing.
  const untouched = sig.removed.length === 0 && device.removed.length === 0;
  return {
    lines: legal2?.lines ?? sig.lines,
    removed,
    signature: sig.signature,
    marks,
    legalDone: legal2 !== undefined || untouched,
    signatureDone: untouched && (sig.lines.length === 0 || !isBlank(sig.lines[0])),
  };
}

/** The most lines a header block spans (`headerBlockLength` looks 13 lines past its first). */
const HEADER_BLOCK_SPAN = 14;

/**
 * Whether `inner` equals a run of consecutive lines of `outer` (the run that starts at the first line equal to
 * `inner[0]`) that are all marked text or empty; `marks` are outer's marks, or none when all of outer's lines
 * are known to be text or empty.
 *
 * Such a run, once free of device lines, is marked text or empty again when it stands alone: a line's mark
 * comes from the line itself, from the lines below it (which the run keeps up to its end, and fewer lines
 * below never add a reply header or a header block, except one that a field under it made a form: see
 * `headerKeyNearEnd`) and from a `>` line above it (there is none in the run).
 */
function isPlainRun(outer: readonly string[], inner: readonly string[], marks: readonly LineMark[] | undefined): boolean {
  if (inner.length === 0) return true;
  const start = outer.indexOf(inner[0]);
  if (start < 0 || start + inner.length > outer.length) return false;
  for (let j = 0; j < inner.length; j += 1) {
    if (outer[start + j] !== inner[j]) return false;
    const mark = marks?.[start + j];
    if (mark !== undefined && mark !== 'text' && mark !== 'empty') return false;
  }
  return start + inner.length === outer.length || !headerKeyNearEnd(inner);
}

/**
 * Whether a header key (`Gesendet:`, `Betreff:`) opens one of the last lines, where a header block ending the run
 * may start (a block spans at most 14 lines). Such a block may have been read as a form only for the field under
 * it (`Kundennummer: 12345678`), so a run whose lines below were cut is read again.
 */
function headerKeyNearEnd(lines: readonly string[]): boolean {
  for (let j = Math.max(0, lines.length - HEADER_BLOCK_SPAN); j < lines.length; j += 1) if (headerKey(lines[j]) !== undefined) return true;
  return false;
}

/**
 * Cleans plain text: repeats the rules until nothing more goes (at most a few passes), so that cleaning is
 * idempotent.
 */
export function cleanText(text: string, scope: CleanScope = 'visible'): TextClean {
  return cleanLines(text, undefined, scope, true);
}

/** `cleanText` without carrying what one pass learnt into the next: every rule reads every line again (for tests). */
export function cleanTextAfresh(text: string, scope: CleanScope = 'visible'): TextClean {
  return cleanLines(text, undefined, scope, false);
}

/**
 * `cleanText`, given the text's lines when they are at hand (`text.split('\n')`; none for an empty text).
 * With `reuse`, a pass skips the rules that cannot change its lines given what the pass before found.
 */
function cleanLines(text: string, lines: readonly string[] | undefined, scope: CleanScope, reuse: boolean): TextClean {
  // The receiving system's external-sender warning at the top goes first, in either scope: it is no one's writing.
  const banner = removeLeadingBanner(trimEdges(normalisedLines(text, lines)));
  let current = banner.removed.length === 0 ? banner.lines : trimEdges(banner.lines);
  const removed: RemovedPart[] = banner.removed;
  const signatures: string[] = [];
  const isDevice = deviceLineMemo();
  let known = NOTHING_KNOWN;
  // Whether `splitInlineSeparators` left the lines of the pass before as they were. It then leaves a plain run of them
  // as it is too: it reads each line alone, and with the lines under it, which a run only lacks at its end (where no
  // header can follow then).
  let unsplit = false;
  for (let pass = 0; pass < MAX_PASSES; pass += 1) {
    // A separator after the writer's note on one line goes on a line of its own, so the line rules see it. In
    // every pass: a pass may take out what stood between it and the header block (a `>` line); then nothing is known.
    const split: readonly string[] = known.plain && unsplit ? current : splitInlineSeparators(current);
    unsplit = split === current;
    if (split !== current) [current, known] = [split, NOTHING_KNOWN];
    const r = cleanPass(current, scope, isDevice, known);
    append(removed, r.removed);
    // A pass only cuts above what the pass before left: its signature stood above theirs (joined in reverse below).
    if (r.signature !== undefined) signatures.push(r.signature);
    const next = trimEdges(r.lines);
    if (next.length === current.length) break;
    // Every line left passed the device-line removal of this pass.
    if (reuse) known = { deviceFree: true, plain: isPlainRun(current, next, r.marks), legalDone: r.legalDone, signatureDone: r.signatureDone };
    current = next;
  }
  return { text: tidyLines(current), removed, signature: signatures.length > 0 ? signatures.reverse().join('\n\n') : undefined };
}


function joinParts(removed: readonly RemovedPart[], kind: RemovedPart['kind']): string | undefined {
  let joined: string | undefined;
  for (const r of removed) if (r.kind === kind) joined = joined === undefined ? r.text : `${joined}\n\n${r.text}`;
  return joined;
}

interface ParsedMarkup {
  markup: string;
  parts: ReturnType<typeof htmlParts>;
}

// A function of its own, not a closure in chooseMarkup: tsx (esbuild's keepNames) names every closure as it is made, a
// call that cost 1% of all cleaning.
function parsed(markup: string): ParsedMarkup {
  return { markup, parts: htmlParts(markup) };
}

/**
 * The markup to read the email's text from, with its parse, or undefined when its body is plain text: the
 * body when it is HTML (`bodyIsHtml`: a CRM that put an HTML email into the plain-text field), else the `html`
 * field when the body is blank. A body with text wins over `html`; a body that is HTML with no visible text
 * (neither text nor quoted part) is blank, so `html` is read then, as for an empty body. Each markup is parsed
 * once: cleaning every email of a dataset, a second parse of such a body cost as much again as the rest of
 * its cleaning.
 */
function chooseMarkup(email: Pick<Email, 'body' | 'html'>): ParsedMarkup | undefined {
  const body = email.body ?? '';
  const html = email.html || undefined;
  if (!VISIBLE.test(body)) return html === undefined ? undefined : parsed(html);
  // A text part that only says to read the HTML (`Diese Nachricht ist im HTML-Format. Bitte verwenden Sie ein
  // E-Mail-Programm, das HTML darstellen kann.`), as a CRM passes both parts on: the HTML is the email.
  if (html !== undefined && htmlPlaceholder(body)) {
    const fromHtml = parsed(html);
    if (VISIBLE.test(fromHtml.parts.text) || VISIBLE.test(fromHtml.parts.quoted)) return fromHtml;
  }
  if (!bodyIsHtml(body)) return undefined;
  const fromBody = parsed(body);
  const visible = VISIBLE.test(fromBody.parts.text) || VISIBLE.test(fromBody.parts.quoted);
  return html === undefined || visible ? fromBody : parsed(html);
}

/**
 * Whether cleaning certainly leaves the `html` part unread, without parsing anything: the body is plain text with
 * visible characters, and not a placeholder that sends the reader to the HTML (`chooseMarkup`'s first rules). False
 * when it may be read (a body that is HTML may have no visible text, and the HTML is read then).
 */
export function htmlPartUnread(email: Pick<Email, 'body' | 'html'>): boolean {
  const body = email.body ?? '';
  return VISIBLE.test(body) && !htmlPlaceholder(body) && !bodyIsHtml(body);
}

/** The markup cleaning reads the email's text from (`chooseMarkup`), or undefined when its body is plain text. */
export function markupOf(email: Pick<Email, 'body' | 'html'>): string | undefined {
  return chooseMarkup(email)?.markup;
}

/** A `<br>` tag in text that is not read as HTML (one alone in a line: `Dear Support, <br>Our tools ...`). */
const BR_TAG = /<br\s*\/?>/i;
const BR_TAGS = new RegExp(BR_TAG.source, 'gi');

/** Plain text with its stray `<br>` tags as the line breaks they stand for (the model read `<br>` as text). */
function withLineBreakTags(text: string): string {
  return text.includes('<') && BR_TAG.test(text) ? text.replace(BR_TAGS, '\n') : text;
}

/** The email's text (its markup's, `chooseMarkup`) cleaned; what goes is added to `removed`. */
function cleanBody(email: Pick<Email, 'body' | 'html'>, scope: CleanScope, removed: RemovedPart[]): TextClean {
  const from = removed.length;
  let source = email.body ?? '';
  let sourceLines: readonly string[] | undefined;
  const parts = chooseMarkup(email)?.parts;
  // A plain-text body as a CRM passes it on, as `parseEml` reads a text part: without Outlook's image placeholders
  // (`[cid:image001.png@01DB4A2C.5E6F7A80]`) and PGP armor.
  if (parts === undefined) source = withLineBreakTags(writersText(source));
  else {
    // A message that is all quote (a bare forward, a reply someone wrapped in a blockquote) keeps its text.
    if (!VISIBLE.test(parts.text) && parts.quoted !== '') source = parts.quoted;
    else {
      source = parts.text;
      sourceLines = parts.textLines;
      if (parts.quoted !== '') removed.push({ kind: 'quoted', text: parts.quoted });
    }
  }
  const cleaned = cleanLines(source, sourceLines, scope, true);
  append(removed, cleaned.removed);
  // Only where something was quoted: a note announcing answers needs a quote below it.
  const quoted = removed.slice(from).filter((r) => r.kind === 'quoted');
  return quoted.length > 0 && announcesAnswersBelow(cleaned.text) ? withAnswersInQuote(cleaned, quoted, removed, from, scope) : cleaned;
}

/**
 * The text of a note that announces answers in the quote (`Meine Antworten unten in Rot.`) with the quote read as
 * the writer's text: its header dropped, as at the top of a bottom-posted reply, the sender's closing cut, the
 * questions kept beside the answers. The quoted parts from `removed[from]` on (`quoted`) are replaced by what of them
 * is cut.
 */
function withAnswersInQuote(cleaned: TextClean, quoted: readonly RemovedPart[], removed: RemovedPart[], from: number, scope: CleanScope): TextClean {
  const answers = cleanLines(quoted.map((r) => r.text).join('\n\n'), undefined, scope, true);
  if (!VISIBLE.test(answers.text)) return cleaned;
  // The note and the answers cleaned once more as one text, as cleaning its output would read them (a footer that
  // a header block run into the quote hid is cut now): cleaning stays idempotent.
  const joined = cleanLines(`${cleaned.text}\n\n${answers.text}`, undefined, scope, true);
  const kept = removed.splice(from).filter((r) => r.kind !== 'quoted');
  for (const parts of [kept, answers.removed, joined.removed]) append(removed, parts);
  const signature = [joined.signature, cleaned.signature, answers.signature].filter((s) => s !== undefined).join('\n\n') || undefined;
  return { text: joined.text, removed, signature };
}

/**
 * `text` with its PII masked as `redact` asks (`CleanOptions.redact`). A function of its own, not a closure in
 * cleanEmail: tsx (esbuild's keepNames) names every closure as it is made, which cost 2% of cleaning the demo rows.
 */
function mask(text: string, redact: boolean | RedactOptions): RedactResult {
  return redact === false || text === '' ? { text, redactions: [] } : redactPlain(text, redact === true ? {} : redact);
}

/** Refuses what is not an email (`CleanInputError`) before any work: a JavaScript caller's `null`, or a `body` of 42. */
function checkEmailShape(email: unknown): void {
  if (typeof email !== 'object' || email === null || Array.isArray(email)) {
    throw new CleanInputError(`an email is an object with subject, body or html, not ${email === null ? 'null' : Array.isArray(email) ? 'an array' : typeof email}`);
  }
  const fields = email as Record<string, unknown>;
  for (const field of ['subject', 'body', 'html'] as const) {
    const value = fields[field];
    if (value !== undefined && typeof value !== 'string') throw new CleanInputError(`email.${field} must be a string, not ${value === null ? 'null' : typeof value}`);
  }
}

/** The characters of an email that `cleanEmail` holds against its `maxInputChars`: body and HTML together. */
export function cleaningInputChars(email: Pick<Email, 'body' | 'html'>): number {
  return (email.body?.length ?? 0) + (email.html?.length ?? 0);
}

/**
 * Turns an email into the customer's new text: HTML (the `html` field, or a body that is HTML: `markupOf`) to text, quoted replies and forwards removed, and for
 * scope `visible` (default) also signature, device lines, disclaimers and footers; then PII masked (default on)
 * and the language detected. Throws only `InputTooLargeError`, `CleanOptionsError` and `CleanInputError` (not an email).
 */
export function cleanEmail(email: Email, options: CleanOptions = {}): CleanResult {
  checkEmailShape(email);
  const scope = options.scope ?? 'visible';
  if (scope !== 'quotes' && scope !== 'visible') throw new CleanOptionsError(`unknown scope ${String(options.scope)}`);
  const limit = options.maxInputChars ?? DEFAULT_MAX_INPUT_CHARS;
  const size = cleaningInputChars(email);
  if (size > limit) throw new InputTooLargeError(size, limit);

  const removed: RemovedPart[] = [];
  let cleaned = cleanBody(email, scope, removed);
  // Text that itself reads as HTML (`&lt;p&gt;` decoded to `<p>`, a zero-width character gone from before a tag) would
  // be read as HTML by a second cleaning of it: it is cleaned as such a body now, so that cleaning is idempotent.
  for (let again = 0; again < MAX_PASSES && bodyIsHtml(cleaned.text); again += 1) {
    const below = cleaned.signature;
    cleaned = cleanBody({ body: cleaned.text }, scope, removed);
    // A signature cut now stood above the one cut before (as in `cleanLines`).
    if (below !== undefined) cleaned.signature = cleaned.signature === undefined ? below : `${cleaned.signature}\n\n${below}`;
  }

  const redactOptions = options.redact ?? true;
  const red = mask(cleaned.text, redactOptions);
  // The subject is read with the text (the model reads both): masked alike (`AW: Kündigung DE89 3704 …`), always: a
  // password, an address written `(at)` or a name (`Kündigung Frau Anna Müller`) needs no digit or `@`, and a subject is
  // short enough that its scan costs little.
  const subject = mask(normaliseSubject(email.subject), redactOptions);
  return {
    text: red.text,
    subject: subject.text,
    signature: cleaned.signature,
    quoted: joinParts(removed, 'quoted'),
    removed,
    language: detectLanguage(cleaned.text),
    redactions: subject.redactions.length === 0 ? red.redactions : [...red.redactions, ...subject.redactions.map((r) => ({ ...r, part: 'subject' as const }))],
  };
}
