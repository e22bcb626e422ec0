/**
 * Time of one `/v1/quality` compute (`computeLiveQuality`) at the route's limit of 100,000 predictions: the
 * synchronous block during which the Node server answers no other request. Not a `npm run bench` section
 * (nothing to compare it with); run it alone: `npx tsx bench/live-quality.ts [predictions] [runs]`. Prints the
 * median time of one synchronous compute and, computed in turns as the route does, the longest block between turns.
 * Realistic input: three tasks, two models (the older one under renamed labels), 5% of emails classified
 * twice, ~30% with feedback (a fifth of it correcting a label), 3% abstentions, a previous window as large.
 */
import { classifierTasks } from '@mailroute/model';
import { computeLiveQuality, computeLiveQualityInTurns, type FeedbackPair, type TaskScorer } from '@mailroute/serving';
import { computeTaskMetrics, seededRandom } from '@mailroute/evaluation';
import { countFromArg } from './lib/env.js';
import { median } from './lib/report.js';

const size = countFromArg('predictions (first argument)', process.argv[2], 100_000, 1, 10_000_000);
const runs = countFromArg('runs (second argument)', process.argv[3], 7, 1, 1000);

const labels = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}_${i}`);
const served = classifierTasks({
  tasks: [
    { name: 'queue', labels: labels('queue', 10) },
    { name: 'type', labels: labels('type', 4) },
    { name: 'priority', labels: ['low', 'medium', 'high'] },
  ],
  trainingConfig: { tasks: [{ name: 'queue', aliases: { old_queue_0: 'queue_0', old_queue_1: 'queue_1' } }] },
});
const older = served.map((t) => (t.name === 'queue' ? { name: 'queue', labels: ['old_queue_0', 'old_queue_1', ...t.labels.slice(2)] } : t));
const taxonomies = new Map([
  ['m2', served],
  ['m1', older],
]);

function pairs(n: number, start: number, seed: number): FeedbackPair[] {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const out: FeedbackPair[] = [];
  for (let i = 0; i < n; i++) {
    const email = random() < 0.05 && i > 0 ? Math.floor(random() * i) : i;
    const model = random() < 0.3 ? 'm1' : 'm2';
    const tasks = taxonomies.get(model) ?? served;
    const predicted = Object.fromEntries(tasks.map((t) => [t.name, pick(t.labels)]));
    const confidences = Object.fromEntries(tasks.map((t) => [t.name, Math.round(random() * 1000) / 1000]));
    const abstained = Object.fromEntries(tasks.map((t) => [t.name, random() < 0.03]));
    const createdAt = new Date(start + i * 6_000).toISOString();
    const predictionId = `${String(start + i).padStart(16, '0')}-${seed}`;
    const pair: FeedbackPair = {
      prediction: { predictionId, emailId: `e${seed}-${email}`, modelId: model, createdAt, labels: predicted, confidences, abstained, queue: predicted.queue, latencyMs: 3 },
    };
    if (random() < 0.3) {
      const truth = Object.fromEntries(tasks.map((t) => [t.name, random() < 0.8 ? predicted[t.name] : pick(served.find((s) => s.name === t.name)?.labels ?? t.labels)]));
      pair.feedback = { emailId: pair.prediction.emailId, predictionId: random() < 0.5 ? predictionId : undefined, labels: truth, closedAt: createdAt, receivedAt: createdAt };
    }
    out.push(pair);
  }
  return out;
}

const since = Date.parse('2026-11-01T00:00:00Z');
const current = pairs(size, since, 1);
const previous = pairs(size, since - size * 6_000, 2);
const window = { since: new Date(since).toISOString(), until: new Date(since + size * 6_000).toISOString() };
// The scorer the server uses (serving's evaluationScorer, not exported).
const scorer: TaskScorer = (truth, predicted) => {
  const m = computeTaskMetrics(truth, predicted);
  return { accuracy: m.accuracy, macroF1: m.macro.f1 };
};

const input = { pairs: current, previous, taxonomies, tasks: served, window, scorer };

computeLiveQuality(input);
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  computeLiveQuality(input);
  times.push(performance.now() - t0);
}
// As the route computes it: the longest stretch between two turns of the event loop is what a request waits.
const blocks: number[] = [];
const turns: number[] = [];
for (let i = 0; i < runs; i++) {
  let longest = 0;
  let count = 0;
  let last = performance.now();
  await computeLiveQualityInTurns(input, async () => {
    longest = Math.max(longest, performance.now() - last);
    count++;
    await new Promise((resolve) => setImmediate(resolve));
    last = performance.now();
  });
  blocks.push(Math.max(longest, performance.now() - last));
  turns.push(count);
}
const fmt = (ms: number) => ms.toFixed(0);
console.log(`computeLiveQuality, ${size} predictions (+ ${size} previous): median ${fmt(median(times))} ms over ${runs} runs (${times.map(fmt).join(', ')})`);
console.log(`computeLiveQualityInTurns: longest block between turns median ${fmt(median(blocks))} ms (${blocks.map(fmt).join(', ')}), ${turns[0]} turns`);
