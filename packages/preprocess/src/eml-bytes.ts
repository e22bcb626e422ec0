/**
 * What a MIME part's bytes are, for eml-charset.ts and eml-encoded-words.ts: whether they are mostly UTF-8 or mostly
 * not (well-formed multi-byte sequences against stray 8-bit bytes), after their transfer encoding; whether the MIME
 * parser knows a charset label (it decodes with TextDecoder) and what it reads it as; and so which label the bytes
 * should have (`correctedLabel`).
 */

import { isUtf8 } from 'node:buffer';

/**
 * The encoding TextDecoder decodes with for the label (`windows-1252` for `iso-8859-1`), as written, or without an
 * `x-`/`cs` prefix and separators, as the parser also tries; undefined when it takes neither.
 */
function decoderEncoding(label: string): string | undefined {
  for (const candidate of [label, label.replace(/^(?:x-ms-|x-|cs)/, '').replace(/[\s._-]+/g, '')]) {
    try {
      return new TextDecoder(candidate).encoding;
    } catch {
      // not a label this runtime decodes
    }
  }
  return undefined;
}

/** Labels already judged (a message controls how many parts name one, and a refused label costs a thrown error). */
const KNOWN_LABELS = new Map<string, string | null>();

/** The encoding the parser decodes with for the label, or null when it does not know it (judged once per label). */
function knownEncoding(label: string): string | null {
  let known = KNOWN_LABELS.get(label);
  if (known === undefined) {
    known = decoderEncoding(label) ?? null;
    if (KNOWN_LABELS.size >= 256) KNOWN_LABELS.clear();
    KNOWN_LABELS.set(label, known);
  }
  return known;
}

/** US-ASCII's labels, as `decoderEncoding` reads them (without an `x-`/`cs` prefix). */
const ASCII_LABELS = new Set(['us-ascii', 'ascii', 'ansi_x3.4-1968', 'usascii']);

/**
 * Whether the parser decodes with the label as the text was written: a known label that is not US-ASCII. TextDecoder
 * reads US-ASCII as Windows-1252, while 8-bit bytes are no ASCII at all: a part or an encoded word that declares it
 * and holds them was written in another charset (scripts and web forms send UTF-8 so), and is judged by its bytes
 * as one with a label no decoder knows is.
 */
export function trustedLabel(label: string): boolean {
  return !ASCII_LABELS.has(label.replace(/^(?:x-ms-|x-|cs)/, '')) && knownEncoding(label) !== null;
}

/**
 * Labels of Latin-9 the parser does not know (it reads them as Windows-1252, which has `Š` where Latin-9 has `€`),
 * without separators, and the label it knows.
 */
const LABEL_ALIASES = new Map([
  ['latin9', 'iso-8859-15'],
  ['isolatin9', 'iso-8859-15'],
  ['latin0', 'iso-8859-15'],
]);

/** The label the parser knows for one it does not (`latin-9`: `iso-8859-15`), or undefined. */
function labelAlias(label: string): string | undefined {
  return LABEL_ALIASES.get(label.replace(/[\s._-]+/g, ''));
}

/** Whether the parser reads the label as Windows-1252 or ISO-8859-15 (`iso-8859-1`, `latin1`, `cp1252`, `latin-9` ...). */
function latinLabel(label: string): boolean {
  const encoding = knownEncoding(labelAlias(label) ?? label);
  return encoding === 'windows-1252' || encoding === 'iso-8859-15';
}

/** Whether bytes are UTF-8 with at least one multi-byte character: well-formed throughout, which Latin-1 text with umlauts practically never is. */
function utf8WithMultiByte(bytes: Uint8Array): boolean {
  return bytes.some((b) => b >= 0x80) && isUtf8(bytes);
}

/** What `correctedLabel` gives: the label, and which of the two contradictions (said in parseEml's warnings) it repairs. */
export interface LabelFix {
  label: string;
  /** A Latin label (ISO-8859-1, -15, Windows-1252) the parser knows, on bytes that are UTF-8: replaced by `utf-8`. */
  latinAsUtf8: boolean;
  /** A UTF-8 label the parser knows, on bytes that are mostly not UTF-8: replaced by `windows-1252`. */
  utf8AsLatin: boolean;
}

/** The charset a UTF-8 label on bytes that are no UTF-8 is replaced by: a superset of Latin-1's printable characters. */
const WINDOWS_1252 = 'windows-1252';

/**
 * The label a text part or an encoded word should declare for its bytes (transfer-decoded), when it is not the one
 * declared (lower case, trimmed). A Latin label (ISO-8859-1, -15, Windows-1252) on bytes that are well-formed UTF-8
 * with a multi-byte character: `utf-8` (web forms send UTF-8 so labelled, which read as `JÃ¼rgen`, and masking then
 * missed the name), `latinAsUtf8`. A UTF-8 label on bytes that are mostly not UTF-8 (`notUtf8`: more stray 8-bit
 * bytes than well-formed sequences; old systems and scripts send Latin-1 or Windows-1252 so labelled, which read as
 * `Geb�hren`): `windows-1252`, `utf8AsLatin`. Another label the parser knows: none. A label it does not know, or
 * US-ASCII: `utf-8` for bytes mostly UTF-8, else Latin-9's for one of its labels; an empty label (read as UTF-8):
 * `fallback` for bytes mostly not UTF-8 (`needsFallback`), which contradicts no label.
 */
export function correctedLabel(declared: string, bytes: Uint8Array, fallback: string): LabelFix | undefined {
  if (trustedLabel(declared)) {
    if (latinLabel(declared) && utf8WithMultiByte(bytes)) return { label: 'utf-8', latinAsUtf8: true, utf8AsLatin: false };
    if (knownEncoding(declared) === 'utf-8' && notUtf8(bytes)) return { label: WINDOWS_1252, latinAsUtf8: false, utf8AsLatin: true };
    return undefined;
  }
  // The parser reads a label it does not know (and US-ASCII) as Windows-1252 (an empty one as UTF-8), or as
  // the CJK charset it maps it to (cp932, euc_jp): only bytes that are mostly UTF-8 are surely not that.
  const alias = labelAlias(declared);
  if (mostlyUtf8(bytes)) return { label: 'utf-8', latinAsUtf8: alias !== undefined, utf8AsLatin: false };
  if (alias !== undefined) return { label: alias, latinAsUtf8: false, utf8AsLatin: false };
  return declared === '' && needsFallback(bytes) ? { label: fallback, latinAsUtf8: false, utf8AsLatin: false } : undefined;
}

/** The length of the UTF-8 sequence led by byte `b` (2-4), or 0 when `b` leads none. */
function sequenceLength(b: number): number {
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/** Whether `second` may follow `lead` in well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF). */
function secondByteFits(lead: number, second: number): boolean {
  if (lead === 0xe0) return second >= 0xa0 && second <= 0xbf;
  if (lead === 0xed) return second >= 0x80 && second <= 0x9f;
  if (lead === 0xf0) return second >= 0x90 && second <= 0xbf;
  if (lead === 0xf4) return second >= 0x80 && second <= 0x8f;
  return second >= 0x80 && second <= 0xbf;
}

/** How many well-formed multi-byte UTF-8 sequences the bytes hold, and how many bytes belong to none. */
function utf8Tally(bytes: Uint8Array): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < bytes.length; ) {
    if (bytes[i] < 0x80) {
      i += 1;
      continue;
    }
    const n = sequenceLength(bytes[i]);
    let ok = n > 0 && i + n <= bytes.length && secondByteFits(bytes[i], bytes[i + 1]);
    for (let k = 1; ok && k < n; k++) ok = bytes[i + k] >= 0x80 && bytes[i + k] <= 0xbf;
    if (ok) {
      valid += 1;
      i += n;
    } else {
      invalid += 1;
      i += 1;
    }
  }
  return { valid, invalid };
}

/** The part's bytes after its transfer encoding (base64, quoted-printable, or as sent). */
export function transferDecoded(body: string, encoding: string): Uint8Array {
  if (encoding === 'base64') return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (encoding === 'quoted-printable') {
    const text = body.replace(/=[ \t]*\r*\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(text, 'latin1');
  }
  return Buffer.from(body, 'latin1');
}

/**
 * Whether decoded bytes need the fallback: bytes that are no UTF-8, and no more UTF-8 sequences than them. A UTF-8
 * text with a stray byte stays UTF-8 (its one U+FFFD is named in a warning), rather than every umlaut becoming
 * `Ã¼`; Windows-1252 text, where a letter and a quote may happen to form a sequence (`ß“`), falls back.
 */
export function needsFallback(bytes: Uint8Array): boolean {
  const { valid, invalid } = utf8Tally(bytes);
  return invalid > 0 && valid <= invalid;
}

/**
 * Whether bytes labelled UTF-8 are rather Windows-1252 (or Latin-1): stray 8-bit bytes, more of them than well-formed
 * multi-byte sequences. The label decides a tie (it is the sender's word, where no charset is a guess:
 * `needsFallback`): UTF-8 text with a stray byte (a name pasted from a Latin-1 source), or more, but no more of them
 * than it has characters of several bytes, stays UTF-8 and loses those bytes to U+FFFD rather than every umlaut to `Ã¼`; text with no well-formed sequence at all (`Geb\xfchren`),
 * and Windows-1252 text whose umlauts outnumber the places where a letter and a quote happen to form one (`Gru\xdf\x93`),
 * are read as Windows-1252. A part is judged whole: text of both charsets in one part loses the minority's characters.
 */
export function notUtf8(bytes: Uint8Array): boolean {
  const { valid, invalid } = utf8Tally(bytes);
  return invalid > valid;
}

/** Whether decoded bytes read as UTF-8 rather than the fallback: UTF-8 sequences, more of them than stray bytes. */
export function mostlyUtf8(bytes: Uint8Array): boolean {
  const { valid, invalid } = utf8Tally(bytes);
  return valid > invalid;
}
