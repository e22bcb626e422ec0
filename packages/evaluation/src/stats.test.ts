import { describe, expect, it } from 'vitest';
import { gammaQ, mcnemar, percentile, seededRandom } from './stats.js';

// Reference values from scipy 1.10 (chi2.sf, binom.cdf).
describe('mcnemar', () => {
  it('uses the corrected chi-square above 25 discordant pairs', () => {
    const r = mcnemar(30, 12);
    expect(r.method).toBe('chi2-corrected');
    expect(Math.abs(r.statistic - 6.880952380952381)).toBeLessThan(1e-12);
    expect(Math.abs(r.pValue - 0.008711912962379598)).toBeLessThan(1e-10);
    expect(Math.abs(mcnemar(100, 60).pValue - 0.002047732153668759)).toBeLessThan(1e-10);
    expect(mcnemar(40, 41).pValue).toBeCloseTo(1, 12);
  });

  it('uses the exact binomial test for few discordant pairs', () => {
    expect(Math.abs(mcnemar(3, 9).pValue - 0.14599609375)).toBeLessThan(1e-12);
    expect(Math.abs(mcnemar(0, 5).pValue - 0.0625)).toBeLessThan(1e-12);
    expect(mcnemar(7, 7).pValue).toBe(1);
    expect(mcnemar(0, 0).pValue).toBe(1);
  });

  it('computes Q(1/2, x) = erfc(sqrt(x))', () => {
    expect(Math.abs(gammaQ(0.5, 2) - 0.04550026389635839)).toBeLessThan(1e-12);
  });
});

describe('helpers', () => {
  it('repeats a seeded stream', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect(seededRandom(43)()).not.toBe(xs[0]);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
    // mulberry32's own values: the bootstrap, and training's splits, initial weights and epoch orders (its generators wrap this one), depend on them.
    expect(xs).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
    expect(seededRandom(0)()).toBe(0.26642920868471265);
  });

  it('interpolates percentiles like numpy', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([10, 0, 5], 0)).toBe(0);
    expect(percentile([1, 2, 3, 4, 5], 0.9)).toBeCloseTo(4.6, 12);
  });
});
