import { describe, expect, it } from 'vitest';
import { authed, json, jsonRequest, KEYS, testAppBuilder } from '../test-support/harness.js';
import { invoiceEmail } from '../test-support/route-helpers.js';
import { createRefusalLog, REFUSALS_LOGGED_PER_MINUTE, requestIdOf } from './refusal-log.js';

const build = testAppBuilder();

/** A logger that keeps its warn lines. */
function keptLogger() {
  const warned: Array<Record<string, unknown>> = [];
  const errors: Array<Record<string, unknown>> = [];
  return {
    warned,
    errors,
    logger: { info: () => undefined, warn: (message: string, fields?: Record<string, unknown>) => void warned.push({ message, ...fields }), error: (message: string, fields?: Record<string, unknown>) => void errors.push({ message, ...fields }) },
  };
}

describe('refused requests', () => {
  it('answer with an x-request-id (the caller\'s own when it sent a usable one) that their log line carries, with the key\'s id', async () => {
    let now = 1_000_000;
    const { warned, logger } = keptLogger();
    const { app } = await build({ logger, clock: { now: () => now } });
    const none = await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }, null));
    expect(none.status).toBe(401);
    const id = none.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(warned).toEqual([{ message: 'request refused', requestId: id, method: 'POST', route: '/v1/classify', status: 401, code: 'UNAUTHENTICATED' }]);
    // A 403 and a 429 name the key they refused (its id, never the key); a caller's id is echoed.
    const forbidden = await app.request('/v1/feedback', { ...jsonRequest({}, KEYS.classify), headers: { ...(jsonRequest({}, KEYS.classify).headers as Record<string, string>), 'x-request-id': 'crm-call-7' } });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('x-request-id')).toBe('crm-call-7');
    expect(warned[1]).toMatchObject({ requestId: 'crm-call-7', status: 403, code: 'FORBIDDEN', keyId: 'classify' });
    for (let i = 0; i < 3; i++) await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }, KEYS.slow));
    expect(warned[2]).toMatchObject({ status: 429, code: 'RATE_LIMITED', keyId: 'slow' });
    expect(JSON.stringify(warned)).not.toContain(KEYS.slow);
    // An answer that is no error gets no id (the classify path pays nothing), and logs nothing.
    now += 5_000;
    const ok = await app.request('/v1/classify', authed(KEYS.all, jsonRequest({ emails: [invoiceEmail] })));
    expect(ok.status, JSON.stringify(await json(ok.clone()))).toBe(200);
    expect(ok.headers.get('x-request-id')).toBeNull();
    expect(warned).toHaveLength(3);
    // A method the route does not take is logged under the route, as the metrics count it.
    now += 60_000;
    expect((await app.request('/v1/classify', authed(KEYS.all, { method: 'GET' }))).status).toBe(405);
    expect(warned[3]).toMatchObject({ method: 'GET', route: '/v1/classify', status: 405, code: 'METHOD_NOT_ALLOWED' });
  });

  it('are logged at most a number of times a minute, the next line saying how many were not', () => {
    let now = 0;
    const { warned, logger } = keptLogger();
    const refused = createRefusalLog(logger, { now: () => now });
    const one = { requestId: 'r', method: 'POST', route: '/v1/classify', status: 429, code: 'RATE_LIMITED' };
    for (let i = 0; i < REFUSALS_LOGGED_PER_MINUTE + 5; i++) refused(one);
    expect(warned).toHaveLength(REFUSALS_LOGGED_PER_MINUTE);
    now += 60_000;
    refused(one);
    expect(warned.at(-1)).toMatchObject({ suppressed: 5 });
    refused(one);
    expect(warned.at(-1)?.suppressed).toBeUndefined();
  });

  it("count the server's own 503s apart from a caller's 4xx: bad requests in a loop do not hide a timeout", () => {
    const { warned, logger } = keptLogger();
    const refused = createRefusalLog(logger, { now: () => 0 });
    for (let i = 0; i < REFUSALS_LOGGED_PER_MINUTE + 5; i++) refused({ requestId: `b${i}`, method: 'GET', route: 'unmatched', status: 404, code: 'NOT_FOUND' });
    refused({ requestId: 't', method: 'GET', route: '/v1/quality', status: 503, code: 'REQUEST_TIMEOUT' });
    expect(warned).toHaveLength(REFUSALS_LOGGED_PER_MINUTE + 1);
    expect(warned.at(-1)).toMatchObject({ requestId: 't', status: 503, code: 'REQUEST_TIMEOUT' });
    expect(warned.at(-1)?.suppressed).toBeUndefined();
  });

  it('are counted per caller: a flood without a key hides no key\'s refusal, and a key\'s 403 on an admin route is always logged', async () => {
    const now = 1_000_000;
    const { warned, logger } = keptLogger();
    const { app } = await build({ logger, clock: { now: () => now } });
    // Over Node the socket's address is in the env (API Gateway's sourceIp on Lambda); X-Forwarded-For is not read.
    const node = { incoming: { socket: { remoteAddress: '203.0.113.7' } } };
    for (let i = 0; i < REFUSALS_LOGGED_PER_MINUTE; i++) await app.request(`/nothing-${i}`, {}, node);
    expect(warned).toHaveLength(REFUSALS_LOGGED_PER_MINUTE);
    expect(warned[0]).toMatchObject({ status: 404, clientAddress: '203.0.113.7' });
    expect(warned[0].keyId).toBeUndefined();
    const hidden = await app.request(
      '/v1/admin/reload',
      authed(KEYS.classify, { method: 'POST', headers: { 'x-request-id': 'HIDDEN-ADMIN-ATTEMPT', 'x-forwarded-for': '198.51.100.1' } }),
      node,
    );
    expect(hidden.status).toBe(403);
    expect(warned.at(-1)).toMatchObject({ requestId: 'HIDDEN-ADMIN-ATTEMPT', route: '/v1/admin/reload', status: 403, keyId: 'classify', clientAddress: '203.0.113.7' });
    // Tried again and again, each is logged: only a valid key can be refused so, and every line names it.
    for (let i = 0; i < REFUSALS_LOGGED_PER_MINUTE + 5; i++) await app.request('/v1/admin/reload', authed(KEYS.classify, { method: 'POST' }));
    expect(warned.filter((w) => w.route === '/v1/admin/reload')).toHaveLength(REFUSALS_LOGGED_PER_MINUTE + 6);
    // Without a key, the minute is spent: dropped. A key's own other refusals still have their own minute.
    await app.request('/nothing-more', {}, node);
    expect(warned.at(-1)?.route).toBe('/v1/admin/reload');
    const lambda = { requestContext: { http: { sourceIp: '192.0.2.9' } } };
    const scope = await app.request('/v1/feedback', jsonRequest({}, KEYS.classify), lambda);
    expect(scope.status).toBe(403);
    expect(warned.at(-1)).toMatchObject({ route: '/v1/feedback', keyId: 'classify', clientAddress: '192.0.2.9' });
  });

  it('say how many of a caller\'s own were not logged on its next line, under its key id', () => {
    let now = 0;
    const { warned, logger } = keptLogger();
    const refused = createRefusalLog(logger, { now: () => now });
    const keyed = { requestId: 'r', method: 'POST', route: '/v1/classify', status: 429, code: 'RATE_LIMITED', keyId: 'crm' };
    const anonymous = { requestId: 'a', method: 'GET', route: 'unmatched', status: 404, code: 'NOT_FOUND' };
    for (let i = 0; i < REFUSALS_LOGGED_PER_MINUTE + 3; i++) refused(keyed);
    for (let i = 0; i < REFUSALS_LOGGED_PER_MINUTE + 7; i++) refused(anonymous);
    expect(warned).toHaveLength(2 * REFUSALS_LOGGED_PER_MINUTE);
    now += 60_000;
    refused(anonymous);
    expect(warned.at(-1)).toMatchObject({ requestId: 'a', suppressed: 7 });
    refused(keyed);
    expect(warned.at(-1)).toMatchObject({ keyId: 'crm', suppressed: 3 });
  });

  it('take a caller\'s request id only when it is short, visible ASCII', () => {
    const made = () => 'new-id';
    expect(requestIdOf('crm-7', made)).toBe('crm-7');
    for (const sent of [undefined, '', 'a b', 'r-1,r-1', 'x'.repeat(129), 'ü', 'a\nb']) expect(requestIdOf(sent, made), String(sent)).toBe('new-id');
  });
});
