import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBlank, isTrimSpace } from './blank.js';

describe('isBlank and isTrimSpace', () => {
  it('agree with trim() on every UTF-16 code unit', () => {
    const disagree: string[] = [];
    for (let c = 0; c < 0x10000; c += 1) if (isTrimSpace(c) !== (String.fromCharCode(c).trim() === '')) disagree.push(c.toString(16));
    expect(disagree).toEqual([]);
  });

  it('tell blank lines as trim() does', () => {
    expect(isBlank('')).toBe(true);
    expect(isBlank(' \t\u00a0\u3000\ufeff')).toBe(true);
    expect(isBlank(' x ')).toBe(false);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(' ', '\t', '\u2003', '\u200b', '\u0001', 'a') }), (s) => {
        expect(isBlank(s)).toBe(s.trim() === '');
      }),
    );
  });
});
