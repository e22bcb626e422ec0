import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { didYouMean, type ModelRegistry } from '@mailroute/model';
import { isTimeZone, parseEml as parseRawEml, type EmlEmail } from '@mailroute/preprocess';
import type { Auth, Principal } from './auth/api-keys.js';
import { createRateLimiter } from './auth/rate-limiter.js';
import { MethodNotAllowedError, NotFoundError, ServingError, ValidationError } from './errors.js';
import type { AppContext, AppEnv, ModelTasks, ServingHono, TrainingDistribution } from './http/context.js';
import { LimitsSchema, type LimitsInput } from './http/limits.js';
import { describeError, silentLogger, systemClock, type Clock, type Logger } from './http/logger.js';
import { PROBLEM_CONTENT_TYPE, toProblem, type Problem, type ProblemWithHeaders } from './http/problem.js';
import { createFailureLog, type Failure } from './http/failure-log.js';
import { createRefusalLog, requestIdOf, usableRequestId, type Refusal } from './http/refusal-log.js';
import { classifyUnreadHint, feedbackUnreadHint } from './http/schemas.js';
import { schemaMismatchDetail } from './http/validation-detail.js';
import { createServingMetrics, type ServingMetrics } from './metrics/serving-metrics.js';
import { createPredictBatcher } from './model/batcher.js';
import { maskStoredText } from './model/stored-text.js';
import { registryModelTasks } from './model/model-tasks.js';
import type { ClassifierSource } from './model/classifier-source.js';
import type { TaskScorer } from './quality/live-quality.js';
import { evaluationScorer } from './quality/scorer.js';
import { registerClassifyRoutes } from './routes/classify.js';
import { CACHEABLE_ROUTES, type ApiDocumentOptions } from './routes/api-document.js';
import { registerDocsRoutes } from './routes/docs.js';
export { docsContentSecurityPolicy } from './routes/docs.js';
import { registerFeedbackRoutes } from './routes/feedback.js';
import { registerOpsRoutes } from './routes/ops.js';
import { registerQualityRoutes } from './routes/quality.js';
import { timeOrderedId } from './store/time-ordered-id.js';
import type { PredictionStore } from './store/types.js';

export interface AppOptions {
  /** Where the served model comes from: the registry's champion (`createLocalModelSource`), or one classifier (`createStaticClassifierSource`); the app releases it on `close()`. */
  classifierSource: ClassifierSource;
  /** Predictions and feedback: `createSqliteStore`, or `noStore()` to keep none. */
  store: PredictionStore;
  /** API keys and scopes (`loadAuth`, `createApiKeyAuth`), or `createNoAuth()` behind a caller's own. */
  auth: Auth;
  registry?: ModelRegistry;
  /**
   * The tasks (labels, aliases, retired labels) of a model by id, for feedback on another model's
   * predictions; default: read from the registry's copy of its manifest. The Lambda reads the manifest
   * alone from S3 rather than downloading the artifact.
   */
  modelTasks?: ModelTasks;
  limits?: LimitsInput;
  logger?: Logger;
  clock?: Clock;
  metrics?: ServingMetrics;
  scorer?: TaskScorer;
  parseEml?: (raw: Uint8Array) => EmlEmail | Promise<EmlEmail>;
  /** Keep a PII-masked copy of the text with each prediction: `true` masks with `redactPii`. Off by default. */
  storeText?: boolean | ((text: string, knownNames?: readonly string[]) => string);
  trainingDistribution?: TrainingDistribution;
  /** Prediction ids (default: UUIDv7). Must return UUIDs: feedback refuses a predictionId of another form. */
  newId?: () => string;
  /** The IANA time zone (`Europe/Berlin`) a CRM's times without a zone are in (feedback's closedAt); default UTC. */
  timeZone?: string;
  /** How /openapi.json describes the API where a front door changes what clients reach (the AWS Lambda's API Gateway); default: as served here. */
  apiDocument?: ApiDocumentOptions;
  /**
   * Log one `request` line (info) per answer: its request id, method, route, status, milliseconds and key id; every
   * answer then carries an `x-request-id` (the caller's, or a new one). Off by default: the classify path pays nothing.
   */
  accessLog?: boolean;
}

export interface ServingApp {
  app: ServingHono;
  context: AppContext;
  /** The `request refused` log, rate-limited: also for refusals an adapter answers before the app. */
  refused: (refusal: Refusal) => void;
  /** The `request failed` log, rate-limited per route and code: also for faults an adapter answers before the app. */
  failed: (failure: Failure) => void;
  /** Waits for in-flight requests to the model, releases it and closes the store. */
  close(): Promise<void>;
}

/** The email fields of a raw RFC 822 message (attachments are listed by the parser, not classified). */
async function defaultParseEml(raw: Uint8Array): Promise<EmlEmail> {
  const { attachments: _attachments, ...email } = await parseRawEml(raw);
  return email;
}

/**
 * IBANs, cards, emails, phones, keyed numbers, names and addresses replaced before any text is stored; `knownNames`
 * (the sender's, `senderNames`) masked wherever they stand, with or without a cue before them; `patterns` (an
 * institution's own, `--pii-patterns`) masked before every other detector. One function with what the model
 * thread runs (`maskStoredText`), which it recognises by identity (`threadMasking`).
 */
export const maskPii = maskStoredText;

/** The route a request matched, for metrics and logs (`unmatched` for none: never the path a caller made up). */
function routeOf(c: Context<AppEnv>): string {
  return c.req.routePath === '/*' || c.req.routePath === '*' ? 'unmatched' : c.req.routePath;
}

/**
 * Builds the Hono app from its dependencies; adapters (Node, Lambda, SageMaker) only run it. A classifier source
 * serves nothing until its first `reload()` (`createStaticClassifierSource(c)` too): until then classify answers 503
 * `MODEL_NOT_READY`. Inside another Hono app, mount it with `mount('/prefix', serving.app.fetch)`, not `route()`.
 */
export function createApp(options: AppOptions): ServingApp {
  if (options.timeZone !== undefined && !isTimeZone(options.timeZone)) {
    throw new RangeError(`not a time zone this runtime knows: ${JSON.stringify(options.timeZone)} (an IANA name such as "Europe/Berlin" or "UTC")`);
  }
  const clock = options.clock ?? systemClock;
  const metrics = options.metrics ?? createServingMetrics();
  // Feedback older than the store keeps would be deleted at once: refused, unless the limits say otherwise.
  const limits = LimitsSchema.parse({ feedbackRetentionDays: options.store.retentionDays, ...options.limits });
  const ctx: AppContext = {
    source: options.classifierSource,
    registry: options.registry,
    modelTasks: options.modelTasks ?? (options.registry ? registryModelTasks(options.registry) : undefined),
    store: options.store,
    auth: options.auth,
    limits,
    logger: options.logger ?? silentLogger,
    clock,
    metrics,
    rateLimiter: createRateLimiter(clock),
    scorer: options.scorer ?? evaluationScorer,
    parseEml: options.parseEml ?? defaultParseEml,
    maskText: options.storeText === true ? maskPii : typeof options.storeText === 'function' ? options.storeText : undefined,
    trainingDistribution: options.trainingDistribution,
    timeZone: options.timeZone,
    newId: options.newId ?? (() => timeOrderedId()),
    batcher: createPredictBatcher(limits.maxBatch),
    inFlight: { count: 0, byScope: {}, byKey: new Map() },
  };
  const served = ctx.source.current();
  metrics.setModel(served?.modelId, served?.tasks.map((t) => t.name));
  ctx.source.onEvent((event) => {
    if (event.kind === 'loaded') {
      metrics.setModel(event.modelId, event.tasks);
      metrics.modelLoadFailing.set({}, 0);
      if (event.previousModelId !== undefined && event.previousModelId !== event.modelId) metrics.reloads.inc({ result: 'success' });
    } else if (event.kind === 'load_failed') {
      metrics.reloads.inc({ result: 'failure' });
      metrics.modelLoadFailing.set({}, 1);
    } else if (event.kind === 'load_failure_over') {
      metrics.modelLoadFailing.set({}, 0);
    } else if (event.kind === 'registry_unreadable') {
      // No model failed to load: an alert on failed loads must not fire for a registry.json being replaced.
      metrics.registryReadFailures.inc();
    } else if (event.kind === 'champion_missing') {
      metrics.championMissing.set({}, event.missing ? 1 : 0);
    } else if (event.kind === 'champion_files') {
      metrics.championFilesBroken.set({}, event.broken ? 1 : 0);
    }
  });

  // A body refused by the schema that holds fields not read: the detail names them, with the ones probably meant.
  const unreadHint = (path: string, body: unknown): string | undefined =>
    path === '/v1/feedback' ? feedbackUnreadHint(body) : path === '/v1/classify' || path === '/invocations' ? classifyUnreadHint(body) : undefined;
  const app: ServingHono = new OpenAPIHono<AppEnv>({
    // One shape for every validation error: 400 problem with the zod issue paths.
    defaultHook: (result, c) => {
      if (!result.success) {
        const issues = result.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'number' ? p : String(p))), message: i.message, code: i.code }));
        const hint = result.target === 'json' ? unreadHint(c.req.path, c.get('jsonBody')) : undefined;
        throw new ValidationError(schemaMismatchDetail(issues, hint), issues);
      }
    },
  });

  // Methods per route path, read from the app's routes once they are all registered (first request).
  let methodsByPath: Map<string, string[]> | undefined;
  const refused = createRefusalLog(ctx.logger, clock);
  const failed = createFailureLog(ctx.logger, clock);
  /**
   * A problem answer, with an `x-request-id` (the caller's own, or a new one) that its log line carries too; a refusal
   * (4xx, a 503 with Retry-After) is logged, rate-limited, with the key's id and the problem's `reason`. Other answers carry
   * the caller's usable id, or the access log's (`echoRequestId`).
   */
  const problemResponse = (c: Context<AppEnv>, { body, headers }: ProblemWithHeaders, requestId = requestIdFor(c), route = routeOf(c)): Response => {
    metrics.problems.inc({ route, code: body.code });
    if (isRefusal(body.status, headers)) {
      const keyId = (c.get('principal') as Principal | undefined)?.keyId;
      const clientAddress = clientAddressOf(c);
      refused({
        requestId,
        method: c.req.method,
        route,
        status: body.status,
        code: body.code,
        ...reasonOf(body),
        ...(keyId === undefined ? {} : { keyId }),
        ...(clientAddress === undefined ? {} : { clientAddress }),
      });
    }
    return c.body(JSON.stringify(body), body.status as 500, { ...headers, 'x-request-id': requestId, 'content-type': PROBLEM_CONTENT_TYPE });
  };
  /**
   * The answer to a route's path asked with a method no handler takes: OPTIONS gets 204 with Allow (no CORS
   * headers: a browser on another origin stays refused), any other 405 with Allow; undefined for a method the
   * route takes, or a path that is no route's. Only a miss costs more than the one lookup.
   */
  const otherMethod = (c: Context<AppEnv>): Response | undefined => {
    methodsByPath ??= routeMethods(app);
    const { method, path } = c.req;
    const methods = methodsByPath.get(path);
    if (methods === undefined || methods.includes(method)) return undefined;
    const allow = [...methods, 'OPTIONS'];
    if (method === 'OPTIONS') return c.body(null, 204, { allow: allow.join(', ') });
    // Named by its path, a route's (no route matched the method, so routeOf would say `unmatched`), as the metrics name it.
    // The detail lists what Allow lists, OPTIONS included: a client reading either learns the same methods.
    return problemResponse(c, toProblem(new MethodNotAllowedError(`${path} takes ${allow.join(', ')}, not ${method}.`, allow)), undefined, path);
  };

  const accessLog = options.accessLog === true;
  app.use('*', async (c, next) => {
    const started = performance.now();
    // With the access log, every answer's id is made first, so the problem answer, its log lines and the access line share it.
    if (accessLog) c.set('requestId', requestIdOf(c.req.header('x-request-id'), randomUUID));
    // Before any guard, so a GET to a POST route is a 405, not a 415 for its missing body.
    const answered = otherMethod(c);
    if (answered) c.res = answered;
    else await next();
    // OPTIONS and a refused method are counted under their route (the path is a route's, or it would have no answer here).
    const route = answered ? c.req.path : routeOf(c);
    secureHeaders(c, route);
    // A client that closed its connection before the answer (a CRM's timeout shorter than the server's) is counted
    // and logged as 499, as proxies count it, not as the 200 it never received.
    const status = clientGone(c) ? CLIENT_CLOSED : c.res.status;
    metrics.requests.inc({ route, method: c.req.method, status: String(status) });
    const ms = performance.now() - started;
    // By status class too: the 1 ms refusals of an overloaded server (503, 429, 401) would pull the p99 of what it served down.
    metrics.observeLatency(route, status, ms / 1000);
    if (!CACHEABLE_ROUTES.has(route)) echoRequestId(c);
    if (accessLog) {
      const keyId = (c.get('principal') as Principal | undefined)?.keyId;
      ctx.logger.info('request', { requestId: c.get('requestId'), method: c.req.method, route, status, ms: Math.round(ms * 10) / 10, ...(keyId === undefined ? {} : { keyId }) });
    }
  });

  app.onError((error, c) => {
    const problem = toProblem(error);
    const requestId = requestIdFor(c);
    // A fault here or behind the server (every 5xx without Retry-After: INTERNAL, a store that cannot be read or
    // written, an endpoint the API may not invoke, a failed endpoint) is logged at error level: the answer says
    // only what failed. Refusals (4xx, 503s with Retry-After: the rate-limited `request refused` line) and a failed
    // model load (logged by the classifier source) are not.
    const { code } = problem.body;
    if (!isRefusal(problem.body.status, problem.headers) && code !== 'MODEL_LOAD_FAILED') {
      // The error and its cause (e.g. the SDK error behind a failed endpoint call) by name and message
      // only, and the problem's `reason`; never a stack, nor the request body.
      const cause = error instanceof Error && error.cause !== undefined ? { cause: describeError(error.cause) } : {};
      failed({ requestId, method: c.req.method, route: c.req.routePath, status: problem.body.status, code, ...reasonOf(problem.body, error), error: describeError(error), ...cause });
    }
    return problemResponse(c, problem, requestId);
  });
  // Answered here, not thrown: a throw from notFound skips the rest of the metrics middleware.
  // A route missed by a slash or a letter (/v1/classify/, /v1/feedbacks) names the one probably meant.
  app.notFound((c) => {
    methodsByPath ??= routeMethods(app);
    return problemResponse(c, toProblem(new NotFoundError(`No such route${didYouMean(c.req.path, methodsByPath.keys())}.`)));
  });

  registerClassifyRoutes(app, ctx);
  registerFeedbackRoutes(app, ctx);
  registerQualityRoutes(app, ctx);
  registerOpsRoutes(app, ctx);
  registerDocsRoutes(app, ctx, options.apiDocument);

  return {
    app,
    context: ctx,
    refused,
    failed,
    async close() {
      await ctx.source.close();
      await ctx.store.close();
    },
  };
}

/** The status a request whose client went away before its answer is counted and logged with (nginx's). */
const CLIENT_CLOSED = 499;

/** Whether the client of a request the Node server runs closed its connection before the answer; false elsewhere (Lambda, `app.request`). */
function clientGone(c: Context<AppEnv>): boolean {
  const env = c.env as { incoming?: { socket?: { destroyed?: boolean } | null }; outgoing?: { destroyed?: boolean } } | undefined;
  return env?.outgoing?.destroyed === true || env?.incoming?.socket?.destroyed === true;
}

/** The request's id: the one the access log made, else the caller's usable `x-request-id`, else a new one. */
function requestIdFor(c: Context<AppEnv>): string {
  return c.get('requestId') ?? requestIdOf(c.req.header('x-request-id'), randomUUID);
}

/**
 * An answer that has no `x-request-id` (not a problem answer) gets the access log's id, or the caller's own when it
 * sent a usable one, so a CRM can match a slow or wrong 200 to its request; without either it gets none. Not the
 * answers a cache may keep (the docs page, the API document): a shared cache would give one caller's id to all.
 */
function echoRequestId(c: Context<AppEnv>): void {
  if (c.res.headers.has('x-request-id')) return;
  const id = c.get('requestId') ?? usableRequestId(c.req.header('x-request-id'));
  if (id !== undefined) c.res.headers.set('x-request-id', id);
}


/**
 * The headers of every answer: `X-Content-Type-Options: nosniff` (a browser never reads a JSON answer, or a caller's
 * text echoed in one, as a script or a page), `Cache-Control: no-store` on all but the docs page and the API document
 * (predictions, feedback, quality, metrics, the model and errors carry a caller's data or change at each call). The
 * docs page sends its own Content-Security-Policy (routes/docs.ts).
 */
function secureHeaders(c: Context<AppEnv>, route: string): void {
  const headers = c.res.headers;
  headers.set('x-content-type-options', 'nosniff');
  if (!CACHEABLE_ROUTES.has(route) && !headers.has('cache-control')) headers.set('cache-control', 'no-store');
}

/**
 * The address of the client's connection, for the refusal log: the socket's remote address on Node, API Gateway's
 * `sourceIp` on Lambda; undefined where there is none (`app.request` in tests). An `X-Forwarded-For` is never read:
 * any client can send one, and no setting says which proxy to trust.
 */
function clientAddressOf(c: Context<AppEnv>): string | undefined {
  const env = c.env as
    | { incoming?: { socket?: { remoteAddress?: string } }; requestContext?: { http?: { sourceIp?: unknown }; identity?: { sourceIp?: unknown } } }
    | undefined;
  const address = env?.incoming?.socket?.remoteAddress ?? env?.requestContext?.http?.sourceIp ?? env?.requestContext?.identity?.sourceIp;
  return typeof address === 'string' && address !== '' ? address.slice(0, 64) : undefined;
}

/**
 * A refusal (the rate-limited `request refused` warn line) rather than a fault (`request failed`, at error level):
 * a 4xx, or a 5xx that says when to retry (503 with Retry-After: overloaded, throttled, an endpoint not in service).
 */
function isRefusal(status: number, headers: Record<string, string>): boolean {
  return status < 500 || headers['retry-after'] !== undefined;
}

/**
 * Why it failed beyond its code, for the log line: the problem's `reason` member (ENDPOINT_THROTTLED), else the
 * error's own `reason` (a store's STORE_RECORD_INVALID, kept out of the answer). A stable word of this code's, no email text.
 */
function reasonOf(body: Problem, error?: unknown): { reason?: string } {
  const reason = body.reason ?? (error instanceof ServingError ? (error as { reason?: unknown }).reason : undefined);
  return typeof reason === 'string' ? { reason: reason.slice(0, 100) } : {};
}

/** The methods of every concrete route path (middleware and wildcards left out); GET routes also take HEAD. */
function routeMethods(app: ServingHono): Map<string, string[]> {
  const byPath = new Map<string, string[]>();
  for (const route of app.routes) {
    if (route.method === 'ALL' || route.path.includes('*') || route.path.includes(':')) continue;
    const methods = byPath.get(route.path) ?? [];
    for (const m of route.method === 'GET' ? ['GET', 'HEAD'] : [route.method]) if (!methods.includes(m)) methods.push(m);
    byPath.set(route.path, methods);
  }
  return byPath;
}
