import { describe, expect, it } from 'vitest';
import { EvaluationReportSchema, evaluatePredictions, type TargetPrecision } from './evaluate.js';
import { evaluationReportJsonSchema } from './json-schema.js';
import type { PredictionLine } from './prediction-line.js';
import { reportPictures } from './pictures.js';
import { evaluationHtml } from './report-html.js';
import { evaluationMarkdown, evaluationText } from './report-text.js';
import { modelCardMarkdown } from './model-card.js';

/** A routing task whose catch-all `other` sends mail to manual triage: its words name `other` as Markdown code. */
function routedReport(targetPrecision?: number) {
  const line = (truth: string, label: string, confidence: number, abstained = false): PredictionLine => ({ truth: { queue: truth }, prediction: { queue: { label, confidence, abstained } } });
  const lines = [...[0.9, 0.8, 0.7].map((c) => line('tax', 'tax', c)), line('login', 'tax', 0.6), line('other', 'other', 0.95), line('tax', 'other', 0.9), line('login', 'login', 0.2, true)];
  return evaluatePredictions(lines, { routing: { queueTask: 'queue' }, thresholds: { queue: 0.5 }, ...(targetPrecision === undefined ? {} : { targetPrecision }) });
}

describe('evaluationHtml', () => {
  it('shows a name the words give as Markdown code (`other`) as HTML code, with no backtick left; report.md keeps its backticks', () => {
    const report = routedReport();
    const html = evaluationHtml(report, reportPictures(report));
    expect(html).toContain('2 predicted <code>other</code>, which has no queue.');
    // The reading guide names it too.
    expect(html).toContain('an email it gives <code>other</code>, the catch-all of rare queues');
    expect(html).not.toContain('`');
    expect(evaluationMarkdown(report)).toContain('2 predicted `other`, which has no queue.');
  });

  it('says in every report form, at the task and in the summary, when a task falls short of the precision its threshold was chosen for', () => {
    // 4 routed to a queue (3 tax right, 1 login as tax): precision 75.0%.
    const report = routedReport(0.9);
    expect(report.targetPrecision).toBe(0.9);
    const html = evaluationHtml(report, reportPictures(report));
    // Four answered: 15 points short is within what chance explains (train would not warn): a note, not a warning.
    const short = 'Its target precision is 90.0%: 15.0 points short on these emails, within what chance explains on 4 answered (two standard errors: 30.0 points).';
    expect(html).toContain(`<p class="caption" data-short-of-target="queue"><b>Below its target:</b> ${short}</p>`);
    expect(html).toContain('<th>answered at own threshold (precision)</th>');
    expect(html).toContain('<span class="weak">&#9888; 57.1% at 75.0%, under its 90.0% target</span>');
    const md = evaluationMarkdown(report);
    expect(md).toContain(`**Note: below its target.** ${short}`);
    expect(md).not.toContain('Warning: below its target');
    expect(md).toMatch(/\| queue \| 7 \| .* \| 57\.1% at 75\.0%, under its 90\.0% target \|/);
    // Plain text: one sentence after its `Note:` (no second capital after a colon).
    expect(evaluationText(report)).toContain('Note: below its target precision of 90.0% by 15.0 points on these emails, within what chance explains on 4 answered (two standard errors: 30.0 points).');
    expect(evaluationText(report)).not.toMatch(/: Its target/);
    expect(modelCardMarkdown(report)).toContain(short);
    // Reached, or no target known: no warning, the plain figure.
    for (const quiet of [routedReport(0.7), routedReport()]) {
      const page = evaluationHtml(quiet, []);
      expect(page).not.toContain('data-short-of-target');
      expect(page).toContain('<td class="n">57.1% at 75.0%</td>');
      expect(evaluationMarkdown(quiet)).not.toContain('below its target');
    }
  });

  it("compares each task with its own target precision when the targets are given per task, in every report form", () => {
    // Both tasks answer all 400 emails at 92.0%: short of the queue's own 95% (by more than chance explains on 400), not of the topic's 90%.
    const lines: PredictionLine[] = Array.from({ length: 400 }, (_, i) => ({
      truth: { queue: 'tax', topic: 'x' },
      prediction: { queue: { label: i % 25 < 23 ? 'tax' : 'login', confidence: 0.9, abstained: false }, topic: { label: i % 25 < 23 ? 'x' : 'y', confidence: 0.9, abstained: false } },
    }));
    const evaluate = (targetPrecision: TargetPrecision) => evaluatePredictions(lines, { routing: { queueTask: 'queue' }, thresholds: { queue: 0.5, topic: 0.5 }, targetPrecision });
    const report = evaluate({ queue: 0.95, topic: 0.9 });
    // metrics.json: each task's own, none for the report; its JSON Schema says so.
    expect(report.tasks.map((t) => [t.task, t.targetPrecision])).toEqual([['queue', 0.95], ['topic', 0.9]]);
    expect(report.targetPrecision).toBeUndefined();
    expect(EvaluationReportSchema.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
    const schema = evaluationReportJsonSchema() as { properties: { tasks: { items: { properties: Record<string, unknown> } } } };
    expect(schema.properties.tasks.items.properties.targetPrecision).toMatchObject({ type: 'number', minimum: 0, maximum: 1 });
    const short = 'Its target precision is 95.0%: 3.0 points short on these emails, more than chance explains on 400 answered (two standard errors: 2.2 points).';
    const html = evaluationHtml(report, reportPictures(report));
    expect(html).toContain(`<p class="warning" role="alert" data-short-of-target="queue"><b>Below its target:</b> ${short}</p>`);
    expect(html).not.toContain('data-short-of-target="topic"');
    expect(html).toContain('<span class="weak">&#9888; 100.0% at 92.0%, under its 95.0% target</span>');
    const md = evaluationMarkdown(report);
    expect(md.match(/below its target/g)).toHaveLength(1);
    expect(md).toContain(`> **Warning: below its target.** ${short}`);
    expect(md).toMatch(/\| queue \| 400 \| .* \| 100\.0% at 92\.0%, under its 95\.0% target \|/);
    expect(md).toMatch(/\| topic \| 400 \| .* \| 100\.0% at 92\.0% \|/);
    expect(evaluationText(report).match(/WARNING: below its target.*/g)).toEqual(['WARNING: below its target precision of 95.0% by 3.0 points on these emails, more than chance explains on 400 answered (two standard errors: 2.2 points).']);
    // The model card names each task's own target; the coverage charts draw each task's.
    const card = modelCardMarkdown(report);
    expect(card).toContain("chosen on its validation split for each task's own target precision)");
    expect(card).toMatch(/- \*\*queue\*\* \(target 95\.0%\): .* Its target precision is 95\.0%: 3\.0 points short on these emails, more than chance explains/);
    expect(card).toMatch(/- \*\*topic\*\* \(target 90\.0%\): [^\n]*\.$/m);
    expect(card).not.toMatch(/- \*\*topic\*\*.*short/);
    const legends = reportPictures(report).filter((p) => p.kind === 'coverage').map((p) => /chosen for: ([\d.]+%)/.exec(p.svg)?.[1]);
    expect(legends).toEqual(['95.0%', '90.0%']);
    // One target for every task: said once, at the report, and the queue reaches it.
    const shared = evaluate(0.9);
    expect(shared.targetPrecision).toBe(0.9);
    expect(shared.tasks.map((t) => t.targetPrecision)).toEqual([undefined, undefined]);
    expect(evaluationMarkdown(shared)).not.toContain('below its target');
    expect(modelCardMarkdown(shared)).toContain('chosen on its validation split for its target precision, 90.0%)');
    // A target that is no precision (a percentage) is refused, naming the task.
    expect(() => evaluate({ queue: 95 })).toThrow('targetPrecision of task queue: 95 is not a precision above 0 and at most 1 (0.95 for 95%)');
    expect(() => evaluate(90)).toThrow('targetPrecision: 90 is not a precision above 0 and at most 1 (0.95 for 95%)');
  });

  it('lists the same most confused pairs as report.md, and says how many when the task has more', () => {
    // 22 labels, each confused once with the next: 22 pairs, of which the report keeps 15.
    const labels = Array.from({ length: 22 }, (_, i) => `topic_${String(i).padStart(2, '0')}`);
    const lines: PredictionLine[] = labels.flatMap((l, i) => [
      { truth: { topic: l }, prediction: { topic: { label: l } } },
      { truth: { topic: l }, prediction: { topic: { label: labels[(i + 1) % 22] } } },
    ]);
    const report = evaluatePredictions(lines);
    expect(report.tasks[0].confusedPairs.length).toBeGreaterThan(10);
    const md = evaluationMarkdown(report);
    const html = evaluationHtml(report, []);
    const mdPairs = md
      .slice(md.indexOf('Most confused pairs'))
      .split('\n')
      .filter((l) => /^\| topic_/.test(l))
      .map((l) => l.split(' | ').slice(0, 2).join(' -> ').slice(2));
    const htmlTable = html.slice(html.indexOf('<h3>Most confused pairs'), html.indexOf('</table>', html.indexOf('<h3>Most confused pairs')));
    const htmlPairs = [...htmlTable.matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td>/g)].map((m) => `${m[1]} -> ${m[2]}`);
    expect(mdPairs).toHaveLength(10);
    expect(htmlPairs).toEqual(mdPairs);
    expect(md).toContain('Most confused pairs (the 10 most frequent):');
    expect(html).toContain('<h3>Most confused pairs (the 10 most frequent)</h3>');
  });
});
