import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classificationReportText } from './classification-report.js';
import { MetricInputError } from './errors.js';
import { compareCodePoints, uniqueLabels } from './labels.js';
import { pyFixed } from './python-format.js';
import { accuracy, computeTaskMetrics, confusionMatrix, macroF1 } from './task-metrics.js';

const here = path.dirname(fileURLToPath(import.meta.url));

interface Avg {
  precision: number;
  recall: number;
  'f1-score': number;
  support: number;
}
interface Fixture {
  name: string;
  truth: string[];
  predicted: string[];
  labels: string[] | null;
  expected: {
    accuracy: number;
    f1_macro: number;
    report: Record<string, Avg | number>;
    report_text: string;
    report_text_4: string;
    confusion: number[][];
    confusion_normalized: number[][];
  };
}
const fixtures = (JSON.parse(readFileSync(path.join(here, '../fixtures/sklearn-fixtures.json'), 'utf8')) as { cases: Fixture[] }).cases;

const TOL = 1e-9;

describe('computeTaskMetrics against scikit-learn fixtures', () => {
  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, f) => {
    const m = computeTaskMetrics(f.truth, f.predicted, f.labels ? { labels: f.labels } : {});
    const r = f.expected.report;
    expect(m.accuracy).toBeCloseTo(f.expected.accuracy, 12);
    expect(Math.abs(m.macro.f1 - f.expected.f1_macro)).toBeLessThan(TOL);
    expect(Math.abs(macroF1(f.truth, f.predicted, f.labels ?? undefined) - f.expected.f1_macro)).toBeLessThan(TOL);
    for (const c of m.perClass) {
      const e = r[c.label] as Avg;
      expect(Math.abs(c.precision - e.precision)).toBeLessThan(TOL);
      expect(Math.abs(c.recall - e.recall)).toBeLessThan(TOL);
      expect(Math.abs(c.f1 - e['f1-score'])).toBeLessThan(TOL);
      expect(c.support).toBe(e.support);
    }
    const pairs = [
      ['macro avg', m.macro],
      ['weighted avg', m.weighted],
    ] as const;
    for (const [key, avg] of pairs) {
      const e = r[key] as Avg;
      expect(Math.abs(avg.precision - e.precision)).toBeLessThan(TOL);
      expect(Math.abs(avg.recall - e.recall)).toBeLessThan(TOL);
      expect(Math.abs(avg.f1 - e['f1-score'])).toBeLessThan(TOL);
    }
    if (m.microIsAccuracy) {
      expect(Math.abs(m.micro.f1 - (r.accuracy as number))).toBeLessThan(TOL);
    } else {
      const e = r['micro avg'] as Avg;
      expect(Math.abs(m.micro.precision - e.precision)).toBeLessThan(TOL);
      expect(Math.abs(m.micro.recall - e.recall)).toBeLessThan(TOL);
      expect(Math.abs(m.micro.f1 - e['f1-score'])).toBeLessThan(TOL);
    }
    expect(m.confusion.counts).toEqual(f.expected.confusion);
    m.confusion.normalized.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - f.expected.confusion_normalized[i][j])).toBeLessThan(TOL)));
    expect(classificationReportText(m)).toBe(f.expected.report_text);
    expect(classificationReportText(m, 4)).toBe(f.expected.report_text_4);
  });
});

describe('label order and edge cases', () => {
  it('sorts labels by code point like Python, not by UTF-16 unit', () => {
    expect(uniqueLabels(['b', 'a'], ['c', 'a'])).toEqual(['a', 'b', 'c']);
    // U+FF5E (fullwidth tilde) sorts before U+1F600 in Python; UTF-16 units say otherwise.
    expect(compareCodePoints('\uff5e', '\u{1f600}')).toBe(-1);
    expect(compareCodePoints('ab', 'a')).toBe(1);
  });

  it('aligns the classification report by characters as Python counts them: an emoji is one', () => {
    const long = `${'x'.repeat(12)}\u{1f600}`; // 13 characters in Python, 14 UTF-16 units
    const text = classificationReportText(computeTaskMetrics(['a', long], ['a', long]), 2);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`${' '.repeat(13)} ${['precision', 'recall', 'f1-score', 'support'].map((h) => ` ${h.padStart(9)}`).join('')}`);
    expect(lines[2]).toBe(`${' '.repeat(12)}a       1.00      1.00      1.00         1`);
    expect(lines[3]).toBe(`${long}       1.00      1.00      1.00         1`);
  });

  it('rejects inputs of different lengths and empty inputs with a coded error', () => {
    expect(() => computeTaskMetrics(['a'], [])).toThrow(MetricInputError);
    expect(() => computeTaskMetrics([], [])).toThrow(MetricInputError);
    expect(() => accuracy([], [])).toThrow(/empty/);
  });

  it('formats ties like Python (round half to even)', () => {
    expect(pyFixed(0.125, 2)).toBe('0.12');
    expect(pyFixed(0.375, 2)).toBe('0.38');
    expect(pyFixed(0.625, 2)).toBe('0.62');
    expect(pyFixed(2.5, 0)).toBe('2');
    expect(pyFixed(0.1, 2)).toBe('0.10');
    expect(pyFixed(1 / 3, 4)).toBe('0.3333');
  });

  it('drops pairs outside the given labels from the confusion matrix', () => {
    const cm = confusionMatrix(['a', 'b', 'c'], ['a', 'c', 'c'], ['c', 'a']);
    expect(cm.counts).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });
});

const labelArb = fc.constantFrom('acct', 'card', 'fx', 'loan', 'tax', 'fraud');
const pairsArb = fc.array(fc.tuple(labelArb, labelArb), { minLength: 1, maxLength: 200 });

describe('properties', () => {
  it('confusion cells sum to the number of examples and rows to the supports', () => {
    fc.assert(
      fc.property(pairsArb, (pairs) => {
        const m = computeTaskMetrics(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
        const total = m.confusion.counts.flat().reduce((a, b) => a + b, 0);
        expect(total).toBe(pairs.length);
        m.confusion.counts.forEach((row, i) => expect(row.reduce((a, b) => a + b, 0)).toBe(m.perClass[i].support));
      }),
    );
  });

  it('keeps every metric in [0, 1] and micro F1 equal to accuracy', () => {
    fc.assert(
      fc.property(pairsArb, (pairs) => {
        const m = computeTaskMetrics(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
        const values = [m.accuracy, ...[m.macro, m.weighted, m.micro].flatMap((a) => [a.precision, a.recall, a.f1])];
        for (const c of m.perClass) values.push(c.precision, c.recall, c.f1);
        for (const row of m.confusion.normalized) values.push(...row);
        for (const v of values) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1 + 1e-12);
        }
        expect(Math.abs(m.micro.f1 - m.accuracy)).toBeLessThan(1e-12);
      }),
    );
  });

  it('gives macro F1 = 1 and accuracy = 1 for perfect predictions', () => {
    fc.assert(
      fc.property(fc.array(labelArb, { minLength: 1, maxLength: 100 }), (truth) => {
        const m = computeTaskMetrics(truth, truth);
        expect(Math.abs(m.macro.f1 - 1)).toBeLessThan(1e-12);
        expect(m.accuracy).toBe(1);
      }),
    );
  });

  it('does not depend on the order of the examples', () => {
    fc.assert(
      fc.property(pairsArb, (pairs) => {
        const a = macroF1(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
        const rev = [...pairs].reverse();
        expect(Math.abs(a - macroF1(rev.map((p) => p[0]), rev.map((p) => p[1])))).toBeLessThan(1e-12);
      }),
    );
  });
});
