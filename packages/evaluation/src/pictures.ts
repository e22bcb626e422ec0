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

/** A file-safe form of a task name. */
export function slug(s: string): string {
  // Letters of any script stay (`geschäft`, not `gesch-ft`); what a file system may refuse becomes `-`.
  return s.toLowerCase().normalize('NFC').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'task';
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
