/** A seeded PRNG (mulberry32): deterministic across platforms, good enough for init and shuffling. */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
}

export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) | 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** Fisher-Yates shuffle in place. */
export function shuffleInPlace<T>(items: T[] | Int32Array, prng: Prng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(prng.next() * (i + 1));
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
}

/**
 * Fills with uniform values in [-scale, scale): a mulberry32 stream seeded from `prng`, inlined because
 * an embedding table has millions of entries.
 */
export function fillUniform(target: Float32Array, scale: number, prng: Prng): void {
  let state = Math.floor(prng.next() * 4294967296) | 0;
  const factor = (2 * scale) / 4294967296;
  for (let i = 0; i < target.length; i++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    target[i] = ((t ^ (t >>> 14)) >>> 0) * factor - scale;
  }
}
