import { describe, expect, it } from 'vitest';
import { evaluatePredictions } from './evaluate.js';
import { exampleExcerpt, mistakeExamplesMarkdown } from './mistake-examples.js';
import type { PredictionLine } from './prediction-line.js';
import { evaluationMarkdown, evaluationText } from './report-text.js';
import { evaluationHtml } from './report-html.js';

const line = (id: string, truth: string, label: string, confidence: number, abstained = false): PredictionLine => ({ id, truth: { queue: truth }, prediction: { queue: { label, confidence, abstained } } });

describe('mistakeExamplesMarkdown', () => {
  const lines = [
    line('a1', 'tax', 'tax', 0.99),
    line('a2', 'tax', 'payments', 0.61),
    line('a3', 'tax', 'payments', 0.97),
    line('a4', 'tax', 'payments', 0.4, true),
    line('a5', 'payments', 'tax', 0.8),
    line('a6', 'payments', 'payments', 0.9),
  ];
  const report = evaluatePredictions(lines, { dataset: 'test.csv', modelId: 'm-1' });
  const texts: Record<string, string> = { a2: 'Steuerbescheinigung fehlt *bitte*', a3: 'Wo ist meine Steuerbescheinigung?', a4: 'Frage | Steuer', a5: 'Überweisung' };

  it('shows, per most confused pair, its emails the model was surest of first, with confidence and abstention, escaped', () => {
    const md = mistakeExamplesMarkdown(report, lines, (id) => texts[id], 2);
    expect(md.startsWith('# Example mistakes of m-1 on test.csv\n')).toBe(true);
    expect(md).toContain("> **These are customers' emails:** masked, not anonymous (a name with no such cue");
    const pair = md.slice(md.indexOf('### `tax` read as `payments` (3 emails)'));
    expect(pair.split('\n').slice(2, 5)).toEqual([
      '- `a3`, confidence 0.970: Wo ist meine Steuerbescheinigung?',
      '- `a2`, confidence 0.610: Steuerbescheinigung fehlt \\*bitte\\*',
      '',
    ]);
    expect(md).toContain('### `payments` read as `tax` (1 email)\n\n- `a5`, confidence 0.800: Überweisung');
    // Three of the pair asked: the abstained one too, said so.
    expect(mistakeExamplesMarkdown(report, lines, (id) => texts[id], 3)).toContain('- `a4`, confidence 0.400, abstained (flagged, not acted on): Frage \\| Steuer');
    // For the task that routes mail, an abstention is manual triage.
    const routed = evaluatePredictions(lines, { dataset: 'test.csv', modelId: 'm-1', routing: { queueTask: 'queue' } });
    expect(mistakeExamplesMarkdown(routed, lines, (id) => texts[id], 3)).toContain('- `a4`, confidence 0.400, abstained (manual triage: a person routes it): Frage \\| Steuer');
  });

  it('says when no text of a pair is at hand', () => {
    expect(mistakeExamplesMarkdown(report, lines, () => undefined, 2)).toContain('### `payments` read as `tax` (1 email)\n\nNo text of these emails is at hand.');
  });

  it('links the report to the file only when it is written', () => {
    expect(evaluationMarkdown(report, { examples: true })).toContain('Example emails of each pair, the most confident mistakes first (masked text): [mistakes.md](mistakes.md).');
    expect(evaluationMarkdown(report)).not.toContain('mistakes.md');
    expect(evaluationHtml(report, [], { examples: true })).toContain('<a href="mistakes.md">mistakes.md</a>');
    expect(evaluationHtml(report, [])).not.toContain('mistakes.md');
    expect(evaluationText(report, 4, true)).toContain('(masked text): mistakes.md\n');
    expect(evaluationText(report)).not.toContain('mistakes.md');
  });
});

describe('exampleExcerpt', () => {
  it('puts the text on one line and cuts it at a word near the limit, never inside a character', () => {
    expect(exampleExcerpt('Hallo,\n\n  bitte   prüfen.\r\nDanke')).toBe('Hallo, / bitte prüfen. / Danke');
    const long = `${'wort '.repeat(80)}ende`;
    const cut = exampleExcerpt(long, 100);
    expect(cut.endsWith('wort…')).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(101);
    const emoji = exampleExcerpt(`${'x'.repeat(99)}😀😀`, 100);
    expect(emoji).toBe(`${'x'.repeat(99)}…`);
  });
});
