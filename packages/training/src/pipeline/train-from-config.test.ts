import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { evaluatePredictions, PredictionLineSchema } from '@mailroute/evaluation';
import { createLocalRegistry, inputFingerprint, processAlive, servedRouting } from '@mailroute/model';
import { describe, expect, it } from 'vitest';
import { loadDemoConfig } from '../demo/demo-config.js';
import { writeDemoData } from '../demo/generate.js';
import { listRuns, readRun } from '../tracking/run-record.js';
import { compareRunRows, measuredOn } from '../tracking/format.js';
import { ensureDemoChampion } from './demo-champion.js';
import { predictDataset, predictDatasetLines } from './predict-dataset.js';
import { calibrationWarnings, fewAnsweredWarnings, testRowsHashes, trainFromConfig, unreachedPrecisionWarnings } from './train-from-config.js';
import { parseTrainingConfig } from '../config.js';
import { loadDataset } from '../data/dataset.js';
import { createRandom } from '../random.js';

/** The pid of a process that has ended. */
function deadPid(): number {
  const pid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
  expect(processAlive(pid)).toBe(false);
  return pid;
}

const SMALL = { epochs: 4, buckets: 2 ** 14, dim: 24, patience: 2 };

/** 300 rows whose queue the text tells and whose topic is drawn at random (nothing tells it), as train.csv in `dir`. */
function writeRandomTopicData(dir: string): string {
  const random = createRandom(4);
  const words: Record<string, string> = { cards: 'Karte gesperrt PIN', loans: 'Kredit Zins Rate' };
  const rows = Array.from({ length: 300 }, (_, i) => [i, `${words[i % 2 === 0 ? 'cards' : 'loans']} Nummer ${i}`, i % 2 === 0 ? 'cards' : 'loans', ['x', 'y', 'z'][Math.floor(random() * 3)]].join(','));
  const data = path.join(dir, 'train.csv');
  writeFileSync(data, ['id,body,queue,topic', ...rows].join('\n'));
  return data;
}
const EPOCH_LINE = /^\{'loss': \d+\.\d+, 'learning_rate': \d+\.\d+, 'eval_loss': \d+\.\d+, .*'eval_f1': \d+\.\d+, .*'epoch': \d+\.\d+\}$/;

describe('trainFromConfig -> registry -> predictDataset', () => {
  it('trains on a small demo set, records the run, registers the model and predicts lines that parse', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const home = path.join(tmp, 'home');
    const data = path.join(tmp, 'demo.csv');
    await writeDemoData(data, { rows: 700, seed: 5 });
    const config = await loadDemoConfig();
    const lines: string[] = [];
    const progress: string[] = [];
    const result = await trainFromConfig({
      config: { ...config, model: SMALL },
      dataPath: data,
      home,
      onEpoch: (_report, line) => lines.push(line),
      onProgress: (_d, _t, label) => progress.push(label ?? ''),
    });
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(EPOCH_LINE);
    expect(progress).toContain('clean');
    expect(result.metricsSplit).toBe('test');
    expect(result.metrics['queue.accuracy']).toBeGreaterThan(0.4);
    expect(result.counts.train + result.counts.valid + result.counts.test).toBe(result.counts.rows);
    expect(result.counts.testSeenInTraining).toBe(0);
    expect(result.counts.read).toBe(result.counts.rows + result.counts.noText + result.counts.automated + result.counts.unlabelled + result.counts.badRows);

    const registry = createLocalRegistry({ home });
    const version = await registry.get(result.modelId);
    expect(version.status).toBe('PendingManualApproval');
    expect(version.runId).toBe(result.runId);
    expect(version.metrics['queue.macro_f1']).toBeCloseTo(result.metrics['queue.macro_f1'], 10);
    // The training label counts travel in the manifest, for serving's drift measure.
    const manifest = JSON.parse(readFileSync(path.join(result.artifactDir, 'manifest.json'), 'utf8'));
    const queueCounts: Record<string, number> = manifest.training.labelDistribution.queue;
    expect(Object.values(queueCounts).reduce((a, b) => a + b, 0)).toBe(result.counts.train);
    expect(queueCounts.kyc).toBeUndefined();
    // The languages of the rows trained and validated on, as cleaning detected them: serving warns of mail in another.
    const languages: Record<string, number> = manifest.training.languages;
    expect(Object.values(languages).reduce((a, b) => a + b, 0)).toBe(result.counts.train + result.counts.valid);
    expect(languages.de).toBeGreaterThan(0.2 * result.counts.train);
    expect(languages.en).toBeGreaterThan(0.2 * result.counts.train);
    expect(servedRouting(manifest).languages).toEqual(['de', 'en']);
    // Many of the demo's test rows are its training rows' sentences with other names and amounts: counted and kept for
    // the model card (about half of this small set's 141 judged rows; 86% of the default 4,000 rows').
    expect(manifest.training.testNearDuplicates).toEqual({ near: result.counts.testNearDuplicates, judged: result.counts.testNearDuplicatesJudged });
    expect(result.counts.testNearDuplicates).toBeGreaterThan(0.35 * result.counts.testNearDuplicatesJudged);
    expect(result.counts.testNearDuplicatesJudged).toBeGreaterThan(0.9 * result.counts.test);
    // How this mailroute turned the emails into model input: loading it under other cleaning warns.
    expect(manifest.inputFingerprint).toBe(inputFingerprint());

    const run = await readRun(home, result.runId);
    expect(run.status).toBe('finished');
    expect(run.modelId).toBe(result.modelId);
    expect(run.dataHash).toMatch(/^[0-9a-f]{64}$/);
    expect(run.epochs.length).toBe(lines.length);
    expect(run.epochs[0].perTask.queue.f1).toBeGreaterThanOrEqual(0);
    expect((await listRuns(home)).map((r) => r.runId)).toEqual([result.runId]);

    const predictions = await predictDataset({ model: result.modelId, dataPath: data, home });
    expect(predictions).toHaveLength(700);
    // For a big output the lines are built as they are iterated, not held as an array.
    const streamed = await predictDatasetLines({ model: result.modelId, dataPath: data, home });
    expect(streamed.rows).toBe(700);
    expect(Array.isArray(streamed.lines)).toBe(false);
    expect([...streamed.lines]).toEqual(predictions);
    for (const p of predictions.slice(0, 50)) PredictionLineSchema.parse(JSON.parse(JSON.stringify(p)));
    const first = predictions[0];
    expect(Object.keys(first.prediction).sort()).toEqual(['business_area', 'queue', 'topic']);
    const scores = Object.values(first.prediction.queue.scores ?? {});
    expect(scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(['de', 'en']).toContain(first.meta?.language);
    // Old label names in the export come back as today's names in the truth.
    expect(predictions.some((p) => p.truth.queue === 'kyc')).toBe(false);
    expect(predictions.some((p) => p.truth.queue === 'onboarding_kyc')).toBe(true);
    // The held-out rows found again: the same rows and the same figures as at training time.
    const heldOut = await predictDataset({ model: result.modelId, dataPath: data, home, split: 'test' });
    expect(heldOut).toHaveLength(result.counts.test);
    // The lines of rows the model trained or validated on say so (meta.seenInTraining), as a report of the lines alone
    // must warn of them; held-out rows never do. (Test rows whose text repeats a training one count as seen.)
    const seen = predictions.filter((p) => p.meta?.seenInTraining === true).length;
    expect(seen).toBeGreaterThanOrEqual(result.counts.train + result.counts.valid);
    expect(seen).toBeLessThan(700);
    expect(heldOut.some((p) => p.meta?.seenInTraining !== undefined)).toBe(false);
    const report = evaluatePredictions(heldOut, { dataset: 'demo', createdAt: '2026-11-30T00:00:00Z' });
    for (const task of ['business_area', 'queue', 'topic']) {
      expect(report.tasks.find((t) => t.task === task)?.metrics.macro.f1).toBeCloseTo(result.metrics[`${task}.macro_f1`], 6);
    }
    // Where each task answers at its own threshold, as `evaluate --model ... --split test` (and so the model card) says it.
    const atThresholds = evaluatePredictions(heldOut, { thresholds: Object.fromEntries(manifest.tasks.map((t: { name: string; threshold: number }) => [t.name, t.threshold])), routing: manifest.routing });
    expect(result.operating?.map((p) => p.task)).toEqual(['business_area', 'queue', 'topic']);
    for (const point of result.operating ?? []) {
      const operating = atThresholds.tasks.find((t) => t.task === point.task)?.operating;
      expect(point.answered).toBe(operating?.routed);
      expect(point.precision).toBeCloseTo(operating?.precision ?? Number.NaN, 10);
      expect(result.metrics[`${point.task}.coverage`]).toBeCloseTo(operating?.coverage ?? Number.NaN, 10);
      expect(version.metrics[`${point.task}.coverage`]).toBeCloseTo(operating?.coverage ?? Number.NaN, 10);
    }
    expect(result.operating?.find((p) => p.task === 'queue')?.routes).toBe(true);
    // Two files where it trained on one: other data, and the message says their order counts too.
    await expect(predictDataset({ model: result.modelId, dataPath: [data, data], home, split: 'test' })).rejects.toThrow(/other data, or the same files in another order: give them in the order of training.*; `mailroute runs show \S+` lists the files it was trained on, in their order\)/);
    // The same model by its artifact directory.
    const byDir = await predictDataset({ model: result.artifactDir, dataPath: data, home });
    expect(byDir[3].prediction.topic.label).toBe(predictions[3].prediction.topic.label);
    // Held-out rows that split differently now (as a change to cleaning could make them) are refused, not scored.
    expect(manifest.training).toMatchObject({ splitKey: 'clean-text', testRowsFingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const moved = path.join(tmp, 'moved');
    cpSync(result.artifactDir, moved, { recursive: true });
    writeFileSync(path.join(moved, 'manifest.json'), JSON.stringify({ ...manifest, training: { ...manifest.training, testRowsFingerprint: '0'.repeat(64) } }));
    await expect(predictDataset({ model: moved, dataPath: data, home, split: 'test' })).rejects.toThrow(/--split test: the rows model \S+ held out cannot be found again/);
    // A model trained with testShare 0 held out no rows: the message says what to give instead.
    const noTest = path.join(tmp, 'no-test');
    cpSync(result.artifactDir, noTest, { recursive: true });
    writeFileSync(path.join(noTest, 'manifest.json'), JSON.stringify({ ...manifest, training: { ...manifest.training, testedOn: 'validation-split' } }));
    await expect(predictDataset({ model: noTest, dataPath: data, home, split: 'test' })).rejects.toThrow(
      /--split test: model \S+ was trained without a test split \(testShare 0\): it held out no rows to score, so give a test file of emails it never trained on as --data, without --split$/,
    );
  }, 240_000);

  it('gives a refit without test rows the validation figures of its first run, not of the refit that trained on those rows', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const data = path.join(tmp, 'demo.csv');
    await writeDemoData(data, { rows: 400, seed: 7 });
    const demo = await loadDemoConfig();
    const train = (refit: boolean, warnings: string[] = []) =>
      trainFromConfig({
        config: { ...demo, split: { ...demo.split, testShare: 0 }, model: { ...SMALL, refit } },
        dataPath: data,
        home: path.join(tmp, 'home'),
        logger: { warn: (line: string) => warnings.push(line) },
      });
    const warnings: string[] = [];
    const refitted = await train(true, warnings);
    const plain = await train(false);
    expect(refitted.metricsSplit).toBe('valid');
    // The first run of a refit is the model trained without one (same rows, same seed): the same figures.
    for (const key of ['queue.accuracy', 'queue.macro_f1', 'topic.macro_f1', 'mean_macro_f1']) expect(refitted.metrics[key], key).toBeCloseTo(plain.metrics[key], 6);
    expect(refitted.metrics['topic.macro_f1']).toBeLessThan(0.99);
    expect(warnings.some((w) => /figures are those of the first run, before the refit/.test(w))).toBe(true);
  }, 240_000);

  it('warns of a threshold said to reach the target precision on too few validation emails to trust', () => {
    const row = (queue: string | null) => ({ labels: { queue } }) as unknown as Parameters<typeof fewAnsweredWarnings>[1][number];
    const valid = [...Array.from({ length: 400 }, () => row('a')), row(null)];
    expect(fewAnsweredWarnings({ queue: { thresholdReached: true, validCoverage: 0.02 } }, valid, 0.99)).toEqual([
      'queue: its abstention threshold reaches the target precision (0.99) on only 8 of 400 validation email(s): too few to trust, so on new mail its precision may well fall short (give more validation rows, or a lower targetPrecision)',
    ]);
    // Enough emails, or a target not reached (its own warning), say nothing here.
    expect(fewAnsweredWarnings({ queue: { thresholdReached: true, validCoverage: 0.05 } }, valid, 0.99)).toEqual([]);
    expect(fewAnsweredWarnings({ queue: { thresholdReached: false, validCoverage: 0.01 } }, valid, 0.99)).toEqual([]);
  });

  it("names each task's own target precision in the warnings on its threshold", () => {
    const row = (queue: string | null, topic: string | null) => ({ labels: { queue, topic } }) as unknown as Parameters<typeof fewAnsweredWarnings>[1][number];
    const valid = Array.from({ length: 100 }, () => row('a', 'x'));
    const targets = { queue: 0.95, topic: 0.9 };
    const few = fewAnsweredWarnings({ queue: { thresholdReached: true, validCoverage: 0.1 }, topic: { thresholdReached: true, validCoverage: 0.05 } }, valid, targets);
    expect(few.map((w) => w.slice(0, w.indexOf(' on only')))).toEqual(['queue: its abstention threshold reaches the target precision (0.95)', 'topic: its abstention threshold reaches the target precision (0.9)']);
    const unreached = unreachedPrecisionWarnings({ queue: { thresholdReached: false, validPrecision: 0.9, validCoverage: 0.5 }, topic: { thresholdReached: false, validPrecision: 0.8, validCoverage: 0.5 } }, valid, targets);
    expect(unreached.map((w) => w.slice(0, w.indexOf(' on validation')))).toEqual(['queue: no threshold reaches precision 0.95', 'topic: no threshold reaches precision 0.9']);
    // A task the record leaves out is named without a figure.
    expect(unreachedPrecisionWarnings({ topic: { thresholdReached: false, validPrecision: 0.8, validCoverage: 0.5 } }, valid, { queue: 0.95 })[0]).toMatch(/^topic: no threshold reaches its target precision on validation;/);
  });

  it('warns of a task whose threshold reaches no cut of the target precision, saying how much mail it abstains on', () => {
    const row = (area: string | null) => ({ labels: { business_area: area } }) as unknown as Parameters<typeof unreachedPrecisionWarnings>[1][number];
    const valid = Array.from({ length: 60 }, () => row('savings'));
    expect(unreachedPrecisionWarnings({ business_area: { thresholdReached: false, validPrecision: 0.48333, validCoverage: 0.15217 } }, valid, 0.9)).toEqual([
      'business_area: no threshold reaches precision 0.9 on validation; the best is 48.3% at 15.2% coverage: it abstains on about 85% of mail (a lower targetPrecision, or more training rows, lets it answer more)',
    ]);
    expect(unreachedPrecisionWarnings({ business_area: { thresholdReached: false, validPrecision: 0.7, validCoverage: 1 } }, valid, 0.9)[0]).toMatch(/the best is 70\.0% at 100\.0% coverage: it never abstains/);
    // Reached, or no labelled validation row (said by calibrationWarnings: threshold 0), say nothing here.
    expect(unreachedPrecisionWarnings({ business_area: { thresholdReached: true, validPrecision: 0.9, validCoverage: 0.5 } }, valid, 0.9)).toEqual([]);
    expect(unreachedPrecisionWarnings({ business_area: { thresholdReached: false, validPrecision: 0, validCoverage: 1 } }, [row(null)], 0.9)).toEqual([]);
  });

  it('says so in training when a task reaches no threshold of the target precision', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    // topic: labels drawn at random, nothing the text tells, so no cut of its validation rows is 90% right.
    const data = writeRandomTopicData(tmp);
    const warnings: string[] = [];
    const config = { columns: { id: 'id', body: 'body' }, tasks: [{ name: 'queue' }, { name: 'topic' }], model: { epochs: 2, buckets: 2 ** 12, dim: 8 } };
    const result = await trainFromConfig({ config, dataPath: data, home: path.join(tmp, 'home'), logger: { warn: (m) => warnings.push(m) } });
    const manifest = JSON.parse(readFileSync(path.join(result.artifactDir, 'manifest.json'), 'utf8'));
    const calibration = manifest.training.calibration as Record<string, { thresholdReached: boolean; validPrecision: number; validCoverage: number }>;
    expect(calibration.topic.thresholdReached).toBe(false);
    const pct = (share: number) => `${(100 * share).toFixed(1)}%`;
    expect(warnings.filter((w) => w.includes('no threshold reaches'))).toEqual([
      `topic: no threshold reaches precision 0.9 on validation; the best is ${pct(calibration.topic.validPrecision)} at ${pct(calibration.topic.validCoverage)} coverage: it abstains on about ${Math.round(100 * (1 - calibration.topic.validCoverage))}% of mail (a lower targetPrecision, or more training rows, lets it answer more)`,
    ]);
    rmSync(tmp, { recursive: true, force: true });
  }, 120_000);

  it("chooses a task's threshold for its own target precision, names it in the warning and keeps it in the stored config", async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    // As above: no cut of topic's random labels reaches 0.9, so none reaches its own 0.95 either.
    const data = writeRandomTopicData(tmp);
    const warnings: string[] = [];
    const config = { columns: { id: 'id', body: 'body' }, tasks: [{ name: 'queue' }, { name: 'topic', targetPrecision: 0.95 }], targetPrecision: 0.9, model: { epochs: 2, buckets: 2 ** 12, dim: 8 } };
    const result = await trainFromConfig({ config, dataPath: data, home: path.join(tmp, 'home'), logger: { warn: (m) => warnings.push(m) } });
    const manifest = JSON.parse(readFileSync(path.join(result.artifactDir, 'manifest.json'), 'utf8'));
    expect(warnings.filter((w) => w.includes('no threshold reaches')).map((w) => w.slice(0, w.indexOf(' on validation')))).toEqual(['topic: no threshold reaches precision 0.95']);
    expect(manifest.trainingConfig.tasks.map((t: { targetPrecision?: number }) => t.targetPrecision)).toEqual([undefined, 0.95]);
    expect(manifest.training.params.targetPrecision).toBe(0.9);
    rmSync(tmp, { recursive: true, force: true });
  }, 120_000);

  it('does not advise a time split to a run that already splits by time when its test rows are near-duplicates', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const data = path.join(tmp, 'demo.csv');
    // The demo data is built from some 280 sentences: most test rows are near-duplicates, split by time too.
    await writeDemoData(data, { rows: 1000, seed: 5 });
    const config = { ...(await loadDemoConfig()), model: { ...SMALL, epochs: 1 }, split: { kind: 'time', testShare: 0.2, validShare: 0.1 } };
    const warnings: string[] = [];
    await trainFromConfig({ config, dataPath: data, home: path.join(tmp, 'home'), logger: { warn: (m) => warnings.push(m) } });
    const near = warnings.filter((w) => w.includes('word 5-grams with training rows'));
    expect(near).toEqual([expect.stringMatching(/its test rows are already later mail \(split kind "time"\)/)]);
    expect(near[0]).not.toMatch(/measure it on later mail/);
    rmSync(tmp, { recursive: true, force: true });
  }, 120_000);

  it('warns of a temperature at the end of its range, and of tasks whose calibration or test figures rest on few rows', () => {
    const row = (queue: string | null, topic: string | null) => ({ labels: { queue, topic } }) as unknown as Parameters<typeof calibrationWarnings>[2]['valid'][number];
    const valid = Array.from({ length: 40 }, (_, i) => row('a', i < 5 ? 'x' : null));
    const test = Array.from({ length: 40 }, () => row('a', null));
    const warnings = calibrationWarnings({ queue: { temperature: 20 }, topic: { temperature: 1.3 } }, ['queue', 'topic'], { valid, test });
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/^queue: its calibration temperature is at the end of its range \(20\.00\): its scores on the validation split are far surer than its answers are right/);
    expect(warnings[1]).toBe('topic: only 5 validation row(s) carry its label: its temperature and abstention threshold are fitted on too few to trust');
    // None at all: not measured, and not in the mean (which it was said to be part of).
    expect(warnings[2]).toBe('topic: no test row carries its label: it is not measured on the test rows, and the registered mean macro-F1 leaves it out (a mean over queue only, not comparable with a mean over every task)');
    const fewTest = [...test.slice(0, 30), ...Array.from({ length: 10 }, () => row('a', 'x'))];
    expect(calibrationWarnings({ topic: { temperature: 1 } }, ['queue', 'topic'], { valid, test: fewTest })).toContain('topic: only 10 test row(s) carry its label: its test figures, which the registered mean macro-F1 includes, rest on those');
    // A usual temperature, enough rows, and no test split at all (testShare 0) say nothing.
    expect(calibrationWarnings({ queue: { temperature: 0.8 } }, ['queue'], { valid, test: [] })).toEqual([]);
    expect(calibrationWarnings({ queue: { temperature: 0.05 } }, ['queue'], { valid, test: [] })[0]).toMatch(/\(0\.05\): its scores on the validation split are far less sure/);
  });

  it('says nothing of a temperature at the low end for a task learnt almost perfectly, and warns of it for a task learnt poorly', () => {
    const row = (Kanal: string | null) => ({ labels: { Kanal } }) as unknown as Parameters<typeof calibrationWarnings>[2]['valid'][number];
    const valid = Array.from({ length: 40 }, () => row('E-Mail'));
    // Right on 99.7% or all of its validation rows: its confident, right scores are sharpened to the end of the range.
    expect(calibrationWarnings({ Kanal: { temperature: 0.05, validAccuracy: 1 } }, ['Kanal'], { valid, test: [] })).toEqual([]);
    expect(calibrationWarnings({ Kanal: { temperature: 0.05, validAccuracy: 0.997 } }, ['Kanal'], { valid, test: [] })).toEqual([]);
    // Right on few: the warning stands, as it does at the high end whatever the accuracy.
    expect(calibrationWarnings({ Kanal: { temperature: 0.05, validAccuracy: 0.4 } }, ['Kanal'], { valid, test: [] })[0]).toMatch(/^Kanal: its calibration temperature is at the end of its range \(0\.05\)/);
    expect(calibrationWarnings({ Kanal: { temperature: 20, validAccuracy: 1 } }, ['Kanal'], { valid, test: [] })[0]).toMatch(/^Kanal: its calibration temperature is at the end of its range \(20\.00\)/);
  });

  it("says what the load noted and warned of: times in a change of daylight saving time, literal \\n in the text", async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const data = path.join(tmp, 'train.csv');
    const words: Record<string, string> = { cards: 'Karte gesperrt\\nPIN', loans: 'Kredit Zins\\nRate' };
    // Two rows in Europe/Berlin's changes of 2026 (the autumn hour repeated, the spring hour skipped); every body holds a literal \n.
    const when = (i: number) => (i === 0 ? '2026-10-25 02:30' : i === 1 ? '2026-03-29 02:30' : '2026-05-04 10:00');
    const rows = Array.from({ length: 300 }, (_, i) => [i, `${words[i % 2 === 0 ? 'cards' : 'loans']} Nummer ${i}`, when(i), i % 2 === 0 ? 'cards' : 'loans'].join(','));
    writeFileSync(data, ['id,body,received,queue', ...rows].join('\n'));
    const config = { format: 'csv', columns: { id: 'id', body: 'body', receivedAt: 'received' }, tasks: [{ name: 'queue' }], timeZone: 'Europe/Berlin', model: SMALL };
    const infos: string[] = [];
    const warnings: string[] = [];
    await trainFromConfig({ config, dataPath: data, home: path.join(tmp, 'home'), logger: { info: (m) => infos.push(m), warn: (m) => warnings.push(m) } });
    expect(infos).toContainEqual(expect.stringMatching(/^2 received time\(s\) without an offset fall in a change of daylight saving time in Europe\/Berlin/));
    expect(warnings).toContainEqual(expect.stringMatching(/literalNewlines/));
  }, 240_000);

  it('warns of skipped bad rows counting rows, not problems, and of labels that differ only in case', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const data = path.join(tmp, 'demo.csv');
    await writeDemoData(data, { rows: 300, seed: 5 });
    const config = { ...(await loadDemoConfig()), model: SMALL, onBadRow: 'skip' };
    const [area, queue, topic] = (await loadDataset(data, parseTrainingConfig(config))).taxonomy.map((t) => t.labels.find((l) => l !== 'other') ?? '');
    const csv = readFileSync(data, 'utf8');
    const header = csv.slice(0, csv.indexOf('\n')).split(',');
    // Blank id and no text: one row, two problems. Then a topic that differs from another only in case.
    const bad = header.map((h) => (h === 'bank' ? 'x' : '')).join(',');
    const cells: Record<string, string> = { id: 'upper-1', subject: 'Hallo', body: 'Bitte melden', business_area: area, queue, topic: topic.toUpperCase() };
    const upper = header.map((h) => cells[h] ?? '').join(',');
    writeFileSync(data, `${csv.trimEnd()}\n${bad}\n${upper}\n`);
    const warnings: string[] = [];
    const result = await trainFromConfig({ config, dataPath: data, home: path.join(tmp, 'home'), logger: { warn: (m) => warnings.push(m) } });
    expect(warnings).toContainEqual(expect.stringMatching(/^1 bad row\(s\) skipped \(2 problems\): \S*demo\.csv line \d+; first: .*demo\.csv:\d+, column "id" \(\d+\): empty id$/));
    expect(warnings).toContainEqual(expect.stringMatching(new RegExp(`^topic: labels that differ only in case or spacing are separate classes: "${topic}" \\(\\d+\\), "${topic.toUpperCase()}" \\(1\\);`)));
    expect(result.counts).toMatchObject({ badRows: 1, badRowProblems: 2 });
    expect(result.counts.read).toBe(result.counts.rows + result.counts.unlabelled + 1);
  }, 240_000);

  it('warns of and counts the --test-data file\'s skipped bad rows as it does the training data\'s', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const data = path.join(tmp, 'demo.csv');
    const holdout = path.join(tmp, 'holdout.jsonl');
    await writeDemoData(data, { rows: 300, seed: 5 });
    await writeDemoData(holdout, { rows: 40, seed: 6 });
    const config = { ...(await loadDemoConfig()), model: SMALL, onBadRow: 'skip' };
    const lines = readFileSync(holdout, 'utf8').trimEnd().split('\n');
    // Lines 3 and 5: a queue outside the taxonomy.
    for (const i of [2, 4]) lines[i] = JSON.stringify({ ...JSON.parse(lines[i]), queue: 'NoSuchQueue' });
    writeFileSync(holdout, `${lines.join('\n')}\n`);
    const warnings: string[] = [];
    const result = await trainFromConfig({ config, dataPath: data, testDataPath: holdout, home: path.join(tmp, 'home'), logger: { warn: (m) => warnings.push(m) } });
    expect(warnings).toContainEqual(expect.stringMatching(/^2 bad row\(s\) skipped \(2 problems\): \S*holdout\.jsonl lines 3, 5; first: \S*holdout\.jsonl:3, \S+ "queue".*: label "NoSuchQueue" is not in the queue taxonomy/));
    expect(result.counts).toMatchObject({ badRows: 0, testBadRows: 2, testBadRowProblems: 2, test: 38 });
    expect((await readRun(path.join(tmp, 'home'), result.runId)).counts).toMatchObject({ testBadRows: 2 });
  }, 240_000);

  it('says beside the test file, in the registry, how many of its rows repeat a training text: the headline figure flatters then', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const data = path.join(tmp, 'demo.csv');
    await writeDemoData(data, { rows: 300, seed: 5 });
    const home = path.join(tmp, 'home');
    const warnings: string[] = [];
    const result = await trainFromConfig({ config: { ...(await loadDemoConfig()), model: SMALL }, dataPath: data, testDataPath: data, home, logger: { warn: (m) => warnings.push(m) } });
    expect(result.counts.testSeenInTraining).toBeGreaterThan(250);
    expect(warnings).toContainEqual(`${result.counts.testSeenInTraining} test row(s) repeat a training text (as the model reads it, after cleaning)`);
    const version = await createLocalRegistry({ home }).get(result.modelId);
    expect(version.measuredOn).toBe(`test file demo.csv (${result.counts.testSeenInTraining} of ${result.counts.test} rows seen in training)`);
    // runs list and runs compare say it alike.
    expect(measuredOn(await readRun(home, result.runId))).toBe(version.measuredOn);
  }, 240_000);

  it('warns when --test-data rows carry a label the model does not learn, which leaves them out of its test metrics', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const words: Record<string, string[]> = { a: ['card', 'blocked', 'pin'], b: ['loan', 'rate', 'credit'], c: ['stock', 'depot', 'share'] };
    const row = (i: number, label: string) => `${i},${words[label][i % 3]} ${words[label][(i + 1) % 3]} number ${i},${label}`;
    const data = path.join(tmp, 'train.csv');
    const holdout = path.join(tmp, 'holdout.csv');
    writeFileSync(data, ['id,body,queue', ...Array.from({ length: 80 }, (_, i) => row(i, i % 2 ? 'a' : 'b'))].join('\n'));
    // A third of the test file is labelled `c`, a queue no training row has (a task without a label list takes any).
    writeFileSync(holdout, ['id,body,queue', ...Array.from({ length: 30 }, (_, i) => row(1000 + i, ['a', 'b', 'c'][i % 3]))].join('\n'));
    const config = { columns: { id: 'id', body: 'body' }, tasks: [{ name: 'queue' }], model: { epochs: 2, buckets: 2 ** 12, dim: 8 } };
    const warnings: string[] = [];
    const result = await trainFromConfig({ config, dataPath: data, testDataPath: holdout, home: path.join(tmp, 'home'), logger: { warn: (m) => warnings.push(m) } });
    expect(result.counts.test).toBe(20);
    expect(warnings).toContainEqual(expect.stringMatching(/^queue: 10 test row\(s\) whose truth is a label the model does not learn \(c x10\) are left out of its test metrics/));
  }, 240_000);

  it('records the test file\'s emails and each task\'s truths, so runs of other tasks on one file compare task by task', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const words: Record<string, string[]> = { a: ['card', 'blocked', 'pin'], b: ['loan', 'rate', 'credit'] };
    const row = (i: number, label: string) => `${words[label][i % 3]} ${words[label][(i + 1) % 3]} number ${i},${label}`;
    const data = path.join(tmp, 'train.csv');
    const holdout = path.join(tmp, 'test.csv');
    writeFileSync(data, ['body,category', ...Array.from({ length: 80 }, (_, i) => row(i, i % 2 ? 'a' : 'b'))].join('\n'));
    writeFileSync(holdout, ['body,category', ...Array.from({ length: 20 }, (_, i) => row(1000 + i, i % 2 ? 'a' : 'b'))].join('\n'));
    const home = path.join(tmp, 'home');
    const model = { epochs: 2, buckets: 2 ** 12, dim: 8 };
    const intent = { name: 'intent', column: 'category' };
    const one = await trainFromConfig({ config: { columns: { body: 'body' }, tasks: [intent], model }, dataPath: data, testDataPath: holdout, home });
    const queue = { name: 'queue', column: 'category', aliases: { a: 'cards', b: 'loans' } };
    const two = await trainFromConfig({ config: { columns: { body: 'body' }, tasks: [intent, queue], routing: { queueTask: 'intent' }, model }, dataPath: data, testDataPath: holdout, home });
    const [a, b] = await Promise.all([readRun(home, one.runId), readRun(home, two.runId)]);
    expect(a.testDataHash).not.toBe(b.testDataHash);
    expect(b.testTextsHash).toBe(a.testTextsHash);
    expect(b.testTruthHashes?.intent).toBe(a.testTruthHashes?.intent);
    expect(Object.keys(b.testTruthHashes ?? {})).toEqual(['intent', 'queue']);
    const manifest = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest(two.artifactDir).training.testTextsHash).toBe(a.testTextsHash);
    expect(manifest(one.artifactDir).training.testTextsHash).toBe(a.testTextsHash);
    const rows = compareRunRows(a, b);
    expect(rows.find((r) => r[0] === 'metrics on')?.[3]).toBe('same rows, other tasks (see the tasks row)');
    expect(rows.find((r) => r[0] === 'intent.macro_f1')?.[3]).toMatch(/pts$/);
  }, 240_000);

  it('hashes test rows in any order: the emails without labels, and per task the emails with its truth', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const file = path.join(tmp, 'test.csv');
    writeFileSync(file, ['body,intent,queue', 'card blocked,card,cards', 'loan rate,loan,loans', 'pin lost,card,'].join('\n'));
    const config = parseTrainingConfig({ columns: { body: 'body' }, tasks: [{ name: 'intent' }, { name: 'queue' }] });
    const { rows } = await loadDataset(file, config);
    const hashes = testRowsHashes(rows, ['intent', 'queue']);
    expect(testRowsHashes([...rows].reverse(), ['intent', 'queue'])).toEqual(hashes);
    const relabel = (task: string, label: string | null) => rows.map((r, i) => (i === 2 ? { ...r, labels: { ...r.labels, [task]: label } } : r));
    // Another queue truth: the emails and the intents are the same.
    const queue = testRowsHashes(relabel('queue', 'cards'), ['intent', 'queue']);
    expect([queue.testTextsHash, queue.testTruthHashes.intent]).toEqual([hashes.testTextsHash, hashes.testTruthHashes.intent]);
    expect(queue.testTruthHashes.queue).not.toBe(hashes.testTruthHashes.queue);
    expect(testRowsHashes(relabel('intent', 'loan'), ['intent']).testTruthHashes.intent).not.toBe(hashes.testTruthHashes.intent);
    expect(testRowsHashes(rows.slice(0, 2), ['intent']).testTextsHash).not.toBe(hashes.testTextsHash);
  });

  it('warns when --test-data truths a model with other never met count as other, but not of labels it merged into other', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const words: Record<string, string[]> = { a: ['card', 'blocked', 'pin'], b: ['loan', 'rate', 'credit'], inheritance: ['estate', 'heir', 'will'], A: ['card', 'pin', 'blocked'] };
    const row = (i: number, label: string) => `${i},${words[label][i % 3]} ${words[label][(i + 1) % 3]} number ${i},${label}`;
    const data = path.join(tmp, 'train.csv');
    // 3 rows of inheritance, under minCount 5: merged into other.
    writeFileSync(data, ['id,body,topic', ...Array.from({ length: 80 }, (_, i) => row(i, i % 2 ? 'a' : 'b')), ...Array.from({ length: 3 }, (_, i) => row(100 + i, 'inheritance'))].join('\n'));
    const holdout = path.join(tmp, 'holdout.csv');
    // The test file writes `A` for `a` on 4 rows: no training row has it.
    writeFileSync(holdout, ['id,body,topic', ...Array.from({ length: 12 }, (_, i) => row(1000 + i, ['a', 'b', 'inheritance', 'A'][i % 4]))].join('\n'));
    const config = { columns: { id: 'id', body: 'body' }, tasks: [{ name: 'topic', minCount: 5 }], model: { epochs: 2, buckets: 2 ** 12, dim: 8 } };
    const warnings: string[] = [];
    await trainFromConfig({ config, dataPath: data, testDataPath: holdout, home: path.join(tmp, 'home'), logger: { warn: (m) => warnings.push(m) } });
    const said = warnings.filter((w) => w.startsWith('topic: ') && w.includes('whose truth is'));
    expect(said).toEqual([expect.stringMatching(/^topic: 3 test row\(s\) whose truth is a label no training row has \(A x3\) count as truth other in its test metrics, as labels under minCount do; if one is another spelling of a label it learnt, alias it/)]);
  }, 240_000);

  it('records the labels it merged into other in the manifest, and a new test file reads such a truth as other', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const words: Record<string, string[]> = { a: ['card', 'blocked', 'pin'], b: ['loan', 'rate', 'credit'], c: ['tax', 'form', 'year'], inheritance: ['estate', 'heir', 'will'] };
    const row = (i: number, label: string) => `${i},${words[label][i % 3]} ${words[label][(i + 1) % 3]} number ${i},${label}`;
    const data = path.join(tmp, 'train.csv');
    // 3 rows of `inheritance` and of `c`, under minCount 5: both become `other`; the queue without rare labels records none.
    writeFileSync(data, ['id,body,topic,queue', ...Array.from({ length: 80 }, (_, i) => `${row(i, i % 2 ? 'a' : 'b')},${i % 2 ? 'x' : 'y'}`), ...Array.from({ length: 6 }, (_, i) => `${row(100 + i, i % 2 ? 'inheritance' : 'c')},x`)].join('\n'));
    const config = { columns: { id: 'id', body: 'body' }, tasks: [{ name: 'topic', minCount: 5 }, { name: 'queue', minCount: 5 }], model: { epochs: 2, buckets: 2 ** 12, dim: 8 } };
    const home = path.join(tmp, 'home');
    const result = await trainFromConfig({ config, dataPath: data, home });
    const manifest = JSON.parse(readFileSync(path.join(result.artifactDir, 'manifest.json'), 'utf8'));
    expect(manifest.tasks.map((t: { mergedIntoOther?: string[] }) => t.mergedIntoOther)).toEqual([['c', 'inheritance'], undefined]);
    const fresh = path.join(tmp, 'fresh.csv');
    writeFileSync(fresh, ['id,body,topic,queue', '1,estate heir will,inheritance,x', '2,card pin blocked,a,y'].join('\n'));
    const warnings: string[] = [];
    const lines = await predictDataset({ model: result.modelId, dataPath: fresh, home, labels: 'required', onWarning: (m) => warnings.push(m) });
    expect(lines.map((l) => l.truth.topic)).toEqual(['other', 'a']);
    expect(warnings.filter((w) => w.startsWith('topic:'))).toEqual([]);
  }, 240_000);

  it('says which rows it leaves out for having no label left in any task, which the taxonomy lines count as masked', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const words: Record<string, string[]> = { a: ['card', 'blocked', 'pin'], b: ['loan', 'rate', 'credit'] };
    const row = (i: number, queue: string, topic: string) => `${i},${words.a[i % 3]} ${words.b[(i + 1) % 3]} number ${i},${queue},${topic}`;
    const data = path.join(tmp, 'train.csv');
    // Lines 82 and 83: no queue, and a retired topic.
    const rows = [...Array.from({ length: 80 }, (_, i) => row(i, i % 2 ? 'a' : 'b', i % 2 ? 'x' : 'y')), row(80, '', 'old'), row(81, '', 'old')];
    writeFileSync(data, ['id,body,queue,topic', ...rows].join('\n'));
    const config = { columns: { id: 'id', body: 'body' }, tasks: [{ name: 'queue' }, { name: 'topic', retired: ['old'] }], model: { epochs: 2, buckets: 2 ** 12, dim: 8 } };
    const warnings: string[] = [];
    const result = await trainFromConfig({ config, dataPath: data, home: path.join(tmp, 'home'), logger: { warn: (m) => warnings.push(m) } });
    expect(result.counts).toMatchObject({ read: 82, rows: 80, unlabelled: 2 });
    expect(warnings).toContainEqual(`2 row(s) left out: no label left in any task (each empty, retired or under minCount and dropped; counted as masked in the taxonomy lines): ${data}:82, ${data}:83`);
  }, 240_000);

  it('warns when a time split leaves a label, one only the newest mail has, without a training row', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const words: Record<string, string[]> = { a: ['card', 'blocked', 'pin'], b: ['loan', 'rate', 'credit'], crypto: ['bitcoin', 'wallet', 'coin'] };
    const day = (i: number) => `2026-10-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z`;
    const row = (i: number, label: string, at: string) => `${i},${words[label][i % 3]} ${words[label][(i + 1) % 3]} number ${i},${label},${at}`;
    const data = path.join(tmp, 'train.csv');
    // 80 rows in October, then 10 of a queue opened in November: the newest 20%, all of them held out.
    const rows = [...Array.from({ length: 80 }, (_, i) => row(i, i % 2 ? 'a' : 'b', day(i))), ...Array.from({ length: 10 }, (_, i) => row(100 + i, 'crypto', `2026-11-0${1 + (i % 9)}T09:00:00Z`))];
    writeFileSync(data, ['id,body,queue,received', ...rows].join('\n'));
    const config = {
      columns: { id: 'id', body: 'body', receivedAt: 'received' },
      tasks: [{ name: 'queue' }],
      split: { kind: 'time', testShare: 0.2, validShare: 0.1 },
      model: { epochs: 2, buckets: 2 ** 12, dim: 8 },
    };
    const warnings: string[] = [];
    const result = await trainFromConfig({ config, dataPath: data, home: path.join(tmp, 'home'), logger: { warn: (m) => warnings.push(m) } });
    expect(result.taxonomy[0].labels).toContain('crypto');
    expect(warnings).toContainEqual(expect.stringMatching(/^queue: no training row has the label\(s\) crypto \(0 validation, 10 test rows\): the model cannot learn them.*a time split holds out the newest mail/));
  }, 240_000);

  it('records a failed run and rethrows when the data is bad', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const home = path.join(tmp, 'home');
    const config = await loadDemoConfig();
    const bad = path.join(tmp, 'bad.csv');
    writeFileSync(bad, 'id,subject,body,html,from,bank,receivedAt,business_area,queue,topic\n1,Hallo,Text,,,,,brokerage,no_such_queue,sparplan\n');
    await expect(trainFromConfig({ config, dataPath: bad, home })).rejects.toMatchObject({ code: 'DATASET_ROW_INVALID' });
    const [run] = await listRuns(home);
    expect(run.status).toBe('failed');
    expect(run.error).toContain('bad.csv:2');
  });

  it('refuses a data file that is not there or is a folder before a run is recorded, as one it cannot read', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const home = path.join(tmp, 'home');
    const config = await loadDemoConfig();
    const data = path.join(tmp, 'demo.csv');
    await writeDemoData(data, { rows: 50, seed: 2 });
    const cases: [string[], string | undefined, string][] = [
      [[path.join(tmp, 'missing.csv')], undefined, `${path.join(tmp, 'missing.csv')}: cannot read (no such file)`],
      [[data, tmp], undefined, `${tmp}: cannot read (a directory, not a file)`],
      [[data], tmp, `${tmp}: cannot read (a directory, not a file)`],
    ];
    for (const [dataPath, testDataPath, message] of cases) {
      await expect(trainFromConfig({ config, dataPath, ...(testDataPath ? { testDataPath } : {}), home })).rejects.toMatchObject({ code: 'DATASET_FILE_INVALID', message });
    }
    expect(await listRuns(home)).toEqual([]);
  });

  it('keeps every warning it said in the run record; refuses a label column renamed in one of the exports before a run is recorded', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const home = path.join(tmp, 'home');
    const data = writeRandomTopicData(tmp);
    const config = { columns: { id: 'id', body: 'body' }, tasks: [{ name: 'queue' }, { name: 'topic' }], model: { epochs: 2, buckets: 2 ** 12, dim: 8 } };
    // An export from before the topic task: a warning, its rows trained with topic masked, and kept with the run.
    const older = path.join(tmp, 'older.csv');
    writeFileSync(older, 'id,body,queue\n1000,Karte gesperrt PIN Nummer 1000,cards\n1001,Kredit Zins Rate Nummer 1001,loans\n');
    const warnings: string[] = [];
    const result = await trainFromConfig({ config, dataPath: [older, data], home, logger: { warn: (m) => warnings.push(m) } });
    expect(warnings).toContain('older.csv has no column "topic" (another file has it: a task added since this export?): its rows train the other tasks, that task masked as for empty cells');
    expect((await readRun(home, result.runId)).warnings).toEqual(warnings);
    // The same export with the column renamed: refused by its header, no run recorded, nothing registered.
    const renamed = path.join(tmp, 'renamed.csv');
    writeFileSync(renamed, 'id,body,queue,topic_label\n1000,Karte gesperrt PIN Nummer 1000,cards,x\n');
    await expect(trainFromConfig({ config, dataPath: [renamed, data], home })).rejects.toMatchObject({
      code: 'DATASET_FILE_INVALID',
      message: expect.stringMatching(/renamed\.csv:1: header lacks column\(s\) "topic" \(did you mean "topic_label"\?\) \(has id, body, queue, topic_label\); another file of this run \(train\.csv\) has "topic"/),
    });
    expect((await listRuns(home)).map((r) => r.runId)).toEqual([result.runId]);
    expect((await createLocalRegistry({ home }).list()).map((v) => v.id)).toEqual([result.modelId]);
    rmSync(tmp, { recursive: true, force: true });
  }, 120_000);

  it('refuses data too small to train, before training, and registers nothing', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const home = path.join(tmp, 'home');
    const data = path.join(tmp, 'one.csv');
    await writeDemoData(data, { rows: 1, seed: 5 });
    const epochs: string[] = [];
    await expect(trainFromConfig({ config: await loadDemoConfig(), dataPath: data, home, onEpoch: (_r, line) => epochs.push(line) })).rejects.toMatchObject({
      code: 'DATASET_TOO_SMALL',
      message: expect.stringMatching(/task "business_area" has only the label "\w+" left.*the validation split is empty/),
    });
    expect(epochs).toEqual([]);
    expect(await createLocalRegistry({ home }).list()).toEqual([]);
    expect((await listRuns(home))[0].status).toBe('failed');
  });

  it('stops at the epoch after its signal is aborted, records the run as interrupted and registers nothing', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const home = path.join(tmp, 'home');
    const data = path.join(tmp, 'demo.csv');
    await writeDemoData(data, { rows: 300, seed: 5 });
    const controller = new AbortController();
    const stop = new Error('interrupted');
    const epochs: string[] = [];
    // Aborted from the event loop, as a Ctrl-C handler does, during the first of 30 epochs.
    const onEpoch = (_r: unknown, line: string) => {
      epochs.push(line);
      setImmediate(() => controller.abort(stop));
    };
    const config = { ...(await loadDemoConfig()), model: { ...SMALL, epochs: 30, patience: 30 } };
    await expect(trainFromConfig({ config, dataPath: data, home, onEpoch, signal: controller.signal })).rejects.toBe(stop);
    expect(epochs.length).toBeLessThanOrEqual(2);
    const [run] = await listRuns(home);
    expect(run).toMatchObject({ status: 'interrupted', finishedAt: expect.any(String) });
    expect(run.modelId).toBeUndefined();
    expect(run.epochs).toHaveLength(epochs.length);
    expect(await createLocalRegistry({ home }).list()).toEqual([]);
  });

  it('completes a run whose signal is aborted once the model is being registered: the model and its finished run agree', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const home = path.join(tmp, 'home');
    const data = path.join(tmp, 'demo.csv');
    await writeDemoData(data, { rows: 300, seed: 5 });
    const controller = new AbortController();
    const registry = createLocalRegistry({ home });
    const register = registry.register.bind(registry);
    // Ctrl-C the moment registering begins (the QA race: SIGINT as registry.json is written).
    registry.register = async (dir, options) => {
      const registering = register(dir, options);
      controller.abort(new Error('interrupted'));
      await new Promise((resolve) => setImmediate(resolve));
      return registering;
    };
    const result = await trainFromConfig({ config: { ...(await loadDemoConfig()), model: SMALL }, dataPath: data, home, registry, signal: controller.signal });
    const run = await readRun(home, result.runId);
    expect(run).toMatchObject({ status: 'finished', modelId: result.modelId });
    const [version] = await createLocalRegistry({ home }).list();
    expect(version).toMatchObject({ id: result.modelId, runId: result.runId, status: 'PendingManualApproval' });
  });

  it('keeps what it measured when registering fails, and names no model that did not get registered', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const home = path.join(tmp, 'home');
    const data = path.join(tmp, 'demo.csv');
    await writeDemoData(data, { rows: 300, seed: 5 });
    const registry = createLocalRegistry({ home });
    const register = registry.register.bind(registry);
    registry.register = () => Promise.reject(Object.assign(new Error('the registry lock is held by pid 4242'), { code: 'REGISTRY_LOCK_TIMEOUT' }));
    const warnings: string[] = [];
    const training = trainFromConfig({ config: { ...(await loadDemoConfig()), model: SMALL }, dataPath: data, home, registry, logger: { warn: (m) => warnings.push(m) } });
    await expect(training).rejects.toMatchObject({ code: 'REGISTRY_LOCK_TIMEOUT' });
    const [run] = await listRuns(home);
    expect(run).toMatchObject({ status: 'failed', error: 'the registry lock is held by pid 4242', metricsSplit: 'test', bestEpoch: expect.any(Number) });
    expect(run.metrics?.mean_macro_f1).toBeGreaterThan(0);
    expect([run.modelId, run.artifactFiles, run.artifactDir]).toEqual([undefined, undefined, undefined]);
    // The model is kept beside its run, whole, and registers later.
    const kept = path.join(home, 'runs', run.runId, 'model');
    expect(warnings).toContain(`the trained model was not registered; it is kept in ${kept}: \`mailroute registry add ${kept}\` registers it`);
    const version = await register(kept);
    expect(version.metrics.mean_macro_f1).toBeCloseTo(run.metrics?.mean_macro_f1 ?? NaN, 10);
  });

  it('records the artifact\'s file hashes; a run whose process ended after registering reads as finished, one that registered nothing as interrupted', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const home = path.join(tmp, 'home');
    const data = path.join(tmp, 'demo.csv');
    await writeDemoData(data, { rows: 300, seed: 5 });
    const result = await trainFromConfig({ config: { ...(await loadDemoConfig()), model: SMALL }, dataPath: data, home });
    const manifest = JSON.parse(readFileSync(path.join(result.artifactDir, 'manifest.json'), 'utf8'));
    const file = path.join(home, 'runs', result.runId, 'run.json');
    const finished = JSON.parse(readFileSync(file, 'utf8'));
    expect(finished.artifactFiles).toEqual(manifest.files);
    expect(Object.keys(finished.artifactFiles)).toContain('model.onnx');
    // As a kill between registering and the record's last write leaves it: running, its process gone.
    const { finishedAt: _at, durationSeconds: _d, artifactDir: _dir, ...registering } = finished;
    const gone = { ...registering, status: 'running', pid: deadPid(), host: os.hostname() };
    writeFileSync(file, JSON.stringify(gone));
    expect(await readRun(home, result.runId)).toMatchObject({ status: 'finished', modelId: result.modelId });
    // The same record under another run id: no version of the registry is of it, so nothing got registered.
    mkdirSync(path.join(home, 'runs', 'run-other'));
    writeFileSync(path.join(home, 'runs', 'run-other', 'run.json'), JSON.stringify({ ...gone, runId: 'run-other' }));
    expect((await listRuns(home)).map((r) => [r.runId, r.status])).toEqual(
      [[result.runId, 'finished'], ['run-other', 'interrupted']].sort((a, b) => (a[0] < b[0] ? 1 : -1)),
    );
  });

  it('fails before training when the registry cannot take the model', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const home = path.join(tmp, 'home');
    mkdirSync(home, { recursive: true });
    writeFileSync(path.join(home, 'registry.json'), '{ damaged');
    const data = path.join(tmp, 'demo.csv');
    await writeDemoData(data, { rows: 300, seed: 5 });
    const epochs: string[] = [];
    await expect(trainFromConfig({ config: await loadDemoConfig(), dataPath: data, home, onEpoch: (_r, l) => epochs.push(l) })).rejects.toMatchObject({ code: 'REGISTRY_INDEX_INVALID' });
    expect(epochs).toEqual([]);
    expect(await listRuns(home)).toEqual([]);
  });

  it('fails before reading the training data when the test file cannot be read', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-e2e-'));
    const home = path.join(tmp, 'home');
    const missing = path.join(tmp, 'nope.csv');
    // The training file is never opened: a name that does not exist either would fail with the test file first.
    await expect(trainFromConfig({ config: await loadDemoConfig(), dataPath: path.join(tmp, 'also-missing.csv'), testDataPath: missing, home })).rejects.toMatchObject({
      code: 'DATASET_FILE_INVALID',
      message: expect.stringContaining(`${missing}: cannot read`),
    });
    expect(await listRuns(home)).toEqual([]);
  });

  it('waits for a registry lock longer than the registry commands (15 s) do, rather than throw a trained model away', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-register-wait-'));
    const home = path.join(tmp, 'home');
    mkdirSync(home, { recursive: true });
    const data = path.join(tmp, 'demo.csv');
    await writeDemoData(data, { rows: 300, seed: 3 });
    const config = await loadDemoConfig();
    // Held by a live process (this one), as by an approval that takes long: given back 16 s after the run recorded
    // its test rows, its last step before it registers the model, so the model has waited for it longer than 15 s.
    const lock = path.join(home, 'registry.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), at: new Date().toISOString() }));
    let giveBack: NodeJS.Timeout | undefined;
    const watch = setInterval(() => {
      void listRuns(home).then((runs) => {
        if (giveBack !== undefined || runs[0]?.testRowsFingerprint === undefined) return;
        giveBack = setTimeout(() => rmSync(lock, { force: true }), 16_000);
      });
    }, 100);
    try {
      const result = await trainFromConfig({ config: { ...config, model: SMALL }, dataPath: data, home });
      expect(giveBack).toBeDefined();
      expect((await createLocalRegistry({ home }).list()).map((v) => v.id)).toEqual([result.modelId]);
    } finally {
      clearInterval(watch);
      clearTimeout(giveBack);
    }
  }, 120_000);

  it('ensureDemoChampion called twice at once on an empty home trains one model, which both return', async () => {
    const home = path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-champion-race-')), 'home');
    const said: string[] = [];
    const logger = { info: (message: string) => void said.push(message), warn: () => undefined };
    const [a, b] = await Promise.all([ensureDemoChampion({ home, rows: 500, logger }), ensureDemoChampion({ home, rows: 500, logger })]);
    expect(b.id).toBe(a.id);
    expect(await createLocalRegistry({ home }).list()).toHaveLength(1);
    expect(said.filter((m) => m.startsWith('another mailroute trained the demo model meanwhile'))).toHaveLength(1);
  }, 240_000);

  it('ensureDemoChampion trains and approves a champion once, then returns it', async () => {
    const home = path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-champion-')), 'home');
    const first = await ensureDemoChampion({ home, rows: 500 });
    expect(first.status).toBe('Approved');
    const registry = createLocalRegistry({ home });
    expect((await registry.champion())?.id).toBe(first.id);
    // Approved and noted by the command a user ran (`registry history`, `runs show`), not by a function's name.
    expect(first.statusChangedBy).toBe('mailroute start');
    expect(await registry.championChanges()).toEqual([expect.objectContaining({ id: first.id, via: 'approve', by: 'mailroute start', note: 'demo model (synthetic data)' })]);
    expect((await readRun(home, first.runId as string)).note).toBe('demo model trained on synthetic data by mailroute start');
    const again = await ensureDemoChampion({ home, rows: 500 });
    expect(again.id).toBe(first.id);
    expect(await registry.list()).toHaveLength(1);
    // Rejected, the demo model is not replaced by another: the registry has versions, the team decides.
    await registry.reject(first.id, { by: 'test' });
    await expect(ensureDemoChampion({ home, rows: 500 })).rejects.toMatchObject({ code: 'REGISTRY_NOT_APPROVED', message: expect.stringMatching(/has 1 version\(s\) but no champion \(0 waiting for approval\); every one is Rejected: train a new one .* --force --note <why>\)/) });
    expect(await registry.list()).toHaveLength(1);
    // Approved again without being made champion: the way out is one command, not "every one is Rejected".
    await registry.approve(first.id, { by: 'test', force: true, promote: false });
    expect(await registry.champion()).toBeUndefined();
    await expect(ensureDemoChampion({ home, rows: 500 })).rejects.toMatchObject({
      code: 'REGISTRY_NOT_APPROVED',
      message: expect.stringContaining(`(0 waiting for approval); 1 version(s) are Approved but none is the champion: make one champion (mailroute registry champion ${first.id}, the newest Approved)`),
    });
  }, 240_000);
});
