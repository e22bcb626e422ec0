import { followAliases, normalizeLabel, renamesOf, type ClassifierTask, type ConfirmedCase } from '@mailroute/model';
import { spacedAttachmentName } from '@mailroute/preprocess';
import { taskColumn, type TaskConfig, type TrainingConfig } from '../config.js';
import { csvField } from '../data/csv-field.js';
import { resolveLabel } from '../taxonomy.js';

/** Columns of the file made of a training config: its columns, its tasks' columns, then what the store knows besides. */
interface Layout {
  /** The config's own columns, in its order, and which of them takes the text. */
  columns: string[];
  textColumn: string | undefined;
  idColumn: string;
  receivedAtColumn: string | undefined;
  bankColumn: string | undefined;
  attachmentsColumn: string | undefined;
  /** Per task name, its column. */
  tasks: Map<string, string>;
  /** Each label column once, in the config's order, with the tasks that read it (two when a coarse task reads a fine one's column through aliases). */
  labelColumns: Array<{ column: string; tasks: TaskConfig[] }>;
  extra: Array<[string, (c: ConfirmedCase) => string | undefined]>;
}

function layoutOf(config: TrainingConfig, labelsOnly: boolean): Layout {
  const c = config.columns;
  const tasks = new Map(config.tasks.map((t) => [t.name, taskColumn(t)]));
  const labelColumns: Layout['labelColumns'] = [];
  for (const task of config.tasks) {
    const column = taskColumn(task);
    const shared = labelColumns.find((l) => l.column === column);
    if (shared) shared.tasks.push(task);
    else labelColumns.push({ column, tasks: [task] });
  }
  // Every column the config names must be in the header, or training refuses the file; the text goes where the body would.
  const own = labelsOnly ? [] : [c.id, c.subject, c.body, c.html, c.bank, c.receivedAt, c.from, c.attachmentNames].filter((x): x is string => x !== undefined);
  const idColumn = c.id ?? 'emailId';
  const taken = new Set([...own, ...tasks.values(), idColumn]);
  const extras: Layout['extra'] = [
    ['closedAt', (x) => x.closedAt],
    ['classifiedAt', (x) => x.classifiedAt],
    ['modelId', (x) => x.modelId],
    ['predictionId', (x) => x.predictionId],
  ];
  return {
    columns: labelsOnly || c.id === undefined ? [idColumn, ...own] : own,
    textColumn: labelsOnly ? undefined : (c.body ?? c.subject ?? c.html),
    idColumn,
    receivedAtColumn: labelsOnly ? undefined : c.receivedAt,
    bankColumn: labelsOnly ? undefined : c.bank,
    attachmentsColumn: labelsOnly ? undefined : c.attachmentNames,
    tasks,
    labelColumns,
    // A config column of the same name keeps its own meaning.
    extra: extras.filter(([name]) => !taken.has(name)),
  };
}

/** The file's header: the config's columns, each task's column, then the store's facts. */
function headerOf(layout: Layout): string[] {
  return [...layout.columns, ...layout.labelColumns.map((l) => l.column), ...layout.extra.map(([name]) => name)];
}

/**
 * One case's cells, in the header's order (null: blank). Stored text is masked again, as this version masks: a
 * server of an older version stored what its masking left (masking leaves its own placeholders as they are).
 * Labels are written under the names they are read as (`readAsName`); `renamed` counts those written otherwise.
 */
function cellsOf(x: ConfirmedCase, layout: Layout, mask: (text: string) => string, model: readonly ClassifierTask[] | undefined, renamed: Map<string, number>): Array<string | null> {
  // Masked only where written (labelsOnly writes no text).
  const text = x.text === undefined || layout.textColumn === undefined ? null : mask(x.text);
  const cells = layout.columns.map((column) => {
    if (column === layout.idColumn) return x.emailId;
    if (column === layout.textColumn) return text;
    // The email's own receivedAt, else (the CRM sent none, or a server before data version 2 kept none) when it was classified.
    if (column === layout.receivedAtColumn) return x.receivedAt ?? x.classifiedAt ?? null;
    if (column === layout.bankColumn) return x.bank ?? null;
    // A JSON array, which training reads in CSV and JSONL alike, whatever a name holds (`;`, `|`).
    if (column === layout.attachmentsColumn) return x.attachmentNames === undefined ? null : JSON.stringify(x.attachmentNames.map((name) => mask(spacedAttachmentName(name))));
    return null;
  });
  for (const { tasks } of layout.labelColumns) cells.push(labelCell(x, tasks, model, renamed));
  for (const [, value] of layout.extra) cells.push(value(x) ?? null);
  return cells;
}

/**
 * A confirmed label under the name it is read as. Feedback is stored as the CRM sent it, in the names of its day
 * (`kyc`); the server accepted it under the name the taxonomy of its day gave it (`kyc` is read as `kyc_onboarding`).
 * So: a stored name that is itself a label of the config given (in its `labels`, not retired) as it is, whatever the
 * model's renames say: the CRM may send a name an old alias took (`payments`, once `payments_transfers`) as the label
 * of today's taxonomy, and the old model's rename would turn it into a label the config retires, masked in retraining.
 * Else through the renames of the model that made the prediction (its stored training config) when the config given
 * reads the name they lead to, else as stored; then under the config's own name (its aliases followed). A config that
 * drops the old alias (`kyc`) then still reads the file. A label the config retires is written as it is (training
 * masks it either way); one it cannot read at all, as stored (training names it).
 */
export function readAsName(task: TaskConfig, label: string, model: ClassifierTask | undefined): string {
  return readConfirmedLabel(task, label, model).name;
}

/**
 * `readAsName`'s name, and whether the config reads it (a label of its taxonomy, or one it retires): one it does not,
 * written as stored, makes training refuse the row, which `mailroute feedback export` warns of.
 */
export function readConfirmedLabel(task: TaskConfig, label: string, model: ClassifierTask | undefined): { name: string; read: boolean } {
  const stored = normalizeLabel(label);
  // A label of the config's own taxonomy is read as itself: the model's rename applies only to a name that is not one
  // (a task without `labels` takes any name, so there the renames come first).
  const own = resolveLabel(task, stored);
  if (task.labels !== undefined && own.kind === 'label' && own.renamedFrom === undefined) return { name: own.label, read: true };
  // The model's renames only, not its merges into `other` for being rare when it was trained: a label rare then may
  // have rows enough now, and the config given says what becomes of it.
  const followed = followAliases(renamesOf(model), stored);
  const candidates = followed.loop || followed.label === stored ? [stored] : [followed.label, stored];
  for (const candidate of candidates) {
    const read = resolveLabel(task, candidate);
    if (read.kind === 'label') return { name: read.label, read: true };
    if (read.kind === 'retired') return { name: candidate, read: true };
  }
  return { name: label, read: false };
}

/**
 * The cell of a label column: the confirmed label of its task, under the name it is read as (`readAsName`). A
 * column two tasks read (a coarse task over a fine one's labels, through aliases) takes the first of their confirmed
 * labels, in the config's order, that every one of them reads (the fine label, which the coarse task reads through
 * its aliases; not the coarse one, which the fine task does not know), else blank: one cell, which retraining reads
 * for both tasks as training did.
 */
function labelCell(x: ConfirmedCase, tasks: readonly TaskConfig[], model: readonly ClassifierTask[] | undefined, renamed: Map<string, number>): string | null {
  const named = (task: TaskConfig, label: string) => readAsName(task, label, model?.find((t) => t.name === task.name));
  const confirmed = tasks.flatMap((t) => (Object.hasOwn(x.labels, t.name) ? [{ task: t, label: x.labels[t.name], name: named(t, x.labels[t.name]) }] : []));
  const readByAll = (label: string) => tasks.every((t) => ['label', 'retired'].includes(resolveLabel(t, label).kind));
  const chosen = tasks.length === 1 ? confirmed[0] : confirmed.find((c) => readByAll(c.name));
  if (chosen === undefined) return tasks.length === 1 ? null : (confirmed.find((c) => readByAll(c.label))?.label ?? null);
  if (chosen.name !== chosen.label) {
    const key = `${chosen.task.name}: ${chosen.label} -> ${chosen.name}`;
    renamed.set(key, (renamed.get(key) ?? 0) + 1);
  }
  return chosen.name;
}

/**
 * One line of the file as the config reads it: CSV with its delimiter (real line breaks in quoted fields, which a
 * config with `literalNewlines` reads as they are too), or JSONL, one object a case with every column as a key (null: blank).
 */
function lineOf(cells: ReadonlyArray<string | null>, header: readonly string[], format: 'csv' | 'jsonl', delimiter: string): string {
  if (format === 'jsonl') return `${JSON.stringify(Object.fromEntries(header.map((name, i) => [name, cells[i]])))}\n`;
  return `${cells.map((cell) => csvField(cell ?? '', delimiter)).join(delimiter)}\n`;
}

/** What the export counted as it wrote: the cases of the window, those written, automated ones, and labels of tasks the config lacks. */
export interface FeedbackFileTally {
  all: number;
  written: number;
  automated: number;
  otherTasks: Map<string, number>;
  /** `task: stored -> written` and how many labels were written under the name they are read as rather than as stored. */
  renamed: Map<string, number>;
}

/** A tally to count a file's cases in. */
export const newFeedbackFileTally = (): FeedbackFileTally => ({ all: 0, written: 0, automated: 0, otherTasks: new Map(), renamed: new Map() });

export interface FeedbackFileOptions {
  format: 'csv' | 'jsonl';
  /** Every case (automated mail aside), with or without text: the id column, the task columns and the store's facts. */
  labelsOnly?: boolean;
  /**
   * Masks a text (and each attachment name, its words set apart) as it is written: stored text is masked again by
   * this version's rules, since a server of an older version stored what its masking left.
   */
  mask: (text: string) => string;
  /** Counted into as the file is made. */
  tally: FeedbackFileTally;
  /**
   * The tasks (with their training config's aliases) of the model that made a case's prediction, by its id;
   * undefined when its artifact is not at hand. Its renames say what name a label stored under an old one is read as.
   */
  modelTasks?: (modelId: string) => Promise<readonly ClassifierTask[] | undefined> | readonly ClassifierTask[] | undefined;
}

/**
 * Confirmed cases (a feedback with the prediction it judged) as training data in a training config's columns and
 * file form: CSV with its delimiter (header first) or JSONL. Cases of automated mail are left out, and without
 * `labelsOnly` those without stored text. In chunks of 1,000 cases, each case read from the source only as its chunk
 * is made: 300,000 cases held at once, texts and all, took over a gigabyte.
 */
export async function* feedbackFileChunks(cases: Iterable<ConfirmedCase> | AsyncIterable<ConfirmedCase>, config: TrainingConfig, options: FeedbackFileOptions): AsyncGenerator<string> {
  const { format, tally, mask } = options;
  const labelsOnly = options.labelsOnly === true;
  const layout = layoutOf(config, labelsOnly);
  const delimiter = config.delimiter;
  const header = headerOf(layout);
  if (format === 'csv') yield lineOf(header, header, format, delimiter);
  let chunk: string[] = [];
  // Each model's tasks looked up once.
  const models = new Map<string, readonly ClassifierTask[] | undefined>();
  const tasksOf = async (id: string | undefined) => {
    if (id === undefined || options.modelTasks === undefined) return undefined;
    if (!models.has(id)) models.set(id, await options.modelTasks(id));
    return models.get(id);
  };
  for await (const x of cases) {
    tally.all += 1;
    // An auto-reply or a bounce a person closed with labels: no customer wrote it, so it teaches the model nothing.
    if (x.automated !== undefined) {
      tally.automated += 1;
      continue;
    }
    if (!labelsOnly && (x.text === undefined || x.text.trim() === '')) continue;
    tally.written += 1;
    for (const task of Object.keys(x.labels)) if (!layout.tasks.has(task)) tally.otherTasks.set(task, (tally.otherTasks.get(task) ?? 0) + 1);
    chunk.push(lineOf(cellsOf(x, layout, mask, await tasksOf(x.modelId), tally.renamed), header, format, delimiter));
    if (chunk.length >= 1000) {
      yield chunk.join('');
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk.join('');
}
