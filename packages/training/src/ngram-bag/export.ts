import {
  buildNgramBagOnnx,
  encodeIdfTable,
  encodeSeenTexts,
  IDF_FILE,
  inputFingerprint,
  MANIFEST_SCHEMA_VERSION,
  NGRAM_BAG_OPSET,
  ngramBagOnnxNames,
  ownValue,
  SEEN_TEXTS_FILE,
  writeArtifact,
  type Manifest,
} from '@mailroute/model';
import type { TrainedNgramBag } from './train.js';

export interface ExportInfo {
  modelId: string;
  dataHash: string;
  createdAt: string;
  metrics?: Record<string, unknown>;
  trainingConfig?: unknown;
  /** The task whose label is the target queue (default: the first task). */
  routing?: Manifest['routing'];
  /** Dedupe keys of the rows trained and validated on: kept as a filter (`seen-texts.bloom`), so evaluating on them is noticed. */
  seenTexts?: Iterable<string>;
  /** Per task: the labels under minCount merged into `other` (the manifest's `mergedIntoOther`), so serving reads them as `other`. */
  mergedIntoOther?: Record<string, readonly string[]>;
  /** Per task: the labels under minCount dropped (the manifest's `droppedAsRare`), so a test file's rows of them are masked. */
  droppedAsRare?: Record<string, readonly string[]>;
  /**
   * Rows trained and validated on per language, as cleaning detected it (`de`, `en`, ..., `und`): the manifest's
   * `training.languages`, from which serving knows the languages the model was trained on (`trainedLanguages`).
   */
  languages?: Record<string, number>;
}

/**
 * Writes the trained model as an artifact directory (`model.onnx`, `idf.f32` for a model with IDF,
 * `seen-texts.bloom` when the training texts are given, and `manifest.json` with the sha256 of every
 * file), atomically: nothing appears at `dir` until it is complete.
 */
export async function exportNgramBag(model: TrainedNgramBag, dir: string, info: ExportInfo): Promise<Manifest> {
  const taskNames = model.tasks.map((task) => task.name);
  const names = ngramBagOnnxNames(taskNames);
  const temperatures = Object.fromEntries(taskNames.map((name) => [name, model.calibration[name]?.temperature ?? 1]));
  const onnxBytes = buildNgramBagOnnx(model.weights, temperatures, names);
  // Own keys only: a task named `constructor` (or `hasOwnProperty`) that merged nothing would read Object's member.
  const merged = (task: string): readonly string[] => ownValue(info.mergedIntoOther, task) ?? [];
  const dropped = (task: string): readonly string[] => ownValue(info.droppedAsRare, task) ?? [];
  return writeArtifact(
    dir,
    {
      'model.onnx': onnxBytes,
      ...(model.idf ? { [IDF_FILE]: encodeIdfTable(model.idf) } : {}),
      ...(info.seenTexts ? { [SEEN_TEXTS_FILE]: encodeSeenTexts(info.seenTexts) } : {}),
    },
    {
      schemaVersion: MANIFEST_SCHEMA_VERSION,
      modelId: info.modelId,
      family: 'ngram-bag',
      createdAt: info.createdAt,
      tasks: model.tasks.map((task) => ({
        name: task.name,
        labels: task.labels,
        temperature: temperatures[task.name],
        threshold: model.calibration[task.name]?.threshold ?? 0,
        ...(merged(task.name).length > 0 ? { mergedIntoOther: [...merged(task.name)] } : {}),
        ...(dropped(task.name).length > 0 ? { droppedAsRare: [...dropped(task.name)] } : {}),
      })),
      routing: info.routing ?? { queueTask: taskNames[0] },
      featurizer: model.featurizer,
      onnx: { file: 'model.onnx', opset: NGRAM_BAG_OPSET, inputs: names.inputs, outputs: names.outputs, combined: names.combined },
      dataHash: info.dataHash,
      inputFingerprint: inputFingerprint(),
      metrics: info.metrics ?? {},
      trainingConfig: info.trainingConfig,
      training: {
        params: model.params,
        bestEpoch: model.bestEpoch,
        bestEpochs: model.bestEpochs,
        averagedEpochs: model.averagedEpochs,
        counts: model.counts,
        ...(model.refit ? { refit: model.refit } : {}),
        calibration: model.calibration,
        ...(info.languages ? { languages: info.languages } : {}),
      },
    },
  );
}
