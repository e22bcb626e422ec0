import { createRoute } from '@hono/zod-openapi';
import { currentLabel, didYouMean, type ClassifierTask, type EmailClassifier } from '@mailroute/model';
import { ModelNotReadyError, NotFoundError, UnknownLabelError, ValidationError } from '../errors.js';
import type { AppContext, ServingHono } from '../http/context.js';
import { describeError } from '../http/logger.js';
import { guardBodyRoute } from '../http/guard.js';
import { FeedbackRequestSchema, FeedbackResponseSchema } from '../http/schemas.js';
import type { PredictionRecord } from '../store/types.js';
import { API_KEY_SECURITY, errorResponses } from './responses.js';

/** How far a CRM's clock may run ahead of this server's. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** A name from the request, cut short to be quoted in an answer. */
function quoted(name: string): string {
  return `"${name.length > 80 ? `${name.slice(0, 80)}…` : name}"`;
}

/**
 * Every task and label must be in the served model's taxonomy (422 lists the valid ones); a label under
 * an old name that the model's training config renamed or merged counts under its current name. A label
 * the config retired is left out (`ignored`), as training masks it, so the other tasks' labels still count;
 * when nothing is left, 422. Returns the labels under their current names.
 */
export function checkTaxonomy(classifier: Pick<EmailClassifier, 'tasks'>, labels: Record<string, string>): { labels: Record<string, string>; ignored: Record<string, string> } {
  // A Map: a task named "constructor" or "toString" must not find Object's own members.
  const known = new Map(classifier.tasks.map((t) => [t.name, t]));
  const current: Record<string, string> = {};
  const ignored: Record<string, string> = {};
  for (const [name, label] of Object.entries(labels)) {
    const task = known.get(name);
    if (task === undefined) {
      const names = [...known.keys()];
      throw new UnknownLabelError(`Task ${quoted(name)} is not one of the model's tasks${didYouMean(name, names)}; its tasks are ${names.join(', ')}.`, {
        validLabels: Object.fromEntries(classifier.tasks.map((t) => [t.name, [...t.labels]])),
      });
    }
    const renamed = currentLabel(task, label);
    if (task.retired?.includes(label) || task.retired?.includes(renamed)) {
      ignored[name] = `"${label}" is a retired label`;
      continue;
    }
    if (!task.labels.includes(renamed)) {
      throw new UnknownLabelError(`Label ${quoted(label)} is not in the taxonomy of task "${name}"${didYouMean(label, task.labels)}.`, { validLabels: { [name]: [...task.labels] } });
    }
    current[name] = renamed;
  }
  if (Object.keys(current).length === 0) {
    throw new UnknownLabelError(`Every label is retired (${Object.entries(ignored).map(([t, why]) => `${t}: ${why}`).join('; ')}): nothing to record.`, {
      validLabels: Object.fromEntries(Object.keys(ignored).map((t) => [t, [...(known.get(t)?.labels ?? [])]])),
    });
  }
  return { labels: current, ignored };
}

/** The tasks of other models, read once each (a model does not change); a failed read is tried again next time. */
const tasksByModel = new WeakMap<AppContext, Map<string, Promise<ClassifierTask[] | undefined>>>();

/** The tasks (labels, aliases, retired labels) of another model than the served one, if they can be read. */
function tasksOfModel(ctx: AppContext, modelId: string): Promise<ClassifierTask[] | undefined> {
  const read = ctx.modelTasks;
  if (!read) return Promise.resolve(undefined);
  let cache = tasksByModel.get(ctx);
  if (!cache) tasksByModel.set(ctx, (cache = new Map()));
  const known = cache;
  let tasks = known.get(modelId);
  if (!tasks) {
    tasks = read(modelId).catch((error: unknown) => {
      // Not kept: a throttled or unreachable registry is asked again by the next feedback.
      known.delete(modelId);
      ctx.logger.error('model tasks unreadable', { modelId, error: describeError(error) });
      return undefined;
    });
    known.set(modelId, tasks);
  }
  return tasks;
}

/**
 * The labels checked against the served model's taxonomy, or, when that refuses them and another model
 * made the prediction (a model swapped, or rolled back, since), against that model's: a correction in the
 * names of the model that was asked is not lost because another one serves now.
 */
async function checkLabels(ctx: AppContext, served: EmailClassifier, labels: Record<string, string>, prediction: PredictionRecord | undefined) {
  try {
    return checkTaxonomy(served, labels);
  } catch (error) {
    if (!(error instanceof UnknownLabelError) || !prediction || prediction.modelId === served.modelId) throw error;
    const tasks = await tasksOfModel(ctx, prediction.modelId);
    if (!tasks) throw error;
    try {
      return checkTaxonomy({ tasks }, labels);
    } catch {
      throw error;
    }
  }
}

export function registerFeedbackRoutes(app: ServingHono, ctx: AppContext): void {
  app.use('/v1/feedback', guardBodyRoute(ctx, 'feedback', 'application/json'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/feedback',
      summary: 'Record the labels a person confirmed at case close (idempotent per email; the latest closedAt wins)',
      security: API_KEY_SECURITY,
      request: { body: { content: { 'application/json': { schema: FeedbackRequestSchema } }, required: true } },
      responses: {
        202: { description: 'Recorded durably', content: { 'application/json': { schema: FeedbackResponseSchema } } },
        404: { description: 'Unknown predictionId', content: errorResponses[400].content },
        422: { description: 'Label outside the taxonomy (valid labels in `validLabels`)', content: errorResponses[400].content },
        ...errorResponses,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      // Already one form (UTC, ms; the schema normalises it) so stores compare closedAt as text; a case cannot close in the future.
      const { closedAt } = body;
      if (Date.parse(closedAt) > ctx.clock.now() + CLOCK_SKEW_MS) {
        throw new ValidationError('closedAt lies in the future.', [{ path: ['closedAt'], message: 'in the future', code: 'future' }]);
      }
      const classifier = ctx.source.current();
      if (!classifier) throw new ModelNotReadyError('No model is loaded, so labels cannot be checked yet.');
      let prediction: PredictionRecord | undefined;
      if (body.predictionId !== undefined) {
        prediction = await ctx.store.getPrediction(body.predictionId);
        if (!prediction) throw new NotFoundError('No prediction has this predictionId.');
        if (body.emailId !== undefined && body.emailId !== prediction.emailId) {
          throw new ValidationError('emailId does not match the prediction.', [{ path: ['emailId'], message: 'does not match the prediction', code: 'mismatch' }]);
        }
      } else if (body.emailId !== undefined) {
        prediction = await ctx.store.findPredictionByEmail(body.emailId);
      }
      const { labels, ignored } = await checkLabels(ctx, classifier, body.labels, prediction);
      const emailId = prediction?.emailId ?? body.emailId ?? '';
      const outcome = await ctx.store.saveFeedback({
        emailId,
        ...(prediction ? { predictionId: prediction.predictionId } : {}),
        labels,
        closedAt,
        receivedAt: new Date(ctx.clock.now()).toISOString(),
      });
      const status = outcome === 'superseded' ? ('superseded' as const) : ('recorded' as const);
      const skipped = Object.keys(ignored).length > 0 ? { ignored } : {};
      if (prediction) return c.json({ emailId, predictionId: prediction.predictionId, status, matched: true, ...skipped }, 202);
      // Kept (the prediction may be another instance's, or older than a restore), but the caller is told: a typo in emailId would otherwise go unseen.
      const warning = `No prediction of email "${emailId.slice(0, 80)}" is stored here: the feedback is recorded, and counts once a prediction of that email is (check the emailId if one should be).`;
      return c.json({ emailId, status, matched: false, warning, ...skipped }, 202);
    },
  );
}
