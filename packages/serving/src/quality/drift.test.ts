import { describe, expect, it } from 'vitest';
import { jensenShannon, populationStabilityIndex, shares } from './drift.js';

describe('drift measures', () => {
  it('are zero for identical distributions', () => {
    const d = { a: 0.5, b: 0.3, c: 0.2 };
    expect(populationStabilityIndex(d, d)).toBeCloseTo(0, 12);
    expect(jensenShannon(d, d)).toBeCloseTo(0, 12);
  });

  it('match hand-computed values', () => {
    const p = { a: 0.6, b: 0.4 };
    const q = { a: 0.5, b: 0.5 };
    const psi = (0.6 - 0.5) * Math.log(0.6 / 0.5) + (0.4 - 0.5) * Math.log(0.4 / 0.5);
    expect(populationStabilityIndex(p, q)).toBeCloseTo(psi, 9);
    const m = { a: 0.55, b: 0.45 };
    const js = 0.5 * (0.6 * Math.log2(0.6 / m.a) + 0.4 * Math.log2(0.4 / m.b)) + 0.5 * (0.5 * Math.log2(0.5 / m.a) + 0.5 * Math.log2(0.5 / m.b));
    expect(jensenShannon(p, q)).toBeCloseTo(js, 9);
  });

  it('stay finite for disjoint labels, JS near its maximum of 1 bit', () => {
    expect(Number.isFinite(populationStabilityIndex({ a: 1 }, { b: 1 }))).toBe(true);
    expect(jensenShannon({ a: 1 }, { b: 1 })).toBeGreaterThan(0.99);
  });

  it('shares normalise counts', () => {
    expect(shares({ a: 3, b: 1 })).toEqual({ a: 0.75, b: 0.25 });
  });
});
