import type { DenseLayer, NgramBagPart } from '@mailroute/model';
import { softmaxInPlace } from '@mailroute/model';
import { denseRows, headBackward, poolRows, updateRows } from './kernels.js';

/** One featurized training example: ids, their pooling weights, a label index per task (-1: missing). */
export interface EncodedExample {
  ids: Int32Array;
  weights: Float32Array;
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
  loss: TrainingLoss;
  gHidden?: DenseGrad;
  gHeads: DenseGrad[];
  /** Gradient of the loss with respect to the pooled embedding of the last example (every id row gets `weight *` it). */
  dPooled: Float64Array;
  /** Row-wise Adagrad: one accumulator per embedding row (the mean squared gradient of the row). */
  accEmbedding: Float32Array;
  accHidden?: { weight: Float32Array; bias: Float32Array };
  accHeads: Array<{ weight: Float32Array; bias: Float32Array }>;
  pooled: Float64Array;
  hiddenOut: Float64Array;
  dFeatures: Float64Array;
  probs: Float64Array[];
  /** Scratch: indices of the classes with a gradient in the current head. */
  active: Int32Array;
  /** Per head, the classes with a gradient since the last update (flags and list), so the update can skip the rest. */
  touchedFlags: Uint8Array[];
  touched: Int32Array[];
  touchedCount: Int32Array;
}

export type TrainingLoss = 'softmax' | 'squared-hinge';

const ACC_INIT = 1e-6;
/** Head gradients smaller than this (per class and example) are left out of the update. */
export const SKIP_GRADIENT = 1e-6;

function denseGrad(layer: DenseLayer): DenseGrad {
  return { weight: new Float64Array(layer.weight.length), bias: new Float64Array(layer.bias.length) };
}

function denseAcc(layer: DenseLayer, init = ACC_INIT): { weight: Float32Array; bias: Float32Array } {
  return {
    weight: new Float32Array(layer.weight.length).fill(init),
    bias: new Float32Array(layer.bias.length).fill(init),
  };
}

export function createPartState(part: NgramBagPart, taskIndex: number[], classWeights: Float64Array[], loss: TrainingLoss = 'softmax'): PartState {
  const featureSize = part.hidden ? part.hidden.outSize : part.dim;
  return {
    part,
    taskIndex,
    classWeights,
    loss,
    gHidden: part.hidden ? denseGrad(part.hidden) : undefined,
    gHeads: part.heads.map(denseGrad),
    dPooled: new Float64Array(part.dim),
    accEmbedding: new Float32Array(part.buckets).fill(ACC_INIT),
    accHidden: part.hidden ? denseAcc(part.hidden) : undefined,
    accHeads: part.heads.map(denseAcc),
    pooled: new Float64Array(part.dim),
    hiddenOut: new Float64Array(part.hidden ? part.hidden.outSize : 0),
    dFeatures: new Float64Array(featureSize),
    probs: part.heads.map((head) => new Float64Array(head.outSize)),
    active: new Int32Array(Math.max(1, ...part.heads.map((head) => head.outSize))),
    touchedFlags: part.heads.map((head) => new Uint8Array(head.outSize)),
    touched: part.heads.map((head) => new Int32Array(head.outSize)),
    touchedCount: new Int32Array(part.heads.length),
  };
}

/** True when the example has a label for at least one head of this part. */
export function hasLabelFor(state: PartState, example: EncodedExample): boolean {
  return state.taskIndex.some((t) => example.labels[t] >= 0);
}

/** Pools the example and runs the layers: fills `pooled`, `hiddenOut` and the head logits in `probs`. */
export function forwardPart(state: PartState, ids: Int32Array, weights: Float32Array): Float64Array {
  const { part, pooled } = state;
  const { dim, embedding } = part;
  poolRows(embedding, dim, ids, weights, pooled);
  let features = pooled;
  const hidden = part.hidden;
  if (hidden) {
    denseRows(hidden.weight, hidden.bias, hidden.inSize, hidden.outSize, pooled, state.hiddenOut, true);
    features = state.hiddenOut;
  }
  for (let h = 0; h < part.heads.length; h++) {
    const head = part.heads[h];
    denseRows(head.weight, head.bias, head.inSize, head.outSize, features, state.probs[h], false);
  }
  return features;
}

/**
 * Turns a head's logits into the gradient of its loss for label y, unweighted, in place; returns the loss.
 * Softmax: probs - onehot and -ln p_y. Squared hinge: -t_c max(0, 1 - t_c z_c) and the sum of the
 * halved squares, with t_c = +1 for y and -1 otherwise.
 */
function lossGradient(z: Float64Array, y: number, loss: TrainingLoss): number {
  if (loss === 'softmax') {
    softmaxInPlace(z);
    const value = -Math.log(Math.max(z[y], 1e-12));
    z[y] -= 1;
    return value;
  }
  let value = 0;
  for (let c = 0; c < z.length; c++) {
    const t = c === y ? 1 : -1;
    const margin = Math.max(0, 1 - t * z[c]);
    value += 0.5 * margin * margin;
    z[c] = -t * margin;
  }
  return value;
}

/**
 * Adds the gradient of one example's loss (class-weighted cross-entropy or squared hinge, summed over
 * the labelled heads) to the dense layers' gradient buffers, leaves the gradient of the pooled embedding
 * in `dPooled` (all zero when no head has a label) and returns the loss. Missing labels contribute nothing.
 */
export function accumulateExample(state: PartState, example: EncodedExample): number {
  const { part, dFeatures } = state;
  const features = forwardPart(state, example.ids, example.weights);
  dFeatures.fill(0);
  let loss = 0;
  let any = false;
  for (let h = 0; h < part.heads.length; h++) {
    const y = example.labels[state.taskIndex[h]];
    if (y < 0) continue;
    any = true;
    const head = part.heads[h];
    const probs = state.probs[h];
    const cw = state.classWeights[h][y];
    loss += cw * lossGradient(probs, y, state.loss);
    const grad = state.gHeads[h];
    const C = head.outSize;
    // Classes whose gradient is negligible are skipped: once the model is confident, few remain.
    const active = state.active;
    const flags = state.touchedFlags[h];
    const touched = state.touched[h];
    let nActive = 0;
    for (let c = 0; c < C; c++) {
      const g = cw * probs[c];
      if (g > -SKIP_GRADIENT && g < SKIP_GRADIENT) continue;
      probs[nActive] = g; // reuse as the dense list of active dLogits
      active[nActive++] = c;
      grad.bias[c] += g;
      if (flags[c] === 0) {
        flags[c] = 1;
        touched[state.touchedCount[h]++] = c;
      }
    }
    headBackward(head.weight, grad.weight, head.inSize, C, features, active, probs, nActive, dFeatures);
  }
  const dPooled = state.dPooled;
  if (!any) {
    dPooled.fill(0);
    return 0;
  }
  if (!part.hidden) dPooled.set(dFeatures);
  if (part.hidden && state.gHidden) {
    const hidden = part.hidden;
    const H = hidden.outSize;
    const dH = dFeatures;
    for (let o = 0; o < H; o++) if (state.hiddenOut[o] <= 0) dH[o] = 0;
    const grad = state.gHidden;
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
  return loss;
}

/**
 * Row-wise Adagrad step on the embedding rows of one example, right after its backward pass (lazy:
 * only the rows the example touches move). Occurrence k of an id gets `weights[k] * dPooled`; each
 * row keeps one accumulator of its mean squared gradient.
 */
export function updateEmbedding(state: PartState, example: EncodedExample, lr: number, l2: number): void {
  const { dim, embedding } = state.part;
  const { dPooled, accEmbedding } = state;
  let squares = 0;
  for (let d = 0; d < dim; d++) squares += dPooled[d] * dPooled[d];
  if (squares === 0) return;
  const meanSquare = squares / dim;
  const { ids, weights } = example;
  if (l2 === 0) {
    updateRows(embedding, accEmbedding, dim, ids, weights, dPooled, meanSquare, lr);
    return;
  }
  for (let k = 0; k < ids.length; k++) {
    const w = weights[k];
    if (w === 0) continue;
    const id = ids[k];
    const row = id * dim;
    accEmbedding[id] += w * w * meanSquare;
    const step = lr / Math.sqrt(accEmbedding[id]);
    const stepW = step * w;
    if (l2 > 0) {
      const decay = 1 - step * l2;
      for (let d = 0; d < dim; d++) embedding[row + d] = embedding[row + d] * decay - stepW * dPooled[d];
    } else {
      for (let d = 0; d < dim; d++) embedding[row + d] -= stepW * dPooled[d];
    }
  }
}

function adagrad(
  params: Float32Array,
  acc: Float32Array,
  grad: Float64Array,
  lr: number,
  scale: number,
  l2: number,
): void {
  for (let i = 0; i < params.length; i++) {
    const g = grad[i] * scale + l2 * params[i];
    if (g === 0) continue;
    acc[i] += g * g;
    params[i] -= (lr * g) / Math.sqrt(acc[i]);
  }
}

/**
 * Adagrad on the columns of a head that had a gradient in this batch (the others have none, so without
 * L2 they would not move); clears their gradients and the touched list.
 */
function adagradTouchedColumns(state: PartState, h: number, lr: number, scale: number): void {
  const head = state.part.heads[h];
  const grad = state.gHeads[h];
  const acc = state.accHeads[h];
  const C = head.outSize;
  const touched = state.touched[h];
  const flags = state.touchedFlags[h];
  for (let a = 0; a < state.touchedCount[h]; a++) {
    const c = touched[a];
    flags[c] = 0;
    for (let j = c; j < head.weight.length; j += C) {
      const g = grad.weight[j] * scale;
      grad.weight[j] = 0;
      if (g === 0) continue;
      acc.weight[j] += g * g;
      head.weight[j] -= (lr * g) / Math.sqrt(acc.weight[j]);
    }
    const g = grad.bias[c] * scale;
    grad.bias[c] = 0;
    if (g === 0) continue;
    acc.bias[c] += g * g;
    head.bias[c] -= (lr * g) / Math.sqrt(acc.bias[c]);
  }
  state.touchedCount[h] = 0;
}

/** One Adagrad step of the dense layers with the gradients averaged over `batchCount` examples; clears the buffers. */
export function applyUpdate(state: PartState, lr: number, l2: number, batchCount: number): void {
  if (batchCount === 0) return;
  const scale = 1 / batchCount;
  const { part } = state;
  const layers: Array<[DenseLayer, DenseGrad, { weight: Float32Array; bias: Float32Array }]> = [];
  part.heads.forEach((head, h) => {
    if (l2 === 0) adagradTouchedColumns(state, h, lr, scale);
    else {
      layers.push([head, state.gHeads[h], state.accHeads[h]]);
      state.touchedFlags[h].fill(0);
      state.touchedCount[h] = 0;
    }
  });
  if (part.hidden && state.gHidden && state.accHidden) layers.push([part.hidden, state.gHidden, state.accHidden]);
  for (const [layer, grad, acc] of layers) {
    adagrad(layer.weight, acc.weight, grad.weight, lr, scale, l2);
    adagrad(layer.bias, acc.bias, grad.bias, lr, scale, 0);
    grad.weight.fill(0);
    grad.bias.fill(0);
  }
}
