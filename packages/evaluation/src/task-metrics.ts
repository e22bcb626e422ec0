import { z } from 'zod';
import { MetricInputError } from './errors.js';
import { uniqueLabels } from './labels.js';

export const ClassMetricsSchema = z.object({
  label: z.string(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  /** Number of examples whose true label is this one. */
  support: z.number().int(),
});
export type ClassMetrics = z.infer<typeof ClassMetricsSchema>;

export const AverageMetricsSchema = z.object({ precision: z.number(), recall: z.number(), f1: z.number() });
export type AverageMetrics = z.infer<typeof AverageMetricsSchema>;

export const ConfusionMatrixSchema = z.object({
  /** Row and column order: rows are true labels, columns predicted labels. */
  labels: z.array(z.string()),
  counts: z.array(z.array(z.number().int())),
  /** Each row divided by its sum (scikit-learn `normalize='true'`); rows without examples are 0. */
  normalized: z.array(z.array(z.number())),
});
export type ConfusionMatrix = z.infer<typeof ConfusionMatrixSchema>;

export const TaskMetricsSchema = z.object({
  /** Number of examples scored. */
  n: z.number().int(),
  accuracy: z.number(),
  /** Label order of `perClass` and of the confusion matrix. */
  labels: z.array(z.string()),
  perClass: z.array(ClassMetricsSchema),
  macro: AverageMetricsSchema,
  weighted: AverageMetricsSchema,
  micro: AverageMetricsSchema,
  /** As scikit-learn: the micro average equals accuracy (and is printed as "accuracy") unless the
   * given labels leave out a label of the data. */
  microIsAccuracy: z.boolean(),
  confusion: ConfusionMatrixSchema,
  /**
   * Labels of `perClass` that `macro` leaves out (`TaskMetricsOptions.unscored`): predicted, no example has them, and
   * the taxonomy the truths are read in retires them. Absent when the macro average is over every label of `labels`.
   */
  unscored: z.array(z.string()).optional(),
});
export type TaskMetrics = z.infer<typeof TaskMetricsSchema>;

export interface TaskMetricsOptions {
  /** Label order; default: the sorted labels of truth and predictions, as scikit-learn does. */
  labels?: readonly string[];
  /**
   * Labels the macro average leaves out when no example has them (a label the config retired that a model trained
   * before still predicts): no class of the taxonomy the truths are read in, so not one to average a model over, as
   * scikit-learn's `labels=` without them would not. They keep their row (F1 0, support 0) and their column of the
   * confusion matrix, and their predictions count as wrong (accuracy, each true label's recall). One an example has
   * is averaged in all the same.
   */
  unscored?: readonly string[];
}

/** Per-label counts over the given label order: true positives, predicted and true totals. */
export interface LabelCounts {
  tp: number[];
  predicted: number[];
  actual: number[];
}

/** 0 where the denominator is 0: scikit-learn's `zero_division=0` (and the default "warn"). */
function divide(num: number, den: number): number {
  return den === 0 ? 0 : num / den;
}

/** F1 as scikit-learn 1.2 computes it: 2PR/(P+R), 0 when P+R is 0. */
function f1Of(p: number, r: number): number {
  const den = p + r;
  return den === 0 ? 0 : (2 * p * r) / den;
}

function checkLengths(truth: readonly string[], predicted: readonly string[]): void {
  if (truth.length !== predicted.length) {
    throw new MetricInputError(`truth has ${truth.length} labels but predicted has ${predicted.length}`);
  }
}

/** Counts per label in `labels` order; examples with a label outside `labels` count nowhere for that label. */
export function labelCounts(truth: readonly string[], predicted: readonly string[], labels: readonly string[]): LabelCounts {
  checkLengths(truth, predicted);
  const index = new Map(labels.map((l, i) => [l, i]));
  const tp = new Array<number>(labels.length).fill(0);
  const pred = new Array<number>(labels.length).fill(0);
  const actual = new Array<number>(labels.length).fill(0);
  for (let i = 0; i < truth.length; i++) {
    const t = index.get(truth[i]);
    const p = index.get(predicted[i]);
    if (t !== undefined) actual[t]++;
    if (p !== undefined) pred[p]++;
    if (t !== undefined && truth[i] === predicted[i]) tp[t]++;
  }
  return { tp, predicted: pred, actual };
}

/** Share of examples whose prediction equals the truth (scikit-learn `accuracy_score`). */
export function accuracy(truth: readonly string[], predicted: readonly string[]): number {
  checkLengths(truth, predicted);
  if (truth.length === 0) throw new MetricInputError('accuracy of an empty input is undefined');
  let hits = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) hits++;
  return hits / truth.length;
}

/** scikit-learn `confusion_matrix` (rows: truth, columns: prediction); pairs outside `labels` are dropped. */
export function confusionMatrix(truth: readonly string[], predicted: readonly string[], labels?: readonly string[]): ConfusionMatrix {
  checkLengths(truth, predicted);
  const order = labels ? [...labels] : uniqueLabels(truth, predicted);
  const index = new Map(order.map((l, i) => [l, i]));
  const counts = order.map(() => new Array<number>(order.length).fill(0));
  for (let i = 0; i < truth.length; i++) {
    const t = index.get(truth[i]);
    const p = index.get(predicted[i]);
    if (t !== undefined && p !== undefined) counts[t][p]++;
  }
  const normalized = counts.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((c) => divide(c, sum));
  });
  return { labels: order, counts, normalized };
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/**
 * Averages of per-class metrics from counts, as `precision_recall_fscore_support(average=...)`; `averaged` (per
 * label, in the counts' order) says which labels the macro average is over, default every one.
 */
export function averagesFromCounts(
  counts: LabelCounts,
  averaged?: readonly boolean[],
): { perClass: AverageMetrics[]; macro: AverageMetrics; weighted: AverageMetrics; micro: AverageMetrics } {
  const { tp, predicted, actual } = counts;
  const perClass = tp.map((t, i) => {
    const precision = divide(t, predicted[i]);
    const recall = divide(t, actual[i]);
    return { precision, recall, f1: f1Of(precision, recall) };
  });
  const inMacro = perClass.filter((_, i) => averaged?.[i] ?? true);
  const n = inMacro.length;
  const mean = (key: keyof AverageMetrics): number => (n === 0 ? 0 : sum(inMacro.map((m) => m[key])) / n);
  const macro = { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') };
  const totalActual = sum(actual);
  const weightedMean = (key: keyof AverageMetrics): number =>
    totalActual === 0 ? 0 : sum(perClass.map((m, i) => m[key] * actual[i])) / totalActual;
  const weighted = { precision: weightedMean('precision'), recall: weightedMean('recall'), f1: weightedMean('f1') };
  const tpAll = sum(tp);
  const microP = divide(tpAll, sum(predicted));
  const microR = divide(tpAll, totalActual);
  const micro = { precision: microP, recall: microR, f1: f1Of(microP, microR) };
  return { perClass, macro, weighted, micro };
}

/**
 * Every metric of one task (label dimension), equal to scikit-learn's `classification_report`,
 * `confusion_matrix` and `accuracy_score` on the same input (zero_division=0).
 */
export function computeTaskMetrics(truth: readonly string[], predicted: readonly string[], options: TaskMetricsOptions = {}): TaskMetrics {
  checkLengths(truth, predicted);
  if (truth.length === 0) throw new MetricInputError('cannot compute metrics of an empty input');
  const present = uniqueLabels(truth, predicted);
  const labels = options.labels ? [...options.labels] : present;
  if (new Set(labels).size !== labels.length) throw new MetricInputError('labels must be distinct');
  const labelSet = new Set(labels);
  const counts = labelCounts(truth, predicted, labels);
  const unscored = new Set(options.unscored ?? []);
  const averaged = labels.map((l, i) => !unscored.has(l) || counts.actual[i] > 0);
  const { perClass, macro, weighted, micro } = averagesFromCounts(counts, averaged);
  const left = labels.filter((_, i) => !averaged[i]);
  return {
    n: truth.length,
    accuracy: accuracy(truth, predicted),
    labels,
    perClass: perClass.map((m, i) => ({ label: labels[i], ...m, support: counts.actual[i] })),
    macro,
    weighted,
    micro,
    microIsAccuracy: present.every((l) => labelSet.has(l)),
    confusion: confusionMatrix(truth, predicted, labels),
    ...(left.length > 0 ? { unscored: left } : {}),
  };
}

/** Macro-averaged F1 over the sorted labels of truth and predictions (scikit-learn `f1_score(average='macro')`). */
export function macroF1(truth: readonly string[], predicted: readonly string[], labels?: readonly string[]): number {
  checkLengths(truth, predicted);
  const order = labels ?? uniqueLabels(truth, predicted);
  return averagesFromCounts(labelCounts(truth, predicted, order)).macro.f1;
}
