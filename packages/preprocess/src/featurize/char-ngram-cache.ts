/**
 * The word hash and char n-gram ids of recently seen tokens, so a repeated word is hashed once: in demo mail
 * three tokens of four in a batch of 100 repeat one seen before, and hashing a token (its word hash, then
 * cmin..cmax steps per char n-gram) costs several times looking it up and copying its ids. A direct-mapped
 * table keyed by a cheap hash of the characters; a hit is checked against them, so a collision is only a
 * miss. The ids depend on the buckets and n-gram lengths: other params empty it. Module scratch, like
 * bag-scratch's: the featurizer is synchronous, so it is never shared.
 */

/** Slots: ticket mail has a wider vocabulary than the demo's; with 4,096 slots it featurized about 5% slower. */
const SLOTS = 16384;
/** Tokens longer than this are hashed each time: they are rare, and would fill the pools. */
const MAX_TOKEN = 24;
/** Per slot: the token's length (0: empty), its word hash, where its characters and its ids are in the pools, how many ids. */
const slotLength = new Int32Array(SLOTS);
const slotWord = new Int32Array(SLOTS);
const slotChars = new Int32Array(SLOTS);
const slotIds = new Int32Array(SLOTS);
const slotCount = new Int32Array(SLOTS);
const chars = new Uint16Array(SLOTS * 8);
const ids = new Int32Array(SLOTS * 8);
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

/** A token's slot: a cheap hash of its characters (the word hash costs several times more, and a hit spares it). */
function slotOf(text: string, start: number, length: number): number {
  let h = length;
  for (let j = 0; j < length; j++) h = Math.imul(h ^ text.charCodeAt(start + j), 0x01000193);
  return (h ^ (h >>> 15)) & (SLOTS - 1);
}

/** The slot holding the token `text[start, start + length)`, or -1 when it is not cached. */
export function findToken(text: string, start: number, length: number): number {
  if (length > MAX_TOKEN) return -1;
  const slot = slotOf(text, start, length);
  if (slotLength[slot] !== length) return -1;
  const at = slotChars[slot];
  for (let j = 0; j < length; j++) if (chars[at + j] !== text.charCodeAt(start + j)) return -1;
  return slot;
}

/** The word hash (unsigned) of the token cached in `slot`. */
export function cachedWordHash(slot: number): number {
  return slotWord[slot] >>> 0;
}

/** Writes the char n-gram ids of the token cached in `slot` to out at `n`; returns the new end. */
export function cachedCharNgrams(slot: number, out: Int32Array, n: number): number {
  const from = slotIds[slot];
  const count = slotCount[slot];
  for (let k = 0; k < count; k++) out[n + k] = ids[from + k];
  return n + count;
}

/** Keeps the token `text[start, start + length)`: its word hash and its char n-gram ids out[from, to). */
export function keepToken(text: string, start: number, length: number, wordHash: number, out: Int32Array, from: number, to: number): void {
  if (length > MAX_TOKEN) return;
  // Slots overwritten leave their old values in the pools: when these are full, the cache starts again.
  if (charsUsed + length > chars.length || idsUsed + (to - from) > ids.length) clear();
  const slot = slotOf(text, start, length);
  slotLength[slot] = length;
  slotWord[slot] = wordHash;
  slotChars[slot] = charsUsed;
  for (let j = 0; j < length; j++) chars[charsUsed + j] = text.charCodeAt(start + j);
  charsUsed += length;
  slotIds[slot] = idsUsed;
  slotCount[slot] = to - from;
  for (let k = from; k < to; k++) ids[idsUsed++] = out[k];
}
