import type { Command } from 'commander';
import { predictionLineChunks, type PredictionLine } from '@mailroute/evaluation';
import { classifierTasks, isNearId, readManifest, withSharedColumnLabels, type ClassifierTask } from '@mailroute/model';
import { zonedWallTime } from '@mailroute/preprocess';
import { createLabelNamer, type ConfirmedCase } from '@mailroute/serving';
import { modelTrainingConfig, resolveModelDir } from '@mailroute/training';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { checkOutput, prepareOutput } from '../output-path.js';
import { OWNER_ONLY, writeOutputFile, writeStdout } from '../write-output.js';
import { modelRef } from './evaluate.js';
import { caseProgress, caseSource, casesWithoutText, DYNAMODB_TABLE_HELP, NO_PREDICTION_WHY } from './feedback-source.js';
import { timeOption, windowLine, windowTimeZone } from '../time-option.js';

/** Labels under the names the lines are written in: a confirmed label (null: no name for it), and a predicted one. */
export interface LineNames {
  /** `derived`: the label was not confirmed for this task but for one reading its column (`withSharedColumnLabels`). */
  truth(task: string, label: string, derived?: boolean): string | null;
  predicted(task: string, label: string): string;
  /** The confirmed labels with those of tasks over another's column filled in; as stored without the model's tasks. */
  confirmed?(labels: Readonly<Record<string, string>>): Readonly<Record<string, string>>;
}

const AS_STORED: LineNames = { truth: (_task, label) => label, predicted: (_task, label) => label };

/**
 * The month (`2026-11`) of a stored closedAt (ISO 8601 UTC) in `timeZone`, the zone `--since` and `--until` are read
 * in (the training config's), else UTC: a case closed at 00:30 on 1 November in Berlin is in a window from
 * `--since 2026-11-01` and in the month 2026-11, not the UTC month 2026-10.
 */
export function closedMonth(closedAt: string, timeZone?: string): string {
  if (timeZone === undefined || timeZone === 'UTC') return closedAt.slice(0, 7);
  return (zonedWallTime(Date.parse(closedAt), timeZone) ?? closedAt).slice(0, 7);
}

/**
 * One confirmed case as a prediction line (`mailroute evaluate --predictions`): the prediction the person judged
 * and, as truth, the labels they confirmed under the model's names (null for a task they did not name, or a label
 * the model has no name for); meta: the month the case closed in (in `timeZone`, the one the window is read in, else
 * UTC) and the email's bank when stored, for the reports' slices.
 */
export function caseLine(c: ConfirmedCase & { predicted: NonNullable<ConfirmedCase['predicted']> }, names: LineNames = AS_STORED, timeZone?: string): PredictionLine {
  const p = c.predicted;
  const tasks = Object.keys(p.labels);
  const labels = names.confirmed?.(c.labels) ?? c.labels;
  const prediction = (task: string) => {
    const confidence = p.confidences[task];
    return { label: names.predicted(task, p.labels[task]), ...(typeof confidence === 'number' ? { confidence } : {}), abstained: p.abstained[task] === true };
  };
  return {
    id: c.emailId,
    ...(c.modelId === undefined ? {} : { modelId: c.modelId }),
    truth: Object.fromEntries(tasks.map((t) => [t, Object.hasOwn(labels, t) ? names.truth(t, labels[t], !Object.hasOwn(c.labels, t)) : null])),
    prediction: Object.fromEntries(tasks.map((t) => [t, prediction(t)])),
    meta: { closedMonth: closedMonth(c.closedAt, timeZone), ...(c.bank === undefined ? {} : { bank: c.bank }) },
  };
}

/** A model as the command knows it: its id, and from its artifact (when at hand) its tasks and its config's time zone. */
export interface KnownModel {
  id: string;
  tasks?: ClassifierTask[];
  timeZone?: string;
  /** The registry has no such id: known only if the store's cases name it. */
  unregistered?: boolean;
}

/**
 * The model `ref` names (`champion`, a registry id, a directory). A registry id whose artifact is gone (pruned), or
 * that the registry does not hold, still names the predictions it made: its id is enough (the latter is checked
 * against the store's cases).
 */
async function modelOf(ctx: CliContext, ref: string): Promise<KnownModel> {
  const byId = ref !== 'champion' && !/[/\\]/.test(ref) && !ref.startsWith('.');
  const manifest = await resolveModelDir(modelRef(ctx, ref), ctx.home)
    .then((dir) => readManifest(dir))
    .catch((error: unknown) => {
      const code = (error as { code?: unknown }).code;
      if (byId && code === 'REGISTRY_PRUNED') return undefined;
      if (byId && code === 'REGISTRY_NOT_FOUND') return null;
      throw error;
    });
  if (manifest === undefined || manifest === null) return { id: ref, ...(manifest === null ? { unregistered: true } : {}) };
  // A model made without a training config has no time zone: times are then read as UTC.
  let timeZone: string | undefined;
  try {
    timeZone = modelTrainingConfig(manifest).timeZone;
  } catch {
    timeZone = undefined;
  }
  return { id: manifest.modelId, tasks: classifierTasks(manifest), ...(timeZone === undefined ? {} : { timeZone }) };
}

export interface Tally {
  cases: number;
  noPrediction: number;
  /** Cases whose prediction was answered as automated (an auto-reply, a bounce): left out, as /v1/quality leaves them. */
  automated: number;
  byModel: Map<string, number>;
  /** Per task, the confirmed labels the model has no name for (left out of the truth), with their counts. */
  unnamed: Map<string, number>;
  /** Cases of the model left with no truth at all (every label confirmed was one it has no name for): no line written. */
  noTruth: number;
}

/** Counts a case: one without a kept prediction, an automated one, or one of the model that made its prediction; true for the last. */
function count(c: ConfirmedCase, tally: Tally): c is ConfirmedCase & { predicted: NonNullable<ConfirmedCase['predicted']> } {
  tally.cases++;
  if (c.predicted === undefined) {
    tally.noPrediction++;
    return false;
  }
  if (c.automated !== undefined) {
    tally.automated++;
    return false;
  }
  const model = c.modelId ?? '';
  tally.byModel.set(model, (tally.byModel.get(model) ?? 0) + 1);
  return true;
}

/** The lines of `modelId`'s cases (all, without it); `timeZone`: the one each case's closedMonth is in (`closedMonth`). */
export function* linesOf(cases: Iterable<ConfirmedCase>, modelId: string | undefined, names: LineNames, tally: Tally, timeZone?: string): Generator<PredictionLine> {
  for (const c of cases) {
    if (!count(c, tally) || (modelId !== undefined && c.modelId !== modelId)) continue;
    const line = caseLine(c, names, timeZone);
    // A line with no truth scores nothing, and a file of such lines only fails evaluate: left out and counted.
    if (Object.values(line.truth).every((label) => label === null)) tally.noTruth++;
    else yield line;
  }
}

export const newTally = (): Tally => ({ cases: 0, noPrediction: 0, automated: 0, byModel: new Map(), unnamed: new Map(), noTruth: 0 });

/**
 * The lines' names, as `/v1/quality` reads them: those of the model serving now (the champion), else the model's own.
 * Feedback is stored as the CRM sent it, in the names of its day (`kyc` for a queue a later config renamed
 * `onboarding_kyc`); a confirmed label is read in the predicting model's names, then the serving one's, and both
 * sides end under the serving names. Without either taxonomy, as stored. Labels with no name are counted in `tally.unnamed`.
 */
export function lineNames(model: KnownModel | undefined, served: readonly ClassifierTask[] | undefined, tally: Tally): LineNames {
  const names = served ?? model?.tasks;
  if (model === undefined || names === undefined) return AS_STORED;
  const namer = createLabelNamer(new Map(model.tasks ? [[model.id, model.tasks]] : []), names);
  const own = model.tasks ?? names;
  return {
    truth(task, label, derived) {
      const name = namer.truth(model.id, task, label);
      // One taken from another task's label that this task's names do not read: no truth, and nothing unnamed.
      if (name === null && !derived) tally.unnamed.set(`${task}: ${label}`, (tally.unnamed.get(`${task}: ${label}`) ?? 0) + 1);
      return name;
    },
    predicted: (task, label) => namer.predicted(task, label),
    confirmed: (labels) => withSharedColumnLabels(own, labels),
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
  dynamodbTable?: string;
  timeZone?: string;
}

/** `mailroute feedback predictions`: the confirmed cases as prediction lines, to report live quality with `evaluate`. */
export function registerFeedbackPredictions(feedback: Command, ctx: CliContext): void {
  feedback
    .command('predictions')
    .description(
      'Write the confirmed cases as prediction lines (JSONL): the prediction each person judged, with the labels they confirmed as truth; `mailroute evaluate --predictions <file> --out <dir>` then reports live quality (confusion matrices, per-label F1, calibration, slices by month and bank)',
    )
    .requiredOption('--out <file>', 'the prediction lines to write (.jsonl)')
    .option('--since <time>', 'cases closed at or after this ISO date or time, or from the first day of a month (2026-11); without a zone, in --time-zone (default: every case the store keeps)')
    .option('--until <time>', 'cases closed before this ISO date or time, as --since (default: none left out)')
    .option('--time-zone <zone>', "IANA time zone of --since and --until without a zone and of each case's closedMonth, e.g. Europe/Berlin, as the server's --time-zone (default: the model's training config timeZone, else env MAILROUTE_TIME_ZONE, else UTC)")
    .option('--model <id|champion|dir>', 'only the cases judged on predictions of this model (default: all, when one model made them)')
    .option('--dynamodb-table <name>', DYNAMODB_TABLE_HELP)
    .action(async (flags: PredictionsFlags) => {
      if (!/\.(jsonl|ndjson)$/i.test(flags.out)) throw new UsageError(`--out ${flags.out}: prediction lines are JSONL: name the file .jsonl`);
      const model = flags.model === undefined ? undefined : await modelOf(ctx, flags.model);
      const champion = flags.model === 'champion' ? model : await modelOf(ctx, 'champion').catch(() => undefined);
      // Local times read in --time-zone, else the model's zone: the one named, else the champion's (as feedback export
      // reads them), else MAILROUTE_TIME_ZONE (the server's), else UTC.
      const configZone = model?.timeZone === undefined ? (champion?.timeZone === undefined ? undefined : champion) : model;
      const zone = windowTimeZone(ctx, flags.timeZone, { zone: configZone?.timeZone, from: `the training config of ${configZone?.id ?? 'the model'}` });
      const timeZone = zone.zone;
      const since = flags.since === undefined ? undefined : timeOption('--since', flags.since, timeZone, zone.from);
      const until = flags.until === undefined ? undefined : timeOption('--until', flags.until, timeZone, zone.from);
      if (since !== undefined && until !== undefined && since.getTime() >= until.getTime()) throw new UsageError(`--since ${flags.since} is not before --until ${flags.until}: no case closed in between`);
      // The window as read, in UTC, and the zone it and the months were read in (said when either depends on a zone).
      if (since !== undefined || until !== undefined || timeZone !== undefined) ctx.stderr.write(`${windowLine(since, until, zone)}\n`);
      const window = { ...(since ? { since } : {}), ...(until ? { until } : {}) };
      const source = caseSource(ctx, flags.dynamodbTable);
      // Checked before any case is read (a scan of the stack's table takes long and is paid for), made once they are.
      await checkOutput(ctx.cwd, flags.out, 'file', '--out', [], ctx.home);
      // The local file is read twice, a case at a time; the table once (a scan), its cases held without their text.
      // A large window's two reads show their progress on stderr, as one.
      const progress = caseProgress(ctx, 'feedback predictions', 2);
      let cases: (pass: number) => Iterable<ConfirmedCase>;
      if (source.local) cases = (pass) => source.cases(window, progress.pass(pass));
      else {
        const all = await casesWithoutText(source, window);
        cases = () => all;
      }
      // evaluate reports on one model's predictions: with several in the window, the person picks one.
      const models = newTally();
      let named = model;
      const tally = newTally();
      try {
        for (const c of cases(0)) count(c, models);
        if (model?.unregistered && !models.byModel.has(model.id)) {
          const seen = [...models.byModel.keys()];
          const near = seen.filter((id) => isNearId(id, model.id));
          throw new UsageError(`--model ${model.id}: no such model in the registry, and no case of this window was judged on its predictions${near.length > 0 ? ` (did you mean ${near.slice(0, 3).join(' or ')}?)` : ''}; models of this window: ${seen.length > 0 ? counted(models.byModel) : 'none'}`);
        }
        if (named === undefined) {
          if (models.byModel.size > 1) throw new UsageError(`the cases of this window were judged on predictions of ${models.byModel.size} models: ${counted(models.byModel)}; pass --model <id> (one model's lines make one report)`);
          const [only] = models.byModel.keys();
          if (only !== undefined) named = only === champion?.id ? champion : await modelOf(ctx, only);
        }
        const out = await prepareOutput(ctx.cwd, flags.out, 'file', '--out', [], ctx.home);
        // Filtered by the model even when it was the only one: a server may record cases of another between the two reads.
        // Each case's month in the zone the window was read in, so the months and --since/--until agree.
        const lines = linesOf(cases(1), named?.id, lineNames(named, champion?.tasks, tally), tally, timeZone);
        // Email ids with the labels served and confirmed: the owner's alone, whatever the umask (as feedback export's file).
        await writeOutputFile(out, predictionLineChunks(lines, undefined, { parsed: true }), `--out ${flags.out}`, { mode: OWNER_ONLY });
      } finally {
        progress.stop();
      }
      const written = named === undefined ? 0 : (tally.byModel.get(named.id) ?? 0) - tally.noTruth;
      if (tally.cases === 0) ctx.stderr.write('note: no case closed in this window: the file is empty\n');
      if (tally.noPrediction > 0) ctx.stderr.write(`note: ${tally.noPrediction} of ${tally.cases} confirmed cases are left out: ${NO_PREDICTION_WHY}\n`);
      if (tally.automated > 0) ctx.stderr.write(`note: ${tally.automated} of ${tally.cases} confirmed cases are automated mail (auto-replies, bounces) and are left out, as /v1/quality leaves them\n`);
      if (named !== undefined && written + tally.noTruth < tally.cases - tally.noPrediction - tally.automated) {
        const others = new Map([...tally.byModel].filter(([id]) => id !== named.id));
        ctx.stderr.write(`note: cases judged on other models' predictions are left out: ${counted(others)}\n`);
      }
      if (named !== undefined && champion?.tasks !== undefined && champion.id !== named.id && written > 0) ctx.stderr.write(`note: labels are written in the names of the champion ${champion.id} (its renames and merges followed), as /v1/quality reads them\n`);
      if (named !== undefined && named.tasks === undefined && written > 0) ctx.stderr.write(`note: the artifact of ${named.id} is not at hand (pruned, or another home's): confirmed labels are read without its renames and merges\n`);
      if (tally.unnamed.size > 0) ctx.stderr.write(`note: confirmed labels the model has no name for (a label added or split off since, or retired) are left out of the truth: ${counted(tally.unnamed)}\n`);
      if (tally.noTruth > 0) ctx.stderr.write(`note: ${tally.noTruth} case${tally.noTruth === 1 ? '' : 's'} left with no truth (every label confirmed was one the model has no name for, such as a task it lacks) ${tally.noTruth === 1 ? 'is' : 'are'} left out\n`);
      const next = written > 0 ? `; \`mailroute evaluate --predictions ${flags.out} --out <dir>\` reports on them` : '';
      await writeStdout(ctx.stdout, `wrote ${written} prediction line${written === 1 ? '' : 's'} of confirmed cases to ${flags.out}${next}\n`);
    });
}
