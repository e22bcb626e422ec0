import { isUtf8 } from 'node:buffer';
/**
 * Text parts that declare no charset are decoded as UTF-8 by the MIME parser, so a raw 8-bit body written
 * in Windows-1252 or Latin-1 (old mailers and scanners send `Content-Transfer-Encoding: 8bit` with no
 * charset, or no MIME headers at all) lost every umlaut to U+FFFD while its headers were read correctly.
 * Such a part, when its bytes are mostly not UTF-8, gets `charset=windows-1252` written into its header
 * before parsing: the same fallback as the headers get. One it does not know (`charset=3Dutf-8` from a gateway
 * that quoted-printable-encoded the header, `x-unknown`, `unknown-8bit`), and US-ASCII, it reads as Windows-1252,
 * which turned UTF-8 text into `Ã¼ber`: such a label is replaced by `utf-8` when the part's bytes are mostly UTF-8
 * (an empty one, which the parser reads as UTF-8, by `windows-1252` when they are mostly not; `latin-9` by
 * `iso-8859-15`), and so is a Latin label (ISO-8859-1, -15, Windows-1252) on bytes that are UTF-8 throughout, as
 * web forms send them; a UTF-8 label on bytes with more stray 8-bit bytes than UTF-8 sequences (old systems send
 * Latin-1 or Windows-1252 so labelled, which read as `Geb�hren`) is replaced by `windows-1252` (how the bytes are
 * judged: eml-bytes.ts). Charset parameters are read as the parser reads
 * them, in RFC 2231's forms too (eml-parameter.ts). A text part's edits also make a text part with a file name in a
 * multipart an attachment (not Exchange's `ATT00001.txt`, the text after an attachment, which is body text), a
 * Content-Type that is no type readable, format=flowed text fixed lines (eml-flowed.ts), and take the blanks a
 * relay added after a quoted-printable soft line break (`=` then a space, then the line end) out, which the parser
 * would keep as `=` and a line break.
 */

import type { Edit } from './eml-edits.js';
import { applyEdits } from './eml-edits.js';
import { correctedLabel, transferDecoded } from './eml-bytes.js';
import { header, relabelEdits, repairedContentType, transferEncoding, type Field } from './eml-fields.js';
import { flowedBodyEdit } from './eml-flowed.js';
import { parameter } from './eml-parameter.js';

const FALLBACK = 'windows-1252';

/**
 * What a walk over the message keeps for text parts: `textInline`, make a text part sent as an attachment without a
 * file name inline; `damaged` counts text parts sent as base64 that hold characters base64 has not; `latinAsUtf8`,
 * Latin charset labels replaced by `utf-8` because the bytes are UTF-8; `utf8AsLatin`, UTF-8 labels replaced by
 * `windows-1252` because the bytes are mostly not UTF-8.
 */
export interface TextWalk {
  textInline: boolean;
  damaged: number;
  latinAsUtf8: number;
  utf8AsLatin: number;
  /** Text parts whose body is base64 though their Content-Transfer-Encoding says otherwise, or nothing (`unlabelledBase64`). */
  unlabelledBase64: number;
}

/** A line of base64 as mail writes it: the alphabet, padding only at its end. */
const BASE64_LINE = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Whether a text part's body, sent as 7bit, 8bit or quoted-printable (or with no Content-Transfer-Encoding), is in
 * fact base64, as a mislabelling gateway or script sends it: every line base64, the lines but the last of one length
 * (as encoders wrap them), at least 24 characters in all and a multiple of 4, both cases of letters, and its bytes
 * text (UTF-8 without control characters, or nine in ten of them printable ASCII). Read as sent, the blob would be the email's text, its personal data unmasked.
 */
export function unlabelledBase64(body: string): boolean {
  const lines = body.split(/\r?\n/).map((line) => line.trim());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  while (lines.length > 0 && lines[0] === '') lines.shift();
  const joined = lines.join('');
  if (joined.length < 24 || joined.length % 4 !== 0 || !lines.every((line) => BASE64_LINE.test(line))) return false;
  if (lines.slice(0, -1).some((line) => line.length !== lines[0].length || line.endsWith('='))) return false;
  // Base64 of text mixes cases; a reference number or a word in capitals does not.
  if (!/[a-z]/.test(joined) || !/[A-Z]/.test(joined)) return false;
  const bytes = Buffer.from(joined, 'base64');
  if (isUtf8(bytes)) return !bytes.some((b) => b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f);
  // Not UTF-8 (Latin-1 text): mostly ASCII letters, digits and punctuation, as German or English text is.
  let ascii = 0;
  for (const b of bytes) if ((b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d) ascii += 1;
  return ascii * 10 >= bytes.length * 9;
}

/** A header block's text, where it starts in the message, where its lines end, and a line end for a field added there. */
export interface Block {
  text: string;
  start: number;
  headEnd: number;
  eol: string;
}

/**
 * A forward as attachment (Outlook, Thunderbird and Gmail write `Content-Disposition: attachment;
 * filename="….eml"`) is made inline, so the parser reads it as it reads an attached message sent inline,
 * and the forward a short cover note points to is not lost.
 */
export function inlineEdit(block: string, start: number, out: Edit[]): void {
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
 * The names Exchange gives the text after an attachment when it splits a body that Apple Mail sent around a file
 * (`ATT00001.txt`, `ATT00002.htm`): body text, not a file.
 */
const CONTINUATION_NAME = /^ATT\d{5}\.(?:txt|htm)$/i;

/** Whether the part's file names (`filename`, `name`) are all Exchange's names of a body's continuation. */
function continuationPart(block: string, contentType: Field | undefined): boolean {
  const disposition = header(block, 'content-disposition');
  const names = [
    disposition && parameter(block.slice(disposition.start, disposition.end), 'filename')?.value,
    contentType && parameter(block.slice(contentType.start, contentType.end), 'name')?.value,
  ].filter((name): name is string => typeof name === 'string' && name.trim() !== '');
  return names.length > 0 && names.every((name) => CONTINUATION_NAME.test(name.trim()));
}

/**
 * Edits that mark a part `Content-Disposition: attachment`: the parser reads a text part marked inline, or not
 * marked, as the email's text even when it is a file (Apple Mail sends every file `inline; filename=...`).
 */
function attachmentEdit({ text: block, start, headEnd, eol }: Block, out: Edit[]): void {
  const disposition = header(block, 'content-disposition');
  if (!disposition) {
    out.push({ at: headEnd, text: `Content-Disposition: attachment${eol}` });
    return;
  }
  const inline = /^\s*inline\b/i.exec(block.slice(disposition.start, disposition.end));
  if (inline) out.push({ at: start + disposition.start + inline[0].length - 'inline'.length, remove: 'inline'.length, text: 'attachment' });
}

/**
 * Edits in a text part's Content-Type text (`field`; positions in it) for its charset, by its `body` as sent in
 * `encoding` (eml-bytes.ts, `correctedLabel`: `charset=utf-8` on bytes with more stray 8-bit bytes than UTF-8
 * sequences becomes `windows-1252`); `charset=windows-1252` added when none is declared and the bytes are mostly not
 * UTF-8 (which, contradicting no label, is said in no warning: the headers' 8-bit fields get the same fallback).
 * `latinAsUtf8`: a Latin label was replaced by `utf-8`; `utf8AsLatin`: a UTF-8 label by `windows-1252`.
 */
function charsetEdits(body: string, encoding: string, field: string): { edits: Edit[]; latinAsUtf8: boolean; utf8AsLatin: boolean } {
  const charset = parameter(field, 'charset');
  const bytes = transferDecoded(body, encoding);
  const none = { edits: [], latinAsUtf8: false, utf8AsLatin: false };
  if (charset) {
    const fix = correctedLabel(charset.value.trim().toLowerCase(), bytes, FALLBACK);
    return fix ? { edits: relabelEdits(charset, 0, fix.label), latinAsUtf8: fix.latinAsUtf8, utf8AsLatin: fix.utf8AsLatin } : none;
  }
  const fix = correctedLabel('', bytes, FALLBACK);
  if (fix?.label !== FALLBACK) return none;
  return { edits: [{ at: field.length, text: `${field.trimEnd().endsWith(';') ? '' : ';'} charset=${FALLBACK}` }], latinAsUtf8: false, utf8AsLatin: false };
}

/** Charsets in which `>`, a space and a line end are not the ASCII bytes (flowed text in them is left to the parser). */
const NOT_ASCII_BASED = /utf-?(?:16|32)|ucs-?[24]|^(?:cs)?unicode(?:fffe|feff)?$|iso-10646/i;

/**
 * The edits that make a format=flowed text/plain part (`field`: its Content-Type text) fixed lines: its body written
 * again (eml-flowed.ts) and, in `fieldEdits`, its format parameter `fixed`. False when it is not flowed.
 */
function flowedEdits(s: string, bodyStart: number, end: number, encoding: string, field: string, at: number, out: Edit[], fieldEdits: Edit[]): boolean {
  const format = parameter(field, 'format');
  if (format?.value.trim().toLowerCase() !== 'flowed' || NOT_ASCII_BASED.test(parameter(field, 'charset')?.value.trim() ?? '')) return false;
  const delSp = parameter(field, 'delsp')?.value.trim().toLowerCase() === 'yes';
  const body = flowedBodyEdit(s, bodyStart, end, encoding, delSp);
  if (body === undefined) return false;
  out.push(body);
  fieldEdits.push(...relabelEdits(format, at, 'fixed', 'format'));
  return true;
}

/**
 * The edits of a text part (or of a part whose Content-Type is no type: text/plain once written again), whose header
 * block is `block` and whose body is s[bodyStart, end); `depth`: how deep in multiparts it is (0: the message's
 * own body).
 */
export function textPartEdits(s: string, block: Block, bodyStart: number, end: number, type: string, depth: number, out: Edit[], walk: TextWalk): void {
  const { text, start, headEnd, eol } = block;
  const contentType = header(text, 'content-type');
  const repaired = contentType && repairedContentType(contentType.value);
  const textType = (repaired ?? type).trim().split(';')[0].toLowerCase();
  const continuation = depth > 0 && continuationPart(text, contentType);
  const named = NAMED.test(text) && !continuation;
  // A part of a multipart (or of a forward) with a file name is a file, whatever its disposition says.
  if (depth > 0 && named && (textType === 'text/plain' || textType === 'text/html')) attachmentEdit(block, out);
  else if (continuation || (walk.textInline && !named)) inlineEdit(text, start, out);
  let encoding = transferEncoding(text);
  if (encoding === 'base64' && /[^A-Za-z0-9+/=\s]/.test(s.slice(bodyStart, end))) walk.damaged += 1;
  // Base64 sent under another label (or none) is decoded as base64: its Content-Transfer-Encoding said so, or added.
  if (encoding !== 'base64' && !named && unlabelledBase64(s.slice(bodyStart, end))) {
    const cte = header(text, 'content-transfer-encoding');
    out.push(cte ? { at: start + cte.start, remove: cte.end - cte.start, text: ' base64' } : { at: headEnd, text: `Content-Transfer-Encoding: base64${eol}` });
    encoding = 'base64';
    walk.unlabelledBase64 += 1;
  }
  // The Content-Type's edits, made in its text as it stands, or as written again or added (then written whole).
  const field = repaired ?? (contentType ? text.slice(contentType.start, contentType.end) : ' text/plain');
  const { edits: fieldEdits, latinAsUtf8, utf8AsLatin } = charsetEdits(s.slice(bodyStart, end), encoding, field);
  // Said of text that is read: not of a file.
  const file = depth > 0 && named;
  if (latinAsUtf8 && !file) walk.latinAsUtf8 += 1;
  if (utf8AsLatin && !file) walk.utf8AsLatin += 1;
  const flowed = textType === 'text/plain' && !named && flowedEdits(s, bodyStart, end, encoding, field, 0, out, fieldEdits);
  if (!flowed && encoding === 'quoted-printable') softBreakEdits(s, bodyStart, end, out);
  if (contentType && repaired === undefined) for (const e of fieldEdits) out.push({ ...e, at: e.at + start + contentType.start });
  else if (contentType) out.push({ at: start + contentType.start, remove: contentType.end - contentType.start, text: applyEdits(field, fieldEdits, 0, field.length) });
  // A field added ends as the blank line after it does.
  else if (fieldEdits.length > 0) out.push({ at: headEnd, text: `Content-Type:${applyEdits(field, fieldEdits, 0, field.length)}${eol}` });
}
