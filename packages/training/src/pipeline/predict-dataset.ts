import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { AUTOMATED_MAIL, manySeenInTraining, PredictionLineSchema, repeatedIds, repeatedIdsText, SEEN_IN_TRAINING, type PredictionLine } from '@mailroute/evaluation';
import { ArtifactError, Classifier, closestKey, createLocalRegistry, currentLabel, decodeSeenTexts, followAliases, noChampionError, nullRecord, ownValue, prepareModelInput, SEEN_TEXTS_FILE, type ClassifierTask, type Manifest, type ModelInput, type ModelRegistry } from '@mailroute/model';
import { automatedKind, type Email } from '@mailroute/preprocess';
import { formatOf, parseTrainingConfig, type TrainingConfig } from '../config.js';
import { dedupeKeyText, dedupeText, loadDataset, maskedNotInModel, uncomposedDedupeText, type Dataset, type DatasetRow } from '../data/dataset.js';
import { rowsThatTrain } from './recount-taxonomy.js';
import { checkOneDelimiter } from '../data/file-delimiters.js';
import { labelTally, quotedAsWritten, quotedCell } from '../data/quoted-cell.js';
import { splitDataset } from '../data/split.js';
import { OTHER_LABEL } from '../taxonomy.js';
import { DatasetError, SplitError, TrainingConfigError } from '../errors.js';
import { predictProbs, type OnProgress } from './evaluate-split.js';
import { inputsOf, prepareInputsStoppably, rowsFingerprint } from './model-rows.js';
import { badRowsWarning } from './bad-rows.js';
import { missingTextColumnWarnings } from './missing-text-columns.js';
import { labelCounts, skippedLabelWarnings, withLikelierGuess } from '../data/renamed-labels.js';

export interface PredictDatasetOptions {
  /** A registry id, `champion`, or an artifact directory. */
  model: string;
  dataPath: string | readonly string[];
  /** How to read the data; default: the training config stored in the model's manifest. */
  config?: TrainingConfig | unknown;
  /** The file `config` was read from (--config), for hints that say to change it. */
  configFile?: string;
  /** Overrides the config's `onBadRow` (predict's --on-bad-row): `skip` predicts the rows it can and says which it left out. */
  onBadRow?: 'fail' | 'skip';
  /** Overrides the config's CSV `delimiter` (predict's --delimiter), for an export written with another. */
  delimiter?: string;
  home: string;
  onProgress?: OnProgress;
  registry?: ModelRegistry;
  /**
   * `optional` (default): unlabelled emails can be scored; a file needs only a text column, and lacking
   * labels are `null` truths. `required` (for evaluation): as `optional`, and a file needs the label column
   * of one task at least; a task whose column it lacks has `null` truths (not measured).
   */
  labels?: 'optional' | 'required';
  /**
   * `test`: only the rows the model was tested on when trained, found again by splitting the data as its
   * training did (the data must be its training data: the hash is checked; labels are then required).
   */
  split?: 'test';
  /**
   * Told when the rows are the model's own training data (labels required, no split: its metrics flatter
   * it), repeat texts it was trained on, carry labels it does not know, or were skipped as bad rows.
   */
  onWarning?: (message: string) => void;
  /**
   * What is said of the model itself rather than of this data (one trained under other cleaning than this
   * version's: `inputFingerprintNote`); default: `onWarning`.
   */
  onModelNotice?: (message: string) => void;
  /** Whether to warn of truths under labels the model does not know (default true; not when its truths are replaced, as compare does). */
  unknownTruthWarnings?: boolean;
  /**
   * Ctrl-C: aborted, the work stops (throwing the signal's reason) once the data is read, and while predicting at the
   * next chunk of `PREDICTION_CHUNK` rows. Reading the files does not look at it.
   */
  signal?: AbortSignal;
}

/**
 * Rows cleaned, predicted and turned into lines at a time: a Ctrl-C stops predicting at the next chunk. The batch
 * predictProbs gives the model: a model's probabilities differ in their last bits with the batch an email is
 * predicted in, so chunks of this size give the lines of all the rows predicted at once, to the bit.
 */
export const PREDICTION_CHUNK = 2048;

/** The training config a model carries in its manifest, read as stored; refused when it carries none. */
export function modelTrainingConfig(manifest: Manifest): TrainingConfig {
  if (manifest.trainingConfig === undefined) throw new TrainingConfigError(`model ${manifest.modelId} carries no training config; pass one to read the data`);
  return parseTrainingConfig(manifest.trainingConfig, `training config of ${manifest.modelId}`, { stored: true });
}

/** Whether the model's data hash and test fingerprint keep ids made from file names (trained before `dataHashOf: 'rows'`). */
function namedHashes(manifest: Manifest): boolean {
  return manifest.training?.dataHashOf !== 'rows';
}

/** The data's hash as the model's training computed it. */
function hashOf(dataset: { dataHash: string; namedDataHash: string }, manifest: Manifest): string {
  return namedHashes(manifest) ? dataset.namedDataHash : dataset.dataHash;
}

/**
 * How the data's hash matches the model's: `composed` as it is made now; `uncomposed` as a model trained before the
 * dedupe text composed decomposed letters made it of data with such letters (its held-out fingerprint is made so
 * too); undefined when it is other data.
 */
function hashMatch(dataset: Pick<Dataset, 'dataHash' | 'namedDataHash' | 'uncomposedHashes'>, manifest: Manifest): 'composed' | 'uncomposed' | undefined {
  if (hashOf(dataset, manifest) === manifest.dataHash) return 'composed';
  if (dataset.uncomposedHashes !== undefined && hashOf(dataset.uncomposedHashes, manifest) === manifest.dataHash) return 'uncomposed';
  return undefined;
}

/**
 * Whether too few rows repeat training texts for the data to be the model's training data, which would repeat
 * them all but the test share (the seen-texts filter has no false negatives): then its files need not be read
 * again to compare hashes. Half that share, for rows training left out (no label, no text).
 */
function fewSeen(seen: SeenFlags | undefined, config: TrainingConfig): boolean {
  if (seen === undefined) return false;
  return seen.flags.filter(Boolean).length < 0.5 * (1 - config.split.testShare) * seen.flags.length;
}

/**
 * The file training merged into the other files' rows of the same emails (the retraining job's feedback file), by its
 * place among the files: read again, the files are merged the same way, or their rows (and hash) would differ.
 */
function supersedingRead(manifest: Manifest, paths: readonly string[]): { supersedingFile?: string } {
  const at = manifest.training?.supersedingFileIndex;
  return typeof at === 'number' && Number.isInteger(at) && at >= 0 && at < paths.length ? { supersedingFile: paths[at] } : {};
}

/** Whether these files are the data the model was trained on, read as its training read them. */
async function isTrainingData(classifier: Classifier, paths: string[], config: TrainingConfig, onProgress?: OnProgress): Promise<boolean> {
  try {
    // Read again (seconds for a big export): its progress is reported as the first read's.
    const dataset = await loadDataset(paths, config, { needsTime: config.split.kind === 'time', ...supersedingRead(classifier.manifest, paths), ...(onProgress ? { onProgress } : {}) });
    return hashMatch(dataset, classifier.manifest) !== undefined;
  } catch {
    return false;
  }
}

/** Per row, whether its text is one the model was trained or validated on (its seen-texts filter), and the filter's false-positive rate. */
interface SeenFlags {
  flags: boolean[];
  /** The chance that a row whose text the model never saw is flagged (each row is looked up by two texts). */
  falsePositiveRate: number;
  /** The rows' model input, made to look up the text the model read of each: scored from it, not cleaned again. */
  inputs: ModelInput[];
}

/** The rows' seen flags, by the artifact's seen-texts filter; undefined for a model without one. */
async function seenFlagsOf(classifier: Classifier, dir: string, rows: readonly DatasetRow[], signal?: AbortSignal, onProgress?: OnProgress): Promise<SeenFlags | undefined> {
  if (!(SEEN_TEXTS_FILE in classifier.manifest.files)) return undefined;
  const filter = decodeSeenTexts(await readFile(path.join(dir, SEEN_TEXTS_FILE)));
  if (typeof filter === 'string') throw new ArtifactError('ARTIFACT_MANIFEST_INVALID', `${filter} in ${dir}`);
  // Seconds for 100,000 rows: a bar of its own, not the finished bar of the read left on the screen.
  const inputs = await prepareInputsStoppably(rows, onProgress, signal, 'clean');
  // The filter holds the texts (their dedupe text), not the rows' digests of them: made again one row at a time. A
  // model trained before decomposed letters were composed holds such a text as it was written: looked up so too. And
  // the text the model read of the row, as its split grouped rows by (models trained since hold it): a training email
  // sent again under another signature or quoted reply.
  const has = (row: DatasetRow, i: number) => {
    if (filter.has(dedupeText(row.email)) || filter.has(dedupeKeyText(inputs[i].text))) return true;
    const uncomposed = uncomposedDedupeText(row.email);
    return uncomposed !== undefined && filter.has(uncomposed);
  };
  return { flags: rows.map(has), falsePositiveRate: 1 - (1 - filter.falsePositiveRate) ** 2, inputs };
}

/**
 * How many rows repeat a text the model was trained or validated on, by the artifact's seen-texts filter
 * (undefined for a model without one): a warning when that is more than the filter's false positives
 * explain, at least 3 rows and 1% of them.
 */
function seenRowsWarning(classifier: Classifier, seenFlags: SeenFlags | undefined, rows: readonly DatasetRow[]): string | undefined {
  if (seenFlags === undefined || rows.length === 0) return undefined;
  const seen = seenFlags.flags.filter(Boolean).length;
  if (!manySeenInTraining(seen, rows.length, rows.length * seenFlags.falsePositiveRate)) return undefined;
  const share = ((100 * seen) / rows.length).toFixed(seen === rows.length ? 0 : 1);
  return `${seen} of these ${rows.length} rows (${share}%) repeat texts model ${classifier.modelId} was trained or validated on: its metrics on them flatter it; evaluate on mail it has not seen`;
}

/** Per task, the labels the model's training dropped as rare (its manifest's `droppedAsRare`): masked in the data read for it. */
function droppedLabels(manifest: Manifest): Record<string, readonly string[]> {
  return Object.fromEntries(manifest.tasks.map((t) => [t.name, t.droppedAsRare ?? []]));
}

/**
 * Warnings of truths under labels the model does not have, per task. A task without `other`: those rows are left out
 * of its metrics (their truth is null in the prediction lines), as are, in one with `other`, those of a label its
 * training dropped as rare (masked, as in its own test split). In a task with `other`, the rest are scored as `other`:
 * rightly those its training merged into `other` for being rare (the manifest's `mergedIntoOther`, not said); any other
 * is a label it never met (a renamed or newer one), said with the count, that it is scored as other, and the alias that
 * scores it under a label of the model's.
 * `known`: each task's labels under the names of the config read with; `configFile`: the one given (--config).
 */
function notInModelWarnings(classifier: Classifier, notInModel: Record<string, Record<string, number>>, known: Record<string, readonly string[]>, rows: readonly DatasetRow[], config: TrainingConfig, configFile?: string): string[] {
  const dropped = droppedLabels(classifier.manifest);
  const hasOther = (task: string) => classifier.tasks.find((t) => t.name === task)?.labels.includes(OTHER_LABEL) === true;
  const left = new Map(maskedNotInModel(notInModel, hasOther, dropped));
  return Object.entries(notInModel).flatMap(([task, labels]) => {
    const said: string[] = [];
    const masked = left.get(task);
    if (masked !== undefined) said.push(leftOutWarning(classifier, task, masked, dropped, known, rows, configFile));
    if (hasOther(task)) {
      const merged = mergedNames(classifier.manifest, task, config);
      const unmet = Object.fromEntries(Object.entries(labels).filter(([label]) => !merged.has(label) && !ownValue(dropped, task)?.includes(label)));
      if (Object.keys(unmet).length > 0) said.push(asOtherWarning(classifier, task, unmet, known, rows, configFile));
    }
    return said;
  });
}

/**
 * Per task of the model, the rows whose truth is a label the config read with retires (`queue: 57 row(s) carry a label
 * config.json retires (payments_transfers x57): ...`): masked, their truth blank in the prediction lines and left out of the
 * figures, as training masks them. `configFile`: the config given (its file, or how it was given); undefined when
 * read with the model's own.
 */
function retiredTruthWarnings(classifier: Classifier, taxonomy: Dataset['taxonomy'], configFile: string | undefined): string[] {
  const config = configFile === undefined ? `model ${classifier.modelId}'s training config` : configFile;
  return taxonomy.flatMap((report) => {
    if (!classifier.tasks.some((t) => t.name === report.task)) return [];
    const labels = Object.fromEntries(Object.entries(report.retiredLabels ?? {}).filter(([, n]) => n > 0));
    const { total, sorted, shown } = labelTally(labels);
    if (total === 0) return [];
    return [
      `${report.task}: ${total} row(s) carry ${sorted.length === 1 ? 'a label' : 'labels'} ${config} retires (${shown}): masked, as training masks them, so their truth is ` +
        `blank in the prediction lines and they are left out of its metrics; the model predicts a label of task ${report.task} for them all the same`,
    ];
  });
}

/** Truths under labels the model does not have that are masked: left out of its metrics. */
function leftOutWarning(classifier: Classifier, task: string, labels: Record<string, number>, dropped: Record<string, readonly string[]>, known: Record<string, readonly string[]>, rows: readonly DatasetRow[], configFile?: string): string {
  const { total, sorted, shown } = labelTally(labels);
  const head = `${task}: ${total} row(s) whose truth is a label model ${classifier.modelId} does not know (${shown}) are left out of its metrics (their truth is null in the prediction lines)`;
  const renamed = sorted.map(([label]) => label).filter((label) => !ownValue(dropped, task)?.includes(label));
  if (renamed.length === 0) return `${head}: its training dropped ${sorted.length === 1 ? 'that label' : 'those labels'} as too rare to learn ("rare": "drop")`;
  return `${head}; ${aliasHint(task, renamed[0], ownValue(known, task) ?? [], rows, configFile)}`;
}

/**
 * Truths under labels the model never met, in a task with `other`: scored as `other`, as its own test split scored
 * labels it did not learn, so a right answer under the label's old name counts as a miss. A model trained before
 * manifests recorded the labels merged into `other` (`mergedIntoOther`) cannot tell them apart: said so.
 */
function asOtherWarning(classifier: Classifier, task: string, labels: Record<string, number>, known: Record<string, readonly string[]>, rows: readonly DatasetRow[], configFile?: string): string {
  const { total, sorted, shown } = labelTally(labels);
  const [first] = sorted[0];
  const why = recordsMerged(classifier.manifest)
    ? `its training merged no such label into ${OTHER_LABEL}`
    : `model ${classifier.modelId} was trained before mailroute recorded which labels it merged into ${OTHER_LABEL} for being rare, so some may be such labels, rightly ${OTHER_LABEL}`;
  const head = `${task}: ${total} row(s) whose truth is a label model ${classifier.modelId} does not know (${shown}) are scored as truth ${OTHER_LABEL} (their truth is ${OTHER_LABEL} in the prediction lines), though ${why}: its answers under a label of its own count as misses`;
  const asOther = `"aliases": {${aliasKey(first)}: ${JSON.stringify(OTHER_LABEL)}}`;
  return `${head}; ${aliasHint(task, first, ownValue(known, task) ?? [], rows, configFile)}; if it is mail the model rightly sends to ${OTHER_LABEL}, ${asOther} says so`;
}

/** Whether the manifest records the labels its training merged into `other` (every model trained with `training.dataHashOf`, which came after). */
function recordsMerged(manifest: Manifest): boolean {
  return !namedHashes(manifest) || manifest.tasks.some((t) => t.mergedIntoOther !== undefined);
}

/**
 * The labels of a task that the model's training merged into `other` for being rare (its manifest's `mergedIntoOther`),
 * under their names in the manifest and under those that `config`'s aliases give them (a newer config renaming one).
 */
function mergedNames(manifest: Manifest, task: string, config: TrainingConfig): Set<string> {
  const merged = manifest.tasks.find((t) => t.name === task)?.mergedIntoOther ?? [];
  const aliases = config.tasks.find((t) => t.name === task)?.aliases ?? {};
  return new Set([...merged, ...merged.map((label) => followAliases(aliases, label).label)]);
}

/**
 * How to score truths under `label`, which the model does not know, when it is the new name of one of its labels (a
 * newer export): read the data with a config whose aliases rename that label to it, as the newer taxonomy's config
 * does; the model is then scored under the new name. The model's label it most likely renames is guessed among those
 * no row here has (one left alone, or one sharing a word with it), named in the alias to copy.
 */
function aliasHint(task: string, label: string, known: readonly string[], rows: readonly DatasetRow[], configFile: string | undefined): string {
  const counts = labelCounts(rows.map((r) => r.labels[task]));
  const emptied = known.filter((l) => l !== OTHER_LABEL && !counts.has(l));
  const guess = emptied.length === 1 ? emptied[0] : withLikelierGuess({ task, label, rows: 0, labels: emptied }, counts).guess;
  const candidates = guess === undefined && emptied.length > 0 ? ` (its labels no row here has: ${emptied.slice(0, 5).join(', ')}${emptied.length > 5 ? ', …' : ''})` : '';
  const alias = `"aliases": {${JSON.stringify(guess ?? '<its label>')}: ${aliasKey(label)}} in task ${task}`;
  const where = configFile === undefined ? 'pass --config <a training config whose aliases rename that label to it (the newer taxonomy\'s config)>, e.g. with' : `add to ${configFile}`;
  return `${typoHint(label, known, counts, guess)}if ${quotedCell(label)} is the new name of one of the model's labels${candidates}, ${where} ${alias}`;
}

/**
 * `did you mean "card_arrival", a label of the model's (34 rows here)? If those cells mistype it, correct them in the
 * data; `: the model's label closest to `label` by the spelling rule of the labels' "did you mean" (`closestKey`: a few
 * edits, or the mistyped start of a longer label), when there is one and it is not already the rename guessed (`renamed`).
 * A task that lists no labels reads any cell, so a typo in the data is first found here; empty when no label is close.
 */
function typoHint(label: string, known: readonly string[], counts: ReadonlyMap<string, number>, renamed: string | undefined): string {
  const near = closestKey(label, known, { prefixes: true });
  if (near === undefined || near === renamed) return '';
  const rows = counts.get(near) ?? 0;
  return `did you mean ${JSON.stringify(near)}, a label of the model's${rows > 0 ? ` (${rows} row${rows === 1 ? '' : 's'} here)` : ''}? If those cells mistype it, correct them in the data; `;
}

/** A data label in an alias to copy: as JSON when its quote shows it as written (`quotedAsWritten`), else a placeholder, not the cell unmasked. */
function aliasKey(label: string): string {
  return quotedAsWritten(label) ? JSON.stringify(label) : '"<that label, as the export writes it>"';
}

/**
 * What to do when --split test is given other data than the model's: a separate test file is the sound
 * measure. Leaving out --split is said with its cost: a file that overlaps the training data (a later export
 * of the same CRM) has rows the models trained on, which flatter them.
 */
const NOT_TRAINING_DATA_HINT =
  'to measure on other data, give a separate test file of emails the model(s) never trained on, without --split; ' +
  'or give the file(s) it was trained on to score its held-out rows. (Leaving out --split with this file scores all its rows, rows the model(s) trained on included.)';

/**
 * The held-out test rows of a model's training data, split again exactly as its training split them, with
 * their model input when the split needed it (cleaned once, not again for scoring).
 */
async function heldOutRows(classifier: Classifier, paths: string[], config: TrainingConfig): Promise<{ rows: DatasetRow[]; inputs?: ModelInput[] }> {
  const { manifest, modelId } = classifier;
  const testedOn = manifest.training?.testedOn;
  if (testedOn !== 'held-out-split') {
    const file = typeof manifest.training?.testFile === 'string' ? ` ${manifest.training.testFile}` : '';
    const why =
      testedOn === 'external-file'
        ? `was tested on a separate file${file} (train --test-data): its test rows are that file, so give it as --data without --split`
        : testedOn === 'validation-split'
          ? 'was trained without a test split (testShare 0): it held out no rows to score, so give a test file of emails it never trained on as --data, without --split'
          : 'does not record how it was tested (trained before mailroute kept it): give a test file of emails it never trained on as --data, without --split';
    throw new SplitError(`--split test: model ${modelId} ${why}`);
  }
  let dataset: Awaited<ReturnType<typeof loadDataset>>;
  try {
    // Read as training read it: under a time split with skip, rows without a received time were left out.
    dataset = await loadDataset(paths, config, { forModel: true, needsTime: config.split.kind === 'time', ...supersedingRead(manifest, paths) });
  } catch (error) {
    // The training data was read with this config when the model was trained: rows or columns it cannot read
    // mean other data; a file it cannot open or decode is said as it is.
    // Another delimiter splits the header into the wanted columns: the same data, perhaps, exported otherwise.
    if (error instanceof DatasetError && error.delimiter !== undefined) {
      const shown = (d: string) => (d === '\t' ? 'tab' : `"${d}"`);
      throw new DatasetError('DATASET_FILE_INVALID', `--split test: ${paths.join(', ')} cannot be read with the training config of model ${modelId} (delimiter ${shown(config.delimiter)}): ${error.message}`, error.problems, { cause: error, delimiter: error.delimiter });
    }
    const otherData = error instanceof DatasetError && (error.code === 'DATASET_ROW_INVALID' || error.reason !== undefined);
    if (!otherData) throw error;
    const why = error.code === 'DATASET_ROW_INVALID' ? `read with its training config it has bad rows: ${error.problems[0] ?? error.message}` : `its training config cannot read it: ${error.message}`;
    throw new DatasetError('DATASET_MISMATCH', `--split test: ${paths.join(', ')} is not the data model ${modelId} was trained on (${why}); ${NOT_TRAINING_DATA_HINT}`, error.problems, { cause: error });
  }
  const dataHash = hashOf(dataset, manifest);
  const match = hashMatch(dataset, manifest);
  if (match === undefined) {
    // Several files are read one after another, so the same files in another order are other data too.
    const order = paths.length > 1 ? ', or the same files in another order: give them in the order of training' : '';
    // Older models hashed the ids made from the file's name, so a renamed file was other data to them.
    const renamed = namedHashes(manifest) && config.columns.id === undefined ? ', or renamed: this model, trained by an older mailroute, counts the file\'s name, so give it its name of training' : '';
    throw new DatasetError('DATASET_MISMATCH', `--split test: ${paths.join(', ')} is not the data model ${modelId} was trained on (data hash ${dataHash.slice(0, 12)}, the model's ${manifest.dataHash.slice(0, 12)}: other data${order}${renamed}, or the same read differently by this version of mailroute; \`mailroute runs show ${modelId}\` lists the files it was trained on, in their order); ${NOT_TRAINING_DATA_HINT}`);
  }
  // Models that record it were split by the clean text (rows without text left out); older ones by the raw text.
  if (manifest.training?.splitKey !== 'clean-text') return { rows: splitDataset(dataset.rows, config.split).test };
  // The rows as training read them before its split (minCount over the rows that train: the split task's labels stratify it).
  const { prepared } = await rowsThatTrain(dataset.rows, dataset.taxonomy, config.tasks, manifest.featurizer.params);
  const test = splitDataset(prepared.rows, config.split, { keys: prepared.keys }).test;
  const expected = manifest.training?.testRowsFingerprint;
  if (typeof expected === 'string' && rowsFingerprint(test, { named: namedHashes(manifest), uncomposed: match === 'uncomposed' }) !== expected) {
    throw new SplitError(
      `--split test: the rows model ${modelId} held out cannot be found again in ${paths.join(', ')}: the same data splits differently now (the cleaning changed since the model was trained, so other rows count as duplicates); evaluate it on a separate test file instead`,
    );
  }
  return { rows: test, inputs: inputsOf(prepared, test) };
}

async function isArtifactDir(p: string): Promise<boolean> {
  try {
    return (await stat(path.join(p, 'manifest.json'))).isFile();
  } catch {
    return false;
  }
}

/** A model reference as the CLI takes it: a directory, `champion`, or a registry id. */
export async function resolveModelDir(model: string, home: string, registry?: ModelRegistry): Promise<string> {
  if (await isArtifactDir(model)) return path.resolve(model);
  // A path (registry ids never hold a separator) that is not an artifact: say so, not "no such id".
  if (path.isAbsolute(model) || /[/\\]/.test(model)) {
    const kind = await stat(model).then((s) => (s.isDirectory() ? 'dir' : 'file'), () => 'none');
    const what = kind === 'none' ? 'no such directory' : kind === 'file' ? 'a file, not a model directory' : 'no manifest.json here, so not a model directory';
    throw new ArtifactError('ARTIFACT_MISSING', `${model}: ${what} (a model is a registry id, champion, or a directory written by mailroute train)`);
  }
  const reg = registry ?? createLocalRegistry({ home });
  if (model === 'champion') {
    const champion = await reg.champion();
    if (!champion) {
      // start's and serve's code, worded for what the registry holds (nothing to approve when it is empty).
      const versions = await reg.list();
      throw noChampionError(home, versions, `name ${versions.length > 0 ? 'a version or ' : ''}a model directory instead of champion`);
    }
    return reg.artifactDir(champion.id);
  }
  return reg.artifactDir(model);
}

/** A model loaded and its rows read and checked, not yet predicted: `run` scores them, `release` frees the model. */
export interface PreparedPrediction {
  modelId: string;
  rows: number;
  /** The ids of the rows to predict, in order (compare checks that two models' held-out rows are the same). */
  ids: readonly string[];
  /** Where each of those rows is, `file:line` (the file as given), in the same order: compare names the rows whose ids repeat. */
  places: readonly string[];
  /** Each of those rows' email as read (not cleaned), in the same order: evaluate shows some as examples of mistakes. */
  emails: readonly Email[];
  /** `task: old -> new`: the model's labels that the given config names otherwise (its aliases); scored under the new names. */
  renamedLabels: string[];
  /** The config the rows were read with (the given one, else the model's own). */
  config: TrainingConfig;
  /** The model's tasks, with the aliases of its training config. */
  tasks: ClassifierTask[];
  /** The model's manifest (its thresholds and training facts, for the reports). */
  manifest: Manifest;
  /** Every row's line; `signal` stops it at the next chunk of rows. */
  run(onProgress?: OnProgress, signal?: AbortSignal): Promise<PredictionLine[]>;
  /** Scores every row; each line is built as the result is iterated (once), so they need not all be held. */
  lines(onProgress?: OnProgress): Promise<Iterable<PredictionLine>>;
  /**
   * The rows' lines a chunk (`PREDICTION_CHUNK` rows) at a time, each chunk cleaned and predicted as it is asked
   * for: a writer holds one chunk, and `signal` stops it at the next one (throwing the signal's reason).
   */
  chunks(onProgress?: OnProgress, signal?: AbortSignal): AsyncGenerator<PredictionLine[]>;
  release(): Promise<void>;
}

/**
 * Loads the model and reads (and checks) the rows, without predicting: a caller with two models (compare)
 * finds a wrong file or split for either before spending time on the other's predictions.
 */
export async function preparePrediction(options: Omit<PredictDatasetOptions, 'onProgress'> & { onReadProgress?: OnProgress }): Promise<PreparedPrediction> {
  // Reading a big export takes seconds: reported (as training reads it), without stop points.
  const reading = options.onReadProgress && { onProgress: options.onReadProgress };
  const dir = await resolveModelDir(options.model, options.home, options.registry);
  // A model trained under other cleaning is said so: predict, evaluate and compare measure it on other input.
  const classifier = await Classifier.load(dir, { logger: { warn: (message) => (options.onModelNotice ?? options.onWarning)?.(message) } });
  try {
    const read = options.config === undefined ? modelTrainingConfig(classifier.manifest) : parseTrainingConfig(options.config, 'config', { stored: false });
    // The read flags win over either config.
    const overrides = { ...(options.onBadRow ? { onBadRow: options.onBadRow } : {}), ...(options.delimiter ? { delimiter: options.delimiter } : {}) };
    const config: TrainingConfig = { ...read, ...overrides };
    // Read with another config than the model's own (a newer taxonomy), its labels go by that config's names.
    const names = options.config === undefined ? undefined : labelNamesIn(config, classifier.tasks);
    const fixedLabels = Object.fromEntries(classifier.tasks.map((t) => [t.name, names?.[t.name] ?? t.labels]));
    // Labels training dropped as rare: their rows are masked, as in training's own test rows, not scored as `other`.
    const maskedLabels = droppedLabels(classifier.manifest);
    const paths = typeof options.dataPath === 'string' ? [options.dataPath] : [...options.dataPath];
    // A delimiter given for files read as JSONL splits nothing: said, not silently dropped.
    if (options.delimiter !== undefined && paths.every((file) => formatOf(config, file) === 'jsonl')) {
      options.onWarning?.(`--delimiter is not used: ${paths.length === 1 ? `${path.basename(paths[0])} is` : 'the files are'} read as JSONL (one JSON object a line), which no delimiter splits`);
    }
    // Files that no one delimiter reads: each one's own hint (pass --delimiter ";") would break the others.
    await checkOneDelimiter(paths.map((file) => ({ file, flag: '--data' })), config, options.split === 'test' ? 'all' : 'text');
    let rows: DatasetRow[];
    let inputs: ModelInput[] | undefined;
    /** The files' columns as read with the config given (or the model's own), for the warning of text they lack. */
    let fileColumns: Dataset['fileColumns'] = [];
    // The held-out rows are found as training read the data, by its own rule for bad rows (a row it skipped was in
    // no split: read as a bad row that fails, the data would be refused as other data).
    const trainingRead: TrainingConfig = { ...modelTrainingConfig(classifier.manifest), ...(options.delimiter ? { delimiter: options.delimiter } : {}) };
    if (options.split === 'test' && options.onBadRow !== undefined && options.onBadRow !== trainingRead.onBadRow) {
      options.onWarning?.(`--on-bad-row ${options.onBadRow} is not used to find the held-out rows: they are found as training read the data (its bad rows: ${trainingRead.onBadRow})`);
    }
    if (options.split === 'test' && options.config === undefined) ({ rows, inputs } = await heldOutRows(classifier, paths, trainingRead));
    else if (options.split === 'test') {
      // The held-out rows are found as training split them, with the model's own config (with another, a renamed
      // label or another minCount made the data hash differ, and the rows were refused as other data); their labels
      // are then read with the config given, as without --split.
      const held = await heldOutRows(classifier, paths, trainingRead);
      const relabelled = await loadDataset(paths, config, { fixedLabels, maskedLabels, keepUnlabelled: true, textColumnsOnly: true, labelColumn: options.labels === 'required', forModel: true, ...(options.configFile === undefined ? {} : { configFile: options.configFile }), ...reading });
      fileColumns = relabelled.fileColumns;
      const byPlace = new Map(relabelled.rows.map((r) => [`${r.file}\u0000${r.line}`, r]));
      // Cleaned again as the config given reads them (its text columns may be others).
      rows = held.rows.flatMap((r) => byPlace.get(`${r.file}\u0000${r.line}`) ?? []);
      if (rows.length < held.rows.length) options.onWarning?.(`${held.rows.length - rows.length} of the ${held.rows.length} held-out row(s) cannot be read with the config given (skipped as bad rows): not predicted or scored`);
    } else {
      // The hints name the config file given; read with the model's own config, they say to write one.
      const configFile = options.config === undefined ? undefined : options.configFile;
      const dataset = await loadDataset(paths, config, { fixedLabels, maskedLabels, keepUnlabelled: true, textColumnsOnly: true, labelColumn: options.labels === 'required', forModel: true, ...(configFile === undefined ? {} : { configFile }), ...reading });
      rows = dataset.rows;
      fileColumns = dataset.fileColumns;
      // What the config likely misreads in this file (literal \n in the text), as training warns of it.
      for (const warning of dataset.warnings) options.onWarning?.(warning);
      // With onBadRow skip, the rows left out are said, as training says them, with where they are.
      if (dataset.badRows > 0) options.onWarning?.(badRowsWarning(dataset.badRowPlaces, dataset.skipped, { what: 'skipped, not predicted' }));
      // A label skipped on all its rows is a class missing from the scores, which the count of bad rows does not say.
      for (const warning of skippedLabelWarnings(dataset.renamed, dataset.rows, 'not predicted or scored', configFile)) options.onWarning?.(warning);
      // Truths under labels the model never learnt (a config newer than the model): scored as other, or not at all.
      // Said by predict too (labels optional): a file with labels scored later by evaluate --predictions has those truths blank.
      if (options.unknownTruthWarnings !== false) for (const warning of notInModelWarnings(classifier, dataset.notInModel, fixedLabels, rows, config, configFile)) options.onWarning?.(warning);
      // Truths under a label the config retires: masked, as training masks them, which the reports' count of emails
      // without a label does not name.
      if (options.unknownTruthWarnings !== false) for (const warning of retiredTruthWarnings(classifier, dataset.taxonomy, options.config === undefined ? undefined : (options.configFile ?? 'the config given'))) options.onWarning?.(warning);
    }
    // Read for emails to predict, a file needs one text column only: one that lacks others the config reads (the body)
    // leaves the model reading less of each email than it was trained on, which nothing else would say.
    // (The held-out rows found with the model's own config are the rows it was trained from: none read here.)
    if (options.onWarning) {
      // The config file given is the one to change; a config given without one (compare's, the newer model's) is said as a model's own.
      const configFile = options.config === undefined ? undefined : options.configFile;
      for (const warning of missingTextColumnWarnings(fileColumns, config, configFile)) options.onWarning(warning);
    }
    // Reading a big export takes seconds, and does not stop for a Ctrl-C: it stops here.
    options.signal?.throwIfAborted();
    // Rows whose text the model was trained or validated on: marked on their lines (meta.seenInTraining), so that an
    // evaluation or a comparison of the lines alone (evaluate --predictions, compare on files) can say so too. Held-out
    // rows (--split test) never are.
    const seenFlags = options.split === undefined ? await seenFlagsOf(classifier, dir, rows, options.signal, options.onReadProgress) : undefined;
    // Said when the lines carry truths to score: always with labels required, and with optional ones when any row has one.
    const scored = options.labels === 'required' || rows.some((r) => Object.values(r.labels).some((l) => l !== null && l !== undefined));
    if (options.onWarning && scored && options.split === undefined) {
      // Reads the files again, hashing them.
      if (!fewSeen(seenFlags, config) && (await isTrainingData(classifier, paths, config, options.onReadProgress))) {
        const held = classifier.manifest.training?.testedOn === 'held-out-split' ? '; add --split test to measure it on the rows it held out' : '';
        options.onWarning(`these are the rows model ${classifier.modelId} was trained on (same data hash): its metrics on them flatter it${held}`);
      } else {
        const warning = seenRowsWarning(classifier, seenFlags, rows);
        if (warning) options.onWarning(warning);
      }
      options.signal?.throwIfAborted();
    }
    const scorer = rowScorer(classifier, rows, inputs ?? seenFlags?.inputs, names, seenFlags?.flags);
    return {
      modelId: classifier.modelId,
      rows: rows.length,
      ids: rows.map((r) => r.id),
      places: rows.map((r) => `${r.file}:${r.line}`),
      emails: rows.map((r) => r.email),
      config,
      tasks: [...classifier.tasks],
      manifest: classifier.manifest,
      renamedLabels: renamedOf(classifier.tasks, names),
      run: async (onProgress, signal) => {
        const lines: PredictionLine[] = [];
        for await (const chunk of scorer.chunks(onProgress, signal)) for (const line of chunk) lines.push(line);
        return lines;
      },
      lines: (onProgress) => scorer.lines(onProgress),
      chunks: (onProgress, signal) => scorer.chunks(onProgress, signal),
      release: () => classifier.release(),
    };
  } catch (error) {
    await classifier.release();
    throw error;
  }
}

/** Each task's labels under the names of `config` (its aliases followed): a model trained before a rename, read with the newer config. */
function labelNamesIn(config: TrainingConfig, tasks: readonly { name: string; labels: readonly string[] }[]): Record<string, string[]> {
  const byName = new Map(config.tasks.map((t) => [t.name, t]));
  return Object.fromEntries(
    tasks.map((task) => {
      const aliases = byName.get(task.name)?.aliases ?? {};
      return [task.name, task.labels.map((label) => currentLabel({ name: task.name, labels: task.labels, aliases }, label))];
    }),
  );
}

/** `task: old -> new` for every label that goes by another name. */
function renamedOf(tasks: readonly { name: string; labels: readonly string[] }[], names: Record<string, string[]> | undefined): string[] {
  if (!names) return [];
  return tasks.flatMap((task) => task.labels.flatMap((label, c) => (names[task.name][c] !== label ? [`${task.name}: ${label} -> ${names[task.name][c]}`] : [])));
}

/**
 * Scores the rows `PREDICTION_CHUNK` at a time, each chunk cleaned (unless its inputs are given) and predicted when
 * it comes, its lines built from the probabilities as they are iterated: a line with every label's score is about
 * 10 KB, so 100k rows held as lines (or as one string) would take over a gigabyte.
 */
function rowScorer(classifier: Classifier, rows: readonly DatasetRow[], prepared: readonly ModelInput[] | undefined, names?: Record<string, string[]>, seen?: readonly boolean[]) {
  const thresholds = new Map(classifier.manifest.tasks.map((t) => [t.name, t.threshold]));
  const tasks = classifier.tasks;
  /** Rows `start` to `end`, predicted; their lines built (once) as the result is iterated. */
  const score = async (start: number, end: number): Promise<Iterable<PredictionLine>> => {
    const inputs = prepared?.slice(start, end) ?? rows.slice(start, end).map((row) => prepareModelInput(row.email));
    // No text the model reads (only meta tokens in its bag): a guess, so every task abstains, as served.
    const noText: boolean[] = [];
    const probs = await predictProbs(classifier, inputs, undefined, PREDICTION_CHUNK, noText).catch((error: unknown) => Promise.reject(numberedFrom(error, start)));
    // The cleaned texts are not kept for the lines, only each row's language.
    const languages = inputs.map((input) => input.language);
    const line = (j: number): PredictionLine => {
      const i = start + j;
      const row = rows[i];
      const truth: Record<string, string | null> = {};
      const prediction: PredictionLine['prediction'] = {};
      for (const task of tasks) {
        // Own keys only: a task of the model that the config given lacks, named `constructor`, would read Object's member.
        truth[task.name] = ownValue(row.labels, task.name) ?? null;
        const k = task.labels.length;
        const p = probs[task.name].subarray(j * k, (j + 1) * k);
        prediction[task.name] = taskPrediction(p, names?.[task.name] ?? task.labels, thresholds.get(task.name) ?? 0, noText[j]);
      }
      return PredictionLineSchema.parse({
        id: row.id,
        modelId: classifier.modelId,
        truth,
        prediction,
        meta: { language: languages[j], bank: row.email.bank ?? null, ...(seen?.[i] ? { [SEEN_IN_TRAINING]: true } : {}), ...automatedMeta(row) },
      });
    };
    return (function* lines() {
      for (let j = 0; j < end - start; j++) yield line(j);
    })();
  };
  return {
    async *chunks(onProgress?: OnProgress, signal?: AbortSignal): AsyncGenerator<PredictionLine[]> {
      for (let start = 0; start < rows.length; start += PREDICTION_CHUNK) {
        signal?.throwIfAborted();
        const end = Math.min(rows.length, start + PREDICTION_CHUNK);
        const lines = [...(await score(start, end))];
        onProgress?.(end, rows.length, 'predict');
        yield lines;
      }
      signal?.throwIfAborted();
    },
    /** Every row predicted first; the lines built as the result is iterated (once). */
    async lines(onProgress?: OnProgress): Promise<Iterable<PredictionLine>> {
      const scored: Iterable<PredictionLine>[] = [];
      for (let start = 0; start < rows.length; start += PREDICTION_CHUNK) {
        const end = Math.min(rows.length, start + PREDICTION_CHUNK);
        scored.push(await score(start, end));
        onProgress?.(end, rows.length, 'predict');
      }
      return (function* lines() {
        for (const chunk of scored) yield* chunk;
      })();
    },
  };
}

/**
 * A probability that is no number, said of the row of all the rows (`for email 1203`), not of its chunk's: predictProbs
 * counts from the first row it is given.
 */
export function numberedFrom(error: unknown, start: number): unknown {
  if (start === 0 || !(error instanceof ArtifactError) || error.code !== 'ARTIFACT_NOT_FINITE') return error;
  const message = error.message.replace(/ for email (\d+):/, (_, n: string) => ` for email ${Number(n) + start}:`);
  return new ArtifactError('ARTIFACT_NOT_FINITE', message, { cause: error });
}

/**
 * One task's prediction in a line from its probabilities `p` (the model's labels in order) under `labels`, the names the
 * data's config gives them (two merged since under one name: their probabilities add up, and the merged name may
 * outweigh the single best label). Abstained below the task's threshold, or for an email with no text the model reads.
 */
export function taskPrediction(p: ArrayLike<number>, labels: readonly string[], threshold: number, noText: boolean): PredictionLine['prediction'][string] {
  // No prototype: a label named `constructor` or `toString` starts at no score, not at Object's member.
  const scores = nullRecord<number>();
  let best = 0;
  for (let c = 0; c < p.length; c++) {
    // A probability that is no number (NaN weights) is scored 0, as the classifier answers it: JSON has no NaN.
    scores[labels[c]] = Math.min(1, (scores[labels[c]] ?? 0) + (Number.isFinite(p[c]) ? p[c] : 0));
    if (p[c] > p[best]) best = c;
  }
  let label = labels[best];
  for (const [name, score] of Object.entries(scores)) if (score > scores[label]) label = name;
  // `!(>=)`: a NaN probability abstains, as served (`<` would have made it a confident answer).
  return { label, scores, confidence: scores[label], abstained: noText || !(p[best] >= threshold) };
}

/**
 * Predicts every row of a dataset with a model and returns lines in the evaluation format:
 * `{ id, truth: {task: label|null}, prediction: {task: {label, scores, confidence, abstained}}, meta: {language, bank} }`.
 * Truth labels go through the same taxonomy (aliases, retired) and are mapped onto the model's labels.
 */
export async function predictDataset(options: PredictDatasetOptions): Promise<PredictionLine[]> {
  return [...(await predictDatasetLines(options)).lines];
}

/**
 * `predictDataset` for writing a big output: the lines are built one by one as `lines` is iterated (once),
 * so a caller that writes each chunk as it comes never holds them all; `rows` says how many there are.
 */
export async function predictDatasetLines(options: PredictDatasetOptions): Promise<{ rows: number; lines: Iterable<PredictionLine> }> {
  const prepared = await preparePrediction({ ...options, onReadProgress: options.onProgress });
  try {
    warnRepeatedIds(prepared, options.onWarning);
    return { rows: prepared.rows, lines: await prepared.lines(options.onProgress) };
  } finally {
    await prepared.release();
  }
}

/**
 * `predictDataset` for writing its lines as they come (predict's --out): `write` is given the lines a chunk at a
 * time, each chunk cleaned and predicted as it is asked for, so that neither the lines nor the scores are ever held
 * whole and `options.signal` stops the work at the next chunk. The model is released once `write` is done.
 */
export async function predictDatasetChunks<T>(options: PredictDatasetOptions, write: (prediction: { rows: number; chunks: AsyncIterable<PredictionLine[]> }) => Promise<T>): Promise<T> {
  const prepared = await preparePrediction({ ...options, onReadProgress: options.onProgress });
  try {
    warnRepeatedIds(prepared, options.onWarning);
    return await write({ rows: prepared.rows, chunks: prepared.chunks(options.onProgress, options.signal) });
  } finally {
    await prepared.release();
  }
}

/** Lines are joined by id downstream (evaluate, compare, the CRM): ids that name several rows are said, as training says them. */
function warnRepeatedIds(prepared: PreparedPrediction, onWarning: ((message: string) => void) | undefined): void {
  const repeats = repeatedIds(prepared.ids);
  if (repeats.size > 0) {
    onWarning?.(`the rows repeat ${repeatedIdsText(repeats, (i) => prepared.places[i])}: each such row gets a prediction line of its own under that id (the same export given twice?)`);
  }
}

/** `{ automated: kind }` for a row of automated mail (an auto-reply, a bounce), which `evaluate` leaves out of its scores. */
function automatedMeta(row: DatasetRow): Record<string, string> {
  const kind = automatedKind(row.email);
  return kind === undefined ? {} : { [AUTOMATED_MAIL]: kind };
}
