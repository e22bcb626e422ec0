import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classificationReportText } from './classification-report.js';
import { topKAccuracy } from './scores.js';
import { seededRandom } from './stats.js';
import { computeTaskMetrics } from './task-metrics.js';

const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/sklearn-live.py');
const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0);
if (!python) console.warn('skipping the live scikit-learn check: no python3 with sklearn (apt-get install -y python3-sklearn)');

interface Case {
  truth: string[];
  predicted: string[];
  labels: string[] | null;
  scores: number[][] | null;
  k: number[];
}
type Avg = { precision: number; recall: number; 'f1-score': number; support: number };
interface Result {
  report: Record<string, Avg | number>;
  report_text: string;
  f1_macro: number;
  confusion: number[][];
  top_k?: Record<string, number>;
}

function randomCase(seed: number, nLabels: number, n: number, extraPredLabel: boolean, withScores: boolean): Case {
  const random = seededRandom(seed);
  const labels = Array.from({ length: nLabels }, (_, i) => `label_${String.fromCharCode(97 + (i % 26))}${i}`);
  const truth = Array.from({ length: n }, () => labels[Math.floor(random() ** 2 * nLabels)]);
  const predicted = truth.map((t) => (random() < 0.6 ? t : extraPredLabel && random() < 0.1 ? 'only_predicted' : labels[Math.floor(random() * nLabels)]));
  const order = [...new Set([...truth, ...predicted])].sort();
  const scores = withScores ? truth.map(() => order.map(() => random())) : null;
  return { truth, predicted, labels: null, scores, k: [1, 2, 5] };
}

describe.skipIf(!python)('live scikit-learn', () => {
  it('gives the same numbers as the installed scikit-learn on random inputs', () => {
    const cases = [randomCase(1, 5, 60, false, true), randomCase(2, 30, 400, true, true), randomCase(3, 77, 1500, true, false)];
    cases.push({ ...randomCase(4, 8, 100, true, false), labels: ['label_b1', 'label_a0', 'label_z99'] });
    const run = spawnSync(python as string, [script], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    expect(run.status, run.stderr).toBe(0);
    const results = JSON.parse(run.stdout) as Result[];
    expect(results).toHaveLength(cases.length);
    cases.forEach((c, i) => {
      const want = results[i];
      const m = computeTaskMetrics(c.truth, c.predicted, c.labels ? { labels: c.labels } : {});
      expect(Math.abs(m.macro.f1 - want.f1_macro)).toBeLessThan(1e-9);
      expect(m.confusion.counts).toEqual(want.confusion);
      for (const cls of m.perClass) {
        const e = want.report[cls.label] as Avg;
        expect(Math.abs(cls.precision - e.precision)).toBeLessThan(1e-9);
        expect(Math.abs(cls.recall - e.recall)).toBeLessThan(1e-9);
        expect(Math.abs(cls.f1 - e['f1-score'])).toBeLessThan(1e-9);
      }
      const weighted = want.report['weighted avg'] as Avg;
      expect(Math.abs(m.weighted.f1 - weighted['f1-score'])).toBeLessThan(1e-9);
      expect(classificationReportText(m, 4)).toBe(want.report_text);
      if (c.scores && want.top_k) {
        const order = [...new Set([...c.truth, ...c.predicted])].sort();
        const rows = c.scores.map((r) => Object.fromEntries(order.map((l, j) => [l, r[j]])));
        for (const [k, v] of Object.entries(want.top_k)) expect(Math.abs(topKAccuracy(c.truth, rows, Number(k), order) - v)).toBeLessThan(1e-9);
      }
    });
  }, 60_000);
});
