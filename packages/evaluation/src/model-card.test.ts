import { describe, expect, it } from 'vitest';
import { evaluatePredictions } from './evaluate.js';
import { modelCardMarkdown, testNearDuplicateWarning } from './model-card.js';
import type { PredictionLine } from './prediction-line.js';
import { evaluationMarkdown } from './report-text.js';

describe('modelCardMarkdown', () => {
  it('rounds its figures as the reports do (4 digits, ties to even): an exact 0.8125 stays 0.8125, not 0.813', () => {
    // 16 emails, 13 right: accuracy 13/16 = 0.8125 exactly, a tie at 3 digits; every email at confidence 0.8125.
    const lines: PredictionLine[] = Array.from({ length: 16 }, (_, i) => {
      const truth = i < 8 ? 'tax' : 'cards';
      // Emails 8, 9 and 10 (cards) read as tax: the three mistakes.
      return { truth: { queue: truth }, prediction: { queue: { label: i >= 8 && i < 11 ? 'tax' : truth, confidence: 0.8125 } } };
    });
    const report = evaluatePredictions(lines);
    expect(report.tasks[0].metrics.accuracy).toBe(0.8125);
    const card = modelCardMarkdown(report);
    const row = card.split('\n').find((l) => l.startsWith('| queue | 16 |'));
    expect(row).toMatch(/^\| queue \| 16 \| 0\.8125 \| \d\.\d{4} \| \d\.\d{4} \| /);
    expect(evaluationMarkdown(report)).toContain('Accuracy 0.8125');
    // The threshold that reaches 80% precision is the emails' confidence, 0.8125, with 3 digits as every report prints a threshold (ties to even).
    expect(card).toContain('| queue | 0.812: 100.0% (16) rough |');
    expect(card).not.toContain('0.813');
  });

  it('names the slice of emails without a value in words, not as the value "(missing)"', () => {
    // 20 emails from each of two banks, all right; 20 with no bank, a quarter wrong: far more than 0.05 apart.
    const lines: PredictionLine[] = Array.from({ length: 60 }, (_, i) => {
      const truth = i % 2 === 0 ? 'tax' : 'cards';
      const wrong = i >= 40 && i % 4 === 0;
      return {
        truth: { queue: truth },
        prediction: { queue: { label: wrong ? 'cards' : truth, confidence: 0.9 } },
        ...(i < 40 ? { meta: { bank: i < 20 ? 'Nordbank' : 'Suedbank' } } : {}),
      };
    });
    const card = modelCardMarkdown(evaluatePredictions(lines));
    const sentence = card.split('\n').find((l) => l.includes('By bank: macro-F1'));
    expect(sentence).toMatch(/on the emails without a bank \(n=20\) against 1\.0000 on `Nordbank`/);
    expect(sentence).not.toContain('(missing)');
  });

  it("says how much of training's test split was worded as its training rows, and past half what that means for its figures", () => {
    const report = evaluatePredictions([{ truth: { queue: 'tax' }, prediction: { queue: { label: 'tax', confidence: 0.9 } } }]);
    const line = (near: number, judged: number) => modelCardMarkdown(report, { training: { testNearDuplicates: { near, judged } } }).split('\n').find((l) => l.startsWith('- Near-duplicates:'));
    expect(line(425, 799)).toBe("- Near-duplicates: 425 of the 799 test rows training judged (53.2%) share 60% or more of their word 5-grams with training rows (the same sentences with other names, amounts or greetings). **Figures measured on that split (`train`'s, and this report's with `--split test`) likely overstate how the model does on mail worded anew**: measure on later mail or an independent file.");
    // The same, as the warning that heads a report measured on that split (report.md, report.html, metrics.json): past half only.
    expect(testNearDuplicateWarning({ near: 694, judged: 799 })).toBe(
      '694 of the 799 test rows training judged (86.9%) share 60% or more of their word 5-grams with training rows (the same sentences with other names, amounts or greetings): the figures of this report, measured on that test split, likely overstate how the model does on mail worded anew; measure it on later mail or an independent file',
    );
    expect([testNearDuplicateWarning({ near: 4, judged: 430 }), testNearDuplicateWarning({ near: 0, judged: 0 }), testNearDuplicateWarning(undefined)]).toEqual([undefined, undefined, undefined]);
    expect(line(4, 430)).toBe('- Near-duplicates: 4 of the 430 test rows training judged (0.9%) share 60% or more of their word 5-grams with training rows (the same sentences with other names, amounts or greetings).');
    expect(line(0, 0)).toBeUndefined();
  });
});
