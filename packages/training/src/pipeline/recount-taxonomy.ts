import type { TextReadParams } from '@mailroute/preprocess';
import type { TaskConfig } from '../config.js';
import type { DatasetRow } from '../data/dataset.js';
import { finaliseTaskLabels, type TaskTaxonomyReport } from '../taxonomy.js';
import type { OnProgress } from './evaluate-split.js';
import { prepareModelRowsStoppably, type ModelRows } from './model-rows.js';

/**
 * The rows that train: each cleaned once (`prepareModelRows`: automated mail and rows with no text the model reads left
 * out), then each task's minCount applied again over them (`recountTaxonomy`). Training and `--split test` read the
 * data this one way, so the split they make of it is the same.
 */
export async function rowsThatTrain(rows: readonly DatasetRow[], taxonomy: readonly TaskTaxonomyReport[], tasks: readonly TaskConfig[], featurizer: TextReadParams, onProgress?: OnProgress, signal?: AbortSignal): Promise<RowsThatTrain> {
  // Cleaning 200,000 rows takes a minute: the event loop gets turns (a Ctrl-C is heard), and `signal` stops it.
  const cleaned = await prepareModelRowsStoppably(rows, featurizer, onProgress, signal);
  const recounted = recountTaxonomy(tasks, taxonomy, cleaned.rows, cleaned.automated + cleaned.noText);
  return { ...withoutUnlabelled(cleaned), taxonomy: recounted };
}

export interface RowsThatTrain {
  prepared: ModelRows;
  taxonomy: TaskTaxonomyReport[];
  /** Rows left with no label in any task once minCount was applied again (a label dropped as rare then): they train nothing. */
  unlabelled: number;
  /** Where the first of them are (`file:line`), at most 5. */
  unlabelledAt: string[];
}

/**
 * The rows with a label left in some task: one whose only labels the recount dropped as rare trains nothing, and was
 * counted among the rows used, put in a split, and its n-grams into the model's tables and IDF.
 */
function withoutUnlabelled(prepared: ModelRows): Pick<RowsThatTrain, 'prepared' | 'unlabelled' | 'unlabelledAt'> {
  const labelled = (row: DatasetRow) => Object.values(row.labels).some((label) => label !== null && label !== undefined);
  if (prepared.rows.every(labelled)) return { prepared, unlabelled: 0, unlabelledAt: [] };
  const kept: ModelRows = { ...prepared, rows: [], inputs: [], keys: [], at: new Map() };
  const unlabelledAt: string[] = [];
  prepared.rows.forEach((row, i) => {
    if (!labelled(row)) {
      if (unlabelledAt.length < 5) unlabelledAt.push(`${row.file}:${row.line}`);
      return;
    }
    kept.at.set(row, kept.rows.length);
    kept.rows.push(row);
    kept.inputs.push(prepared.inputs[i]);
    kept.keys.push(prepared.keys[i]);
  });
  return { prepared: kept, unlabelled: prepared.rows.length - kept.rows.length, unlabelledAt };
}

/**
 * Each task's minCount applied again to the rows that train, once cleaning left out those it cannot (automated mail,
 * rows with no text the model reads): a label those rows carried could pass minCount at reading and keep a class of
 * fewer examples than configured, or of none. Labels now under it are merged into `other` or dropped, as the task
 * says, in the rows (their `labels` replaced) and in the report, which then counts the rows that train; labels rare
 * at reading stay rare, with the counts they had then. The reports as they were when nothing was left out.
 */
function recountTaxonomy(tasks: readonly TaskConfig[], taxonomy: readonly TaskTaxonomyReport[], rows: readonly DatasetRow[], leftOut: number): TaskTaxonomyReport[] {
  if (leftOut === 0) return [...taxonomy];
  return taxonomy.map((before) => {
    const task = tasks.find((t) => t.name === before.task);
    if (task === undefined) return before;
    const { labels, report } = finaliseTaskLabels(task, rows.map((r) => r.labels[task.name] ?? null), { renamed: before.renamed, retired: before.retired, ...(before.retiredLabels ? { retiredLabels: before.retiredLabels } : {}), missing: before.missing });
    rows.forEach((row, i) => {
      if ((row.labels[task.name] ?? null) !== labels[i]) row.labels = { ...row.labels, [task.name]: labels[i] };
    });
    const { lookalikes: _again, ...recounted } = report;
    return {
      ...recounted,
      rare: { ...before.rare, ...report.rare },
      absent: report.absent.filter((label) => !Object.hasOwn(before.rare, label)),
      ...(before.lookalikes ? { lookalikes: before.lookalikes } : {}),
    };
  });
}
