import { didYouMean, type ClassifierTask } from '@mailroute/model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createClassifierSource } from '../model/classifier-source.js';
import { CONFIDENCE_BANDS } from '../quality/live-quality.js';
import { createFakeClassifier, FAKE_TASKS, type FakeClassifier } from '../test-support/fake-classifier.js';
import { authed, buildTestApp, json, jsonRequest, type Loose } from '../test-support/harness.js';

/**
 * Random sequences of classify and feedback requests and model swaps, each checked against a plain model of
 * what the README says they do (one feedback per email, merged per task, an earlier closedAt superseded;
 * feedback by emailId judging the email's newest prediction, or one made after it when none was stored before; a
 * predictionId naming its own, which alone it judges; labels outside the taxonomy refused, retired ones and tasks no model has ignored, old names and the predicting model's names
 * taken), and then GET /v1/quality of the served model, each other model and all of them against the figures
 * recomputed from that model: counts, unmappable labels, accuracy, macro-F1, unchanged share, coverage and
 * bands per task. Malformed feedback gets problem+json with a documented code, never a 500, and changes nothing.
 */

/**
 * The app's clock, held still for the run; taken from the real clock at the start because the store reads that one
 * (its retention): a fixed date would make each closedAt older than the retention there some day.
 */
const NOW = Date.now();
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();
const EMAIL_IDS = ['e1', 'e2', 'e3'];
/** What the fake classifier answers for each kind of body: its queue and topic labels, the confidence (under 0.5 it abstains). */
const KINDS = {
  invoice: ['billing', 'invoice', 0.93],
  password: ['technical', 'login', 0.81],
  hello: ['general', 'other', 0.41],
} as const;
type Kind = keyof typeof KINDS;

/**
 * A model's names: the fake's own; the topic task and its labels under names of Object's members, which a CRM
 * may use as any other (`constructor`, `__proto__`, `toString`); or a queue with old names its training config
 * renamed (`invoices`, now `billing`; `toString`, now `general`) and a retired label (`spam`).
 */
interface Names {
  modelId: string;
  topic: string;
  /** The fake's topic and queue labels as this model names them. */
  labels: Record<string, string>;
  queue: Record<string, string>;
  aliases?: Record<string, string>;
  retired?: string[];
}
const PLAIN_TOPICS = { invoice: 'invoice', login: 'login', other: 'other' };
const PLAIN_QUEUES = { billing: 'billing', technical: 'technical', general: 'general' };
const PLAIN: Names = { modelId: 'fake-1', topic: 'topic', labels: PLAIN_TOPICS, queue: PLAIN_QUEUES };
const RENAMED: Names = { ...PLAIN, modelId: 'fake-2', queue: { ...PLAIN_QUEUES, billing: 'payments' }, aliases: { billing: 'payments' } };
/** The models of a run: the first is served at first; `swap` serves the other (a new champion, a rollback). */
const SCENARIOS: Record<string, Names[]> = {
  plain: [PLAIN],
  odd: [{ ...PLAIN, topic: 'constructor', labels: { invoice: '__proto__', login: 'toString', other: 'hasOwnProperty' } }],
  aliased: [{ ...PLAIN, aliases: { invoices: 'billing', it: 'technical', toString: 'general' }, retired: ['spam'] }],
  // A newer model whose config renamed billing to payments: feedback in either model's names counts.
  swapped: [PLAIN, RENAMED],
  // The newer model rolled back to the older, which knows no payments.
  rolledBack: [RENAMED, PLAIN],
};

/** A run's models, those of a swap more often: more can go wrong between two models. */
const scenarioArb = fc.oneof(
  fc.constantFrom(SCENARIOS.plain, SCENARIOS.odd, SCENARIOS.aliased),
  fc.constantFrom(SCENARIOS.swapped, SCENARIOS.rolledBack),
  fc.constantFrom(SCENARIOS.swapped, SCENARIOS.rolledBack),
);

/** The fake classifier under the names of `names`. */
function namedClassifier(names: Names): FakeClassifier {
  const classifier = createFakeClassifier({ modelId: names.modelId });
  const predict = classifier.predict.bind(classifier);
  return {
    ...classifier,
    tasks: taxonomyOf(names),
    predict: async (emails) =>
      (await predict(emails)).map(({ tasks: { queue, topic }, ...rest }) => ({
        ...rest,
        tasks: { queue: { ...queue, label: names.queue[queue.label], top: [] }, [names.topic]: { ...topic, label: names.labels[topic.label], top: [] } },
      })),
  };
}

/** The tasks of a model under its names. */
function taxonomyOf(names: Names): ClassifierTask[] {
  const queue = { name: 'queue', labels: FAKE_TASKS[0].labels.map((l) => names.queue[l]), ...(names.aliases ? { aliases: names.aliases } : {}), ...(names.retired ? { retired: names.retired } : {}) };
  return [queue, { name: names.topic, labels: FAKE_TASKS[1].labels.map((l) => names.labels[l]) }];
}

interface Prediction {
  predictionId: string;
  emailId: string;
  modelId: string;
  kind: Kind;
  /** Creation order: the newest of an email is the one feedback by emailId joins. */
  order: number;
}

interface Stored {
  labels: Record<string, string>;
  closedAt: string;
  predictionId?: string;
}

type Action = { type: 'classify'; emails: Array<{ id?: string; kind: Kind }> } | { type: 'feedback'; ref: Ref; labels: Array<[string, string]>; closedMinutesAgo: number } | { type: 'malformed'; body: string } | { type: 'swap' };

type Ref = { emailId: string } | { prediction: number; upper: boolean; emailId?: 'own' | 'other' } | { unknownPrediction: true };

const kindArb = fc.constantFrom<Kind>('invoice', 'password', 'hello');
const classifyArb = fc.record({
  type: fc.constant('classify' as const),
  emails: fc.array(fc.record({ id: fc.option(fc.constantFrom(...EMAIL_IDS), { nil: undefined, freq: 6 }), kind: kindArb }, { requiredKeys: ['kind'] }), { minLength: 1, maxLength: 3 }),
});
/** A task and label: mostly the taxonomy's, sometimes written with a variation selector or decomposed, or outside it. */
const labelArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...FAKE_TASKS.flatMap((t) => t.labels.map((l): [string, string] => [t.name, l]))) },
  { weight: 1, arbitrary: fc.constantFrom<[string, string]>(['queue', 'billing\uFE0F'], ['topic', 'other\uFE0E']) },
  { weight: 1, arbitrary: fc.constantFrom<[string, string]>(['queue', 'Billing'], ['queue', 'invoice'], ['queu', 'billing'], ['constructor', 'billing'], ['topic', 'toString']) },
  { weight: 3, arbitrary: fc.constantFrom<[string, string]>(['queue', 'invoices'], ['queue', 'it'], ['queue', 'spam'], ['queue', 'toString'], ['queue', 'constructor']) },
  // The newer model's name for billing, which only it knows.
  { weight: 3, arbitrary: fc.constant<[string, string]>(['queue', 'payments']) },
);
const refArb: fc.Arbitrary<Ref> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...EMAIL_IDS, 'ghost').map((emailId) => ({ emailId })) },
  { weight: 4, arbitrary: fc.record({ prediction: fc.nat(20), upper: fc.boolean(), emailId: fc.option(fc.constantFrom<'own' | 'other'>('own', 'other'), { nil: undefined }) }, { requiredKeys: ['prediction', 'upper'] }) },
  { weight: 1, arbitrary: fc.constant({ unknownPrediction: true as const }) },
);
const feedbackArb = fc.record({
  type: fc.constant('feedback' as const),
  ref: refArb,
  labels: fc.uniqueArray(labelArb, { minLength: 1, maxLength: 2, selector: ([task]) => task }),
  // Few times, so that equal ones (merged) and earlier ones (superseded) come often.
  closedMinutesAgo: fc.constantFrom(10, 20, 30),
});
const closedAt = minutesAgo(15);
/** Feedback bodies that are no valid feedback, each refused with a 4xx problem. */
const MALFORMED = [
  '[]',
  'null',
  '"e1"',
  '{}',
  '{"emailId":',
  JSON.stringify({ labels: { queue: 'billing' }, closedAt }),
  JSON.stringify({ emailId: 'e1', labels: [{ task: 'queue', label: 'billing' }], closedAt }),
  JSON.stringify({ emailId: 'e1', labels: { queue: 5 }, closedAt }),
  JSON.stringify({ emailId: 'e1', labels: {}, closedAt }),
  JSON.stringify({ emailId: 'e1', labels: { queue: '\uFE0F' }, closedAt }),
  JSON.stringify({ emailId: 'e1', labels: { queue: 'billing' }, closedAt: 'yesterday' }),
  JSON.stringify({ emailId: 'e1', labels: { queue: 'billing' }, closedAt: minutesAgo(-10) }),
  JSON.stringify({ emailId: '', labels: { queue: 'billing' }, closedAt }),
  JSON.stringify({ emailId: 4711, labels: { queue: 'billing' }, closedAt }),
  JSON.stringify({ predictionId: 'not-a-uuid', labels: { queue: 'billing' }, closedAt }),
  `{"emailId":"e1","labels":{"__proto__":"billing"},"closedAt":"${closedAt}"}`,
];
const malformedArb = fc.constantFrom(...MALFORMED).map((body) => ({ type: 'malformed' as const, body }));
const actionsArb: fc.Arbitrary<Action[]> = fc.array(
  fc.oneof({ weight: 3, arbitrary: classifyArb }, { weight: 5, arbitrary: feedbackArb }, { weight: 1, arbitrary: malformedArb }, { weight: 2, arbitrary: fc.constant({ type: 'swap' as const }) }),
  { minLength: 1, maxLength: 16 },
);

/** A record without Object's prototype: a task may be named constructor. */
function nullRecord<T = string>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A task and label named in the plain names, as the classifier of `names` names them. */
function renamed(names: Names, [task, label]: [string, string]): [string, string] {
  return task === 'topic' ? [names.topic, Object.hasOwn(names.labels, label) ? names.labels[label] : label] : [task, label];
}

/** A label under its task's current name (the queue's old names renamed). */
function currentName(names: Names, task: string, label: string): string {
  return task === 'queue' && names.aliases && Object.hasOwn(names.aliases, label) ? names.aliases[label] : label;
}

/**
 * Whether a model takes a label for a task: under a current or old name, retired, a task it lacks whose name is near
 * none of its tasks' (left out), or not at all (a label outside the taxonomy, a task name near one of the model's).
 */
function judge(names: Names, task: string, label: string): 'accepted' | 'retired' | 'unknown-task' | 'refused' {
  const tasks = taxonomyOf(names);
  const labels = tasks.find((t) => t.name === task)?.labels;
  if (labels === undefined) return didYouMean(task, tasks.map((t) => t.name)) === '' ? 'unknown-task' : 'refused';
  const current = currentName(names, task, label);
  if (task === 'queue' && names.retired?.some((r) => r === label || r === current)) return 'retired';
  return labels.includes(current) ? 'accepted' : 'refused';
}

/** What the route does with one feedback, by the README: the answer's status and, for a 202, what is stored. */
function expectedFeedback(
  models: readonly Names[],
  served: Names,
  predictions: readonly Prediction[],
  stored: Map<string, Stored>,
  body: { predictionId?: string; emailId?: string; labels: Record<string, string>; closedAt: string },
) {
  let prediction: Prediction | undefined;
  const named = body.predictionId?.toLowerCase();
  if (named !== undefined) {
    prediction = predictions.find((p) => p.predictionId === named);
    if (!prediction) return { status: 404 };
    if (body.emailId !== undefined && body.emailId !== prediction.emailId) return { status: 400 };
  } else {
    prediction = predictions.filter((p) => p.emailId === body.emailId).at(-1);
  }
  const sent = Object.entries(body.labels).map(([task, label]): [string, string] => [task, label.normalize('NFC').replace(/[\uFE0E\uFE0F]/g, '')]);
  // Labels the served model does not all take are checked against the model that made the prediction too.
  const allTaken = sent.every(([task, label]) => judge(served, task, label) === 'accepted');
  const other = prediction && prediction.modelId !== served.modelId ? models.find((m) => m.modelId === prediction.modelId) : undefined;
  const judges = !allTaken && other ? [served, other] : [served];
  const labels = nullRecord();
  const ignored: string[] = [];
  const readAs: string[] = [];
  for (const [task, label] of sent) {
    const verdicts = judges.map((names) => judge(names, task, label));
    const taking = judges[verdicts.indexOf('accepted')];
    // Stored as sent (normalised): the name it is read under is the scoring's business.
    if (taking) {
      labels[task] = label;
      if (currentName(taking, task, label) !== label) readAs.push(task);
    } else if (verdicts.includes('retired') || verdicts.every((v) => v === 'unknown-task')) ignored.push(task);
    else return { status: 422 };
  }
  // Every label retired or of a task no model has: nothing to record.
  if (Object.keys(labels).length === 0) return { status: 422 };
  const emailId = prediction?.emailId ?? (body.emailId as string);
  const old = stored.get(emailId);
  const superseded = old !== undefined && body.closedAt < old.closedAt;
  if (!superseded) stored.set(emailId, { labels: Object.assign(nullRecord(), old?.labels, labels), closedAt: body.closedAt, ...(prediction ? { predictionId: prediction.predictionId } : {}) });
  const answer = { emailId, status: superseded ? 'superseded' : 'recorded', matched: prediction !== undefined, recordedTasks: superseded ? [] : Object.keys(labels) };
  return { status: 202, answer, ignored, readAs };
}

/** Macro-F1 over the labels seen in truth or prediction (scikit-learn's default). */
function macroF1(truth: readonly string[], predicted: readonly string[]): number {
  const labels = [...new Set([...truth, ...predicted])];
  const f1 = labels.map((l) => {
    const tp = truth.filter((t, i) => t === l && predicted[i] === l).length;
    const p = predicted.filter((x) => x === l).length;
    const r = truth.filter((x) => x === l).length;
    const precision = p === 0 ? 0 : tp / p;
    const recall = r === 0 ? 0 : tp / r;
    return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  });
  return f1.reduce((a, b) => a + b, 0) / labels.length;
}

/**
 * A feedback label of a prediction by `made` under the served model's names (the README's Label names): in
 * the predicting model's names first, then in the served model's when one of the predicting model's labels
 * became it; null (unmappable) otherwise.
 */
function truthName(made: Names, served: Names, task: string, label: string): string | null {
  if (judge(made, task, label) === 'accepted') return currentName(served, task, currentName(made, task, label));
  const inServed = currentName(served, task, label);
  const own = taxonomyOf(made).find((t) => t.name === task);
  if (own === undefined) return inServed;
  return own.labels.map((l) => currentName(served, task, l)).includes(inServed) ? inServed : null;
}

/**
 * GET /v1/quality?model=<scope> as the README describes it, from the model: the scope's predictions (all
 * models' for `all`), one per email (the one its feedback names, else the newest), judged by its email's feedback
 * when that feedback names it or names none, both sides under the served model's names.
 */
function expectedQuality(scope: string, served: Names, models: readonly Names[], predictions: readonly Prediction[], stored: Map<string, Stored>) {
  const mine = predictions.filter((p) => scope === 'all' || p.modelId === scope);
  const emails = [...new Set(mine.map((p) => p.emailId))];
  const namesOf = (p: Prediction) => models.find((m) => m.modelId === p.modelId) as Names;
  const measured = emails.map((emailId) => {
    const own = mine.filter((p) => p.emailId === emailId);
    const closed = stored.get(emailId);
    const prediction = own.find((p) => p.predictionId === closed?.predictionId) ?? (own.at(-1) as Prediction);
    // A feedback judges the prediction it names (or, naming none, the newest): not another prediction of the email.
    const feedback = closed?.predictionId === undefined || closed.predictionId === prediction.predictionId ? closed : undefined;
    // Per task: the feedback label under the served names, null when it has none there.
    const truth = new Map(Object.entries(feedback?.labels ?? {}).map(([task, label]) => [task, truthName(namesOf(prediction), served, task, label)]));
    return { prediction, truth };
  });
  const labelOf = (p: Prediction, task: string) => {
    const made = namesOf(p);
    return currentName(served, task, task === 'queue' ? made.queue[KINDS[p.kind][0]] : made.labels[KINDS[p.kind][1]]);
  };
  const scored = (m: (typeof measured)[number]) => [...m.truth].filter(([, t]) => t !== null);
  const judged = measured.filter((m) => scored(m).length > 0);
  const unchanged = judged.filter((m) => scored(m).every(([task, t]) => labelOf(m.prediction, task) === t));
  // The served model's tasks when it is measured, else those the predictions have (all tasks are named alike here).
  const byTask = (scope === served.modelId || mine.length > 0 ? taxonomyOf(served) : []).map((t) => {
    const withTruth = measured.filter((m) => typeof m.truth.get(t.name) === 'string');
    const truth = withTruth.map((m) => m.truth.get(t.name) as string);
    const predicted = withTruth.map((m) => labelOf(m.prediction, t.name));
    const right = truth.filter((l, i) => l === predicted[i]).length;
    const bands = CONFIDENCE_BANDS.map(([lo, hi]) => {
      const inBand = measured.filter((m) => KINDS[m.prediction.kind][2] >= lo && KINDS[m.prediction.kind][2] < hi);
      const bandJudged = inBand.filter((m) => typeof m.truth.get(t.name) === 'string');
      const bandRight = bandJudged.filter((m) => m.truth.get(t.name) === labelOf(m.prediction, t.name)).length;
      return { predictions: inBand.length, withFeedback: bandJudged.length, accuracy: bandJudged.length > 0 ? bandRight / bandJudged.length : null };
    });
    const answered = measured.filter((m) => KINDS[m.prediction.kind][2] >= 0.5).length;
    const quality = {
      predictions: measured.length,
      withFeedback: truth.length,
      unmappable: measured.filter((m) => m.truth.get(t.name) === null).length,
      accuracy: truth.length > 0 ? right / truth.length : null,
      macroF1: truth.length > 0 ? macroF1(truth, predicted) : null,
      coverage: measured.length > 0 ? answered / measured.length : null,
      bands,
    };
    return [t.name, quality] as const;
  });
  const perModel = nullRecord<number>();
  for (const p of predictions) perModel[p.modelId] = new Set(predictions.filter((q) => q.modelId === p.modelId).map((q) => q.emailId)).size;
  return {
    modelId: scope,
    models: perModel,
    predictions: measured.length,
    withFeedback: judged.length,
    unchangedShare: judged.length > 0 ? unchanged.length / judged.length : null,
    tasks: Object.fromEntries(byTask),
  };
}

/** Figures compared with a tolerance: the route and the model sum in other orders. */
function close(actual: Loose, expected: Loose, where: string): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(actual, where).toBeCloseTo(expected, 9);
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    for (const key of Object.keys(expected)) close(actual?.[key], expected[key], `${where}.${key}`);
    return;
  }
  expect(actual, where).toEqual(expected);
}

describe('feedback and live quality on random request sequences', () => {
  it('answer each request as the README says and report the quality recomputed from the requests', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, actionsArb, async (models, actions) => {
        let served = models[0];
        // A source that serves the model named, a fresh classifier each time (the one swapped out is released).
        const source = createClassifierSource({
          resolve: async () => ({ id: served.modelId, dir: '' }),
          load: async ({ id }) => namedClassifier(models.find((m) => m.modelId === id) as Names),
          verify: async () => undefined,
        });
        await source.reload();
        const modelTasks = async (id: string) => taxonomyOf(models.find((m) => m.modelId === id) as Names);
        const { app, close: closeApp } = await buildTestApp({ classifierSource: source, modelTasks, clock: { now: () => NOW } });
        try {
          const predictions: Prediction[] = [];
          const stored = new Map<string, Stored>();
          const log: string[] = [];
          for (const action of actions) {
            if (action.type === 'classify') {
              const emails = action.emails.map((e) => ({ ...(e.id ? { id: e.id } : {}), subject: 'Frage', body: `about ${e.kind}` }));
              const res = await app.request('/v1/classify', jsonRequest({ emails }));
              expect(res.status).toBe(200);
              const answer = await json(res);
              answer.predictions.forEach((p: { id?: string; predictionId: string }, i: number) => {
                predictions.push({ predictionId: p.predictionId, emailId: p.id ?? p.predictionId, modelId: served.modelId, kind: action.emails[i].kind, order: predictions.length });
              });
              log.push(`classify ${JSON.stringify(action.emails)}`);
              continue;
            }
            if (action.type === 'swap') {
              served = models.find((m) => m !== served) ?? served;
              await source.reload();
              log.push(`swap to ${served.modelId}`);
              continue;
            }
            if (action.type === 'malformed') {
              const res = await app.request('/v1/feedback', jsonRequest(action.body));
              log.push(`feedback ${action.body}`);
              expect(res.status, log.join('\n')).toBeGreaterThanOrEqual(400);
              expect(res.status, log.join('\n')).toBeLessThan(500);
              expect(res.headers.get('content-type'), log.join('\n')).toMatch(/^application\/problem\+json/);
              expect(['REQUEST_INVALID', 'LABEL_NOT_IN_TAXONOMY', 'NOT_FOUND'], log.join('\n')).toContain((await json(res)).code);
              continue;
            }
            const { ref } = action;
            const body: { predictionId?: string; emailId?: string; labels: Record<string, string>; closedAt: string } = {
              labels: Object.fromEntries(action.labels.map((pair) => renamed(served, pair))),
              closedAt: minutesAgo(action.closedMinutesAgo),
            };
            if ('emailId' in ref && !('prediction' in ref)) body.emailId = ref.emailId;
            else if ('unknownPrediction' in ref) body.predictionId = '0193a1f0-7c1e-7b2a-9d4e-3f5a6b7c8d9e';
            else {
              // Predictions are picked among those made so far; with none yet, by an email id.
              const p = predictions[ref.prediction % Math.max(predictions.length, 1)];
              if (p === undefined) body.emailId = 'e1';
              else {
                body.predictionId = ref.upper ? p.predictionId.toUpperCase() : p.predictionId;
                if (ref.emailId) body.emailId = ref.emailId === 'own' ? p.emailId : 'e-other';
              }
            }
            log.push(`feedback ${JSON.stringify(body)}`);
            const want = expectedFeedback(models, served, predictions, stored, body);
            const res = await app.request('/v1/feedback', jsonRequest(body));
            const answer = await json(res);
            expect(res.status, `${log.join('\n')}\n${JSON.stringify(answer)}`).toBe(want.status);
            if (want.answer) {
              expect(answer, log.join('\n')).toMatchObject(want.answer);
              expect(Object.keys(answer.ignored ?? {}), log.join('\n')).toEqual(want.ignored);
              expect(Object.keys(answer.readAs ?? {}), log.join('\n')).toEqual(want.readAs);
            }
            else expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          }
          // The served model (by default), each model, and all of them.
          for (const scope of [served.modelId, ...models.filter((m) => m !== served).map((m) => m.modelId), 'all']) {
            const quality = await json(app.request(scope === served.modelId ? '/v1/quality' : `/v1/quality?model=${scope}`, authed()));
            const want = expectedQuality(scope, served, models, predictions, stored);
            const said = `${log.join('\n')}\n${JSON.stringify(quality)}\nquality ${scope}`;
            close(quality, want, said);
            expect(quality.models, said).toEqual({ ...want.models });
            expect(Object.keys(quality.tasks).sort(), said).toEqual(Object.keys(want.tasks).sort());
          }
        } finally {
          await closeApp();
        }
      }),
      // MAILROUTE_FUZZ_RUNS and MAILROUTE_FUZZ_SEED widen the search.
      { seed: Number(process.env.MAILROUTE_FUZZ_SEED ?? 1), numRuns: Number(process.env.MAILROUTE_FUZZ_RUNS ?? 200) },
    );
  }, 120_000);
});
