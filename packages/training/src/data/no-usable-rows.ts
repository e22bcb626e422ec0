/** What became of the rows of files that gave no usable row. */
export interface LeftOutRows {
  files: readonly string[];
  read: number;
  blankRecords: number;
  badRows: number;
  /** The bad rows' problems, the first said. */
  problems: readonly string[];
  unlabelled: number;
  /** Where the first rows without a label are (`file:line`). */
  unlabelledAt: readonly string[];
}

/**
 * Why files gave no usable row: none read (blank lines only, or a CSV header line and blank lines), or each read row left out, and
 * for what. With `onBadRow: 'skip'` and rows without a label the warnings that would say so come after the
 * load, which this error ends, so it says them itself.
 */
export function noUsableRowsMessage(left: LeftOutRows): string {
  const files = left.files.join(', ');
  const blank = left.blankRecords > 0 ? ` and ${left.blankRecords} record(s) of empty cells` : '';
  if (left.read === 0) return `${files}: no rows to read (nothing but blank lines, or a CSV header line and blank lines${blank})`;
  const why: string[] = [];
  if (left.badRows > 0) why.push(`${left.badRows} bad (skipped as onBadRow "skip" says; first: ${left.problems[0]})`);
  if (left.unlabelled > 0) {
    const more = left.unlabelled > left.unlabelledAt.length ? ', ...' : '';
    why.push(`${left.unlabelled} without a label in any task (each empty, retired or under minCount and dropped: is each task's label column the right one?): ${left.unlabelledAt.join(', ')}${more}`);
  }
  return `${files}: no usable rows: of ${left.read} row(s) read, ${why.join('; ')}`;
}
