import { isUtf8 } from 'node:buffer';

/**
 * The text of bytes that should be UTF-8, or the line of the first byte that is not (as an editor numbers
 * it: CRLF and a lone CR end one line), so that the message refusing a Latin-1 file can say where.
 */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { badLine: number } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch (cause) {
    // Not a decoding error (a file over V8's longest string): the caller says what it is.
    if ((cause as NodeJS.ErrnoException).code !== 'ERR_ENCODING_INVALID_ENCODED_DATA') throw cause;
    return { badLine: firstBadLine(bytes) };
  }
}

/**
 * The line of the first byte that is not UTF-8. Read line by line from the bytes, not from a lenient decoding's
 * first U+FFFD: a file may hold that character itself (an earlier conversion's), lines above the bad byte. A line
 * end is one byte no multi-byte character holds, so each line is UTF-8 or not on its own.
 */
function firstBadLine(bytes: Uint8Array): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 0x0a && b !== 0x0d) continue;
    if (!isUtf8(bytes.subarray(start, i))) return line;
    if (b === 0x0d && bytes[i + 1] === 0x0a) i++;
    line++;
    start = i + 1;
  }
  return line;
}

/** A UTF-16 file (Excel's "Unicode text", PowerShell's `>`, Notepad's "Unicode") starts with FF FE or FE FF. */
export function isUtf16(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}

/** How many bytes from the start `utf16WithoutBom` looks at: a few hundred, the header line and more. */
const UTF16_SNIFF_BYTES = 512;

/**
 * UTF-16 text without its byte-order mark (some exporters' "Unicode", or a BOM cut off), by its first bytes: in a
 * UTF-16 file of Latin text every other byte is NUL (the odd ones in little-endian, the even ones in big-endian), which
 * no UTF-8 or Windows-1252 text has. `le` or `be`, or undefined for text that does not read so.
 */
export function utf16WithoutBom(bytes: Uint8Array): 'le' | 'be' | undefined {
  const n = Math.min(bytes.length, UTF16_SNIFF_BYTES) & ~1;
  const units = n / 2;
  // Two characters are too few to tell (`a\0` may be anything).
  if (units < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  let otherAscii = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
    // The byte beside a NUL: ASCII for most characters of Latin text (ü is FC 00 in little-endian, not ASCII).
    if (bytes[i] === 0 && bytes[i + 1] > 0 && bytes[i + 1] < 0x80) otherAscii++;
    if (bytes[i + 1] === 0 && bytes[i] > 0 && bytes[i] < 0x80) otherAscii++;
  }
  const most = (count: number) => count >= units * 0.8;
  const few = (count: number) => count <= units * 0.1;
  if (most(oddNul) && few(evenNul) && most(otherAscii)) return 'le';
  if (most(evenNul) && few(oddNul) && most(otherAscii)) return 'be';
  return undefined;
}

/** A gzip-compressed file (an export or batch compressed for mail or storage) starts with 1F 8B. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}
