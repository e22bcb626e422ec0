import { describe, expect, it } from 'vitest';
import type { PredictionRecord } from '../store/types.js';
import { authed, json, jsonRequest, testAppBuilder } from '../test-support/harness.js';
import { at, classify, closedAt, P_O, P_OTHER } from '../test-support/route-helpers.js';

const build = testAppBuilder();

/** A prediction of email `emailId` stored as an earlier classify would have stored it. */
function stored(predictionId: string, emailId: string, modelId: string, createdAt: string, queue: string): PredictionRecord {
  return { predictionId, emailId, modelId, createdAt, labels: { queue }, confidences: { queue: 0.95 }, abstained: { queue: false }, queue, latencyMs: 1 };
}

async function quality(app: Awaited<ReturnType<typeof build>>['app'], query: string) {
  const res = await app.request(`/v1/quality?${query}`, authed());
  expect(res.status, query).toBe(200);
  return json(res);
}

describe('GET /v1/quality with an email classified more than once', () => {
  it('scores a feedback against the prediction it names, not a newer one of the same email (classified again after an edit)', async () => {
    const { app } = await build();
    const [first] = await classify(app, [{ id: 'crm-7', subject: 'Rechnung', body: 'Wo ist meine invoice?' }]);
    const [again] = await classify(app, [{ id: 'crm-7', subject: 'Rechnung', body: 'Mein password geht nicht.' }]);
    expect(again.predictionId).not.toBe(first.predictionId);
    // The person saw the first answer (billing, invoice) and confirmed it.
    const fb = await json(app.request('/v1/feedback', jsonRequest({ predictionId: first.predictionId, labels: { queue: 'billing', topic: 'invoice' }, closedAt })));
    expect(fb).toMatchObject({ predictionId: first.predictionId, status: 'recorded' });
    const q = await quality(app, 'hours=1');
    expect(q).toMatchObject({ predictions: 1, withFeedback: 1, unchangedShare: 1 });
    expect(q.tasks.queue).toMatchObject({ accuracy: 1, withFeedback: 1 });
    expect(q.tasks.topic).toMatchObject({ accuracy: 1, withFeedback: 1 });
  });

  it("does not score a feedback naming an older model's prediction against the served model's later one of the email", async () => {
    const { app, context } = await build();
    const servedId = context.source.current()?.modelId as string;
    // Before a swap the old model predicted billing; after it the email was classified again (technical).
    await context.store.savePredictions([stored(P_OTHER, 'crm-8', 'old-model', at(30), 'billing')]);
    await classify(app, [{ id: 'crm-8', body: 'password' }]);
    expect((await app.request('/v1/feedback', jsonRequest({ predictionId: P_OTHER, labels: { queue: 'billing' }, closedAt }))).status).toBe(202);
    // The served model's prediction counts, but the feedback judged the old one's: no accuracy of 0 for it.
    const served = await quality(app, 'hours=1');
    expect(served).toMatchObject({ modelId: servedId, predictions: 1, withFeedback: 0, unchangedShare: null });
    expect(served.tasks.queue).toMatchObject({ predictions: 1, withFeedback: 0, accuracy: null });
    for (const scope of ['model=old-model', 'model=all']) {
      const q = await quality(app, `hours=1&${scope}`);
      expect(q, scope).toMatchObject({ predictions: 1, withFeedback: 1, unchangedShare: 1 });
      expect(q.tasks.queue.accuracy, scope).toBe(1);
    }
  });

  it("counts no label unmappable for the served model's prediction when the feedback named an older model's, in that model's taxonomy", async () => {
    // The old model had a queue the served one dropped; the person confirmed it on the old model's answer.
    const modelTasks = async (modelId: string) => {
      if (modelId !== 'old-model') throw Object.assign(new Error('not in the registry'), { code: 'REGISTRY_NOT_FOUND' });
      return [{ name: 'queue', labels: ['billing', 'cards'] }];
    };
    const { app, context } = await build({ modelTasks });
    await context.store.savePredictions([stored(P_OTHER, 'crm-13', 'old-model', at(30), 'cards')]);
    await classify(app, [{ id: 'crm-13', body: 'password' }]);
    expect((await app.request('/v1/feedback', jsonRequest({ predictionId: P_OTHER, labels: { queue: 'cards' }, closedAt }))).status).toBe(202);
    const served = await quality(app, 'hours=1');
    expect(served.tasks.queue).toMatchObject({ predictions: 1, withFeedback: 0, unmappable: 0 });
    const old = await quality(app, 'hours=1&model=old-model');
    expect(old.tasks.queue).toMatchObject({ withFeedback: 1, unmappable: 0, accuracy: 1 });
  });

  it('does not score a feedback naming a prediction made before the window against a newer one in it', async () => {
    const { app, context } = await build();
    await context.store.savePredictions([stored(P_O, 'crm-9', 'fake-1', at(120), 'billing')]);
    await classify(app, [{ id: 'crm-9', body: 'password' }]);
    expect((await app.request('/v1/feedback', jsonRequest({ predictionId: P_O, labels: { queue: 'billing' }, closedAt }))).status).toBe(202);
    expect(await quality(app, 'hours=1')).toMatchObject({ predictions: 1, withFeedback: 0 });
    // A window that holds the named prediction scores it.
    const wide = await quality(app, 'hours=3');
    expect(wide).toMatchObject({ predictions: 1, withFeedback: 1 });
    expect(wide.tasks.queue.accuracy).toBe(1);
  });

  it("scores a feedback by emailId against the email's newest prediction, also one made after it when none was stored before", async () => {
    const { app } = await build();
    await classify(app, [{ id: 'crm-10', body: 'invoice' }]);
    const [newest] = await classify(app, [{ id: 'crm-10', body: 'password' }]);
    const fb = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'crm-10', labels: { queue: 'technical' }, closedAt })));
    expect(fb).toMatchObject({ predictionId: newest.predictionId, matched: true });
    // Closed before the CRM classified it here: joined to the prediction made since.
    const early = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'crm-11', labels: { queue: 'technical' }, closedAt })));
    expect(early).toMatchObject({ matched: false });
    await classify(app, [{ id: 'crm-11', body: 'password' }]);
    const q = await quality(app, 'hours=1');
    expect(q).toMatchObject({ predictions: 2, withFeedback: 2, unchangedShare: 1 });
    expect(q.tasks.queue.accuracy).toBe(1);
  });

  it('scores the labels of a case corrected later by emailId against the prediction that correction refers to, the newest', async () => {
    const { app } = await build();
    const [first] = await classify(app, [{ id: 'crm-12', body: 'invoice' }]);
    await classify(app, [{ id: 'crm-12', body: 'password' }]);
    expect((await app.request('/v1/feedback', jsonRequest({ predictionId: first.predictionId, labels: { queue: 'billing' }, closedAt }))).status).toBe(202);
    // The later correction names no prediction: it refers to the newest (technical, login), and the case keeps its queue.
    const later = new Date(Date.parse(closedAt) + 60_000).toISOString();
    expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'crm-12', labels: { topic: 'login' }, closedAt: later }))).status).toBe(202);
    const q = await quality(app, 'hours=1');
    expect(q).toMatchObject({ predictions: 1, withFeedback: 1, unchangedShare: 0 });
    expect(q.tasks.queue.accuracy).toBe(0);
    expect(q.tasks.topic.accuracy).toBe(1);
  });
});
