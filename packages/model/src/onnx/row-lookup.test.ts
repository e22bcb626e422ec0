import p from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import type { NgramBagPart } from '../ngram-bag/weights.js';
import { buildNgramBagOnnx, ngramBagOnnxNames } from './build-ngram-bag.js';
import { liftRowLookup } from './row-lookup.js';
import { createOnnxSession } from './runtime.js';

const { onnx } = p;

/** A part of `buckets` ids over `rows` embedding rows (bucket b at row (b * 7) % rows when compact), one head per task. */
function part(seed: number, buckets: number, rows: number, dim: number, hidden: number, tasks: Array<[string, number]>, compact: boolean): NgramBagPart {
  let s = seed;
  const r = () => ((s = (Math.imul(s, 1664525) + 1013904223) | 0) >>> 0) / 2 ** 32 - 0.5;
  const layer = (inSize: number, outSize: number) => ({ inSize, outSize, weight: Float32Array.from({ length: inSize * outSize }, r), bias: Float32Array.from({ length: outSize }, r) });
  return {
    buckets,
    dim,
    embedding: Float32Array.from({ length: (compact ? rows : buckets) * dim }, r),
    ...(compact ? { rowOf: Int32Array.from({ length: buckets }, (_, b) => (b * 7) % rows) } : {}),
    ...(hidden > 0 ? { hidden: layer(dim, hidden) } : {}),
    heads: tasks.map(([task, k]) => ({ task, ...layer(hidden > 0 ? hidden : dim, k) })),
  };
}

const tasks: Array<[string, number]> = [['queue', 4], ['topic', 5]];
const names = ngramBagOnnxNames(tasks.map(([task]) => task));
const temperatures = { queue: 1.3, topic: 0.8 };

describe('liftRowLookup', () => {
  it('takes a compact table\'s lookup out of the graph: fed the rows, it gives the same probabilities to the bit', async () => {
    for (const hidden of [0, 3]) {
      const bytes = buildNgramBagOnnx({ parts: [part(hidden + 1, 40, 9, 6, hidden, tasks, true)] }, temperatures, names);
      const lifted = liftRowLookup(bytes, names.inputs.ids);
      expect(lifted).toBeDefined();
      if (!lifted) return;
      expect(Array.from(lifted.rowOf)).toEqual(Array.from({ length: 40 }, (_, b) => (b * 7) % 9));
      const graph = onnx.ModelProto.decode(lifted.model).graph;
      expect(graph?.node?.filter((node) => node.opType === 'Gather')).toHaveLength(1);
      expect(graph?.initializer?.some((tensor) => tensor.name?.endsWith('row_of'))).toBe(false);
      const [whole, taken] = await Promise.all([createOnnxSession(bytes), createOnnxSession(lifted.model)]);
      try {
        // Two rows, the second padded with id 0 and weight 0.
        const ids = Int32Array.from([3, 17, 39, 0, 11, 25, 0, 0]);
        const weights = Float32Array.from([0.5, 0.25, 0.25, 0.125, 0.7, 0.3, 0, 0]);
        const batch = { batch: 2, length: 4, weights };
        const outputs = ['probs', ...Object.values(names.outputs)];
        const want = await whole.runBag(names.inputs, { ...batch, ids }, outputs);
        const got = await taken.runBag(names.inputs, { ...batch, ids: ids.map((id) => lifted.rowOf[id]) }, outputs);
        for (const output of outputs) expect(Array.from(got[output])).toEqual(Array.from(want[output]));
      } finally {
        await Promise.all([whole.release(), taken.release()]);
      }
    }
  });

  it('leaves a full table alone, and a graph whose ids feed a lookup per part (each part its own table)', () => {
    const full = buildNgramBagOnnx({ parts: [part(1, 40, 9, 6, 0, tasks, false)] }, temperatures, names);
    expect(liftRowLookup(full, names.inputs.ids)).toBeUndefined();
    const twoParts = buildNgramBagOnnx({ parts: tasks.map((task, i) => part(i + 1, 40, 9, 6, 0, [task], true)) }, temperatures, names);
    expect(liftRowLookup(twoParts, names.inputs.ids)).toBeUndefined();
  });

  it('leaves the lookup in place when its rows are read by more than the embedding\'s Gather', () => {
    const model = onnx.ModelProto.decode(buildNgramBagOnnx({ parts: [part(1, 40, 9, 6, 0, tasks, true)] }, temperatures, names));
    const lookup = model.graph?.node?.find((node) => node.opType === 'Gather' && node.input?.[1] === names.inputs.ids);
    expect(lookup).toBeDefined();
    model.graph?.output?.push({ name: lookup?.output?.[0] });
    expect(liftRowLookup(onnx.ModelProto.encode(model).finish(), names.inputs.ids)).toBeUndefined();
  });
});
