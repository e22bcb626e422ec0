/**
 * Aliases and retired labels of a training config that no row of the data uses: a typo (`"Legal"` for the export's
 * `legal`), another case or an old name the export no longer has. Such an alias renames nothing and such a retired
 * label masks nothing, and training would go on without a word; it warns, naming the closest label the data has.
 */
import { editDistance, followAliases } from '@mailroute/model';
import { taskColumn, type TrainingConfig } from '../config.js';
import { closestName } from '../config-errors.js';
import { lookalikeKey } from '../taxonomy.js';
import { shownCell } from './quoted-cell.js';

/** Per task name, each label cell as read (trimmed, NFC; before aliases) and how many rows had it. */
export type SeenLabels = Map<string, Map<string, number>>;

/** Counts a row's label cell as read (`value`, before aliases) under its task; an empty cell is no label. */
export function countSeenLabel(seen: SeenLabels, task: string, value: string | undefined): void {
  if (value === undefined || value === '') return;
  let counts = seen.get(task);
  if (counts === undefined) seen.set(task, (counts = new Map()));
  counts.set(value, (counts.get(value) ?? 0) + 1);
}

/**
 * Whether `guess` (the closest label of the data, by `closestName`'s rule for config names) is likely what `name` meant:
 * the same but for case, spacing, `_` and `-`, or at most one edit in five letters. Closer than that rule, as the data's
 * labels are many and often alike: `depot_transfer` is 3 edits from the label `sepa_transfer`, no typo of it.
 */
function likelyTypo(name: string, guess: string): boolean {
  return lookalikeKey(name) === lookalikeKey(guess) || editDistance(name.toLowerCase(), guess.toLowerCase()) <= Math.max(1, Math.floor(name.length / 5));
}

/**
 * One warning per alias (its old name) and per retired label of a task that no cell of its column reaches, neither
 * as written nor through the aliases (`{"a": "b", "b": "c"}`: `b` is used by the rows of `a`): `queue: the alias
 * "Legal" -> "Customer Service" matches no row: no cell of column "queue" reads "Legal" (did you mean "legal", which 12
 * rows have?)`. Tasks whose column no row had a label in are left to the load's other messages.
 */
export function unusedTaxonomyWarnings(tasks: TrainingConfig['tasks'], seen: SeenLabels): string[] {
  const out: string[] = [];
  for (const task of tasks) {
    const counts = seen.get(task.name);
    if (counts === undefined || counts.size === 0) continue;
    const used = new Set<string>();
    for (const value of counts.keys()) for (const label of followAliases(task.aliases, value).chain) used.add(label);
    const column = taskColumn(task);
    // `exclude`: an alias's new name, which the data may well have already (its old name then only in older exports).
    const near = (name: string, exclude?: string): string => {
      const guess = closestName(name, [...counts.keys()].filter((v) => v !== name && v !== exclude));
      if (guess === undefined || !likelyTypo(name, guess)) return '';
      const rows = counts.get(guess) ?? 0;
      return ` (did you mean ${JSON.stringify(shownCell(guess))}, which ${rows} row${rows === 1 ? ' has' : 's have'}?)`;
    };
    for (const [from, to] of Object.entries(task.aliases)) {
      if (used.has(from)) continue;
      out.push(`${task.name}: the alias ${JSON.stringify(from)} -> ${JSON.stringify(to)} matches no row: no cell of column ${JSON.stringify(column)} reads ${JSON.stringify(from)}${near(from, to) || ' (a typo, or an old name this export no longer has?)'}`);
    }
    for (const label of task.retired) {
      if (used.has(label)) continue;
      out.push(`${task.name}: the retired label ${JSON.stringify(label)} matches no row: no cell of column ${JSON.stringify(column)} reads it, nor an alias leading to it${near(label) || ' (a typo, or a label this export no longer has?)'}`);
    }
  }
  return out;
}
