import { ownValue } from '../records.js';
import type { DenseLayer, NgramBagPart, NgramBagWeights } from './weights.js';

/** One example in the bag: hashed ids and their pooling weights. */
export interface BagInput {
  ids: ArrayLike<number>;
  weights: ArrayLike<number>;
}

/** out = x·W + b (row-major W `[in][out]`), optional ReLU; `out` is overwritten. */
export function denseForward(layer: DenseLayer, x: ArrayLike<number>, out: Float64Array, relu: boolean): void {
  const { weight, bias, inSize, outSize } = layer;
  for (let o = 0; o < outSize; o++) out[o] = bias[o];
  for (let i = 0; i < inSize; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    const row = i * outSize;
    for (let o = 0; o < outSize; o++) out[o] += xi * weight[row + o];
  }
  if (relu) for (let o = 0; o < outSize; o++) if (out[o] < 0) out[o] = 0;
}

/** Weighted sum of embedding rows; `out` (length dim) is overwritten. */
export function poolEmbedding(part: NgramBagPart, input: BagInput, out: Float64Array): void {
  const { dim, embedding, rowOf } = part;
  out.fill(0);
  const { ids, weights } = input;
  for (let k = 0; k < ids.length; k++) {
    const w = weights[k];
    if (w === 0) continue;
    const row = (rowOf ? rowOf[ids[k]] : ids[k]) * dim;
    for (let d = 0; d < dim; d++) out[d] += w * embedding[row + d];
  }
}

/** Softmax of `logits / temperature` in place. */
export function softmaxInPlace(logits: Float64Array, temperature = 1): void {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    logits[i] = Math.exp((logits[i] - max) / temperature);
    sum += logits[i];
  }
  for (let i = 0; i < logits.length; i++) logits[i] /= sum;
}

/**
 * Reference forward pass in plain TypeScript (the ONNX graph must agree with it): per task, the
 * logits of one example, before temperature scaling.
 */
export function forwardLogits(weights: NgramBagWeights, input: BagInput): Record<string, Float64Array> {
  const result: Record<string, Float64Array> = {};
  for (const part of weights.parts) {
    const pooled = new Float64Array(part.dim);
    poolEmbedding(part, input, pooled);
    let features: Float64Array = pooled;
    if (part.hidden) {
      features = new Float64Array(part.hidden.outSize);
      denseForward(part.hidden, pooled, features, true);
    }
    for (const head of part.heads) {
      const logits = new Float64Array(head.outSize);
      denseForward(head, features, logits, false);
      result[head.task] = logits;
    }
  }
  return result;
}

/** Calibrated probabilities per task: softmax(logits / temperature). */
export function forwardProbs(
  weights: NgramBagWeights,
  input: BagInput,
  temperatures: Record<string, number> = {},
): Record<string, Float64Array> {
  const logits = forwardLogits(weights, input);
  for (const [task, values] of Object.entries(logits)) softmaxInPlace(values, temperatureOf(temperatures, task));
  return logits;
}

/**
 * A task's temperature, 1 when none is given. Own keys only: a task named `constructor` missing from a plain
 * record would read Object's member and divide every logit into NaN.
 */
export function temperatureOf(temperatures: Record<string, number>, task: string): number {
  return ownValue(temperatures, task) ?? 1;
}
