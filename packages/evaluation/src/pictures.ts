import { coverageWords } from './coverage-words.js';
import type { EvaluationReport } from './evaluate.js';
import { coverageCurveSvg, reliabilityDiagramSvg } from './svg-charts.js';
import { confusionHeatmapSvg } from './svg-confusion.js';

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

/** Every picture of a report, as SVG text: per task the confusion heatmap, and with confidences the reliability diagram and coverage curve. */
export function reportPictures(report: EvaluationReport): Picture[] {
  const out: Picture[] = [];
  const taken = new Set<string>();
  for (const t of report.tasks) {
    // Two tasks whose names slug alike (`queue`, `Queue`) get `queue` and `queue-2`: no file overwrites another.
    let base = slug(t.task);
    for (let i = 2; taken.has(base); i++) base = `${slug(t.task)}-${i}`;
    taken.add(base);
    const confusionTitle = `Confusion matrix: ${t.task}`;
    out.push({ task: t.task, kind: 'confusion', name: `${base}-confusion`, title: confusionTitle, svg: confusionHeatmapSvg(t.metrics, { title: confusionTitle }) });
    if (t.calibration) {
      const title = `Reliability diagram: ${t.task}`;
      out.push({ task: t.task, kind: 'reliability', name: `${base}-reliability`, title, svg: reliabilityDiagramSvg(t.calibration, title) });
    }
    if (t.coverage) {
      const title = `Precision vs. coverage: ${t.task}`;
      out.push({ task: t.task, kind: 'coverage', name: `${base}-coverage`, title, svg: coverageCurveSvg(t.coverage, title, t.operating, coverageWords(report.routing, t.task, t.metrics.labels)) });
    }
  }
  return out;
}
