import { describe, expect, it } from 'vitest';
import { BenchSettingError, parseCount } from './env.js';

describe('parseCount', () => {
  it('takes whole numbers in range and refuses the rest by name (a bad throughput-child sample count gave NaN)', () => {
    expect(parseCount('samples', '9', 1, 1000)).toBe(9);
    for (const bad of ['abc', '', ' ', '1.5', '0', '1001', 'NaN']) {
      expect(() => parseCount('samples', bad, 1, 1000)).toThrow(BenchSettingError);
    }
    expect(() => parseCount('samples', 'abc', 1, 1000)).toThrow('samples must be an integer from 1 to 1000, not "abc"');
  });
});
