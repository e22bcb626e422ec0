import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { computeTaskMetrics, EvaluationReportSchema, type PredictionLine } from '@mailroute/evaluation';
import { classifierTasks, createLocalRegistry, currentLabel, readManifest } from '@mailroute/model';
import { createLocalServing, createSqliteStore, DB_FILE, type ConfirmedCase } from '@mailroute/serving';
import { generateDemoRows } from '@mailroute/training';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoChampionFolder, runCli } from '../test-support.js';
import { caseLine, closedMonth, lineNames, linesOf, newTally } from './feedback-predictions.js';

const folder = demoChampionFolder('mailroute-cli-live-', 10);

interface Classified {
  predictions: { id: string; predictionId: string; tasks: Record<string, { label: string }> }[];
}

/**
 * The demo champion served in process: 60 demo emails classified, 45 of them confirmed with their true labels (the
 * topic of every third left out), and an out-of-office reply confirmed as well (which the lines leave out).
 */
async function servedAndConfirmed(): Promise<{ truth: Map<string, Record<string, string>>; banks: Map<string, string> }> {
  const rows = generateDemoRows({ rows: 60, seed: 5 });
  // With --store-text the store keeps the email's bank too: a slice of the report.
  const serving = await createLocalServing({ home: folder.home, pollSeconds: 0, storeText: true });
  const truth = new Map<string, Record<string, string>>();
  const banks = new Map(rows.map((r) => [r.id, r.bank]));
  try {
    const outOfOffice = { id: 'ooo-1', subject: 'Automatische Antwort: Ihre Depotübertragung', body: 'Ich bin bis zum 14.12. nicht im Büro.' };
    const emails = [...rows.map((r) => ({ id: r.id, subject: r.subject, body: r.body, bank: r.bank })), outOfOffice];
    const response = await serving.app.request('/v1/classify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ emails }) });
    expect(response.status).toBe(200);
    const classified = (await response.json()) as Classified;
    for (const [i, r] of rows.slice(0, 45).entries()) {
      // The demo data leaves a label blank now and then (a task the CRM did not fill in): not confirmed then either.
      const given = { business_area: r.business_area, queue: r.queue, ...(i % 3 === 0 ? {} : { topic: r.topic }) };
      const labels = Object.fromEntries(Object.entries(given).filter(([, label]) => label !== ''));
      truth.set(r.id, labels);
      const feedback = { predictionId: classified.predictions[i].predictionId, labels, closedAt: new Date(Date.now() - 60_000).toISOString() };
      const answer = await serving.app.request('/v1/feedback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(feedback) });
      expect(answer.status, await answer.clone().text()).toBe(202);
    }
    const automated = classified.predictions.at(-1);
    expect(automated?.id).toBe('ooo-1');
    const closed = { predictionId: automated?.predictionId, labels: { queue: rows[0].queue }, closedAt: new Date(Date.now() - 60_000).toISOString() };
    expect((await serving.app.request('/v1/feedback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(closed) })).status).toBe(202);
  } finally {
    await serving.close();
  }
  return { truth, banks };
}

/** A copy of the folder's home (the champion, its served and confirmed cases) in a folder of its own, to run mailroute in. */
function copyOfHome(name: string) {
  const dir = path.join(folder.dir, name);
  const home = path.join(dir, 'home');
  cpSync(folder.home, home, { recursive: true });
  return { dir, home, run: (argv: string[]) => runCli(argv, { env: { CI: 'true', MAILROUTE_HOME: home }, cwd: dir }) };
}

describe('mailroute feedback predictions', () => {
  // The cases every test below reads, served and confirmed once (after the file's champion is trained).
  let served: Awaited<ReturnType<typeof servedAndConfirmed>>;
  beforeAll(async () => {
    served = await servedAndConfirmed();
  }, 60_000);

  it('writes the confirmed cases as prediction lines that evaluate reports on, with the served labels and the confirmed truth', async () => {
    const { truth, banks } = served;
    const written = await folder.run(['feedback', 'predictions', '--out', 'live.jsonl']);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toBe('wrote 45 prediction lines of confirmed cases to live.jsonl; `mailroute evaluate --predictions live.jsonl --out <dir>` reports on them\n');
    expect(written.stderr).toBe('note: 1 of 46 confirmed cases are automated mail (auto-replies, bounces) and are left out, as /v1/quality leaves them\n');
    const lines = readFileSync(path.join(folder.dir, 'live.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PredictionLine);
    expect(lines).toHaveLength(45);
    const month = new Date(Date.now() - 60_000).toISOString().slice(0, 7);
    // The demo data holds labels of older exports (`kyc`, which the demo config renames `onboarding_kyc`): the truth is in the model's names.
    const tasks = classifierTasks(await readManifest(await createLocalRegistry({ home: folder.home }).artifactDir(folder.champion.id)));
    const named = (task: string, label: string | undefined) => (label === undefined ? null : currentLabel(tasks.find((t) => t.name === task) ?? { name: task, labels: [] }, label));
    expect([...truth.values()].some((labels) => labels.queue === 'kyc')).toBe(true);
    for (const line of lines) {
      expect(line.modelId).toBe(folder.champion.id);
      const confirmed = truth.get(line.id ?? '');
      expect(line.truth).toEqual({ business_area: named('business_area', confirmed?.business_area), queue: named('queue', confirmed?.queue), topic: named('topic', confirmed?.topic) });
      if (confirmed?.queue === 'kyc') expect(line.truth.queue).toBe('onboarding_kyc');
      // The bank as the CRM sent it (the demo data leaves it blank for some emails: no slice then).
      const bank = banks.get(line.id ?? '');
      expect(line.meta).toEqual({ closedMonth: month, ...(bank ? { bank } : {}) });
      expect(line.prediction.queue.confidence).toBeGreaterThan(0);
    }

    const report = await folder.run(['evaluate', '--predictions', 'live.jsonl', '--out', 'live-report', '--name', 'confirmed cases']);
    expect(report.code, report.stderr).toBe(0);
    for (const file of ['report.html', 'report.md', 'metrics.json']) expect(existsSync(path.join(folder.dir, 'live-report', file))).toBe(true);
    // The report's queue accuracy is the share of confirmed cases whose served queue was the confirmed one.
    const metrics = EvaluationReportSchema.parse(JSON.parse(readFileSync(path.join(folder.dir, 'live-report', 'metrics.json'), 'utf8')));
    const task = (name: string) => metrics.tasks.find((t) => t.task === name)?.metrics;
    const judged = lines.filter((l) => l.truth.queue !== null);
    const queue = computeTaskMetrics(judged.map((l) => l.truth.queue ?? ''), judged.map((l) => l.prediction.queue.label));
    expect(task('queue')?.accuracy).toBeCloseTo(queue.accuracy, 9);
    expect(task('topic')?.n).toBe([...truth.values()].filter((labels) => labels.topic !== undefined).length);
  }, 60_000);

  it('asks which model when the cases were judged on predictions of two, and keeps to the one named', async () => {
    // One more case, judged on a prediction of another model (kept in the same store, as after a change of champion),
    // in a copy of the home: the other tests see the champion's cases only.
    const two = copyOfHome('two-models');
    const store = createSqliteStore({ file: path.join(two.home, DB_FILE), writer: 'inline' });
    try {
      const at = new Date(Date.now() - 120_000).toISOString();
      await store.savePredictions([{ predictionId: 'p-old', emailId: 'e-old', modelId: 'ngram-bag-older', createdAt: at, labels: { queue: 'complaints' }, confidences: { queue: Number.NaN }, abstained: { queue: true }, queue: 'manual_triage', latencyMs: 1 }]);
      await store.saveFeedback({ emailId: 'e-old', predictionId: 'p-old', labels: { queue: 'complaints' }, closedAt: at, receivedAt: at });
      await store.saveFeedback({ emailId: 'e-none', labels: { queue: 'complaints' }, closedAt: at, receivedAt: at });
    } finally {
      await store.close();
    }
    const ambiguous = await two.run(['feedback', 'predictions', '--out', 'all.jsonl']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain(`judged on predictions of 2 models: ${folder.champion.id} (45), ngram-bag-older (1); pass --model <id>`);
    expect(existsSync(path.join(two.dir, 'all.jsonl'))).toBe(false);

    const older = await two.run(['feedback', 'predictions', '--out', 'older.jsonl', '--model', 'ngram-bag-older']);
    expect(older.code, older.stderr).toBe(0);
    expect(older.stdout).toMatch(/^wrote 1 prediction line of confirmed cases/);
    expect(older.stderr).toContain('note: 1 of 48 confirmed cases are left out: no prediction of the email is kept: it was never classified here (its feedback was answered matched: false');
    expect(older.stderr).toContain(`note: cases judged on other models' predictions are left out: ${folder.champion.id} (45)`);
    const [line] = readFileSync(path.join(two.dir, 'older.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PredictionLine);
    // A confidence that was no number (stored as null) is left out of the line; the abstention stays.
    expect(line.prediction.queue).toEqual({ label: 'complaints', abstained: true });

    const champion = await two.run(['feedback', 'predictions', '--out', 'champion.jsonl', '--model', 'champion']);
    expect(champion.stdout).toMatch(/^wrote 45 prediction lines/);
    // A mistyped id is refused, naming what it may have meant, rather than writing an empty file.
    const typo = await two.run(['feedback', 'predictions', '--out', 'typo.jsonl', '--model', 'ngram-bag-olde']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--model ngram-bag-olde: no such model in the registry, and no case of this window was judged on its predictions (did you mean ngram-bag-older?)');
    // A model directory whose manifest keeps no training config (a model made otherwise): times read as UTC, lines written.
    const bare = path.join(two.dir, 'bare-model');
    cpSync(await createLocalRegistry({ home: two.home }).artifactDir(folder.champion.id), bare, { recursive: true });
    const manifest = JSON.parse(readFileSync(path.join(bare, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    delete manifest.trainingConfig;
    writeFileSync(path.join(bare, 'manifest.json'), JSON.stringify(manifest));
    const fromDir = await two.run(['feedback', 'predictions', '--out', 'bare.jsonl', '--model', bare, '--since', '2000-01-01']);
    expect(fromDir.code, fromDir.stderr).toBe(0);
    expect(fromDir.stdout).toMatch(/^wrote 45 prediction lines/);
    expect((await two.run(['feedback', 'predictions', '--out', 'live.csv'])).stderr).toContain('prediction lines are JSONL: name the file .jsonl');
  }, 60_000);

  it("reads the window and each case's month in --time-zone (the server's), else MAILROUTE_TIME_ZONE when the model's config names none, and says so", async () => {
    // A case closed at midnight in Berlin on 1 December, which a Berlin server stores as 23:00 UTC on 30 November.
    const zoned = copyOfHome('zoned');
    const store = createSqliteStore({ file: path.join(zoned.home, DB_FILE), writer: 'inline' });
    try {
      const at = '2026-11-30T23:00:00.000Z';
      await store.savePredictions([{ predictionId: 'p-z', emailId: 'e-z', modelId: folder.champion.id, createdAt: at, labels: { queue: 'complaints' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'complaints', latencyMs: 1 }]);
      await store.saveFeedback({ emailId: 'e-z', predictionId: 'p-z', labels: { queue: 'complaints' }, closedAt: at, receivedAt: at });
    } finally {
      await store.close();
    }
    const window = ['--since', '2026-12-01', '--until', '2026-12-02'];
    const linesIn = (file: string) => readFileSync(path.join(zoned.dir, file), 'utf8').trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as PredictionLine);
    const berlin = await zoned.run(['feedback', 'predictions', '--out', 'berlin.jsonl', ...window, '--time-zone', 'Europe/Berlin']);
    expect(berlin.code, berlin.stderr).toBe(0);
    expect(berlin.stderr.split('\n')[0]).toBe('cases closed in [2026-11-30T23:00:00.000Z, 2026-12-01T23:00:00.000Z) (Europe/Berlin, from --time-zone)');
    expect(linesIn('berlin.jsonl').map((l) => [l.id, l.meta?.closedMonth])).toEqual([['e-z', '2026-12']]);
    // Read in UTC it was November: outside the window, said so.
    const utc = await zoned.run(['feedback', 'predictions', '--out', 'utc.jsonl', ...window]);
    expect(utc.stderr.split('\n')[0]).toBe('cases closed in [2026-12-01T00:00:00.000Z, 2026-12-02T00:00:00.000Z) (UTC, by default)');
    expect(linesIn('utc.jsonl')).toEqual([]);
    // Without a window, the months alone are read in the zone: said when it is not UTC by default.
    const run = (argv: string[], env: Record<string, string>) => runCli(argv, { env: { CI: 'true', MAILROUTE_HOME: zoned.home, ...env }, cwd: zoned.dir });
    const all = await run(['feedback', 'predictions', '--out', 'all.jsonl'], { MAILROUTE_TIME_ZONE: 'Europe/Berlin' });
    expect(all.code, all.stderr).toBe(0);
    expect(all.stderr.split('\n')[0]).toBe('cases closed at any time (Europe/Berlin, from MAILROUTE_TIME_ZONE)');
    expect(linesIn('all.jsonl').find((l) => l.id === 'e-z')?.meta?.closedMonth).toBe('2026-12');
  }, 60_000);

  it("writes both sides in the champion's names, as /v1/quality: a label the champion renamed counts for an older model's prediction", () => {
    const older = { id: 'm-old', tasks: [{ name: 'topic', labels: ['sparplan', 'depot'] }] };
    const champion = [{ name: 'topic', labels: ['savings_plan', 'depot', 'crypto'], aliases: { sparplan: 'savings_plan' } }];
    const tally = newTally();
    const names = lineNames(older, champion, tally);
    expect(names.predicted('topic', 'sparplan')).toBe('savings_plan');
    expect(names.truth('topic', 'savings_plan')).toBe('savings_plan');
    expect(names.truth('topic', 'sparplan')).toBe('savings_plan');
    // A label the older model has no name for and none of its labels became (added since): no truth, counted.
    expect(names.truth('topic', 'crypto')).toBeNull();
    expect([...tally.unnamed]).toEqual([['topic: crypto', 1]]);
    // Without a champion, the model's own names; with neither taxonomy, as stored.
    expect(lineNames(older, undefined, newTally()).truth('topic', 'savings_plan')).toBeNull();
    expect(lineNames({ id: 'm-gone' }, undefined, newTally()).truth('topic', 'anything')).toBe('anything');
  });

  it("gives a queue over the intent column the queue its confirmed intent maps to, as /v1/quality scores it", () => {
    const intent = { name: 'intent', labels: ['card_arrival', 'exchange_rate'], columnSharedWith: ['queue'] };
    const queue = { name: 'queue', labels: ['card_issues', 'other'], aliases: { card_arrival: 'card_issues' }, columnSharedWith: ['intent'] };
    const tally = newTally();
    const names = lineNames({ id: 'm-1', tasks: [intent, queue] }, undefined, tally);
    const predicted = { labels: { intent: 'card_arrival', queue: 'card_issues' }, confidences: {}, abstained: {} };
    const at = '2026-11-01T00:00:00.000Z';
    expect(caseLine({ emailId: 'e-1', labels: { intent: 'card_arrival' }, closedAt: at, modelId: 'm-1', predicted }, names).truth).toEqual({ intent: 'card_arrival', queue: 'card_issues' });
    // An intent the queue's names do not read: no queue truth, and not counted as a label without a name.
    expect(caseLine({ emailId: 'e-2', labels: { intent: 'exchange_rate' }, closedAt: at, modelId: 'm-1', predicted }, names).truth).toEqual({ intent: 'exchange_rate', queue: null });
    expect(tally.unnamed.size).toBe(0);
  });

  it('makes a line of a case: a task the person did not name is null in truth, the bank and month are slices', () => {
    const renamed = caseLine(
      { emailId: 'e-2', labels: { queue: 'kyc' }, closedAt: '2026-11-01T00:00:00.000Z', predicted: { labels: { queue: 'onboarding' }, confidences: { queue: 0.8 }, abstained: { queue: false } } },
      { truth: (_task, label) => (label === 'kyc' ? 'onboarding_kyc' : null), predicted: () => 'onboarding_kyc' },
    );
    expect(renamed.truth).toEqual({ queue: 'onboarding_kyc' });
    expect(renamed.prediction.queue.label).toBe('onboarding_kyc');
    const line = caseLine({
      emailId: 'e-1',
      labels: { queue: 'payments' },
      closedAt: '2026-11-30T23:30:00.000Z',
      modelId: 'm-1',
      bank: 'Comdirect',
      predicted: { labels: { queue: 'payments', topic: 'sparplan' }, confidences: { queue: 0.9, topic: 0.4 }, abstained: { queue: false, topic: true } },
    });
    expect(line).toEqual({
      id: 'e-1',
      modelId: 'm-1',
      truth: { queue: 'payments', topic: null },
      prediction: { queue: { label: 'payments', confidence: 0.9, abstained: false }, topic: { label: 'sparplan', confidence: 0.4, abstained: true } },
      meta: { closedMonth: '2026-11', bank: 'Comdirect' },
    });
  });

  it("puts a case in the month it closed in the zone --since and --until are read in (the training config's), else UTC", () => {
    // Closed 2026-11-01T00:30+01:00: in Berlin November, which --since 2026-11-01 reads as 2026-10-31T23:00Z; in UTC still October.
    const closedAt = '2026-10-31T23:30:00.000Z';
    expect(closedMonth(closedAt, 'Europe/Berlin')).toBe('2026-11');
    expect(closedMonth(closedAt)).toBe('2026-10');
    expect(closedMonth(closedAt, 'UTC')).toBe('2026-10');
    expect(closedMonth('2026-12-01T03:30:00.000Z', 'America/New_York')).toBe('2026-11');
    expect(closedMonth('2026-12-31T23:30:00.000Z', 'Europe/Berlin')).toBe('2027-01');
    const predicted = { labels: { queue: 'payments' }, confidences: { queue: 0.9 }, abstained: { queue: false } };
    const c: ConfirmedCase = { emailId: 'b1', labels: { queue: 'payments' }, closedAt, modelId: 'm-1', predicted };
    expect(caseLine({ ...c, predicted }, undefined, 'Europe/Berlin').meta).toEqual({ closedMonth: '2026-11' });
    const [line] = [...linesOf([c], 'm-1', lineNames(undefined, undefined, newTally()), newTally(), 'Europe/Berlin')];
    expect(line.meta).toEqual({ closedMonth: '2026-11' });
  });

  it('leaves out a case left with no truth (every confirmed label one the model has no name for), and counts it', () => {
    const model = { id: 'm-3', tasks: [{ name: 'queue', labels: ['payments', 'tax'] }] };
    const tally = newTally();
    const predicted = { labels: { queue: 'payments' }, confidences: { queue: 0.9 }, abstained: { queue: false } };
    const cases: ConfirmedCase[] = [
      { emailId: 'o1', labels: { urgency: 'high' }, closedAt: '2026-11-30T10:00:00.000Z', modelId: 'm-3', predicted },
      { emailId: 'o2', labels: { queue: 'tax', urgency: 'low' }, closedAt: '2026-11-30T10:00:00.000Z', modelId: 'm-3', predicted },
    ];
    const lines = [...linesOf(cases, 'm-3', lineNames(model, undefined, tally), tally)];
    expect(lines.map((l) => [l.id, l.truth])).toEqual([['o2', { queue: 'tax' }]]);
    expect(tally.noTruth).toBe(1);
  });
});
