import { computeTaskMetrics } from '@mailroute/evaluation';
import { forwardPart, type EncodedExample, type PartState } from './net.js';
import type { TaskSpec } from './encode.js';

export interface TaskEpochMetrics {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Logits of every example per task (in task order), from the parts' current weights. */
export function taskLogits(states: readonly PartState[], examples: readonly EncodedExample[], taskCount: number): Float64Array[][] {
  const out: Float64Array[][] = Array.from({ length: taskCount }, () => new Array<Float64Array>(examples.length));
  for (const state of states) {
    for (let i = 0; i < examples.length; i++) {
      forwardPart(state, examples[i].ids, examples[i].weights);
      state.taskIndex.forEach((t, h) => {
        out[t][i] = Float64Array.from(state.probs[h]);
      });
    }
  }
  return out;
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Mean cross-entropy of the labelled examples of one task. */
export function meanNll(logits: readonly Float64Array[], examples: readonly EncodedExample[], t: number): number {
  let total = 0;
  let n = 0;
  for (let i = 0; i < examples.length; i++) {
    const y = examples[i].labels[t];
    if (y < 0) continue;
    const z = logits[i];
    let max = -Infinity;
    for (let c = 0; c < z.length; c++) if (z[c] > max) max = z[c];
    let sum = 0;
    for (let c = 0; c < z.length; c++) sum += Math.exp(z[c] - max);
    total += Math.log(sum) - (z[y] - max);
    n++;
  }
  return n === 0 ? 0 : total / n;
}

/** Accuracy and macro precision/recall/F1 of one task over its labelled examples (scikit-learn's definitions). */
export function taskMetrics(logits: readonly Float64Array[], examples: readonly EncodedExample[], t: number, task: TaskSpec): TaskEpochMetrics {
  const truth: string[] = [];
  const predicted: string[] = [];
  for (let i = 0; i < examples.length; i++) {
    const y = examples[i].labels[t];
    if (y < 0) continue;
    truth.push(task.labels[y]);
    predicted.push(task.labels[argmax(logits[i])]);
  }
  if (truth.length === 0) return { accuracy: 0, precision: 0, recall: 0, f1: 0 };
  const metrics = computeTaskMetrics(truth, predicted);
  return { accuracy: metrics.accuracy, precision: metrics.macro.precision, recall: metrics.macro.recall, f1: metrics.macro.f1 };
}
