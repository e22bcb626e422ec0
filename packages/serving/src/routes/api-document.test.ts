import { describe, expect, it } from 'vitest';
import type { LambdaContext } from 'hono/aws-lambda';
import { createLambdaHandler } from '../adapters/lambda.js';
import { clientErrorProblem } from '../adapters/client-error.js';
import { unreadableRequestProblem } from '../adapters/unreadable-request.js';
import { StoreUnavailableError } from '../errors.js';
import { noStore } from '../store/no-store.js';
import { AccessDenied, EndpointUnavailable, failingWith, NotInService } from '../test-support/endpoint-errors.js';
import { apiGatewayV2Event } from '../test-support/front-doors.js';
import { authed, json, jsonRequest, KEYS, testAppBuilder, type Loose } from '../test-support/harness.js';
import { strictMismatches, type JsonSchema } from '../test-support/strict-schema.js';

const build = testAppBuilder();
const DAY_MS = 86_400_000;
const lambdaContext = { awsRequestId: 'req-1', functionName: 'mailroute-serve' } as unknown as LambdaContext;

/** Every `example` in the document that is a date-time (ISO 8601 with a time), wherever it stands. */
function timeExamples(node: unknown, out: string[] = []): string[] {
  if (node === null || typeof node !== 'object') return out;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example') {
      const strings = typeof value === 'string' ? [value] : typeof value === 'object' && value !== null ? Object.values(value) : [];
      out.push(...strings.filter((s): s is string => typeof s === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(s)));
    }
    timeExamples(value, out);
  }
  return out;
}

describe('the OpenAPI document', () => {
  it('gives every date-time example as of the server\'s clock, so a server two years on still takes them', async () => {
    const later = Date.now() + 2 * 365 * DAY_MS;
    const { app } = await build({ clock: { now: () => later } });
    const doc = await json(app.request('/openapi.json'));
    const { FeedbackRequest, Email } = doc.components.schemas;
    const examples = timeExamples(doc);
    // closedAt's own and in FeedbackRequest's example, and receivedAt's.
    expect(examples).toEqual(expect.arrayContaining([FeedbackRequest.properties.closedAt.example, FeedbackRequest.example.closedAt, Email.properties.receivedAt.example]));
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const example of examples) {
      const age = later - Date.parse(example);
      expect(age, example).toBeGreaterThan(14 * 3_600_000);
      expect(age, example).toBeLessThan(2 * DAY_MS);
      const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'crm-4711', labels: { queue: 'billing' }, closedAt: example }));
      expect(res.status, `${example}: ${await res.clone().text()}`).toBe(202);
    }
    const classified = await app.request('/v1/classify', jsonRequest({ emails: [{ id: 'crm-4711', subject: 'Invoice', receivedAt: Email.properties.receivedAt.example }] }));
    expect(classified.status).toBe(200);
  });

  it('documents every member a problem carries: each answer fits Problem with no other members allowed', async () => {
    const { app } = await build();
    const problemSchema = (await json(app.request('/openapi.json'))).components.schemas.Problem as JsonSchema;
    const problems: Array<Record<string, unknown>> = [];
    const collect = async (res: Response | Promise<Response>) => problems.push(await json(res));
    await collect(app.request('/v1/feedback', jsonRequest({ emailId: 'e', labels: { queue: 7 }, closedAt: new Date().toISOString() })));
    await collect(app.request('/v1/feedback', jsonRequest({ emailId: 'e', labels: { queue: 'nope' }, closedAt: new Date().toISOString() })));
    await collect(app.request('/v1/classify', jsonRequest({ emails: [{ body: 'x' }] }, null)));
    await collect(app.request('/v1/feedback', jsonRequest({ emailId: 'e', labels: { queue: 'billing' }, closedAt: new Date().toISOString() }, KEYS.classify)));
    await collect(app.request('/v1/classifies', jsonRequest({})));
    await collect(app.request('/v1/classify', authed()));
    await collect(app.request('/v1/classify', { ...jsonRequest('x'), headers: { 'content-type': 'text/plain', authorization: `Bearer ${KEYS.all}` } }));
    for (let i = 0; i < 3; i++) await app.request('/v1/classify', jsonRequest({ emails: [{ body: 'x' }] }, KEYS.slow));
    await collect(app.request('/v1/classify', jsonRequest({ emails: [{ body: 'x' }] }, KEYS.slow)));
    // The members of the AWS adapters' endpoint failures, and a server that keeps no predictions.
    const endpointErrors = [
      new AccessDenied('denied', { endpoint: 'mailroute-dev-classifier', permission: 'sagemaker:InvokeEndpoint' }),
      new NotInService('not in service', { endpoint: 'mailroute-dev-classifier' }),
      new EndpointUnavailable('throttled', { reason: 'ENDPOINT_THROTTLED' }),
      new EndpointUnavailable('busy', { reason: 'ENDPOINT_BUSY' }),
      // The SQLite store's, with its reason (a read-only file system).
      new StoreUnavailableError('read-only', { reason: 'STORE_READ_ONLY' }),
    ];
    for (const error of endpointErrors) {
      const failing = await build({ classifier: failingWith(error) });
      await collect(failing.app.request('/v1/classify', jsonRequest({ emails: [{ body: 'x' }] })));
    }
    const keepsNone = await build({ store: noStore });
    await collect(keepsNone.app.request('/v1/feedback', jsonRequest({ emailId: 'e', labels: { queue: 'billing' }, closedAt: new Date().toISOString() })));
    // Those the front doors make before the app: Node's unreadable requests, the Lambda's app that cannot be built.
    for (const code of ['HPE_HEADER_OVERFLOW', 'HPE_CHUNK_EXTENSIONS_OVERFLOW', 'ERR_HTTP_REQUEST_TIMEOUT', 'HPE_INVALID_METHOD']) problems.push(clientErrorProblem(code));
    problems.push(unreadableRequestProblem('Backslash in request path'));
    const notReady = await createLambdaHandler(async () => Promise.reject(new Error('no endpoint')))(apiGatewayV2Event({ method: 'GET', path: '/v1/model', query: '', headers: [], body: new Uint8Array() }), lambdaContext);
    problems.push(JSON.parse(notReady.body));

    const codes = problems.map((p) => p.code);
    expect(codes).toEqual(expect.arrayContaining(['REQUEST_INVALID', 'LABEL_NOT_IN_TAXONOMY', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'METHOD_NOT_ALLOWED', 'UNSUPPORTED_MEDIA_TYPE', 'RATE_LIMITED', 'PREDICTIONS_NOT_KEPT', 'NOT_READY']));
    expect(problems).toEqual(expect.arrayContaining([expect.objectContaining({ route: '/v1/feedback' }), expect.objectContaining({ reason: 'ENDPOINT_BUSY' }), expect.objectContaining({ reason: 'STORE_READ_ONLY' }), expect.objectContaining({ permission: 'sagemaker:InvokeEndpoint' })]));
    for (const problem of problems) expect(strictMismatches(problem, problemSchema), JSON.stringify(problem)).toEqual([]);
    // The check is strict: a member the schema does not list fails it.
    expect(strictMismatches({ ...problems[0], extra: 1 }, problemSchema)).toEqual(['body.extra is not in the schema']);
  });

  it('says that labels takes at least one task, as the server refuses {}', async () => {
    const { app } = await build();
    const { FeedbackRequest } = (await json(app.request('/openapi.json'))).components.schemas;
    expect(FeedbackRequest.properties.labels.minProperties).toBe(1);
    const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'e', labels: {}, closedAt: new Date().toISOString() }));
    expect([res.status, (await json(res)).issues[0].path]).toEqual([400, ['labels']]);
  });

  it("gives feedback's answer warnings, an array as the other answers', and marks its one-string warning deprecated", async () => {
    const { app } = await build();
    const { FeedbackResponse, ClassifyResponse, Quality, ReloadResult } = (await json(app.request('/openapi.json'))).components.schemas;
    for (const schema of [FeedbackResponse, ClassifyResponse, Quality, ReloadResult]) expect(schema.properties.warnings).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(FeedbackResponse.properties.warning).toMatchObject({ type: 'string', deprecated: true, description: expect.stringMatching(/^Deprecated, read warnings instead/) });
    // Classify warns of an email without an id on the .eml route only: a JSON email without one gets no warning.
    expect(ClassifyResponse.properties.warnings.description).toContain('An email of /v1/classify without an id gets none');
  });

  it('gives every prediction id of an answer format uuid and every time of an answer format date-time', async () => {
    const { app } = await build();
    const { schemas } = (await json(app.request('/openapi.json'))).components;
    expect(schemas.FeedbackResponse.properties.predictionId.format).toBe('uuid');
    expect(schemas.ModelInfo.properties.lastReloadError.properties.at.format).toBe('date-time');
    // Requests' times (closedAt, receivedAt) also take RFC 2822 dates: no format there. Every answer's follows the README's promise.
    const found: string[] = [];
    const walk = (schema: Loose, at: string) => {
      if (schema === null || typeof schema !== 'object') return;
      for (const [name, property] of Object.entries<Loose>(schema.properties ?? {})) {
        if (name === 'predictionId') expect(property.format, `${at}.${name}`).toBe('uuid');
        if (/(^at|At|^since|Since|^until)$/.test(name)) expect(property.format, `${at}.${name}`).toBe('date-time');
        if (name === 'predictionId' || /(^at|At|^since|Since|^until)$/.test(name)) found.push(`${at}.${name}`);
      }
      for (const [key, value] of Object.entries<Loose>(schema)) walk(value, `${at}/${key}`);
    };
    for (const [name, schema] of Object.entries(schemas)) if (!['Email', 'FeedbackRequest', 'ClassifyRequest'].includes(name)) walk(schema, name);
    expect(found.length).toBeGreaterThanOrEqual(9);
  });

  it('documents HEAD on GET operations, OPTIONS on every path, and the 400 of a request the server cannot read on public GETs', async () => {
    const serving = await build();
    const doc = await json(serving.app.request('/openapi.json'));
    expect(doc.info.description).toMatch(/GET operation also answers HEAD/);
    expect(doc.info.description).toMatch(/every path OPTIONS: 204 with an Allow header/);
    const head = await serving.app.request('/v1/model', authed(KEYS.all, { method: 'HEAD' }));
    expect([head.status, await head.text()]).toEqual([200, '']);
    const options = await serving.app.request('/v1/model', { method: 'OPTIONS' });
    expect([options.status, options.headers.get('allow')]).toEqual([204, 'GET, HEAD, OPTIONS']);
    // A path with a backslash, refused before any route reads it: a 400 that a public GET's responses list.
    const unreadable = await createLambdaHandler(serving)(apiGatewayV2Event({ method: 'GET', path: '/v1\\model', query: '', headers: [], body: new Uint8Array() }), lambdaContext);
    expect(unreadable.statusCode).toBe(400);
    for (const [path, item] of Object.entries<Loose>(doc.paths)) {
      if (!item.get) continue;
      expect(Object.keys(item.get.responses), path).toContain('400');
      expect(item.get.responses.default.description, path).toMatch(/400 \(a request the server cannot read/);
    }
    // What each front door does with a dot segment, as a client meets it: the Node server resolves `..` (only the
    // Lambda refuses it); and what the Node server answers before any route (client-error.test.ts).
    const described = doc.paths['/v1/model'].get.responses.default.description as string;
    expect(described).toContain('behind the AWS Lambda also a path with a . or .. segment, which the Node server resolves instead');
    expect(described).toContain("413 (a chunked body's chunk extensions over the server's limit)");
    expect(described).toContain('417 (an Expect header other than 100-continue)');
    expect(described).toContain('an HTTP/1.1 request without a Host header');
  });

  it('lists only the operations, the scheme and the front door answers its options say', async () => {
    const { app } = await build({
      apiDocument: {
        lists: (method, path) => path.startsWith('/v1/') && path !== '/v1/admin/reload',
        security: { name: 'token', scheme: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A token' } },
        description: 'Behind a gateway.',
        frontDoorErrors: { mediaType: 'application/json', schemaName: 'GatewayMessage', schema: { type: 'object', properties: { message: { type: 'string' } } }, answers: { 401: 'No token.', default: 'Any other.' } },
      },
    });
    const doc = await json(app.request('/openapi.json'));
    expect(Object.keys(doc.paths).sort()).toEqual(['/v1/classify', '/v1/classify/eml', '/v1/feedback', '/v1/model', '/v1/quality']);
    expect(doc.info.description).toMatch(/Behind a gateway\.$/);
    expect(doc.components.securitySchemes).toEqual({ token: expect.objectContaining({ bearerFormat: 'JWT' }) });
    expect(doc.security).toEqual([{ token: [] }]);
    // Components no listed operation refers to are left out; every reference still resolves.
    for (const unused of ['Health', 'ReloadResult']) expect(Object.keys(doc.components.schemas)).not.toContain(unused);
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/[A-Za-z]+/g) ?? [];
    for (const ref of new Set(refs)) expect(doc.components.schemas[ref.split('/').pop() as string], ref).toBeDefined();
    for (const [path, item] of Object.entries<Loose>(doc.paths)) {
      for (const op of Object.values<Loose>(item)) {
        expect(op.security, path).toEqual([{ token: [] }]);
        expect(op.responses['401'].content['application/json'].schema, path).toEqual({ $ref: '#/components/schemas/GatewayMessage' });
        expect(op.responses.default.content, path).toHaveProperty(['application/problem+json']);
        expect(op.responses.default.description, path).toMatch(/Any other\.$/);
      }
    }
    // The document as a server without options gives it is unchanged by another's.
    const plain = await json((await build()).app.request('/openapi.json'));
    expect(plain.components.securitySchemes).toHaveProperty('apiKeyHeader');
    expect(plain.paths).toHaveProperty(['/healthz']);
  });
});
