import { describe, expect, it } from 'vitest';
import { computeLiveQuality } from '../quality/live-quality.js';
import { evaluationScorer } from '../quality/scorer.js';
import { createSqliteStore } from '../store/sqlite-store.js';
import type { PairWindow } from '../store/types.js';
import { FAKE_TASKS } from '../test-support/fake-classifier.js';
import { authed, json, jsonRequest, testAppBuilder } from '../test-support/harness.js';
import { classify } from '../test-support/route-helpers.js';

const build = testAppBuilder();
const HOUR = 3_600_000;
/** The moment asked at, on the real clock's day (retention reads it), and when the cases closed: before both windows. */
const T0 = Math.floor(Date.now() / 60_000) * 60_000;
const closedAt = new Date(T0 - 3 * HOUR).toISOString();

/** A store whose listPairs calls are recorded. */
function spiedStore() {
  const store = createSqliteStore({ file: ':memory:' });
  const windows: PairWindow[] = [];
  const listPairs = store.listPairs.bind(store);
  store.listPairs = async (window) => {
    windows.push(window);
    return listPairs(window);
  };
  return { store, windows };
}

/**
 * GET /v1/quality?hours=1 at T0 over a window before of another mix of labels (the fake's invoice, password, hello)
 * and a window with feedback, and the answer the route gave before it skipped the window before: computed from both
 * windows' pairs as read from the store.
 */
async function qualityOf(training: Record<string, Record<string, number>>) {
  const { store, windows } = spiedStore();
  let now = T0 - 1.5 * HOUR;
  const { app } = await build({ store, clock: { now: () => now }, trainingDistribution: async () => training });
  await classify(app, [...Array<string>(12).fill('password'), ...Array<string>(3).fill('invoice'), 'hello'].map((body, i) => ({ id: `old-${i}`, body })));
  now = T0 - 0.5 * HOUR;
  await classify(app, [...Array<string>(6).fill('invoice'), 'password', 'password', 'hello', 'hello'].map((body, i) => ({ id: `new-${i}`, body })));
  for (const [emailId, queue] of [['new-0', 'billing'], ['new-6', 'billing'], ['new-8', 'general']]) {
    expect((await app.request('/v1/feedback', jsonRequest({ emailId, labels: { queue }, closedAt }))).status).toBe(202);
  }
  now = T0;
  const answer = await json(app.request('/v1/quality?hours=1', authed()));
  const read = windows.splice(0);
  const since = new Date(T0 + 1 - HOUR).toISOString();
  const until = new Date(T0 + 1).toISOString();
  const tasks = FAKE_TASKS.map((t) => ({ name: t.name, labels: [...t.labels] }));
  const before = computeLiveQuality({
    pairs: await store.listPairs({ since, until }),
    previous: await store.listPairs({ since: new Date(T0 + 1 - 2 * HOUR).toISOString(), until: since }),
    training,
    tasks,
    taxonomies: new Map([['fake-1', tasks]]),
    window: { since, until },
    scorer: evaluationScorer,
  });
  return { answer, read, before: JSON.parse(JSON.stringify(before)) as Record<string, unknown>, since, until };
}

describe('GET /v1/quality, the window before', () => {
  it('is not read when every task has training shares (it is only their drift reference): the answer is as before', async () => {
    const { answer, read, before, since, until } = await qualityOf({ queue: { billing: 0.5, technical: 0.3, general: 0.2 }, topic: { invoice: 0.5, login: 0.3, other: 0.2 } });
    // One read: the window measured.
    expect(read).toEqual([expect.objectContaining({ since, until })]);
    const { modelId: _m, models: _n, truncated: _t, sampledSince: _s, ...quality } = answer;
    expect(quality).toEqual(before);
    expect(answer.tasks.queue.drift.reference).toBe('training');
    expect([answer.predictions, answer.withFeedback]).toEqual([10, 3]);
  });

  it('is read when a task lacks training shares (or has none usable), and is its drift reference', async () => {
    for (const topic of [undefined, { invoice: Number.NaN, login: 1 }]) {
      const { answer, read, before, since } = await qualityOf({ queue: { billing: 0.5, technical: 0.3, general: 0.2 }, ...(topic ? { topic } : {}) });
      expect(read.map((w) => w.until)).toContain(since);
      const { modelId: _m, models: _n, truncated: _t, sampledSince: _s, ...quality } = answer;
      expect(quality).toEqual(before);
      expect(answer.tasks.topic.drift).toMatchObject({ reference: 'previous_window', expected: { login: 12 / 16, invoice: 3 / 16, other: 1 / 16 } });
      expect(answer.tasks.queue.drift.reference).toBe('training');
    }
  });
});
