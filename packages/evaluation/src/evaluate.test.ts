import { describe, expect, it } from 'vitest';
import { PredictionFileError } from './errors.js';
import { EvaluationReportSchema, evaluatePredictions, headlineMetrics, sliceTaskMetrics } from './evaluate.js';
import { predictionLineJsonSchema } from './json-schema.js';
import { formatPredictionLines, parsePredictionLines, type PredictionLine } from './prediction-line.js';
import { evaluationMarkdown, evaluationText } from './report-text.js';
import { modelCardMarkdown } from './model-card.js';
import { syntheticPredictionLines } from './synthetic.js';
import { computeTaskMetrics } from './task-metrics.js';

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
    expect(() => parsePredictionLines('{"truht":{"queue":"a"},"prediction":{"queue":{"label":"a"}}}\n', 'p.jsonl')).toThrow(/p\.jsonl:1: Unrecognized key: "truht"/);
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
});
