import path from 'node:path';
import type { Command } from 'commander';
import { classifierTasks, readManifest, type ClassifierTask } from '@mailroute/model';
import { DB_FILE, maskPii } from '@mailroute/serving';
import { feedbackFileChunks, loadTrainingConfig, modelTrainingConfig, newFeedbackFileTally, resolveModelDir, type FeedbackFileTally, type TrainingConfig } from '@mailroute/training';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { prepareOutput, refuseStandardOutput } from '../output-path.js';
import { PII_PATTERNS_HELP, readPiiPatterns } from '../pii-patterns.js';
import { writeOutputFile, writeStdout } from '../write-output.js';
import { modelRef } from './evaluate.js';
import { registerFeedbackForget } from './feedback-forget.js';
import { registerFeedbackPredictions } from './feedback-predictions.js';
import { registerFeedbackShow } from './feedback-show.js';
import { caseProgress, caseSource, DYNAMODB_TABLE_HELP, NO_PREDICTION_WHY } from './feedback-source.js';
import { newExportWatch, unreadLabelWarnings, watchCases, type ExportWatch } from './feedback-unread.js';
import { timeOption, windowLine, windowTimeZone } from '../time-option.js';

/** CSV or JSONL by --out's name; refused where the config reads every file as the other. */
function outputFormat(out: string, config: TrainingConfig): 'csv' | 'jsonl' {
  refuseStandardOutput(out, 'file');
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
  timeZone?: string;
}

/** `mailroute feedback export`: the cases people closed, as the retraining data of next month. */
export function registerFeedback(program: Command, ctx: CliContext): void {
  const feedback = program.command('feedback').description(`The labels people confirmed when their cases closed, as the server recorded them (<home>/${DB_FILE}, or on AWS the stack's DynamoDB table: --dynamodb-table)`);
  feedback
    .command('export')
    .description("Write the confirmed cases in a training config's columns, as it reads files (CSV with its delimiter, or JSONL), to train next month's model on (mailroute train --config cfg.json --data cases.csv)")
    .requiredOption('--out <file>', 'the file to write: .csv, or .jsonl / .ndjson')
    .option('--since <time>', 'cases closed at or after this ISO date or time, or from the first day of a month (2026-11); without a zone, in --time-zone (default: every case the store keeps)')
    .option('--until <time>', "cases closed before this ISO date or time, as --since (default: none left out)")
    .option('--time-zone <zone>', "IANA time zone of --since and --until without a zone, e.g. Europe/Berlin, as the server's --time-zone (default: the training config's timeZone, else env MAILROUTE_TIME_ZONE, else UTC)")
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
      const zone = windowTimeZone(ctx, flags.timeZone, { zone: config.timeZone, from });
      const since = flags.since === undefined ? undefined : timeOption('--since', flags.since, zone.zone, zone.from);
      const until = flags.until === undefined ? undefined : timeOption('--until', flags.until, zone.zone, zone.from);
      if (since !== undefined && until !== undefined && since.getTime() >= until.getTime()) throw new UsageError(`--since ${flags.since} is not before --until ${flags.until}: no case closed in between`);
      // The window as read, in UTC, and the zone it was read in: a window read in another zone than the server's is hours off.
      if (since !== undefined || until !== undefined) ctx.stderr.write(`${windowLine(since, until, zone)}\n`);
      const format = outputFormat(flags.out, config);
      const source = caseSource(ctx, flags.dynamodbTable);
      const out = await prepareOutput(ctx.cwd, flags.out, 'file', '--out', [], ctx.home);
      const window = { ...(since ? { since } : {}), ...(until ? { until } : {}) };
      // A large window's reading shows its progress on stderr (a server run without --store-text has every case read to write none).
      const progress = caseProgress(ctx, 'feedback export');
      const cases = source.local ? source.cases(window, progress.pass(0)) : source.cases(window);
      const tally = newFeedbackFileTally();
      // Masked again as this version masks (a server of an older version stored what its masking left), by the --pii-patterns too.
      const mask = (text: string) => maskPii(text, [], patterns);
      // Customers' text, as mailroute.db holds it: readable by its owner only, as the database is. (A write that
      // stops early ends the iteration, which closes the database; a failed read leaves no file.)
      // Labels stored under an old name are written under the name they are read as: the renames of the model that made the prediction, then the config's.
      // Each model's artifact read once, by the file and by the check of its labels.
      const models = new Map<string, Promise<ClassifierTask[] | undefined>>();
      const modelTasks = (id: string) => {
        let tasks = models.get(id);
        if (tasks === undefined) models.set(id, (tasks = tasksOfModel(ctx, id)));
        return tasks;
      };
      const labelsOnly = flags.labelsOnly === true;
      const watch = newExportWatch();
      try {
        await writeOutputFile(out, feedbackFileChunks(watchCases(cases, labelsOnly, watch), config, { format, labelsOnly, mask, tally, modelTasks }), `--out ${flags.out}`, { mode: 0o600 });
      } finally {
        progress.stop();
      }
      for (const note of exportNotes(tally, watch, source.local)) ctx.stderr.write(`note: ${note}\n`);
      for (const warning of await unreadLabelWarnings(watch, config, from, flags.config, modelTasks)) ctx.stderr.write(`warning: ${warning}\n`);
      const read = flags.dynamodbTable === undefined ? '' : `; read from ${source.shown}`;
      await writeStdout(ctx.stdout, `wrote ${tally.written} confirmed case${tally.written === 1 ? '' : 's'} to ${flags.out} (columns of ${from}${read})\n`);
    });
  registerFeedbackPredictions(feedback, ctx);
  registerFeedbackForget(feedback, ctx);
  registerFeedbackShow(feedback, ctx);
}

/** The tasks of a model by its registry id (or directory), with its training config's aliases; undefined when its artifact is not at hand (pruned, another home's). */
async function tasksOfModel(ctx: CliContext, id: string): Promise<ClassifierTask[] | undefined> {
  try {
    return classifierTasks(await readManifest(await resolveModelDir(modelRef(ctx, id), ctx.home)));
  } catch {
    return undefined;
  }
}

/** `queue: kyc -> kyc_onboarding (10)`, most first. */
const countedChanges = (changes: Map<string, number>) =>
  [...changes]
    .sort((a, b) => b[1] - a[1])
    .map(([change, n]) => `${change} (${n})`)
    .join(', ');

/** What the file leaves out or writes otherwise than stored, and why. */
function exportNotes({ all, automated, otherTasks, renamed }: FeedbackFileTally, watch: ExportWatch, local: boolean): string[] {
  const notes: string[] = [];
  if (all === 0) notes.push('no case closed in this window: the file has its header only');
  if (automated > 0) notes.push(`${automated} of ${all} confirmed cases are automated mail (auto-replies, bounces: no customer wrote them) and are left out`);
  const labelsOnly = '--labels-only writes the labels of every case (automated mail aside), to join to a CRM export by email id';
  if (watch.predictionWithoutText > 0) {
    const why = local ? 'the server ran without --store-text' : "the stack's API Lambda keeps none without mailroute:feedback.storeText: true";
    notes.push(`${watch.predictionWithoutText} of ${all} confirmed cases have a prediction kept without the email's text (${why}) and are left out: ${labelsOnly}`);
  }
  if (watch.emptyText > 0) notes.push(`${watch.emptyText} of ${all} confirmed cases have a prediction kept with the email's text, which is empty (the email had no subject or body text, or none left once cleaned), and are left out: ${labelsOnly}`);
  if (watch.noPrediction > 0) notes.push(`${watch.noPrediction} of ${all} confirmed cases have no text to write and are left out: ${NO_PREDICTION_WHY}; ${labelsOnly}`);
  if (renamed.size > 0) {
    notes.push(
      `confirmed labels stored under an old name are written under the name they are read as (the renames of the model that made the prediction, then the training config's), so a later config without the old alias still reads them: ${countedChanges(renamed)}`,
    );
  }
  if (otherTasks.size > 0) notes.push(`labels of tasks the training config does not have are left out: ${[...otherTasks].map(([task, n]) => `${task} (${n})`).join(', ')}`);
  return notes;
}
