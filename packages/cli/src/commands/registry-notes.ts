import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { registeredNearDuplicateWarning, UNGATED_WORSE } from '@mailroute/evaluation';
import { classifierTasks, MANIFEST_FILE, readManifest, type ModelVersion } from '@mailroute/model';
import { z } from 'zod';
import { meanTaskSets, measuredTasks } from '@mailroute/training';
import { targetPrecisionsOf, testNearDuplicatesOf } from './training-facts.js';

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
 * What a version's figures were measured on, from its manifest: `emails`, the hash of its test file's emails without
 * their labels (`training.testTextsHash`), else of its held-out rows' (`training.testRowsFingerprint`, ids and text, not
 * labels); `truths`, per task, how its taxonomy reads a label (its labels, renames and retired labels; see
 * `truthsOf`), which decides what those emails' truths are.
 */
export interface TestRowsRecord {
  emails: string;
  truths: Record<string, string>;
}

/** A manifest's tasks as `truthsOf` reads them: their names and labels, and the labels training merged into `other`. */
const StoredTasksSchema = z.array(z.looseObject({ name: z.string(), labels: z.array(z.string()), mergedIntoOther: z.array(z.string()).optional().catch(undefined) }));

/** A record's entries sorted by key, so that two configs listing the same aliases in another order read alike. */
const sortedEntries = (record: Readonly<Record<string, string>> | undefined): Array<[string, string]> => Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * Per task, its taxonomy as one string: the labels the model has (in any order), its config's renames and merges
 * (`aliases`, with labels merged into `other` for being rare) and retired labels. Two versions whose task reads alike
 * score the same emails against the same truths; one with other labels (a coarser taxonomy, a label merged into
 * `other`) or other renames does not, though its held-out rows are the same emails.
 */
function truthsOf(manifest: Parameters<typeof classifierTasks>[0]): Record<string, string> {
  return Object.fromEntries(
    classifierTasks(manifest).map((task) => [task.name, JSON.stringify([[...task.labels].sort(), sortedEntries(task.aliases), [...(task.retired ?? [])].sort()])]),
  );
}

/**
 * What a version's figures were measured on (`TestRowsRecord`), from its manifest; undefined for a model trained before
 * the emails were recorded, or whose manifest cannot be read (a pruned artifact): `registry list` then tells them apart
 * by their data hash, which covers every task's final labels.
 */
export async function testRowsOf(artifactDir: string | undefined): Promise<TestRowsRecord | undefined> {
  if (artifactDir === undefined) return undefined;
  try {
    // Read as before, without the manifest's schema: only these fields are read (the registry checked the rest).
    const manifest = JSON.parse(await readFile(path.join(artifactDir, MANIFEST_FILE), 'utf8')) as { training?: Record<string, unknown>; tasks?: unknown; trainingConfig?: unknown };
    const training = manifest.training;
    const hash = training?.testTextsHash ?? training?.testRowsFingerprint;
    if (typeof hash !== 'string') return undefined;
    const tasks = StoredTasksSchema.safeParse(manifest.tasks);
    return { emails: hash, truths: tasks.success ? truthsOf({ tasks: tasks.data, trainingConfig: manifest.trainingConfig }) : {} };
  } catch {
    return undefined;
  }
}

type ListedVersion = Pick<ModelVersion, 'id' | 'version' | 'dataHash' | 'measuredOn' | 'metrics'> & { testRows?: TestRowsRecord };

/** The tasks both versions have whose truths differ (`truthsOf`), in `v`'s order. */
function otherTruths(v: TestRowsRecord, w: TestRowsRecord): string[] {
  return Object.keys(v.truths).filter((task) => Object.hasOwn(w.truths, task) && v.truths[task] !== w.truths[task]);
}

/**
 * Under `registry list`, when versions' means were measured on different rows or against other truths: that those
 * figures do not compare, and what does. Different rows: other emails by `testRows` (see testRowsOf) where both
 * versions have it, whatever their tasks; else other data (by its hash, which covers every task's labels) or another
 * split or test file. Other truths: the same emails read through another taxonomy of a task both have (a coarser one, a
 * label merged into `other`): its macro-F1 is over other classes. Empty when every listed mean is on the same rows
 * and truths.
 */
export function otherRowsLegend(versions: readonly ListedVersion[], champion?: string): string {
  const key = (v: Pick<ModelVersion, 'dataHash' | 'measuredOn'>) => `${v.dataHash} ${v.measuredOn ?? ''}`;
  const measured = versions.filter((v) => v.metrics.mean_macro_f1 !== undefined);
  // Those measured on other emails than the champion (with none, than the newest version): named by their number.
  const reference = measured.find((v) => v.id === champion) ?? measured[0];
  const otherEmails: string[] = [];
  const otherTaxonomy: Array<{ version: string; tasks: string[] }> = [];
  for (const v of measured) {
    const [mine, theirs] = [v.testRows, reference.testRows];
    if (mine === undefined || theirs === undefined) {
      if (key(v) !== key(reference)) otherEmails.push(String(v.version));
    } else if (mine.emails !== theirs.emails) otherEmails.push(String(v.version));
    else {
      const tasks = otherTruths(mine, theirs);
      if (tasks.length > 0) otherTaxonomy.push({ version: String(v.version), tasks });
    }
  }
  if (otherEmails.length === 0 && otherTaxonomy.length === 0) return '';
  const against = reference.id === champion ? 'the champion' : `version ${reference.version}`;
  const versionsText = (numbers: readonly string[]) => `version${numbers.length === 1 ? '' : 's'} ${numbers.join(', ')}`;
  const parts = otherEmails.length === 0 ? [] : [`${versionsText(otherEmails)} on other emails than ${against}`];
  if (otherTaxonomy.length > 0) {
    const tasks = [...new Set(otherTaxonomy.flatMap((o) => o.tasks))];
    parts.push(`${versionsText(otherTaxonomy.map((o) => o.version))} on the same emails as ${against} under another taxonomy (${tasks.join(', ')})`);
  }
  return `mean macro-F1 of versions with other data or measured on other rows (the data and measured on columns) was measured on different emails or labels: ${parts.join(', ')}, so those figures do not compare; \`mailroute compare --challenger <id> --champion <id> --data <a test file neither was trained on>\` measures two on the same emails\n`;
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

/** Per task, how the model abstains: the calibrated confidence under which it does, the softmax temperature, and the precision the threshold was chosen for (when its records say). */
export interface TaskAbstention {
  threshold: number;
  temperature: number;
  targetPrecision?: number;
}

/**
 * Per task, the thresholds a service lead approves with a version (the manifest's, as serving applies them), and the
 * precision each was chosen for; undefined when the manifest cannot be read (a pruned or tampered artifact).
 */
export async function abstentionOf(artifactDir: string | null | undefined): Promise<Record<string, TaskAbstention> | undefined> {
  if (artifactDir === null || artifactDir === undefined) return undefined;
  const manifest = await readManifest(artifactDir).catch(() => undefined);
  if (manifest === undefined) return undefined;
  const targets = targetPrecisionsOf(manifest);
  const targetOf = (task: string): number | undefined => (typeof targets === 'number' ? targets : targets?.[task]);
  return Object.fromEntries(
    manifest.tasks.map((t) => {
      const target = targetOf(t.name);
      return [t.name, { threshold: t.threshold, temperature: t.temperature, ...(target === undefined ? {} : { targetPrecision: target }) }];
    }),
  );
}
