import { DatasetError } from '../errors.js';
import type { TaskTaxonomyReport } from '../taxonomy.js';

/** Fewer rows than this in the split that measures the model: its metrics are called rough. */
export const FEW_EVALUATION_ROWS = 50;

/**
 * Refuses data a model cannot be trained or judged on, before any training: a task left with fewer than
 * two labels (all merged into `other`, say), an empty training or validation split (early stopping and
 * calibration read the validation split). Returns warnings for data that trains but measures poorly.
 */
export function checkTrainable(taxonomy: readonly TaskTaxonomyReport[], counts: { train: number; valid: number; test: number }): string[] {
  const problems: string[] = [];
  for (const report of taxonomy) {
    if (report.labels.length >= 2) continue;
    const rare = Object.keys(report.rare).length;
    const why = rare > 0 ? ` (${rare} label(s) under minCount were ${report.rareAction === 'other' ? 'merged into other' : 'dropped'}: lower minCount or add rows)` : '';
    problems.push(`task "${report.task}" has ${report.labels.length === 0 ? 'no label' : `only the label "${report.labels[0]}"`} left${why}; a classifier needs at least 2`);
  }
  if (counts.train === 0) problems.push('the training split is empty');
  if (counts.valid === 0) problems.push('the validation split is empty (early stopping and calibration need it): add rows or raise split.validShare');
  if (problems.length > 0) {
    throw new DatasetError('DATASET_TOO_SMALL', `cannot train on this data: ${problems.join('; ')}`, problems);
  }
  const evaluated = counts.test > 0 ? { split: 'test', rows: counts.test } : { split: 'validation', rows: counts.valid };
  return evaluated.rows < FEW_EVALUATION_ROWS ? [`only ${evaluated.rows} ${evaluated.split} row(s) measure the model: its metrics are rough`] : [];
}
