import { testNearDuplicateWarning, type TargetPrecision, type TrainingFacts } from '@mailroute/evaluation';
import { classifierTasks, renamesOf, sha256, type Manifest } from '@mailroute/model';

const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);

const field = (object: unknown, key: string): unknown => (typeof object === 'object' && object !== null ? (object as Record<string, unknown>)[key] : undefined);
const share = (value: unknown): number | undefined => (typeof value === 'number' && value > 0 && value <= 1 ? value : undefined);

/**
 * The precision a model's thresholds were chosen for, as its trainer used it: the manifest's `training.params`
 * (the trainer's own record), else its config's `model.targetPrecision`, which wins over the config's top-level
 * `targetPrecision` in training, else that one. Read only when it is a share (the records are stored as they are).
 */
export function targetPrecisionOf(manifest: Pick<Manifest, 'training' | 'trainingConfig'>): number | undefined {
  const config = manifest.trainingConfig;
  return share(field(field(manifest.training, 'params'), 'targetPrecision')) ?? share(field(field(config, 'model'), 'targetPrecision')) ?? share(field(config, 'targetPrecision'));
}

/** The tasks of a stored config that give their own `targetPrecision` (a share), by name. */
function ownTargets(config: unknown): Map<string, number> {
  const tasks = field(config, 'tasks');
  const out = new Map<string, number>();
  for (const task of Array.isArray(tasks) ? tasks : []) {
    const name = field(task, 'name');
    const target = share(field(task, 'targetPrecision'));
    if (typeof name === 'string' && target !== undefined) out.set(name, target);
  }
  return out;
}

/**
 * The precision each task's threshold was chosen for, as its trainer used it: the task's own `tasks[].targetPrecision`
 * in the stored config, else the run's (`targetPrecisionOf`). One number while every task has the run's (a model
 * trained before tasks had their own reads as before), else a record of the tasks whose target is known.
 */
export function targetPrecisionsOf(manifest: Pick<Manifest, 'tasks' | 'training' | 'trainingConfig'>): TargetPrecision | undefined {
  const run = targetPrecisionOf(manifest);
  const own = ownTargets(manifest.trainingConfig);
  const targets = manifest.tasks.flatMap((task) => {
    const target = own.get(task.name) ?? run;
    return target === undefined ? [] : [[task.name, target] as const];
  });
  return targets.every(([, target]) => target === run) ? run : Object.fromEntries(targets);
}

/** Per task, the labels merged into `other` (the manifest's) and the config's retired and renamed ones, as serving reads them; none when there are none. */
function labelChangesOf(manifest: Manifest): { labelChanges?: NonNullable<TrainingFacts['labelChanges']> } {
  const changes: NonNullable<TrainingFacts['labelChanges']> = {};
  for (const task of classifierTasks(manifest)) {
    const mergedIntoOther = task.mergedIntoOther ?? [];
    const renamed = renamesOf(task);
    const retired = task.retired ?? [];
    if (mergedIntoOther.length + retired.length + Object.keys(renamed).length > 0) changes[task.name] = { mergedIntoOther, retired, renamed };
  }
  return Object.keys(changes).length > 0 ? { labelChanges: changes } : {};
}

/**
 * The manifest's `training.testNearDuplicates` (the test rows worded as training rows were, of those judged), read
 * from any object (a manifest parsed or not): undefined unless both are counts and `near` is at most `judged`.
 */
export function testNearDuplicatesOf(manifest: unknown): { near: number; judged: number } | undefined {
  const near = field(field(manifest, 'training'), 'testNearDuplicates');
  const [rows, judged] = [count(field(near, 'near')), count(field(near, 'judged'))];
  return rows !== undefined && judged !== undefined && rows <= judged ? { near: rows, judged } : undefined;
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
  const targetPrecision = targetPrecisionsOf(manifest);
  const near = testNearDuplicatesOf(manifest);
  const testNearDuplicates = near !== undefined ? { testNearDuplicates: near } : {};
  return {
    trainedAt: manifest.createdAt,
    dataHash: manifest.dataHash,
    ...(trainRows !== undefined ? { trainRows } : {}),
    ...(validRows !== undefined ? { validRows } : {}),
    ...(refitRows !== undefined ? { refitRows } : {}),
    ...(targetPrecision !== undefined ? { targetPrecision } : {}),
    ...labelChangesOf(manifest),
    ...testNearDuplicates,
    ...(manifest.trainingConfig !== undefined ? { configSha256: sha256(JSON.stringify(manifest.trainingConfig)) } : {}),
  };
}

/**
 * The warning for figures measured on a model's own held-out test split (`--split test`) when its training found most
 * of that split's rows worded as its training rows were (the manifest's count): they likely overstate. Undefined on
 * any other rows, and below half. `evaluate` and `compare` (for each model) say it alike.
 */
export function heldOutNearDuplicateWarning(manifest: Manifest, split: 'test' | undefined): string | undefined {
  return split === 'test' ? testNearDuplicateWarning(trainingFactsOf(manifest).testNearDuplicates) : undefined;
}
