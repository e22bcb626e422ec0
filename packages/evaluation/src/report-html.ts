import { classificationReportText } from './classification-report.js';
import { coverageWords } from './coverage-words.js';
import { taskTargetPrecision, type EvaluationReport, type TaskReport } from './evaluate.js';
import { NONE, pictureFinding, pictureNumbers } from './picture-findings.js';
import type { Picture } from './pictures.js';
import { figure, STYLE, table, timeHtml } from './report-html-parts.js';
import {
  absentLabelsNote, BY_QUEUE_HEADING, languageSliceNote, languageTrainingCell, TRAINING_EMAILS_HEAD, byQueueRows, calibrationSentence, eceHead, EXAMPLES_FILE, EXAMPLES_LINE, hasOperating, leftOutWarning, macroF1IntervalText, majorityText, operatingCell, operatingSentence, readingGuide, routedPrecision, shortOfTarget, shortOfTargetWarned, shownConfusedPairs, SLICE_NOTE, thresholdText, unlabelledNote, unscoredLabelsNote, untestedLabelsNote, renamedLabelsNote,
} from './report-text.js';
import { esc, htmlCodeSpans } from './svg-common.js';
import { pyFixed } from './python-format.js';

// As the classification report rounds (Python's %f): one figure reads the same in every table of the page.
const f = (x: number): string => pyFixed(x, 4);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function taskSection(report: EvaluationReport, t: TaskReport, pictures: readonly Picture[], examples = false): string {
  const m = t.metrics;
  const total = report.lines;
  const target = taskTargetPrecision(report, t);
  const pic = (kind: Picture['kind']) => figure(pictures.find((p) => p.task === t.task && p.kind === kind), pictureFinding(report, t, kind), pictureNumbers(report, t, kind));
  /** A caption that says which task's table it is, for a screen reader alone: the heading above says what. */
  const named = (what: string) => ({ text: `${t.task}: ${what}` });
  const id = `task-${esc(t.task)}`;
  const parts = [`<section id="${id}" data-task="${esc(t.task)}"><h2>${esc(t.task)}</h2>`];
  const interval = macroF1IntervalText(t);
  const leftOut = leftOutWarning(t);
  if (leftOut) parts.push(`<p class="warning" role="note"><b>Warning:</b> ${esc(leftOut)}</p>`);
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
    parts.push(`<p class="${warned ? 'warning" role="note' : 'caption'}" data-short-of-target="${esc(t.task)}"><b>Below its target:</b> ${esc(short)}</p>`);
  }
  const majority = majorityText(t);
  if (majority) parts.push(`<p class="caption" data-majority="${esc(t.task)}"><b>Baseline:</b> ${esc(majority)}.</p>`);
  const queues = byQueueRows(t);
  if (queues.length > 0) {
    parts.push(`<h3>${esc(BY_QUEUE_HEADING)}</h3>`, table(named('routed automatically, by queue'), ['queue', 'routed', 'misrouted', 'precision'], queues.map(([q, ...rest]) => [esc(q), ...rest]), [false, true, true, true]));
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
    table(named('per class, weakest F1 first'), ['label', 'precision', 'recall', 'F1', 'support'], rows, [false, true, true, true, true]),
  );
  parts.push(`<details><summary>Classification report (scikit-learn layout)</summary><pre>${esc(classificationReportText(m, 4))}</pre></details>`);
  parts.push('<h3>Confusion matrix</h3>', pic('confusion'));
  const confused = shownConfusedPairs(t);
  if (confused.pairs.length > 0) {
    parts.push(
      `<h3>${confused.heading}</h3>`,
      table(
        named(confused.heading.replace(/^Most/, 'most')),
        ['true label', 'predicted as', 'count', 'share of true label'],
        confused.pairs.map((p) => [esc(p.truth), esc(p.predicted), String(p.count), pct(p.shareOfTruth)]),
        [false, false, true, true],
      ),
    );
    if (examples) parts.push(`<p class="caption">${esc(EXAMPLES_LINE)} <a href="${EXAMPLES_FILE}">${EXAMPLES_FILE}</a>.</p>`);
  }
  if (t.calibration) parts.push('<h3>Calibration</h3>', `<p class="caption" data-calibration="${esc(t.task)}">${esc(calibrationSentence(t) ?? '')}</p>`, pic('reliability'));
  if (t.coverage) {
    const w = coverageWords(report.routing, t.task, t.metrics.labels);
    parts.push('<h3>Abstention threshold: precision against coverage</h3>', pic('coverage'));
    parts.push(
      table(
        { text: `${t.task}: ${w.verb} automatically and its precision at round thresholds`, visible: true },
        ['threshold', `${w.verb} automatically`, `precision of ${w.verb}`],
        t.coverage.atThresholds.map((p) => [thresholdText(p.threshold), pct(p.coverage), routedPrecision(p)]),
        [true, true, true],
      ),
    );
    // With how many emails answered there, and `rough` under 20, as the model card says it.
    const targets = t.coverage.forTargetPrecision.map((x) => [
      pct(x.target),
      x.point ? thresholdText(x.point.threshold) : 'not reached',
      x.point ? `${pct(x.point.coverage)} (${x.point.routed})${x.point.routed < 20 ? ' rough' : ''}` : NONE,
    ]);
    parts.push(table({ text: `${t.task}: the threshold that reaches each target precision`, visible: true }, ['target precision', `threshold (least confident email ${w.verb})`, `${w.verb} automatically (emails; rough: under 20)`], targets, [true, true, true]));
  }
  for (const s of t.slices) {
    const language = report.languages?.key === s.key ? report.languages : undefined;
    // The language's training emails, the untrained marked as weak labels are: only where the model's counts are known.
    const training = language?.trainingEmails !== undefined;
    const trainingCell = (value: string): string[] => {
      const c = language ? languageTrainingCell(language, value) : undefined;
      return c === undefined ? [] : [c.untrained ? `<span class="weak" data-untrained-language>&#9888; ${esc(c.text)}</span>` : esc(c.text)];
    };
    parts.push(
      `<h3>By ${esc(s.key)}</h3>`,
      language ? `<p class="caption" data-languages><b>Note:</b> ${esc(languageSliceNote(language))}</p>` : '',
      `<p class="caption">${esc(SLICE_NOTE.charAt(0).toUpperCase() + SLICE_NOTE.slice(1))}.</p>`,
      table(
        named(`by ${s.key}`),
        ['value', 'examples', 'accuracy', 'macro-F1', 'weighted F1', ...(training ? [TRAINING_EMAILS_HEAD] : [])],
        s.values.map((v) => [esc(v.value), String(v.n), f(v.accuracy), f(v.macroF1), f(v.weightedF1), ...trainingCell(v.value)]),
        [false, true, true, true, true, true],
      ),
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

/** Imbalanced: in some task, the label with the most emails has at least this many times the emails of the one with fewest. */
const IMBALANCE_RATIO = 2;

/**
 * Why macro-F1 leads, as the headline says it: `the mail is imbalanced (…), so accuracy alone flatters the big queues`
 * when some task's labels are skewed (the largest label's support IMBALANCE_RATIO times the smallest's or more, over
 * the labels with a truth: a label only predicted has none), else that it weighs every label alike (a test set with
 * as many emails of each label, where accuracy flatters none).
 */
export function imbalanceClause(report: Pick<EvaluationReport, 'tasks'>): string {
  const skewed = report.tasks
    .map((t) => {
      const supports = t.metrics.perClass.map((c) => c.support).filter((n) => n > 0);
      return { task: t.task, most: Math.max(...supports), fewest: Math.min(...supports) };
    })
    .filter((x) => Number.isFinite(x.most) && x.most >= IMBALANCE_RATIO * x.fewest)
    .sort((a, b) => b.most / b.fewest - a.most / a.fewest);
  if (skewed.length === 0) return 'it weighs every label alike, however many emails it has';
  const [top] = skewed;
  const where = report.tasks.length > 1 ? ` (in ${top.task}, ${top.most} emails of its largest label, ${top.fewest} of its smallest)` : ` (${top.most} emails of the largest label, ${top.fewest} of the smallest)`;
  return `the mail is imbalanced${where}, so accuracy alone flatters the big queues`;
}

/** One self-contained HTML page (styles and SVG pictures inline, no scripts, no external assets). */
export function evaluationHtml(report: EvaluationReport, pictures: readonly Picture[], options: { examples?: boolean } = {}): string {
  const title = `Evaluation${report.modelId ? ` of ${report.modelId}` : ''}${report.dataset ? ` on ${report.dataset}` : ''}`;
  const operating = hasOperating(report);
  const atThreshold = (t: TaskReport) => {
    const target = taskTargetPrecision(report, t);
    const text = esc(operatingCell(t, target));
    // The warning sign only where the shortfall is beyond chance, as the task's section warns (else notes) it.
    return !shortOfTargetWarned(t, target) ? text : `<span class="weak">&#9888; ${text}</span>`;
  };
  const summary = table(
    { text: "Summary: each task's figures" },
    ['task', 'examples', 'labels', 'accuracy', 'macro-F1', 'weighted F1', eceHead(report), ...(operating ? ['answered at own threshold (precision)'] : [])],
    report.tasks.map((t) => [
      `<a href="#task-${esc(t.task)}">${esc(t.task)}</a>`,
      String(t.metrics.n),
      String(t.metrics.labels.length),
      f(t.metrics.accuracy),
      `<b>${f(t.metrics.macro.f1)}</b>`,
      f(t.metrics.weighted.f1),
      t.calibration ? f(t.calibration.ece) : NONE,
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
${(report.warnings ?? []).map((w) => `<p class="warning" role="note"><b>Warning:</b> ${esc(w)}</p>`).join('\n')}
${renamed === undefined ? '' : `<p class="caption" data-renamed-labels><b>Note:</b> ${esc(renamed)}</p>`}
<p class="headline">${report.lines} emails${report.createdAt ? `, evaluated ${timeHtml(report.createdAt)}` : ''}. All tasks right on <b data-metric="exact_match">${pct(report.exactMatch)}</b> of those with a label. Macro-F1 (the mean of the per-label F1) leads: ${esc(imbalanceClause(report))}. What each figure means: <a href="#reading">How to read these figures</a>, at the end.</p>
<h2 id="summary">Summary</h2>
${summary}
${report.tasks.map((t) => taskSection(report, t, pictures, options.examples)).join('\n')}
<section id="reading"><h2>How to read these figures</h2>
<dl class="guide">${readingGuide(report).map((g) => `<dt>${htmlCodeSpans(g.term)}</dt><dd>${htmlCodeSpans(g.meaning)}</dd>`).join('')}</dl></section>
</main></body></html>
`;
}
