import { createRoute } from '@hono/zod-openapi';
import { CATCH_ALL_LABEL, closestKey, currentLabel, didYouMean, followAliases, nullRecord, taxonomyLabels, type ClassifierTask, type EmailClassifier } from '@mailroute/model';
import { ModelNotReadyError, NotFoundError, UnknownLabelError, ValidationError } from '../errors.js';
import type { AppContext, ServingHono } from '../http/context.js';
import { guardBodyRoute } from '../http/guard.js';
import { sentValue } from '../http/quoted-value.js';
import { feedbackIgnoredWarning, FeedbackRequestSchema, FeedbackResponseSchema, feedbackUnreadHint, withProtoKey } from '../http/schemas.js';
import { schemaMismatchDetail } from '../http/validation-detail.js';
import { requireKeptPredictions } from '../store/no-store.js';
import { timeOfOrderedId } from '../store/time-ordered-id.js';
import type { PredictionRecord, ReplacedFeedback } from '../store/types.js';
import { readClosedAt } from './closed-at.js';
import { tasksOfModel } from './model-taxonomy.js';
import { apiKeySecurity, feedbackErrorResponses, problem } from './responses.js';

/** How far a CRM's clock may run ahead of this server's. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** How far a zone's clocks are ahead of UTC at most (UTC+14, Kiribati). */
const MAX_ZONE_AHEAD_MS = 14 * 3_600_000;
const DAY_MS = 86_400_000;

/** A name of the model's (a task, a label it has), cut short to be quoted in an answer as sent. */
function quoted(name: string): string {
  return `"${name.length > 80 ? `${name.slice(0, 80)}…` : name}"`;
}

/** A task or label the model does not have, masked and cut short to be quoted in an answer (`sentValue`). */
function quotedSent(name: string): string {
  return `"${sentValue(name, 80)}"`;
}

/**
 * ` (did you mean …?)` for a label no name of the task accepts: the closest current label, or old name the
 * training config renamed or merged (a CRM that still sends its old labels mistypes those), said as such.
 */
function labelHint(task: ClassifierTask, label: string): string {
  const labels = taxonomyLabels(task);
  const oldNames = Object.keys(task.aliases ?? {}).filter((old) => labels.includes(currentLabel(task, old)));
  // A label may be the mistyped start of a longer one (`transfer_not_recieved`: `transfer_not_received_by_recipient`).
  const guess = closestKey(label, [...labels, ...oldNames], { prefixes: true });
  if (guess === undefined) return '';
  if (labels.includes(guess)) return ` (did you mean ${guess}?)`;
  return mergedAsRare(task, guess) ? ` (did you mean ${guess}, merged into ${CATCH_ALL_LABEL} in training?)` : ` (did you mean ${guess}, an old name of ${currentLabel(task, guess)}?)`;
}

/** Whether the label ends in `other` because training merged it, or the label a rename made of it, for being under minCount. */
function mergedAsRare(task: ClassifierTask, label: string): boolean {
  const followed = followAliases(task.aliases ?? {}, label);
  return !followed.loop && followed.label === CATCH_ALL_LABEL && followed.chain.some((name) => task.mergedIntoOther?.includes(name));
}

/**
 * Why an accepted label is read under another name of the task (`readAs` of the answer), or undefined when
 * it is read as sent: a rename or merge of the training config, or a label too rare to learn, merged into `other`.
 */
function readAsNote(task: ClassifierTask, label: string, whose: string): string | undefined {
  const current = currentLabel(task, label);
  if (current === label) return undefined;
  if (mergedAsRare(task, label)) {
    return `"${label}" is read as "${current}": ${whose} had too few examples of it when trained (under the task's minCount), so training merged it into ${CATCH_ALL_LABEL}`;
  }
  return `"${label}" is read as "${current}": the training config of ${whose} renames or merges it`;
}

/**
 * One label against one model's tasks: accepted (under a current or an old name), retired, a task the model does not
 * have and no task's name is near (`unknown-task`: a task a later model adds, or one a rolled-back model lacks), or
 * the 422 to answer (a label outside the task's taxonomy, or a task name near one of the model's: a typo).
 */
function judgeLabel(tasks: readonly ClassifierTask[], name: string, label: string): 'accepted' | 'retired' | 'unknown-task' | UnknownLabelError {
  // find, not an object lookup: a task named "constructor" or "toString" must not find Object's own members.
  const task = tasks.find((t) => t.name === name);
  if (task === undefined) {
    const names = tasks.map((t) => t.name);
    const near = didYouMean(name, names);
    if (near === '') return 'unknown-task';
    return new UnknownLabelError(`Task ${quotedSent(name)} is not one of the model's tasks${near}; its tasks are ${names.join(', ')}.`, {
      validLabels: Object.fromEntries(tasks.map((t) => [t.name, [...taxonomyLabels(t)]])),
    });
  }
  const renamed = currentLabel(task, label);
  if (task.retired?.includes(label) || task.retired?.includes(renamed)) return 'retired';
  // A label the model has no output for is in the taxonomy all the same: recorded, so that training can learn it.
  if (!taxonomyLabels(task).includes(renamed)) {
    return new UnknownLabelError(`Label ${quotedSent(label)} is not in the taxonomy of task "${name}"${labelHint(task, label)}.`, { validLabels: { [name]: [...taxonomyLabels(task)] } });
  }
  return 'accepted';
}

/** Ignored tasks named in a detail at most: the rest are counted. */
const MAX_IGNORED_NAMED = 5;

/**
 * `"urgency": why; "tone": why and 3 more`: the first ignored tasks with why, so a detail stays short however many were
 * sent; a task of `served` as sent, any other masked.
 */
function ignoredText(served: readonly ClassifierTask[], ignored: Record<string, string>): string {
  const entries = Object.entries(ignored);
  const shown = (task: string) => (served.some((t) => t.name === task) ? quoted(task) : quotedSent(task));
  const named = entries.slice(0, MAX_IGNORED_NAMED).map(([task, why]) => `${shown(task)}: ${why}`).join('; ');
  return entries.length > MAX_IGNORED_NAMED ? `${named} and ${entries.length - MAX_IGNORED_NAMED} more` : named;
}

/** The 422 of a feedback with nothing left to record, naming what was left out and why. */
function nothingToRecord(served: readonly ClassifierTask[], ignored: Record<string, string>): UnknownLabelError {
  return new UnknownLabelError(`Nothing to record: ${ignoredText(served, ignored)}.`, {
    validLabels: Object.fromEntries(served.map((t) => [t.name, [...taxonomyLabels(t)]])),
  });
}

/**
 * Every task and label must be in one of the taxonomies given (the served model's first: its valid labels
 * are the ones a 422 lists); a label under an old name that a model's training config renamed or merged is
 * in it too, and so is one training merged into `other` for being rare (the manifest's `mergedIntoOther`), and one
 * the model has no output for (`withoutOutput`: named by its training config's `labels` but carried by no training
 * row, or dropped as rare), kept so that the feedback export gives the next training examples of it.
 * A label no taxonomy accepts is a 422; one retired, and one of a task no model has whose name is near none of
 * theirs, are left out (`ignored`), as training masks them, so the other tasks' labels still count; when nothing
 * is left, 422, unless a label was retired: its task is in `retired`, whose earlier confirmed label the feedback
 * clears (a person said it is not that label), so whether there was anything to do is the store's to say.
 * The labels are returned as sent: which names they
 * are compared under is the business of scoring, per the model that made the prediction. `readAs` says, per
 * task, the name the first taxonomy accepting it reads a label under when that is another, and why.
 */
export function checkTaxonomy(
  taxonomies: readonly (readonly ClassifierTask[])[],
  labels: Record<string, string>,
): { labels: Record<string, string>; ignored: Record<string, string>; readAs: Record<string, string>; retired: string[] } {
  const [served = []] = taxonomies;
  const kept: Record<string, string> = {};
  // A task named __proto__ is kept as a key like any other (an object literal would take it as its prototype).
  const ignored = nullRecord<string>();
  const readAs: Record<string, string> = {};
  const retired: string[] = [];
  for (const [name, label] of Object.entries(labels)) {
    const verdicts = taxonomies.map((tasks) => judgeLabel(tasks, name, label));
    const accepting = verdicts.indexOf('accepted');
    if (accepting >= 0) {
      kept[name] = label;
      const task = taxonomies[accepting].find((t) => t.name === name);
      const note = task && readAsNote(task, label, accepting === 0 ? 'the model now serving' : 'the model that made the prediction');
      if (note) readAs[name] = note;
    } else if (verdicts.includes('retired')) {
      ignored[name] = `"${label}" is a retired label`;
      retired.push(name);
    } else if (verdicts.every((v) => v === 'unknown-task')) ignored[name] = `not one of the model's tasks (${served.map((t) => t.name).join(', ')})`;
    else throw verdicts.find((v) => v instanceof UnknownLabelError) as UnknownLabelError;
  }
  if (Object.keys(kept).length === 0 && retired.length === 0) throw nothingToRecord(served, ignored);
  return { labels: kept, ignored, readAs, retired };
}

/**
 * The answer's warning for a task whose earlier confirmed label a correction to a retired label cleared: the person
 * said the email is not of that label, and the retired one is not recorded, so the task is unconfirmed now.
 */
function clearedWarning(task: string, label: string): string {
  return `The earlier confirmed label of task ${quoted(task)} was cleared: this correction names ${quoted(label)}, a retired label, which is not recorded, so the task is unconfirmed for this email now (the feedback export leaves it blank, so training masks it, and /v1/quality does not count it).`;
}

/**
 * The labels checked against the served model's taxonomy and, when it does not accept them all and another
 * model made the prediction (a model swapped, or rolled back, since), that model's too: a correction in the
 * names of the model that was asked is not lost because another one serves now.
 */
async function checkLabels(ctx: AppContext, served: EmailClassifier, labels: Record<string, string>, prediction: PredictionRecord | undefined) {
  const allAccepted = Object.entries(labels).every(([name, label]) => judgeLabel(served.tasks, name, label) === 'accepted');
  const other = !allAccepted && prediction && prediction.modelId !== served.modelId ? await tasksOfModel(ctx, prediction.modelId) : undefined;
  return checkTaxonomy(other ? [served.tasks, other] : [served.tasks], labels);
}

/**
 * The answer's `warnings`, as classify's are, and `warning`, deprecated: the same joined into one string, as it was
 * before `warnings` (a client that shows it still sees each of them). Neither when there are none.
 */
function warningsOf(said: readonly (string | undefined)[]): { warnings?: string[]; warning?: string } {
  const warnings = said.filter((w) => w !== undefined);
  return warnings.length === 0 ? {} : { warnings, warning: warnings.join(' ') };
}

/**
 * The fields of the audit line of a feedback that replaced one another API key recorded: both keys, the email and
 * prediction, and each task whose stored label it changed, from what to what (null: cleared, or none before). Labels
 * are no personal data. Tasks it set to the label they had are not listed (the line is logged all the same: the
 * stored feedback is this key's now).
 */
function replacedFields(
  replaced: ReplacedFeedback,
  written: { emailId: string; predictionId?: string; keyId?: string; labels: Record<string, string> },
  cleared: readonly string[],
): Record<string, unknown> {
  const labels: Record<string, { from: string | null; to: string | null }> = {};
  for (const [task, label] of Object.entries(written.labels)) {
    const before = Object.hasOwn(replaced.labels, task) ? replaced.labels[task] : null;
    if (before !== label) labels[task] = { from: before, to: label };
  }
  for (const task of cleared) labels[task] = { from: Object.hasOwn(replaced.labels, task) ? replaced.labels[task] : null, to: null };
  return {
    keyId: written.keyId ?? null,
    previousKeyId: replaced.keyId,
    emailId: written.emailId,
    predictionId: written.predictionId ?? null,
    tasks: Object.keys(labels),
    labels,
  };
}

/**
 * `; or ...` when this server answered predictions it then failed to store (`mailroute_store_write_failures_total`:
 * its disk full, read-only or failing): the email's may be one of them, which no emailId check would explain.
 */
function lostPredictionsNote(ctx: AppContext): string {
  const lost = ctx.metrics.storeWriteFailures.get();
  if (lost === 0) return '';
  const predictions = lost === 1 ? '1 prediction' : `${lost} predictions`;
  return `; or its prediction was not stored: since it started, this server answered ${predictions} it then failed to store (its disk full, read-only or failing: prediction_write_failed in its log, mailroute_store_write_failures_total)`;
}

/**
 * Feedback answered 202 in `mailroute_feedback_total`, by whether it matched a stored prediction, and, when it did, the
 * time from that prediction to the case's close in `mailroute_feedback_delay_seconds` (a close before the prediction,
 * a CRM clock behind the server's, is left out of the histogram).
 */
function countFeedback(ctx: AppContext, prediction: PredictionRecord | undefined, closedAt: string): void {
  ctx.metrics.feedback.inc({ matched: prediction ? 'true' : 'false' });
  if (!prediction) return;
  const seconds = (Date.parse(closedAt) - Date.parse(prediction.createdAt)) / 1000;
  if (seconds >= 0) ctx.metrics.feedbackDelay.observe({}, seconds);
}

/**
 * A warning when the case closed before its email was received (the `receivedAt` the CRM sent with it, kept by a
 * server with `--store-text`, beyond the clock skew allowed): recorded as sent, but a case cannot close before its email came, so a date or zone is wrong
 * (a date sent in another field, day and month swapped, a local time read in another zone).
 */
function closedBeforeReceived(prediction: PredictionRecord, closedAt: string): string | undefined {
  const received = prediction.receivedAt === undefined ? Number.NaN : Date.parse(prediction.receivedAt);
  if (!(Date.parse(closedAt) < received - CLOCK_SKEW_MS)) return undefined;
  return `closedAt ${closedAt} is before the email was received (its receivedAt ${new Date(received).toISOString()}, as /v1/classify got it): the feedback is recorded as sent, but check the dates and time zone the CRM sends.`;
}

/** `1 day`, `400 days`: a retention as the refusal of a too old feedback says it. */
function daysText(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}

export function registerFeedbackRoutes(app: ServingHono, ctx: AppContext): void {
  // On a server that keeps no predictions (the SageMaker container), refused once the key is checked, before the body is read.
  app.use('/v1/feedback', guardBodyRoute(ctx, 'feedback', 'application/json', () => requireKeptPredictions(ctx.store, '/v1/feedback')));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/feedback',
      operationId: 'recordFeedback',
      tags: ['feedback'],
      summary: 'Record the labels a person confirmed at case close (idempotent per email, merged per task: a later closedAt sets the tasks it names, the others keep their labels; of two with the same closedAt the last to arrive wins, so a correction carries a later closedAt than what it corrects)',
      security: apiKeySecurity('feedback'),
      request: { body: { content: { 'application/json': { schema: FeedbackRequestSchema } }, required: true } },
      responses: {
        202: { description: 'Recorded durably', content: { 'application/json': { schema: FeedbackResponseSchema } } },
        404: problem('Unknown predictionId (`NOT_FOUND`); on a server that keeps no predictions (the SageMaker container), `PREDICTIONS_NOT_KEPT`'),
        422: problem('Label outside the taxonomy (`LABEL_NOT_IN_TAXONOMY`; the valid labels in `validLabels`)'),
        ...feedbackErrorResponses,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const raw = c.get('jsonBody') as { labels?: unknown } | undefined;
      if (Object.keys(body.labels).length === 0 && !withProtoKey(raw?.labels)) {
        const hint = feedbackUnreadHint(raw);
        const issues = [{ path: ['labels'], message: 'at least one task label is required', code: 'custom' }];
        throw new ValidationError(schemaMismatchDetail(issues, hint), issues);
      }
      // One form (UTC, ms) so stores compare closedAt as text; a case cannot close in the future. A time without a zone
      // on a server without one may be any zone's: up to 14 hours ahead of UTC (a date alone, sent just after midnight in Berlin).
      const read = readClosedAt(body.closedAt, ctx.timeZone);
      const closedAt = read.instant;
      const skew = read.zoneGuessed ? CLOCK_SKEW_MS + MAX_ZONE_AHEAD_MS : CLOCK_SKEW_MS;
      if (Date.parse(closedAt) > ctx.clock.now() + skew) {
        const now = new Date(ctx.clock.now()).toISOString();
        throw new ValidationError(
          `closedAt ${closedAt} is more than ${skew === CLOCK_SKEW_MS ? `${CLOCK_SKEW_MS / 60_000} minutes` : `14 hours (the most a time zone is ahead of UTC) and ${CLOCK_SKEW_MS / 60_000} minutes`} ahead of the server's clock (now ${now}): send the time the case closed, and check the CRM's clock and time zone.`,
          [{ path: ['closedAt'], message: 'in the future', code: 'future' }],
        );
      }
      // The store deletes feedback that closed more than the retention ago (hourly; DynamoDB's reads skip it at
      // once): one older than that would be answered 202 and then lost, so it is refused, saying why.
      const keptDays = ctx.limits.feedbackRetentionDays;
      if (keptDays && Date.parse(closedAt) < ctx.clock.now() - keptDays * DAY_MS) {
        const unset = Date.parse(closedAt) < DAY_MS ? ' (1970-01-01 is what an unset date often becomes)' : '';
        throw new ValidationError(
          `closedAt ${closedAt} is more than ${daysText(keptDays)} ago: feedback is kept ${daysText(keptDays)} from the case's closedAt (the server's retention), so this one would be deleted at once. Send the date the case closed${unset}.`,
          [{ path: ['closedAt'], message: `older than the ${keptDays}-day retention`, code: 'too_old' }],
        );
      }
      const classifier = ctx.source.current();
      if (!classifier) throw new ModelNotReadyError('No model is loaded, so labels cannot be checked yet.');
      let prediction: PredictionRecord | undefined;
      if (body.predictionId !== undefined) {
        const found = await findPrediction(ctx, body.predictionId);
        prediction = found.prediction;
        if (!prediction) {
          const recent =
            found.madeMsAgo === undefined
              ? ''
              : ` It was made ${found.madeMsAgo} ms ago and was looked for until ${LOOKED_FOR_MS} ms after this request came: if another server sharing this store answered it, that server has not stored it yet (a server under heavy load, or its prediction buffer), or was stopped before it could (kill -9): retry in a few seconds.`;
          throw new NotFoundError(
            `No prediction has predictionId ${body.predictionId} here (an old one may have been deleted by the server's retention, and one answered while its store failed, a full, read-only or failing disk, was never stored): send the predictionId /v1/classify answered for the email, or send only its emailId, which is recorded even before a prediction of it is stored.${recent}`,
          );
        }
        if (body.emailId !== undefined && body.emailId !== prediction.emailId) {
          throw new ValidationError(
            `emailId ${JSON.stringify(body.emailId)} is not the email prediction ${body.predictionId} was made for: send the predictionId /v1/classify answered for this email, or only one of the two.`,
            [{ path: ['emailId'], message: 'does not match the prediction', code: 'mismatch' }],
          );
        }
      } else if (body.emailId !== undefined) {
        prediction = await ctx.store.findPredictionByEmail(body.emailId);
      }
      // A task named __proto__ is not in zod's output (assigning it would set the prototype): judged as any unknown task is.
      const sent = withProtoKey(raw?.labels)
        ? Object.assign(nullRecord<string>(), body.labels, { ['__proto__']: String(Object.getOwnPropertyDescriptor(raw.labels, '__proto__')?.value) })
        : body.labels;
      const { labels, ignored, readAs, retired } = await checkLabels(ctx, classifier, sent, prediction);
      const emailId = prediction?.emailId ?? body.emailId ?? '';
      // A task corrected to a retired label loses its earlier confirmed label (under the rules of any correction: not
      // when a feedback that closed later is stored), decided in the store's write, which is committed before the 202.
      // The key that sent it is stored with it (an audit: any feedback key may correct any email); none without keys.
      const keyId = ctx.auth.enabled ? c.get('principal').keyId : undefined;
      const feedback = {
        emailId,
        ...(prediction ? { predictionId: prediction.predictionId } : {}),
        labels,
        closedAt,
        receivedAt: new Date(ctx.clock.now()).toISOString(),
        ...(keyId === undefined ? {} : { keyId }),
      };
      const saved = await ctx.store.saveFeedback({ ...feedback, ...(retired.length > 0 ? { clearTasks: retired } : {}) });
      const outcome = typeof saved === 'object' ? saved.outcome : saved;
      // Only retired labels, and no earlier label of their tasks to clear: nothing was written, as before.
      if (outcome === 'unchanged') throw nothingToRecord(classifier.tasks, ignored);
      // Told by the store's write itself (no read of its own): another key's confirmed labels were overwritten.
      if (typeof saved === 'object' && saved.replaced !== undefined) ctx.logger.warn('feedback replaced by another key', replacedFields(saved.replaced, feedback, saved.cleared));
      const cleared = typeof saved === 'object' ? saved.cleared.map((task) => clearedWarning(task, sent[task] ?? '')) : [];
      const status = outcome === 'superseded' ? ('superseded' as const) : ('recorded' as const);
      const skipped = { ...(Object.keys(ignored).length > 0 ? { ignored } : {}), ...(Object.keys(readAs).length > 0 ? { readAs } : {}) };
      const recordedTasks = status === 'recorded' ? Object.keys(labels) : [];
      // Fields it does not read are named, as /v1/classify names them: a misspelt `predictionID` beside emailId would otherwise go unseen.
      const unread = feedbackIgnoredWarning(raw);
      countFeedback(ctx, prediction, closedAt);
      if (prediction) {
        // Kept as any feedback, but the caller should know it scores nothing: no person wrote the email.
        const automated = prediction.automated === undefined ? undefined : `Email "${emailId.slice(0, 80)}" was answered as automated mail (${prediction.automated}): the feedback is recorded, but /v1/quality and the feedback export leave automated mail out.`;
        const said = warningsOf([automated, closedBeforeReceived(prediction, closedAt), ...cleared, read.warning, unread]);
        return c.json({ emailId, predictionId: prediction.predictionId, status, matched: true, ...said, ...skipped, recordedTasks }, 202);
      }
      // Kept (the prediction may be another instance's, or older than a restore), but the caller is told: a typo in emailId would otherwise go unseen.
      // Superseded: nothing was recorded (the stored feedback closed later), so the warning does not say it was.
      const kept = status === 'superseded' ? 'the feedback stored for it, which closed later, is kept' : 'the feedback is recorded, and counts once a prediction of that email is';
      const unmatched = `No prediction of email "${emailId.slice(0, 80)}" is stored here: ${kept} (check the emailId if one should be${lostPredictionsNote(ctx)}).`;
      return c.json({ emailId, status, matched: false, ...warningsOf([unmatched, ...cleared, read.warning, unread]), ...skipped, recordedTasks }, 202);
    },
  );
}

/** How long after its id was made (a UUIDv7's time) a prediction that is not found is looked for again. */
const RECENT_PREDICTION_MS = 2_000;
/** The pauses between looks for a recent prediction not found: 630 ms in all. */
const LOOK_AGAIN_MS = [10, 20, 40, 80, 160, 320];
const LOOKED_FOR_MS = LOOK_AGAIN_MS.reduce((a, b) => a + b, 0);

/**
 * The prediction of `id`. One made in the last seconds and not found yet is looked for again a few times: servers
 * that share one SQLite store each commit their predictions shortly after the answer (`--prediction-buffer-ms`), so
 * feedback sent to one server for what another answered a moment ago would miss it (this server waits only for its
 * own queued writes). `madeMsAgo`: for a recent id still not found, how long ago it was made.
 */
async function findPrediction(ctx: AppContext, id: string): Promise<{ prediction?: PredictionRecord; madeMsAgo?: number }> {
  let prediction = await ctx.store.getPrediction(id);
  const made = timeOfOrderedId(id);
  const age = made === undefined ? undefined : ctx.clock.now() - made;
  // An id from a clock far off (or another form) is not waited for: nothing says it is still being stored.
  if (prediction || age === undefined || age < -RECENT_PREDICTION_MS || age > RECENT_PREDICTION_MS) return { prediction };
  for (const ms of LOOK_AGAIN_MS) {
    await new Promise((resolve) => setTimeout(resolve, ms));
    prediction = await ctx.store.getPrediction(id);
    if (prediction) return { prediction };
  }
  return { madeMsAgo: Math.max(0, Math.round(age)) };
}
