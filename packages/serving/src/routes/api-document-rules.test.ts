import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authed, json, jsonRequest, KEYS, testAppBuilder, type Loose } from '../test-support/harness.js';
import { createSqliteStore } from '../store/sqlite-store.js';
import { classify, closedAt, invoiceEmail } from '../test-support/route-helpers.js';

const build = testAppBuilder();

/** Whether `value` meets one of `anyOf`'s branches as the document writes them: required members, each of its type. */
function meetsAnyOf(value: Record<string, unknown>, anyOf: Loose[]): boolean {
  return anyOf.some((branch) =>
    (branch.required as string[]).every((name) => name in value && typeof value[name] === branch.properties[name].type),
  );
}

/** A documented pattern as a client's validator reads it: ECMAScript, unanchored unless written so. */
const patternOf = (schema: Loose) => new RegExp(schema.pattern as string, 'u');

describe('the OpenAPI document says the rules the server checks, so a request it calls valid is not refused for them', () => {
  it('an email needs subject, body or html (null is absent): anyOf, with the refusal unchanged', async () => {
    const { app } = await build();
    const { Email } = (await json(app.request('/openapi.json'))).components.schemas;
    expect(Email.anyOf).toEqual([
      { required: ['subject'], properties: { subject: { type: 'string' } } },
      { required: ['body'], properties: { body: { type: 'string' } } },
      { required: ['html'], properties: { html: { type: 'string' } } },
    ]);
    const emails = [{ id: 'x' }, { subject: null }, { subject: null, body: null, html: null }, { subject: '' }, { body: 'Rechnung' }, { html: '<p>Hallo</p>', body: null }, { id: 'y', metadata: { subject: 'not this one' } }];
    for (const email of emails) {
      const res = await app.request('/v1/classify', jsonRequest({ emails: [email] }));
      expect(res.status, JSON.stringify(email)).toBe(meetsAnyOf(email, Email.anyOf) ? 200 : 400);
      if (res.status === 400) expect((await json(res)).issues[0].message).toBe('An email needs subject, body or html: this one has none of them (null counts as absent)');
    }
  });

  it('a feedback needs predictionId or emailId (null is absent): anyOf, with the refusal unchanged', async () => {
    const { app } = await build();
    const { FeedbackRequest } = (await json(app.request('/openapi.json'))).components.schemas;
    expect(FeedbackRequest.anyOf).toEqual([
      { required: ['predictionId'], properties: { predictionId: { type: 'string' } } },
      { required: ['emailId'], properties: { emailId: { type: 'string' } } },
    ]);
    for (const ids of [{}, { predictionId: null }, { predictionId: null, emailId: null }, { emailId: 'crm-1' }, { predictionId: null, emailId: 'crm-2' }]) {
      const res = await app.request('/v1/feedback', jsonRequest({ ...ids, labels: { queue: 'billing' }, closedAt }));
      expect(res.status, JSON.stringify(ids)).toBe(meetsAnyOf(ids, FeedbackRequest.anyOf) ? 202 : 400);
      if (res.status === 400) expect((await json(res)).issues[0]).toEqual({ path: ['predictionId'], message: 'predictionId or emailId is required', code: 'custom' });
    }
  });

  it('an id is not blanks alone: a pattern on every id, taking what the server takes', async () => {
    const { app } = await build();
    const doc = await json(app.request('/openapi.json'));
    const { Email, FeedbackRequest } = doc.components.schemas;
    const model = doc.paths['/v1/quality'].get.parameters.find((p: Loose) => p.name === 'model').schema;
    const emlId = doc.paths['/v1/classify/eml'].post.parameters.find((p: Loose) => p.name === 'id').schema;
    for (const schema of [Email.properties.id, FeedbackRequest.properties.emailId, model, emlId]) expect(schema.pattern).toBe(String.raw`\S`);
    // What trim() strips is what \S does not match: blanks, tabs, line breaks, NBSP, the BOM, U+3000.
    for (const id of ['   ', '\t\r\n', '\u00a0', '\ufeff', '\u3000 ', 'x', '  CRM-4711  ', '\u00a0x']) {
      const res = await app.request('/v1/classify', jsonRequest({ emails: [{ id, subject: 'Rechnung' }] }));
      expect(res.status, JSON.stringify(id)).toBe(patternOf(Email.properties.id).test(id) ? 200 : 400);
      if (res.status === 400) expect((await json(res)).issues[0].message).toBe('an id is empty: leave it out, or send null, when there is none');
      const quality = await app.request(`/v1/quality?model=${encodeURIComponent(id)}`, authed());
      expect(quality.status, JSON.stringify(id)).toBe(patternOf(model).test(id) ? 200 : 400);
    }
  });

  it("quality's hours: a pattern that takes exactly the hours the server takes, more than 0 and at most 366 days", async () => {
    const { app } = await build();
    const hours = (await json(app.request('/openapi.json'))).paths['/v1/quality'].get.parameters.find((p: Loose) => p.name === 'hours').schema;
    expect(hours.description).toContain('more than 0 and at most 8784 (366 days)');
    const pattern = patternOf(hours);
    const agrees = async (text: string) => {
      const res = await app.request(`/v1/quality?hours=${encodeURIComponent(text)}`, authed());
      expect(res.status, text).toBe(pattern.test(text) ? 200 : 400);
    };
    const edges = ['0', '00', '0.0', '0.000', '0.5', '00.25', '1', '24', '1.5', '0024', '999', '1000', '7999.9', '8699', '8779', '8783.99', '8784', '8784.0', '08784.00', '8784.01', '8785', '9000', '10000', '', '1e3', '0x10', ' 24', '24.', '.5', '-1'];
    for (const text of edges) await agrees(text);
    // Decimal numbers around the bounds, as a client writes them.
    const decimal = fc.tuple(fc.integer({ min: 0, max: 12_000 }), fc.option(fc.stringMatching(/^\d{1,4}$/), { nil: undefined }), fc.nat(2));
    await fc.assert(fc.asyncProperty(decimal, async ([whole, fraction, zeros]) => agrees(`${'0'.repeat(zeros)}${whole}${fraction === undefined ? '' : `.${fraction}`}`)), { numRuns: 150 });
  });

  it('receivedAt: a string of any length, a number or null, as the server takes them (left out with a warning when unread); a boolean is refused', async () => {
    const { app } = await build();
    const { receivedAt } = (await json(app.request('/openapi.json'))).components.schemas.Email.properties;
    expect(receivedAt.type).toEqual(['string', 'number', 'null']);
    expect(receivedAt).not.toHaveProperty('maxLength');
    expect(receivedAt.description).toContain('one over 100 characters');
    expect(receivedAt.description).toContain('a boolean, an object or an array gets 400');
    const sent = async (value: unknown) => app.request('/v1/classify', jsonRequest({ emails: [{ id: 'crm-1', subject: 'Rechnung', receivedAt: value }] }));
    for (const value of [1_762_161_300_000, 1_762_161_300, `2025-11-03T10:15:00Z${' '.repeat(90)}`]) {
      const res = await sent(value);
      expect(res.status, String(value)).toBe(200);
      expect((await json(res)).warnings.join(' '), String(value)).toMatch(/^receivedAt .* of emails\[0\] \(id "crm-1"\) was not read and was left out/);
    }
    expect((await sent(null)).status).toBe(200);
    for (const value of [true, { at: 'now' }, ['2025-11-03']]) expect((await sent(value)).status, JSON.stringify(value)).toBe(400);
  });

  it("names the scope each operation's key needs, as the server checks it", async () => {
    const { app } = await build();
    const doc = await json(app.request('/openapi.json'));
    const scopes: Record<string, string[] | undefined> = {};
    for (const [path, item] of Object.entries<Loose>(doc.paths)) {
      for (const [method, op] of Object.entries<Loose>(item)) {
        const security = op.security as Array<Record<string, string[]>> | undefined;
        if (security !== undefined) expect(security[0].apiKey, `${method} ${path}`).toEqual(security[1].apiKeyHeader);
        scopes[`${method.toUpperCase()} ${path}`] = security?.[0].apiKey;
      }
    }
    expect(scopes).toMatchObject({
      'POST /v1/classify': ['classify'],
      'POST /v1/classify/eml': ['classify'],
      'POST /invocations': ['classify'],
      'POST /v1/feedback': ['feedback'],
      'GET /v1/quality': ['feedback'],
      'POST /v1/admin/reload': ['admin'],
      'GET /v1/model': [],
      'GET /metrics': [],
      'GET /healthz': undefined,
    });
    // A classify-only key is refused (403) exactly where the document names another scope.
    for (const [operation, needs] of Object.entries(scopes)) {
      const [method, path] = operation.split(' ');
      const res = await app.request(path, authed(KEYS.classify, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined }));
      expect(res.status === 403, `${operation}: ${res.status}`).toBe(needs !== undefined && needs.length > 0 && !needs.includes('classify'));
    }
    expect(doc.components.securitySchemes.apiKey.description).toContain("An operation's security requirement names the scope its key needs");
    // The fourth scope, which names no operation of its own, is said too.
    expect(doc.components.securitySchemes.apiKeyHeader.description).toContain('scope metrics: /metrics and /v1/model only');
  });

  it('declares the x-request-id a successful answer echoes, on every GET operation that echoes it and on none that does not', async () => {
    const { app } = await build();
    const doc = await json(app.request('/openapi.json'));
    const declared: Record<string, boolean> = {};
    for (const [path, item] of Object.entries<Loose>(doc.paths)) {
      for (const [method, op] of Object.entries<Loose>(item)) {
        const ok = Object.entries<Loose>(op.responses).filter(([status]) => status.startsWith('2'));
        expect(ok.length, `${method} ${path}`).toBeGreaterThan(0);
        declared[`${method} ${path}`] = ok.every(([, response]) => response.headers?.['x-request-id'] !== undefined);
        if (method !== 'get') continue;
        const res = await app.request(path, authed(KEYS.all, { headers: { 'x-request-id': 'crm-4711' } }));
        expect(res.status, path).toBe(200);
        expect(res.headers.get('x-request-id') === 'crm-4711', path).toBe(declared[`${method} ${path}`]);
      }
    }
    expect(declared).toMatchObject({ 'post /v1/classify': true, 'post /v1/feedback': true, 'get /v1/model': true, 'get /openapi.json': false, 'get /docs': false });
  });

  it('says on /v1/feedback that a timed-out feedback may be recorded, and that sending it again is safe, as it is', async () => {
    const store = createSqliteStore({ file: ':memory:' });
    // A commit slower than the request timeout, this once.
    let delayMs = 150;
    const saveFeedback: typeof store.saveFeedback = async (feedback) => {
      await new Promise((r) => setTimeout(r, delayMs));
      return store.saveFeedback(feedback);
    };
    const { app } = await build({ store: { ...store, saveFeedback }, limits: { requestTimeoutMs: 30 } });
    const doc = await json(app.request('/openapi.json'));
    const { description } = doc.paths['/v1/feedback'].post.responses['503'];
    expect(description).toContain('A feedback answered `REQUEST_TIMEOUT` may already be recorded');
    expect(description).toContain('Sending the same feedback again is safe');
    expect(doc.paths['/v1/classify'].post.responses['503'].description).not.toContain('Sending the same feedback again');

    const [prediction] = await classify(app, [invoiceEmail]);
    const feedback = { predictionId: prediction.predictionId, labels: { queue: 'billing' }, closedAt };
    const timedOut = await app.request('/v1/feedback', jsonRequest(feedback));
    expect([timedOut.status, (await json(timedOut)).code]).toEqual([503, 'REQUEST_TIMEOUT']);
    await new Promise((r) => setTimeout(r, 300));
    const stored = async () => (await store.listPairs({ since: '2000-01-01T00:00:00Z' })).map((pair) => pair.feedback?.labels);
    expect(await stored()).toEqual([{ queue: 'billing' }]);
    delayMs = 0;
    const again = await app.request('/v1/feedback', jsonRequest(feedback));
    expect([again.status, (await json(again)).status]).toEqual([202, 'recorded']);
    expect(await stored()).toEqual([{ queue: 'billing' }]);
  });
});
