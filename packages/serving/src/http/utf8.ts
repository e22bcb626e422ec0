/**
 * Where a byte sequence stops being UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past
 * U+10FFFF), or -1 when it is UTF-8 throughout. Only called on a body `isUtf8` refused, to say where.
 */
export function firstNonUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i += 1;
      continue;
    }
    // Length of the sequence and the range its second byte must fall in.
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) n = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      n = 3;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 4;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    if (i + n > bytes.length) return i;
    if (bytes[i + 1] < lo || bytes[i + 1] > hi) return i;
    for (let k = 2; k < n; k++) if (bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) return i;
    i += n;
  }
  return -1;
}

/** `byte 57 (0xE4)`: where a body stops being UTF-8, for an error message. */
export function describeNonUtf8(bytes: Uint8Array): string {
  const at = firstNonUtf8(bytes);
  return at < 0 ? 'no invalid byte' : `byte ${at} (0x${bytes[at].toString(16).toUpperCase().padStart(2, '0')})`;
}
