/**
 * What each picture of a report shows, in words and numbers, for a reader who cannot see it (a screen reader reads an
 * `<svg role="img">` as one item, its numbers never): one sentence of what it finds (report.html's figcaption, and
 * under the picture in report.md) and its data as a table (report.html's "The numbers of this picture").
 */

import { coverageWords } from './coverage-words.js';
import { taskTargetPrecision, type EvaluationReport, type TaskReport } from './evaluate.js';
import type { Picture } from './pictures.js';
import { pyFixed } from './python-format.js';
import type { Calibration, ReliabilityBin } from './scores.js';
import { largestGapBin, THIN_BIN } from './svg-charts.js';
import { supportOrder } from './svg-confusion.js';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
/** A threshold as every report shows it (report-text's `thresholdText`, not imported: report-text imports this module). */
const thresholdText = (x: number): string => pyFixed(x, 3);
const emails = (n: number): string => `${n} email${n === 1 ? '' : 's'}`;
/** A table cell with nothing to show: a word, as a screen reader says nothing of a dash. */
export const NONE = 'none';

/** A confidence band as the reliability diagram draws it: `0.8 to 0.9` (its emails' confidence is above 0.8, up to 0.9). */
export const bandText = (b: Pick<ReliabilityBin, 'lo' | 'hi'>): string => `${Number(b.lo.toFixed(3))} to ${Number(b.hi.toFixed(3))}`;

/** Plain text (escape it for its form): a caption, column heads, and rows whose first cell heads the row. */
export interface PictureNumbers {
  caption: string;
  headers: string[];
  rows: string[][];
  /** Per column: right-aligned figures. */
  numeric: boolean[];
}

/**
 * The confusion matrix's finding: its largest confusion, with how many emails of that true label it takes, `Most
 * confusion: complaints predicted as account_management, 9 of 75 complaints emails (12.0%).`; ties are counted.
 */
export function confusionFinding(t: TaskReport): string {
  const top = t.confusedPairs[0];
  if (top === undefined) return `No confusion: each of the ${emails(t.metrics.n)} is predicted as its true label.`;
  const { counts } = t.metrics.confusion;
  const ties = counts.reduce((sum, row, i) => sum + row.filter((c, j) => i !== j && c === top.count).length, 0) - 1;
  const support = counts[t.metrics.confusion.labels.indexOf(top.truth)]?.reduce((a, b) => a + b, 0) ?? 0;
  const also = ties > 0 ? `; ${ties} other pair${ties === 1 ? '' : 's'} as often` : '';
  return `Most confusion: ${top.truth} predicted as ${top.predicted}, ${top.count} of ${support} ${top.truth} emails (${pct(top.shareOfTruth)})${also}.`;
}

/** How a band's accuracy stands to its confidence: `over-confident by 6.1 points`. */
function gapWords(b: Pick<ReliabilityBin, 'accuracy' | 'confidence'>): string {
  const gap = (b.accuracy - b.confidence) * 100;
  return Math.abs(gap) < 0.05 ? 'as confident as it is right' : `${gap < 0 ? 'over' : 'under'}-confident by ${Math.abs(gap).toFixed(1)} points`;
}

/**
 * The reliability diagram's finding: the band of the largest gap (the MCE) and its emails, `Largest gap in the band 0.8
 * to 0.9 (120 emails): 0.853 confident, right 0.792 of the time, over-confident by 6.1 points (MCE 0.0610).`; when that
 * band is too thin to judge, also the largest gap of the bands that are not.
 */
export function reliabilityFinding(cal: Calibration): string {
  const worst = largestGapBin(cal);
  if (worst === undefined) return 'No email has a confidence.';
  const said = `Largest gap in the band ${bandText(worst)} (${emails(worst.count)}): ${worst.confidence.toFixed(3)} confident, right ${worst.accuracy.toFixed(3)} of the time, ${gapWords(worst)} (MCE ${pyFixed(cal.mce, 4)})`;
  if (worst.count >= THIN_BIN) return `${said}.`;
  const judged = largestGapBin({ ...cal, bins: cal.bins.filter((b) => b.count >= THIN_BIN) });
  const rest = judged === undefined ? `; no band has ${THIN_BIN} emails or more` : `; of the bands of ${THIN_BIN} emails or more, the largest gap is in ${bandText(judged)} (${emails(judged.count)}), ${gapWords(judged)}`;
  return `${said}, too few emails to judge${rest}.`;
}

/**
 * The coverage chart's finding: the model's own point against its target precision (the dashed line), `At the model's
 * own threshold, 0.656, 79.9% of the emails are answered automatically at precision 88.1%, 1.9 points under its 90.0%
 * target.`; without the model's point, the two ends of the round thresholds and where the target is reached.
 */
export function coverageFinding(t: TaskReport, verb: 'routed' | 'answered', target: number | undefined): string | undefined {
  const c = t.coverage;
  if (!c) return undefined;
  if (c.points.length === 0) return `No email is ${verb} automatically at any threshold.`;
  const o = t.operating;
  const against = (precision: number) =>
    target === undefined ? '' : precision >= target ? `, meeting its ${pct(target)} target` : `, ${((target - precision) * 100).toFixed(1)} points under its ${pct(target)} target`;
  if (o) {
    const at = o.threshold === undefined ? "At the model's own threshold" : `At the model's own threshold, ${thresholdText(o.threshold)},`;
    if (o.precision === null || o.routed === 0) return `${at} no email is ${verb} automatically${target === undefined ? '' : ` (its target precision: ${pct(target)})`}.`;
    return `${at} ${pct(o.coverage)} of the emails are ${verb} automatically at precision ${pct(o.precision)}${against(o.precision)}.`;
  }
  const marked = c.atThresholds.filter((p) => p.routed > 0);
  const low = marked[0];
  const high = marked[marked.length - 1];
  const ends =
    low === undefined || high === undefined
      ? `At no round threshold is an email ${verb} automatically`
      : `At threshold ${thresholdText(low.threshold)}, ${pct(low.coverage)} of the emails are ${verb} automatically at precision ${pct(low.precision)}${high === low ? '' : `; at ${thresholdText(high.threshold)}, ${pct(high.coverage)} at ${pct(high.precision)}`}`;
  if (target === undefined) return `${ends}.`;
  const best = c.points.filter((p) => p.precision >= target).reduce<number | undefined>((m, p) => (m === undefined || p.coverage > m ? p.coverage : m), undefined);
  return `${ends}; its ${pct(target)} target is ${best === undefined ? 'reached at no threshold' : `reached with at most ${pct(best)} ${verb}`}.`;
}

/** The finding of one picture of a task (`kind`), as `reportPictures` draws it. */
export function pictureFinding(report: EvaluationReport, t: TaskReport, kind: Picture['kind']): string | undefined {
  if (kind === 'confusion') return confusionFinding(t);
  if (kind === 'reliability') return t.calibration ? reliabilityFinding(t.calibration) : undefined;
  return coverageFinding(t, coverageWords(report.routing, t.task, t.metrics.labels).verb, taskTargetPrecision(report, t));
}

/** The numbers of one picture of a task, as a table; undefined for a picture the task does not have. */
export function pictureNumbers(report: EvaluationReport, t: TaskReport, kind: Picture['kind']): PictureNumbers | undefined {
  if (kind === 'confusion') return confusionNumbers(t);
  if (kind === 'reliability') return t.calibration ? reliabilityNumbers(t.task, t.calibration) : undefined;
  return coverageNumbers(report, t);
}

/** The whole confusion matrix, rows and columns in the picture's order, with each row's emails. */
function confusionNumbers(t: TaskReport): PictureNumbers {
  const m = t.metrics;
  const order = supportOrder(m);
  return {
    caption: `Confusion matrix of ${t.task}: emails of each true label (row) predicted as each label (column), and the row's emails`,
    headers: ['true label', ...order.map((i) => m.labels[i]), 'emails'],
    rows: order.map((r) => [m.labels[r], ...order.map((c) => String(m.confusion.counts[r][c])), String(m.perClass[r].support)]),
    numeric: [false, ...order.map(() => true), true],
  };
}

/** Each confidence band: its emails, their mean confidence and their accuracy (none for an empty band). */
function reliabilityNumbers(task: string, cal: Calibration): PictureNumbers {
  return {
    caption: `Reliability of ${task}: per confidence band, its emails, their mean confidence and the share right (bands of fewer than ${THIN_BIN} emails are too few to judge)`,
    headers: ['band', 'emails', 'mean confidence', 'accuracy'],
    rows: cal.bins.map((b) => [bandText(b), String(b.count), b.count === 0 ? NONE : b.confidence.toFixed(3), b.count === 0 ? NONE : b.accuracy.toFixed(3)]),
    numeric: [true, true, true, true],
  };
}

/** The curve's points, highest threshold first, the model's own point before them; the target in the caption. */
function coverageNumbers(report: EvaluationReport, t: TaskReport): PictureNumbers | undefined {
  const c = t.coverage;
  if (!c) return undefined;
  const { verb } = coverageWords(report.routing, t.task, t.metrics.labels);
  const target = taskTargetPrecision(report, t);
  const o = t.operating;
  const own = o ? [[`model's own${o.threshold === undefined ? '' : ` (${thresholdText(o.threshold)})`}`, pct(o.coverage), String(o.routed), o.precision === null || o.routed === 0 ? NONE : pct(o.precision)]] : [];
  return {
    caption: `Precision against coverage of ${t.task}: the curve's points, highest threshold first${o ? ", after the model's own point" : ''}${target === undefined ? '' : `; the dashed line is its target precision, ${pct(target)}`}`,
    headers: ['threshold', `${verb} automatically`, `emails ${verb}`, `precision of ${verb}`],
    rows: [...own, ...c.points.map((p) => [thresholdText(p.threshold), pct(p.coverage), String(p.routed), pct(p.precision)])],
    numeric: [true, true, true, true],
  };
}
