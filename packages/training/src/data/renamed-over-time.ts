import type { TaskConfig } from '../config.js';
import { OTHER_LABEL } from '../taxonomy.js';
import type { DatasetRow } from './dataset.js';
import { byLabel } from '../text-order.js';

/**
 * How many rows a label would have had, at its own rate, where it has none, for its absence to count: past its
 * last mail (it ended) or before its first (it began). At 8 the chance of none by luck is about 0.03%, and a
 * new queue in the last few days of an export does not make the labels around it look ended.
 */
const EXPECTED = 8;
/** How many labels of each side a warning names. */
const SHOWN = 3;

interface Span {
  label: string;
  rows: number;
  first: number;
  last: number;
}

const day = (time: number) => new Date(time).toISOString().slice(0, 10);

/** Each label's rows and first and last received time in a task (rows without a time or label not counted). */
function spans(rows: readonly DatasetRow[], task: string): { spans: Span[]; times: number[] } {
  const byLabel = new Map<string, Span>();
  const times: number[] = [];
  for (const row of rows) {
    const label = row.labels[task];
    if (label === null || label === undefined || row.time === undefined) continue;
    times.push(row.time);
    const span = byLabel.get(label);
    if (span === undefined) byLabel.set(label, { label, rows: 1, first: row.time, last: row.time });
    else {
      span.rows++;
      span.first = Math.min(span.first, row.time);
      span.last = Math.max(span.last, row.time);
    }
  }
  // `other` is where rare labels end up, not a name the CRM gave.
  return { spans: [...byLabel.values()].filter((s) => s.label !== OTHER_LABEL), times: times.sort((a, b) => a - b) };
}

/** How many of the sorted `times` are below `t` (`orEqual`: at most `t`). */
function countBelow(times: readonly number[], t: number, orEqual = false): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < t || (orEqual && times[mid] === t)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `"2fa" (115 rows, until 2026-04-30)`, the first few of them, with how many more. */
function listed(spans: readonly Span[], when: (span: Span) => string): string {
  const shown = spans.slice(0, SHOWN).map((s) => `"${s.label}" (${s.rows} rows, ${when(s)})`).join(', ');
  return spans.length > SHOWN ? `${shown} and ${spans.length - SHOWN} more` : shown;
}

/**
 * In a task without `labels` (any label is taken), labels that stop while the mail goes on, and labels that begin
 * after they stop: the CRM may have renamed them (`2fa` until April, `login_2fa` since May), and each old name and
 * its new one then train as two classes, the old one never right on new mail. A label stops (or begins) when,
 * at its own share of the mail while it ran, it would have had `EXPECTED` rows after its last (before its first).
 * One warning per task, naming both sides and the aliases that would merge them (the pair itself when one label
 * ends and one begins).
 */
export function renamedOverTimeWarnings(rows: readonly DatasetRow[], tasks: readonly TaskConfig[]): string[] {
  return tasks
    .filter((task) => task.labels === undefined)
    .flatMap((task) => {
      const { spans: all, times } = spans(rows, task.name);
      const share = (s: Span) => s.rows / (countBelow(times, s.last, true) - countBelow(times, s.first));
      const stopped = all.filter((s) => share(s) * (times.length - countBelow(times, s.last, true)) >= EXPECTED);
      const started = all.filter((s) => share(s) * countBelow(times, s.first) >= EXPECTED);
      const ended = stopped.filter((old) => started.some((s) => s.first > old.last)).sort((a, b) => a.last - b.last || byLabel(a.label, b.label));
      const begun = started.filter((s) => ended.some((old) => old.last < s.first)).sort((a, b) => a.first - b.first || byLabel(a.label, b.label));
      if (ended.length === 0) return [];
      const aliases = Object.fromEntries(ended.map((old) => [old.label, ended.length === 1 && begun.length === 1 ? begun[0].label : '<its new name>']));
      return [
        `${task.name}: ${listed(ended, (s) => `until ${day(s.last)}`)} end${ended.length === 1 ? 's' : ''} before ${listed(begun, (s) => `from ${day(s.first)}`)} begin${begun.length === 1 ? 's' : ''}: ` +
          `if the export renamed ${ended.length === 1 ? 'it' : 'them'}, each old name and its new one train as two classes; add to the task's aliases: ${JSON.stringify(aliases)} (a label dropped, not renamed, to its retired)`,
      ];
    });
}
