import { coverageWords } from './coverage-words.js';
import { taskTargetPrecision, type EvaluationReport } from './evaluate.js';
import { coverageCurveSvg, reliabilityDiagramSvg } from './svg-charts.js';
import { confusionHeatmapSvg } from './svg-confusion.js';

/** The name of a file a report writes in its pictures/ folder (`<task>-<kind>.svg` or `.png`): what an earlier report left there. */
export const REPORT_PICTURE_FILE = /^.+-(?:confusion|reliability|coverage)\.(?:svg|png)$/;

export interface Picture {
  task: string;
  kind: 'confusion' | 'reliability' | 'coverage';
  /** File name without extension, e.g. `queue-confusion`. */
  name: string;
  title: string;
  svg: string;
}

/**
 * Characters of a slug at most: a file name holds 255 bytes, a letter takes up to 4 in UTF-8, and a number and the
 * picture's kind follow (`-2-reliability.png`). Two tasks that share their first characters get numbers, as any two alike.
 */
const SLUG_MAX = 48;

/** A file-safe form of a task name. */
export function slug(s: string): string {
  // Letters of any script stay (`geschäft`, not `gesch-ft`); what a file system may refuse becomes `-`.
  const full = s.toLowerCase().normalize('NFC').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '');
  return [...full].slice(0, SLUG_MAX).join('').replace(/-$/, '') || 'task';
}

/**
 * Each task's file name base, in report order: two tasks whose names slug alike (`queue`, `Queue`) get `queue` and
 * `queue-2`, so no file overwrites another.
 */
export function pictureBases(report: EvaluationReport): Map<string, string> {
  const bases = new Map<string, string>();
  const taken = new Set<string>();
  for (const t of report.tasks) {
    let base = slug(t.task);
    for (let i = 2; taken.has(base); i++) base = `${slug(t.task)}-${i}`;
    taken.add(base);
    bases.set(t.task, base);
  }
  return bases;
}

/** What a task's pictures were measured on, at their foot: `model … · data … · 590 emails · 2026-12-04`. */
export function pictureFooter(report: EvaluationReport, n: number): string {
  return [
    report.modelId === undefined ? undefined : `model ${report.modelId}`,
    report.dataset === undefined ? undefined : `data ${report.dataset}`,
    `${n} email${n === 1 ? '' : 's'}`,
    report.createdAt?.slice(0, 10),
  ].filter((x) => x !== undefined).join(' · ');
}

/** Every picture of a report, as SVG text: per task the confusion heatmap, and with confidences the reliability diagram and coverage curve. */
export function reportPictures(report: EvaluationReport): Picture[] {
  const out: Picture[] = [];
  const bases = pictureBases(report);
  for (const t of report.tasks) {
    const base = bases.get(t.task) ?? slug(t.task);
    const footer = pictureFooter(report, t.metrics.n);
    const confusionTitle = `Confusion matrix: ${t.task}`;
    out.push({ task: t.task, kind: 'confusion', name: `${base}-confusion`, title: confusionTitle, svg: confusionHeatmapSvg(t.metrics, { title: confusionTitle, footer }) });
    if (t.calibration) {
      const title = `Reliability diagram: ${t.task}`;
      out.push({ task: t.task, kind: 'reliability', name: `${base}-reliability`, title, svg: reliabilityDiagramSvg(t.calibration, title, footer) });
    }
    if (t.coverage) {
      const title = `Precision vs. coverage: ${t.task}`;
      const target = taskTargetPrecision(report, t);
      const more = { footer, ...(target === undefined ? {} : { targetPrecision: target }) };
      out.push({ task: t.task, kind: 'coverage', name: `${base}-coverage`, title, svg: coverageCurveSvg(t.coverage, title, t.operating, coverageWords(report.routing, t.task, t.metrics.labels), more) });
    }
  }
  return out;
}
