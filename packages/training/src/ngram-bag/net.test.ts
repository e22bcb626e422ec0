import { forwardLogits, type NgramBagPart } from '@mailroute/model';
import { describe, expect, it } from 'vitest';
import { accumulateExample, createPartState, updateEmbedding, type EncodedExample, type PartState, type TrainingLoss } from './net.js';
import { createPrng, fillUniform } from './prng.js';

function tinyPart(hidden: number, seed: number): NgramBagPart {
  const prng = createPrng(seed);
  const dim = 3;
  const buckets = 10;
  const embedding = new Float32Array(buckets * dim);
  fillUniform(embedding, 1, prng);
  const dense = (inSize: number, outSize: number) => {
    const weight = new Float32Array(inSize * outSize);
    const bias = new Float32Array(outSize);
    fillUniform(weight, 1, prng);
    fillUniform(bias, 0.5, prng);
    return { inSize, outSize, weight, bias };
  };
  const featureSize = hidden > 0 ? hidden : dim;
  return {
    buckets,
    dim,
    embedding,
    hidden: hidden > 0 ? dense(dim, hidden) : undefined,
    heads: [
      { task: 'a', ...dense(featureSize, 3) },
      { task: 'b', ...dense(featureSize, 2) },
    ],
  };
}

const classWeights = [Float64Array.of(1, 2, 0.5), Float64Array.of(1.5, 1)];

/** The loss as the definition says, from the reference forward pass in @mailroute/model. */
function referenceLoss(part: NgramBagPart, example: EncodedExample, kind: TrainingLoss = 'softmax'): number {
  const logits = forwardLogits({ parts: [part] }, { ids: example.ids, weights: example.weights });
  let loss = 0;
  ['a', 'b'].forEach((task, t) => {
    const y = example.labels[t];
    if (y < 0) return;
    const z = logits[task];
    if (kind === 'squared-hinge') {
      // One-vs-rest: the label's logit should be >= 1, every other <= -1.
      z.forEach((v, c) => (loss += (classWeights[t][y] * Math.max(0, 1 - (c === y ? v : -v)) ** 2) / 2));
      return;
    }
    const max = Math.max(...z);
    const logSum = Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
    loss += classWeights[t][y] * (logSum - z[y]);
  });
  return loss;
}

function numericGradient(part: NgramBagPart, example: EncodedExample, params: Float32Array, index: number, kind: TrainingLoss): number {
  const saved = params[index];
  const eps = kind === 'squared-hinge' ? 1e-3 : 1e-2; // the hinge's curvature jumps at the margin: a smaller step
  params[index] = saved + eps;
  const up = params[index];
  const lossUp = referenceLoss(part, example, kind);
  params[index] = saved - eps;
  const down = params[index];
  const lossDown = referenceLoss(part, example, kind);
  params[index] = saved;
  return (lossUp - lossDown) / (up - down);
}

function checkGradients(state: PartState, example: EncodedExample): number {
  const { part } = state;
  let worst = 0;
  const compare = (analytic: number, params: Float32Array, index: number) => {
    const numeric = numericGradient(part, example, params, index, state.loss);
    worst = Math.max(worst, Math.abs(analytic - numeric) / Math.max(1e-3, Math.abs(analytic) + Math.abs(numeric)));
  };
  part.heads.forEach((head, h) => {
    for (let i = 0; i < head.weight.length; i++) compare(state.gHeads[h].weight[i], head.weight, i);
    for (let i = 0; i < head.bias.length; i++) compare(state.gHeads[h].bias[i], head.bias, i);
  });
  if (part.hidden && state.gHidden) {
    for (let i = 0; i < part.hidden.weight.length; i++) compare(state.gHidden.weight[i], part.hidden.weight, i);
    for (let i = 0; i < part.hidden.bias.length; i++) compare(state.gHidden.bias[i], part.hidden.bias, i);
  }
  // Occurrence k of an id receives weights[k] * dPooled.
  const embeddingGrad = new Float64Array(part.embedding.length);
  example.ids.forEach((id, k) => {
    for (let d = 0; d < part.dim; d++) embeddingGrad[id * part.dim + d] += example.weights[k] * state.dPooled[d];
  });
  for (let i = 0; i < part.embedding.length; i++) compare(embeddingGrad[i], part.embedding, i);
  return worst;
}

describe('accumulateExample', () => {
  const example: EncodedExample = { ids: Int32Array.of(1, 4, 4, 7), weights: Float32Array.of(0.5, 0.25, 0.25, 0.7), labels: Int32Array.of(1, 0) };

  it.each([0, 4])('matches finite differences (hidden width %i)', (hidden) => {
    const state = createPartState(tinyPart(hidden, 3), [0, 1], classWeights);
    const loss = accumulateExample(state, example);
    expect(loss).toBeCloseTo(referenceLoss(state.part, example), 6);
    expect(checkGradients(state, example)).toBeLessThan(1e-3);
  });

  it.each([0, 4])('matches finite differences with the squared hinge loss (hidden width %i)', (hidden) => {
    const state = createPartState(tinyPart(hidden, 3), [0, 1], classWeights, 'squared-hinge');
    const loss = accumulateExample(state, example);
    expect(loss).toBeCloseTo(referenceLoss(state.part, example, 'squared-hinge'), 6);
    // Not the cross-entropy: the two losses differ on this example.
    expect(Math.abs(loss - referenceLoss(state.part, example))).toBeGreaterThan(1e-3);
    expect(checkGradients(state, example)).toBeLessThan(1e-3);
  });

  it('masks a missing label: its head gets no gradient and the loss leaves it out', () => {
    const masked: EncodedExample = { ...example, labels: Int32Array.of(2, -1) };
    const state = createPartState(tinyPart(4, 5), [0, 1], classWeights);
    const loss = accumulateExample(state, masked);
    expect(loss).toBeCloseTo(referenceLoss(state.part, masked), 6);
    expect(state.gHeads[1].weight.every((g) => g === 0)).toBe(true);
    expect(state.gHeads[0].weight.some((g) => g !== 0)).toBe(true);
    expect(checkGradients(state, masked)).toBeLessThan(1e-3);
    const none = createPartState(tinyPart(4, 5), [0, 1], classWeights);
    expect(accumulateExample(none, { ...example, labels: Int32Array.of(-1, -1) })).toBe(0);
    expect(none.dPooled.every((g) => g === 0)).toBe(true);
  });
});

describe('updateEmbedding', () => {
  it('moves only the touched rows, against the gradient, and lowers the loss', () => {
    const example: EncodedExample = { ids: Int32Array.of(2, 5), weights: Float32Array.of(0.5, 0.5), labels: Int32Array.of(0, 1) };
    const state = createPartState(tinyPart(0, 9), [0, 1], classWeights);
    const before = Float32Array.from(state.part.embedding);
    const loss = accumulateExample(state, example);
    updateEmbedding(state, example, 0.05, 0);
    for (let id = 0; id < state.part.buckets; id++) {
      for (let d = 0; d < state.part.dim; d++) {
        const delta = state.part.embedding[id * 3 + d] - before[id * 3 + d];
        if (id === 2 || id === 5) expect(Math.sign(delta)).toBe(-Math.sign(state.dPooled[d]));
        else expect(delta).toBe(0);
      }
    }
    expect(state.accEmbedding[2]).toBeGreaterThan(state.accEmbedding[0]);
    expect(referenceLoss(state.part, example)).toBeLessThan(loss);
  });
});
