import { describe, expect, it } from 'vitest';
import { comparePredictions } from './compare.js';
import { ComparisonError, GatePolicyError } from './errors.js';
import { applyGate, parseGatePolicy } from './gate.js';
import type { PredictionLine } from './prediction-line.js';
import { comparisonMarkdown } from './report-text.js';
import { syntheticPredictionLines } from './synthetic.js';
import { macroF1 } from './task-metrics.js';

const tasks = { queue: ['payments', 'cards', 'loans', 'fraud', 'securities'], area: ['retail', 'wealth', 'corporate'] };
const strong = syntheticPredictionLines({ n: 600, tasks, seed: 1, skill: 0.9 });
// Same truth, weaker predictions: reuse the strong truth with predictions from a weaker run.
const weakRun = syntheticPredictionLines({ n: 600, tasks, seed: 1, skill: 0.6 });
const weak: PredictionLine[] = strong.map((l, i) => ({ ...weakRun[i], truth: l.truth, id: l.id }));

describe('comparePredictions', () => {
  it('gives the exact deltas with bootstrap intervals around them', () => {
    const c = comparePredictions(strong, weak, { bootstrap: { resamples: 300, seed: 5 } });
    const q = c.tasks.find((t) => t.task === 'queue');
    expect(q).toBeDefined();
    if (!q) return;
    const truth = strong.map((l) => l.truth.queue ?? '');
    const a = macroF1(truth, strong.map((l) => l.prediction.queue.label));
    const b = macroF1(truth, weak.map((l) => l.prediction.queue.label));
    expect(Math.abs(q.macroF1.delta - (a - b))).toBeLessThan(1e-12);
    expect(q.macroF1.lo).toBeLessThan(q.macroF1.delta);
    expect(q.macroF1.hi).toBeGreaterThan(q.macroF1.delta);
    expect(q.macroF1.lo).toBeGreaterThan(0);
    expect(q.mcnemar.b).toBeGreaterThan(q.mcnemar.c);
    expect(q.mcnemar.pValue).toBeLessThan(0.001);
    // Seeded: the same seed gives the same interval.
    expect(comparePredictions(strong, weak, { bootstrap: { resamples: 300, seed: 5 } })).toEqual(c);
  });

  it('refuses two different test sets', () => {
    expect(() => comparePredictions(strong, weak.slice(1))).toThrow(ComparisonError);
    const other = weak.map((l) => ({ ...l, truth: { ...l.truth, queue: l.truth.queue === 'cards' ? 'loans' : 'cards' } }));
    expect(() => comparePredictions(strong, other)).toThrow(/truth/);
  });
});

describe('gate', () => {
  const better = comparePredictions(strong, weak, { bootstrap: { resamples: 100 } });
  const worse = comparePredictions(weak, strong, { bootstrap: { resamples: 100 } });
  const same = comparePredictions(strong, strong, { bootstrap: { resamples: 100 } });

  it('passes a better or equal challenger and fails a worse one', () => {
    expect(applyGate(better).pass).toBe(true);
    expect(applyGate(same).pass).toBe(true);
    const g = applyGate(worse);
    expect(g.pass).toBe(false);
    expect(g.checks.filter((c) => !c.pass).map((c) => c.name)).toContain('mean macro-F1 does not drop');
  });

  it('allows a drop within the policy and no more', () => {
    const drop = -Math.min(...worse.tasks.map((t) => t.macroF1.delta)) * 100;
    expect(applyGate(worse, { maxMacroF1DropPoints: drop + 0.01, meanMacroF1MustNotDrop: false }).pass).toBe(true);
    expect(applyGate(worse, { maxMacroF1DropPoints: drop - 0.01, meanMacroF1MustNotDrop: false }).pass).toBe(false);
  });

  it('parses policies strictly and writes a Markdown summary', () => {
    expect(parseGatePolicy({})).toEqual({ maxMacroF1DropPoints: 0.5, meanMacroF1MustNotDrop: true });
    expect(() => parseGatePolicy({ maxMacroF1Drop: 1 })).toThrow(GatePolicyError);
    expect(() => parseGatePolicy({ maxMacroF1DropPoints: -1 })).toThrow(/maxMacroF1DropPoints/);
    const md = comparisonMarkdown(worse, applyGate(worse), { challenger: 'model-b', champion: 'model-a' });
    expect(md).toMatch(/^# Gate: FAIL — model-b vs model-a/);
    expect(md).toContain('| queue | 600 |');
    expect(md).toContain('**FAIL**');
  });
});
