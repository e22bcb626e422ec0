import { afterAll, describe, expect, it, vi } from 'vitest';
import type { LambdaContext, LambdaEvent } from 'hono/aws-lambda';
import type { Logger } from '../http/logger.js';
import { buildTestApp, KEYS } from '../test-support/harness.js';
import { ServingError } from '../errors.js';
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

/** A logger that keeps its lines. */
function keptLines() {
  const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push([level, message, fields]);
  const logger: Logger = { info: at('info'), warn: at('warn'), error: at('error') };
  return { lines, logger };
}

/** A REST API (payload format 1.0) event, as AWS documents it. */
function restApiV1Event(method: string, path: string, body: string | null = null, headers: Record<string, string> = {}): LambdaEvent {
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: method,
    headers: { Host: 'abc123.execute-api.eu-central-1.amazonaws.com', ...headers },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    requestContext: {
      accountId: '000000000000',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-central-1.amazonaws.com',
      httpMethod: method,
      identity: { sourceIp: '192.0.2.10' },
      path: `/prod${path}`,
      protocol: 'HTTP/1.1',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      resourcePath: '/{proxy+}',
      stage: 'prod',
    },
    body,
    isBase64Encoded: false,
  } as unknown as LambdaEvent;
}

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
      expect(JSON.parse(res.body)).toMatchObject({ code: 'METHOD_NOT_ALLOWED', detail: `/v1/classify takes POST, OPTIONS, not ${method}.` });
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

  it('serves only HTTP API events of payload format 2.0: a REST API or load balancer event is a 500 problem, logged with the fix', async () => {
    const { lines, logger } = keptLines();
    const strict = createLambdaHandler(serving, { logger });
    const withGetBody = restApiV1Event('GET', '/v1/quality', '{"hours": 24}', { Authorization: `Bearer ${KEYS.all}` });
    const alb = { ...restApiV1Event('GET', '/ping'), requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:eu-central-1:000000000000:targetgroup/t/1' } } } as unknown as LambdaEvent;
    const v2AsV1 = { ...apiGatewayV2Event('GET', '/ping'), version: '1.0' } as LambdaEvent;
    // Each would pass the v2 guards unread: a dot segment to /metrics, a backslash, TRACE, a GET with a body.
    for (const event of [restApiV1Event('GET', '/v1/%2e%2e/metrics'), restApiV1Event('GET', '/v1\\model'), restApiV1Event('TRACE', '/v1/classify'), withGetBody, alb, v2AsV1]) {
      const res = await strict(event, lambdaContext);
      expect([res.statusCode, res.headers?.['content-type']]).toEqual([500, 'application/problem+json']);
      expect(JSON.parse(res.body)).toMatchObject({ code: 'INTERNAL', detail: expect.stringContaining('misconfigured') });
      expect(res.body).not.toContain('mailroute_');
    }
    // The REST API's own request id, answered and logged; the line says how to wire the function.
    const rest = await strict(restApiV1Event('GET', '/ping'), lambdaContext);
    expect(rest.headers?.['x-request-id']).toBe('c6af9ac6-7b61-11e6-9a41-93e8deadbeef');
    expect(lines.at(-1)).toEqual(['error', 'event not served', expect.objectContaining({ requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', fix: expect.stringContaining('payload format 2.0') })]);
    expect(lines.filter(([level]) => level === 'error')).toHaveLength(7);
    expect(lines.at(-2)?.[2]).toMatchObject({ version: '1.0' });
  });

  it("takes API Gateway's request id (the access log's $context.requestId) where the caller sent no usable x-request-id", async () => {
    const { lines, logger } = keptLines();
    const logged = await buildTestApp({ logger });
    try {
      const handle = createLambdaHandler(logged, { logger });
      // A refusal: its answer and its log line carry the gateway's id.
      const refused = await handle(apiGatewayV2Event('POST', '/v1/classify', { emails: [] }), lambdaContext);
      expect([refused.statusCode, refused.headers?.['x-request-id']]).toEqual([401, 'req-1']);
      expect(lines).toContainEqual(['warn', 'request refused', expect.objectContaining({ requestId: 'req-1', status: 401 })]);
      // One the caller sent wins; one it cannot have (blanks, or two joined by a comma) gives way to the gateway's.
      const own = await handle(apiGatewayV2Event('POST', '/v1/classify', { emails: [] }, { 'x-request-id': 'crm-42' }), lambdaContext);
      expect(own.headers?.['x-request-id']).toBe('crm-42');
      const joined = await handle(apiGatewayV2Event('POST', '/v1/classify', { emails: [] }, { 'x-request-id': 'a,b' }), lambdaContext);
      expect(joined.headers?.['x-request-id']).toBe('req-1');
      // The adapter's own answers too: an unservable path, and the app not ready (with its log line).
      expect((await handle(apiGatewayV2Event('GET', '/v1\\model'), lambdaContext)).headers?.['x-request-id']).toBe('req-1');
      const notReady = await createLambdaHandler(async () => Promise.reject(new Error('no endpoint')), { logger })(apiGatewayV2Event('GET', '/ping'), lambdaContext);
      expect(notReady.headers?.['x-request-id']).toBe('req-1');
      expect(lines.at(-1)).toEqual(['error', 'app not ready', expect.objectContaining({ requestId: 'req-1' })]);
    } finally {
      await logged.close();
    }
  });

  it('refuses a body marked base64 that is not base64 with a 400 problem, not a bare 500 and a stack on the console', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      for (const body of ['%%%', 'abcde', 'ab=c', 'YQ===']) {
        const event = apiGatewayV2Event('POST', '/v1/classify', undefined, { authorization: `Bearer ${KEYS.all}` });
        Object.assign(event, { body, isBase64Encoded: true });
        const res = await handler(event, lambdaContext);
        expect([body, res.statusCode, res.headers?.['content-type'], res.headers?.['x-request-id']]).toEqual([body, 400, 'application/problem+json', 'req-1']);
        expect(JSON.parse(res.body)).toMatchObject({ code: 'REQUEST_INVALID', detail: expect.stringContaining('not base64') });
      }
      expect(consoleError).not.toHaveBeenCalled();
      // Base64 as atob reads it (blanks and padding left off) is read.
      for (const body of ['eyJlbWFpbHMiOltdfQ==', 'eyJlbWFpbHMiOltdfQ', 'eyJlbWFp bHMiOltdfQ==\n']) {
        const event = apiGatewayV2Event('POST', '/v1/classify', undefined, { authorization: `Bearer ${KEYS.all}` });
        Object.assign(event, { body, isBase64Encoded: true });
        const res = await handler(event, lambdaContext);
        expect([body, JSON.parse(res.body).code]).toEqual([body, 'REQUEST_INVALID']);
        expect(JSON.parse(res.body).detail).not.toContain('not base64');
      }
    } finally {
      consoleError.mockRestore();
    }
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

  it('answers NOT_READY before the invocation runs out when the build hangs, and serves once the build is done', async () => {
    let built: (app: typeof serving) => void = () => undefined;
    const slow = createLambdaHandler(() => new Promise((resolve) => (built = resolve)));
    // Lambda's context says how long the invocation has left: the build is awaited that long, less a margin to answer.
    const context = { ...lambdaContext, getRemainingTimeInMillis: () => 1_600 } as unknown as LambdaContext;
    const started = Date.now();
    const first = await slow(apiGatewayV2Event('GET', '/healthz'), context);
    expect(first.statusCode).toBe(503);
    expect(JSON.parse(first.body)).toMatchObject({ code: 'NOT_READY' });
    expect(Date.now() - started).toBeLessThan(1_600);
    // The build went on: it is not started again, and the next request is served when it is done.
    built(serving);
    expect((await slow(apiGatewayV2Event('GET', '/healthz'), context)).statusCode).toBe(200);
  });

  it("answers an endpoint's own problem met by the build's canary call, as a warm instance would, not NOT_READY", async () => {
    class AccessDenied extends ServingError {
      readonly code = 'ENDPOINT_ACCESS_DENIED';
      readonly status = 500;
    }
    class NotInService extends ServingError {
      readonly code = 'ENDPOINT_NOT_IN_SERVICE';
      readonly status = 503;
      readonly retryAfterSeconds = 30;
    }
    const denied = await createLambdaHandler(async () => Promise.reject(new AccessDenied('The API may not call the model endpoint mailroute-prod.', { endpoint: 'mailroute-prod' })))(apiGatewayV2Event('GET', '/healthz'), lambdaContext);
    expect([denied.statusCode, JSON.parse(denied.body).code]).toEqual([500, 'ENDPOINT_ACCESS_DENIED']);
    const gone = await createLambdaHandler(async () => Promise.reject(new NotInService('The model endpoint mailroute-prod is not in service.')))(apiGatewayV2Event('GET', '/healthz'), lambdaContext);
    expect([gone.statusCode, JSON.parse(gone.body).code, gone.headers?.['retry-after']]).toEqual([503, 'ENDPOINT_NOT_IN_SERVICE', '30']);
  });

  it('fails the invocation for a configuration fault, which no retry can mend', async () => {
    const misconfigured = createLambdaHandler(async () => Promise.reject(Object.assign(new Error('no table name'), { code: 'AWS_CONFIG_INVALID' })));
    await expect(misconfigured(apiGatewayV2Event('GET', '/healthz'), lambdaContext)).rejects.toMatchObject({ code: 'AWS_CONFIG_INVALID' });
  });
});
