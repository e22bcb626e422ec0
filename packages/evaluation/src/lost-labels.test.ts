import { describe, expect, it } from 'vitest';
import { comparePredictions } from './compare.js';
import { applyGate, gateRecord } from './gate.js';
import type { PredictionLine } from './prediction-line.js';
import { comparisonMarkdown } from './report-text.js';
import { accuracy, macroF1 } from './task-metrics.js';

// A thin month: no row of the advisory queue reached the challenger's training data, so it cannot predict it; the
// champion still does and routes that mail. One email in ten is advisory mail; the challenger sends it to `other`
// (manual triage). On the other queues both models are alike.
const shared = ['cards', 'loans', 'tax', 'other'];
const taxonomies = { challenger: { queue: shared }, champion: { queue: [...shared, 'advisory'] } };
const n = 200;
const truth = Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 'advisory' : shared[i % 3]));
const champion = truth.map((t, i) => (i % 40 === 5 ? 'other' : t));
const challenger = truth.map((t, i) => (t === 'advisory' ? 'other' : i % 40 === 1 ? 'other' : t));
const lines = (predicted: readonly string[], labels: readonly string[]): PredictionLine[] =>
  predicted.map((label, i) => ({
    id: `e${i}`,
    truth: { queue: truth[i] },
    prediction: { queue: { label, scores: Object.fromEntries(labels.map((l) => [l, l === label ? 0.9 : 0.1 / (labels.length - 1)])) } },
  }));
const a = lines(challenger, taxonomies.challenger.queue);
const b = lines(champion, taxonomies.champion.queue);
const boot = { resamples: 200, seed: 5 };
const lostLabels = { queue: { advisory: 'no-examples' as const } };

describe('compare when the challenger lost a queue the champion routes to', () => {
  it('keeps the emails of the lost queue, counted wrong for the challenger, and scores the queue in both macro-F1s', () => {
    const q = comparePredictions(a, b, { bootstrap: boot, taxonomies, lostLabels }).tasks[0];
    const labels = [...shared, 'advisory'];
    expect(q.n).toBe(n);
    expect(q.challenger.macroF1).toBeCloseTo(macroF1(truth, challenger, labels), 12);
    expect(q.champion.macroF1).toBeCloseTo(macroF1(truth, champion, labels), 12);
    expect(q.challenger.accuracy).toBeCloseTo(accuracy(truth, challenger), 12);
    // The challenger cannot route one email in ten right: clearly worse, where leaving them out showed no difference.
    expect(q.macroF1.delta).toBeLessThan(-0.1);
    expect(q.labels?.find((l) => l.label === 'advisory')).toMatchObject({ support: 20, challenger: { f1: 0, right: 0 }, champion: { right: 20 } });
    expect(q.oneSidedLabels).toEqual({ challenger: [], champion: [{ label: 'advisory', emails: 20, predicted: 20, lost: 'no-examples' }] });
    expect(q.unscoredLabels).toBeUndefined();
  });

  it('left those emails out before, as a label only the champion knows, and the gate passed', () => {
    const q = comparePredictions(a, b, { bootstrap: boot, taxonomies }).tasks[0];
    expect(q.n).toBe(n - 20);
    expect(applyGate(comparePredictions(a, b, { bootstrap: boot, taxonomies })).pass).toBe(true);
  });

  it('fails the gate, naming the lost queue, its test emails and why it was lost, and keeps that on the registry record', () => {
    const c = comparePredictions(a, b, { bootstrap: boot, taxonomies, lostLabels });
    // Lenient drop limits: the lost queue alone fails the gate.
    const gate = applyGate(c, { maxMacroF1DropPoints: 100, maxMeanMacroF1DropPoints: 100 });
    expect(gate.pass).toBe(false);
    const failed = gate.checks.filter((check) => !check.pass);
    expect(failed).toEqual([
      {
        name: "queue: every queue of the champion's still predicted",
        pass: false,
        detail: 'the challenger cannot predict advisory (20 test emails; no training row had it), which the champion routes mail to: those emails count as wrong for it; a queue dropped on purpose is retired, or aliased to "other", in its training config',
      },
    ]);
    expect(gateRecord(gate, 'm-champ', new Date(0)).failed[0]).toMatch(/^queue: every queue of the champion's still predicted: the challenger cannot predict advisory \(20 test emails; no training row had it\)/);
    expect(comparisonMarkdown(c, gate)).toContain("| queue: every queue of the champion's still predicted | **FAIL** |");
  });

  it('fails the gate for a lost queue no test email has, and warns of one in a task the policy does not gate', () => {
    const none = (lines: PredictionLine[]) => lines.filter((l) => l.truth.queue !== 'advisory').map((l) => ({ ...l, prediction: { queue: { ...l.prediction.queue, label: l.prediction.queue.label === 'advisory' ? 'other' : l.prediction.queue.label } } }));
    const merged = { queue: { advisory: 'merged-into-other' as const } };
    const c = comparePredictions(none(a), none(b), { bootstrap: boot, taxonomies, lostLabels: merged });
    expect(c.tasks[0].oneSidedLabels?.champion).toEqual([{ label: 'advisory', emails: 0, predicted: 0, lost: 'merged-into-other' }]);
    const gate = applyGate(c);
    expect(gate.checks.find((check) => !check.pass)?.detail).toMatch(/^the challenger cannot predict advisory \(0 test emails; merged into "other" under its minCount\)/);
    // Both lines join the two sides' lines as `topic` too, which the policy gates alone.
    const withTopic = (ls: PredictionLine[]) => ls.map((l) => ({ ...l, truth: { ...l.truth, topic: 'x' }, prediction: { ...l.prediction, topic: { label: 'x' } } }));
    const both = comparePredictions(withTopic(none(a)), withTopic(none(b)), { bootstrap: boot, taxonomies, lostLabels: merged });
    const topicOnly = applyGate(both, { tasks: ['topic'] });
    expect(topicOnly.pass).toBe(true);
    expect(topicOnly.warnings).toEqual([expect.stringMatching(/^queue: not checked by the gate \(the policy's tasks are topic\), yet the challenger cannot predict advisory \(0 test emails; merged into "other" under its minCount\)/)]);
  });
});
