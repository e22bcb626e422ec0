import { randomUUID } from 'node:crypto';
import { handle, type LambdaEvent, type LambdaContext, type APIGatewayProxyResult } from 'hono/aws-lambda';
import type { ServingApp } from '../app.js';
import { describeError, silentLogger, type Logger } from '../http/logger.js';
import { problem, PROBLEM_CONTENT_TYPE, type Problem } from '../http/problem.js';
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

/** `body` as the function's answer. */
function problemResult(body: Problem, headers: Record<string, string> = {}): APIGatewayProxyResult {
  // A new id, as the Node server gives a request it cannot read: the caller's is not read before the app.
  // With the headers the app gives every answer (nosniff, no-store), as the Node server's own answers have them.
  return {
    statusCode: body.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'x-request-id': randomUUID(), 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

/** The answer while the app cannot be built (its model store or endpoint unreachable): a 503 to retry, as problem+json. */
function notReady(): APIGatewayProxyResult {
  return problemResult(problem(503, 'NOT_READY', 'The service is starting or cannot reach its model yet; retry shortly.'), { 'retry-after': '5' });
}

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
 * the invocation.
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
    ready ??= build().catch((error: unknown) => {
      ready = undefined; // the next event tries again
      throw error;
    });
    let handler: LambdaHandler;
    try {
      handler = await ready;
    } catch (error) {
      if (isConfigFault(error)) throw error;
      logger.error('app not ready', { error: describeError(error), cause: (error as { cause?: { name?: string } }).cause?.name });
      return notReady();
    }
    const unservable = unservablePath(event);
    if (unservable !== undefined) {
      const refused = problemResult(unreadableRequestProblem(unservable));
      // An answer to HEAD has no body, as the app's own.
      return methodOf(event) === 'HEAD' ? { ...refused, body: '' } : refused;
    }
    return handler(withoutGetBody(withoutStagePrefix(event)), context);
  };
}
