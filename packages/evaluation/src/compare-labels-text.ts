import type { LabelComparison } from './compare-labels.js';
import type { Comparison, TaskComparison } from './compare.js';
import { LOST_LABEL_BECAUSE, lostIn } from './gate.js';
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

/**
 * The fewest emails a difference on a label must rest on (fewer right, or more answered wrongly) for a drop of F1 or
 * more wrong answers to put the label in the summary beyond the LABEL_DROPS_SHOWN largest drops: one email more or
 * less is noise on a label.
 */
export const EMAILS_APART_MIN = 2;

/** How many more of the emails it answers with the label (routes to the queue) the challenger gets wrong than the champion. */
export function moreWrong(l: LabelComparison): number {
  if (l.routed) return l.routed.challenger.misrouted - l.routed.champion.misrouted;
  if (l.answered) return l.answered.challenger.wrong - l.answered.champion.wrong;
  return 0;
}

/** How many more emails of the label the challenger gets right than the champion (each one's top label, as F1 counts). */
export function rightDelta(l: LabelComparison): number {
  return l.challenger.right - l.champion.right;
}

/** Whether the challenger answers EMAILS_APART_MIN or more emails wrongly with the label than the champion does. */
function manyMoreWrong(l: LabelComparison): boolean {
  return moreWrong(l) >= EMAILS_APART_MIN;
}

/**
 * Whether the label's F1 fell by NOTABLE_DROP_POINTS or more on NOTABLE_SUPPORT emails or more, with EMAILS_APART_MIN
 * emails or more fewer right or more answered wrongly (a drop one email makes is not notable).
 */
export function notableDrop(l: LabelComparison): boolean {
  const apart = -rightDelta(l) >= EMAILS_APART_MIN || manyMoreWrong(l);
  return l.f1Delta <= -NOTABLE_DROP_POINTS / 100 + EPSILON && l.support >= NOTABLE_SUPPORT && apart;
}

const lowerF1 = (l: LabelComparison): boolean => l.f1Delta < -EPSILON;

/**
 * The labels the challenger does worse on, worst first, and those the summary shows. Worse: a label it lost (`lost`:
 * the champion's queues it cannot predict, first, whatever their F1: the champion's figures on them say what is lost),
 * a lower F1, or EMAILS_APART_MIN or more more of the emails it answers with the label wrong; a higher F1 with one
 * email more wrong is no worse (one email is noise). Then by the largest drop of F1 and the most more wrong. Shown:
 * the lost labels, the LABEL_DROPS_SHOWN largest drops (drops only: a label that got better is none), every notable
 * drop (`notableDrop`) and every label with EMAILS_APART_MIN or more more wrong, LABEL_ROWS_MAX at most.
 */
export function worseLabels(labels: readonly LabelComparison[], lost: ReadonlySet<string> = new Set()): { worse: LabelComparison[]; shown: LabelComparison[] } {
  const isLost = (l: LabelComparison) => lost.has(l.label);
  const worse = labels
    .filter((l) => isLost(l) || lowerF1(l) || manyMoreWrong(l))
    .sort(
      (x, y) =>
        Number(isLost(y)) - Number(isLost(x)) || x.f1Delta - y.f1Delta || moreWrong(y) - moreWrong(x) || y.support - x.support || compareCodePoints(x.label, y.label),
    );
  const largest = new Set(worse.filter((l) => !isLost(l) && lowerF1(l)).slice(0, LABEL_DROPS_SHOWN));
  const shown = worse.filter((l) => isLost(l) || largest.has(l) || notableDrop(l) || manyMoreWrong(l)).slice(0, LABEL_ROWS_MAX);
  return { worse, shown };
}

const f = (x: number): string => pyFixed(x, 4);
const signedPts = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}`;
const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * The table's columns of the mail each model answers with a label at its own threshold (misrouted to the queue, or
 * answered wrongly), and the sentence above the table saying which columns count on which basis.
 */
function answeredColumns(t: TaskComparison): { head: string; cells: (l: LabelComparison) => string; basis: string } {
  const first = t.labels?.[0];
  const top = (rest: string) =>
    `F1 and Δ right (emails of the label the challenger gets right, minus the champion's) count each model's top label on every email, its threshold ignored, and F1 also falls when more emails of other labels get this one${rest}. A difference of an email or two can be chance.`;
  if (first?.routed) {
    return {
      head: ' misrouted to it (at threshold): champion | misrouted to it (at threshold): challenger |',
      cells: (l) => (l.routed ? ` ${l.routed.champion.misrouted} of ${l.routed.champion.routed} | ${l.routed.challenger.misrouted} of ${l.routed.challenger.routed} |` : ' – | – |'),
      basis: top('; misrouted counts only the mail each routes to the queue at its own threshold'),
    };
  }
  if (first?.answered) {
    return {
      head: ' answered wrongly (at threshold): champion | answered wrongly (at threshold): challenger |',
      cells: (l) => (l.answered ? ` ${l.answered.champion.wrong} of ${l.answered.champion.answered} | ${l.answered.challenger.wrong} of ${l.answered.challenger.answered} |` : ' – | – |'),
      basis: top('; answered wrongly counts only the emails each answers at its own threshold'),
    };
  }
  return { head: '', cells: () => '', basis: top('') };
}

/** A task's labels the challenger lost (`lostIn`), by name, with why. */
function lostLabelsOf(t: TaskComparison): Map<string, string> {
  return new Map(lostIn(t).map((l) => [l.label, l.lost === undefined ? '' : LOST_LABEL_BECAUSE[l.lost]]));
}

/**
 * What the rows beyond the drops of F1 are, said in the line over the table so that its counts add up to the rows: the
 * lost labels (first), and those with a higher F1 or the same shown for EMAILS_APART_MIN or more more wrong.
 */
function otherRowsClause(t: TaskComparison, shown: readonly LabelComparison[], lost: ReadonlyMap<string, string>, routed: boolean): string {
  const parts: string[] = [];
  const lostShown = shown.filter((l) => lost.has(l.label)).length;
  const noEmail = [...lost.keys()].filter((label) => !(t.labels ?? []).some((l) => l.label === label));
  if (lostShown > 0) parts.push(`the challenger cannot predict ${plural(lostShown, routed ? 'queue' : 'label')} ${routed ? 'the champion routes mail to' : 'the champion gives'} (lost: first below, with the champion's figures on ${lostShown === 1 ? 'it' : 'them'})`);
  if (noEmail.length > 0) parts.push(`${lostShown > 0 ? 'nor' : 'the challenger cannot predict'} ${noEmail.map(codeSpan).join(', ')} (lost; no email here has ${noEmail.length === 1 ? 'it' : 'them'})`);
  const notLower = shown.filter((l) => !lost.has(l.label) && !lowerF1(l)).length;
  if (notLower > 0) parts.push(`shown too: ${plural(notLower, 'label')} whose F1 is not lower, with at least ${EMAILS_APART_MIN} more emails ${routed ? 'misrouted to' : 'answered wrongly with'} ${notLower === 1 ? 'it' : 'each'}`);
  return parts.map((p) => `; ${p}`).join('');
}

/** One task's part: its table of the labels the challenger does worse on, or a line saying there are none. */
function taskLabelChanges(t: TaskComparison): string[] {
  const labels = t.labels ?? [];
  const lost = lostLabelsOf(t);
  const { worse, shown } = worseLabels(labels, new Set(lost.keys()));
  const columns = answeredColumns(t);
  const routed = labels[0]?.routed !== undefined;
  const answered = labels[0]?.answered !== undefined;
  const name = codeSpan(t.task);
  const moreWrongOn = labels.filter((l) => moreWrong(l) > 0).length;
  const manyMoreOn = labels.filter(manyMoreWrong).length;
  if (worse.length === 0) {
    // Only a label's one email more wrong, if any: no row (one email is noise), but not said to be none.
    const one = moreWrongOn === 0 ? '' : `; ${plural(moreWrongOn, routed ? 'queue' : 'label')} ${routed ? `get${moreWrongOn === 1 ? 's' : ''} 1 email more misrouted` : `${moreWrongOn === 1 ? 'has' : 'have'} 1 email more answered wrongly`}${moreWrongOn === 1 ? '' : ' each'}, a difference one email makes`;
    const wrong = moreWrongOn > 0 ? one : routed ? ', and no queue gets more misrouted mail' : answered ? ', and none more emails answered wrongly' : '';
    return ['', `${name}: no label has a lower F1 with the challenger${wrong}${otherRowsClause(t, shown, lost, routed)}.`];
  }
  const lower = labels.filter(lowerF1).length;
  const higher = labels.filter((l) => l.f1Delta > EPSILON).length;
  const of = lower === labels.length && lower > 1 ? `all ${lower} of its labels` : `${lower} of its ${plural(labels.length, 'label')}`;
  // How many of them by EMAILS_APART_MIN emails or more, when not all: most are one email.
  const many = manyMoreOn === moreWrongOn ? '' : `, by ${EMAILS_APART_MIN} emails or more ${routed ? 'to' : 'with'} ${manyMoreOn === 0 ? 'none' : manyMoreOn}`;
  const wrong = moreWrongOn === 0 ? '' : routed ? `; more mail misrouted to ${plural(moreWrongOn, 'queue')}${many}` : `; more emails answered wrongly with ${plural(moreWrongOn, 'label')}${many}`;
  const cellOf = (l: LabelComparison) => (lost.has(l.label) ? `${cell(l.label)} (lost: ${cell(lost.get(l.label) ?? '')})` : cell(l.label));
  const lines = [
    '',
    `${name}: F1 lower on ${of}, higher on ${higher === 0 ? 'none' : higher}${wrong}${otherRowsClause(t, shown, lost, routed)}. Worst first:`,
    '',
    columns.basis,
    '',
    `| label | emails | F1 (top label): champion | F1 (top label): challenger | Δ F1 | Δ right |${columns.head}`,
    `| --- | ---: | ---: | ---: | ---: | ---: |${columns.head ? ' ---: | ---: |' : ''}`,
  ];
  for (const l of shown) lines.push(`| ${cellOf(l)} | ${l.support} | ${f(l.champion.f1)} | ${f(l.challenger.f1)} | ${signedPts(l.f1Delta)} | ${signed(rightDelta(l))} |${columns.cells(l)}`);
  const left = worse.length - shown.length;
  // Not shown: below LABEL_ROWS_MAX, drops outside the largest and not notable; past it, any label the rows left out.
  const which = shown.length === LABEL_ROWS_MAX ? `past the ${LABEL_ROWS_MAX} rows shown` : `${left === 1 ? 'a' : 'each a'} lower F1 outside the ${LABEL_DROPS_SHOWN} largest drops and no notable one`;
  if (left > 0) lines.push('', `${plural(left, 'more label')} the challenger does worse on, ${which}, ${left === 1 ? 'is' : 'are'} in comparison.json (\`tasks[].labels\`; written with --out).`);
  if (!worse.some(notableDrop)) lines.push('', `No label's F1 fell by ${NOTABLE_DROP_POINTS} points or more on ${NOTABLE_SUPPORT} emails or more with ${EMAILS_APART_MIN} emails or more fewer right or more wrong.`);
  return lines;
}

/**
 * The summary's part on labels (`comparisonMarkdown`, after the gate's checks): per compared task, the labels the
 * challenger does worse on (`worseLabels`), or a line saying there are none; which labels the tables show is said
 * once above them, when there are any, and on which basis each column counts right above each table. `skip`: tasks
 * whose figures do not compare (disjoint labels). No lines when no task has per-label figures.
 */
export function labelChangesMarkdown(comparison: Pick<Comparison, 'tasks'>, skip: ReadonlySet<string> = new Set()): string[] {
  const tasks = comparison.tasks.filter((t) => t.labels !== undefined && t.labels.length > 0 && !skip.has(t.task));
  if (tasks.length === 0) return [];
  const parts = tasks.flatMap(taskLabelChanges);
  // No table: each task's line says it all, with nothing to read with care.
  if (tasks.every((t) => worseLabels(t.labels ?? [], new Set(lostLabelsOf(t).keys())).worse.length === 0)) return parts;
  const lost = tasks.some((t) => lostIn(t).length > 0) ? 'any label it lost (cannot predict), first; ' : '';
  return [
    '',
    `Labels the challenger does worse on, per task: ${lost}the ${LABEL_DROPS_SHOWN} largest drops of F1; any label whose F1 fell by ${NOTABLE_DROP_POINTS} points or more on ${NOTABLE_SUPPORT} emails or more, with at least ${EMAILS_APART_MIN} emails fewer right or more wrong; and any label it answers at least ${EMAILS_APART_MIN} more emails wrongly with (or, for the task that routes mail, misroutes to). emails: the test emails that have the label. comparison.json (\`tasks[].labels\`; written with --out) has every label.`,
    ...parts,
  ];
}
