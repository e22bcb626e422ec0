import { CATCH_ALL_LABEL, ownValue, trainedLanguages, TRAINED_LANGUAGE_ROWS, TRAINED_LANGUAGE_SHARE } from '@mailroute/model';
import { DETECTED_LANGUAGES } from '@mailroute/preprocess';
import { z } from 'zod';
import type { ReportRouting } from './coverage-words.js';
import { MetricInputError } from './errors.js';
import { uniqueLabels } from './labels.js';
import { AUTOMATED_MAIL, confidenceOf, predictedTasksOf, repeatedIds, SEEN_IN_TRAINING, tasksOf, type PredictionLine } from './prediction-line.js';
import { calibration, CalibrationSchema, coverageCurve, CoverageCurveSchema, topKAccuracy } from './scores.js';
import { computeTaskMetrics, TaskMetricsSchema, type TaskMetrics, type TaskMetricsOptions } from './task-metrics.js';
import { bootstrapScores } from './compare.js';
import { percentile } from './stats.js';
import { pyFixed } from './python-format.js';

export const ConfusedPairSchema = z.object({
  truth: z.string(),
  predicted: z.string(),
  count: z.number().int(),
  /** Share of the true label's examples that went to `predicted`. */
  shareOfTruth: z.number(),
});
export type ConfusedPair = z.infer<typeof ConfusedPairSchema>;

export const SliceSchema = z.object({
  key: z.string(),
  values: z.array(
    z.object({ value: z.string(), n: z.number().int(), accuracy: z.number(), macroF1: z.number(), weightedF1: z.number() }),
  ),
});
export type Slice = z.infer<typeof SliceSchema>;

export const TaskReportSchema = z.object({
  task: z.string(),
  metrics: TaskMetricsSchema,
  /** Lines without a truth label for this task, and lines with a truth label but no prediction. */
  skipped: z.object({ noTruth: z.number().int(), noPrediction: z.number().int() }),
  topK: z.array(z.object({ k: z.number().int(), accuracy: z.number() })),
  calibration: CalibrationSchema.nullable(),
  coverage: CoverageCurveSchema.nullable(),
  confusedPairs: z.array(ConfusedPairSchema),
  slices: z.array(SliceSchema),
  /** Labels the model gave scores for that no test line has as its truth: untested (absent without scores). */
  untested: z.array(z.string()).optional(),
  /**
   * A bootstrap interval of the task's macro-F1 on these emails (percentiles of `level`, over `resamples` resamples of
   * the emails): how much the figure would move on another draw of as many emails.
   */
  macroF1Interval: z.object({ lo: z.number(), hi: z.number(), level: z.number(), resamples: z.number().int() }).optional(),
  /**
   * The floor the figures stand on: what always answering the task's most common true label on these emails scores
   * (`label`, which `count` of them have; a tie goes to the first label in sorted order), as scikit-learn's
   * `DummyClassifier(strategy="most_frequent")` would, its macro-F1 averaged over the labels the model's figure is.
   */
  majority: z.object({ label: z.string(), count: z.number().int(), accuracy: z.number(), macroF1: z.number() }).optional(),
  /**
   * The precision this task's abstention threshold was chosen for, when the targets were given per task (a task's own
   * `targetPrecision` in the training config): the reports say when it falls short of it. Absent: the report's
   * `targetPrecision`, every task's, is its target.
   */
  targetPrecision: z.number().min(0).max(1).optional(),
  /**
   * Where the model operates: the lines it did not abstain on (its own threshold, from each line's
   * `abstained`), their share and precision, and the threshold when the model's manifest was at hand.
   * Absent when the lines do not say whether they abstained.
   */
  operating: z
    .object({
      routed: z.number().int(),
      coverage: z.number(),
      precision: z.number().nullable(),
      threshold: z.number().optional(),
      /**
       * The routing task's only (the report's `routing.queueTask`): why the emails not routed go to manual triage,
       * as the model's route says it: low confidence (the task, or an `abstainTasks` task, abstained), or no queue
       * (the catch-all `other` predicted). `routed` then counts only emails routed to a queue.
       */
      manualTriage: z.object({ lowConfidence: z.number().int(), noQueue: z.number().int() }).optional(),
      /**
       * The routing task's only: per queue, the emails routed to it automatically and how many of them belong there
       * (the rest are misrouted: they reach the wrong team with no person looking first), worst precision first.
       */
      byQueue: z.array(z.object({ queue: z.string(), routed: z.number().int(), right: z.number().int() })).optional(),
    })
    .optional(),
});
export type TaskReport = z.infer<typeof TaskReportSchema>;

/** The meta key of a line's language: `mailroute predict` records there the language cleaning detected in the email's text. */
export const LANGUAGE_META = 'language';


/** The detector's answer for a text that tells too little: no language, so never one a model is "not trained on" (as serving). */
export const UNDETERMINED_LANGUAGE = 'und';

/**
 * Mail in languages the model was not trained on is warned of from this share of the emails on: about a point or
 * more of every average then comes from mail the model cannot read. Fewer are marked in the By language tables only.
 */
export const UNTRAINED_LANGUAGE_WARN_SHARE = 0.05;

/**
 * The languages of the emails (`meta.language`, as predicting detected them from each email's text: not a column of
 * the data) against those the model was trained on (its manifest's `training.languages`, the rule serving warns by).
 */
export const LanguagesSchema = z.object({
  /** The meta key the languages were read from (`language`), the By language tables' key. */
  key: z.string(),
  /** The languages the detector tells apart; mail in another is counted under the nearest of them, or as `und`. */
  detectable: z.array(z.string()),
  /** Emails per language, most first (every line with a language, with a truth label or not). */
  emails: z.record(z.string(), z.number().int()),
  /** The model's training emails per language (its manifest's `training.languages`); absent when not known. */
  trainingEmails: z.record(z.string(), z.number()).optional(),
  /**
   * The languages the model was trained on: at least 1% and 10 of its training emails each, `und` never, as serving
   * decides which email to warn of (`trainedLanguages`). Absent when not known.
   */
  trainedOn: z.array(z.string()).optional(),
  /** The emails in languages the model was not trained on (`und` is none), per language, most first; with `trainedOn`. */
  untrained: z.array(z.object({ language: z.string(), n: z.number().int(), share: z.number(), trainingEmails: z.number() })).optional(),
  /**
   * Each task's figures on the emails in the languages the model was trained on alone (with `untrained` emails only):
   * how it does on the mail it was made for.
   */
  trainedOnly: z.array(z.object({ task: z.string(), n: z.number().int(), accuracy: z.number(), macroF1: z.number() })).optional(),
});
export type Languages = z.infer<typeof LanguagesSchema>;

export const EvaluationReportSchema = z.object({
  schemaVersion: z.literal(1),
  modelId: z.string().optional(),
  dataset: z.string().optional(),
  createdAt: z.string().optional(),
  /** Number of prediction lines read. */
  lines: z.number().int(),
  /** Share of lines with every truth-labelled task predicted right (lines with at least one task). */
  exactMatch: z.number(),
  tasks: z.array(TaskReportSchema),
  /**
   * What the person reading the figures must know first: of the rows (they were the model's training data), and
   * of the lines (a predicted task no line has a truth label for, ids that lines repeat, labelled lines unpredicted).
   */
  warnings: z.array(z.string()).optional(),
  /**
   * The model's routing (its manifest's `routing`): which task routes mail, and whose abstention sends it to
   * manual triage. The reports say only of `queueTask` that it routes; absent (a predictions file), of none.
   */
  routing: z.object({ queueTask: z.string(), abstainTasks: z.array(z.string()).optional() }).optional(),
  /**
   * The precision the model's abstention thresholds were chosen for, when it is every task's (its config's
   * `targetPrecision`): the reports say when a task falls short of it. A task's own (`tasks[].targetPrecision`) wins.
   */
  targetPrecision: z.number().min(0).max(1).optional(),
  /**
   * `task: old -> new`: the model's labels that the config the data was read with names otherwise (its aliases: a
   * model trained before a rename, read with the newer config), scored under the new names. Absent when none are.
   */
  renamedLabels: z.array(z.string()).optional(),
  /** The emails' languages, as detected from their text, and those the model was trained on; absent when no line has one. */
  languages: LanguagesSchema.optional(),
});
export type EvaluationReport = z.infer<typeof EvaluationReportSchema>;

/** The precision a task's threshold was chosen for: its own, else the report's (every task's); undefined when neither is known. */
export function taskTargetPrecision(report: Pick<EvaluationReport, 'targetPrecision'>, task: Pick<TaskReport, 'targetPrecision'>): number | undefined {
  return task.targetPrecision ?? report.targetPrecision;
}

/** The precision the abstention thresholds were chosen for: one for every task, or per task. */
export type TargetPrecision = number | Readonly<Record<string, number>>;

/** The precision `task`'s threshold was chosen for: every task's, or its own in a record of them; undefined when a record leaves it out. */
export function targetFor(target: TargetPrecision | undefined, task: string): number | undefined {
  return typeof target === 'number' ? target : ownValue(target, task);
}

export interface EvaluateOptions {
  modelId?: string;
  dataset?: string;
  createdAt?: string;
  /** Label order per task (e.g. the model manifest's); default: sorted labels of the data, as scikit-learn. */
  labels?: Record<string, readonly string[]>;
  /** Tasks to evaluate; default: every task with a truth label somewhere. */
  tasks?: readonly string[];
  /** k values for top-k accuracy; only those below the number of labels are reported. Default [3, 5]. */
  topK?: readonly number[];
  /** Reliability diagram bins. Default 10. */
  bins?: number;
  /** Meta keys to slice by; default: every meta key with 2 to 30 distinct string values. */
  sliceBy?: readonly string[];
  /** Most-confused pairs to keep per task. Default 15. */
  confusedPairs?: number;
  /** Each task's abstention threshold (the model manifest's), said beside its operating point. */
  thresholds?: Readonly<Record<string, number>>;
  /**
   * Warnings from predicting (training data, unknown labels, skipped rows): at the head of every report form,
   * followed by what the lines themselves call for (`linesWarnings`).
   */
  warnings?: readonly string[];
  /** The model manifest's `routing`: the reports say of its queue task alone that it routes mail. */
  routing?: ReportRouting;
  /**
   * The precision its thresholds were chosen for: one for every task (the training config's `targetPrecision`), or per
   * task (a task's own `tasks[].targetPrecision`, else the run's); a task a record leaves out has none.
   */
  targetPrecision?: TargetPrecision;
  /**
   * Per task, the labels the taxonomy the truths were read in retires (the training config's `retired`): no email can
   * have one, so a model trained before that still predicts it is not averaged over it (`TaskMetricsOptions.unscored`),
   * as compare leaves out of both models' macro-F1 a label only one of them knows.
   */
  retired?: Readonly<Record<string, readonly string[]>>;
  /** `task: old -> new`: the model's labels scored under the names of the config the data was read with; kept in the report. */
  renamedLabels?: readonly string[];
  /**
   * The model's training emails per language (its manifest's `training.languages`): the reports mark the languages it
   * was not trained on and warn when a notable share of the emails is in them.
   */
  trainingLanguages?: Readonly<Record<string, number>>;
  onProgress?: (done: number, total: number, label?: string) => void;
}

/** The most frequent off-diagonal cells of a confusion matrix, most frequent first. */
export function mostConfusedPairs(metrics: TaskMetrics, limit = 15): ConfusedPair[] {
  const pairs: ConfusedPair[] = [];
  const { labels, counts } = metrics.confusion;
  counts.forEach((row, i) => {
    const rowSum = row.reduce((a, b) => a + b, 0);
    row.forEach((c, j) => {
      if (i !== j && c > 0) pairs.push({ truth: labels[i], predicted: labels[j], count: c, shareOfTruth: c / rowSum });
    });
  });
  return pairs.sort((a, b) => b.count - a.count || b.shareOfTruth - a.shareOfTruth).slice(0, limit);
}

/** The slice value of emails whose metadata lacks the key. */
export const MISSING_META_VALUE = '(missing)';

function metaValue(v: unknown): string {
  return v === null || v === undefined ? MISSING_META_VALUE : String(v);
}

function autoSliceKeys(lines: readonly PredictionLine[]): string[] {
  const values = new Map<string, Set<string>>();
  for (const l of lines) {
    for (const [k, v] of Object.entries(l.meta ?? {})) {
      // The seen flag is said in a warning, not sliced by; automated mail is left out before.
      if ((typeof v !== 'string' && typeof v !== 'boolean') || k === SEEN_IN_TRAINING || k === AUTOMATED_MAIL) continue;
      const set = values.get(k) ?? new Set<string>();
      set.add(String(v));
      values.set(k, set);
    }
  }
  return [...values].filter(([, set]) => set.size >= 2 && set.size <= 30).map(([k]) => k);
}

function slicesOf(rows: ReadonlyArray<{ line: PredictionLine; truth: string; predicted: string }>, keys: readonly string[], unscored: readonly string[]): Slice[] {
  return keys.map((key) => {
    const groups = new Map<string, { truth: string[]; predicted: string[] }>();
    for (const r of rows) {
      const value = metaValue(r.line.meta?.[key]);
      const g = groups.get(value) ?? { truth: [], predicted: [] };
      g.truth.push(r.truth);
      g.predicted.push(r.predicted);
      groups.set(value, g);
    }
    const values = [...groups]
      .map(([value, g]) => {
        const m = computeTaskMetrics(g.truth, g.predicted, { unscored });
        return { value, n: m.n, accuracy: m.accuracy, macroF1: m.macro.f1, weightedF1: m.weighted.f1 };
      })
      .sort((a, b) => b.n - a.n || (a.value < b.value ? -1 : 1));
    return { key, values: inTimeOrder(values) ?? values };
  });
}

/** A period's value: a year, month, day, quarter or ISO week (`2026`, `2026-11`, `2026-11-03`, `2026-Q4`, `2026-W45`). */
const PERIOD = /^\d{4}(?:-(?:\d{2}(?:-\d{2})?|Q[1-4]|W\d{2}))?$/;

/**
 * A slice by time (`closedMonth`: every value a period of one form, `2026-11`) in time order, the lines without one
 * last: a reader follows months along, and by count 2026-11, 2026-12, 2026-03 hides a trend. Undefined for any other
 * slice, which stays in its order (most examples first).
 */
function inTimeOrder<T extends { value: string }>(values: readonly T[]): T[] | undefined {
  const periods = values.filter((v) => v.value !== MISSING_META_VALUE);
  const form = (value: string) => value.replace(/\d/g, '0');
  if (periods.length < 2 || !periods.every((v) => PERIOD.test(v.value) && form(v.value) === form(periods[0].value))) return undefined;
  const missing = values.filter((v) => v.value === MISSING_META_VALUE);
  return [...periods].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)).concat(missing);
}

function operatingPoint(routed: number, right: number, n: number, threshold: number | undefined): NonNullable<TaskReport['operating']> {
  return { routed, coverage: routed / n, precision: routed > 0 ? right / routed : null, ...(threshold !== undefined ? { threshold } : {}) };
}

type Row = { line: PredictionLine; truth: string; predicted: string };

/**
 * For the routing task: why each email would go to manual triage rather than to its queue, as the model's route
 * decides it (`routeFromPredictions`): `low` when the task or another task the routing watches abstained, `noQueue`
 * when it predicts the catch-all `other`; undefined when it is routed to a queue. Without `ownAbstention` the task's
 * own abstention is left out: the coverage curve sweeps its threshold.
 */
function triageReason(r: Row, task: string, routing: ReportRouting, ownAbstention: boolean): 'low' | 'noQueue' | undefined {
  const watched = (routing.abstainTasks ?? [task]).filter((t) => t !== task);
  if ((ownAbstention && r.line.prediction[task].abstained === true) || watched.some((t) => r.line.prediction[t]?.abstained === true)) return 'low';
  return r.predicted === CATCH_ALL_LABEL ? 'noQueue' : undefined;
}

/** The routing task's operating point: only emails routed to a queue count as routed, the others by why they are not. */
function routingOperatingPoint(rows: readonly Row[], task: string, routing: ReportRouting, threshold: number | undefined): NonNullable<TaskReport['operating']> {
  let lowConfidence = 0;
  let noQueue = 0;
  let right = 0;
  const queues = new Map<string, { routed: number; right: number }>();
  for (const r of rows) {
    const why = triageReason(r, task, routing, true);
    if (why === 'low') lowConfidence++;
    else if (why === 'noQueue') noQueue++;
    else {
      const q = queues.get(r.predicted) ?? { routed: 0, right: 0 };
      q.routed++;
      if (r.truth === r.predicted) {
        right++;
        q.right++;
      }
      queues.set(r.predicted, q);
    }
  }
  const routed = rows.length - lowConfidence - noQueue;
  const byQueue = [...queues].map(([queue, q]) => ({ queue, ...q })).sort((a, b) => a.right / a.routed - b.right / b.routed || b.routed - a.routed || (a.queue < b.queue ? -1 : 1));
  return { ...operatingPoint(routed, right, rows.length, threshold), manualTriage: { lowConfidence, noQueue }, byQueue };
}

/** The lines that have both a truth and a prediction for `task`, and how many lack either. */
function taskRows(lines: readonly PredictionLine[], task: string): { rows: Row[]; noTruth: number; noPrediction: number } {
  const rows: Row[] = [];
  let noTruth = 0;
  let noPrediction = 0;
  for (const line of lines) {
    const truth = line.truth[task];
    if (truth === undefined || truth === null) {
      noTruth++;
      continue;
    }
    const p = line.prediction[task];
    if (!p) {
      noPrediction++;
      continue;
    }
    rows.push({ line, truth, predicted: p.label });
  }
  return { rows, noTruth, noPrediction };
}

/**
 * Where a task answers at its own threshold: its routed share and their precision (the routing task: emails routed
 * to a queue); undefined when the lines do not say whether it abstained.
 */
function operatingOf(rows: readonly Row[], task: string, options: Pick<EvaluateOptions, 'routing' | 'thresholds'>): TaskReport['operating'] {
  if (!rows.every((r) => r.line.prediction[task].abstained !== undefined)) return undefined;
  const threshold = ownValue(options.thresholds, task);
  if (options.routing?.queueTask === task) return routingOperatingPoint(rows, task, options.routing, threshold);
  const routed = rows.filter((r) => r.line.prediction[task].abstained === false);
  return operatingPoint(routed.length, routed.filter((r) => r.truth === r.predicted).length, rows.length, threshold);
}

/**
 * Each task's operating point alone (`TaskReport.operating`, over its `n` lines with a truth), as `evaluatePredictions`
 * gives it, without the rest of the report (its bootstrap interval above all): for training's line on its test rows.
 * A task no line has both a truth and a prediction for is left out.
 */
export function operatingPoints(
  lines: readonly PredictionLine[],
  options: Pick<EvaluateOptions, 'routing' | 'thresholds'> & { tasks: readonly string[] },
): Array<{ task: string; n: number; operating: NonNullable<TaskReport['operating']> }> {
  return options.tasks.flatMap((task) => {
    const { rows } = taskRows(lines, task);
    const operating = rows.length === 0 ? undefined : operatingOf(rows, task, options);
    return operating === undefined ? [] : [{ task, n: rows.length, operating }];
  });
}

function evaluateTask(lines: readonly PredictionLine[], task: string, options: EvaluateOptions, sliceKeys: readonly string[]): TaskReport {
  const { rows, noTruth, noPrediction } = taskRows(lines, task);
  if (rows.length === 0) {
    const labelled = lines.length - noTruth;
    throw new MetricInputError(`task ${task}: no line has both a truth label and a prediction (${labelled} line${labelled === 1 ? ' has' : 's have'} a label of it, none a prediction of it)`);
  }
  const truth = rows.map((r) => r.truth);
  const predicted = rows.map((r) => r.predicted);
  const labels = ownValue(options.labels, task);
  const unscored = ownValue(options.retired, task) ?? [];
  const metrics = computeTaskMetrics(truth, predicted, { ...(labels ? { labels } : {}), unscored });

  const withScores = rows.filter((r) => r.line.prediction[task].scores !== undefined);
  const scored = new Set<string>();
  for (const r of withScores) for (const label of Object.keys(r.line.prediction[task].scores ?? {})) scored.add(label);
  // Ranked among every label the model scores (as scikit-learn's top_k_accuracy_score over the score
  // columns), not only those the test set holds: a label it never meets still outranks the truth. The columns are
  // sorted, as scikit-learn requires of them: on a tie the later one ranks first, so their order decides ties.
  const ranked = uniqueLabels(metrics.labels, [...scored]);
  const topK =
    withScores.length === rows.length
      ? (options.topK ?? [3, 5])
          .filter((k) => k < ranked.length)
          .map((k) => ({ k, accuracy: topKAccuracy(truth, rows.map((r) => r.line.prediction[task].scores ?? {}), k, ranked) }))
      : [];

  const truthSet = new Set(truth);
  const untested = [...scored].filter((l) => !truthSet.has(l)).sort();

  const confident = rows
    .map((r) => ({ c: confidenceOf(r.line.prediction[task]), ok: r.truth === r.predicted }))
    .filter((x): x is { c: number; ok: boolean } => x.c !== undefined);
  const hasConfidence = confident.length === rows.length;
  const conf = confident.map((x) => x.c);
  const ok = confident.map((x) => x.ok);
  // The task that routes mail routes only what has a queue to go to: `other`, or another watched task's abstention, is manual triage at any threshold.
  const routing = options.routing?.queueTask === task ? options.routing : undefined;
  const eligible = routing ? rows.map((r) => triageReason(r, task, routing, false) === undefined) : undefined;
  const target = typeof options.targetPrecision === 'object' ? ownValue(options.targetPrecision, task) : undefined;
  const operating = operatingOf(rows, task, options);
  return {
    task,
    metrics,
    skipped: { noTruth, noPrediction },
    topK,
    calibration: hasConfidence ? calibration(conf, ok, options.bins ?? 10) : null,
    coverage: hasConfidence ? coverageCurve(conf, ok, eligible ? { eligible } : {}) : null,
    confusedPairs: mostConfusedPairs(metrics, options.confusedPairs ?? 15),
    slices: slicesOf(rows, sliceKeys, unscored),
    ...(scored.size > 0 ? { untested } : {}),
    ...(operating ? { operating } : {}),
    macroF1Interval: macroF1Interval(truth, predicted, labels, metrics.unscored),
    majority: majorityBaseline(truth, { ...(labels ? { labels } : {}), unscored }),
    ...(target !== undefined ? { targetPrecision: target } : {}),
  };
}

/** What always answering the most common true label scores (`TaskReport.majority`), over the labels `options` name. */
function majorityBaseline(truth: readonly string[], options: TaskMetricsOptions): NonNullable<TaskReport['majority']> {
  const counts = new Map<string, number>();
  for (const label of truth) counts.set(label, (counts.get(label) ?? 0) + 1);
  let label = '';
  let count = 0;
  for (const [l, c] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (c > count) [label, count] = [l, c];
  }
  const metrics = computeTaskMetrics(truth, truth.map(() => label), options);
  return { label, count, accuracy: metrics.accuracy, macroF1: metrics.macro.f1 };
}

/** Email draws one task's macro-F1 interval may take at most: 1,000 resamples of up to 20,000 emails, fewer beyond. */
const INTERVAL_DRAWS = 2e7;

/**
 * A 95% percentile-bootstrap interval of one model's macro-F1 on these emails, with a fixed seed (`bootstrapScores`);
 * averaged over `labels` when the metrics are (a label no email has counts 0, as in the figure it sits beside), but
 * the `unscored` labels the figure leaves out.
 */
function macroF1Interval(truth: readonly string[], predicted: readonly string[], labels?: readonly string[], unscored: readonly string[] = []): NonNullable<TaskReport['macroF1Interval']> {
  const resamples = Math.max(100, Math.min(1000, Math.floor(INTERVAL_DRAWS / Math.max(1, truth.length))));
  const level = 0.95;
  const left = new Set(unscored);
  const averageOver = labels?.filter((l) => !left.has(l));
  const [{ f1: values }] = bootstrapScores(truth, [predicted], { resamples, seed: 20261129, confidence: level }, left, averageOver);
  return { lo: percentile(values, (1 - level) / 2), hi: percentile(values, 1 - (1 - level) / 2), level, resamples };
}

/** `n` things, as `3 ids` or `1 id`. */
const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * What the lines leave out of the figures or count twice, for the head of every report form and the terminal:
 * tasks predicted with no truth label on any line (not measured at all: an empty label column drops a task
 * without a word otherwise), lines whose id other lines carry too (each counts again in every figure), and
 * lines with a truth label but no prediction (left out of their task's figures). `measured` is undefined when
 * the caller chose the tasks: the others are then left out on purpose.
 */
function linesWarnings(lines: readonly PredictionLine[], measured: readonly string[] | undefined, reports: readonly TaskReport[]): string[] {
  const out: string[] = [];
  const unmeasured = measured ? predictedTasksOf(lines).filter((t) => !measured.includes(t)) : [];
  if (unmeasured.length > 0) {
    out.push(`no line has a truth label for ${unmeasured.join(', ')}, which ${unmeasured.length === 1 ? 'is' : 'are'} predicted: not measured, and left out of every figure (an empty or missing label column?)`);
  }
  const repeats = repeatedIds(lines.map((l) => l.id));
  if (repeats.size > 0) {
    const shown = [...repeats.keys()].slice(0, 5);
    const extra = [...repeats.values()].reduce((a, places) => a + places.length - 1, 0);
    out.push(
      `${count(repeats.size, 'id')} ${repeats.size === 1 ? 'is' : 'are'} carried by more than one line (${shown.join(', ')}${repeats.size > shown.length ? ', …' : ''}): ${count(extra, 'line')} more than emails, each counting again in every figure (the same predictions given twice?)`,
    );
  }
  const dropped = reports.filter((t) => t.skipped.noPrediction > 0);
  if (dropped.length > 0) {
    const per = dropped.map((t) => `${t.task} ${t.skipped.noPrediction} of ${lines.length - t.skipped.noTruth}`);
    out.push(`lines with a truth label but no prediction are left out of their task's figures (the model or pipeline dropped them): ${per.join(', ')} labelled lines`);
  }
  return out;
}

/** A target precision is a share above 0, at most 1: given as a percentage (95), every task would read as short of it. */
function checkTargets(target: TargetPrecision | undefined): void {
  const given = target === undefined ? [] : typeof target === 'number' ? [['', target] as const] : Object.entries(target);
  for (const [task, value] of given) {
    if (typeof value === 'number' && value > 0 && value <= 1) continue;
    throw new MetricInputError(`targetPrecision${task === '' ? '' : ` of task ${task}`}: ${String(value)} is not a precision above 0 and at most 1 (0.95 for 95%)`);
  }
}

/** Emails per language (`meta.language`), most first; empty when no line has one. */
function languageCounts(lines: readonly PredictionLine[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    const language = line.meta?.[LANGUAGE_META];
    if (typeof language === 'string') counts.set(language, (counts.get(language) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/**
 * The emails' languages against the model's training languages (`LanguagesSchema`): undefined when no line has a
 * language. Without the training counts, or with none that qualifies, nothing is marked untrained (as serving warns of none).
 */
function languagesOf(lines: readonly PredictionLine[], tasks: readonly string[], options: EvaluateOptions): Languages | undefined {
  const counts = languageCounts(lines);
  if (counts.length === 0) return undefined;
  const training = options.trainingLanguages;
  const base: Languages = { key: LANGUAGE_META, detectable: [...DETECTED_LANGUAGES], emails: Object.fromEntries(counts), ...(training ? { trainingEmails: { ...training } } : {}) };
  const trainedOn = training ? trainedLanguages(training) : undefined;
  if (trainedOn === undefined) return base;
  const untrained = counts
    .filter(([language]) => language !== UNDETERMINED_LANGUAGE && !trainedOn.includes(language))
    .map(([language, n]) => ({ language, n, share: n / lines.length, trainingEmails: ownValue(training, language) ?? 0 }));
  if (untrained.length === 0) return { ...base, trainedOn, untrained };
  const others = new Set(untrained.map((u) => u.language));
  const kept = lines.filter((l) => !others.has(String(l.meta?.[LANGUAGE_META])));
  const trainedOnly = tasks.flatMap((task) => {
    const { rows } = taskRows(kept, task);
    if (rows.length === 0) return [];
    const m = computeTaskMetrics(rows.map((r) => r.truth), rows.map((r) => r.predicted), { unscored: ownValue(options.retired, task) ?? [] });
    return [{ task, n: m.n, accuracy: m.accuracy, macroF1: m.macro.f1 }];
  });
  return { ...base, trainedOn, untrained, trainedOnly };
}

/** `a, b and c`. */
const andList = (xs: readonly string[]): string => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);
const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;
// Rounded as the reports round figures (Python's %f): 0.2584 here reads as in report.md.
const fixed4 = (x: number): string => pyFixed(x, 4);

/**
 * The warning for a notable share (`UNTRAINED_LANGUAGE_WARN_SHARE`) of the emails in languages the model was not
 * trained on, naming them with their counts, shares and training emails, and the figures without them; undefined below it.
 */
export function untrainedLanguagesWarning(languages: Languages | undefined, total: number): string | undefined {
  const untrained = languages?.untrained ?? [];
  const n = untrained.reduce((sum, u) => sum + u.n, 0);
  if (n === 0 || total === 0 || n / total < UNTRAINED_LANGUAGE_WARN_SHARE) return undefined;
  const each = untrained.map((u) => `${u.language} ${u.n} (${percent(u.share)}, ${count(u.trainingEmails, 'training email')})`).join(', ');
  const known = andList(languages?.trainedOn ?? []);
  const alone = languages?.trainedOnly ?? [];
  // One count for every task where each has as many emails (the usual case), else each its own.
  const same = alone.every((t) => t.n === alone[0].n);
  const figures = alone.map((t) => `${t.task} accuracy ${fixed4(t.accuracy)}, macro-F1 ${fixed4(t.macroF1)}${same ? '' : ` (${count(t.n, 'email')})`}`).join('; ');
  const without = alone.length === 0 ? '' : ` Without them${same ? ` (the other ${count(alone[0].n, 'email')} with a label)` : ''}: ${figures}.`;
  return (
    `${n} of the ${total} emails (${percent(n / total)}) are in languages the model had few or no training emails of: ${each}. ` +
    `The model was trained on ${known} (each at least ${TRAINED_LANGUAGE_SHARE * 100}% and ${TRAINED_LANGUAGE_ROWS} of its training emails, the rule serving warns of other mail by); ` +
    `the figures here count these emails too, and figures on them say little of its quality on ${known} mail.${without} ` +
    `Languages are detected from each email's text, not read from the data: the detector knows ${andList(DETECTED_LANGUAGES)}, and mail in another language (Portuguese, say) counts as the nearest of these or as ${UNDETERMINED_LANGUAGE}.`
  );
}

/** Every metric of every task from prediction lines: the content of `metrics.json` and of the reports. */
export function evaluatePredictions(lines: readonly PredictionLine[], options: EvaluateOptions = {}): EvaluationReport {
  const tasks = options.tasks ? [...options.tasks] : tasksOf(lines);
  if (tasks.length === 0) throw new MetricInputError('no line has a truth label: nothing to evaluate');
  checkTargets(options.targetPrecision);
  const sliceKeys = options.sliceBy ? [...options.sliceBy] : autoSliceKeys(lines);
  if (options.sliceBy) {
    const present = new Set(lines.flatMap((l) => Object.keys(l.meta ?? {})));
    const unknown = options.sliceBy.filter((k) => !present.has(k));
    if (unknown.length > 0) {
      throw new MetricInputError(`no line has the meta key(s) ${unknown.map((k) => `"${k}"`).join(', ')} to slice by (keys: ${[...present].join(', ') || 'none'})`);
    }
  }
  const reports: TaskReport[] = [];
  tasks.forEach((task, i) => {
    options.onProgress?.(i, tasks.length, task);
    reports.push(evaluateTask(lines, task, options, sliceKeys));
  });
  options.onProgress?.(tasks.length, tasks.length);
  const languages = languagesOf(lines, tasks, options);
  const untrained = untrainedLanguagesWarning(languages, lines.length);
  const warnings = [...(options.warnings ?? []), ...linesWarnings(lines, options.tasks ? undefined : tasks, reports), ...(untrained === undefined ? [] : [untrained])];
  let scored = 0;
  let allRight = 0;
  for (const line of lines) {
    const labelled = tasks.filter((t) => line.truth[t] !== undefined && line.truth[t] !== null);
    if (labelled.length === 0) continue;
    scored++;
    if (labelled.every((t) => line.prediction[t]?.label === line.truth[t])) allRight++;
  }
  return {
    schemaVersion: 1,
    ...(options.modelId !== undefined ? { modelId: options.modelId } : {}),
    ...(options.dataset !== undefined ? { dataset: options.dataset } : {}),
    ...(options.createdAt !== undefined ? { createdAt: options.createdAt } : {}),
    lines: lines.length,
    exactMatch: scored === 0 ? 0 : allRight / scored,
    tasks: reports,
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(options.routing ? { routing: { queueTask: options.routing.queueTask, ...(options.routing.abstainTasks ? { abstainTasks: [...options.routing.abstainTasks] } : {}) } } : {}),
    // Given per task, each task's report carries its own instead.
    ...(typeof options.targetPrecision === 'number' ? { targetPrecision: options.targetPrecision } : {}),
    ...(options.renamedLabels && options.renamedLabels.length > 0 ? { renamedLabels: [...options.renamedLabels] } : {}),
    ...(languages ? { languages } : {}),
  };
}

/** Every metric of one task on each value of one meta key (the full form of a report's slice table). */
export function sliceTaskMetrics(lines: readonly PredictionLine[], task: string, key: string): Record<string, TaskMetrics> {
  const groups = new Map<string, { truth: string[]; predicted: string[] }>();
  for (const line of lines) {
    const t = line.truth[task];
    const p = line.prediction[task];
    if (t === undefined || t === null || !p) continue;
    const value = metaValue(line.meta?.[key]);
    const g = groups.get(value) ?? { truth: [], predicted: [] };
    g.truth.push(t);
    g.predicted.push(p.label);
    groups.set(value, g);
  }
  return Object.fromEntries([...groups].map(([value, g]) => [value, computeTaskMetrics(g.truth, g.predicted)]));
}

/** Headline figures keyed like the registry's `ModelVersion.metrics`: `<task>.macro_f1`, `<task>.accuracy`. */
export function headlineMetrics(report: EvaluationReport): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of report.tasks) {
    out[`${t.task}.macro_f1`] = t.metrics.macro.f1;
    out[`${t.task}.accuracy`] = t.metrics.accuracy;
    out[`${t.task}.weighted_f1`] = t.metrics.weighted.f1;
  }
  return out;
}
