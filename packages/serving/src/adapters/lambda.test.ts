import { afterAll, describe, expect, it } from 'vitest';
import type { LambdaContext, LambdaEvent } from 'hono/aws-lambda';
import { buildTestApp, KEYS } from '../test-support/harness.js';
import { createLambdaHandler } from './lambda.js';

/** An API Gateway HTTP API (payload format 2.0) event, as AWS documents it. */
function apiGatewayV2Event(method: string, rawPath: string, body?: unknown, headers: Record<string, string> = {}): LambdaEvent {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: '',
    headers: { host: 'abc123.execute-api.eu-central-1.amazonaws.com', 'content-type': 'application/json', ...headers },
    requestContext: {
      accountId: '000000000000',
      apiId: 'abc123',
      authentication: null,
      authorizer: {},
      domainName: 'abc123.execute-api.eu-central-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.10', userAgent: 'crm/1.0' },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '29/Nov/2026:10:00:00 +0000',
      timeEpoch: 1_795_000_000_000,
    },
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
  };
}

const lambdaContext = { awsRequestId: 'req-1', functionName: 'mailroute-serve' } as unknown as LambdaContext;

const serving = await buildTestApp();
afterAll(() => serving.close());

describe('createLambdaHandler', () => {
  const handler = createLambdaHandler(async () => serving);

  it('classifies through an API Gateway v2 event', async () => {
    const event = apiGatewayV2Event('POST', '/v1/classify', { emails: [{ id: 'l1', body: 'invoice' }] }, { authorization: `Bearer ${KEYS.all}` });
    const res = await handler(event, lambdaContext);
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body);
    expect(body.predictions[0]).toMatchObject({ id: 'l1', route: { queue: 'billing', reason: 'confident' } });
  });

  it('serves the same routes under a named stage (its prefix taken off the path)', async () => {
    const staged = (method: string, stagePath: string, stage: string, body?: unknown) => {
      const event = apiGatewayV2Event(method, stagePath, body, { authorization: `Bearer ${KEYS.all}` }) as LambdaEvent & { requestContext: { stage: string } };
      event.requestContext.stage = stage;
      return event;
    };
    const res = await handler(staged('POST', '/prod/v1/classify', 'prod', { emails: [{ id: 's1', body: 'invoice' }] }), lambdaContext);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).predictions[0].id).toBe('s1');
    expect((await handler(staged('GET', '/prod', 'prod'), lambdaContext)).statusCode).toBe(404); // the root: no route
    // A path that merely starts like the stage name is left alone.
    expect((await handler(staged('GET', '/production/ping', 'prod'), lambdaContext)).statusCode).toBe(404);
    expect((await handler(staged('GET', '/ping', '$default'), lambdaContext)).statusCode).toBe(200);
  });

  it('leaves the path alone through a custom domain, where the stage is that of its API mapping, not in the path', async () => {
    const event = apiGatewayV2Event('GET', '/v1/model', undefined, { authorization: `Bearer ${KEYS.all}` }) as LambdaEvent & { requestContext: { stage: string; domainName: string } };
    event.requestContext.stage = 'v1';
    event.requestContext.domainName = 'api.example.com';
    expect((await handler(event, lambdaContext)).statusCode).toBe(200);
  });

  it('returns problem+json errors through the adapter', async () => {
    const res = await handler(apiGatewayV2Event('POST', '/v1/classify', { emails: [] }), lambdaContext);
    expect(res.statusCode).toBe(401);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    const ping = await handler(apiGatewayV2Event('GET', '/ping'), lambdaContext);
    expect(ping.statusCode).toBe(200);
  });

  it('refuses a base64 body that is not UTF-8 with 415', async () => {
    const event = apiGatewayV2Event('POST', '/v1/classify', undefined, { authorization: `Bearer ${KEYS.all}`, 'content-type': 'application/json' });
    event.body = Buffer.concat([Buffer.from('{"emails":[{"body":"Gr'), Buffer.from([0xfc]), Buffer.from('ße"}]}')]).toString('base64');
    event.isBase64Encoded = true;
    const res = await handler(event, lambdaContext);
    expect(res.statusCode).toBe(415);
    expect(JSON.parse(res.body).detail).toMatch(/^The body is not UTF-8 at byte 22 \(0xFC\)/);
  });

  it('answers a GET that carries a body (API Gateway passes it on) as the Node server does, not with a bare 400', async () => {
    const body = { hours: 24 };
    const event = apiGatewayV2Event('GET', '/v1/quality', body, { authorization: `Bearer ${KEYS.all}`, 'content-length': String(JSON.stringify(body).length) });
    const res = await handler(event, lambdaContext);
    expect(res.statusCode).toBe(200);
    // Not read, and said so, as over Node.
    expect(JSON.parse(res.body).warnings.join(' ')).toMatch(/The request body was not read/);
    // Also where the event names no Content-Length.
    const bare = apiGatewayV2Event('GET', '/v1/quality', body, { authorization: `Bearer ${KEYS.all}` });
    expect(JSON.parse((await handler(bare, lambdaContext)).body).warnings.join(' ')).toMatch(/The request body was not read/);
    const ping = apiGatewayV2Event('GET', '/ping');
    ping.body = Buffer.from([0xfc, 0x00]).toString('base64');
    ping.isBase64Encoded = true;
    expect((await handler(ping, lambdaContext)).statusCode).toBe(200);
  });

  it('answers a method a fetch Request cannot carry (TRACE) as the Node server does, 405 on a route and 404 elsewhere, not a bare 400', async () => {
    for (const method of ['TRACE', 'trace', 'TRACK', 'CONNECT']) {
      const res = await handler(apiGatewayV2Event(method, '/v1/classify', { emails: [] }), lambdaContext);
      expect([method, res.statusCode, res.headers?.['content-type']]).toEqual([method, 405, 'application/problem+json']);
      expect(res.headers?.allow).toBe('POST, OPTIONS');
      expect(JSON.parse(res.body)).toMatchObject({ code: 'METHOD_NOT_ALLOWED', detail: `/v1/classify takes POST, not ${method}.` });
    }
    const elsewhere = await handler(apiGatewayV2Event('TRACE', '/v1/nothing'), lambdaContext);
    expect([elsewhere.statusCode, JSON.parse(elsewhere.body).code]).toEqual([404, 'NOT_FOUND']);
  });

  it('refuses a path with a backslash (400 problem+json) as the Node server does, rather than reading it as a slash', async () => {
    const res = await handler(apiGatewayV2Event('GET', '/v1\\model'), lambdaContext);
    expect(res.statusCode).toBe(400);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(res.body)).toMatchObject({ code: 'REQUEST_INVALID', detail: expect.stringContaining('Backslash in request path') });
    // An answer to HEAD has no body.
    const head = await handler(apiGatewayV2Event('HEAD', '/v1\\model'), lambdaContext);
    expect([head.statusCode, head.body]).toEqual([400, '']);
  });

  it('refuses a path with a . or .. segment (400), which the URL parser would resolve to a route API Gateway does not expose', async () => {
    for (const path of ['/v1/%2e%2e/metrics', '/v1/../metrics', '/v1/.%2E/docs', '/v1/%2E%2E/invocations', '/v1/./model', '/v1/.\t./metrics', '/v1/.\n/model']) {
      const res = await handler(apiGatewayV2Event('GET', path), lambdaContext);
      expect([path, res.statusCode]).toEqual([path, 400]);
      expect(JSON.parse(res.body)).toMatchObject({ code: 'REQUEST_INVALID', detail: expect.stringContaining('Dot segment') });
    }
    // Dots inside a segment are a name like any other.
    expect((await handler(apiGatewayV2Event('GET', '/v1/model.json'), lambdaContext)).statusCode).toBe(404);
    expect((await handler(apiGatewayV2Event('GET', '/v1/model', undefined, { authorization: `Bearer ${KEYS.all}` }), lambdaContext)).statusCode).toBe(200);
  });

  it('retries the app factory after a failure', async () => {
    let calls = 0;
    const flaky = createLambdaHandler(async () => {
      calls += 1;
      if (calls === 1) throw new Error('cold start failed');
      return serving;
    });
    // The failed start answers a 503 to retry, as problem+json (not API Gateway's bare 500).
    const first = await flaky(apiGatewayV2Event('GET', '/healthz'), lambdaContext);
    expect(first.statusCode).toBe(503);
    expect(first.headers).toMatchObject({ 'content-type': 'application/problem+json', 'retry-after': '5' });
    expect(JSON.parse(first.body)).toMatchObject({ code: 'NOT_READY' });
    expect((await flaky(apiGatewayV2Event('GET', '/healthz'), lambdaContext)).statusCode).toBe(200);
  });

  it('fails the invocation for a configuration fault, which no retry can mend', async () => {
    const misconfigured = createLambdaHandler(async () => Promise.reject(Object.assign(new Error('no table name'), { code: 'AWS_CONFIG_INVALID' })));
    await expect(misconfigured(apiGatewayV2Event('GET', '/healthz'), lambdaContext)).rejects.toMatchObject({ code: 'AWS_CONFIG_INVALID' });
  });
});
