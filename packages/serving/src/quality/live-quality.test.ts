import { describe, expect, it } from 'vitest';
import { currentLabel, type ClassifierTask } from '@mailroute/model';
import { computeTaskMetrics, seededRandom } from '@mailroute/evaluation';
import type { FeedbackPair, PredictionRecord } from '../store/types.js';
import { jensenShannon, minDriftPredictions, populationStabilityIndex, shares } from './drift.js';
import { CONFIDENCE_BANDS, computeLiveQuality, computeLiveQualityInTurns, type LiveQuality, type LiveQualityInput, type TaskQuality } from './live-quality.js';
import { ITEMS_PER_TURN } from './turns.js';

// The plain algorithm computeLiveQuality had before it was made one pass (filters per task and band), kept as the
// reference its answers must equal: one prediction per email, both sides under the served names, then counted.

function referenceDedupe(pairs: readonly FeedbackPair[]): FeedbackPair[] {
  const byEmail = new Map<string, FeedbackPair>();
  const newer = (a: PredictionRecord, b: PredictionRecord) => a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.predictionId > b.predictionId);
  for (const pair of pairs) {
    const seen = byEmail.get(pair.prediction.emailId);
    const namesIt = pair.feedback?.predictionId !== undefined && pair.feedback.predictionId === pair.prediction.predictionId;
    const seenNamed = seen?.feedback?.predictionId === seen?.prediction.predictionId;
    if (!seen || namesIt || (!seenNamed && newer(pair.prediction, seen.prediction))) byEmail.set(pair.prediction.emailId, pair);
  }
  // A feedback that names another prediction of the email does not judge this one.
  return [...byEmail.values()].map((pair) => {
    const named = pair.feedback?.predictionId;
    return named === undefined || named === pair.prediction.predictionId ? pair : { prediction: pair.prediction };
  });
}

function referenceNames(pairs: readonly FeedbackPair[], taxonomies: ReadonlyMap<string, readonly ClassifierTask[]>, served: readonly ClassifierTask[]) {
  const unmappable: Record<string, number> = {};
  const renamed = (task: ClassifierTask, label: string) => currentLabel({ ...task, labels: [] }, label);
  const out = pairs.map((pair): FeedbackPair => {
    const own = taxonomies.get(pair.prediction.modelId);
    const labels: Record<string, string> = { ...pair.prediction.labels };
    for (const name of Object.keys(labels)) {
      const task = served.find((t) => t.name === name);
      if (task) labels[name] = renamed(task, labels[name]);
    }
    const prediction = { ...pair.prediction, labels };
    const truth: Record<string, string> = {};
    for (const [name, label] of Object.entries(pair.feedback?.labels ?? {})) {
      const task = served.find((t) => t.name === name);
      const ownTask = own?.find((t) => t.name === name);
      if (!task) {
        truth[name] = label;
        continue;
      }
      const current = ownTask ? currentLabel(ownTask, label) : label;
      const inOwn = ownTask && ownTask.labels.includes(current) && !ownTask.retired?.includes(current) && !ownTask.retired?.includes(label);
      const reachable = ownTask?.labels.filter((l) => !ownTask.retired?.includes(l)).map((l) => renamed(task, l));
      if (inOwn) truth[name] = renamed(task, current);
      else if (!ownTask || reachable?.includes(renamed(task, label))) truth[name] = renamed(task, label);
      else unmappable[name] = (unmappable[name] ?? 0) + 1;
    }
    return pair.feedback && Object.keys(truth).length > 0 ? { prediction, feedback: { ...pair.feedback, labels: truth } } : { prediction };
  });
  return { pairs: out, unmappable };
}

function referenceQuality(input: LiveQualityInput & { tasks: readonly ClassifierTask[] }): LiveQuality {
  const taxonomies = input.taxonomies ?? new Map();
  // An automated email is counted, then left out of everything else (its feedback too).
  const emails = referenceDedupe(input.pairs);
  const personal = (list: FeedbackPair[]) => list.filter((p) => p.prediction.automated === undefined);
  const { pairs, unmappable } = referenceNames(personal(emails), taxonomies, input.tasks);
  const previous = input.previous ? referenceNames(personal(referenceDedupe(input.previous)), taxonomies, input.tasks).pairs.map((p) => p.prediction) : [];
  const countsOf = (preds: PredictionRecord[], task: string) => {
    const counts: Record<string, number> = {};
    for (const p of preds) if (p.labels[task] !== undefined) counts[p.labels[task]] = (counts[p.labels[task]] ?? 0) + 1;
    return counts;
  };
  const tasks: Record<string, TaskQuality> = {};
  for (const task of input.tasks) {
    const preds = pairs.filter((p) => p.prediction.labels[task.name] !== undefined);
    const judged = preds.filter((p) => p.feedback?.labels[task.name] !== undefined);
    const truth = judged.map((p) => p.feedback?.labels[task.name] ?? '');
    const predicted = judged.map((p) => p.prediction.labels[task.name]);
    const scores = judged.length > 0 ? input.scorer(truth, predicted, task.labels) : undefined;
    const bands = CONFIDENCE_BANDS.map(([lo, hi]) => {
      const inBand = preds.filter((p) => (p.prediction.confidences[task.name] ?? 0) >= lo && (p.prediction.confidences[task.name] ?? 0) < hi);
      const j = inBand.filter((p) => p.feedback?.labels[task.name] !== undefined);
      const correct = j.filter((p) => p.feedback?.labels[task.name] === p.prediction.labels[task.name]).length;
      return { band: `${lo.toFixed(1)}-${Math.min(hi, 1).toFixed(1)}`, predictions: inBand.length, withFeedback: j.length, accuracy: j.length > 0 ? correct / j.length : null };
    });
    const counts = countsOf(preds.map((p) => p.prediction), task.name);
    // Training shares under the served names, as the predictions are: labels renamed or merged since, summed.
    const ownShares = input.training?.[task.name];
    const trainingShares = ownShares && Object.entries(ownShares).reduce<Record<string, number>>((acc, [l, share]) => {
      const name = currentLabel({ ...task, labels: [] }, l);
      acc[name] = (acc[name] ?? 0) + share;
      return acc;
    }, {});
    const previousCounts = previous.length > 0 ? countsOf(previous, task.name) : undefined;
    const minPredictions = minDriftPredictions(new Set([...task.labels, ...Object.keys(counts)]).size);
    const previousTotal = Object.values(previousCounts ?? {}).reduce((a, b) => a + b, 0);
    const canDrift = preds.length >= minPredictions && (trainingShares !== undefined || previousTotal >= minPredictions);
    // Both sides over the same labels, each given half a count more; training shares read as counts of the window's size.
    const labels = [...new Set([...task.labels, ...Object.keys(counts), ...Object.keys(trainingShares ?? previousCounts ?? {})])];
    const smooth = (c: Record<string, number>, total: number) => Object.fromEntries(labels.map((l) => [l, ((c[l] ?? 0) + 0.5) / (total + labels.length / 2)]));
    const actual = smooth(counts, preds.length);
    const trainingCounts = trainingShares && Object.fromEntries(Object.entries(trainingShares).map(([l, share]) => [l, share * preds.length]));
    const against = trainingCounts ? smooth(trainingCounts, preds.length) : previousCounts && smooth(previousCounts, previousTotal);
    tasks[task.name] = {
      predictions: preds.length,
      withFeedback: judged.length,
      unmappable: unmappable[task.name] ?? 0,
      accuracy: scores?.accuracy ?? null,
      macroF1: scores?.macroF1 ?? null,
      coverage: preds.length > 0 ? preds.filter((p) => p.prediction.abstained[task.name] !== true).length / preds.length : null,
      bands,
      drift: {
        reference: trainingShares ? 'training' : previousCounts ? 'previous_window' : 'none',
        minPredictions,
        psi: canDrift && against ? populationStabilityIndex(actual, against, labels) : null,
        jsDivergence: canDrift && against ? jensenShannon(actual, against, labels) : null,
        predicted: shares(counts),
        expected: trainingShares ?? (previousCounts && shares(previousCounts)) ?? null,
      },
    };
  }
  const withFeedback = pairs.filter((p) => p.feedback !== undefined);
  const compared = withFeedback.filter((p) => Object.keys(p.feedback?.labels ?? {}).some((t) => p.prediction.labels[t] !== undefined));
  const unchanged = compared.filter((p) => Object.entries(p.feedback?.labels ?? {}).every(([t, label]) => p.prediction.labels[t] === undefined || p.prediction.labels[t] === label));
  const routed = pairs.filter((p) => p.prediction.queue !== 'manual_triage').length;
  return {
    window: input.window,
    automated: emails.length - pairs.length,
    predictions: pairs.length,
    withFeedback: withFeedback.length,
    unchangedShare: compared.length > 0 ? unchanged.length / compared.length : null,
    routedShare: pairs.length > 0 ? routed / pairs.length : null,
    tasks,
  };
}

// Randomized inputs: two known models (v1 before renames and a merge, v2 served) and one whose taxonomy is unknown.
const v2: ClassifierTask[] = [
  { name: 'queue', labels: ['kyc', 'cards', 'tax', 'other'], aliases: { payments: 'kyc', tax_documents: 'tax', inheritance: 'other' }, retired: ['paper'] },
  { name: 'topic', labels: ['login', 'fees', 'fraud'] },
  { name: 'priority', labels: ['low', 'high'] },
];
const v1: ClassifierTask[] = [
  { name: 'queue', labels: ['payments', 'kyc', 'tax_documents', 'paper'], retired: ['paper'] },
  { name: 'topic', labels: ['login', 'fees'] },
];
const TAXONOMIES = new Map([
  ['v1', v1],
  ['v2', v2],
]);
const LABELS: Record<string, string[]> = {
  queue: ['kyc', 'cards', 'tax', 'other', 'payments', 'tax_documents', 'inheritance', 'paper', 'unknown_q'],
  topic: ['login', 'fees', 'fraud', 'spam'],
  priority: ['low', 'high'],
  channel: ['mail', 'phone'],
};
const CONFIDENCES = [0, 0.2, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1, 1.0000001, 0.4999999, 0.7000001];

function randomPairs(random: () => number, n: number, emails: number, start: number): FeedbackPair[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  return Array.from({ length: n }, (_, i): FeedbackPair => {
    const emailId = `e${Math.floor(random() * emails)}`;
    const predictionId = `p${start + i}`;
    // Same-millisecond predictions and lists out of time order: the dedupe's tie on the id is exercised.
    const createdAt = new Date(Date.UTC(2026, 10, 1) + Math.floor(random() * 50) * 1000).toISOString();
    const tasks = Object.keys(LABELS).filter(() => random() < 0.8);
    const labels = Object.fromEntries(tasks.map((t) => [t, pick(LABELS[t])]));
    const confidences = Object.fromEntries(tasks.filter(() => random() < 0.9).map((t) => [t, pick(CONFIDENCES)]));
    const abstained = Object.fromEntries(tasks.filter(() => random() < 0.5).map((t) => [t, random() < 0.3]));
    const prediction: PredictionRecord = { predictionId, emailId, modelId: pick(['v1', 'v2', 'v2', 'gone']), createdAt, labels, confidences, abstained, queue: pick(['q', 'q', 'manual_triage']), latencyMs: 1 };
    if (random() < 0.1) Object.assign(prediction, { queue: 'manual_triage', automated: pick(['auto_reply', 'delivery_failure']) });
    if (random() < 0.5) return { prediction };
    const truth = Object.fromEntries(Object.keys(LABELS).filter(() => random() < 0.6).map((t) => [t, random() < 0.5 && labels[t] ? labels[t] : pick(LABELS[t])]));
    const named = random() < 0.4 ? predictionId : random() < 0.2 ? `p${Math.floor(random() * (start + i + 1))}` : undefined;
    return { prediction, feedback: { emailId, labels: truth, closedAt: createdAt, receivedAt: createdAt, ...(named ? { predictionId: named } : {}) } };
  });
}

const scorer: LiveQualityInput['scorer'] = (truth, predicted) => {
  const m = computeTaskMetrics(truth, predicted);
  return { accuracy: m.accuracy, macroF1: m.macro.f1 };
};

/** Every field equal, numbers to 1e-12 (same counts, so the same floats but for summation order). */
function expectSame(actual: unknown, expected: unknown, path = '$'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(Math.abs(actual - expected), path).toBeLessThanOrEqual(1e-12);
    return;
  }
  if (expected === null || typeof expected !== 'object') {
    expect(actual, path).toBe(expected);
    return;
  }
  expect(actual !== null && typeof actual === 'object', path).toBe(true);
  expect(Object.keys(actual as object), path).toEqual(Object.keys(expected));
  for (const [key, value] of Object.entries(expected)) expectSame((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
}

describe('computeLiveQuality', () => {
  it('equals the plain filter-per-task reference on randomized windows', () => {
    const references = new Set<string>();
    let drifts = 0;
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const random = seededRandom(seed);
      const n = 50 + Math.floor(random() * 400);
      const pairs = randomPairs(random, n, Math.ceil(n * 0.7), 0);
      const previous = seed % 3 === 0 ? undefined : randomPairs(random, seed % 3 === 1 ? n : 5, n, n);
      // Training shares in the served names, or (seeds 4 and 8) an earlier model's, renamed and merged since.
      const training: LiveQualityInput['training'] = seed % 4 === 0 ? { queue: { kyc: 0.3, payments: 0.2, cards: 0.2, tax_documents: 0.2, inheritance: 0.1 } } : seed % 2 === 0 ? { queue: { kyc: 0.5, cards: 0.2, tax: 0.2, other: 0.1 } } : undefined;
      // Tasks as the route passes them: the served model's, or names only (another model measured).
      const tasks = seed % 4 === 3 ? v2.map((t) => ({ name: t.name, labels: [], ...(t.aliases ? { aliases: t.aliases } : {}) })) : v2;
      const input = { pairs, previous, training, tasks, taxonomies: seed === 5 ? undefined : TAXONOMIES, window: { since: 'a', until: 'b' }, scorer };
      const expected = referenceQuality(input);
      // The inputs reach every branch: duplicates, abstentions, unmappable labels, feedback of unmeasured tasks.
      expect(expected.predictions).toBeLessThan(n);
      expect(expected.automated).toBeGreaterThan(0);
      if (seed !== 5) expect(expected.tasks.queue.unmappable).toBeGreaterThan(0);
      expectSame(computeLiveQuality(input), expected, `seed ${seed}`);
      for (const task of Object.values(expected.tasks)) {
        references.add(task.drift.reference);
        if (task.drift.psi !== null) drifts++;
      }
    }
    expect([...references].sort()).toEqual(['none', 'previous_window', 'training']);
    expect(drifts).toBeGreaterThan(0);
  });

  it('computed in turns, gives the event loop one every ITEMS_PER_TURN pairs and before each task, and answers the same', async () => {
    const random = seededRandom(9);
    const n = 5 * ITEMS_PER_TURN;
    const input = { pairs: randomPairs(random, n, n, 0), previous: randomPairs(random, n, n, n), tasks: v2, taxonomies: TAXONOMIES, window: { since: 'a', until: 'b' }, scorer };
    let turns = 0;
    const quality = await computeLiveQualityInTurns(input, async () => void turns++);
    const expected = referenceQuality(input);
    expectSame(quality, expected);
    const between = (items: number) => Math.ceil(items / ITEMS_PER_TURN) - 1;
    const previous = referenceDedupe(input.previous).length;
    // Dedupe, the pass over the emails, the previous window's dedupe and counts, then a turn before each task.
    expect(turns).toBe(between(n) + between(expected.predictions + expected.automated) + between(n) + between(previous) + v2.length);
  });

  it("measures an earlier model's drift in the served names: a queue renamed since is no drift of an unchanged model", () => {
    // The earlier model v1 predicted payments and kyc in its training shares; the served v2 calls payments kyc now.
    const tasks: ClassifierTask[] = [{ name: 'queue', labels: ['kyc', 'cards'], aliases: { payments: 'cards' } }];
    const pairs = Array.from({ length: 200 }, (_, i): FeedbackPair => ({
      prediction: { predictionId: `p${i}`, emailId: `e${i}`, modelId: 'v1', createdAt: '2026-11-01T00:00:00.000Z', labels: { queue: i % 4 === 0 ? 'kyc' : 'payments' }, confidences: { queue: 0.9 }, abstained: {}, queue: 'q', latencyMs: 1 },
    }));
    const quality = computeLiveQuality({ pairs, tasks, training: { queue: { payments: 0.75, kyc: 0.25 } }, taxonomies: new Map([['v1', [{ name: 'queue', labels: ['payments', 'kyc'] }]]]), window: { since: 'a', until: 'b' }, scorer });
    const { drift } = quality.tasks.queue;
    expect({ ...drift.predicted }).toEqual({ cards: 0.75, kyc: 0.25 });
    expect({ ...drift.expected }).toEqual({ cards: 0.75, kyc: 0.25 });
    expect(drift.psi ?? NaN).toBeLessThan(1e-9);
  });

  it('puts a confidence on a band edge in the band it starts', () => {
    const pair = (id: string, confidence: number): FeedbackPair => ({
      prediction: { predictionId: id, emailId: id, modelId: 'v2', createdAt: '2026-11-01T00:00:00.000Z', labels: { topic: 'login' }, confidences: { topic: confidence }, abstained: {}, queue: 'q', latencyMs: 1 },
    });
    const quality = computeLiveQuality({ pairs: [0, 0.5, 0.7, 0.9, 1].map((c, i) => pair(`p${i}`, c)), tasks: [v2[1]], window: { since: 'a', until: 'b' }, scorer });
    expect(quality.tasks.topic.bands.map((b) => [b.band, b.predictions])).toEqual([
      ['0.0-0.5', 1],
      ['0.5-0.7', 1],
      ['0.7-0.9', 1],
      ['0.9-1.0', 2],
    ]);
  });

  it('counts automated emails apart and leaves them out of every other figure, their feedback too', () => {
    const at = '2026-11-01T00:00:00.000Z';
    const pair = (id: string, label: string, queue: string, truth?: string, automated?: string): FeedbackPair => {
      const prediction: PredictionRecord = { predictionId: id, emailId: id, modelId: 'v2', createdAt: at, labels: { topic: label }, confidences: { topic: 0.95 }, abstained: {}, queue, latencyMs: 1, ...(automated ? { automated } : {}) };
      return truth === undefined ? { prediction } : { prediction, feedback: { emailId: id, labels: { topic: truth }, closedAt: at, receivedAt: at } };
    };
    const pairs = [
      pair('a', 'login', 'q', 'login'),
      pair('b', 'fees', 'manual_triage'),
      // A bounce and an auto-reply, one of them closed with a label the model did not predict.
      pair('c', 'fraud', 'manual_triage', 'login', 'delivery_failure'),
      pair('d', 'fraud', 'manual_triage', undefined, 'auto_reply'),
    ];
    const quality = computeLiveQuality({ pairs, tasks: [v2[1]], window: { since: 'a', until: 'b' }, scorer });
    expect(quality).toMatchObject({ automated: 2, predictions: 2, withFeedback: 1, unchangedShare: 1, routedShare: 0.5 });
    expect(quality.tasks.topic).toMatchObject({ predictions: 2, withFeedback: 1, accuracy: 1 });
    expect(quality.tasks.topic.drift.predicted).toEqual({ login: 0.5, fees: 0.5 });
  });
});

describe('computeLiveQuality with a task over another task\'s column (a queue over intents)', () => {
  // As classifierTasks reads them from a training config whose queue task reads the intent column through aliases.
  const intent: ClassifierTask = { name: 'intent', labels: ['card_arrival', 'terminate_account', 'exchange_rate'], columnSharedWith: ['queue'] };
  const queue: ClassifierTask = {
    name: 'queue',
    labels: ['card_issues', 'account', 'other'],
    aliases: { card_arrival: 'card_issues', terminate_account: 'account' },
    columnSharedWith: ['intent'],
  };
  const at = '2026-11-01T00:00:00.000Z';
  const pair = (id: string, predicted: { intent: string; queue: string }, labels: Record<string, string>): FeedbackPair => ({
    prediction: { predictionId: id, emailId: id, modelId: 'm', createdAt: at, labels: predicted, confidences: { intent: 0.9, queue: 0.9 }, abstained: {}, queue: predicted.queue, latencyMs: 1 },
    feedback: { emailId: id, labels, closedAt: at, receivedAt: at },
  });

  it("scores the queue of a case closed with its intent only, read through the queue's aliases", () => {
    const pairs = [
      // Routed right and wrong; the CRM confirms the intent alone.
      pair('a', { intent: 'card_arrival', queue: 'card_issues' }, { intent: 'card_arrival' }),
      pair('b', { intent: 'card_arrival', queue: 'card_issues' }, { intent: 'terminate_account' }),
      // A queue confirmed as well is the queue's truth, whatever the intent maps to.
      pair('c', { intent: 'terminate_account', queue: 'account' }, { intent: 'terminate_account', queue: 'card_issues' }),
      // An intent the queue's names do not read (no alias, not a queue): no truth for the queue, not an unmappable one.
      pair('d', { intent: 'exchange_rate', queue: 'other' }, { intent: 'exchange_rate' }),
    ];
    const quality = computeLiveQuality({ pairs, tasks: [intent, queue], taxonomies: new Map([['m', [intent, queue]]]), window: { since: 'a', until: 'b' }, scorer });
    expect(quality.tasks.queue).toMatchObject({ withFeedback: 3, unmappable: 0 });
    expect(quality.tasks.queue.accuracy).toBeCloseTo(1 / 3, 9);
    expect(quality.tasks.intent).toMatchObject({ withFeedback: 4 });
    expect(quality.tasks.intent.accuracy).toBeCloseTo(3 / 4, 9);
    // Unchanged at close: a (both right) only; b's derived queue and c's confirmed queue changed, d's intent kept.
    expect(quality.unchangedShare).toBeCloseTo(2 / 4, 9);
  });

  it('derives nothing for tasks that read columns of their own', () => {
    const own = (task: ClassifierTask): ClassifierTask => ({ name: task.name, labels: task.labels, ...(task.aliases ? { aliases: task.aliases } : {}) });
    const pairs = [pair('a', { intent: 'card_arrival', queue: 'account' }, { intent: 'card_arrival' })];
    const tasks = [own(intent), own(queue)];
    const quality = computeLiveQuality({ pairs, tasks, taxonomies: new Map([['m', tasks]]), window: { since: 'a', until: 'b' }, scorer });
    expect(quality.tasks.queue.withFeedback).toBe(0);
  });
});

describe('computeLiveQuality with a task or label named as an Object member', () => {
  // Names come from the CRM: a label `constructor` or `toString` (and a task `constructor`) is one like any other.
  const labels = ['toString', 'constructor', 'billing'];
  const tasks: ClassifierTask[] = [
    { name: 'queue', labels },
    { name: 'constructor', labels },
    { name: 'toString', labels },
  ];
  const pairs = Array.from({ length: 60 }, (_, i): FeedbackPair => {
    const id = `p${i}`;
    const at = '2026-11-01T00:00:00.000Z';
    // Half the predictions have no `constructor` task (a model before it was added); none has `toString`.
    const labels: Record<string, string> = i % 2 === 0 ? { queue: 'constructor', constructor: 'billing' } : { queue: 'billing' };
    const confidences: Record<string, number> = i % 2 === 0 ? { queue: 0.95, constructor: 0.6 } : { queue: 0.95 };
    const prediction: PredictionRecord = { predictionId: id, emailId: id, modelId: 'v9', createdAt: at, labels, confidences, abstained: {}, queue: 'q', latencyMs: 1 };
    if (i >= 10) return { prediction };
    // Ten judged: the CRM says `toString` for the first two, else confirms the prediction.
    const truth = i < 2 ? 'toString' : labels.queue;
    return { prediction, feedback: { emailId: id, labels: { queue: truth }, closedAt: at, receivedAt: at, predictionId: id } };
  });
  // Training shares of `queue` only, without `toString`.
  const training = { queue: { constructor: 0.5, billing: 0.5 } };

  it('counts them as labels and tasks, and measures drift with finite figures', () => {
    const quality = computeLiveQuality({ pairs, tasks, training, taxonomies: new Map([['v9', tasks]]), window: { since: 'a', until: 'b' }, scorer });
    const queue = quality.tasks.queue;
    expect(queue.predictions).toBe(60);
    expect(queue.withFeedback).toBe(10);
    expect(queue.unmappable).toBe(0);
    expect(queue.accuracy).toBeCloseTo(0.8, 12);
    expect(Number.isFinite(queue.macroF1 ?? NaN)).toBe(true);
    expect({ ...queue.drift.predicted }).toEqual({ constructor: 0.5, billing: 0.5 });
    expect(queue.drift.reference).toBe('training');
    // Smoothed actual shares over toString, constructor, billing (Jeffreys: half a count each) against the training
    // shares smoothed alike, as counts of 60 predictions: toString, never seen in training, gets half a count too.
    const p = [0.5, 30.5, 30.5].map((c) => c / 61.5);
    const q = [0 * 60 + 0.5, 0.5 * 60 + 0.5, 0.5 * 60 + 0.5].map((c) => c / 61.5);
    const psi = p.reduce((sum, pi, i) => sum + (pi - q[i]) * Math.log(pi / q[i]), 0);
    expect(queue.drift.psi).not.toBeNull();
    expect(queue.drift.psi ?? NaN).toBeCloseTo(psi, 9);
    expect(Number.isFinite(queue.drift.jsDivergence ?? NaN)).toBe(true);

    const constructorTask = quality.tasks['constructor'];
    expect(constructorTask.predictions).toBe(30);
    expect(constructorTask.unmappable).toBe(0);
    expect(constructorTask.drift.reference).toBe('none');
    expect({ ...constructorTask.drift.predicted }).toEqual({ billing: 1 });
    expect(constructorTask.bands.map((b) => b.predictions)).toEqual([0, 30, 0, 0]);

    const toStringTask = quality.tasks['toString'];
    expect(toStringTask.predictions).toBe(0);
    expect(toStringTask.unmappable).toBe(0);
    expect(toStringTask.drift.reference).toBe('none');
  });
});
