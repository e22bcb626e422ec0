import { describe, expect, it } from 'vitest';
import { padChunks, type FeaturizedBag } from './bag-batch.js';

const bag = (lengths: number[]): FeaturizedBag => ({
  bags: lengths.map((n, i) => ({ ids: Int32Array.from({ length: n }, (_, k) => i * 1000 + k + 1), weights: new Float32Array(n).fill(0.5), textIds: n })),
  truncated: lengths.map(() => false),
  noText: lengths.map((n) => n === 0),
});

describe('padChunks', () => {
  it('covers every row once, pads with id 0 and weight 0, and keeps padding small', () => {
    const lengths = Array.from({ length: 300 }, (_, i) => (i * 37) % 200);
    const input = bag(lengths);
    const chunks = padChunks(input, 1 << 17, 1024);
    expect(chunks.flatMap((c) => c.rows).sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
    let cells = 0;
    for (const chunk of chunks) {
      cells += chunk.batch * chunk.length;
      chunk.rows.forEach((row, r) => {
        const n = lengths[row];
        expect(Array.from(chunk.ids.subarray(r * chunk.length, r * chunk.length + n))).toEqual(Array.from(input.bags[row].ids));
        expect(chunk.weights.subarray(r * chunk.length + n, (r + 1) * chunk.length).every((w) => w === 0)).toBe(true);
        expect(chunk.ids.subarray(r * chunk.length + n, (r + 1) * chunk.length).every((id) => id === 0)).toBe(true);
      });
    }
    const real = lengths.reduce((a, b) => a + b, 0);
    expect(cells / real).toBeLessThan(1.6);
  });

  it('writes every cell of arrays it is lent, padding included', () => {
    const input = bag([3, 7, 5, 0]);
    const dirty = (cells: number) => ({ ids: new Int32Array(cells).fill(99), weights: new Float32Array(cells).fill(9) });
    const lent = padChunks(input, 1 << 14, 64, dirty);
    const fresh = padChunks(input);
    expect(lent.map((c) => [c.rows, Array.from(c.ids), Array.from(c.weights)])).toEqual(fresh.map((c) => [c.rows, Array.from(c.ids), Array.from(c.weights)]));
  });

  it('bounds the cells of one batch', () => {
    const chunks = padChunks(bag([100, 100, 100, 100]), 250, 1024);
    expect(chunks.every((c) => c.batch * c.length <= 250)).toBe(true);
    expect(chunks).toHaveLength(2);
  });
});
