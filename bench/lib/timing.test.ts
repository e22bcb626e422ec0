import { describe, expect, it } from 'vitest';
import { interleavedMedians } from './timing.js';

describe('interleavedMedians', () => {
  it('warms every pass up untimed, then times each once per round in rotating order, and gives the median per pass', () => {
    let clock = 0;
    const calls: string[] = [];
    // Each pass advances the clock by its own cost; b is slow in one round only (the median ignores it).
    let bRuns = 0;
    const passes = {
      a: () => {
        calls.push('a');
        clock += 2;
      },
      b: () => {
        calls.push('b');
        bRuns += 1;
        clock += bRuns === 5 ? 100 : 5;
      },
      c: () => {
        calls.push('c');
        clock += 1;
      },
    };
    const medians = interleavedMedians(passes, { rounds: 3, warmUpPasses: 2, now: () => clock });
    expect(calls).toEqual([...'abcabc', ...'abc', ...'bca', ...'cab']);
    expect(medians).toEqual({ a: 2, b: 5, c: 1 });
  });

  it('refuses no rounds (an empty median) rather than giving NaN', () => {
    expect(() => interleavedMedians({ a: () => undefined }, { rounds: 0 })).toThrow(/rounds/);
    expect(() => interleavedMedians({ a: () => undefined }, { rounds: Number.NaN })).toThrow(/rounds/);
  });
});
