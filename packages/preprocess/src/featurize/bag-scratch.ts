// Scratch buffers of the featurizer, reused across calls (it is synchronous, so they are never shared):
// a text's ids are hashed into one typed array and merged into distinct ids without a Map or Set.

let raw = new Int32Array(4096);
let ids = new Int32Array(4096);
let weights = new Float32Array(4096);
/** The out indices of one merge's ids seen more than once. */
let repeated = new Int32Array(1024);
/** Open-addressing table of one merge: `slotPlusOne[h]` is 1 + the out index of the id at h, 0 when free (cleared per merge). */
let slotPlusOne = new Int32Array(8192);

/** The raw-id scratch with room for at least `n` ids (its contents are not kept when it grows). */
export function rawScratch(n: number): Int32Array {
  if (raw.length < n) {
    let size = raw.length;
    while (size < n) size *= 2;
    raw = new Int32Array(size);
  }
  return raw;
}

/** The bag scratch with room for `n` ids: valid until the next call. */
export function bagScratch(n: number): { ids: Int32Array; weights: Float32Array } {
  if (ids.length < n) {
    let size = ids.length;
    while (size < n) size *= 2;
    ids = new Int32Array(size);
    weights = new Float32Array(size);
  }
  return { ids, weights };
}

function ensureTable(n: number): void {
  let table = slotPlusOne.length;
  while (table < n * 4) table *= 2;
  if (table !== slotPlusOne.length) slotPlusOne = new Int32Array(table);
}

/**
 * Appends each distinct id of source[from, to) once (first-seen order) to out at `length` with weight
 * 1 + ln(count), times idf[id] when given; returns the new length. Weights are float32 throughout, as
 * the model reads them.
 */
function mergeCounts(source: Int32Array, from: number, to: number, outIds: Int32Array, outWeights: Float32Array, length: number, idf?: Float32Array): number {
  if (to <= from) return length;
  // A table at most a quarter full: a probe then seldom meets another id (each meeting a dependent read of
  // outIds); half full, as before, cost about 5% more of featurizing.
  let size = 16;
  while (size < (to - from) * 4) size *= 2;
  const mask = size - 1;
  const table = slotPlusOne;
  table.fill(0, 0, size);
  const start = length;
  // Where the ids seen more than once are: only their counts become 1 + ln(count), not a pass over all.
  if (repeated.length < to - from) repeated = new Int32Array(2 * (to - from));
  let repeats = 0;
  for (let i = from; i < to; i++) {
    const id = source[i];
    // Ids are hash values already: their low bits are spread well enough to index the table.
    let h = id & mask;
    for (;;) {
      const slot = table[h] - 1;
      if (slot < 0) {
        table[h] = length + 1;
        outIds[length] = id;
        outWeights[length++] = 1;
        break;
      }
      if (outIds[slot] === id) {
        if (outWeights[slot] === 1) repeated[repeats++] = slot;
        outWeights[slot]++;
        break;
      }
      h = (h + 1) & mask;
    }
  }
  for (let r = 0; r < repeats; r++) outWeights[repeated[r]] = 1 + Math.log(outWeights[repeated[r]]);
  if (idf) for (let k = start; k < length; k++) outWeights[k] *= idf[outIds[k]];
  return length;
}

function normalise(w: Float32Array, start: number, end: number, pooling: 'mean' | 'sqrt'): void {
  let total = 0;
  if (pooling === 'sqrt') for (let k = start; k < end; k++) total += w[k] * w[k];
  else for (let k = start; k < end; k++) total += w[k];
  if (total === 0) return;
  const scale = pooling === 'sqrt' ? 1 / Math.sqrt(total) : 1 / total;
  for (let k = start; k < end; k++) w[k] *= scale;
}

/**
 * Distinct ids of source[0, bounds[3]) with their pooling weights, merged per group [bounds[g], bounds[g + 1])
 * and written to out from `at` (room for bounds[3] ids needed); with `idf`, each sublinear count is
 * multiplied by idf[id] (TF-IDF); then `group-sqrt` normalises each group by its L2 norm, `sqrt` and
 * `mean` the whole bag. Returns the end of the bag in out.
 */
export function mergeBagInto(
  source: Int32Array,
  bounds: readonly [number, number, number, number],
  pooling: 'mean' | 'sqrt' | 'group-sqrt',
  outIds: Int32Array,
  outWeights: Float32Array,
  at: number,
  idf?: Float32Array,
): number {
  const length = countGroupsInto(source, bounds, outIds, outWeights, at, idf, groupEnds);
  poolGroups(outWeights, at, groupEnds, pooling);
  return length;
}

const groupEnds = new Int32Array(3);

/**
 * The first half of `mergeBagInto`: each group's distinct ids with 1 + ln(count), times idf[id] when given,
 * written to out from `at`; the end of each group goes to `ends`. Returns the end of the bag.
 */
export function countGroupsInto(
  source: Int32Array,
  bounds: readonly [number, number, number, number],
  outIds: Int32Array,
  outWeights: Float32Array,
  at: number,
  idf: Float32Array | undefined,
  ends: Int32Array,
): number {
  ensureTable(bounds[3]);
  let length = at;
  for (let g = 0; g < 3; g++) {
    length = mergeCounts(source, bounds[g], bounds[g + 1], outIds, outWeights, length, idf);
    ends[g] = length;
  }
  return length;
}

/** The second half of `mergeBagInto`: the pooling normalisation of a bag at `at` whose groups end at `ends`. */
export function poolGroups(weights: Float32Array, at: number, ends: ArrayLike<number>, pooling: 'mean' | 'sqrt' | 'group-sqrt'): void {
  if (pooling !== 'group-sqrt') {
    normalise(weights, at, ends[2], pooling);
    return;
  }
  let start = at;
  for (let g = 0; g < 3; g++) {
    normalise(weights, start, ends[g], 'sqrt');
    start = ends[g];
  }
}

/** A compact embedding's row of each bucket id (Uint16Array when every row fits). */
export type RowTable = Int32Array | Uint16Array;

/** ids[0, n): each weight times idf[id] when `idf` is given, then each id replaced by rowOf[id] when `rowOf` is. */
export function weighAndMap(ids: Int32Array, weights: Float32Array, n: number, idf: Float32Array | undefined, rowOf: RowTable | undefined): void {
  if (idf && rowOf) {
    for (let k = 0; k < n; k++) {
      const id = ids[k];
      weights[k] *= idf[id];
      ids[k] = rowOf[id];
    }
  } else if (idf) {
    for (let k = 0; k < n; k++) weights[k] *= idf[ids[k]];
  } else if (rowOf) {
    for (let k = 0; k < n; k++) ids[k] = rowOf[ids[k]];
  }
}
