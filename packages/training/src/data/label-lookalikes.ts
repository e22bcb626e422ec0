/**
 * Labels of a task without `labels` that are one label written several ways (`card_arrival`, `Card Arrival`,
 * `card-arrival`, `CARD_ARRIVAL`): each would be a class of its own, and under minCount the rarer spellings are
 * merged into `other` without a word. Compared as the `labels`-taxonomy path guesses a label ("did you mean"):
 * case, spaces, `_` and `-` count as the same.
 */
import { OTHER_LABEL, type TaskTaxonomyReport } from '../taxonomy.js';

type Group = ReadonlyArray<readonly [label: string, rows: number]>;

/** Groups named one by one in the warning; the aliases are given for all. */
const SHOWN_GROUPS = 5;

/** Whether a group's labels differ in more than case and whitespace: in `_` or `-`. */
const differsInSeparators = (g: Group) => new Set(g.map(([label]) => label.toLowerCase().replace(/\s+/g, ' '))).size > 1;

/**
 * `topic: labels that differ only in case or spacing are separate classes: "card_arrival" (104), "Card Arrival" (26);
 * ...; "_", "-" and spaces count alike; 612 rows under the less frequent spellings, 75 of these spellings under minCount
 * and merged into other; if each group is one label, add to the task's aliases (they apply before minCount): {...}`,
 * the aliases merging each group into its most frequent spelling (into `other` where a group has it: aliases apply
 * before rare labels merge, so none can lead away from it). Undefined when the task has no lookalikes.
 */
export function lookalikeWarning(report: TaskTaxonomyReport): string | undefined {
  const groups = report.lookalikes ?? [];
  if (groups.length === 0) return undefined;
  const shown = groups.slice(0, SHOWN_GROUPS).map((g) => g.map(([label, n]) => `"${label}" (${n})`).join(', '));
  if (groups.length > SHOWN_GROUPS) shown.push(`and ${groups.length - SHOWN_GROUPS} more groups`);
  const target = (g: Group) => (g.some(([label]) => label === OTHER_LABEL) ? OTHER_LABEL : g[0][0]);
  // Each less frequent spelling, its rows and the label its alias leads to.
  const others = groups.flatMap((g) => g.filter(([label]) => label !== target(g)).map(([label, n]) => ({ label, n, to: target(g) })));
  const rows = others.reduce((sum, o) => sum + o.n, 0);
  const rare = others.filter((o) => o.label !== OTHER_LABEL && Object.hasOwn(report.rare, o.label)).length;
  const merged = report.rareAction === 'other' ? `merged into ${OTHER_LABEL}` : 'dropped (masked)';
  const rareSaid = rare === 0 ? '' : others.length === 1 ? `, under minCount and ${merged}` : `, ${rare} of these spellings under minCount and ${merged}`;
  const aliases = Object.fromEntries(others.map((o) => [o.label, o.to]));
  return [
    `${report.task}: labels that differ only in case or spacing are separate classes: ${shown.join('; ')}`,
    ...(groups.some(differsInSeparators) ? ['"_", "-" and spaces count alike'] : []),
    `${rows} row${rows === 1 ? '' : 's'} under the less frequent spelling${others.length === 1 ? '' : 's'}${rareSaid}`,
    `if each group is one label, add to the task's aliases${rare > 0 ? ' (they apply before minCount)' : ''}: ${JSON.stringify(aliases)}`,
  ].join('; ');
}
