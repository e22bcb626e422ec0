import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { registeredNearDuplicateWarning, UNGATED_WORSE } from '@mailroute/evaluation';
import { MANIFEST_FILE, type ModelVersion } from '@mailroute/model';
import { meanTaskSets, measuredTasks } from '@mailroute/training';
import { testNearDuplicatesOf } from './training-facts.js';

/**
 * The tasks a version's mean macro-F1 is over, and those it leaves out (no test row had their label, so training
 * could not measure them), when it leaves some out; undefined when the mean covers every task (or there is none).
 */
export function partialMean(v: Pick<ModelVersion, 'tasks' | 'metrics'>): { covers: string[]; notMeasured: string[] } | undefined {
  if (v.metrics.mean_macro_f1 === undefined) return undefined;
  const covers = measuredTasks(v.tasks, v.metrics);
  // Records from before per-task figures were kept name none: nothing to tell.
  if (covers.length === 0 || covers.length === v.tasks.length) return undefined;
  return { covers, notMeasured: v.tasks.filter((t) => !covers.includes(t)) };
}

/** The `mean macro-F1` cell's mark for a mean over some of the tasks only: ` (2 of 3 tasks)`; empty otherwise. */
export function partialMeanMark(v: Pick<ModelVersion, 'tasks' | 'metrics'>): string {
  const partial = partialMean(v);
  return partial === undefined ? '' : ` (${partial.covers.length} of ${v.tasks.length} tasks)`;
}

/**
 * The hash of the emails a version's figures were measured on, from its manifest: its test file's without their labels
 * (`training.testTextsHash`), else its held-out rows' fingerprint; undefined for a model trained before either was
 * recorded, or whose manifest cannot be read (a pruned artifact).
 */
export async function testRowsHashOf(artifactDir: string | undefined): Promise<string | undefined> {
  if (artifactDir === undefined) return undefined;
  try {
    const training = (JSON.parse(await readFile(path.join(artifactDir, MANIFEST_FILE), 'utf8')) as { training?: Record<string, unknown> }).training;
    const hash = training?.testTextsHash ?? training?.testRowsFingerprint;
    return typeof hash === 'string' ? hash : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Under `registry list`, when versions' means were measured on different rows: that those figures do not compare, and
 * what does. Different rows: other emails by `testRowsHash` (see testRowsHashOf) where both versions have it, whatever
 * their tasks; else other data (by its hash, which covers every task's labels) or another split or test file. Empty
 * when every listed mean is on the same rows.
 */
export function otherRowsLegend(versions: readonly (Pick<ModelVersion, 'id' | 'version' | 'dataHash' | 'measuredOn' | 'metrics'> & { testRowsHash?: string })[], champion?: string): string {
  const key = (v: Pick<ModelVersion, 'dataHash' | 'measuredOn'>) => `${v.dataHash} ${v.measuredOn ?? ''}`;
  const same = (v: (typeof versions)[number], w: (typeof versions)[number]) => (v.testRowsHash !== undefined && w.testRowsHash !== undefined ? v.testRowsHash === w.testRowsHash : key(v) === key(w));
  const measured = versions.filter((v) => v.metrics.mean_macro_f1 !== undefined);
  // Those measured on other emails than the champion (with none, than the newest version): named by their number.
  const reference = measured.find((v) => v.id === champion) ?? measured[0];
  const others = measured.filter((v) => !same(v, reference)).map((v) => String(v.version));
  if (others.length === 0) return '';
  const against = reference.id === champion ? 'the champion' : `version ${reference.version}`;
  return `mean macro-F1 of versions with other data or measured on other rows (the data and measured on columns) was measured on different emails: version${others.length === 1 ? '' : 's'} ${others.join(', ')} on other emails than ${against}, so those figures do not compare; \`mailroute compare --challenger <id> --champion <id> --data <a test file neither was trained on>\` measures two on the same emails\n`;
}

/**
 * When the listed versions' means are over other sets of tasks (in any order), which do not compare: per version, its
 * set's mark for the mean macro-F1 cell (` [1]`; blank for one with no mean), and the legend naming each set. No marks
 * and no legend when every listed mean is over the same tasks.
 */
export function taskSetMarks(versions: readonly Pick<ModelVersion, 'tasks' | 'metrics'>[]): { marks: string[]; legend: string } {
  const { marks, named } = meanTaskSets(versions.map((v) => (v.metrics.mean_macro_f1 === undefined ? undefined : v.tasks)));
  return { marks, legend: named === '' ? '' : `mean macro-F1 [n]: the versions' means are over other tasks (${named}) and do not compare; \`mailroute compare\` gives each task's own\n` };
}

/** Under `registry list`, when a mean is marked: what the mark means, and which tasks each such version left unmeasured. */
export function partialMeanLegend(versions: readonly ModelVersion[]): string {
  const partial = versions.flatMap((v) => {
    const p = partialMean(v);
    return p === undefined ? [] : [`${v.id}: ${p.notMeasured.join(', ')}`];
  });
  if (partial.length === 0) return '';
  return `mean macro-F1 (k of n tasks): a mean over the tasks its test rows had labels for, not comparable with a mean over all of them; not measured: ${partial.join('; ')}\n`;
}

/**
 * The tasks of a version the gate on record did not check: those its policy's `tasks` left out (the gate's
 * thresholds keep them). Empty when the gate checked every task, or there is none.
 */
export function gateUncheckedTasks(v: Pick<ModelVersion, 'tasks' | 'gate'>): string[] {
  const gated = v.gate?.thresholds.tasks;
  if (!Array.isArray(gated)) return [];
  return v.tasks.filter((t) => !gated.includes(t));
}

/** `note: ...` for `registry approve`: the tasks the gate on record did not check; empty when it checked them all. */
export function gateUncheckedNotice(v: Pick<ModelVersion, 'id' | 'tasks' | 'gate'>): string {
  const unchecked = gateUncheckedTasks(v);
  const gated = v.gate?.thresholds.tasks;
  if (unchecked.length === 0 || !Array.isArray(gated)) return '';
  // Those compare found clearly worse (its warnings kept with the gate): a warning, not a note.
  const worse = unchecked.filter((t) => (v.gate?.warnings ?? []).some((w) => w.startsWith(`${t}: ${UNGATED_WORSE}`)));
  const head = `the gate on record for ${v.id} checked ${gated.join(', ')} only (its policy's "tasks"): it did not check ${unchecked.join(', ')}`;
  if (worse.length > 0) return `warning: ${head}, and compare found the challenger clearly worse at ${worse.join(', ')} (\`mailroute registry show ${v.id}\` has its warnings)\n`;
  return `note: ${head}, so nothing but the comparison's warnings speaks for ${unchecked.length === 1 ? 'that task' : 'those tasks'} (\`mailroute registry show ${v.id}\`)\n`;
}

/**
 * The caveat on a version's registered figures when training found half or more of the test rows they were
 * measured on worded as its training rows were (the manifest's `training.testNearDuplicates`); undefined otherwise,
 * and when its manifest cannot be read (a pruned artifact).
 */
export async function registeredFiguresWarning(artifactDir: string | null | undefined): Promise<string | undefined> {
  if (artifactDir === null || artifactDir === undefined) return undefined;
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(path.join(artifactDir, MANIFEST_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  // Only the count is read (as the model card reads it): a manifest the registry took is not refused here for another field.
  const near = testNearDuplicatesOf(manifest);
  return near === undefined ? undefined : registeredNearDuplicateWarning(near);
}
