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
  /** Pooling weight of each id: `mean` = 1/n, `sqrt` = 1/sqrt(n) over the n ids of a text. */
  pooling: z.enum(['mean', 'sqrt']).default('mean'),
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
  const { buckets, wordNgrams, charNgrams, maxChars } = params;
  const tokens = wordTokens(text.length > maxChars ? text.slice(0, maxChars) : text);
  const [cmin, cmax] = charNgrams;
  const out = new IdBuffer();
  const wordHashes = new Array<number>(tokens.length);
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t];
    const h = hashString(token, SEED_WORD);
    wordHashes[t] = h;
    if (wordNgrams >= 1) out.push(h % buckets);
    if (cmax > 0 && cmin > 0) pushCharNgrams(token, cmin, cmax, buckets, out);
  }
  for (let n = 2; n <= wordNgrams; n++) {
    for (let t = 0; t + n <= tokens.length; t++) {
      let h = wordHashes[t];
      for (let k = 1; k < n; k++) h = hashPair(h, wordHashes[t + k], SEED_WORD + n);
      out.push(h % buckets);
    }
  }
  for (const m of meta) out.push(hashString(m, SEED_META) % buckets);
  return out.take();
}

/** A growable id list over one shared scratch array (the featurizer is synchronous, so it is never shared). */
class IdBuffer {
  private static scratch = new Int32Array(4096);
  private length = 0;
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

/** The pooling weight of every id of a text with `n` ids. */
export function poolingWeight(n: number, pooling: HashedNgramsParams['pooling']): number {
  if (n === 0) return 0;
  return pooling === 'sqrt' ? 1 / Math.sqrt(n) : 1 / n;
}
