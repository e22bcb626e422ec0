import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ArtifactError, Classifier, createLocalRegistry } from '@mailroute/model';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDemoChampion } from './demo-champion.js';
import { numberedFrom, predictDataset, predictDatasetChunks, PREDICTION_CHUNK, taskPrediction } from './predict-dataset.js';
import { trainFromConfig } from './train-from-config.js';
import { loadDemoConfig } from '../demo/demo-config.js';
import { writeDemoData } from '../demo/generate.js';

describe('taskPrediction', () => {
  it('scores labels merged under one name together, and abstains below the threshold or without text', () => {
    const merged = taskPrediction([0.4, 0.35, 0.25], ['a', 'b', 'b'], 0.3, false);
    expect(merged).toMatchObject({ label: 'b', abstained: false });
    expect(merged.confidence).toBeCloseTo(0.6, 9);
    expect(merged.scores?.a).toBeCloseTo(0.4, 9);
    expect(taskPrediction([0.4, 0.35, 0.25], ['a', 'b', 'b'], 0.45, false)).toMatchObject({ label: 'b', abstained: true });
    expect(taskPrediction([0.9, 0.1], ['a', 'b'], 0.5, true)).toMatchObject({ label: 'a', confidence: 0.9, abstained: true });
  });

  it('abstains on probabilities that are no numbers (NaN weights) and scores them 0, as the classifier answers: the line stays valid JSON', () => {
    for (const threshold of [0, 0.5]) {
      expect(taskPrediction([Number.NaN, Number.NaN], ['a', 'b'], threshold, false)).toEqual({ label: 'a', scores: { a: 0, b: 0 }, confidence: 0, abstained: true });
    }
  });
});

describe('numberedFrom', () => {
  it('numbers the email of a probability that is no number among all the rows, not within its chunk', () => {
    const chunkError = new ArtifactError('ARTIFACT_NOT_FINITE', 'model m gives task topic a probability of NaN for email 3: its weights are not finite numbers');
    expect(numberedFrom(chunkError, 2048)).toMatchObject({ code: 'ARTIFACT_NOT_FINITE', message: 'model m gives task topic a probability of NaN for email 2051: its weights are not finite numbers', cause: chunkError });
    // In the first chunk, or another error: as it is.
    expect(numberedFrom(chunkError, 0)).toBe(chunkError);
    const other = new ArtifactError('ARTIFACT_MISSING', 'for email 3: gone');
    expect(numberedFrom(other, 2048)).toBe(other);
  });
});

describe('predictDataset', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-predict-notext-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has an email with no text left after cleaning (noText) abstain in every task, as the served model does', async () => {
    const home = path.join(dir, 'home');
    const champion = await ensureDemoChampion({ home, rows: 400 });
    const data = path.join(dir, 'mail.csv');
    writeFileSync(data, 'id,subject,body\nq,,"> Am 3.11. schrieb die Bank:\n> Ihre Kreditkarte wurde gesperrt."\nt,Depot,Bitte übertragen Sie mein Depot.\ne,,😀🙏 !!\n');
    const lines = await predictDataset({ model: champion.id, dataPath: data, home });
    const served = await Classifier.load(await createLocalRegistry({ home }).artifactDir(champion.id));
    try {
      const [quoted] = await served.predict([{ id: 'q', body: '> Am 3.11. schrieb die Bank:\n> Ihre Kreditkarte wurde gesperrt.' }]);
      expect(quoted.noText).toBe(true);
      for (const task of Object.keys(lines[0].prediction)) {
        expect(quoted.tasks[task].abstained).toBe(true);
        expect(lines[0].prediction[task].abstained).toBe(true);
        // Emoji and punctuation only: text, but none the model reads.
        expect(lines[2].prediction[task].abstained).toBe(true);
      }
    } finally {
      await served.release();
    }
  }, 180_000);

  it('gives the lines a chunk of rows at a time, the same lines to the bit, and stops at the next chunk once its signal is aborted', async () => {
    const home = path.join(dir, 'home');
    const champion = await ensureDemoChampion({ home, rows: 400 });
    const data = path.join(dir, 'chunks.csv');
    await writeDemoData(data, { rows: PREDICTION_CHUNK + 300, seed: 3 });
    const whole = await predictDataset({ model: champion.id, dataPath: data, home });
    const chunked = await predictDatasetChunks({ model: champion.id, dataPath: data, home }, async ({ rows, chunks }) => {
      const sizes: number[] = [];
      const lines = [];
      for await (const chunk of chunks) {
        sizes.push(chunk.length);
        lines.push(...chunk);
      }
      return { rows, sizes, lines };
    });
    expect(chunked.rows).toBe(PREDICTION_CHUNK + 300);
    expect(chunked.sizes).toEqual([PREDICTION_CHUNK, 300]);
    expect(chunked.lines).toEqual(whole);
    // Aborted while the first chunk is written: the second is never predicted.
    const stop = new AbortController();
    const reason = new Error('Ctrl-C');
    const progress: number[] = [];
    const stopped = predictDatasetChunks({ model: champion.id, dataPath: data, home, signal: stop.signal, onProgress: (done, _total, label) => label === 'predict' && progress.push(done) }, async ({ chunks }) => {
      for await (const _chunk of chunks) stop.abort(reason);
    });
    await expect(stopped).rejects.toBe(reason);
    expect(progress).toEqual([PREDICTION_CHUNK]);
  }, 180_000);

  it("says of a model trained under other cleaning through onModelNotice (not among the data's warnings), else onWarning", async () => {
    const home = path.join(dir, 'home');
    const champion = await ensureDemoChampion({ home, rows: 400 });
    // A copy of the artifact as a mailroute from before the fingerprint wrote it (manifest.json is not among the hashed files).
    const old = path.join(dir, 'old-model');
    cpSync(await createLocalRegistry({ home }).artifactDir(champion.id), old, { recursive: true });
    const manifestFile = path.join(old, 'manifest.json');
    const { inputFingerprint: _kept, ...manifest } = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const data = path.join(dir, 'one.csv');
    writeFileSync(data, 'id,subject,body\nt,Depot,Bitte übertragen Sie mein Depot.\n');
    const warnings: string[] = [];
    const notices: string[] = [];
    await predictDataset({ model: old, dataPath: data, home, onWarning: (m) => warnings.push(m), onModelNotice: (m) => notices.push(m) });
    expect(notices).toEqual([expect.stringMatching(/^model \S+ does not record how its training cleaned emails/)]);
    expect(warnings).toEqual([]);
    await predictDataset({ model: old, dataPath: data, home, onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual(notices);
    // Trained by this version: nothing to say.
    await predictDataset({ model: champion.id, dataPath: data, home, onWarning: (m) => warnings.push(m), onModelNotice: (m) => notices.push(m) });
    expect([...warnings, ...notices]).toHaveLength(2);
    // A file whose bodies hold the two characters \n for line breaks: said, as training says it.
    const literal = path.join(dir, 'literal.csv');
    writeFileSync(literal, ['id,subject,body', ...Array.from({ length: 25 }, (_, i) => `l${i},Depot,Guten Tag\\nbitte übertragen Sie mein Depot.\\nGruß`)].join('\n'));
    const literalWarnings: string[] = [];
    await predictDataset({ model: champion.id, dataPath: literal, home, onWarning: (m) => literalWarnings.push(m) });
    expect(literalWarnings).toEqual([expect.stringMatching(/^25 of the 25 rows read hold the two characters \\n in their text.*train a model with it set/)]);
  }, 180_000);

  it('finds the held-out rows with --split test under a config that renames a label, and reads their truths by its names', async () => {
    const home = path.join(dir, 'home');
    const champion = await ensureDemoChampion({ home, rows: 400 });
    const data = path.join(home, 'demo.csv');
    const own = await predictDataset({ model: champion.id, dataPath: data, home, split: 'test' });
    // A newer taxonomy: the queue complaints is called beschwerden now (an alias reads the old name).
    const demo = (await loadDemoConfig()) as { tasks: Array<{ name: string; labels?: string[]; aliases?: Record<string, string> }> };
    const tasks = demo.tasks.map((t) =>
      t.name === 'queue' ? { ...t, labels: t.labels?.map((l) => (l === 'complaints' ? 'beschwerden' : l)), aliases: { ...t.aliases, complaints: 'beschwerden' } } : t,
    );
    const renamed = await predictDataset({ model: champion.id, dataPath: data, home, split: 'test', config: { ...demo, tasks } });
    expect(renamed.map((l) => l.id)).toEqual(own.map((l) => l.id));
    expect(renamed.some((l) => l.truth.queue === 'beschwerden')).toBe(true);
    expect(renamed.some((l) => l.truth.queue === 'complaints')).toBe(false);
    expect(renamed.filter((l) => l.truth.queue === 'beschwerden').length).toBe(own.filter((l) => l.truth.queue === 'complaints').length);
  }, 180_000);

  it("finds the held-out rows with --split test of a model whose training merged a feedback file into the export's rows (the retraining job's)", async () => {
    const home = path.join(dir, 'home-superseding');
    const exportFile = path.join(dir, 'crm.csv');
    await writeDemoData(exportFile, { rows: 400 });
    // The feedback file: 20 of the export's emails again, with the queue a person confirmed (another than the export's).
    const ids = Array.from({ length: 20 }, (_, i) => `demo-${String(i + 1).padStart(6, '0')}`);
    const feedback = path.join(dir, 'mailroute-feedback', 'confirmed-cases.csv');
    mkdirSync(path.dirname(feedback), { recursive: true });
    // In the export's columns, as the pipeline's export step writes them; a task left blank keeps the export's label.
    writeFileSync(feedback, `id,subject,body,html,from,bank,receivedAt,language,business_area,queue,topic\n${ids.map((id) => `${id},Beschwerde,Ich beschwere mich.,,,,,,,complaints,`).join('\n')}\n`);
    const config = { ...(await loadDemoConfig()), model: { epochs: 1, dim: 8, buckets: 4096, charNgrams: [0, 0] } };
    const trained = await trainFromConfig({ config, dataPath: [exportFile, feedback], supersedingDataPath: feedback, home });
    expect(trained.counts.test).toBeGreaterThan(0);
    const held = await predictDataset({ model: trained.modelId, dataPath: [exportFile, feedback], home, split: 'test' });
    expect(held).toHaveLength(trained.counts.test);
    // Merged as training merged them: a held-out email of the feedback file has the confirmed queue as its truth.
    const confirmed = held.filter((l) => ids.includes(String(l.id)));
    expect(confirmed.length).toBeGreaterThan(0);
    for (const line of confirmed) expect(line.truth.queue).toBe('complaints');
  }, 180_000);

  it('finds the held-out rows of a model trained with onBadRow skip under --on-bad-row fail, as training read the data, and says the flag is not used for it', async () => {
    const home = path.join(dir, 'home-bad-rows');
    const data = path.join(dir, 'with-bad-row.csv');
    await writeDemoData(data, { rows: 300 });
    appendFileSync(data, 'bad-1,Frage,Text,,x@y.de,,not-a-date,de,brokerage,orders_trading,other_topic\n');
    const config = { ...(await loadDemoConfig()), onBadRow: 'skip', model: { epochs: 1, dim: 8, buckets: 4096, charNgrams: [0, 0] } };
    const trained = await trainFromConfig({ config, dataPath: data, home });
    const warnings: string[] = [];
    const held = await predictDataset({ model: trained.modelId, dataPath: data, home, split: 'test', onBadRow: 'fail', onWarning: (m) => warnings.push(m) });
    expect(held).toHaveLength(trained.counts.test);
    expect(warnings).toContain('--on-bad-row fail is not used to find the held-out rows: they are found as training read the data (its bad rows: skip)');
  }, 180_000);

  it('reads data to evaluate on as predict does: a text column and the label columns it has (a task without one has no truths)', async () => {
    const home = path.join(dir, 'home');
    const champion = await ensureDemoChampion({ home, rows: 400 });
    // No html, from, bank or receivedAt column, and no topic column: the queue and business_area truths are read.
    const data = path.join(dir, 'narrow.csv');
    writeFileSync(data, 'id,subject,body,queue,business_area\nm1,Depot,Bitte übertragen Sie mein Depot.,securities_transfers,brokerage\n');
    const [line] = await predictDataset({ model: champion.id, dataPath: data, home, labels: 'required' });
    expect(line.truth).toEqual({ business_area: 'brokerage', queue: 'securities_transfers', topic: null });
    // With no label column at all there is nothing to measure against: refused, naming the columns wanted.
    const unlabelled = path.join(dir, 'unlabelled.csv');
    writeFileSync(unlabelled, 'id,subject,body,Queue\nm1,Depot,Bitte übertragen Sie mein Depot.,x\n');
    await expect(predictDataset({ model: champion.id, dataPath: unlabelled, home, labels: 'required' })).rejects.toThrow(
      /unlabelled\.csv:1: header lacks a label column to measure against \(wants one of "business_area", "queue" \(did you mean "Queue"\?\), "topic"; has id, subject, body, Queue\)/,
    );
    expect(await predictDataset({ model: champion.id, dataPath: unlabelled, home })).toHaveLength(1);
  }, 180_000);

  it('scores labels named constructor and toString like any other (a task named constructor too)', async () => {
    const home = path.join(dir, 'home-names');
    const data = path.join(dir, 'names.csv');
    const rows = Array.from({ length: 120 }, (_, i) => {
      const urgent = i % 3 === 0;
      return `m${i},${urgent ? 'Sofort bitte' : 'Frage'},${urgent ? 'Bitte sofort dringend sperren' : 'Eine Frage zu meinem Konto'} ${i},${urgent ? 'constructor' : 'toString'}`;
    });
    writeFileSync(data, `id,subject,body,constructor\n${rows.join('\n')}\n`);
    const config = {
      columns: { id: 'id', subject: 'subject', body: 'body' },
      tasks: [{ name: 'constructor', labels: ['constructor', 'toString'] }],
      model: { epochs: 2, dim: 8, buckets: 4096, charNgrams: [4, 4] },
    };
    const { modelId } = await trainFromConfig({ config, dataPath: data, home });
    const lines = await predictDataset({ model: modelId, dataPath: data, home });
    expect(lines).toHaveLength(120);
    // A name TypeScript would otherwise read as Object's `constructor` member.
    const task: string = 'constructor';
    for (const line of lines) {
      const { scores, confidence } = line.prediction[task];
      expect(Object.keys(scores ?? {}).sort()).toEqual(['constructor', 'toString']);
      expect((scores?.[task] ?? 0) + (scores?.['toString' as string] ?? 0)).toBeCloseTo(1, 5);
      expect(confidence).toBeGreaterThanOrEqual(0.5 - 1e-9);
    }
  }, 180_000);
});
