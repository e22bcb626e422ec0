import { describe, expect, it } from 'vitest';
import { formatSeconds } from './format-seconds.js';

describe('formatSeconds', () => {
  it('keeps two significant digits for short times and tenths from a second up', () => {
    expect(formatSeconds(0.045)).toBe('0.045');
    expect(formatSeconds(0.0451)).toBe('0.045');
    expect(formatSeconds(0.5)).toBe('0.50');
    expect(formatSeconds(0.00123)).toBe('0.0012');
    expect(formatSeconds(0.999)).toBe('1.0');
    expect(formatSeconds(1.25)).toBe('1.3');
    expect(formatSeconds(123.44)).toBe('123.4');
    expect(formatSeconds(0)).toBe('0');
  });
});
