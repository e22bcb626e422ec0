import { classificationReportText } from './classification-report.js';
import { coverageWords, type ReportRouting } from './coverage-words.js';
import { taskTargetPrecision, type EvaluationReport, type TaskReport } from './evaluate.js';
import type { Picture } from './pictures.js';
import {
  absentLabelsNote, BY_QUEUE_HEADING, byQueueRows, calibrationSentence, eceHead, EXAMPLES_FILE, EXAMPLES_LINE, hasOperating, leftOutWarning, macroF1IntervalText, operatingCell, operatingSentence, readingGuide, routedPrecision, shortOfTarget, shortOfTargetWarned, shownConfusedPairs, SLICE_NOTE, thresholdText, unlabelledNote, unscoredLabelsNote, untestedLabelsNote, renamedLabelsNote,
} from './report-text.js';
import { esc, htmlCodeSpans } from './svg-common.js';
import { pyFixed } from './python-format.js';

// As the classification report rounds (Python's %f): one figure reads the same in every table of the page.
const f = (x: number): string => pyFixed(x, 4);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

const STYLE = `
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:0;color:#1a1a1a;background:#fafafa}
main{max-width:1200px;margin:0 auto;padding:24px 32px;background:#fff}
h1{font-size:26px;margin:0 0 4px}h2{font-size:21px;margin:36px 0 8px;border-bottom:2px solid #1f5fa8;padding-bottom:4px}
h3{font-size:16px;margin:22px 0 6px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:14px}
th,td{border:1px solid #ddd;padding:4px 10px}th{background:#f0f4fa;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td{overflow-wrap:anywhere}td:first-child{min-width:14ch}.scroll{overflow-x:auto;max-width:100%}
pre{background:#f6f6f6;padding:12px;overflow-x:auto;font-size:13px}
code{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:0.92em;background:#f3f3f3;padding:0 3px;border-radius:3px}
.headline{font-size:15px;color:#333}.kpi{display:inline-block;margin:6px 18px 6px 0;padding:10px 14px;border:1px solid #dde;border-radius:6px;background:#f7f9fc}
.kpi b{display:block;font-size:22px}.kpi small{display:block;font-size:12px;color:#555}.pic{overflow-x:auto;margin:8px 0}.pic svg{max-width:100%;height:auto}
@media (max-width:720px){main{padding:12px}.pic svg{max-width:none}dl.guide{grid-template-columns:minmax(0,1fr)}dl.guide dd,h1{overflow-wrap:anywhere}}
.weak{color:#a50f15}.caption{font-size:14px;color:#333;margin:4px 0 8px}dl.guide{display:grid;grid-template-columns:max-content 1fr;gap:6px 16px;font-size:14px}dl.guide dt{font-weight:bold}dl.guide dd{margin:0}.operating{font-size:15px;background:#f4f0fa;border-left:4px solid #5b2c83;padding:6px 10px}.warning{background:#fff4e5;border-left:4px solid #e08a00;padding:6px 10px}details{margin:8px 0}
@page{margin:14mm}
@media print{body{background:#fff}main{max-width:none;padding:0}.pic{overflow:visible}a{color:inherit}
h2,h3,p.caption{break-after:avoid}figure,table,.kpi,p.operating,p.warning,dl.guide>*{break-inside:avoid}details{display:none}}
`;

function table(headers: string[], rows: string[][], numeric: boolean[] = []): string {
  const head = headers.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => (numeric[i] ? `<td class="n">${c}</td>` : `<td>${c}</td>`)).join('')}</tr>`).join('');
  // In a box of its own that scrolls sideways on a narrow screen, rather than breaking its cells mid-word.
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

function picture(p: Picture | undefined): string {
  if (!p) return '';
  return `<figure class="pic" data-picture="${esc(p.name)}">${p.svg}</figure>`;
}

function taskSection(t: TaskReport, pictures: readonly Picture[], routing: ReportRouting | undefined, total: number, target: number | undefined, examples = false): string {
  const m = t.metrics;
  const pic = (kind: Picture['kind']) => picture(pictures.find((p) => p.task === t.task && p.kind === kind));
  const id = `task-${esc(t.task)}`;
  const parts = [`<section id="${id}" data-task="${esc(t.task)}"><h2>${esc(t.task)}</h2>`];
  const interval = macroF1IntervalText(t);
  const leftOut = leftOutWarning(t);
  if (leftOut) parts.push(`<p class="warning" role="alert"><b>Warning:</b> ${esc(leftOut)}</p>`);
  parts.push(
    `<div><span class="kpi">accuracy<b data-metric="${esc(t.task)}.accuracy">${f(m.accuracy)}</b></span>` +
      `<span class="kpi">macro-F1<b data-metric="${esc(t.task)}.macro_f1">${f(m.macro.f1)}</b>${interval ? `<small data-interval="${esc(t.task)}">${esc(interval)}</small>` : ''}</span>` +
      `<span class="kpi">weighted F1<b data-metric="${esc(t.task)}.weighted_f1">${f(m.weighted.f1)}</b></span>` +
      t.topK.map((k) => `<span class="kpi">top-${k.k} accuracy<b>${f(k.accuracy)}</b></span>`).join('') +
      (t.calibration ? `<span class="kpi">calibration error (ECE, ${t.calibration.bins.length} bins)<b>${f(t.calibration.ece)}</b></span>` : '') +
      `<span class="kpi">examples<b>${m.n}</b></span></div>`,
  );
  const unlabelled = unlabelledNote(t, total);
  if (unlabelled) parts.push(`<p class="caption" data-unlabelled="${esc(t.task)}"><b>Note:</b> ${esc(unlabelled)}</p>`);
  const operating = operatingSentence(t);
  // Words of its own naming `other` as Markdown code (report.md's sentence): that name as code here, no backticks shown.
  if (operating) parts.push(`<p class="operating" data-operating="${esc(t.task)}"><b>At the model&#39;s own threshold:</b> ${htmlCodeSpans(operating)}</p>`);
  const short = shortOfTarget(t, target);
  if (short) {
    const warned = shortOfTargetWarned(t, target);
    parts.push(`<p class="${warned ? 'warning" role="alert' : 'caption'}" data-short-of-target="${esc(t.task)}"><b>Below its target:</b> ${esc(short)}</p>`);
  }
  const queues = byQueueRows(t);
  if (queues.length > 0) {
    parts.push(`<h3>${esc(BY_QUEUE_HEADING)}</h3>`, table(['queue', 'routed', 'misrouted', 'precision'], queues.map(([q, ...rest]) => [esc(q), ...rest]), [false, true, true, true]));
  }
  const absent = absentLabelsNote(t);
  if (absent) parts.push(`<p class="warning" data-absent="${esc(t.task)}"><b>Note:</b> ${esc(absent)}</p>`);
  const unscored = unscoredLabelsNote(t);
  if (unscored) parts.push(`<p class="warning" data-unscored="${esc(t.task)}"><b>Note:</b> ${esc(unscored)}</p>`);
  const untested = untestedLabelsNote(t);
  if (untested) parts.push(`<p class="caption" data-untested="${esc(t.task)}"><b>Note:</b> ${esc(untested)}</p>`);
  // A label no test email has is untested (the note above), not weak: its F1 of 0 says nothing of how it is found.
  const isWeak = (c: (typeof m.perClass)[number]) => c.support > 0 && c.f1 < m.macro.f1 - 0.2;
  const rows = [...m.perClass]
    .sort((a, b) => a.f1 - b.f1 || b.support - a.support)
    .map((c) => [isWeak(c) ? `<span class="weak">&#9660; ${esc(c.label)}</span>` : esc(c.label), f(c.precision), f(c.recall), f(c.f1), String(c.support)]);
  const weak = m.perClass.some(isWeak);
  parts.push(
    '<h3>Per class, weakest F1 first</h3>',
    weak ? `<p class="caption">Labels marked <span class="weak">&#9660;</span> (in red): F1 more than 0.20 below the task&#39;s macro-F1.</p>` : '',
    table(['label', 'precision', 'recall', 'F1', 'support'], rows, [false, true, true, true, true]),
  );
  parts.push(`<details><summary>Classification report (scikit-learn layout)</summary><pre>${esc(classificationReportText(m, 4))}</pre></details>`);
  parts.push('<h3>Confusion matrix</h3>', pic('confusion'));
  const confused = shownConfusedPairs(t);
  if (confused.pairs.length > 0) {
    parts.push(
      `<h3>${confused.heading}</h3>`,
      table(
        ['true label', 'predicted as', 'count', 'share of true label'],
        confused.pairs.map((p) => [esc(p.truth), esc(p.predicted), String(p.count), pct(p.shareOfTruth)]),
        [false, false, true, true],
      ),
    );
    if (examples) parts.push(`<p class="caption">${esc(EXAMPLES_LINE)} <a href="${EXAMPLES_FILE}">${EXAMPLES_FILE}</a>.</p>`);
  }
  if (t.calibration) parts.push('<h3>Calibration</h3>', `<p class="caption" data-calibration="${esc(t.task)}">${esc(calibrationSentence(t) ?? '')}</p>`, pic('reliability'));
  if (t.coverage) {
    const w = coverageWords(routing, t.task, t.metrics.labels);
    parts.push('<h3>Abstention threshold: precision against coverage</h3>', pic('coverage'));
    parts.push(
      table(
        ['threshold', `${w.verb} automatically`, `precision of ${w.verb}`],
        t.coverage.atThresholds.map((p) => [thresholdText(p.threshold), pct(p.coverage), routedPrecision(p)]),
        [true, true, true],
      ),
    );
    // With how many emails answered there, and `rough` under 20, as the model card says it.
    const targets = t.coverage.forTargetPrecision.map((x) => [
      pct(x.target),
      x.point ? thresholdText(x.point.threshold) : 'not reached',
      x.point ? `${pct(x.point.coverage)} (${x.point.routed})${x.point.routed < 20 ? ' rough' : ''}` : '–',
    ]);
    parts.push(table(['target precision', `threshold (least confident email ${w.verb})`, `${w.verb} automatically (emails; rough: under 20)`], targets, [true, true, true]));
  }
  for (const s of t.slices) {
    parts.push(
      `<h3>By ${esc(s.key)}</h3>`,
      `<p class="caption">${esc(SLICE_NOTE.charAt(0).toUpperCase() + SLICE_NOTE.slice(1))}.</p>`,
      table(['value', 'examples', 'accuracy', 'macro-F1', 'weighted F1'], s.values.map((v) => [esc(v.value), String(v.n), f(v.accuracy), f(v.macroF1), f(v.weightedF1)]), [false, true, true, true, true]),
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

/** One self-contained HTML page (styles and SVG pictures inline, no scripts, no external assets). */
export function evaluationHtml(report: EvaluationReport, pictures: readonly Picture[], options: { examples?: boolean } = {}): string {
  const title = `Evaluation${report.modelId ? ` of ${report.modelId}` : ''}${report.dataset ? ` on ${report.dataset}` : ''}`;
  const operating = hasOperating(report);
  const atThreshold = (t: TaskReport) => {
    const target = taskTargetPrecision(report, t);
    const text = esc(operatingCell(t, target));
    return shortOfTarget(t, target) === undefined ? text : `<span class="weak">&#9888; ${text}</span>`;
  };
  const summary = table(
    ['task', 'examples', 'labels', 'accuracy', 'macro-F1', 'weighted F1', eceHead(report), ...(operating ? ['answered at own threshold (precision)'] : [])],
    report.tasks.map((t) => [
      `<a href="#task-${esc(t.task)}">${esc(t.task)}</a>`,
      String(t.metrics.n),
      String(t.metrics.labels.length),
      f(t.metrics.accuracy),
      `<b>${f(t.metrics.macro.f1)}</b>`,
      f(t.metrics.weighted.f1),
      t.calibration ? f(t.calibration.ece) : '–',
      ...(operating ? [atThreshold(t)] : []),
    ]),
    [false, true, true, true, true, true, true, true],
  );
  const renamed = renamedLabelsNote(report);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${esc(title)}</h1>
${(report.warnings ?? []).map((w) => `<p class="warning" role="alert"><b>Warning:</b> ${esc(w)}</p>`).join('\n')}
${renamed === undefined ? '' : `<p class="caption" data-renamed-labels><b>Note:</b> ${esc(renamed)}</p>`}
<p class="headline">${report.lines} emails${report.createdAt ? `, evaluated ${esc(report.createdAt)}` : ''}. All tasks right on <b data-metric="exact_match">${pct(report.exactMatch)}</b> of those with a label. Macro-F1 (the mean of the per-label F1) leads: the mail is imbalanced, so accuracy alone flatters the big queues. What each figure means: <a href="#reading">How to read these figures</a>, at the end.</p>
${summary}
${report.tasks.map((t) => taskSection(t, pictures, report.routing, report.lines, taskTargetPrecision(report, t), options.examples)).join('\n')}
<section id="reading"><h2>How to read these figures</h2>
<dl class="guide">${readingGuide(report).map((g) => `<dt>${htmlCodeSpans(g.term)}</dt><dd>${htmlCodeSpans(g.meaning)}</dd>`).join('')}</dl></section>
</main></body></html>
`;
}
