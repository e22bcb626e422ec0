import { describe, expect, it } from 'vitest';
import { createApiKeyAuth, hashApiKey } from './auth/api-keys.js';
import { createFakeClassifier } from './test-support/fake-classifier.js';
import { authed, json, jsonRequest, KEYS, testAppBuilder } from './test-support/harness.js';
import { closedAt, invoiceEmail } from './test-support/route-helpers.js';
import { createSqliteStore } from './store/sqlite-store.js';

const build = testAppBuilder();

/** Resolves once `done()` holds, asked at each turn of the event loop (one turn more, for what the last one started); rejects after 10,000 turns. */
async function untilTrue(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 10_000; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
    if (done()) return void (await new Promise((resolve) => setImmediate(resolve)));
  }
  throw new Error('never came to pass');
}

describe('auth and limits', () => {
  it('401 without a key, 401 with a wrong key, 403 without the scope', async () => {
    const { app } = await build();
    const none = await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }, null));
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="mailroute"');
    expect((await json(none)).code).toBe('UNAUTHENTICATED');
    const wrong = await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }, 'mr_wrong'));
    expect(wrong.status).toBe(401);
    expect((await json(wrong)).detail).toBe("The API key is not valid: it is none of this server's keys (a rotated or revoked key stops working); ask the server's operator for a valid one.");
    // A valid key in two Authorization headers, as Node joins them: said as the header sent twice, not as a wrong key.
    const twice = await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }, `${KEYS.all}, Bearer ${KEYS.all}`));
    expect(twice.status).toBe(401);
    expect((await json(twice)).detail).toMatch(/^The Authorization header was sent more than once/);
    const basic = await app.request('/v1/classify', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${KEYS.all}` }, body: '{}' });
    expect((await json(basic)).detail).toBe('The Authorization scheme must be Bearer, not Basic (Authorization: Bearer <key>).');
    const longType = await app.request('/v1/classify', authed(KEYS.all, { method: 'POST', headers: { 'content-type': `text/${'x'.repeat(5000)}` }, body: '{}' }));
    expect(longType.status).toBe(415);
    expect((await json(longType)).detail.length).toBeLessThan(200);
    const latin1 = await app.request('/v1/classify', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'application/json; charset=iso-8859-1' }, body: '{}' }));
    expect(latin1.status).toBe(415);
    expect((await json(latin1)).detail).toContain('JSON must be UTF-8, not iso-8859-1');
    // Every charset parameter, its whole value: a blank in quotes, a second parameter or a second word do not slip through.
    for (const type of ['application/json; charset=" latin1"', 'application/json; charset=utf-8;charset=latin1', 'application/json; charset=utf-8 latin1', 'application/json; charset=""']) {
      const res = await app.request('/v1/classify', authed(KEYS.all, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify({ emails: [invoiceEmail] }) }));
      expect(res.status, type).toBe(415);
      expect((await json(res)).detail, type).toMatch(/^JSON must be UTF-8, not /);
    }
    const utf8 = await app.request('/v1/classify', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'application/json; charset="UTF-8"' }, body: JSON.stringify({ emails: [invoiceEmail] }) }));
    expect(utf8.status).toBe(200);
    // ASCII is UTF-8 (the bytes are checked either way).
    const ascii = await app.request('/v1/classify', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'application/json; charset=US-ASCII' }, body: JSON.stringify({ emails: [invoiceEmail] }) }));
    expect(ascii.status).toBe(200);
    // Blanks around ';' and '=' (RFC 9110 allows them; the body validator does not) are read as JSON.
    const spaced = await app.request('/v1/classify', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'application/json ; charset = utf-8' }, body: JSON.stringify({ emails: [invoiceEmail] }) }));
    expect(spaced.status).toBe(200);
    expect((await json(spaced)).predictions[0].route.queue).toBe('billing');
    // Empty parameters (RFC 9110 allows them; the body validator does not) are read as JSON.
    for (const type of ['application/json;', 'application/json; ', 'application/json;;charset=utf-8', 'application/json; charset=utf-8;']) {
      const empty = await app.request('/v1/classify', authed(KEYS.all, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify({ emails: [invoiceEmail] }) }));
      expect(empty.status, type).toBe(200);
      expect((await json(empty)).predictions[0].route.queue, type).toBe('billing');
    }
    // A parameter without a value, which the body validator would refuse with a bare "Unsupported Media Type", is refused with a way out.
    const valueless = await app.request('/v1/classify', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'application/json; foo' }, body: JSON.stringify({ emails: [invoiceEmail] }) }));
    expect(valueless.status).toBe(415);
    expect((await json(valueless)).detail).toMatch(/^Content-Type must be written application\/json or application\/json; charset=utf-8 \(each parameter as name=value\)/);
    const gzip = await app.request('/v1/classify', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: JSON.stringify({ emails: [invoiceEmail] }) }));
    expect(gzip.status).toBe(415);
    expect((await json(gzip)).detail).toContain('Content-Encoding gzip is not supported');
    const noToken = await app.request('/v1/classify', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer' }, body: '{}' });
    expect((await json(noToken)).detail).toBe('An API key is required (Authorization: Bearer <key>).');
    const scope = await app.request('/v1/feedback', jsonRequest({ emailId: 'e', labels: { queue: 'billing' }, closedAt }, KEYS.classify));
    expect(scope.status).toBe(403);
    expect(await json(scope)).toMatchObject({ code: 'FORBIDDEN', detail: 'The API key "classify" lacks the "feedback" scope this route needs (it has classify): use a key with feedback, or ask the server\'s operator to add it.' });
    const admin = await app.request('/v1/admin/reload', authed(KEYS.classify, { method: 'POST' }));
    expect(admin.status).toBe(403);
  });

  it('accepts the key in x-api-key too', async () => {
    const { app } = await build();
    const res = await app.request('/v1/classify', { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEYS.classify }, body: JSON.stringify({ emails: [invoiceEmail] }) });
    expect(res.status).toBe(200);
    // With both headers, Authorization names the caller (behind API Gateway it is the verified token).
    const both = await app.request('/v1/admin/reload', { method: 'POST', headers: { authorization: `Bearer ${KEYS.classify}`, 'x-api-key': KEYS.all } });
    expect(both.status).toBe(403);
    // A bare token in Authorization (API Gateway's authorizer takes one) is the key, and wins over x-api-key too.
    const bare = await app.request('/v1/classify', { method: 'POST', headers: { 'content-type': 'application/json', authorization: KEYS.classify }, body: JSON.stringify({ emails: [invoiceEmail] }) });
    expect(bare.status).toBe(200);
    const bareBoth = await app.request('/v1/admin/reload', { method: 'POST', headers: { authorization: KEYS.classify, 'x-api-key': KEYS.all } });
    expect(bareBoth.status).toBe(403);
    // Another scheme carries no key of ours (a SigV4-signed call through an IAM-authorised gateway): x-api-key does.
    const signed = await app.request('/v1/classify', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'AWS4-HMAC-SHA256 Credential=x/20261130/eu-central-1/execute-api/aws4_request, SignedHeaders=host, Signature=00', 'x-api-key': KEYS.classify }, body: JSON.stringify({ emails: [invoiceEmail] }) });
    expect(signed.status).toBe(200);
  });

  it('429 with Retry-After past the key rate limit', async () => {
    let now = 1_000_000;
    const { app } = await build({ clock: { now: () => now } });
    const send = () => app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }, KEYS.slow));
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await json(limited)).toMatchObject({
      code: 'RATE_LIMITED',
      detail: "Rate limit of 1/s (a burst of 2) exceeded for this key's classify requests (each scope is counted apart): retry after Retry-After seconds, or send more emails per request (up to 256): the limit counts requests.",
    });
    now += 1500;
    expect((await send()).status).toBe(200);
  });

  it('counts a rate limit per key and scope: classify traffic never rate-limits the same key\'s feedback', async () => {
    const key = 'mr_test_both_scopes_limited';
    const auth = createApiKeyAuth([{ id: 'crm', sha256: hashApiKey(key), scopes: ['classify', 'feedback'], rateLimit: { perSecond: 1, burst: 2 } }]);
    const now = Date.now(); // held still: no token comes back while the test runs
    const { app } = await build({ auth, clock: { now: () => now } });
    const classified = await Promise.all([1, 2, 3].map(() => app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }, key))));
    expect(classified.map((r) => r.status).sort()).toEqual([200, 200, 429]);
    // Feedback has its own bucket, of the same size: the classify burst took none of it.
    const feedback = () => app.request('/v1/feedback', jsonRequest({ emailId: invoiceEmail.id, labels: { queue: 'billing' }, closedAt }, key));
    expect([(await feedback()).status, (await feedback()).status]).toEqual([202, 202]);
    const limited = await feedback();
    expect(limited.status).toBe(429);
    expect((await json(limited)).detail).toBe("Rate limit of 1/s (a burst of 2) exceeded for this key's feedback requests (each scope is counted apart): retry after Retry-After seconds.");
  });

  it('503 with Retry-After beyond the concurrency cap', async () => {
    const { app } = await build({ classifier: createFakeClassifier({ delayMs: 50 }), limits: { maxConcurrent: 2 } });
    const results = await Promise.all([1, 2, 3, 4].map(() => app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }))));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 503, 503]);
    const refused = results.find((r) => r.status === 503);
    expect(refused?.headers.get('retry-after')).toBe('1');
    expect((await json(refused as Response)).code).toBe('OVERLOADED');
  });

  it('feedback has its own concurrency cap: classify at its cap does not turn it away', async () => {
    const classifier = createFakeClassifier();
    const { app } = await build({ classifier, limits: { maxConcurrent: 2 } });
    const first = await json(await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] })));
    const before = classifier.calls;
    let open!: () => void;
    classifier.hold = new Promise<void>((resolve) => (open = resolve));
    let answered = 0;
    const busy = [1, 2, 3].map(() => Promise.resolve(app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }))).then((r) => ((answered += 1), r)));
    try {
      // The classify requests hold both slots now: two are in the classifier (maybe in one batch), the third refused.
      await untilTrue(() => answered === 1 && classifier.calls > before);
      const feedback = await app.request('/v1/feedback', jsonRequest({ predictionId: first.predictions[0].predictionId, labels: { queue: 'billing' }, closedAt }));
      expect(feedback.status).toBe(202);
    } finally {
      // Whatever the feedback got: a classifier left held keeps the app from closing, and the next tests time out.
      open();
    }
    expect((await Promise.all(busy)).map((r) => r.status).sort()).toEqual([200, 200, 503]);
  });

  it('one key has at most its share of a scope\'s slots: another key still classifies while it holds them', async () => {
    const classifier = createFakeClassifier();
    // A cap of 4: one key's share is 3 (three quarters, rounded up).
    const { app, context } = await build({ classifier, limits: { maxConcurrent: 4 } });
    let open!: () => void;
    classifier.hold = new Promise<void>((resolve) => (open = resolve));
    let answered = 0;
    const held = [1, 2, 3, 4].map(() => Promise.resolve(app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }, KEYS.all))).then((r) => ((answered += 1), r)));
    try {
      await untilTrue(() => answered === 1);
      const refused = (await Promise.race(held.map((p) => p.then((r) => (r.status === 503 ? r : new Promise<never>(() => undefined)))))) as Response;
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(await json(refused)).toMatchObject({
        code: 'OVERLOADED',
        detail: 'This key ("all") is handling 3 classify requests, the most one key may at once (the server takes 4 for all keys): retry shortly, once one of them is answered, or send more emails per request (up to 256).',
      });
      expect(context.metrics.registry.render()).toMatch(/^mailroute_rejected_requests_total\{reason="concurrency_per_key"\} 1$/m);
      // The slot the key could not take is another key's: held open, the server's cap then refuses.
      const other = Promise.resolve(app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }, KEYS.classify)));
      await untilTrue(() => context.inFlight.byScope.classify === 4);
      const full = await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }, KEYS.slow));
      expect((await json(full)).detail).toBe('The server is handling 4 classify requests; retry shortly.');
      open();
      expect((await other).status).toBe(200);
    } finally {
      open();
    }
    expect((await Promise.all(held)).map((r) => r.status).sort()).toEqual([200, 200, 200, 503]);
    // Every slot is given back: the key has its whole share again.
    expect(context.inFlight.byScope.classify).toBe(0);
  });

  it('takes maxConcurrentPerKey as set, and counts no share without keys (one caller)', async () => {
    const classifier = createFakeClassifier();
    const keyed = await build({ classifier, limits: { maxConcurrent: 4, maxConcurrentPerKey: 1 } });
    const anonymous = await build({ classifier, noAuth: true, limits: { maxConcurrent: 4 } });
    let open!: () => void;
    classifier.hold = new Promise<void>((resolve) => (open = resolve));
    try {
      const first = Promise.resolve(keyed.app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }, KEYS.all)));
      await untilTrue(() => keyed.context.inFlight.byScope.classify === 1);
      const second = await keyed.app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }, KEYS.all));
      expect((await json(second)).detail).toMatch(/^This key \("all"\) is handling 1 classify requests/);
      // Without keys all 4 slots are the one caller's.
      const all = [1, 2, 3, 4].map(() => Promise.resolve(anonymous.app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }, null))));
      await untilTrue(() => anonymous.context.inFlight.byScope.classify === 4);
      open();
      expect((await Promise.all([first, ...all])).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    } finally {
      open();
    }
  });

  it('503 when a request runs past the timeout, and the prediction the caller never saw is not stored', async () => {
    const classifier = createFakeClassifier();
    let open!: () => void;
    classifier.hold = new Promise<void>((resolve) => (open = resolve));
    const { app, context } = await build({ classifier, limits: { requestTimeoutMs: 20 } });
    try {
      const res = await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }));
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(await json(res)).toMatchObject({ code: 'REQUEST_TIMEOUT', detail: expect.stringMatching(/^The request took longer than 20 ms, the server's request timeout, .* Send a big batch /) });
    } finally {
      // The classifier finishes after the answer; its predictions come back to a request already answered.
      // Released whatever the answer was: held, it keeps the app from closing, and the next tests time out.
      open();
    }
    await untilTrue(() => classifier.finished === 1);
    expect(await context.store.listPairs({ since: '2000-01-01T00:00:00Z' })).toEqual([]);
    expect(await (await app.request('/metrics', authed())).text()).not.toMatch(/mailroute_predictions_total\{/);
  });

  it('503 when the deadline passes while an awaited store commits: the predictions are stored, as the README says, but not counted as answered', async () => {
    const store = createSqliteStore({ file: ':memory:' });
    // Awaited as DynamoDB behind the Lambda is (or SQLite with --prediction-buffer-ms 0), and slow for once.
    const savePredictions: typeof store.savePredictions = async (records) => {
      await new Promise((r) => setTimeout(r, 200));
      return store.savePredictions(records);
    };
    const slow = { ...store, queuePredictions: undefined, savePredictions };
    const { app } = await build({ store: slow, limits: { requestTimeoutMs: 20 } });
    const res = await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }));
    expect((await json(res)).code).toBe('REQUEST_TIMEOUT');
    await new Promise((r) => setTimeout(r, 300)); // the save commits after the answer
    expect((await store.findPredictionByEmail(invoiceEmail.id))?.emailId).toBe(invoiceEmail.id);
    expect(await (await app.request('/metrics', authed())).text()).not.toMatch(/mailroute_predictions_total\{/);
  });

  it('404 problem for an unknown route', async () => {
    const { app } = await build();
    const res = await app.request('/v2/nothing');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect((await json(res)).code).toBe('NOT_FOUND');
    // Counted, under one route label (a scan of paths must show, without a series per path).
    await app.request('/wp-login.php');
    const metrics = await (await app.request('/metrics', authed())).text();
    expect(metrics).toContain('mailroute_http_requests_total{method="GET",route="unmatched",status="404"} 2');
    expect(metrics).not.toContain('wp-login');
    // No guarded request yet, and the in-flight gauge already reads 0 (an alert on it sees data).
    expect(metrics).toMatch(/^mailroute_inflight_requests 0$/m);
  });

  it('405 with Allow for a known route asked with another method, before any body check', async () => {
    const { app } = await build();
    const get = await app.request('/v1/classify');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
    expect(get.headers.get('content-type')).toBe('application/problem+json');
    expect(await json(get)).toMatchObject({ code: 'METHOD_NOT_ALLOWED', allow: ['POST', 'OPTIONS'] });
    const put = await app.request('/v1/feedback', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(put.status).toBe(405);
    const post = await app.request('/healthz', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect((await app.request('/healthz', { method: 'HEAD' })).status).toBe(200);
    expect((await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }))).status).toBe(200);
    const metrics = await (await app.request('/metrics', authed())).text();
    expect(metrics).toMatch(/status="405"/);
    // Counted under the route asked for, not as unmatched.
    expect(metrics).toContain('mailroute_http_requests_total{method="GET",route="/v1/classify",status="405"} 1');
    expect(metrics).not.toMatch(/route="unmatched",status="405"/);
  });
});
