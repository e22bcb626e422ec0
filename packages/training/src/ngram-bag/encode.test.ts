import { describe, expect, it } from 'vitest';
import { idfTable } from './encode.js';
import type { EncodedExample } from './net.js';

const bag = (...ids: number[]): EncodedExample => ({ ids: Int32Array.from(ids), weights: new Float32Array(ids.length).fill(1), labels: Int32Array.of(0) });

describe('idfTable', () => {
  it('is scikit-learn smooth IDF over the bags, a bucket counted once per bag', () => {
    // Bucket 1 in all three bags (twice in the second: two groups), bucket 2 in one, bucket 3 in none.
    const idf = idfTable([bag(1, 2), bag(1, 1), bag(1)], 4);
    expect(idf[1]).toBeCloseTo(Math.log(4 / 4) + 1, 6);
    expect(idf[2]).toBeCloseTo(Math.log(4 / 2) + 1, 6);
    expect(idf[3]).toBeCloseTo(Math.log(4 / 1) + 1, 6);
    expect(idf[0]).toBe(idf[3]);
  });
});
