import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Classifier, readVerifiedManifest } from '@mailroute/model';
import { demoRowsToCsv, generateDemoRows } from '@mailroute/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureStream, filesUnder } from '../test-support.js';
import { runTrainingJob } from './run-training-job.js';
import { sageMakerPaths } from './sagemaker-paths.js';
import { demoExports, simulateSageMaker, smallDemoConfig, type SimulatedJob } from './test-support.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-training-job-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let roots = 0;
/** Runs the job on a fresh simulated /opt/ml; its outcome, output and root. */
async function runJob(job: SimulatedJob) {
  const root = path.join(dir, `ml-${++roots}`);
  await simulateSageMaker(root, job);
  const stdout = captureStream();
  const stderr = captureStream();
  const outcome = await runTrainingJob({ paths: sageMakerPaths({}, root), stdout: stdout.stream, stderr: stderr.stream, tmpDir: dir }).then(
    (result) => ({ result, error: undefined }),
    (error: Error) => ({ result: undefined, error }),
  );
  const failure = await readFile(path.join(root, 'output/failure'), 'utf8').catch(() => undefined);
  return { ...outcome, root, stdout: stdout.text(), stderr: stderr.text(), failure, model: await filesUnder(path.join(root, 'model')) };
}

describe('the SageMaker training job', () => {
  it('trains on every export of the data channel and leaves the artifact, and nothing else, in the model directory', async () => {
    const config = await smallDemoConfig();
    const job = await runJob({ hyperparameters: { config: 'demo.json', note: 'execution 42' }, config: { 'demo.json': config }, data: demoExports() });
    expect(job.error).toBeUndefined();
    expect(job.failure).toBeUndefined();
    // Every export, in the order of their paths in the channel, subfolders included.
    expect(job.result?.dataFiles.map((f) => path.relative(path.join(job.root, 'input/data/training'), f))).toEqual(['2026-10/export.jsonl', '2026-11/export.jsonl', 'export.csv']);
    // The epoch lines SageMaker's metric regexes read, on stdout as `mailroute train` prints them.
    expect(job.stdout.match(/^\{'loss': .*'epoch': [\d.]+\}$/gm)).toHaveLength(3);
    expect(job.stdout).toMatch(/'eval_f1': /);
    expect(job.stderr).toContain('note: execution 42');
    const modelDir = path.join(job.root, 'model');
    const manifest = await readVerifiedManifest(modelDir);
    expect(manifest.modelId).toBe(job.result?.modelId);
    expect(job.model).toEqual(['manifest.json', ...Object.keys(manifest.files)].sort());
    // The run's record outlives the scratch home: SageMaker keeps output/data as output.tar.gz.
    const record = JSON.parse(await readFile(path.join(job.root, 'output/data/run.json'), 'utf8'));
    expect(record).toMatchObject({ status: 'finished', modelId: manifest.modelId, note: 'execution 42', artifactFiles: manifest.files });
    expect(record.epochs).toHaveLength(3);
    expect(Object.keys(record.metrics)).toContain('queue.macro_f1');
    expect((await readFile(path.join(job.root, 'output/data/epochs.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(3);
    // All three files trained it: 400 rows read, less the held-out test rows.
    expect(job.stderr).toContain('400 row(s) read, 400 used');
    const counts = manifest.training?.counts as { train: number; valid: number };
    expect(counts.train + counts.valid).toBeGreaterThan(300);
    process.env.ORT_DISABLE_TELEMETRY ??= '1';
    const classifier = await Classifier.load(modelDir);
    try {
      const [prediction] = await classifier.predict([{ id: 'd1', subject: 'Depotübertrag', body: 'Bitte übertragen Sie mein Depot zur neuen Bank.' }]);
      expect(Object.keys(prediction.tasks).sort()).toEqual(['business_area', 'queue', 'topic']);
    } finally {
      await classifier.release();
    }
  }, 120_000);

  it("trains each email once where the pipeline's feedback file holds emails of a CRM export: the confirmed labels replace the export's", async () => {
    const rows = generateDemoRows({ rows: 300, seed: 7 });
    // The cases people confirmed, 40 of the export's emails, with the labels they confirmed last.
    const confirmed = rows.slice(0, 40).map((r) => ({ ...r, queue: 'complaints' }));
    const data = { 'export.csv': demoRowsToCsv(rows), 'mailroute-feedback/confirmed-cases.csv': demoRowsToCsv(confirmed) };
    const job = await runJob({ config: { 'train-config.json': await smallDemoConfig() }, data });
    expect(job.error).toBeUndefined();
    expect(job.stderr).toMatch(/40 row\(s\) of confirmed-cases\.csv merged into the other exports' rows of the same emails \(.*confirmed-cases\.csv:\d+, .*, \.\.\.\): the labels people confirmed last replace theirs, task by task/);
    expect(job.stderr).toMatch(/340 row\(s\) read, 300 used \(.*\); 40 left out: 40 merged into the rows of the same emails \(their confirmed labels\)/);
    expect(job.stderr).not.toContain('are carried by several rows');
    // A file of another name is one more export: its repeated ids are warned of, as before.
    const other = await runJob({ config: { 'train-config.json': await smallDemoConfig() }, data: { 'export.csv': demoRowsToCsv(rows), 'cases.csv': demoRowsToCsv(confirmed) } });
    expect(other.stderr).toContain('are carried by several rows');
  }, 120_000);

  const failures: Array<[string, SimulatedJob | (() => Promise<SimulatedJob>), RegExp]> = [
    ['no data channel', async () => ({ config: { 'train-config.json': await smallDemoConfig() } }), /^\[TRAINING_JOB_NO_DATA\] no "training" channel: /],
    ['a data channel without exports', async () => ({ config: { 'train-config.json': await smallDemoConfig() }, data: { 'notes.txt': 'x', '.hidden.csv': 'id\n' } }), /^\[TRAINING_JOB_NO_DATA\] the "training" channel \(.*\) holds 2 file\(s\), none named \.csv/],
    [
      'a file beside the exports that the job cannot read (a compressed export)',
      async () => ({ config: { 'train-config.json': await smallDemoConfig() }, data: { ...demoExports(), '2026-12/export.csv.gz': 'gzip', '.keep': '' } }),
      /^\[TRAINING_JOB_UNREAD_DATA\] the "training" channel \(.*\) holds 1 file\(s\) the job cannot read: 2026-12\/export\.csv\.gz; it reads \.csv, /,
    ],
    ['no config file (the default name)', { data: { 'a.csv': 'id,subject\n1,x\n' } }, /^\[TRAINING_JOB_CONFIG_MISSING\] no training config train-config\.json \(the default name, the one the retraining pipeline asks for\) in the "config" channel: .* cannot be read \(ENOENT\); the channel is missing$/],
    [
      'a config under another name than the pipeline asks for',
      async () => ({ hyperparameters: { config: 'train-config.json' }, config: { 'crm-config.json': await smallDemoConfig() }, data: demoExports() }),
      /^\[TRAINING_JOB_CONFIG_MISSING\] no training config train-config\.json \(the default name, .*\(ENOENT\); the channel holds crm-config\.json$/,
    ],
    ['a config that is no JSON', { config: { 'train-config.json': '{ "tasks": ' }, data: { 'a.csv': 'id\n1\n' } }, /^\[TRAINING_CONFIG_INVALID\] .*train-config\.json:1:12: not JSON/],
    ['a config the schema refuses', { config: { 'train-config.json': { tasks: [] } }, data: { 'a.csv': 'id\n1\n' } }, /^\[TRAINING_CONFIG_INVALID\] .*train-config\.json: columns is required/],
    ['a config name out of the channel', { hyperparameters: { config: '../training/a.csv' }, data: { 'a.csv': 'id\n1\n' } }, /^\[TRAINING_JOB_HYPERPARAMETERS_INVALID\] hyperparameter "config" must name a file inside the "config" channel/],
    ['hyperparameters that are not plain values', { hyperparameters: { config: { file: 'x' } } }, /^\[TRAINING_JOB_HYPERPARAMETERS_INVALID\] .*hyperparameters\.json must be a JSON object of string values/],
    [
      'a bad row (a label outside the taxonomy)',
      async () => {
        const data = demoExports();
        return { config: { 'train-config.json': await smallDemoConfig() }, data: { ...data, '2026-11/export.jsonl': data['2026-11/export.jsonl'].replace('"queue":"complaints"', '"queue":"no_such_queue"') } };
      },
      // The job takes no flags: its hints name the config's keys only.
      /^\[DATASET_ROW_INVALID\] 1 bad row\(s\) .*2026-11\/export\.jsonl:2, column "queue": label "no_such_queue" is not in the queue taxonomy.*set "onBadRow": "skip" in the config to train without them\)$/,
    ],
    [
      'a bad row whose cell holds personal data (masked: the failure file becomes the FailureReason no one can delete)',
      async () => {
        const data = demoExports();
        const leaked = '"queue":"Anna Schmidt anna.schmidt@example.de DE89 3704 0044 0532 0130 00"';
        return { config: { 'train-config.json': await smallDemoConfig() }, data: { ...data, '2026-11/export.jsonl': data['2026-11/export.jsonl'].replace('"queue":"complaints"', leaked) } };
      },
      /^\[DATASET_ROW_INVALID\] (?!.*anna\.schmidt)(?!.*DE89 3704)(?=.*\[EMAIL\] \[IBAN\]).*export\.jsonl:2, column "queue"/,
    ],
    [
      'an export split by another delimiter than the config says',
      async () => ({ config: { 'train-config.json': await smallDemoConfig() }, data: { 'a.csv': demoRowsToCsv(generateDemoRows({ rows: 60 })).replace(/,/g, ';') } }),
      /its first line is split by ";": set "delimiter": ";" in the config(?!.*--delimiter)/,
    ],
    [
      'no usable rows (every email without text)',
      async () => {
        const rows = generateDemoRows({ rows: 60 }).map((row) => ({ ...row, subject: '', body: '', html: '' }));
        return { config: { 'train-config.json': { ...(await smallDemoConfig()), onBadRow: 'skip' } }, data: { 'a.csv': demoRowsToCsv(rows) } };
      },
      /^\[DATASET_EMPTY\] .*a\.csv: no usable rows: of 60 row\(s\) read, 60 bad/,
    ],
  ];
  it.each(failures)('on %s, writes the reason to output/failure, exits with the error and leaves the model directory empty', async (_name, job, reason) => {
    const run = await runJob(typeof job === 'function' ? await job() : job);
    expect(run.error).toBeDefined();
    expect(run.failure).toMatch(reason);
    expect(run.failure).not.toContain('\n');
    expect(Buffer.byteLength(run.failure ?? '')).toBeLessThanOrEqual(1024);
    expect(run.model).toEqual([]);
  }, 60_000);

  it('keeps the record of a run that failed in its data, with its error, in output/data', async () => {
    const rows = generateDemoRows({ rows: 60 }).map((row) => ({ ...row, subject: '', body: '', html: '' }));
    const run = await runJob({ config: { 'train-config.json': { ...(await smallDemoConfig()), onBadRow: 'skip' } }, data: { 'a.csv': demoRowsToCsv(rows) } });
    expect(run.error).toBeDefined();
    const record = JSON.parse(await readFile(path.join(run.root, 'output/data/run.json'), 'utf8'));
    expect(record).toMatchObject({ status: 'failed', error: expect.stringContaining('no usable rows') });
    expect(record.modelId).toBeUndefined();
  }, 60_000);

  it('says when the run record cannot be kept, and leaves no temp file in output/data', async () => {
    const rows = generateDemoRows({ rows: 60 }).map((row) => ({ ...row, subject: '', body: '', html: '' }));
    const root = path.join(dir, 'ml-record-blocked');
    await simulateSageMaker(root, { config: { 'train-config.json': { ...(await smallDemoConfig()), onBadRow: 'skip' } }, data: { 'a.csv': demoRowsToCsv(rows) } });
    // A folder where run.json goes: the copy is made, its move fails.
    await mkdir(path.join(root, 'output/data/run.json/kept'), { recursive: true });
    const stderr = captureStream();
    await expect(runTrainingJob({ paths: sageMakerPaths({}, root), stdout: captureStream().stream, stderr: stderr.stream, tmpDir: dir })).rejects.toThrow();
    expect(stderr.text()).toContain(`warning: the run record was not kept in ${path.join(root, 'output/data')}`);
    expect(await readdir(path.join(root, 'output/data'))).toEqual(['run.json']);
  }, 60_000);

  it('refuses a model directory that already holds files, and leaves them', async () => {
    const root = path.join(dir, 'ml-held');
    await simulateSageMaker(root, { config: { 'train-config.json': await smallDemoConfig() }, data: demoExports() });
    await writeFile(path.join(root, 'model/old.bin'), 'old');
    const err = captureStream();
    await expect(runTrainingJob({ paths: sageMakerPaths({}, root), stdout: captureStream().stream, stderr: err.stream, tmpDir: dir })).rejects.toThrow(/already holds old\.bin/);
    expect(await readFile(path.join(root, 'output/failure'), 'utf8')).toMatch(/^\[TRAINING_JOB_MODEL_DIR_NOT_EMPTY\]/);
    expect(await filesUnder(path.join(root, 'model'))).toEqual(['old.bin']);
  });
});
