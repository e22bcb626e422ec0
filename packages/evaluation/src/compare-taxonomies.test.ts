import { describe, expect, it } from 'vitest';
import { comparePredictions } from './compare.js';
import { applyGate } from './gate.js';
import type { PredictionLine } from './prediction-line.js';
import { comparisonMarkdown } from './report-text.js';
import { seededRandom } from './stats.js';
import { accuracy, macroF1 } from './task-metrics.js';

// A taxonomy reorganised: the challenger split the champion's `transfers` into `payments` and `abroad`. Both know the
// five other queues; the champion cannot know the two new ones, the challenger no longer knows `transfers`. The
// emails are labelled in the challenger's taxonomy, a quarter of them with a label the champion cannot know.
const shared = ['cards', 'loans', 'fraud', 'savings', 'tax'];
const taxonomies = { challenger: { queue: [...shared, 'payments', 'abroad'] }, champion: { queue: [...shared, 'transfers'] } };
const n = 400;
const random = seededRandom(3);
const truth = Array.from({ length: n }, (_, i) => (i % 8 === 0 ? 'payments' : i % 8 === 4 ? 'abroad' : shared[i % 5]));
const other = (t: string) => shared[(shared.indexOf(t) + 1) % shared.length];
// On the shared queues the champion is the better model (85% right, the challenger 75%). On the new ones the champion
// says `transfers` (which it cannot help), the challenger is right; each model also gives its own label to a few shared emails.
const champion = truth.map((t, i) => (!shared.includes(t) ? 'transfers' : i % 50 === 1 ? 'transfers' : random() < 0.85 ? t : other(t)));
const challenger = truth.map((t, i) => (!shared.includes(t) ? t : i % 50 === 3 ? 'payments' : random() < 0.75 ? t : other(t)));
const lines = (predicted: readonly string[], labels: readonly string[]): PredictionLine[] =>
  predicted.map((label, i) => ({
    id: `e${i}`,
    truth: { queue: truth[i] },
    // Every label of the model's taxonomy scored, as `mailroute predict` writes them.
    prediction: { queue: { label, scores: Object.fromEntries(labels.map((l) => [l, l === label ? 0.8 : 0.2 / (labels.length - 1)])) } },
  }));
const a = lines(challenger, taxonomies.challenger.queue);
const b = lines(champion, taxonomies.champion.queue);
const boot = { resamples: 300, seed: 11 };

describe('compare with two taxonomies: each model scored on the labels both know', () => {
  it("leaves the emails labelled with a label one model cannot know out of the task's figures, and those labels out of both macro-F1s", () => {
    const c = comparePredictions(a, b, { bootstrap: boot, taxonomies });
    const q = c.tasks[0];
    const kept = truth.flatMap((t, i) => (shared.includes(t) ? [i] : []));
    const t = kept.map((i) => truth[i]);
    const pa = kept.map((i) => challenger[i]);
    const pb = kept.map((i) => champion[i]);
    expect(q.n).toBe(300);
    // Averaged over the five shared queues alone: `transfers` and `payments`, predicted for some of these emails, count as wrong.
    expect(q.champion.macroF1).toBeCloseTo(macroF1(t, pb, shared), 12);
    expect(q.challenger.macroF1).toBeCloseTo(macroF1(t, pa, shared), 12);
    expect(q.champion.accuracy).toBeCloseTo(accuracy(t, pb), 12);
    expect(q.challenger.accuracy).toBeCloseTo(accuracy(t, pa), 12);
    expect(q.macroF1.delta).toBeCloseTo(macroF1(t, pa, shared) - macroF1(t, pb, shared), 12);
    // The champion is the better model on what both can know: the challenger is worse, and the gate fails.
    expect(q.macroF1.delta).toBeLessThan(-0.05);
    expect(applyGate(c).pass).toBe(false);
    const b1 = kept.filter((i) => challenger[i] === truth[i] && champion[i] !== truth[i]).length;
    const c1 = kept.filter((i) => challenger[i] !== truth[i] && champion[i] === truth[i]).length;
    expect([q.mcnemar.b, q.mcnemar.c]).toEqual([b1, c1]);
    expect(q.labels?.map((l) => l.label).sort()).toEqual([...shared].sort());
    expect(q.oneSidedLabels).toEqual({
      challenger: [
        { label: 'abroad', emails: 50, predicted: 0 },
        { label: 'payments', emails: 50, predicted: pa.filter((l) => l === 'payments').length },
      ],
      champion: [{ label: 'transfers', emails: 0, predicted: pb.filter((l) => l === 'transfers').length }],
    });
    expect(q.oneSidedLabels?.champion[0].predicted).toBeGreaterThan(0);
    // Said as labels of one model's taxonomy (with their emails, by compare), not as labels no email has.
    expect(q.unscoredLabels).toBeUndefined();
    expect(comparisonMarkdown(c, applyGate(c))).not.toContain('which no email here has');
    // The same figures, intervals included, as a comparison of the shared emails alone.
    const alone = comparePredictions(
      kept.map((i) => a[i]),
      kept.map((i) => b[i]),
      { bootstrap: boot },
    ).tasks[0];
    expect({ ...q, oneSidedLabels: undefined }).toEqual({ ...alone, unscoredLabels: undefined, oneSidedLabels: undefined });
  });

  it('scored on every email, as before, the champion averaged two labels it cannot know at F1 0 and the challenger looked better', () => {
    const before = comparePredictions(a, b, { bootstrap: boot }).tasks[0];
    expect(before.n).toBe(n);
    expect(before.macroF1.delta).toBeGreaterThan(0);
    expect(before.oneSidedLabels).toBeUndefined();
  });

  it('gives the same comparison as before when the taxonomies agree, or one is not known', () => {
    const same = { challenger: { queue: [...shared, 'transfers'] }, champion: { queue: ['transfers', ...shared] } };
    const before = comparePredictions(a, b, { bootstrap: boot });
    expect(comparePredictions(a, b, { bootstrap: boot, taxonomies: same })).toEqual(before);
    expect(comparePredictions(a, b, { bootstrap: boot, taxonomies: { challenger: taxonomies.challenger } })).toEqual(before);
    expect(JSON.stringify(comparePredictions(a, b, { bootstrap: boot, taxonomies: same }))).toBe(JSON.stringify(before));
  });

  it('compares on every email, as before, when no email has a label both know', () => {
    const only = a.filter((l) => !shared.includes(l.truth.queue ?? ''));
    const theirs = b.filter((l) => !shared.includes(l.truth.queue ?? ''));
    const c = comparePredictions(only, theirs, { bootstrap: boot, taxonomies });
    expect(c).toEqual(comparePredictions(only, theirs, { bootstrap: boot }));
    // The champion's labels meet none of the data's: the task fails its gate.
    expect(c.disjointLabels).toEqual([{ task: 'queue', models: false, outsideData: ['champion'] }]);
  });
});
