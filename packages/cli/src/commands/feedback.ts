import path from 'node:path';
import type { Command } from 'commander';
import { readManifest } from '@mailroute/model';
import { DB_FILE, readConfirmedCases, type ConfirmedCase } from '@mailroute/serving';
import { csvField, loadTrainingConfig, parseTrainingConfig, resolveModelDir, taskColumn, type TrainingConfig } from '@mailroute/training';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { prepareOutput } from '../output-path.js';
import { writeOutputFile, writeStdout } from '../write-output.js';
import { modelRef } from './evaluate.js';

/** An ISO 8601 date (`2026-11-01`, midnight UTC) or date and time (`2026-11-01T08:00`, UTC unless it has a zone). */
const ISO_TIME = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

export function timeOption(flag: string, value: string): Date {
  const m = ISO_TIME.exec(value.trim());
  const date = m === null ? undefined : new Date(m[2] === undefined ? `${m[1]}T00:00:00Z` : m[5] === undefined ? `${value.trim()}Z` : value.trim());
  // 2026-02-30 would be read as March 2nd: the day must come back as written.
  if (m === null || date === undefined || Number.isNaN(date.getTime()) || (m[5] === undefined && date.toISOString().slice(0, 10) !== m[1])) {
    throw new UsageError(`${flag} ${value}: not a date or time (ISO 8601: 2026-11-01, or 2026-11-01T08:00:00Z; without a zone, UTC)`);
  }
  return date;
}

/** Columns of the file made of a training config: its columns, its tasks' columns, then what the store knows besides. */
interface Layout {
  /** The config's own columns, in its order, and which of them takes the text. */
  columns: string[];
  textColumn: string | undefined;
  idColumn: string;
  receivedAtColumn: string | undefined;
  /** Per task name, its column. */
  tasks: Map<string, string>;
  extra: Array<[string, (c: ConfirmedCase) => string | undefined]>;
}

function layoutOf(config: TrainingConfig, labelsOnly: boolean): Layout {
  const c = config.columns;
  const tasks = new Map(config.tasks.map((t) => [t.name, taskColumn(t)]));
  // Every column the config names must be in the header, or training refuses the file; the text goes where the body would.
  const own = labelsOnly ? [] : [c.id, c.subject, c.body, c.html, c.bank, c.receivedAt, c.from].filter((x): x is string => x !== undefined);
  const idColumn = c.id ?? 'emailId';
  const taken = new Set([...own, ...tasks.values(), idColumn]);
  const extras: Layout['extra'] = [
    ['closedAt', (x) => x.closedAt],
    ['classifiedAt', (x) => x.classifiedAt],
    ['modelId', (x) => x.modelId],
    ['predictionId', (x) => x.predictionId],
  ];
  return {
    columns: labelsOnly || c.id === undefined ? [idColumn, ...own] : own,
    textColumn: labelsOnly ? undefined : (c.body ?? c.subject ?? c.html),
    idColumn,
    receivedAtColumn: labelsOnly ? undefined : c.receivedAt,
    tasks,
    // A config column of the same name keeps its own meaning.
    extra: extras.filter(([name]) => !taken.has(name)),
  };
}

function csvLines(cases: readonly ConfirmedCase[], layout: Layout): string[] {
  const header = [...layout.columns, ...layout.tasks.values(), ...layout.extra.map(([name]) => name)];
  const lines = [header.map(csvField).join(',')];
  for (const x of cases) {
    const cells = layout.columns.map((column) => (column === layout.idColumn ? x.emailId : column === layout.textColumn ? (x.text ?? '') : column === layout.receivedAtColumn ? (x.classifiedAt ?? '') : ''));
    for (const task of layout.tasks.keys()) cells.push(Object.hasOwn(x.labels, task) ? x.labels[task] : '');
    for (const [, value] of layout.extra) cells.push(value(x) ?? '');
    lines.push(cells.map(csvField).join(','));
  }
  return lines;
}

/** The training config the file follows: `--config`, else the one stored in `--model` (default: the champion). */
async function configFor(ctx: CliContext, flags: { config?: string; model?: string }): Promise<{ config: TrainingConfig; from: string }> {
  if (flags.config !== undefined) return { config: await loadTrainingConfig(path.resolve(ctx.cwd, flags.config)), from: flags.config };
  const model = flags.model ?? 'champion';
  const dir = await resolveModelDir(modelRef(ctx, model), ctx.home);
  const manifest = await readManifest(dir);
  if (manifest.trainingConfig === undefined) throw new UsageError(`model ${manifest.modelId} carries no training config: pass --config`);
  return { config: parseTrainingConfig(manifest.trainingConfig, `training config of ${manifest.modelId}`, { stored: true }), from: `the training config of ${manifest.modelId}` };
}

interface ExportFlags {
  out: string;
  since?: string;
  until?: string;
  config?: string;
  model?: string;
  labelsOnly?: boolean;
}

/** `mailroute feedback export`: the cases people closed, as the retraining data of next month. */
export function registerFeedback(program: Command, ctx: CliContext): void {
  const feedback = program.command('feedback').description(`The labels people confirmed when their cases closed, as the server recorded them (<home>/${DB_FILE})`);
  feedback
    .command('export')
    .description("Write the confirmed cases as CSV in a training config's columns, to train next month's model on (mailroute train --data export.csv cases.csv)")
    .requiredOption('--out <file>', 'the CSV file to write')
    .option('--since <time>', 'cases closed at or after this ISO date or time (default: every case the store keeps)')
    .option('--until <time>', 'cases closed before this ISO date or time (default: none left out)')
    .option('--config <file>', "training config whose columns and tasks the file's header follows (default: the one stored in --model)")
    .option('--model <id|champion|dir>', 'model whose stored training config to follow (default: champion)')
    .option('--labels-only', "every case, with or without stored text: the email id, the labels and the store's facts, to join to a CRM export by email id")
    .action(async (flags: ExportFlags) => {
      if (flags.config !== undefined && flags.model !== undefined) throw new UsageError('give --config or --model, not both: the file follows one training config');
      if (!/\.csv$/i.test(flags.out)) throw new UsageError(`--out ${flags.out}: the file must end in .csv`);
      const since = flags.since === undefined ? undefined : timeOption('--since', flags.since);
      const until = flags.until === undefined ? undefined : timeOption('--until', flags.until);
      if (since !== undefined && until !== undefined && since.getTime() >= until.getTime()) throw new UsageError(`--since ${flags.since} is not before --until ${flags.until}: no case closed in between`);
      const { config, from } = await configFor(ctx, flags);
      const out = await prepareOutput(ctx.cwd, flags.out, 'file');
      const all = readConfirmedCases(path.join(ctx.home, DB_FILE), { ...(since ? { since } : {}), ...(until ? { until } : {}) });
      const layout = layoutOf(config, flags.labelsOnly === true);
      const written = flags.labelsOnly ? all : all.filter((x) => x.text !== undefined && x.text.trim() !== '');
      await writeOutputFile(out, [`${csvLines(written, layout).join('\n')}\n`], `--out ${flags.out}`);
      for (const note of exportNotes(all, written, layout)) ctx.stderr.write(`note: ${note}\n`);
      await writeStdout(ctx.stdout, `wrote ${written.length} confirmed case${written.length === 1 ? '' : 's'} to ${flags.out} (columns of ${from})\n`);
    });
}

/** What the file leaves out, and why. */
function exportNotes(all: readonly ConfirmedCase[], written: readonly ConfirmedCase[], layout: Layout): string[] {
  const notes: string[] = [];
  if (all.length === 0) notes.push('no case closed in this window: the file has its header only');
  const noText = all.length - written.length;
  if (noText > 0) {
    notes.push(
      `${noText} of ${all.length} confirmed cases have no stored text (the server ran without --store-text, or the prediction is gone after its retention) and are left out: --labels-only writes every case's labels, to join to a CRM export by email id`,
    );
  }
  const other = new Map<string, number>();
  for (const x of written) for (const task of Object.keys(x.labels)) if (!layout.tasks.has(task)) other.set(task, (other.get(task) ?? 0) + 1);
  if (other.size > 0) notes.push(`labels of tasks the training config does not have are left out: ${[...other].map(([task, n]) => `${task} (${n})`).join(', ')}`);
  return notes;
}
