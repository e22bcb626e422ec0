import type { NgramBagPart } from '@mailroute/model';

function denseArrays(part: NgramBagPart): Float32Array[] {
  const out: Float32Array[] = [];
  if (part.hidden) out.push(part.hidden.weight, part.hidden.bias);
  for (const head of part.heads) out.push(head.weight, head.bias);
  return out;
}

/**
 * The embedding rows that training can move: every id of the given examples, ascending. Rows outside
 * it keep their initial values, so averaging and copying may skip them (a quarter of the table or less
 * on Banking77).
 */
export function touchedRows(buckets: number, examples: Iterable<{ ids: Int32Array }>): Int32Array {
  const seen = new Uint8Array(buckets);
  let count = 0;
  for (const { ids } of examples) {
    for (let k = 0; k < ids.length; k++) {
      if (seen[ids[k]] === 0) {
        seen[ids[k]] = 1;
        count++;
      }
    }
  }
  const rows = new Int32Array(count);
  for (let id = 0, n = 0; id < buckets; id++) if (seen[id] === 1) rows[n++] = id;
  return rows;
}

/**
 * Folds `part` into the running mean `average` of `count` earlier snapshots (weight averaging over the
 * last epochs, which smooths the noise of the final steps). With count 0 it returns a copy. With `rows`,
 * only those embedding rows are folded: the others must be equal in every snapshot (see `touchedRows`).
 */
export function foldIntoAverage(average: NgramBagPart | undefined, part: NgramBagPart, count: number, rows?: Int32Array): NgramBagPart {
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
  const fold = (values: Float32Array, from: Float32Array, start: number, end: number): void => {
    for (let i = start; i < end; i++) values[i] = values[i] * keep + from[i] * add;
  };
  const { dim } = part;
  if (rows) for (let r = 0; r < rows.length; r++) fold(average.embedding, part.embedding, rows[r] * dim, rows[r] * dim + dim);
  else fold(average.embedding, part.embedding, 0, part.embedding.length);
  const source = denseArrays(part);
  denseArrays(average).forEach((values, a) => fold(values, source[a], 0, values.length));
  return average;
}

/** Copies the weights of `source` into `target` (same shapes), reusing target's buffers; with `rows`, only those embedding rows. */
export function copyPartInto(target: NgramBagPart, source: NgramBagPart, rows?: Int32Array): NgramBagPart {
  const { dim } = source;
  if (rows) {
    for (let r = 0; r < rows.length; r++) {
      const end = rows[r] * dim + dim;
      for (let i = rows[r] * dim; i < end; i++) target.embedding[i] = source.embedding[i];
    }
  } else {
    target.embedding.set(source.embedding);
  }
  const from = denseArrays(source);
  denseArrays(target).forEach((values, a) => values.set(from[a]));
  return target;
}
