import { describe, expect, it } from 'vitest';
import { jensenShannon, minDriftPredictions, populationStabilityIndex, shares, smoothedReferenceShares, smoothedShares, usableShares } from './drift.js';

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

  it('smoothed shares give each label half a count more', () => {
    const s = smoothedShares({ a: 3, b: 1 }, ['a', 'b', 'c']);
    expect(s.a).toBeCloseTo(3.5 / 5.5, 12);
    expect(s.b).toBeCloseTo(1.5 / 5.5, 12);
    expect(s.c).toBeCloseTo(0.5 / 5.5, 12);
  });
});

describe('reference shares', () => {
  it('are smoothed as a sample of the compared size: a label the training never saw gets half a count, as one a sample missed', () => {
    const reference = smoothedReferenceShares({ a: 0.75, b: 0.25, c: 0 }, 40, ['a', 'b', 'c', 'd']);
    expect(reference.a).toBeCloseTo(30.5 / 42, 12);
    expect(reference.b).toBeCloseTo(10.5 / 42, 12);
    // c has share 0, d is not in the shares at all: both get what a label missing from a sample of 40 gets.
    expect(reference.c).toBeCloseTo(0.5 / 42, 12);
    expect(reference.d).toBeCloseTo(0.5 / 42, 12);
    expect(smoothedShares({ a: 30, b: 10 }, ['a', 'b', 'c', 'd'])).toEqual(reference);
  });

  it('measure 0 against a sample that matches them, whatever label one side lacks', () => {
    const labels = ['a', 'b', 'c'];
    const actual = smoothedShares({ a: 20, b: 20 }, labels);
    const trainings: Record<string, number>[] = [{ a: 0.5, b: 0.5, c: 0 }, { a: 0.5, b: 0.5 }];
    for (const training of trainings) {
      const against = smoothedReferenceShares(training, 40, labels);
      expect(populationStabilityIndex(actual, against, labels)).toBeCloseTo(0, 12);
      expect(jensenShannon(actual, against, labels)).toBeCloseTo(0, 12);
    }
  });

  it('keep a label absent from training, or from the window, from dominating the figure', () => {
    const labels = ['a', 'b', 'c'];
    // A tenth of the window in c, which training never saw: each term is finite, c's within reach of the others.
    const newLabel = smoothedShares({ a: 18, b: 18, c: 4 }, labels);
    const training = smoothedReferenceShares({ a: 0.5, b: 0.5 }, 40, labels);
    const terms = labels.map((l) => (newLabel[l] - training[l]) * Math.log(newLabel[l] / training[l]));
    expect(terms.every(Number.isFinite)).toBe(true);
    expect(populationStabilityIndex(newLabel, training, labels)).toBeCloseTo(terms.reduce((a, b) => a + b, 0), 12);
    expect(populationStabilityIndex(newLabel, training, labels)).toBeLessThan(0.3);
    // c a fifth of training and missing from the window: a large shift, and a finite one.
    const missing = populationStabilityIndex(smoothedShares({ a: 20, b: 20 }, labels), smoothedReferenceShares({ a: 0.4, b: 0.4, c: 0.2 }, 40, labels), labels);
    expect(Number.isFinite(missing)).toBe(true);
    expect(missing).toBeGreaterThan(0.25);
  });

  it('are usable only when every share is a finite number ≥ 0 and one is above 0; counts are normalised', () => {
    expect(usableShares({ a: 3, b: 1 })).toEqual({ a: 0.75, b: 0.25 });
    expect(usableShares({ a: 0.5, b: 0.5, c: 0 })).toEqual({ a: 0.5, b: 0.5, c: 0 });
    const broken: Record<string, number>[] = [{ a: Number.NaN, b: 1 }, { a: -0.5, b: 1.5 }, { a: Number.POSITIVE_INFINITY }, { a: 0, b: 0 }, {}];
    for (const given of broken) expect(usableShares(given), String(Object.values(given))).toBeUndefined();
    expect(usableShares(undefined)).toBeUndefined();
  });

  it('give a finite figure for shares that are no numbers when compared directly', () => {
    expect(Number.isFinite(populationStabilityIndex({ a: 0.5, b: 0.5 }, { a: Number.NaN, b: 1 }))).toBe(true);
    expect(Number.isFinite(jensenShannon({ a: 0.5, b: 0.5 }, { a: Number.NaN, b: 1 }))).toBe(true);
  });
});

describe('drift on samples of unchanged traffic', () => {
  // A seeded sampler (LCG): the same samples every run.
  function sampler(seed: number) {
    let state = seed >>> 0;
    return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  }
  const labels = Array.from({ length: 22 }, (_, i) => `topic_${i}`);
  // Zipf-like shares, as topics of a support inbox are: a few common, many rare.
  const weights = labels.map((_, i) => 1 / (i + 1) ** 0.8);
  const total = weights.reduce((a, b) => a + b, 0);
  const expected = Object.fromEntries(labels.map((l, i) => [l, weights[i] / total]));
  function psiOfSample(n: number, random: () => number, shares_ = expected): number {
    const counts: Record<string, number> = {};
    for (let j = 0; j < n; j++) {
      let u = random();
      let i = 0;
      while (i < labels.length - 1 && u >= shares_[labels[i]]) u -= shares_[labels[i++]];
      counts[labels[i]] = (counts[labels[i]] ?? 0) + 1;
    }
    // As live quality measures it: both sides smoothed, the training shares as counts of a sample of n.
    return populationStabilityIndex(smoothedShares(counts, labels), smoothedReferenceShares(expected, n, labels), labels);
  }

  it('reads as stable at the sample size it asks for (22 labels: 420 predictions)', () => {
    const n = minDriftPredictions(labels.length);
    expect(n).toBe(420);
    const random = sampler(7);
    const psis = Array.from({ length: 200 }, () => psiOfSample(n, random)).sort((a, b) => a - b);
    expect(psis[100]).toBeLessThan(0.1);
    expect(psis.filter((v) => v > 0.25)).toEqual([]);
    // Its floor, 30 predictions, for two labels; three need 40.
    expect(minDriftPredictions(2)).toBe(30);
    expect(minDriftPredictions(3)).toBe(40);
  });

  it('still sees a tenth of the mail moving from one topic to another at that size', () => {
    const shifted = { ...expected, topic_0: expected.topic_0 - 0.1, topic_5: expected.topic_5 + 0.1 };
    const random = sampler(11);
    const psis = Array.from({ length: 200 }, () => psiOfSample(minDriftPredictions(labels.length), random, shifted)).sort((a, b) => a - b);
    expect(psis[20]).toBeGreaterThan(0.1);
  });
});
