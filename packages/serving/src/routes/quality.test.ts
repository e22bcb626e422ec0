import { describe, expect, it } from 'vitest';
import { createFakeClassifier } from '../test-support/fake-classifier.js';
import { createSqliteStore } from '../store/sqlite-store.js';
import { createStaticClassifierSource } from '../model/classifier-source.js';
import { noPredictionsWarning } from './quality.js';
import { authed, json, jsonRequest, KEYS, testAppBuilder } from '../test-support/harness.js';
import { at, classify, closedAt } from '../test-support/route-helpers.js';

const build = testAppBuilder();

describe('GET /v1/quality', () => {
  it('reads hours as a plain decimal number only, and says what is wrong with any other', async () => {
    const { app } = await build();
    const problem = async (query: string) => {
      const res = await app.request(`/v1/quality?${query}`, authed());
      expect(res.status, query).toBe(400);
      return (await json(res)).issues[0].message as string;
    };
    expect(await problem('hours=')).toMatch(/^hours is empty: give the window in hours, a plain decimal number such as 24 or 1\.5/);
    expect(await problem('hours=0x10')).toBe('hours must be a plain decimal number of hours, such as 24 or 1.5, not "0x10"');
    expect(await problem('hours=1e3')).toMatch(/^hours must be a plain decimal number/);
    expect(await problem('hours=%2024')).toMatch(/^hours must be a plain decimal number/);
    expect(await problem('hours=1&hours=2')).toBe('hours is given 2 times: give it once');
    expect(await problem('hours=0')).toBe('hours must be more than 0');
    expect(await problem('hours=9000')).toBe('hours must be at most 8784 (366 days)');
    expect(await problem('model=a&model=b')).toBe('model is given 2 times: give it once');
    // A model id encoded as Latin-1 (or a bare %) would be read as its raw text and match no model.
    expect(await problem('model=m%FC')).toMatch(/^model is not UTF-8 percent-encoding at "%FC"/);
    for (const query of ['', 'hours=24', 'hours=1.5', 'hours=8784']) expect((await app.request(`/v1/quality?${query}`, authed())).status, query).toBe(200);
  });

  it('names the query parameters it does not read, so a misspelt hours is not measured as the default window unsaid', async () => {
    const { app } = await build();
    const answer = await json(app.request('/v1/quality?hour=24&modle=all', authed()));
    expect(Date.parse(answer.window.until) - Date.parse(answer.window.since)).toBe(168 * 3_600_000);
    expect(answer.warnings).toEqual(['Query parameters mailroute does not read were ignored: hour (did you mean hours?), modle (did you mean model?). This route reads ?hours=, ?model= only.']);
    expect((await json(app.request('/v1/quality?hours=24', authed()))).warnings).toBeUndefined();
  });

  it('refuses a window named by dates or days (400), which it would otherwise answer with the default window', async () => {
    const { app } = await build();
    const res = await app.request('/v1/quality?from=2026-12-01&To=2026-12-07&model=all', authed());
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = await json(res);
    expect(problem.code).toBe('REQUEST_INVALID');
    expect(problem.issues.map((i: { path: string[] }) => i.path[0])).toEqual(['from', 'To']);
    expect(problem.detail).toMatch(/^The query parameters \?from=, \?To= are not read here: \/v1\/quality measures the predictions of the last \?hours= hours, ending now \(\?hours=720 for 30 days/);
    for (const query of ['days=30', 'since=2026-12-01', 'until=2026-12-07T00:00:00Z']) expect((await app.request(`/v1/quality?${query}`, authed())).status, query).toBe(400);
    // Other unread parameters still only warn.
    expect((await app.request('/v1/quality?hour=24', authed())).status).toBe(200);
  });

  it('says a body sent with the GET is not read, as its parameters go in the query', async () => {
    const { app } = await build();
    // As a GET with a body reaches the app (Request objects refuse to build one): its headers say it has one.
    const answer = await json(app.request('/v1/quality', authed(KEYS.all, { headers: { 'content-type': 'application/json', 'content-length': '13' } })));
    expect(answer.warnings).toEqual(['The request body was not read: /v1/quality reads only its query parameters, ?hours= and ?model= (/v1/quality?hours=24).']);
    expect(Date.parse(answer.window.until) - Date.parse(answer.window.since)).toBe(168 * 3_600_000);
  });

  it('computes accuracy, macro-F1, unchanged share, coverage and bands from feedback', async () => {
    const { app } = await build();
    const preds = await classify(app, [
      { id: 'a', body: 'invoice' },
      { id: 'b', body: 'invoice' },
      { id: 'c', body: 'password reset' },
      { id: 'd', body: 'hello' },
    ]);
    const fb = (id: string, queue: string) => app.request('/v1/feedback', jsonRequest({ emailId: id, labels: { queue }, closedAt }));
    expect((await fb('a', 'billing')).status).toBe(202);
    expect((await fb('b', 'general')).status).toBe(202);
    expect((await fb('c', 'technical')).status).toBe(202);
    expect(preds).toHaveLength(4);
    const res = await app.request('/v1/quality?hours=1', authed());
    expect(res.status).toBe(200);
    const q = await json(res);
    expect(q.predictions).toBe(4);
    expect(q.withFeedback).toBe(3);
    expect(q.unchangedShare).toBeCloseTo(2 / 3, 9);
    expect(q.tasks.queue.accuracy).toBeCloseTo(2 / 3, 9);
    // truth [billing, general, technical], predicted [billing, billing, technical]: F1 1, 2/3, 0 for general... macro = (2/3 + 0 + 1) / 3
    expect(q.tasks.queue.macroF1).toBeCloseTo((2 / 3 + 0 + 1) / 3, 9);
    expect(q.tasks.queue.coverage).toBeCloseTo(3 / 4, 9);
    // The share routed to a queue is what the classify answers said: every email not sent to manual triage.
    const toQueue = preds.filter((p) => p.route.queue !== 'manual_triage').length;
    expect(toQueue).toBeGreaterThan(0);
    expect(q.routedShare).toBeCloseTo(toQueue / 4, 9);
    const top = q.tasks.queue.bands.find((b: { band: string }) => b.band === '0.9-1.0');
    expect(top).toEqual({ band: '0.9-1.0', predictions: 2, withFeedback: 2, accuracy: 0.5 });
    expect(q.tasks.queue.drift.reference).toBe('none');
  });

  it('counts a prediction made in the same millisecond as the question', async () => {
    const frozen = Date.parse('2026-11-29T12:00:00.000Z');
    const { app } = await build({ clock: { now: () => frozen } });
    await classify(app, [{ body: 'invoice' }]);
    const q = await json(app.request('/v1/quality?hours=1', authed()));
    expect(q.predictions).toBe(1);
    expect(q.window.until > new Date(frozen).toISOString()).toBe(true);
  });

  it('measures drift against the training distribution when it is known', async () => {
    const { app } = await build({ trainingDistribution: async () => ({ queue: { billing: 0.2, technical: 0.4, general: 0.4 } }) });
    await classify(app, [{ body: 'invoice' }, { body: 'invoice' }, { body: 'invoice' }, { body: 'invoice' }]);
    // Four predictions are too few for a drift figure (chance alone gives a PSI that reads as a shift):
    // three labels need 40 (20 per label beyond the first).
    const few = await json(app.request('/v1/quality', authed()));
    expect(few.tasks.queue.drift).toMatchObject({ reference: 'training', minPredictions: 40, psi: null, jsDivergence: null });
    await classify(app, Array.from({ length: 35 }, () => ({ body: 'invoice' })));
    expect((await json(app.request('/v1/quality', authed()))).tasks.queue.drift.psi).toBeNull();
    await classify(app, [{ body: 'invoice' }]);
    const q = await json(app.request('/v1/quality', authed()));
    expect(q.tasks.queue.drift.reference).toBe('training');
    expect(q.tasks.queue.drift.psi).toBeGreaterThan(0.25);
    expect(q.tasks.queue.drift.jsDivergence).toBeGreaterThan(0.3);
    expect(q.tasks.queue.drift.predicted).toEqual({ billing: 1 });
  });

  it('keeps the tasks and training shares of the model served when the request came, though a swap happens while the window is read', async () => {
    const before = createFakeClassifier({ modelId: 'model-a' });
    const after = createFakeClassifier({ modelId: 'model-b' });
    const source = createStaticClassifierSource(before);
    await source.reload();
    let served = before;
    const swapping = new Proxy(source, { get: (target, key) => (key === 'current' ? () => served : Reflect.get(target, key)) });
    const shares: Record<string, Record<string, Record<string, number>>> = {
      'model-a': { queue: { billing: 1 / 3, technical: 1 / 3, general: 1 / 3 } },
      'model-b': { queue: { billing: 0.02, technical: 0.02, general: 0.96 } },
    };
    const store = createSqliteStore({ file: ':memory:' });
    const listPairs = store.listPairs.bind(store);
    let swapOnRead = false;
    store.listPairs = async (window) => {
      const pairs = await listPairs(window);
      if (swapOnRead) served = after;
      return pairs;
    };
    const asked: string[] = [];
    const trainingDistribution = async (modelId: string) => {
      asked.push(modelId);
      return shares[modelId];
    };
    const { app } = await build({ classifierSource: swapping, store, trainingDistribution });
    await classify(app, Array.from({ length: 60 }, (_, i) => ({ body: ['invoice', 'password', 'hello'][i % 3] })));
    const calm = await json(app.request('/v1/quality', authed()));
    swapOnRead = true;
    const swapped = await json(app.request('/v1/quality', authed()));
    expect(swapped.modelId).toBe('model-a');
    expect(swapped.tasks.queue.drift.expected).toEqual(calm.tasks.queue.drift.expected);
    expect(swapped.tasks.queue.drift.psi).toBeCloseTo(calm.tasks.queue.drift.psi, 9);
    // The labels of the served model's task (three here) set how many predictions a drift figure needs.
    expect(swapped.tasks.queue.drift.minPredictions).toBe(40);
    expect(asked).toEqual(['model-a', 'model-a']);
  });

  it('measures the served model by default, another model or all of them on request, and counts emails per model', async () => {
    const { app, context } = await build();
    const [served] = await classify(app, [{ id: 'new-1', body: 'invoice' }]);
    expect(served).toBeDefined();
    const servedId = context.source.current()?.modelId as string;
    // Before a swap, an older model predicted two emails; one was closed with another queue.
    const createdAt = new Date(Date.now() - 60_000).toISOString();
    const old = (emailId: string) => ({ predictionId: `old-${emailId}`, emailId, modelId: 'old-model', createdAt, labels: { queue: 'billing' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'billing', latencyMs: 1 });
    await context.store.savePredictions([old('old-1'), old('old-2')]);
    expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'old-1', labels: { queue: 'technical' }, closedAt }))).status).toBe(202);
    const mine = await json(app.request('/v1/quality?hours=1', authed()));
    expect(mine).toMatchObject({ modelId: servedId, models: { [servedId]: 1, 'old-model': 2 }, predictions: 1, withFeedback: 0 });
    const before = await json(app.request('/v1/quality?hours=1&model=old-model', authed()));
    expect(before).toMatchObject({ modelId: 'old-model', predictions: 2, withFeedback: 1 });
    expect(before.tasks.queue.accuracy).toBeCloseTo(0, 9);
    const all = await json(app.request('/v1/quality?hours=1&model=all', authed()));
    expect(all).toMatchObject({ modelId: 'all', predictions: 3, withFeedback: 1 });
  });

  it("measures another model's drift against that model's own training shares (model=<id>), and all models' against none", async () => {
    const asked: string[] = [];
    const trainingDistribution = async (modelId: string) => {
      asked.push(modelId);
      return modelId === 'old-model' ? { queue: { billing: 0.5, technical: 0.5 } } : undefined;
    };
    const { app, context } = await build({ trainingDistribution });
    const createdAt = new Date(Date.now() - 60_000).toISOString();
    const old = (i: number) => ({ predictionId: `old-${i}`, emailId: `old-${i}`, modelId: 'old-model', createdAt, labels: { queue: 'billing' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'billing', latencyMs: 1 });
    await context.store.savePredictions(Array.from({ length: 40 }, (_, i) => old(i)));
    const before = await json(app.request('/v1/quality?hours=1&model=old-model', authed()));
    expect(before.tasks.queue.drift).toMatchObject({ reference: 'training', predicted: { billing: 1 } });
    expect(before.tasks.queue.drift.expected).toEqual({ billing: 0.5, technical: 0.5 });
    expect(before.tasks.queue.drift.psi).toBeGreaterThan(0.25);
    const all = await json(app.request('/v1/quality?hours=1&model=all', authed()));
    expect(all.tasks.queue.drift.reference).not.toBe('training');
    // A model with no predictions in the window (a typo) is not looked up.
    await json(app.request('/v1/quality?hours=1&model=old-modle', authed()));
    expect(asked).not.toContain('old-modle');
    expect(asked).not.toContain('all');
  });

  it('says a model id with no predictions in the window (a typo, one never served) has none, naming the models that do', async () => {
    const { app, context } = await build();
    await classify(app, [{ id: 'new-1', body: 'invoice' }]);
    const servedId = context.source.current()?.modelId as string;
    const old = { predictionId: 'old-1', emailId: 'old-1', modelId: 'old-model-7', createdAt: at(1), labels: { queue: 'billing' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'billing', latencyMs: 1 };
    await context.store.savePredictions([old]);
    const typo = await json(app.request('/v1/quality?hours=1&model=old-model-8', authed()));
    expect(typo).toMatchObject({ modelId: 'old-model-8', predictions: 0, withFeedback: 0 });
    expect(typo.warnings).toEqual([
      `No predictions are recorded for model "old-model-8" in the last 1 hour(s): its figures are zeros, not a measurement. Did you mean "old-model-7"? Models with predictions there (emails): ${[`${servedId} (1)`, 'old-model-7 (1)'].sort().join(', ')}. Model ids are matched exactly; ?model=all measures every model.`,
    ]);
    // One never served, in an empty window: nothing to guess, nothing to name.
    const empty = await build();
    const never = await json(empty.app.request('/v1/quality?hours=2&model=never-served', authed()));
    expect(never.warnings).toEqual(['No predictions are recorded for model "never-served" in the last 2 hour(s): its figures are zeros, not a measurement. No model has predictions there. Model ids are matched exactly; ?model=all measures every model.']);
    // A model with predictions, all of them, and the default (the served model) are measured without the warning.
    for (const query of ['model=old-model-7', 'model=all', '']) expect((await json(app.request(`/v1/quality?hours=1&${query}`, authed()))).warnings, query).toBeUndefined();
  });

  it('says when the served model has no predictions yet while another has (just after a swap), naming them', async () => {
    const { app, context } = await build();
    const servedId = context.source.current()?.modelId as string;
    // The model served before the swap predicted these; the one served now none yet.
    await context.store.savePredictions([{ predictionId: 'old-1', emailId: 'old-1', modelId: 'replaced-model', createdAt: at(1), labels: { queue: 'billing' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'billing', latencyMs: 1 }]);
    const after = await json(app.request('/v1/quality?hours=1', authed()));
    expect(after).toMatchObject({ modelId: servedId, predictions: 0 });
    expect(after.warnings).toEqual([
      `The model served now, "${servedId}", has no predictions in the last 1 hour(s) (it was loaded since): these figures are its zeros, not a measurement. Models with predictions there (emails): replaced-model (1). Ask ?model=<id> for one of them, or ?model=all for every model.`,
    ]);
    // An empty window is no news: nothing else was measured either.
    expect((await json((await build()).app.request('/v1/quality?hours=1', authed()))).warnings).toBeUndefined();
  });

  it('names at most ten models in that warning, and says when only the predictions read were looked at (a truncated window)', () => {
    const models = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`m-${String(i).padStart(2, '0')}`, i + 1]));
    expect(noPredictionsWarning('x-model', 24, models, true)).toBe(
      'No predictions are recorded for model "x-model" among the predictions read of the last 24 hour(s) (the window held more than one answer reads): its figures are zeros, not a measurement. Models with predictions there (emails): m-00 (1), m-01 (2), m-02 (3), m-03 (4), m-04 (5), m-05 (6), m-06 (7), m-07 (8), m-08 (9), m-09 (10), and 2 more. Model ids are matched exactly; ?model=all measures every model.',
    );
  });

  it('scores labels under the served model\'s current names: an older model\'s renamed label is not wrong for the name alone', async () => {
    // The served model was trained after `accounting` was renamed `billing`; the old model still predicted `accounting`.
    const fake = createFakeClassifier();
    const classifier = Object.assign(fake, { tasks: fake.tasks.map((t) => (t.name === 'queue' ? { ...t, aliases: { accounting: 'billing' } } : t)) });
    const { app, context } = await build({ classifier });
    const createdAt = new Date(Date.now() - 60_000).toISOString();
    const old = (emailId: string) => ({ predictionId: `old-${emailId}`, emailId, modelId: 'old-model', createdAt, labels: { queue: 'accounting' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'accounting', latencyMs: 1 });
    await context.store.savePredictions([old('o1'), old('o2'), old('o3')]);
    // Closed under the new name, under the old one (stored as the new), and as another queue.
    for (const [emailId, queue] of [['o1', 'billing'], ['o2', 'accounting'], ['o3', 'technical']]) {
      expect((await app.request('/v1/feedback', jsonRequest({ emailId, labels: { queue }, closedAt }))).status).toBe(202);
    }
    const before = await json(app.request('/v1/quality?hours=1&model=old-model', authed()));
    expect(before.tasks.queue.accuracy).toBeCloseTo(2 / 3, 9);
    expect(before.unchangedShare).toBeCloseTo(2 / 3, 9);
    expect(before.tasks.queue.drift.predicted).toEqual({ billing: 1 });
  });

  it("leaves out of the unchanged share an email closed only with the label of a task its model did not predict (added since)", async () => {
    const { app, context } = await build();
    // An older model predicted the queue only; the served one added topic. One case closed with the topic alone.
    const createdAt = new Date(Date.now() - 60_000).toISOString();
    const old = (emailId: string) => ({ predictionId: `old-${emailId}`, emailId, modelId: 'old-model', createdAt, labels: { queue: 'billing' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'billing', latencyMs: 1 });
    await context.store.savePredictions([old('o1'), old('o2')]);
    expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'o1', labels: { topic: 'invoice' }, closedAt }))).status).toBe(202);
    const topicOnly = await json(app.request('/v1/quality?hours=1&model=old-model', authed()));
    expect(topicOnly).toMatchObject({ withFeedback: 1, unchangedShare: null });
    // Another closed with a changed queue: 0 of 1 unchanged, not 1 of 2.
    expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'o2', labels: { queue: 'technical' }, closedAt }))).status).toBe(202);
    const q = await json(app.request('/v1/quality?hours=1&model=old-model', authed()));
    expect(q).toMatchObject({ withFeedback: 2, unchangedShare: 0 });
  });

  it('measures the newest predictions of a window bigger than one answer reads, and says so', async () => {
    const { app, context } = await build({ limits: { qualityMaxPredictions: 2 } });
    const rec = (id: string, modelId: string, createdAt: string) => ({ predictionId: id, emailId: `e-${id}`, modelId, createdAt, labels: { queue: 'billing' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'billing', latencyMs: 1 });
    await context.store.savePredictions([rec('p1', 'old-model', at(30)), rec('p2', 'old-model', at(20)), rec('p3', 'new-model', at(10)), rec('p4', 'new-model', at(5))]);
    // The oldest prediction has feedback: it is measured too, though it is older than the newest two.
    expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'e-p1', labels: { queue: 'billing' }, closedAt }))).status).toBe(202);
    const q = await json(app.request('/v1/quality?hours=1&model=all', authed()));
    expect(q).toMatchObject({ truncated: true, predictions: 3, withFeedback: 1, models: { 'new-model': 2, 'old-model': 1 } });
    expect(q.tasks.queue.accuracy).toBe(1);
    // Predictions without feedback are counted from the oldest of the newest two read (p3, 10 minutes ago).
    expect(Math.abs(Date.parse(q.sampledSince) - (Date.now() - 10 * 60_000))).toBeLessThan(5_000);
    const small = await build();
    expect((await json(small.app.request('/v1/quality?hours=1', authed()))).truncated).toBe(false);
    // Exactly as many as one answer reads: nothing left out.
    const exact = await build({ limits: { qualityMaxPredictions: 4 } });
    await exact.context.store.savePredictions([rec('p1', 'old-model', at(30)), rec('p2', 'old-model', at(20)), rec('p3', 'new-model', at(10)), rec('p4', 'new-model', at(5))]);
    expect(await json(exact.app.request('/v1/quality?hours=1&model=all', authed()))).toMatchObject({ truncated: false, sampledSince: null, predictions: 4 });
  });

  it('computes at most two answers at once: a third gets 503 with Retry-After', async () => {
    const store = createSqliteStore({ file: ':memory:' });
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const slow = Object.assign(Object.create(store) as typeof store, { listPairs: async (w: Parameters<typeof store.listPairs>[0]) => (await gate, store.listPairs(w)) });
    const { app } = await build({ store: slow });
    const first = [app.request('/v1/quality', authed()), app.request('/v1/quality', authed())];
    await new Promise((r) => setTimeout(r, 20));
    const third = await app.request('/v1/quality', authed());
    expect(third.status).toBe(503);
    expect(third.headers.get('retry-after')).toBe('1');
    release();
    expect((await Promise.all(first)).map((r) => r.status)).toEqual([200, 200]);
    expect((await app.request('/v1/quality', authed())).status).toBe(200);
  });

  it('answers 503 REQUEST_TIMEOUT when its reads take longer than the request timeout (a store kept waiting), and keeps the slot until they end', async () => {
    const store = createSqliteStore({ file: ':memory:' });
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const slow = Object.assign(Object.create(store) as typeof store, { listPairs: async (w: Parameters<typeof store.listPairs>[0]) => (await gate, store.listPairs(w)) });
    const { app } = await build({ store: slow, limits: { requestTimeoutMs: 30 } });
    const timedOut = await Promise.all([app.request('/v1/quality', authed()), app.request('/v1/quality', authed())]);
    expect(timedOut.map((r) => r.status)).toEqual([503, 503]);
    expect(timedOut[0].headers.get('content-type')).toBe('application/problem+json');
    // Not 1 s: the same request sent again at once would take as long.
    expect(timedOut[0].headers.get('retry-after')).toBe('5');
    expect(await json(timedOut[0])).toMatchObject({ code: 'REQUEST_TIMEOUT', detail: expect.stringMatching(/^The request took longer than 30 ms, the server's request timeout/) });
    // The two timed-out computations still hold their slots: a third is refused as over the cap, not started.
    const third = await app.request('/v1/quality', authed());
    expect([third.status, ((await json(third)) as { code: string }).code]).toEqual([503, 'OVERLOADED']);
    release();
    // Given back once those reads end; how soon after the release is the machine's speed: asked until then.
    let after = await app.request('/v1/quality', authed());
    for (let tries = 0; after.status === 503 && tries < 500; tries++) {
      await new Promise((r) => setTimeout(r, 10));
      after = await app.request('/v1/quality', authed());
    }
    expect(after.status).toBe(200);
  });

  it('needs the feedback scope', async () => {
    const { app } = await build();
    expect((await app.request('/v1/quality', authed(KEYS.classify))).status).toBe(403);
  });
});
