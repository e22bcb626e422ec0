import { seededRandom } from '@mailroute/evaluation';

/**
 * The seeded generator of splits and demo data (mulberry32, as evaluation's `seededRandom`, on the seed
 * mixed with a constant): the same seed gives the same splits and demo rows everywhere.
 */
export function createRandom(seed: number): () => number {
  return seededRandom((seed >>> 0) ^ 0x9e3779b9);
}

/** Fisher-Yates shuffle in place with the given random source (the splits' and the trainer's epochs'). */
export function shuffleInPlace<A extends { length: number; [index: number]: unknown }>(items: A, random: () => number): A {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}

export function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)];
}

/** Picks a key by weight. */
export function pickWeighted<T extends string>(weights: ReadonlyArray<readonly [T, number]>, random: () => number): T {
  let total = 0;
  for (const [, w] of weights) total += w;
  let r = random() * total;
  for (const [key, w] of weights) {
    r -= w;
    if (r < 0) return key;
  }
  return weights[weights.length - 1][0];
}
