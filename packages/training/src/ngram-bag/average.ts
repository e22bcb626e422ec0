import type { NgramBagPart } from '@mailroute/model';

function arrays(part: NgramBagPart): Float32Array[] {
  const out = [part.embedding];
  if (part.hidden) out.push(part.hidden.weight, part.hidden.bias);
  for (const head of part.heads) out.push(head.weight, head.bias);
  return out;
}

/**
 * Folds `part` into the running mean `average` of `count` earlier snapshots (weight averaging over the
 * last epochs, which smooths the noise of the final steps). With count 0 it returns a copy.
 */
export function foldIntoAverage(average: NgramBagPart | undefined, part: NgramBagPart, count: number): NgramBagPart {
  if (!average || count === 0) {
    return {
      ...part,
      embedding: part.embedding.slice(),
      hidden: part.hidden ? { ...part.hidden, weight: part.hidden.weight.slice(), bias: part.hidden.bias.slice() } : undefined,
      heads: part.heads.map((head) => ({ ...head, weight: head.weight.slice(), bias: head.bias.slice() })),
    };
  }
  const keep = count / (count + 1);
  const add = 1 / (count + 1);
  const target = arrays(average);
  const source = arrays(part);
  target.forEach((values, a) => {
    const from = source[a];
    for (let i = 0; i < values.length; i++) values[i] = values[i] * keep + from[i] * add;
  });
  return average;
}
