import { describe, expect, it } from 'vitest';
import { answeredPrecisionWarnings, comparePredictions, type Comparison } from './compare.js';
import { applyGate, gateRecord, parseGatePolicy } from './gate.js';
import type { PredictionLine } from './prediction-line.js';
import { comparisonMarkdown } from './report-text.js';
import { syntheticPredictionLines } from './synthetic.js';
import { macroF1 } from './task-metrics.js';

const tasks = { queue: ['payments', 'cards', 'loans', 'fraud', 'securities'], area: ['retail', 'wealth', 'corporate'] };
const strong = syntheticPredictionLines({ n: 600, tasks, seed: 1, skill: 0.9 });
const weakRun = syntheticPredictionLines({ n: 600, tasks, seed: 1, skill: 0.6 });
const boot = { resamples: 200, seed: 5 };

/** Each line's queue prediction with `abstained` set by `abstains` (the line's index, whether its label is right). */
const withAbstention = (lines: readonly PredictionLine[], abstains: (i: number, right: boolean) => boolean): PredictionLine[] =>
  lines.map((l, i) => ({ ...l, prediction: { ...l.prediction, queue: { ...l.prediction.queue, abstained: abstains(i, l.prediction.queue.label === l.truth.queue) } } }));

describe('compare: precision on the answered mail', () => {
  // The same labels; the champion abstains on most of its wrong answers and a few right ones, the challenger (a lower threshold) on none.
  const champion = withAbstention(strong, (i, right) => !right || i % 20 === 0);
  const challenger = withAbstention(strong, () => false);
  const c = comparePredictions(challenger, champion, { bootstrap: boot });
  const q = c.tasks.find((t) => t.task === 'queue');
  const wrong = strong.filter((l) => l.prediction.queue.label !== l.truth.queue).length;
  const rightAbstained = strong.filter((l, i) => l.prediction.queue.label === l.truth.queue && i % 20 === 0).length;

  it("gives each model's precision on the emails it answers and how many of them it gets wrong", () => {
    expect(q?.macroF1.delta).toBe(0);
    expect(q?.answered?.emails).toEqual({ challenger: 600, champion: 600 - wrong - rightAbstained });
    expect(q?.answered?.wrong).toEqual({ challenger: wrong, champion: 0 });
    expect(q?.answered?.precision?.champion).toBe(1);
    expect(q?.answered?.precision?.challenger).toBeCloseTo((600 - wrong) / 600, 12);
    const md = comparisonMarkdown(c, applyGate(c));
    expect(md).toContain('| task | champion (champion) | challenger (challenger) | Δ points | precision: champion | precision: challenger | wrong: champion | wrong: challenger |');
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    expect(md).toContain(`| queue | ${pct((600 - wrong - rightAbstained) / 600)} | 100.0% | `);
    expect(md).toContain(`| 100.0% | ${pct((600 - wrong) / 600)} | 0 of ${600 - wrong - rightAbstained} | ${wrong} of 600 |`);
  });

  it('warns when the challenger answers more mail at a lower precision, naming the routing task when known', () => {
    const [warning] = answeredPrecisionWarnings(c);
    expect(warning).toBe(
      `queue: precision on the mail answered at each model's own threshold: challenger ${(((600 - wrong) / 600) * 100).toFixed(1)}% (${wrong} of 600 wrong), champion 100.0% (0 of ${600 - wrong - rightAbstained} wrong): ${((wrong / 600) * 100).toFixed(1)} points lower, ${wrong} more wrong (for the task that routes mail, misrouted), which macro-F1 and accuracy do not show`,
    );
    expect(answeredPrecisionWarnings(c, 'queue')[0]).toContain(' more wrong (misrouted mail), which');
    expect(answeredPrecisionWarnings(c, 'area')[0]).not.toContain('misrouted');
    // The other way round (fewer answered, all right), or the same lines: nothing to warn of.
    expect(answeredPrecisionWarnings(comparePredictions(champion, challenger, { bootstrap: boot }))).toEqual([]);
    expect(answeredPrecisionWarnings(comparePredictions(champion, champion, { bootstrap: boot }))).toEqual([]);
  });
});

describe('compare: one label set for both models', () => {
  const relabel = (l: PredictionLine, label: string): PredictionLine => ({ ...l, prediction: { ...l.prediction, queue: { ...l.prediction.queue, label, scores: { ...l.prediction.queue.scores, private: 0 } } } });
  // Both models know `private` (scored), no email has it; they get the same emails right.
  const knowing = strong.map((l) => relabel(l, l.prediction.queue.label));
  const firstWrong = strong.findIndex((l) => l.prediction.queue.label !== l.truth.queue);
  const oneRare = knowing.map((l, i) => (i === firstWrong ? relabel(l, 'private') : l));
  const truth = strong.map((l) => l.truth.queue ?? '');

  it('scores both over the truth and both models predictions: one email given a label nobody has moves neither by a label', () => {
    for (const [challenger, champion] of [
      [oneRare, knowing],
      [knowing, oneRare],
    ]) {
      const c = comparePredictions(challenger, champion, { bootstrap: boot });
      const q = c.tasks.find((t) => t.task === 'queue');
      const labels = [...tasks.queue, 'private'];
      expect(q?.challenger.macroF1).toBeCloseTo(macroF1(truth, challenger.map((l) => l.prediction.queue.label), labels), 12);
      expect(q?.champion.macroF1).toBeCloseTo(macroF1(truth, champion.map((l) => l.prediction.queue.label), labels), 12);
      // Each over its own labels, the model that gave `private` lost a sixth of its figure: about 14 points.
      expect(Math.abs(q?.macroF1.delta ?? 1)).toBeLessThan(0.005);
      expect(Math.abs(q?.macroF1.lo ?? 1)).toBeLessThan(0.01);
      expect(Math.abs(q?.macroF1.hi ?? 1)).toBeLessThan(0.01);
      expect(q?.absentLabels).toEqual(['private']);
      expect(applyGate(c).pass).toBe(true);
      expect(comparisonMarkdown(c, applyGate(c))).toContain('queue: no email here has `private`, which a model predicted and both know: both macro-F1s average over the same labels');
    }
  });
});

describe('compare: the summary and the gate agree', () => {
  const c = comparePredictions(strong, strong, { bootstrap: { resamples: 20, seed: 5 } });
  // A drop whose interval ends at exactly 0: the summary says it may be chance, and so must the note beside the failed check.
  const endsAtZero: Comparison = { ...c, tasks: c.tasks.map((t) => (t.task === 'queue' ? { ...t, macroF1: { delta: -0.0865, lo: -0.0884, hi: 0 }, challenger: { ...t.challenger, macroF1: t.champion.macroF1 - 0.0865 } } : t)) };

  it('notes beside a failed check that an interval ending at +0.00 may be chance, as the summary says', () => {
    const gate = applyGate(endsAtZero);
    expect(gate.pass).toBe(false);
    const md = comparisonMarkdown(endsAtZero, gate);
    expect(md).toContain('- queue: no clear difference, -8.65 points of macro-F1; the 95% interval (-8.84 to +0.00) spans 0');
    expect(md).toContain('Note: `queue` fails its check on the point estimate of the drop, while the 95% interval spans 0');
  });

  it('notes beside a failed check a drop below 0 throughout that too few emails tell apart', () => {
    const few: Comparison = { ...c, tasks: c.tasks.map((t) => (t.task === 'queue' ? { ...t, macroF1: { delta: -0.01, lo: -0.02, hi: -0.001 }, mcnemar: { b: 0, c: 4, statistic: 4, pValue: 0.125, method: 'exact' as const } } : t)) };
    const md = comparisonMarkdown(few, applyGate(few));
    expect(md).toContain('so it may yet be chance.');
    expect(md).toContain("Note: `queue` fails its check on the point estimate of the drop, while too few emails tell the two models apart for McNemar's test");
  });
});

describe('gate: a task the policy leaves out', () => {
  // Worse at queue (the weak run's queue predictions), as good at area.
  const worseQueue: PredictionLine[] = strong.map((l, i) => ({ ...l, prediction: { ...l.prediction, queue: weakRun[i].prediction.queue } }));
  const c = comparePredictions(worseQueue, strong, { bootstrap: boot });

  it('passes on the tasks it gates, with a warning kept with it for the one clearly worse that it does not', () => {
    const gate = applyGate(c, parseGatePolicy({ tasks: ['area'] }));
    expect(gate.pass).toBe(true);
    expect(gate.warnings).toHaveLength(1);
    expect(gate.warnings?.[0]).toMatch(/^queue: not checked by the gate \(the policy's tasks are area\), yet the challenger is worse at it, -\d+\.\d\d pts of macro-F1 \(.*95% interval -\d+\.\d\d pts to -\d+\.\d\d pts, McNemar p .*\): unlikely to be chance$/);
    const record = gateRecord(gate, 'champ', new Date(0), ['rows seen in training']);
    expect(record.warnings).toEqual(['rows seen in training', gate.warnings?.[0]]);
    expect(comparisonMarkdown(c, gate)).toContain(`> **Warning:** ${gate.warnings?.[0]}`);
    // Gating every task, or one not clearly worse: no such warning.
    expect(applyGate(c).warnings).toBeUndefined();
    expect(applyGate(c, parseGatePolicy({ tasks: ['queue'] })).warnings).toBeUndefined();
  });
});
