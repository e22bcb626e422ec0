import { z } from 'zod';
import { hashFinish, hashPair, hashStep, hashString } from './hash.js';

/**
 * Parameters of the `hashed-ngrams` featurizer. They are written into a model's manifest, so a model
 * is always featurized in serving exactly as it was in training.
 */
export const HashedNgramsParamsSchema = z.object({
  /** Number of hash buckets (rows of the embedding table). */
  buckets: z.number().int().min(16).max(2 ** 24).default(2 ** 18),
  /** Word n-grams 1..wordNgrams (0: no word features). */
  wordNgrams: z.number().int().min(0).max(4).default(2),
  /** Character n-gram lengths [min, max] inside word boundaries (like sklearn's `char_wb`); [0, 0]: none. */
  charNgrams: z.tuple([z.number().int().min(0).max(8), z.number().int().min(0).max(8)]).default([2, 5]),
  /** Characters of model text read at most; the rest is cut (and reported as truncated). */
  maxChars: z.number().int().min(1).default(5_000),
  /**
   * Pooling weight of each id: `mean` = 1/n, `sqrt` = 1/sqrt(n) over the n ids of a text; `group-sqrt` =
   * 1/sqrt(n_g) within each group (word n-grams, char n-grams, meta tokens), so the many char n-grams
   * do not drown the words (as a union of separately normalised TF-IDF blocks).
   */
  pooling: z.enum(['mean', 'sqrt', 'group-sqrt']).default('group-sqrt'),
});
export type HashedNgramsParams = z.infer<typeof HashedNgramsParamsSchema>;

/** The featurizer block of a manifest. */
export const FeaturizerSpecSchema = z.object({
  kind: z.literal('hashed-ngrams'),
  params: HashedNgramsParamsSchema,
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
  return collect(text, meta, params).take();
}

/** Ids and their pooling weights (see `pooling`): the bag a model reads. */
export interface HashedBag {
  ids: Int32Array;
  weights: Float32Array;
}

/**
 * The bag a model reads: each distinct id once, with its pooling weight. A repeated n-gram counts
 * `1 + ln(count)` times (sublinear, as TF-IDF's `sublinear_tf`); `group-sqrt` then divides each group
 * (word n-grams, char n-grams, meta) by its L2 norm, `sqrt` the whole bag by its L2 norm, `mean` by
 * the number of ids.
 */
export function featurizeHashedBag(text: string, meta: readonly string[], params: HashedNgramsParams): HashedBag {
  const out = collect(text, meta, params);
  const all = out.view();
  const [words, chars] = out.groups;
  const bounds = [0, words, words + chars, all.length];
  const bag = new BagBuilder(all.length);
  for (let g = 0; g < 3; g++) {
    const start = bag.length;
    bag.mergeCounts(all, bounds[g], bounds[g + 1]);
    if (params.pooling === 'group-sqrt') bag.normalise(start, bag.length, 'sqrt');
  }
  if (params.pooling !== 'group-sqrt') bag.normalise(0, bag.length, params.pooling);
  return { ids: bag.ids.slice(0, bag.length), weights: bag.weights.slice(0, bag.length) };
}

/** Distinct ids with weights, merged through a small open-addressing table reused across calls. */
class BagBuilder {
  private static keys = new Int32Array(1024);
  private static slots = new Int32Array(1024);
  readonly ids: Int32Array;
  readonly weights: Float32Array;
  length = 0;

  constructor(capacity: number) {
    this.ids = new Int32Array(capacity);
    this.weights = new Float32Array(capacity);
    let size = BagBuilder.keys.length;
    while (size < capacity * 2) size *= 2;
    if (size !== BagBuilder.keys.length) {
      BagBuilder.keys = new Int32Array(size);
      BagBuilder.slots = new Int32Array(size);
    }
  }

  /** Appends each distinct id of source[from, to) once (first-seen order) with weight 1 + ln(count). */
  mergeCounts(source: Int32Array, from: number, to: number): void {
    if (to <= from) return;
    const { keys, slots } = BagBuilder;
    let size = 16;
    while (size < (to - from) * 2) size *= 2;
    keys.fill(-1, 0, size);
    const mask = size - 1;
    const start = this.length;
    for (let i = from; i < to; i++) {
      const id = source[i];
      let h = Math.imul(id, 0x9e3779b1) & mask;
      while (keys[h] !== -1 && keys[h] !== id) h = (h + 1) & mask;
      if (keys[h] === id) {
        this.weights[slots[h]] += 1;
      } else {
        keys[h] = id;
        slots[h] = this.length;
        this.ids[this.length] = id;
        this.weights[this.length++] = 1;
      }
    }
    for (let k = start; k < this.length; k++) if (this.weights[k] > 1) this.weights[k] = 1 + Math.log(this.weights[k]);
  }

  normalise(start: number, end: number, pooling: 'mean' | 'sqrt'): void {
    let total = 0;
    for (let k = start; k < end; k++) total += pooling === 'sqrt' ? this.weights[k] * this.weights[k] : this.weights[k];
    if (total === 0) return;
    const scale = pooling === 'sqrt' ? 1 / Math.sqrt(total) : 1 / total;
    for (let k = start; k < end; k++) this.weights[k] *= scale;
  }
}

/** Word n-grams first, then char n-grams, then meta tokens; `groups` holds the first two counts. */
function collect(text: string, meta: readonly string[], params: HashedNgramsParams): IdBuffer {
  const { buckets, wordNgrams, charNgrams, maxChars } = params;
  const tokens = wordTokens(text.length > maxChars ? text.slice(0, maxChars) : text);
  const [cmin, cmax] = charNgrams;
  const out = new IdBuffer();
  const wordHashes = new Array<number>(tokens.length);
  for (let t = 0; t < tokens.length; t++) {
    wordHashes[t] = hashString(tokens[t], SEED_WORD);
    if (wordNgrams >= 1) out.push(wordHashes[t] % buckets);
  }
  for (let n = 2; n <= wordNgrams; n++) {
    for (let t = 0; t + n <= tokens.length; t++) {
      let h = wordHashes[t];
      for (let k = 1; k < n; k++) h = hashPair(h, wordHashes[t + k], SEED_WORD + n);
      out.push(h % buckets);
    }
  }
  const words = out.length;
  if (cmax > 0 && cmin > 0) for (const token of tokens) pushCharNgrams(token, cmin, cmax, buckets, out);
  out.groups = [words, out.length - words];
  for (const m of meta) out.push(hashString(m, SEED_META) % buckets);
  return out;
}

/** A growable id list over one shared scratch array (the featurizer is synchronous, so it is never shared). */
class IdBuffer {
  private static scratch = new Int32Array(4096);
  length = 0;
  groups: [number, number] = [0, 0];
  push(id: number): void {
    if (this.length === IdBuffer.scratch.length) {
      const grown = new Int32Array(IdBuffer.scratch.length * 2);
      grown.set(IdBuffer.scratch);
      IdBuffer.scratch = grown;
    }
    IdBuffer.scratch[this.length++] = id;
  }
  take(): Int32Array {
    return IdBuffer.scratch.slice(0, this.length);
  }
  /** The ids without a copy: valid until the next featurizer call. */
  view(): Int32Array {
    return IdBuffer.scratch.subarray(0, this.length);
  }
}

/** Character n-grams of ` token ` with lengths cmin..cmax. */
function pushCharNgrams(token: string, cmin: number, cmax: number, buckets: number, out: IdBuffer): void {
  const len = token.length + 2;
  for (let i = 0; i < len; i++) {
    let state = SEED_CHAR;
    const end = Math.min(len, i + cmax);
    for (let j = i; j < end; j++) {
      state = hashStep(state, j === 0 || j === len - 1 ? SPACE : token.charCodeAt(j - 1));
      const n = j - i + 1;
      if (n >= cmin) out.push(hashFinish(state, n) % buckets);
    }
  }
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
