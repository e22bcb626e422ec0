import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluatePredictions } from './evaluate.js';
import { compareCodePoints } from './labels.js';
import { PredictionLineSchema, type LinePrediction, type PredictionLine } from './prediction-line.js';
import { evaluationMarkdown, evaluationText } from './report-text.js';

/**
 * Property test of `evaluatePredictions` on generated prediction lines (tasks named `constructor` and `toString`,
 * truths missing or null, predictions missing, abstentions, scores on some lines only, the catch-all `other`), with
 * and without the model's thresholds and routing: each task's counts, skips, operating point and exact match as the
 * README defines them, counted here line by line. Seed fixed; MAILROUTE_FUZZ_RUNS and MAILROUTE_FUZZ_SEED widen it.
 */
const runs = Number(process.env.MAILROUTE_FUZZ_RUNS ?? 150);
const seed = Number(process.env.MAILROUTE_FUZZ_SEED ?? 1);

const TASKS = ['queue', 'constructor', 'toString'];
const labelArb = fc.constantFrom('cards', 'loans', 'other', 'valueOf');

const predictionArb: fc.Arbitrary<LinePrediction> = fc.record(
  {
    label: labelArb,
    confidence: fc.double({ min: 0, max: 1, noNaN: true }),
    abstained: fc.boolean(),
    // Ties too (0.25, 0.5), where the label order decides which label ranks first.
    scores: fc.dictionary(labelArb, fc.oneof(fc.constantFrom(0.25, 0.5), fc.double({ min: 0, max: 1, noNaN: true })), { minKeys: 1, maxKeys: 3 }),
  },
  { requiredKeys: ['label'] },
);

/** A line as read from a file (`PredictionLineSchema`: records without Object's prototype, as evaluate gets them). */
const lineArb: fc.Arbitrary<PredictionLine> = fc.record(
  {
    id: fc.constantFrom('e1', 'e2', 'e3', 'e4', 'e5', 'e6'),
    truth: fc.dictionary(fc.constantFrom(...TASKS), fc.option(labelArb, { nil: null }), { maxKeys: 3 }),
    prediction: fc.dictionary(fc.constantFrom(...TASKS), predictionArb, { maxKeys: 3 }),
    meta: fc.record({ language: fc.constantFrom('de', 'en', 'fr') }),
  },
  { requiredKeys: ['truth', 'prediction'] },
).map((line) => PredictionLineSchema.parse(line));

const optionsArb = fc.record({
  // Thresholds for some tasks only (a plain record, as `mailroute evaluate --model` builds it from the manifest).
  thresholds: fc.option(fc.dictionary(fc.constantFrom(...TASKS), fc.double({ min: 0, max: 1, noNaN: true })), { nil: undefined }),
  routing: fc.option(fc.record({ queueTask: fc.constantFrom(...TASKS), abstainTasks: fc.subarray(TASKS) }, { requiredKeys: ['queueTask'] }), { nil: undefined }),
});

/** Whether `task` has a truth label and a prediction on some line: else evaluate refuses (tested elsewhere). */
const measurable = (lines: readonly PredictionLine[]) => {
  const labelled = TASKS.filter((t) => lines.some((l) => Object.hasOwn(l.truth, t) && l.truth[t] !== null));
  return labelled.every((t) => lines.some((l) => Object.hasOwn(l.truth, t) && l.truth[t] !== null && Object.hasOwn(l.prediction, t))) && labelled.length > 0;
};

/**
 * Top-k accuracy as scikit-learn's `top_k_accuracy_score` computes it: the score columns are every label (truth,
 * predicted, scored) in sorted order, a label without a score counts 0, and on a tie the later column ranks first;
 * a truth the model gave no score is a miss (the README's rule).
 */
function topK(rows: ReadonlyArray<{ truth: string; p: LinePrediction }>, k: number): number {
  const columns = [...new Set(rows.flatMap((r) => [r.truth, r.p.label, ...Object.keys(r.p.scores ?? {})]))].sort(compareCodePoints);
  const hits = rows.filter(({ truth, p }) => {
    const score = (label: string) => own(p.scores, label) ?? 0;
    if (own(p.scores, truth) === undefined) return false;
    const t = columns.indexOf(truth);
    const ahead = columns.filter((label, j) => j !== t && (score(label) > score(truth) || (score(label) === score(truth) && j > t))).length;
    return ahead < k;
  });
  return hits.length / rows.length;
}

/** Shares (accuracy, top-k, coverage, precision, exact match) are computed floats: equal to 12 decimal places. Counts stay exact. */
const DIGITS = 12;

const own = <T,>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined => (record && Object.hasOwn(record, key) ? record[key] : undefined);

describe('evaluatePredictions on generated lines', () => {
  it('counts, skips, operating points and exact match as the lines say, for tasks with any name', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 30 }).filter(measurable), optionsArb, (lines, options) => {
        const report = evaluatePredictions(lines, { ...options, topK: [1, 2, 3] });
        const truthOf = (l: PredictionLine, t: string) => own(l.truth, t) ?? null;
        // Tasks with a truth, in the order the predictions first name them, then any no line predicts (first seen).
        const predicted = [...new Set(lines.flatMap((l) => Object.keys(l.prediction)))];
        const withTruth = [...new Set(lines.flatMap((l) => Object.keys(l.truth).filter((t) => truthOf(l, t) !== null)))];
        const tasks = [...predicted.filter((t) => withTruth.includes(t)), ...withTruth.filter((t) => !predicted.includes(t))];
        expect(report.tasks.map((t) => t.task)).toEqual(tasks);
        for (const t of report.tasks) {
          const rows = lines.filter((l) => truthOf(l, t.task) !== null && own(l.prediction, t.task));
          const p = (l: PredictionLine) => own(l.prediction, t.task) as LinePrediction;
          expect(t.metrics.n).toBe(rows.length);
          expect(t.skipped).toEqual({ noTruth: lines.filter((l) => truthOf(l, t.task) === null).length, noPrediction: lines.filter((l) => truthOf(l, t.task) !== null && !own(l.prediction, t.task)).length });
          expect(t.metrics.accuracy).toBeCloseTo(rows.filter((l) => p(l).label === truthOf(l, t.task)).length / rows.length, DIGITS);
          expect(t.calibration !== null).toBe(rows.every((l) => p(l).confidence !== undefined || Object.keys(p(l).scores ?? {}).length > 0));
          if (t.topK.length > 0) expect(rows.every((l) => p(l).scores)).toBe(true);
          for (const { k, accuracy } of t.topK) expect(accuracy, `top-${k}`).toBeCloseTo(topK(rows.map((l) => ({ truth: truthOf(l, t.task) as string, p: p(l) })), k), DIGITS);
          for (const s of t.slices) expect(s.values.reduce((a, v) => a + v.n, 0)).toBe(rows.length);
          if (!rows.every((l) => p(l).abstained !== undefined)) {
            expect(t.operating).toBeUndefined();
            continue;
          }
          const threshold = own(options.thresholds, t.task);
          const routes = options.routing?.queueTask === t.task;
          // The routing task: an email it (or a watched task) abstains on is triaged for low confidence; `other` has no queue.
          const watched = routes ? (options.routing?.abstainTasks ?? [t.task]) : [t.task];
          const low = rows.filter((l) => watched.some((w) => own(l.prediction, w)?.abstained === true) || p(l).abstained === true);
          const noQueue = routes ? rows.filter((l) => !low.includes(l) && p(l).label === 'other') : [];
          const routed = rows.filter((l) => !low.includes(l) && !noQueue.includes(l));
          const right = routed.filter((l) => p(l).label === truthOf(l, t.task)).length;
          expect(t.operating).toEqual({
            routed: routed.length,
            coverage: expect.closeTo(routed.length / rows.length, DIGITS),
            precision: routed.length === 0 ? null : expect.closeTo(right / routed.length, DIGITS),
            ...(threshold !== undefined ? { threshold } : {}),
            ...(routes ? { manualTriage: { lowConfidence: low.length, noQueue: noQueue.length }, byQueue: expect.any(Array) } : {}),
          });
          if (routes) {
            // Per queue: the routed emails it was given, and how many belong there.
            const queues = [...new Set(routed.map((l) => p(l).label))].sort();
            const expected = queues.map((queue) => {
              const sent = routed.filter((l) => p(l).label === queue);
              return { queue, routed: sent.length, right: sent.filter((l) => truthOf(l, t.task) === queue).length };
            });
            expect([...(t.operating?.byQueue ?? [])].sort((a, b) => (a.queue < b.queue ? -1 : 1))).toEqual(expected);
          }
        }
        const labelled = lines.filter((l) => tasks.some((t) => truthOf(l, t) !== null));
        const allRight = labelled.filter((l) => tasks.every((t) => truthOf(l, t) === null || own(l.prediction, t)?.label === truthOf(l, t)));
        expect(report.exactMatch).toBeCloseTo(labelled.length === 0 ? 0 : allRight.length / labelled.length, DIGITS);
        // Every form of the figures is made.
        evaluationText(report);
        evaluationMarkdown(report);
      }),
      { numRuns: runs, seed },
    );
  });
});
