/**
 * The message as the MIME parser should read it, written again before it parses it where it would misread it:
 * a walk over the message's entities (the message, the parts of its multiparts, an attached message) that collects
 * edits of its bytes. Per entity: where its header block ends (eml-header-block.ts: a body sent without the empty
 * line before it), its 8-bit header fields that are not UTF-8 re-encoded from Windows-1252 (field by field) and its
 * encoded words (eml-encoded-words.ts); a multipart split at the boundary its body uses (eml-boundary.ts); an
 * attached message (message/rfc822, or RFC 6532's message/global) read inline, sent as an attachment or
 * base64-encoded; a text part's charset and more (eml-charset.ts).
 */

import { isUtf8 } from 'node:buffer';
import { delimiterKind, unstatedBoundary } from './eml-boundary.js';
import { transferDecoded } from './eml-bytes.js';
import { inlineEdit, textPartEdits, type TextWalk } from './eml-charset.js';
import { applyEdits, base64BodyEdit, type Edit } from './eml-edits.js';
import { encodedWordEdits } from './eml-encoded-words.js';
import { COMMENT, header, relabelEdits, transferEncoding, unencoded, type Field } from './eml-fields.js';
import { headerBlock, utf8Fields, type HeaderBlock } from './eml-header-block.js';
import { parameter } from './eml-parameter.js';
import { MAX_ATTACHMENT_NAMES } from './email.js';

/**
 * What a walk over the message does besides the edits (and `TextWalk`'s): `unsplit` counts multipart entities whose
 * parts could not be found (no boundary named that the body uses, nor one it shows); `guessed`, header blocks not
 * ended by an empty line, whose body's start was guessed; `dates` collects the Date header of each attached message
 * the parser reads inline (see eml-forward-date.ts), `forwards` the fields that name each (`namingMessage`).
 */
interface Walk extends TextWalk {
  unsplit: number;
  guessed: number;
  dates: string[];
  forwards: string[];
}

/** Nested multipart levels followed at most (the parser's own default nesting is deeper; real mail is shallow). */
const MAX_DEPTH = 16;

/**
 * An attached message sent base64-encoded in s[start, end) (RFC 2046 asks for one sent as it is; gateways and some
 * clients encode it): the parser decodes it and reads it inline, so its edits are made in its decoded text, which
 * then replaces the body, base64-encoded again in lines of 76 characters that end as the body's first line does.
 */
function base64MessageEdits(s: string, start: number, end: number, depth: number, out: Edit[], walk: Walk): void {
  const message = Buffer.from(transferDecoded(s.slice(start, end), 'base64')).toString('latin1');
  const inner: Edit[] = [];
  entityEdits(message, 0, message.length, depth, inner, walk, true);
  if (inner.length === 0) return;
  out.push(base64BodyEdit(s, start, end, applyEdits(message, inner, 0, message.length)));
}

/** The raw text of a header field of the block, as a field of its own (`Subject: ...`, folds kept), or ''. */
function rawField(block: string, name: string, canonical: string, value: (raw: string) => string = (raw) => raw): string {
  const field = header(block, name);
  return field ? `${canonical}:${value(block.slice(field.start, field.end))}\r\n` : '';
}

/**
 * A message of the fields that name an attached message, for parseEml to list it among the attachments (it reads it as
 * text, and the parser lists it as no file): its part's Content-Disposition and Content-Type (`part`, that part's
 * header block; its type made application/octet-stream, so the parser reads a file name they give as it reads any
 * file's), and the Subject of its own header block `head`; raw, so that the parser decodes them as it decodes every
 * field (encoded words, RFC 2231, raw 8-bit text).
 */
export function namingMessage(head: string, part = ''): string {
  const fields = [
    rawField(head, 'subject', 'Subject'),
    rawField(part, 'content-type', 'Content-Type', (raw) => raw.replace(/^(\s*)message\/(?:rfc822|global)\b/i, '$1application/octet-stream')),
    rawField(part, 'content-disposition', 'Content-Disposition'),
  ];
  return `${fields.join('')}\r\nx\r\n`;
}

/** The header block of a message in s (one character per byte) as sent. */
export function messageHead(s: string): string {
  return s.slice(0, headerBlock(s, 0, s.length, false).headEnd);
}

/**
 * The attached message in s[start, end), sent in `encoding` in the part whose header block is `part`: its Date header
 * as sent (unfolded, trimmed), and the fields that name it (`namingMessage`).
 */
function attachedMessageFields(s: string, start: number, end: number, encoding: string, part: string, walk: Walk): void {
  const encoded = encoding === 'base64' || encoding === 'quoted-printable';
  const message = encoded ? Buffer.from(transferDecoded(s.slice(start, end), encoding)).toString('latin1') : s;
  const [from, to] = encoded ? [0, message.length] : [start, end];
  const head = message.slice(from, headerBlock(message, from, to, false).headEnd);
  const date = header(head, 'date')?.value;
  if (date) walk.dates.push(date);
  if (walk.forwards.length < MAX_ATTACHMENT_NAMES) walk.forwards.push(namingMessage(head, part));
}

/** Whether a line of the body s[start, end) is a delimiter line of `boundary` (`--` and the boundary, then `--` or blanks only). */
function delimiterIn(s: string, start: number, end: number, boundary: string): boolean {
  const delimiter = `--${boundary}`;
  // Within the body only (a search past it, from each part, was quadratic in the parts).
  const body = s.slice(start, end);
  for (let i = body.indexOf(delimiter); i !== -1; i = body.indexOf(delimiter, i + 1)) {
    if ((i === 0 || body[i - 1] === '\n') && delimiterKind(body, i, boundary, body.length) !== undefined) return true;
  }
  return false;
}

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
    const kind = delimiterKind(s, i, boundary, end);
    if (kind === undefined) continue;
    if (partStart >= 0) entityEdits(s, partStart, i, depth, out, walk, inMessage);
    if (kind === 'close') return;
    const eol = s.indexOf('\n', i);
    if (eol === -1 || eol >= end) return;
    partStart = eol + 1;
  }
  if (partStart >= 0) entityEdits(s, partStart, end, depth, out, walk, inMessage);
}

/** The type RFC 6532 gives a forward of a message with UTF-8 headers, which the parser does not read inline: it is read as message/rfc822. */
const GLOBAL = /message\/global/i;

/**
 * The edits for the body of the entity in s[start, end), by its header block; `inMessage`: it is inside an attached
 * message, whose own attached messages the parser lists as attachments (one level).
 */
function bodyEdits(s: string, start: number, { headEnd, bodyStart, eol }: HeaderBlock, end: number, depth: number, out: Edit[], walk: Walk, inMessage: boolean): void {
  const block = s.slice(start, headEnd);
  const contentType = header(block, 'content-type');
  const type = (contentType?.value.replace(COMMENT, ' ').split(';')[0].trim() ?? 'text/plain').toLowerCase();
  if (type.startsWith('multipart/')) {
    multipartEdits(s, start, bodyStart, end, block, contentType, depth, out, walk, inMessage);
    return;
  }
  if (type === 'message/rfc822' || type === 'message/global') {
    if (inMessage || depth >= MAX_DEPTH) return;
    const global = contentType && type === 'message/global' ? GLOBAL.exec(block.slice(contentType.start, contentType.end)) : null;
    if (contentType && global) out.push({ at: start + contentType.start + global.index, remove: global[0].length, text: 'message/rfc822' });
    inlineEdit(block, start, out);
    const encoding = transferEncoding(block);
    attachedMessageFields(s, bodyStart, end, encoding, block, walk);
    if (unencoded(block)) entityEdits(s, bodyStart, end, depth + 1, out, walk, true);
    else if (encoding === 'base64') base64MessageEdits(s, bodyStart, end, depth + 1, out, walk);
    return;
  }
  // A text type, or a Content-Type that is no type (empty, `text`), which is text/plain once written again.
  if (type.startsWith('text/') || !type.includes('/')) textPartEdits(s, { text: block, start, headEnd, eol }, bodyStart, end, type, depth, out, walk);
}

/**
 * The edit that writes the header block s[start, headEnd) again with its fields in UTF-8 (eml-header-block.ts,
 * `utf8Fields`), when one is not: made in its text after the edits collected in it since `mark`, which it replaces.
 */
function utf8HeaderEdit(s: string, start: number, headEnd: number, out: Edit[], mark: number): void {
  const head = s.slice(start, headEnd);
  if (!/[\x80-\xff]/.test(head) || isUtf8(Buffer.from(head, 'latin1'))) return;
  const own = out.splice(mark);
  const inHead = (e: Edit) => e.at >= start && e.at < headEnd;
  out.push({ at: start, remove: headEnd - start, text: utf8Fields(applyEdits(s, own.filter(inHead), start, headEnd)) });
  for (const e of own) if (!inHead(e)) out.push(e);
}

/**
 * Collects the edits for the entity in s[start, end): a header block, its end, a body. `inMessage`: it is inside
 * an attached message (see `bodyEdits`).
 */
function entityEdits(s: string, start: number, end: number, depth: number, out: Edit[], walk: Walk, inMessage = false): void {
  const mark = out.length;
  const block = headerBlock(s, start, end, depth === 0 && start === 0);
  if (block.headEnd < end) bodyEdits(s, start, block, end, depth, out, walk, inMessage);
  encodedWordEdits(s, start, block.headEnd, out, walk);
  utf8HeaderEdit(s, start, block.headEnd, out, mark);
  // Last: a field added at the block's end goes before the empty line given to the parser there.
  if (block.fix) {
    walk.guessed += 1;
    out.push(block.fix);
  }
}

/**
 * The message as the parser should read it (see above); the same bytes when nothing is to be written again.
 * `textInline`: text parts sent as an attachment without a file name are made inline too (for a message whose only
 * text is such a part). `unsplit`: how many multipart entities have a boundary neither named (and used) nor found.
 * `damaged`: how many text parts sent as base64 hold characters that base64 has not. `guessed`: how many header
 * blocks were not ended by an empty line. `latinAsUtf8`: how many Latin charset labels (of parts, or of encoded
 * words) were read as UTF-8; `utf8AsLatin`: how many UTF-8 labels as Windows-1252. `unlabelledBase64`: how many text
 * parts were base64 under another Content-Transfer-Encoding (or none), read as base64.
 * `dates`: the Date header of each attached message read inline, in the order of the message; `forwards`, the fields
 * that name each (`namingMessage`), as many as `MAX_ATTACHMENT_NAMES`.
 */
export function prepareForParser(
  raw: Uint8Array,
  { textInline = false } = {},
): { bytes: Uint8Array; unsplit: number; damaged: number; guessed: number; latinAsUtf8: number; utf8AsLatin: number; unlabelledBase64: number; dates: string[]; forwards: string[] } {
  const s = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1');
  const edits: Edit[] = [];
  const walk: Walk = { textInline, unsplit: 0, damaged: 0, guessed: 0, latinAsUtf8: 0, utf8AsLatin: 0, unlabelledBase64: 0, dates: [], forwards: [] };
  entityEdits(s, 0, s.length, 0, edits, walk);
  const { unsplit, damaged, guessed, latinAsUtf8, utf8AsLatin, unlabelledBase64, dates, forwards } = walk;
  const bytes = edits.length === 0 ? raw : Buffer.from(applyEdits(s, edits, 0, s.length), 'latin1');
  return { bytes, unsplit, damaged, guessed, latinAsUtf8, utf8AsLatin, unlabelledBase64, dates, forwards };
}
