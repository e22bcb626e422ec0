import { describe, expect, it } from 'vitest';
import { PredictionFileError } from './errors.js';
import { EvaluationReportSchema, evaluatePredictions, headlineMetrics, sliceTaskMetrics } from './evaluate.js';
import { predictionLineJsonSchema } from './json-schema.js';
import { formatPredictionLines, parsePredictionLines, seenInTrainingWarning, withoutAutomatedMail, withoutAutomatedPairs, type PredictionLine } from './prediction-line.js';
import { comparisonMarkdown, evaluationMarkdown, evaluationText } from './report-text.js';
import { comparePredictions } from './compare.js';
import { applyGate } from './gate.js';
import { modelCardMarkdown } from './model-card.js';
import { reportPictures } from './pictures.js';
import { evaluationHtml } from './report-html.js';
import { syntheticPredictionLines } from './synthetic.js';
import { computeTaskMetrics } from './task-metrics.js';

/** A share the code computes (coverage, precision), equal to 12 decimal places: how it divides is its own. */
const share = (part: number, whole: number) => expect.closeTo(part / whole, 12);

const lines: PredictionLine[] = [
  { truth: { queue: 'cards', area: 'retail' }, prediction: { queue: { label: 'cards', scores: { cards: 0.9, loans: 0.1 } }, area: { label: 'retail' } }, meta: { language: 'de' } },
  { truth: { queue: 'loans', area: 'retail' }, prediction: { queue: { label: 'cards', scores: { cards: 0.6, loans: 0.4 } }, area: { label: 'retail' } }, meta: { language: 'en' } },
  { truth: { queue: 'loans' }, prediction: { queue: { label: 'loans', scores: { cards: 0.2, loans: 0.8 } }, area: { label: 'wealth' } }, meta: { language: 'de' } },
  { truth: { area: 'wealth' }, prediction: { queue: { label: 'loans', scores: { cards: 0.3, loans: 0.7 } }, area: { label: 'wealth' } }, meta: { language: 'en' } },
];

describe('prediction lines', () => {
  it('round-trips through JSONL and names the bad line', () => {
    const text = formatPredictionLines(lines);
    expect(parsePredictionLines(text)).toEqual(lines.map((l) => ({ ...l, truth: l.truth })));
    expect(() => parsePredictionLines(`${text}{"truth":{}}\n`, 'p.jsonl')).toThrow(/p\.jsonl:5: .*prediction/);
    expect(() => parsePredictionLines('{oops\n')).toThrow(PredictionFileError);
    expect(() => parsePredictionLines('\n\n')).toThrow(/no prediction lines/);
    // A misspelt key is an error, not a line quietly left out of every metric.
    expect(() => parsePredictionLines('{"truht":{"queue":"a"},"prediction":{"queue":{"label":"a"}}}\n', 'p.jsonl')).toThrow('p.jsonl:1: unknown key "truht" (did you mean "truth"?)');
    expect(() => parsePredictionLines('{"prediction":{"queue":{"label":"a","confidnce":0.9}}}\n', 'p.jsonl')).toThrow('p.jsonl:1: unknown key "confidnce" (did you mean "confidence"?) at prediction.queue');
    expect((predictionLineJsonSchema() as { required: string[] }).required).toEqual(['prediction']);
  });
});

describe('evaluatePredictions', () => {
  it('skips a task missing from truth on that line and scores the rest', () => {
    const r = evaluatePredictions(lines);
    expect(r.tasks.map((t) => t.task)).toEqual(['queue', 'area']);
    const queue = r.tasks[0];
    expect(queue.metrics.n).toBe(3);
    expect(queue.skipped.noTruth).toBe(1);
    expect(queue.metrics).toEqual(computeTaskMetrics(['cards', 'loans', 'loans'], ['cards', 'cards', 'loans']));
    expect(queue.calibration?.n).toBe(3);
    expect(queue.topK).toEqual([]); // k = 3, 5 are not below the two labels
    expect(r.tasks[1].metrics.n).toBe(3);
    expect(r.tasks[1].calibration).toBeNull();
    // Lines 1, 3 and 4 have every labelled task right; line 2 misses queue.
    expect(r.exactMatch).toBeCloseTo(3 / 4, 12);
    expect(r.tasks[0].slices[0].key).toBe('language');
    expect(EvaluationReportSchema.parse(JSON.parse(JSON.stringify(r)))).toEqual(r);
    expect(headlineMetrics(r)['queue.macro_f1']).toBeCloseTo(queue.metrics.macro.f1, 12);
  });

  it("links in report.md only the pictures there are: none of calibration or coverage for a task without confidences", () => {
    const lines: PredictionLine[] = Array.from({ length: 20 }, (_, i) => ({ id: `m${i}`, truth: { queue: i % 2 ? 'a' : 'b' }, prediction: { queue: { label: i % 3 ? 'a' : 'b' } } }));
    const report = evaluatePredictions(lines);
    const linked = [...evaluationMarkdown(report, { pictures: 'png' }).matchAll(/\]\(pictures\/([^)]+)\.png\)/g)].map((m) => m[1]);
    expect(linked).toEqual(reportPictures(report).map((p) => p.name));
    expect(linked).toEqual(['queue-confusion']);
  });

  it("bootstraps the macro-F1 interval over the label list the metrics average over: it holds the figure beside it", () => {
    const lines: PredictionLine[] = Array.from({ length: 200 }, (_, i) => {
      const truth = i % 2 ? 'a' : 'b';
      return { id: `m${i}`, truth: { q: truth }, prediction: { q: { label: i % 10 === 0 ? (truth === 'a' ? 'b' : 'a') : truth } } };
    });
    // Two labels of four have no email: each counts 0 in the macro-F1 (0.4495), and in every resample alike.
    const [task] = evaluatePredictions(lines, { labels: { q: ['a', 'b', 'c', 'd'] } }).tasks;
    expect(task.metrics.macro.f1).toBeCloseTo(0.4495, 4);
    expect(task.macroF1Interval?.lo).toBeLessThanOrEqual(task.metrics.macro.f1);
    expect(task.macroF1Interval?.hi).toBeGreaterThanOrEqual(task.metrics.macro.f1);
    expect(task.macroF1Interval?.hi).toBeLessThan(0.5);
  });

  it('reports slices whose sizes add up to the task', () => {
    const data = syntheticPredictionLines({ n: 400, tasks: { queue: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }, meta: { language: ['de', 'en'], bank: ['A', 'B', 'C'] } });
    const r = evaluatePredictions(data);
    const t = r.tasks[0];
    expect(t.slices.map((s) => s.key).sort()).toEqual(['bank', 'language']);
    for (const s of t.slices) expect(s.values.reduce((a, v) => a + v.n, 0)).toBe(400);
    const full = sliceTaskMetrics(data, 'queue', 'language');
    const de = t.slices.find((s) => s.key === 'language')?.values.find((v) => v.value === 'de');
    expect(Math.abs(full.de.macro.f1 - (de?.macroF1 ?? -1))).toBeLessThan(1e-12);
    expect(full.de.n + full.en.n).toBe(400);
    expect(t.topK.map((k) => k.k)).toEqual([3, 5]);
    expect(t.topK[0].accuracy).toBeGreaterThanOrEqual(t.metrics.accuracy);
    expect(t.confusedPairs.length).toBeGreaterThan(0);
    expect(t.confusedPairs[0].count).toBeGreaterThanOrEqual(t.confusedPairs[t.confusedPairs.length - 1].count);
    expect(() => evaluatePredictions(data, { sliceBy: ['bank', 'nosuchkey'] })).toThrow('no line has the meta key(s) "nosuchkey" to slice by (keys: language, bank)');
  });

  it('escapes values from the data and the manifest in the model card: no HTML, no split table cell, no broken line', () => {
    const hostile: PredictionLine[] = [
      { truth: { 'q|x': 'a|b' }, prediction: { 'q|x': { label: 'a|b' } }, meta: { '<b>src</b>': 'de' } },
      { truth: { 'q|x': 'x\n<script>alert(1)</script>' }, prediction: { 'q|x': { label: 'a|b' } }, meta: { '<b>src</b>': 'en' } },
    ];
    const r = evaluatePredictions(hostile, { modelId: 'm<img src=x onerror=alert(1)>', dataset: 'emails|<i>2026</i>.csv' });
    r.tasks[0].skipped.noPrediction = 1; // the left-out warning names the task
    const card = modelCardMarkdown(r, { trainingData: 'export <script>x</script>', training: { trainedAt: '2026-11-30<br>' } });
    // Outside code spans (whose text Markdown shows as it is) no tag is left.
    expect(card.replace(/`[^`\n]*`/g, '')).not.toMatch(/<(script|img|b|i|br)\b/);
    expect(card).toContain('# Model card: m&lt;img src=x onerror=alert(1)&gt;');
    expect(card).toContain('- Test set: emails\\|&lt;i&gt;2026&lt;/i&gt;.csv, 2 emails');
    expect(card).toContain('- Training data: export &lt;script&gt;x&lt;/script&gt;.');
    expect(card).toContain('trained 2026-11-30&lt;br&gt;');
    expect(card).toContain('By &lt;b&gt;src&lt;/b&gt; (of the 2 emails');
    expect(card).toContain('| q\\|x | 2 |'); // a table row of 6 cells, not 7
    // A label's newline would end the list item and start an HTML block on the next line.
    expect(card).toContain('`x <script>alert(1)</script>` (1)');
    expect(card).not.toMatch(/^<script/m);
    // Every row of a table has its header's cells: no value split a cell.
    const cells = (line: string) => line.replace(/\\\|/g, '').split('|').length;
    let head: number | undefined;
    for (const line of card.split('\n')) {
      if (!line.startsWith('|')) head = undefined;
      else if (head === undefined) head = cells(line);
      else expect(cells(line), line).toBe(head);
    }
    expect(card).toContain('| task | examples | accuracy | macro-F1 | weighted F1 | ECE | baseline accuracy / macro-F1 (always its most common label) |');
  });

  it('shows a label\'s Markdown characters as they are in report.md, the model card and the comparison: no italics, code or links', () => {
    // `x|*em*` is predicted but no email has it: the Note lines name it; the others are in the tables.
    const labels = ['_u_', 'a`b', '[l](http://e)', 'payments_transfers', '~~s~~'];
    const data: PredictionLine[] = labels.flatMap((l, i) => [
      { truth: { queue: l }, prediction: { queue: { label: l } }, meta: { bank: '*b*' } },
      { truth: { queue: l }, prediction: { queue: { label: i === 0 ? 'x|*em*' : l } }, meta: { bank: 'c' } },
    ]);
    const r = evaluatePredictions(data);
    const md = evaluationMarkdown(r);
    const card = modelCardMarkdown(r);
    const comparison = comparePredictions(data, data, { bootstrap: { resamples: 20, seed: 1 } });
    const gate = comparisonMarkdown(comparison, applyGate(comparison), { challenger: 'm*1*', champion: '_m2_' });
    for (const [form, text] of Object.entries({ md, card })) {
      expect(text, form).toContain('No test email has the label x\\|\\*em\\*, yet the model gave it to 1 email');
      // Outside code spans (whose text Markdown shows as it is).
      expect(text.replace(/`[^`\n]*`/g, ''), form).not.toMatch(/[^\\]\*em|[^\\]_u|[^\\]~~s|[^\\]\[l\]/);
    }
    expect(md).toContain('| \\_u\\_ | 1.0000 |');
    expect(md).toContain('| a\\`b | 1.0000 |');
    expect(md).toContain('| \\[l\\](http://e) | 1.0000 |');
    expect(md).toContain('| payments_transfers | 1.0000 |');
    expect(md).toContain('| \\*b\\* |');
    expect(gate).toContain('# Gate: PASS — m\\*1\\* vs \\_m2\\_');
  });

  it('writes text, Markdown and a model card with the key numbers', () => {
    const r = evaluatePredictions(lines, { modelId: 'ngram-bag-test', dataset: 'fixture' });
    const text = evaluationText(r);
    expect(text).toContain('== queue (3 examples) ==');
    expect(text).toContain('weighted avg');
    const md = evaluationMarkdown(r);
    expect(md).toContain('# Evaluation of ngram-bag-test on fixture');
    expect(md).toContain(`**${r.tasks[0].metrics.macro.f1.toFixed(4)}**`);
    const card = modelCardMarkdown(r);
    expect(card).toContain('## Intended use');
    expect(card).toContain('## Known weaknesses');
    expect(card).toContain('| queue | 3 |');
  });

  it('warns in every report when lines with a label have no prediction for it', () => {
    const dropped: PredictionLine[] = [...lines, { truth: { queue: 'loans' }, prediction: { area: { label: 'retail' } } }, { truth: { queue: 'cards' }, prediction: { area: { label: 'retail' } } }];
    const r = evaluatePredictions(dropped);
    expect(r.tasks[0].skipped.noPrediction).toBe(2);
    const warning = '2 lines with a label of task queue have no prediction of it and are left out of its figures';
    expect(modelCardMarkdown(r)).toContain(warning);
    expect(evaluationHtml(r, [])).toContain(`<p class="warning" role="note"><b>Warning:</b> ${warning}`);
    // In metrics.json (and so at the head of every report form) too, with the count per task: not only n falling.
    const head = "lines with a truth label but no prediction are left out of their task's figures (the model or pipeline dropped them): queue 2 of 5 labelled lines";
    expect(r.warnings).toEqual([head]);
    expect(evaluationMarkdown(r)).toContain(`> **Warning:** ${head}`);
    expect(evaluationText(r)).toContain(`WARNING: ${head}`);
    expect(evaluationMarkdown(evaluatePredictions(lines))).not.toContain('Warning');
    expect(evaluatePredictions(lines).warnings).toBeUndefined();
  });

  it('warns of a predicted task no line has a truth label for: not measured, not left out without a word', () => {
    // The area column left empty: every line predicts area, none is labelled in it.
    const blank = lines.map((l) => ({ ...l, truth: { queue: l.truth.queue ?? null } }));
    const r = evaluatePredictions(blank, { warnings: ['from predicting'] });
    expect(r.tasks.map((t) => t.task)).toEqual(['queue']);
    const warning = 'no line has a truth label for area, which is predicted: not measured, and left out of every figure (an empty or missing label column?)';
    expect(r.warnings).toEqual(['from predicting', warning]);
    expect(modelCardMarkdown(r)).toContain(`**Warning: ${warning}**`);
    // Tasks the caller chose leave the others out on purpose.
    expect(evaluatePredictions(blank, { tasks: ['queue'] }).warnings).toBeUndefined();
  });

  it('warns when lines repeat an id: each repeat counts again in every figure', () => {
    const ided = lines.map((l, i) => ({ ...l, id: `e${i + 1}` }));
    const r = evaluatePredictions([...ided, ...ided, ided[0]]);
    expect(r.tasks[0].metrics.n).toBe(7);
    expect(r.warnings).toEqual(['4 ids are carried by more than one line (e1, e2, e3, e4): 5 lines more than emails, each counting again in every figure (the same predictions given twice?)']);
    const many = Array.from({ length: 7 }, (_, i) => ({ ...lines[0], id: `m${i}` }));
    expect(evaluatePredictions([...many, ...many]).warnings?.[0]).toMatch(/^7 ids are carried by more than one line \(m0, m1, m2, m3, m4, …\): 7 lines more/);
    // Lines without ids are not repeats of each other.
    expect(evaluatePredictions([...lines, ...lines]).warnings).toBeUndefined();
  });

  it('says how many lines have a label but no prediction when a task is never predicted', () => {
    const never = lines.map((l) => ({ ...l, truth: { ...l.truth, t2: 'x' } }));
    expect(() => evaluatePredictions(never)).toThrow('task t2: no line has both a truth label and a prediction (4 lines have a label of it, none a prediction of it)');
  });

  it('shows no precision where a threshold routes nothing, and says how many emails a precision point rests on', () => {
    const few: PredictionLine[] = Array.from({ length: 5 }, (_, i) => ({ truth: { queue: i === 0 ? 'cards' : 'loans' }, prediction: { queue: { label: 'cards', confidence: i === 0 ? 0.92 : 0.5 } } }));
    const r = evaluatePredictions(few);
    const md = evaluationMarkdown(r);
    expect(md).toContain('| 0.950 | 0.0% | none |');
    expect(md).toContain('| 0.900 | 20.0% | 100.0% |');
    const card = modelCardMarkdown(r);
    expect(card).toContain('| task | precision 80.0% | precision 90.0% | precision 95.0% | precision 99.0% |');
    expect(card).toContain('| queue | 0.920: 20.0% (1) rough | 0.920: 20.0% (1) rough | 0.920: 20.0% (1) rough | 0.920: 20.0% (1) rough |');
    expect(card).not.toContain('Where the model routes'); // the lines do not say whether the model abstained
    // 0.92 is the least confident email answered, not the lowest threshold that answers it: any above 0.5 does (0.60 in the table above).
    expect(card).not.toContain('lowest');
    expect(card).toContain('The threshold is the confidence of the least confident email answered');
    expect(evaluationHtml(r, [])).not.toContain('lowest threshold');
    // Without the model's routing, no task is said to route; with it, the card names the task that does.
    expect(card.slice(card.indexOf('## Choosing'))).not.toMatch(/rout/);
    const withRouting = modelCardMarkdown(evaluatePredictions(few, { routing: { queueTask: 'queue' } }));
    expect(withRouting).toContain('For `queue`, the task that routes mail, the emails answered are the ones routed automatically.');
  });

  it("states where the model routes at its own thresholds, from the lines' abstained flags", () => {
    const lines: PredictionLine[] = Array.from({ length: 10 }, (_, i) => ({
      truth: { queue: i < 7 ? 'cards' : 'loans' },
      prediction: { queue: { label: 'cards', confidence: i < 6 ? 0.9 : 0.4, abstained: i >= 6 } },
    }));
    const r = evaluatePredictions(lines);
    expect(r.tasks[0].operating).toEqual({ routed: 6, coverage: 0.6, precision: 1 });
    const card = modelCardMarkdown(r, { warnings: ['the data is the model\'s training data'] });
    expect(card).toContain('- **queue**: answers 60.0% (6 of 10) at precision 100.0%; abstains on the other 4. Only 6 answered: a rough estimate.');
    // Without the routing, the task that names the queue, unnamed; with it, in the model's own task names.
    // No task has the catch-all `other` here: none is said to predict it. One task: no "other tasks" to speak of.
    expect(card).toContain('An email goes to manual triage when the task that names its queue abstains.');
    expect(card).not.toContain('the other tasks only flag');
    const routed = modelCardMarkdown(evaluatePredictions(lines, { routing: { queueTask: 'queue', abstainTasks: ['queue', 'topic'] } }));
    expect(routed).toContain('An email goes to manual triage when its `queue` task, the one that names its queue, abstains, or when `topic` abstains.');
    expect(routed).toContain('when its `queue` task, the one that names its queue, is below its confidence threshold, or when `topic` abstains.');
    expect(card.split('\n').slice(0, 3)).toEqual(['# Model card: unnamed model', '', "**Warning: the data is the model's training data**"]);
  });

  it('gives each task a bootstrap interval of its macro-F1 that holds the figure, narrows with more emails and is the same each run', () => {
    const tasks = { queue: ['payments', 'cards', 'loans', 'fraud'] };
    const few = evaluatePredictions(syntheticPredictionLines({ n: 60, seed: 3, tasks, skill: 0.8 })).tasks[0];
    const many = evaluatePredictions(syntheticPredictionLines({ n: 3000, seed: 3, tasks, skill: 0.8 })).tasks[0];
    for (const t of [few, many]) {
      const i = t.macroF1Interval;
      expect(i).toMatchObject({ level: 0.95, resamples: 1000 });
      expect(i?.lo).toBeLessThanOrEqual(t.metrics.macro.f1 + 1e-12);
      expect(i?.hi).toBeGreaterThanOrEqual(t.metrics.macro.f1 - 1e-12);
    }
    const width = (t: typeof few) => (t.macroF1Interval?.hi ?? 0) - (t.macroF1Interval?.lo ?? 0);
    expect(width(many)).toBeGreaterThan(0);
    expect(width(many)).toBeLessThan(width(few) / 3);
    expect(evaluatePredictions(syntheticPredictionLines({ n: 60, seed: 3, tasks, skill: 0.8 })).tasks[0].macroF1Interval).toEqual(few.macroF1Interval);
    // Large test sets take fewer resamples: at most 2e7 email draws.
    expect(evaluatePredictions(syntheticPredictionLines({ n: 50_000, seed: 3, tasks, skill: 0.8 })).tasks[0].macroF1Interval?.resamples).toBe(400);
    // Said in the reports beside the figure.
    const report = evaluatePredictions(syntheticPredictionLines({ n: 60, seed: 3, tasks, skill: 0.8 }));
    expect(evaluationText(report)).toMatch(/macro-F1 [0-9.]+, 95% interval [0-9.]+ to [0-9.]+ \(bootstrap over these emails, 1000 resamples\)/);
    expect(evaluationHtml(report, [])).toMatch(/<small data-interval="queue">95% interval [0-9.]+ to [0-9.]+<\/small>/);
  }, 60_000);

  it("puts each task's operating point at the model's threshold in report.txt, report.md and report.html, beside its headline figures", () => {
    const lines: PredictionLine[] = Array.from({ length: 10 }, (_, i) => ({
      truth: { queue: i < 7 ? 'cards' : 'loans' },
      prediction: { queue: { label: 'cards', confidence: i < 6 ? 0.9 : 0.4, abstained: i >= 6 } },
    }));
    const r = evaluatePredictions(lines, { thresholds: { queue: 0.7454 } });
    expect(r.tasks[0].operating).toEqual({ routed: 6, coverage: 0.6, precision: 1, threshold: 0.7454 });
    expect(EvaluationReportSchema.parse(r)).toEqual(r);
    const said = 'answers 60.0% (6 of 10) at precision 100.0% (threshold 0.745); abstains on the other 4. Only 6 answered: a rough estimate.';
    const text = evaluationText(r).split('\n');
    expect(text.slice(0, 2)).toEqual(['== queue (10 examples) ==', `At the model's own threshold: ${said}`]);
    const md = evaluationMarkdown(r).split('\n');
    const heading = md.indexOf('## queue');
    const interval = r.tasks[0].macroF1Interval;
    expect(interval?.lo).toBeLessThanOrEqual(0.4118);
    expect(md.slice(heading, heading + 5)).toEqual([
      '## queue',
      '',
      `Accuracy 0.7000, macro-F1 **0.4118** (95% interval ${interval?.lo.toFixed(4)} to ${interval?.hi.toFixed(4)}, by bootstrap over these emails: another draw of as many would likely fall there), 10 examples.`,
      '',
      `**At the model's own threshold:** ${said}`,
    ]);
    const html = evaluationHtml(r, []);
    expect(html).toContain(`<p class="operating" data-operating="queue"><b>At the model&#39;s own threshold:</b> ${said}</p>`);
    expect(html.indexOf('data-operating="queue"')).toBeLessThan(html.indexOf('Per class'));
    expect(modelCardMarkdown(r)).toContain(`- **queue**: ${said}`);
    // Without the manifest (a predictions file), the point is said without its threshold.
    expect(evaluationText(evaluatePredictions(lines))).toContain("At the model's own threshold: answers 60.0% (6 of 10) at precision 100.0%; abstains");
  });

  it('counts as routed only what the route sends to a queue: `other` (no queue) and an abstaining watched task go to manual triage', async () => {
    const line = (truth: string, label: string, confidence: number, abstained = false, flag = false): PredictionLine => ({
      truth: { queue: truth, priority: 'high' },
      prediction: { queue: { label, confidence, abstained }, priority: { label: 'high', confidence: 0.9, abstained: flag } },
    });
    // 10 emails: 6 routed to a queue (5 right), 3 predicted `other` (confident, 2 of them rightly), 1 below the threshold.
    const routedLines = [
      ...[0.9, 0.9, 0.8, 0.8, 0.7].map((c) => line('tax', 'tax', c)),
      line('login', 'tax', 0.6),
      line('other', 'other', 0.95),
      line('other', 'other', 0.95),
      line('tax', 'other', 0.9),
      line('login', 'login', 0.2, true),
    ];
    const report = evaluatePredictions(routedLines, { routing: { queueTask: 'queue' }, thresholds: { queue: 0.5 } });
    const queue = report.tasks[0];
    expect(queue.operating).toEqual({ routed: 6, coverage: share(6, 10), precision: share(5, 6), threshold: 0.5, manualTriage: { lowConfidence: 1, noQueue: 3 }, byQueue: [{ queue: 'tax', routed: 6, right: 5 }] });
    // Per queue, what reaches the team unlooked-at: 1 of the 6 sent to tax belongs elsewhere.
    expect(evaluationMarkdown(report)).toContain('| queue | routed | misrouted | precision |\n| --- | ---: | ---: | ---: |\n| tax | 6 | 1 | 83.3% |');
    expect(evaluationHtml(report, [])).toContain('<th scope="row">tax</th><td class="n">6</td><td class="n">1</td><td class="n">83.3%</td>');
    // The threshold table and chart: at 0 every email but those predicted `other` is routed, never 100%.
    expect(queue.coverage?.atThresholds[0]).toEqual({ threshold: 0, coverage: share(7, 10), precision: share(6, 7), routed: 7 });
    const said = 'routes 60.0% (6 of 10) to a queue at precision 83.3% (threshold 0.500); the other 4 go to manual triage: 1 for low confidence, 3 predicted `other`, which has no queue. Only 6 routed: a rough estimate.';
    expect(evaluationMarkdown(report)).toContain(`**At the model's own threshold:** ${said}`);
    expect(evaluationMarkdown(report)).toContain('Abstention threshold (route automatically when confidence >= threshold and the queue is not `other`):');
    const card = modelCardMarkdown(report);
    expect(card).toContain(`- **queue**: ${said}`);
    expect(card).toContain('the emails answered are the ones routed automatically to a queue: one it gives `other` (no queue) goes to manual triage at any threshold and is not counted.');
    // A watched task's abstention sends the email to manual triage too, as the model's route does.
    const watched = evaluatePredictions([...routedLines.slice(0, 5), line('tax', 'tax', 0.9, false, true)], { routing: { queueTask: 'queue', abstainTasks: ['queue', 'priority'] } });
    expect(watched.tasks[0].operating).toEqual({ routed: 5, coverage: share(5, 6), precision: 1, manualTriage: { lowConfidence: 1, noQueue: 0 }, byQueue: [{ queue: 'tax', routed: 5, right: 5 }] });
    expect(watched.tasks[0].coverage?.atThresholds[0]).toMatchObject({ coverage: share(5, 6), routed: 5 });
    // Other tasks, and reports without the routing, answer as before.
    expect(report.tasks[1].operating).toEqual({ routed: 10, coverage: 1, precision: 1 });
    expect(evaluatePredictions(routedLines).tasks[0].operating).toEqual({ routed: 9, coverage: share(9, 10), precision: share(7, 9) });
  });

  it('lists every label of a task with many in report.md, and cuts only where asked, saying so', () => {
    const labels = Array.from({ length: 22 }, (_, i) => `topic_${String(i).padStart(2, '0')}`);
    const lines: PredictionLine[] = labels.flatMap((l, i) => [
      { truth: { topic: l }, prediction: { topic: { label: l } } },
      { truth: { topic: l }, prediction: { topic: { label: labels[(i + 1) % 22] } } },
    ]);
    const md = evaluationMarkdown(evaluatePredictions(lines));
    const perClassRow = (l: string) => new RegExp(`\\| ${l} \\| \\d\\.\\d{4} \\|`);
    for (const l of labels) expect(md).toMatch(perClassRow(l));
    expect(md).toContain('Per class (weakest F1 first):');
    expect(md).not.toContain('weakest by F1 of');
    const cut = evaluationMarkdown(evaluatePredictions(lines), { maxClasses: 10 });
    expect(cut).toContain('Per class (the 10 weakest by F1 of 22; the other 12 are left out here for space, report.md lists every label):');
    expect(labels.filter((l) => perClassRow(l).test(cut))).toHaveLength(10);
  });

  it("says in the model card's Data section what the model was trained on: rows, data hash, config hash, date", () => {
    const r = evaluatePredictions([{ truth: { queue: 'cards' }, prediction: { queue: { label: 'cards' } } }], { dataset: 'test.csv' });
    const card = modelCardMarkdown(r, { training: { trainedAt: '2026-11-30T18:46:27.000Z', dataHash: '3d2c33bef89344ae9c8b', trainRows: 2799, validRows: 401, configSha256: '5dbedf8896a7bf9930bb' } });
    const data = card.slice(card.indexOf('## Data'), card.indexOf('## Labels'));
    expect(data).toContain('- Test set: test.csv, 1 emails.');
    expect(data).toContain('- Training: 2,799 training rows and 401 validation rows, data hash `3d2c33bef893`, trained 2026-11-30T18:46:27.000Z.');
    expect(data).toContain("- Training config: sha256 `5dbedf8896a7` of the `trainingConfig` in the model's manifest.json, in its folder (`<MAILROUTE_HOME>/models/<id>` for a registered model)");
    // The target precision is said, and how far a task's operating point falls short of it on these emails.
    const scored = evaluatePredictions(
      Array.from({ length: 10 }, (_, i) => ({ truth: { queue: 'cards' }, prediction: { queue: { label: i < 6 ? 'cards' : 'loans', confidence: 0.9, abstained: false } } })),
      { dataset: 'test.csv', thresholds: { queue: 0.5 } },
    );
    const answering = modelCardMarkdown(scored, { training: { targetPrecision: 0.9 } });
    expect(answering).toContain("chosen on its validation split for its target precision, 90.0%");
    expect(answering).toContain('Its target precision is 90.0%: 30.0 points short on these emails, more than chance explains on 10 answered (two standard errors: 19.0 points).');
    expect(answering).toContain('`rough`: fewer than 20 emails answered there');
    // Labels merged into other, for the task that routes mail: such an email goes to manual triage.
    const routed = evaluatePredictions([{ truth: { queue: 'cards' }, prediction: { queue: { label: 'cards' } } }], { dataset: 'test.csv', routing: { queueTask: 'queue' } });
    expect(modelCardMarkdown(routed, { training: { labelChanges: { queue: { mergedIntoOther: ['advisory', 'securities_transfers'] } } } })).toContain(
      '  - Merged into `other` for too few training examples (an email of theirs is predicted `other`, which has no queue: it goes to manual triage): `advisory`, `securities_transfers`.',
    );
    // A refit's second run is said, and whose figures the validation ones are.
    expect(modelCardMarkdown(r, { training: { trainRows: 2799, validRows: 401, refitRows: 3200 } })).toContain(
      '- Training: 2,799 training rows and 401 validation rows, then trained again on all 3,200 (refit; temperatures, thresholds and validation figures are from the first run).',
    );
    // Only what is known is said.
    expect(modelCardMarkdown(r, { training: { dataHash: 'abc' } })).toContain('- Training: data hash `abc`.');
    expect(modelCardMarkdown(r)).not.toContain('- Training');
  });

  it('names the labels the model scores that the test set lacks, in the model card', () => {
    const r = evaluatePredictions([
      { truth: { queue: 'cards' }, prediction: { queue: { label: 'cards', scores: { cards: 0.7, loans: 0.2, tax: 0.1 } } } },
      { truth: { queue: 'cards' }, prediction: { queue: { label: 'loans', scores: { cards: 0.3, loans: 0.6, tax: 0.1 } } } },
    ]);
    expect(r.tasks[0].untested).toEqual(['loans', 'tax']);
    expect(modelCardMarkdown(r)).toContain("**2 labels of the model have no test example** (`loans`, `tax`)");
    expect(evaluatePredictions(lines).tasks[0].untested).toEqual([]);
  });

  it('says in every report form that a label no test email has, yet predicted, counts at F1 0 in macro-F1, with macro-F1 over the labels tested', () => {
    // 10 emails of cards and loans, 3 of them predicted as `advisory`, which no email has.
    const lines: PredictionLine[] = Array.from({ length: 10 }, (_, i) => ({
      truth: { queue: i < 6 ? 'cards' : 'loans' },
      prediction: { queue: { label: i < 3 ? 'advisory' : i < 6 ? 'cards' : 'loans', scores: { cards: 0.3, loans: 0.3, advisory: 0.2, tax: 0.2 } } },
    }));
    const r = evaluatePredictions(lines);
    const m = r.tasks[0].metrics;
    // scikit-learn's figure stays: advisory's F1 of 0 is averaged in (cards 2/3, loans 1, advisory 0).
    expect(m.macro.f1).toBeCloseTo((2 / 3 + 1 + 0) / 3, 12);
    const note = 'No test email has the label advisory, yet the model gave it to 3 emails, wrongly each time: its F1 of 0 counts in macro-F1, 0.5556; over the 2 labels that have test emails, macro-F1 is 0.8333.';
    expect(evaluationText(r)).toContain(`Note: ${note}`);
    expect(evaluationMarkdown(r)).toContain(`**Note:** ${note}`);
    expect(evaluationHtml(r, [])).toContain(note);
    const card = modelCardMarkdown(r);
    expect(card).toContain(`- ${note}`);
    // The card no longer says the figures say nothing about a label they count; of `tax`, never predicted, they do say nothing.
    expect(card).toContain('**2 labels of the model have no test example** (`advisory`, `tax`): the test set says nothing about how well the model finds them; 1 of them counts in macro-F1 at F1 0, as the model predicted it');
    expect(card).not.toContain('the figures say nothing about them');
    // Labels the model never predicts, absent from the test set, are in no figure: no note.
    expect(evaluationText(evaluatePredictions(lines.map((l) => ({ ...l, prediction: { queue: { label: 'cards' } } }))))).not.toContain('Note:');
  });

  it('rounds one figure alike wherever a report shows it: 29 of 32 right (0.90625) is 0.9062 in the summary, the threshold table and the pictures', () => {
    const lines: PredictionLine[] = Array.from({ length: 32 }, (_, i) => ({
      truth: { queue: i < 16 ? 'a' : 'b' },
      prediction: { queue: { label: i < 3 ? 'b' : i < 16 ? 'a' : 'b', confidence: 0.75, abstained: false } },
    }));
    const r = evaluatePredictions(lines);
    // ECE: one band, |0.90625 - 0.75| = 0.15625, a tie too.
    expect(r.tasks[0].calibration?.ece).toBeCloseTo(0.15625, 12);
    const md = evaluationMarkdown(r);
    expect(md).toContain('| queue | 32 | 2 | 0.9062 |');
    expect(md).toContain('| 0.000 | 100.0% | 90.6% |');
    expect(md).toContain('| 0.1562 |');
    expect(md).not.toMatch(/0\.9063|0\.1563/);
    const reliability = reportPictures(r).find((p) => p.kind === 'reliability')?.svg ?? '';
    expect(reliability).toContain('ECE 0.1562 over 10 bins · MCE 0.1562 (in a bin of 32 emails)');
  });

  it('says "the 1 label that has test emails" and "emails with a label for intent" in good English', () => {
    // Every email is `cards`; 2 of 4 predicted `advisory`: cards F1 2/3, advisory 0.
    const lines: PredictionLine[] = Array.from({ length: 4 }, (_, i) => ({
      truth: { intent: 'cards' },
      prediction: { intent: { label: i < 2 ? 'advisory' : 'cards' } },
      meta: { language: i % 2 === 0 ? 'de' : 'en' },
    }));
    const r = evaluatePredictions(lines);
    expect(evaluationText(r)).toContain('over the 1 label that has test emails, macro-F1 is 0.6667.');
    const card = modelCardMarkdown(r);
    expect(card).toContain('- By language (of the 4 emails with a label for intent): `de` 2, `en` 2.');
    expect(card).not.toMatch(/label that have|a intent/);
  });

  it("counts in the model card's Labels section the labels it lists and those it names as untested, with or without scores", () => {
    // queue: scores name `tax`, never predicted, and `advisory`, predicted for 3 emails that no email has;
    // area: no scores, and `wealth` predicted though no email has it.
    const lines: PredictionLine[] = Array.from({ length: 10 }, (_, i) => ({
      truth: { queue: i < 6 ? 'cards' : 'loans', area: i < 5 ? 'retail' : 'savings' },
      prediction: {
        queue: { label: i < 3 ? 'advisory' : i < 6 ? 'cards' : 'loans', scores: { cards: 0.3, loans: 0.3, advisory: 0.2, tax: 0.2 } },
        area: { label: i < 2 ? 'wealth' : i < 5 ? 'retail' : 'savings' },
      },
    }));
    const card = modelCardMarkdown(evaluatePredictions(lines));
    expect(card).toContain('- **queue**: 4 labels (2 with test examples). `cards` (6), `loans` (4). **2 labels of the model have no test example** (`advisory`, `tax`)');
    expect(card).toContain('- **area**: 3 labels (2 with test examples). `retail` (5), `savings` (5). **1 label of the model has no test example** (`wealth`)');
    expect(card).toContain('- Untested: 1 label of the model with no test example (`wealth`).');
    // Every label tested: the count alone.
    expect(modelCardMarkdown(evaluatePredictions(lines.slice(3).map((l) => ({ ...l, prediction: { ...l.prediction, queue: { label: 'cards' } } }))))).toContain('- **queue**: 2 labels. `loans` (4), `cards` (3).');
  });

  it("explains the report's own top-k values and reliability bands in its reading guide (--top-k 1,2, --bins 20)", () => {
    const lines = syntheticPredictionLines({ n: 200, seed: 3, tasks: { queue: ['payments', 'cards', 'loans', 'tax', 'fraud'] } });
    const r = evaluatePredictions(lines, { topK: [1, 2], bins: 20 });
    const guide = evaluationMarkdown(r).split('## How to read these figures')[1];
    expect(guide).toContain("- **top-k accuracy**: top-1 accuracy: the share of emails whose right label is among the model's 1 likeliest (top-2: its 2 likeliest).");
    expect(guide).toContain('in bands of 0.05 (20 bins)');
    expect(guide).not.toMatch(/top-3|bands of 0\.1/);
    expect(evaluationHtml(r, [])).toContain('in bands of 0.05 (20 bins)');
    // No top-k figure in the report (no scores): nothing to explain.
    const bare = evaluatePredictions(lines.map((l) => ({ ...l, prediction: { queue: { label: l.prediction.queue.label } } })));
    expect(evaluationMarkdown(bare)).not.toContain('top-k accuracy');
  });

  it('explains every figure in plain words at the end of report.md and report.html, and says each task\'s calibration in a sentence', () => {
    const r = evaluatePredictions(syntheticPredictionLines({ n: 300, seed: 2, tasks: { queue: ['payments', 'cards', 'loans', 'tax', 'fraud'] } }));
    const md = evaluationMarkdown(r);
    const html = evaluationHtml(r, []);
    const guide = md.slice(md.indexOf('## How to read these figures'));
    for (const term of ['accuracy', 'precision (of a label)', 'recall (of a label)', 'F1', 'macro-F1', 'top-3 accuracy', 'confidence, calibration', 'ECE (expected calibration error)', 'threshold, abstention, coverage', 'confusion matrix']) {
      expect(guide).toContain(`- **${term}**: `);
      expect(html).toContain(`<dt>${term}</dt>`);
    }
    // Without the model's routing (a predictions file) no task is said to route mail; with it, the routing task, by its name.
    expect(guide).toContain('below its threshold a task abstains: its answer is shown but not acted on.');
    expect(guide).not.toMatch(/routes mail|manual triage|queue task/);
    const lines = syntheticPredictionLines({ n: 300, seed: 2, tasks: { desk: ['payments', 'cards', 'loans', 'tax', 'fraud'] } });
    const routed = evaluationMarkdown(evaluatePredictions(lines, { routing: { queueTask: 'desk' } }));
    expect(routed).toContain('for the `desk` task, the one that routes mail, the email is not routed automatically but goes to manual triage');
    expect(routed).not.toContain('queue task');
    expect(md).toContain('What each figure means: *How to read these figures*, at the end.');
    // MCE is one band's gap: a band of one email can make it, which the guide says to check.
    expect(guide).toContain("MCE: the largest band's gap, which a band of very few emails can make large by itself: read it with that band's count, under the diagram.");
    expect(html).toContain('<a href="#reading">How to read these figures</a>');
    // The CI job summary, short on space, goes without it.
    expect(evaluationMarkdown(r, { maxClasses: 10 })).not.toContain('How to read');
    const c = r.tasks[0].calibration;
    expect(c).not.toBeNull();
    if (!c) return;
    const gap = ((c.accuracy - c.meanConfidence) * 100).toFixed(1);
    // These synthetic lines are less confident than right.
    expect(c.meanConfidence).toBeLessThan(c.accuracy - 0.001);
    expect(html).toContain(`On average the model is ${c.meanConfidence.toFixed(3)} confident and right ${c.accuracy.toFixed(3)} of the time: under-confident by ${gap} points.`);
    // The red labels of the per-class table are explained where any is red.
    const weak = r.tasks[0].metrics.perClass.some((x) => x.f1 < r.tasks[0].metrics.macro.f1 - 0.2);
    expect(html.includes('F1 more than 0.20 below the task&#39;s macro-F1')).toBe(weak);
  });

  it('counts a true label the model gave no score as outside its top k', () => {
    const r = evaluatePredictions([
      // `zeta` has no score: tied at 0 with the unscored labels before it, it used to count as third.
      { truth: { queue: 'zeta' }, prediction: { queue: { label: 'cards', scores: { cards: 0.6, loans: 0.4 } } } },
      { truth: { queue: 'tax' }, prediction: { queue: { label: 'savings', scores: { savings: 0.5, tax: 0.3, cards: 0.2 } } } },
    ], { topK: [3] });
    expect(r.tasks[0].topK).toEqual([{ k: 3, accuracy: 0.5 }]);
  });

  it("ranks the truth among every label the model scores, as scikit-learn's top_k_accuracy_score", () => {
    // x1 and x2 never occur in the test set, yet they outrank the true label `b` on the first line.
    const r = evaluatePredictions([
      { truth: { q: 'a' }, prediction: { q: { label: 'x1', scores: { x1: 0.5, x2: 0.3, a: 0.2, b: 0 } } } },
      { truth: { q: 'b' }, prediction: { q: { label: 'b', scores: { b: 0.7, a: 0.1, x1: 0.1, x2: 0.1 } } } },
    ], { topK: [2, 3] });
    // sklearn: top_k_accuracy_score(['a','b'], scores over [a, b, x1, x2], k=2) = 0.5, k=3 = 1.0
    expect(r.tasks[0].topK).toEqual([{ k: 2, accuracy: 0.5 }, { k: 3, accuracy: 1 }]);
  });

  it("breaks a tie with a label the test set lacks as scikit-learn does, over the labels in sorted order: the later ranks first", () => {
    // Score columns [a, b, d]: d ties with a, and d is the later column, so it ranks ahead of a, behind b only.
    // The order [b, d, a] (the test set's labels, then the others) put a ahead of d: top-2 missed the first line.
    const r = evaluatePredictions([
      { truth: { q: 'd' }, prediction: { q: { label: 'b', scores: { d: 0.4, a: 0.4, b: 0.45 } } } },
      { truth: { q: 'b' }, prediction: { q: { label: 'b', scores: { d: 0.1, a: 0.1, b: 0.8 } } } },
    ], { topK: [1, 2] });
    // sklearn: top_k_accuracy_score(['d', 'b'], [[0.4, 0.45, 0.4], [0.1, 0.8, 0.1]], k=1 and 2, labels=['a', 'b', 'd']) = 0.5 and 1.0
    expect(r.tasks[0].topK).toEqual([{ k: 1, accuracy: 0.5 }, { k: 2, accuracy: 1 }]);
  });

  it('refuses a confidence outside 0 to 1 and an empty label', () => {
    expect(() => parsePredictionLines('{"truth":{"q":"a"},"prediction":{"q":{"label":"a","confidence":1.7}}}\n', 'p.jsonl')).toThrow(/p\.jsonl:1: a confidence is a probability from 0 to 1 at prediction\.q\.confidence/);
    expect(() => parsePredictionLines('{"truth":{"q":""},"prediction":{"q":{"label":"a"}}}\n', 'p.jsonl')).toThrow(/a truth label is not empty/);
    expect(() => parsePredictionLines('{"truth":{"q":"a"},"prediction":{"q":{"label":""}}}\n', 'p.jsonl')).toThrow(/a label is not empty/);
    // Scores are probabilities too, and a misspelt key (`confidance`) is an error, not a silently lost field.
    expect(() => parsePredictionLines('{"truth":{"q":"a"},"prediction":{"q":{"label":"a","scores":{"a":3,"b":-1}}}}\n', 'p.jsonl')).toThrow(/a score is a probability from 0 to 1 at prediction\.q\.scores\.a/);
    expect(() => parsePredictionLines('{"truth":{"q":"a"},"prediction":{"q":{"label":"a","confidance":0.5}}}\n', 'p.jsonl')).toThrow(/confidance/);
  });

  it('rounds a figure the same in the text, Markdown and HTML reports (as Python, half to even on the exact value)', () => {
    // Precision of `a` is exactly 1/32 = 0.03125 (a power of two, exact as a float: compared exactly, since the tie is
    // the point): 0.0312 in scikit-learn's report, so everywhere.
    const lines: PredictionLine[] = Array.from({ length: 32 }, (_, i) => ({ truth: { q: i === 0 ? 'a' : 'b' }, prediction: { q: { label: 'a' } } }));
    const r = evaluatePredictions(lines);
    expect(r.tasks[0].metrics.perClass.find((c) => c.label === 'a')?.precision).toBe(1 / 32);
    expect(evaluationText(r)).toContain('0.0312');
    expect(evaluationMarkdown(r)).toContain('0.0312');
    expect(evaluationMarkdown(r)).not.toContain('0.0313');
  });

  it("gives each task's majority baseline, as scikit-learn's DummyClassifier(strategy='most_frequent') scores it, in every report form", () => {
    const line = (truth: string, label: string): PredictionLine => ({ truth: { queue: truth }, prediction: { queue: { label } } });
    // 5 b, 3 a, 2 c: always b is right on 5 of 10; F1 of b = 2*5/(10+5), a and c 0, macro over the 3 labels.
    const lines = ['b', 'b', 'b', 'b', 'b', 'a', 'a', 'a', 'c', 'c'].map((t) => line(t, 'a'));
    const r = evaluatePredictions(lines);
    const b = r.tasks[0].majority;
    expect(b?.label).toBe('b');
    expect(b?.count).toBe(5);
    expect(b?.accuracy).toBeCloseTo(0.5, 12);
    expect(b?.macroF1).toBeCloseTo(10 / 15 / 3, 12);
    expect(EvaluationReportSchema.parse(r)).toEqual(r);
    const said = 'answering every email with its most common label, b (5 of 10), would score accuracy 0.5000 and macro-F1 0.2222';
    expect(evaluationMarkdown(r)).toContain(`Baseline: ${said}.`);
    expect(evaluationText(r)).toContain(`baseline: ${said}`);
    expect(evaluationHtml(r, [])).toContain(`<p class="caption" data-majority="queue"><b>Baseline:</b> ${said}.</p>`);
    expect(modelCardMarkdown(r)).toMatch(/\| queue \| 10 \| 0\.3000 \| [0-9.]+ \| [0-9.]+ \| – \| 0\.5000 \/ 0\.2222 \|/);
    // A tie goes to the first label in sorted order; a label of the model that no email has counts in the macro average.
    const tied = evaluatePredictions(['b', 'b', 'a', 'a', 'c'].map((t) => line(t, 'c')), { labels: { queue: ['a', 'b', 'c', 'd'] } });
    expect(tied.tasks[0].majority?.label).toBe('a');
    expect(tied.tasks[0].majority?.macroF1).toBeCloseTo(4 / 7 / 4, 12);
    // A label from the data is escaped in Markdown as the tables escape it.
    expect(evaluationMarkdown(evaluatePredictions([line('<b>x</b>', 'y')]))).toContain('label, &lt;b&gt;x&lt;/b&gt; (1 of 1)');
  });

  it('escapes HTML in labels and meta values in Markdown, leaving a plain & as it is', () => {
    const md = evaluationMarkdown(evaluatePredictions([{ truth: { queue: '<b>cards</b>' }, prediction: { queue: { label: 'A & B' } }, meta: { bank: '<i>x</i>' } }]));
    expect(md).toContain('&lt;b&gt;cards&lt;/b&gt;');
    expect(md).toContain('| A & B |');
    expect(md).not.toContain('&amp;');
    expect(md).not.toMatch(/<b>|<i>/);
  });

  it('takes a task named toString or constructor that the thresholds and label orders leave out as having none, not Object\'s member', () => {
    const lines = parsePredictionLines(
      ['{"truth":{"toString":"a","constructor":"b"},"prediction":{"toString":{"label":"a","abstained":false},"constructor":{"label":"b","abstained":false}}}'].join('\n'),
    );
    // Plain records, as Object.fromEntries makes them from a manifest's tasks.
    const r = evaluatePredictions(lines, { thresholds: Object.fromEntries([['queue', 0.5]]), labels: Object.fromEntries([['queue', ['x']]]) });
    expect(r.tasks.map((t) => [t.task, t.operating?.threshold, t.metrics.labels])).toEqual([
      ['toString', undefined, ['a']],
      ['constructor', undefined, ['b']],
    ]);
    expect(evaluationMarkdown(r)).toContain("**At the model's own threshold:** answers 100.0% (1 of 1) at precision 100.0%; abstains on none.");
  });

  it("names the tasks whose abstention sends mail to manual triage as code in the routing task's threshold rule, in quotes in its chart", () => {
    // A manifest's task name is any text: it was put into report.md as it is, HTML and line break included.
    const watched = 'x|<b>y\nz';
    const r = evaluatePredictions(
      [
        { truth: { queue: 'cards' }, prediction: { queue: { label: 'cards', confidence: 0.9 } } },
        { truth: { queue: 'loans' }, prediction: { queue: { label: 'cards', confidence: 0.4 } } },
      ],
      { routing: { queueTask: 'queue', abstainTasks: ['queue', watched] } },
    );
    const md = evaluationMarkdown(r);
    expect(md).toContain('Abstention threshold (route automatically when confidence >= threshold and no `x|<b>y z` abstains):');
    expect(md).not.toMatch(/^z/m);
    const svg = reportPictures(r).find((p) => p.kind === 'coverage')?.svg ?? '';
    expect(svg).toContain('the rest, and mail on which &quot;x|&lt;b&gt;y z&quot; abstains at any threshold, goes to manual triage.');
  });
});

describe('emails without a label of a task, and slices', () => {
  it('says in every form why a task counts fewer emails than the report, and how a slice macro-F1 counts labels', () => {
    const lines = syntheticPredictionLines({ n: 120, seed: 4, tasks: { queue: ['payments', 'cards', 'loans'] } }).map((l, i) =>
      i < 7 ? { ...l, truth: { queue: null }, meta: { ...l.meta, bank: 'A' } } : { ...l, meta: { ...l.meta, bank: i % 2 === 0 ? 'A' : 'B' } },
    );
    const r = evaluatePredictions(lines);
    // The lines do not say why a truth is null: the reasons are listed, none claimed.
    const note = '7 of the 120 emails have no queue label and are not in its figures (a truth left blank in the prediction lines: blank in the data, a label the config retires, or one the model does not know, which predicting warns of); the model predicts a label of task queue for them all the same.';
    expect(r.tasks[0].metrics.n).toBe(113);
    expect(evaluationText(r)).toContain(`Note: ${note}`);
    expect(evaluationMarkdown(r)).toContain(`**Note:** ${note}`);
    expect(evaluationHtml(r, [])).toContain(`<b>Note:</b> ${note}`);
    expect(evaluationMarkdown(r)).toContain("By bank (each value's macro-F1 is over the labels its emails have or were given: one the model gave there that none of them has counts at F1 0, as scikit-learn counts it; one the config retires is left out):");
    // Every email labelled: no note.
    expect(evaluationMarkdown(evaluatePredictions(lines.slice(7)))).not.toContain('have no queue label');
  });
});

describe('slices by time', () => {
  it('lists a slice whose values are periods (closedMonth: 2026-11) in time order, the lines without one last; any other slice by count', () => {
    // Months of 40, 30, 20 and 10 emails, out of time order by count; a bank slice beside them, and 5 lines without a month.
    const months = ['2026-11', '2026-12', '2026-03', '2026-10'];
    const base = syntheticPredictionLines({ n: 105, seed: 6, tasks: { queue: ['payments', 'cards', 'loans'] } });
    const lines = base.map((l, i) => {
      const month = i < 40 ? months[0] : i < 70 ? months[1] : i < 90 ? months[2] : i < 100 ? months[3] : undefined;
      return { ...l, meta: { ...(month === undefined ? {} : { closedMonth: month }), bank: i % 3 === 0 ? 'A' : i % 3 === 1 ? 'B' : 'C' } };
    });
    const [task] = evaluatePredictions(lines).tasks;
    const values = (key: string) => task.slices.find((s) => s.key === key)?.values.map((v) => `${v.value} ${v.n}`);
    expect(values('closedMonth')).toEqual(['2026-03 20', '2026-10 10', '2026-11 40', '2026-12 30', '(missing) 5']);
    expect(values('bank')).toEqual(['A 35', 'B 35', 'C 35']);
    // The report's table follows.
    const md = evaluationMarkdown(evaluatePredictions(lines));
    const table = md.slice(md.indexOf('By closedMonth'));
    expect(table.indexOf('| 2026-03 |')).toBeLessThan(table.indexOf('| 2026-10 |'));
    expect(table.indexOf('| 2026-10 |')).toBeLessThan(table.indexOf('| 2026-11 |'));
    expect(table.indexOf('| 2026-11 |')).toBeLessThan(table.indexOf('| 2026-12 |'));
    // Values of mixed forms (a month and a day) are no time slice: by count.
    const mixed = lines.map((l, i) => (i === 0 ? { ...l, meta: { ...l.meta, closedMonth: '2026-11-01' } } : l));
    expect(evaluatePredictions(mixed).tasks[0].slices.find((s) => s.key === 'closedMonth')?.values[0].value).toBe('2026-11');
  });
});

describe('withoutAutomatedMail', () => {
  it('leaves out the lines marked automated, saying how many; none marked, the same lines and no warning', () => {
    const lines = syntheticPredictionLines({ n: 10, seed: 3, tasks: { queue: ['a', 'b'] } });
    expect(withoutAutomatedMail(lines)).toEqual({ lines });
    const marked = lines.map((l, i) => (i % 5 === 0 ? { ...l, meta: { ...l.meta, automated: i === 0 ? 'auto_reply' : 'delivery_failure' } } : l));
    const { lines: kept, warning } = withoutAutomatedMail(marked);
    expect(kept).toHaveLength(8);
    expect(kept.some((l) => l.meta?.automated !== undefined)).toBe(false);
    // A value predict does not write (a caller's own meta) says nothing of automated mail.
    const own = lines.map((l) => ({ ...l, meta: { ...l.meta, automated: false } }));
    expect(withoutAutomatedMail(own).lines).toHaveLength(10);
    expect(warning).toBe('2 of these 10 lines are automated mail (auto-replies, bounces: marked automated when predicted) and are left out of the scores: training leaves such emails out, and serving routes them as automated whatever their labels');
  });
});

describe('withoutAutomatedPairs', () => {
  it('leaves out of both sides the emails either side marks automated: by id (in any order), else by position', () => {
    const a = syntheticPredictionLines({ n: 6, seed: 4, tasks: { queue: ['a', 'b'] } });
    const b = syntheticPredictionLines({ n: 6, seed: 5, tasks: { queue: ['a', 'b'] } }).map((l, i) => ({ ...l, id: a[i].id }));
    const mark = (l: PredictionLine) => ({ ...l, meta: { ...l.meta, automated: 'auto_reply' } });
    expect(withoutAutomatedPairs(a, b)).toEqual({ a, b, left: 0 });
    // One marked by the challenger's run only, one by both: both emails leave both sides; the champion's lines reversed.
    const a2 = a.map((l, i) => (i === 1 || i === 4 ? mark(l) : l));
    const b2 = b.map((l, i) => (i === 4 ? mark(l) : l)).reverse();
    const byId = withoutAutomatedPairs(a2, b2);
    expect(byId.left).toBe(2);
    expect(byId.a.map((l) => l.id)).toEqual([0, 2, 3, 5].map((i) => a[i].id));
    expect(byId.b.map((l) => l.id).sort()).toEqual([0, 2, 3, 5].map((i) => a[i].id).sort());
    // Lines without ids pair by position.
    const bare = (lines: PredictionLine[]) => lines.map(({ id: _id, ...rest }) => rest);
    const byPosition = withoutAutomatedPairs(bare(a2), bare(b.map((l, i) => (i === 2 ? mark(l) : l))));
    expect(byPosition.left).toBe(3);
    expect(byPosition.a).toEqual(bare([a[0], a[3], a[5]]));
    // Not one test set (a line more, an id only one side has): nothing hidden, for the comparison to refuse.
    expect(withoutAutomatedPairs(a2, b2.slice(1))).toEqual({ a: a2, b: b2.slice(1), left: 0 });
    expect(withoutAutomatedPairs(bare(a2), bare(b).slice(1))).toMatchObject({ left: 0 });
    expect(withoutAutomatedPairs(a2, b.map((l, i) => (i === 1 ? { ...l, id: 'other' } : l)))).toMatchObject({ a: a2, left: 0 });
  });
});

describe('seenInTrainingWarning', () => {
  it('warns of lines marked seenInTraining when they are at least 3 and 1% of the lines, naming the model', () => {
    const lines = syntheticPredictionLines({ n: 400, seed: 5, tasks: { queue: ['a', 'b'] } }).map((l) => ({ ...l, modelId: 'm-1' }));
    const marked = (k: number) => lines.map((l, i) => (i < k ? { ...l, meta: { ...l.meta, seenInTraining: true } } : l));
    expect(seenInTrainingWarning(lines)).toBeUndefined();
    expect(seenInTrainingWarning(marked(3))).toBeUndefined(); // 0.75% of 400
    expect(seenInTrainingWarning(marked(4))).toBe('4 of these 400 lines (1.0%) are of emails whose text model m-1 was trained or validated on (marked seenInTraining when predicted): its metrics on them flatter it; evaluate on mail it has not seen');
    expect(seenInTrainingWarning(marked(400).slice(0, 2))).toBeUndefined(); // fewer than 3
    expect(seenInTrainingWarning(marked(400))).toMatch(/^400 of these 400 lines \(100%\)/);
  });
});
