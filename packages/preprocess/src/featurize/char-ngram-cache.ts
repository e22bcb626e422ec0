/**
 * The char n-gram ids of recently seen tokens, so a repeated word is hashed once: in demo mail three tokens
 * of four in a batch of 100 repeat one seen before, and hashing a token's n-grams (cmin..cmax steps each)
 * costs several times looking it up and copying its ids. A direct-mapped table keyed by the token's word
 * hash; a hit is checked against the token's characters, so a hash collision is only a miss. The ids
 * depend on the buckets and n-gram lengths: other params empty it. Module scratch, like bag-scratch's: the
 * featurizer is synchronous, so it is never shared.
 */

const SLOTS = 4096;
/** Tokens longer than this are hashed each time: they are rare, and would fill the pools. */
const MAX_TOKEN = 24;
/** Per slot: the token's length (0: empty), its word hash, where its characters and its ids are in the pools, how many ids. */
const slotLength = new Int32Array(SLOTS);
const slotHash = new Int32Array(SLOTS);
const slotChars = new Int32Array(SLOTS);
const slotIds = new Int32Array(SLOTS);
const slotCount = new Int32Array(SLOTS);
const chars = new Uint16Array(SLOTS * 8);
const ids = new Int32Array(SLOTS * 16);
let charsUsed = 0;
let idsUsed = 0;
/** The params the cached ids were hashed with. */
let cachedBuckets = -1;
let cachedMin = -1;
let cachedMax = -1;

function clear(): void {
  slotLength.fill(0);
  charsUsed = 0;
  idsUsed = 0;
}

/** Empties the cache unless its ids were hashed with these params. */
export function useCharNgramCache(buckets: number, cmin: number, cmax: number): void {
  if (buckets === cachedBuckets && cmin === cachedMin && cmax === cachedMax) return;
  clear();
  cachedBuckets = buckets;
  cachedMin = cmin;
  cachedMax = cmax;
}

/**
 * Writes the cached char n-gram ids of the token `text[start, start + length)` (word hash `hash`) to out at
 * `n` and returns the new end, or -1 when the token is not cached.
 */
export function cachedCharNgrams(text: string, start: number, length: number, hash: number, out: Int32Array, n: number): number {
  const slot = hash & (SLOTS - 1);
  if (slotLength[slot] !== length || slotHash[slot] !== (hash | 0)) return -1;
  const at = slotChars[slot];
  for (let j = 0; j < length; j++) if (chars[at + j] !== text.charCodeAt(start + j)) return -1;
  const from = slotIds[slot];
  const count = slotCount[slot];
  for (let k = 0; k < count; k++) out[n + k] = ids[from + k];
  return n + count;
}

/** Keeps the char n-gram ids out[from, to) of the token `text[start, start + length)` (word hash `hash`) in its slot. */
export function keepCharNgrams(text: string, start: number, length: number, hash: number, out: Int32Array, from: number, to: number): void {
  if (length > MAX_TOKEN) return;
  // Slots overwritten leave their old values in the pools: when these are full, the cache starts again.
  if (charsUsed + length > chars.length || idsUsed + (to - from) > ids.length) clear();
  const slot = hash & (SLOTS - 1);
  slotLength[slot] = length;
  slotHash[slot] = hash | 0;
  slotChars[slot] = charsUsed;
  for (let j = 0; j < length; j++) chars[charsUsed + j] = text.charCodeAt(start + j);
  charsUsed += length;
  slotIds[slot] = idsUsed;
  slotCount[slot] = to - from;
  for (let k = from; k < to; k++) ids[idsUsed++] = out[k];
}
