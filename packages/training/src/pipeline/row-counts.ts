/** The counts of a `--test-data` file, beside the training data's in the run's counts. */
export interface TestFileCounts {
  testRead: number;
  testBadRows: number;
  testBadRowProblems: number;
  testUnlabelled: number;
  testBlankRecords: number;
}

/** The run's row counts: the training data's, and the test file's when there is one. */
export interface RowCounts extends Partial<TestFileCounts> {
  read: number;
  rows: number;
  train: number;
  valid: number;
  test: number;
  badRows: number;
  noText: number;
  /** Automated emails left out (runs recorded before they were have none). */
  automated?: number;
  unlabelled: number;
  /** Rows of the pipeline's feedback file merged into a CRM export's rows of the same emails (their labels taken), so left out. */
  superseded?: number;
  blankRecords: number;
}

/** `2 bad, 1 without text`: the reasons with a count, in the order rows are left out; empty when none. */
function reasons(parts: ReadonlyArray<readonly [number, string]>): string {
  return parts.filter(([n]) => n > 0).map(([n, why]) => `${n} ${why}`).join(', ');
}

/** `; 3 left out: 2 bad, 1 without a label` (nothing when no row was), and the blank records skipped. */
function leftOut(total: number, parts: ReadonlyArray<readonly [number, string]>, blank: number): string {
  const out = total > 0 ? `; ${total} left out: ${reasons(parts)}` : '';
  return `${out}${blank > 0 ? `; ${blank} blank record(s) (every cell empty) skipped` : ''}`;
}

/**
 * How many rows of the export were read, used and left out, and why: `60 row(s) read, 57 used (35 train, 11 valid,
 * 11 test); 3 left out: 2 bad, 1 without a label`. With a test file its rows are said after the training data's.
 * `read` is `rows` plus the rows left out; blank records are not rows and are said apart.
 */
export function rowCountsLine(counts: RowCounts): string {
  const external = counts.testRead !== undefined;
  const parts = `${counts.train} train, ${counts.valid} valid${external ? '' : `, ${counts.test} test`}`;
  const why = [
    [counts.superseded ?? 0, 'merged into the rows of the same emails (their confirmed labels)'],
    [counts.badRows, 'bad'],
    [counts.noText, 'without text the model reads'],
    [counts.automated ?? 0, 'automated (auto-replies, bounces)'],
    [counts.unlabelled, 'without a label'],
  ] as const;
  const line = `${counts.read} row(s) read, ${counts.rows} used (${parts})${leftOut(counts.read - counts.rows, why, counts.blankRecords)}`;
  if (!external) return line;
  const testWhy = [[counts.testBadRows ?? 0, 'bad'], [counts.testUnlabelled ?? 0, 'without a label']] as const;
  const testRead = counts.testRead ?? 0;
  return `${line}; test file: ${testRead} row(s) read, ${counts.test} tested${leftOut(testRead - counts.test, testWhy, counts.testBlankRecords ?? 0)}`;
}
