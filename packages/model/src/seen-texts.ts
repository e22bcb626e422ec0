import { createHash } from 'node:crypto';

/**
 * The texts a model was trained and validated on, as a Bloom filter in the artifact file
 * `seen-texts.bloom` (hashed like every artifact file). It holds bits, no text: it can only answer
 * whether a given text (its dedupe key) was probably among them, so an evaluation on rows the model has
 * seen is told so. About 14.4 bits a text and 10 probes give 0.1% false positives.
 *
 * Layout (little-endian): "MRST", version u8 = 1, probes u8, 2 bytes zero, texts u32, bits u32, then
 * ceil(bits / 8) bytes of bits.
 */
export const SEEN_TEXTS_FILE = 'seen-texts.bloom';

const MAGIC = 'MRST';
const HEADER = 16;
const PROBES = 10;
const BITS_PER_TEXT = 14.4;

export interface SeenTexts {
  /** Distinct texts put in. */
  texts: number;
  /** The chance that a text never put in is reported as seen. */
  falsePositiveRate: number;
  has(key: string): boolean;
}

function probesOf(key: string, bits: number, probes: number): number[] {
  const digest = createHash('sha256').update(key).digest();
  const h1 = digest.readUInt32LE(0);
  const h2 = (digest.readUInt32LE(4) | 1) >>> 0;
  const out: number[] = [];
  for (let i = 0; i < probes; i++) out.push((h1 + i * h2) % bits);
  return out;
}

function falsePositiveRate(texts: number, bits: number, probes: number): number {
  return (1 - Math.exp((-probes * texts) / bits)) ** probes;
}

export function encodeSeenTexts(keys: Iterable<string>): Uint8Array {
  const distinct = new Set(keys);
  const bits = Math.max(64, Math.ceil(distinct.size * BITS_PER_TEXT));
  const bytes = new Uint8Array(HEADER + Math.ceil(bits / 8));
  const view = new DataView(bytes.buffer);
  bytes.set(Buffer.from(MAGIC, 'ascii'), 0);
  view.setUint8(4, 1);
  view.setUint8(5, PROBES);
  view.setUint32(8, distinct.size, true);
  view.setUint32(12, bits, true);
  for (const key of distinct) {
    for (const bit of probesOf(key, bits, PROBES)) bytes[HEADER + (bit >> 3)] |= 1 << (bit & 7);
  }
  return bytes;
}

/** The filter in `bytes`, or an error message when they are not one. */
export function decodeSeenTexts(bytes: Uint8Array): SeenTexts | string {
  if (bytes.length < HEADER || Buffer.from(bytes.subarray(0, 4)).toString('ascii') !== MAGIC) return `${SEEN_TEXTS_FILE} is not a seen-texts filter`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(4);
  if (version !== 1) return `${SEEN_TEXTS_FILE} has version ${version}; this mailroute reads version 1`;
  const probes = view.getUint8(5);
  const texts = view.getUint32(8, true);
  const bits = view.getUint32(12, true);
  if (probes < 1 || bits < 1 || bytes.length !== HEADER + Math.ceil(bits / 8)) return `${SEEN_TEXTS_FILE} is truncated or malformed`;
  return {
    texts,
    falsePositiveRate: falsePositiveRate(texts, bits, probes),
    has: (key) => probesOf(key, bits, probes).every((bit) => (bytes[HEADER + (bit >> 3)] & (1 << (bit & 7))) !== 0),
  };
}
