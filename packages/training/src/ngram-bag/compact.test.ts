import { describe, expect, it } from 'vitest';
import { compactRows, exportPart } from './compact.js';
import type { EncodedExample } from './net.js';
import { createPrng } from './prng.js';

const bag = (ids: number[]): EncodedExample => ({ ids: Int32Array.from(ids), weights: new Float32Array(ids.length), labels: Int32Array.of(0) });

describe('compactRows', () => {
  it('orders the used buckets by training count, most frequent first, ties by bucket; validation-only buckets last', () => {
    const prng = createPrng(3);
    const buckets = 500;
    const train = Array.from({ length: 60 }, () => bag(Array.from({ length: 20 }, () => Math.floor(prng.next() ** 2 * buckets))));
    const valid = [bag([499, 498, 3]), bag([497])];
    const { rows, index } = compactRows(buckets, train, valid);
    const counts = new Array<number>(buckets).fill(0);
    for (const { ids } of train) for (const id of ids) counts[id]++;
    const used = new Set([...train, ...valid].flatMap(({ ids }) => Array.from(ids)));
    const expected = [...used].sort((a, b) => counts[b] - counts[a] || a - b);
    expect(Array.from(rows)).toEqual(expected);
    expect(Array.from(rows, (id) => index[id])).toEqual(expected.map((_, j) => j));
    expect(index.filter((j) => j >= 0)).toHaveLength(used.size);
  });

  it('exportPart keeps the compact rows, one zero row, and each bucket pointing at its row (unused buckets at the zero row)', () => {
    const compact = compactRows(6, [bag([4, 1, 4])], [bag([2])]);
    const dim = 2;
    const embedding = Float32Array.from({ length: compact.rows.length * dim }, (_, k) => k + 1);
    const part = exportPart({ buckets: compact.rows.length, dim, embedding, heads: [] }, compact);
    expect(part.buckets).toBe(6);
    const row = (bucket: number) => {
      const j = (part.rowOf as Int32Array)[bucket];
      return Array.from(part.embedding.subarray(j * dim, (j + 1) * dim));
    };
    compact.rows.forEach((bucket, j) => expect(row(bucket)).toEqual([2 * j + 1, 2 * j + 2]));
    for (const bucket of [0, 3, 5]) expect(row(bucket)).toEqual([0, 0]);
    expect(part.embedding).toHaveLength((compact.rows.length + 1) * dim);
  });
});
