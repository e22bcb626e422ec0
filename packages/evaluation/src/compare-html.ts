/**
 * gate.html: the comparison a service lead reads before approving a challenger, as one self-contained page. Its text
 * is gate.md's, rendered (so the page, the file and the terminal never say different things), with a picture of each
 * task's change in macro-F1 and its interval against the gate's limit, which the eye takes in faster than the table.
 */

import type { Marked } from 'marked';
import type { Comparison } from './compare.js';
import type { GateResult } from './gate.js';
import type { PictureNumbers } from './picture-findings.js';
import { figure, STYLE } from './report-html-parts.js';
import { esc, fitText, r2, svgDocument, textWidth } from './svg-common.js';

/** The picture's colours: red for a row whose macro-F1 check fails, blue for one whose check passes, grey for a task the gate leaves out. */
const FAIL = '#a50f15';
const PASS = '#1f5fa8';
const UNGATED = '#767676';

/**
 * How the gate judged a task's macro-F1, what the picture shows: its drop within the limit, past it, or a task the
 * policy's `tasks` leave out.
 */
export type TaskVerdict = 'fail' | 'pass' | 'ungated';

/** The name of a task's macro-F1 check, as applyGate makes it. */
const macroCheckOf = (task: string) => (name: string) => name.startsWith(`${task}: macro-F1 drop`);

export function taskVerdict(gate: GateResult, task: string): TaskVerdict {
  const check = gate.checks.find((c) => macroCheckOf(task)(c.name));
  if (check === undefined) return 'ungated';
  return check.pass ? 'pass' : 'fail';
}

/**
 * The task's other checks that failed (every email predicted, a queue lost, labels in common, an accuracy limit): what
 * the picture does not draw, said beside the task's row and in the caption, so that a dot within its limit is not
 * read as a pass of the task.
 */
export function otherFailedChecks(gate: GateResult, task: string): string[] {
  const macro = macroCheckOf(task);
  return gate.checks.filter((c) => !c.pass && c.name.startsWith(`${task}: `) && !macro(c.name)).map((c) => c.name.slice(task.length + 2));
}

/** Points with their sign, as gate.md writes them (`-0.86`, `+0.43`): a search of the page finds the picture's figures. */
const points = (x: number): string => `${x >= 0 ? '+' : '-'}${Math.abs(x * 100).toFixed(2)}`;

/** A step of 1, 2 or 5 times a power of ten that cuts `span` into about five parts. */
function niceStep(span: number): number {
  const raw = span / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
}

const ROW = 36;
const TOP = 58;
const WIDTH = 820;

/** A row of the picture: a task, or the mean over the gated tasks (no interval: the bootstrap gives none for it). */
interface ChartRow {
  label: string;
  /** Challenger minus champion, as a share (0.01 = 1 point). */
  delta: number;
  interval?: { lo: number; hi: number };
  verdict: TaskVerdict;
  /** The most the gate lets it drop, in points; absent for a row it does not judge. */
  limit?: number;
  /** The task's other checks that failed (otherFailedChecks). */
  others: string[];
}

/** The mean check's row, when the gate made one (two or more gated tasks). */
function meanRow(comparison: Pick<Comparison, 'tasks'>, gate: GateResult): ChartRow | undefined {
  const check = gate.checks.find((c) => c.name.startsWith('mean macro-F1'));
  const gated = comparison.tasks.filter((t) => taskVerdict(gate, t.task) !== 'ungated');
  if (check === undefined || gated.length < 2) return undefined;
  const delta = gated.reduce((sum, t) => sum + t.challenger.macroF1 - t.champion.macroF1, 0) / gated.length;
  return { label: 'mean of the gated tasks', delta, verdict: check.pass ? 'pass' : 'fail', limit: gate.policy.maxMeanMacroF1DropPoints, others: [] };
}

function chartRows(comparison: Pick<Comparison, 'tasks'>, gate: GateResult): ChartRow[] {
  const rows: ChartRow[] = comparison.tasks.map((t) => {
    const verdict = taskVerdict(gate, t.task);
    const others = otherFailedChecks(gate, t.task);
    return { label: t.task, delta: t.macroF1.delta, interval: { lo: t.macroF1.lo, hi: t.macroF1.hi }, verdict, ...(verdict === 'ungated' ? {} : { limit: gate.policy.maxMacroF1DropPoints }), others };
  });
  const mean = meanRow(comparison, gate);
  return mean === undefined ? rows : [...rows, mean];
}

const VERDICT_WORD: Record<TaskVerdict, string> = { fail: 'FAIL', pass: 'pass', ungated: 'not gated' };

/**
 * Each task's change in macro-F1 (challenger minus champion, in points) as a dot on its 95% interval, with a line at
 * no change and, on each gated task's row, a dashed mark at the most it may drop: a dot left of its mark fails. The
 * mean over the gated tasks, when the gate checks it, is the last row, a dot with its own mark.
 */
export function comparisonChartSvg(comparison: Pick<Comparison, 'tasks' | 'bootstrap'>, gate: GateResult, footer?: string): string {
  const rows = chartRows(comparison, gate);
  const level = `${Math.round(comparison.bootstrap.confidence * 100)}%`;
  const values = rows.flatMap((r) => [r.delta * 100, ...(r.interval ? [r.interval.lo * 100, r.interval.hi * 100] : []), ...(r.limit === undefined ? [] : [-r.limit])]);
  const low = Math.min(0, ...values);
  const high = Math.max(0, ...values);
  const step = niceStep(Math.max(high - low, 0.5));
  const from = Math.floor(low / step - 0.25) * step;
  const to = Math.ceil(high / step + 0.25) * step;
  const labelWidth = Math.min(200, Math.max(80, ...rows.map((r) => textWidth(r.label, 13))) + 8);
  const valueWidth = 210;
  const x0 = 20 + labelWidth;
  const plot = WIDTH - x0 - valueWidth - 20;
  const x = (pointsValue: number) => x0 + ((pointsValue - from) / (to - from)) * plot;
  const bottom = TOP + rows.length * ROW;
  const parts: string[] = [];
  parts.push(`<text x="20" y="26" font-size="16" font-weight="bold">${esc(`Change in macro-F1, challenger minus champion (points, ${level} intervals)`)}</text>`);
  const legend = `dot: the change; line: its ${level} interval; dashed: the most the gate lets it drop`;
  parts.push(`<text x="20" y="44" font-size="12" fill="#444">${esc(fitText(legend, WIDTH - 40, 12))}</text>`);
  const isZero = (v: number) => Math.abs(v) < step / 1e6;
  for (let v = from; v <= to + step / 2; v += step) {
    const at = r2(x(v));
    parts.push(`<line x1="${at}" y1="${TOP - 6}" x2="${at}" y2="${bottom}" stroke="${isZero(v) ? '#222' : '#e3e3e3'}" stroke-width="${isZero(v) ? 1.5 : 1}"/>`);
    parts.push(`<text x="${at}" y="${bottom + 16}" font-size="12" text-anchor="middle" fill="#333">${esc(isZero(v) ? '0' : points(v / 100))}</text>`);
  }
  parts.push(`<text x="${r2(x0 + plot / 2)}" y="${bottom + 36}" font-size="12" text-anchor="middle" fill="#333">${esc('points of macro-F1 (1 point = 0.01); right of 0: the challenger is better')}</text>`);
  rows.forEach((r, i) => {
    const y = TOP + i * ROW + ROW / 2;
    const colour = r.verdict === 'fail' ? FAIL : r.verdict === 'pass' ? PASS : UNGATED;
    parts.push(`<text x="${r2(x0 - 10)}" y="${y + 4}" font-size="13" text-anchor="end">${esc(fitText(r.label, labelWidth - 8, 13))}</text>`);
    if (r.limit !== undefined) parts.push(`<line x1="${r2(x(-r.limit))}" y1="${y - 12}" x2="${r2(x(-r.limit))}" y2="${y + 12}" stroke="${FAIL}" stroke-width="1.5" stroke-dasharray="3 2"/>`);
    if (r.interval) parts.push(`<line x1="${r2(x(r.interval.lo * 100))}" y1="${y}" x2="${r2(x(r.interval.hi * 100))}" y2="${y}" stroke="${colour}" stroke-width="2.5"/>`);
    parts.push(`<circle cx="${r2(x(r.delta * 100))}" cy="${y}" r="5.5" fill="${colour}"/>`);
    const value = `${points(r.delta)}${r.interval ? ` [${points(r.interval.lo)}, ${points(r.interval.hi)}]` : ''} ${VERDICT_WORD[r.verdict]}`;
    parts.push(`<text x="${r2(x0 + plot + 14)}" y="${y + 4}" font-size="13" fill="${colour}"${r.verdict === 'fail' ? ' font-weight="bold"' : ''}>${esc(fitText(value, valueWidth, 13))}</text>`);
    // Another check of the task failed: said under its figures, in the failing colour, as the dot cannot show it.
    if (r.others.length > 0) parts.push(`<text x="${r2(x0 + plot + 14)}" y="${y + 17}" font-size="11" fill="${FAIL}" font-weight="bold">${esc(fitText(`FAILS ${r.others.length === 1 ? 'another check' : `${r.others.length} other checks`}`, valueWidth, 11))}</text>`);
  });
  return svgDocument(WIDTH, bottom + 44, parts.join(''), `Change in macro-F1 per task, challenger minus champion`, footer);
}

/** What the picture shows, in one or two sentences, for its caption and a reader who cannot see it. */
export function comparisonChartFinding(comparison: Pick<Comparison, 'tasks' | 'bootstrap'>, gate: GateResult): string {
  const level = `${Math.round(comparison.bootstrap.confidence * 100)}%`;
  const said = (r: ChartRow) => {
    const spans = r.interval && r.interval.lo <= 0 && r.interval.hi >= 0;
    const interval = r.interval ? ` (${level} interval ${points(r.interval.lo)} to ${points(r.interval.hi)}${spans ? ', which spans 0' : r.interval.hi < 0 ? ', wholly below 0' : ', wholly above 0'})` : '';
    const judged = r.verdict === 'ungated' ? 'not gated' : r.verdict === 'fail' ? `fails (it may drop ${r.limit} points at most)` : 'within its limit';
    const others = r.others.length === 0 ? '' : `; the task fails another check all the same: ${r.others.join('; ')}`;
    return `${r.label} ${points(r.delta)} points${interval}: ${judged}${others}`;
  };
  return `Change in macro-F1, challenger minus champion: ${chartRows(comparison, gate).map(said).join('; ')}.`;
}

function chartNumbers(comparison: Pick<Comparison, 'tasks' | 'bootstrap'>, gate: GateResult): PictureNumbers {
  const level = `${Math.round(comparison.bootstrap.confidence * 100)}%`;
  return {
    caption: 'Each row of the picture: change in macro-F1 (points), its interval, the most it may drop and the gate',
    headers: ['task', 'Δ macro-F1 (points)', `${level} interval: low`, `${level} interval: high`, 'most drop allowed (points)', 'macro-F1 check', 'other checks failed'],
    rows: chartRows(comparison, gate).map((r) => [r.label, points(r.delta), r.interval ? points(r.interval.lo) : '–', r.interval ? points(r.interval.hi) : '–', r.limit === undefined ? '–' : String(r.limit), VERDICT_WORD[r.verdict], r.others.join('; ') || '–']),
    numeric: [false, true, true, true, true, false, false],
  };
}

/**
 * Markdown rendered with GitHub's tables; HTML in it shown as text, not rendered (the Markdown escapes the data's, this
 * is a second guard). Loaded when a page is made: what imports this package to score (serving) does not load it.
 */
let renderer: Promise<Marked> | undefined;
function markdownRenderer(): Promise<Marked> {
  renderer ??= import('marked').then(({ Marked }) => new Marked({ gfm: true, renderer: { html: ({ text }) => esc(text) } }));
  return renderer;
}

/** Every table in a box of its own that scrolls sideways on a narrow screen (focusable, named), as report.html's. */
function scrollingTables(html: string): string {
  let n = 0;
  return html
    .replace(/<table>/g, () => `<div class="scroll" tabindex="0" role="region" aria-label="table ${++n}, scrolls sideways"><table>`)
    .replace(/<\/table>/g, '</table></div>');
}

const GATE_STYLE = `blockquote{background:#fff4e5;border-left:4px solid #e08a00;padding:6px 10px;margin:8px 0}blockquote p{margin:0}
td:first-child{min-width:14ch;overflow-wrap:break-word}td[align=right],th[align=right]{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.verdict-fail{color:${FAIL}}.verdict-pass{color:${PASS}}`;

/**
 * The page: gate.md (`markdown`, as comparisonMarkdown and the compare command make it) rendered, the picture of the
 * changes after its first table. `footer`: what the picture was measured on, at its foot.
 */
export async function comparisonHtml(markdown: string, comparison: Pick<Comparison, 'tasks' | 'bootstrap'>, gate: GateResult, footer?: string): Promise<string> {
  const body = scrollingTables((await markdownRenderer()).parse(markdown, { async: false }));
  // The first heading's text, as the Markdown renderer escaped it (no tags: a code span's own are dropped).
  const title = /<h1>(.*?)<\/h1>/.exec(body)?.[1].replace(/<[^>]*>/g, '') ?? `Gate: ${gate.pass ? 'PASS' : 'FAIL'}`;
  const picture =
    comparison.tasks.length === 0
      ? ''
      : figure(
          { name: 'macro-f1-change', title: 'Change in macro-F1 per task', svg: comparisonChartSvg(comparison, gate, footer) },
          comparisonChartFinding(comparison, gate),
          chartNumbers(comparison, gate),
        );
  // After the first table (each task's figures), or at the end when there is none.
  const tableEnd = '</table></div>';
  const at = body.indexOf(tableEnd);
  const page = at < 0 ? `${body}${picture}` : `${body.slice(0, at + tableEnd.length)}${picture}${body.slice(at + tableEnd.length)}`;
  const verdictClass = gate.pass ? 'verdict-pass' : 'verdict-fail';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${title}</title><style>${STYLE}${GATE_STYLE}</style></head>
<body><main>
${page.replace(/^<h1>/, `<h1 class="${verdictClass}">`)}
</main></body></html>
`;
}
