import { describe, expect, it } from 'vitest';
import { answeredDropWarnings, belowTargetWarnings, clearAccuracyDifference, clearAccuracyText, clearDifference, comparePredictions } from './compare.js';
import { ComparisonError, GatePolicyError } from './errors.js';
import { applyGate, gateRecord, parseGatePolicy } from './gate.js';
import type { PredictionLine } from './prediction-line.js';
import { comparisonMarkdown, differenceSentence, shortNames } from './report-text.js';
import { syntheticPredictionLines } from './synthetic.js';
import { macroF1 } from './task-metrics.js';

const tasks = { queue: ['payments', 'cards', 'loans', 'fraud', 'securities'], area: ['retail', 'wealth', 'corporate'] };
const strong = syntheticPredictionLines({ n: 600, tasks, seed: 1, skill: 0.9 });
// Same truth, weaker predictions: reuse the strong truth with predictions from a weaker run.
const weakRun = syntheticPredictionLines({ n: 600, tasks, seed: 1, skill: 0.6 });
const weak: PredictionLine[] = strong.map((l, i) => ({ ...weakRun[i], truth: l.truth, id: l.id }));

describe('comparePredictions', () => {
  it('says beside a check that failed on a drop whose interval spans 0 that the drop may be chance, and not beside one clearly worse', () => {
    // The challenger gets 6 of the champion's right emails wrong and 3 of its wrong ones right: a small drop, well inside the noise.
    const right = strong.flatMap((l, i) => (l.prediction.queue.label === l.truth.queue ? [i] : [])).slice(0, 6);
    const wrong = strong.flatMap((l, i) => (l.prediction.queue.label !== l.truth.queue ? [i] : [])).slice(0, 3);
    const relabel = (l: PredictionLine, label: string): PredictionLine => ({ ...l, prediction: { ...l.prediction, queue: { label } } });
    const slightly = strong.map((l, i) => (right.includes(i) ? relabel(l, l.truth.queue === 'cards' ? 'loans' : 'cards') : wrong.includes(i) ? relabel(l, l.truth.queue as string) : l));
    const c = comparePredictions(slightly, strong, { bootstrap: { resamples: 200, seed: 5 } });
    const gate = applyGate(c, parseGatePolicy({ maxMacroF1DropPoints: 0 }));
    const q = c.tasks.find((t) => t.task === 'queue');
    expect(q?.macroF1.delta).toBeLessThan(0);
    expect((q?.macroF1.lo ?? 0) < 0 && (q?.macroF1.hi ?? 0) > 0).toBe(true);
    expect(gate.checks.find((x) => x.name.startsWith('queue: macro-F1 drop'))?.pass).toBe(false);
    expect(comparisonMarkdown(c, gate)).toContain('Note: `queue` fails its check on the point estimate of the drop, while the 95% interval spans 0 (see above): on these 600 emails the drop may be chance.');
    // Clearly worse: its interval lies below 0, no such note.
    const worse = comparePredictions(weak, strong, { bootstrap: { resamples: 200, seed: 5 } });
    expect(comparisonMarkdown(worse, applyGate(worse))).not.toContain('may be chance. The policy judges');
  });

  it('shows the share each model answers at its own threshold, and warns when the challenger answers far fewer', () => {
    // The same labels (equal figures), but the challenger abstains on 70% of the emails, the champion on 15%.
    const flagged = (lines: readonly PredictionLine[], abstainEvery: (i: number) => boolean) =>
      lines.map((l, i) => ({ ...l, prediction: { queue: { ...l.prediction.queue, abstained: abstainEvery(i) } } }));
    const champion = flagged(strong, (i) => i % 20 < 3);
    const challenger = flagged(strong, (i) => i % 10 < 7);
    const c = comparePredictions(challenger, champion, { bootstrap: { resamples: 50, seed: 5 } });
    const q = c.tasks.find((t) => t.task === 'queue');
    expect(q?.macroF1.delta).toBe(0);
    expect(q?.answered?.champion).toBeCloseTo(0.85, 10);
    expect(q?.answered?.challenger).toBeCloseTo(0.3, 10);
    expect(answeredDropWarnings(c)).toEqual([
      'queue: the challenger answers 30.0% of these emails at its own threshold, the champion 85.0%: 55.0 points more abstain (for the task that routes mail, go to manual triage), which macro-F1 and accuracy do not show',
    ]);
    expect(comparisonMarkdown(c, applyGate(c))).toContain('| queue | 85.0% | 30.0% | -55.00 |');
    // A drop under 5 points, or lines that do not say whether they abstained, warn of nothing.
    expect(answeredDropWarnings(comparePredictions(flagged(strong, (i) => i % 20 < 4), champion, { bootstrap: { resamples: 20, seed: 5 } }))).toEqual([]);
    expect(comparePredictions(strong, strong, { bootstrap: { resamples: 20, seed: 5 } }).tasks[0].answered).toBeUndefined();
  });

  it('leaves a label one model predicts, no email has and the other does not know out of both macro-F1s, and says so', () => {
    // The champion still predicts `legacy`, a queue the challenger retired, on every 25th email; no email has it.
    const champion = strong.map((l, i) => (i % 25 === 0 ? { ...l, prediction: { ...l.prediction, queue: { label: 'legacy', scores: { ...l.prediction.queue.scores, legacy: 0.9 } } } } : l));
    const c = comparePredictions(weak, champion, { bootstrap: { resamples: 200, seed: 5 } });
    const q = c.tasks.find((t) => t.task === 'queue');
    const truth = strong.map((l) => l.truth.queue ?? '');
    const b = champion.map((l) => l.prediction.queue.label);
    const known = tasks.queue.filter((l) => truth.includes(l) || b.includes(l));
    expect(q?.unscoredLabels).toEqual({ challenger: [], champion: ['legacy'] });
    expect(q?.champion.macroF1).toBeCloseTo(macroF1(truth, b, known), 12);
    // Averaged over `legacy` too, as before, the champion had lost a sixth of its figure to a label it alone is scored on.
    expect(macroF1(truth, b)).toBeLessThan(q?.champion.macroF1 ?? 0);
    expect(q?.champion.accuracy).toBeCloseTo(b.filter((l, i) => l === truth[i]).length / truth.length, 12);
    expect(q?.macroF1.lo).toBeLessThanOrEqual(q?.macroF1.delta ?? NaN);
    expect(q?.macroF1.hi).toBeGreaterThanOrEqual(q?.macroF1.delta ?? NaN);
    expect(comparisonMarkdown(c, applyGate(c))).toContain('queue: champion predicted `legacy`, which no email here has and challenger does not know (retired or new)');
    // A label both models know stays a label of its own, as scikit-learn scores it.
    const knowing = weak.map((l) => ({ ...l, prediction: { ...l.prediction, queue: { ...l.prediction.queue, scores: { ...l.prediction.queue.scores, legacy: 0.01 } } } }));
    const both = comparePredictions(knowing, champion, { bootstrap: { resamples: 20, seed: 5 } }).tasks.find((t) => t.task === 'queue');
    expect(both?.unscoredLabels).toBeUndefined();
    expect(both?.champion.macroF1).toBeCloseTo(macroF1(truth, b), 12);
  });

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

  it('warns, and fails the gate, when a task shares its name but not its labels; refuses when every task does', () => {
    // The champion's area labels are another taxonomy's (renamed wholesale): it can get none right.
    const rename = (l: string) => `old-${l}`;
    const otherArea: PredictionLine[] = weak.map((l) => {
      const p = l.prediction.area;
      return { ...l, prediction: { ...l.prediction, area: { label: rename(p.label), scores: Object.fromEntries(Object.entries(p.scores ?? {}).map(([k, v]) => [rename(k), v])) } } };
    });
    const c = comparePredictions(strong, otherArea, { bootstrap: { resamples: 50, seed: 1 } });
    expect(c.disjointLabels).toEqual([{ task: 'area', models: true, outsideData: ['champion'] }]);
    expect(c.tasks.find((t) => t.task === 'area')?.champion.macroF1).toBe(0);
    const gate = applyGate(c);
    expect(gate.pass).toBe(false);
    expect(gate.checks.find((x) => x.name === 'area: labels in common')).toMatchObject({ pass: false, detail: "the two models' labels share none (the catch-all `other` aside); the data's labels are none of the champion's, which gets no email right" });
    const md = comparisonMarkdown(c, gate);
    expect(md).not.toMatch(/area: the challenger is better/);
    expect(md).toMatch(/- area: the figures do not compare, as the two models' labels share none .*: the \+\d+\.\d+ points say nothing about which model is better\./);
    expect(md).toContain("**Warning: area: the two models' labels share none (the catch-all `other` aside); the data's labels are none of the champion's, which gets no email right.");
    // A champion whose labels were all mapped to the challenger's catch-all shares only `other` with it: no overlap either.
    const withOther = strong.map((l, i) => (i % 5 === 0 ? { ...l, truth: { ...l.truth, area: 'other' }, prediction: { ...l.prediction, area: { label: 'other' } } } : l));
    const allOther = withOther.map((l) => ({ ...l, prediction: { ...l.prediction, area: { label: 'other', scores: { other: 1 } } } }));
    expect(comparePredictions(withOther, allOther, { bootstrap: { resamples: 50, seed: 1 } }).disjointLabels).toEqual([{ task: 'area', models: true, outsideData: [] }]);
    // Labels that meet: nothing said.
    expect(comparePredictions(strong, weak, { bootstrap: { resamples: 50, seed: 1 } }).disjointLabels).toEqual([]);
    // Every compared task another taxonomy: nothing compares, refused as two models with no task in common are.
    const areaOnly = (lines: PredictionLine[]) => lines.map((l) => ({ ...l, truth: { area: l.truth.area }, prediction: { area: l.prediction.area } }));
    expect(() => comparePredictions(areaOnly(strong), areaOnly(otherArea))).toThrow(/the models share no label on any task they both predict \(area\)/);
  });

  it('refuses two different test sets', () => {
    expect(() => comparePredictions(strong, weak.slice(1))).toThrow(ComparisonError);
    // It says how to get two files of the same emails.
    expect(() => comparePredictions(strong, weak.slice(1))).toThrow(/lines, champion \d+: not the same test set \(predict both models on one data file, with the same --split if any/);
    // Not only other split settings: another taxonomy of the split's task holds out other rows too.
    expect(() => comparePredictions(strong, weak.slice(1))).toThrow(/different split settings or a different taxonomy of the split's task hold out different rows/);
    const other = weak.map((l) => ({ ...l, truth: { ...l.truth, queue: l.truth.queue === 'cards' ? 'loans' : 'cards' } }));
    expect(() => comparePredictions(strong, other)).toThrow(/truth/);
    // A truth only the champion's file has is a different truth too, not a line to leave out of the figures.
    const unlabelled = strong.map((l, i) => (i === 0 ? { ...l, truth: { ...l.truth, queue: null } } : l));
    expect(() => comparePredictions(unlabelled, weak)).toThrow(/line e1 has truth none for the challenger and "\w+" for the champion/);
    expect(() => comparePredictions(weak, unlabelled)).toThrow(/line e1 has truth "\w+" for the challenger and none for the champion/);
    // Without ids, lines are joined by position and named by it: the third line, after two without a queue label.
    const plain = (truth: string | null) => ({ truth: { queue: truth }, prediction: { queue: { label: 'cards' } } });
    expect(() => comparePredictions([plain(null), plain(null), plain('cards')], [plain(null), plain(null), plain('loans')])).toThrow(
      'task queue: line 3 has truth "cards" for the challenger and "loans" for the champion',
    );
    const repeated = strong.map((l, i) => (i === 1 ? { ...strong[0] } : l));
    // A repeated id is named, with how many lines carry it and why it matters, on the side whose lines repeat it.
    const twice = 'compare joins the two sides\' predictions by id, so each id must name one email';
    expect(() => comparePredictions(repeated, strong)).toThrow(`the challenger's predictions repeat 1 id (e1 on 2 lines): ${twice}`);
    expect(() => comparePredictions(strong, [...strong, ...strong.slice(0, 7)])).toThrow(`the champion's predictions repeat 7 ids (e1 on 2 lines; e2 on 2 lines; e3 on 2 lines; e4 on 2 lines; e5 on 2 lines, and 2 more): ${twice}`);
    // One line without an id among lines with one: refused, not every line joined by position instead.
    const reversed = [...weak].reverse();
    const oneUnnamed = reversed.map((l, i) => (i === 4 ? { ...l, id: undefined } : l));
    expect(() => comparePredictions(strong, oneUnnamed)).toThrow(`1 of the champion's ${weak.length} prediction lines have no id (the first: line 5) while other lines have one`);
    expect(comparePredictions(strong, reversed).tasks.length).toBeGreaterThan(0);
  });

  it('fails the gate on a task the models predict that no line has a truth label for, unless the policy leaves it out', () => {
    // The area column left empty in the data: both models predict area, nothing measures it.
    const blank = (ls: readonly PredictionLine[]) => ls.map((l) => ({ ...l, truth: { queue: l.truth.queue } }));
    const c = comparePredictions(blank(weak), blank(strong), { bootstrap: { resamples: 50 } });
    expect(c.tasks.map((t) => t.task)).toEqual(['queue']);
    expect(c.unmeasured).toEqual([{ task: 'area', predictedBy: ['challenger', 'champion'] }]);
    // The challenger is better at queue, so area alone fails the gate.
    const lenient = { maxMacroF1DropPoints: 100, meanMacroF1MustNotDrop: false };
    const gate = applyGate(c, lenient);
    expect(gate.pass).toBe(false);
    expect(gate.checks.filter((x) => !x.pass)).toEqual([
      { name: 'area: measured on the data', pass: false, detail: 'predicted by both models, but no email in the data has a label for area, so nothing says whether the challenger got worse at it; label it in the data, or leave it out of the policy\'s "tasks"' },
    ]);
    expect(comparisonMarkdown(c, gate)).toContain('**area: predicted by both models, but no email in the data has a label for it: not compared, and it fails the gate.**');
    // A policy that gates queue alone leaves area out on purpose: the gate passes, and the summary still names area.
    const queueOnly = applyGate(c, { ...lenient, tasks: ['queue'] });
    expect(queueOnly.pass).toBe(true);
    expect(comparisonMarkdown(c, queueOnly)).toContain('**area: predicted by both models, but no email in the data has a label for it: not compared (the policy leaves it out of the gate).**');
    // A policy naming area gets the reason, not a "typo" check besides.
    expect(applyGate(c, { ...lenient, tasks: ['queue', 'area'] }).checks.filter((x) => !x.pass).map((x) => x.name)).toEqual(['area: measured on the data']);
    // Predicted by one side only, it fails too, saying which.
    const noArea = blank(strong).map((l) => ({ ...l, prediction: { queue: l.prediction.queue } }));
    const d = comparePredictions(blank(weak), noArea, { bootstrap: { resamples: 50 } });
    expect(d.unmeasured).toEqual([{ task: 'area', predictedBy: ['challenger'] }]);
    expect(applyGate(d, lenient).checks.find((x) => !x.pass)?.detail).toMatch(/^predicted by the challenger only, but no email/);
  });

  it('fails the gate for a challenger that leaves out its mistakes, or a whole task, instead of measuring it on the rest', () => {
    // The weak challenger drops its queue predictions wherever they are wrong: on the rest it is perfect.
    const cherry = weak.map((l) => (l.prediction.queue.label === l.truth.queue ? l : { ...l, prediction: { area: l.prediction.area } }));
    const c = comparePredictions(cherry, strong, { bootstrap: { resamples: 50 } });
    const dropped = weak.filter((l) => l.prediction.queue.label !== l.truth.queue).length;
    expect(c.missing).toEqual([{ task: 'queue', labelled: 600, challenger: dropped, champion: 0 }]);
    const gate = applyGate(c);
    expect(gate.pass).toBe(false);
    expect(gate.checks.find((x) => !x.pass)).toEqual({ name: 'queue: every labelled email predicted by both models', pass: false, detail: `of 600 labelled emails, unpredicted by challenger ${dropped}` });
    // A whole task without predictions is not quietly left out of the table and the checks.
    const noArea = strong.map((l) => ({ ...l, prediction: { queue: l.prediction.queue } }));
    const d = comparePredictions(noArea, strong, { bootstrap: { resamples: 50 } });
    expect(d.tasks.map((t) => t.task)).toEqual(['queue']);
    expect(applyGate(d).pass).toBe(false);
    expect(comparisonMarkdown(d, applyGate(d))).toContain('**area: 600 labelled emails, unpredicted by challenger 600, by champion 0 (no email has both: the task is not compared at all).**');
    // A model without the task at all (no truth, no predictions: it dropped the task, or is older than it), either side.
    const without = strong.map((l) => ({ ...l, truth: { queue: l.truth.queue }, prediction: { queue: l.prediction.queue } }));
    for (const [challenger, champion, who] of [[without, strong, 'challenger'], [strong, without, 'champion']] as const) {
      const e = comparePredictions(challenger, champion, { bootstrap: { resamples: 50 } });
      expect(e.tasks.map((t) => t.task)).toEqual(['queue']);
      expect(e.missing).toEqual([{ task: 'area', labelled: 600, challenger: who === 'challenger' ? 600 : 0, champion: who === 'champion' ? 600 : 0 }]);
      const gate = applyGate(e);
      expect(gate.pass).toBe(false);
      // Said as a task set that differs, with the way to gate the tasks both have; and so gated, it passes.
      const said = who === 'champion' ? '(the champion has no task area: one the challenger adds, judged by its own report)' : '(the challenger no longer predicts area: a task it drops)';
      expect(gate.checks.find((c) => !c.pass)?.detail).toBe(`of 600 labelled emails, unpredicted by ${who} 600 ${said}; to gate the tasks both models have, list them in the policy's "tasks" (area left out)`);
      expect(applyGate(e, { tasks: ['queue'] }).pass).toBe(true);
    }
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
    expect(g.checks.filter((c) => !c.pass).map((c) => c.name)).toContain('mean macro-F1 drop ≤ 0.25 pts');
  });

  it('shortens a gate to what the registry keeps: outcome, champion, failed checks, thresholds, time', () => {
    const record = gateRecord(applyGate(worse, { maxAccuracyDropPoints: 1 }), 'm-old', new Date('2026-12-01T09:00:00Z'));
    expect(record).toMatchObject({ pass: false, champion: 'm-old', at: '2026-12-01T09:00:00.000Z' });
    expect(record.thresholds).toEqual({ maxMacroF1DropPoints: 0.5, meanMacroF1MustNotDrop: true, maxMeanMacroF1DropPoints: 0.25, maxAccuracyDropPoints: 1 });
    expect(record.failed).toContain(`mean macro-F1 drop ≤ 0.25 pts: ${applyGate(worse).checks.at(-1)?.detail}`);
    expect(record.failed.every((f) => f.length <= 160)).toBe(true);
    const passed = gateRecord(applyGate(better), 'm-old', new Date(0));
    expect(passed).toMatchObject({ pass: true, failed: [] });
    expect(passed.thresholds).not.toHaveProperty('maxAccuracyDropPoints');
    // Many failed checks (a policy over many tasks): ten lines at most, the rest counted.
    const many = { pass: false, policy: applyGate(worse).policy, checks: Array.from({ length: 14 }, (_, i) => ({ name: `task${i}: ${'x'.repeat(200)}`, pass: false, detail: 'd' })) };
    const cut = gateRecord(many, 'm-old', new Date(0)).failed;
    expect(cut).toHaveLength(10);
    expect(cut.at(-1)).toBe('and 5 more checks');
    expect(cut[0]).toHaveLength(160);
    expect(record).not.toHaveProperty('warnings');
    // A check cut where an emoji (two UTF-16 units) stands keeps it whole or leaves it out: half of one reads as �.
    const emoji = { ...many, checks: [{ name: `${'x'.repeat(158)}\u{1f600}`, pass: false, detail: 'd' }] };
    expect(gateRecord(emoji, 'm-old', new Date(0)).failed).toEqual([`${'x'.repeat(158)}…`]);
  });

  it('keeps what compare warned of on the gate record, and heads the summary with it, as evaluate heads its reports', () => {
    const overlap = 'champion: 644 of these 800 rows (80.5%) repeat texts model m-old was trained or validated on: its metrics on them flatter it';
    const record = gateRecord(applyGate(worse), 'm-old', new Date(0), [overlap]);
    expect(record.warnings).toEqual([overlap]);
    const many = gateRecord(applyGate(worse), 'm-old', new Date(0), Array.from({ length: 12 }, (_, i) => `w${i} ${'x'.repeat(1200)}`));
    expect(many.warnings).toHaveLength(10);
    expect(many.warnings?.at(-1)).toBe('and 3 more warnings');
    expect(many.warnings?.[0]).toHaveLength(1000);
    // One as long as compare writes them (a near-duplicate warning with its counts and hint) is kept whole.
    const long = `challenger: ${'412 of these 801 test rows (51.4%) nearly repeat a text the model was trained on; '.repeat(5)}`;
    expect(gateRecord(applyGate(worse), 'm-old', new Date(0), [long]).warnings).toEqual([long]);
    const md = comparisonMarkdown(worse, applyGate(worse), { challenger: 'model-b', champion: 'model-a' }, [overlap]);
    // Under the title and the two models, above the figures it qualifies.
    expect(md).toContain(`- challenger: model-b\n\n> **Warning:** ${overlap}\n\n${worse.n} emails.`);
    expect(comparisonMarkdown(worse, applyGate(worse), { challenger: 'model-b', champion: 'model-a' })).not.toContain('Warning:');
  });

  it('passes a challenger whose mean macro-F1 is below the champion\'s by noise only, unless the policy is strict', () => {
    // One email of 600 that the challenger gets wrong where the champion was right.
    const at = strong.findIndex((l) => l.prediction.queue.label === l.truth.queue);
    const wrong = tasks.queue.find((q) => q !== strong[at].truth.queue) as string;
    const slip = strong.map((l, i) => (i === at ? { ...l, prediction: { ...l.prediction, queue: { label: wrong } } } : l));
    const tiny = comparePredictions(slip, strong, { bootstrap: { resamples: 100 } });
    const mean = tiny.tasks.reduce((s, t) => s + t.macroF1.delta, 0) / tiny.tasks.length;
    expect(mean).toBeLessThan(0);
    expect(mean).toBeGreaterThan(-0.0025);
    const g = applyGate(tiny);
    expect(g.pass).toBe(true);
    expect(g.checks.find((c) => c.name.startsWith('mean'))?.name).toBe('mean macro-F1 drop ≤ 0.25 pts');
    const strict = applyGate(tiny, { maxMeanMacroF1DropPoints: 0 });
    expect(strict.pass).toBe(false);
    expect(strict.checks.filter((c) => !c.pass).map((c) => c.name)).toEqual(['mean macro-F1 does not drop']);
  });

  it('judges one gated task by its own limit alone: the mean of one task is that task, not held to the stricter mean limit too', () => {
    // The challenger gets 6 of the champion's right queue answers wrong: a queue drop between the mean limit and the per-task one.
    const right = strong.flatMap((l, i) => (l.prediction.queue.label === l.truth.queue ? [i] : [])).slice(0, 6);
    const slip = strong.map((l, i) => (right.includes(i) ? { ...l, prediction: { ...l.prediction, queue: { label: l.truth.queue === 'cards' ? 'loans' : 'cards' } } } : l));
    const c = comparePredictions(slip, strong, { bootstrap: { resamples: 50 } });
    const drop = -(c.tasks.find((t) => t.task === 'queue')?.macroF1.delta ?? 0) * 100;
    const policy = { maxMacroF1DropPoints: drop + 0.05, maxMeanMacroF1DropPoints: drop - 0.05 };
    const one = applyGate(c, { ...policy, tasks: ['queue'] });
    expect(one.checks.map((x) => [x.name, x.pass])).toEqual([[`queue: macro-F1 drop ≤ ${policy.maxMacroF1DropPoints} pts`, true]]);
    expect(one.pass).toBe(true);
    // Over its limit, the one check fails it; a strict mean policy adds nothing with one task.
    expect(applyGate(c, { maxMacroF1DropPoints: drop - 0.05, tasks: ['queue'] }).pass).toBe(false);
    expect(applyGate(c, { maxMeanMacroF1DropPoints: 0, tasks: ['queue'] }).checks.some((x) => x.name.startsWith('mean'))).toBe(false);
    // With two tasks gated, the mean is checked: the queue's drop halved by area's unchanged figure.
    const two = applyGate(c, { ...policy, maxMeanMacroF1DropPoints: drop / 2 - 0.05 });
    expect(two.checks.find((x) => x.name.startsWith('mean'))).toMatchObject({ name: `mean macro-F1 drop ≤ ${drop / 2 - 0.05} pts`, pass: false });
  });

  it('allows a drop within the policy and no more', () => {
    const drop = -Math.min(...worse.tasks.map((t) => t.macroF1.delta)) * 100;
    expect(applyGate(worse, { maxMacroF1DropPoints: drop + 0.01, meanMacroF1MustNotDrop: false }).pass).toBe(true);
    expect(applyGate(worse, { maxMacroF1DropPoints: drop - 0.01, meanMacroF1MustNotDrop: false }).pass).toBe(false);
  });

  it('parses policies strictly and writes a Markdown summary', () => {
    expect(parseGatePolicy({})).toEqual({ maxMacroF1DropPoints: 0.5, meanMacroF1MustNotDrop: true, maxMeanMacroF1DropPoints: 0.25 });
    expect(() => parseGatePolicy({ maxMeanMacroF1DropPoints: -0.1 })).toThrow(/maxMeanMacroF1DropPoints/);
    expect(() => parseGatePolicy({ maxMacroF1Drop: 1 })).toThrow(GatePolicyError);
    expect(() => parseGatePolicy({ maxMacroF1DropPoint: 1 })).toThrow('gate policy: unknown key "maxMacroF1DropPoint" (did you mean "maxMacroF1DropPoints"?)');
    expect(() => parseGatePolicy({ maxMacroF1DropPoints: -1 })).toThrow(/maxMacroF1DropPoints/);
    expect(() => parseGatePolicy(null)).toThrow(GatePolicyError); // a file holding null is not the default policy
    const md = comparisonMarkdown(worse, applyGate(worse), { challenger: 'model-b', champion: 'model-a' });
    expect(md).toMatch(/^# Gate: FAIL — model-b vs model-a/);
    expect(md).toContain('| queue | 600 |');
    expect(md).toContain('**FAIL**');
  });

  it('keeps ids with a backslash before a pipe, or a carriage return, inside their cell and line (a CI job summary renders it)', () => {
    const md = comparisonMarkdown(worse, applyGate(worse), { challenger: 'model\\|b\rnext', champion: 'model-a' });
    expect(md).not.toMatch(/[\r\u0085\u2028]/);
    expect(md).toContain('- challenger: model\\\\\\|b next\n');
    // Every row of the table keeps its 8 cells: no `|` in the id splits one.
    const head = md.split('\n').find((l) => l.startsWith('| task |')) ?? '';
    expect(head.replace(/\\./g, '').split('|')).toHaveLength(9);
  });

  it('says in plain words what each interval means: worse, better, or no clear difference (it may be chance)', () => {
    const md = comparisonMarkdown(worse, applyGate(worse), { challenger: 'model-b', champion: 'model-a' });
    expect(md).toContain('What the intervals say (the 95% interval is the range the true difference of macro-F1 likely lies in, given these emails):');
    const q = worse.tasks.find((t) => t.task === 'queue');
    expect(q && q.macroF1.hi < 0).toBe(true);
    if (!q) return;
    const pts = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}`;
    expect(md).toContain(`- queue: the challenger is worse, ${pts(q.macroF1.delta)} points of macro-F1; the whole 95% interval (${pts(q.macroF1.lo)} to ${pts(q.macroF1.hi)}) is below 0, so unlikely to be chance.`);
    const better = comparePredictions(strong, weak, { bootstrap: { resamples: 200, seed: 5 } });
    expect(comparisonMarkdown(better, applyGate(better))).toMatch(/- queue: the challenger is better, \+[\d.]+ points of macro-F1; the whole 95% interval \(\+[\d.]+ to \+[\d.]+\) is above 0/);
    // An interval on one side of 0 that rests on a few emails McNemar does not find telling says so (the README's demo: 0/4, p 0.125).
    const few = { ...q, macroF1: { delta: -0.0043, lo: -0.0094, hi: -0.0008 }, mcnemar: { b: 0, c: 4, statistic: 4, pValue: 0.125, method: 'exact' as const } };
    expect(differenceSentence(few, '95%')).toBe('queue: the challenger is worse, -0.43 points of macro-F1; the whole 95% interval (-0.94 to -0.08) is below 0, but only 4 email(s) tell the two apart (McNemar 0/4, p 0.125), so it may yet be chance.');
    // One model against itself: no difference, not one said to be maybe chance.
    const same = comparePredictions(strong, strong, { bootstrap: { resamples: 50, seed: 5 } });
    const sameMd = comparisonMarkdown(same, applyGate(same));
    expect(sameMd).toContain('- queue: no difference: both models have the same macro-F1 on these 600 emails, and the 95% interval is +0.00 to +0.00.');
    expect(sameMd).not.toContain('may be chance');
  });

  it("says an accuracy difference that is unlikely to be chance, as the table's Δ accuracy and McNemar columns give it, where macro-F1's may be chance", () => {
    // The lead's review (queue, 1167 emails): macro-F1 -0.11 [-2.45, +2.47], accuracy -2.74 [-4.97, -0.51], McNemar 67/99 p 0.0161.
    const queue = {
      macroF1: { delta: -0.0011, lo: -0.0245, hi: 0.0247 },
      accuracy: { delta: -0.027420736932305012, lo: -0.049700085689802914, hi: -0.005141388174807198 },
      mcnemar: { b: 67, c: 99, statistic: 5.789, pValue: 0.016125323387267892, method: 'chi2-corrected' as const },
    };
    expect(clearDifference(queue)).toBeUndefined();
    expect(clearAccuracyDifference(queue)).toBe('worse');
    expect(clearAccuracyText(queue)).toBe('accuracy clearly lower: -2.74 points [-4.97, -0.51], 32 more emails wrong (McNemar 67/99, p 0.0161)');
    // type: +4.28 [+2.05, +6.60], 121/71, p 0.000406.
    const type = { accuracy: { delta: 0.0428, lo: 0.0205, hi: 0.066 }, mcnemar: { b: 121, c: 71, statistic: 12.5, pValue: 0.000406, method: 'chi2-corrected' as const } };
    expect(clearAccuracyText(type)).toBe('accuracy clearly higher: +4.28 points [+2.05, +6.60], 50 more emails right (McNemar 121/71, p 0.000406)');
    // An interval that spans 0, or too few emails apart for McNemar: may be chance, nothing said.
    expect(clearAccuracyText({ ...queue, accuracy: { delta: -0.0043, lo: -0.03, hi: 0.018 } })).toBeUndefined();
    expect(clearAccuracyText({ ...queue, mcnemar: { b: 0, c: 4, statistic: 4, pValue: 0.125, method: 'exact' } })).toBeUndefined();
    // On the synthetic pair: a weaker challenger is clearly worse on accuracy too, and the figures are the comparison's own.
    const q = worse.tasks.find((t) => t.task === 'queue');
    if (!q) throw new Error('no queue task');
    expect(clearAccuracyText(q)).toContain(`accuracy clearly lower: ${(q.accuracy.delta * 100).toFixed(2)} points [`);
    expect(clearAccuracyText(q)).toContain(`${q.mcnemar.c - q.mcnemar.b} more emails wrong (McNemar ${q.mcnemar.b}/${q.mcnemar.c}, p `);
    // The summary's verdict says it, not "no clear difference", and says macro-F1's is within chance.
    const t = { ...q, n: 1167, ...queue };
    expect(differenceSentence(t, '95%')).toBe(
      'queue: accuracy clearly lower: -2.74 points [-4.97, -0.51], 32 more emails wrong (McNemar 67/99, p 0.0161); macro-F1 difference within chance: -0.11 points of macro-F1, the 95% interval (-2.45 to +2.47) spans 0.',
    );
    // Both clear the same way: said once, by macro-F1; macro-F1 clearly better while accuracy clearly lower: both said.
    expect(differenceSentence(q, '95%')).not.toContain('accuracy');
    const mixed = { ...t, macroF1: { delta: 0.03, lo: 0.01, hi: 0.05 } };
    expect(differenceSentence(mixed, '95%')).toBe(
      'queue: the challenger is better, +3.00 points of macro-F1; the whole 95% interval (+1.00 to +5.00) is above 0, so unlikely to be chance; yet accuracy clearly lower: -2.74 points [-4.97, -0.51], 32 more emails wrong (McNemar 67/99, p 0.0161).',
    );
  });

  it('heads the summary columns by role, with the ids said once above the table', () => {
    const names = { challenger: 'ngram-bag-20261130-184944-ddd97d', champion: 'ngram-bag-20261130-184627-b3bdf3' };
    const md = comparisonMarkdown(worse, applyGate(worse), names).split('\n');
    expect(md).toContain('- champion: ngram-bag-20261130-184627-b3bdf3');
    expect(md).toContain('- challenger: ngram-bag-20261130-184944-ddd97d');
    expect(md).toContain("| task | n | champion (…b3bdf3) | challenger (…ddd97d) | Δ macro-F1 [95% CI] | Δ accuracy [95% CI] | McNemar p (b/c) |");
    expect(md.find((l) => l.includes('Δ is challenger minus champion'))).toContain("The champion and challenger columns are each model's macro-F1");
    // Short names stay whole; ids sharing their last 6 characters keep as many as tell them apart.
    expect(shortNames('model-a', 'model-b')).toEqual(['model-a', 'model-b']);
    expect(shortNames('ngram-bag-20261130-1-x-abcdef', 'ngram-bag-20261130-2-y-abcdef')).toEqual(['…x-abcdef', '…y-abcdef']);
    // Not half an emoji (a file's name, when its lines name no model): its last 6 units start inside one.
    expect(shortNames('predictions-of-the-champion-\u{1f600}abcde', 'predictions-of-the-challenger-\u{1f600}vwxyz')).toEqual(['…abcde', '…vwxyz']);
  });

  it('rounds the figures in the gate checks as in the comparison table: an exact tie (0.90625) reads 0.9062 in both', () => {
    // 32 emails of each label, 3 of each given the other: F1 58/64 = 0.90625 for both labels, so macro-F1 too.
    const truth = [...Array<string>(32).fill('a'), ...Array<string>(32).fill('b')];
    const champion: PredictionLine[] = truth.map((t, i) => ({ id: `e${i}`, truth: { queue: t }, prediction: { queue: { label: i % 32 < 3 ? (t === 'a' ? 'b' : 'a') : t } } }));
    const challenger: PredictionLine[] = truth.map((t, i) => ({ id: `e${i}`, truth: { queue: t }, prediction: { queue: { label: t } } }));
    const c = comparePredictions(challenger, champion, { bootstrap: { resamples: 20, seed: 1 } });
    expect(c.tasks[0].champion.macroF1).toBeCloseTo(0.90625, 12);
    const gate = applyGate(c, { maxAccuracyDropPoints: 1 });
    // Macro-F1 and accuracy (one task gated: no mean check beside them).
    expect(gate.checks.map((x) => x.detail.split(' (')[0])).toEqual(['0.9062 → 1.0000', '0.9062 → 1.0000']);
    const md = comparisonMarkdown(c, gate);
    expect(md).toContain('| queue | 64 | 0.9062 | 1.0000 |');
    expect(md).not.toContain('0.9063');
  });
});

describe('belowTargetWarnings', () => {
  // 400 emails; the challenger routes every one at 92% precision (32 wrong), the champion leaves its 20 least sure to
  // triage: of the 380 it routes it gets wrong every email `wrong` says (32 by default: 91.6%).
  const line = (i: number, challenger: boolean, wrong = (j: number) => j % 25 >= 23): PredictionLine => {
    const abstained = !challenger && i % 20 === 0;
    return { id: `e${i}`, truth: { queue: 'tax' }, prediction: { queue: { label: wrong(i) ? 'login' : 'tax', confidence: 0.9, abstained } } };
  };
  const lines = (challenger: boolean, wrong?: (j: number) => boolean) => Array.from({ length: 400 }, (_, i) => line(i, challenger, wrong));
  const comparison = comparePredictions(lines(true), lines(false), { bootstrap: { resamples: 20, seed: 1 } });

  it("warns when the challenger's answered precision is under its target by more than chance explains, naming what it sends to triage", () => {
    const [warning, ...rest] = belowTargetWarnings(comparison, { queue: 0.95 }, 'queue');
    expect(rest).toEqual([]);
    expect(warning).toMatch(/^queue: the challenger's precision on the 400 emails it routes at its own threshold is 92\.0% \(32 wrong\), under its 95\.0% target by more than chance explains \(two standard errors: 2\.2 points\); it sends none to manual triage \(the champion: .*\)$/);
    // The same target for every task, as a run's targetPrecision.
    expect(belowTargetWarnings(comparison, 0.95)).toEqual([warning.replaceAll('it routes', 'it answers').replace('sends none to manual triage', 'abstains on none')]);
  });

  it("says the champion's standing against the same target, with the same verb: short too (and lower), within chance, or meeting it", () => {
    // 91.6% on the 380 it routes: short of 95.0% by more than chance explains, and lower than the challenger's 92.0%.
    expect(belowTargetWarnings(comparison, { queue: 0.95 }, 'queue')[0]).toMatch(/\(the champion: 91\.6% on the 380 it routes, also under 95\.0% by more than chance explains, and lower than the challenger's\)$/);
    expect(belowTargetWarnings(comparison, 0.95)[0]).toMatch(/\(the champion: 91\.6% on the 380 it answers, also under 95\.0% by more than chance explains, and lower than the challenger's\)$/);
    // 93.7% (24 of 380 wrong): under the target, within two standard errors (2.2 points).
    const within = comparePredictions(lines(true), lines(false, (j) => j % 50 >= 47), { bootstrap: { resamples: 20, seed: 1 } });
    expect(belowTargetWarnings(within, { queue: 0.95 }, 'queue')[0]).toMatch(/\(the champion: 93\.7% on the 380 it routes, also under 95\.0%, though within what chance explains\)$/);
    // None wrong: it meets the target.
    const meets = comparePredictions(lines(true), lines(false, () => false), { bootstrap: { resamples: 20, seed: 1 } });
    expect(belowTargetWarnings(meets, { queue: 0.95 }, 'queue')[0]).toMatch(/\(the champion: 100\.0% on the 380 it routes, which meets the 95\.0% target\)$/);
    // It routes none: said so, with the same verb.
    const none = comparePredictions(lines(true), lines(true).map((l) => ({ ...l, prediction: { queue: { ...l.prediction.queue, abstained: true } } })), { bootstrap: { resamples: 20, seed: 1 } });
    expect(belowTargetWarnings(none, { queue: 0.95 }, 'queue')[0]).toMatch(/\(the champion: it routes none\)$/);
  });

  it('says nothing within what chance explains, with the target met, or with no target known', () => {
    expect(belowTargetWarnings(comparison, 0.93, 'queue')).toEqual([]);
    expect(belowTargetWarnings(comparison, 0.9, 'queue')).toEqual([]);
    expect(belowTargetWarnings(comparison, undefined, 'queue')).toEqual([]);
    expect(belowTargetWarnings(comparison, { topic: 0.99 }, 'queue')).toEqual([]);
  });
});
