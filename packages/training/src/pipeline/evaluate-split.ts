import { computeTaskMetrics } from '@mailroute/evaluation';
import { ArtifactError, type Classifier, type ModelInput } from '@mailroute/model';
import type { DatasetRow } from '../data/dataset.js';

export type OnProgress = (done: number, total: number, label?: string) => void;

/** Probabilities of every row from a loaded classifier, in batches, reporting progress. */
export async function predictProbs(
  classifier: Classifier,
  inputs: readonly ModelInput[],
  onProgress?: OnProgress,
  batchSize = 2048,
  /** Filled with each input's flag: the model read no text in it (`PreparedPrediction.noText`). */
  noText?: boolean[],
): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  for (const task of classifier.tasks) out[task.name] = new Float32Array(inputs.length * task.labels.length);
  for (let start = 0; start < inputs.length; start += batchSize) {
    const batch = inputs.slice(start, start + batchSize);
    const { probs, noText: empty } = await classifier.predictPrepared(batch);
    noText?.push(...empty);
    for (const task of classifier.tasks) {
      const bad = probs[task.name].findIndex((p) => !Number.isFinite(p));
      if (bad >= 0) throw notFiniteError(classifier, task.name, probs[task.name][bad], start + Math.floor(bad / task.labels.length));
      out[task.name].set(probs[task.name], start * task.labels.length);
    }
    onProgress?.(Math.min(inputs.length, start + batchSize), inputs.length, 'predict');
  }
  return out;
}

/**
 * A probability that is no number: the model's weights are not finite. Its predictions can be neither scored
 * nor written (JSON has no NaN), so predict, evaluate, compare and training's test split stop here, naming it.
 */
function notFiniteError(classifier: Classifier, task: string, value: number, row: number): ArtifactError {
  return new ArtifactError(
    'ARTIFACT_NOT_FINITE',
    `model ${classifier.modelId} gives task ${task} a probability of ${value} for email ${row + 1}: its weights are not finite numbers (a damaged model.onnx, or a training that diverged); retrain it or use another version`,
  );
}

export function argmaxLabel(probs: Float32Array, row: number, labels: readonly string[]): string {
  const k = labels.length;
  let best = 0;
  for (let c = 1; c < k; c++) if (probs[row * k + c] > probs[row * k + best]) best = c;
  return labels[best];
}

/**
 * Headline metrics of predictions against the rows' labels (rows without a label for a task are
 * skipped for it): `<task>.accuracy`, `<task>.macro_f1`, `<task>.weighted_f1`, `<task>.support`, and
 * their means over tasks. A task no row has a label for is not measured: it has none of these, and the means are
 * over the other tasks (`measuredTasks` tells which).
 */
export function headlineFromProbs(
  tasks: ReadonlyArray<{ name: string; labels: readonly string[] }>,
  rows: readonly DatasetRow[],
  probs: Record<string, Float32Array>,
): Record<string, number> {
  const metrics: Record<string, number> = {};
  let accSum = 0;
  let f1Sum = 0;
  let n = 0;
  for (const task of tasks) {
    const truth: string[] = [];
    const predicted: string[] = [];
    rows.forEach((row, i) => {
      const label = row.labels[task.name];
      if (label === null || label === undefined) return;
      truth.push(label);
      predicted.push(argmaxLabel(probs[task.name], i, task.labels));
    });
    if (truth.length === 0) continue;
    const m = computeTaskMetrics(truth, predicted);
    metrics[`${task.name}.accuracy`] = m.accuracy;
    metrics[`${task.name}.macro_f1`] = m.macro.f1;
    metrics[`${task.name}.weighted_f1`] = m.weighted.f1;
    metrics[`${task.name}.support`] = truth.length;
    accSum += m.accuracy;
    f1Sum += m.macro.f1;
    n++;
  }
  if (n > 0) {
    metrics.mean_accuracy = accSum / n;
    metrics.mean_macro_f1 = f1Sum / n;
  }
  return metrics;
}

/**
 * The tasks of `tasks` that `metrics` (from `headlineFromProbs`, as a registry version keeps them) has figures for,
 * in order: the tasks its means are over. A task whose rows had no label for it is not among them.
 */
export function measuredTasks(tasks: readonly string[], metrics: Readonly<Record<string, number>>): string[] {
  return tasks.filter((t) => typeof metrics[`${t}.macro_f1`] === 'number');
}
