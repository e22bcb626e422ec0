import type { ClassifierTask } from '@mailroute/model';
import type { FeedbackPair, PredictionRecord } from '../store/types.js';
import { jensenShannon, minDriftPredictions, populationStabilityIndex, shares, smoothedShares } from './drift.js';
import { underPredictingNames, type Taxonomies } from './label-names.js';

/**
 * A task to measure. Its `aliases` (the served model's renames and merges) apply to the predictions of a
 * model whose own taxonomy is not known; the others are compared under their own model's names.
 */
export type TaskInfo = Pick<ClassifierTask, 'name' | 'labels' | 'aliases'>;

/** Accuracy and macro-F1 of one task; injected so the evaluation package's metrics can be used. */
export type TaskScorer = (truth: readonly string[], predicted: readonly string[], labels: readonly string[]) => { accuracy: number; macroF1: number };

export const CONFIDENCE_BANDS: ReadonlyArray<readonly [number, number]> = [
  [0, 0.5],
  [0.5, 0.7],
  [0.7, 0.9],
  [0.9, 1.0000001],
];

export interface BandQuality {
  band: string;
  predictions: number;
  withFeedback: number;
  accuracy: number | null;
}

export interface DriftReport {
  reference: 'training' | 'previous_window' | 'none';
  /** Predictions of the task a drift figure needs (it depends on the number of labels); psi is null below. */
  minPredictions: number;
  psi: number | null;
  jsDivergence: number | null;
  predicted: Record<string, number>;
  expected: Record<string, number> | null;
}

export interface TaskQuality {
  predictions: number;
  withFeedback: number;
  /** Feedback labels with no name in the taxonomy of the model that made the prediction: not scored. */
  unmappable: number;
  accuracy: number | null;
  macroF1: number | null;
  coverage: number | null;
  bands: BandQuality[];
  drift: DriftReport;
}

export interface LiveQuality {
  window: { since: string; until: string };
  predictions: number;
  withFeedback: number;
  /** Of the emails with feedback on a task their prediction made, the share whose every such label was confirmed unchanged. */
  unchangedShare: number | null;
  tasks: Record<string, TaskQuality>;
}

export interface LiveQualityInput {
  pairs: readonly FeedbackPair[];
  tasks: readonly TaskInfo[];
  window: { since: string; until: string };
  /** Training label shares per task (from the model manifest), if known. */
  training?: Record<string, Record<string, number>>;
  /** Predictions of the window before, the drift reference when training shares are unknown. */
  previous?: readonly FeedbackPair[];
  scorer: TaskScorer;
  /** The tasks of the models that made the predictions, by model id: feedback is scored under each one's names. */
  taxonomies?: Taxonomies;
}

/**
 * One prediction per email: the one the feedback names, else the newest. Pairs come from a join on the
 * email id, so an email classified twice appears twice.
 */
/** Created later, or in the same millisecond with the later id (ids are time-ordered): whatever order a store lists them in. */
function isNewer(a: PredictionRecord, b: PredictionRecord): boolean {
  return a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.predictionId > b.predictionId);
}

export function dedupePairs(pairs: readonly FeedbackPair[]): FeedbackPair[] {
  const byEmail = new Map<string, FeedbackPair>();
  for (const pair of pairs) {
    const key = pair.prediction.emailId;
    const seen = byEmail.get(key);
    const named = pair.feedback?.predictionId;
    if (!seen) byEmail.set(key, pair);
    else if (named !== undefined && named === pair.prediction.predictionId) byEmail.set(key, pair);
    else if (seen.feedback?.predictionId !== seen.prediction.predictionId && isNewer(pair.prediction, seen.prediction)) byEmail.set(key, pair);
  }
  return [...byEmail.values()];
}

function predictedCounts(preds: readonly PredictionRecord[], task: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of preds) {
    const label = p.labels[task];
    if (label !== undefined) counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}

function bandName([lo, hi]: readonly [number, number]): string {
  return `${lo.toFixed(1)}-${Math.min(hi, 1).toFixed(1)}`;
}

export function computeLiveQuality(input: LiveQualityInput): LiveQuality {
  const taxonomies: Taxonomies = input.taxonomies ?? new Map();
  const { pairs, unmappable } = underPredictingNames(dedupePairs(input.pairs), taxonomies, input.tasks);
  const previous = input.previous ? underPredictingNames(dedupePairs(input.previous), taxonomies, input.tasks).pairs.map((p) => p.prediction) : [];
  const withFeedback = pairs.filter((p) => p.feedback !== undefined);
  const tasks: Record<string, TaskQuality> = {};
  for (const task of input.tasks) {
    const preds = pairs.filter((p) => p.prediction.labels[task.name] !== undefined);
    const judged = preds.filter((p) => p.feedback?.labels[task.name] !== undefined);
    const truth = judged.map((p) => p.feedback?.labels[task.name] ?? '');
    const predicted = judged.map((p) => p.prediction.labels[task.name]);
    const scores = judged.length > 0 ? input.scorer(truth, predicted, task.labels) : undefined;
    const notAbstained = preds.filter((p) => p.prediction.abstained[task.name] !== true).length;
    const bands = CONFIDENCE_BANDS.map((band): BandQuality => {
      const inBand = preds.filter((p) => {
        const c = p.prediction.confidences[task.name] ?? 0;
        return c >= band[0] && c < band[1];
      });
      const j = inBand.filter((p) => p.feedback?.labels[task.name] !== undefined);
      const correct = j.filter((p) => p.feedback?.labels[task.name] === p.prediction.labels[task.name]).length;
      return { band: bandName(band), predictions: inBand.length, withFeedback: j.length, accuracy: j.length > 0 ? correct / j.length : null };
    });
    const counts = predictedCounts(preds.map((p) => p.prediction), task.name);
    const trainingShares = input.training?.[task.name];
    const previousCounts = previous.length > 0 ? predictedCounts(previous, task.name) : undefined;
    const expected = trainingShares ?? (previousCounts && shares(previousCounts));
    const reference: DriftReport['reference'] = trainingShares ? 'training' : previousCounts ? 'previous_window' : 'none';
    // A sample too small for its number of labels gives a large PSI by chance alone: not a measure of drift yet.
    // Measured on smoothed shares (a label a sample misses is not a shift of its whole share); a previous
    // window is a sample too, and is smoothed alike. Training shares come from the whole training set.
    const minPredictions = minDriftPredictions(new Set([...task.labels, ...Object.keys(counts)]).size);
    const previousTotal = previousCounts ? Object.values(previousCounts).reduce((a, b) => a + b, 0) : 0;
    const canDrift = preds.length >= minPredictions && (trainingShares !== undefined || previousTotal >= minPredictions);
    const actual = smoothedShares(counts, task.labels);
    const against = trainingShares ?? (previousCounts && smoothedShares(previousCounts, task.labels));
    tasks[task.name] = {
      predictions: preds.length,
      withFeedback: judged.length,
      unmappable: unmappable[task.name] ?? 0,
      accuracy: scores ? scores.accuracy : null,
      macroF1: scores ? scores.macroF1 : null,
      coverage: preds.length > 0 ? notAbstained / preds.length : null,
      bands,
      drift: {
        reference,
        minPredictions,
        psi: canDrift && against ? populationStabilityIndex(actual, against, task.labels) : null,
        jsDivergence: canDrift && against ? jensenShannon(actual, against, task.labels) : null,
        predicted: shares(counts),
        expected: expected ?? null,
      },
    };
  }
  // Measured on the emails whose feedback confirms a task their prediction made: one closed only with the label
  // of a task its model did not have (added since) has nothing to be unchanged, and is not counted unchanged.
  const compared = withFeedback.filter((p) => Object.keys(p.feedback?.labels ?? {}).some((task) => p.prediction.labels[task] !== undefined));
  const unchanged = compared.filter((p) =>
    Object.entries(p.feedback?.labels ?? {}).every(([task, label]) => p.prediction.labels[task] === undefined || p.prediction.labels[task] === label),
  ).length;
  return {
    window: input.window,
    predictions: pairs.length,
    withFeedback: withFeedback.length,
    unchangedShare: compared.length > 0 ? unchanged / compared.length : null,
    tasks,
  };
}
