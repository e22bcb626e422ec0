import { featurizeHashedBags, isTruncated, type BagArrays, type FeaturizerSpec, type HashedBag, type RowTable } from '@mailroute/preprocess';

export interface PreparedText {
  text: string;
  meta: readonly string[];
}

/** Featurized inputs: per example its hashed ids and their pooling weights. */
export interface FeaturizedBag {
  bags: HashedBag[];
  truncated: boolean[];
  /** Per example: the featurizer read no text (no word or char n-gram; meta tokens alone do not count). */
  noText: boolean[];
}

/** Featurizers by manifest kind; a new kind is one more entry, never an if-chain. */
const FEATURIZERS: Record<FeaturizerSpec['kind'], (spec: FeaturizerSpec, inputs: readonly PreparedText[], idf?: Float32Array, into?: BagArrays, rowOf?: RowTable) => HashedBag[]> = {
  'hashed-ngrams': (spec, inputs, idf, into, rowOf) => featurizeHashedBags(inputs, spec.params, idf, into, rowOf),
};

/**
 * The bags of `inputs`; `idf`: the model's IDF table, needed when the featurizer's params ask for IDF.
 * With `into`, the bags are views into its arrays (see `featurizeHashedBags`): use them before `into` is
 * used again. With `rowOf`, the bags hold each id's row of a compact table instead of the id.
 */
export function featurizeAll(spec: FeaturizerSpec, inputs: readonly PreparedText[], idf?: Float32Array, into?: BagArrays, rowOf?: RowTable): FeaturizedBag {
  const bags = FEATURIZERS[spec.kind](spec, inputs, idf, into, rowOf);
  return { bags, truncated: inputs.map((input) => isTruncated(input.text, spec.params)), noText: bags.map((b) => b.textIds === 0) };
}

/** Ids in one padded chunk at most (by default). */
export const MAX_CHUNK_CELLS = 1 << 14;

/** Two fresh arrays of `cells` values for one padded chunk or one batch of bags. */
export function newBagArrays(cells: number): BagArrays {
  return { ids: new Int32Array(cells), weights: new Float32Array(cells) };
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
 * with at most `maxCells` ids per batch to bound the memory of the gathered embeddings. The defaults keep
 * that gathered tensor (cells x embedding dim) within a few MiB, so ONNX works in cache: measured faster
 * per email than 2^17 cells in batches of 1,024. `alloc(cells)` gives each chunk its two arrays of exactly
 * `cells` values (default: new ones); they may hold old values, as every cell is written.
 */
export function padChunks(bag: FeaturizedBag, maxCells = MAX_CHUNK_CELLS, maxBatch = 64, alloc: (cells: number) => BagArrays = newBagArrays): PaddedChunk[] {
  const { bags } = bag;
  const order = bags.map((_, i) => i).sort((a, b) => bags[a].ids.length - bags[b].ids.length);
  const chunks: PaddedChunk[] = [];
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    // A new batch also starts when rows grow much longer than the batch's first (padding would dominate).
    const limit = Math.max(16, Math.ceil(bags[order[start]].ids.length * 1.5));
    while (
      end < order.length &&
      end - start < maxBatch &&
      (end - start + 1) * Math.max(1, bags[order[end]].ids.length) <= maxCells &&
      (end - start < 32 || bags[order[end]].ids.length <= limit)
    ) {
      end++;
    }
    const rows = order.slice(start, end);
    const length = Math.max(1, bags[rows[rows.length - 1]].ids.length);
    const { ids, weights } = alloc(rows.length * length);
    rows.forEach((row, r) => {
      const n = bags[row].ids.length;
      ids.set(bags[row].ids, r * length);
      weights.set(bags[row].weights, r * length);
      // Padding: id 0 with weight 0.
      ids.fill(0, r * length + n, (r + 1) * length);
      weights.fill(0, r * length + n, (r + 1) * length);
    });
    chunks.push({ rows, ids, weights, batch: rows.length, length });
    start = end;
  }
  return chunks;
}
