import type { TrainingFacts } from '@mailroute/evaluation';
import { sha256, type Manifest } from '@mailroute/model';

const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);

/** The config's `targetPrecision`, when it is a share (the stored config is the trainer's, read as it is). */
function targetPrecisionOf(config: unknown): number | undefined {
  const value = typeof config === 'object' && config !== null ? (config as Record<string, unknown>).targetPrecision : undefined;
  return typeof value === 'number' && value > 0 && value <= 1 ? value : undefined;
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
  return {
    trainedAt: manifest.createdAt,
    dataHash: manifest.dataHash,
    ...(trainRows !== undefined ? { trainRows } : {}),
    ...(validRows !== undefined ? { validRows } : {}),
    ...(refitRows !== undefined ? { refitRows } : {}),
    ...(targetPrecisionOf(manifest.trainingConfig) !== undefined ? { targetPrecision: targetPrecisionOf(manifest.trainingConfig) } : {}),
    ...(manifest.trainingConfig !== undefined ? { configSha256: sha256(JSON.stringify(manifest.trainingConfig)) } : {}),
  };
}
