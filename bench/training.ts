/**
 * Training benchmark: BANKING77 (train.csv -> test.csv) and the support tickets (v4 + v5, three tasks,
 * stratified 80/20 with seed 0), trained with the configs in bench/configs/ exactly as
 * `mailroute train` does, side by side with the scikit-learn reference (TF-IDF word 1-2 + char_wb 2-5,
 * LinearSVC) on the same split in the same run. Training runs in a child process so its peak RSS is its own.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadTrainingConfig } from '@mailroute/training';
import { hasReference, REFERENCE_ABSENT, runReference, ticketFiles, writeReferenceInput } from './lib/reference.js';
import { sharedData, sharedDataAbsent, skippedSection, type Figure, type SectionResult, type Table } from './lib/report.js';

interface Spec {
  name: string;
  config: string;
  data: string[];
  test?: string;
}

interface ChildResult {
  artifactDir: string;
  metrics: Record<string, number>;
  counts: Record<string, number>;
  trainingSeconds: number;
  wallSeconds: number;
  maxRssMiB: number;
}

/** Throughput samples per model (each predicts every test row once); the median is reported. */
const THROUGHPUT_SAMPLES = 9;

function runTraining(spec: Spec, home: string): ChildResult {
  const args = ['--import', 'tsx', path.resolve('bench/training-child.ts'), home, spec.config, spec.test ?? '-', ...spec.data];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`training ${spec.name} failed: ${r.stderr.split('\n').slice(-5).join(' ')}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as ChildResult;
}

/** Emails per second in one thread (cleaning + featurizing + ONNX with one intra-op thread), measured in a fresh process. */
function throughput(artifactDir: string, emailsFile: string): { endToEnd: number; modelOnly: number; endToEndSamples: number[] } {
  const args = ['--import', 'tsx', path.resolve('bench/throughput-child.ts'), artifactDir, emailsFile, String(THROUGHPUT_SAMPLES)];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`throughput of ${artifactDir} failed: ${r.stderr.split('\n').slice(-5).join(' ')}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as { endToEnd: number; modelOnly: number; endToEndSamples: number[] };
}

const r4 = (x: number | undefined) => (x === undefined ? null : Math.round(x * 10_000) / 10_000);

export async function run(): Promise<SectionResult> {
  const shared = sharedData();
  const section = 'training';
  if (!shared) return skippedSection(section, `${sharedDataAbsent()}.`);
  const withReference = hasReference();
  const notes: string[] = [];
  if (!withReference) notes.push(REFERENCE_ABSENT);
  const specs: Spec[] = [
    { name: 'banking77', config: 'bench/configs/banking77.json', data: [path.join(shared, 'banking77/train.csv')], test: path.join(shared, 'banking77/test.csv') },
    { name: 'tickets', config: 'bench/configs/tickets.json', data: ticketFiles(shared) },
  ];
  if (process.env.MAILROUTE_BENCH_SINGLE_TASK === '1') {
    specs.push({ ...specs[1], name: 'tickets single-task', config: 'bench/configs/tickets-single-task.json' });
  } else {
    notes.push('Multi-task vs single-task: set MAILROUTE_BENCH_SINGLE_TASK=1 to add the tickets in single-task mode (one model per task).');
  }
  const quality: Table = { title: 'Quality on the test set (ours vs scikit-learn reference, same split)', columns: ['dataset', 'task', 'test rows', 'accuracy', 'macro-F1', 'ref accuracy', 'ref macro-F1', 'macro-F1 - ref'], rows: [] };
  const cost: Table = {
    title: 'Cost',
    columns: ['dataset', 'train+valid rows', 'trainer s', 'whole run s', 'ref fit s', 'trainer / ref', 'peak RSS MiB', 'ref peak RSS MiB', 'emails/s end-to-end', 'emails/s model only', 'ref emails/s', 'end-to-end / ref'],
    rows: [],
  };
  const figures: Figure[] = [];
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-bench-training-'));
  try {
    for (const spec of specs) {
      const dir = mkdtempSync(path.join(tmp, `${spec.name.replace(/\W+/g, '-')}-`));
      await writeReferenceInput(await loadTrainingConfig(spec.config), spec.data, dir, spec.test);
      const ref = withReference ? runReference(dir) : undefined;
      if (typeof ref === 'string') notes.push(`${spec.name}: ${ref}`);
      const reference = typeof ref === 'object' ? ref : undefined;
      // Said on each figure that has no sklearn side, not only in the notes.
      const noReference = { note: withReference ? 'scikit-learn reference FAILED (see notes)' : 'scikit-learn reference ABSENT (no Python with sklearn)' };
      const ours = runTraining(spec, path.join(tmp, 'home'));
      const speed = throughput(ours.artifactDir, path.join(dir, 'emails.jsonl'));
      notes.push(`${spec.name} throughput samples, end to end (emails/s): ${speed.endToEndSamples.join(', ')}.`);
      const tasks = Object.keys(ours.metrics).filter((k) => k.endsWith('.macro_f1')).map((k) => k.slice(0, -'.macro_f1'.length));
      for (const task of tasks) {
        const refTask = reference?.tasks[task];
        const f1 = ours.metrics[`${task}.macro_f1`];
        quality.rows.push([spec.name, task, ours.metrics[`${task}.support`], r4(ours.metrics[`${task}.accuracy`]), r4(f1), r4(refTask?.accuracy), r4(refTask?.macro_f1), refTask ? r4(f1 - refTask.macro_f1) : null]);
        figures.push({ name: `${spec.name} ${task} macro-F1`, value: r4(f1), unit: 'F1', ...(refTask ? { reference: { name: 'sklearn TF-IDF + LinearSVC', value: r4(refTask.macro_f1) } } : reference ? { note: 'the reference has no such task' } : noReference) });
      }
      if (spec.name === 'banking77') {
        figures.push({ name: 'banking77 accuracy', value: r4(ours.metrics['intent.accuracy']), unit: 'accuracy', reference: { name: 'target', value: 0.913 }, ...(reference ? { note: `sklearn here: ${r4(reference.tasks.intent?.accuracy)}` } : noReference) });
      }
      const trainRows = (ours.counts.train ?? 0) + (ours.counts.valid ?? 0);
      // The reference's emails per second: vectorizing raw text and predicting every task (median of its passes).
      const refSpeed = reference && reference.predict_seconds > 0 ? reference.test_rows / reference.predict_seconds : undefined;
      cost.rows.push([
        spec.name, trainRows, r4(ours.trainingSeconds), r4(ours.wallSeconds), reference ? r4(reference.fit_seconds) : null,
        reference ? r4(ours.trainingSeconds / reference.fit_seconds) : null, Math.round(ours.maxRssMiB), reference ? Math.round(reference.max_rss_mib) : null,
        Math.round(speed.endToEnd), Math.round(speed.modelOnly), refSpeed === undefined ? null : Math.round(refSpeed), refSpeed === undefined ? null : r4(speed.endToEnd / refSpeed),
      ]);
      figures.push({ name: `${spec.name} training time (trainer)`, value: r4(ours.trainingSeconds), unit: 's', ...(reference ? { reference: { name: 'sklearn fit (vectorize + LinearSVC)', value: r4(reference.fit_seconds) } } : noReference) });
      figures.push({ name: `${spec.name} peak memory while training`, value: Math.round(ours.maxRssMiB), unit: 'MiB', reference: { name: 'target', value: 1024 } });
      figures.push({
        name: `${spec.name} prediction throughput, one thread, end to end`,
        value: Math.round(speed.endToEnd),
        unit: 'emails/s',
        reference: { name: 'target', value: 10_000 },
        ...(refSpeed === undefined ? (reference ? {} : noReference) : { note: `sklearn vectorize + predict here: ${Math.round(refSpeed)} emails/s (ratio ${(speed.endToEnd / refSpeed).toFixed(2)})` }),
      });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  notes.push(
    'Ours: the configs in bench/configs/ through trainFromConfig (clean with prepareModelInput, ngram-bag trainer, ONNX export, test metrics through onnxruntime). "trainer s" is trainNgramBag alone; "whole run s" adds loading, cleaning, export, evaluation and registration.',
    'Reference: bench/sklearn_reference.py on raw subject + body of the same rows (train = our train + validation rows; test identical); "ref fit s" is vectorizer fit + LinearSVC fit for all tasks; "ref emails/s" is the test rows over the median of 5 passes of vectorizing them and predicting every task (no cleaning: raw text), after one warm-up pass.',
    'Training time is one run per side (trainer, then reference fit, at different moments of the run): read "trainer / ref" with the machine\'s load in mind.',
    `Throughput: the test rows predicted by Classifier.predictPrepared in batches of 2048 with one onnxruntime intra-op thread, in a fresh process (bench/throughput-child.ts) so that this process's datasets and garbage do not weigh on it; end to end includes prepareModelInput (cleaning); median of ${THROUGHPUT_SAMPLES} passes over the test rows after warm-up passes of at least 1 s in all (and at least 3).`,
    'This machine is shared (2 cores for several people at once), so times are noisy; ratios within one run are the fairer figure.',
  );
  return { section, figures, tables: [quality, cost], notes };
}
