import { NgramBagParamsSchema } from '../ngram-bag/params.js';
import { artifactSizes, commitOf, fmt, formatTable, hasMetrics, keptEpochText, measuredOn, metricKind, paramText, pyFloat, score, seconds, sizeText, utcTime } from './format.js';
import type { EpochRecord, RunRecord } from './run-record.js';

/** The trainer's default parameters, which `runs show` leaves out of a run's params. */
const DEFAULT_PARAMS: Record<string, unknown> = NgramBagParamsSchema.parse({});

/**
 * The `params` line of `runs show`: the parameters (as the run recorded them, defaults filled in) whose values are not
 * the trainer's defaults of today, as `name=value`, sorted by name; `defaults` when none differs, `-` when none recorded.
 */
function paramsLine(r: RunRecord): string {
  if (r.params === undefined) return '-';
  const changed = Object.keys(r.params).sort().filter((key) => JSON.stringify(r.params?.[key]) !== JSON.stringify(DEFAULT_PARAMS[key]));
  return changed.length === 0 ? 'defaults' : `${changed.map((key) => `${key}=${paramText(r.params?.[key])}`).join(' ')} (the rest at the trainer's defaults)`;
}

/** The counts `runs show` gives on its `rows` line, in this order; the others (when not 0) on the `counts` line. */
const ROW_COUNTS = ['read', 'rows', 'train', 'valid', 'test'];

/** A time of a run record as `runs list` prints it, saying UTC: `2026-12-05 22:43:02 UTC`. */
const utc = (iso: string): string => `${utcTime(iso)} UTC`;

/** The epochs table of `runs show`: epoch, loss, learning rate, validation loss, mean F1 and each task's F1, seconds. */
function epochTable(epochs: readonly EpochRecord[]): string {
  const tasks = [...new Set(epochs.flatMap((e) => Object.keys(e.perTask)))];
  const header = ['epoch', 'loss', 'lr', 'eval_loss', 'eval F1', ...tasks.map((t) => `${t} F1`), 'seconds'];
  const rows = epochs.map((e) => [
    String(e.epoch),
    e.loss.toFixed(4),
    pyFloat(e.learningRate, 6),
    e.valLoss === null ? '-' : e.valLoss.toFixed(4),
    e.meanF1 === null ? '-' : score(e.meanF1),
    ...tasks.map((t) => score(e.perTask[t]?.f1)),
    e.seconds.toFixed(2),
  ]);
  return formatTable(header, rows);
}

/** Single-task mode: `; single-task, each task its own: queue 1, topic 8-10 averaged` (blank in multi-task mode). */
function taskEpochsText(r: RunRecord): string {
  const own = r.taskBestEpochs;
  if (own === undefined) return '';
  const each = Object.entries(own).map(([task, epoch]) => `${task} ${keptEpochText(epoch, r.taskAveragedEpochs?.[task])}`);
  return `; single-task, each task its own: ${each.join(', ')}`;
}

/** The order of a task's figures in `runs show`'s metrics table; others follow, `support` last. */
const FIGURE_ORDER = ['accuracy', 'macro_f1', 'weighted_f1', 'precision', 'recall', 'coverage', 'answered_precision'];

/**
 * The metrics table of `runs show`: a row per task (`queue.macro_f1` is queue's macro_f1), a `mean` row of the
 * means over tasks (`mean_macro_f1`), a column per figure; scores to 4 places, `support` a count.
 */
function metricsTable(metrics: Record<string, number>): string {
  const cells = new Map<string, Map<string, number>>();
  for (const [key, value] of Object.entries(metrics)) {
    const dot = key.lastIndexOf('.');
    const [row, figureName] = dot > 0 ? [key.slice(0, dot), key.slice(dot + 1)] : key.startsWith('mean_') ? ['mean', key.slice(5)] : ['all', key];
    if (!cells.has(row)) cells.set(row, new Map());
    cells.get(row)?.set(figureName, value);
  }
  // Tasks first in the order recorded, then the means over them.
  const rowNames = [...[...cells.keys()].filter((r) => r !== 'mean' && r !== 'all'), ...['mean', 'all'].filter((r) => cells.has(r))];
  const names = [...new Set([...cells.values()].flatMap((m) => [...m.keys()]))];
  const rank = (name: string) => (name === 'support' ? FIGURE_ORDER.length + 1 : FIGURE_ORDER.includes(name) ? FIGURE_ORDER.indexOf(name) : FIGURE_ORDER.length);
  const columns = names.map((name, i) => [name, i] as const).sort((x, y) => rank(x[0]) - rank(y[0]) || x[1] - y[1]).map(([name]) => name);
  const rows = rowNames.map((row) => [row, ...columns.map((c) => {
    const value = cells.get(row)?.get(c);
    return metricKind(c) === 'score' ? score(value) : fmt(value);
  })]);
  return formatTable(['', ...columns], rows);
}

/**
 * `runs show`: a run as an engineer reads it: its ids, times, code, data, row counts, the params not at their
 * defaults, each epoch, the kept epoch, the figures measured and the warnings training said; `runs show --json` has the whole record (the config,
 * the taxonomy, the artifact's files). `show`: how a value from the record is shown (the CLI escapes control characters).
 */
export function formatRunSummary(r: RunRecord, show: (cell: string) => string = (cell) => cell): string {
  const lines: Array<[string, string]> = [
    ['run', r.runId],
    ['status', r.status],
    ...(r.error === undefined ? [] : [['error', r.error] as [string, string]]),
    ['model', r.modelId ?? '-'],
    ...(r.note === undefined ? [] : [['note', r.note] as [string, string]]),
    ['started', utc(r.startedAt)],
    ...(r.finishedAt === undefined ? [] : [['finished', `${utc(r.finishedAt)}${r.durationSeconds === undefined ? '' : ` (${seconds(r.durationSeconds)})`}`] as [string, string]]),
    ['git commit', commitOf(r)],
    ...r.dataPaths.map((p, i): [string, string] => [i === 0 ? 'data' : '', p]),
    ...(r.testDataPath === undefined ? [] : [['test file', r.testDataPath] as [string, string]]),
    ['data hash', r.dataHash?.slice(0, 12) ?? '-'],
  ];
  const counts = r.counts ?? {};
  const rowCounts = ROW_COUNTS.filter((k) => counts[k] !== undefined).map((k) => `${k} ${counts[k]}`);
  if (rowCounts.length > 0) lines.push(['rows', rowCounts.join(', ')]);
  const others = Object.entries(counts).filter(([k, v]) => !ROW_COUNTS.includes(k) && v !== 0);
  if (others.length > 0) lines.push(['counts', others.map(([k, v]) => `${k} ${v}`).join(', ')]);
  lines.push(['params', paramsLine(r)]);
  if (r.bestEpoch !== undefined) {
    const averaged = r.averagedEpochs !== undefined && r.averagedEpochs > 0 ? ` (the kept weights average epochs ${r.bestEpoch - r.averagedEpochs + 1}-${r.bestEpoch})` : '';
    lines.push(['best epoch', `${r.bestEpoch}${averaged}${taskEpochsText(r)}`]);
  }
  if (r.bestValidF1 !== undefined) lines.push(['best valid F1', `${score(r.bestValidF1)}${r.taskBestEpochs === undefined ? '' : " (the mean of each task's own best)"}`]);
  if (r.trainingSeconds !== undefined) lines.push(['training seconds', seconds(r.trainingSeconds)]);
  const sizes = artifactSizes(r);
  if (sizes.all !== undefined) lines.push(['model size', `model.onnx ${sizeText(sizes.onnx)}, all files ${sizeText(sizes.all)}`]);
  const width = Math.max(...lines.map(([label]) => label.length));
  const out = [lines.map(([label, value]) => `${label.padEnd(width)}  ${show(value)}`).join('\n')];
  if (r.epochs.length > 0) out.push(`epochs (validation figures)\n${epochTable(r.epochs.map((e) => ({ ...e, perTask: Object.fromEntries(Object.entries(e.perTask).map(([t, m]) => [show(t), m])) })))}`);
  if (hasMetrics(r)) out.push(`metrics on ${show(measuredOn(r))}\n${metricsTable(Object.fromEntries(Object.entries(r.metrics ?? {}).map(([k, v]) => [show(k), v])))}`);
  // What training warned of, for whoever approves the model later (runs from before they were kept have none).
  if (r.warnings !== undefined && r.warnings.length > 0) out.push(`warnings (${r.warnings.length}, as training said them)\n${r.warnings.map((w) => `- ${show(w)}`).join('\n')}`);
  out.push('runs show --json has the whole record (config, taxonomy, artifact files).');
  return out.join('\n\n');
}
