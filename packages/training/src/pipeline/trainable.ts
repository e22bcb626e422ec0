import { shownCell } from '../data/quoted-cell.js';
import { DatasetError } from '../errors.js';
import { OTHER_LABEL, type TaskTaxonomyReport } from '../taxonomy.js';

/** Fewer rows than this in the split that measures the model: its metrics are called rough. */
export const FEW_EVALUATION_ROWS = 50;

/**
 * Refuses data a model cannot be trained or judged on, before any training: a task left with fewer than
 * two labels (all merged into `other`, say), an empty training or validation split (early stopping and
 * calibration read the validation split). Returns warnings for data that trains but measures poorly.
 */
export function checkTrainable(taxonomy: readonly TaskTaxonomyReport[], counts: { train: number; valid: number; test: number; rows?: number; distinctTexts?: number }): string[] {
  const problems: string[] = [];
  for (const report of taxonomy) {
    if (report.labels.length >= 2) continue;
    const rare = Object.keys(report.rare).length;
    const retired = report.retired > 0 ? `, ${report.retired} retired` : '';
    // No label at all: an empty column (a task whose export lacks it, or the wrong column named) is the usual cause.
    const none = report.labels.length === 0 ? ` (no row has one: ${report.missing} without a label${retired}; is the task's column the right one?)` : '';
    const why = rare > 0 ? ` (${rare} label(s) under minCount were ${report.rareAction === 'other' ? 'merged into other' : 'dropped'}: lower minCount or add rows)` : none;
    problems.push(`task "${report.task}" has ${report.labels.length === 0 ? 'no label' : `only the label "${report.labels[0]}"`} left${why}; a classifier needs at least 2`);
  }
  if (counts.train === 0) problems.push('the training split is empty');
  if (counts.valid === 0) {
    // Copies of one text stay on one side: a few texts repeated many times leave too few to share out.
    const { rows, distinctTexts } = counts;
    const few = rows !== undefined && distinctTexts !== undefined && distinctTexts < rows;
    const fix = few ? `the ${rows} rows hold only ${distinctTexts} distinct text(s), and the copies of one text stay on one side of the split, so add rows with other texts` : 'add rows';
    problems.push(`the validation split is empty (early stopping and calibration need it): ${fix} or raise split.validShare`);
  }
  if (problems.length > 0) {
    throw new DatasetError('DATASET_TOO_SMALL', `cannot train on this data: ${problems.join('; ')}`, problems);
  }
  const evaluated = counts.test > 0 ? { split: 'test', rows: counts.test } : { split: 'validation', rows: counts.valid };
  return evaluated.rows < FEW_EVALUATION_ROWS ? [`only ${evaluated.rows} ${evaluated.split} row(s) measure the model: its metrics are rough`] : [];
}

/** Rows as the split holds them: each task's final label, null when masked. */
type LabelledRows = ReadonlyArray<{ labels: Record<string, string | null> }>;

function labelCounts(rows: LabelledRows, task: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const label = row.labels[task];
    if (label !== null && label !== undefined) counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return counts;
}

/**
 * One warning per task with labels that no training row carries: every row of theirs fell in the validation
 * or test split (with a time split, a label only the newest mail has, such as a queue opened last month).
 * The model gets an output for each that it never learns, and its test rows count as misses.
 */
export function untrainedLabelWarnings(taxonomy: readonly TaskTaxonomyReport[], split: { train: LabelledRows; valid: LabelledRows; test: LabelledRows }, kind: 'stratified' | 'time'): string[] {
  const why =
    kind === 'time'
      ? 'a time split holds out the newest mail, so a label only recent mail has is not trained on: add older examples of it, or split stratified'
      : 'too few rows reach the training split: add examples, or merge it with minCount';
  return taxonomy.flatMap((report) => {
    const train = labelCounts(split.train, report.task);
    const valid = labelCounts(split.valid, report.task);
    const test = labelCounts(split.test, report.task);
    const untrained = report.labels.filter((label) => !train.has(label));
    if (untrained.length === 0) return [];
    const shown = untrained.map((label) => `${label} (${valid.get(label) ?? 0} validation, ${test.get(label) ?? 0} test rows)`).join(', ');
    return [`${report.task}: no training row has the label(s) ${shown}: the model cannot learn them, and their test rows count as misses; ${why}`];
  });
}

/** Training rows under which a label of the task that routes mail is said to be barely learnt and hardly tested. */
export const FEW_ROUTING_ROWS = 5;

/**
 * One warning for the task that routes mail (`task`) when labels of it (not `other`, whose mail goes to manual
 * triage anyway) have 1 to FEW_ROUTING_ROWS - 1 training rows: the model barely learns them, their validation rows
 * are too few to test them, yet mail predicted as one is routed to its queue as any other is (the task's threshold
 * is one for all its labels). Labels with none are `untrainedLabelWarnings`'.
 */
export function fewRoutingRowsWarning(taxonomy: readonly TaskTaxonomyReport[], train: LabelledRows, task: string | undefined): string | undefined {
  const report = taxonomy.find((t) => t.task === task);
  if (task === undefined || report === undefined) return undefined;
  const counts = labelCounts(train, task);
  const few = report.labels.filter((label) => label !== OTHER_LABEL && (counts.get(label) ?? 0) > 0 && (counts.get(label) ?? 0) < FEW_ROUTING_ROWS);
  if (few.length === 0) return undefined;
  const shown = few.map((label) => `${shownCell(label)} (${counts.get(label)})`).join(', ');
  const merge = report.rareAction === 'other' ? `, or raise its minCount to merge such labels into "${OTHER_LABEL}" (manual triage)` : '';
  return `${task} routes mail, and its label(s) ${shown} have fewer than ${FEW_ROUTING_ROWS} training rows: the model barely learns them and too few rows test them, yet mail it gives them is routed to their queues as confidently as any other; add examples${merge}`;
}
