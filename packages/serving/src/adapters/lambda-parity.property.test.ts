import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServingApp } from '../app.js';
import { overHttp, throughLambda, type Answer, type Gateway, type RawRequest } from '../test-support/front-doors.js';
import { classifyBody, emlBody, emlQuery, encode, feedback, jsonRequestParts, mutated, writeJson } from '../test-support/fuzz-bodies.js';
import { buildFuzzApp } from '../test-support/fuzz-app.js';
import { KEYS, type Loose } from '../test-support/harness.js';
import { createLambdaHandler, type LambdaHandler } from './lambda.js';
import { startNodeServer, type RunningServer } from './node-server.js';

/**
 * The two front doors of the HTTP API answer alike: the Node server (`mailroute serve`, over real HTTP on
 * 127.0.0.1) and the Lambda handler behind API Gateway (HTTP API, payload 2.0, the event built as API Gateway
 * builds it, under the `$default` stage or a named one, or through a custom domain). Both run the same app on a real ONNX model and SQLite,
 * so a generated request must get the same status, content type, Allow and problem `code` and `detail`, and the
 * same JSON (prediction ids aside, which are new on every request). Body sizes are tried at the app's limit, the
 * 1 MiB default of both; the ceilings differ by design (6 MB for `serve`, 4 MiB on Lambda, whose 6 MB invocation
 * payload API Gateway enforces before the function) and are not compared. So does a path with a `.` or `..`
 * segment: the Node server resolves it, the Lambda refuses it (400), as API Gateway routes it by its text. A request
 * without a usable x-request-id of its own gets a new id over Node (on an error answer) and API Gateway's request id
 * through the Lambda (on every answer). A wider search: MAILROUTE_FUZZ_RUNS=2000 MAILROUTE_FUZZ_SEED=7 npx vitest run <this file>.
 */
const RUNS = Number(process.env.MAILROUTE_FUZZ_RUNS ?? 150);
const SEED = Number(process.env.MAILROUTE_FUZZ_SEED ?? 20261203);
/** The app's body limit (its default, 1 MiB, as the API Lambda's): bodies of one byte under, at and over it are sent. */
const BODY_LIMIT = 1024 * 1024;
const TIMEOUT_MS = 60_000 * Math.max(1, RUNS / 150);

let root: string;
let serving: ServingApp;
let server: RunningServer;
let handler: LambdaHandler;
let predictionIds: string[];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-parity-'));
  ({ serving, predictionIds } = await buildFuzzApp(root, [{ id: 'crm-1', body: 'Depot' }, { id: 'crm-2', body: 'Sparplan' }], { limits: { maxBodyBytes: BODY_LIMIT } }));
  server = await startNodeServer({ serving, host: '127.0.0.1', port: 0 });
  handler = createLambdaHandler(serving);
}, 30_000);
afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

/** A header name as a client may write it: lower case, upper case or as it is. */
const nameCase = (name: string) => fc.constantFrom(name, name.toLowerCase(), name.toUpperCase());

/** The key header: none, a valid key of every scope or a wrong one, as Bearer (any casing), bare or X-Api-Key. */
const keyHeader = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(nameCase('Authorization'), fc.constantFrom('Bearer', 'bearer', 'BEARER'), fc.constantFrom(KEYS.all, KEYS.all, KEYS.classify, 'mr_not_a_key')).map(([n, s, k]) => [[n, `${s} ${k}`]]) },
  fc.tuple(nameCase('X-Api-Key'), fc.constantFrom(KEYS.all, KEYS.classify)).map(([n, k]) => [[n, k]]),
  fc.tuple(nameCase('Authorization'), fc.constantFrom(`Basic ${KEYS.all}`, KEYS.all, '')).map(([n, v]) => [[n, v]]),
  fc.constant([]),
) as fc.Arbitrary<Array<[string, string]>>;

/** Headers the app may read that a client sends, once or twice (API Gateway joins a repeated header by commas). */
const otherHeaders = fc.array(
  fc.oneof(
    fc.tuple(nameCase('Accept'), fc.constantFrom('application/json', '*/*', 'text/csv', 'application/json;q=0', 'text/html, application/*;q=0.5', '')),
    fc.tuple(nameCase('Content-Encoding'), fc.constantFrom('gzip', 'identity', '')),
    fc.tuple(nameCase('Cookie'), fc.constantFrom('a=1', 'a=1; b=2')),
    fc.tuple(nameCase('User-Agent'), fc.constantFrom('crm/1.0', 'curl/8.5')),
    fc.tuple(nameCase('X-Request-Id'), fc.constantFrom('r-1', 'r 2')),
  ),
  { maxLength: 3 },
) as fc.Arbitrary<Array<[string, string]>>;

/** Queries, odd ones included: escapes that are and are not UTF-8, `+`, keys given twice, empty values. */
const oddQuery = fc.constantFrom('', '?', '?id=a%20b', '?id=a+b', '?id=a&id=b', '?id=%FC', '?id=', '?id', '?x=1&&y=', '?%FC=1', '?id=%', '?a=b=c', '?ID=crm-1', '?id=a"b', '?id=<x>|{y}', '?id=a\\b', '?id=a?b', '?id=%2B%26');

interface Spec {
  method: string;
  path: string;
  query: string;
  contentType?: string;
  body: Uint8Array;
}

const text = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

/** JSON routes: a valid or mutated body in some encoding and content type (jsonRequestParts'). */
const jsonSpec = (route: string, body: fc.Arbitrary<{ body: Parameters<typeof writeJson>[0] }>) =>
  fc.tuple(body, jsonRequestParts, fc.oneof({ weight: 4, arbitrary: fc.constant('') }, oddQuery)).map(([b, parts, query]): Spec => ({
    method: 'POST',
    path: route,
    query,
    contentType: parts.contentType,
    body: encode(writeJson(b.body), parts.encoding),
  }));

const emlSpec = fc.tuple(emlBody, emlQuery, fc.constantFrom('message/rfc822', 'message/rfc822', 'text/plain', 'application/octet-stream', undefined)).map(
  ([body, query, contentType]): Spec => ({ method: 'POST', path: '/v1/classify/eml', query, contentType, body }),
);

const qualitySpec = fc
  .tuple(
    fc.constantFrom('', '?hours=24', '?hours=1.5&model=all', '?hours=', '?hours=24&hours=48', '?hour=5', '?model=m%20x', '?model=%FC', '?model=a+b', '?hours=0x10', '?model=m1', '?Hours=2'),
    fc.constantFrom(undefined, '{"hours": 24}', ''),
  )
  .map(([query, body]): Spec => ({ method: 'GET', path: '/v1/quality', query, contentType: body ? 'application/json' : undefined, body: text(body ?? '') }));

const opsSpec = fc
  .tuple(fc.constantFrom('GET', 'HEAD'), fc.constantFrom('/healthz', '/readyz', '/ping', '/v1/model', '/openapi.json', '/docs', '/metrics'), fc.constantFrom('', '', '?x=1'))
  .map(([method, p, query]): Spec => ({ method, path: p, query, body: new Uint8Array() }));

const sizedSpec = fc.tuple(fc.constantFrom(-1, 0, 1), fc.constantFrom('/v1/classify', '/v1/classify/eml')).map(([off, route]): Spec => {
  const head = route === '/v1/classify' ? '{"emails":[{"id":"big","body":"Depot"}]}' : 'From: a@b.de\r\nSubject: Depot\r\n\r\nDepot';
  const body = Buffer.concat([Buffer.from(head), Buffer.alloc(BODY_LIMIT + off - head.length, route === '/v1/classify' ? 0x20 : 0x61)]);
  return { method: 'POST', path: route, query: '', contentType: route === '/v1/classify' ? 'application/json' : 'message/rfc822', body: new Uint8Array(body) };
});

/** An empty body on every route that takes one, under each media type. */
const emptySpec = fc
  .tuple(fc.constantFrom('/v1/classify', '/invocations', '/v1/classify/eml', '/v1/feedback'), fc.constantFrom('application/json', 'message/rfc822', 'text/plain', undefined))
  .map(([route, contentType]): Spec => ({ method: 'POST', path: route, query: '', contentType, body: new Uint8Array() }));

const reloadSpec = fc.constantFrom('', '?force=true', '?forc=1').map((query): Spec => ({ method: 'POST', path: '/v1/admin/reload', query, body: new Uint8Array() }));

/** Wrong methods on known paths and paths that are no route's (a slash or a letter off, escaped, doubled). */
const strayPaths = ['/v1/classify', '/v1/classify/eml', '/v1/feedback', '/v1/quality', '/invocations', '/ping', '/', '/v1', '/v1/classify/', '/v1/feedbacks', '/V1/classify', '/v1//classify', '/v1/cl%61ssify', '/v1/classify%2Feml', '/v1/./classify', '/v1\\model', '/v1\\classify'];
const straySpec = fc
  .tuple(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'), fc.constantFrom(...strayPaths), oddQuery, fc.constantFrom('', '{}'))
  .map(([method, p, query, body]): Spec => ({ method, path: p, query, contentType: body ? 'application/json' : undefined, body: method === 'GET' || method === 'HEAD' ? new Uint8Array() : text(body) }));

const spec = fc.oneof(
  { weight: 15, arbitrary: jsonSpec('/v1/classify', mutated(classifyBody)) },
  { weight: 5, arbitrary: jsonSpec('/invocations', mutated(classifyBody)) },
  { weight: 10, arbitrary: emlSpec },
  { weight: 10, arbitrary: fc.constant(null).chain(() => jsonSpec('/v1/feedback', mutated(feedback(predictionIds)))) },
  { weight: 5, arbitrary: qualitySpec },
  { weight: 5, arbitrary: opsSpec },
  { weight: 5, arbitrary: reloadSpec },
  { weight: 10, arbitrary: straySpec },
  { weight: 1, arbitrary: sizedSpec },
  { weight: 2, arbitrary: emptySpec },
);

/** API Gateway's own domain at the `$default` stage (as the stack deploys it) or a named one, or a custom domain mapped to a stage named like a route. */
const gateway: fc.Arbitrary<Gateway> = fc.constantFrom({ stage: '$default' }, { stage: '$default' }, { stage: 'prod' }, { stage: 'v1' }, { stage: 'v1', customDomain: 'api.example.com' }, { stage: 'ping', customDomain: 'api.example.com' });

/** The request a client sends for `s`: its key, content type and length, and other headers, in generated order and casing. */
const request = fc.tuple(spec, keyHeader, otherHeaders, nameCase('Content-Type'), nameCase('Content-Length'), gateway).map(
  ([s, key, others, ctName, lengthName, at]): { request: RawRequest; at: Gateway } => {
    const headers: Array<[string, string]> = [...key, ...others];
    if (s.contentType !== undefined) headers.push([ctName, s.contentType]);
    if (s.body.length > 0 || s.method === 'POST') headers.push([lengthName, String(s.body.length)]);
    return { request: { method: s.method, path: s.path, query: s.query, headers, body: s.body }, at };
  },
);

const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

/** API Gateway's id of every event (`requestContext.requestId`, as front-doors builds it). */
const GATEWAY_REQUEST_ID = 'req-1';

/**
 * What must be alike in two answers: the status, the headers the app sets, and the problem document or the JSON
 * (prediction ids aside). A header sent twice reaches the app joined by `, ` from Node and by `,` from API Gateway: a detail that
 * quotes it is compared without the blanks after commas (`joined`). `newId` is what a request without a usable
 * x-request-id of its own is answered with: a new UUID over Node, API Gateway's request id through the Lambda.
 */
function comparable(answer: Answer, joined: boolean, newId: RegExp): Loose {
  const type = answer.headers['content-type'];
  // Every header the app sets; those of the transport (Node's Date, Connection, Keep-Alive, the length) aside.
  // The new x-request-id differs on each side: compared as there or not (an id the request sent is echoed alike).
  const headers = Object.fromEntries(
    Object.entries(answer.headers)
      .filter(([name]) => !TRANSPORT_HEADERS.has(name))
      .map(([name, value]) => [name, name === 'x-request-id' && newId.test(String(value)) ? '<new id>' : value]),
  );
  const out: Loose = { status: answer.status, headers };
  const body = answer.body.toString('utf8');
  if (body === '') {
    // HEAD, or OPTIONS's 204.
    out.body = body;
  } else if (type === 'application/problem+json') {
    const problem = JSON.parse(body);
    out.problem = joined ? { ...problem, detail: problem.detail?.replace(/,\s+/g, ',') } : problem;
  } else if (type?.startsWith('application/json')) {
    out.json = JSON.parse(body, (k, v) => (k === 'predictionId' ? '<id>' : v));
  } else if (!type?.startsWith('text/plain; version=0.0.4')) {
    // Metrics count every request, so two reads differ; any other body must be the same.
    out.body = body;
  }
  return out;
}

describe('the Node server and the Lambda handler under generated requests', () => {
  it('answer every request alike', async () => {
    await fc.assert(
      fc.asyncProperty(request, async ({ request: r, at }) => {
        const names = r.headers.map(([name]) => name.toLowerCase());
        const joined = new Set(names).size < names.length;
        const lambda = comparable(await throughLambda(handler, r, at), joined, new RegExp(`^${GATEWAY_REQUEST_ID}$`));
        // A . or .. segment the Node server resolves; the Lambda, behind API Gateway's routes, refuses it.
        if (r.path.split('/').some((segment) => /^(\.|%2e){1,2}$/i.test(segment))) {
          expect(lambda.status).toBe(400);
          // An answer to HEAD has no body.
          if (r.method !== 'HEAD') expect(lambda.problem?.code).toBe('REQUEST_INVALID');
          return;
        }
        const node = comparable(await overHttp(server.port, r), joined, /^[0-9a-f-]{36}$/);
        // Through the Lambda an answer that is no error carries API Gateway's id too (it joins the gateway's access
        // log); over Node such an answer gets no new id.
        if (lambda.headers['x-request-id'] === '<new id>' && node.headers['x-request-id'] === undefined) delete lambda.headers['x-request-id'];
        expect(lambda).toEqual(node);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, TIMEOUT_MS);
});
