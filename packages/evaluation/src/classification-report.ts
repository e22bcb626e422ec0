import { pyFixed } from './python-format.js';
import type { TaskMetrics } from './task-metrics.js';

const HEADERS = ['precision', 'recall', 'f1-score', 'support'];

/** Python's `len`: code points, where `.length` counts UTF-16 units (an emoji is one character there, two here). */
function pyLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Python's `'%*s' % (width, s)`: `s` right-aligned in `width` characters as Python counts them. */
const rjust = (s: string, width: number): string => `${' '.repeat(Math.max(0, width - pyLen(s)))}${s}`;

/**
 * The text of scikit-learn's `classification_report(y_true, y_pred, digits=digits)`, character for
 * character: per-class rows, then "accuracy" (or "micro avg" when the labels leave some out),
 * "macro avg" and "weighted avg".
 */
export function classificationReportText(metrics: TaskMetrics, digits = 2): string {
  const lastHeading = 'weighted avg';
  const nameWidth = Math.max(0, ...metrics.labels.map(pyLen));
  const width = Math.max(nameWidth, lastHeading.length, digits);
  const num = (x: number): string => ` ${pyFixed(x, digits).padStart(9)}`;
  const int = (x: number): string => ` ${String(x).padStart(9)}`;
  let report = `${''.padStart(width)} ${HEADERS.map((h) => ` ${h.padStart(9)}`).join('')}\n\n`;
  for (const c of metrics.perClass) {
    report += `${rjust(c.label, width)} ${num(c.precision)}${num(c.recall)}${num(c.f1)}${int(c.support)}\n`;
  }
  report += '\n';
  const total = metrics.perClass.reduce((a, c) => a + c.support, 0);
  if (metrics.microIsAccuracy) {
    // Python formats the empty precision/recall cells with '{:>9.2}' on '': nine spaces.
    report += `${'accuracy'.padStart(width)} ${' '.repeat(10)}${' '.repeat(10)}${num(metrics.micro.f1)}${int(total)}\n`;
  } else {
    const m = metrics.micro;
    report += `${'micro avg'.padStart(width)} ${num(m.precision)}${num(m.recall)}${num(m.f1)}${int(total)}\n`;
  }
  for (const [heading, m] of [
    ['macro avg', metrics.macro],
    ['weighted avg', metrics.weighted],
  ] as const) {
    report += `${heading.padStart(width)} ${num(m.precision)}${num(m.recall)}${num(m.f1)}${int(total)}\n`;
  }
  return report;
}
