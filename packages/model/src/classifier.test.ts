import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from './artifact.js';
import { Classifier, taskPrediction } from './classifier.js';
import { buckets, names, writeFixture } from './classifier-fixture.js';
import { ArtifactError } from './errors.js';
import { classifierTasks } from './task-labels.js';
import { encodeIdfTable } from './idf-file.js';
import { manifestJsonSchema, type Manifest } from './manifest.js';

describe('Classifier', () => {
  let root: string;
  let good: string;
  let classifier: Classifier;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-classifier-'));
    good = path.join(root, 'good');
    await writeFixture(good, 0);
    classifier = await Classifier.load(good);
  });
  afterAll(async () => {
    await classifier?.release();
    await rm(root, { recursive: true, force: true });
  });

  it('predicts every task with ordered top labels and routes to the queue label', async () => {
    const emails = [
      { id: 'a', subject: 'Sparplan ändern', body: 'Hallo, ich möchte meinen Sparplan ändern.', bank: 'Comdirect' },
      { id: 'b', body: '' },
    ];
    const predictions = await classifier.predict(emails);
    expect(predictions).toHaveLength(2);
    for (const [i, p] of predictions.entries()) {
      expect(p.id).toBe(emails[i].id);
      expect(p.modelId).toBe('ngram-bag-test');
      expect(Object.keys(p.tasks)).toEqual(['queue', 'topic']);
      expect(p.tasks.topic.top).toHaveLength(3);
      expect(p.tasks.topic.top[0].score).toBeGreaterThanOrEqual(p.tasks.topic.top[1].score);
      expect(p.tasks.queue.confidence).toBeCloseTo(p.tasks.queue.top[0].score, 6);
    }
    expect(predictions[0].route).toEqual({ queue: predictions[0].tasks.queue.label, reason: 'confident' });
    // The empty email still has its meta token (lang=und), so the bag is not empty; with no text, it goes to manual triage.
    expect(predictions[1].language).toBe('und');
    expect(predictions[1].route).toEqual({ queue: 'manual_triage', reason: 'low_confidence' });
  });

  it('gives uniform probabilities for an empty bag and keeps the input order', async () => {
    const { probs } = await classifier.predictPrepared([
      { text: 'kyc', meta: [] },
      { text: '', meta: [] },
      { text: 'a b c d e f g h i j k l m n o p', meta: ['bank=x'] },
    ]);
    expect(probs.queue).toHaveLength(6);
    expect(probs.queue[2]).toBeCloseTo(0.5, 6);
    expect(probs.topic[3]).toBeCloseTo(1 / 3, 6);
    expect(probs.queue[0] + probs.queue[1]).toBeCloseTo(1, 5);
    expect(probs.queue[4] + probs.queue[5]).toBeCloseTo(1, 5);
  });

  it('flags an email with no text left after cleaning, and sends it to manual triage: its labels are guesses', async () => {
    const [blank, quoted, real, markup] = await classifier.predict([
      { id: 'b', html: '<p> </p>' },
      { id: 'q', body: '> only a quoted line\n> and another' },
      { id: 'r', body: 'kyc' },
      // Markup only, in the plain-text field (a CRM that put an HTML email there).
      { id: 'm', body: '<div></div>' },
    ]);
    expect(blank.noText).toBe(true);
    expect(quoted.noText).toBe(true);
    expect(markup.noText).toBe(true);
    expect(real.noText).toBeUndefined();
    // The model saw no such email in training (rows without text are left out): whatever it answers, every task abstains.
    for (const p of [blank, quoted, markup]) {
      expect(Object.values(p.tasks).map((t) => t.abstained)).toEqual([true, true]);
      expect(p.route).toEqual({ queue: 'manual_triage', reason: 'low_confidence' });
    }
    expect(Object.values(real.tasks).some((t) => t.abstained)).toBe(false);
  });

  it('reads every task from the one combined output, as an artifact without it does from one output per task', async () => {
    expect(classifier.manifest.onnx.combined).toBe('probs');
    const dir = path.join(root, 'per-task');
    const { combined: _combined, ...perTask } = names;
    await writeFixture(dir, 0, undefined, perTask);
    const older = await Classifier.load(dir);
    try {
      expect(older.manifest.onnx.combined).toBeUndefined();
      const inputs = [
        { text: 'kyc login', meta: [] },
        { text: 'sparplan steuer sparplan', meta: ['bank=x'] },
        { text: 'a b c d e f g h i j k l m n o p', meta: [] },
      ];
      const a = await classifier.predictPrepared(inputs);
      const b = await older.predictPrepared(inputs);
      for (const task of ['queue', 'topic']) {
        expect(a.probs[task]).toHaveLength(b.probs[task].length);
        a.probs[task].forEach((p, i) => expect(p).toBeCloseTo(b.probs[task][i], 6));
      }
      // Not uniform: the rows really come from the model, each task from its own place in the row.
      expect(Math.abs(a.probs.queue[0] - a.probs.queue[1])).toBeGreaterThan(0.1);
      expect(a.probs.topic[3] + a.probs.topic[4] + a.probs.topic[5]).toBeCloseTo(1, 5);
    } finally {
      await older.release();
    }
  });

  it('gives overlapping calls the answers each gets alone (they share no buffer while ONNX runs)', async () => {
    const texts = ['kyc login', 'sparplan steuer sparplan', 'a b c d e f g h i j k l m n o p', 'kyc', 'login login'];
    const alone: Awaited<ReturnType<Classifier['predictPrepared']>>[] = [];
    for (const text of texts) alone.push(await classifier.predictPrepared([{ text, meta: [] }]));
    const together = await Promise.all(texts.map((text) => classifier.predictPrepared([{ text, meta: [] }])));
    together.forEach((got, i) => {
      for (const task of ['queue', 'topic']) expect(Array.from(got.probs[task])).toEqual(Array.from(alone[i].probs[task]));
    });
    // The inputs differ, so equal answers are not a matter of course.
    expect(Array.from(alone[0].probs.queue)).not.toEqual(Array.from(alone[1].probs.queue));
  });

  it('sends an automated email (an auto-reply, a bounce) to manual triage as automated, with the labels the model gave', async () => {
    const person = { subject: 'Sparplan ändern', body: 'Hallo, ich möchte meinen Sparplan ändern.' };
    const [plain, reply, flagged, bounce, answer] = await classifier.predict([
      person,
      { ...person, subject: 'Automatische Antwort: Sparplan ändern' },
      { ...person, autoSubmitted: 'auto-replied' },
      { ...person, from: 'Mail Delivery System <MAILER-DAEMON@mx.mail.example>' },
      { ...person, subject: 'AW: Automatische Antwort: Sparplan ändern' },
    ]);
    expect(plain.route.reason).toBe('confident');
    expect(plain).not.toHaveProperty('automated');
    expect(reply.route).toEqual({ queue: 'manual_triage', reason: 'automated' });
    expect(reply.automated).toBe('auto_reply');
    expect(reply.tasks.queue.abstained).toBe(false);
    expect(flagged).toMatchObject({ route: { reason: 'automated' }, automated: 'auto_reply' });
    // The subject or sender alone decides, not what the model reads: the body and labels are the person's email's.
    expect(flagged.tasks.queue.label).toBe(plain.tasks.queue.label);
    expect(bounce).toMatchObject({ route: { queue: 'manual_triage', reason: 'automated' }, automated: 'delivery_failure' });
    // A person's answer to an automatic reply is a person's email.
    expect(answer.route.reason).toBe('confident');
  });

  it('sends mail to manual triage when the queue task abstains', async () => {
    const dir = path.join(root, 'strict');
    await writeFixture(dir, 0.999);
    const strict = await Classifier.load(dir);
    try {
      const [p] = await strict.predict([{ body: 'Bitte um Rückruf wegen Login' }]);
      expect(p.tasks.queue.abstained).toBe(true);
      expect(p.route).toEqual({ queue: 'manual_triage', reason: 'low_confidence' });
    } finally {
      await strict.release();
    }
  });

  it('weighs the bag by the artifact\'s IDF table when its featurizer asks for it', async () => {
    // Odd buckets (queue label 1) weigh 50x more than even ones (label 0).
    const idf = Float32Array.from({ length: buckets }, (_, b) => (b % 2 === 1 ? 50 : 1));
    const dir = path.join(root, 'idf');
    await writeFixture(dir, 0, encodeIdfTable(idf));
    const weighted = await Classifier.load(dir);
    try {
      const inputs = [{ text: 'Depotübertrag bitte heute erledigen, danke', meta: ['lang=de'] }];
      const plain = (await classifier.predictPrepared(inputs)).probs.queue;
      const withIdf = (await weighted.predictPrepared(inputs)).probs.queue;
      expect(withIdf[1]).toBeGreaterThan(plain[1] + 0.05);
    } finally {
      await weighted.release();
    }
    await expect(writeFixture(path.join(root, 'idf-missing'), 0, undefined).then(async (manifest) => {
      const broken = path.join(root, 'idf-missing');
      await writeFile(path.join(broken, 'manifest.json'), JSON.stringify({ ...manifest, featurizer: { ...manifest.featurizer, params: { ...manifest.featurizer.params, idf: true } } }));
      return Classifier.load(broken);
    })).rejects.toMatchObject({ code: 'ARTIFACT_MANIFEST_INVALID' });
    const short = path.join(root, 'idf-short');
    await writeFixture(short, 0, encodeIdfTable(idf.subarray(1)));
    await expect(Classifier.load(short)).rejects.toThrow(/252 bytes, 256 expected/);
    for (const [value, shown] of [[Number.NaN, 'NaN'], [Infinity, 'Infinity']] as const) {
      const dir = path.join(root, `idf-${shown}`);
      const table = idf.slice();
      table[7] = value;
      await writeFixture(dir, 0, encodeIdfTable(table));
      await expect(Classifier.load(dir)).rejects.toMatchObject({ code: 'ARTIFACT_MANIFEST_INVALID', message: `idf.f32 holds ${shown} (not a finite weight) at bucket 7 in ${dir}` });
    }
  });

  it('refuses a tampered model.onnx', async () => {
    const dir = path.join(root, 'tampered');
    await cp(good, dir, { recursive: true });
    const file = path.join(dir, 'model.onnx');
    const bytes = await readFile(file);
    bytes[bytes.length - 3] ^= 0xff;
    await writeFile(file, bytes);
    await expect(Classifier.load(dir)).rejects.toMatchObject({ code: 'ARTIFACT_HASH_MISMATCH' });
  });

  it('refuses ONNX names that differ from the manifest', async () => {
    const dir = path.join(root, 'renamed');
    await cp(good, dir, { recursive: true });
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    manifest.onnx.outputs.queue = 'probs_route';
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    // The refusal names the artifact, as every other refusal of load does.
    await expect(Classifier.load(dir)).rejects.toMatchObject({ code: 'ARTIFACT_ONNX_MISMATCH', message: expect.stringContaining(`model.onnx in ${dir}: ONNX names`) });
    manifest.onnx.outputs.queue = 'probs_queue';
    manifest.onnx.combined = 'probs_all';
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    await expect(Classifier.load(dir)).rejects.toMatchObject({ code: 'ARTIFACT_ONNX_MISMATCH' });
  });

  it('reads the labels of a manifest written decomposed (trained before labels were read in NFC) in NFC, as feedback and evaluation read them', async () => {
    const dir = path.join(root, 'decomposed');
    await cp(good, dir, { recursive: true });
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    const composed = 'depotübertrag';
    manifest.tasks[0].labels = [composed.normalize('NFD'), 'kyc'];
    manifest.trainingConfig = { tasks: [{ name: 'queue', aliases: { ['übertrag'.normalize('NFD')]: composed.normalize('NFD') }, retired: ['älter'.normalize('NFD')] }] };
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    const decomposed = await Classifier.load(dir);
    try {
      expect(decomposed.manifest.tasks[0].labels).toEqual([composed, 'kyc']);
      expect(classifierTasks(decomposed.manifest)[0]).toEqual({ name: 'queue', labels: [composed, 'kyc'], aliases: { übertrag: composed }, retired: ['älter'] });
      const labels = (await decomposed.predict([{ body: 'a' }, { body: 'bb cc dd' }])).flatMap((p) => p.tasks.queue.top.map((t) => t.label));
      expect(labels).toContain(composed);
      expect(labels.every((l) => l === l.normalize('NFC'))).toBe(true);
    } finally {
      await decomposed.release();
    }
  });

  it('reads only the email fields its training config read: a bank or subject the export had no column for changes nothing; the text comes as body or HTML', async () => {
    const dir = path.join(root, 'fields');
    await cp(good, dir, { recursive: true });
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    manifest.trainingConfig = { columns: { id: 'id', body: 'text' }, tasks: [{ name: 'queue' }, { name: 'topic' }] };
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    const bodyOnly = await Classifier.load(dir);
    const all = await Classifier.load(good);
    try {
      const email = { body: 'Sparplan kyc login', subject: 'Depot steuer', bank: 'Nordhafen Depotbank', from: 'anna@example.com' };
      const plain = await bodyOnly.predict([{ body: email.body }]);
      const sent = await bodyOnly.predict([email]);
      expect(sent[0].tasks).toEqual(plain[0].tasks);
      // The body and the HTML are one text: an email that comes as HTML only is read, as the body would be.
      const html = await bodyOnly.predict([{ html: `<p>${email.body}</p>` }]);
      expect(html[0].noText).toBeFalsy();
      expect(html[0].tasks.topic.confidence).toBeCloseTo(plain[0].tasks.topic.confidence, 6);
      // A model without a stored config (this fixture) reads every field: the subject and bank do change its answer.
      const [withAll, withBody] = [(await all.predict([email]))[0].tasks.topic.confidence, (await all.predict([{ body: email.body }]))[0].tasks.topic.confidence];
      expect(Math.abs(withAll - withBody)).toBeGreaterThan(1e-6);
    } finally {
      await bodyOnly.release();
      await all.release();
    }
  });

  it('refuses a manifest that breaks the schema, and a missing artifact', async () => {
    const dir = path.join(root, 'invalid');
    await cp(good, dir, { recursive: true });
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    manifest.schemaVersion = 99;
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    const error = await Classifier.load(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArtifactError);
    expect((error as ArtifactError).code).toBe('ARTIFACT_MANIFEST_INVALID');
    await expect(Classifier.load(path.join(root, 'nowhere'))).rejects.toMatchObject({ code: 'ARTIFACT_MISSING' });
  });

  it('refuses a manifest of the transformer family, which no featurizer here reads, instead of featurizing it as n-grams', async () => {
    const dir = path.join(root, 'transformer');
    await cp(good, dir, { recursive: true });
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, family: 'transformer' }));
    await expect(Classifier.load(dir)).rejects.toMatchObject({ code: 'ARTIFACT_MANIFEST_INVALID', message: expect.stringContaining('family transformer is not served by this mailroute') });
  });

  it('never overwrites an existing artifact', async () => {
    await expect(writeFixture(good, 0)).rejects.toMatchObject({ code: 'ARTIFACT_EXISTS' });
    const manifest = JSON.parse(await readFile(path.join(good, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.files['model.onnx']).toBe(sha256(await readFile(path.join(good, 'model.onnx'))));
  });

  it('exports a JSON Schema of the manifest', () => {
    const schema = manifestJsonSchema();
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties as object)).toEqual(expect.arrayContaining(['schemaVersion', 'tasks', 'featurizer', 'onnx', 'files']));
  });
});

describe('taskPrediction', () => {
  it('returns the k best labels in order, the first on ties, and abstains under the threshold', () => {
    const labels = ['a', 'b', 'c', 'd'];
    const p = taskPrediction([0.1, 0.4, 0.1, 0.4], labels, 0.5, 3);
    expect(p.top.map((t) => t.label)).toEqual(['b', 'd', 'a']);
    expect(p).toMatchObject({ label: 'b', abstained: true });
    expect(p.confidence).toBeCloseTo(0.4, 9);
    expect(taskPrediction([0.7, 0.3], ['x', 'y'], 0.5, 5)).toMatchObject({ label: 'x', abstained: false, top: [{ label: 'x' }, { label: 'y' }] });
  });

  it('answers scores to 6 decimals but abstains on the exact probability', () => {
    const probs = new Float32Array([0.8999997, 0.0999, 0.0001003]);
    const p = taskPrediction(probs, ['x', 'y', 'z'], 0.9, 3);
    expect(p.confidence).toBe(0.9);
    expect(p.abstained).toBe(true);
    expect(p.top.map((t) => t.score)).toEqual([0.9, 0.0999, 0.0001]);
    expect(JSON.stringify(p.top[1])).toBe('{"label":"y","score":0.0999}');
  });

  it('abstains when the probabilities are no numbers (NaN), whatever the threshold', () => {
    for (const threshold of [0, 0.5]) expect(taskPrediction([Number.NaN, Number.NaN], ['x', 'y'], threshold, 2)).toMatchObject({ label: 'x', abstained: true });
    // Answered as 0, a number: JSON would turn NaN into null, which the prediction store then refused to read back.
    expect(taskPrediction([Number.NaN, Number.NaN], ['x', 'y'], 0.5, 2)).toMatchObject({ confidence: 0, top: [{ label: 'x', score: 0 }, { label: 'y', score: 0 }] });
  });

  it('reads an email\'s probabilities from its offset in a batch\'s flat array as from a copy of them', () => {
    const labels = ['a', 'b', 'c', 'd'];
    const rows = [[0.1, 0.4, 0.1, 0.4], [0.25, 0.25, 0.25, 0.25], [Number.NaN, 0.9, 0.05, 0.05], [0.05, 0.05, 0.1, 0.8]];
    const flat = Float32Array.from(rows.flat());
    for (const k of [1, 2, 4]) {
      rows.forEach((row, i) => expect(taskPrediction(flat, labels, 0.5, k, i * labels.length)).toEqual(taskPrediction(Float32Array.from(row), labels, 0.5, k)));
    }
  });
});
