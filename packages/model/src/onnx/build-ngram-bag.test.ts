import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import p from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardProbs } from '../ngram-bag/forward.js';
import type { DenseLayer, NgramBagPart, NgramBagWeights } from '../ngram-bag/weights.js';
import { buildNgramBagOnnx, ngramBagOnnxNames } from './build-ngram-bag.js';
import { createOnnxSession, type OnnxSession } from './runtime.js';

function rand(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) | 0;
    return ((s >>> 0) / 2 ** 32) * 2 - 1;
  };
}

function layer(r: () => number, inSize: number, outSize: number): DenseLayer {
  return { inSize, outSize, weight: Float32Array.from({ length: inSize * outSize }, r), bias: Float32Array.from({ length: outSize }, r) };
}

function part(r: () => number, buckets: number, dim: number, hidden: number, tasks: Array<[string, number]>): NgramBagPart {
  const featureSize = hidden > 0 ? hidden : dim;
  return {
    buckets,
    dim,
    embedding: Float32Array.from({ length: buckets * dim }, r),
    hidden: hidden > 0 ? layer(r, dim, hidden) : undefined,
    heads: tasks.map(([task, k]) => ({ task, ...layer(r, featureSize, k) })),
  };
}

/** A compact table: 12 rows, bucket b at row b % 13 (row 12, zeros, for every 13th bucket). */
function compact(full: NgramBagPart): NgramBagPart {
  const rowOf = Int32Array.from({ length: full.buckets }, (_, b) => b % 13);
  const embedding = new Float32Array(13 * full.dim);
  embedding.set(full.embedding.subarray(0, 12 * full.dim));
  return { ...full, embedding, rowOf };
}

const r = rand(7);
// Two parts (as single-task mode writes), one with a hidden layer, one with a compact table.
const weights: NgramBagWeights = {
  parts: [part(r, 50, 8, 6, [['queue', 4], ['topic', 5]]), compact(part(r, 50, 8, 0, [['area', 3]]))],
};
const temperatures = { queue: 1.7, topic: 0.6, area: 1 };
const names = ngramBagOnnxNames(['queue', 'topic', 'area']);

// A padded batch: rows of different lengths, weights 1/n, padding weight 0.
const rows = [[1, 2, 3, 2], [49], [], [5, 6, 7, 8, 9, 10, 11]];
const L = 7;
const ids = new Int32Array(rows.length * L);
const w = new Float32Array(rows.length * L);
rows.forEach((row, i) => row.forEach((id, k) => {
  ids[i * L + k] = id;
  w[i * L + k] = 1 / row.length;
}));

describe('buildNgramBagOnnx', () => {
  let dir: string;
  let session: OnnxSession;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-onnx-'));
    const file = path.join(dir, 'model.onnx');
    await writeFile(file, buildNgramBagOnnx(weights, temperatures, names));
    session = await createOnnxSession(file);
  });
  afterAll(async () => {
    await session?.release();
    await rm(dir, { recursive: true, force: true });
  });

  it('names its inputs and outputs as asked', () => {
    expect([...session.inputNames].sort()).toEqual(['ids', 'weights']);
    expect([...session.outputNames].sort()).toEqual(['probs', 'probs_area', 'probs_queue', 'probs_topic']);
  });

  it('puts every task side by side in the combined output, in the order of the names, not of the parts', async () => {
    const order = ['area', 'topic', 'queue'];
    const file = path.join(dir, 'reordered.onnx');
    await writeFile(file, buildNgramBagOnnx(weights, temperatures, ngramBagOnnxNames(order)));
    const reordered = await createOnnxSession(file);
    try {
      const out = await reordered.runBag(names.inputs, { ids, weights: w, batch: rows.length, length: L }, ['probs']);
      const width = 3 + 5 + 4;
      expect(out.probs).toHaveLength(rows.length * width);
      rows.forEach((row, i) => {
        const expected = forwardProbs(weights, { ids: row, weights: row.map(() => 1 / row.length) }, temperatures);
        const got = Array.from(out.probs.subarray(i * width, (i + 1) * width));
        const want = order.flatMap((task) => Array.from(expected[task]));
        want.forEach((p, c) => expect(Math.abs(got[c] - p)).toBeLessThan(1e-5));
      });
    } finally {
      await reordered.release();
    }
  });

  it('refuses a combined output over a task that has no head', () => {
    expect(() => buildNgramBagOnnx(weights, temperatures, ngramBagOnnxNames(['queue', 'topic', 'area', 'priority']))).toThrow(/no head for task priority/);
  });

  it('agrees with the TypeScript forward pass within 1e-5 on a padded batch', async () => {
    const out = await session.runBag(names.inputs, { ids, weights: w, batch: rows.length, length: L }, Object.values(names.outputs));
    rows.forEach((row, i) => {
      const expected = forwardProbs(weights, { ids: row, weights: row.map(() => 1 / row.length) }, temperatures);
      for (const [task, probs] of Object.entries(expected)) {
        const got = out[names.outputs[task]].subarray(i * probs.length, (i + 1) * probs.length);
        probs.forEach((p, c) => expect(Math.abs(got[c] - p)).toBeLessThan(1e-5));
        expect(Math.abs(got.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
      }
    });
  });

  it('gives a task named constructor, with no temperature given, the temperature 1, not Object\'s member', async () => {
    const named: NgramBagWeights = { parts: [part(rand(3), 20, 4, 0, [['constructor', 3], ['toString', 2]])] };
    const file = path.join(dir, 'constructor.onnx');
    const tasks = ngramBagOnnxNames(['constructor', 'toString']);
    await writeFile(file, buildNgramBagOnnx(named, {}, tasks));
    const own = await createOnnxSession(file);
    try {
      const out = await own.runBag(tasks.inputs, { ids: Int32Array.from([1, 2]), weights: Float32Array.from([0.5, 0.5]), batch: 1, length: 2 }, ['probs']);
      const expected = forwardProbs(named, { ids: [1, 2], weights: [0.5, 0.5] });
      const want = [...expected['constructor'], ...expected['toString']];
      expect(want.every(Number.isFinite)).toBe(true);
      want.forEach((p, c) => expect(Math.abs(out.probs[c] - p)).toBeLessThan(1e-5));
    } finally {
      await own.release();
    }
  });

  it('keeps apart tasks whose names end like its own tensors (`queue` beside `queue_logits`)', async () => {
    const clashing: NgramBagWeights = { parts: [part(rand(5), 20, 4, 0, [['queue', 3], ['queue_logits', 2], ['p0_heads', 2]])] };
    const file = path.join(dir, 'clashing.onnx');
    const tasks = ngramBagOnnxNames(['queue', 'queue_logits', 'p0_heads']);
    await writeFile(file, buildNgramBagOnnx(clashing, {}, tasks));
    const own = await createOnnxSession(file);
    try {
      const out = await own.runBag(tasks.inputs, { ids: Int32Array.from([1, 2]), weights: Float32Array.from([0.5, 0.5]), batch: 1, length: 2 }, ['probs']);
      const expected = forwardProbs(clashing, { ids: [1, 2], weights: [0.5, 0.5] });
      const want = [...expected['queue'], ...expected['queue_logits'], ...expected['p0_heads']];
      want.forEach((p, c) => expect(Math.abs(out.probs[c] - p)).toBeLessThan(1e-5));
    } finally {
      await own.release();
    }
  });

  it('applies the temperature inside the graph', async () => {
    const flat = buildNgramBagOnnx(weights, { queue: 1, topic: 1, area: 1 }, names);
    expect(flat.length).toBeGreaterThan(0);
    const sharp = forwardProbs(weights, { ids: rows[0], weights: [0.25, 0.25, 0.25, 0.25] }, { topic: 0.6 }).topic;
    const plain = forwardProbs(weights, { ids: rows[0], weights: [0.25, 0.25, 0.25, 0.25] }).topic;
    const out = await session.runBag(names.inputs, { ids, weights: w, batch: rows.length, length: L }, ['probs_topic']);
    const got = out.probs_topic.subarray(0, 5);
    expect(Math.max(...got)).toBeCloseTo(Math.max(...sharp), 5);
    expect(Math.max(...sharp)).not.toBeCloseTo(Math.max(...plain), 3);
  });

  it("runs a part's heads as one MatMul, temperatures folded into its weights", () => {
    const graph = p.onnx.ModelProto.decode(buildNgramBagOnnx(weights, temperatures, names)).graph!;
    const ops = (graph.node ?? []).map((n) => n.opType);
    const count = (op: string) => ops.filter((o) => o === op).length;
    // Per part: the pooling MatMul and one for its heads, plus the hidden layer's in part 0.
    expect(count('MatMul')).toBe(2 * 2 + 1);
    expect(count('Div')).toBe(0);
    expect(count('Split')).toBe(1);
    expect(count('Softmax')).toBe(3);
  });
});
