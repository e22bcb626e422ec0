import { describe, expect, it } from 'vitest';
import { comparePredictions } from './compare.js';
import { evaluatePredictions } from './evaluate.js';
import { modelCardMarkdown } from './model-card.js';
import type { PredictionLine } from './prediction-line.js';
import { evaluationHtml } from './report-html.js';
import { evaluationMarkdown, evaluationText } from './report-text.js';
import { computeTaskMetrics } from './task-metrics.js';

// 12 emails of cards and loans; an older model (the champion) gives 3 of the cards emails `hr`, a queue the config
// retired since, which a newer model (the challenger) does not know.
const truth = Array.from({ length: 12 }, (_, i) => (i < 6 ? 'cards' : 'loans'));
const line = (i: number, label: string, modelId: string): PredictionLine => ({
  id: `e${i}`,
  modelId,
  truth: { queue: truth[i] },
  prediction: { queue: { label } },
  meta: { bank: i % 2 === 0 ? 'A' : 'B' },
});
const older = truth.map((t, i) => line(i, i < 3 ? 'hr' : i === 11 ? 'cards' : t, 'm-1'));
const newer = truth.map((t, i) => line(i, i === 0 ? 'loans' : t, 'm-6'));

describe('a label the config retires, still predicted by a model trained before', () => {
  it('is left out of the macro average (sklearn labels= without it), keeping its row and confusion column; one an example has stays in', () => {
    const predicted = older.map((l) => l.prediction.queue.label);
    const m = computeTaskMetrics(truth, predicted, { unscored: ['hr'] });
    expect(m.labels).toEqual(['cards', 'hr', 'loans']);
    expect(m.unscored).toEqual(['hr']);
    const cards = m.perClass.find((c) => c.label === 'cards');
    const loans = m.perClass.find((c) => c.label === 'loans');
    expect(m.macro.f1).toBeCloseTo(((cards?.f1 ?? 0) + (loans?.f1 ?? 0)) / 2, 12);
    expect(m.confusion.counts[0][1]).toBe(3);
    // The figures but the average are scikit-learn's default ones; the default average counts hr at 0.
    const all = computeTaskMetrics(truth, predicted);
    expect(all.unscored).toBeUndefined();
    expect(all.macro.f1).toBeCloseTo(((cards?.f1 ?? 0) + (loans?.f1 ?? 0)) / 3, 12);
    expect({ ...m, macro: all.macro, unscored: undefined }).toEqual({ ...all, unscored: undefined });
    // A label an email has is a class of the taxonomy whatever a config says: averaged in.
    expect(computeTaskMetrics(truth, predicted, { unscored: ['cards'] }).macro.f1).toBeCloseTo(all.macro.f1, 12);
  });

  it("gives evaluate the macro-F1 compare gives the model that predicts it, in the figure, its interval's draws and the slices", () => {
    const compared = comparePredictions(newer, older, { bootstrap: { resamples: 50 } });
    expect(compared.tasks[0].unscoredLabels).toEqual({ challenger: [], champion: ['hr'] });
    const report = evaluatePredictions(older, { retired: { queue: ['hr'] } });
    const t = report.tasks[0];
    expect(t.metrics.macro.f1).toBeCloseTo(compared.tasks[0].champion.macroF1, 12);
    // Without the config, scikit-learn's default: hr at F1 0.
    expect(evaluatePredictions(older).tasks[0].metrics.macro.f1).toBeLessThan(t.metrics.macro.f1 - 0.1);
    expect(t.macroF1Interval?.hi).toBeGreaterThanOrEqual(t.metrics.macro.f1);
    const bankA = t.slices.find((s) => s.key === 'bank')?.values.find((v) => v.value === 'A');
    const rows = older.filter((l) => l.meta?.bank === 'A');
    const sliced = computeTaskMetrics(rows.map((l) => l.truth.queue ?? ''), rows.map((l) => l.prediction.queue.label), { unscored: ['hr'] });
    expect(bankA?.macroF1).toBeCloseTo(sliced.macro.f1, 12);
    expect(sliced.unscored).toEqual(['hr']);
  });

  it('is said in every report form and the model card, not as a label no test email has; the renamed labels head report.md and the card', () => {
    const report = evaluatePredictions(older, { retired: { queue: ['hr'] }, renamedLabels: ['queue: billing -> Zahlungsverkehr'] });
    const m = report.tasks[0].metrics;
    const note = `The model gave hr, which the config retires, to 3 emails (none can have it): they count as wrong, in accuracy and in the recall of the true labels, but the label is no class of the taxonomy and left out of macro-F1, ${m.macro.f1.toFixed(4)} over the other 2 labels, as compare leaves out a label only one of two models knows; scikit-learn's default, which averages in every label predicted, would count it at F1 0: ${evaluatePredictions(older).tasks[0].metrics.macro.f1.toFixed(4)}.`;
    expect(evaluationText(report)).toContain(`Note: ${note}`);
    expect(evaluationMarkdown(report)).toContain(`**Note:** ${note}`);
    expect(evaluationHtml(report, [])).toContain(`<b>Note:</b> ${note}`);
    const card = modelCardMarkdown(report);
    expect(card).toContain(`- ${note}`);
    for (const text of [evaluationText(report), evaluationMarkdown(report), card]) expect(text).not.toContain('No test email has the label hr');
    // Two labels in the taxonomy the emails are scored in; hr is none of them.
    expect(card).toContain('- **queue**: 2 labels. `cards` (6), `loans` (6).');
    const renamed = "The model's labels are scored under the names of the config the data was read with (its aliases), so its figures here use them, not the names it was trained with:";
    expect(evaluationMarkdown(report)).toContain(`**Note:** ${renamed} \`queue: billing -> Zahlungsverkehr\`.`);
    expect(card).toContain(`## Labels\n\n${renamed} \`queue: billing -> Zahlungsverkehr\`.\n`);
    expect(evaluationText(report)).toContain(`Note: ${renamed} queue: billing -> Zahlungsverkehr.`);
    expect(evaluationHtml(report, [])).toContain(`<b>Note:</b> ${renamed} queue: billing -&gt; Zahlungsverkehr.`);
    expect(report.renamedLabels).toEqual(['queue: billing -> Zahlungsverkehr']);
    // None renamed: no such note, nor the field.
    expect(evaluationMarkdown(evaluatePredictions(older))).not.toContain('scored under the names');
    expect(evaluatePredictions(older, { renamedLabels: [] }).renamedLabels).toBeUndefined();
  });
});
