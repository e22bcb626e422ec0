import { featurizeHashed, isTruncated, poolingWeight, type FeaturizerSpec } from '@mailroute/preprocess';

export interface PreparedText {
  text: string;
  meta: readonly string[];
}

/** Featurized inputs: per example its hashed ids and the common pooling weight. */
export interface FeaturizedBag {
  ids: Int32Array[];
  weights: Float32Array;
  truncated: boolean[];
}

/** Featurizers by manifest kind; a new kind is one more entry, never an if-chain. */
const FEATURIZERS: Record<FeaturizerSpec['kind'], (spec: FeaturizerSpec, input: PreparedText) => Int32Array> = {
  'hashed-ngrams': (spec, input) => featurizeHashed(input.text, input.meta, spec.params),
};

export function featurizeAll(spec: FeaturizerSpec, inputs: readonly PreparedText[]): FeaturizedBag {
  const featurize = FEATURIZERS[spec.kind];
  const ids = inputs.map((input) => featurize(spec, input));
  const weights = Float32Array.from(ids, (row) => poolingWeight(row.length, spec.params.pooling));
  return { ids, weights, truncated: inputs.map((input) => isTruncated(input.text, spec.params)) };
}

export interface PaddedChunk {
  /** Example indices of this chunk, in row order. */
  rows: number[];
  ids: Int32Array;
  weights: Float32Array;
  batch: number;
  length: number;
}

/**
 * Groups examples into padded batches of similar length (sorted by bag size) so padding stays small,
 * with at most `maxCells` ids per batch to bound the memory of the gathered embeddings.
 */
export function padChunks(bag: FeaturizedBag, maxCells = 1 << 17, maxBatch = 1024): PaddedChunk[] {
  const order = bag.ids.map((_, i) => i).sort((a, b) => bag.ids[a].length - bag.ids[b].length);
  const chunks: PaddedChunk[] = [];
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && end - start < maxBatch && (end - start + 1) * Math.max(1, bag.ids[order[end]].length) <= maxCells) end++;
    const rows = order.slice(start, end);
    const length = Math.max(1, bag.ids[rows[rows.length - 1]].length);
    const ids = new Int32Array(rows.length * length);
    const weights = new Float32Array(rows.length * length);
    rows.forEach((row, r) => {
      const source = bag.ids[row];
      ids.set(source, r * length);
      weights.fill(bag.weights[row], r * length, r * length + source.length);
    });
    chunks.push({ rows, ids, weights, batch: rows.length, length });
    start = end;
  }
  return chunks;
}
