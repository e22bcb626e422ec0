import { describe, expect, it } from 'vitest';
import { startNodeServer } from './adapters/node-server.js';
import { authed, buildTestApp, json, testAppBuilder } from './test-support/harness.js';

const build = testAppBuilder();

describe('OPTIONS', () => {
  it('answers a route 204 with Allow (its methods and OPTIONS), no body, no key needed and no CORS headers', async () => {
    const { app } = await build();
    const classify = await app.request('/v1/classify', { method: 'OPTIONS' });
    expect(classify.status).toBe(204);
    expect(classify.headers.get('allow')).toBe('POST, OPTIONS');
    expect(await classify.text()).toBe('');
    expect(classify.headers.get('content-type')).toBeNull();
    expect([...classify.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    const healthz = await app.request('/healthz', { method: 'OPTIONS' });
    expect([healthz.status, healthz.headers.get('allow')]).toEqual([204, 'GET, HEAD, OPTIONS']);
    // Counted under the route asked for.
    const metrics = await (await app.request('/metrics', authed())).text();
    expect(metrics).toContain('mailroute_http_requests_total{method="OPTIONS",route="/v1/classify",status="204"} 1');
  });

  it('leaves an unknown path a 404 problem', async () => {
    const { app } = await build();
    const res = await app.request('/v1/nothing', { method: 'OPTIONS' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect((await json(res)).code).toBe('NOT_FOUND');
  });

  it('is listed in the Allow of a 405 too, as a method the route takes', async () => {
    const { app } = await build();
    const res = await app.request('/v1/classify');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST, OPTIONS');
    expect(await json(res)).toMatchObject({ code: 'METHOD_NOT_ALLOWED', allow: ['POST', 'OPTIONS'], detail: '/v1/classify takes POST, OPTIONS, not GET.' });
    // The detail names the methods Allow names, on a GET route too (HEAD and OPTIONS included).
    for (const [path, method] of [['/v1/model', 'DELETE'], ['/v1/quality', 'POST'], ['/v1/feedback', 'PUT']]) {
      const refused = await app.request(path, { method });
      expect(refused.status, path).toBe(405);
      expect((await json(refused)).detail, path).toBe(`${path} takes ${refused.headers.get('allow')}, not ${method}.`);
    }
  });

  it('gets the same answer from the Node server', async () => {
    const serving = await buildTestApp({ noAuth: true }); // closed with its server
    const server = await startNodeServer({ serving, host: '127.0.0.1', port: 0 });
    try {
      const res = await fetch(`${server.url}/v1/feedback`, { method: 'OPTIONS' });
      expect(res.status).toBe(204);
      expect(res.headers.get('allow')).toBe('POST, OPTIONS');
      expect(await res.text()).toBe('');
      const unknown = await fetch(`${server.url}/nope`, { method: 'OPTIONS' });
      expect([unknown.status, unknown.headers.get('content-type')]).toEqual([404, 'application/problem+json']);
      await unknown.arrayBuffer();
    } finally {
      await server.close();
    }
  });
});
