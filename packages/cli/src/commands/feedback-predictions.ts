import path from 'node:path';
import type { Command } from 'commander';
import { predictionLineChunks, type PredictionLine } from '@mailroute/evaluation';
import { classifierTasks, readManifest, type ClassifierTask } from '@mailroute/model';
import { createLabelNamer, DB_FILE, iterateConfirmedCases, type ConfirmedCase } from '@mailroute/serving';
import { modelTrainingConfig, resolveModelDir } from '@mailroute/training';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { prepareOutput } from '../output-path.js';
import { writeOutputFile, writeStdout } from '../write-output.js';
import { modelRef } from './evaluate.js';
import { timeOption } from '../time-option.js';

/** A confirmed label under the predicting model's names (its renames and merges followed); null: the model has no name for it. */
export type TruthName = (task: string, label: string) => string | null;

/**
 * One confirmed case as a prediction line (`mailroute evaluate --predictions`): the prediction the person judged
 * and, as truth, the labels they confirmed under the model's names (null for a task they did not name, or a label
 * the model has no name for); meta: the UTC month the case closed in and the email's bank when stored, for the
 * reports' slices.
 */
export function caseLine(c: ConfirmedCase & { predicted: NonNullable<ConfirmedCase['predicted']> }, truthName: TruthName = (_task, label) => label): PredictionLine {
  const p = c.predicted;
  const tasks = Object.keys(p.labels);
  const prediction = (task: string) => {
    const confidence = p.confidences[task];
    return { label: p.labels[task], ...(typeof confidence === 'number' ? { confidence } : {}), abstained: p.abstained[task] === true };
  };
  return {
    id: c.emailId,
    ...(c.modelId === undefined ? {} : { modelId: c.modelId }),
    truth: Object.fromEntries(tasks.map((t) => [t, Object.hasOwn(c.labels, t) ? truthName(t, c.labels[t]) : null])),
    prediction: Object.fromEntries(tasks.map((t) => [t, prediction(t)])),
    meta: { closedMonth: c.closedAt.slice(0, 7), ...(c.bank === undefined ? {} : { bank: c.bank }) },
  };
}

/** The model --model names (`champion`, a registry id, a directory) and its training config's time zone when its artifact is there. */
async function modelOf(ctx: CliContext, ref: string): Promise<{ id: string; timeZone?: string; tasks?: ClassifierTask[] }> {
  const manifest = await resolveModelDir(modelRef(ctx, ref), ctx.home)
    .then((dir) => readManifest(dir))
    .catch((error: unknown) => {
      // A version whose artifact is gone (pruned) still names the predictions it made: its id is enough.
      if (ref === 'champion' || /[/\\]/.test(ref) || ref.startsWith('.')) throw error;
      return undefined;
    });
  if (manifest === undefined) return { id: ref };
  const timeZone = modelTrainingConfig(manifest).timeZone;
  return { id: manifest.modelId, tasks: classifierTasks(manifest), ...(timeZone === undefined ? {} : { timeZone }) };
}

interface Tally {
  cases: number;
  noPrediction: number;
  byModel: Map<string, number>;
  /** Per task, the confirmed labels the model has no name for (left out of the truth), with their counts. */
  unnamed: Map<string, number>;
}

/** Counts a case: one without a kept prediction, or one of the model that made its prediction; true when it has one. */
function count(c: ConfirmedCase, tally: Tally): c is ConfirmedCase & { predicted: NonNullable<ConfirmedCase['predicted']> } {
  tally.cases++;
  if (c.predicted === undefined) {
    tally.noPrediction++;
    return false;
  }
  const model = c.modelId ?? '';
  tally.byModel.set(model, (tally.byModel.get(model) ?? 0) + 1);
  return true;
}

function* linesOf(cases: Iterable<ConfirmedCase>, modelId: string | undefined, truthName: TruthName, tally: Tally): Generator<PredictionLine> {
  for (const c of cases) if (count(c, tally) && (modelId === undefined || c.modelId === modelId)) yield caseLine(c, truthName);
}

const newTally = (): Tally => ({ cases: 0, noPrediction: 0, byModel: new Map(), unnamed: new Map() });

/**
 * Confirmed labels under the model's names, as `/v1/quality` reads them: feedback is stored as the CRM sent it, in
 * the names of the day (`kyc` for a queue a later config renamed `onboarding_kyc`). Without the model's taxonomy
 * (its artifact pruned), as sent. Labels it has no name for are counted in `tally.unnamed`.
 */
function truthNames(modelId: string | undefined, tasks: readonly ClassifierTask[] | undefined, tally: Tally): TruthName {
  if (modelId === undefined || tasks === undefined) return (_task, label) => label;
  const namer = createLabelNamer(new Map([[modelId, tasks]]), tasks);
  return (task, label) => {
    const name = namer.truth(modelId, task, label);
    if (name === null) tally.unnamed.set(`${task}: ${label}`, (tally.unnamed.get(`${task}: ${label}`) ?? 0) + 1);
    return name;
  };
}

const counted = (byModel: Map<string, number>) =>
  [...byModel]
    .sort((a, b) => b[1] - a[1])
    .map(([id, n]) => `${id} (${n})`)
    .join(', ');

interface PredictionsFlags {
  out: string;
  since?: string;
  until?: string;
  model?: string;
}

/** `mailroute feedback predictions`: the confirmed cases as prediction lines, to report live quality with `evaluate`. */
export function registerFeedbackPredictions(feedback: Command, ctx: CliContext): void {
  feedback
    .command('predictions')
    .description(
      'Write the confirmed cases as prediction lines (JSONL): the prediction each person judged, with the labels they confirmed as truth; `mailroute evaluate --predictions <file> --out <dir>` then reports live quality (confusion matrices, per-label F1, calibration, slices by month and bank)',
    )
    .requiredOption('--out <file>', 'the prediction lines to write (.jsonl)')
    .option('--since <time>', "cases closed at or after this ISO date or time; without a zone, in the model's training config timeZone, else UTC (default: every case the store keeps)")
    .option('--until <time>', 'cases closed before this ISO date or time, as --since (default: none left out)')
    .option('--model <id|champion|dir>', 'only the cases judged on predictions of this model (default: all, when one model made them)')
    .action(async (flags: PredictionsFlags) => {
      if (!/\.(jsonl|ndjson)$/i.test(flags.out)) throw new UsageError(`--out ${flags.out}: prediction lines are JSONL: name the file .jsonl`);
      const model = flags.model === undefined ? undefined : await modelOf(ctx, flags.model);
      // Local times read in the model's zone: the one named, else the champion's (as feedback export reads them), else UTC.
      const timeZone = model?.timeZone ?? (await modelOf(ctx, 'champion').catch(() => undefined))?.timeZone;
      const since = flags.since === undefined ? undefined : timeOption('--since', flags.since, timeZone);
      const until = flags.until === undefined ? undefined : timeOption('--until', flags.until, timeZone);
      if (since !== undefined && until !== undefined && since.getTime() >= until.getTime()) throw new UsageError(`--since ${flags.since} is not before --until ${flags.until}: no case closed in between`);
      const window = { ...(since ? { since } : {}), ...(until ? { until } : {}) };
      const file = path.join(ctx.home, DB_FILE);
      let named = model;
      if (named === undefined) {
        // evaluate reports on one model's predictions: with several in the window, the person picks one.
        const tally = newTally();
        for (const c of iterateConfirmedCases(file, window)) count(c, tally);
        if (tally.byModel.size > 1) throw new UsageError(`the cases of this window were judged on predictions of ${tally.byModel.size} models: ${counted(tally.byModel)}; pass --model <id> (one model's lines make one report)`);
        const [only] = tally.byModel.keys();
        if (only !== undefined) named = await modelOf(ctx, only);
      }
      const out = await prepareOutput(ctx.cwd, flags.out, 'file');
      const tally = newTally();
      // Filtered by the model even when it was the only one: a server may record cases of another between the two reads.
      const lines = linesOf(iterateConfirmedCases(file, window), named?.id, truthNames(named?.id, named?.tasks, tally), tally);
      await writeOutputFile(out, predictionLineChunks(lines, undefined, { parsed: true }), `--out ${flags.out}`);
      const written = named === undefined ? 0 : (tally.byModel.get(named.id) ?? 0);
      if (tally.cases === 0) ctx.stderr.write('note: no case closed in this window: the file is empty\n');
      if (tally.noPrediction > 0) ctx.stderr.write(`note: ${tally.noPrediction} of ${tally.cases} confirmed cases are left out: the prediction they judged is no longer kept (after the store's retention) or was never made\n`);
      if (named !== undefined && written < tally.cases - tally.noPrediction) {
        const others = new Map([...tally.byModel].filter(([id]) => id !== named.id));
        ctx.stderr.write(`note: cases judged on other models' predictions are left out: ${counted(others)}\n`);
      }
      if (named !== undefined && named.tasks === undefined && written > 0) ctx.stderr.write(`note: the artifact of ${named.id} is not at hand (pruned, or another home's): confirmed labels are compared as sent, without its renames and merges\n`);
      if (tally.unnamed.size > 0) ctx.stderr.write(`note: confirmed labels the model has no name for (a label added or split off since, or retired) are left out of the truth: ${counted(tally.unnamed)}\n`);
      const next = written > 0 ? `; \`mailroute evaluate --predictions ${flags.out} --out <dir>\` reports on them` : '';
      await writeStdout(ctx.stdout, `wrote ${written} prediction line${written === 1 ? '' : 's'} of confirmed cases to ${flags.out}${next}\n`);
    });
}
