import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readFile, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import {
  answeredDropWarnings,
  answeredPrecisionWarnings,
  applyGate,
  belowTargetWarnings,
  ComparisonError,
  comparePredictions,
  codeSpan,
  comparisonHtml,
  comparisonMarkdown,
  GateFailedError,
  GatePolicyError,
  gateRecord,
  modelIdsOf,
  parseGatePolicy,
  PredictionFileError,
  repeatedIds,
  repeatedIdsText,
  type GatePolicy,
  type GateResult,
  type LostLabels,
  type PredictionLine,
  seenInTrainingWarning,
  withoutAutomatedPairs,
} from '@mailroute/evaluation';
import { abstainingTasks, createLocalRegistry, decidedBy, type GateRecord, type Manifest, type ModelVersion, type RoutingPolicy } from '@mailroute/model';
import { alignToTaxonomy, tasksReadWith, jsonErrorPlace, readProblem, resolveModelDir, taskColumn, type SplitConfig, type TaskConfig, type TrainingConfig } from '@mailroute/training';
import type { CliContext } from '../context.js';
import { checkOutput } from '../output-path.js';
import { stagedInterrupt, writeStaged } from '../staged-output.js';
import { formatError, InterruptedError, UsageError } from '../errors.js';
import { twoStepInterrupt } from '../interrupt.js';
import { MAX_SEED } from '../numbers.js';
import { requiredInHelp } from '../required-help.js';
import { createProgress } from '../progress.js';
import { addReadFlags, appendCiSummary, modelLabel, modelRef, parseIntFlag, parseSplitFlag, prepareWithModel, readOptions, readPredictionFile, type ReadFlags, type ReadOptions } from './evaluate.js';
import { safeLines, safeValue } from '../terminal-text.js';
import { manifestOf, oneSidedLabelWarnings, scoredTaxonomies, taxonomyOrder, trainingWarningsOf, type Role, type TruthsReadWith } from './compare-taxonomy.js';
import { keepingLost, lostLabelsOf, withLostTruths } from './compare-lost-queues.js';
import { targetPrecisionsOf } from './training-facts.js';
import { registeredManifest } from './evaluate-languages.js';

interface CompareFlags extends ReadFlags {
  challenger?: string;
  champion?: string;
  data?: string[];
  split?: string;
  config?: string;
  policy?: string;
  out?: string;
  resamples?: string;
  seed?: string;
  /** false with --no-record: the gate's outcome is not kept on the challenger's registry version. */
  record: boolean;
}

/** The gate policy: `--policy <file>`, else `<MAILROUTE_HOME>/gate.json` when present, else the default. */
async function loadPolicy(ctx: CliContext, file: string | undefined): Promise<{ policy: GatePolicy; source: string }> {
  const candidate = file !== undefined ? path.resolve(ctx.cwd, file) : path.join(ctx.home, 'gate.json');
  if (file === undefined && !existsSync(candidate)) return { policy: parseGatePolicy({}), source: 'default policy' };
  let text: string;
  try {
    // Without the byte-order mark some Windows editors write: JSON.parse refuses it.
    text = (await readFile(candidate, 'utf8')).replace(/^\uFEFF/, '');
  } catch (cause) {
    throw new GatePolicyError(`cannot read gate policy ${candidate}: ${readProblem(cause)}`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new GatePolicyError(`${candidate}${jsonErrorPlace(text)}: not JSON (${(cause as Error).message.split('\n')[0]})`, { cause });
  }
  try {
    return { policy: parseGatePolicy(json), source: candidate };
  } catch (error) {
    if (error instanceof GatePolicyError) throw new GatePolicyError(`${candidate}: ${error.message}`);
    throw error;
  }
}

/** The two models compared on --data: their manifests (undefined where one cannot be read), and the task that routes mail when both name the same one. */
interface ModelPair {
  manifests: Record<Role, Manifest | undefined>;
  routingTask?: string;
}

/**
 * Before --data is read: both models are found (a champion that does not exist is said first, not after the
 * challenger's warnings about the rows), they are two models, and they have a task in common. The same model
 * on both sides (one registry version named twice, `champion` and the champion's id, its directory and its id,
 * or a copy of it) would show no difference and record a meaningless gate on itself: a usage error naming it
 * and what to compare instead. Models with no task in common would predict every row for an empty table and a
 * failed gate recorded on the challenger: refused, naming each model's tasks. Returns both manifests, read once here,
 * and the task that routes mail when both name the same one.
 */
async function checkModelPair(ctx: CliContext, models: { challenger: string; champion: string }): Promise<ModelPair> {
  const dirs = [await resolveModelDir(modelRef(ctx, models.challenger), ctx.home), await resolveModelDir(modelRef(ctx, models.champion), ctx.home)];
  const [a, b] = await Promise.all(dirs.map(manifestOf));
  const manifests = { challenger: a, champion: b };
  if ((a?.modelId ?? (await realpath(dirs[0]))) === (b?.modelId ?? (await realpath(dirs[1])))) {
    const id = a?.modelId ?? path.basename(dirs[0]);
    const champion = await createLocalRegistry({ home: ctx.home })
      .champion()
      .catch(() => undefined);
    const instead =
      champion?.id === id
        ? 'compare another version with it (`--challenger <id> --champion champion`; `mailroute registry list` shows the versions)'
        : 'compare it with the champion (`--champion champion`) or with another version (`mailroute registry list` shows the versions)';
    throw new UsageError(
      `--challenger and --champion are the same model, ${id}${champion?.id === id ? ' (the champion)' : ''}: compared with itself it shows no difference and its gate means nothing; ${instead}`,
    );
  }
  if (a && b) checkSharedTasks('models', { challenger: { name: a.modelId, tasks: a.tasks.map((t) => t.name) }, champion: { name: b.modelId, tasks: b.tasks.map((t) => t.name) } });
  // The gate compares labels, not where mail goes: a routing that changes is said before anyone approves it.
  const routing = a && b ? { challenger: routingText(a.routing), champion: routingText(b.routing) } : undefined;
  if (routing && routing.challenger !== routing.champion) {
    ctx.stderr.write(safeLines(`warning: the models route mail otherwise: the challenger ${routing.challenger}, the champion ${routing.champion}; approving the challenger changes where mail goes, which the gate does not judge\n`));
  }
  const routingTask = a && b && a.routing.queueTask === b.routing.queueTask ? a.routing.queueTask : undefined;
  return { manifests, ...(routingTask !== undefined ? { routingTask } : {}) };
}

/** The task both manifests route mail by, when both are known and agree. */
function sharedRoutingTask(manifests: { challenger?: Manifest; champion?: Manifest }): string | undefined {
  const { challenger, champion } = manifests;
  return challenger && champion && challenger.routing.queueTask === champion.routing.queueTask ? challenger.routing.queueTask : undefined;
}

/** A manifest's routing in words: `routes by queue (manual triage when queue or topic abstains)`. */
function routingText(routing: RoutingPolicy): string {
  const automated = Object.entries(routing.automatedQueues ?? {}).map(([kind, queue]) => `${kind} to ${queue}`);
  return `routes by ${routing.queueTask} (manual triage when ${abstainingTasks(routing).join(' or ')} abstains${automated.length > 0 ? `; automated mail: ${automated.join(', ')}` : ''})`;
}

/**
 * Two sides with no task in common have nothing to compare: every row unpredicted by the other, an empty
 * table, and a failed gate recorded on the challenger. Refused before anything is predicted or recorded,
 * naming each side's tasks. (With some tasks in common, the others are the gate's "unpredicted" checks.)
 */
function checkSharedTasks(what: 'models' | 'prediction files', sides: Record<'challenger' | 'champion', { name: string; tasks: readonly string[] }>): void {
  const { challenger, champion } = sides;
  if (challenger.tasks.some((t) => champion.tasks.includes(t))) return;
  throw new ComparisonError(
    `the ${what} share no task: challenger ${challenger.name} has ${challenger.tasks.join(', ') || 'none'}; champion ${champion.name} has ${champion.tasks.join(', ') || 'none'}; compare the challenger with a model that predicts at least one of its tasks (the gate compares each task both predict)`,
  );
}

/**
 * Both models' predictions on --data (found and checked by `checkModelPair` first). Both are loaded and
 * their rows checked (the file, --split test) before either predicts, so a mistake about the second model
 * does not come after the first's run.
 */
async function predictBoth(
  ctx: CliContext,
  models: { challenger: string; champion: string },
  manifests: ModelPair['manifests'],
  data: readonly string[],
  options: { configFile?: string; split?: 'test'; read?: ReadOptions; signal?: AbortSignal },
): Promise<Compared> {
  // What predicting warns of (rows a model was trained on, rows skipped): on stderr as it comes, and kept for the summary, comparison.json and the gate record.
  const said = { challenger: [] as string[], champion: [] as string[] };
  // Both are scored in the newer taxonomy (usually the challenger's; the champion's when its aliases or retired
  // labels speak of the challenger's labels: an older version compared with a newer champion).
  const order = taxonomyOrder(manifests);
  const { newer, older } = order;
  // Without --split or --config both read the rows as the newer model does (its config: today's taxonomy); with
  // --config, as it says; with --split, each model finds its own held-out rows with its own config. The older
  // model's truths are replaced by the newer's below: no warning about labels it does not know.
  const ownConfig = Boolean(options.split || options.configFile);
  // A warning both models' predicting give alike (rows skipped, the same near copies of training rows) is printed once.
  const printed = new Set<string>();
  const challenger = await prepareWithModel(ctx, models.challenger, data, {
    ...options,
    printed,
    ...(!ownConfig && newer === 'champion' && order.config ? { config: order.config } : {}),
    title: 'predict challenger',
    ...(older === 'challenger' ? { unknownTruthWarnings: false } : {}),
    warnings: said.challenger,
  });
  try {
    checkUniqueIds(ctx, data, challenger);
    const shared = ownConfig || newer === 'champion' ? {} : { config: challenger.config };
    const champion = await prepareWithModel(ctx, models.champion, data, {
      ...options,
      printed,
      ...shared,
      title: 'predict champion',
      ...(older === 'champion' ? { unknownTruthWarnings: false } : {}),
      warnings: said.champion,
    });
    try {
      // Each model's held-out rows, found with its own split settings: not one test set when those differ.
      if (options.split) checkSameTestRows(challenger, champion);
      const lines = { challenger: await challenger.run(), champion: await champion.run() };
      const sides = { challenger, champion };
      // Queues the champion routes to that the challenger lost (no training rows, merged into `other`): scored, not left
      // out, under the names the champion's lines carry.
      const lost = lostLabelsOf(manifests, champion.config);
      // Both are scored on the newer model's labels, under the names of the config its rows were read with: a label
      // renamed or merged since the older model was trained counts as its new name (a queue the challenger lost, as it is).
      const reference = tasksReadWith(sides[newer].tasks, sides[newer].config);
      const aligned = alignToTaxonomy(lines[older], lines[newer], older === 'champion' ? keepingLost(reference, lost) : reference);
      // Renamed as the older model's rows were read (the newer's config), then labels the newer lacks mapped to other.
      // Said in the summary (stdout, gate.md), where the older model's figures it explains are.
      const renamed = [...sides[older].renamedLabels.map((change) => ({ change })), ...Object.entries(aligned.renamed).map(([change, n]) => ({ change, n }))];
      // An email of a lost queue keeps it as its truth, which the challenger's reading made blank or `other`.
      const both = withLostTruths({ ...lines, [older]: aligned.lines }, lines.champion, lost);
      // Each model's labels in those names, from its manifest: where they differ, both are scored on the labels both know.
      const taxonomies = scoredTaxonomies(sides, older, lost);
      const readWith: TruthsReadWith = options.configFile !== undefined ? { text: `the --config given (${options.configFile})` } : { role: newer, text: `the ${newer}'s training config` };
      return { challenger: both.challenger, champion: both.champion, renamed, older, warnings: sideWarnings(said), taxonomies, readWith, ...(lost ? { lost } : {}) };
    } finally {
      await champion.release();
    }
  } finally {
    await challenger.release();
  }
}

/**
 * Compare joins the two models' predictions by id: rows of --data that repeat an id (the same export given
 * twice) cannot be joined, and were found only after both models had predicted every row, blamed on the
 * champion. Refused as the rows are read, naming the rows by file and line.
 */
function checkUniqueIds(ctx: CliContext, data: readonly string[], rows: { ids: readonly string[]; places: readonly string[] }): void {
  const repeats = repeatedIds(rows.ids);
  if (repeats.size === 0) return;
  // The rows' places name the files as the libraries were given them (absolute): shown as given on the command line.
  const given = data.map((d) => ({ full: `${path.resolve(ctx.cwd, d)}:`, shown: `${d}:` }));
  const place = (i: number) => {
    const at = rows.places[i];
    const file = given.find((g) => at.startsWith(g.full));
    return file ? `${file.shown}${at.slice(file.full.length)}` : at;
  };
  throw new ComparisonError(
    `the rows of ${data.join(', ')} repeat ${repeatedIdsText(repeats, place)}: compare joins the two models' predictions by id, so each id must name one row; remove the repeated rows (the same export given twice?) or give them ids of their own`,
  );
}

/**
 * The warnings of both sides' predicting, once each: one both said (about the data: rows skipped) as it is,
 * one side's own (rows that model was trained on) after its role.
 */
export function sideWarnings(said: Record<'challenger' | 'champion', readonly string[]>): string[] {
  const both = said.challenger.filter((w) => said.champion.includes(w));
  const own = (role: 'challenger' | 'champion') => said[role].filter((w) => !both.includes(w)).map((w) => `${role}: ${w}`);
  return [...new Set([...both, ...own('challenger'), ...own('champion')])];
}

/**
 * Both sides' lines; `warnings` what predicting them warned of (or, for prediction files of one model, that it is
 * one model's); `self` says why they are one model's, in Markdown (prediction files only: two models given with
 * --data never are).
 */
interface Compared {
  challenger: PredictionLine[];
  champion: PredictionLine[];
  renamed: Renamed[];
  /** The side whose labels were put into the other's (newer) taxonomy; the champion when none were. */
  older?: Role;
  /** Each model's labels per task, under the names its lines are scored in (models given with --data only). */
  taxonomies?: Record<Role, Record<string, string[]>>;
  /** The queues the champion routes to that the challenger lost, with why (models given with --data only; see `lostLabelsOf`). */
  lost?: LostLabels;
  /** The config the rows' truth labels were read with (the newer model's, or --config). */
  readWith?: TruthsReadWith;
  warnings: string[];
  self?: string;
}

/** A label of the older model scored under the newer one's name (`queue: old -> new`), with the predictions it changed when counted. */
export interface Renamed {
  change: string;
  n?: number;
}

interface HeldOut {
  modelId: string;
  ids: readonly string[];
  config: TrainingConfig;
}

const shown = (v: unknown) => (v === undefined ? 'none' : String(v));

/** The split settings in which two configs differ, as `seed 7 vs 0` (the challenger's first). */
function splitDifferences(a: SplitConfig, b: SplitConfig): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])] as Array<keyof SplitConfig>;
  return keys.filter((k) => a[k] !== b[k]).map((k) => `${k} ${shown(a[k])} vs ${shown(b[k])}`);
}

/** `x only in the challenger's`, `y only in the champion's`: what one list has and the other lacks. */
function onlyIn(what: string, a: readonly string[], b: readonly string[]): string[] {
  const inA = a.filter((x) => !b.includes(x));
  const inB = b.filter((x) => !a.includes(x));
  return [...(inA.length > 0 ? [`${what} ${inA.join(', ')} only in the challenger's`] : []), ...(inB.length > 0 ? [`${what} ${inB.join(', ')} only in the champion's`] : [])];
}

/**
 * How two versions of one task's taxonomy differ (the challenger's first): its label column, labels,
 * aliases, retired labels, minCount and what rare labels become. Each turns some rows' labels into others.
 */
export function taxonomyDifferences(a: TaskConfig, b: TaskConfig): string[] {
  const out: string[] = [];
  if (taskColumn(a) !== taskColumn(b)) out.push(`column ${taskColumn(a)} vs ${taskColumn(b)}`);
  if (a.labels === undefined || b.labels === undefined) {
    if (a.labels !== b.labels) out.push(`labels ${a.labels ? `${a.labels.length} listed` : 'any'} vs ${b.labels ? `${b.labels.length} listed` : 'any'}`);
  } else out.push(...onlyIn('labels', a.labels, b.labels));
  const aliasOf = (t: TaskConfig) => Object.entries(t.aliases).map(([from, to]) => `${from}->${to}`);
  out.push(...onlyIn('aliases', aliasOf(a), aliasOf(b)));
  out.push(...onlyIn('retired', a.retired, b.retired));
  if (a.minCount !== b.minCount) out.push(`minCount ${a.minCount} vs ${b.minCount}`);
  if (a.rare !== b.rare) out.push(`rare labels become ${a.rare} vs ${b.rare}`);
  return out;
}

/**
 * What in two training configs (the challenger's, the champion's) shapes which rows a split holds out, and
 * differs: the split settings; for a stratified split, the taxonomy of its `on` task (the rows are grouped by
 * that task's labels after aliases, retired labels and minCount, and the groups taken in the order of their
 * names); the columns the text (the duplicate keys) and ids come from; for a time split, the time column.
 * Empty when none of these differ.
 */
export function splitShapeDifferences(a: TrainingConfig, b: TrainingConfig): string[] {
  const out: string[] = [];
  const split = splitDifferences(a.split, b.split);
  if (split.length > 0) out.push(`they were trained with different split settings (${split.join(', ')})`);
  if (a.split.kind === 'stratified' && b.split.kind === 'stratified' && a.split.on === b.split.on) {
    const on = a.split.on;
    const [ta, tb] = [a.tasks.find((t) => t.name === on), b.tasks.find((t) => t.name === on)];
    const differ = ta && tb ? taxonomyDifferences(ta, tb) : [];
    if (differ.length > 0) out.push(`the ${on} task's taxonomy differs, and the split groups rows by its labels (${differ.join(', ')})`);
  }
  const keys = ['subject', 'body', 'html', 'id', ...(a.split.kind === 'time' || b.split.kind === 'time' ? (['receivedAt'] as const) : [])] as const;
  const columns = keys.filter((k) => a.columns[k] !== b.columns[k]).map((k) => `${k} ${shown(a.columns[k])} vs ${shown(b.columns[k])}`);
  if (a.literalNewlines !== b.literalNewlines) columns.push(`literalNewlines ${a.literalNewlines} vs ${b.literalNewlines}`);
  if (columns.length > 0) out.push(`they read the text or ids from other columns (${columns.join(', ')})`);
  return out;
}

/**
 * With --split test, both models must have held out the same rows of --data; when they did not, says why
 * (what in their training configs shapes the split and differs) and what to do, before either model predicts.
 */
function checkSameTestRows(challenger: HeldOut, champion: HeldOut): void {
  const theirs = new Set(champion.ids);
  const common = challenger.ids.filter((id) => theirs.has(id)).length;
  if (common === challenger.ids.length && common === champion.ids.length) return;
  const counts = `challenger ${challenger.modelId}: ${challenger.ids.length} rows, champion ${champion.modelId}: ${champion.ids.length}, ${common} in both`;
  const differ = splitShapeDifferences(challenger.config, champion.config);
  const split = challenger.config.split;
  const agree = `their split settings${split.kind === 'stratified' ? `, the ${split.on} task's taxonomy` : ''} and text and id columns agree, yet the rows they split or the way they split them differ`;
  const why = differ.length > 0 ? differ.join(' and ') : agree;
  throw new ComparisonError(
    `--split test: the models held out different rows of the data (${counts}): ${why}; compare them on a separate test file neither was trained on, with --data <file> and no --split`,
  );
}

/**
 * The two prediction files, with a warning when they are one file or one model's: the gate then shows nothing,
 * and `self` says why (no gate is recorded on the model's registry version then).
 */
async function readBothFiles(ctx: CliContext, challengerFile: string, championFile: string, signal?: AbortSignal): Promise<Compared> {
  // A data file given as one side: compare reads it with --data, the models named by id.
  const instead = (file: string) => `to compare two models on it: \`mailroute compare --challenger <id> --champion champion --data ${file}\``;
  const challenger = await readPredictionFile(ctx, challengerFile, instead(challengerFile), signal);
  const champion = await readPredictionFile(ctx, championFile, instead(championFile), signal);
  // With an id on every line, the files' lines pair by id (else by position): each id must then name one email.
  const byId = [...challenger, ...champion].every((l) => l.id !== undefined);
  for (const [file, lines] of byId ? ([[challengerFile, challenger], [championFile, champion]] as const) : []) {
    const repeats = repeatedIds(lines.map((l) => l.id));
    if (repeats.size > 0) throw new ComparisonError(`${file} repeats ${repeatedIdsText(repeats)}: compare joins the two files' predictions by id, so each id must name one email`);
  }
  const predicted = (lines: readonly PredictionLine[]) => [...new Set(lines.flatMap((l) => Object.keys(l.prediction)))];
  checkSharedTasks('prediction files', { challenger: { name: challengerFile, tasks: predicted(challenger) }, champion: { name: championFile, tasks: predicted(champion) } });
  const [a, b] = [modelIdsOf(challenger), modelIdsOf(champion)];
  let self: string | undefined;
  /** The same, as plain text: it heads the summary (gate.md) and comparison.json, so the PASS under it is not read alone. */
  let warning: string | undefined;
  if (path.resolve(ctx.cwd, challengerFile) === path.resolve(ctx.cwd, championFile)) {
    self = '--challenger and --champion are the same file';
    warning = `${self}: the comparison shows no difference, and its gate is not recorded`;
    ctx.stderr.write(`warning: ${self}: the comparison shows no difference\n`);
  } else if (a.length === 1 && b.length === 1 && a[0] === b[0]) {
    self = `both files hold predictions of model ${codeSpan(a[0])}`;
    warning = `both files hold predictions of model ${a[0]}: the comparison shows no difference between models, and its gate is not recorded`;
    ctx.stderr.write(`warning: both files hold predictions of model ${safeValue(a[0])}: the comparison shows no difference between models\n`);
  }
  // Lines predict marked as of emails a model trained on: said for each side, as compare --data says it, and kept with the gate.
  const seen = (['challenger', 'champion'] as const).flatMap((role) => {
    const w = seenInTrainingWarning(role === 'challenger' ? challenger : champion);
    return w === undefined ? [] : [`${role}: ${w}`];
  });
  for (const w of seen) ctx.stderr.write(safeLines(`warning: ${w}\n`));
  return { challenger, champion, renamed: [], warnings: [...(warning === undefined ? [] : [warning]), ...seen], ...(self !== undefined ? { self } : {}) };
}

/**
 * Both sides but the emails either marks as automated mail (an auto-reply, a bounce), as evaluate scores: no customer
 * wrote them, training leaves them out and serving routes them as automated whatever a model says. Said on stderr and
 * kept with the gate's warnings; refused when nothing else is left.
 */
function personalMail(ctx: CliContext, both: Compared): Pick<Compared, 'challenger' | 'champion'> {
  const { a, b, left } = withoutAutomatedPairs(both.challenger, both.champion);
  if (left === 0) return both;
  const emails = Math.max(both.challenger.length, both.champion.length);
  if (a.length === 0 && b.length === 0) {
    throw new UsageError(`${emails === 1 ? 'the only email is' : `all ${emails} emails are`} automated mail (auto-replies, bounces: marked automated when predicted): there is nothing to compare; compare on customers' mail`);
  }
  const warning = `${left} of these ${emails} emails are automated mail (auto-replies, bounces: marked automated when predicted by either model) and are left out of the comparison: training leaves such emails out, and serving routes them as automated whatever a model says`;
  ctx.stderr.write(safeLines(`warning: ${warning}\n`));
  both.warnings.push(warning);
  return { challenger: a, champion: b };
}

/**
 * For a challenger in the registry: keeps the gate's outcome on its version, which `registry approve` checks, when
 * the champion side is the registry's champion (by id): a look at another baseline (an older version) must not
 * replace the gate that counts, nor block an approval with a failure against a model that does not serve. Not kept
 * with `--no-record` either; `notRecorded` then says why. A failure to keep it (the registry locked too long) is said
 * on stderr and does not undo the comparison. Nothing for a challenger that is no registry version.
 */
/** What a gate was measured on, as the registry keeps it with the gate: the files as given, the sha256 of their bytes in order, the split, the emails. */
async function measuredOn(ctx: CliContext, files: readonly string[], split: 'test' | undefined, emails: number): Promise<GateRecord['data']> {
  const hash = createHash('sha256');
  for (const file of files) {
    const stream = createReadStream(path.resolve(ctx.cwd, file));
    for await (const chunk of stream) hash.update(chunk as Buffer);
  }
  return { files: [...files], sha256: hash.digest('hex'), ...(split === undefined ? {} : { split }), emails };
}

async function recordOnChallenger(
  ctx: CliContext,
  names: { challenger: string; champion: string },
  gate: GateResult,
  warnings: readonly string[],
  record: boolean,
  data?: () => Promise<GateRecord['data']>,
): Promise<{ challenger?: ChallengerVersion; notRecorded?: string }> {
  const registry = createLocalRegistry({ home: ctx.home });
  const version = await registry.get(names.challenger).catch(() => undefined);
  if (!version) return {};
  // Not known (the registry unreadable): taken to be the model compared against, as before.
  const champion = await registry.champion().then(
    (v) => v?.id ?? null,
    () => undefined,
  );
  const why = notRecordedReason(version.id, names.champion, champion, record, version);
  // A decided version keeps its Next line (what approve and reject do for it now), with why nothing was kept.
  const known = champion === undefined ? {} : { registryChampion: champion };
  if (why !== undefined) return version.status === 'PendingManualApproval' ? { notRecorded: why } : { challenger: { version, recorded: false, ...known }, notRecorded: why };
  try {
    const measured = await data?.().catch(() => undefined);
    return { challenger: { version: await registry.recordGate(version.id, gateRecord(gate, names.champion, new Date(), warnings, measured)), recorded: true, ...known } };
  } catch (error) {
    ctx.stderr.write(gateNotRecordedWarning(version.id, gate.pass, formatError(error)));
    return { challenger: { version, recorded: false, ...known } };
  }
}

/**
 * The warning when the registry could not take a gate's outcome (a full disk, a read-only home): a failure not on
 * record is one `registry approve` cannot refuse, so it is said as such, not as a missing pass.
 */
export function gateNotRecordedWarning(id: string, pass: boolean, error: string): string {
  const approve = `\`mailroute registry approve ${id}\``;
  if (pass) return `warning: the gate's outcome could not be recorded on ${id} (${error}); ${approve} will not know it: run compare again once the registry can be written\n`;
  return `warning: the gate FAILED, and that could not be recorded on ${id} (${error}): ${approve} would not refuse it. Run compare again once the registry can be written, before any approval\n`;
}

/**
 * Why the gate of `challenger` (a registry version) compared with `comparedWith` is not kept on it, in Markdown (ids as
 * code spans), or undefined when it is: a version no longer awaiting its decision (`decided`: Approved or Rejected,
 * whose gate is the one that decision was made on, and which the registry refuses to replace), `--no-record`, a
 * registry without a champion (approve needs no gate then), or a model compared with that is not the registry's
 * `champion` (undefined: not known, so kept).
 */
export function notRecordedReason(
  challenger: string,
  comparedWith: string,
  champion: string | null | undefined,
  record: boolean,
  decided?: Pick<ModelVersion, 'status' | 'statusChangedAt' | 'statusChangedBy'>,
): string | undefined {
  if (decided !== undefined && decided.status !== 'PendingManualApproval') return decidedReason(challenger, decided);
  const kept = `the gate on record for ${codeSpan(challenger)} (which \`mailroute registry approve\` checks) stays as it was`;
  if (!record) return `--no-record was given, so ${kept}.`;
  if (champion === undefined || champion === comparedWith) return undefined;
  const command = codeSpan(`mailroute compare --challenger ${challenger} --champion champion --data <file>`);
  if (champion === null) return `the registry has no champion, so no gate is kept: \`mailroute registry approve\` needs none to make ${codeSpan(challenger)} the first.`;
  const whose = champion === challenger ? `${codeSpan(champion)}, the challenger itself, is` : `${codeSpan(champion)} is`;
  const next = champion === challenger ? '' : ` ${command} measures the gate that counts.`;
  return `${codeSpan(comparedWith)} is not the registry's champion (${whose}): a comparison with another model is a look, not the gate approve checks, so ${kept}.${next}`;
}

/**
 * `notRecordedReason` for an Approved or Rejected challenger: a gate is kept only on a version awaiting its decision,
 * so a later compare (other data, another champion) cannot rewrite the evidence a decision was made on; what to run to
 * act on this outcome instead.
 */
function decidedReason(challenger: string, decided: Pick<ModelVersion, 'status' | 'statusChangedAt' | 'statusChangedBy'>): string {
  const who = decidedBy(decided, codeSpan);
  const act =
    decided.status === 'Approved'
      ? `if this outcome means the approval should not stand, ${codeSpan(`mailroute registry reject ${challenger} --note <why>`)} reverses it`
      : `to approve it after all, ${codeSpan(`mailroute registry approve ${challenger} --force --note <why>`)}`;
  return `${codeSpan(challenger)} is ${decided.status}${who ? ` (${who})` : ''}: a gate is recorded only on a version awaiting its decision, so the gate on record for it, on which that decision was made (\`mailroute registry show ${challenger}\` has it, also in its history), stays as it was; this outcome is printed, not kept. ${act[0].toUpperCase()}${act.slice(1)}.`;
}

/**
 * The challenger's registry version after a gate measured against the registry's champion (the only gate kept):
 * whether its outcome was recorded on it (never for a version no longer awaiting its decision).
 */
export interface ChallengerVersion {
  version: ModelVersion;
  recorded: boolean;
  /**
   * The registry's champion when compared (null: none; absent: not known, taken to be the model compared with): what
   * `registry reject <challenger>` leaves serving, and whether the challenger serves already.
   */
  registryChampion?: string | null;
}

/**
 * What `registry approve` and `registry reject` do after a failed gate, for the challenger's status: a pending
 * version is refused with the failure on record (approved only with --force); an Approved one is not checked
 * again (approve makes it champion with a warning); a Rejected one needs --force whatever its gate.
 */
function afterFailedGate(challenger: ChallengerVersion, comparedWith: string, registry: (verb: string, flag?: string) => string): string {
  const { version, recorded } = challenger;
  const onReject = rejectLeaves(challenger, comparedWith);
  const head = 'Next: the gate failed (the checks marked FAIL), and a person decides.';
  const serves = '(servers using this registry switch to it at their next poll)';
  if (version.status === 'Approved') {
    // Not recorded (a decided version's gate stays the one its approval was made on): approve never sees this one.
    return `${head} ${registry('reject')} ${onReject}. It is Approved already, so this outcome is not recorded and ${registry('approve')} does not check it: it makes the challenger the champion all the same ${serves}.`;
  }
  if (version.status === 'Rejected') {
    const champion = challenger.registryChampion === undefined ? comparedWith : challenger.registryChampion;
    const stays = champion === null ? 'the registry stays without a champion' : `${codeSpan(champion)} stays`;
    return `${head} It is Rejected already, so ${stays}; ${registry('approve')} refuses it, and ${registry('approve', ' --force --note <why>')} would undo the rejection and make the challenger the champion all the same ${serves}.`;
  }
  return `${head} ${registry('reject')} ${onReject}; ${recorded ? `${registry('approve')} refuses it now that this failure is on record, and ` : ''}${registry('approve', recorded ? ' --force --note <why>' : '')} would make the challenger the champion all the same ${serves}.`;
}

/**
 * What `registry reject <challenger>` leaves: the registry's champion, which is the model compared against when the
 * gate was recorded (or when the registry could not say), another when the comparison was a look at an older model.
 */
function rejectLeaves(challenger: ChallengerVersion, comparedWith: string): string {
  const champion = challenger.registryChampion === undefined ? comparedWith : challenger.registryChampion;
  if (champion === null) return 'leaves the registry without a champion, as it is now';
  return `keeps ${codeSpan(champion)}${champion === comparedWith ? '' : ", the registry's champion"}`;
}

/**
 * The Next line for a challenger that is the registry's champion already (compared with an older or another model):
 * approving it changes nothing; rejecting it takes it out of service, and the registry rolls back.
 */
function championAlready(id: string, pass: boolean): string {
  const reject = codeSpan(`mailroute registry reject ${id} --note <why>`);
  const act = pass ? `If it should not serve all the same, ${reject}` : `If this outcome means it should not serve, ${reject}`;
  return `Next: ${codeSpan(id)} is the registry's champion already, so approving it changes nothing. ${act} takes it out of the registry's service: the champion before it becomes the champion again if still Approved (else the newest Approved version whose gate did not fail; \`mailroute registry history\` lists the changes), which servers load at their next poll; with no such version there is no champion, and servers keep ${codeSpan(id)} until another is approved.`;
}

/**
 * The summary's lines after the gate: the older model's labels scored under the newer one's names (`older`: the
 * champion unless the champion's taxonomy is the newer; its figures then differ from its own report), and, for a
 * challenger in the registry, what the person deciding does next (`warned`: how many warnings the summary heads, which
 * a passed gate's Next line says to read before approving).
 * Labels, ids and names come from data files and arguments: each is a code span (`codeSpan`), so a `*`, `_`,
 * backtick, `<script>` or line break in one neither formats nor injects Markdown or HTML.
 */
export function afterGate(
  challenger: ChallengerVersion | undefined,
  names: { challenger: string; champion: string },
  pass: boolean,
  renamed: readonly Renamed[],
  older: Role = 'champion',
  warned = 0,
): string {
  const lines: string[] = [];
  if (renamed.length > 0) {
    const shown = renamed.slice(0, 8).map((r) => `${codeSpan(r.change)}${r.n === undefined ? '' : ` (${r.n})`}`);
    const newer = older === 'champion' ? "challenger's taxonomy" : "champion's taxonomy (the newer one)";
    lines.push(
      `Labels: the ${older}'s predictions are scored in the ${newer}, so its figures here can differ from its own evaluation report: ${shown.join(', ')}${renamed.length > 8 ? `, and ${renamed.length - 8} more` : ''}.`,
    );
  }
  if (challenger && challenger.registryChampion === challenger.version.id) {
    lines.push(championAlready(challenger.version.id, pass));
  } else if (challenger) {
    const { version } = challenger;
    const registry = (verb: string, flag = '') => codeSpan(`mailroute registry ${verb} ${version.id}${flag}`);
    // A decided version's gate stays the one its decision was made on: this outcome is not recorded on it.
    const status =
      version.status === 'PendingManualApproval'
        ? ''
        : ` It is ${version.status} now${version.status === 'Rejected' ? ': approving it needs --force --note <why>' : ''} (this outcome is not recorded: its gate stays the one its decision was made on).`;
    // Warnings above the figures (a challenger answering half the mail the champion does passes all the same): said
    // before approve, so that a pass does not read as all clear.
    const head = warned === 0 ? 'Next: the gate passed, and a person decides.' : `Next: the gate passed with ${warned === 1 ? 'a warning' : `${warned} warnings`} above, and a person decides: read ${warned === 1 ? 'it' : 'them'} before approving.`;
    lines.push(
      pass
        ? `${head} ${registry('approve')} makes the challenger the champion (servers using this registry switch to it at their next poll); ${registry('reject')} ${rejectLeaves(challenger, names.champion)}.${status}`
        : afterFailedGate(challenger, names.champion, registry),
    );
  }
  return lines.map((l) => `\n${l}\n`).join('');
}

/**
 * The most paired-bootstrap resamples: each goes over every row and is kept in memory, so --resamples 4294967296
 * ran for hours (and then out of memory) where 100,000 already gives steady intervals.
 */
const MAX_RESAMPLES = 100_000;

export function registerCompare(program: Command, ctx: CliContext): void {
  const command = program
    .command('compare')
    .description("Compare a challenger with the champion and apply the gate (exit 1 when it fails); a challenger in the registry keeps the outcome, which `registry approve` checks, when --champion is the registry's champion")
    .option('--challenger <file|ref>', "the challenger's predictions JSONL, named in the report by the model id its lines carry, else by the file name; with --data, a model: registry id, `champion` or directory")
    .option('--champion <file|ref>', "the champion's predictions JSONL on the same test set; with --data, a model: registry id, `champion` or directory")
    .option('--data <files...>', 'labelled test set: --challenger and --champion are then models (registry id, `champion` or directory)')
    .option('--split <name>', '"test": compare on the rows held out when the models were trained from --data (both must have trained on it, with the same split settings and split-task taxonomy)')
    .option('--config <file>', 'training config to read --data with for both models (default: the stored config of the model with the newer taxonomy, usually the challenger, for both; with --split test, each model\'s own)');
  addReadFlags(command)
    .option('--policy <file>', 'gate policy JSON (default: $MAILROUTE_HOME/gate.json, else 0.5 pts max macro-F1 drop per task and 0.25 pts for the mean over the tasks)')
    .option('--out <dir>', "write comparison.json, gate.md and gate.html (gate.md as a page, with a picture of each task's change against the gate) here (headed, as the summary is, by what predicting warned of: rows a model was trained on)")
    .option('--resamples <n>', `paired-bootstrap resamples, 10 to ${MAX_RESAMPLES}`, '1000')
    .option('--seed <n>', `bootstrap seed, 0 to ${MAX_SEED}`, '20261129')
    .option('--no-record', "keep the gate's outcome off the challenger's registry version (a trial look); without it the outcome is kept only when --champion is the registry's champion")
    .action(async (flags: CompareFlags) => {
      if (flags.challenger === undefined || flags.champion === undefined) throw new UsageError('compare needs --challenger and --champion');
      const resamples = parseIntFlag('--resamples', flags.resamples, 10, MAX_RESAMPLES);
      const seed = parseIntFlag('--seed', flags.seed, 0, MAX_SEED);
      const split = parseSplitFlag(flags.split);
      if (split && flags.data === undefined) throw new UsageError('--split goes with --data');
      if (flags.data === undefined && (flags.onBadRow !== undefined || flags.delimiter !== undefined || flags.config !== undefined)) {
        throw new UsageError('--config, --on-bad-row and --delimiter go with --data (they say how to read it)');
      }
      const read = readOptions(flags);
      const { policy, source } = await loadPolicy(ctx, flags.policy);
      const data = flags.data;
      if (data === undefined) {
        for (const ref of [flags.challenger, flags.champion]) {
          if (existsSync(path.resolve(ctx.cwd, ref))) continue;
          // A path or a file name is a predictions file that is missing (a failure, exit code 1, as evaluate's);
          // a bare word (`champion`, a registry id) most likely a model given without --data (a usage error, 2).
          if (/[\\/]|\.(jsonl|json|csv)$/i.test(ref)) throw new PredictionFileError(`cannot read predictions ${ref}: no such file`, { code: 'PREDICTION_FILE_UNREADABLE' });
          throw new UsageError(`${ref}: no such predictions file; to compare models (registry ids, champion, directories), add --data <file(s)>`);
        }
      }
      // Checked before predicting and printing: a gate said to pass must not end in an --out refused (`-`, a
      // file); created only when the files are written, so a compare that fails before leaves no empty folder.
      // An --out that is an input file is refused as such; --challenger and --champion are files only without --data.
      const inputs = [...(data ?? [flags.challenger, flags.champion]), flags.config, flags.policy].filter((f) => f !== undefined);
      const out = flags.out !== undefined ? await checkOutput(ctx.cwd, flags.out, 'dir', '--out', inputs, ctx.home) : undefined;
      // Ctrl-C from here on (reading, predicting, the bootstrap, writing) stops at the next step, exit code 130: no gate
      // is recorded and --out is left as it was; a second quits at once.
      const interrupt =
        flags.out !== undefined
          ? stagedInterrupt(ctx, flags.out)
          : twoStepInterrupt(ctx, {
              stopping: (signal) => `stopping (${signal} again quits at once)`,
              quitting: 'quitting now; no gate was recorded',
              reason: new InterruptedError('interrupted: no gate was recorded'),
            });
      try {
        const pair = data !== undefined ? await checkModelPair(ctx, { challenger: flags.challenger, champion: flags.champion }) : undefined;
        const both =
          data !== undefined && pair !== undefined
            ? await predictBoth(ctx, { challenger: flags.challenger, champion: flags.champion }, pair.manifests, data, { configFile: flags.config, split, read, signal: interrupt.signal })
            : await readBothFiles(ctx, flags.challenger, flags.champion, interrupt.signal);
        const { renamed, older, warnings, self, taxonomies, readWith, lost } = both;
        const { challenger, champion } = personalMail(ctx, both);
        // Models by their id; prediction files by the model their lines name, else by the file's name.
        const name = async (ref: string, lines: readonly PredictionLine[]) => {
          if (flags.data !== undefined) return modelLabel(ctx, ref);
          const ids = modelIdsOf(lines);
          return ids.length === 1 && lines.every((l) => l.modelId !== undefined) ? ids[0] : path.basename(ref);
        };
        const names = { challenger: await name(flags.challenger, challenger), champion: await name(flags.champion, champion) };
        // The models' manifests: read with --data, else those of the registry versions the files' lines name (as
        // `evaluate --predictions` reads them), so that files and models compare alike.
        const manifests = pair?.manifests ?? { challenger: await registeredManifest(ctx.home, names.challenger), champion: await registeredManifest(ctx.home, names.champion) };
        const routingTask = pair?.routingTask ?? sharedRoutingTask(manifests);
        const progress = createProgress(ctx, 'compare');
        let comparison;
        try {
          // Each model's routing, so that the per-label figures count the mail each routes to a queue, as its own report does.
          const routing = manifests.challenger || manifests.champion ? { challenger: manifests.challenger?.routing, champion: manifests.champion?.routing } : undefined;
          comparison = comparePredictions(challenger, champion, { bootstrap: { resamples, seed }, onProgress: progress.update, ...(routing ? { routing } : {}), ...(taxonomies ? { taxonomies } : {}), ...(lost ? { lostLabels: lost } : {}) });
        } finally {
          progress.stop();
        }
        // Labels only one model knows (taxonomies that differ): what was left out of the comparison, said first, as it
        // changes what every figure below is measured on.
        const oneSided = readWith ? oneSidedLabelWarnings(comparison, readWith) : [];
        for (const w of oneSided) ctx.stderr.write(safeLines(`warning: ${w}\n`));
        const gate = applyGate(comparison, policy);
        // What the models do, before what the data is (rows a model was trained on), which the warnings from
        // predicting said: a lead reads the first ones. A challenger that answers far fewer emails automatically can
        // match the champion's figures: warned of, and the warning kept with the gate (PASS (warned) in the list;
        // approve repeats it). One that answers more at a lower precision (more mail misrouted) reads as a gain in the
        // answered share: warned of too. And a task the policy leaves out of the gate, at which the challenger is
        // clearly worse: the gate's own warning.
        warnings.unshift(...answeredDropWarnings(comparison), ...answeredPrecisionWarnings(comparison, routingTask), ...(gate.warnings ?? []));
        // What the challenger's training warned of and its manifest keeps (a retired queue whose mail is routed elsewhere): kept with the gate, which approve repeats.
        const challengerModel = manifests.challenger;
        const trained = trainingWarningsOf(challengerModel, 'challenger');
        for (const w of trained) ctx.stderr.write(safeLines(`warning: ${w}\n`));
        warnings.push(...trained);
        // A threshold that did not hold on these emails (chosen on too few validation rows, or rows unlike these): more
        // mail than intended is routed wrongly, which no figure of the gate shows. Said with the other model warnings.
        const targets = challengerModel === undefined ? undefined : targetPrecisionsOf(challengerModel);
        warnings.unshift(...oneSided, ...belowTargetWarnings(comparison, targets, routingTask ?? challengerModel?.routing.queueTask));
        // The policy file's path is the caller's: a code span, as the labels and ids of the lines below.
        const policyLine = `\nPolicy: ${source === 'default policy' ? source : codeSpan(path.relative(ctx.cwd, source) || source)}.\n`;
        // Recorded before the summary is printed, so that its Next line is true of the registry. Not when both
        // sides are one model's: a gate of a model against itself says nothing, and approve would take it as one.
        // A Ctrl-C that came while the bootstrap ran: no gate is recorded.
        interrupt.signal.throwIfAborted();
        const measured = () => measuredOn(ctx, data ?? [flags.challenger, flags.champion].filter((f): f is string => f !== undefined), data === undefined ? undefined : split, challenger.length);
        const kept = self === undefined ? await recordOnChallenger(ctx, names, gate, warnings, flags.record, measured) : {};
        const challengerVersion = kept.challenger;
        const why = self === undefined ? kept.notRecorded : `${self}, so the comparison shows no difference between models and no gate is kept in the registry.`;
        const notRecorded = why === undefined ? '' : `\nNot recorded: ${why}\n`;
        // What predicting warned of heads the summary (stdout, gate.md, the CI summary) and comparison.json, as evaluate's reports.
        const markdown = `${comparisonMarkdown(comparison, gate, names, warnings)}${policyLine}${afterGate(challengerVersion, names, gate.pass, renamed, older, new Set(warnings).size)}${notRecorded}`;
        ctx.stdout.write(safeLines(markdown));
        await appendCiSummary(ctx, markdown);
        if (out !== undefined && flags.out !== undefined) {
          const policyFile = source === 'default policy' ? null : source;
          // All three files, or (on a failure or Ctrl-C) none: not a new comparison.json beside an old gate.md.
          await writeStaged(ctx, flags.out, [], async (dir, signal) => {
            await writeFile(path.join(dir, 'comparison.json'), `${JSON.stringify({ challenger: names.challenger, champion: names.champion, policyFile, warnings, comparison, gate }, null, 2)}\n`);
            signal.throwIfAborted();
            await writeFile(path.join(dir, 'gate.md'), markdown);
            signal.throwIfAborted();
            // The picture's foot says what it shows, so that one copied into a ticket still does.
            const footer = `challenger ${names.challenger} · champion ${names.champion} · ${comparison.n} email${comparison.n === 1 ? '' : 's'} · ${new Date().toISOString().slice(0, 10)}`;
            await writeFile(path.join(dir, 'gate.html'), await comparisonHtml(markdown, comparison, gate, footer));
          }, inputs, interrupt);
        }
        if (!gate.pass) {
          const failed = gate.checks.filter((c) => !c.pass).map((c) => c.name);
          throw new GateFailedError(`gate failed: ${failed.join('; ')}`);
        }
      } finally {
        interrupt.release();
      }
    });
  // Checked by the action (in its own words), yet always needed: marked so in the help.
  requiredInHelp(command, '--challenger', '--champion');
}
