import { jensenShannon, minDriftPredictions, populationStabilityIndex, shares, smoothedReferenceShares, smoothedShares, usableShares } from './drift.js';
import { nullRecord, ownValue } from '@mailroute/model';
import type { BandQuality, DriftReport, LiveQualityInput, TaskInfo, TaskQuality } from './live-quality.js';

export const CONFIDENCE_BANDS: ReadonlyArray<readonly [number, number]> = [
  [0, 0.5],
  [0.5, 0.7],
  [0.7, 0.9],
  [0.9, 1.0000001],
];

/** What one task's figures are made of, counted in one pass over the window's emails. */
export interface TaskTally {
  predictions: number;
  notAbstained: number;
  /** Predicted labels (served names), in the order first seen. */
  counts: Map<string, number>;
  /** Feedback and predicted labels of the emails with feedback on the task, in the same order. */
  truth: string[];
  predicted: string[];
  bandPredictions: number[];
  bandJudged: number[];
  bandCorrect: number[];
}

export function newTally(): TaskTally {
  const zeros = () => CONFIDENCE_BANDS.map(() => 0);
  return { predictions: 0, notAbstained: 0, counts: new Map(), truth: [], predicted: [], bandPredictions: zeros(), bandJudged: zeros(), bandCorrect: zeros() };
}

/** Counts one prediction of the task: its label, confidence (0 when missing), abstention and feedback label, if any. */
export function tallyPrediction(tally: TaskTally, label: string, confidence: number, abstained: boolean, truth: string | undefined): void {
  tally.predictions++;
  if (!abstained) tally.notAbstained++;
  tally.counts.set(label, (tally.counts.get(label) ?? 0) + 1);
  if (truth !== undefined) {
    tally.truth.push(truth);
    tally.predicted.push(label);
  }
  for (let b = 0; b < CONFIDENCE_BANDS.length; b++) {
    if (confidence < CONFIDENCE_BANDS[b][0] || confidence >= CONFIDENCE_BANDS[b][1]) continue;
    tally.bandPredictions[b]++;
    if (truth === undefined) continue;
    tally.bandJudged[b]++;
    if (truth === label) tally.bandCorrect[b]++;
  }
}

/** Label counts as a record, in the order the labels were first seen. */
export function countsRecord(counts: ReadonlyMap<string, number>): Record<string, number> {
  const out = nullRecord<number>();
  for (const [label, n] of counts) out[label] = n;
  return out;
}

function bandName([lo, hi]: readonly [number, number]): string {
  return `${lo.toFixed(1)}-${Math.min(hi, 1).toFixed(1)}`;
}

/** The task's training label shares, when they can be a drift reference (none that is no number, one above 0). */
function trainingSharesOf(training: LiveQualityInput['training'], task: string): Record<string, number> | undefined {
  return usableShares(ownValue(training, task));
}

/**
 * Whether the previous window's predictions are needed: they are the drift reference of a task without training
 * shares only, and nothing else is made of them. With every task's shares known, a caller need not read them.
 */
export function needsPreviousWindow(tasks: readonly TaskInfo[], training: LiveQualityInput['training']): boolean {
  return tasks.some((task) => trainingSharesOf(training, task.name) === undefined);
}

/** One task's figures from its tally; `previousCounts`: its predicted labels in the previous window, when there was one. */
export function taskQuality(task: TaskInfo, tally: TaskTally, unmappable: number, input: Pick<LiveQualityInput, 'scorer' | 'training'>, previousCounts: Record<string, number> | undefined): TaskQuality {
  const judged = tally.truth.length;
  const scores = judged > 0 ? input.scorer(tally.truth, tally.predicted, task.labels) : undefined;
  const bands = CONFIDENCE_BANDS.map(
    (band, b): BandQuality => ({
      band: bandName(band),
      predictions: tally.bandPredictions[b],
      withFeedback: tally.bandJudged[b],
      accuracy: tally.bandJudged[b] > 0 ? tally.bandCorrect[b] / tally.bandJudged[b] : null,
    }),
  );
  const counts = countsRecord(tally.counts);
  // Training shares with one that is no number (NaN, negative) or none above 0 are no reference: no NaN figure.
  const trainingShares = trainingSharesOf(input.training, task.name);
  const expected = trainingShares ?? (previousCounts && shares(previousCounts));
  const reference: DriftReport['reference'] = trainingShares ? 'training' : previousCounts ? 'previous_window' : 'none';
  // A sample too small for its number of labels gives a large PSI by chance alone: not a measure of drift yet.
  const minPredictions = minDriftPredictions(new Set([...task.labels, ...Object.keys(counts)]).size);
  const previousTotal = previousCounts ? Object.values(previousCounts).reduce((a, b) => a + b, 0) : 0;
  const canDrift = tally.predictions >= minPredictions && (trainingShares !== undefined || previousTotal >= minPredictions);
  // Both sides smoothed alike over the same labels (the task's, the window's and the reference's), each label given
  // half a count more: a label one side lacks (never seen in training, missed by a sample) is not a shift of its
  // whole share, nor a zero that makes the figure infinite. The window's counts as they are; the previous window's
  // as they are; training shares as the counts of a sample the window's size.
  const labels = [...new Set([...task.labels, ...Object.keys(counts), ...Object.keys(trainingShares ?? previousCounts ?? {})])];
  const actual = smoothedShares(counts, labels);
  const against = trainingShares ? smoothedReferenceShares(trainingShares, tally.predictions, labels) : previousCounts && smoothedShares(previousCounts, labels);
  return {
    predictions: tally.predictions,
    withFeedback: judged,
    unmappable,
    accuracy: scores ? scores.accuracy : null,
    macroF1: scores ? scores.macroF1 : null,
    coverage: tally.predictions > 0 ? tally.notAbstained / tally.predictions : null,
    bands,
    drift: {
      reference,
      minPredictions,
      psi: canDrift && against ? populationStabilityIndex(actual, against, labels) : null,
      jsDivergence: canDrift && against ? jensenShannon(actual, against, labels) : null,
      predicted: shares(counts),
      expected: expected ?? null,
    },
  };
}
