import path from 'node:path';
import type { Command } from 'commander';
import { readManifest } from '@mailroute/model';
import { spacedAttachmentName, type RedactPattern } from '@mailroute/preprocess';
import { DB_FILE, maskPii, type ConfirmedCase } from '@mailroute/serving';
import { csvField, loadTrainingConfig, modelTrainingConfig, resolveLabel, resolveModelDir, taskColumn, type TaskConfig, type TrainingConfig } from '@mailroute/training';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { prepareOutput } from '../output-path.js';
import { PII_PATTERNS_HELP, readPiiPatterns } from '../pii-patterns.js';
import { writeOutputFile, writeStdout } from '../write-output.js';
import { modelRef } from './evaluate.js';
import { registerFeedbackPredictions } from './feedback-predictions.js';
import { caseSource, DYNAMODB_TABLE_HELP } from './feedback-source.js';
import { timeOption } from '../time-option.js';

/** Columns of the file made of a training config: its columns, its tasks' columns, then what the store knows besides. */
interface Layout {
  /** The config's own columns, in its order, and which of them takes the text. */
  columns: string[];
  textColumn: string | undefined;
  idColumn: string;
  receivedAtColumn: string | undefined;
  bankColumn: string | undefined;
  attachmentsColumn: string | undefined;
  /** Per task name, its column. */
  tasks: Map<string, string>;
  /** Each label column once, in the config's order, with the tasks that read it (two when a coarse task reads a fine one's column through aliases). */
  labelColumns: Array<{ column: string; tasks: TaskConfig[] }>;
  extra: Array<[string, (c: ConfirmedCase) => string | undefined]>;
}

function layoutOf(config: TrainingConfig, labelsOnly: boolean): Layout {
  const c = config.columns;
  const tasks = new Map(config.tasks.map((t) => [t.name, taskColumn(t)]));
  const labelColumns: Layout['labelColumns'] = [];
  for (const task of config.tasks) {
    const column = taskColumn(task);
    const shared = labelColumns.find((l) => l.column === column);
    if (shared) shared.tasks.push(task);
    else labelColumns.push({ column, tasks: [task] });
  }
  // Every column the config names must be in the header, or training refuses the file; the text goes where the body would.
  const own = labelsOnly ? [] : [c.id, c.subject, c.body, c.html, c.bank, c.receivedAt, c.from, c.attachmentNames].filter((x): x is string => x !== undefined);
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
    bankColumn: labelsOnly ? undefined : c.bank,
    attachmentsColumn: labelsOnly ? undefined : c.attachmentNames,
    tasks,
    labelColumns,
    // A config column of the same name keeps its own meaning.
    extra: extras.filter(([name]) => !taken.has(name)),
  };
}

/** The file's header: the config's columns, each task's column, then the store's facts. */
function headerOf(layout: Layout): string[] {
  return [...layout.columns, ...layout.labelColumns.map((l) => l.column), ...layout.extra.map(([name]) => name)];
}

/**
 * One case's cells, in the header's order (null: blank). Stored text is masked again, as this version masks: a
 * server of an older version stored what its masking left (masking leaves its own placeholders as they are).
 */
function cellsOf(x: ConfirmedCase, layout: Layout, patterns: readonly RedactPattern[]): Array<string | null> {
  // Masked only where written (--labels-only writes no text), and by the --pii-patterns too.
  const text = x.text === undefined || layout.textColumn === undefined ? null : maskPii(x.text, [], patterns);
  const cells = layout.columns.map((column) => {
    if (column === layout.idColumn) return x.emailId;
    if (column === layout.textColumn) return text;
    // The email's own receivedAt, else (the CRM sent none, or a server before data version 2 kept none) when it was classified.
    if (column === layout.receivedAtColumn) return x.receivedAt ?? x.classifiedAt ?? null;
    if (column === layout.bankColumn) return x.bank ?? null;
    // A JSON array, which training reads in CSV and JSONL alike, whatever a name holds (`;`, `|`).
    if (column === layout.attachmentsColumn) return x.attachmentNames === undefined ? null : JSON.stringify(x.attachmentNames.map((name) => maskPii(spacedAttachmentName(name), [], patterns)));
    return null;
  });
  for (const { tasks } of layout.labelColumns) cells.push(labelCell(x, tasks));
  for (const [, value] of layout.extra) cells.push(value(x) ?? null);
  return cells;
}

/**
 * The cell of a label column: the confirmed label of its task. A column two tasks read (a coarse task over a fine
 * one's labels, through aliases) takes the first of their confirmed labels, in the config's order, that every one of
 * them reads (the fine label, which the coarse task reads through its aliases; not the coarse one, which the fine
 * task does not know), else blank: one cell, which retraining reads for both tasks as training did.
 */
function labelCell(x: ConfirmedCase, tasks: readonly TaskConfig[]): string | null {
  const confirmed = tasks.map((t) => (Object.hasOwn(x.labels, t.name) ? x.labels[t.name] : null));
  if (tasks.length === 1) return confirmed[0];
  const readByAll = (label: string) => tasks.every((t) => ['label', 'retired'].includes(resolveLabel(t, label).kind));
  return confirmed.find((label): label is string => label !== null && readByAll(label)) ?? null;
}

/**
 * One line of the file as the config reads it: CSV with its delimiter (real line breaks in quoted fields, which a
 * config with `literalNewlines` reads as they are too), or JSONL, one object a case with every column as a key (null: blank).
 */
function lineOf(cells: ReadonlyArray<string | null>, header: readonly string[], format: 'csv' | 'jsonl', delimiter: string): string {
  if (format === 'jsonl') return `${JSON.stringify(Object.fromEntries(header.map((name, i) => [name, cells[i]])))}\n`;
  return `${cells.map((cell) => csvField(cell ?? '', delimiter)).join(delimiter)}\n`;
}

/** What the export counted as it wrote: the cases of the window, those written, automated ones, and labels of tasks the config lacks. */
interface Tally {
  all: number;
  written: number;
  automated: number;
  otherTasks: Map<string, number>;
}

/**
 * The file in chunks of 1,000 cases, each case read from the store only as its chunk is made: 300,000 cases held
 * at once, texts and all, took over a gigabyte.
 */
async function* fileChunks(
  cases: Iterable<ConfirmedCase> | AsyncIterable<ConfirmedCase>,
  layout: Layout,
  format: 'csv' | 'jsonl',
  delimiter: string,
  labelsOnly: boolean,
  tally: Tally,
  patterns: readonly RedactPattern[],
): AsyncGenerator<string> {
  const header = headerOf(layout);
  if (format === 'csv') yield lineOf(header, header, format, delimiter);
  let chunk: string[] = [];
  for await (const x of cases) {
    tally.all += 1;
    // An auto-reply or a bounce a person closed with labels: no customer wrote it, so it teaches the model nothing.
    if (x.automated !== undefined) {
      tally.automated += 1;
      continue;
    }
    if (!labelsOnly && (x.text === undefined || x.text.trim() === '')) continue;
    tally.written += 1;
    for (const task of Object.keys(x.labels)) if (!layout.tasks.has(task)) tally.otherTasks.set(task, (tally.otherTasks.get(task) ?? 0) + 1);
    chunk.push(lineOf(cellsOf(x, layout, patterns), header, format, delimiter));
    if (chunk.length >= 1000) {
      yield chunk.join('');
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk.join('');
}

/** CSV or JSONL by --out's name; refused where the config reads every file as the other. */
function outputFormat(out: string, config: TrainingConfig): 'csv' | 'jsonl' {
  const format = /\.csv$/i.test(out) ? 'csv' : /\.(jsonl|ndjson)$/i.test(out) ? 'jsonl' : undefined;
  if (format === undefined) throw new UsageError(`--out ${out}: the file must end in .csv, or .jsonl / .ndjson (it picks the format, as training reads it)`);
  if (config.format !== undefined && config.format !== format) throw new UsageError(`--out ${out}: the training config reads every file as ${config.format.toUpperCase()} ("format": "${config.format}"): name the file .${config.format}`);
  return format;
}

/** The training config the file follows: `--config`, else the one stored in `--model` (default: the champion). */
async function configFor(ctx: CliContext, flags: { config?: string; model?: string }): Promise<{ config: TrainingConfig; from: string }> {
  if (flags.config !== undefined) return { config: await loadTrainingConfig(path.resolve(ctx.cwd, flags.config)), from: flags.config };
  const model = flags.model ?? 'champion';
  const dir = await resolveModelDir(modelRef(ctx, model), ctx.home);
  const manifest = await readManifest(dir);
  return { config: modelTrainingConfig(manifest), from: `the training config of ${manifest.modelId}` };
}

interface ExportFlags {
  out: string;
  since?: string;
  until?: string;
  config?: string;
  model?: string;
  labelsOnly?: boolean;
  piiPatterns?: string;
  dynamodbTable?: string;
}

/** `mailroute feedback export`: the cases people closed, as the retraining data of next month. */
export function registerFeedback(program: Command, ctx: CliContext): void {
  const feedback = program.command('feedback').description(`The labels people confirmed when their cases closed, as the server recorded them (<home>/${DB_FILE}, or on AWS the stack's DynamoDB table: --dynamodb-table)`);
  feedback
    .command('export')
    .description("Write the confirmed cases in a training config's columns, as it reads files (CSV with its delimiter, or JSONL), to train next month's model on (mailroute train --config cfg.json --data cases.csv)")
    .requiredOption('--out <file>', 'the file to write: .csv, or .jsonl / .ndjson')
    .option('--since <time>', "cases closed at or after this ISO date or time; without a zone, in the training config's timeZone, else UTC (default: every case the store keeps)")
    .option('--until <time>', "cases closed before this ISO date or time, as --since (default: none left out)")
    .option('--config <file>', "training config whose columns and tasks the file's header follows (default: the one stored in --model)")
    .option('--model <id|champion|dir>', 'model whose stored training config to follow (default: champion)')
    .option('--labels-only', "every case (automated mail aside), with or without stored text: the email id, the labels and the store's facts, to join to a CRM export by email id")
    .option('--pii-patterns <file>', `also mask the exported text by your own patterns: ${PII_PATTERNS_HELP}`)
    .option('--dynamodb-table <name>', DYNAMODB_TABLE_HELP)
    .action(async (flags: ExportFlags) => {
      if (flags.config !== undefined && flags.model !== undefined) throw new UsageError('give --config or --model, not both: the file follows one training config');
      if (flags.piiPatterns !== undefined && flags.labelsOnly === true) throw new UsageError('--pii-patterns does not go with --labels-only: it masks text, and --labels-only writes none');
      const patterns = flags.piiPatterns === undefined ? [] : await readPiiPatterns(ctx, flags.piiPatterns);
      const { config, from } = await configFor(ctx, flags);
      const since = flags.since === undefined ? undefined : timeOption('--since', flags.since, config.timeZone);
      const until = flags.until === undefined ? undefined : timeOption('--until', flags.until, config.timeZone);
      if (since !== undefined && until !== undefined && since.getTime() >= until.getTime()) throw new UsageError(`--since ${flags.since} is not before --until ${flags.until}: no case closed in between`);
      const format = outputFormat(flags.out, config);
      const source = caseSource(ctx, flags.dynamodbTable);
      const out = await prepareOutput(ctx.cwd, flags.out, 'file');
      const cases = source.cases({ ...(since ? { since } : {}), ...(until ? { until } : {}) });
      const layout = layoutOf(config, flags.labelsOnly === true);
      const tally: Tally = { all: 0, written: 0, automated: 0, otherTasks: new Map() };
      // Customers' text, as mailroute.db holds it: readable by its owner only, as the database is. (A write that
      // stops early ends the iteration, which closes the database; a failed read leaves no file.)
      await writeOutputFile(out, fileChunks(cases, layout, format, config.delimiter, flags.labelsOnly === true, tally, patterns), `--out ${flags.out}`, { mode: 0o600 });
      for (const note of exportNotes(tally, source.local)) ctx.stderr.write(`note: ${note}\n`);
      const read = flags.dynamodbTable === undefined ? '' : `; read from ${source.shown}`;
      await writeStdout(ctx.stdout, `wrote ${tally.written} confirmed case${tally.written === 1 ? '' : 's'} to ${flags.out} (columns of ${from}${read})\n`);
    });
  registerFeedbackPredictions(feedback, ctx);
}

/** What the file leaves out, and why. */
function exportNotes({ all, written, automated, otherTasks }: Tally, local: boolean): string[] {
  const notes: string[] = [];
  if (all === 0) notes.push('no case closed in this window: the file has its header only');
  if (automated > 0) notes.push(`${automated} of ${all} confirmed cases are automated mail (auto-replies, bounces: no customer wrote them) and are left out`);
  const noText = all - written - automated;
  if (noText > 0) {
    notes.push(
      `${noText} of ${all} confirmed cases have no stored text (${local ? 'the server ran without --store-text' : "the stack's API Lambda keeps none without mailroute:feedback.storeText: true"}, or the prediction is gone after its retention) and are left out: --labels-only writes the labels of every case (automated mail aside), to join to a CRM export by email id`,
    );
  }
  if (otherTasks.size > 0) notes.push(`labels of tasks the training config does not have are left out: ${[...otherTasks].map(([task, n]) => `${task} (${n})`).join(', ')}`);
  return notes;
}
