/**
 * Text parts that declare no charset are decoded as UTF-8 by the MIME parser, so a raw 8-bit body written
 * in Windows-1252 or Latin-1 (old mailers and scanners send `Content-Transfer-Encoding: 8bit` with no
 * charset, or no MIME headers at all) lost every umlaut to U+FFFD while its headers were read correctly.
 * Such a part, when its bytes are mostly not UTF-8, gets `charset=windows-1252` written into its header
 * before parsing: the same fallback as the headers get. A charset the parser knows is never changed but
 * US-ASCII; one it does not know (`charset=3Dutf-8` from a gateway that quoted-printable-encoded the header,
 * `x-unknown`, `unknown-8bit`) it reads as Windows-1252, as it reads US-ASCII, which turned UTF-8 text into `Ã¼ber`: such a
 * label is replaced by `utf-8` when the part's bytes are mostly UTF-8 (an empty one, which the parser
 * reads as UTF-8, by `windows-1252` when they are mostly not), and so is one of an RFC 2047 encoded word
 * in the message's headers (how the bytes are judged: eml-bytes.ts). Charset and boundary parameters are
 * read as the parser reads them, in RFC 2231's forms too (eml-parameter.ts). The walk over the parts also
 * makes a forward sent as an attachment inline, a file in a text part an attachment, a Content-Type that is
 * no type readable, and takes the blanks a relay added after a quoted-printable soft line break (`=` then a
 * space, then the line end) out, which the parser would keep as `=` and a line break.
 */

import { isUtf8 } from 'node:buffer';
import { decodeWindows1252 } from './windows-1252.js';
import { unstatedBoundary } from './eml-boundary.js';
import { mostlyUtf8, needsFallback, transferDecoded, trustedLabel } from './eml-bytes.js';
import { parameter, type Parameter } from './eml-parameter.js';

const FALLBACK = 'windows-1252';

/** Edits on the message as a Latin-1 string (one character per byte): `text` in place of `remove` characters at `at`. */
interface Edit {
  at: number;
  text: string;
  remove?: number;
}

/**
 * What a walk over the message does besides the charset edits: `textInline`, make a text part sent as an
 * attachment without a file name inline; `unsplit` counts multipart entities whose parts could not be found (no
 * boundary named that the body uses, nor one it shows); `damaged`, text parts sent as base64 that hold characters
 * base64 has not; `dates` collects the Date header of each attached message the parser reads inline (see
 * eml-forward-date.ts).
 */
interface Walk {
  textInline: boolean;
  unsplit: number;
  damaged: number;
  dates: string[];
}

/**
 * Where the line end at `i` ends, or -1 when none starts there: an LF after any number of CRs, as the parser reads
 * line ends (it drops the CRs before an LF), so `\r\r\n`, CRLF written out again as CRLF, is one line end.
 */
function afterLineEnd(s: string, i: number): number {
  let j = i;
  while (s[j] === '\r') j++;
  return s[j] === '\n' ? j + 1 : -1;
}

/** Where the header block that starts at `start` ends (the start of its blank line), or -1 without one. */
function blankLineAt(s: string, start: number, end: number): number {
  if (afterLineEnd(s, start) !== -1) return start;
  for (let i = s.indexOf('\n', start); i !== -1 && i + 1 < end; i = s.indexOf('\n', i + 1)) {
    if (afterLineEnd(s, i + 1) !== -1) return i + 1;
  }
  return -1;
}

/** A header field of the block (folded lines included): where its value starts and ends, and the value unfolded. */
function header(block: string, name: string): { start: number; end: number; value: string } | undefined {
  const match = new RegExp(`^${name}[ \\t]*:([^\\r\\n]*(?:\\r*\\n[ \\t][^\\r\\n]*)*)`, 'im').exec(block);
  if (!match) return undefined;
  const end = match.index + match[0].length;
  return { start: end - match[1].length, end, value: match[1].replace(/\r*\n/g, '').trim() };
}

/** An RFC 822 comment, `(...)`, which may stand wherever a structured field allows blanks; the parser reads fields without them. */
const COMMENT = /\([^()]*\)/g;

/** A part's transfer encoding as the parser reads it: the first token of the field without its comments, lower case ('' without one). */
function transferEncoding(block: string): string {
  const value = header(block, 'content-transfer-encoding')?.value ?? '';
  return (/[\w-]+/.exec(value.replace(COMMENT, ' '))?.[0] ?? '').toLowerCase();
}

/**
 * Edits that make a Content-Type field, whose raw text starts at `at`, name `label` as its charset (or its
 * parameter `name`) instead: the plain value replaced, the RFC 2231 sections (which the parser prefers to it)
 * taken out, or the first of them, when there is no plain one, written as `charset=label`.
 */
function relabelEdits(charset: Parameter, at: number, label: string, name = 'charset'): Edit[] {
  const { plain, extended } = charset;
  const edits = extended.map((section, i) => ({ at: at + section.at, remove: section.end - section.at, text: i === 0 && !plain ? `; ${name}=${label}` : '' }));
  if (plain) edits.push({ at: at + plain.valueAt, remove: plain.written.length, text: label });
  return edits;
}

/** An RFC 2047 encoded word: charset (with an RFC 2231 language after `*`), encoding, text; as the parser finds them. */
const ENCODED_WORD = /=\?([^?\s]+)\?([QqBb])\?([^?]*)\?=/g;

/** An encoded word's bytes: B is base64, Q quoted-printable with `_` for a space. */
function wordBytes(encoding: string, text: string): Buffer {
  if (encoding === 'B' || encoding === 'b') return Buffer.from(text, 'base64');
  return Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
}

/**
 * Encoded words in the header block s[start, end) whose charset the parser does not know
 * (`=?unknown-8bit?Q?K=C3=BCndigung?=`, as some relays wrap raw 8-bit headers) get the label `utf-8` when
 * the words of that label hold mostly UTF-8 together (a character may be split between two words).
 */
function encodedWordEdits(s: string, start: number, end: number, out: Edit[]): void {
  const at = s.indexOf('=?', start);
  if (at === -1 || at >= end) return;
  const unknown = new Map<string, { words: { at: number; length: number }[]; bytes: Buffer[] }>();
  for (const match of s.slice(start, end).matchAll(ENCODED_WORD)) {
    const label = match[1].split('*')[0].trim().toLowerCase();
    if (trustedLabel(label)) continue;
    const found = unknown.get(label) ?? { words: [], bytes: [] };
    found.words.push({ at: start + match.index + 2, length: match[1].length });
    found.bytes.push(wordBytes(match[2], match[3]));
    unknown.set(label, found);
  }
  for (const { words, bytes } of unknown.values()) {
    if (mostlyUtf8(Buffer.concat(bytes))) for (const word of words) out.push({ at: word.at, remove: word.length, text: 'utf-8' });
  }
}

/** Nested multipart levels followed at most (the parser's own default nesting is deeper; real mail is shallow). */
const MAX_DEPTH = 16;

/** The s[start, end) with the edits in it made. */
function applyEdits(s: string, edits: readonly Edit[], start: number, end: number): string {
  let out = '';
  let from = start;
  for (const { at, text, remove = 0 } of [...edits].sort((a, b) => a.at - b.at)) {
    out += s.slice(from, at) + text;
    from = at + remove;
  }
  return out + s.slice(from, end);
}

/** Whether a part (its header block) is sent as it is, not base64 or quoted-printable (whose bytes are not edited here). */
function unencoded(block: string): boolean {
  return ['', '7bit', '8bit', 'binary'].includes(transferEncoding(block));
}

/**
 * A forward as attachment (Outlook, Thunderbird and Gmail write `Content-Disposition: attachment;
 * filename="….eml"`) is made inline, so the parser reads it as it reads an attached message sent inline,
 * and the forward a short cover note points to is not lost.
 */
function inlineEdit(block: string, start: number, out: Edit[]): void {
  const disposition = header(block, 'content-disposition');
  const attachment = disposition && /^\s*attachment\b/i.exec(block.slice(disposition.start, disposition.end));
  if (attachment) out.push({ at: start + disposition.start + attachment[0].length - 'attachment'.length, remove: 'attachment'.length, text: 'inline' });
}

/** A quoted-printable soft line break with blanks after the `=`, which a relay may add (RFC 2045 6.7: trailing blanks are to be deleted). */
const PADDED_SOFT_BREAK = /=[ \t]+(?=\r*\n|$)/g;

/** Edits that take the blanks after soft line breaks out of a quoted-printable body s[start, end): the parser kept `=` and the line end in the text. */
function softBreakEdits(s: string, start: number, end: number, out: Edit[]): void {
  for (const match of s.slice(start, end).matchAll(PADDED_SOFT_BREAK)) out.push({ at: start + match.index + 1, remove: match[0].length - 1, text: '' });
}

/** A file name on a part (`filename=`, `name=`, RFC 2231 `filename*0*=`): a file, not a body a mailer marked as an attachment. */
const NAMED = /;\s*(?:file)?name\*?(?:\d+\*?)?\s*=/i;

/**
 * An attached message (a forward), which the parser reads inline, in s[start, end): its text parts get the same
 * fallbacks as the email's, and its header block, which the parser reads as UTF-8, is re-encoded from
 * Windows-1252 to UTF-8 when its 8-bit bytes are not UTF-8, as eml.ts does for the email's own headers.
 */
function attachedMessageEdits(s: string, start: number, end: number, depth: number, out: Edit[], walk: Walk): void {
  const inner: Edit[] = [];
  entityEdits(s, start, end, depth, inner, walk, true);
  const blank = blankLineAt(s, start, end);
  const headEnd = blank < 0 ? end : blank;
  encodedWordEdits(s, start, headEnd, inner);
  if (isUtf8(Buffer.from(s.slice(start, headEnd), 'latin1'))) {
    for (const edit of inner) out.push(edit);
    return;
  }
  // A charset written into the header block is re-encoded with it (ASCII stays as it is).
  const head = applyEdits(s, inner.filter((e) => e.at < headEnd), start, headEnd);
  const text = Buffer.from(decodeWindows1252(Buffer.from(head, 'latin1')), 'utf8').toString('latin1');
  out.push({ at: start, remove: headEnd - start, text }, ...inner.filter((e) => e.at >= headEnd));
}

/**
 * An attached message sent base64-encoded in s[start, end) (RFC 2046 asks for one sent as it is; gateways and some
 * clients encode it): the parser decodes it and reads it inline, so its edits are made in its decoded text, which
 * then replaces the body, base64-encoded again in lines of 76 characters that end as the body's first line does.
 */
function base64MessageEdits(s: string, start: number, end: number, depth: number, out: Edit[], walk: Walk): void {
  const message = Buffer.from(transferDecoded(s.slice(start, end), 'base64')).toString('latin1');
  const inner: Edit[] = [];
  attachedMessageEdits(message, 0, message.length, depth, inner, walk);
  if (inner.length === 0) return;
  const eol = /\r*\n/.exec(s.slice(start, end))?.[0] ?? '\n';
  const encoded = Buffer.from(applyEdits(message, inner, 0, message.length), 'latin1').toString('base64');
  out.push({ at: start, remove: end - start, text: `${encoded.replace(/.{76}/g, `$&${eol}`)}${eol}` });
}

/** The Date header of the attached message in s[start, end), sent in `encoding`, as sent: unfolded, trimmed. */
function attachedMessageDate(s: string, start: number, end: number, encoding: string, walk: Walk): void {
  const encoded = encoding === 'base64' || encoding === 'quoted-printable';
  const message = encoded ? Buffer.from(transferDecoded(s.slice(start, end), encoding)).toString('latin1') : s;
  const [from, to] = encoded ? [0, message.length] : [start, end];
  const blank = blankLineAt(message, from, to);
  const date = header(message.slice(from, blank < 0 ? to : blank), 'date')?.value;
  if (date) walk.dates.push(date);
}

/** A token of RFC 2045 (a type, a subtype): printable ASCII but for blanks and its specials. */
const TOKEN = "[!#$%&'*+.^_`{|}~\\w-]+";
const VALID_TYPE = new RegExp(`^${TOKEN}/${TOKEN}$`);
/** A type, then a comma or blanks where a `;` belongs (`text/plain, charset=UTF-8`), then more. */
const TYPE_THEN_COMMA = new RegExp(`^(${TOKEN}/${TOKEN})[\\s,]+(?=\\S)`);

/**
 * The Content-Type value, unfolded (`value`), written again when it is not `type/subtype` before its parameters,
 * which the parser reads as a type of that whole text (`text/plain, charset=utf-8`, the type of no part it reads
 * as text) or as no type (`text`, an empty field), and so as an attachment: with a `;` after a type a comma or
 * blanks follow, else as `text/plain` with its parameters, as RFC 2045 (5.2) reads a field that is not valid.
 * Undefined when it is valid.
 */
export function repairedContentType(value: string): string | undefined {
  const bare = value.replace(COMMENT, ' ').trim();
  const semicolon = bare.indexOf(';');
  if (VALID_TYPE.test((semicolon < 0 ? bare : bare.slice(0, semicolon)).trim())) return undefined;
  const typed = TYPE_THEN_COMMA.exec(bare);
  if (typed) return ` ${typed[1]}; ${bare.slice(typed[0].length)}`;
  return ` text/plain${semicolon < 0 ? '' : bare.slice(semicolon)}`;
}

/** Whether a line of the body s[start, end) opens with the delimiter of `boundary` (`--` and the boundary). */
function delimiterIn(s: string, start: number, end: number, boundary: string): boolean {
  const delimiter = `--${boundary}`;
  // Within the body only (a search past it, from each part, was quadratic in the parts).
  const body = s.slice(start, end);
  for (let i = body.indexOf(delimiter); i !== -1; i = body.indexOf(delimiter, i + 1)) if (i === 0 || body[i - 1] === '\n') return true;
  return false;
}

/** A field of a header block, with where it starts in the message. */
type Field = NonNullable<ReturnType<typeof header>>;

/**
 * A multipart entity: split at the boundary its Content-Type names when its body has that delimiter, else at the
 * one its body shows (eml-boundary.ts), written into the field in place of the one named (`boundary='b9'`, whose
 * quotes are part of the value, or a boundary the body does not use) or after it; counted in `walk.unsplit` when
 * neither is there.
 */
function multipartEdits(s: string, start: number, bodyStart: number, end: number, block: string, contentType: Field | undefined, depth: number, out: Edit[], walk: Walk, inMessage: boolean): void {
  const stated = contentType && parameter(block.slice(contentType.start, contentType.end), 'boundary');
  const used = stated?.value && delimiterIn(s, bodyStart, end, stated.value) ? stated.value : undefined;
  const boundary = used ?? unstatedBoundary(s, bodyStart, end);
  if (boundary === undefined) walk.unsplit += 1;
  else if (contentType && !used) {
    if (stated) out.push(...relabelEdits(stated, start + contentType.start, `"${boundary}"`, 'boundary'));
    else out.push({ at: start + contentType.end, text: `; boundary="${boundary}"` });
  }
  if (boundary !== undefined && depth < MAX_DEPTH) partEdits(s, bodyStart, end, boundary, depth + 1, out, walk, inMessage);
}

/**
 * Edits that mark a part `Content-Disposition: attachment`: the parser reads a text part marked inline, or not
 * marked, as the email's text even when it is a file (Apple Mail sends every file `inline; filename=...`).
 * `blank`: where the part's header block ends, for a field added.
 */
function attachmentEdit(s: string, block: string, start: number, blank: number, bodyStart: number, out: Edit[]): void {
  const disposition = header(block, 'content-disposition');
  if (!disposition) {
    out.push({ at: blank, text: `Content-Disposition: attachment${s.slice(blank, bodyStart)}` });
    return;
  }
  const inline = /^\s*inline\b/i.exec(block.slice(disposition.start, disposition.end));
  if (inline) out.push({ at: start + disposition.start + inline[0].length - 'inline'.length, remove: 'inline'.length, text: 'attachment' });
}

/**
 * Collects the edits for the entity in s[start, end): a header block, a blank line, a body. `inMessage`:
 * it is inside an attached message, whose own attached messages the parser lists as attachments (one level).
 */
function entityEdits(s: string, start: number, end: number, depth: number, out: Edit[], walk: Walk, inMessage = false): void {
  const blank = blankLineAt(s, start, end);
  if (blank < 0) return;
  const block = s.slice(start, blank);
  const bodyStart = afterLineEnd(s, blank);
  const contentType = header(block, 'content-type');
  const type = (contentType?.value.replace(COMMENT, ' ').split(';')[0].trim() ?? 'text/plain').toLowerCase();
  if (type.startsWith('multipart/')) {
    multipartEdits(s, start, bodyStart, end, block, contentType, depth, out, walk, inMessage);
    return;
  }
  if (type === 'message/rfc822') {
    if (inMessage || depth >= MAX_DEPTH) return;
    inlineEdit(block, start, out);
    const encoding = transferEncoding(block);
    attachedMessageDate(s, bodyStart, end, encoding, walk);
    if (unencoded(block)) attachedMessageEdits(s, bodyStart, end, depth + 1, out, walk);
    else if (encoding === 'base64') base64MessageEdits(s, bodyStart, end, depth + 1, out, walk);
    return;
  }
  // A text type, or a Content-Type that is no type (empty, `text`), which is text/plain once written again.
  if (!(type.startsWith('text/') || !type.includes('/'))) return;
  const repaired = contentType && repairedContentType(contentType.value);
  const textType = (repaired ?? type).trim().split(';')[0].toLowerCase();
  const named = NAMED.test(block);
  // A part of a multipart (or of a forward) with a file name is a file, whatever its disposition says.
  if (depth > 0 && named && (textType === 'text/plain' || textType === 'text/html')) attachmentEdit(s, block, start, blank, bodyStart, out);
  else if (walk.textInline && !named) inlineEdit(block, start, out);
  const encoding = transferEncoding(block);
  if (encoding === 'quoted-printable') softBreakEdits(s, bodyStart, end, out);
  if (encoding === 'base64' && /[^A-Za-z0-9+/=\s]/.test(s.slice(bodyStart, end))) walk.damaged += 1;
  // The Content-Type's edits, made in its text as it stands, or as written again or added (then written whole).
  const field = repaired ?? (contentType ? block.slice(contentType.start, contentType.end) : ' text/plain');
  const fieldEdits = charsetEdits(s.slice(bodyStart, end), encoding, field);
  if (contentType && repaired === undefined) for (const e of fieldEdits) out.push({ ...e, at: e.at + start + contentType.start });
  else if (contentType) out.push({ at: start + contentType.start, remove: contentType.end - contentType.start, text: applyEdits(field, fieldEdits, 0, field.length) });
  // A field added ends as the blank line after it does.
  else if (fieldEdits.length > 0) out.push({ at: blank, text: `Content-Type:${applyEdits(field, fieldEdits, 0, field.length)}${s.slice(blank, bodyStart)}` });
}

/**
 * Edits in a text part's Content-Type text (`field`; positions in it) for its charset, by its `body` as sent in
 * `encoding`: a label the parser does not know, or US-ASCII, replaced by `utf-8` when the bytes are mostly UTF-8;
 * `charset=windows-1252` added (or written for an empty label) when none is declared and they are mostly not.
 */
function charsetEdits(body: string, encoding: string, field: string): Edit[] {
  const charset = parameter(field, 'charset');
  if (charset) {
    const declared = charset.value.trim().toLowerCase();
    if (trustedLabel(declared)) return [];
    // The parser reads a label it does not know (and US-ASCII) as Windows-1252 (an empty one as UTF-8), or as
    // the CJK charset it maps it to (cp932, euc_jp): only bytes that are mostly UTF-8 are surely not that.
    const bytes = transferDecoded(body, encoding);
    const label = mostlyUtf8(bytes) ? 'utf-8' : declared === '' && needsFallback(bytes) ? FALLBACK : undefined;
    return label ? relabelEdits(charset, 0, label) : [];
  }
  if (!needsFallback(transferDecoded(body, encoding))) return [];
  return [{ at: field.length, text: `${field.trimEnd().endsWith(';') ? '' : ';'} charset=${FALLBACK}` }];
}

/** Each part between the `--boundary` delimiter lines of a multipart body in s[start, end). */
function partEdits(s: string, start: number, end: number, boundary: string, depth: number, out: Edit[], walk: Walk, inMessage: boolean): void {
  const delimiter = `--${boundary}`;
  let partStart = -1;
  // Found within the body only: the last search of each multipart ran to the message's end, quadratic in nested parts.
  const body = s.slice(start, end);
  const next = (from: number): number => {
    const at = body.indexOf(delimiter, from - start);
    return at === -1 ? -1 : start + at;
  };
  for (let i = next(start); i !== -1 && i < end; i = next(i + delimiter.length)) {
    if (i !== start && s[i - 1] !== '\n') continue;
    if (partStart >= 0) entityEdits(s, partStart, i, depth, out, walk, inMessage);
    if (s.startsWith('--', i + delimiter.length)) return;
    const eol = s.indexOf('\n', i);
    if (eol === -1 || eol >= end) return;
    partStart = eol + 1;
  }
  if (partStart >= 0) entityEdits(s, partStart, end, depth, out, walk, inMessage);
}

/**
 * The message as the parser should read it: `charset=windows-1252` declared on every text part (or the
 * single-part body) that declares no charset and whose bytes are not UTF-8; a charset the parser does not
 * know, or US-ASCII, replaced by `utf-8` where the bytes are mostly UTF-8 (a part's, or its header's encoded
 * words'), in the email and in an attached message (whose 8-bit header bytes that are not UTF-8 are re-encoded
 * from Windows-1252); an attached message sent as an attachment made inline; a text part with a file name in a
 * multipart made an attachment; a text part's Content-Type that is not `type/subtype` written again
 * (`repairedContentType`); the boundary written into a multipart Content-Type that names none, or one its body
 * does not use, when its body shows it (eml-boundary.ts). The same bytes when there is none of these.
 * `textInline`: text parts sent as an attachment without a file name are made inline too (for a message whose
 * only text is such a part). `unsplit`: how many multipart entities have a boundary neither named (and used) nor
 * found. `damaged`: how many text parts sent as base64 hold characters that base64 has not. `dates`: the Date
 * header of each attached message read inline, in the order of the message.
 */
export function prepareForParser(raw: Uint8Array, { textInline = false } = {}): { bytes: Uint8Array; unsplit: number; damaged: number; dates: string[] } {
  const s = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1');
  const edits: Edit[] = [];
  const walk: Walk = { textInline, unsplit: 0, damaged: 0, dates: [] };
  entityEdits(s, 0, s.length, 0, edits, walk);
  const blank = blankLineAt(s, 0, s.length);
  encodedWordEdits(s, 0, blank < 0 ? s.length : blank, edits);
  const { unsplit, damaged, dates } = walk;
  if (edits.length === 0) return { bytes: raw, unsplit, damaged, dates };
  return { bytes: Buffer.from(applyEdits(s, edits, 0, s.length), 'latin1'), unsplit, damaged, dates };
}
