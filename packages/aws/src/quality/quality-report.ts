import { computeTaskMetrics } from '@mailroute/evaluation';
import { computeLiveQuality, type FeedbackPair, type LiveQuality, type PairWindow, type PredictionStore, type TaskInfo, type TaskScorer } from '@mailroute/serving';

import { QUALITY_METRIC } from '../contracts.js';


export const macroF1Scorer: TaskScorer = (truth, predicted) => {
  const m = computeTaskMetrics(truth, predicted);
  return { accuracy: m.accuracy, macroF1: m.macro.f1 };
};

/**
 * CloudWatch Embedded Metric Format records (one log line each, no SDK call): per task with enough
 * feedback, its macro F1 under the dimension sets {Environment} (the alarm takes the minimum: the worst
 * task) and {Environment, Task} (the dashboard).
 */
export function qualityMetricRecords(quality: LiveQuality, environment: string, now: Date, minFeedback: number): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (const [task, q] of Object.entries(quality.tasks)) {
    if (q.macroF1 === null || q.withFeedback < minFeedback) continue;
    records.push({
      _aws: {
        Timestamp: now.getTime(),
        CloudWatchMetrics: [
          {
            Namespace: QUALITY_METRIC.namespace,
            Dimensions: [['Environment'], ['Environment', 'Task']],
            Metrics: [{ Name: QUALITY_METRIC.name, Unit: 'None' }, { Name: QUALITY_METRIC.feedbackCount, Unit: 'Count' }],
          },
        ],
      },
      Environment: environment,
      Task: task,
      [QUALITY_METRIC.name]: q.macroF1,
      [QUALITY_METRIC.feedbackCount]: q.withFeedback,
      accuracy: q.accuracy,
      window: quality.window,
    });
  }
  return records;
}

/**
 * The EMF record of the feedback that came in the day before `now` (cases closed then, of any model): published at every
 * run that measures a model, 0 too, so the alarm on it fires a few days after the CRM stops sending feedback.
 */
export function recentFeedbackRecord(environment: string, now: Date, closedLastDay: number): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: now.getTime(),
      CloudWatchMetrics: [{ Namespace: QUALITY_METRIC.namespace, Dimensions: [['Environment']], Metrics: [{ Name: QUALITY_METRIC.recentFeedback, Unit: 'Count' }] }],
    },
    Environment: environment,
    [QUALITY_METRIC.recentFeedback]: closedLastDay,
  };
}

/** What `tasks` answers when there is no model to measure yet (the bootstrap model serves, nothing was approved). */
export interface NothingToMeasure {
  nothingToMeasure: string;
}

/** A store that also reads the judged predictions a page at a time (the DynamoDB store). */
export interface JudgedPairPages {
  judgedPairPages?(window: Pick<PairWindow, 'since' | 'until'>): AsyncIterable<FeedbackPair[]>;
}

export interface QualityReporterDeps {
  /** With `judgedPairPages`, the window is aggregated page by page; else read whole with `listPairs`. */
  store: PredictionStore & JudgedPairPages;
  /**
   * The tasks with their labels to score, given the id of the model measured: the one of the window's
   * newest prediction (the model that serves, not a pointer that may lag behind it); none for an empty window.
   * Or why nothing is measured yet: the run then publishes nothing and succeeds.
   */
  tasks: (modelIds: string[]) => Promise<readonly TaskInfo[] | NothingToMeasure>;
  environment: string;
  /** Days of predictions (with their feedback) scored at each run. */
  windowDays: number;
  /** Tasks with less feedback than this publish nothing (too noisy to alarm on). */
  minFeedback: number;
  /** Where the EMF lines go (the Lambda's stdout). */
  write: (line: string) => void;
  now?: () => Date;
}

/** The daily quality reporter: live macro F1 per task from CRM feedback, as EMF metric lines. */
export function createQualityReporter(deps: QualityReporterDeps) {
  return async (): Promise<{ published: number; withFeedback: number; closedLastDay?: number; nothingToMeasure?: string }> => {
    const now = deps.now?.() ?? new Date();
    const window = { since: new Date(now.getTime() - deps.windowDays * 86_400_000).toISOString(), until: now.toISOString() };
    // The model serving now (that of the newest prediction) is the one measured: after a swap or a
    // rollback, the window's older predictions are another model's and would keep its figures in the alarm.
    const [newest] = await deps.store.listPairs({ ...window, limit: 1 });
    const serving = newest?.prediction.modelId;
    // What is published (macro F1, accuracy, feedback counts) is made of judged predictions alone: only
    // those are read (DynamoDB: the judged-by-day index, not the whole window).
    const { pairs, closedLastDay } = await servingModelsJudged(deps.store, window, serving, now.getTime() - 86_400_000);
    const tasks = await deps.tasks(serving === undefined ? [] : [serving]);
    // No metric line: the alarm sees no data (not a failure), and the Lambda logs the result with its reason.
    if ('nothingToMeasure' in tasks) return { published: 0, withFeedback: 0, nothingToMeasure: `nothing to measure yet: ${tasks.nothingToMeasure}` };
    // Feedback is stored as the CRM sent it (maybe in another model's names): compared under the measured model's
    // names, its renames and merges followed; a label it has no name for is counted unmappable, not wrong.
    const taxonomies = new Map(serving === undefined ? [] : [[serving, tasks]]);
    const quality = computeLiveQuality({ pairs, tasks, window, scorer: macroF1Scorer, taxonomies });
    const records = qualityMetricRecords(quality, deps.environment, now, deps.minFeedback);
    for (const record of records) deps.write(JSON.stringify(record));
    // A window with no prediction has no model serving: nothing said (a stack the CRM does not call yet is no alarm).
    if (serving !== undefined) deps.write(JSON.stringify(recentFeedbackRecord(deps.environment, now, closedLastDay)));
    return { published: records.length, withFeedback: quality.withFeedback, ...(serving === undefined ? {} : { closedLastDay }) };
  };
}

const NONE: Readonly<Record<string, never>> = Object.freeze({});

/**
 * The judged pairs of the model measured, each cut to what the published figures are made of (ids, times and
 * labels; its label strings shared), page by page as the store reads them, so a month of judged predictions is
 * not held as whole records (stored text, confidences, feedback times): at 200,000 the peak heap went from 149 MB
 * to 104 MB, and from 241 MB to 106 MB with 1,000 characters of stored text each (src/scripts/measure-quality-memory.ts).
 * Other models' pairs are dropped as they come. One slim pair per judged prediction is still held: live quality
 * keeps one prediction per email (the one its feedback names) across the whole window.
 */
async function servingModelsJudged(
  store: PredictionStore & JudgedPairPages,
  window: { since: string; until: string },
  serving: string | undefined,
  /** From when (ms) a case closed counts in `closedLastDay`. */
  dayBefore: number,
): Promise<{ pairs: FeedbackPair[]; closedLastDay: number }> {
  const pages: AsyncIterable<FeedbackPair[]> | FeedbackPair[][] = store.judgedPairPages?.(window) ?? [await store.listPairs({ ...window, judgedOnly: true })];
  const strings = new Map<string, string>();
  const shared = (value: string) => strings.get(value) ?? (strings.set(value, value), value);
  const sharedLabels = (labels: Record<string, string>) => Object.fromEntries(Object.entries(labels).map(([task, label]) => [shared(task), shared(label)]));
  const out: FeedbackPair[] = [];
  let closedLastDay = 0;
  for await (const page of pages) {
    for (const { prediction: p, feedback: f } of page) {
      // Feedback of any model counts as feedback coming: the CRM sends it whichever model classified the email.
      if (f !== undefined && Date.parse(f.closedAt) >= dayBefore) closedLastDay++;
      if (serving !== undefined && p.modelId !== serving) continue;
      out.push({
        // `automated` kept: live quality leaves automated mail out of the published figures (and counts it apart).
        prediction: { predictionId: p.predictionId, emailId: p.emailId, modelId: shared(p.modelId), createdAt: p.createdAt, labels: sharedLabels(p.labels), confidences: NONE, abstained: NONE, queue: '', latencyMs: 0, ...(p.automated === undefined ? {} : { automated: p.automated }) },
        ...(f ? { feedback: { emailId: p.emailId, ...(f.predictionId === undefined ? {} : { predictionId: f.predictionId }), labels: sharedLabels(f.labels), closedAt: '', receivedAt: '' } } : {}),
      });
    }
  }
  return { pairs: out, closedLastDay };
}
