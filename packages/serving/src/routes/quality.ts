import { createRoute } from '@hono/zod-openapi';
import type { AppContext, ServingHono } from '../http/context.js';
import { requireScope } from '../http/guard.js';
import { QualityQuerySchema, QualityResponseSchema } from '../http/schemas.js';
import { computeLiveQuality, type TaskInfo } from '../quality/live-quality.js';
import type { FeedbackPair } from '../store/types.js';
import { API_KEY_SECURITY, errorResponses } from './responses.js';

/** Tasks of the served model, or, with none loaded, the task names found in the stored predictions. */
function tasksOf(ctx: AppContext, pairs: readonly FeedbackPair[]): TaskInfo[] {
  const current = ctx.source.current();
  if (current) return current.tasks.map((t) => ({ name: t.name, labels: t.labels }));
  const names = new Set(pairs.flatMap((p) => Object.keys(p.prediction.labels)));
  return [...names].map((name) => ({ name, labels: [] }));
}

export function registerQualityRoutes(app: ServingHono, ctx: AppContext): void {
  app.use('/v1/quality', requireScope(ctx, 'feedback'));
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/quality',
      summary: 'Live quality from feedback: accuracy, macro-F1, unchanged share, coverage, confidence bands, drift',
      security: API_KEY_SECURITY,
      request: { query: QualityQuerySchema },
      responses: { 200: { description: 'Live quality', content: { 'application/json': { schema: QualityResponseSchema } } }, ...errorResponses },
    }),
    async (c) => {
      const { hours } = c.req.valid('query');
      const now = ctx.clock.now();
      const span = hours * 3_600_000;
      // Windows are [since, until): the current one ends just after now, so a prediction made in this
      // millisecond counts (a CRM that classifies and then asks at once sees it).
      const end = now + 1;
      const until = new Date(end).toISOString();
      const since = new Date(end - span).toISOString();
      const pairs = await ctx.store.listPairs({ since, until });
      const previous = await ctx.store.listPairs({ since: new Date(end - 2 * span).toISOString(), until: since });
      const training = ctx.trainingDistribution ? await ctx.trainingDistribution() : undefined;
      const quality = computeLiveQuality({
        pairs,
        previous,
        training,
        tasks: tasksOf(ctx, pairs),
        window: { since, until },
        scorer: ctx.scorer,
      });
      return c.json({ modelId: ctx.source.current()?.modelId ?? null, ...quality }, 200);
    },
  );
}
