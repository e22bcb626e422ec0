import type { TaskConfig } from '../config.js';

/**
 * What exports write for a cell that holds nothing: pandas (`nan`, `NaN`, `<NA>`, `NaT`), SQL dumps (`NULL`, `null`,
 * `\N`), spreadsheets (`#N/A`, `N/A`, `n/a`, `(blank)`, `#NULL!`), JavaScript (`undefined`). Written exactly so: `None`
 * and `none` are left out, as a label of that name (a priority "none") is as likely as a Python `str(None)`.
 */
const PLACEHOLDERS: ReadonlySet<string> = new Set(['nan', 'NaN', 'NAN', '<NA>', 'NaT', 'NULL', 'null', 'Null', '\\N', '#N/A', 'N/A', 'n/a', '(blank)', '(null)', '#NULL!', 'undefined']);

/**
 * The placeholder a task's label cell holds instead of a label (`placeholderLabel(task, 'NULL')` is `NULL`), read as
 * no label, as an empty cell is; undefined for any other cell, and for a placeholder the task's config names (in its
 * `labels`, `retired` or as an alias's old name): that one is a label of the taxonomy, kept.
 */
export function placeholderLabel(task: Pick<TaskConfig, 'labels' | 'retired' | 'aliases'>, cell: string | null | undefined): string | undefined {
  if (cell === null || cell === undefined) return undefined;
  // Every placeholder is ASCII: the cell trimmed is enough to tell one (a label pays no normalising for it).
  const value = cell.trim();
  if (!PLACEHOLDERS.has(value)) return undefined;
  if (task.labels?.includes(value) || task.retired.includes(value) || Object.hasOwn(task.aliases, value)) return undefined;
  return value;
}

/** Per task, each placeholder read as no label and its cells. */
export type PlaceholderCounts = Map<string, Map<string, number>>;

export function countPlaceholder(counts: PlaceholderCounts, task: string, placeholder: string): void {
  const ofTask = counts.get(task) ?? new Map<string, number>();
  ofTask.set(placeholder, (ofTask.get(placeholder) ?? 0) + 1);
  counts.set(task, ofTask);
}

/** One warning per task whose label cells held placeholders: how many, which, what became of them and how to keep one. */
export function placeholderWarnings(counts: PlaceholderCounts): string[] {
  return [...counts].map(([task, ofTask]) => {
    const total = [...ofTask.values()].reduce((a, b) => a + b, 0);
    const which = [...ofTask].sort((a, b) => b[1] - a[1]).map(([value, n]) => `${JSON.stringify(value)} x${n}`).join(', ');
    return `${task}: ${total} label cell(s) hold what an export writes for an empty value (${which}): read as no label of ${task}, as an empty cell is, not as a class. If one is a real label, list it in the task's labels (or name it in aliases) and it is kept.`;
  });
}
