import path from 'node:path';
import { describeMeasuredOn, type MeasuredOnFacts } from '@mailroute/model';
import type { EpochRecord, RunRecord } from './run-record.js';

/**
 * A float as Python prints it: always with a decimal point; metrics rounded to 4 places. A value that rounds to 0
 * but is not 0 (a learning rate of 3.6e-7) keeps its leading digits, written out (`0.00000036`) as the
 * metric regexes (`[0-9.]+`) read it: never in exponent form.
 */
export function pyFloat(value: number, places = 4): string {
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : value < 0 ? '-inf' : 'nan';
  const rounded = Number(value.toFixed(places));
  if (rounded === 0 && value !== 0) {
    const digits = Math.min(100, Math.ceil(-Math.log10(Math.abs(value))) + 2);
    return value.toFixed(digits).replace(/(\.\d*?[1-9])0+$/, '$1');
  }
  const text = String(rounded);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/**
 * One epoch in the style of Hugging Face / SageMaker training logs, e.g.
 * `{'loss': 0.1234, 'learning_rate': 0.05, 'eval_loss': 0.3, 'eval_f1': 0.8123, 'epoch': 3.0}`, so the same
 * metric regexes (`'eval_f1': ([0-9.]+)`) read local and cloud runs alike.
 */
/**
 * The line after the last epoch, in the same dict form: the kept weights' validation F1 and epoch (so that a
 * metric regex's last `'eval_f1'` match, which SageMaker takes as the final value, is the kept model's,
 * not the last epoch's after early stopping; the average's own score when the average of the last epochs
 * was kept, with `'averaged_epochs': N`), then the figures measured on the test (or validation) split.
 */
export function formatFinalLine(input: {
  bestEpoch: number;
  bestValidF1: number | null;
  averagedEpochs?: number;
  /** `single-task` mode: each task's own kept epoch and how many epochs it averaged (`best_epoch_<task>`, `averaged_epochs_<task>`). */
  taskEpochs?: Readonly<Record<string, { epoch: number; averaged: number }>>;
  metrics: Record<string, number>;
  tasks: readonly string[];
  split: 'test' | 'valid';
}): string {
  const fields: Array<[string, string]> = [];
  if (input.bestValidF1 !== null) fields.push(['eval_f1', pyFloat(input.bestValidF1)]);
  fields.push(['best_epoch', pyFloat(input.bestEpoch, 1)]);
  // The kept weights are the average of the last N epochs (ending at best_epoch), not one epoch's.
  if (input.averagedEpochs !== undefined && input.averagedEpochs > 0) fields.push(['averaged_epochs', String(input.averagedEpochs)]);
  // Single-task mode: each task kept its own epoch, so eval_f1 is the mean of each task's own best (no one epoch's) and
  // best_epoch only the latest of them. Keys of their own (`'best_epoch': ` regexes do not match `'best_epoch_queue': `).
  for (const t of input.tasks) {
    const own = input.taskEpochs?.[t];
    if (own === undefined) continue;
    fields.push([`best_epoch_${t}`, pyFloat(own.epoch, 1)]);
    if (own.averaged > 0) fields.push([`averaged_epochs_${t}`, String(own.averaged)]);
  }
  const accuracies = input.tasks.map((t) => input.metrics[`${t}.accuracy`]).filter((x): x is number => x !== undefined);
  if (accuracies.length > 0) fields.push([`${input.split}_accuracy`, pyFloat(accuracies.reduce((a, b) => a + b, 0) / accuracies.length)]);
  const f1 = input.metrics.mean_macro_f1;
  if (f1 !== undefined) fields.push([`${input.split}_f1`, pyFloat(f1)]);
  for (const t of input.tasks) if (input.metrics[`${t}.macro_f1`] !== undefined) fields.push([`${input.split}_${t}_f1`, pyFloat(input.metrics[`${t}.macro_f1`])]);
  return `{${fields.map(([k, v]) => `'${k}': ${v}`).join(', ')}}`;
}

export function formatEpochLine(epoch: EpochRecord): string {
  const tasks = Object.values(epoch.perTask);
  const mean = (pick: (t: EpochRecord['perTask'][string]) => number) => (tasks.length > 0 ? tasks.reduce((s, t) => s + pick(t), 0) / tasks.length : NaN);
  const fields: Array<[string, string]> = [
    ['loss', pyFloat(epoch.loss)],
    ['learning_rate', pyFloat(epoch.learningRate, 6)],
  ];
  if (epoch.valLoss !== null) fields.push(['eval_loss', pyFloat(epoch.valLoss)]);
  if (tasks.length > 0) {
    fields.push(['eval_accuracy', pyFloat(mean((t) => t.accuracy))]);
    fields.push(['eval_precision', pyFloat(mean((t) => t.precision))]);
    fields.push(['eval_recall', pyFloat(mean((t) => t.recall))]);
  }
  if (epoch.meanF1 !== null) fields.push(['eval_f1', pyFloat(epoch.meanF1)]);
  for (const [task, m] of Object.entries(epoch.perTask)) fields.push([`eval_${task}_f1`, pyFloat(m.f1)]);
  fields.push(['train_samples_per_second', pyFloat(epoch.samplesPerSecond, 1)]);
  fields.push(['epoch_runtime', pyFloat(epoch.seconds, 3)]);
  fields.push(['epoch', pyFloat(epoch.epoch, 2)]);
  return `{${fields.map(([k, v]) => `'${k}': ${v}`).join(', ')}}`;
}

export function fmt(value: unknown): string {
  if (value === undefined || value === null) return '-';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(4);
  return String(value);
}

/** A score (F1, accuracy) always to 4 places, as `registry list` prints it: 1 is `1.0000`, not `1`. */
export function score(value: number | undefined): string {
  return value === undefined ? '-' : value.toFixed(4);
}

/**
 * Which rows a run's metrics come from: figures measured on different rows do not compare. `seen`: with how many rows
 * of a test file repeat training texts (false: the rows alone, to compare two runs by).
 */
export function measuredOn(r: RunRecord, { seen: withSeen = true } = {}): string {
  if (r.metricsSplit === undefined) return '-';
  const testedOn = r.metricsSplit === 'valid' ? 'validation-split' : r.testDataPath !== undefined ? 'external-file' : 'held-out-split';
  const split = (r.config as { split?: MeasuredOnFacts['split'] } | undefined)?.split;
  const seen = withSeen ? (r.counts?.testSeenInTraining ?? 0) : 0;
  const file = r.testDataPath !== undefined ? { testFile: path.basename(r.testDataPath), ...(seen > 0 ? { testSeenInTraining: seen, testRows: r.counts?.test } : {}) } : {};
  return describeMeasuredOn({ testedOn, ...file, ...(split ? { split } : {}) }) ?? '-';
}

/** An ISO time of a run record as the tables print it, in UTC to the second: `2026-12-05 22:43:02`. */
export const utcTime = (iso: string): string => iso.slice(0, 19).replace('T', ' ');

export const commitOf = (r: RunRecord): string => `${r.gitCommit?.slice(0, 12) ?? '-'}${r.gitDirty ? ' (dirty)' : ''}`;

/** Whether two runs' metrics were measured on the same rows: the same data (or test file) and split. */
function sameRows(a: RunRecord, b: RunRecord): boolean {
  // The same test file is the same rows, however many of them each run's training data also held.
  if (measuredOn(a, { seen: false }) !== measuredOn(b, { seen: false })) return false;
  // Test files: by their content, not their name (two `test.csv` of different exports); unknown without both hashes.
  // Their emails alone where both runs recorded them (the file's hash covers every task's labels: another task changes it).
  if (a.testDataPath !== undefined && a.testTextsHash !== undefined && b.testTextsHash !== undefined) return a.testTextsHash === b.testTextsHash;
  if (a.testDataPath !== undefined) return a.testDataHash !== undefined && a.testDataHash === b.testDataHash;
  // Held-out rows: by which rows they were (the data hash also covers the labels, which a renamed queue changes).
  if (a.testRowsFingerprint !== undefined && b.testRowsFingerprint !== undefined) return sameHash(a, b, 'testRowsFingerprint', 'namedTestRowsFingerprint');
  return sameHash(a, b, 'dataHash', 'namedDataHash');
}

/**
 * Whether two runs measured on the same rows measured `task` against the same truths: by each task's hash where both
 * recorded them (a test file's); else yes, as rows were told the same by hashes that cover every label, or by the
 * held-out rows (the tasks and labels rows say what changed).
 */
function sameTruths(a: RunRecord, b: RunRecord, task: string): boolean {
  if (a.testTruthHashes === undefined || b.testTruthHashes === undefined) return true;
  return a.testTruthHashes[task] !== undefined && a.testTruthHashes[task] === b.testTruthHashes[task];
}

/** The tasks of both runs whose truths differ (see sameTruths). */
function otherTruths(a: RunRecord, b: RunRecord, tasks: { a: readonly string[]; b: readonly string[] }): string[] {
  return tasks.a.filter((t) => tasks.b.includes(t) && !sameTruths(a, b, t));
}

/**
 * Whether two runs' hashes match, also across the change of how they are computed: a run that records the
 * named form (with ids made from the file's name, as runs before it computed them) matches an older run by it.
 */
function sameHash(a: RunRecord, b: RunRecord, key: 'dataHash' | 'testRowsFingerprint', named: 'namedDataHash' | 'namedTestRowsFingerprint'): boolean {
  if (a[key] === undefined || b[key] === undefined) return a[key] === b[key];
  if (a[key] === b[key]) return true;
  // Only when one run is older (no named form): today's run is compared by the form the older one recorded.
  return (a[named] === undefined) !== (b[named] === undefined) && (a[named] ?? a[key]) === (b[named] ?? b[key]);
}

/** Whether a run recorded any metric (a failed run, or one stopped before its evaluation, has none). */
export const hasMetrics = (r: RunRecord): boolean => Object.keys(r.metrics ?? {}).length > 0;

/**
 * The verdict of the `data hash` row: nothing when neither run read data (both failed before), not "same"; which run
 * has one when only one does (the other failed before its data was read), not "differs".
 */
function dataVerdict(a: RunRecord, b: RunRecord): string {
  if (a.dataHash === undefined && b.dataHash === undefined) return '';
  if (a.dataHash === undefined || b.dataHash === undefined) return `only ${a.dataHash === undefined ? 'b' : 'a'} read its data`;
  return sameHash(a, b, 'dataHash', 'namedDataHash') ? 'same' : 'differs';
}

/** The verdict of the `metrics on` row: nothing when neither run has metrics, which side has them when one has none. */
function rowsVerdict(a: RunRecord, b: RunRecord, tasks: { a: readonly string[]; b: readonly string[] }): string {
  if (!hasMetrics(a) && !hasMetrics(b)) return '';
  if (!hasMetrics(a) || !hasMetrics(b)) return `only ${hasMetrics(a) ? 'a' : 'b'} has metrics`;
  if (!sameRows(a, b)) return 'different rows: the metrics below do not compare (no b - a shown)';
  // The same test file's emails: each task both have compares where its truths are the same.
  if (a.testTruthHashes !== undefined && b.testTruthHashes !== undefined) {
    const rows = sameTasks(tasks.a, tasks.b) ? 'same rows' : 'same rows, other tasks (see the tasks row)';
    const other = otherTruths(a, b, tasks);
    return other.length === 0 ? rows : `${rows}; other truths of ${other.join(', ')} (no b - a shown)`;
  }
  if (sameHash(a, b, 'dataHash', 'namedDataHash')) return 'same rows';
  // The data hash covers every task's labels: another set of tasks changes it with no label renamed.
  return sameTasks(tasks.a, tasks.b) ? 'same rows, other labels (a taxonomy change)' : 'same rows, other tasks (see the tasks row)';
}

/** `text` in at most `width` characters, an ellipsis marking a cut. */
function cut(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** How wide a failed run's reason is in `runs list` (the whole error is in `runs show`). */
const REASON_WIDTH = 80;

/** A failed run's reason in a list: its error's first line, files by their names (their folders are in `runs show`), cut short. */
function failureReason(error: string): string {
  const line = error.split('\n')[0].trim().replace(/(?<![\w.])(?:\/[^\s/:,;'"()]+)+\/([^\s/:,;'"()]+)/g, '$1');
  return cut(line, REASON_WIDTH);
}

/** A run's error in `runs compare`: the list's reason, cut to a column's width (`runs show` has it whole). */
function errorCell(r: RunRecord): string {
  return r.error === undefined ? '-' : cut(failureReason(r.error), 40);
}

/** A parameter's value as `runs list` and `runs show` print it: a string as it is, another value as JSON (`[3,5]`); `-` when the run has none. */
export function paramText(value: unknown): string {
  if (value === undefined) return '-';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** How wide the params column of `runs list` is (`runs show` has each run's params, `runs compare` those that differ). */
const PARAMS_WIDTH = 40;

/**
 * The params column of `runs list`: for each run, the parameters (defaults filled in) that tell it apart from the
 * other listed runs, as `name=value`, sorted by name. Of each parameter that varies among the listed runs, a run
 * shows its value unless it is the most common one (held by more runs than any other value): with two runs, or
 * no value more common than the others, every run shows its own. Blank for a run whose values are all the most
 * common ones, `-` for one that recorded no params (a run from before they were recorded); all blank when no
 * parameter varies.
 */
function paramsColumn(runs: readonly RunRecord[]): string[] {
  const recorded = runs.filter((r) => r.params !== undefined);
  const keys = [...new Set(recorded.flatMap((r) => Object.keys(r.params ?? {})))].sort();
  const usual = new Map<string, string | undefined>();
  for (const key of keys) {
    const counts = new Map<string, number>();
    for (const r of recorded) counts.set(paramText(r.params?.[key]), (counts.get(paramText(r.params?.[key])) ?? 0) + 1);
    if (counts.size < 2) continue;
    const [[top, most], [, next]] = [...counts].sort((x, y) => y[1] - x[1]);
    usual.set(key, most > next ? top : undefined);
  }
  if (usual.size === 0) return runs.map(() => '');
  return runs.map((r) => {
    if (r.params === undefined) return '-';
    const own = [...usual].filter(([key, value]) => paramText(r.params?.[key]) !== value);
    return cut(own.map(([key]) => `${key}=${paramText(r.params?.[key])}`).join(' '), PARAMS_WIDTH);
  });
}

/**
 * When listed means are over other sets of tasks (in any order), which do not compare: per entry, its set's mark for
 * the mean macro-F1 cell (` [1]`; blank for an entry with no mean: `undefined`), and `named`, each set with its mark
 * (`[1] intent, queue; [2] intent`). No marks and `named` empty when every listed mean is over the same tasks.
 * `runs list` and `registry list` say it each in a legend of their own.
 */
export function meanTaskSets(sets: readonly (readonly string[] | undefined)[], show: (cell: string) => string = (cell) => cell): { marks: string[]; named: string } {
  const keyOf = (set: readonly string[]) => JSON.stringify([...set].sort());
  const keys: string[] = [];
  const named: string[] = [];
  for (const set of sets) {
    if (set === undefined || keys.includes(keyOf(set))) continue;
    keys.push(keyOf(set));
    named.push(`[${keys.length}] ${set.map(show).join(', ') || '-'}`);
  }
  if (keys.length < 2) return { marks: sets.map(() => ''), named: '' };
  return { marks: sets.map((set) => (set === undefined ? '' : ` [${keys.indexOf(keyOf(set)) + 1}]`)), named: named.join('; ') };
}

/** `meanTaskSets` of runs, with the legend `runs list` prints under its table ('' when the means compare). */
function taskSetMarks(runs: readonly RunRecord[], show?: (cell: string) => string): { marks: string[]; legend: string } {
  const { marks, named } = meanTaskSets(runs.map((r) => (r.metrics?.mean_macro_f1 === undefined ? undefined : taskNames(r))), show);
  return { marks, legend: named === '' ? '' : `mean macro-F1 [n]: the runs' means are over other tasks (${named}) and do not compare; runs compare gives each task's own` };
}

/**
 * Rows of `runs list`: id, status, started, model, its registry standing (with `standing`: the model's status in the
 * registry, as `registry list` shows it), mean macro-F1 (marked when the listed means are over other tasks: see taskSetMarks), the size of its model.onnx (blank where not recorded), measured on, data hash, the params that tell the run apart
 * from the others listed (see paramsColumn), note, and why a failed run failed.
 */
export function runListRows(runs: readonly RunRecord[], standing?: ReadonlyMap<string, string>): string[][] {
  const params = paramsColumn(runs);
  const { marks } = taskSetMarks(runs);
  return runs.map((r, i) => [
    r.runId,
    r.status,
    utcTime(r.startedAt),
    r.modelId ?? '-',
    ...(standing ? [(r.modelId === undefined ? undefined : standing.get(r.modelId)) ?? '-'] : []),
    `${score(r.metrics?.mean_macro_f1)}${marks[i]}`,
    // Blank, not n/a, for a run with no model (failed) or from before sizes were recorded: the column may be left out.
    r.artifactBytes?.['model.onnx'] === undefined ? '' : sizeText(r.artifactBytes['model.onnx']),
    measuredOn(r),
    r.dataHash ? r.dataHash.slice(0, 12) : '-',
    params[i],
    r.note === undefined ? '' : cut(r.note, 40),
    r.status === 'failed' && r.error !== undefined ? failureReason(r.error) : '',
  ]);
}

/**
 * The `runs list` table; the params column only when a parameter varies among the listed runs, the error column
 * only when a listed run failed. `show`: how a cell is shown (the CLI escapes control characters of notes, ids and
 * errors for the terminal), applied before the columns are aligned.
 */
export function formatRunList(runs: readonly RunRecord[], show: (cell: string) => string = (cell) => cell, standing?: ReadonlyMap<string, string>): string {
  const header = ['run', 'status', 'started (UTC)', 'model', ...(standing ? ['registry'] : []), 'mean macro-F1', 'model.onnx', 'measured on', 'data', 'params where runs differ', 'note', 'error'];
  const rows = runListRows(runs, standing).map((row) => row.map(show));
  // Optional columns (model.onnx's size, params, error) are left out when every run's cell is blank.
  const optional = new Set([header.indexOf('model.onnx'), header.length - 3, header.length - 1]);
  const kept = header.map((_, i) => !optional.has(i) || rows.some((row) => row[i] !== ''));
  const keep = (cells: readonly string[]) => cells.filter((_, i) => kept[i]);
  const { legend } = taskSetMarks(runs, show);
  return `${formatTable(keep(header), rows.map(keep))}${legend === '' ? '' : `\n${legend}`}`;
}

/** Each task's final labels, as a run's taxonomy report recorded them. */
function labelsByTask(run: RunRecord): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const report of run.taxonomy ?? []) {
    const r = report as { task?: unknown; labels?: unknown };
    if (typeof r.task === 'string' && Array.isArray(r.labels)) out.set(r.task, r.labels.filter((l): l is string => typeof l === 'string'));
  }
  return out;
}

/** The names of a run's tasks: as its config gives them (a run that failed before reading data has no taxonomy). */
function taskNames(run: RunRecord): string[] {
  const tasks = (run.config as { tasks?: unknown } | undefined)?.tasks;
  if (!Array.isArray(tasks)) return [...labelsByTask(run).keys()];
  return tasks.flatMap((t: unknown) => (typeof (t as { name?: unknown })?.name === 'string' ? [(t as { name: string }).name] : []));
}

/** Whether two runs' tasks are the same (in any order). */
function sameTasks(x: readonly string[], y: readonly string[]): boolean {
  return x.length === y.length && x.every((t) => y.includes(t));
}

/** The `tasks` row: each run's tasks (`x`, `y`), and which b added or dropped. */
function tasksRow(x: readonly string[], y: readonly string[]): string[] {
  const change = [...y.filter((t) => !x.includes(t)).map((t) => `+${t}`), ...x.filter((t) => !y.includes(t)).map((t) => `-${t}`)].join(' ');
  return ['tasks', x.join(', ') || '-', y.join(', ') || '-', change === '' ? '' : `${change}: the mean_ figures average other tasks (no b - a shown)`];
}

/**
 * A config as paths to values (`split.validShare`, `task queue.aliases`): its tasks by name, not by place, those in
 * `tasks` only (a task one run lacks is the tasks row's); no description or model (the params row has those).
 */
function configPaths(config: unknown, tasks: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (value: unknown, at: string) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, v] of Object.entries(value)) walk(v, at === '' ? key : `${at}.${key}`);
    } else out.set(at, JSON.stringify(value));
  };
  if (config === null || typeof config !== 'object') return out;
  const { description: _d, model: _m, tasks: specs, ...rest } = config as Record<string, unknown>;
  walk(rest, '');
  if (Array.isArray(specs)) {
    for (const spec of specs as Record<string, unknown>[]) {
      const { name, ...fields } = spec ?? {};
      if (typeof name === 'string' && tasks.includes(name)) walk(fields, `task ${name}`);
    }
  }
  return out;
}

/** How many config rows `runs compare` shows at most (`runs show` has the whole config of each). */
const CONFIG_ROWS = 12;

/** A key whose values differ between two runs: [key, a's value, b's value] (undefined where a run has none). */
type ValueDiff = [string, string | undefined, string | undefined];

/** The keys of either map whose values differ, sorted, with both values. */
function valueDiffs(x: ReadonlyMap<string, string | undefined>, y: ReadonlyMap<string, string | undefined>): ValueDiff[] {
  return [...new Set([...x.keys(), ...y.keys()])].sort().flatMap((key): ValueDiff[] => (x.get(key) === y.get(key) ? [] : [[key, x.get(key), y.get(key)]]));
}

/** A record's values as JSON (`[3,5]`), by key. */
const asJson = (record: Readonly<Record<string, unknown>> | undefined): Map<string, string | undefined> =>
  new Map(Object.entries(record ?? {}).map(([key, value]) => [key, JSON.stringify(value)]));

/**
 * The config values (besides the model params) that differ between two runs, of the tasks both have (`common`): split,
 * columns, onBadRow, a task's aliases..., sorted by path: [path, a's JSON, b's JSON].
 */
function configDiffs(a: RunRecord, b: RunRecord, common: readonly string[]): ValueDiff[] {
  return valueDiffs(configPaths(a.config, common), configPaths(b.config, common));
}

/** The `config` rows of `runs compare`: configDiffs, at most CONFIG_ROWS of them. */
function configChanges(a: RunRecord, b: RunRecord, common: readonly string[]): string[][] {
  const rows = configDiffs(a, b, common).map(([key, x, y]) => [`config ${key}`, cut(x ?? '-', 40), cut(y ?? '-', 40), 'differs']);
  if (rows.length <= CONFIG_ROWS) return rows;
  return [...rows.slice(0, CONFIG_ROWS), [`config (${rows.length - CONFIG_ROWS} more)`, '', '', 'runs show has each config whole']];
}

/** The artifact files whose hashes differ between two runs (none: the same weights); undefined unless both recorded their hashes. */
function differingFiles(a: RunRecord, b: RunRecord): string[] | undefined {
  if (a.artifactFiles === undefined || b.artifactFiles === undefined) return undefined;
  return valueDiffs(new Map(Object.entries(a.artifactFiles)), new Map(Object.entries(b.artifactFiles))).map(([name]) => name);
}

/** Whether two runs' artifacts hold the same files (the same weights): blank unless both recorded their hashes. */
function filesVerdict(a: RunRecord, b: RunRecord): string[][] {
  const differ = differingFiles(a, b);
  if (differ === undefined) return [];
  const hash = (r: RunRecord) => r.artifactFiles?.['model.onnx']?.slice(0, 12) ?? '-';
  return [['model.onnx sha256', hash(a), hash(b), differ.length === 0 ? 'identical artifacts: the same weights' : `differ: ${differ.join(', ')}`]];
}

/** The tasks of both runs whose learnt labels differ (a rename, a merge, a label dropped or new): each with both runs' labels, those b added and those it removed. */
function labelDiffs(a: RunRecord, b: RunRecord): Array<{ task: string; x: string[]; y: string[]; added: string[]; removed: string[] }> {
  const [la, lb] = [labelsByTask(a), labelsByTask(b)];
  // A run that recorded no taxonomy (it failed before reading the data) lost or gained no labels.
  if (la.size === 0 || lb.size === 0) return [];
  // A task only one run has is said by the tasks row, not as all its labels gained or lost.
  return [...la.keys()].filter((t) => lb.has(t)).flatMap((task) => {
    const x = la.get(task) ?? [];
    const y = lb.get(task) ?? [];
    const added = y.filter((l) => !x.includes(l));
    const removed = x.filter((l) => !y.includes(l));
    return added.length + removed.length === 0 ? [] : [{ task, x, y, added, removed }];
  });
}

/** Tasks of both runs whose learnt labels differ: `+added -removed`. */
function labelChanges(a: RunRecord, b: RunRecord): string[][] {
  return labelDiffs(a, b).map(({ task, x, y, added, removed }) => {
    const change = [...added.map((l) => `+${l}`), ...removed.map((l) => `-${l}`)].join(' ');
    return [`labels ${task}`, `${x.length} labels`, `${y.length} labels`, change.length > 80 ? `${change.slice(0, 79)}…` : change];
  });
}

/** Seconds to the hundredth, with their unit: `0.23 s`. */
export function seconds(value: number | undefined): string {
  return value === undefined ? '-' : `${value.toFixed(2)} s`;
}

/** `+` before a difference that is not negative. */
const signed = (text: string, d: number): string => `${d >= 0 ? '+' : ''}${text}`;

/** How much longer (or shorter) b trained than a, to the hundredth of a second; blank when either is unknown. */
function secondsDelta(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined) return '';
  return signed(seconds(b - a), b - a);
}

/**
 * How a metric of a run record is shown, by its name: a count (`support`), a score from 0 to 1 (accuracy, F1,
 * precision, recall), or another figure. Scores are fractions, as `runs show`, `runs list` and `registry list`
 * print them; their difference is in percentage points, as `mailroute compare` and the gate policy give it.
 */
export type MetricKind = 'count' | 'score' | 'other';
export function metricKind(key: string): MetricKind {
  if (key.endsWith('support')) return 'count';
  return /(accuracy|f1|precision|recall|coverage)$/.test(key) ? 'score' : 'other';
}

/** A difference of scores in percentage points, labelled: 0.6518 - 0.6637 is `-1.19 pts`. */
export function pointsDelta(a: number, b: number): string {
  // Rounded first, so that a difference smaller than half a hundredth of a point is `+0.00 pts`, not `-0.00 pts`.
  const points = Math.round((b - a) * 10_000) / 100 || 0;
  return signed(`${points.toFixed(2)} pts`, points);
}

/** The line under `runs compare`'s table saying the units of its figures. */
export const RUN_COMPARE_UNITS = 'Scores (accuracy, F1, coverage and precision at the thresholds) are fractions from 0 to 1, as runs show prints them; b - a of a score is in percentage points (pts: -1.20 pts = 0.0120 lower), as mailroute compare gives it.';

/**
 * Whether two runs' validation rows (those their epochs' figures and `bestValidF1` were measured on) were the same.
 * No fingerprint of them is recorded, so they are judged by what decides them: the same data (its rows and labels:
 * the data hash), the same split config, a test file for both or neither (without one a test share is split off
 * too), the same held-out test rows where both recorded them, the same text-reading params (which rows have text
 * and which are duplicates, kept on one side of the split), the same tasks, and as many training and validation rows.
 */
function sameValidRows(a: RunRecord, b: RunRecord, tasks: { a: readonly string[]; b: readonly string[] }): boolean {
  if (a.dataHash === undefined || b.dataHash === undefined || !sameHash(a, b, 'dataHash', 'namedDataHash')) return false;
  if ((a.testDataPath === undefined) !== (b.testDataPath === undefined)) return false;
  const splitOf = (r: RunRecord) => JSON.stringify((r.config as { split?: unknown } | undefined)?.split);
  if (splitOf(a) !== splitOf(b)) return false;
  if (a.testRowsFingerprint !== undefined && b.testRowsFingerprint !== undefined && !sameHash(a, b, 'testRowsFingerprint', 'namedTestRowsFingerprint')) return false;
  if (['wordNgrams', 'charNgrams', 'maxChars'].some((key) => JSON.stringify(a.params?.[key]) !== JSON.stringify(b.params?.[key]))) return false;
  return sameTasks(tasks.a, tasks.b) && a.counts?.train === b.counts?.train && a.counts?.valid === b.counts?.valid;
}

/** The `best valid F1` row: b - a in points when both runs were validated on the same rows, else why there is none. */
function bestValidRow(a: RunRecord, b: RunRecord, tasks: { a: readonly string[]; b: readonly string[] }): string[] {
  const [x, y] = [a.bestValidF1, b.bestValidF1];
  const delta = x === undefined || y === undefined ? '' : sameValidRows(a, b, tasks) ? pointsDelta(x, y) : 'other validation rows (no b - a shown)';
  // A single-task run's figure is the mean of each task's own best epoch, picked on these very rows: not alike.
  const single = modesDiffer(a, b) ? (modeOf(a) === 'single-task' ? 'a' : 'b') : undefined;
  const note = single === undefined || delta === '' ? '' : `; ${single} single-task: per-task best epochs favour it (compare test figures)`;
  return ['best valid F1', score(x), score(y), `${delta}${note}`];
}

/** The trainer's mode a run recorded (`multi-task` or `single-task`); undefined for a run that recorded no params. */
const modeOf = (r: RunRecord): string | undefined => (typeof r.params?.mode === 'string' ? r.params.mode : undefined);

/** Whether both runs recorded their mode and the modes differ. */
const modesDiffer = (a: RunRecord, b: RunRecord): boolean => modeOf(a) !== undefined && modeOf(b) !== undefined && modeOf(a) !== modeOf(b);

/** A kept epoch as `runs compare` gives it: `3`, or `8-10 averaged` when the kept weights average epochs 8 to 10. */
export function keptEpochText(epoch: number | undefined, averaged: number | undefined): string {
  if (epoch === undefined) return '-';
  return averaged !== undefined && averaged > 1 ? `${epoch - averaged + 1}-${epoch} averaged` : String(epoch);
}

/**
 * `best epoch <task>` rows, when either run trained in single-task mode (each task's part kept its own epoch): a
 * single-task run's own per task, a multi-task run's one epoch for every task.
 */
function taskEpochRows(a: RunRecord, b: RunRecord, tasks: { a: readonly string[]; b: readonly string[] }): string[][] {
  if (a.taskBestEpochs === undefined && b.taskBestEpochs === undefined) return [];
  const cell = (r: RunRecord, task: string, own: readonly string[]) => {
    if (!own.includes(task)) return '-';
    if (r.taskBestEpochs === undefined) return keptEpochText(r.bestEpoch, r.averagedEpochs);
    return keptEpochText(r.taskBestEpochs[task], r.taskAveragedEpochs?.[task]);
  };
  return [...new Set([...tasks.a, ...tasks.b])].map((task) => [`best epoch ${task}`, cell(a, task, tasks.a), cell(b, task, tasks.b), '']);
}

/** Bytes as `runs compare` and `runs list` give them: `6.66 MB` (10^6 bytes), `n/a` for a run that recorded none. */
export function sizeText(bytes: number | undefined): string {
  if (bytes === undefined) return 'n/a';
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

/** The size of a run's `model.onnx`, and of all its artifact's files (the manifest aside); undefined for a run that recorded none. */
export function artifactSizes(r: RunRecord): { onnx: number | undefined; all: number | undefined } {
  const bytes = r.artifactBytes;
  if (bytes === undefined) return { onnx: undefined, all: undefined };
  return { onnx: bytes['model.onnx'], all: Object.values(bytes).reduce((sum, n) => sum + n, 0) };
}

/** The size rows of `runs compare` (when either run recorded its sizes): b - a and b / a. */
function sizeRows(a: RunRecord, b: RunRecord): string[][] {
  if (a.artifactBytes === undefined && b.artifactBytes === undefined) return [];
  const [x, y] = [artifactSizes(a), artifactSizes(b)];
  const delta = (p: number | undefined, q: number | undefined) => {
    if (p === undefined || q === undefined) return '';
    return `${q < p ? '-' : '+'}${sizeText(Math.abs(q - p))}${p > 0 ? ` (${(q / p).toFixed(2)}x)` : ''}`;
  };
  return [
    ['model.onnx size', sizeText(x.onnx), sizeText(y.onnx), delta(x.onnx, y.onnx)],
    ['artifact size', sizeText(x.all), sizeText(y.all), delta(x.all, y.all)],
  ];
}

/** The parameters (defaults filled in) whose values differ between two runs, sorted by name: [name, a's JSON, b's JSON]. */
function paramChanges(a: RunRecord, b: RunRecord): ValueDiff[] {
  return valueDiffs(asJson(a.params), asJson(b.params));
}

/** The count names of either run, in the order they were recorded. */
const countKeys = (a: RunRecord, b: RunRecord): string[] => [...new Set([...Object.keys(a.counts ?? {}), ...Object.keys(b.counts ?? {})])];

/** The metric names of either run, sorted. */
const metricKeys = (a: RunRecord, b: RunRecord): string[] => [...new Set([...Object.keys(a.metrics ?? {}), ...Object.keys(b.metrics ?? {})])].sort();

/**
 * Whether b - a of a metric is shown: only of metrics measured on the same rows (the `metrics on` row says so), not
 * of the means over tasks of runs that trained other tasks (the tasks row says so), and of a task's (`intent.macro_f1`)
 * or a mean only where the truths are the same.
 */
function metricCompares(key: string, a: RunRecord, b: RunRecord, tasks: { a: readonly string[]; b: readonly string[] }): boolean {
  if (!sameRows(a, b)) return false;
  if (key.startsWith('mean_')) return sameTasks(tasks.a, tasks.b) && otherTruths(a, b, tasks).length === 0;
  return !key.includes('.') || sameTruths(a, b, key.slice(0, key.indexOf('.')));
}

/**
 * Side-by-side rows of two runs: [field, a, b, b - a] for every metric either has and every count that differs;
 * the counts equal in both are one row saying how many (`runs compare --json` has each).
 */
export function compareRunRows(a: RunRecord, b: RunRecord): string[][] {
  const [tasksA, tasksB] = [taskNames(a), taskNames(b)];
  const tasks = { a: tasksA, b: tasksB };
  const rows: string[][] = [
    ['run', a.runId, b.runId, ''],
    ['status', a.status, b.status, ''],
    // Why a run failed, as runs list says it, shorter: the rows below are `-` for what it never got to.
    ...(a.error !== undefined || b.error !== undefined ? [['error', errorCell(a), errorCell(b), '']] : []),
    ['model', a.modelId ?? '-', b.modelId ?? '-', ''],
    ...(a.note !== undefined || b.note !== undefined ? [['note', a.note ?? '-', b.note ?? '-', '']] : []),
    ['git commit', commitOf(a), commitOf(b), a.gitDirty || b.gitDirty ? 'uncommitted changes: the code may differ' : ''],
    ['data hash', a.dataHash?.slice(0, 12) ?? '-', b.dataHash?.slice(0, 12) ?? '-', dataVerdict(a, b)],
    ['metrics on', measuredOn(a), measuredOn(b), rowsVerdict(a, b, tasks)],
    tasksRow(tasksA, tasksB),
    ...filesVerdict(a, b),
    // The epochs the run trained (early stopping may end it before `param epochs`).
    ['epochs run', fmt(a.epochs.length), fmt(b.epochs.length), ''],
    ['best epoch', fmt(a.bestEpoch), fmt(b.bestEpoch), ''],
    ['averaged epochs', fmt(a.averagedEpochs), fmt(b.averagedEpochs), ''],
    ...taskEpochRows(a, b, tasks),
    bestValidRow(a, b, tasks),
    ['training seconds', seconds(a.trainingSeconds), seconds(b.trainingSeconds), secondsDelta(a.trainingSeconds, b.trainingSeconds)],
    ...sizeRows(a, b),
  ];
  // The parameters that differ (defaults filled in): what else but the code or the data made the runs differ.
  for (const [key, x, y] of paramChanges(a, b)) rows.push([`param ${key}`, x ?? '-', y ?? '-', 'differs']);
  rows.push(...configChanges(a, b, tasksA.filter((t) => tasksB.includes(t))), ...labelChanges(a, b));
  // Counts (and a metric's `support`) as integers; scores always to 4 places, a perfect 1 or a 0 included, and their b - a in points.
  const numeric = (label: string, x: number | undefined, y: number | undefined, kind: MetricKind, differ = true) => {
    const show = kind === 'count' ? fmt : score;
    const delta = (x: number, y: number) => (kind === 'score' ? pointsDelta(x, y) : signed(kind === 'count' ? fmt(y - x) : (y - x).toFixed(4), y - x));
    rows.push([label, show(x), show(y), differ && x !== undefined && y !== undefined ? delta(x, y) : '']);
  };
  // Counts equal in both runs (most of them, between two runs of one export) would bury those that differ: one row says how many.
  let equalCounts = 0;
  for (const key of countKeys(a, b)) {
    const [x, y] = [a.counts?.[key], b.counts?.[key]];
    if (x !== undefined && x === y) equalCounts++;
    else numeric(`count ${key}`, x, y, 'count');
  }
  if (equalCounts > 0) rows.push([`count (${equalCounts} equal)`, '', '', 'not shown (runs compare --json has each)']);
  for (const key of metricKeys(a, b)) numeric(key, a.metrics?.[key], b.metrics?.[key], metricKind(key), metricCompares(key, a, b, tasks));
  return rows;
}

/** One figure of each run and b - a (in the figure's own units: a fraction for a score); null where a run has none or b - a does not compare. */
export interface ComparedFigure {
  a: number | null;
  b: number | null;
  delta: number | null;
}

/** What `runs compare --json` gives of each run. */
export interface ComparedRun {
  runId: string;
  status: RunRecord['status'];
  /** A failed run's error (its first line, as recorded). */
  error: string | null;
  modelId: string | null;
  note: string | null;
  gitCommit: string | null;
  gitDirty: boolean;
  dataHash: string | null;
  measuredOn: string | null;
  tasks: string[];
  /** The model parameters, defaults filled in; null for a run that recorded none. */
  params: Record<string, unknown> | null;
  epochsRun: number;
  bestEpoch: number | null;
  averagedEpochs: number | null;
  /** `single-task` mode: each task's own kept epoch and how many epochs it averaged; null in multi-task mode (`bestEpoch` is every task's). */
  taskBestEpochs: Record<string, number> | null;
  taskAveragedEpochs: Record<string, number> | null;
  /** Each artifact file's size in bytes; null for a run from before they were recorded. */
  artifactBytes: Record<string, number> | null;
}

/**
 * `runs compare --json`: two runs and what differs between them, the same facts as the table (every count and
 * every config difference, none left out), with numbers unrounded. `delta` is b - a in the figure's units (a
 * score's as a fraction, 0.0137, where the table says +1.37 pts), null where the table shows none.
 */
export interface RunComparison {
  a: ComparedRun;
  b: ComparedRun;
  compatibility: {
    /** `same`, `differs`, `only a read its data` ...; null when neither run read its data. */
    data: string | null;
    /** The `metrics on` row's verdict: `same rows`, `different rows: ...`, `only a has metrics` ...; null when neither has metrics. */
    metricsRows: string | null;
    /** Whether the metrics were measured on the same rows (their `delta` is given). */
    metricsCompare: boolean;
    /** Whether both runs were validated on the same rows (`bestValidF1.delta` is given). */
    validationRowsSame: boolean;
    sameTasks: boolean;
    /** Whether the two artifacts hold the same files (the same weights); null unless both runs recorded their hashes. */
    identicalArtifacts: boolean | null;
    /**
     * Whether both trained in the same mode; false: a single-task run's `bestValidF1` is the mean of each task's own best
     * epoch, picked on the validation rows, which favours it (compare the test figures). Null unless both recorded params.
     */
    sameMode: boolean | null;
  };
  /** The parameters whose values differ. */
  differingParams: Record<string, { a: unknown; b: unknown }>;
  /** The other config values that differ (`split.validShare`, `task queue.aliases.kyc`), of the tasks both have; null where a run has none. */
  differingConfig: Record<string, { a: unknown; b: unknown }>;
  /** The labels each task of both runs gained (in b) or lost. */
  labelChanges: Record<string, { added: string[]; removed: string[] }>;
  bestValidF1: ComparedFigure;
  trainingSeconds: ComparedFigure;
  /** The size in bytes of `model.onnx`, and of all the artifact's files (the manifest aside). */
  modelOnnxBytes: ComparedFigure;
  artifactBytes: ComparedFigure;
  counts: Record<string, ComparedFigure>;
  metrics: Record<string, ComparedFigure & { kind: MetricKind }>;
}

/** b - a without float noise (0.8563 - 0.8425 is 0.0138, not 0.013800000000000034); null when either is missing or `compares` is false. */
function figure(x: number | undefined, y: number | undefined, compares = true): ComparedFigure {
  const delta = compares && x !== undefined && y !== undefined ? Number((y - x).toPrecision(12)) : null;
  return { a: x ?? null, b: y ?? null, delta };
}

function comparedRun(r: RunRecord, tasks: string[]): ComparedRun {
  const on = measuredOn(r);
  return {
    runId: r.runId,
    status: r.status,
    error: r.error ?? null,
    modelId: r.modelId ?? null,
    note: r.note ?? null,
    gitCommit: r.gitCommit,
    gitDirty: r.gitDirty === true,
    dataHash: r.dataHash ?? null,
    measuredOn: on === '-' ? null : on,
    tasks,
    params: r.params ?? null,
    epochsRun: r.epochs.length,
    bestEpoch: r.bestEpoch ?? null,
    averagedEpochs: r.averagedEpochs ?? null,
    taskBestEpochs: r.taskBestEpochs ?? null,
    taskAveragedEpochs: r.taskAveragedEpochs ?? null,
    artifactBytes: r.artifactBytes ?? null,
  };
}

/** Two runs compared, for `runs compare --json`: see RunComparison. */
export function compareRuns(a: RunRecord, b: RunRecord): RunComparison {
  const [tasksA, tasksB] = [taskNames(a), taskNames(b)];
  const tasks = { a: tasksA, b: tasksB };
  const common = tasksA.filter((t) => tasksB.includes(t));
  const comparable = sameRows(a, b);
  const tasksAlike = sameTasks(tasksA, tasksB);
  const validSame = sameValidRows(a, b, tasks);
  const parsed = (text: string | undefined): unknown => (text === undefined ? null : JSON.parse(text));
  const differ = differingFiles(a, b);
  return {
    a: comparedRun(a, tasksA),
    b: comparedRun(b, tasksB),
    compatibility: {
      data: dataVerdict(a, b) || null,
      metricsRows: rowsVerdict(a, b, tasks) || null,
      metricsCompare: comparable && hasMetrics(a) && hasMetrics(b),
      validationRowsSame: validSame,
      sameTasks: tasksAlike,
      identicalArtifacts: differ === undefined ? null : differ.length === 0,
      sameMode: modeOf(a) === undefined || modeOf(b) === undefined ? null : modeOf(a) === modeOf(b),
    },
    differingParams: Object.fromEntries(paramChanges(a, b).map(([key, x, y]) => [key, { a: parsed(x), b: parsed(y) }])),
    differingConfig: Object.fromEntries(configDiffs(a, b, common).map(([key, x, y]) => [key, { a: parsed(x), b: parsed(y) }])),
    labelChanges: Object.fromEntries(labelDiffs(a, b).map(({ task, added, removed }) => [task, { added, removed }])),
    bestValidF1: figure(a.bestValidF1, b.bestValidF1, validSame),
    trainingSeconds: figure(a.trainingSeconds, b.trainingSeconds),
    modelOnnxBytes: figure(artifactSizes(a).onnx, artifactSizes(b).onnx),
    artifactBytes: figure(artifactSizes(a).all, artifactSizes(b).all),
    counts: Object.fromEntries(countKeys(a, b).map((key) => [key, figure(a.counts?.[key], b.counts?.[key])])),
    metrics: Object.fromEntries(metricKeys(a, b).map((key) => [key, { kind: metricKind(key), ...figure(a.metrics?.[key], b.metrics?.[key], metricCompares(key, a, b, tasks)) }])),
  };
}

/** Plain aligned columns for a terminal. */
export function formatTable(header: string[], rows: readonly string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
