import type { NgramBagPart } from '@mailroute/model';
import { describe, expect, it } from 'vitest';
import { foldIntoAverage } from './average.js';

const part = (v: number): NgramBagPart => ({
  buckets: 2,
  dim: 2,
  embedding: Float32Array.of(v, v, 2 * v, 0),
  heads: [{ task: 't', inSize: 2, outSize: 2, weight: Float32Array.of(v, -v, 0, 1), bias: Float32Array.of(v, 0) }],
});

describe('foldIntoAverage', () => {
  it('keeps the running mean of every weight and never aliases the live weights', () => {
    const first = part(1);
    let average = foldIntoAverage(undefined, first, 0);
    first.embedding[0] = 100;
    average = foldIntoAverage(average, part(2), 1);
    average = foldIntoAverage(average, part(6), 2);
    expect(Array.from(average.embedding)).toEqual([3, 3, 6, 0]);
    expect(Array.from(average.heads[0].weight)).toEqual([3, -3, 0, 1]);
    expect(average.heads[0].bias[0]).toBeCloseTo(3, 6);
  });
});
