import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { authed, jsonRequest, testAppBuilder } from './test-support/harness.js';
import { invoiceEmail } from './test-support/route-helpers.js';

const build = testAppBuilder();

describe('the app mounted under a prefix in another Hono app (the serving README: Embedding)', () => {
  it('answers under the prefix as it does alone: classify, 405 with Allow, a problem 404, its own route names', async () => {
    const serving = await build();
    const bank = new Hono();
    bank.mount('/mailroute', serving.app.fetch);
    const classified = await bank.request('/mailroute/v1/classify', jsonRequest({ emails: [invoiceEmail] }));
    expect(classified.status).toBe(200);
    expect(((await classified.json()) as { predictions: unknown[] }).predictions).toHaveLength(1);
    const wrongMethod = await bank.request('/mailroute/v1/classify');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST, OPTIONS');
    const missing = await bank.request('/mailroute/v1/nope');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    const metrics = await (await bank.request('/mailroute/metrics', authed())).text();
    expect(metrics).toContain('mailroute_http_requests_total{method="POST",route="/v1/classify",status="200"} 1');
  });
});
