import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EvaluationReport } from './evaluate.js';
import { evaluationReportJsonSchema } from './json-schema.js';
import { modelCardMarkdown, type ModelCardOptions } from './model-card.js';
import { reportPictures } from './pictures.js';
import { svgToPng } from './png.js';
import { evaluationHtml } from './report-html.js';
import { EXAMPLES_FILE, evaluationMarkdown, evaluationText } from './report-text.js';

export interface WriteReportOptions {
  /** Also write PNG versions of the pictures (slower: resvg). Default true. */
  png?: boolean;
  modelCard?: ModelCardOptions;
  onProgress?: (done: number, total: number, label?: string) => void;
  /** Stops the writing before its next file when aborted (Ctrl-C), throwing the signal's reason. */
  signal?: AbortSignal;
  /** `mistakes.md` (`mistakeExamplesMarkdown`): written beside the report, which links to it under each task's most confused pairs. */
  examples?: string;
}

/**
 * Writes a report directory: metrics.json (and its JSON Schema, metrics.schema.json), report.txt, report.md, report.html, model-card.md and
 * pictures/<task>-{confusion,reliability,coverage}.{svg,png}. Returns the written paths.
 */
export async function writeEvaluationReport(dir: string, report: EvaluationReport, options: WriteReportOptions = {}): Promise<string[]> {
  const pictures = reportPictures(report);
  const picDir = path.join(dir, 'pictures');
  await mkdir(picDir, { recursive: true });
  const written: string[] = [];
  const put = async (file: string, content: string | Buffer) => {
    options.signal?.throwIfAborted();
    await writeFile(file, content);
    written.push(file);
  };
  const total = 5 + pictures.length;
  let done = 0;
  const step = (label: string) => options.onProgress?.(++done, total, label);
  await put(path.join(dir, 'metrics.json'), `${JSON.stringify(report, null, 2)}\n`);
  await put(path.join(dir, 'metrics.schema.json'), `${JSON.stringify(evaluationReportJsonSchema(), null, 2)}\n`);
  step('metrics.json');
  await put(path.join(dir, 'report.txt'), evaluationText(report, 4, options.examples !== undefined));
  step('report.txt');
  const examples = options.examples !== undefined;
  await put(path.join(dir, 'report.md'), evaluationMarkdown(report, { pictures: (options.png ?? true) ? 'png' : 'svg', examples }));
  step('report.md');
  await put(path.join(dir, 'model-card.md'), modelCardMarkdown(report, options.modelCard));
  step('model-card.md');
  for (const p of pictures) {
    await put(path.join(picDir, `${p.name}.svg`), p.svg);
    if (options.png ?? true) await put(path.join(picDir, `${p.name}.png`), svgToPng(p.svg));
    step(p.name);
  }
  if (options.examples !== undefined) await put(path.join(dir, EXAMPLES_FILE), options.examples);
  await put(path.join(dir, 'report.html'), evaluationHtml(report, pictures, { examples }));
  step('report.html');
  return written;
}
