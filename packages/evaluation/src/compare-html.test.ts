import { describe, expect, it } from 'vitest';
import { comparisonChartFinding, comparisonChartSvg, comparisonHtml, otherFailedChecks, taskVerdict } from './compare-html.js';
import { comparePredictions } from './compare.js';
import { applyGate, parseGatePolicy } from './gate.js';
import type { PredictionLine } from './prediction-line.js';
import { comparisonMarkdown } from './report-text.js';
import { syntheticPredictionLines } from './synthetic.js';

const tasks = { queue: ['payments', 'cards', 'loans', 'fraud'], area: ['retail', 'wealth', 'corporate'] };
const strong = syntheticPredictionLines({ n: 500, tasks, seed: 3, skill: 0.9 });
const weakRun = syntheticPredictionLines({ n: 500, tasks, seed: 3, skill: 0.6 });
// The challenger is as strong on area and far weaker on queue: queue fails the gate, area passes.
const mixed: PredictionLine[] = strong.map((l, i) => ({ ...l, prediction: { ...l.prediction, queue: weakRun[i].prediction.queue } }));
const comparison = comparePredictions(mixed, strong, { bootstrap: { resamples: 200, seed: 2 } });
const gate = applyGate(comparison);

/** The x of each task's dot and of its dashed limit mark, and the zero line's, read back from the picture. */
function positions(svg: string) {
  const dots = [...svg.matchAll(/<circle cx="([\d.-]+)" cy="([\d.-]+)" r="5.5" fill="(#[0-9a-f]{6})"\/>/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), colour: m[3] }));
  const marks = [...svg.matchAll(/<line x1="([\d.-]+)" y1="([\d.-]+)" x2="[\d.-]+" y2="[\d.-]+" stroke="#a50f15" stroke-width="1.5" stroke-dasharray="3 2"\/>/g)].map((m) => Number(m[1]));
  const zero = Number(/<line x1="([\d.-]+)" y1="[\d.-]+" x2="[\d.-]+" y2="[\d.-]+" stroke="#222"/.exec(svg)?.[1]);
  return { dots, marks, zero };
}

describe('gate.html', () => {
  it('judges each task as the gate did: failed, passed, or left out by the policy', () => {
    expect(gate.pass).toBe(false);
    expect(taskVerdict(gate, 'queue')).toBe('fail');
    expect(taskVerdict(gate, 'area')).toBe('pass');
    const onlyArea = applyGate(comparison, parseGatePolicy({ tasks: ['area'] }));
    expect(taskVerdict(onlyArea, 'queue')).toBe('ungated');
    expect(taskVerdict(onlyArea, 'area')).toBe('pass');
  });

  it("draws each task's change where its figures put it: left of 0 and of its limit when it fails, in the failing colour", () => {
    const svg = comparisonChartSvg(comparison, gate);
    const { dots, marks, zero } = positions(svg);
    const order = comparison.tasks.map((t) => t.task);
    // One dot per task and one for the mean the gate checks (two tasks gated), in that order.
    expect(dots).toHaveLength(order.length + 1);
    expect(marks).toHaveLength(order.length + 1);
    const queue = order.indexOf('queue');
    const area = order.indexOf('area');
    expect(comparison.tasks[queue].macroF1.delta).toBeLessThan(-0.05);
    expect(dots[queue].x).toBeLessThan(marks[queue]);
    expect(marks[queue]).toBeLessThan(zero);
    expect(dots[queue].colour).toBe('#a50f15');
    expect(dots[area].colour).toBe('#1f5fa8');
    // The scale is linear: the two dots' distance from 0 stands in the ratio of their changes.
    const ratio = (dots[queue].x - zero) / (dots[area].x - zero);
    const delta = comparison.tasks[queue].macroF1.delta / comparison.tasks[area].macroF1.delta;
    if (Math.abs(comparison.tasks[area].macroF1.delta) > 0.002) expect(ratio).toBeCloseTo(delta, 0);
    // The mean row: the mean of the two tasks' changes, failing its own check.
    const mean = (comparison.tasks[0].macroF1.delta + comparison.tasks[1].macroF1.delta) / 2;
    expect((dots[2].x - zero) / (dots[queue].x - zero)).toBeCloseTo(mean / comparison.tasks[queue].macroF1.delta, 1);
    expect(dots[2].colour).toBe('#a50f15');
    expect(comparisonChartFinding(comparison, gate)).toMatch(/queue -\d+\.\d\d points \(95% interval -[\d.]+ to -[\d.]+, wholly below 0\): fails \(it may drop 0\.5 points at most\)/);
  });

  it('leaves a task the policy does not gate grey and without a limit mark, and draws no mean for one gated task', () => {
    const onlyArea = applyGate(comparison, parseGatePolicy({ tasks: ['area'] }));
    const { dots, marks } = positions(comparisonChartSvg(comparison, onlyArea));
    expect(dots).toHaveLength(2);
    expect(marks).toHaveLength(1);
    expect(dots[comparison.tasks.findIndex((t) => t.task === 'queue')].colour).toBe('#767676');
    expect(comparisonChartFinding(comparison, onlyArea)).toContain(': not gated');
  });

  it("draws a task by its macro-F1 check, and says beside it and in the caption that another of its checks failed", () => {
    // The challenger leaves 5 emails' area unpredicted: area fails that check, though its macro-F1 is within its limit.
    const gaps = mixed.map((l, i) => (i < 5 ? { ...l, prediction: { queue: l.prediction.queue } } : l));
    const c = comparePredictions(gaps, strong, { bootstrap: { resamples: 100, seed: 2 } });
    const g = applyGate(c, parseGatePolicy({ tasks: ['area'] }));
    expect(g.checks.find((x) => x.name === 'area: every labelled email predicted by both models')?.pass).toBe(false);
    expect(taskVerdict(g, 'area')).toBe('pass');
    expect(otherFailedChecks(g, 'area')).toEqual(['every labelled email predicted by both models']);
    const svg = comparisonChartSvg(c, g);
    expect(positions(svg).dots[c.tasks.findIndex((t) => t.task === 'area')].colour).toBe('#1f5fa8');
    expect(svg).toContain('FAILS another check');
    expect(comparisonChartFinding(c, g)).toContain('within its limit; the task fails another check all the same: every labelled email predicted by both models');
  });

  it("renders gate.md as a page with the picture after the first table, and shows markup from the data as text", async () => {
    const markdown = comparisonMarkdown(comparison, gate, { challenger: 'm<script>alert(1)</script>', champion: 'champ' });
    const html = await comparisonHtml(markdown, comparison, gate, 'challenger x · champion y · 500 emails');
    expect(html).toContain('Content-Security-Policy');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('m&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toMatch(/<title>Gate: FAIL — m&lt;script&gt;alert\(1\)&lt;\/script&gt; vs champ<\/title>/);
    const firstTable = html.indexOf('</table></div>');
    const picture = html.indexOf('data-picture="macro-f1-change"');
    expect(firstTable).toBeGreaterThan(0);
    expect(picture).toBeGreaterThan(firstTable);
    expect(picture).toBeLessThan(html.indexOf('<table>', firstTable));
    // Every table scrolls in a named, focusable box; the Markdown's own tables are rendered, not left as pipes.
    expect(html.match(/<table>/g)?.length).toBe(html.match(/class="scroll" tabindex="0" role="region"/g)?.length);
    expect(html).not.toContain('| --- |');
    // The picture's caption is its finding; its numbers are a table under it.
    expect(html).toContain(`<figcaption id="finding-macro-f1-change">${comparisonChartFinding(comparison, gate)}</figcaption>`);
    expect(html).toContain('<summary>The numbers of this picture</summary>');
  });
});
