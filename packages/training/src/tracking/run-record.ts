import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkHomeDirectory, createLocalRegistry, isNearId, makeDirectory, makeHomeDirectory, namingFile, PID_NAMESPACE, pidsComparable, processAlive, removeAbandonedTemps, writeFileAtomic, writeFileAtomicSync,
} from '@mailroute/model';
import { z } from 'zod';
import { maskedText } from '../data/quoted-cell.js';
import { RunNotFoundError, RunRecordError } from '../errors.js';
import { byCodeUnits } from '../text-order.js';
import { runRecordWriteError } from '../pipeline/write-failures.js';

const TaskEpochSchema = z.object({ accuracy: z.number(), precision: z.number(), recall: z.number(), f1: z.number() });

/** One epoch as recorded: the trainer's report, in the run's own words. */
export const EpochRecordSchema = z.object({
  epoch: z.number(),
  loss: z.number(),
  learningRate: z.number(),
  valLoss: z.number().nullable(),
  perTask: z.record(z.string(), TaskEpochSchema),
  meanF1: z.number().nullable(),
  seconds: z.number(),
  samplesPerSecond: z.number(),
});
export type EpochRecord = z.infer<typeof EpochRecordSchema>;

export const RunRecordSchema = z.object({
  runId: z.string(),
  /** `interrupted`: stopped by its signal (`train`: Ctrl-C), no model registered; a `running` run whose process is gone (kill -9) reads so too. */
  status: z.enum(['running', 'finished', 'failed', 'interrupted']),
  /** The training process, so a run left `running` by a killed process can be told apart. */
  pid: z.number().int().optional(),
  host: z.string().optional(),
  /** The process's PID namespace (Linux): a pid is checked only in its own. */
  pidNamespace: z.string().optional(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  durationSeconds: z.number().optional(),
  gitCommit: z.string().nullable(),
  config: z.unknown(),
  dataPaths: z.array(z.string()),
  /** The model parameters the trainer used, defaults filled in (the config may leave them out). */
  params: z.record(z.string(), z.unknown()).optional(),
  /** The code had uncommitted changes to tracked files when the run started. */
  gitDirty: z.boolean().optional(),
  testDataPath: z.string().optional(),
  /** What the person training said of the run (`train --note`), also kept with the registered version. */
  note: z.string().optional(),
  /** sha256 of the test file's rows (as `dataHash`): two files of one name are told apart. */
  testDataHash: z.string().optional(),
  /**
   * The test file's emails without their labels, in any order, and per task the emails with that task's truth (see
   * `testRowsHashes`): runs of other tasks on the same file compare task by task. Absent in runs from before them.
   */
  testTextsHash: z.string().optional(),
  testTruthHashes: z.record(z.string(), z.string()).optional(),
  /** sha256 over the data's rows and final labels: a renamed label changes it too. */
  dataHash: z.string().optional(),
  /** Which rows were held out (ids and text, not labels): two runs measured on the same emails. */
  testRowsFingerprint: z.string().optional(),
  /**
   * The two above as runs before `dataHashOf: 'rows'` computed them, with ids made from the file's name: a run of
   * today and one of then on the same file are told to be on the same data.
   */
  namedDataHash: z.string().optional(),
  namedTestRowsFingerprint: z.string().optional(),
  counts: z.record(z.string(), z.number()).optional(),
  taxonomy: z.array(z.unknown()).optional(),
  epochs: z.array(EpochRecordSchema).default([]),
  bestEpoch: z.number().optional(),
  /** The mean validation macro-F1 of the weights kept: the final training line's `eval_f1`. */
  bestValidF1: z.number().optional(),
  /** How many final epochs were averaged into the kept weights (absent or 0: one epoch's weights). */
  averagedEpochs: z.number().int().optional(),
  /**
   * `single-task` mode only: each task's part stops early and keeps its weights on its own, so per task the epoch kept
   * (the last averaged one when an average was kept) and how many epochs were averaged (0: one epoch's weights).
   * `bestEpoch` is then the latest of them and `bestValidF1` the mean of each task's own best, not one epoch's.
   */
  taskBestEpochs: z.record(z.string(), z.number()).optional(),
  taskAveragedEpochs: z.record(z.string(), z.number()).optional(),
  /** Test-split metrics (`queue.macro_f1`, `mean_macro_f1`, ...). */
  metrics: z.record(z.string(), z.number()).optional(),
  metricsSplit: z.enum(['test', 'valid']).optional(),
  /** Recorded before the model is registered: a run whose process ended while registering names it (see `readRun`). */
  modelId: z.string().optional(),
  /**
   * sha256 of each file of the model's artifact but its manifest (the manifest's `files`): two runs whose files agree
   * trained the same weights. Kept when the registry prunes the artifact.
   */
  artifactFiles: z.record(z.string(), z.string()).optional(),
  /** The size in bytes of each file of `artifactFiles` (`model.onnx` ...), for `runs compare`; absent in runs from before it was recorded. */
  artifactBytes: z.record(z.string(), z.number()).optional(),
  artifactDir: z.string().optional(),
  /** When its model, which the registry could not take at the end of the run, was registered (`registry add`). */
  registeredLaterAt: z.string().optional(),
  trainingSeconds: z.number().optional(),
  error: z.string().optional(),
  /**
   * The warnings the run said (reading the data, the taxonomy, the split, the thresholds), in order, masked as `error` is:
   * kept for whoever approves its model later. Absent in runs from before they were kept.
   */
  warnings: z.array(z.string()).optional(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** `<prefix>-20261129-101500-ab12cd`: sortable by time, unique by the random tail. */
export function newId(prefix: string, date = new Date()): string {
  return `${prefix}-${stamp(date)}-${randomBytes(3).toString('hex')}`;
}

/** The run ids of the registry's versions under `home` (none when it has no readable registry). */
async function registeredRunIds(home: string): Promise<Set<string>> {
  const versions = await createLocalRegistry({ home }).list().catch(() => []);
  return new Set(versions.flatMap((v) => (v.runId === undefined ? [] : [v.runId])));
}

/**
 * How long a running run's record may go unwritten before it is taken as gone whatever its pid says: a run writes
 * it at every epoch, and no step between two writes (reading the export, registering) takes a day.
 */
export const RUN_STALE_MS = 24 * 3600 * 1000;

/**
 * A run still marked running whose process is gone: on this machine, its pid has ended; on any machine (another
 * host's, a container's, a pid used again since), its record has not been written for RUN_STALE_MS. Finished when
 * the registry holds a version of it (the process ended after registering the model, before its record said so),
 * else interrupted, naming no model: one whose process ended while registering it recorded its id first, and the
 * registry never took it (as a failed run, it keeps what was measured, not an id of nothing).
 */
async function withLiveness(run: RunRecord, writtenAt: number, registered: () => Promise<Set<string>>): Promise<RunRecord> {
  if (run.status !== 'running') return run;
  const ended = run.pid !== undefined && pidsComparable(run.host, run.pidNamespace) && !processAlive(run.pid);
  if (!ended && Date.now() - writtenAt < RUN_STALE_MS) return run;
  if (run.modelId !== undefined && (await registered()).has(run.runId)) return { ...run, status: 'finished' };
  const { modelId: _modelId, artifactFiles: _files, artifactBytes: _bytes, ...unregistered } = run;
  return { ...unregistered, status: 'interrupted' };
}

/** A memo of `registeredRunIds`: read at the first call only, and only if a call comes. */
function registeredOnce(home: string): () => Promise<Set<string>> {
  let ids: Promise<Set<string>> | undefined;
  return () => (ids ??= registeredRunIds(home));
}

/** The commit of the mailroute checkout this code runs from (not of the directory it is run in); null outside git. */
export function gitCommit(cwd = path.dirname(fileURLToPath(import.meta.url))): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
  } catch {
    return null;
  }
}

/**
 * Whether the working tree of the code that runs has changes not in its commit (`git status --porcelain`
 * for tracked files): a run with the same commit may then not be the same code. Undefined outside git.
 */
export function gitDirty(cwd = path.dirname(fileURLToPath(import.meta.url))): boolean | undefined {
  try {
    return execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() !== '';
  } catch {
    return undefined;
  }
}

export function runsDir(home: string): string {
  return path.join(home, 'runs');
}

/** How a run's record is written (default: atomically); a test passes a writer that fails as a full disk does. */
export interface RunTrackerDeps {
  writeRecord?: (file: string, text: string) => Promise<void>;
}

/** Writes `<home>/runs/<runId>/run.json` (atomically, after every change) and `epochs.jsonl`. */
export class RunTracker {
  readonly dir: string;
  private record: RunRecord;
  private readonly writeRecord: (file: string, text: string) => Promise<void>;

  private constructor(home: string, record: RunRecord, deps: RunTrackerDeps) {
    this.dir = path.join(runsDir(home), record.runId);
    this.record = record;
    this.writeRecord = deps.writeRecord ?? ((file, text) => writeFileAtomic(file, text));
  }

  /**
   * Makes the run's folder and its first record. One that cannot be written (a full disk: the folder takes no room,
   * its first file does) leaves no folder without a record behind, and is said with what to do.
   */
  static async start(home: string, init: Omit<RunRecord, 'status' | 'epochs' | 'startedAt'> & { startedAt?: string }, deps: RunTrackerDeps = {}): Promise<RunTracker> {
    const tracker = new RunTracker(home, { ...init, status: 'running', pid: process.pid, host: os.hostname(), ...(PID_NAMESPACE === '' ? {} : { pidNamespace: PID_NAMESPACE }), epochs: [], startedAt: init.startedAt ?? new Date().toISOString() }, deps);
    // What killed runs left: no later write of their own run.json will come to remove it.
    await removeAbandonedRunTemps(home);
    const existed = await stat(tracker.dir).then(() => true, () => false);
    try {
      // The home first: one a first training makes is its owner's alone, as the registry makes it.
      await makeHomeDirectory(home);
      await makeDirectory(tracker.dir);
      await tracker.save();
    } catch (error) {
      if (!existed) await rm(tracker.dir, { recursive: true, force: true }).catch(() => undefined);
      throw await runRecordWriteError(error, tracker.dir, home);
    }
    return tracker;
  }

  get runId(): string {
    return this.record.runId;
  }

  private save(): Promise<void> {
    return this.writeRecord(path.join(this.dir, 'run.json'), `${JSON.stringify(this.record, null, 2)}\n`);
  }

  async update(patch: Partial<RunRecord>): Promise<void> {
    this.record = { ...this.record, ...patch };
    await this.save();
  }

  /**
   * Records an epoch at once, in epochs.jsonl and run.json. Written synchronously: the epoch is on disk
   * when it ends, before the next one starts (training yields only between epochs) or the process is killed.
   * A write that fails throws here, in the training loop, which stops: a run that cannot be recorded (a full disk)
   * is not trained on for minutes, and its error is not left to a promise no one awaits yet (which ended the process).
   */
  epoch(epoch: EpochRecord): void {
    const epochs = path.join(this.dir, 'epochs.jsonl');
    try {
      appendFileSync(epochs, `${JSON.stringify(epoch)}\n`);
    } catch (error) {
      throw namingFile(error, epochs);
    }
    // Kept once in epochs.jsonl: a failed run's record then holds the epochs that file holds.
    this.record.epochs.push(epoch);
    // Through a temp file named as every atomic write's, which the runs listing removes if a kill leaves it.
    writeFileAtomicSync(path.join(this.dir, 'run.json'), `${JSON.stringify(this.record, null, 2)}\n`);
  }

  private finishedFields(): Pick<RunRecord, 'finishedAt' | 'durationSeconds'> {
    const finishedAt = new Date();
    return { finishedAt: finishedAt.toISOString(), durationSeconds: (finishedAt.getTime() - Date.parse(this.record.startedAt)) / 1000 };
  }

  async finish(patch: Partial<RunRecord>): Promise<RunRecord> {
    await this.update({ ...patch, ...this.finishedFields(), status: 'finished' });
    return this.record;
  }

  /**
   * Keeps a warning the run said (masked as `fail` masks its error: it may quote a cell of the export), written with the
   * record's next write: every step of a run ends in one (an update, an epoch, finish, fail or interrupt).
   */
  warn(message: string): void {
    this.record.warnings = [...(this.record.warnings ?? []), maskedErrorText(message)];
  }

  /** Stopped on request before it finished (Ctrl-C): it keeps its epochs and has no model. */
  async interrupt(): Promise<void> {
    await this.update({ ...this.finishedFields(), status: 'interrupted' });
  }

  /**
   * Failed: the error's first line kept, masked as `mailroute clean` masks text (names too). It may quote a cell of
   * the export (`not a date/time: "Mit freundlichen Grüßen Anna Schmidt"`), which the run record keeps long after the
   * terminal that showed it whole.
   */
  async fail(error: unknown, options: { modelRegistered?: boolean } = {}): Promise<void> {
    const line = error instanceof Error ? error.message.split('\n')[0] : String(error);
    // A model that did not get registered is not named: the run keeps what was measured of it, not an id of nothing.
    if (options.modelRegistered !== true) {
      const { modelId: _modelId, artifactFiles: _files, artifactBytes: _bytes, ...rest } = this.record;
      this.record = rest;
    }
    await this.update({ ...this.finishedFields(), status: 'failed', error: maskedErrorText(line) });
  }
}

/**
 * An error's text as a failed run keeps it: masked as `mailroute clean` masks text, names too (a bad row's message quotes
 * its cell, masked already by the same masking: `quotedCell`). The SageMaker job's failure file is masked the same way.
 */
export function maskedErrorText(text: string): string {
  return maskedText(text);
}

/** The temp file an epoch's write of run.json went through before its name was the atomic writes' own: `run.json.<pid>.tmp`. */
const OLD_EPOCH_TEMP = /^run\.json\.(\d+)\.tmp$/;

/**
 * Removes the temp files of run.json writes (`.run.json.<host>.<pid>.<hex>.tmp`, and an older version's
 * `run.json.<pid>.tmp`) whose process is gone: a run killed while it wrote its record (kill -9, out of memory) left
 * one, which only the next write of that same record would have removed, and that run writes no more. Those of a
 * live process, another host's, or this process's own (a write going on) are left. Best effort: a file it cannot
 * remove is left, failing nothing.
 */
async function removeAbandonedRunTemps(home: string): Promise<void> {
  const ids = await readdir(runsDir(home)).catch(() => [] as string[]);
  for (const id of ids) {
    if (id.startsWith('.')) continue;
    const dir = path.join(runsDir(home), id);
    await removeAbandonedTemps(path.join(dir, 'run.json'));
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const pid = Number(OLD_EPOCH_TEMP.exec(name)?.[1] ?? Number.NaN);
      if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) await rm(path.join(dir, name), { force: true }).catch(() => undefined);
    }
  }
}

/** A run id names a folder of `runs/`: one path segment, no `..`. */
function isRunDirName(runId: string): boolean {
  return runId !== '' && runId !== '.' && runId !== '..' && !/[/\\\0]/.test(runId);
}

export async function readRun(home: string, runId: string, registered = registeredOnce(home)): Promise<RunRecord> {
  if (!isRunDirName(runId)) throw new RunNotFoundError(runId, runsDir(home), { reason: 'a run id is the name of a folder there, without / or \\ (mailroute runs list shows the ids)' });
  const file = path.join(runsDir(home), runId, 'run.json');
  let text: string;
  let writtenAt: number;
  try {
    text = await readFile(file, 'utf8');
    writtenAt = (await stat(file)).mtimeMs;
  } catch (cause) {
    // Run ids are long: name the ones a shortened or mistyped id may have meant.
    const ids = await readdir(runsDir(home)).catch(() => [] as string[]);
    throw new RunNotFoundError(runId, runsDir(home), { cause, near: ids.filter((id) => !id.startsWith('.') && isNearId(id, runId)) });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new RunRecordError(`${file}: not JSON (${(cause as Error).message.split('\n')[0]})`, { cause });
  }
  const parsed = RunRecordSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RunRecordError(`${file}: not a run record (${issue.path.join('.') || '(root)'}: ${issue.message})`);
  }
  return withLiveness(parsed.data, writtenAt, registered);
}

/** The run whose folder holds `dir` as its kept model (`runs/<run>/model`), whether or not it was registered since. */
export async function runOfModelFolder(home: string, dir: string): Promise<RunRecord | undefined> {
  const relative = path.relative(runsDir(home), path.resolve(dir));
  const [runId, model, ...rest] = relative.split(path.sep);
  if (runId === undefined || model !== 'model' || rest.length > 0 || !isRunDirName(runId)) return undefined;
  return readRun(home, runId).catch(() => undefined);
}

/**
 * Records on a run whose model `train` kept (its registry could not take it) that the model was registered later
 * (`registry add`): its model id, file hashes and folder, and `finished`; its error stays, saying why it was late.
 */
export async function recordLateRegistration(home: string, runId: string, model: { modelId: string; artifactFiles: Record<string, string>; artifactDir: string }): Promise<void> {
  const file = path.join(runsDir(home), runId, 'run.json');
  const run = RunRecordSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  await writeFileAtomic(file, `${JSON.stringify({ ...run, ...model, status: 'finished', registeredLaterAt: new Date().toISOString() }, null, 2)}\n`);
}

/**
 * The run of `id`: a run id, or else a model id (`registry list` gives those) or `champion`, read as the run that
 * trained that model. An id that names neither is refused as a run id is (with the near ids).
 */
export async function readRunOf(home: string, id: string): Promise<RunRecord> {
  try {
    return await readRun(home, id);
  } catch (error) {
    if (!(error instanceof RunNotFoundError) || !isRunDirName(id)) throw error;
    const registry = createLocalRegistry({ home });
    const version = await (id === 'champion' ? registry.champion() : registry.get(id)).catch(() => undefined);
    const runs = await listRuns(home);
    const run = (version?.runId === undefined ? undefined : runs.find((r) => r.runId === version.runId)) ?? runs.find((r) => r.modelId === id);
    if (run) return run;
    throw error;
  }
}

/**
 * All readable runs, newest first. A directory without its record yet (a run being created) is left
 * out; a damaged record too, reported to `onDamaged`.
 */
export async function listRuns(home: string, options: { onDamaged?: (error: RunRecordError) => void } = {}): Promise<RunRecord[]> {
  // A home that is a file is said so, as the registry says it, not listed as a home without runs.
  checkHomeDirectory(home);
  await removeAbandonedRunTemps(home);
  // Only a runs/ folder not made yet means no runs: one that cannot be read (EACCES, a loop of links) is said, not listed as empty.
  const ids = await readdir(runsDir(home)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const runs: RunRecord[] = [];
  const registered = registeredOnce(home);
  for (const id of ids) {
    if (id.startsWith('.')) continue;
    try {
      runs.push(await readRun(home, id, registered));
    } catch (error) {
      if (error instanceof RunRecordError) options.onDamaged?.(error);
      else if (!(error instanceof RunNotFoundError)) throw error;
    }
  }
  return runs.sort((a, b) => byCodeUnits(b.startedAt, a.startedAt) || byCodeUnits(b.runId, a.runId));
}
