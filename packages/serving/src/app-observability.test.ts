import { describe, expect, it } from 'vitest';
import { StoreError } from './errors.js';
import { FAILURES_LOGGED_PER_MINUTE } from './http/failure-log.js';
import { createSqliteStore } from './store/sqlite-store.js';
import { authed, json, jsonRequest, testAppBuilder } from './test-support/harness.js';
import { classify, closedAt, invoiceEmail } from './test-support/route-helpers.js';

const build = testAppBuilder();

interface Line {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

function recordingLogger() {
  const lines: Line[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, fields });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
}

/** The value of one series in a /metrics page, or undefined when it is absent. */
async function series(app: Awaited<ReturnType<typeof build>>['app'], line: string): Promise<number | undefined> {
  const text = await (await app.request('/metrics', authed())).text();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('request ids', () => {
  it('echoes a usable x-request-id of the caller on an answer that is no error, and gives none without one', async () => {
    const { app } = await build();
    const sent = await app.request('/v1/classify', { ...jsonRequest({ emails: [invoiceEmail] }), headers: { ...jsonRequest({}).headers, 'x-request-id': 'crm-4711' } });
    expect(sent.status).toBe(200);
    expect(sent.headers.get('x-request-id')).toBe('crm-4711');
    const none = await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }));
    expect(none.headers.get('x-request-id')).toBeNull();
    // Not on the answers a cache may keep, which would give one caller's id to others.
    for (const cacheable of ['/docs', '/openapi.json']) expect((await app.request(cacheable, { headers: { 'x-request-id': 'crm-4711' } })).headers.get('x-request-id'), cacheable).toBeNull();
    // One that is not safe to echo (a comma, as two joined ids have) is not echoed on a 200.
    const unusable = await app.request('/healthz', { headers: { 'x-request-id': 'a,b' } });
    expect(unusable.status).toBe(200);
    expect(unusable.headers.get('x-request-id')).toBeNull();
  });

  it('with the access log, logs one line per answer and gives every answer the id that line and any error line carry', async () => {
    const { lines, logger } = recordingLogger();
    const store = createSqliteStore({ file: ':memory:' });
    const failing = { ...store, listPairs: async () => Promise.reject(new StoreError('SQLite read failed.', {}, { cause: new Error('SQLITE_CORRUPT') })) };
    const { app } = await build({ logger, accessLog: true, store: failing });
    const ok = await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }));
    expect(ok.status).toBe(200);
    const id = ok.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const access = lines.filter((l) => l.message === 'request');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ level: 'info', fields: { requestId: id, method: 'POST', route: '/v1/classify', status: 200, keyId: 'all' } });
    expect(access[0].fields?.ms).toBeGreaterThanOrEqual(0);
    // An error: its answer, its `request failed` line and its access line share the caller's id.
    const failed = await app.request('/v1/quality', { ...authed(), headers: { ...(authed().headers as Record<string, string>), 'x-request-id': 'crm-5' } });
    expect(failed.status).toBe(500);
    expect(failed.headers.get('x-request-id')).toBe('crm-5');
    expect(lines.filter((l) => l.fields?.requestId === 'crm-5').map((l) => l.message)).toEqual(['request failed', 'request']);
    // No text of the email in any line.
    expect(JSON.stringify(lines)).not.toMatch(/invoice/i);
  });

  it('without the access log, logs no line for an answer that is no error', async () => {
    const { lines, logger } = recordingLogger();
    const { app } = await build({ logger });
    expect((await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }))).status).toBe(200);
    expect(lines).toEqual([]);
  });
});

describe('request failed lines', () => {
  it('are logged at most FAILURES_LOGGED_PER_MINUTE a minute for a route and code; the next after the minute says how many were dropped', async () => {
    const { lines, logger } = recordingLogger();
    let now = Date.parse('2026-12-06T10:00:00Z');
    const store = createSqliteStore({ file: ':memory:' });
    const failing = { ...store, listPairs: async () => Promise.reject(new StoreError('SQLite read failed.', {})) };
    const { app } = await build({ logger, store: failing, clock: { now: () => now } });
    const failures = () => lines.filter((l) => l.message === 'request failed');
    for (let i = 0; i < FAILURES_LOGGED_PER_MINUTE + 3; i++) expect((await app.request('/v1/quality', authed())).status).toBe(500);
    expect(failures()).toHaveLength(FAILURES_LOGGED_PER_MINUTE);
    now += 61_000;
    expect((await app.request('/v1/quality', authed())).status).toBe(500);
    expect(failures()).toHaveLength(FAILURES_LOGGED_PER_MINUTE + 1);
    expect(failures().at(-1)?.fields).toMatchObject({ route: '/v1/quality', code: 'STORE_FAILED', suppressed: 3 });
  });
});

describe('metrics of answers and feedback', () => {
  it('counts problem answers by route and code, which the status alone does not tell apart', async () => {
    const { app } = await build();
    await app.request('/v1/classify', jsonRequest({ emails: [] }));
    await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }, null));
    await app.request('/v1/classfy', jsonRequest({ emails: [invoiceEmail] }));
    expect(await series(app, 'mailroute_problem_responses_total{code="REQUEST_INVALID",route="/v1/classify"}')).toBe(1);
    expect(await series(app, 'mailroute_problem_responses_total{code="UNAUTHENTICATED",route="/v1/classify"}')).toBe(1);
    expect(await series(app, 'mailroute_problem_responses_total{code="NOT_FOUND",route="unmatched"}')).toBe(1);
  });

  it('counts feedback by whether it matched a prediction, and the time from the prediction to the close of its case', async () => {
    const { app } = await build();
    const [p] = await classify(app, [{ id: 'mail-1', body: 'invoice please' }]);
    const soon = new Date(Date.now() + 60_000).toISOString();
    expect((await app.request('/v1/feedback', jsonRequest({ predictionId: p.predictionId, labels: { queue: 'billing' }, closedAt: soon }))).status).toBe(202);
    expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'mail-unknown', labels: { queue: 'billing' }, closedAt }))).status).toBe(202);
    // A case closed before its prediction was made (the route tests' closedAt, yesterday) counts, but has no delay.
    expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'mail-1', labels: { queue: 'technical' }, closedAt }))).status).toBe(202);
    expect(await series(app, 'mailroute_feedback_total{matched="true"}')).toBe(2);
    expect(await series(app, 'mailroute_feedback_total{matched="false"}')).toBe(1);
    expect(await series(app, 'mailroute_feedback_delay_seconds_count')).toBe(1);
    expect(await series(app, 'mailroute_feedback_delay_seconds_bucket{le="300"}')).toBe(1);
    expect(await series(app, 'mailroute_feedback_delay_seconds_bucket{le="900"}')).toBe(1);
    const sum = await series(app, 'mailroute_feedback_delay_seconds_sum');
    expect(sum).toBeGreaterThan(50);
    expect(sum).toBeLessThan(70);
    // A refused feedback (an unknown label) is no feedback counted.
    expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'mail-1', labels: { queue: 'nope' }, closedAt }))).status).toBe(422);
    expect(await series(app, 'mailroute_feedback_total{matched="true"}')).toBe(2);
    expect((await json(app.request('/v1/model', authed()))).modelId).toBe('fake-1');
  });
});
