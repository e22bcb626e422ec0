/**
 * A small, stable 32-bit hash (MurmurHash3's mixing) over UTF-16 code units, written so that the
 * featurizer can hash n-grams incrementally without building substrings. The values are part of a
 * trained model's contract: changing any constant here invalidates every artifact.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** Mixes one 32-bit block (here: one UTF-16 code unit, or one hash) into the running state. */
export function hashStep(state: number, block: number): number {
  return hashStepKey(state, blockKey(block));
}

/** The first half of `hashStep`, which depends on the block alone: computed once per character, reused by every n-gram. */
export function blockKey(block: number): number {
  const k = Math.imul(block, C1);
  return Math.imul((k << 15) | (k >>> 17), C2);
}

/** The second half of `hashStep`: `hashStep(state, block) === hashStepKey(state, blockKey(block))`. */
export function hashStepKey(state: number, key: number): number {
  const h = state ^ key;
  return (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
}

/** Murmur3's finaliser: avalanches the state; `length` is the number of blocks mixed in. */
export function hashFinish(state: number, length: number): number {
  let h = state ^ length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of a whole string with a seed (unsigned 32-bit). */
export function hashString(text: string, seed = 0): number {
  let h = seed | 0;
  for (let i = 0; i < text.length; i++) h = hashStep(h, text.charCodeAt(i));
  return hashFinish(h, text.length);
}

/** Hash of an ordered pair of hashes (for word bigrams). */
export function hashPair(a: number, b: number, seed = 0): number {
  return hashFinish(hashStep(hashStep(seed | 0, a), b), 2);
}
