import { appendFile, open } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Option, type Command } from 'commander';
import {
  evaluatePredictions,
  evaluationMarkdown,
  EXAMPLES_FILE,
  MAX_EXAMPLES_PER_PAIR,
  MetricInputError,
  modelIdsOf,
  noPredictionLines,
  parsePredictionLine,
  predictionLineChunks,
  PredictionFileError,
  pyFixed,
  REPORT_PICTURE_FILE,
  writeEvaluationReport,
  type EvaluateOptions,
  type EvaluationReport,
  type ModelProvenance,
  type PredictionLine,
  seenInTrainingWarning,
  withoutAutomatedMail,
} from '@mailroute/evaluation';
import { writeFileAtomicChunks, type ClassifierTask, type Manifest } from '@mailroute/model';
import type { Email } from '@mailroute/preprocess';
import { loadTrainingConfig, namedDelimiter, preparePrediction, readProblem, resolveModelDir, type TrainingConfig } from '@mailroute/training';
import type { CliContext } from '../context.js';
import { untilAborted } from '../interrupt.js';
import { checkOutput, realPath } from '../output-path.js';
import { stagedInterrupt, writeStaged } from '../staged-output.js';
import { errorCodeInWords, OWNER_ONLY, systemCode } from '../write-output.js';
import { UsageError } from '../errors.js';
import { wholeNumber } from '../numbers.js';
import { requiredInHelp } from '../required-help.js';
import { createProgress, stagedProgress } from '../progress.js';
import { heldOutNearDuplicateWarning, targetPrecisionsOf, trainingFactsOf } from './training-facts.js';
import { cardProvenance, givenDirectory } from './card-provenance.js';
import { mistakesFile } from './evaluate-examples.js';
import { registeredManifest, trainingLanguagesOf } from './evaluate-languages.js';
import { safeLines, safeValue } from '../terminal-text.js';

/**
 * Reads and validates a predictions JSONL file (relative to the working directory), line by line: `predict`
 * writes files of any size in chunks, and one over 512 MB (140,000 lines of a 77-label task) is more than
 * a single string can hold.
 */
export async function readPredictionFile(ctx: CliContext, file: string, instead?: string, signal?: AbortSignal): Promise<PredictionLine[]> {
  const full = path.resolve(ctx.cwd, file);
  const lines: PredictionLine[] = [];
  try {
    const handle = await open(full);
    try {
      let n = 0;
      for await (const raw of createInterface({ input: handle.createReadStream({ encoding: 'utf8' }), crlfDelay: Infinity })) {
        n += 1;
        // Ctrl-C stops reading a big file at the next thousand lines.
        if (n % 1000 === 0) signal?.throwIfAborted();
        try {
          const line = parsePredictionLine(raw, `${file}:${n}`);
          if (line) lines.push(line);
        } catch (error) {
          // A data file given where prediction lines are read: said so, with the command that reads it.
          if (n === 1 && error instanceof PredictionFileError && looksLikeCsv(file, raw)) throw new PredictionFileError(`${error.message}: ${file} looks like CSV (a data file), not prediction lines (JSONL, one object per line, as mailroute predict writes)${instead ? `; ${instead}` : ''}`, { cause: error });
          throw error;
        }
      }
    } finally {
      await handle.close();
    }
  } catch (cause) {
    if (cause instanceof PredictionFileError || cause === signal?.reason) throw cause;
    throw new PredictionFileError(`cannot read predictions ${file}: ${readProblem(cause)}`, { cause, code: 'PREDICTION_FILE_UNREADABLE' });
  }
  signal?.throwIfAborted();
  if (lines.length === 0) throw noPredictionLines(file);
  return lines;
}

/** A file read as prediction lines whose first line is no JSON and looks like a CSV header or row: named .csv/.tsv, or split by commas, semicolons or tabs. */
function looksLikeCsv(file: string, firstLine: string): boolean {
  const text = firstLine.replace(/^\uFEFF/, '').trim();
  if (text.startsWith('{') || text.startsWith('[')) return false;
  return /\.(csv|tsv)(\.gz)?$/i.test(file) || /[,;\t]/.test(text);
}

/**
 * In GitHub Actions, appends Markdown to the job summary (`GITHUB_STEP_SUMMARY`); elsewhere does nothing. A summary
 * that cannot be written is warned of and changes nothing else: the command's exit code says its own outcome (a gate
 * that passed must not read as one that failed).
 */
export async function appendCiSummary(ctx: CliContext, markdown: string): Promise<void> {
  const file = ctx.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  try {
    await appendFile(file, `${markdown}\n`);
  } catch (error) {
    const code = systemCode(error);
    const why = code === undefined ? (error instanceof Error ? error.message : String(error)) : errorCodeInWords(code);
    ctx.stderr.write(safeLines(`warning: the job summary was not written (GITHUB_STEP_SUMMARY=${file}: ${why}); the command's outcome stands\n`));
  }
}

/** A `--model` value as the libraries take it: a path (it holds a separator or starts with `.`) made absolute, else a registry id or `champion`. */
export function modelRef(ctx: CliContext, model: string): string {
  return /[/\\]/.test(model) || model.startsWith('.') ? path.resolve(ctx.cwd, model) : model;
}

/** `--split`: only `test` (the rows the model was tested on when trained). */
export function parseSplitFlag(value: string | undefined): 'test' | undefined {
  if (value === undefined || value === 'test') return value;
  throw new UsageError(`--split takes "test" (the model's held-out rows), not "${value}"`);
}

/** How to read --data otherwise than the model's config says: predict's, evaluate's and compare's --on-bad-row and --delimiter. */
export interface ReadFlags {
  onBadRow?: 'fail' | 'skip';
  delimiter?: string;
}

/** The flags that override how the model's config reads --data; `--delimiter` takes one character or `tab`. */
export function addReadFlags(command: Command): Command {
  return command
    .addOption(
      new Option('--on-bad-row <mode>', "skip: leave out rows that cannot be read (no text, a bad date, a label the config does not know) and list them on stderr; fail: stop, listing the first (default: the model's config, fail unless it says skip)").choices(['fail', 'skip']),
    )
    .option('--delimiter <char>', 'CSV field delimiter of --data, one character or `tab` (default: the model\'s config, usually ","; when the header lacks its columns, the error names the common delimiter that gives them; a file whose first line is Excel\'s sep=; is split by the one it names)');
}

/** How the libraries read --data otherwise than the model's config says (the read flags, checked). */
export interface ReadOptions {
  onBadRow?: 'fail' | 'skip';
  delimiter?: string;
}

/** The read flags as the libraries take them; a bad --delimiter is a usage error (checked before any model loads). */
export function readOptions(flags: ReadFlags): ReadOptions {
  // `tab` in any case (TAB, Tab), or the escape `\t` typed as two characters: a tab.
  const delimiter = flags.delimiter === undefined ? undefined : flags.delimiter.toLowerCase() === 'tab' || flags.delimiter === '\\t' ? '\t' : flags.delimiter;
  if (delimiter !== undefined && delimiter.length !== 1) {
    // A name (semicolon, comma) is answered with the character to pass.
    const meant = namedDelimiter(delimiter);
    throw new UsageError(`--delimiter takes one character (or tab), not "${flags.delimiter}"${meant === undefined ? '' : `: pass --delimiter "${meant}"`}`);
  }
  return { ...(flags.onBadRow ? { onBadRow: flags.onBadRow } : {}), ...(delimiter !== undefined ? { delimiter } : {}) };
}

/**
 * Loads a model (registry id, `champion` or artifact directory) and reads and checks a labelled dataset
 * for it; `run` then predicts with a progress bar titled `title`.
 */
export async function prepareWithModel(
  ctx: CliContext,
  model: string,
  data: readonly string[],
  options: {
    configFile?: string;
    config?: TrainingConfig;
    split?: 'test';
    title: string;
    warnings?: string[];
    /** Warnings already on stderr (compare's other model said the same of the same rows): not printed again, still kept. */
    printed?: Set<string>;
    unknownTruthWarnings?: boolean;
    read?: ReadOptions;
    signal?: AbortSignal;
  },
): Promise<{ run(): Promise<PredictionLine[]>; release(): Promise<void>; modelId: string; ids: readonly string[]; places: readonly string[]; emails: readonly Email[]; config: TrainingConfig; tasks: ClassifierTask[]; manifest: Manifest; renamedLabels: string[] }> {
  const config = options.configFile !== undefined ? await loadTrainingConfig(path.resolve(ctx.cwd, options.configFile)) : options.config;
  // Reading a big export takes seconds: its own stage, before cleaning and predicting.
  const reading = stagedProgress(ctx, options.title);
  const say = (message: string): void => {
    if (options.printed?.has(message)) return;
    options.printed?.add(message);
    ctx.stderr.write(safeLines(`warning: ${message}\n`));
  };
  const prepared = await preparePrediction({
    model: modelRef(ctx, model),
    dataPath: data.map((d) => path.resolve(ctx.cwd, d)),
    ...(config ? { config } : {}),
    ...(options.configFile !== undefined ? { configFile: options.configFile } : {}),
    home: ctx.home,
    labels: 'required',
    ...options.read,
    ...(options.split ? { split: options.split } : {}),
    ...(options.unknownTruthWarnings === false ? { unknownTruthWarnings: false } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onWarning: (message) => {
      reading.clearLine();
      say(message);
      options.warnings?.push(message);
    },
    // Of the model, not of this measurement (a model trained under other cleaning): said, not kept with a gate or report.
    onModelNotice: (message) => {
      reading.clearLine();
      ctx.stderr.write(safeLines(`warning: ${message}\n`));
    },
    onReadProgress: reading.update,
  }).finally(() => reading.stop());
  // On the split training judged near-duplicates of its training rows: the model card's caveat heads the reports (and a comparison's summary) too.
  const near = heldOutNearDuplicateWarning(prepared.manifest, options.split);
  if (near !== undefined) {
    say(near);
    options.warnings?.push(near);
  }
  return {
    async run() {
      // Cleaned and predicted a chunk of rows at a time (`predict: 40%`); `signal` stops it at the next chunk.
      const progress = stagedProgress(ctx, options.title);
      try {
        return await prepared.run(progress.update, options.signal);
      } finally {
        progress.stop();
      }
    },
    release: () => prepared.release(),
    modelId: prepared.modelId,
    ids: prepared.ids,
    places: prepared.places,
    emails: prepared.emails,
    config: prepared.config,
    tasks: prepared.tasks,
    manifest: prepared.manifest,
    renamedLabels: prepared.renamedLabels,
  };
}

/**
 * Runs a model on a labelled dataset: prediction lines, the model's manifest, its labels the config the rows were
 * read with names otherwise (`task: old -> new`), and per task the labels that config retires.
 */
export async function predictWithModel(
  ctx: CliContext,
  model: string,
  data: readonly string[],
  options: { configFile?: string; split?: 'test'; title: string; warnings?: string[]; read?: ReadOptions; checkModelId?: (modelId: string) => void; signal?: AbortSignal },
): Promise<{ lines: PredictionLine[]; manifest: Manifest; renamedLabels: string[]; retired: Record<string, string[]>; ids: readonly string[]; emails: readonly Email[] }> {
  const prepared = await prepareWithModel(ctx, model, data, options);
  try {
    // Before predicting, which on a large export takes minutes.
    options.checkModelId?.(prepared.modelId);
    if (prepared.renamedLabels.length > 0) ctx.stderr.write(`note: the model's labels are scored under the config's names: ${prepared.renamedLabels.map(safeValue).join(', ')}\n`);
    const lines = await prepared.run();
    return { lines, manifest: prepared.manifest, renamedLabels: prepared.renamedLabels, retired: retiredLabels(prepared.config), ids: prepared.ids, emails: prepared.emails };
  } finally {
    await prepared.release();
  }
}

/**
 * What a model says of its operating points: each task's threshold, its routing (which task routes mail, so that the
 * reports say `routed` of it alone and `other` routes nowhere) and what each threshold was chosen for (its own target,
 * else the run's: the reports say when a task falls short of it on these emails). None without a model.
 */
function operatingOptions(manifest: Manifest | undefined): Pick<EvaluateOptions, 'thresholds' | 'routing' | 'targetPrecision'> {
  if (manifest === undefined) return {};
  const targetPrecision = targetPrecisionsOf(manifest);
  return { thresholds: Object.fromEntries(manifest.tasks.map((t) => [t.name, t.threshold])), routing: manifest.routing, ...(targetPrecision === undefined ? {} : { targetPrecision }) };
}

/**
 * Per task, the labels a training config retires: a model trained before still predicts them, and evaluate leaves
 * them out of macro-F1 (no email can have one), as compare leaves out a label only one model knows.
 */
export function retiredLabels(config: Pick<TrainingConfig, 'tasks'>): Record<string, string[]> {
  return Object.fromEntries(config.tasks.filter((t) => t.retired.length > 0).map((t) => [t.name, [...t.retired]]));
}

/** The model id shown in reports for a `--model` reference: the registry version (also for `champion`) or the directory name. */
export async function modelLabel(ctx: CliContext, model: string): Promise<string> {
  const ref = modelRef(ctx, model);
  try {
    return path.basename(await resolveModelDir(ref, ctx.home));
  } catch {
    return path.basename(ref);
  }
}

/** A whole-number option of evaluate and compare, undefined when not given (see wholeNumber). */
export function parseIntFlag(name: string, value: string | undefined, min: number, max?: number): number | undefined {
  return value === undefined ? undefined : wholeNumber(name, value, min, max);
}

/** A comma-separated option (`--slice-by`, `--top-k`), each value once: `language,language` sliced twice. */
function parseList(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : [...new Set(value.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
}

interface EvaluateFlags extends ReadFlags {
  predictions?: string;
  model?: string;
  data?: string[];
  split?: string;
  config?: string;
  out?: string;
  name?: string;
  modelId?: string;
  bins?: string;
  topK?: string;
  sliceBy?: string;
  examples?: string;
  png: boolean;
}

/** `evaluatePredictions`, its refusals (a task labelled but never predicted) naming the file the lines come from. */
function evaluateNaming(source: string, ...args: Parameters<typeof evaluatePredictions>): EvaluationReport {
  try {
    return evaluatePredictions(...args);
  } catch (error) {
    if (error instanceof MetricInputError) throw new MetricInputError(`${source}: ${error.message}`);
    throw error;
  }
}

function summary(report: EvaluationReport): string {
  const rows = report.tasks.map((t) => {
    const m = t.metrics;
    // Rounded as the reports round them (Python's %f, ties to even): 29 of 32 right reads 0.9062 here as in report.md.
    return `${t.task.padEnd(16)} ${String(m.n).padStart(7)} ${pyFixed(m.accuracy, 4).padStart(9)} ${pyFixed(m.macro.f1, 4).padStart(9)} ${pyFixed(m.weighted.f1, 4).padStart(12)}`;
  });
  return [`${'task'.padEnd(16)} ${'n'.padStart(7)} ${'accuracy'.padStart(9)} ${'macro-F1'.padStart(9)} ${'weighted-F1'.padStart(12)}`, ...rows].join('\n');
}

export function registerEvaluate(program: Command, ctx: CliContext): void {
  const command = program
    .command('evaluate')
    .description('Evaluate predictions or a model: metrics, reports and pictures')
    .option('--predictions <file>', 'predictions JSONL (one {"id","modelId","truth","prediction","meta"} object per line, as mailroute predict writes)')
    .option('--model <ref>', 'registry id, `champion`, or a model directory, to run on --data first')
    .option('--data <files...>', 'labelled test set (CSV or JSONL file(s)) for --model')
    .option('--split <name>', '"test": evaluate on the rows --model held out when trained from --data (the same file(s))')
    .option('--config <file>', 'training config to read --data with (default: the one stored in the model)');
  addReadFlags(command)
    .option('--out <dir>', 'report directory: metrics.json (and metrics.schema.json, its JSON Schema), report.txt, report.md, report.html, model-card.md, pictures/; with --model, predictions.jsonl too (the prediction lines, as predict writes them)')
    .option('--name <name>', 'name of the test set in the reports')
    .option('--model-id <id>', 'model id shown in the reports (default: the model\'s, or the one the prediction lines name; refused when they name another)')
    .option('--bins <n>', 'reliability diagram bins (1 to 100)', '10')
    .option('--top-k <list>', 'k values for top-k accuracy, comma-separated', '3,5')
    .option('--slice-by <keys>', 'meta keys to slice by, comma-separated (default: every small categorical key)')
    .option('--examples <n>', `with --model: also write ${EXAMPLES_FILE}, up to n example emails (1 to ${MAX_EXAMPLES_PER_PAIR}) of each most confused pair, cleaned and PII-masked, the most confident mistakes first`)
    .option('--no-png', 'write SVG pictures only')
    .action(async (flags: EvaluateFlags) => {
      const modelMode = flags.model !== undefined || flags.data !== undefined;
      if (modelMode && flags.predictions !== undefined) throw new UsageError('give either --predictions or --model with --data, not both');
      if (modelMode && (flags.model === undefined || flags.data === undefined)) throw new UsageError('--model and --data go together');
      if (!modelMode && flags.predictions === undefined) throw new UsageError('evaluate needs --predictions <file> (or --model with --data)');
      if (flags.out === undefined) throw new UsageError('evaluate needs --out <dir>');
      // More bins than a reliability diagram can show only swell metrics.json and report.html.
      const bins = parseIntFlag('--bins', flags.bins, 1, 100);
      // Each k once: `3,3` gave metrics.json and the reports two top-3 rows.
      const topK = parseList(flags.topK)?.map((k) => parseIntFlag('--top-k', k, 1) as number).filter((k, i, all) => all.indexOf(k) === i);
      const split = parseSplitFlag(flags.split);
      if (split && !modelMode) throw new UsageError('--split goes with --model and --data');
      const examples = parseIntFlag('--examples', flags.examples, 1, MAX_EXAMPLES_PER_PAIR);
      if (examples !== undefined && !modelMode) throw new UsageError('--examples goes with --model and --data: prediction lines hold no email text');
      if (!modelMode && (flags.onBadRow !== undefined || flags.delimiter !== undefined || flags.config !== undefined)) {
        throw new UsageError('--config, --on-bad-row and --delimiter go with --model and --data (they say how to read --data)');
      }
      const read = readOptions(flags);
      // Checked now, created only to write the report: a run that fails on its input leaves no empty folder.
      // An --out that is an input file (the predictions, say) is refused, naming it as such.
      const inputs = [flags.predictions, ...(flags.data ?? []), flags.config].filter((f) => f !== undefined);
      const out = await checkOutput(ctx.cwd, flags.out, 'dir', '--out', inputs, ctx.home);
      // Ctrl-C from here on (reading, predicting, scoring, writing) stops at the next step, exit code 130, leaving
      // --out as it was; a second quits at once.
      const interrupt = stagedInterrupt(ctx, flags.out);
      try {
        let lines: PredictionLine[];
        let dataset: string;
        /** Where the lines come from, for errors about them: the predictions file, or --data. */
        const source = flags.predictions ?? (flags.data ?? []).join(', ');
        let modelId = flags.modelId;
        /** What predicting warned about (e.g. the data is the model's training data): said in the model card too. */
        const warnings: string[] = [];
        /** Files written besides the report's own (the predictions, with --model). */
        let extraFiles = 0;
        /** The model's manifest, with --model: its thresholds go beside each task's operating point, its routing names the task that routes. */
        let manifest: Manifest | undefined;
        /** With --model: its labels scored under the config's names, and the labels that config retires (left out of macro-F1). */
        let taxonomy: { renamedLabels: string[]; retired: Record<string, string[]> } | undefined;
        /** With --model: the rows predicted (their ids and emails), for --examples. */
        let rows: { ids: readonly string[]; emails: readonly Email[] } | undefined;
        /** The model card's training run, commit and registry status: with --model, read from the registry and the run records. */
        let provenance: ModelProvenance = { registry: { unread: 'prediction-lines' } };
        /** The model's training emails per language (its manifest's): the reports mark and warn of mail in the others. */
        let trainingLanguages: Record<string, number> | undefined;
        /** With --predictions: the manifest of the registered model the lines name, for its thresholds, routing and targets. */
        let registered: Manifest | undefined;
        if (flags.model !== undefined && flags.data !== undefined) {
          // As with --predictions: the report of a model does not carry another model's id (its kept predictions name the model).
          const checkModelId = (actual: string) => {
            if (modelId !== undefined && actual !== modelId) throw new UsageError(`model ${flags.model} is ${actual}, not ${modelId}: leave out --model-id, or give that model`);
          };
          const predicted = await predictWithModel(ctx, flags.model, flags.data, { configFile: flags.config, split, title: 'predict', warnings, read, checkModelId, signal: interrupt.signal });
          lines = predicted.lines;
          manifest = predicted.manifest;
          trainingLanguages = trainingLanguagesOf(manifest);
          taxonomy = { renamedLabels: predicted.renamedLabels, retired: predicted.retired };
          rows = { ids: predicted.ids, emails: predicted.emails };
          dataset = flags.name ?? `${flags.data.map((d) => path.basename(d)).join(' + ')}${split ? ' (held-out test split)' : ''}`;
          modelId ??= await modelLabel(ctx, flags.model);
          const directory = await givenDirectory(modelRef(ctx, flags.model));
          provenance = await cardProvenance(ctx.home, { modelId: manifest.modelId, ...(directory === undefined ? {} : { directory }) });
        } else {
          const file = flags.predictions as string;
          const model = '<id|champion>';
          lines = await readPredictionFile(
            ctx,
            file,
            `to evaluate a model on it: \`mailroute evaluate --model ${model} --data ${file} --out ${flags.out}\` (add --split test for the rows it held out, if it was trained on this file), or predict it first: \`mailroute predict --model ${model} --data ${file} --out predictions.jsonl\``,
            interrupt.signal,
          );
          dataset = flags.name ?? path.basename(file);
          // The lines say which model wrote them (mailroute predict): a report must not carry another's name.
          const written = modelIdsOf(lines);
          if (modelId !== undefined && written.length > 0 && !written.includes(modelId)) {
            throw new UsageError(`${file} was written by model ${written.join(', ')}, not ${modelId}: leave out --model-id, or give that model's predictions`);
          }
          if (written.length > 1) {
            const warning = `${file} holds predictions of ${written.length} models (${written.join(', ')}): its metrics mix them`;
            ctx.stderr.write(safeLines(`warning: ${warning}\n`));
            warnings.push(warning);
          }
          if (written.length === 1) modelId ??= written[0];
          // The model that wrote the lines, where this home registers it: its training languages, and its routing and
          // targets for the operating points (`other` routes nowhere, a shortfall is warned of), as with --model.
          if (written.length === 1) {
            registered = await registeredManifest(ctx.home, written[0]);
            trainingLanguages = registered && trainingLanguagesOf(registered);
          }
          // Lines predict marked as of emails the model trained on: the report of the file alone says so too.
          const seen = seenInTrainingWarning(lines);
          if (seen) {
            ctx.stderr.write(safeLines(`warning: ${seen}\n`));
            warnings.push(seen);
          }
        }
        // Automated mail (marked when predicted) is scored by no one: training leaves it out and serving routes it as such.
        // The predictions kept beside the report (--model) keep every line, as predict writes them.
        const predictedLines = lines;
        const personal = withoutAutomatedMail(lines);
        if (personal.warning !== undefined) {
          if (personal.lines.length === 0) {
            const all = lines.length === 1 ? 'the only line is' : `all ${lines.length} lines are`;
            throw new UsageError(`${all} automated mail (auto-replies, bounces: marked automated when predicted): there is nothing to score; evaluate on customers' mail`);
          }
          ctx.stderr.write(safeLines(`warning: ${personal.warning}\n`));
          warnings.push(personal.warning);
          lines = personal.lines;
        }
        const progress = createProgress(ctx, 'evaluate');
        let report: EvaluationReport;
        let files: string[] = [];
        try {
          report = evaluateNaming(source, lines, {
            dataset,
            ...(modelId !== undefined ? { modelId } : {}),
            // With the model at hand, its routing says which task routes mail: the reports say `routed` of that task alone.
            ...operatingOptions(manifest ?? registered),
            // Kept in report.md and the model card, not only said on the terminal; a retired label the model still gives is no class of the average.
            ...(taxonomy ?? {}),
            ...(trainingLanguages ? { trainingLanguages } : {}),
            createdAt: new Date().toISOString(),
            bins,
            topK,
            sliceBy: parseList(flags.sliceBy),
            warnings,
            onProgress: (done, total, label) => progress.update(done, total * 2, label),
          });
          // What the lines leave out or count twice (a task no line has a label for, repeated ids, labelled lines
          // unpredicted): said now, as predicting's warnings are, and again under the figures.
          const found = (report.warnings ?? []).slice(warnings.length);
          if (found.length > 0) progress.clearLine();
          for (const w of found) ctx.stderr.write(safeLines(`warning: ${w}\n`));
          warnings.push(...found);
          // Only now, with the report made, is the directory's last report replaced, and only once the new one is
          // written whole (a failure or Ctrl-C while writing leaves it as it was). A directory reused for another
          // report keeps none of the last one's pictures or predictions beside it; files of the user's stay.
          const predictionsFile = path.join(out, 'predictions.jsonl');
          // Links followed: the same file reached through a link to --out (or from it) is the same file.
          const readFromThere = flags.predictions !== undefined && (await realPath(path.resolve(ctx.cwd, flags.predictions))) === (await realPath(predictionsFile));
          const tasks = report.tasks.length;
          const mistakes = examples !== undefined && rows !== undefined && manifest !== undefined ? mistakesFile(report, lines, rows, manifest, examples) : undefined;
          // An earlier run's mistakes.md (masked customer mail, another model's) goes too when this one writes none. It
          // and predictions.jsonl (email text, ids with their labels) are the owner's alone whatever the umask; the
          // report's figures follow the umask.
          await writeStaged(ctx, flags.out, [EXAMPLES_FILE, ...(readFromThere ? [] : ['predictions.jsonl'])], async (dir, signal) => {
            if (flags.model !== undefined) {
              // Keep the predictions: `mailroute compare` and later evaluations can reuse them.
              // In chunks, as predict writes them: one string of every line can pass V8's string limit.
              await writeFileAtomicChunks(path.join(dir, 'predictions.jsonl'), untilAborted(predictionLineChunks(predictedLines, undefined, { parsed: true }), signal), { mode: OWNER_ONLY });
              extraFiles += 1;
            }
            files = await writeEvaluationReport(dir, report, {
              png: flags.png,
              ...(mistakes !== undefined ? { examples: mistakes } : {}),
              modelCard: { ...(manifest ? { training: trainingFactsOf(manifest) } : {}), provenance },
              // Rounded down: 100% only once the last file (report.html) is written, not with pictures still to render.
              onProgress: (done, all, label) => progress.update(tasks + Math.floor((done / all) * tasks), tasks * 2, label),
              signal,
            });
          }, inputs, interrupt, { ownerOnly: [EXAMPLES_FILE, 'predictions.jsonl'], earlierFiles: { pictures: REPORT_PICTURE_FILE } });
        } finally {
          progress.stop();
        }
        await appendCiSummary(ctx, evaluationMarkdown(report, { maxClasses: 10 }));
        // Said again under the figures: the first time scrolled away above the progress lines (a log's plain lines),
        // and standard output may go to a file of its own. Not where both streams are the terminal: there the progress
        // is one bar redrawn in place, the warnings stand just above the figures, and a repeat showed each twice.
        const bothOnTerminal = ctx.stdout.isTTY === true && ctx.stderr.isTTY === true;
        const repeat = bothOnTerminal ? '' : warnings.map((w) => `warning: ${w}\n`).join('');
        ctx.stdout.write(safeLines(`${summary(report)}\n\n${repeat}wrote ${files.length + extraFiles} files to ${out} (open report.html)\n`));
      } finally {
        interrupt.release();
      }
    });
  // Checked by the action (in its own words), yet always needed: marked so in the help.
  requiredInHelp(command, '--out');
}
