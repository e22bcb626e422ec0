import type { NgramBagPart } from '@mailroute/model';
import type { EncodedExample } from './net.js';

/**
 * The embedding rows the training and validation examples use, packed into a small table while
 * training: `rows[j]` is the bucket of compact row j, most frequent in training first (so the hot rows
 * share cache lines and stay in cache); `index[bucket]` is its compact row, -1 for the unused buckets.
 * Training on the compact table does the same arithmetic on the same values as on the full one.
 */
export interface CompactRows {
  rows: Int32Array;
  index: Int32Array;
}

export function compactRows(buckets: number, train: readonly EncodedExample[], valid: readonly EncodedExample[]): CompactRows {
  const counts = new Int32Array(buckets);
  const used = new Uint8Array(buckets);
  for (const { ids } of train) for (let k = 0; k < ids.length; k++) counts[ids[k]]++;
  for (const { ids } of valid) for (let k = 0; k < ids.length; k++) used[ids[k]] = 1;
  // Counting sort by count, descending, buckets ascending within a count (no comparator over 10^5 ids).
  let maxCount = 0;
  let n = 0;
  for (let id = 0; id < buckets; id++) {
    if (counts[id] > maxCount) maxCount = counts[id];
    if (counts[id] > 0 || used[id] === 1) n++;
  }
  const starts = new Int32Array(maxCount + 2);
  for (let id = 0; id < buckets; id++) if (counts[id] > 0 || used[id] === 1) starts[maxCount - counts[id] + 1]++;
  for (let c = 1; c < starts.length; c++) starts[c] += starts[c - 1];
  const rows = new Int32Array(n);
  for (let id = 0; id < buckets; id++) if (counts[id] > 0 || used[id] === 1) rows[starts[maxCount - counts[id]]++] = id;
  const index = new Int32Array(buckets).fill(-1);
  for (let j = 0; j < rows.length; j++) index[rows[j]] = j;
  return { rows, index };
}

/** The examples with their ids renumbered into the compact table (weights and labels shared). */
export function remapExamples(examples: readonly EncodedExample[], compact: CompactRows): EncodedExample[] {
  const { index } = compact;
  return examples.map(({ ids, weights, labels }) => {
    const mapped = new Int32Array(ids.length);
    for (let k = 0; k < ids.length; k++) mapped[k] = index[ids[k]];
    return { ids: mapped, weights, labels };
  });
}

/** Writes the initial values of `count` consecutive embedding rows from `bucket` (`count * dim` values) to `target` from `at`. */
export type InitRows = (target: Float32Array, at: number, bucket: number, count: number) => void;

/**
 * A part whose embedding holds only the compact rows, each with its initial values: the full table is
 * never built while training (dense layers shared with `part`).
 */
export function compactPart(part: Omit<NgramBagPart, 'embedding'>, compact: CompactRows, initRows: InitRows): NgramBagPart {
  const { dim } = part;
  const embedding = new Float32Array(compact.rows.length * dim);
  for (let j = 0; j < compact.rows.length; j++) initRows(embedding, j * dim, compact.rows[j], 1);
  return { ...part, buckets: compact.rows.length, embedding };
}

/**
 * The part as the model keeps it: the compact rows and one zero row after them, with `rowOf` pointing
 * each bucket at its row and every unused bucket at the zero row (an n-gram that no training or
 * validation row has adds nothing to a bag, as a vocabulary would leave it out). Many buckets then cost
 * the artifact and its memory 4 bytes each, not a full embedding row.
 */
export function exportPart(part: NgramBagPart, compact: CompactRows): NgramBagPart {
  const { dim } = part;
  const zeroRow = compact.rows.length;
  const embedding = new Float32Array((zeroRow + 1) * dim);
  embedding.set(part.embedding.subarray(0, zeroRow * dim));
  const rowOf = compact.index.map((j) => (j < 0 ? zeroRow : j));
  return { ...part, buckets: compact.index.length, embedding, rowOf };
}
