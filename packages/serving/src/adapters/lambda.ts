import { randomUUID } from 'node:crypto';
import { handle, type LambdaEvent, type LambdaContext, type APIGatewayProxyResult } from 'hono/aws-lambda';
import type { ServingApp } from '../app.js';
import { describeError, silentLogger, type Logger } from '../http/logger.js';
import { problem, PROBLEM_CONTENT_TYPE, toProblem, type Problem } from '../http/problem.js';
import { ServingError } from '../errors.js';
import { requestIdOf } from '../http/refusal-log.js';
import { BACKSLASH_IN_PATH, DOT_SEGMENT_IN_PATH, unreadableRequestProblem } from './unreadable-request.js';

export type LambdaHandler = (event: LambdaEvent, context: LambdaContext) => Promise<APIGatewayProxyResult>;

/** API Gateway's own domain of an API (`abc123.execute-api.eu-central-1.amazonaws.com`), where a named stage is in the path. */
const EXECUTE_API_DOMAIN = /\.execute-api\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/i;

/**
 * An HTTP API with a named stage (not `$default`) called at its own domain puts the stage in front of the path
 * (`/prod/v1/classify`); the app's routes are the same at every stage, so the prefix is taken off. Through a custom
 * domain the stage is the API mapping's and not in the path: a stage named `v1` there left `/classify` of `/v1/classify`.
 */
function withoutStagePrefix(event: LambdaEvent): LambdaEvent {
  const e = event as { rawPath?: unknown; requestContext?: { stage?: unknown; domainName?: unknown } };
  const stage = e.requestContext?.stage;
  const domain = e.requestContext?.domainName;
  if (typeof e.rawPath !== 'string' || typeof stage !== 'string' || stage === '$default' || stage === '') return event;
  if (typeof domain === 'string' && !EXECUTE_API_DOMAIN.test(domain)) return event;
  const prefix = `/${stage}`;
  if (e.rawPath !== prefix && !e.rawPath.startsWith(`${prefix}/`)) return event;
  return { ...event, rawPath: e.rawPath.slice(prefix.length) || '/' } as LambdaEvent;
}

/**
 * Whether `event` is one the adapter serves: API Gateway HTTP API, payload format 2.0 (a function URL's is the same),
 * what the stack wires (packages/infra, public-api.ts). The guards below (stage prefix, dot segments, backslash, GET
 * body, TRACE) read its fields only; a REST API's (payload 1.0) or a load balancer's event would pass them unread.
 */
function isHttpApiV2Event(event: LambdaEvent): boolean {
  const e = event as { version?: unknown; rawPath?: unknown; requestContext?: { http?: { method?: unknown } } };
  return (
    e.version === '2.0' && typeof e.rawPath === 'string' && typeof e.requestContext?.http?.method === 'string' && !Object.hasOwn(e.requestContext, 'elb')
  );
}

/** API Gateway's id of the request (`$context.requestId`, the access log's `requestId`), when the event has one. */
const gatewayRequestIdOf = (event: LambdaEvent): string | undefined => {
  const id = (event as { requestContext?: { requestId?: unknown } }).requestContext?.requestId;
  return typeof id === 'string' ? id : undefined;
};

/**
 * The request's id: the caller's `x-request-id` when it is usable (requestIdOf), else API Gateway's own
 * (`$context.requestId`), so an app log line joins the gateway's access log line; a new one only without either.
 */
function requestIdOfEvent(event: LambdaEvent): string {
  const sent = (event as { headers?: Record<string, string | undefined> }).headers?.['x-request-id'];
  return requestIdOf(sent, () => requestIdOf(gatewayRequestIdOf(event), randomUUID));
}

/** `event` with `requestId` as its `x-request-id` header, which the app reads (the caller's own where usable, or API Gateway's). */
function withRequestId(event: LambdaEvent, requestId: string): LambdaEvent {
  const { headers } = event as { headers?: Record<string, string | undefined> };
  if (headers?.['x-request-id'] === requestId) return event;
  return { ...event, headers: { ...headers, 'x-request-id': requestId } } as LambdaEvent;
}

/**
 * Whether `text` decodes as base64 the way hono's adapter decodes it (atob, WHATWG forgiving-base64): ASCII blanks
 * aside, characters of the alphabet only, at most two `=` at the end of a length divisible by 4, not 1 over it.
 */
function isBase64(text: string): boolean {
  let data = text.replace(/[\t\n\f\r ]/g, '');
  if (data.length % 4 === 0) data = data.replace(/={1,2}$/, '');
  return data.length % 4 !== 1 && /^[A-Za-z0-9+/]*$/.test(data);
}

/** The 400 for an event whose body API Gateway marked base64 but is none (hono's adapter answered a bare 500, its stack on the console). */
const BODY_NOT_BASE64 = problem(400, 'REQUEST_INVALID', 'The request body cannot be read: the event marks it base64 (isBase64Encoded), but it is not base64.');

/** The request's method (payload v2). */
const methodOf = (event: LambdaEvent): unknown => (event as { requestContext?: { http?: { method?: unknown } } }).requestContext?.http?.method;

/**
 * A GET or HEAD event without its body. API Gateway passes on a body sent with any method (`GET /v1/quality` with
 * `{"hours": 24}`), and a fetch Request with one cannot be made: hono answered a bare 400 `Invalid request` in
 * text/plain. The Node server drops such a body too; its Content-Length stays, so /v1/quality still warns that the
 * body was not read.
 */
function withoutGetBody(event: LambdaEvent): LambdaEvent {
  const method = methodOf(event);
  const { body, isBase64Encoded, headers } = event as { body?: unknown; isBase64Encoded?: boolean; headers?: Record<string, string | undefined> };
  if ((method !== 'GET' && method !== 'HEAD') || typeof body !== 'string') return event;
  // The body's length stays said, as over Node, also where the event has no Content-Length header.
  const length = headers?.['content-length'] ?? String(Buffer.byteLength(body, isBase64Encoded ? 'base64' : 'utf8'));
  return { ...event, headers: { ...headers, 'content-length': length }, body: undefined, isBase64Encoded: false } as unknown as LambdaEvent;
}

/** Methods a fetch Request refuses to be made with (`TRACE`, `TRACK`, `CONNECT`, in any case). */
const FETCH_REFUSES = new Set(['TRACE', 'TRACK', 'CONNECT']);

/**
 * The event of a method fetch refuses, made as a GET without a body, and that method, or undefined for any other.
 * hono/aws-lambda answered such an event a bare 400 `Invalid request` in text/plain; the app is shown the method
 * as @hono/node-server shows it a TRACE, so both front doors answer alike (405 on a route's path, else 404).
 */
function refusedMethod(event: LambdaEvent): { event: LambdaEvent; method: string } | undefined {
  const method = methodOf(event);
  if (typeof method !== 'string' || !FETCH_REFUSES.has(method.toUpperCase())) return undefined;
  const e = event as { requestContext: { http: object } };
  const asGet = { ...event, body: undefined, isBase64Encoded: false, requestContext: { ...e.requestContext, http: { ...e.requestContext.http, method: 'GET' } } };
  return { event: asGet as unknown as LambdaEvent, method };
}

/** `request` with `method` in place of its own (a GET made for a method fetch refuses). */
function withMethod(request: Request, method: string): Request {
  Object.defineProperty(request, 'method', { get: () => method });
  return request;
}

/** A configuration fault (a missing setting): retrying cannot help, so the function fails and its alarm pages. */
const isConfigFault = (error: unknown): boolean => /_CONFIG_INVALID$/.test(String((error as { code?: unknown }).code ?? ''));

/** `body` as the function's answer to the request of `requestId`. */
function problemResult(body: Problem, requestId: string, headers: Record<string, string> = {}): APIGatewayProxyResult {
  // With the headers the app gives every answer (nosniff, no-store), as the Node server's own answers have them.
  return {
    statusCode: body.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'x-request-id': requestId, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

/** The answer while the app cannot be built (its model store or endpoint unreachable): a 503 to retry, as problem+json. */
function notReady(requestId: string): APIGatewayProxyResult {
  return problemResult(problem(503, 'NOT_READY', 'The service is starting or cannot reach its model yet; retry shortly.'), requestId, { 'retry-after': '5' });
}

/**
 * Endpoint problems the build's canary call meets that say more than "retry shortly": answered as an instance already
 * serving answers them (a role that may not call the endpoint: 500, which no retry mends and the function's alarms see;
 * an endpoint deleted or not in service: 503 with its own Retry-After), not as NOT_READY.
 */
const ENDPOINT_PROBLEMS: ReadonlySet<string> = new Set(['ENDPOINT_ACCESS_DENIED', 'ENDPOINT_NOT_IN_SERVICE']);

/** The answer to a request that found the app not built: the endpoint's own problem (ENDPOINT_PROBLEMS), else NOT_READY. */
function notBuilt(error: unknown, requestId: string): APIGatewayProxyResult {
  if (!(error instanceof ServingError) || !ENDPOINT_PROBLEMS.has(error.code)) return notReady(requestId);
  const { body, headers } = toProblem(error);
  return problemResult(body, requestId, headers);
}

/** Time kept for answering when the build is cut short by the function's own deadline: the answer, its log line. */
const ANSWER_MARGIN_MS = 1_500;

/** The build (`ready`) awaited no longer than the function has left, less ANSWER_MARGIN_MS; a build past it is BuildTimeout. */
async function withinDeadline<T>(ready: Promise<T>, context: LambdaContext): Promise<T> {
  const remaining = (context as { getRemainingTimeInMillis?: () => number }).getRemainingTimeInMillis?.();
  if (remaining === undefined) return ready;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BuildTimeout(remaining)), Math.max(0, remaining - ANSWER_MARGIN_MS));
  });
  try {
    return await Promise.race([ready, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The build outlasted the invocation's time: the request is answered NOT_READY while the build goes on for the next one. */
class BuildTimeout extends Error {
  constructor(remainingMs: number) {
    super(`the app was not built within the ${remainingMs} ms the invocation had left; it goes on building for the next request`);
    this.name = 'BuildTimeout';
  }
}

/** The answer to an event that is not an HTTP API's of payload format 2.0: the function is wired wrong, a fault no retry mends. */
const NOT_AN_HTTP_API_EVENT = problem(500, 'INTERNAL', 'The service is misconfigured: its gateway hands it requests it does not read.');

/**
 * Why the event's path cannot be served as it stands (400), or undefined. A backslash, as the Node server refuses
 * it: a URL parser reads `/v1\classify` as `/v1/classify`, a path the Node server does not serve (and a proxy may
 * read otherwise). A `.` or `..` segment (`/v1/%2e%2e/metrics`): API Gateway routes such a path by its text
 * (`ANY /v1/{proxy+}`), and the URL parser then resolves it to a route the gateway never exposes (`/metrics`).
 */
function unservablePath(event: LambdaEvent): string | undefined {
  const rawPath = (event as { rawPath?: unknown }).rawPath;
  if (typeof rawPath !== 'string') return undefined;
  if (rawPath.includes('\\')) return BACKSLASH_IN_PATH;
  // The URL parser drops tabs and line breaks before it resolves segments (`/v1/.\t./metrics` is `/v1/../metrics`).
  const dot = rawPath
    .replace(/[\t\n\r]/g, '')
    .split('/')
    .some((segment) => /^(\.|%2e){1,2}$/i.test(segment));
  return dot ? DOT_SEGMENT_IN_PATH : undefined;
}

/**
 * The AWS Lambda entry (API Gateway HTTP API, payload v2). The app is built once per container, on the
 * first event, so the model loads during the first invocation and stays warm after it. A build that
 * fails answers 503 NOT_READY (logged; the next event tries again), or, for a configuration fault, fails
 * the invocation. Any other event (a REST API's, payload 1.0, or a load balancer's) answers 500 INTERNAL and logs
 * why at error level. The request id is the caller's `x-request-id`, else API Gateway's `requestContext.requestId`.
 */
export function createLambdaHandler(serving: ServingApp | (() => Promise<ServingApp>), options: { logger?: Logger } = {}): LambdaHandler {
  const logger = options.logger ?? silentLogger;
  let ready: Promise<LambdaHandler> | undefined;
  const build = async (): Promise<LambdaHandler> => {
    const { app } = typeof serving === 'function' ? await serving() : serving;
    const main = handle(app) as LambdaHandler;
    return async (event, context) => {
      const refused = refusedMethod(event);
      if (refused === undefined) return main(event, context);
      const shown = handle({ fetch: (request: Request, env: unknown) => app.fetch(withMethod(request, refused.method), env) } as unknown as typeof app) as LambdaHandler;
      return shown(refused.event, context);
    };
  };
  return async (event, context) => {
    if (!isHttpApiV2Event(event)) {
      const requestId = requestIdOf(gatewayRequestIdOf(event), randomUUID);
      const version = (event as { version?: unknown }).version;
      logger.error('event not served', {
        requestId,
        ...(typeof version === 'string' ? { version } : {}),
        fix: 'wire the function to an API Gateway HTTP API with an AWS_PROXY integration of payload format 2.0 (payloadFormatVersion 2.0), as the stack does; a REST API, payload format 1.0 or a load balancer is not served',
      });
      return problemResult(NOT_AN_HTTP_API_EVENT, requestId);
    }
    const requestId = requestIdOfEvent(event);
    ready ??= build().catch((error: unknown) => {
      ready = undefined; // the next event tries again
      throw error;
    });
    let handler: LambdaHandler;
    try {
      // A build that hangs (S3 or the endpoint not answering) must not outlast the invocation: Lambda would end it
      // and API Gateway answer its own plain 5xx; the request is answered NOT_READY in time and the build goes on.
      handler = await withinDeadline(ready, context);
    } catch (error) {
      if (isConfigFault(error)) throw error;
      logger.error('app not ready', { requestId, error: describeError(error), cause: (error as { cause?: { name?: string } }).cause?.name });
      return notBuilt(error, requestId);
    }
    const unservable = unservablePath(event);
    if (unservable !== undefined) {
      const refused = problemResult(unreadableRequestProblem(unservable), requestId);
      // An answer to HEAD has no body, as the app's own.
      return methodOf(event) === 'HEAD' ? { ...refused, body: '' } : refused;
    }
    const served = withoutGetBody(withoutStagePrefix(withRequestId(event, requestId)));
    const { body, isBase64Encoded } = served as { body?: unknown; isBase64Encoded?: unknown };
    // A GET's body is dropped above and a TRACE's below: only a body the request is made with is decoded.
    if (isBase64Encoded === true && typeof body === 'string' && body !== '' && refusedMethod(served) === undefined && !isBase64(body)) {
      return problemResult(BODY_NOT_BASE64, requestId);
    }
    return handler(served, context);
  };
}
