import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { plainDecimal, wholeNumber } from './numbers.js';

describe('wholeNumber', () => {
  it('takes plain decimal digits within the range', () => {
    expect(wholeNumber('--rows', '16', 1)).toBe(16);
    expect(wholeNumber('--port', '0', 0, 65535)).toBe(0);
    expect(wholeNumber('--port', '08080', 0, 65535)).toBe(8080);
    expect(wholeNumber('--offset', '-3', -10, 10)).toBe(-3);
  });

  it('refuses hex, exponents, fractions, signs and blanks, with one message for every form', () => {
    for (const text of ['0x10', '1e2', '1.8e4', '1.5', ' 5', '5 ', '', '+5', '-5', '0b11', '0o7', 'Infinity', '5_000', '１２']) {
      expect(() => wholeNumber('--rows', text, 1)).toThrow(new UsageError(`--rows must be an integer >= 1 in plain digits, got "${text}"`));
    }
    expect(() => wholeNumber('PORT', '1e3', 0, 65535)).toThrow('PORT must be an integer from 0 to 65535 in plain digits, got "1e3"');
    // Out of range, and past what a double holds exactly.
    expect(() => wholeNumber('--port', '65536', 0, 65535)).toThrow('--port must be an integer from 0 to 65535');
    expect(() => wholeNumber('--seed', '99999999999999999999', 0)).toThrow('--seed must be an integer >= 0');
  });

  it('throws a usage error, so that the CLI exits 2', () => {
    expect(() => wholeNumber('--rows', 'x', 1)).toThrow(UsageError);
  });
});

describe('plainDecimal', () => {
  it('reads digits with an optional fraction, NaN for anything else', () => {
    expect(plainDecimal('20')).toBe(20);
    expect(plainDecimal('0.5')).toBeCloseTo(0.5, 12);
    for (const text of ['0x10', '1e2', ' 5', '.5', '5.', '-1', '']) expect(plainDecimal(text)).toBeNaN();
  });
});
