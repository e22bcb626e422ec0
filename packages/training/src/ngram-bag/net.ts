import type { DenseLayer, NgramBagPart } from '@mailroute/model';
import { denseForward, softmaxInPlace } from '@mailroute/model';

/** One featurized training example: ids, their common pooling weight, a label index per task (-1: missing). */
export interface EncodedExample {
  ids: Int32Array;
  weight: number;
  labels: Int32Array;
}

interface DenseGrad {
  weight: Float64Array;
  bias: Float64Array;
}

/**
 * A part under training: its weights, gradient buffers (dense for the layers, sparse rows for the
 * embedding), Adagrad accumulators and scratch space for one example.
 */
export interface PartState {
  part: NgramBagPart;
  /** For each head, the index of its task in the example's `labels`. */
  taskIndex: number[];
  classWeights: Float64Array[];
  gHidden?: DenseGrad;
  gHeads: DenseGrad[];
  rowSlot: Int32Array;
  touched: number[];
  gRows: Float64Array;
  /** Row-wise Adagrad: one accumulator per embedding row (the mean squared gradient of the row). */
  accEmbedding: Float32Array;
  accHidden?: { weight: Float32Array; bias: Float32Array };
  accHeads: Array<{ weight: Float32Array; bias: Float32Array }>;
  pooled: Float64Array;
  hiddenOut: Float64Array;
  dFeatures: Float64Array;
  dHidden: Float64Array;
  probs: Float64Array[];
}

const ACC_INIT = 1e-6;

function denseGrad(layer: DenseLayer): DenseGrad {
  return { weight: new Float64Array(layer.weight.length), bias: new Float64Array(layer.bias.length) };
}

function denseAcc(layer: DenseLayer): { weight: Float32Array; bias: Float32Array } {
  return {
    weight: new Float32Array(layer.weight.length).fill(ACC_INIT),
    bias: new Float32Array(layer.bias.length).fill(ACC_INIT),
  };
}

export function createPartState(part: NgramBagPart, taskIndex: number[], classWeights: Float64Array[]): PartState {
  const featureSize = part.hidden ? part.hidden.outSize : part.dim;
  return {
    part,
    taskIndex,
    classWeights,
    gHidden: part.hidden ? denseGrad(part.hidden) : undefined,
    gHeads: part.heads.map(denseGrad),
    rowSlot: new Int32Array(part.buckets).fill(-1),
    touched: [],
    gRows: new Float64Array(part.dim * 1024),
    accEmbedding: new Float32Array(part.buckets).fill(ACC_INIT),
    accHidden: part.hidden ? denseAcc(part.hidden) : undefined,
    accHeads: part.heads.map(denseAcc),
    pooled: new Float64Array(part.dim),
    hiddenOut: new Float64Array(part.hidden ? part.hidden.outSize : 0),
    dFeatures: new Float64Array(featureSize),
    dHidden: new Float64Array(part.dim),
    probs: part.heads.map((head) => new Float64Array(head.outSize)),
  };
}

/** True when the example has a label for at least one head of this part. */
export function hasLabelFor(state: PartState, example: EncodedExample): boolean {
  return state.taskIndex.some((t) => example.labels[t] >= 0);
}

/** Pools the example and runs the layers: fills `pooled`, `hiddenOut` and the head logits in `probs`. */
export function forwardPart(state: PartState, ids: Int32Array, weight: number): Float64Array {
  const { part, pooled } = state;
  const { dim, embedding } = part;
  pooled.fill(0);
  for (let k = 0; k < ids.length; k++) {
    const row = ids[k] * dim;
    for (let d = 0; d < dim; d++) pooled[d] += embedding[row + d];
  }
  for (let d = 0; d < dim; d++) pooled[d] *= weight;
  let features = pooled;
  if (part.hidden) {
    denseForward(part.hidden, pooled, state.hiddenOut, true);
    features = state.hiddenOut;
  }
  for (let h = 0; h < part.heads.length; h++) denseForward(part.heads[h], features, state.probs[h], false);
  return features;
}

/**
 * Adds the gradient of one example's loss (class-weighted cross-entropy summed over the labelled
 * heads) to the part's gradient buffers and returns that loss. Missing labels contribute nothing.
 */
export function accumulateExample(state: PartState, example: EncodedExample): number {
  const { part, dFeatures } = state;
  const features = forwardPart(state, example.ids, example.weight);
  dFeatures.fill(0);
  let loss = 0;
  let any = false;
  for (let h = 0; h < part.heads.length; h++) {
    const y = example.labels[state.taskIndex[h]];
    if (y < 0) continue;
    any = true;
    const head = part.heads[h];
    const probs = state.probs[h];
    softmaxInPlace(probs);
    const cw = state.classWeights[h][y];
    loss += -cw * Math.log(Math.max(probs[y], 1e-12));
    const grad = state.gHeads[h];
    const C = head.outSize;
    for (let c = 0; c < C; c++) {
      const g = cw * (probs[c] - (c === y ? 1 : 0));
      probs[c] = g; // reuse as dLogits
      grad.bias[c] += g;
    }
    for (let i = 0; i < head.inSize; i++) {
      const fi = features[i];
      const row = i * C;
      let back = 0;
      for (let c = 0; c < C; c++) {
        const g = probs[c];
        grad.weight[row + c] += fi * g;
        back += head.weight[row + c] * g;
      }
      dFeatures[i] += back;
    }
  }
  if (!any) return 0;
  let dPooled = dFeatures;
  if (part.hidden && state.gHidden) {
    const hidden = part.hidden;
    const H = hidden.outSize;
    const dH = dFeatures;
    for (let o = 0; o < H; o++) if (state.hiddenOut[o] <= 0) dH[o] = 0;
    const grad = state.gHidden;
    dPooled = state.dHidden;
    for (let o = 0; o < H; o++) grad.bias[o] += dH[o];
    for (let i = 0; i < hidden.inSize; i++) {
      const xi = state.pooled[i];
      const row = i * H;
      let back = 0;
      for (let o = 0; o < H; o++) {
        grad.weight[row + o] += xi * dH[o];
        back += hidden.weight[row + o] * dH[o];
      }
      dPooled[i] = back;
    }
  }
  addEmbeddingGrad(state, example, dPooled);
  return loss;
}

function addEmbeddingGrad(state: PartState, example: EncodedExample, dPooled: Float64Array): void {
  const { dim } = state.part;
  const w = example.weight;
  for (let k = 0; k < example.ids.length; k++) {
    const id = example.ids[k];
    let slot = state.rowSlot[id];
    if (slot < 0) {
      slot = state.touched.length;
      state.touched.push(id);
      state.rowSlot[id] = slot;
      if ((slot + 1) * dim > state.gRows.length) {
        const grown = new Float64Array(state.gRows.length * 2);
        grown.set(state.gRows);
        state.gRows = grown;
      }
      state.gRows.fill(0, slot * dim, (slot + 1) * dim);
    }
    const base = slot * dim;
    for (let d = 0; d < dim; d++) state.gRows[base + d] += w * dPooled[d];
  }
}

function adagrad(
  params: Float32Array,
  acc: Float32Array,
  grad: Float64Array,
  offset: number,
  gOffset: number,
  n: number,
  lr: number,
  scale: number,
  l2: number,
): void {
  for (let i = 0; i < n; i++) {
    const p = offset + i;
    const g = grad[gOffset + i] * scale + l2 * params[p];
    if (g === 0) continue;
    acc[p] += g * g;
    params[p] -= (lr * g) / Math.sqrt(acc[p]);
  }
}

/** One Adagrad step with the gradients averaged over `batchCount` examples; clears the buffers. */
export function applyUpdate(state: PartState, lr: number, l2: number, batchCount: number): void {
  if (batchCount === 0) return;
  const scale = 1 / batchCount;
  const { part } = state;
  const layers: Array<[DenseLayer, DenseGrad, { weight: Float32Array; bias: Float32Array }]> = part.heads.map(
    (head, h) => [head, state.gHeads[h], state.accHeads[h]],
  );
  if (part.hidden && state.gHidden && state.accHidden) layers.push([part.hidden, state.gHidden, state.accHidden]);
  for (const [layer, grad, acc] of layers) {
    adagrad(layer.weight, acc.weight, grad.weight, 0, 0, layer.weight.length, lr, scale, l2);
    adagrad(layer.bias, acc.bias, grad.bias, 0, 0, layer.bias.length, lr, scale, 0);
    grad.weight.fill(0);
    grad.bias.fill(0);
  }
  const { dim, embedding } = part;
  const { gRows, accEmbedding } = state;
  for (let slot = 0; slot < state.touched.length; slot++) {
    const id = state.touched[slot];
    const row = id * dim;
    const base = slot * dim;
    let squares = 0;
    for (let d = 0; d < dim; d++) {
      const g = gRows[base + d] * scale + l2 * embedding[row + d];
      gRows[base + d] = g;
      squares += g * g;
    }
    accEmbedding[id] += squares / dim;
    const step = lr / Math.sqrt(accEmbedding[id]);
    for (let d = 0; d < dim; d++) embedding[row + d] -= step * gRows[base + d];
    state.rowSlot[id] = -1;
  }
  state.touched.length = 0;
}
