import { afterEach, describe, expect, it } from 'vitest';
import type { ServingApp } from '../app.js';
import type { TaskScorer } from '../quality/live-quality.js';
import { ITEMS_PER_TURN } from '../quality/turns.js';
import { createSqliteStore } from '../store/sqlite-store.js';
import type { FeedbackPair } from '../store/types.js';
import { authed, buildTestApp, json } from '../test-support/harness.js';

let open: ServingApp[] = [];
afterEach(async () => {
  await Promise.all(open.map((s) => s.close()));
  open = [];
});

/** `n` predictions of the fake classifier's model, one email each, a third with feedback. */
function windowOf(n: number): FeedbackPair[] {
  const createdAt = new Date(Date.now() - 60_000).toISOString();
  return Array.from({ length: n }, (_, i): FeedbackPair => {
    const prediction = {
      predictionId: `p${i}`,
      emailId: `e${i}`,
      modelId: 'fake-1',
      createdAt,
      labels: { queue: i % 2 ? 'billing' : 'general', topic: 'invoice' },
      confidences: { queue: (i % 10) / 10, topic: 0.9 },
      abstained: { queue: false, topic: false },
      queue: 'billing',
      latencyMs: 1,
    };
    return i % 3 ? { prediction } : { prediction, feedback: { emailId: `e${i}`, labels: { queue: 'billing' }, closedAt: createdAt, receivedAt: createdAt } };
  });
}

describe('GET /v1/quality on a large window', () => {
  it('answers a request that comes while it computes before its own answer, and answers as before', async () => {
    const pairs = windowOf(10 * ITEMS_PER_TURN);
    const order: string[] = [];
    let healthz: Promise<void> | undefined;
    // The scorer runs inside the compute, after the pass over the window: a request sent then used to wait for the whole answer.
    const scorer: TaskScorer = (truth, predicted) => {
      healthz ??= new Promise((resolve) => {
        setImmediate(async () => {
          order.push(`healthz ${(await serving.app.request('/healthz')).status}`);
          resolve();
        });
      });
      return { accuracy: truth.filter((t, i) => t === predicted[i]).length / truth.length, macroF1: 0 };
    };
    const store = createSqliteStore({ file: ':memory:' });
    // The current window holds the pairs, the previous one none.
    const listPairs = async (window: { since: string }) => (Date.parse(window.since) < Date.now() - 2 * 3_600_000 ? [] : pairs);
    const serving = await buildTestApp({ store: { ...store, listPairs }, scorer });
    open.push(serving);
    const res = await serving.app.request('/v1/quality?hours=1', authed());
    order.push(`quality ${res.status}`);
    await healthz;
    expect(order).toEqual(['healthz 200', 'quality 200']);
    const quality = await json(res);
    expect(quality).toMatchObject({ predictions: pairs.length, withFeedback: Math.ceil(pairs.length / 3), models: { 'fake-1': pairs.length } });
    expect(quality.tasks.queue.accuracy).toBeCloseTo(0.5, 2);
  });
});
