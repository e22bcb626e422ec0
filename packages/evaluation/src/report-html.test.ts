import { describe, expect, it } from 'vitest';
import { EvaluationReportSchema, evaluatePredictions, type TargetPrecision } from './evaluate.js';
import { evaluationReportJsonSchema } from './json-schema.js';
import type { PredictionLine } from './prediction-line.js';
import { reportPictures } from './pictures.js';
import { evaluationHtml, imbalanceClause } from './report-html.js';
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
    // Where the threshold came from, true of a refit model too (trained again on the validation rows it was chosen on).
    expect(html).toContain('a model trained again on them as well, <code>refit</code>, keeps the threshold of that first run, now on rows it has learnt');
    expect(html).not.toContain('`');
    expect(evaluationMarkdown(report)).toContain('2 predicted `other`, which has no queue.');
  });

  it('calls the mail imbalanced in the headline only when some task\'s labels are skewed (largest support 2x the smallest or more)', () => {
    // counts[label] emails of each label, every one right.
    const lines = (counts: Record<string, number>, task = 'intent'): PredictionLine[] =>
      Object.entries(counts).flatMap(([label, n]) => Array.from({ length: n }, () => ({ truth: { [task]: label }, prediction: { [task]: { label } } })));
    const headline = (page: string) => page.slice(page.indexOf('<p class="headline">'), page.indexOf('</p>', page.indexOf('<p class="headline">')));
    // Banking77's test set: 40 of each label.
    const balanced = evaluatePredictions(lines({ card_arrival: 40, card_linking: 40, atm_support: 40 }));
    expect(headline(evaluationHtml(balanced, []))).toContain('Macro-F1 (the mean of the per-label F1) leads: it weighs every label alike, however many emails it has.');
    expect(headline(evaluationHtml(balanced, []))).not.toContain('imbalanced');
    // Under 2x (40 and 21): not skewed; 2x or more: skewed, with the figures.
    expect(imbalanceClause(evaluatePredictions(lines({ a: 40, b: 21 })))).toBe('it weighs every label alike, however many emails it has');
    const skewed = evaluatePredictions(lines({ payments: 120, cards: 40, loans: 12 }));
    expect(headline(evaluationHtml(skewed, []))).toContain('leads: the mail is imbalanced (120 emails of the largest label, 12 of the smallest), so accuracy alone flatters the big queues.');
    // Several tasks: the most skewed named; a label only predicted (no truth) does not count as a small one.
    const two = evaluatePredictions([...lines({ a: 10, b: 10 }, 'topic').map((l, i) => ({ ...l, truth: { ...l.truth, queue: i < 15 ? 'x' : 'y' }, prediction: { ...l.prediction, queue: { label: i === 0 ? 'z' : i < 15 ? 'x' : 'y' } } }))]);
    expect(imbalanceClause(two)).toBe('the mail is imbalanced (in queue, 15 emails of its largest label, 5 of its smallest), so accuracy alone flatters the big queues');
  });

  it('says in every report form, at the task and in the summary, when a task falls short of the precision its threshold was chosen for', () => {
    // 4 routed to a queue (3 tax right, 1 login as tax): precision 75.0%.
    const report = routedReport(0.9);
    expect(report.targetPrecision).toBe(0.9);
    const html = evaluationHtml(report, reportPictures(report));
    // Four answered: 15 points short is within what chance explains (train would not warn): a note, not a warning.
    const short = 'Its target precision is 90.0%: 15.0 points short on these emails, within what chance explains on 4 answered (two standard errors: 30.0 points).';
    expect(html).toContain(`<p class="caption" data-short-of-target="queue"><b>Below its target:</b> ${short}</p>`);
    expect(html).toContain('<th scope="col">answered at own threshold (precision)</th>');
    // The summary says it is within chance, without the warning sign the beyond-chance shortfall below gets.
    expect(html).toContain('<td class="n">57.1% at 75.0%, under its 90.0% target (within chance)</td>');
    expect(html).not.toContain('&#9888; 57.1%');
    const md = evaluationMarkdown(report);
    expect(md).toContain(`**Note: below its target.** ${short}`);
    expect(md).not.toContain('Warning: below its target');
    expect(md).toMatch(/\| queue \| 7 \| .* \| 57\.1% at 75\.0%, under its 90\.0% target \(within chance\) \|/);
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
    expect(html).toContain(`<p class="warning" role="note" data-short-of-target="queue"><b>Below its target:</b> ${short}</p>`);
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
    const htmlPairs = [...htmlTable.matchAll(/<tr><th scope="row">([^<]*)<\/th><td>([^<]*)<\/td>/g)].map((m) => `${m[1]} -> ${m[2]}`);
    expect(mdPairs).toHaveLength(10);
    expect(htmlPairs).toEqual(mdPairs);
    expect(md).toContain('Most confused pairs (the 10 most frequent):');
    expect(html).toContain('<h3>Most confused pairs (the 10 most frequent)</h3>');
  });
});

/** Rows of the table in `html` after `from`: the row header, then the cells, as text. */
function rowsAfter(html: string, from: string): string[][] {
  const table = html.slice(html.indexOf(from), html.indexOf('</table>', html.indexOf(from)));
  return [...table.matchAll(/<tr><th scope="row"[^>]*>([^<]*)<\/th>((?:<td[^>]*>[^<]*<\/td>)*)<\/tr>/g)].map((m) => [m[1], ...[...m[2].matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => c[1])]);
}

describe('evaluationHtml for a screen reader and at 200% zoom (an accessibility review)', () => {
  // 7 emails: tax 3 of 4 right (one predicted `other`), login 1 of 2 (one as tax), other 1 of 1; 4 routed at 75.0%.
  const report = { ...routedReport(0.9), createdAt: '2026-12-06T15:46:49.965Z' };
  const html = evaluationHtml(report, reportPictures(report));

  it('says what each picture finds in a figcaption that describes its SVG, and gives its numbers as a table under it', () => {
    const findings = {
      'queue-confusion': 'Most confusion: login predicted as tax, 1 of 2 login emails (50.0%); 1 other pair as often.',
      'queue-reliability': 'Largest gap in the band 0.1 to 0.2 (1 email): 0.200 confident, right 1.000 of the time, under-confident by 80.0 points (MCE 0.8000), too few emails to judge; no band has 20 emails or more.',
      'queue-coverage': "At the model's own threshold, 0.500, 57.1% of the emails are routed automatically at precision 75.0%, 15.0 points under its 90.0% target.",
    };
    for (const [name, finding] of Object.entries(findings)) {
      expect(html).toMatch(new RegExp(`<figure class="pic" data-picture="${name}"[^>]*><svg aria-describedby="finding-${name}" `));
      expect(html).toContain(`<figcaption id="finding-${name}">${finding}</figcaption></figure><details data-numbers="${name}"><summary>The numbers of this picture</summary>`);
    }
    // The whole matrix, in the picture's order (most emails first), each row headed by its true label.
    expect(html).toContain("<caption>Confusion matrix of queue: emails of each true label (row) predicted as each label (column), and the row's emails</caption>");
    expect(html).toContain('<th scope="col">true label</th><th scope="col">tax</th><th scope="col">login</th><th scope="col">other</th><th scope="col">emails</th>');
    expect(rowsAfter(html, 'data-numbers="queue-confusion"')).toEqual([['tax', '3', '0', '1', '4'], ['login', '1', '1', '0', '2'], ['other', '0', '0', '1', '1']]);
    // Every band: its emails, their mean confidence and accuracy (none for an empty one).
    const bands = rowsAfter(html, 'data-numbers="queue-reliability"');
    expect(bands).toHaveLength(10);
    expect(bands[0]).toEqual(['0 to 0.1', '0', 'none', 'none']);
    expect(bands[8]).toEqual(['0.8 to 0.9', '2', '0.900', '0.500']);
    // The model's own point first, then the curve's; the target in the caption.
    const points = rowsAfter(html, 'data-numbers="queue-coverage"');
    expect(points[0]).toEqual(["model's own (0.500)", '57.1%', '4', '75.0%']);
    expect(points.slice(1).map((p) => p[0])).toEqual(['0.900', '0.800', '0.700', '0.600', '0.200']);
    expect(html).toContain("the dashed line is its target precision, 90.0%</caption>");
    // report.md: the same sentence under each picture.
    const md = evaluationMarkdown(report, { pictures: 'svg' });
    for (const [name, finding] of Object.entries(findings)) expect(md).toContain(`(pictures/${name}.svg)\n\n${finding}\n`);
  });

  it('heads every row and column of every table and captions each, under a heading for the summary too', () => {
    const tables = html.match(/<table>/g)?.length ?? 0;
    expect(tables).toBeGreaterThan(7);
    expect(html.match(/<table><caption( class="sr-only")?>[^<]+<\/caption><thead>/g)).toHaveLength(tables);
    expect(html).not.toMatch(/<th>|<tr><td/);
    expect(html).toMatch(/<h2 id="summary">Summary<\/h2>\n<div class="scroll"[^>]*><table><caption class="sr-only">Summary: each task's figures<\/caption>/);
    expect(html).toContain('<tr><th scope="row"><a href="#task-queue">queue</a></th><td class="n">7</td>');
    // Hidden where a heading above says what the table is; shown where none does.
    expect(html).toContain('<h3>Per class, weakest F1 first</h3>\n\n<div class="scroll" tabindex="0" role="region" aria-label="queue: per class, weakest F1 first, scrolls sideways"><table><caption class="sr-only">queue: per class, weakest F1 first</caption>');
    expect(html).toContain('<caption>queue: routed automatically and its precision at round thresholds</caption>');
    expect(html).toMatch(/\.sr-only\{position:absolute;width:1px;height:1px;[^}]*clip:rect\(0,0,0,0\)/);
    // The first table of the task: its routed mail by queue.
    expect(rowsAfter(html, 'data-task="queue"')).toEqual([['tax', '4', '1', '75.0%']]);
  });

  it('names each box that scrolls, says warnings as notes, gives the date in words and writes none in an empty cell', () => {
    expect(html.match(/<div class="scroll"/g)?.length).toBe(html.match(/<div class="scroll" tabindex="0" role="region" aria-label="[^"]+, scrolls sideways">/g)?.length);
    expect(html).toContain('<figure class="pic" data-picture="queue-confusion" tabindex="0" role="region" aria-label="Confusion matrix: queue, scrolls sideways">');
    const warned = evaluationHtml({ ...report, warnings: ['these are the rows the model was trained on'] }, []);
    expect(warned).toContain('<p class="warning" role="note"><b>Warning:</b> these are the rows the model was trained on</p>');
    expect(warned).not.toContain('role="alert"');
    expect(html).toContain('7 emails, evaluated <time datetime="2026-12-06T15:46:49.965Z">6 December 2026, 15:46 UTC</time>.');
    // A threshold that routes nothing has no precision: a word a screen reader says, in both forms.
    expect(html).toContain('<th scope="row" class="n">0.950</th><td class="n">0.0%</td><td class="n">none</td>');
    expect(html).not.toMatch(/>–</);
    const md = evaluationMarkdown(report);
    expect(md).toContain('| 0.950 | 0.0% | none |');
    expect(md).toMatch(/\| queue \| 7 \| 3 \| [^\n]* \| none \| 0\.3929 \|/);
    // At 200% zoom a picture shrinks to 3/4 of its size before its box scrolls (not kept whole, clipped); printed, to the page.
    expect(html).not.toContain('.pic svg{max-width:none}');
    const width = Number(/data-picture="queue-confusion"[^>]*><svg [^>]*width="(\d+)"/.exec(html)?.[1]);
    expect(html).toMatch(new RegExp(`data-picture="queue-confusion"[^>]*><svg [^>]*style="min-width:${Math.round(width * 0.75)}px"`));
    expect(html).toContain('@media print{body{background:#fff}main{max-width:none;padding:0}.pic{overflow:visible}.pic svg{min-width:0!important}');
  });
});
