import { z } from 'zod';
import { bagScratch, countGroupsInto, mergeBagInto, poolGroups, rawScratch, weighAndMap, type RowTable } from './bag-scratch.js';
import { cachedCharNgrams, cachedWordHash, findToken, keepToken, useCharNgramCache } from './char-ngram-cache.js';
import { blockKey, hashFinish, hashPair, hashStepKey, hashString } from './hash.js';
import { tokenSpans } from './token-spans.js';

// Each parameter's range, shared by the featurizer's own defaults and the manifest's stricter reading.
const buckets = z.number().int().min(16).max(2 ** 24);
const wordNgrams = z.number().int().min(0).max(4);
const charNgrams = z.tuple([z.number().int().min(0).max(8), z.number().int().min(0).max(8)]);
const maxChars = z.number().int().min(1);
const pooling = z.enum(['mean', 'sqrt', 'group-sqrt']);

/**
 * Parameters of the `hashed-ngrams` featurizer, with defaults for direct use (the `ngram-bag` trainer has its own,
 * `NgramBagParamsSchema`). A model's manifest carries every one of them (`FeaturizerSpecSchema`), so a model is
 * always featurized in serving exactly as it was in training.
 */
export const HashedNgramsParamsSchema = z.object({
  /** Number of hash buckets (rows of the embedding table). */
  buckets: buckets.default(2 ** 18),
  /** Word n-grams 1..wordNgrams (0: no word features). */
  wordNgrams: wordNgrams.default(2),
  /** Character n-gram lengths [min, max] inside word boundaries (like sklearn's `char_wb`); [0, 0]: none. */
  charNgrams: charNgrams.default([2, 5]),
  /** Characters of model text read at most; the rest is cut (and reported as truncated). */
  maxChars: maxChars.default(5_000),
  /**
   * Pooling weight of each id: `mean` = 1/n, `sqrt` = 1/sqrt(n) over the n ids of a text; `group-sqrt` =
   * 1/sqrt(n_g) within each group (word n-grams, char n-grams, meta tokens), so the many char n-grams
   * do not drown the words (as a union of separately normalised TF-IDF blocks).
   */
  pooling: pooling.default('group-sqrt'),
  /**
   * Multiply each id's sublinear count by an IDF table (one value per bucket, learnt by the trainer and
   * carried by the model artifact) before the pooling normalisation; the featurizer then needs the table.
   */
  idf: z.boolean().default(false),
});
export type HashedNgramsParams = z.infer<typeof HashedNgramsParamsSchema>;

/**
 * The featurizer block of a manifest. Its parameters have no defaults (a manifest without one is refused rather than
 * featurized some other way than its model was trained), but for `idf`, which came later: off, as it was before.
 */
export const FeaturizerSpecSchema = z.object({
  kind: z.literal('hashed-ngrams'),
  params: z.object({ buckets, wordNgrams, charNgrams, maxChars, pooling, idf: z.boolean().default(false) }),
});
export type FeaturizerSpec = z.infer<typeof FeaturizerSpecSchema>;

// Separate hash namespaces, so a word, a char n-gram and a meta token with the same spelling differ.
const SEED_WORD = 0x5eed0001;
const SEED_CHAR = 0x5eed0002;
const SEED_META = 0x5eed0003;
const SPACE = 32;
const TOKEN = /[\p{L}\p{N}]+/gu;

/** Unicode-aware word tokens of lower-cased text (letters and digits; umlauts and ß stay as they are). */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

/**
 * Hashed ids of a text and its meta tokens (e.g. `bank=comdirect`, `lang=de`): word 1..n-grams,
 * character n-grams of each word padded with a space on both sides, and the meta tokens. Duplicates
 * are kept (a repeated n-gram counts twice in the bag). Pure and allocation-light: n-grams are hashed
 * incrementally, never built as strings.
 */
export function featurizeHashed(text: string, meta: readonly string[], params: HashedNgramsParams): Int32Array {
  const bounds = collect(text, meta, params);
  return rawScratch(0).slice(0, bounds[3]);
}

/** Ids and their pooling weights (see `pooling`): the bag a model reads. */
export interface HashedBag {
  ids: Int32Array;
  weights: Float32Array;
  /**
   * The word and char n-grams the text gave, before merging (meta tokens not counted): 0 when the model reads
   * no text at all (empty, or only what makes no token: spaces, punctuation, emoji, combining marks, zero-width
   * characters), however many meta tokens the bag holds.
   */
  textIds: number;
}

/** The featurizer params that decide whether a text gives any word or char n-gram. */
export type TextReadParams = Pick<HashedNgramsParams, 'wordNgrams' | 'charNgrams' | 'maxChars'>;

/**
 * Whether the featurizer reads any text in `text`: a word or char n-gram (meta tokens aside), exactly when
 * its bag's `textIds` is over 0. Serving flags an email without (`noText`) and training leaves such rows
 * out: empty, or only what makes no token (spaces, punctuation, emoji, combining marks, zero-width
 * characters), within the first `maxChars`. One scan of the text, nothing hashed.
 */
export function readsText(text: string, params: TextReadParams): boolean {
  const { wordNgrams, charNgrams, maxChars } = params;
  const { spans, count } = tokenSpans(modelText(text, maxChars));
  if (count === 0) return false;
  if (wordNgrams >= 1) return true;
  const [cmin, cmax] = charNgrams;
  if (cmin <= 0 || cmax < cmin) return false;
  // A token padded with a space on both sides gives char n-grams when it is at least `cmin` long.
  for (let t = 0; t < count; t++) if (spans[2 * t + 1] - spans[2 * t] + 2 >= cmin) return true;
  return false;
}

/** The text the featurizer reads: cut to `maxChars`, lower-cased. */
function modelText(text: string, maxChars: number): string {
  return (text.length > maxChars ? text.slice(0, maxChars) : text).toLowerCase();
}

/**
 * The bag a model reads: each distinct id once, with its pooling weight. A repeated n-gram counts
 * `1 + ln(count)` times (sublinear, as TF-IDF's `sublinear_tf`); `group-sqrt` then divides each group
 * (word n-grams, char n-grams, meta) by its L2 norm, `sqrt` the whole bag by its L2 norm, `mean` by
 * the number of ids. With `params.idf`, each count is multiplied by `idf[id]` before that normalisation
 * (TF-IDF, as scikit-learn's TfidfVectorizer with sublinear_tf).
 */
export function featurizeHashedBag(text: string, meta: readonly string[], params: HashedNgramsParams, idf?: Float32Array): HashedBag {
  const table = requiredIdf(params, idf);
  const bounds = collect(text, meta, params); // first: it may grow the scratch
  const bag = bagScratch(bounds[3]);
  const length = mergeBagInto(rawScratch(0), bounds, params.pooling, bag.ids, bag.weights, 0, table);
  return { ids: bag.ids.slice(0, length), weights: bag.weights.slice(0, length), textIds: bounds[2] };
}

/**
 * A text's distinct ids with their sublinear counts (1 + ln(count)) before IDF and pooling, grouped as
 * word n-grams, char n-grams, meta tokens: a trainer that weighs the same texts with more than one IDF
 * table hashes each text once and weighs it with `weighCountedBag`.
 */
export interface CountedBag {
  ids: Int32Array;
  counts: Float32Array;
  /** Where each of the three groups ends in `ids`. */
  ends: Int32Array;
}

export function featurizeCounted(text: string, meta: readonly string[], params: HashedNgramsParams): CountedBag {
  const bounds = collect(text, meta, params);
  const bag = bagScratch(bounds[3]);
  const ends = new Int32Array(3);
  const length = countGroupsInto(rawScratch(0), bounds, bag.ids, bag.weights, 0, undefined, ends);
  return { ids: bag.ids.slice(0, length), counts: bag.weights.slice(0, length), ends };
}

/** The bag `featurizeHashedBag` gives the counted text (the same values): IDF, when asked for, then pooling. The ids are shared. */
export function weighCountedBag(bag: CountedBag, params: HashedNgramsParams, idf?: Float32Array): HashedBag {
  const table = requiredIdf(params, idf);
  const weights = bag.counts.slice();
  if (table) for (let k = 0; k < weights.length; k++) weights[k] *= table[bag.ids[k]];
  poolGroups(weights, 0, bag.ends, params.pooling);
  return { ids: bag.ids, weights, textIds: bag.ends[1] };
}

/**
 * Arrays a caller lends `featurizeHashedBags` to write into. When they are too small, that call grows them:
 * it puts the larger arrays in their place, so the caller reuses those next time (growing anew each call
 * allocated and copied a quarter MiB or more per batch of 100 emails).
 */
export interface BagArrays {
  ids: Int32Array;
  weights: Float32Array;
}

/**
 * `featurizeHashedBag` of many texts at once: the bags are views into two shared arrays, so a batch
 * costs two allocations instead of two per text, or none with `into`: then the bags are views into
 * `into`'s arrays, valid until the caller uses them again (typed arrays over 64 bytes cost a few
 * microseconds each to allocate and collect, as much as featurizing a short email). With `rowOf` (a
 * compact embedding's row of each bucket), each id is written as its row, after IDF has read the bucket's.
 *
 * IDF and `rowOf` are applied in one pass over the whole batch, after every text is counted, and the pooling
 * after it: each is a random read in a table of one entry per bucket (2^20 for the tickets benchmark), which the
 * processor overlaps in a loop that does nothing else. Measured against IDF read per text and the rows looked up by the caller afterwards,
 * interleaved in one process: 0.89-0.93 of the time on the tickets benchmark's test emails (IDF, 2^20 buckets),
 * 0.95-0.97 on demo emails (no IDF). The values are the same to the bit.
 */
export function featurizeHashedBags(
  inputs: ReadonlyArray<{ text: string; meta: readonly string[] }>,
  params: HashedNgramsParams,
  idf?: Float32Array,
  into?: BagArrays,
  rowOf?: RowTable,
): HashedBag[] {
  const table = requiredIdf(params, idf);
  // About two distinct ids per character of text: growing (and touching fresh memory) is then rare.
  let chars = 0;
  for (const input of inputs) chars += Math.min(input.text.length, params.maxChars) + 8;
  let ids = into?.ids ?? new Int32Array(Math.max(1024, chars * 2));
  let weights = into?.weights ?? new Float32Array(ids.length);
  const ends = new Int32Array(inputs.length);
  const textIds = new Int32Array(inputs.length);
  // With IDF, each text's groups are pooled after the batch's IDF pass: where they end.
  const groupEnds = table ? new Int32Array(inputs.length * 3) : undefined;
  let n = 0;
  for (let i = 0; i < inputs.length; i++) {
    const bounds = collect(inputs[i].text, inputs[i].meta, params);
    if (n + bounds[3] > Math.min(ids.length, weights.length)) {
      let size = Math.max(ids.length, 1024) * 2;
      while (size < n + bounds[3]) size *= 2;
      const grownIds = new Int32Array(size);
      grownIds.set(ids.subarray(0, n));
      const grownWeights = new Float32Array(size);
      grownWeights.set(weights.subarray(0, n));
      ids = grownIds;
      weights = grownWeights;
      if (into) {
        into.ids = ids;
        into.weights = weights;
      }
    }
    // Merged straight into the shared arrays: no copy per text.
    n = groupEnds
      ? countGroupsInto(rawScratch(0), bounds, ids, weights, n, undefined, groupEnds.subarray(3 * i, 3 * i + 3))
      : mergeBagInto(rawScratch(0), bounds, params.pooling, ids, weights, n);
    ends[i] = n;
    textIds[i] = bounds[2];
  }
  weighAndMap(ids, weights, n, table, rowOf);
  if (groupEnds) for (let i = 0; i < inputs.length; i++) poolGroups(weights, i === 0 ? 0 : ends[i - 1], groupEnds.subarray(3 * i, 3 * i + 3), params.pooling);
  const bags = new Array<HashedBag>(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    const start = i === 0 ? 0 : ends[i - 1];
    bags[i] = { ids: ids.subarray(start, ends[i]), weights: weights.subarray(start, ends[i]), textIds: textIds[i] };
  }
  return bags;
}

/** The IDF table to apply: required (one value per bucket) when `params.idf`, ignored otherwise. */
function requiredIdf(params: HashedNgramsParams, idf: Float32Array | undefined): Float32Array | undefined {
  if (!params.idf) return undefined;
  if (!idf || idf.length !== params.buckets) throw new RangeError(`the featurizer's params ask for IDF: a table of ${params.buckets} values is needed, got ${idf ? idf.length : 'none'}`);
  return idf;
}

/** Per character of the current token (padded with a space on both sides): its `blockKey`. */
let keys = new Int32Array(64);
/** Per token: its word hash (unsigned 32-bit). */
let wordHashes = new Float64Array(256);
const SPACE_KEY = blockKey(SPACE);

/**
 * Hashes word n-grams, then char n-grams, then meta tokens into the raw-id scratch; returns the group
 * bounds [0, words, words + chars, all]. Tokens are spans of the lower-cased text (no string per token);
 * each character's half of the hash step is computed once and shared by the word hash and all the
 * char n-grams over it (the same values as `hashString` and `hashStep`). The scratch is sized once up
 * front, so the loops never check it.
 */
function collect(text: string, meta: readonly string[], params: HashedNgramsParams): [number, number, number, number] {
  const { buckets, wordNgrams, charNgrams, maxChars } = params;
  const lower = modelText(text, maxChars);
  const { spans, count } = tokenSpans(lower);
  const [cmin, cmax] = charNgrams;
  const chars = cmax > 0 && cmin > 0;
  let words = 0;
  for (let g = 1; g <= wordNgrams; g++) words += Math.max(0, count - g + 1);
  let letters = 0;
  let longest = 0;
  for (let t = 0; t < count; t++) {
    const len = spans[2 * t + 1] - spans[2 * t];
    letters += len + 2;
    if (len > longest) longest = len;
  }
  const out = rawScratch(words + (chars ? letters * (cmax - cmin + 1) : 0) + meta.length);
  if (keys.length < longest + 2) keys = new Int32Array(2 * (longest + 2));
  if (wordHashes.length < count) wordHashes = new Float64Array(2 * count);
  // Buckets are a power of two in practice: a mask then gives the same remainder without a float modulo.
  const mask = (buckets & (buckets - 1)) === 0 ? buckets - 1 : -1;
  if (chars) useCharNgramCache(buckets, cmin, cmax);
  let n = words;
  for (let t = 0; t < count; t++) {
    const start = spans[2 * t];
    const len = spans[2 * t + 1] - start;
    // A token seen before (most are, with char n-grams) copies its word hash and ids instead of hashing them again.
    const slot = chars ? findToken(lower, start, len) : -1;
    let h: number;
    if (slot >= 0) {
      h = cachedWordHash(slot);
      n = cachedCharNgrams(slot, out, n);
    } else {
      let state = SEED_WORD;
      keys[0] = SPACE_KEY;
      for (let j = 0; j < len; j++) {
        const key = blockKey(lower.charCodeAt(start + j));
        keys[j + 1] = key;
        state = hashStepKey(state, key);
      }
      keys[len + 1] = SPACE_KEY;
      h = hashFinish(state, len);
      if (chars) {
        const from = n;
        n = pushCharNgrams(len + 2, cmin, cmax, buckets, mask, out, n);
        keepToken(lower, start, len, h, out, from, n);
      }
    }
    wordHashes[t] = h;
    if (wordNgrams >= 1) out[t] = mask >= 0 ? h & mask : h % buckets;
  }
  let w = wordNgrams >= 1 ? count : 0;
  for (let g = 2; g <= wordNgrams; g++) {
    for (let t = 0; t + g <= count; t++) {
      let h = wordHashes[t];
      for (let k = 1; k < g; k++) h = hashPair(h, wordHashes[t + k], SEED_WORD + g);
      out[w++] = mask >= 0 ? h & mask : h % buckets;
    }
  }
  const charEnd = n;
  for (const m of meta) {
    const h = hashString(m, SEED_META);
    out[n++] = mask >= 0 ? h & mask : h % buckets;
  }
  return [0, words, charEnd, n];
}

/** Character n-grams (lengths cmin..cmax) of the padded token whose `len` keys are in `keys`, written at `n`; returns the new end. */
function pushCharNgrams(len: number, cmin: number, cmax: number, buckets: number, mask: number, out: Int32Array, n: number): number {
  // Only starts with room for `cmin` characters: a later start hashes steps no n-gram ever reaches (a third
  // of all steps for 5-grams of a 6-letter word; all of them for a padded token shorter than `cmin`).
  for (let i = 0; i + cmin <= len; i++) {
    let state = SEED_CHAR;
    const end = Math.min(len, i + cmax);
    for (let j = i; j < end; j++) {
      state = hashStepKey(state, keys[j]);
      const size = j - i + 1;
      if (size >= cmin) {
        const h = hashFinish(state, size);
        out[n++] = mask >= 0 ? h & mask : h % buckets;
      }
    }
  }
  return n;
}

/** Whether `featurizeHashed` would cut this text. */
export function isTruncated(text: string, params: Pick<HashedNgramsParams, 'maxChars'>): boolean {
  return text.length > params.maxChars;
}

/** The pooling weight of every id of a bag (or group) with `n` ids. */
export function poolingWeight(n: number, pooling: 'mean' | 'sqrt'): number {
  if (n === 0) return 0;
  return pooling === 'sqrt' ? 1 / Math.sqrt(n) : 1 / n;
}
