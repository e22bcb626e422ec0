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
  const seen = new Uint8Array(buckets);
  // The distinct ids, gathered while counting: the passes below walk them, not every bucket.
  let used = new Int32Array(1024);
  let n = 0;
  const see = (id: number): void => {
    if (seen[id] === 1) return;
    seen[id] = 1;
    if (n === used.length) {
      const grown = new Int32Array(2 * n);
      grown.set(used);
      used = grown;
    }
    used[n++] = id;
  };
  for (const { ids } of train) for (let k = 0; k < ids.length; k++) {
    see(ids[k]);
    counts[ids[k]]++;
  }
  for (const { ids } of valid) for (let k = 0; k < ids.length; k++) see(ids[k]);
  const distinct = used.subarray(0, n).sort();
  // Counting sort by count, descending, buckets ascending within a count (no comparator over 10^5 ids).
  let maxCount = 0;
  for (let k = 0; k < n; k++) if (counts[distinct[k]] > maxCount) maxCount = counts[distinct[k]];
  const starts = new Int32Array(maxCount + 2);
  for (let k = 0; k < n; k++) starts[maxCount - counts[distinct[k]] + 1]++;
  for (let c = 1; c < starts.length; c++) starts[c] += starts[c - 1];
  const rows = new Int32Array(n);
  for (let k = 0; k < n; k++) rows[starts[maxCount - counts[distinct[k]]]++] = distinct[k];
  const index = new Int32Array(buckets).fill(-1);
  for (let j = 0; j < rows.length; j++) index[rows[j]] = j;
  return { rows, index };
}

/**
 * The examples with their ids renumbered into the compact table (weights and labels shared). With `memo`,
 * an ids array seen before (the same texts in a refit) reuses its renumbered copy.
 */
export function remapExamples(examples: readonly EncodedExample[], compact: CompactRows, memo?: WeakMap<Int32Array, Int32Array>): EncodedExample[] {
  const { index } = compact;
  return examples.map(({ ids, weights, labels }) => {
    let mapped = memo?.get(ids);
    if (!mapped) {
      mapped = new Int32Array(ids.length);
      for (let k = 0; k < ids.length; k++) mapped[k] = index[ids[k]];
      memo?.set(ids, mapped);
    }
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
  const rowOf = new Int32Array(compact.index.length).fill(zeroRow);
  for (let j = 0; j < zeroRow; j++) rowOf[compact.rows[j]] = j;
  return { ...part, buckets: compact.index.length, embedding, rowOf };
}
