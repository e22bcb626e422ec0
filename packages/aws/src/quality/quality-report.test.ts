import { describe, it, expect } from 'vitest';
import type { FeedbackPair, PredictionStore } from '@mailroute/serving';
import { QUALITY_METRIC } from '../contracts.js';
import { createQualityReporter, qualityMetricRecords } from './quality-report.js';
import { createQualityReporterHandlerFromEnv } from './quality-handler.js';

function pair(i: number, predicted: string, truth?: string): FeedbackPair {
  const prediction = {
    predictionId: `p${i}`,
    emailId: `e${i}`,
    modelId: 'm',
    createdAt: `2026-11-2${i % 9}T10:00:00.000Z`,
    labels: { queue: predicted },
    confidences: { queue: 0.8 },
    abstained: { queue: false },
    queue: predicted,
    latencyMs: 2,
  };
  return truth === undefined ? { prediction } : { prediction, feedback: { emailId: `e${i}`, labels: { queue: truth }, closedAt: '2026-11-28T00:00:00.000Z', receivedAt: '2026-11-20T00:00:00.000Z' } };
}

const storeWith = (pairs: FeedbackPair[]): PredictionStore & { windows: unknown[] } => {
  const windows: unknown[] = [];
  return {
    windows,
    savePredictions: async () => undefined,
    getPrediction: async () => undefined,
    findPredictionByEmail: async () => undefined,
    saveFeedback: async () => undefined,
    // As a store answers: newest first, `judgedOnly` and `limit` applied.
    listPairs: async (w) => {
      windows.push(w);
      const newestFirst = [...pairs].sort((a, b) => b.prediction.createdAt.localeCompare(a.prediction.createdAt));
      const asked = w.judgedOnly ? newestFirst.filter((p) => p.feedback) : newestFirst;
      return asked.slice(0, w.limit ?? asked.length);
    },
    close: async () => undefined,
  };
};

describe('quality reporter', () => {
  const tasks = async () => [{ name: 'queue', labels: ['cards', 'payments'] }];
  const now = () => new Date('2026-11-29T03:00:00Z');

  it('aggregates a store that reads page by page (judgedPairPages) as it comes, to the figures of the whole-window read', async () => {
    const other = { ...pair(6, 'payments', 'cards'), prediction: { ...pair(6, 'payments', 'cards').prediction, modelId: 'older-model' } };
    // Email e1 classified twice: its feedback names the older prediction, which is the one scored.
    const again = { prediction: { ...pair(1, 'payments').prediction, predictionId: 'p1-again', createdAt: '2026-11-28T10:00:00.000Z' }, feedback: { ...pair(1, 'cards', 'cards').feedback!, predictionId: 'p1' } };
    const named = { ...pair(1, 'cards', 'cards'), feedback: again.feedback };
    const pairs = [again, pair(2, 'cards', 'cards'), pair(3, 'payments', 'payments'), named, pair(4, 'payments', 'cards'), other, pair(5, 'cards')];
    const whole = storeWith(pairs);
    const expected: string[] = [];
    const wholeResult = await createQualityReporter({ store: whole, tasks, environment: 'prod', windowDays: 30, minFeedback: 3, write: (l) => expected.push(l), now })();
    const paged = storeWith(pairs);
    const pages = [pairs.slice(0, 2), pairs.slice(2, 5), pairs.slice(5)].map((page) => page.filter((p) => p.feedback));
    const lines: string[] = [];
    const result = await createQualityReporter({ store: { ...paged, judgedPairPages: async function* () { yield* pages; } }, tasks, environment: 'prod', windowDays: 30, minFeedback: 3, write: (l) => lines.push(l), now })();
    // Only the newest prediction is read through listPairs (which model serves); the judged ones come in pages.
    expect(paged.windows).toEqual([expect.objectContaining({ limit: 1 })]);
    expect(result).toEqual(wholeResult);
    expect(result.withFeedback).toBe(4);
    const f1 = (l: string) => (JSON.parse(l) as Record<string, number>)[QUALITY_METRIC.name];
    expect(lines.filter((l) => f1(l) !== undefined)).toHaveLength(1);
    expect(f1(lines[0])).toBeCloseTo(f1(expected[0]), 12);
    expect(f1(lines[0])).toBeCloseTo((0.8 + 2 / 3) / 2, 12);
  });

  it('publishes the macro F1 of each task with enough feedback as an EMF line', async () => {
    // 4 judged: cards->cards, cards->cards, payments->payments, payments->cards (truth cards): cards F1 = 0.8 (P 1, R 2/3), payments F1 = 2/3 (P 1/2, R 1)
    const pairs = [pair(1, 'cards', 'cards'), pair(2, 'cards', 'cards'), pair(3, 'payments', 'payments'), pair(4, 'payments', 'cards'), pair(5, 'cards')];
    const lines: string[] = [];
    const store = storeWith(pairs);
    const result = await createQualityReporter({ store, tasks, environment: 'prod', windowDays: 30, minFeedback: 3, write: (l) => lines.push(l), now })();
    expect(result).toEqual({ published: 1, withFeedback: 4, closedLastDay: 0 });
    // The newest prediction names the model measured; then the judged predictions alone are read.
    const window = { since: '2026-10-30T03:00:00.000Z', until: '2026-11-29T03:00:00.000Z' };
    expect(store.windows).toEqual([{ ...window, limit: 1 }, { ...window, judgedOnly: true }]);
    const record = JSON.parse(lines[0]);
    expect(record._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Mailroute/Quality', Dimensions: [['Environment'], ['Environment', 'Task']] });
    expect(record).toMatchObject({ Environment: 'prod', Task: 'queue', LiveFeedbackCount: 4 });
    expect(record[QUALITY_METRIC.name]).toBeCloseTo((0.8 + 2 / 3) / 2, 6);
  });

  it('publishes the cases closed in the day before each run, of any model and 0 too, once a model serves; nothing for an empty window', async () => {
    const at = (i: number, closedAt: string, modelId = 'm'): FeedbackPair => {
      const p = pair(i, 'cards', 'cards');
      return { prediction: { ...p.prediction, modelId }, feedback: { ...p.feedback!, closedAt } };
    };
    // now is 2026-11-29T03:00Z: closed 02:00 and (another model's) 2026-11-28T04:00 count; 2026-11-28T02:59 does not.
    const pairs = [at(1, '2026-11-29T02:00:00.000Z'), at(2, '2026-11-28T04:00:00.000Z', 'older'), at(3, '2026-11-28T02:59:00.000Z'), pair(4, 'cards')];
    const lines: string[] = [];
    const result = await createQualityReporter({ store: storeWith(pairs), tasks, environment: 'dev', windowDays: 30, minFeedback: 30, write: (l) => lines.push(l), now })();
    // Under minFeedback no figure is published: the feedback of the day is, all the same.
    expect(result).toMatchObject({ published: 0, closedLastDay: 2 });
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      {
        _aws: { Timestamp: now().getTime(), CloudWatchMetrics: [{ Namespace: 'Mailroute/Quality', Dimensions: [['Environment']], Metrics: [{ Name: 'LiveFeedbackLastDay', Unit: 'Count' }] }] },
        Environment: 'dev',
        LiveFeedbackLastDay: 2,
      },
    ]);
    const none: string[] = [];
    expect(await createQualityReporter({ store: storeWith([pair(5, 'cards')]), tasks, environment: 'dev', windowDays: 30, minFeedback: 1, write: (l) => none.push(l), now })()).toMatchObject({ closedLastDay: 0 });
    expect(JSON.parse(none[0])).toMatchObject({ LiveFeedbackLastDay: 0 });
    const empty: string[] = [];
    expect(await createQualityReporter({ store: storeWith([]), tasks, environment: 'dev', windowDays: 30, minFeedback: 1, write: (l) => empty.push(l), now })()).not.toHaveProperty('closedLastDay');
    expect(empty).toEqual([]);
  });

  it('leaves automated mail a person closed with labels out of the published figures', async () => {
    const judged = [pair(1, 'cards', 'cards'), pair(2, 'cards', 'cards'), pair(3, 'payments', 'payments'), pair(4, 'payments', 'cards')];
    // An out-of-office reply closed as `cards`: the model's `payments` for it would count as wrong.
    const outOfOffice = pair(5, 'payments', 'cards');
    outOfOffice.prediction = { ...outOfOffice.prediction, queue: 'manual_triage', automated: 'auto_reply' };
    const lines: string[] = [];
    const result = await createQualityReporter({ store: storeWith([...judged, outOfOffice]), tasks, environment: 'prod', windowDays: 30, minFeedback: 3, write: (l) => lines.push(l), now })();
    expect(result).toEqual({ published: 1, withFeedback: 4, closedLastDay: 0 });
    const record = JSON.parse(lines[0]) as Record<string, number>;
    expect(record.LiveFeedbackCount).toBe(4);
    expect(record[QUALITY_METRIC.name]).toBeCloseTo((0.8 + 2 / 3) / 2, 6);
  });

  it("scores feedback under the measured model's names: a renamed label maps, one it has no name for is not counted wrong", async () => {
    // Feedback stored as sent: `card` is the model's old name of `cards`; `loans` (a later model's label) it cannot name.
    const pairs = [pair(1, 'cards', 'card'), pair(2, 'payments', 'payments'), pair(3, 'cards', 'loans')];
    const lines: string[] = [];
    const renaming = async () => [{ name: 'queue', labels: ['cards', 'payments'], aliases: { card: 'cards' } }];
    const result = await createQualityReporter({ store: storeWith(pairs), tasks: renaming, environment: 'prod', windowDays: 30, minFeedback: 1, write: (l) => lines.push(l), now })();
    expect(result.published).toBe(1);
    const record = JSON.parse(lines[0]);
    expect(record.LiveFeedbackCount).toBe(2);
    expect(record[QUALITY_METRIC.name]).toBeCloseTo(1, 9);
  });

  it("measures the model serving now (the newest prediction's) alone, with its labels", async () => {
    // A rolled-back model predicted more, and wrongly, before the swap; the model serving now is right on its own two.
    const before = [4, 5, 6].map((i) => pair(i, 'payments', 'cards')).map((p) => ({ ...p, prediction: { ...p.prediction, modelId: 'rolled-back', createdAt: '2026-11-21T10:00:00.000Z' } }));
    const now2 = [pair(7, 'cards', 'cards'), pair(8, 'payments', 'payments')].map((p) => ({ ...p, prediction: { ...p.prediction, modelId: 'serving' } }));
    const asked: string[][] = [];
    const lines: string[] = [];
    const result = await createQualityReporter({ store: storeWith([...before, ...now2]), tasks: async (ids) => (asked.push(ids), [{ name: 'queue', labels: ['cards', 'payments'] }]), environment: 'prod', windowDays: 30, minFeedback: 1, write: (l) => lines.push(l), now })();
    expect(asked).toEqual([['serving']]);
    expect(result.withFeedback).toBe(2);
    expect(JSON.parse(lines[0])[QUALITY_METRIC.name]).toBeCloseTo(1, 9);
  });

  it('publishes nothing when feedback is too thin', () => {
    const quality = { window: { since: 'a', until: 'b' }, automated: 0, predictions: 2, withFeedback: 1, unchangedShare: 1, routedShare: 1, tasks: { queue: { predictions: 2, withFeedback: 1, unmappable: 0, accuracy: 1, macroF1: 1, coverage: 1, bands: [], drift: { reference: 'none' as const, minPredictions: 30, psi: null, jsDivergence: null, predicted: {}, expected: null } } } };
    expect(qualityMetricRecords(quality, 'dev', now(), 30)).toEqual([]);
    expect(qualityMetricRecords(quality, 'dev', now(), 1)).toHaveLength(1);
  });
});

describe('createQualityReporterHandlerFromEnv', () => {
  it('names the missing setting', () => {
    expect(() => createQualityReporterHandlerFromEnv({ MAILROUTE_TABLE_NAME: 't' }, () => undefined)).toThrow(
      expect.objectContaining({ code: 'AWS_CONFIG_INVALID', message: expect.stringContaining('MAILROUTE_ARTIFACT_BUCKET') }),
    );
  });
});
