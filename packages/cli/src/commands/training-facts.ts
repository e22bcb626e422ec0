import type { TrainingFacts } from '@mailroute/evaluation';
import { classifierTasks, sha256, type Manifest } from '@mailroute/model';

const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);

/** The config's `targetPrecision`, when it is a share (the stored config is the trainer's, read as it is). */
export function targetPrecisionOf(config: unknown): number | undefined {
  const value = typeof config === 'object' && config !== null ? (config as Record<string, unknown>).targetPrecision : undefined;
  return typeof value === 'number' && value > 0 && value <= 1 ? value : undefined;
}

/** Per task, the labels merged into `other` (the manifest's) and the config's retired and renamed ones, as serving reads them; none when there are none. */
function labelChangesOf(manifest: Manifest): { labelChanges?: NonNullable<TrainingFacts['labelChanges']> } {
  const changes: NonNullable<TrainingFacts['labelChanges']> = {};
  for (const task of classifierTasks(manifest)) {
    const mergedIntoOther = task.mergedIntoOther ?? [];
    // classifierTasks makes the merged labels aliases of `other`: the renames are the config's own.
    const renamed = Object.fromEntries(Object.entries(task.aliases ?? {}).filter(([from]) => !mergedIntoOther.includes(from)));
    const retired = task.retired ?? [];
    if (mergedIntoOther.length + retired.length + Object.keys(renamed).length > 0) changes[task.name] = { mergedIntoOther, retired, renamed };
  }
  return Object.keys(changes).length > 0 ? { labelChanges: changes } : {};
}

/** What a model's manifest records of its training, for the model card: rows, data hash, config hash, date. */
export function trainingFactsOf(manifest: Manifest): TrainingFacts {
  // `training` is the trainer's free-form record: its counts are read only when they are counts.
  const counts = manifest.training?.counts;
  const rows = typeof counts === 'object' && counts !== null ? (counts as Record<string, unknown>) : {};
  const trainRows = count(rows.train);
  const validRows = count(rows.valid);
  const refit = manifest.training?.refit;
  const refitRows = typeof refit === 'object' && refit !== null ? count((refit as Record<string, unknown>).rows) : undefined;
  const targetPrecision = targetPrecisionOf(manifest.trainingConfig);
  return {
    trainedAt: manifest.createdAt,
    dataHash: manifest.dataHash,
    ...(trainRows !== undefined ? { trainRows } : {}),
    ...(validRows !== undefined ? { validRows } : {}),
    ...(refitRows !== undefined ? { refitRows } : {}),
    ...(targetPrecision !== undefined ? { targetPrecision } : {}),
    ...labelChangesOf(manifest),
    ...(manifest.trainingConfig !== undefined ? { configSha256: sha256(JSON.stringify(manifest.trainingConfig)) } : {}),
  };
}
