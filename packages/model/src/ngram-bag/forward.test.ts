import { describe, expect, it } from 'vitest';
import { forwardLogits, idfWeights } from './forward.js';
import type { NgramBagWeights } from './weights.js';

describe('idfWeights', () => {
  it('multiplies by idf[id] and keeps the L2 norm of the weights', () => {
    const idf = Float32Array.of(1, 2, 4, 1);
    const out = idfWeights([1, 2, 3], [0.6, 0.6, 0.52], idf);
    const norm = (v: ArrayLike<number>) => Math.hypot(...Array.from(v));
    expect(norm(out)).toBeCloseTo(norm([0.6, 0.6, 0.52]), 9);
    expect(out[1] / out[0]).toBeCloseTo(2, 9);
    expect(out[2] / out[0]).toBeCloseTo(0.52 / 0.6 / 2, 9);
    expect(Array.from(idfWeights([0, 1], [0, 0], idf))).toEqual([0, 0]);
  });

  it('is what forwardLogits pools when the weights carry an IDF table', () => {
    const weights: NgramBagWeights = {
      parts: [{ buckets: 3, dim: 1, embedding: Float32Array.of(1, 10, 100), heads: [{ task: 't', inSize: 1, outSize: 1, weight: Float32Array.of(1), bias: Float32Array.of(0) }] }],
    };
    const bag = { ids: [0, 2], weights: [0.5, 0.5] };
    expect(forwardLogits(weights, bag).t[0]).toBeCloseTo(50.5, 5);
    const idf = Float32Array.of(3, 1, 1);
    const scaled = idfWeights(bag.ids, bag.weights, idf);
    expect(forwardLogits({ ...weights, idf }, bag).t[0]).toBeCloseTo(scaled[0] * 1 + scaled[1] * 100, 5);
  });
});
