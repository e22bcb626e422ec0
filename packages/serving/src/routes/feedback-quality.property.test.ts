import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONFIDENCE_BANDS } from '../quality/live-quality.js';
import { createFakeClassifier, FAKE_TASKS, type FakeClassifier } from '../test-support/fake-classifier.js';
import { authed, buildTestApp, json, jsonRequest, type Loose } from '../test-support/harness.js';

/**
 * Random sequences of classify and feedback requests, each checked against a plain model of what the README
 * says they do (one feedback per email, merged per task, an earlier closedAt superseded; feedback by emailId
 * joining the email's newest prediction, also one made after it; a predictionId naming its own; labels outside
 * the taxonomy refused), and then GET /v1/quality against the figures recomputed from that model: counts,
 * accuracy, macro-F1, unchanged share, coverage and bands per task. Malformed feedback gets problem+json with
 * a documented code, never a 500, and changes nothing.
 */

const NOW = Date.parse('2026-11-29T12:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();
const EMAIL_IDS = ['e1', 'e2', 'e3', 'e4'];
/** What the fake classifier answers for each kind of body: its queue and topic labels, the confidence (under 0.5 it abstains). */
const KINDS = {
  invoice: ['billing', 'invoice', 0.93],
  password: ['technical', 'login', 0.81],
  hello: ['general', 'other', 0.41],
} as const;
type Kind = keyof typeof KINDS;

/**
 * The names the classifier's tasks go by: the fake's own; the topic task and its labels under names of
 * Object's members, which a CRM may use as any other (`constructor`, `__proto__`, `toString`); or the queue
 * task with old names its training config renamed (`invoices`, now `billing`) and a retired label (`spam`).
 */
interface Naming {
  topic: string;
  labels: Record<string, string>;
  aliases?: Record<string, string>;
  retired?: string[];
}
const PLAIN_TOPICS = { invoice: 'invoice', login: 'login', other: 'other' };
const NAMINGS: Record<string, Naming> = {
  plain: { topic: 'topic', labels: PLAIN_TOPICS },
  odd: { topic: 'constructor', labels: { invoice: '__proto__', login: 'toString', other: 'hasOwnProperty' } },
  aliased: { topic: 'topic', labels: PLAIN_TOPICS, aliases: { invoices: 'billing', it: 'technical' }, retired: ['spam'] },
};

/** The fake classifier with its tasks named as `naming` says. */
function namedClassifier(naming: Naming): FakeClassifier {
  const classifier = createFakeClassifier();
  const predict = classifier.predict.bind(classifier);
  const queue = { name: 'queue', labels: [...FAKE_TASKS[0].labels], ...(naming.aliases ? { aliases: naming.aliases } : {}), ...(naming.retired ? { retired: naming.retired } : {}) };
  return {
    ...classifier,
    tasks: [queue, { name: naming.topic, labels: FAKE_TASKS[1].labels.map((l) => naming.labels[l]) }],
    predict: async (emails) =>
      (await predict(emails)).map(({ tasks: { queue, topic }, ...rest }) => ({ ...rest, tasks: { queue, [naming.topic]: { ...topic, label: naming.labels[topic.label], top: [] } } })),
  };
}

interface Prediction {
  predictionId: string;
  emailId: string;
  kind: Kind;
  /** Creation order: the newest of an email is the one feedback by emailId joins. */
  order: number;
}

interface Stored {
  labels: Record<string, string>;
  closedAt: string;
  predictionId?: string;
}

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
  { weight: 2, arbitrary: fc.constantFrom<[string, string]>(['queue', 'invoices'], ['queue', 'it'], ['queue', 'spam']) },
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
  `{"emailId":"e1","labels":{"queue":"billing","__proto__":"x"},"closedAt":"${closedAt}"}`,
];
const malformedArb = fc.constantFrom(...MALFORMED).map((body) => ({ type: 'malformed' as const, body }));
const actionsArb = fc.array(fc.oneof({ weight: 3, arbitrary: classifyArb }, { weight: 5, arbitrary: feedbackArb }, { weight: 1, arbitrary: malformedArb }), { minLength: 1, maxLength: 14 });

/** A record of task labels without Object's prototype: a task may be named constructor. */
function nullRecord(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

/** A task and label named in the plain names, as the classifier of `naming` names them. */
function renamed(naming: Naming, [task, label]: [string, string]): [string, string] {
  return task === 'topic' ? [naming.topic, Object.hasOwn(naming.labels, label) ? naming.labels[label] : label] : [task, label];
}

/** A label under its task's current name (the queue's old names renamed). */
function currentName(naming: Naming, task: string, label: string): string {
  return task === 'queue' && naming.aliases && Object.hasOwn(naming.aliases, label) ? naming.aliases[label] : label;
}

/** What the route does with one feedback, by the README: the answer's status and, for a 202, what is stored. */
function expectedFeedback(naming: Naming, tasks: Record<string, readonly string[]>, predictions: readonly Prediction[], stored: Map<string, Stored>, body: { predictionId?: string; emailId?: string; labels: Record<string, string>; closedAt: string }) {
  let prediction: Prediction | undefined;
  const named = body.predictionId?.toLowerCase();
  if (named !== undefined) {
    prediction = predictions.find((p) => p.predictionId === named);
    if (!prediction) return { status: 404 };
    if (body.emailId !== undefined && body.emailId !== prediction.emailId) return { status: 400 };
  } else {
    prediction = predictions.filter((p) => p.emailId === body.emailId).at(-1);
  }
  const labels = nullRecord();
  const ignored: string[] = [];
  for (const [task, sent] of Object.entries(body.labels)) {
    const label = sent.normalize('NFC').replace(/[\uFE0E\uFE0F]/g, '');
    if (!Object.hasOwn(tasks, task)) return { status: 422 };
    const current = currentName(naming, task, label);
    if (task === 'queue' && naming.retired?.some((r) => r === label || r === current)) ignored.push(task);
    else if (!tasks[task].includes(current)) return { status: 422 };
    // Stored as sent (normalised): the name it is read under is the scoring's business.
    else labels[task] = label;
  }
  // Every label retired: nothing to record.
  if (Object.keys(labels).length === 0) return { status: 422 };
  const emailId = prediction?.emailId ?? (body.emailId as string);
  const old = stored.get(emailId);
  const superseded = old !== undefined && body.closedAt < old.closedAt;
  if (!superseded) stored.set(emailId, { labels: Object.assign(nullRecord(), old?.labels, labels), closedAt: body.closedAt, ...(prediction ? { predictionId: prediction.predictionId } : {}) });
  const answer = { emailId, status: superseded ? 'superseded' : 'recorded', matched: prediction !== undefined, recordedTasks: superseded ? [] : Object.keys(labels) };
  return { status: 202, answer, ignored, readAs: Object.keys(labels).filter((task) => currentName(naming, task, labels[task]) !== labels[task]) };
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

/** GET /v1/quality as the README describes it, from the model: one prediction per email, its feedback joined by email. */
function expectedQuality(naming: Naming, predictions: readonly Prediction[], stored: Map<string, Stored>) {
  const emails = [...new Set(predictions.map((p) => p.emailId))];
  const measured = emails.map((emailId) => {
    const own = predictions.filter((p) => p.emailId === emailId);
    const feedback = stored.get(emailId);
    const named = own.find((p) => p.predictionId === feedback?.predictionId);
    return { prediction: named ?? (own.at(-1) as Prediction), feedback };
  });
  const judged = measured.filter((m) => m.feedback !== undefined);
  const labelOf = (p: Prediction, task: string) => (task === 'queue' ? KINDS[p.kind][0] : naming.labels[KINDS[p.kind][1]]);
  const unchanged = judged.filter((m) => Object.entries(m.feedback?.labels ?? {}).every(([task, label]) => labelOf(m.prediction, task) === currentName(naming, task, label)));
  const tasks = Object.fromEntries(
    [{ name: 'queue' }, { name: naming.topic }].map((t) => {
      const withTruth = measured.filter((m) => m.feedback?.labels[t.name] !== undefined);
      const truthOf = (m: (typeof measured)[number]) => m.feedback?.labels[t.name] && currentName(naming, t.name, m.feedback.labels[t.name]);
      const truth = withTruth.map((m) => truthOf(m) as string);
      const predicted = withTruth.map((m) => labelOf(m.prediction, t.name));
      const right = truth.filter((l, i) => l === predicted[i]).length;
      const bands = CONFIDENCE_BANDS.map(([lo, hi]) => {
        const inBand = measured.filter((m) => KINDS[m.prediction.kind][2] >= lo && KINDS[m.prediction.kind][2] < hi);
        const bandJudged = inBand.filter((m) => m.feedback?.labels[t.name] !== undefined);
        const bandRight = bandJudged.filter((m) => truthOf(m) === labelOf(m.prediction, t.name)).length;
        return { predictions: inBand.length, withFeedback: bandJudged.length, accuracy: bandJudged.length > 0 ? bandRight / bandJudged.length : null };
      });
      const answered = measured.filter((m) => KINDS[m.prediction.kind][2] >= 0.5).length;
      return [
        t.name,
        {
          predictions: measured.length,
          withFeedback: truth.length,
          unmappable: 0,
          accuracy: truth.length > 0 ? right / truth.length : null,
          macroF1: truth.length > 0 ? macroF1(truth, predicted) : null,
          coverage: measured.length > 0 ? answered / measured.length : null,
          bands,
        },
      ];
    }),
  );
  return {
    models: emails.length > 0 ? { 'fake-1': emails.length } : {},
    predictions: measured.length,
    withFeedback: judged.length,
    unchangedShare: judged.length > 0 ? unchanged.length / judged.length : null,
    tasks,
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
      fc.asyncProperty(fc.constantFrom(...Object.values(NAMINGS)), actionsArb, async (naming, actions) => {
        const classifier = namedClassifier(naming);
        const tasks = Object.fromEntries(classifier.tasks.map((t) => [t.name, t.labels]));
        const { app, close: closeApp } = await buildTestApp({ classifier, clock: { now: () => NOW } });
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
                predictions.push({ predictionId: p.predictionId, emailId: p.id ?? p.predictionId, kind: action.emails[i].kind, order: predictions.length });
              });
              log.push(`classify ${JSON.stringify(action.emails)}`);
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
              labels: Object.fromEntries(action.labels.map((pair) => renamed(naming, pair))),
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
            const want = expectedFeedback(naming, tasks, predictions, stored, body);
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
          const quality = await json(app.request('/v1/quality', authed()));
          close(quality, expectedQuality(naming, predictions, stored), `${log.join('\n')}\n${JSON.stringify(quality)}\nquality`);
        } finally {
          await closeApp();
        }
      }),
      // MAILROUTE_FUZZ_RUNS and MAILROUTE_FUZZ_SEED widen the search.
      { seed: Number(process.env.MAILROUTE_FUZZ_SEED ?? 1), numRuns: Number(process.env.MAILROUTE_FUZZ_RUNS ?? 60) },
    );
  }, 120_000);
});
