/** Whether `trim()` removes this character code: the white space and line terminators of ECMAScript (`\s`). */
export function isTrimSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** Whether a line is empty or blank (`line.trim() === ''`), without copying it. */
export function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i += 1) if (!isTrimSpace(line.charCodeAt(i))) return false;
  return true;
}
