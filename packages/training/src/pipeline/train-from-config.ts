import { createHash } from 'node:crypto';
import { access, constants, cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  Classifier, createLocalRegistry, ManifestSchema, ownValue, prepareModelInput, processAlive, writeFileAtomic,
  type ModelInput, type ModelLogger, type ModelRegistry, type ModelVersion,
} from '@mailroute/model';
import { targetFor, type TargetPrecision } from '@mailroute/evaluation';
import { parseTrainingConfig, type TrainingConfig } from '../config.js';
import { dedupeKeyText, dedupeText, loadDataset, maskedNotInModel, type DatasetRow } from '../data/dataset.js';
import { retiredRoutingRows, retiredRoutingWarnings, routingTaskOf, unsetRoutingWarning } from './retired-routing.js';
import { rowsThatTrain } from './recount-taxonomy.js';
import { implausibleTimeWarning, splitDataset, timeTieWarning } from '../data/split.js';
import { renamedOverTimeWarnings } from '../data/renamed-over-time.js';
import { labelTally } from '../data/quoted-cell.js';
import { checkOneDelimiter } from '../data/file-delimiters.js';
import { checkRenamedLabelColumns } from '../data/label-column-headers.js';
import { countNearDuplicates, nearDuplicateWarning } from '../data/near-duplicates.js';
import { withoutExactCopies } from '../data/duplicate-rows.js';
import { exportNgramBag, NgramBagParamsSchema, trainNgramBag, type EpochReport, type TaskSpec, type TrainExample } from '../ngram-bag/index.js';
import { formatTaxonomyReport, OTHER_LABEL, type TaskTaxonomyReport } from '../taxonomy.js';
import { formatEpochLine } from '../tracking/format.js';
import { gitCommit, gitDirty, newId, RunTracker } from '../tracking/run-record.js';
import { headlineFromProbs, predictProbs, type OnProgress } from './evaluate-split.js';
import { operatingPoints, shortBeyondChance, shortOfTargetWarning, type OperatingPoint } from './operating-points.js';
import { inputsOf, prepareInputsStoppably, rowsFingerprint, type SplitKey } from './model-rows.js';
import { exportHeapWarning } from './memory-estimate.js';
import { checkTrainable, fewRoutingRowsWarning, untrainedLabelWarnings } from './trainable.js';
import { badRowsWarning, repeatedIdsWarning } from './bad-rows.js';
import { rowCountsLine, type TestFileCounts } from './row-counts.js';
import { labelCounts, skippedLabelWarnings } from '../data/renamed-labels.js';
import { DatasetError, readProblem } from '../errors.js';
import { notKeptWarning, reasonOf, runRecordWriteError, scratchWriteError } from './write-failures.js';

export interface TrainFromConfigOptions {
  /** A parsed config or its JSON value (parsed here). */
  config: TrainingConfig | unknown;
  /** The file it was read from (--config), for hints that say to change it; absent: the demo config was used. */
  configFile?: string;
  /** Trained by the container's training job, which takes no flags: hints about the data name config keys only. */
  job?: boolean;
  /** One export or several read together. */
  dataPath: string | readonly string[];
  /**
   * One of `dataPath` whose labels replace, task by task, those of the others' rows of the same email id (its rows so
   * merged left out): the confirmed cases mailroute exported (the retraining pipeline's feedback file) beside CRM
   * exports of the same closed cases. Said in a line of the log.
   */
  supersedingDataPath?: string;
  /** A separate test file (e.g. Banking77's test.csv): no test share is then split off the data. */
  testDataPath?: string;
  /** `MAILROUTE_HOME`: the registry and `runs/` live here. */
  home: string;
  onProgress?: OnProgress;
  /** Each epoch's report and its `{'loss': ...}` line. */
  onEpoch?: (report: EpochReport, line: string) => void;
  logger?: ModelLogger;
  /** Where to register (default: the local registry under `home`). */
  registry?: ModelRegistry;
  note?: string;
  /**
   * Stops the run (Ctrl-C): aborted before the model is registered, the run stops at the next epoch or
   * step, is recorded as interrupted and rejects with the signal's reason, registering nothing; once
   * registering has begun, the run completes (the model and its run agree).
   */
  signal?: AbortSignal;
}

export interface TrainFromConfigResult {
  modelId: string;
  runId: string;
  /** Test-split metrics (validation split when there is no test split; see `metricsSplit`). */
  metrics: Record<string, number>;
  metricsSplit: 'test' | 'valid';
  /** The registered artifact directory. */
  artifactDir: string;
  version: ModelVersion;
  taxonomy: TaskTaxonomyReport[];
  counts: Record<string, number>;
  trainingSeconds: number;
  /** The epoch whose weights were kept (early stopping; the last averaged one when an average was kept). */
  bestEpoch: number;
  /** The mean validation macro-F1 of the weights kept (the average's when an average was kept). */
  bestValidF1: number | null;
  /** How many final epochs were averaged into the kept weights (0: one epoch's weights). */
  averagedEpochs: number;
  /**
   * `single-task` mode only: per task, the epoch its own part kept (the last averaged one when an average was kept) and
   * how many epochs that part averaged. `bestEpoch` is then the latest of them, and `bestValidF1` the mean of each
   * task's own kept F1 (each picked on the validation rows), higher than any one epoch's mean may be.
   */
  taskEpochs?: Record<string, { epoch: number; averaged: number }>;
  /**
   * Each task's operating point at its threshold on the measured rows (also in `metrics` as `<task>.coverage` and
   * `<task>.answered_precision`); absent when the figures are the first run's before a refit (no test rows).
   */
  operating?: OperatingPoint[];
}

/** The rows that carry a label of `task`. */
function labelledCount(rows: readonly DatasetRow[], task: string): number {
  return rows.filter((row) => row.labels[task] !== null && row.labels[task] !== undefined).length;
}

/** Validation emails answered below which a threshold said to reach the target precision is warned of. */
const FEW_ANSWERED = 20;

/** Per task, the precision its threshold aims for: its own `targetPrecision`, else the run's (`params.targetPrecision`). */
export function taskTargets(tasks: readonly TaskSpec[], runTarget: number): Record<string, number> {
  return Object.fromEntries(tasks.map((task) => [task.name, task.targetPrecision ?? runTarget]));
}

/**
 * Tasks whose abstention threshold reaches the target precision on fewer than FEW_ANSWERED validation emails: the
 * highest cut that reaches it on a small sample is chosen for its luck, and new mail falls short of it. Each task's
 * own target is named (`target`: one for all, or per task).
 */
export function fewAnsweredWarnings(calibration: Record<string, { thresholdReached: boolean; validCoverage: number }>, valid: readonly DatasetRow[], target: TargetPrecision): string[] {
  const out: string[] = [];
  for (const [task, c] of Object.entries(calibration)) {
    const labelled = labelledCount(valid, task);
    const answered = Math.round(c.validCoverage * labelled);
    if (c.thresholdReached && answered < FEW_ANSWERED) {
      const own = targetFor(target, task);
      out.push(`${task}: its abstention threshold reaches the target precision${own === undefined ? '' : ` (${own})`} on only ${answered} of ${labelled} validation email(s): too few to trust, so on new mail its precision may well fall short (give more validation rows, or a lower targetPrecision)`);
    }
  }
  return out;
}

/** `48.3%`. */
const percent = (share: number) => `${(100 * share).toFixed(1)}%`;

/**
 * Tasks whose abstention threshold reaches no cut of the target precision on their validation rows: it is then the cut
 * of the best precision among those that keep at least 10% of the rows, which may abstain on most mail (said, with how
 * much). Tasks without a labelled validation row are left to `calibrationWarnings` (threshold 0: it never abstains).
 * Each task's own target is named (`target`: one for all, or per task).
 */
export function unreachedPrecisionWarnings(calibration: Record<string, { thresholdReached: boolean; validPrecision: number; validCoverage: number }>, valid: readonly DatasetRow[], target: TargetPrecision): string[] {
  const out: string[] = [];
  for (const [task, c] of Object.entries(calibration)) {
    if (c.thresholdReached || labelledCount(valid, task) === 0) continue;
    const abstains = c.validCoverage >= 1 ? 'it never abstains' : `it abstains on about ${Math.round(100 * (1 - c.validCoverage))}% of mail`;
    const own = targetFor(target, task);
    out.push(`${task}: no threshold reaches ${own === undefined ? 'its target precision' : `precision ${own}`} on validation; the best is ${percent(c.validPrecision)} at ${percent(c.validCoverage)} coverage: ${abstains} (a lower targetPrecision, or more training rows, lets it answer more)`);
  }
  return out;
}

/** Labelled rows under which a task's calibration or test figures are said to rest on too few. */
const FEW_ROWS = 20;

/** Validation accuracy from which a temperature at the low end of its range is that of a task learnt almost perfectly. */
const SEPARATED_ACCURACY = 0.99;

/**
 * Tasks whose calibration hit the end of its range (temperature 20 or 0.05): scores far more (or less) sure than the
 * answers are right, as a diverging run or a task the model did not learn leaves them; not a task at 0.05 that gets
 * SEPARATED_ACCURACY of its validation rows right (`validAccuracy`): its confident, right scores are sharpened to the
 * end of the range, and nothing is wrong. And tasks with few labelled validation or test rows, whose temperature and
 * threshold, or test figures (which the registered mean includes), rest on those few; a task with none in the test
 * rows is said not to be measured, nor in the registered mean.
 */
export function calibrationWarnings(calibration: Record<string, { temperature: number; validAccuracy?: number }>, tasks: readonly string[], rows: { valid: readonly DatasetRow[]; test: readonly DatasetRow[] }): string[] {
  const out: string[] = [];
  for (const task of tasks) {
    const t = calibration[task]?.temperature;
    const separated = (calibration[task]?.validAccuracy ?? 0) >= SEPARATED_ACCURACY;
    if (t !== undefined && (t >= 19.9 || (t <= 0.0505 && !separated))) {
      out.push(`${task}: its calibration temperature is at the end of its range (${t.toFixed(2)}): its scores on the validation split are ${t > 1 ? 'far surer' : 'far less sure'} than its answers are right, as a diverging training or a task the model did not learn leaves them; its confidences and abstention threshold mean little: check its test figures (a learning rate or l2 too large?)`);
    }
    const valid = labelledCount(rows.valid, task);
    if (valid < FEW_ROWS) out.push(`${task}: only ${valid} validation row(s) carry its label: its temperature and abstention threshold are fitted on ${valid === 0 ? 'none (temperature 1, threshold 0: it never abstains)' : 'too few to trust'}`);
    const test = labelledCount(rows.test, task);
    if (rows.test.length > 0 && test === 0) out.push(notMeasuredWarning(task, tasks.filter((t) => labelledCount(rows.test, t) > 0)));
    else if (rows.test.length > 0 && test < FEW_ROWS) out.push(`${task}: only ${test} test row(s) carry its label: its test figures, which the registered mean macro-F1 includes, rest on those`);
  }
  return out;
}

/**
 * For a task no test row has a label for: it has no test figures, and the registered mean macro-F1 is a mean over
 * the `measured` tasks only, not comparable with a mean over every task.
 */
function notMeasuredWarning(task: string, measured: readonly string[]): string {
  const mean = measured.length === 0 ? 'there is no registered mean macro-F1' : `the registered mean macro-F1 leaves it out (a mean over ${measured.join(', ')} only, not comparable with a mean over every task)`;
  return `${task}: no test row carries its label: it is not measured on the test rows, and ${mean}`;
}

/**
 * Per-task, per-row scores (the trainer's form, tasks in order) as each task's flat rows of its labels (the
 * classifier's). Logits will do for `headlineFromProbs`, which reads only each row's argmax: the softmax keeps it.
 */
function asFlatScores(tasks: readonly TaskSpec[], byTask: readonly (readonly Float64Array[])[]): Record<string, Float32Array> {
  const probs: Record<string, Float32Array> = {};
  tasks.forEach((task, t) => {
    const flat = new Float32Array(byTask[t].length * task.labels.length);
    byTask[t].forEach((row, i) => flat.set(row, i * task.labels.length));
    probs[task.name] = flat;
  });
  return probs;
}

function toExamples(rows: readonly DatasetRow[], inputs: readonly ModelInput[], tasks: readonly TaskSpec[]): TrainExample[] {
  const index = tasks.map((t) => new Map(t.labels.map((l, i) => [l, i])));
  return rows.map((row, r) => {
    const labels: Record<string, number | null> = {};
    tasks.forEach((task, t) => {
      const label = row.labels[task.name];
      labels[task.name] = label === null ? null : (index[t].get(label) ?? null);
    });
    return { text: inputs[r].text, meta: inputs[r].meta, labels };
  });
}

/**
 * What tells two runs measured on a test file apart: `testTextsHash`, of its rows' emails without their labels (id unless
 * made from the file's name, text, bank, received time, attachment names, as the data hash reads them), and per task
 * `testTruthHashes`, of the rows with its label, each email with that label. In any order: two runs whose hashes agree
 * measured on the same emails (and a task against the same truths), whatever other tasks each had.
 */
export function testRowsHashes(rows: readonly DatasetRow[], tasks: readonly string[]): { testTextsHash: string; testTruthHashes: Record<string, string> } {
  const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
  const hashOf = (digests: string[]) => createHash('sha256').update(digests.sort().join('\n')).digest('hex');
  const emails = rows.map((row) => [row.placeId ? null : row.email.id, dedupeText(row.email), row.email.bank ?? null, row.email.receivedAt ?? null, row.email.attachmentNames ?? null]);
  const truths = (task: string) => rows.flatMap((row, i) => (row.labels[task] === null || row.labels[task] === undefined ? [] : [digest([...emails[i], row.labels[task]])]));
  return { testTextsHash: hashOf(emails.map(digest)), testTruthHashes: Object.fromEntries(tasks.map((task) => [task, hashOf(truths(task))])) };
}

/** Label counts per task over the training rows: serving measures live drift against them. */
export function labelDistribution(rows: readonly DatasetRow[], tasks: readonly TaskSpec[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const task of tasks) {
    const counts: Record<string, number> = Object.fromEntries(task.labels.map((l) => [l, 0]));
    for (const row of rows) {
      const label = row.labels[task.name];
      if (label !== null && label in counts) counts[label] += 1;
    }
    out[task.name] = counts;
  }
  return out;
}

/** Rows per language as cleaning detected it (each input's `language`), most first: the manifest's `training.languages`. */
export function languageCounts(inputs: readonly { language: string }[]): Record<string, number> {
  return Object.fromEntries([...labelCounts(inputs.map((input) => input.language))].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

export function prepareInputs(rows: readonly DatasetRow[], onProgress?: OnProgress): ModelInput[] {
  const out: ModelInput[] = new Array(rows.length);
  const step = Math.max(1, Math.floor(rows.length / 20));
  for (let i = 0; i < rows.length; i++) {
    out[i] = prepareModelInput(rows[i].email);
    if ((i + 1) % step === 0 || i + 1 === rows.length) onProgress?.(i + 1, rows.length, 'clean');
  }
  return out;
}

/**
 * A scratch directory for this run's staged artifact, named by this process; scratch left by runs whose
 * process is gone (Ctrl-C or kill during training: no cleanup ran) is removed first. Scratch this user may not
 * remove (another user's, on a shared machine's /tmp) is left to its owner: it never stops this run.
 */
export async function scratchDir(remove: (dir: string) => Promise<void> = (dir) => rm(dir, { recursive: true, force: true })): Promise<string> {
  const tmp = os.tmpdir();
  for (const name of await readdir(tmp).catch(() => [] as string[])) {
    const pid = Number(/^mailroute-train-(\d+)-/.exec(name)?.[1]);
    if (pid > 0 && pid !== process.pid && !processAlive(pid)) await remove(path.join(tmp, name)).catch(() => undefined);
  }
  return mkdtemp(path.join(tmp, `mailroute-train-${process.pid}-`));
}

/**
 * One warning per task whose test-file truths carry labels the model does not learn (no training row has them,
 * or they were rare and dropped): masked, so left out of its test metrics. With `other`, those no training row has
 * count as `other`, as training counted labels too rare to learn: said too, as such a label is as likely another
 * spelling of a learnt one (`Steuerbescheinigung`), which the test figures then count as missed; the dropped ones are
 * still masked and said. Labels training merged into `other` (`merged`) are rightly `other`: not said.
 */
function notLearntWarnings(
  tasks: readonly TaskSpec[],
  notInModel: Record<string, Record<string, number>>,
  dropped: Record<string, readonly string[]>,
  merged: Record<string, readonly string[]>,
): string[] {
  const hasOther = (task: string) => tasks.find((t) => t.name === task)?.labels.includes(OTHER_LABEL) === true;
  const left = maskedNotInModel(notInModel, hasOther, dropped).map(([task, labels]) => {
    const { total, shown } = labelTally(labels);
    return `${task}: ${total} test row(s) whose truth is a label the model does not learn (${shown}) are left out of its test metrics (no training row has it, or it was under minCount and dropped)`;
  });
  const asOther = Object.entries(notInModel).flatMap(([task, labels]) => {
    if (!hasOther(task)) return [];
    const unmet = Object.fromEntries(Object.entries(labels).filter(([label]) => !ownValue(dropped, task)?.includes(label) && !ownValue(merged, task)?.includes(label)));
    if (Object.keys(unmet).length === 0) return [];
    const { total, shown } = labelTally(unmet);
    return [`${task}: ${total} test row(s) whose truth is a label no training row has (${shown}) count as truth ${OTHER_LABEL} in its test metrics, as labels under minCount do; if one is another spelling of a label it learnt, alias it in the config, or its right answers count as misses`];
  });
  return [...left, ...asOther];
}

/**
 * The rows' dedupe texts, once each, for the seen-texts filter: made from the emails as the filter is written (the rows
 * keep only their digests), not held through the training; and the texts the model read of them (`inputs`), as the
 * split groups rows by: an email sent again under `AW:`, another signature or a quoted reply is the same text
 * to the model, and an evaluation on it is flagged as one on a training email.
 */
function seenTextsOf(rows: readonly DatasetRow[], inputs: readonly ModelInput[]): Iterable<string> {
  return {
    *[Symbol.iterator]() {
      const done = new Set<string>();
      for (const row of rows) {
        if (done.has(row.dedupeKey)) continue;
        done.add(row.dedupeKey);
        yield dedupeText(row.email);
      }
      for (const input of inputs) yield dedupeKeyText(input.text);
    },
  };
}

/** Per task, the labels under minCount that became `other` (sorted), for the manifest: feedback carrying one is read as `other`. */
function mergedIntoOther(taxonomy: readonly TaskTaxonomyReport[]): Record<string, string[]> {
  return rareLabels(taxonomy, 'other');
}

/** Per task, the labels under minCount that were dropped (sorted), for the manifest: a test file's rows of one are masked. */
function droppedAsRare(taxonomy: readonly TaskTaxonomyReport[]): Record<string, string[]> {
  return rareLabels(taxonomy, 'drop');
}

function rareLabels(taxonomy: readonly TaskTaxonomyReport[], action: TaskTaxonomyReport['rareAction']): Record<string, string[]> {
  return Object.fromEntries(taxonomy.filter((t) => t.rareAction === action).map((t) => [t.task, Object.keys(t.rare).sort()]));
}

/** `3 row(s) left out: <why>: a.csv:4, a.csv:9, ...`: the first places, and `...` when there are more. */
function leftOutWarning(count: number, places: readonly string[], why: string): string {
  return `${count} row(s) left out: ${why}: ${places.join(', ')}${count > places.length ? ', ...' : ''}`;
}

/** `{ gitDirty }` when git can tell. */
function dirtyFlag(): { gitDirty?: boolean } {
  const dirty = gitDirty();
  return dirty === undefined ? {} : { gitDirty: dirty };
}

/** Copies a staged artifact into `<run dir>/model`; the folder, or why it could not be copied (nothing of it left). */
async function keepUnregistered(staged: string, runDir: string): Promise<string | { notKept: unknown }> {
  const target = path.join(runDir, 'model');
  try {
    await cp(staged, target, { recursive: true, errorOnExist: true, force: false });
    return target;
  } catch (error) {
    await rm(target, { recursive: true, force: true }).catch(() => undefined);
    return { notKept: error };
  }
}

/** Refuses a file that is not there, is a folder, or cannot be read: `DATASET_FILE_INVALID`, `<file>: cannot read (<why>)`. */
async function checkReadableFile(file: string): Promise<void> {
  try {
    if ((await stat(file)).isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${file}'`), { code: 'EISDIR' });
    await access(file, constants.R_OK);
  } catch (cause) {
    throw new DatasetError('DATASET_FILE_INVALID', `${file}: cannot read (${readProblem(cause)})`, [], { cause });
  }
}

/**
 * How long a trained model waits for the registry's lock (the registry commands wait 15 s): a training of
 * minutes is not thrown away because an approval or another registration held the lock a little longer.
 */
export const REGISTER_WAIT_MS = 120_000;

/**
 * The local training run: load the export(s) with the config's taxonomy, split without leakage, clean
 * every email exactly as serving does (`prepareModelInput`), train the ngram-bag model, export it, measure
 * it on the test split through the exported ONNX artifact, register it as PendingManualApproval, and
 * record the run under `<home>/runs/<runId>/`.
 */
export async function trainFromConfig(options: TrainFromConfigOptions): Promise<TrainFromConfigResult> {
  const config = parseTrainingConfig(options.config);
  // The config's check already refused bad parameters; this fills in the defaults.
  const params = NgramBagParamsSchema.parse({ targetPrecision: config.targetPrecision, ...config.model });
  const dataPaths = (typeof options.dataPath === 'string' ? [options.dataPath] : [...options.dataPath]).map((p) => path.resolve(p));
  // A registry that cannot take the model fails now, not after the training (its index is read first).
  const registry = options.registry ?? createLocalRegistry({ home: options.home, lock: { timeoutMs: REGISTER_WAIT_MS } });
  await registry.list();
  // So does a data or test file that is not there, is a folder or cannot be read, before any is read and a run recorded
  // (a run recorded for it stayed in `runs list` as failed, one a try), said as reading it says it.
  // The test file first, as before: it is the one named last, and the one most often mistyped.
  for (const file of [...(options.testDataPath ? [options.testDataPath] : []), ...dataPaths]) await checkReadableFile(file);
  // Files that no one delimiter reads (--data with ",", --test-data with ";") are said so, each with its own, before any is read.
  await checkOneDelimiter([...dataPaths.map((file) => ({ file, flag: '--data' })), ...(options.testDataPath ? [{ file: options.testDataPath, flag: '--test-data' }] : [])], config);
  // A label column one export lacks and another has, where it has a column of a close name (`queue_name`): renamed in
  // that export, refused as a single file's would be, by the headers and before a run is recorded.
  await checkRenamedLabelColumns(dataPaths, config);
  // The temporary folder the model is made in, before the run is recorded: one that takes no folder records no run.
  const tmp = await scratchDir().catch(async (error: unknown) => Promise.reject(await scratchWriteError(error, os.tmpdir(), os.tmpdir())));
  const tracker = await RunTracker.start(options.home, {
    runId: newId('run'),
    gitCommit: gitCommit(),
    ...dirtyFlag(),
    params: { ...params },
    config,
    dataPaths,
    ...(options.testDataPath ? { testDataPath: path.resolve(options.testDataPath) } : {}),
    ...(options.note ? { note: options.note } : {}),
  }).catch(async (error: unknown) => {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  });
  // Every warning the run says is kept in its record too (`runs show`): whoever approves its model reads them there.
  const log: ModelLogger = {
    info: (message, fields) => options.logger?.info?.(message, fields),
    warn: (message, fields) => {
      tracker.warn(message);
      options.logger?.warn?.(message, fields);
    },
  };
  const signal = options.signal;
  let registered = false;
  /** The staged artifact, once it is complete and measured. */
  let trained: string | undefined;
  // Every progress report is a point to stop at (cleaning, each epoch, each batch of predictions).
  const onProgress: OnProgress = (done, total, label) => {
    signal?.throwIfAborted();
    options.onProgress?.(done, total, label);
  };
  try {
    // Without `routing`, the first task routes mail: said before anything else, as the default is easily missed.
    const unsetRouting = unsetRoutingWarning(config);
    if (unsetRouting) log?.warn?.(unsetRouting);
    // A big export may outgrow the heap only after minutes of reading: said first, with the way round it.
    const heap = exportHeapWarning(dataPaths);
    if (heap) log?.warn?.(heap);
    const read = { ...(options.configFile === undefined ? {} : { configFile: options.configFile }), ...(options.job ? { job: true } : {}) };
    // Reading reports progress without the stop points: an error thrown inside the CSV parser would read as a bad file.
    const reading = options.onProgress && { onProgress: options.onProgress };
    const supersedingFile = options.supersedingDataPath === undefined ? undefined : path.resolve(options.supersedingDataPath);
    const superseding = supersedingFile === undefined ? {} : { supersedingFile };
    // A time split places each row by its received time: under skip, a row without one is a bad row.
    const dataset = await loadDataset(dataPaths, config, { ...read, needsTime: config.split.kind === 'time', ...reading, ...superseding, ...(signal ? { signal } : {}) });
    // What the load read in a way worth saying (times in a change of daylight saving time), and what it likely misread.
    for (const note of dataset.notes) log?.info?.(note);
    for (const warning of dataset.warnings) log?.warn?.(warning);
    if (dataset.superseded.rows > 0) {
      const more = dataset.superseded.rows > dataset.superseded.at.length ? ', ...' : '';
      log?.info?.(
        `${dataset.superseded.rows} row(s) of ${path.basename(supersedingFile ?? '')} merged into the other exports' rows of the same emails (${dataset.superseded.at.join(', ')}${more}): the labels people confirmed last replace theirs, task by task, and each email trains once`,
      );
    }
    for (const warning of renamedOverTimeWarnings(dataset.rows, config.tasks)) log?.warn?.(warning);
    if (dataset.badRows > 0) log?.warn?.(badRowsWarning(dataset.badRowPlaces, dataset.skipped));
    for (const { file, columns } of dataset.lackingLabelColumns) {
      const named = columns.map((c) => `"${c}"`).join(', ');
      log?.warn?.(`${path.basename(file)} has no column ${named} (another file has it: a task added since this export?): its rows train the other tasks, ${columns.length === 1 ? 'that task' : 'those tasks'} masked as for empty cells`);
    }
    for (const warning of skippedLabelWarnings(dataset.renamed, dataset.rows, 'not trained on', options.configFile)) log?.warn?.(warning);
    // Exact copies (id, text and labels) are said by the load's warnings: only ids whose rows differ here.
    const repeated = dataset.repeatedIds.length > 0 ? repeatedIdsWarning(withoutExactCopies(dataset.rows)) : undefined;
    if (repeated) log?.warn?.(repeated);
    // The taxonomy lines count such rows among the masked; that they trained nothing at all is said here.
    if (dataset.unlabelled > 0) {
      log?.warn?.(leftOutWarning(dataset.unlabelled, dataset.unlabelledAt, 'no label left in any task (each empty, retired or under minCount and dropped; counted as masked in the taxonomy lines)'));
    }
    // Every row is cleaned once: the text the model reads decides which rows are duplicates (one side of
    // the split each), and a row with no text left trains nothing; minCount then counts the rows that train.
    const { prepared, taxonomy, unlabelled: recountUnlabelled, unlabelledAt: recountUnlabelledAt } = await rowsThatTrain(dataset.rows, dataset.taxonomy, config.tasks, params, onProgress, signal);
    if (recountUnlabelled > 0) {
      log?.warn?.(leftOutWarning(recountUnlabelled, recountUnlabelledAt, 'no label left in any task once minCount was applied again to the rows that train (a label dropped as rare then)'));
    }
    if (prepared.noText > 0) log?.warn?.(leftOutWarning(prepared.noText, prepared.noTextAt, 'no text the model reads after cleaning (markup, a quoted reply or a signature only; or only emoji, punctuation, zero-width characters: served, such an email is noText)'));
    if (prepared.automated > 0) {
      log?.warn?.(leftOutWarning(prepared.automated, prepared.automatedAt, 'automated: an auto-reply or a bounce by its subject or sender (served, such an email is routed as automated, not by the model)'));
    }
    for (const report of taxonomy) log?.info?.(formatTaxonomyReport(report));
    // A retired queue whose mail still arrives is routed to the other queues, not to manual triage: said, and kept in the manifest.
    const retiredRouting = retiredRoutingRows(taxonomy, config);
    for (const warning of retiredRoutingWarnings(retiredRouting)) log?.warn?.(warning);
    const split = splitDataset(prepared.rows, config.split, { externalTest: options.testDataPath !== undefined, keys: prepared.keys });
    if (config.split.kind === 'time') {
      for (const warning of [implausibleTimeWarning(prepared.rows, Date.now()), timeTieWarning(split)]) if (warning) log?.warn?.(warning);
    }
    // A task's own target precision wins over the run's (params.targetPrecision) for its threshold.
    const ownTargets = new Map(config.tasks.map((t) => [t.name, t.targetPrecision]));
    const tasks: TaskSpec[] = taxonomy.map((t) => {
      const targetPrecision = ownTargets.get(t.task);
      return { name: t.task, labels: t.labels, ...(targetPrecision !== undefined ? { targetPrecision } : {}) };
    });
    const dropped = droppedAsRare(taxonomy);
    let testRows = split.test;
    let testInputs: ModelInput[];
    // The test file's rows are counted as the training data's are: read, bad (onBadRow skip), without a label.
    let testCounts: TestFileCounts | undefined;
    // A test file's emails and each task's truths, hashed: runs of other tasks on the same file compare task by task.
    let testHashes: ReturnType<typeof testRowsHashes> | undefined;
    if (options.testDataPath) {
      const fixedLabels = Object.fromEntries(tasks.map((t) => [t.name, t.labels]));
      const test = await loadDataset(options.testDataPath, config, { fixedLabels, maskedLabels: dropped, ...read });
      testRows = test.rows;
      for (const note of test.notes) log?.info?.(`test file: ${note}`);
      for (const warning of test.warnings) log?.warn?.(`test file: ${warning}`);
      if (test.badRows > 0) log?.warn?.(badRowsWarning(test.badRowPlaces, test.skipped));
      for (const warning of notLearntWarnings(tasks, test.notInModel, dropped, mergedIntoOther(taxonomy))) log?.warn?.(warning);
      // A test row without a label in any task has no truth to measure: left out, as a training row is, and said.
      if (test.unlabelled > 0) log?.warn?.(leftOutWarning(test.unlabelled, test.unlabelledAt, 'of the test file, no label in any task (nothing to measure it against)'));
      testCounts = { testRead: test.read, testBadRows: test.badRows, testBadRowProblems: test.skipped.length, testUnlabelled: test.unlabelled, testBlankRecords: test.blankRecords };
      testInputs = await prepareInputsStoppably(testRows, onProgress, signal);
      testHashes = testRowsHashes(testRows, tasks.map((t) => t.name));
      await tracker.update({ testDataHash: test.dataHash, ...testHashes });
    } else testInputs = inputsOf(prepared, testRows);
    // An external test file may repeat training texts as the model reads them (every prepared row trains
    // then): counted, so the test figure can be judged. Held-out rows cannot: the split keeps them apart.
    const seenInTraining = (): number => {
      const trainingKeys = new Set(prepared.keys);
      return testInputs.filter((input) => trainingKeys.has(dedupeKeyText(input.text))).length;
    };
    const trainInputs = inputsOf(prepared, split.train);
    const validInputs = inputsOf(prepared, split.valid);
    // Test rows that are the training rows' sentences with other names or amounts: their figures flatter the model.
    const near = countNearDuplicates([...trainInputs, ...validInputs].map((input) => input.text), testInputs.map((input) => input.text));
    // The texts as exported, kept in the artifact (seen-texts.bloom) so that evaluating on them is noticed.
    const seen = seenTextsOf([...split.train, ...split.valid], [...trainInputs, ...validInputs]);
    const counts = {
      read: dataset.read,
      rows: prepared.rows.length,
      noText: prepared.noText,
      automated: prepared.automated,
      train: split.train.length,
      valid: split.valid.length,
      test: testRows.length,
      badRows: dataset.badRows,
      badRowProblems: dataset.skipped.length,
      unlabelled: dataset.unlabelled + recountUnlabelled,
      ...(dataset.superseded.rows > 0 ? { superseded: dataset.superseded.rows } : {}),
      blankRecords: dataset.blankRecords,
      duplicateGroups: split.duplicateGroups,
      testSeenInTraining: options.testDataPath ? seenInTraining() : 0,
      testNearDuplicates: near.near,
      testNearDuplicatesJudged: near.judged,
      ...testCounts,
    };
    await tracker.update({ dataHash: dataset.dataHash, namedDataHash: dataset.namedDataHash, counts, taxonomy });
    log?.info?.(`data ${dataset.dataHash.slice(0, 12)}: ${rowCountsLine(counts)}`);
    if (counts.testSeenInTraining > 0) log?.warn?.(`${counts.testSeenInTraining} test row(s) repeat a training text (as the model reads it, after cleaning)`);
    const nearWarning = nearDuplicateWarning(near, { kind: config.split.kind, testFile: options.testDataPath !== undefined });
    if (nearWarning) log?.warn?.(nearWarning);
    for (const warning of checkTrainable(taxonomy, { ...counts, distinctTexts: split.distinctTexts })) log?.warn?.(warning);
    for (const warning of untrainedLabelWarnings(taxonomy, { train: split.train, valid: split.valid, test: testRows }, config.split.kind)) log?.warn?.(warning);
    // Queues the model barely learnt, whose mail it routes all the same.
    const fewRouting = fewRoutingRowsWarning(taxonomy, split.train, routingTaskOf(config));
    if (fewRouting) log?.warn?.(fewRouting);

    signal?.throwIfAborted();
    const started = performance.now();
    const model = await trainNgramBag({
      train: toExamples(split.train, trainInputs, tasks),
      valid: toExamples(split.valid, validInputs, tasks),
      tasks,
      params,
      onProgress,
      onEpoch: (report) => {
        // Recorded at once; a record that cannot be written stops the training here.
        tracker.epoch(report);
        options.onEpoch?.(report, formatEpochLine(report));
      },
      ...(signal ? { signal } : {}),
    });
    const trainingSeconds = (performance.now() - started) / 1000;
    const targets = taskTargets(tasks, params.targetPrecision);
    for (const warning of fewAnsweredWarnings(model.calibration, split.valid, targets)) log?.warn?.(warning);
    for (const warning of unreachedPrecisionWarnings(model.calibration, split.valid, targets)) log?.warn?.(warning);
    for (const warning of calibrationWarnings(model.calibration, tasks.map((t) => t.name), { valid: split.valid, test: testRows })) log?.warn?.(warning);

    const modelId = newId('ngram-bag');
    const staged = path.join(tmp, modelId);
    await exportNgramBag(model, staged, {
      modelId,
      dataHash: dataset.dataHash,
      createdAt: new Date().toISOString(),
      trainingConfig: config,
      ...(config.routing ? { routing: config.routing } : {}),
      seenTexts: seen,
      mergedIntoOther: mergedIntoOther(taxonomy),
      droppedAsRare: dropped,
      languages: languageCounts([...trainInputs, ...validInputs]),
    });
    const evalRows = testRows.length > 0 ? testRows : split.valid;
    const metricsSplit = testRows.length > 0 ? 'test' : 'valid';
    let metrics: Record<string, number>;
    let operating: OperatingPoint[] | undefined;
    if (evalRows === split.valid && model.validLogitsBeforeRefit) {
      // A refit trained on the validation rows: measured on them, it scored about 1.0. Its first run's figures stand.
      metrics = headlineFromProbs(tasks, evalRows, asFlatScores(tasks, model.validLogitsBeforeRefit));
      log?.warn?.('no test rows: the validation figures are those of the first run, before the refit trained on the validation rows too (the model registered is the refit)');
    } else {
      const classifier = await Classifier.load(staged);
      try {
        const evalInputs = evalRows === split.valid ? validInputs : testInputs;
        const noText: boolean[] = [];
        const probs = await predictProbs(classifier, evalInputs, onProgress, undefined, noText);
        metrics = headlineFromProbs(classifier.tasks, evalRows, probs);
        // Where each task answers at its threshold, as the model card says it: the precision its threshold was chosen
        // for on the validation rows, checked on rows it was not chosen on.
        operating = operatingPoints(classifier, evalRows, probs, noText, targets);
        for (const point of operating) {
          metrics[`${point.task}.coverage`] = point.n === 0 ? 0 : point.answered / point.n;
          if (point.precision !== null) metrics[`${point.task}.answered_precision`] = point.precision;
          if (evalRows !== split.valid && shortBeyondChance(point)) log?.warn?.(shortOfTargetWarning(point, split.valid.length, metricsSplit));
        }
      } finally {
        await classifier.release();
      }
    }
    // The manifest is not among the hashed files, so the measured metrics can be added before registering.
    const manifestFile = path.join(staged, 'manifest.json');
    const manifest = ManifestSchema.parse(JSON.parse(await readFile(manifestFile, 'utf8')));
    // `testedOn` tells `predict --split test` whether the held-out rows can be found again in the data.
    const testedOn = options.testDataPath ? 'external-file' : testRows.length > 0 ? 'held-out-split' : 'validation-split';
    // A test file that repeats training texts flatters the test figure: how many of its rows did, for the registry's `measured on`.
    const testFile = options.testDataPath
      ? { testFile: path.basename(options.testDataPath), ...(counts.testSeenInTraining > 0 ? { testSeenInTraining: counts.testSeenInTraining, testRows: counts.test } : {}) }
      : {};
    // How the held-out rows are found again: grouped by their clean text, and which rows they were.
    const splitKey: SplitKey = 'clean-text';
    const heldOut = testedOn === 'held-out-split' ? { splitKey, testRowsFingerprint: rowsFingerprint(testRows) } : {};
    if (heldOut.testRowsFingerprint) await tracker.update({ testRowsFingerprint: heldOut.testRowsFingerprint, namedTestRowsFingerprint: rowsFingerprint(testRows, { named: true }) });
    // The near-duplicate count, for the model card: the share of test rows worded as training rows were.
    const nearDuplicates = near.judged > 0 ? { testNearDuplicates: { near: near.near, judged: near.judged } } : {};
    // The file merged into the others' rows (the retraining job's feedback file), by its place: `predict --split test`
    // must merge it again to read the same rows.
    const supersedingAt = supersedingFile === undefined ? -1 : dataPaths.indexOf(supersedingFile);
    const merged = supersedingAt < 0 ? {} : { supersedingFileIndex: supersedingAt };
    // `dataHashOf: 'rows'`: the data hash and the fingerprint leave out ids made from file names (older models kept them).
    const training = { ...manifest.training, dataHashOf: 'rows', labelDistribution: labelDistribution(split.train, tasks), testedOn, ...testFile, ...(testHashes ? { testTextsHash: testHashes.testTextsHash } : {}), ...heldOut, ...nearDuplicates, ...merged, ...(retiredRouting ? { retiredRoutingRows: retiredRouting } : {}) };
    await writeFileAtomic(manifestFile, `${JSON.stringify({ ...manifest, training, metrics: { ...metrics, split: metricsSplit } }, null, 2)}\n`);

    // The last point to stop at: from here the run completes, so a model is never left registered to an interrupted run.
    signal?.throwIfAborted();
    // Not the kept epoch's line: when the average of the last epochs is kept, its own score is the one that counts.
    const bestValidF1 = model.keptValidF1;
    const averagedEpochs = Math.max(0, ...Object.values(model.averagedEpochs));
    // In single-task mode each task's part kept its own epoch: said per task, as `bestEpoch` is only the latest of them.
    const taskEpochs = params.mode === 'single-task' ? Object.fromEntries(tasks.map((t) => [t.name, { epoch: model.bestEpochs[t.name], averaged: model.averagedEpochs[t.name] ?? 0 }])) : undefined;
    const perTask = taskEpochs && {
      taskBestEpochs: Object.fromEntries(Object.entries(taskEpochs).map(([task, e]) => [task, e.epoch])),
      taskAveragedEpochs: Object.fromEntries(Object.entries(taskEpochs).map(([task, e]) => [task, e.averaged])),
    };
    const kept = { bestEpoch: model.bestEpoch, ...(bestValidF1 === null ? {} : { bestValidF1 }), ...(averagedEpochs > 0 ? { averagedEpochs } : {}), ...perTask };
    // Each file's size, for `runs compare` (a single-task model holds a part per task: about as many times the bytes).
    const artifactBytes = Object.fromEntries(await Promise.all(Object.keys(manifest.files).map(async (name) => [name, (await stat(path.join(staged, name))).size] as const)));
    // Recorded before registering: a registration that fails (the lock held too long) keeps what was measured, and a
    // process that ends between registering and finishing leaves a run the registry's version shows finished.
    await tracker.update({ metrics, metricsSplit, modelId, artifactFiles: manifest.files, artifactBytes, ...kept, trainingSeconds });
    trained = staged;
    const version = await registry.register(staged, { runId: tracker.runId, ...(options.note ? { note: options.note } : {}) });
    registered = true;
    const artifactDir = await registry.artifactDir(version.id);
    await tracker.finish({ artifactDir });
    return { modelId, runId: tracker.runId, metrics, metricsSplit, artifactDir, version, taxonomy, counts, trainingSeconds, bestEpoch: model.bestEpoch, bestValidF1, averagedEpochs, ...(taskEpochs ? { taskEpochs } : {}), ...(operating ? { operating } : {}) };
  } catch (caught) {
    // A write the file system refused, said with whose folder it is (TMPDIR's, MAILROUTE_HOME's) and what to do.
    const error = await runRecordWriteError(await scratchWriteError(caught, tmp), tracker.dir, options.home);
    // The record says so where it can still be written; on a full disk it may not be, and the error said is the cause.
    const unrecorded = (recordError: unknown) => log?.warn?.(`the run's record could not say so (${reasonOf(recordError)}): runs list shows the run as interrupted`);
    if (signal?.aborted && caught === signal.reason) await tracker.interrupt().catch(unrecorded);
    else {
      // A model trained and measured but not registered (the registry's lock held too long, a full disk) is kept
      // beside its run, to register later, rather than removed with the scratch folder after minutes of training.
      if (trained !== undefined && !registered) {
        const kept = await keepUnregistered(trained, tracker.dir);
        log?.warn?.(typeof kept === 'string' ? `the trained model was not registered; it is kept in ${kept}: \`mailroute registry add ${kept}\` registers it` : await notKeptWarning(kept.notKept, tracker.dir, options.home, trained));
      }
      await tracker.fail(error, { modelRegistered: registered }).catch(unrecorded);
    }
    throw error;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
