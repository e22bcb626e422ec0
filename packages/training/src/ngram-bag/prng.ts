import { seededRandom } from '@mailroute/evaluation';

/** A seeded PRNG (mulberry32, evaluation's `seededRandom`): deterministic across platforms, good enough for init and shuffling. */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
}

export function createPrng(seed: number): Prng {
  return { next: seededRandom(seed) };
}

/** A stream of uniform values in [-scale, scale): mulberry32 from a start drawn from a `Prng`, any value computable on its own. */
export interface UniformStream {
  start: number;
  scale: number;
}

export function uniformStream(prng: Prng, scale: number): UniformStream {
  return { start: Math.floor(prng.next() * 4294967296) | 0, scale };
}

/**
 * Writes values [from, from + count) of the stream to target from `at`. Mulberry32's state is a Weyl
 * sequence, so value i starts from start + i * increment: no need to run through the values before it.
 * Inlined because an embedding table has millions of entries.
 */
export function fillUniformRange(target: Float32Array, at: number, stream: UniformStream, from: number, count: number): void {
  const { scale } = stream;
  const factor = (2 * scale) / 4294967296;
  let state = (stream.start + Math.imul(from, 0x6d2b79f5)) | 0;
  for (let i = 0; i < count; i++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    target[at + i] = ((t ^ (t >>> 14)) >>> 0) * factor - scale;
  }
}

/** Fills with uniform values in [-scale, scale): the first `target.length` values of a new stream from `prng`. */
export function fillUniform(target: Float32Array, scale: number, prng: Prng): void {
  fillUniformRange(target, 0, uniformStream(prng, scale), 0, target.length);
}
