import PostalMime from 'postal-mime';
import { MAX_ATTACHMENT_NAME_CHARS, MAX_ATTACHMENT_NAMES, type Email } from './email.js';
import { EmlParseError, InputTooLargeError } from './errors.js';
import { DEFAULT_MAX_INPUT_CHARS } from './clean.js';
import { c1AsWindows1252 } from './windows-1252.js';
import { messageHead, namingMessage, prepareForParser } from './eml-prepare.js';
import { DATE_WITHOUT_ZONE_WARNING, headerDate, unreadDateWarning } from './eml-date.js';
import { withSentDates } from './eml-forward-date.js';
import { holdsPgpMessage, htmlPlaceholder, writersText } from './eml-text.js';
import { invitationText } from './eml-calendar.js';
import { autoSubmittedOf, deliveryActions } from './eml-auto-submitted.js';
import {
  CALENDAR_WARNING,
  CALENDAR_WITHOUT_TEXT_WARNING,
  DAMAGED_BASE64_WARNING,
  GUESSED_BODY_START_WARNING,
  LATIN_AS_UTF8_WARNING,
  noTextWarning,
  UNLABELLED_BASE64_WARNING,
  UNUSABLE_MESSAGE_ID_WARNING,
  reportWarning,
  subjectlessWarning,
  UNSPLIT_MULTIPART_WARNING,
  UTF8_AS_LATIN_WARNING,
} from './eml-warnings.js';
import { htmlToText } from './html.js';
import { VISIBLE } from './spaces.js';

export interface EmlAttachment {
  filename?: string;
  contentType: string;
  size: number;
}

/** A message's email fields, and `warnings`: what of it could not be read (no email text in them), only when there is something. */
export type EmlEmail = Email & { warnings?: string[] };

export type ParsedEml = EmlEmail & { attachments: EmlAttachment[] };

type Parsed = Awaited<ReturnType<typeof PostalMime.parse>>;

export {
  CALENDAR_WARNING,
  CALENDAR_WITHOUT_TEXT_WARNING,
  DAMAGED_BASE64_WARNING,
  ENCRYPTED_WARNING,
  UNLABELLED_BASE64_WARNING,
  UNUSABLE_MESSAGE_ID_WARNING,
  GUESSED_BODY_START_WARNING,
  LATIN_AS_UTF8_WARNING,
  OTHER_CONTENT_WARNING,
  REPORT_WARNING,
  subjectlessWarning,
  TEXT_ATTACHMENT_WARNING,
  TNEF_WARNING,
  UNSPLIT_MULTIPART_WARNING,
  UTF8_AS_LATIN_WARNING,
} from './eml-warnings.js';

/** A decoded part's text with C1 codes read as Windows-1252 (see windows-1252.ts). */
function fixC1(text: string | undefined): string | undefined {
  return text === undefined ? undefined : c1AsWindows1252(text);
}

/**
 * Whether a message starts with a header field (`Name: value`, RFC 5322: a name of printable ASCII without
 * a colon; blanks before the colon as the obsolete syntax allows), after an optional UTF-8 byte-order mark
 * and an mbox `From ` separator line. Text with no header block at all (`hello world`) would otherwise be
 * parsed as a message with an empty body and its words taken for nothing.
 */
export function startsWithHeader(raw: Uint8Array): boolean {
  let i = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? 3 : 0;
  // "From " (an mbox separator): the header starts on the next line.
  if (raw[i] === 0x46 && raw[i + 1] === 0x72 && raw[i + 2] === 0x6f && raw[i + 3] === 0x6d && raw[i + 4] === 0x20) {
    // The line ends at LF, CRLF (`\r\r\n` too) or CR alone (old Mac mail), as parseEml reads line ends.
    while (i < raw.length && raw[i] !== 0x0a && raw[i] !== 0x0d) i++;
    if (i >= raw.length) return false;
    let eol = i;
    while (raw[eol] === 0x0d) eol++;
    i = raw[eol] === 0x0a ? eol + 1 : i + 1;
  }
  const start = i;
  while (i < raw.length && raw[i] > 0x20 && raw[i] < 0x7f && raw[i] !== 0x3a) i++;
  if (i === start) return false;
  while (raw[i] === 0x20 || raw[i] === 0x09) i++;
  return raw[i] === 0x3a;
}

/**
 * postal-mime keeps every body line of a part that is neither base64 nor quoted-printable as two Blob parts,
 * and Node's Blob costs microseconds per part: a megabyte of empty lines took 9 to 13 s on the request
 * thread. A message may have MAX_EML_LINES lines, or one per BYTES_PER_LINE bytes when that is more (a
 * megabyte of 72-column text or base64 has about 14,000 lines), so no message costs more than a plain-text
 * message somewhat larger than it.
 */
export const MAX_EML_LINES = 20_000;
const BYTES_PER_LINE = 64;
/**
 * Limits passed to postal-mime: header bytes of all parts together (its default, 2 MiB of encoded words or
 * address groups, took over a second; 256 KiB, an eighth of that, leaves room for long Received and ARC
 * chains) and levels of attached messages parsed inline (each level parses its content again).
 */
const PARSER_LIMITS = { maxHeadersSize: 256 * 1024, maxRfc822NestingDepth: 1 };

function lineCount(raw: Uint8Array): number {
  let n = 0;
  for (let i = raw.indexOf(0x0a); i !== -1; i = raw.indexOf(0x0a, i + 1)) n += 1;
  return n;
}

/**
 * Line ends as the parser reads them: it ends a line at LF only (dropping the CRs before it), so a CR alone,
 * as old Mac mail ends its lines or as a message pasted together from CRLF and CR text has some of them, was
 * no line end: the header fields after it ran into the one before, and a multipart's delimiters were not
 * found. When a CR stands alone somewhere (before neither an LF nor another CR), each CR that no LF follows
 * becomes an LF, so CRLF, LF and CR, mixed in one message, read as the same message (`\r\r\n` is then a CR
 * and a CRLF, as Python's email package splits lines). A message whose every CR leads into an LF is left to
 * the parser: `\r\r\n` throughout is CRLF written out again as CRLF, one line end, not two. Most mail has no
 * lone CR and is not copied; the search is one native scan per CR.
 */
function bareCrsAsLf(bytes: Uint8Array): Uint8Array {
  let lone = bytes.indexOf(0x0d);
  while (lone !== -1 && (bytes[lone + 1] === 0x0a || bytes[lone + 1] === 0x0d)) lone = bytes.indexOf(0x0d, lone + 1);
  if (lone === -1) return bytes;
  const out = Uint8Array.from(bytes);
  for (let i = out.indexOf(0x0d); i !== -1; i = out.indexOf(0x0d, i + 1)) if (out[i + 1] !== 0x0a) out[i] = 0x0a;
  return out;
}

function byteSize(content: ArrayBuffer | Uint8Array | string): number {
  if (typeof content === 'string') return content.length;
  return content.byteLength;
}

/**
 * The id a Message-ID field names: what its angle brackets hold, without a comment beside them (RFC 5322
 * allows `<a1@bank.example> (added by the gateway)`, and feedback quoting a1@bank.example must join); the
 * value as written when it has no brackets.
 */
/** Control and format (invisible) characters: C0, DEL, C1, bidi marks and overrides, zero-width characters. */
const UNSHOWABLE = /[\p{Cc}\p{Cf}]/u;

function messageIdOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const bracketed = /<([^<>]*)>/.exec(value);
  return (bracketed ? bracketed[1] : value).trim();
}

/**
 * The message parsed after its preparation (eml-prepare.ts), an attached message's Date given in its text as
 * sent (eml-forward-date.ts); `textInline`: nameless text attachments read as body.
 */
async function parsedMessage(bytes: Uint8Array, textInline: boolean): Promise<{ parsed: Parsed } & Omit<ReturnType<typeof prepareForParser>, 'bytes' | 'dates'>> {
  const { bytes: prepared, dates, ...counts } = prepareForParser(bytes, { textInline });
  try {
    const parsed = await PostalMime.parse(prepared, { attachmentEncoding: 'arraybuffer', ...PARSER_LIMITS });
    return { parsed: withSentDates(parsed, dates), ...counts };
  } catch (cause) {
    // The header limit is the parser's to say (its message names only the limit, no email text).
    if (cause instanceof Error && /^Maximum header size of \d+ bytes exceeded$/.test(cause.message)) {
      throw new EmlParseError(`its headers are over the limit of ${PARSER_LIMITS.maxHeadersSize} bytes (all parts together)`, { cause });
    }
    throw new EmlParseError('the message could not be parsed as RFC 822 / MIME', { cause });
  }
}

function hasText(parsed: Parsed, body = parsed.text): boolean {
  return VISIBLE.test(body ?? '') || VISIBLE.test(parsed.html ?? '');
}

/**
 * The writer's text of the plain-text part (eml-text.ts); none when it only says to read the HTML beside it and
 * that HTML has text to read.
 */
function bodyOf(parsed: Parsed): string | undefined {
  if (parsed.text === undefined) return undefined;
  const text = writersText(c1AsWindows1252(parsed.text));
  return htmlPlaceholder(text) && /\S/.test(htmlToText(parsed.html ?? '')) ? undefined : text;
}

/** The text of the message's first calendar invitation (`text/calendar`) that has a summary or description (eml-calendar.ts). */
function invitationOf(parsed: Parsed): string | undefined {
  for (const a of parsed.attachments) {
    if (!/^text\/calendar$/i.test(a.mimeType)) continue;
    const source = typeof a.content === 'string' ? a.content : new TextDecoder().decode(a.content);
    const text = invitationText(c1AsWindows1252(source));
    if (text !== undefined) return text;
  }
  return undefined;
}

/** The name an attached message is listed by when neither its part nor its Subject gives one. */
export const FORWARD_NAME = 'forwarded.eml';

/**
 * The name an attached message (a forward) is listed by, from the fields that name it (eml-prepare.ts,
 * `namingMessage`), parsed as the message's fields are: the file name its part gives (`filename`, `name`, as a mail
 * program saves it: `Ihre Order wurde storniert.eml`); else its Subject and `.eml`, as Outlook and Thunderbird save a
 * message (`Sparplan.eml`); else `forwarded.eml`.
 */
async function messageName(fields: string): Promise<string> {
  let parsed: Parsed | undefined;
  try {
    ({ parsed } = await parsedMessage(Buffer.from(fields, 'latin1'), false));
  } catch {
    // no fields the parser reads: named by neither
  }
  const file = fixC1(parsed?.attachments[0]?.filename ?? undefined)?.trim();
  if (file) return file;
  const subject = fixC1(parsed?.subject)?.trim();
  return subject ? `${subject.slice(0, MAX_ATTACHMENT_NAME_CHARS - '.eml'.length)}.eml` : FORWARD_NAME;
}

/** A part's content, one character per byte. */
function latin1Text(content: ArrayBuffer | Uint8Array | string): string {
  return typeof content === 'string' ? Buffer.from(content, 'utf8').toString('latin1') : Buffer.from(content as ArrayBuffer).toString('latin1');
}

/** A report's parts (postal-mime's `hasReportParts`): with one, the parser lists attached messages as attachments, and reads none inline. */
const REPORT_PART = /^message\/(?:delivery-status|feedback-report)$/i;
const MESSAGE = /^message\/(?:rfc822|global)$/i;

/**
 * The names of the files attached to the message, as `Email.attachmentNames`: not the images its HTML shows
 * (a signature's logo, `image001.png`: part of a multipart/related or inline with a Content-ID), at most
 * MAX_ATTACHMENT_NAMES, each cut to MAX_ATTACHMENT_NAME_CHARS. An attached message (a forward sent as
 * message/rfc822) is listed too, though its text is read: first those the parser read inline (`forwards`: the fields
 * that name each, from eml-prepare.ts), which it does not list, then those it lists (in a report, or attached to a
 * forward), in its order; each by `messageName`.
 */
async function attachedFileNames(parsed: Parsed, forwards: readonly string[]): Promise<string[]> {
  const names: string[] = [];
  const add = (name: string | undefined): boolean => {
    if (name) names.push(name.slice(0, MAX_ATTACHMENT_NAME_CHARS));
    return names.length < MAX_ATTACHMENT_NAMES;
  };
  const attachments = parsed.attachments;
  if (!attachments.some((a) => REPORT_PART.test(a.mimeType))) for (const fields of forwards) if (!add(await messageName(fields))) return names;
  for (const a of attachments) {
    if (a.related || (a.disposition === 'inline' && a.contentId && /^image\//i.test(a.mimeType))) continue;
    const nameless = !a.filename && MESSAGE.test(a.mimeType);
    const name = nameless ? await messageName(namingMessage(messageHead(latin1Text(a.content)))) : fixC1(a.filename ?? undefined);
    if (!add(name)) break;
  }
  return names;
}

function namelessTextAttachment(a: Parsed['attachments'][number]): boolean {
  return a.disposition === 'attachment' && !a.filename && /^text\/(?:plain|html)$/i.test(a.mimeType);
}

/**
 * Parses a raw RFC 822 / MIME message (multipart, quoted-printable, base64, ISO-8859-1, Windows-1252 ...)
 * with postal-mime. Bytes that are not UTF-8 where no charset says what they are (raw 8-bit headers, a text
 * part without a charset) are read as Windows-1252, header fields field by field; text labelled as a Latin
 * charset whose bytes are UTF-8 as UTF-8; what mailers get wrong besides (a header block not ended by an empty
 * line, format=flowed quotes, split encoded words) as eml-prepare.ts says. An attached message (a forward, inline
 * or as an attachment, message/rfc822 or message/global) is read one level deep as part of the text; other
 * attachments are listed by name, type and size, never read.
 * The only text of a message in a part marked as an attachment without a file name is read as its body; a
 * multipart whose Content-Type names no boundary is split at the one its body shows; that of a message of only a
 * calendar invitation is the invitation's summary and description (eml-calendar.ts). A Date header without
 * a time zone is read as UTC (eml-date.ts). `warnings` say what was not read: a multipart without a boundary
 * to be found, the only text in an attachment with a file name or in a calendar invitation without a summary or
 * description, only parts of other types, content that is encrypted (each saying that only the subject was read, or,
 * of a message without one, that none of its text was), a text part sent as base64 that is damaged (eml-warnings.ts); that the text came from an invitation; that the
 * message is a delivery report or read receipt, not a person's email; a Date read as UTC for want of a zone; a
 * body whose start was guessed; text read as UTF-8 against its Latin charset label, and text read as Windows-1252
 * against its UTF-8 label because its bytes are mostly not UTF-8.
 * `autoSubmitted` says what the headers say of an automatic sender (eml-auto-submitted.ts).
 */
export async function parseEml(raw: string | Uint8Array, options: { maxInputChars?: number; maxLines?: number } = {}): Promise<ParsedEml> {
  const limit = options.maxInputChars ?? DEFAULT_MAX_INPUT_CHARS * 4;
  const size = typeof raw === 'string' ? raw.length : raw.byteLength;
  if (size > limit) throw new InputTooLargeError(size, limit);
  const maxLines = options.maxLines ?? Math.max(MAX_EML_LINES, Math.ceil(size / BYTES_PER_LINE));
  // Text is parsed as its UTF-8 bytes (as the parser would encode it), so that it is prepared as bytes are.
  const bytes = bareCrsAsLf(typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw);
  const lines = lineCount(bytes);
  if (lines > maxLines) throw new EmlParseError(`the message has ${lines} lines, over the limit of ${maxLines}`);
  let read = await parsedMessage(bytes, false);
  // Some mailers mark the plain-text body `Content-Disposition: attachment`, with no file name: when it is
  // all the text there is, it is read as the body (parsed again, so its charset is read as the body's would be).
  if (read.parsed.attachments.some(namelessTextAttachment) && !hasText(read.parsed)) read = await parsedMessage(bytes, true);
  const { parsed } = read;
  const warnings: string[] = [];
  if (read.guessed > 0) warnings.push(GUESSED_BODY_START_WARNING);
  if (read.unsplit > 0) warnings.push(UNSPLIT_MULTIPART_WARNING);
  if (read.damaged > 0) warnings.push(DAMAGED_BASE64_WARNING);
  if (read.unlabelledBase64 > 0) warnings.push(UNLABELLED_BASE64_WARNING);
  if (read.latinAsUtf8 > 0) warnings.push(LATIN_AS_UTF8_WARNING);
  if (read.utf8AsLatin > 0) warnings.push(UTF8_AS_LATIN_WARNING);
  let body = bodyOf(parsed);
  const subject = fixC1(parsed.subject)?.slice(0, 2_000);
  if (!hasText(parsed, body)) {
    let noText = noTextWarning(parsed.attachments.map((a) => a.mimeType), holdsPgpMessage(parsed.text ?? ''));
    // A message of only an invitation: its summary and description are the text, and the warning says so.
    const invitation = noText === CALENDAR_WITHOUT_TEXT_WARNING ? invitationOf(parsed) : undefined;
    if (invitation !== undefined) [body, noText] = [invitation, CALENDAR_WARNING];
    // Read by its subject only, as the warning says: by nothing of its text when it has none (subjectlessWarning).
    if (noText) warnings.push(VISIBLE.test(subject ?? '') ? noText : subjectlessWarning(noText));
  }
  const report = reportWarning(parsed.headers.find((h) => h.key === 'content-type')?.value);
  if (report) warnings.push(report);
  const from = parsed.from;
  const fromText = from ? (from.address ? (from.name ? `${from.name} <${from.address}>` : from.address) : from.name) : undefined;
  const dateHeader = parsed.headers.find((h) => h.key === 'date')?.value;
  const date = headerDate(dateHeader);
  if (date?.zoneless) warnings.push(DATE_WITHOUT_ZONE_WARNING);
  if (date === undefined && typeof dateHeader === 'string' && dateHeader.trim() !== '') warnings.push(unreadDateWarning(dateHeader));
  // The Message-ID (without its angle brackets) names the email, e.g. in feedback by emailId. Whole: one
  // longer than an email id may be (MAX_EMAIL_ID_CHARS) is for the caller to refuse or replace, not to cut.
  let messageId = messageIdOf(parsed.messageId);
  // Control and invisible characters (an ESC, a line break, a right-to-left mark) are in no id a mail server makes, and
  // a sender could put them there for a terminal or a spreadsheet that shows the id later: not taken as the id.
  if (messageId !== undefined && UNSHOWABLE.test(messageId)) {
    warnings.push(UNUSABLE_MESSAGE_ID_WARNING);
    messageId = undefined;
  }
  const autoSubmitted = autoSubmittedOf(parsed.headers, deliveryActions(parsed.attachments));
  const attachmentNames = await attachedFileNames(parsed, read.forwards);
  return {
    ...(messageId ? { id: messageId } : {}),
    subject,
    body,
    html: fixC1(parsed.html),
    from: fromText?.slice(0, 500),
    receivedAt: date?.receivedAt,
    ...(autoSubmitted ? { autoSubmitted } : {}),
    ...(attachmentNames.length > 0 ? { attachmentNames } : {}),
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename ?? undefined,
      contentType: a.mimeType,
      size: byteSize(a.content),
    })),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}
