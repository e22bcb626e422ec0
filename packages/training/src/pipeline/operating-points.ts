import { operatingPoints as scoredOperatingPoints, shortBeyondChance as shortOfTargetBeyondChance, type PredictionLine } from '@mailroute/evaluation';
import type { Classifier } from '@mailroute/model';
import type { DatasetRow } from '../data/dataset.js';
import { taskPrediction } from './predict-dataset.js';

/** Where a task answers at its own abstention threshold on the measured rows (the model card's "Where the model answers"). */
export interface OperatingPoint {
  task: string;
  threshold: number;
  /** The precision its threshold was chosen for on the validation rows. */
  target: number;
  /** Rows with a label for the task. */
  n: number;
  /** Rows it answered (for the routing task: routed to a queue). */
  answered: number;
  /** Share of the answered that are right; null when it answered none. */
  precision: number | null;
  /** Whether it routes mail (its answers are the emails routed automatically). */
  routes: boolean;
}

/**
 * Each task's operating point at the model's own thresholds on `rows`, scored by `mailroute evaluate`'s code (the
 * routing task counts an email routed only when its route is a queue), from probabilities `predictProbs` gave.
 */
export function operatingPoints(
  classifier: Classifier,
  rows: readonly DatasetRow[],
  probs: Record<string, Float32Array>,
  noText: readonly boolean[],
  targets: Readonly<Record<string, number>>,
): OperatingPoint[] {
  const manifest = classifier.manifest;
  const thresholds = Object.fromEntries(manifest.tasks.map((t) => [t.name, t.threshold]));
  const tasks = classifier.tasks.filter((task) => rows.some((row) => row.labels[task.name] !== null && row.labels[task.name] !== undefined));
  if (tasks.length === 0) return [];
  const lines: PredictionLine[] = rows.map((row, i) => ({
    id: row.id,
    truth: Object.fromEntries(tasks.map((task) => [task.name, row.labels[task.name] ?? null])),
    prediction: Object.fromEntries(
      tasks.map((task) => {
        const k = task.labels.length;
        return [task.name, taskPrediction(probs[task.name].subarray(i * k, (i + 1) * k), task.labels, thresholds[task.name] ?? 0, noText[i] ?? false)];
      }),
    ),
  }));
  // The operating points alone: the whole report would also draw a bootstrap interval per task (some 60 ms on the demo's test rows).
  return scoredOperatingPoints(lines, { tasks: tasks.map((t) => t.name), thresholds, routing: manifest.routing }).map(({ task, n, operating }) => ({
    task,
    threshold: thresholds[task] ?? 0,
    target: targets[task],
    n,
    answered: operating.routed,
    precision: operating.precision,
    routes: task === manifest.routing.queueTask,
  }));
}

/** Whether a task's precision at its threshold falls short of its target by more than chance explains (evaluation's rule, as the reports and compare judge it). */
export function shortBeyondChance(point: Pick<OperatingPoint, 'precision' | 'answered' | 'target'>): boolean {
  return shortOfTargetBeyondChance(point.precision, point.answered, point.target);
}

/** `queue routes 98.6% (790 of 801) at precision 92.9% (threshold 0.518; target 95.0%: 2.1 points short)`. */
export function operatingPointText(point: OperatingPoint): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const verb = point.routes ? 'routes' : 'answers';
  const precision = point.precision === null ? 'no precision (none answered)' : `precision ${pct(point.precision)}`;
  const short = point.precision !== null && point.precision < point.target ? `: ${((point.target - point.precision) * 100).toFixed(1)} points short` : '';
  return `${point.task} ${verb} ${pct(point.n === 0 ? 0 : point.answered / point.n)} (${point.answered} of ${point.n}) at ${precision} (threshold ${point.threshold.toFixed(3)}; target ${pct(point.target)}${short})`;
}

/**
 * The warning for a task whose precision at its threshold falls short of its target on the measured rows by more than
 * chance explains: the threshold was chosen on validation rows that were too few or unlike these.
 */
export function shortOfTargetWarning(point: OperatingPoint, validRows: number, split: 'test' | 'valid'): string {
  const rows = split === 'test' ? 'test rows' : 'validation rows';
  return `${point.task}: at its threshold ${point.threshold.toFixed(3)} its precision on the ${point.answered} ${rows} it ${point.routes ? 'routes' : 'answers'} is ${(100 * (point.precision ?? 0)).toFixed(1)}%, under its target ${(100 * point.target).toFixed(1)}% by more than chance explains: the threshold was chosen on ${validRows} validation row(s), too few or unlike these; expect the lower precision on new mail, or give more validation rows (split.validShare) or a higher targetPrecision for this task`;
}
