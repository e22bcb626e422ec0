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
export async function rowsThatTrain(rows: readonly DatasetRow[], taxonomy: readonly TaskTaxonomyReport[], tasks: readonly TaskConfig[], featurizer: TextReadParams, onProgress?: OnProgress, signal?: AbortSignal): Promise<{ prepared: ModelRows; taxonomy: TaskTaxonomyReport[] }> {
  // Cleaning 200,000 rows takes a minute: the event loop gets turns (a Ctrl-C is heard), and `signal` stops it.
  const prepared = await prepareModelRowsStoppably(rows, featurizer, onProgress, signal);
  return { prepared, taxonomy: recountTaxonomy(tasks, taxonomy, prepared.rows, prepared.automated + prepared.noText) };
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
