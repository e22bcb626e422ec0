/**
 * A label the taxonomy does not know, on many rows, is most often one renamed in the CRM (`tax_documents`
 * exported as `tax`): the fix is an alias in the training config, which keeps the rows. Skipping them
 * (--on-bad-row skip) loses the whole class, so the hints name the alias first.
 */
import { closestName } from '../config-errors.js';
import { quotedAsWritten, quotedCell } from './quoted-cell.js';

/** Per task, the labels of bad rows that are not in its taxonomy, and on how many rows each is. */
export type UnknownLabels = Record<string, Record<string, number>>;

/** Rows from which an unknown label reads as a rename rather than a typo in a few cells. */
export const RENAMED_MIN_ROWS = 5;

/** The config to copy from: a complete example with aliases. */
export const EXAMPLE_CONFIG = 'packages/training/demo/demo-config.json';

/** Labels listed in a hint at most. */
const LISTED = 3;

export interface RenamedLabel {
  task: string;
  label: string;
  rows: number;
  /** The taxonomy's label closest to it, if one is close. */
  guess?: string;
  /** The task's taxonomy: with the rows read, the labels left without a row are the likelier old names (skippedLabelWarnings). */
  labels?: readonly string[];
}

/** The unknown labels on RENAMED_MIN_ROWS rows or more, the most frequent first. */
export function likelyRenamed(unknown: UnknownLabels, labelsOf: (task: string) => readonly string[]): RenamedLabel[] {
  const found: RenamedLabel[] = [];
  for (const [task, labels] of Object.entries(unknown)) {
    for (const [label, rows] of Object.entries(labels)) {
      if (rows >= RENAMED_MIN_ROWS) found.push({ task, label, rows, guess: closestName(label, labelsOf(task)), labels: labelsOf(task) });
    }
  }
  return found.sort((a, b) => b.rows - a.rows);
}

/**
 * `"aliases": {"tax": "tax_documents"}`, or a placeholder for the new name when none is close: JSON to copy into the
 * config, so a label's quotes and backslashes are escaped (`{"Kunde \"VIP\"": ...}`). A label that its quote does not
 * show as written (masked or cut: `quotedCell`) is a placeholder too: the message is kept (reports, CloudWatch).
 */
function aliasExample(r: RenamedLabel): string {
  const from = quotedAsWritten(r.label) ? JSON.stringify(r.label) : '"<that label, as the export writes it>"';
  return `"aliases": {${from}: ${JSON.stringify(r.guess ?? '<its label now>')}} in task ${r.task}`;
}

/**
 * Where to map a renamed label (`them`: several): in the config given (`--config`, named), else in a
 * training config to write (the demo config or the model's own was read), with the example to copy from.
 */
function mapWithAliases(configFile: string | undefined, them: 'it' | 'them'): string {
  return configFile === undefined ? `map ${them} with aliases in a training config (--config; see ${EXAMPLE_CONFIG})` : `add ${them === 'it' ? 'an alias' : 'aliases'} to ${configFile}`;
}

/**
 * `label "tax" of queue is on 654 rows: if it was renamed, map it with aliases in a training config
 * (--config; see ...), e.g. ...`, or undefined when no unknown label is on many rows. `configFile`: the
 * config given (--config), which the hint then says to add the alias to.
 */
export function renamedLabelHint(renamed: readonly RenamedLabel[], configFile?: string): string | undefined {
  if (renamed.length === 0) return undefined;
  const shown = renamed.slice(0, LISTED);
  const more = renamed.length > LISTED ? ` and ${renamed.length - LISTED} more` : '';
  const which =
    shown.length === 1
      ? `label ${quotedCell(shown[0].label)} of ${shown[0].task} is on ${shown[0].rows} rows`
      : `labels ${shown.map((r) => `${quotedCell(r.label)} (${r.task}, ${r.rows} rows)`).join(', ')}${more} are each on many rows`;
  return `${which}: if ${shown.length === 1 ? 'it was' : 'they were'} renamed, ${mapWithAliases(configFile, shown.length === 1 ? 'it' : 'them')}, e.g. ${aliasExample(shown[0])}`;
}

/**
 * With `onBadRow: 'skip'`, one warning per likely-renamed label: every row it is on was skipped, so a whole
 * class is missing (`what`: what that costs, e.g. `left out of the metrics`), not a few rows. The taxonomy's
 * label it is probably the old name of is said to have no rows left when it has none. `configFile`: as for renamedLabelHint.
 */
export function skippedLabelWarnings(renamed: readonly RenamedLabel[], rows: readonly { labels: Record<string, string | null> }[], what: string, configFile?: string): string[] {
  // Each task's rows per label, counted once a task: which labels have none left, and how many the guess has.
  const countsByTask = new Map<string, Map<string, number>>();
  const countsOf = (task: string) => {
    let counts = countsByTask.get(task);
    if (counts === undefined) countsByTask.set(task, (counts = labelCounts(rows.map((row) => row.labels[task]))));
    return counts;
  };
  // An export with a free-text label column has hundreds of such labels: the most frequent are said one by one.
  const warnings = renamed.slice(0, MAX_SKIPPED_WARNINGS).map((found) => {
    const counts = countsOf(found.task);
    const r = withLikelierGuess(found, counts);
    const left = r.guess === undefined ? undefined : (counts.get(r.guess) ?? 0);
    const empty = left === 0 ? `, and its label "${r.guess}" has no rows left` : '';
    return (
      `${r.task}: all ${r.rows} rows labelled ${quotedCell(r.label)} were skipped as bad rows (the label is not in the ${r.task} taxonomy), so they are ${what}${empty}; ` +
      `if ${quotedCell(r.label)} was renamed, ${mapWithAliases(configFile, 'it')}, e.g. ${aliasExample(r)}`
    );
  });
  const rest = renamed.slice(MAX_SKIPPED_WARNINGS);
  if (rest.length > 0) {
    const named = rest.slice(0, 10).map((r) => `${quotedCell(r.label)} (${r.task}, ${r.rows} rows)`);
    const more = rest.length > named.length ? `, and ${rest.length - named.length} more` : '';
    warnings.push(`${rest.length} more labels not in their taxonomy had all their rows skipped as bad rows, so they are ${what} too: ${named.join(', ')}${more}`);
  }
  return warnings;
}

/** Labels whose skipped rows get a warning each; the others share one. */
const MAX_SKIPPED_WARNINGS = 5;

/** How many of `labels` are each label (blanks not counted). */
export function labelCounts(labels: Iterable<string | null | undefined>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const label of labels) if (label !== null && label !== undefined) counts.set(label, (counts.get(label) ?? 0) + 1);
  return counts;
}

/**
 * `found` with the likelier old name as its guess: a taxonomy label left without a row (by `counts`, the task's
 * rows per label) that shares a word with it, rather than the closest spelling with rows of its own
 * ("Tech Support": "Technical Support", none left, not "IT Support").
 */
export function withLikelierGuess(found: RenamedLabel, counts: ReadonlyMap<string, number>): RenamedLabel {
  const emptied = (found.labels ?? []).filter((l) => !counts.has(l));
  return { ...found, guess: wordShared(found.label, emptied) ?? found.guess };
}

/** Words of a label, lower case: `Tech Support` -> tech, support. */
const wordsOf = (label: string): string[] => label.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);

/**
 * The one of `candidates` with the most words that a word of `label` starts, or is started by (3 letters at least:
 * `tech` and `technical`); undefined when none shares one, or two share as many.
 */
function wordShared(label: string, candidates: readonly string[]): string | undefined {
  const mine = wordsOf(label).filter((w) => w.length >= 3);
  const shared = (c: string) => wordsOf(c).filter((w) => w.length >= 3 && mine.some((m) => m.startsWith(w) || w.startsWith(m))).length;
  const scored = candidates.map((c) => ({ c, n: shared(c) })).filter((x) => x.n > 0).sort((a, b) => b.n - a.n);
  if (scored.length === 0 || (scored.length > 1 && scored[1].n === scored[0].n)) return undefined;
  return scored[0].c;
}
