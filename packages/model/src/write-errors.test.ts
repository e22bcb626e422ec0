import { describe, expect, it } from 'vitest';
import { errorCodeInWords } from './write-errors.js';

describe('errorCodeInWords', () => {
  it('says a path too long for the file system in words, the code kept for searching', () => {
    expect(errorCodeInWords('ENAMETOOLONG')).toBe('the path is too long for the file system (a name over 255 bytes, or a path over 4096): choose a shorter folder (ENAMETOOLONG)');
    expect(errorCodeInWords('ELOOP')).toBe('a loop of symbolic links (ELOOP)');
    expect(errorCodeInWords('EWHATEVER')).toBe('EWHATEVER');
  });
});
