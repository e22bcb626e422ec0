import { MANUAL_TRIAGE, nullRecord, ownValue, withSharedColumnLabels, type ClassifierTask } from '@mailroute/model';
import type { FeedbackPair, PredictionRecord } from '../store/types.js';
import { createLabelNamer, type LabelNamer, type Taxonomies } from './label-names.js';
import { countsRecord, newTally, tallyPrediction, taskQuality } from './task-tally.js';
import { ITEMS_PER_TURN, nextTurn } from './turns.js';

export { CONFIDENCE_BANDS, needsPreviousWindow } from './task-tally.js';

/**
 * A task to measure. Its `aliases` (the served model's renames and merges) apply to the predictions of a
 * model whose own taxonomy is not known; the others are compared under their own model's names.
 */
export type TaskInfo = Pick<ClassifierTask, 'name' | 'labels' | 'aliases' | 'columnSharedWith'>;

/** Accuracy and macro-F1 of one task; injected so the evaluation package's metrics can be used. */
export type TaskScorer = (truth: readonly string[], predicted: readonly string[], labels: readonly string[]) => { accuracy: number; macroF1: number };

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
  /** The window's emails answered as automated (auto-replies, bounces): left out of every other figure of this result. */
  automated: number;
  /** The window's other emails, each once: the ones measured. */
  predictions: number;
  withFeedback: number;
  /** Of the emails with feedback on a task their prediction made, the share whose every such label was confirmed unchanged. */
  unchangedShare: number | null;
  /**
   * The share of the window's emails that were routed to a queue automatically, not to manual triage (for low
   * confidence, or a predicted `other`): the evaluation report's routed share of the task that routes mail.
   */
  routedShare: number | null;
  tasks: Record<string, TaskQuality>;
}

export interface LiveQualityInput {
  pairs: readonly FeedbackPair[];
  tasks: readonly TaskInfo[];
  window: { since: string; until: string };
  /** Training label shares per task (from the model manifest), if known. */
  training?: Record<string, Record<string, number>>;
  /** Predictions of the window before, the drift reference when training shares are unknown (`needsPreviousWindow`). */
  previous?: readonly FeedbackPair[];
  scorer: TaskScorer;
  /** The tasks of the models that made the predictions, by model id: feedback is scored under each one's names. */
  taxonomies?: Taxonomies;
}

/** Created later, or in the same millisecond with the later id (ids are time-ordered): whatever order a store lists them in. */
function isNewer(a: PredictionRecord, b: PredictionRecord): boolean {
  return a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.predictionId > b.predictionId);
}

/**
 * One prediction per email: the one the feedback names, else the newest. Pairs come from a join on the
 * email id, so an email classified twice appears twice (each with the email's feedback: see `feedbackOn`).
 * Yields every `ITEMS_PER_TURN` pairs.
 */
function* dedupePairs(pairs: readonly FeedbackPair[]): Generator<void, FeedbackPair[]> {
  const byEmail = new Map<string, FeedbackPair>();
  for (let i = 0; i < pairs.length; i++) {
    if (i > 0 && i % ITEMS_PER_TURN === 0) yield;
    const pair = pairs[i];
    const key = pair.prediction.emailId;
    const seen = byEmail.get(key);
    const named = pair.feedback?.predictionId;
    if (!seen) byEmail.set(key, pair);
    else if (named !== undefined && named === pair.prediction.predictionId) byEmail.set(key, pair);
    else if (seen.feedback?.predictionId !== seen.prediction.predictionId && isNewer(pair.prediction, seen.prediction)) byEmail.set(key, pair);
  }
  return [...byEmail.values()];
}

/**
 * The pair's feedback when it judges the pair's prediction: it names that prediction, or names none (sent by
 * emailId before any prediction of the email was stored here: it joins the newest). A feedback that names another
 * prediction of the email (an older one the CRM quoted, one made before the window, another model's) was given on
 * what that prediction said, and says nothing of this one: the prediction counts as one without feedback.
 */
function feedbackOn({ prediction, feedback }: FeedbackPair): FeedbackPair['feedback'] {
  const named = feedback?.predictionId;
  return named === undefined || named === prediction.predictionId ? feedback : undefined;
}

/** The prediction's label of `task`, under the served names when the task is measured. */
function predictedLabel(prediction: PredictionRecord, task: string, measured: ReadonlySet<string>, names: LabelNamer): string | undefined {
  const raw = ownValue(prediction.labels, task);
  return raw !== undefined && measured.has(task) ? names.predicted(task, raw) : raw;
}

/**
 * The measured model's training shares under the served names, as its predictions are counted: after a rename
 * (`technical_support` to `it_support`), an earlier model's (`?model=<id>`) were compared in its own names against
 * predictions in the served ones, each side with a label the other lacked, a drift of its whole share (PSI 1.5 for
 * one renamed queue of an unchanged model). Labels that became one (a merge) are summed.
 */
function trainingUnderServedNames(training: LiveQualityInput['training'], names: LabelNamer): LiveQualityInput['training'] {
  if (training === undefined) return undefined;
  const out = nullRecord<Record<string, number>>();
  for (const [task, shares] of Object.entries(training)) {
    const renamed = nullRecord<number>();
    for (const [label, share] of Object.entries(shares)) {
      const name = names.predicted(task, label);
      renamed[name] = (ownValue(renamed, name) ?? 0) + share;
    }
    out[task] = renamed;
  }
  return out;
}

/** Predicted label counts per task (served names) of the previous window, the drift reference without training shares. */
function* previousCounts(pairs: readonly FeedbackPair[], tasks: readonly TaskInfo[], names: LabelNamer): Generator<void, Record<string, number>[]> {
  const counts = tasks.map(() => new Map<string, number>());
  for (let i = 0; i < pairs.length; i++) {
    if (i > 0 && i % ITEMS_PER_TURN === 0) yield;
    const { labels, automated } = pairs[i].prediction;
    if (automated !== undefined) continue;
    for (let t = 0; t < tasks.length; t++) {
      const raw = ownValue(labels, tasks[t].name);
      if (raw === undefined) continue;
      const label = names.predicted(tasks[t].name, raw);
      counts[t].set(label, (counts[t].get(label) ?? 0) + 1);
    }
  }
  return counts.map(countsRecord);
}

/**
 * The window's figures, counted in one pass over its emails: one prediction per email, judged by the email's
 * feedback only when that feedback refers to it (`feedbackOn`; an automated one only
 * counted: no person wrote it, so its labels and any feedback on it say nothing of the model), both sides under the
 * served names (`createLabelNamer`; a feedback label with no name is left out and counted `unmappable`, and
 * feedback with none left counts as none), then per task its predictions, coverage, bands, scored labels and
 * predicted shares. Yields where a caller may give the event loop a turn.
 */
function* liveQualitySteps(input: LiveQualityInput): Generator<void, LiveQuality> {
  const { tasks } = input;
  const names = createLabelNamer(input.taxonomies ?? new Map(), tasks);
  const measured = new Set(tasks.map((t) => t.name));
  const pairs = yield* dedupePairs(input.pairs);
  const tallies = tasks.map(newTally);
  /** The feedback labels of the pair at hand under the served names (null: unmappable). */
  const truths = new Map<string, string | null>();
  const unmappable = nullRecord<number>();
  let withFeedback = 0;
  let compared = 0;
  let unchanged = 0;
  let routed = 0;
  let automated = 0;
  for (let i = 0; i < pairs.length; i++) {
    if (i > 0 && i % ITEMS_PER_TURN === 0) yield;
    const { prediction } = pairs[i];
    const feedback = feedbackOn(pairs[i]);
    if (prediction.automated !== undefined) {
      automated++;
      continue;
    }
    if (prediction.queue !== MANUAL_TRIAGE) routed++;
    truths.clear();
    if (feedback) {
      // Of the emails with feedback on a task their prediction made: unchanged when every such label was
      // confirmed. One closed only with the label of a task its model did not have (added since) has nothing
      // to be unchanged, and is not counted.
      let kept = 0;
      let onPredicted = false;
      let same = true;
      // A task the feedback names no label of has the one of a task reading the same training column (a queue over intents).
      const labels = withSharedColumnLabels(input.taxonomies?.get(prediction.modelId) ?? tasks, feedback.labels);
      for (const task of Object.keys(labels)) {
        const sent = labels[task];
        // A task not measured: kept as sent.
        const truth = measured.has(task) ? names.truth(prediction.modelId, task, sent) : sent;
        // One taken from another task's label that this task's names do not read: no truth, rather than a wrong one.
        if (truth === null && !Object.hasOwn(feedback.labels, task)) continue;
        truths.set(task, truth);
        if (truth === null) {
          unmappable[task] = (ownValue(unmappable, task) ?? 0) + 1;
          continue;
        }
        kept++;
        const label = predictedLabel(prediction, task, measured, names);
        if (label === undefined) continue;
        onPredicted = true;
        if (label !== truth) same = false;
      }
      if (kept > 0) withFeedback++;
      if (onPredicted) compared++;
      if (onPredicted && same) unchanged++;
    }
    for (let t = 0; t < tasks.length; t++) {
      const task = tasks[t].name;
      const label = predictedLabel(prediction, task, measured, names);
      if (label === undefined) continue;
      const truth = truths.get(task) ?? undefined;
      tallyPrediction(tallies[t], label, ownValue(prediction.confidences, task) ?? 0, ownValue(prediction.abstained, task) === true, truth);
    }
  }
  const previous = input.previous ? yield* dedupePairs(input.previous) : [];
  const previousByTask = previous.length > 0 ? yield* previousCounts(previous, tasks, names) : undefined;
  const out = nullRecord<TaskQuality>();
  const reference = { scorer: input.scorer, training: trainingUnderServedNames(input.training, names) };
  for (let t = 0; t < tasks.length; t++) {
    // Each task's scorer run is a turn of its own.
    yield;
    out[tasks[t].name] = taskQuality(tasks[t], tallies[t], ownValue(unmappable, tasks[t].name) ?? 0, reference, previousByTask?.[t]);
  }
  const measuredEmails = pairs.length - automated;
  return {
    window: input.window,
    automated,
    predictions: measuredEmails,
    withFeedback,
    unchangedShare: compared > 0 ? unchanged / compared : null,
    routedShare: measuredEmails > 0 ? routed / measuredEmails : null,
    tasks: out,
  };
}

/** Live quality of a window's pairs in one synchronous run (a batch job, or a small window). */
export function computeLiveQuality(input: LiveQualityInput): LiveQuality {
  const steps = liveQualitySteps(input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Live quality as `computeLiveQuality`, giving the event loop a turn (`turn`) every `ITEMS_PER_TURN` emails
 * and between tasks, so a server answers other requests while a large window is measured.
 */
export async function computeLiveQualityInTurns(input: LiveQualityInput, turn: () => Promise<void> = nextTurn): Promise<LiveQuality> {
  const steps = liveQualitySteps(input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await turn();
  }
}
