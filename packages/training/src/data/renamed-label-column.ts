import path from 'node:path';
import { DatasetError } from '../errors.js';
import { closeColumn } from './column-list.js';

/** One file of a run and the columns it has (its CSV header, or its JSONL lines' keys). */
export interface FileColumns {
  file: string;
  columns: readonly string[];
}

/** A label column one file lacks that another file has, and the file's column of a close name. */
export interface RenamedLabelColumn {
  file: string;
  /** Each label column the file lacks and another has, with the file's column of a close name (`queue` and `queue_name`). */
  renamed: Array<{ column: string; near: string }>;
  /** The other files that have those columns. */
  holders: string[];
}

/**
 * Of several files of a run, the first that lacks only label columns (a file lacking another column is refused by its own
 * error) and has, for one another file has, a column of a close name the config does not read (`queue_name` for
 * `queue`: the "did you mean" of a single file's error). Such a column is likely the same one renamed in this export,
 * not a task added since it (whose rows would train with that task masked); undefined when there is none. `configured`:
 * every column the config reads; `labelColumns`: its tasks' label columns.
 */
export function findRenamedLabelColumn(files: readonly FileColumns[], configured: readonly string[], labelColumns: readonly string[]): RenamedLabelColumn | undefined {
  if (files.length < 2) return undefined;
  for (const f of files) {
    const missing = [...new Set(configured.filter((c) => !f.columns.includes(c)))];
    if (missing.length === 0 || !missing.every((m) => labelColumns.includes(m))) continue;
    // A column the config reads for something else is not taken for a renamed one (`sub_topic` of a task of its own).
    const free = f.columns.filter((c) => !configured.includes(c));
    const others = files.filter((o) => o.file !== f.file);
    const renamed = missing.flatMap((column) => {
      const near = others.some((o) => o.columns.includes(column)) ? closeColumn(column, free) : undefined;
      return near === undefined ? [] : [{ column, near }];
    });
    if (renamed.length === 0) continue;
    const holders = others.filter((o) => renamed.some((r) => o.columns.includes(r.column))).map((o) => o.file);
    return { file: f.file, renamed, holders };
  }
  return undefined;
}

/**
 * The error for `found`: `lacks`, the file's own error (`export.csv:1: header lacks column(s) "queue" (did you mean
 * "queue_name"?) (has ...)`, as a single file's says it), then that another file of the run has the column and what to do.
 */
export function renamedLabelColumnError(found: RenamedLabelColumn, lacks: string): DatasetError {
  const name = path.basename(found.file);
  const holders = found.holders.map((h) => path.basename(h)).join(', ');
  const columns = found.renamed.map((r) => `"${r.column}"`).join(', ');
  const nears = found.renamed.map((r) => `"${r.near}"`).join(', ');
  const renames = found.renamed.map((r) => `"${r.near}" to "${r.column}"`).join(', ');
  const one = found.renamed.length === 1;
  return new DatasetError(
    'DATASET_FILE_INVALID',
    `${lacks}; another file of this run (${holders}) has ${columns}: ${nears} of ${name} is likely ${one ? 'that column' : 'those columns'} renamed, not a task added since this export, so the file is refused rather than trained with ${columns} masked on its rows. Rename ${renames} in ${name}; if ${one ? 'it is another column' : 'they are other columns'}, rename or drop ${one ? 'it' : 'them'} there, and its rows train with ${columns} masked`,
    [],
    { reason: 'lacks-columns' },
  );
}
