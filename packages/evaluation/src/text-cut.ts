/**
 * Cutting text by UTF-16 units, as `.length` counts them, without halving a character outside the Basic Multilingual
 * Plane (an emoji is two units): half of one is a lone surrogate, which a file's UTF-8 holds as �.
 */

const isHighSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff;

/** The first `n` units of `s`, one fewer where the cut would fall inside a character. */
export function headUnits(s: string, n: number): string {
  return s.slice(0, n > 0 && isHighSurrogate(s.charCodeAt(n - 1)) ? n - 1 : n);
}

/** The last `n` units of `s`, one fewer where the cut would fall inside a character. */
export function tailUnits(s: string, n: number): string {
  if (n <= 0) return '';
  const from = Math.max(0, s.length - n);
  return s.slice(from > 0 && isLowSurrogate(s.charCodeAt(from)) ? from + 1 : from);
}
