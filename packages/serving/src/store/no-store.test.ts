import { describe, expect, it } from 'vitest';
import { authed, json, jsonRequest, KEYS, testAppBuilder } from '../test-support/harness.js';
import { noStore } from './no-store.js';

const build = testAppBuilder();

describe('noStore', () => {
  it('keeps nothing: saves do nothing, reads find nothing', async () => {
    const record = { predictionId: '0190a8c4-0000-7000-8000-000000000001', emailId: 'crm-1', modelId: 'm1', createdAt: '2026-01-01T00:00:00.000Z', labels: {}, confidences: {}, abstained: {}, queue: 'q', latencyMs: 1 };
    await noStore.savePredictions([record]);
    expect(noStore.queuePredictions?.([record])).toBeUndefined();
    expect(await noStore.getPrediction(record.predictionId)).toBeUndefined();
    expect(await noStore.findPredictionByEmail('crm-1')).toBeUndefined();
    expect(await noStore.listPairs({ since: '2025-01-01T00:00:00Z' })).toEqual([]);
    expect(noStore.keepsPredictions).toBe(false);
  });

  it('classifies as ever, and refuses feedback and quality with 404 PREDICTIONS_NOT_KEPT rather than answer from an empty store', async () => {
    const lines: Array<[string, Record<string, unknown> | undefined]> = [];
    const logger = { info: () => undefined, warn: (message: string, fields?: Record<string, unknown>) => void lines.push([message, fields]), error: () => undefined };
    const { app } = await build({ store: noStore, logger });
    const classified = await app.request('/v1/classify', jsonRequest({ emails: [{ id: 'crm-1', subject: 'invoice' }] }));
    expect(classified.status).toBe(200);
    const { predictions } = await json(classified);
    const feedback = await app.request('/v1/feedback', jsonRequest({ predictionId: predictions[0].predictionId, labels: { queue: 'billing' }, closedAt: '2026-01-01T00:00:00Z' }));
    expect(feedback.status).toBe(404);
    expect(await json(feedback)).toMatchObject({ code: 'PREDICTIONS_NOT_KEPT', route: '/v1/feedback', detail: expect.stringMatching(/^This server keeps no predictions .* so it takes no feedback: send the request to that API's \/v1\/feedback\.$/) });
    // Whatever the body: the server has nothing to join it to.
    expect((await json(app.request('/v1/feedback', jsonRequest('{"emailId": ')))).code).toBe('PREDICTIONS_NOT_KEPT');
    const quality = await app.request('/v1/quality?hours=24', authed());
    expect([quality.status, (await json(quality)).code]).toEqual([404, 'PREDICTIONS_NOT_KEPT']);
    // The key is checked first, as on every guarded route.
    expect((await app.request('/v1/quality')).status).toBe(401);
    expect((await app.request('/v1/feedback', jsonRequest({}, KEYS.classify))).status).toBe(403);
    expect(lines.filter(([, fields]) => fields?.code === 'PREDICTIONS_NOT_KEPT')).toHaveLength(3);
  });
});
