import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { ModelLoadError, ModelNotReadyError, NoChampionError, StoreUnavailableError } from '../errors.js';
import type { AppContext, ServingHono } from '../http/context.js';
import { requireAnyKey, requireScope } from '../http/guard.js';
import { describeError } from '../http/logger.js';
import { unreadBodyWarning, unreadQueryWarning } from '../http/query.js';
import { requestIdOf } from '../http/refusal-log.js';
import { HealthSchema, ModelInfoSchema, ReloadResponseSchema } from '../http/schemas.js';
import { SHUTTING_DOWN, withoutPaths } from '../model/classifier-source.js';
import { classifierHealth } from '../model/thread-health.js';
import { PROMETHEUS_CONTENT_TYPE } from '../metrics/prometheus.js';
import { apiKeySecurity, keyedReadErrorResponses, noBodyErrorResponses, publicErrorResponses } from './responses.js';

/** Said to a reload that sent a body: the route reads only `?force=`. */
const UNREAD_RELOAD_BODY_WARNING = 'The request body was not read: /v1/admin/reload reads only its query parameter ?force= (POST /v1/admin/reload?force=true reloads even an unchanged champion).';

export function registerOpsRoutes(app: ServingHono, ctx: AppContext): void {
  const ready = () => {
    // Closing: a load balancer should stop sending here before the port closes.
    if (ctx.source.isClosed()) throw new ModelNotReadyError(SHUTTING_DOWN);
    const current = ctx.source.current();
    if (!current) throw new ModelNotReadyError('No model is loaded yet.');
    // Loaded, but its model threads exited and could not be replaced: batches for them would fail.
    const health = classifierHealth(current);
    if (!health.ready) throw new ModelNotReadyError(withoutPaths(health.detail ?? 'The model cannot serve.'));
    // The store cannot take writes (its SQLite file deleted under the server or its writer thread ended: until a
    // restart; its file system read-only or its disk failing: until a write commits again): every feedback would be
    // refused, so a load balancer should take the instance out meanwhile. Said with the store's reason; with
    // Retry-After while it passes by itself, so that each poll is logged as a refusal (rate-limited), not a fault.
    const store = ctx.store.health?.();
    if (store !== undefined && !store.ready) throw new StoreUnavailableError(store.detail ?? 'The store cannot take writes.', { untilRestart: store.passing !== true, reason: store.reason });
    return current;
  };

  app.openapi(
    createRoute({ method: 'get', path: '/healthz', operationId: 'getHealth', tags: ['operations'], summary: 'Alive', responses: { 200: { description: 'Alive', content: { 'application/json': { schema: HealthSchema } } }, ...publicErrorResponses } }),
    (c) => c.json({ status: 'ok' as const }, 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/readyz',
      operationId: 'getReadiness',
      tags: ['operations'],
      summary: 'A model is loaded and can serve (503 MODEL_NOT_READY while none is loaded, while the server closes, and while no model thread is loaded)',
      responses: { 200: { description: 'Ready', content: { 'application/json': { schema: HealthSchema } } }, ...publicErrorResponses, 503: noBodyErrorResponses[503] },
    }),
    (c) => c.json({ status: 'ready' as const, modelId: ready().modelId }, 200),
  );
  // SageMaker's health check: 200 once the model is loaded.
  app.openapi(
    createRoute({
      method: 'get',
      path: '/ping',
      operationId: 'pingSageMaker',
      tags: ['operations'],
      summary: 'SageMaker health check',
      responses: { 200: { description: 'Ready', content: { 'application/json': { schema: HealthSchema } } }, ...publicErrorResponses, 503: noBodyErrorResponses[503] },
    }),
    (c) => c.json({ status: 'ready' as const, modelId: ready().modelId }, 200),
  );

  // On a server with keys, a key of any scope: /v1/model tells the taxonomy, thresholds and the registry's figures, and
  // /metrics the predictions per label, so on a quiet server each email's outcome could be followed from the port.
  app.use('/v1/model', requireAnyKey(ctx));
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/model',
      operationId: 'getModel',
      tags: ['operations'],
      summary: 'The model being served and the last reload (on a server with API keys, a key of any scope is needed)',
      security: apiKeySecurity(),
      responses: { 200: { description: 'Model', content: { 'application/json': { schema: ModelInfoSchema } } }, ...keyedReadErrorResponses },
    }),
    async (c) => {
      const s = ctx.source.status();
      const current = ctx.source.current();
      const version = current && ctx.registry ? await ctx.registry.get(current.modelId).catch(() => undefined) : undefined;
      return c.json(
        {
          modelId: s.modelId ?? null,
          tasks: current ? current.tasks.map((t) => ({ name: t.name, labels: [...t.labels] })) : [],
          routing: current?.routing
            ? {
                queueTask: current.routing.queueTask,
                abstainTasks: [...current.routing.abstainTasks],
                thresholds: { ...current.routing.thresholds },
                ...(current.routing.automatedQueues ? { automatedQueues: { ...current.routing.automatedQueues } } : {}),
                ...(current.routing.languages ? { languages: [...current.routing.languages] } : {}),
              }
            : null,
          loadedAt: s.loadedAt ?? null,
          reloads: s.reloads,
          failedReloads: s.failedReloads,
          lastReloadAt: s.lastReloadAt ?? null,
          lastReloadError: s.lastReloadError ?? null,
          registry: version
            ? { version: version.version, status: version.status, createdAt: version.createdAt, family: version.family, metrics: version.metrics }
            : null,
        },
        200,
      );
    },
  );

  app.use('/metrics', requireAnyKey(ctx));
  app.openapi(
    createRoute({
      method: 'get',
      path: '/metrics',
      operationId: 'getMetrics',
      tags: ['operations'],
      summary:
        'Prometheus metrics: requests, latency histogram, predictions per label, abstentions, model version, in-flight requests (on a server with API keys, a key of any scope is needed: Prometheus sends it with authorization.credentials)',
      security: apiKeySecurity(),
      responses: { 200: { description: 'Prometheus text format 0.0.4', content: { 'text/plain': { schema: z.string() } } }, ...keyedReadErrorResponses },
    }),
    (c) => c.text(ctx.metrics.registry.render(), 200, { 'content-type': PROMETHEUS_CONTENT_TYPE }),
  );

  app.use('/v1/admin/reload', requireScope(ctx, 'admin'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/reload',
      operationId: 'reloadModel',
      tags: ['operations'],
      summary: 'Load the champion now (force: reload even if unchanged)',
      security: apiKeySecurity('admin'),
      request: { query: z.object({ force: z.enum(['true', 'false']).optional().openapi({ description: 'true: load the champion even when it is the model served, or when it failed to load before (default false)' }) }) },
      responses: { 200: { description: 'Reloaded or unchanged', content: { 'application/json': { schema: ReloadResponseSchema } } }, ...noBodyErrorResponses },
    }),
    async (c) => {
      const force = c.req.valid('query').force === 'true';
      // An audit line per admin action, before and after: who (the key's id, never the key) and which request.
      // The id is set on the request, so the answer and an error's own log line carry the same one.
      const requestId = requestIdOf(c.req.header('x-request-id'), randomUUID);
      c.req.raw.headers.set('x-request-id', requestId);
      const audit = { requestId, keyId: c.get('principal').keyId, force };
      ctx.logger.info('admin reload requested', audit);
      const outcome = await ctx.source.reload({ force }).catch((error: unknown) => {
        ctx.logger.info('admin reload failed', { ...audit, error: describeError(error) });
        // As /v1/model says it to any key (and to anyone on a server without keys): server paths cut to the file name there too.
        if (error instanceof ModelLoadError) throw new ModelLoadError(withoutPaths(error.message), {}, { cause: error });
        // No model yet and no champion to load (an app built before one was approved): not ready, as /readyz says.
        if (error instanceof NoChampionError) throw new ModelNotReadyError(error.message, {}, { cause: error });
        throw error;
      });
      const changed = outcome.championChanged;
      const note =
        outcome.skippedFailed !== undefined
          ? { note: `The champion ${outcome.skippedFailed} failed to load before (see /v1/model); reload with ?force=true to try it again.` }
          : changed !== undefined
            ? outcome.noChampion
              ? { note: `${changed} was rejected while it loaded, and the registry has no champion now: it was not swapped in, and the loaded model keeps serving until one is approved.` }
              : { note: `The champion changed while ${changed} loaded (rejected, or another made champion), so it was not swapped in: the next poll, or another reload, loads the champion of now.` }
            : outcome.noChampion
              ? { note: `The registry has no champion (was ${outcome.modelId ?? 'the model'} rejected with no other version Approved?): the loaded model keeps serving until one is approved.` }
              : {};
      // ?forc=true would otherwise reload without force, unsaid.
      const unread = unreadQueryWarning(c.req.url, ['force']);
      // So would a body (`{"force": true}`): the route reads only its query.
      const body = unreadBodyWarning((name) => c.req.header(name), UNREAD_RELOAD_BODY_WARNING);
      const said = [unread, body].filter((w) => w !== undefined);
      const warnings = said.length > 0 ? { warnings: said } : {};
      ctx.logger.info('admin reload done', { ...audit, changed: outcome.changed, loaded: outcome.loaded === true, modelId: outcome.modelId ?? null, previousModelId: outcome.previousModelId ?? null });
      c.header('x-request-id', requestId);
      return c.json({ changed: outcome.changed, loaded: outcome.loaded === true, modelId: outcome.modelId ?? null, previousModelId: outcome.previousModelId ?? null, ...note, ...warnings }, 200);
    },
  );
}
