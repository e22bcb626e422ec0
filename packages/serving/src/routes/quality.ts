import { createRoute } from '@hono/zod-openapi';
import { isNearId } from '@mailroute/model';
import { OverloadedError } from '../errors.js';
import type { AppContext, ServingHono } from '../http/context.js';
import { callerGone, requireScope, withinDeadline } from '../http/guard.js';
import { refuseWindowParams, requireDecodableQuery, unreadBodyWarning, unreadQueryWarning } from '../http/query.js';
import { QualityQuerySchema, QualityResponseSchema } from '../http/schemas.js';
import { computeLiveQualityInTurns, needsPreviousWindow, type TaskInfo } from '../quality/live-quality.js';
import { forEachInTurns } from '../quality/turns.js';
import { requireKeptPredictions } from '../store/no-store.js';
import type { FeedbackPair } from '../store/types.js';
import type { EmailClassifier } from '@mailroute/model';
import { taxonomiesOf } from './model-taxonomy.js';
import { apiKeySecurity, noBodyErrorResponses, problem } from './responses.js';

/**
 * The tasks to measure: the served model's when it is the one measured, else the task names found in the
 * stored predictions. The served model's renames apply only to the labels of a model whose own taxonomy
 * cannot be read (each other model's predictions are scored under its own names).
 */
async function tasksOf(current: EmailClassifier | undefined, pairs: readonly FeedbackPair[], scope: string): Promise<TaskInfo[]> {
  if (current && current.modelId === scope) return [...current.tasks];
  const served = new Map((current?.tasks ?? []).map((t) => [t.name, t]));
  const names = new Set<string>();
  await forEachInTurns(pairs, ({ prediction }) => {
    for (const name of Object.keys(prediction.labels)) names.add(name);
  });
  return [...names].map((name) => {
    const aliases = served.get(name)?.aliases;
    return { name, labels: [], ...(aliases ? { aliases } : {}) };
  });
}

const ALL = 'all';
/** Answers computed at once; more get 503 with Retry-After rather than each holding the request thread in turn. */
const QUALITY_MAX_CONCURRENT = 2;

/** Emails each model predicted in the window (an email predicted by two models counts for both). */
async function emailsPerModel(pairs: readonly FeedbackPair[]): Promise<Record<string, number>> {
  const emails = new Map<string, Set<string>>();
  await forEachInTurns(pairs, ({ prediction }) => {
    let set = emails.get(prediction.modelId);
    if (!set) emails.set(prediction.modelId, (set = new Set()));
    set.add(prediction.emailId);
  });
  return Object.fromEntries([...emails].map(([model, set]) => [model, set.size]));
}

/** The models that made the pairs' predictions. */
async function modelIdsOf(...lists: ReadonlyArray<readonly FeedbackPair[]>): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const pairs of lists) await forEachInTurns(pairs, ({ prediction }) => ids.add(prediction.modelId));
  return ids;
}

/** `extra`'s pairs whose prediction is not in `pairs`. */
async function notIn(pairs: readonly FeedbackPair[], extra: readonly FeedbackPair[]): Promise<FeedbackPair[]> {
  const ids = new Set<string>();
  await forEachInTurns(pairs, ({ prediction }) => ids.add(prediction.predictionId));
  const out: FeedbackPair[] = [];
  await forEachInTurns(extra, (pair) => {
    if (!ids.has(pair.prediction.predictionId)) out.push(pair);
  });
  return out;
}

/** Said to a GET /v1/quality that sent a body: its parameters go in the query. */
const UNREAD_BODY_WARNING = 'The request body was not read: /v1/quality reads only its query parameters, ?hours= and ?model= (/v1/quality?hours=24).';

/** What to use instead of a window named by dates (?from=, ?since=) or days (?days=). */
const WINDOW_HINT =
  '/v1/quality measures the predictions of the last ?hours= hours, ending now (?hours=720 for 30 days, at most 8784); for the cases closed in a window of dates, `mailroute feedback predictions --since ... --until ... --out f.jsonl` then `mailroute evaluate --predictions f.jsonl` report them from the store';

/** Models named at most in the warning about a model without predictions. */
const MODELS_NAMED = 10;

/**
 * Said when `?model=` names a model with no prediction in the window: its figures are zeros, not a
 * measurement (a typo, or an id that never served). Names the models that have predictions, the near ones first.
 */
export function noPredictionsWarning(model: string, hours: number, models: Record<string, number>, truncated: boolean): string {
  const near = Object.keys(models).sort().filter((id) => isNearId(id, model));
  const guess = near.length > 0 ? ` Did you mean ${near.map((id) => `"${id}"`).join(' or ')}?` : '';
  return `No predictions are recorded for model "${model}" ${windowWords(hours, truncated)}: its figures are zeros, not a measurement.${guess} ${modelsThere(models)} Model ids are matched exactly; ?model=all measures every model.`;
}

/**
 * Said when the served model (the default scope) has no prediction in the window while others have: just after
 * a swap, the figures of the model it replaced are one `?model=` away, not gone.
 */
export function servedWithoutPredictionsWarning(served: string, hours: number, models: Record<string, number>, truncated: boolean): string {
  return `The model served now, "${served}", has no predictions ${windowWords(hours, truncated)} (it was loaded since): these figures are its zeros, not a measurement. ${modelsThere(models)} Ask ?model=<id> for one of them, or ?model=all for every model.`;
}

/**
 * Why a scope without predictions answers zeros: a `?model=` id that made none here, or the served model just after a
 * swap while others have some; undefined for `?model=all` or an empty window under the served model.
 */
function zerosWarning(model: string | undefined, servedId: string | undefined, hours: number, models: Record<string, number>, truncated: boolean): string | undefined {
  if (model !== undefined && model !== ALL) return noPredictionsWarning(model, hours, models, truncated);
  if (model === undefined && servedId !== undefined && Object.keys(models).length > 0) return servedWithoutPredictionsWarning(servedId, hours, models, truncated);
  return undefined;
}

function windowWords(hours: number, truncated: boolean): string {
  return truncated ? `among the predictions read of the last ${hours} hour(s) (the window held more than one answer reads)` : `in the last ${hours} hour(s)`;
}

/** The models with predictions in the window and their emails, at most MODELS_NAMED of them. */
function modelsThere(models: Record<string, number>): string {
  const ids = Object.keys(models).sort();
  const named = ids.slice(0, MODELS_NAMED).map((id) => `${id} (${models[id]})`);
  const more = ids.length > MODELS_NAMED ? `, and ${ids.length - MODELS_NAMED} more` : '';
  return ids.length === 0 ? 'No model has predictions there.' : `Models with predictions there (emails): ${named.join(', ')}${more}.`;
}

export function registerQualityRoutes(app: ServingHono, ctx: AppContext): void {
  app.use('/v1/quality', requireScope(ctx, 'feedback'));
  // A server that keeps no predictions (the SageMaker container) has nothing to measure: refused, not answered with zeros.
  app.use('/v1/quality', async (_c, next) => {
    requireKeptPredictions(ctx.store, '/v1/quality');
    await next();
  });
  app.use('/v1/quality', requireDecodableQuery('model'));
  app.use('/v1/quality', refuseWindowParams(WINDOW_HINT));
  let computing = 0;
  app.use('/v1/quality', async (c, next) => {
    if (computing >= QUALITY_MAX_CONCURRENT) {
      ctx.metrics.rejected.inc({ reason: 'concurrency' });
      throw new OverloadedError(`The server is computing ${QUALITY_MAX_CONCURRENT} quality answers; retry shortly.`, 1);
    }
    computing += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      computing -= 1;
    };
    // The request timeout holds here too: reads wait for the predictions queued before them, which wait for a
    // database another connection keeps locked (a backup, a sqlite3 shell). The slot stays taken until the work ends.
    await withinDeadline(ctx, c, 'quality', next().finally(release), release);
  });
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/quality',
      operationId: 'getQuality',
      tags: ['feedback'],
      summary: 'Live quality from feedback: accuracy, macro-F1, unchanged share, coverage, confidence bands, drift',
      security: apiKeySecurity('feedback'),
      request: { query: QualityQuerySchema },
      responses: {
        200: { description: 'Live quality', content: { 'application/json': { schema: QualityResponseSchema } } },
        404: problem('On a server that keeps no predictions (the SageMaker container): `PREDICTIONS_NOT_KEPT`'),
        ...noBodyErrorResponses,
      },
    }),
    async (c) => {
      const { hours, model } = c.req.valid('query');
      // The model served when the request came: a swap while the window is read leaves its tasks and training shares.
      const served = ctx.source.current();
      const servedId = served?.modelId;
      const scope = model ?? servedId ?? ALL;
      const measured = (pairs: FeedbackPair[]) => (scope === ALL ? pairs : pairs.filter((p) => p.prediction.modelId === scope));
      const now = ctx.clock.now();
      const span = hours * 3_600_000;
      // Windows are [since, until): the current one ends just after now, so a prediction made in this
      // millisecond counts (a CRM that classifies and then asks at once sees it).
      const end = now + 1;
      const until = new Date(end).toISOString();
      const since = new Date(end - span).toISOString();
      const max = ctx.limits.qualityMaxPredictions;
      // One more than is measured, to tell a window of exactly `max` predictions from a bigger one.
      // A caller gone (its answer timed out: a year's window of a big store) stops the reads and the work, which
      // would hold its slot, and the request thread, for seconds more; nobody reads the answer then.
      const cancelled = () => callerGone(c);
      const abandoned = () => c.body(null, 503) as never;
      const listed = await ctx.store.listPairs({ since, until, limit: max + 1, cancelled });
      if (cancelled()) return abandoned();
      let read = listed.length > max ? listed.slice(0, max) : listed;
      // A window of more predictions than one answer reads: the newest are measured, and with them every one
      // whose case was closed (the feedback is what accuracy and F1 are made of, and it comes late).
      const truncated = listed.length > max;
      const sampledSince = truncated ? read.reduce((min, p) => (p.prediction.createdAt < min ? p.prediction.createdAt : min), until) : null;
      if (truncated) {
        const judged = await ctx.store.listPairs({ since, until, limit: max, judgedOnly: true, cancelled });
        if (cancelled()) return abandoned();
        read = read.concat(await notIn(read, judged));
      }
      const pairs = measured(read);
      // The training distribution of the model measured (the served one, or `model=<id>`'s, looked up only when it made
      // predictions here: a typo costs no read): drift against it means something for its own predictions only, so
      // `model=all`, several models' predictions, has none.
      const training = scope !== ALL && (scope === servedId || pairs.length > 0) && ctx.trainingDistribution ? await ctx.trainingDistribution(scope) : undefined;
      const tasks = await tasksOf(served, pairs, scope);
      // The window before is only the drift reference of a task without training shares: the served model has them
      // for every task, and reading (up to `max`) predictions it would not use took a third of the answer's time.
      const previous = needsPreviousWindow(tasks, training) ? measured(await ctx.store.listPairs({ since: new Date(end - 2 * span).toISOString(), until: since, limit: max, cancelled })) : [];
      if (cancelled()) return abandoned();
      const taxonomies = await taxonomiesOf(ctx, served, await modelIdsOf(pairs, previous));
      // Each step over the pairs gives the event loop turns: at 100,000 predictions, computed in one block, they
      // held every other request (classify too) for most of a second.
      const quality = await computeLiveQualityInTurns({
        pairs,
        taxonomies,
        previous,
        training,
        tasks,
        window: { since, until },
        scorer: ctx.scorer,
      });
      const models = await emailsPerModel(read);
      // A misspelt parameter (?hour=24) would otherwise measure the default window without a word.
      const unread = unreadQueryWarning(c.req.url, ['hours', 'model']);
      // So would a body (`{"hours": 24}` sent with the GET): it is never read.
      const body = unreadBodyWarning((name) => c.req.header(name), UNREAD_BODY_WARNING);
      // A model id that made no prediction here (a typo, one never served) would otherwise answer zeros unsaid.
      const none = pairs.length > 0 ? undefined : zerosWarning(model, servedId, hours, models, truncated);
      const warnings = [none, unread, body].filter((w) => w !== undefined);
      return c.json({ modelId: scope === ALL && model === undefined ? null : scope, models, truncated, sampledSince, ...quality, ...(warnings.length > 0 ? { warnings } : {}) }, 200);
    },
  );
}
