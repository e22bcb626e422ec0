import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { classifierTasks, type ModelRegistry } from '@mailroute/model';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createFakeClassifier } from '../test-support/fake-classifier.js';
import { writeFixtureModel } from '../test-support/fixture-model.js';
import { createSqliteStore } from '../store/sqlite-store.js';
import { authed, buildTestApp, json, jsonRequest, testAppBuilder } from '../test-support/harness.js';
import { at, classify, closedAt, P_O, P_OTHER } from '../test-support/route-helpers.js';

const build = testAppBuilder();

describe('POST /v1/feedback', () => {
  it('takes a label under an old name the training config renamed, and stores it as sent (scoring maps it)', async () => {
    const classifier = createFakeClassifier();
    const aliased = { ...classifier, tasks: classifier.tasks.map((t) => (t.name === 'queue' ? { ...t, aliases: { rechnung: 'payments', payments: 'billing' } } : t)) };
    const { app, context } = await build({ classifier: aliased });
    expect((await app.request('/v1/classify', jsonRequest({ emails: [{ id: 'old-name', body: 'invoice' }] }))).status).toBe(200);
    const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'old-name', labels: { queue: 'rechnung', topic: 'invoice' }, closedAt }));
    expect(res.status).toBe(202);
    expect((await json(res)).readAs).toEqual({ queue: `"rechnung" is read as "billing": the training config of the model now serving renames or merges it` });
    const [pair] = await context.store.listPairs({ since: '2000-01-01T00:00:00Z' });
    expect(pair.feedback?.labels).toEqual({ queue: 'rechnung', topic: 'invoice' });
    const quality = await json(app.request('/v1/quality?hours=1', authed()));
    expect(quality.tasks.queue).toMatchObject({ withFeedback: 1, unmappable: 0 });
    const unknown = await app.request('/v1/feedback', jsonRequest({ emailId: 'old-name', labels: { queue: 'lottery' }, closedAt }));
    expect(unknown.status).toBe(422);
  });

  it('takes a label training merged into other for being rare as other: says so, stores it as sent, scores it against other', async () => {
    const fake = createFakeClassifier();
    // The tasks as a manifest that records `inheritance` among the topic labels merged into other makes them.
    const tasks = classifierTasks({ tasks: fake.tasks.map((t) => (t.name === 'topic' ? { ...t, mergedIntoOther: ['inheritance'] } : t)) });
    const classifier = Object.assign(fake, { tasks });
    const { app, context } = await build({ classifier });
    // The fake model says other for the first, invoice for the second.
    const [p] = await classify(app, [{ id: 'inh1', body: 'estate of my late father' }, { id: 'inh2', body: 'invoice for the estate' }]);
    const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'inh1', labels: { queue: 'general', topic: 'inheritance' }, closedAt }));
    expect(res.status).toBe(202);
    expect(await json(res)).toEqual({
      emailId: 'inh1',
      predictionId: p.predictionId,
      status: 'recorded',
      matched: true,
      readAs: { topic: '"inheritance" is read as "other": the model now serving had too few examples of it when trained (under the task\'s minCount), so training merged it into other' },
      recordedTasks: ['queue', 'topic'],
    });
    const pairs = await context.store.listPairs({ since: '2000-01-01T00:00:00Z' });
    expect(pairs.find((pair) => pair.prediction.emailId === 'inh1')?.feedback?.labels).toEqual({ queue: 'general', topic: 'inheritance' });
    expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'inh2', labels: { topic: 'inheritance' }, closedAt }))).status).toBe(202);
    // Scored against other: right for the prediction other, wrong for invoice.
    const quality = await json(app.request('/v1/quality?hours=1', authed()));
    expect(quality.tasks.topic).toMatchObject({ withFeedback: 2, unmappable: 0 });
    expect(quality.tasks.topic.accuracy).toBeCloseTo(0.5, 9);
    // A misspelt one is named as the label probably meant, and as merged.
    const typo = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'inh1', labels: { topic: 'inheritence' }, closedAt })));
    expect(typo.detail).toBe('Label "inheritence" is not in the taxonomy of task "topic" (did you mean inheritance, merged into other in training?).');
  });

  it('takes a label of the taxonomy the model has no output for (a queue its config names that no training row carried, a topic dropped as rare): stores it, and /v1/quality scores it as a miss', async () => {
    const fake = createFakeClassifier();
    // As the manifest of a model trained with `crypto` among the queue labels of its config (the data had none of it), and
    // `inheritance` dropped as rare (rare: "drop"): the model has no output for either.
    const trainingConfig = { tasks: [{ name: 'queue', labels: ['billing', 'technical', 'general', 'crypto'] }] };
    const tasks = classifierTasks({ tasks: fake.tasks.map((t) => (t.name === 'topic' ? { ...t, droppedAsRare: ['inheritance'] } : t)), trainingConfig });
    const classifier = Object.assign(fake, { tasks });
    const { app, context } = await build({ classifier });
    const [p] = await classify(app, [{ id: 'btc', body: 'invoice for my bitcoin wallet' }]);
    const res = await app.request('/v1/feedback', jsonRequest({ predictionId: p.predictionId, labels: { queue: 'crypto', topic: 'inheritance' }, closedAt }));
    expect(res.status).toBe(202);
    expect(await json(res)).toMatchObject({ status: 'recorded', recordedTasks: ['queue', 'topic'] });
    const [pair] = await context.store.listPairs({ since: '2000-01-01T00:00:00Z' });
    expect(pair.feedback?.labels).toEqual({ queue: 'crypto', topic: 'inheritance' });
    // Scored, not unmappable: a true class the model never predicts, so a miss.
    const quality = await json(app.request('/v1/quality?hours=1', authed()));
    expect(quality.tasks.queue).toMatchObject({ withFeedback: 1, unmappable: 0, accuracy: 0 });
    expect(quality.tasks.topic).toMatchObject({ withFeedback: 1, unmappable: 0, accuracy: 0 });
    // A typo of one is named, and the valid labels list them.
    const typo = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'btc', labels: { queue: 'krypto' }, closedAt })));
    expect(typo).toMatchObject({ detail: 'Label "krypto" is not in the taxonomy of task "queue" (did you mean crypto?).', validLabels: { queue: ['billing', 'technical', 'general', 'crypto'] } });
  });

  it('takes a label with blanks around it (a CRM field, as a CSV cell training trims) as the label, and stores it trimmed', async () => {
    const { app, context } = await build();
    await classify(app, [{ id: 'ws', body: 'invoice please' }]);
    const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'ws', labels: { queue: ' billing ', topic: 'invoice\t' }, closedAt }));
    expect(res.status).toBe(202);
    const [pair] = await context.store.listPairs({ since: '2000-01-01T00:00:00Z' });
    expect(pair.feedback?.labels).toEqual({ queue: 'billing', topic: 'invoice' });
    // Blanks alone are no label: refused as an empty one is.
    expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'ws', labels: { queue: '  ' }, closedAt }))).status).toBe(400);
  });

  it('takes a label written decomposed (NFD, as some CRMs export ü) as the composed label, and stores it composed', async () => {
    const classifier = createFakeClassifier();
    const umlaut = { ...classifier, tasks: classifier.tasks.map((t) => (t.name === 'queue' ? { ...t, labels: [...t.labels, 'Depot\u00fcbertrag'] } : t)) };
    const { app, context } = await build({ classifier: umlaut });
    await classify(app, [{ id: 'nfd', body: 'Depot bitte übertragen' }]);
    const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'nfd', labels: { queue: 'Depotu\u0308bertrag' }, closedAt }));
    expect(res.status).toBe(202);
    const [pair] = await context.store.listPairs({ since: '2000-01-01T00:00:00Z' });
    expect(pair.feedback?.labels.queue).toBe('Depot\u00fcbertrag');
  });

  it('takes a label with or without its emoji variation selector (U+FE0F, U+FE0E) as the model\'s one label, and stores it without', async () => {
    const classifier = createFakeClassifier();
    const emoji = { ...classifier, tasks: classifier.tasks.map((t) => (t.name === 'queue' ? { ...t, labels: [...t.labels, '\u26a0 urgent'] } : t)) };
    const { app, context } = await build({ classifier: emoji });
    await classify(app, [{ id: 'vs', body: 'Dringend: Konto gesperrt' }]);
    for (const label of ['\u26a0\ufe0f urgent', '\u26a0\ufe0e urgent']) {
      expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'vs', labels: { queue: label }, closedAt }))).status).toBe(202);
    }
    const [pair] = await context.store.listPairs({ since: '2000-01-01T00:00:00Z' });
    expect(pair.feedback?.labels.queue).toBe('\u26a0 urgent');
    // A selector alone is no label: refused as an empty one is.
    expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'vs', labels: { queue: '\ufe0f' }, closedAt }))).status).toBe(400);
  });

  it("names an old label the training config renamed or merged as the one probably meant (a CRM sending its old names mistypes those too)", async () => {
    const classifier = createFakeClassifier();
    const aliased = { ...classifier, tasks: classifier.tasks.map((t) => (t.name === 'queue' ? { ...t, aliases: { rechnung: 'payments', payments: 'billing', kyc: 'technical' } } : t)) };
    const { app } = await build({ classifier: aliased });
    const detail = async (label: string) => {
      const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'm', labels: { queue: label }, closedAt }));
      expect(res.status).toBe(422);
      return (await json(res)).detail as string;
    };
    expect(await detail('KYC')).toBe('Label "KYC" is not in the taxonomy of task "queue" (did you mean kyc, an old name of technical?).');
    expect(await detail('Rechnungen')).toContain('(did you mean rechnung, an old name of billing?)');
    // A current label stays the guess where it is as close.
    expect(await detail('Billing')).toContain('(did you mean billing?)');
  });

  it('422 with the valid labels for a label outside the taxonomy', async () => {
    const { app } = await build();
    const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'm', labels: { queue: 'lottery' }, closedAt }));
    expect(res.status).toBe(422);
    const problem = await json(res);
    expect(problem.code).toBe('LABEL_NOT_IN_TAXONOMY');
    expect(problem.validLabels).toEqual({ queue: ['billing', 'technical', 'general'] });
    // A task the model does not have, whose name is near none of its tasks' (one a later model adds): nothing else to record, 422.
    const task = await app.request('/v1/feedback', jsonRequest({ emailId: 'm', labels: { mood: 'happy' }, closedAt }));
    expect(task.status).toBe(422);
    expect(await json(task)).toMatchObject({ detail: `Nothing to record: "mood": not one of the model's tasks (queue, topic).`, validLabels: { queue: expect.any(Array), topic: expect.any(Array) } });
    // Beside a task it has, it is left out and named, and the other label is recorded (a CRM sending a task the
    // model lacks, before the model that has it serves or after a rollback, loses no label).
    const beside = await app.request('/v1/feedback', jsonRequest({ emailId: 'm', labels: { queue: 'billing', urgency: 'high' }, closedAt }));
    expect(beside.status).toBe(202);
    expect(await json(beside)).toMatchObject({ recordedTasks: ['queue'], ignored: { urgency: "not one of the model's tasks (queue, topic)" } });
    // Names of Object's own members are tasks like any other unknown one, not a crash.
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
      const own = await app.request('/v1/feedback', jsonRequest({ emailId: 'm', labels: { queue: 'billing', [name]: 'x' }, closedAt }));
      expect(own.status).toBe(202);
      expect(Object.entries((await json(own)).ignored)).toEqual([[name, "not one of the model's tasks (queue, topic)"]]);
    }
  });

  it('refuses more than 64 task labels before judging any (400 naming the limit), and names at most five ignored tasks in a detail', async () => {
    const { app } = await build();
    const tasks = (n: number, label: unknown) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`task${i}`, label]));
    // 60,000 of them (a 1 MB body) took seconds and were each named back, in a 4 MB answer; of the wrong type, an issue apiece.
    for (const label of ['x', 5]) {
      const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'm', labels: tasks(10_000, label), closedAt }));
      expect(res.status).toBe(400);
      const text = await res.text();
      expect(text.length).toBeLessThan(2_000);
      const problem = JSON.parse(text);
      expect(problem.detail).toContain('at most 64 task labels per feedback, not 10000');
      expect(problem.issues).toEqual([expect.objectContaining({ path: ['labels'], code: 'too_big' })]);
    }
    expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'm', labels: tasks(65, 'x'), closedAt }))).status).toBe(400);
    // 64 unknown tasks: nothing to record, the first five named and the rest counted.
    const ignored = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'm', labels: tasks(64, 'x'), closedAt })));
    expect(ignored.status).toBe(422);
    expect(ignored.detail).toMatch(/^Nothing to record: "task0": not one of the model's tasks \(queue, topic\); .*"task4": [^;]* and 59 more\.$/);
    expect(ignored.detail).not.toContain('"task5"');
  });

  it('names the task or label probably meant, and the valid task names, for one outside the taxonomy', async () => {
    const { app } = await build();
    const task = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'm', labels: { queu: 'billing' }, closedAt })));
    expect(task).toMatchObject({ status: 422, code: 'LABEL_NOT_IN_TAXONOMY', detail: `Task "queu" is not one of the model's tasks (did you mean queue?); its tasks are queue, topic.` });
    const label = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'm', labels: { queue: 'biling' }, closedAt })));
    expect(label.detail).toBe('Label "biling" is not in the taxonomy of task "queue" (did you mean billing?).');
    const long = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'm', labels: { ['q'.repeat(5000)]: 'billing' }, closedAt })));
    expect(long.detail).toBe(`Nothing to record: "${'q'.repeat(80)}…": not one of the model's tasks (queue, topic).`);
  });

  it('names a longer label whose start a label mistypes (many labels, as a 77-intent model has), and none that several start alike', async () => {
    const fake = createFakeClassifier();
    const more = ['transfer_not_received_by_recipient', 'transfer_timing', 'transfer_fee_charged', 'card_payment_fee_charged', 'card_payment_not_recognised'];
    const classifier = Object.assign(fake, { tasks: fake.tasks.map((t) => (t.name === 'queue' ? { ...t, labels: [...t.labels, ...more] } : t)) });
    const { app } = await build({ classifier });
    const typo = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'm', labels: { queue: 'transfer_not_recieved' }, closedAt })));
    expect(typo).toMatchObject({ status: 422, detail: 'Label "transfer_not_recieved" is not in the taxonomy of task "queue" (did you mean transfer_not_received_by_recipient?).' });
    expect(typo.validLabels.queue).toEqual(expect.arrayContaining(more));
    // The start of two labels alike, and a label far from any: no guess.
    expect((await json(app.request('/v1/feedback', jsonRequest({ emailId: 'm', labels: { queue: 'card_payment' }, closedAt })))).detail).toBe('Label "card_payment" is not in the taxonomy of task "queue".');
    expect((await json(app.request('/v1/feedback', jsonRequest({ emailId: 'm', labels: { queue: 'mortgage_question' }, closedAt })))).detail).toBe('Label "mortgage_question" is not in the taxonomy of task "queue".');
  });

  it('leaves out a retired label and records the others; 422 when every label is retired', async () => {
    const fake = createFakeClassifier();
    const classifier = Object.assign(fake, { tasks: fake.tasks.map((t) => (t.name === 'topic' ? { ...t, retired: ['paper_statements'] } : t)) });
    const { app, context } = await build({ classifier });
    await classify(app, [{ id: 'r1', body: 'invoice please' }]);
    const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'r1', labels: { queue: 'billing', topic: 'paper_statements' }, closedAt }));
    expect(res.status).toBe(202);
    expect(await json(res)).toMatchObject({ status: 'recorded', ignored: { topic: '"paper_statements" is a retired label' } });
    const [pair] = await context.store.listPairs({ since: '2000-01-01T00:00:00Z' });
    expect(pair.feedback?.labels).toEqual({ queue: 'billing' });
    const only = await app.request('/v1/feedback', jsonRequest({ emailId: 'r1', labels: { topic: 'paper_statements' }, closedAt }));
    expect(only.status).toBe(422);
    expect((await json(only)).detail).toMatch(/^Nothing to record: "topic": "paper_statements" is a retired label/);
  });

  it('a later correction to a retired label clears the earlier confirmed label of its task, 202 with a warning; an older one clears nothing; none to clear, 422', async () => {
    const fake = createFakeClassifier();
    const classifier = Object.assign(fake, { tasks: fake.tasks.map((t) => (t.name === 'topic' ? { ...t, retired: ['paper_statements'] } : t)) });
    const { app, context } = await build({ classifier });
    const [p] = await classify(app, [{ id: 'ret-1', body: 'invoice please' }, { id: 'ret-2', body: 'invoice please' }]);
    const send = (emailId: string, labels: Record<string, string>, when: string) => app.request('/v1/feedback', jsonRequest({ emailId, labels, closedAt: when }));
    const [t10, t20, t30, t40] = [at(10), at(20), at(30), at(40)];
    const topics = async () => Object.fromEntries((await context.store.listPairs({ since: '2000-01-01T00:00:00Z' })).map((pair) => [pair.prediction.emailId, pair.feedback?.labels]));
    expect((await send('ret-1', { queue: 'billing', topic: 'invoice' }, t30)).status).toBe(202);
    // Out of order: a correction that closed before the stored one clears nothing.
    const older = await send('ret-1', { topic: 'paper_statements' }, t40);
    expect(older.status).toBe(202);
    expect(await json(older)).toMatchObject({ status: 'superseded', recordedTasks: [], ignored: { topic: '"paper_statements" is a retired label' } });
    expect((await topics())['ret-1']).toEqual({ queue: 'billing', topic: 'invoice' });
    const cleared =
      'The earlier confirmed label of task "topic" was cleared: this correction names "paper_statements", a retired label, which is not recorded, so the task is unconfirmed for this email now (the feedback export leaves it blank, so training masks it, and /v1/quality does not count it).';
    const later = await send('ret-1', { topic: 'paper_statements' }, t20);
    expect(later.status).toBe(202);
    expect(await json(later)).toEqual({
      emailId: 'ret-1',
      predictionId: p.predictionId,
      status: 'recorded',
      matched: true,
      warnings: [cleared],
      warning: cleared,
      ignored: { topic: '"paper_statements" is a retired label' },
      recordedTasks: [],
    });
    expect((await topics())['ret-1']).toEqual({ queue: 'billing' });
    // The feedback it cleared, delivered again late, does not bring the label back.
    expect(await json(send('ret-1', { queue: 'billing', topic: 'invoice' }, t30))).toMatchObject({ status: 'superseded' });
    // Beside a current label: that one recorded, the retired one's task cleared all the same.
    expect((await send('ret-2', { queue: 'general', topic: 'login' }, t30)).status).toBe(202);
    const both = await send('ret-2', { queue: 'billing', topic: 'paper_statements' }, t20);
    expect(await json(both)).toMatchObject({ status: 'recorded', warnings: [cleared], recordedTasks: ['queue'] });
    expect(await topics()).toEqual({ 'ret-1': { queue: 'billing' }, 'ret-2': { queue: 'billing' } });
    // Quality no longer counts the cleared topics.
    const quality = await json(app.request('/v1/quality?hours=1', authed()));
    expect(quality.tasks.queue).toMatchObject({ withFeedback: 2 });
    expect(quality.tasks.topic).toMatchObject({ withFeedback: 0 });
    // Nothing left to clear and nothing else to record: 422 as before, and nothing written.
    const again = await send('ret-1', { topic: 'paper_statements' }, t10);
    expect(again.status).toBe(422);
    expect((await json(again)).detail).toBe('Nothing to record: "topic": "paper_statements" is a retired label.');
    expect((await context.store.listPairs({ since: '2000-01-01T00:00:00Z' })).find((pair) => pair.prediction.emailId === 'ret-1')?.feedback?.closedAt).toBe(t20);
  });

  it('checks a label the served model lacks against the model that made the prediction (after a swap or a rollback)', async () => {
    // The prediction came from another registered model whose queue taxonomy has `kyc`, which the served one lacks.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-feedback-model-'));
    await writeFixtureModel(dir, 'other-model');
    const registry = { artifactDir: async () => dir } as unknown as ModelRegistry;
    const { app, context } = await build({ registry });
    const createdAt = new Date(Date.now() - 60_000).toISOString();
    await context.store.savePredictions([{ predictionId: P_OTHER, emailId: 'e-other', modelId: 'other-model', createdAt, labels: { queue: 'kyc' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'kyc', latencyMs: 1 }]);
    const res = await app.request('/v1/feedback', jsonRequest({ predictionId: P_OTHER, labels: { queue: 'kyc' }, closedAt }));
    expect(res.status).toBe(202);
    // The served model's own emails are still checked against its own labels.
    const [mine] = await classify(app, [{ id: 'e-mine', body: 'invoice' }]);
    expect((await app.request('/v1/feedback', jsonRequest({ predictionId: mine.predictionId, labels: { queue: 'kyc' }, closedAt }))).status).toBe(422);
    // Without a registry to ask, as before: 422.
    const bare = await build();
    await bare.context.store.savePredictions([{ predictionId: P_OTHER, emailId: 'e-other', modelId: 'other-model', createdAt, labels: { queue: 'kyc' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'kyc', latencyMs: 1 }]);
    expect((await bare.app.request('/v1/feedback', jsonRequest({ predictionId: P_OTHER, labels: { queue: 'kyc' }, closedAt }))).status).toBe(422);
  });

  it("asks again for another model's tasks after a failed read (a throttled registry is not remembered)", async () => {
    let calls = 0;
    const modelTasks = async () => {
      calls += 1;
      if (calls === 1) throw new Error('SlowDown');
      return [{ name: 'queue', labels: ['kyc'] }];
    };
    const { app, context } = await build({ modelTasks });
    const createdAt = new Date(Date.now() - 60_000).toISOString();
    await context.store.savePredictions([{ predictionId: P_O, emailId: 'e-o', modelId: 'other-model', createdAt, labels: { queue: 'kyc' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'kyc', latencyMs: 1 }]);
    const post = () => app.request('/v1/feedback', jsonRequest({ predictionId: P_O, labels: { queue: 'kyc' }, closedAt }));
    expect((await post()).status).toBe(422);
    expect((await post()).status).toBe(202);
    expect((await post()).status).toBe(202);
    expect(calls).toBe(2);
  });

  it('says which model reads a label under another name: the one now serving, or the one that made the prediction', async () => {
    const modelTasks = async () => [{ name: 'queue', labels: ['kyc'], aliases: { 'know-your-customer': 'kyc' } }];
    const { app, context } = await build({ modelTasks });
    const createdAt = new Date(Date.now() - 60_000).toISOString();
    await context.store.savePredictions([{ predictionId: P_O, emailId: 'e-o', modelId: 'other-model', createdAt, labels: { queue: 'kyc' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'kyc', latencyMs: 1 }]);
    const res = await app.request('/v1/feedback', jsonRequest({ predictionId: P_O, labels: { queue: 'know-your-customer' }, closedAt }));
    expect(res.status).toBe(202);
    expect((await json(res)).readAs).toEqual({ queue: '"know-your-customer" is read as "kyc": the training config of the model that made the prediction renames or merges it' });
  });

  it.each(['REGISTRY_NOT_FOUND', 'REGISTRY_PRUNED'])("asks the registry once for a model whose artifact it does not hold (deleted, pruned): %s is remembered", async (code) => {
    let calls = 0;
    const modelTasks = async () => {
      calls += 1;
      throw Object.assign(new Error('no such model'), { code });
    };
    const { app, context } = await build({ modelTasks });
    const createdAt = new Date(Date.now() - 60_000).toISOString();
    await context.store.savePredictions([{ predictionId: P_O, emailId: 'e-o', modelId: 'deleted-model', createdAt, labels: { queue: 'kyc' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'kyc', latencyMs: 1 }]);
    for (let i = 0; i < 3; i++) expect((await app.request('/v1/quality?model=all', authed())).status).toBe(200);
    expect(calls).toBe(1);
  });

  it('records feedback for an email with no stored prediction, and says it matched none (matched: false, a warning)', async () => {
    const { app, context } = await build();
    await classify(app, [{ id: 'known', body: 'invoice' }]);
    const known = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'known', labels: { queue: 'billing' }, closedAt })));
    expect(known).toMatchObject({ status: 'recorded', matched: true });
    expect(known.warning).toBeUndefined();
    const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'unknwn', labels: { queue: 'billing' }, closedAt }));
    expect(res.status).toBe(202);
    const body = await json(res);
    expect(body).toMatchObject({ emailId: 'unknwn', status: 'recorded', matched: false });
    expect(body.warning).toContain('No prediction of email "unknwn"');
    // Still stored: a prediction of that email saved later joins it.
    await classify(app, [{ id: 'unknwn', body: 'invoice' }]);
    const pairs = await context.store.listPairs({ since: '2000-01-01T00:00:00Z' });
    expect(pairs.find((p) => p.prediction.emailId === 'unknwn')?.feedback?.labels).toEqual({ queue: 'billing' });
  });

  it('says, of a feedback that matched no prediction, that its prediction may be one this server failed to store, when it failed to store some', async () => {
    const { app, context } = await build();
    const unmatched = async (emailId: string) => (await json(app.request('/v1/feedback', jsonRequest({ emailId, labels: { queue: 'billing' }, closedAt })))).warning as string;
    // None lost: only the emailId to check.
    expect(await unmatched('none-lost')).toMatch(/\(check the emailId if one should be\)\.$/);
    // Queued predictions that failed to commit after their answer (a full disk), as the server counts them.
    context.metrics.storeWriteFailures.inc({}, 3);
    expect(await unmatched('some-lost')).toMatch(
      /\(check the emailId if one should be; or its prediction was not stored: since it started, this server answered 3 predictions it then failed to store \(its disk full, read-only or failing: prediction_write_failed in its log, mailroute_store_write_failures_total\)\)\.$/,
    );
  });

  it('merges a later feedback per task (a queue-only correction keeps the confirmed topic in /v1/quality), ignores an older one, and commits each before its 202', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-feedback-merge-'));
    const file = path.join(dir, 'mailroute.db');
    // A file store: its writes go through the writer thread, as `mailroute serve` runs it.
    const serving = await buildTestApp({ store: createSqliteStore({ file, retentionDays: 0 }) });
    onTestFinished(async () => {
      await serving.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const { app } = serving;
    await classify(app, [{ id: 'qa-1', body: 'invoice please' }]); // predicted billing / invoice
    const [t1, t0, t2] = [at(30), at(25), at(20)];
    const post = async (labels: Record<string, string>, closed: string) => {
      const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'qa-1', labels, closedAt: closed }));
      expect(res.status).toBe(202);
      // Committed before the 202: another connection to the file reads it now.
      const other = new Database(file, { readonly: true });
      const row = other.prepare('SELECT labels, closed_at FROM feedback WHERE email_id = ?').get('qa-1') as { labels: string; closed_at: string };
      other.close();
      return { body: await json(res), stored: { labels: JSON.parse(row.labels) as Record<string, string>, closedAt: row.closed_at } };
    };
    const quality = async () => (await json(app.request('/v1/quality?hours=1', authed()))).tasks;

    const first = await post({ queue: 'billing', topic: 'invoice' }, t1);
    expect(first.body).toMatchObject({ status: 'recorded', recordedTasks: ['queue', 'topic'] });
    expect((await quality()).topic).toMatchObject({ withFeedback: 1, accuracy: 1 });

    // The CRM corrects the queue alone, later: the topic confirmed before stays.
    const correction = await post({ queue: 'technical' }, t2);
    expect(correction.body).toMatchObject({ status: 'recorded', recordedTasks: ['queue'] });
    expect(correction.stored).toEqual({ labels: { queue: 'technical', topic: 'invoice' }, closedAt: t2 });
    const corrected = await quality();
    expect(corrected.queue).toMatchObject({ withFeedback: 1, accuracy: 0 });
    expect(corrected.topic).toMatchObject({ withFeedback: 1, accuracy: 1 });

    // A partial feedback that closed earlier, delivered late: superseded, no task changed.
    const stale = await post({ topic: 'login' }, t0);
    expect(stale.body).toMatchObject({ status: 'superseded', recordedTasks: [] });
    expect(stale.stored).toEqual(correction.stored);
    expect(await quality()).toEqual(corrected);
  });

  it('404 for an unknown prediction id, 400 for one that is no UUID (with the path) and without any id', async () => {
    const { app } = await build();
    const unknown = await app.request('/v1/feedback', jsonRequest({ predictionId: '0193a1f0-0000-7000-8000-000000000000', labels: { queue: 'billing' }, closedAt }));
    expect(unknown.status).toBe(404);
    // Says what to send instead: the id /v1/classify answered, or the emailId alone.
    expect((await json(unknown)).detail).toBe(
      "No prediction has predictionId 0193a1f0-0000-7000-8000-000000000000 here (an old one may have been deleted by the server's retention, and one answered while its store failed, a full, read-only or failing disk, was never stored): send the predictionId /v1/classify answered for the email, or send only its emailId, which is recorded even before a prediction of it is stored.",
    );
    const classified = await json(app.request('/v1/classify', jsonRequest({ emails: [{ id: 'crm-1', subject: 'invoice' }] })));
    const predictionId = classified.predictions[0].predictionId as string;
    const mismatch = await json(app.request('/v1/feedback', jsonRequest({ predictionId, emailId: 'crm-2', labels: { queue: 'billing' }, closedAt })));
    expect(mismatch.detail).toBe(`emailId "crm-2" is not the email prediction ${predictionId} was made for: send the predictionId /v1/classify answered for this email, or only one of the two.`);
    const malformed = await app.request('/v1/feedback', jsonRequest({ predictionId: 'nope', labels: { queue: 'billing' }, closedAt }));
    expect(malformed.status).toBe(400);
    const problem = await json(malformed);
    expect(problem.code).toBe('REQUEST_INVALID');
    expect(problem.issues[0]).toMatchObject({ path: ['predictionId'], message: expect.stringContaining('a predictionId is a UUID') });
    const noId = await app.request('/v1/feedback', jsonRequest({ labels: { queue: 'billing' }, closedAt }));
    expect(noId.status).toBe(400);
    expect((await json(noId)).issues[0].path).toEqual(['predictionId']);
  });
});
