import { z } from 'zod';
import { CATCH_ALL_LABEL } from './routing.js';
import { nullRecord } from './records.js';

/** A task as serving sees it: its ordered labels, and old label names that map onto them. */
export interface ClassifierTask {
  name: string;
  labels: readonly string[];
  /**
   * `{ "old name": "new name" }` from the training config: renamed and merged labels, chains followed. The
   * labels training merged into `other` for being rare (`mergedIntoOther`) are in it too, each to `other`,
   * so feedback and truths that carry one are read as training read them.
   */
  aliases?: Readonly<Record<string, string>>;
  /** Labels the training config retired: rows carrying them were masked, not learnt. */
  retired?: readonly string[];
  /** Labels under minCount that training merged into `other` (the manifest's record; none for models trained before it was kept). */
  mergedIntoOther?: readonly string[];
  /**
   * Labels of the task's taxonomy that the model has no output for: those its training config's `labels` name and
   * no training row carried (a queue just added), and those training dropped for being under minCount (`rare:
   * "drop"`, the manifest's `droppedAsRare`). Feedback may confirm one (so the next training has examples of it);
   * live quality scores it as a class the model never predicts. None for a model whose manifest keeps neither.
   */
  withoutOutput?: readonly string[];
  /**
   * The model's other tasks that read the same column of the training data (a coarse task over a fine one's labels,
   * through its aliases: a queue over intents): a label confirmed for one of them is this task's too, read through
   * this task's aliases (`withSharedColumnLabels`). Absent when no other task reads its column.
   */
  columnSharedWith?: readonly string[];
}

/**
 * The labels of a task's taxonomy: the model's outputs, then those it has no output for (`withoutOutput`), which
 * feedback may confirm and live quality scores as classes the model never predicts.
 */
export function taxonomyLabels(task: Pick<ClassifierTask, 'labels' | 'withoutOutput'>): readonly string[] {
  return task.withoutOutput ? [...task.labels, ...task.withoutOutput] : task.labels;
}

/** Read leniently: a stored config with a part of another form keeps the parts that can be read. */
const StoredTasksSchema = z
  .object({
    tasks: z.array(
      z
        .object({
          name: z.string(),
          aliases: z.record(z.string(), z.string()).optional(),
          retired: z.array(z.string()).optional(),
          labels: z.array(z.string()).optional().catch(undefined),
          column: z.string().optional().catch(undefined),
        })
        .loose(),
    ),
  })
  .loose();

/** The strings of a list read without a schema (the AWS Lambda's manifest schema passes `droppedAsRare` as written). */
const stringsOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/**
 * The manifest's tasks with the aliases, retired labels and labels of the training config stored in it (none when it
 * has none), the labels training merged into `other`, which become aliases of `other`, and those of the taxonomy the
 * model has no output for (`withoutOutput`).
 */
export function classifierTasks(manifest: {
  tasks: readonly { name: string; labels: readonly string[]; mergedIntoOther?: readonly string[]; droppedAsRare?: readonly string[] }[];
  trainingConfig?: unknown;
}): ClassifierTask[] {
  const stored = StoredTasksSchema.safeParse(manifest.trainingConfig);
  const configured = new Map(stored.success ? stored.data.tasks.map((t) => [t.name, t]) : []);
  const readers = (column: string | undefined, name: string) =>
    column === undefined ? [] : manifest.tasks.filter((t) => t.name !== name && configured.get(t.name)?.column === column).map((t) => t.name);
  return manifest.tasks.map((task) => {
    const own = configured.get(task.name);
    // In NFC as the manifest's labels: a config stored before labels were normalised may hold them decomposed.
    const aliases = Object.fromEntries(Object.entries(own?.aliases ?? {}).map(([from, to]) => [normalizeLabel(from), normalizeLabel(to)]));
    const retired = (own?.retired ?? []).map(normalizeLabel);
    // Normalised here too: a manifest read with a schema of its own (the AWS Lambda's) has them as written.
    const labels = task.labels.map(normalizeLabel);
    // A rare label is where the config's aliases end (training merged it after following them), so never one's start.
    const merged = (task.mergedIntoOther ?? []).map(normalizeLabel).filter((label) => !Object.hasOwn(aliases, label) && !labels.includes(label));
    for (const label of merged) aliases[label] = CATCH_ALL_LABEL;
    // Of the taxonomy, what has no output: not a renamed (or merged) name, nor a retired one.
    const taxonomy = [...(own?.labels ?? []), ...stringsOf(task.droppedAsRare)].map(normalizeLabel);
    const sharing = readers(own?.column, task.name);
    const withoutOutput = [...new Set(taxonomy)].filter((label) => label !== '' && !labels.includes(label) && !Object.hasOwn(aliases, label) && !retired.includes(label));
    return {
      name: task.name,
      labels,
      ...(Object.keys(aliases).length > 0 ? { aliases } : {}),
      ...(retired.length > 0 ? { retired } : {}),
      ...(merged.length > 0 ? { mergedIntoOther: merged } : {}),
      ...(withoutOutput.length > 0 ? { withoutOutput } : {}),
      ...(sharing.length > 0 ? { columnSharedWith: sharing } : {}),
    };
  });
}

/**
 * Confirmed labels (feedback) with, for each task of `tasks` they name no label of, the label confirmed for a task
 * that reads the same column (`columnSharedWith`, the first named): the CRM that closes a case with its intent has
 * confirmed the queue an intent maps to as well. `labels` itself when nothing is added. The label is added as sent:
 * the task's aliases read it when it is scored, as they read that column in training.
 */
export function withSharedColumnLabels(tasks: readonly Pick<ClassifierTask, 'name' | 'columnSharedWith'>[], labels: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  let out: Record<string, string> | undefined;
  for (const task of tasks) {
    if (task.columnSharedWith === undefined || Object.hasOwn(labels, task.name)) continue;
    const source = task.columnSharedWith.find((name) => Object.hasOwn(labels, name));
    if (source === undefined) continue;
    out ??= Object.assign(nullRecord<string>(), labels);
    out[task.name] = labels[source];
  }
  return out ?? labels;
}

/**
 * The renames (and merges) of a task's training config, without the labels training merged into `other` for being
 * rare (`classifierTasks` makes those aliases of `other` too): what the config itself renamed. Empty for no task.
 */
export function renamesOf(task: ClassifierTask | undefined): Record<string, string> {
  const merged = task?.mergedIntoOther ?? [];
  return Object.fromEntries(Object.entries(task?.aliases ?? {}).filter(([from]) => !merged.includes(from)));
}

/**
 * Characters drawn as nothing that a label may carry unseen: emoji variation selectors (U+FE0F emoji style and
 * U+FE0E text style draw one character two ways), the zero-width space U+200B, the word joiner U+2060, the byte
 * order mark U+FEFF and the soft hyphen U+00AD (pasted from web pages and Word). The joiners U+200C and U+200D
 * stay: scripts and emoji sequences need them.
 */
const UNSEEN = /[\uFE0E\uFE0F\u200B\u2060\uFEFF\u00AD]/g;

/**
 * A label as every package compares it: in Unicode NFC, without characters drawn as nothing (UNSEEN), and without
 * blanks around it (trimmed after, as a selector may stand before a blank: `'\uFE0F urgent'`). A CRM export, a
 * predictions file, a config or a request may write `Depotübertrag` decomposed (`u` then the combining U+0308, as
 * Mac and PDF sources do), `⚠️ urgent` with or without U+FE0F after the sign (keyboards and pickers differ),
 * `Kündigung` with a zero-width space pasted after it, and `account_management ` with the blank a spreadsheet cell
 * kept; left so, each is another string and so another class that looks like the first. Training reads its CSV cells
 * so. Labels are short, so this is cheap.
 */
export function normalizeLabel(label: string): string {
  return label.normalize('NFC').replace(UNSEEN, '').trim();
}

/**
 * Follows renames and merges (`{ "old": "new" }`) from `label`: the name it ends at, the names on the way
 * (ending with the repeated one when they loop), and whether they loop.
 */
export function followAliases(aliases: Readonly<Record<string, string>>, label: string): { label: string; chain: string[]; loop: boolean } {
  const chain = [label];
  const seen = new Set(chain);
  let current = label;
  while (Object.hasOwn(aliases, current)) {
    current = aliases[current];
    chain.push(current);
    if (seen.has(current)) return { label: current, chain, loop: true };
    seen.add(current);
  }
  return { label: current, chain, loop: false };
}

/** A label under its current name: aliases followed (a loop leaves it as given). */
export function currentLabel(task: ClassifierTask, label: string): string {
  if (!task.aliases) return label;
  const followed = followAliases(task.aliases, label);
  return followed.loop ? label : followed.label;
}
