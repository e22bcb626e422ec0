import { currentLabel, normalizeLabel, taxonomyLabels, type ClassifierTask, type ConfirmedCase } from '@mailroute/model';
import { readConfirmedLabel, taskColumn, type TrainingConfig } from '@mailroute/training';

/** Labels listed in a warning at most; more are counted. */
const LISTED = 3;

/** What `feedback export` saw of the cases it read, besides the training package's tally. */
export interface ExportWatch {
  /** Left out for want of text: their prediction is kept, without text. */
  predictionWithoutText: number;
  /** Left out for want of text: their prediction is kept with the email's text, which is empty (no subject or body text). */
  emptyText: number;
  /** Left out for want of text: no prediction of theirs is kept (feedback-source's NO_PREDICTION_WHY). */
  noPrediction: number;
  /** Per task, label and predicting model: the confirmed labels of the cases written. */
  labels: Map<string, { task: string; label: string; modelId: string | undefined; rows: number }>;
}

export const newExportWatch = (): ExportWatch => ({ predictionWithoutText: 0, emptyText: 0, noPrediction: 0, labels: new Map() });

/**
 * The cases as they are read, each seen first: as the export sorts them (automated mail left out; without
 * `labelsOnly`, those without text, by whether a prediction is kept), and the labels of the others, which it writes.
 */
export function watchCases(cases: Iterable<ConfirmedCase> | AsyncIterable<ConfirmedCase>, labelsOnly: boolean, watch: ExportWatch): Iterable<ConfirmedCase> | AsyncIterable<ConfirmedCase> {
  const see = (c: ConfirmedCase) => {
    if (c.automated !== undefined) return;
    if (!labelsOnly && (c.text === undefined || c.text.trim() === '')) {
      if (c.predictionId === undefined) watch.noPrediction++;
      else if (c.text === undefined) watch.predictionWithoutText++;
      else watch.emptyText++;
      return;
    }
    for (const [task, label] of Object.entries(c.labels)) {
      const key = JSON.stringify([task, label, c.modelId ?? null]);
      const seen = watch.labels.get(key);
      if (seen) seen.rows++;
      else watch.labels.set(key, { task, label, modelId: c.modelId, rows: 1 });
    }
  };
  if (Symbol.iterator in cases) {
    return (function* sync() {
      for (const c of cases) {
        see(c);
        yield c;
      }
    })();
  }
  return (async function* later() {
    for await (const c of cases) {
      see(c);
      yield c;
    }
  })();
}

/** Whether a model's taxonomy of the task has the label (under its name or an old one). */
function knows(tasks: readonly ClassifierTask[] | undefined, name: string, label: string): boolean {
  const task = tasks?.find((t) => t.name === name);
  return task !== undefined && taxonomyLabels(task).includes(currentLabel(task, normalizeLabel(label)));
}

const listed = (labels: readonly string[]) => (labels.length > LISTED ? `${labels.slice(0, LISTED).join(', ')} and ${labels.length - LISTED} more` : labels.join(', '));

/**
 * One warning per task of the config: the confirmed labels written in its column that the config cannot read, so
 * that `mailroute train --config` would refuse each row with one (DATASET_ROW_INVALID): how many, which, and what to
 * do (an alias in the config, or the config of a model whose predictions they were confirmed on and that knows them).
 * A column two tasks read is left out: the export writes there only a label both read. `configFile`: `--config`'s.
 */
export async function unreadLabelWarnings(
  watch: ExportWatch,
  config: TrainingConfig,
  from: string,
  configFile: string | undefined,
  modelTasks: (id: string) => Promise<readonly ClassifierTask[] | undefined>,
): Promise<string[]> {
  const columns = config.tasks.map(taskColumn);
  const own = config.tasks.filter((t) => columns.filter((c) => c === taskColumn(t)).length === 1);
  const warnings: string[] = [];
  for (const task of own) {
    const unread = new Map<string, number>();
    const knownBy = new Map<string, Set<string>>();
    for (const seen of watch.labels.values()) {
      if (seen.task !== task.name) continue;
      const tasks = seen.modelId === undefined ? undefined : await modelTasks(seen.modelId);
      // As the export writes the label: read through the predicting model's renames, then the config's names.
      if (readConfirmedLabel(task, seen.label, tasks?.find((t) => t.name === task.name)).read) continue;
      unread.set(seen.label, (unread.get(seen.label) ?? 0) + seen.rows);
      if (seen.modelId !== undefined && knows(tasks, task.name, seen.label)) knownBy.set(seen.modelId, (knownBy.get(seen.modelId) ?? new Set()).add(seen.label));
    }
    if (unread.size === 0) continue;
    const labels = [...unread].sort((a, b) => b[1] - a[1]);
    const rows = labels.reduce((sum, [, n]) => sum + n, 0);
    const [first] = labels[0];
    const alias = `"aliases": {${JSON.stringify(first)}: "<the ${task.name} label it is now>"} in task ${task.name}`;
    const mapThem = configFile === undefined ? `map them with aliases in a training config (e.g. ${alias}) and export with --config <that file>` : `add aliases to ${configFile} (e.g. ${alias}) and export again`;
    const models = [...knownBy].slice(0, 2).map(([id, known]) => `--model ${id} (the model whose predictions they were confirmed on; its training config knows ${known.size === unread.size ? 'them' : listed([...known])})`);
    const other = models.length > 0 ? `export with ${models.join(' or ')}` : `export with --config (or --model) of a model whose ${task.name} taxonomy has them`;
    warnings.push(
      `${rows} confirmed ${task.name} label${rows === 1 ? '' : 's'} written ${rows === 1 ? 'is' : 'are'} not in the ${task.name} taxonomy of ${from} (labels another model's taxonomy has: added, split off or dropped in between): ${listed(labels.map(([label, n]) => `${label} (${n})`))}; \`mailroute train\` with this config refuses each row with one (DATASET_ROW_INVALID): ${mapThem}, or ${other}`,
    );
  }
  return warnings;
}
