import { CATCH_ALL_LABEL, followAliases, normalizeLabel } from '@mailroute/model';
import type { TaskConfig } from './config.js';
import { byLabel } from './text-order.js';

/** Rare labels merge into this one; a queue predicted as `other` is routed to manual triage. */
export const OTHER_LABEL = CATCH_ALL_LABEL;

/** What one raw label cell becomes under a task's taxonomy. */
export type ResolvedLabel =
  | { kind: 'label'; label: string; renamedFrom?: string }
  | { kind: 'missing' }
  | { kind: 'retired'; label: string }
  | { kind: 'unknown'; label: string }
  | { kind: 'alias-cycle'; label: string }
  /** `__proto__`: no JavaScript record can hold it (the config refuses it as a label), so it cannot be a class. */
  | { kind: 'unholdable'; label: string };

/**
 * Follows the task's aliases (renames and merges), then checks retired labels and the allowed labels. The cell
 * is read in NFC, as the config's labels are: a CRM export's decomposed `Depotübertrag` is the composed label.
 */
/**
 * A label of a CRM export or a training config as training reads it: `normalizeLabel` (NFC, no emoji variation
 * selectors), then trimmed; after, as a selector may stand before a blank (`'\uFE0F urgent'`).
 */
export function readLabel(raw: string): string {
  return normalizeLabel(raw).trim();
}

export function resolveLabel(task: TaskConfig, raw: string | null | undefined): ResolvedLabel {
  const value = readLabel(raw ?? '');
  if (value === '') return { kind: 'missing' };
  const followed = followAliases(task.aliases, value);
  if (followed.loop) return { kind: 'alias-cycle', label: value };
  const label = followed.label;
  // In a task without `labels` any cell is a class; `__proto__` dropped out of the counts' record, so the model had
  // no output for it and its rows were masked in that task without a word. (No alias leads to it: the config refuses it.)
  if (label === '__proto__') return { kind: 'unholdable', label };
  if (task.retired.includes(label) || task.retired.includes(value)) return { kind: 'retired', label: value };
  if (task.labels !== undefined && !task.labels.includes(label)) return { kind: 'unknown', label: value };
  return label === value ? { kind: 'label', label } : { kind: 'label', label, renamedFrom: value };
}

/** What the taxonomy did to one task, for the run record and the console. */
export interface TaskTaxonomyReport {
  task: string;
  /** Final ordered labels the model learns. */
  labels: string[];
  /** Examples per final label. */
  counts: Record<string, number>;
  /** `old -> new`: rows renamed or merged by an alias. */
  renamed: Record<string, number>;
  retired: number;
  /** Rows per retired label (under its name in `retired`), masked for the task; absent in reports of older runs. */
  retiredLabels?: Record<string, number>;
  missing: number;
  /** Labels under minCount and how many rows they had. */
  rare: Record<string, number>;
  rareAction: 'other' | 'drop';
  /** Labels of the configured taxonomy that no row carries (the model cannot learn them). */
  absent: string[];
  /**
   * A task without `labels`: groups of labels that differ only in case, spacing, `_` or `-` (`Billing`, `billing`;
   * `card_arrival`, `Card Arrival`), each with its row count before minCount, most rows first. They are separate classes unless aliases merge them.
   */
  lookalikes?: Array<Array<[label: string, rows: number]>>;
}

/**
 * What lookalike labels are compared by, as the `labels`-taxonomy path guesses a label ("did you mean"): lower case,
 * each run of spaces, `_` and `-` one space (`card_arrival`, `Card Arrival`, `card-arrival` are one label written three ways).
 */
export function lookalikeKey(label: string): string {
  return label.toLowerCase().replace(/[\s_-]+/g, ' ');
}

/** Labels equal but for case, spacing, `_` and `-` (`lookalikeKey`), in a task that lists no labels to refuse the odd one. */
function lookalikeLabels(counts: ReadonlyMap<string, number>): Array<Array<[string, number]>> {
  const groups = new Map<string, Array<[string, number]>>();
  for (const [label, n] of counts) {
    const key = lookalikeKey(label);
    groups.set(key, [...(groups.get(key) ?? []), [label, n]]);
  }
  return [...groups.values()].filter((g) => g.length > 1).map((g) => g.sort((a, b) => b[1] - a[1] || byLabel(a[0], b[0])));
}

/**
 * Applies minCount to resolved labels (one array per task, null = masked) and returns the final labels.
 * Rare labels become `other` or null, as the task says. The final order is the configured taxonomy's
 * order (then `other`), or sorted when the task has no taxonomy.
 */
export function finaliseTaskLabels(
  task: TaskConfig,
  labels: Array<string | null>,
  stats: { renamed: Record<string, number>; retired: number; retiredLabels?: Record<string, number>; missing: number },
  /** Labels already fixed by a trained model: report counts only, merge nothing. */
  fixed = false,
): { labels: Array<string | null>; report: TaskTaxonomyReport } {
  const counts = new Map<string, number>();
  for (const l of labels) if (l !== null) counts.set(l, (counts.get(l) ?? 0) + 1);
  const rare: Record<string, number> = {};
  if (!fixed) for (const [label, n] of counts) if (n < task.minCount && label !== OTHER_LABEL) rare[label] = n;
  const out = labels.map((l) => (l !== null && Object.hasOwn(rare, l) ? (task.rare === 'other' ? OTHER_LABEL : null) : l));
  // Counted in a Map: in a record, `finalCounts.constructor ?? 0` is Object's member, and a label named
  // `constructor` or `toString` was counted as "function Object() { [native code] }1".
  const tally = new Map<string, number>();
  for (const l of out) if (l !== null) tally.set(l, (tally.get(l) ?? 0) + 1);
  const finalCounts: Record<string, number> = Object.fromEntries(tally);
  const present = Object.keys(finalCounts);
  const ordered = task.labels
    ? [...task.labels.filter((l) => Object.hasOwn(finalCounts, l)), ...(Object.hasOwn(finalCounts, OTHER_LABEL) && !task.labels.includes(OTHER_LABEL) ? [OTHER_LABEL] : [])]
    : present.sort();
  const absent = task.labels ? task.labels.filter((l) => !Object.hasOwn(finalCounts, l) && !Object.hasOwn(rare, l)) : [];
  // With `other` as it ends up: rare labels merged into it make it a class beside the data's own "Other".
  const seen = Object.hasOwn(finalCounts, OTHER_LABEL) ? new Map([...counts, [OTHER_LABEL, finalCounts[OTHER_LABEL]]]) : counts;
  const lookalikes = task.labels || fixed ? [] : lookalikeLabels(seen);
  return {
    labels: out,
    report: {
      task: task.name,
      labels: ordered,
      counts: finalCounts,
      renamed: stats.renamed,
      retired: stats.retired,
      ...(stats.retiredLabels && Object.keys(stats.retiredLabels).length > 0 ? { retiredLabels: stats.retiredLabels } : {}),
      missing: stats.missing,
      rare,
      rareAction: task.rare,
      absent,
      ...(lookalikes.length > 0 ? { lookalikes } : {}),
    },
  };
}

/** One line per task for a person: label count, renames, retired, rare merges. */
export function formatTaxonomyReport(report: TaskTaxonomyReport): string {
  const parts = [`${report.task}: ${report.labels.length} label${report.labels.length === 1 ? '' : 's'}`];
  const renamed = Object.entries(report.renamed);
  if (renamed.length > 0) parts.push(`renamed ${renamed.map(([k, n]) => `${k} (${n})`).join(', ')}`);
  if (report.retired > 0) parts.push(`${report.retired} retired (masked)`);
  if (report.missing > 0) parts.push(`${report.missing} without label (masked)`);
  const rare = Object.entries(report.rare);
  if (rare.length > 0) {
    const what = report.rareAction === 'other' ? `merged into ${OTHER_LABEL}` : 'dropped (masked)';
    parts.push(`rare ${what}: ${rare.map(([k, n]) => `${k} (${n})`).join(', ')}`);
  }
  if (report.absent.length > 0) parts.push(`no examples: ${report.absent.join(', ')}`);
  return parts.join('; ');
}
