import type { DenseLayer, NgramBagPart, NgramBagWeights } from '@mailroute/model';

/**
 * Members trained alike (same rows, featurizer, parts and tasks; different seeds) merged into one model
 * whose logits are the mean of theirs: per part, the embedding rows side by side (width members x dim),
 * a block-diagonal hidden layer, and the heads stacked over the wider input, scaled by 1/members, with
 * the mean bias. The ONNX graph and the forward pass are those of one model.
 */
export function mergeMembers(members: readonly NgramBagWeights[]): NgramBagWeights {
  if (members.length === 1) return members[0];
  const parts = members[0].parts.map((_, p) => mergeParts(members.map((m) => m.parts[p])));
  return { parts };
}

/** Members trained on the same rows share their compact table's layout (`rowOf`), so rows merge row by row. */
function mergeParts(parts: readonly NgramBagPart[]): NgramBagPart {
  const n = parts.length;
  const { buckets, dim, rowOf } = parts[0];
  if (parts.some((part) => !sameRows(part.rowOf, rowOf))) throw new Error('ensemble members with different embedding rows');
  const rows = parts[0].embedding.length / dim;
  const width = n * dim;
  const embedding = new Float32Array(rows * width);
  parts.forEach((part, m) => {
    const source = part.embedding;
    for (let b = 0; b < rows; b++) embedding.set(source.subarray(b * dim, (b + 1) * dim), b * width + m * dim);
  });
  const hidden = parts[0].hidden ? blockDiagonal(parts.map((part) => part.hidden as DenseLayer)) : undefined;
  const heads = parts[0].heads.map((head, h) => ({ ...stackMean(parts.map((part) => part.heads[h])), task: head.task }));
  return { buckets, dim: width, embedding, ...(rowOf ? { rowOf } : {}), ...(hidden ? { hidden } : {}), heads };
}

function sameRows(a: Int32Array | undefined, b: Int32Array | undefined): boolean {
  if (!a || !b) return a === b;
  return a.length === b.length && a.every((row, i) => row === b[i]);
}

/** Layers side by side: input i of member m feeds only member m's outputs. */
function blockDiagonal(layers: readonly DenseLayer[]): DenseLayer {
  const { inSize, outSize } = layers[0];
  const n = layers.length;
  const weight = new Float32Array(n * inSize * n * outSize);
  const bias = new Float32Array(n * outSize);
  layers.forEach((layer, m) => {
    for (let i = 0; i < inSize; i++) {
      weight.set(layer.weight.subarray(i * outSize, (i + 1) * outSize), (m * inSize + i) * n * outSize + m * outSize);
    }
    bias.set(layer.bias, m * outSize);
  });
  return { weight, bias, inSize: n * inSize, outSize: n * outSize };
}

/** Heads reading the members' features side by side: the mean of their outputs. */
function stackMean(layers: readonly DenseLayer[]): DenseLayer {
  const { inSize, outSize } = layers[0];
  const n = layers.length;
  const weight = new Float32Array(n * inSize * outSize);
  const bias = new Float32Array(outSize);
  layers.forEach((layer, m) => {
    for (let k = 0; k < layer.weight.length; k++) weight[m * inSize * outSize + k] = layer.weight[k] / n;
    for (let o = 0; o < outSize; o++) bias[o] += layer.bias[o] / n;
  });
  return { weight, bias, inSize: n * inSize, outSize };
}

/** The members' logits averaged, per task and example. */
export function meanLogits(members: readonly Float64Array[][][]): Float64Array[][] {
  return members[0].map((perTask, t) =>
    perTask.map((_, i) => {
      const out = new Float64Array(members[0][t][i].length);
      for (const member of members) for (let c = 0; c < out.length; c++) out[c] += member[t][i][c] / members.length;
      return out;
    }),
  );
}
