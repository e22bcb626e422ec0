import { describe, expect, it } from 'vitest';
import { evaluatePredictions } from './evaluate.js';
import type { PredictionLine } from './prediction-line.js';
import { evaluationHtml } from './report-html.js';
import { evaluationMarkdown, evaluationText } from './report-text.js';

/**
 * 20 emails of `cards` and `payments`, mostly right; the model also knows `loans` (given to one email, wrongly;
 * no email has it) and `tax` and `fees` (scored, never given, no email has them).
 */
const scores = (top: string) => ({ cards: 0.05, payments: 0.05, loans: 0.05, tax: 0.05, fees: 0.05, [top]: 0.8 });
function report(unlabelled: PredictionLine[] = []) {
  const lines: PredictionLine[] = Array.from({ length: 20 }, (_, i) => {
    const truth = i % 2 === 0 ? 'cards' : 'payments';
    const label = i === 0 ? 'loans' : truth;
    return { id: `e${i}`, truth: { queue: truth }, prediction: { queue: { label, scores: scores(label), confidence: 0.8, abstained: false } } };
  });
  return evaluatePredictions([...lines, ...unlabelled], { thresholds: { queue: 0.7 } });
}

describe('labels the model knows that no test email has and it never gave', () => {
  const r = report();
  const said = '2 labels of the model have no test email and the model gave them to none, so they are untested: fees, tax. These figures say nothing about them.';

  it('are named as untested in report.txt, report.md and report.html, not only in the model card', () => {
    expect(r.tasks[0].untested).toEqual(['fees', 'loans', 'tax']);
    expect(evaluationText(r)).toContain(`Note: ${said}`);
    expect(evaluationMarkdown(r)).toContain(`**Note:** ${said}`);
    expect(evaluationHtml(r, [])).toContain(`<p class="caption" data-untested="queue"><b>Note:</b> ${said}</p>`);
    // `loans`, predicted, is in the figures (at support 0) and in the absent-label note, not in this one.
    expect(evaluationMarkdown(r)).toContain('No test email has the label loans');
  });

  it('are counted among the emails with a label when some have none, which the model gives labels too (predictions.jsonl shows them)', () => {
    // 3 emails without a queue label (a retired label's, masked), given `tax` and `loans`: not in the figures.
    const unlabelled: PredictionLine[] = ['tax', 'tax', 'loans'].map((label, i) => ({ id: `u${i}`, truth: { queue: null }, prediction: { queue: { label, scores: scores(label), confidence: 0.8, abstained: false } } }));
    const text = evaluationText(report(unlabelled));
    expect(text).toContain('Note: 2 labels of the model have no test email and the model gave them to none of the 20 emails with a label of task queue, so they are untested: fees, tax.');
    expect(text).toContain('No test email has the label loans, yet the model gave it to 1 of the 20 emails with a label of task queue, wrongly each time');
    // Every email with a label: said as before.
    expect(evaluationText(r)).toContain('No test email has the label loans, yet the model gave it to 1 email, wrongly each time');
  });

  it('does not mark a label no test email has as weak in report.html', () => {
    const html = evaluationHtml(r, []);
    expect(r.tasks[0].metrics.perClass.find((c) => c.label === 'loans')).toMatchObject({ support: 0, f1: 0 });
    expect(html).not.toContain('&#9660; loans');
    expect(html).not.toContain('Labels marked');
  });

  it('gives the precision of the mail answered in percent and every threshold with 3 digits', () => {
    const md = evaluationMarkdown(r);
    expect(md).toContain('| 0.500 | 100.0% | 95.0% |');
    expect(md).toContain('at precision 95.0% (threshold 0.700)');
    expect(evaluationHtml(r, [])).toContain('<th scope="row" class="n">0.500</th><td class="n">100.0%</td><td class="n">95.0%</td>');
  });
});
