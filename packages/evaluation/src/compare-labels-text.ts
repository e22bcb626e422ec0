import type { LabelComparison } from './compare-labels.js';
import type { Comparison, TaskComparison } from './compare.js';
import { compareCodePoints } from './labels.js';
import { cell, codeSpan } from './markdown.js';
import { pyFixed } from './python-format.js';

/** The largest drops of F1 the summary shows per task, whatever their size. */
export const LABEL_DROPS_SHOWN = 5;
/** A drop of a label's F1 (points) the summary shows whatever its rank, on a label of NOTABLE_SUPPORT emails or more. */
export const NOTABLE_DROP_POINTS = 5;
export const NOTABLE_SUPPORT = 10;
/** The most rows of a task's table of worse labels: comparison.json has every label. */
export const LABEL_ROWS_MAX = 12;

/** Below this a difference of F1 is float noise, not a drop. */
const EPSILON = 1e-9;

/** How many more of the emails it answers with the label (routes to the queue) the challenger gets wrong than the champion. */
export function moreWrong(l: LabelComparison): number {
  if (l.routed) return l.routed.challenger.misrouted - l.routed.champion.misrouted;
  if (l.answered) return l.answered.challenger.wrong - l.answered.champion.wrong;
  return 0;
}

/** Whether the label's F1 fell by NOTABLE_DROP_POINTS or more on NOTABLE_SUPPORT emails or more. */
export function notableDrop(l: LabelComparison): boolean {
  return l.f1Delta <= -NOTABLE_DROP_POINTS / 100 + EPSILON && l.support >= NOTABLE_SUPPORT;
}

/**
 * The labels the challenger does worse on (a lower F1, or more of the emails it answers with the label wrong), worst
 * first (the largest drop of F1, then the most more wrong), and those the summary shows: the LABEL_DROPS_SHOWN first,
 * every notable drop (`notableDrop`) and every label with more wrong, LABEL_ROWS_MAX at most.
 */
export function worseLabels(labels: readonly LabelComparison[]): { worse: LabelComparison[]; shown: LabelComparison[] } {
  const worse = labels
    .filter((l) => l.f1Delta < -EPSILON || moreWrong(l) > 0)
    .sort((x, y) => x.f1Delta - y.f1Delta || moreWrong(y) - moreWrong(x) || y.support - x.support || compareCodePoints(x.label, y.label));
  const shown = worse.filter((l, i) => i < LABEL_DROPS_SHOWN || notableDrop(l) || moreWrong(l) > 0).slice(0, LABEL_ROWS_MAX);
  return { worse, shown };
}

const f = (x: number): string => pyFixed(x, 4);
const signedPts = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}`;
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The table's columns of the mail each model answers with a label: misrouted to the queue, or answered wrongly. */
function answeredColumns(t: TaskComparison): { head: string; cells: (l: LabelComparison) => string } | undefined {
  const first = t.labels?.[0];
  if (first?.routed) {
    return {
      head: ' misrouted to it: champion | misrouted to it: challenger |',
      cells: (l) => (l.routed ? ` ${l.routed.champion.misrouted} of ${l.routed.champion.routed} | ${l.routed.challenger.misrouted} of ${l.routed.challenger.routed} |` : ' – | – |'),
    };
  }
  if (first?.answered) {
    return {
      head: ' answered wrongly: champion | answered wrongly: challenger |',
      cells: (l) => (l.answered ? ` ${l.answered.champion.wrong} of ${l.answered.champion.answered} | ${l.answered.challenger.wrong} of ${l.answered.challenger.answered} |` : ' – | – |'),
    };
  }
  return undefined;
}

/** One task's part: its table of the labels the challenger does worse on, or a line saying there are none. */
function taskLabelChanges(t: TaskComparison): string[] {
  const labels = t.labels ?? [];
  const { worse, shown } = worseLabels(labels);
  const columns = answeredColumns(t);
  const routed = labels[0]?.routed !== undefined;
  const answered = labels[0]?.answered !== undefined;
  const name = codeSpan(t.task);
  if (worse.length === 0) {
    const wrong = routed ? ', and no queue gets more misrouted mail' : answered ? ', and none more emails answered wrongly' : '';
    return ['', `${name}: no label has a lower F1 with the challenger${wrong}.`];
  }
  const lower = labels.filter((l) => l.f1Delta < -EPSILON).length;
  const higher = labels.filter((l) => l.f1Delta > EPSILON).length;
  const moreWrongOn = labels.filter((l) => moreWrong(l) > 0).length;
  const of = lower === labels.length && lower > 1 ? `all ${lower} of its labels` : `${lower} of its ${plural(labels.length, 'label')}`;
  const wrong = moreWrongOn === 0 ? '' : routed ? `; more mail misrouted to ${plural(moreWrongOn, 'queue')}` : `; more emails answered wrongly with ${plural(moreWrongOn, 'label')}`;
  const lines = [
    '',
    `${name}: F1 lower on ${of}, higher on ${higher === 0 ? 'none' : higher}${wrong}. Worst first:`,
    '',
    `| label | emails | F1: champion | F1: challenger | Δ F1 |${columns?.head ?? ''}`,
    `| --- | ---: | ---: | ---: | ---: |${columns ? ' ---: | ---: |' : ''}`,
  ];
  for (const l of shown) lines.push(`| ${cell(l.label)} | ${l.support} | ${f(l.champion.f1)} | ${f(l.challenger.f1)} | ${signedPts(l.f1Delta)} |${columns?.cells(l) ?? ''}`);
  const left = worse.length - shown.length;
  if (left > 0) lines.push('', `${plural(left, 'more label')} with a smaller drop of F1 ${left === 1 ? 'is' : 'are'} in comparison.json (\`tasks[].labels\`).`);
  if (!worse.some(notableDrop)) lines.push('', `No label's F1 fell by ${NOTABLE_DROP_POINTS} points or more on ${NOTABLE_SUPPORT} emails or more.`);
  return lines;
}

/**
 * The summary's part on labels (`comparisonMarkdown`): per compared task, the labels the challenger does worse on
 * (`worseLabels`), or a line saying there are none; what the tables show is said once above them, when there are any. `skip`: tasks whose figures do not compare (disjoint labels). No
 * lines when no task has per-label figures.
 */
export function labelChangesMarkdown(comparison: Pick<Comparison, 'tasks'>, skip: ReadonlySet<string> = new Set()): string[] {
  const tasks = comparison.tasks.filter((t) => t.labels !== undefined && t.labels.length > 0 && !skip.has(t.task));
  if (tasks.length === 0) return [];
  const parts = tasks.flatMap(taskLabelChanges);
  // No table: each task's line says it all, with nothing to read with care.
  if (tasks.every((t) => worseLabels(t.labels ?? []).worse.length === 0)) return parts;
  return [
    '',
    `Labels the challenger does worse on, per task: the ${LABEL_DROPS_SHOWN} largest drops of F1, any label whose F1 fell by ${NOTABLE_DROP_POINTS} points or more on ${NOTABLE_SUPPORT} emails or more, and any queue the challenger misroutes more mail to (any label it answers more emails wrongly with), each model at its own threshold. emails: the test emails that have the label; F1: each model's on them; Δ: challenger minus champion, in points. A label's figures rest on its emails alone (on 20 emails, one email more or less right moves F1 by 2 to 3 points), so a drop on few emails can be chance: no test of significance is made per label. comparison.json (\`tasks[].labels\`) has every label.`,
    ...parts,
  ];
}
