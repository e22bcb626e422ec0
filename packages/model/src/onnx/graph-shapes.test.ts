import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NgramBagPart } from '../ngram-bag/weights.js';
import { buildNgramBagOnnx, ngramBagOnnxNames } from './build-ngram-bag.js';
import { graphShapes } from './graph-shapes.js';

/** A part of `buckets` rows (or a compact table) with one head per task, `k` labels each; the weights are zeros. */
function part(buckets: number, dim: number, hidden: number, tasks: Array<[string, number]>, compact: boolean): NgramBagPart {
  const layer = (inSize: number, outSize: number) => ({ inSize, outSize, weight: new Float32Array(inSize * outSize), bias: new Float32Array(outSize) });
  const featureSize = hidden > 0 ? hidden : dim;
  return {
    buckets,
    dim,
    embedding: new Float32Array((compact ? 2 : buckets) * dim),
    ...(compact ? { rowOf: new Int32Array(buckets) } : {}),
    ...(hidden > 0 ? { hidden: layer(dim, hidden) } : {}),
    heads: tasks.map(([task, k]) => ({ task, ...layer(featureSize, k) })),
  };
}

describe('graphShapes', () => {
  it('reads from every graph the builder makes the rows of each table the ids index and each output\'s width', () => {
    const model = fc.record({
      labels: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
      // One part with every head (multi-task), or one part per task (single-task mode).
      onePart: fc.boolean(),
      buckets: fc.integer({ min: 1, max: 300 }),
      dim: fc.integer({ min: 1, max: 5 }),
      hidden: fc.integer({ min: 0, max: 3 }),
      compact: fc.boolean(),
      combined: fc.boolean(),
    });
    fc.assert(
      fc.property(model, ({ labels, onePart, buckets, dim, hidden, compact, combined }) => {
        const tasks = labels.map((k, i) => [`task${i}`, k] as [string, number]);
        const parts = onePart ? [part(buckets, dim, hidden, tasks, compact)] : tasks.map((task) => part(buckets, dim, hidden, [task], compact));
        const names = ngramBagOnnxNames(tasks.map(([task]) => task));
        if (!combined) delete names.combined;
        const { tables, outputWidths } = graphShapes(buildNgramBagOnnx({ parts }, Object.fromEntries(tasks.map(([task]) => [task, 1])), names), names.inputs.ids);
        expect(tables.map((t) => t.rows)).toEqual(parts.map(() => buckets));
        const expected = new Map(tasks.map(([task, k]) => [names.outputs[task], k]));
        if (names.combined) expected.set(names.combined, labels.reduce((a, b) => a + b, 0));
        expect(outputWidths).toEqual(expected);
      }),
      { seed: 1, numRuns: 150 },
    );
  });
});
