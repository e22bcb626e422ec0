import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparePredictions, type Comparison } from './compare.js';
import { ComparisonError } from './errors.js';
import { applyGate } from './gate.js';
import type { PredictionLine } from './prediction-line.js';
import { mcnemar } from './stats.js';

/**
 * Property tests of `compare`: the paired bootstrap and McNemar's test on generated pairs of prediction files
 * (labels only in the truth or in one model's predictions, unlabelled lines, identical models, models always
 * wrong). Seed fixed, few resamples; MAILROUTE_FUZZ_RUNS and MAILROUTE_FUZZ_SEED widen it.
 */
const runs = Number(process.env.MAILROUTE_FUZZ_RUNS ?? 100);
const seed = Number(process.env.MAILROUTE_FUZZ_SEED ?? 1);
const settings = { numRuns: runs, seed };
const bootstrap = { resamples: 50, seed: 7 };

const TASKS = ['queue', 'constructor'] as const;
const labelArb = fc.constantFrom('a', 'b', 'c', 'toString', 'other');

/** One email: its truth per task (null: unlabelled) and each model's label. */
const rowArb = fc.record({
  truth: fc.tuple(fc.option(labelArb, { nil: null }), fc.option(labelArb, { nil: null })),
  challenger: fc.tuple(labelArb, labelArb),
  champion: fc.tuple(labelArb, labelArb),
});
const rowsArb = fc.array(rowArb, { minLength: 1, maxLength: 40 }).filter((rows) => rows.some((r) => r.truth.some((t) => t !== null)));

type Row = { truth: [string | null, string | null]; challenger: [string, string]; champion: [string, string] };

function lines(rows: readonly Row[], side: 'challenger' | 'champion', ids: boolean): PredictionLine[] {
  return rows.map((r, i) => ({
    ...(ids ? { id: `e${i}` } : {}),
    truth: Object.fromEntries(TASKS.map((t, k) => [t, r.truth[k]])),
    prediction: Object.fromEntries(TASKS.map((t, k) => [t, { label: r[side][k] }])),
  }));
}

/**
 * The comparison, or undefined when compare refuses it as it should: the models share no label on any task (with
 * a few generated labels, one email's task can be `a` for one model and `b` for the other).
 */
function compared(challenger: PredictionLine[], champion: PredictionLine[]): Comparison | undefined {
  try {
    return comparePredictions(challenger, champion, { bootstrap });
  } catch (error) {
    if (error instanceof ComparisonError && error.message.startsWith('the models share no label')) return undefined;
    throw error;
  }
}

/** Every figure of a comparison is a finite number; p-values are probabilities; intervals are ordered. */
function expectSane(c: Comparison): void {
  for (const t of c.tasks) {
    const figures = [t.challenger.macroF1, t.challenger.accuracy, t.champion.macroF1, t.champion.accuracy, t.macroF1.delta, t.macroF1.lo, t.macroF1.hi, t.accuracy.delta, t.accuracy.lo, t.accuracy.hi, t.mcnemar.statistic, t.mcnemar.pValue];
    for (const x of figures) expect(Number.isFinite(x), `${t.task}: ${figures.join(', ')}`).toBe(true);
    expect(t.mcnemar.pValue).toBeGreaterThanOrEqual(0);
    expect(t.mcnemar.pValue).toBeLessThanOrEqual(1);
    expect(t.macroF1.lo).toBeLessThanOrEqual(t.macroF1.hi);
    expect(t.accuracy.lo).toBeLessThanOrEqual(t.accuracy.hi);
    for (const d of [t.macroF1, t.accuracy]) for (const x of [d.delta, d.lo, d.hi]) expect(Math.abs(x)).toBeLessThanOrEqual(1 + 1e-12);
  }
}

describe('comparePredictions on generated files', () => {
  it('gives finite figures, p-values in [0, 1] and ordered intervals, the same for the same seed', () => {
    fc.assert(
      fc.property(rowsArb, fc.boolean(), (rows, ids) => {
        const c = compared(lines(rows, 'challenger', ids), lines(rows, 'champion', ids));
        if (c) expectSane(c);
        expect(compared(lines(rows, 'challenger', ids), lines(rows, 'champion', ids))).toEqual(c);
      }),
      settings,
    );
  });

  it('finds no difference between a model and itself, even one always wrong', () => {
    fc.assert(
      fc.property(rowsArb, fc.boolean(), (rows, wrong) => {
        const same = rows.map((r) => ({ ...r, challenger: wrong ? (['none', 'none'] as [string, string]) : r.challenger }));
        const side = lines(same, 'challenger', true);
        const c = compared(side, side);
        if (!c) return;
        expectSane(c);
        for (const t of c.tasks) {
          expect([t.macroF1.delta, t.macroF1.lo, t.macroF1.hi, t.accuracy.delta, t.accuracy.lo, t.accuracy.hi].map(Math.abs)).toEqual([0, 0, 0, 0, 0, 0]);
          expect(t.mcnemar).toMatchObject({ b: 0, c: 0, pValue: 1 });
          if (wrong) expect([t.challenger.macroF1, t.challenger.accuracy]).toEqual([0, 0]);
        }
        for (const check of applyGate(c).checks) if (check.name.includes('drop')) expect(check.pass, check.name).toBe(true);
      }),
      settings,
    );
  });

  it('mirrors every difference when the two models swap roles, and joins lines by id in any order', () => {
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: 0, max: 1000 }), (rows, shift) => {
        const a = lines(rows, 'challenger', true);
        const b = lines(rows, 'champion', true);
        const ab = compared(a, b);
        const ba = compared(b, a);
        if (!ab || !ba) {
          expect(ba).toEqual(ab);
          return;
        }
        ab.tasks.forEach((t, i) => {
          const u = ba.tasks[i];
          expect(Math.abs(t.macroF1.delta + u.macroF1.delta)).toBeLessThan(1e-12);
          expect(Math.abs(t.macroF1.lo + u.macroF1.hi)).toBeLessThan(1e-12);
          expect(Math.abs(t.accuracy.hi + u.accuracy.lo)).toBeLessThan(1e-12);
          expect([u.mcnemar.b, u.mcnemar.c, u.mcnemar.pValue]).toEqual([t.mcnemar.c, t.mcnemar.b, t.mcnemar.pValue]);
        });
        // The champion's file in another order: each email is still paired with its own.
        const k = shift % b.length;
        expect(compared(a, [...b.slice(k), ...b.slice(0, k)])).toEqual(ab);
      }),
      settings,
    );
  });

  it('refuses two files whose truths differ, naming the line where they first do', () => {
    fc.assert(
      fc.property(rowsArb, fc.nat(), fc.boolean(), (rows, at, ids) => {
        const i = at % rows.length;
        const champion = lines(rows, 'champion', ids);
        const was = champion[i].truth.queue;
        champion[i] = { ...champion[i], truth: { ...champion[i].truth, queue: was === 'a' ? 'b' : 'a' } };
        expect(() => comparePredictions(lines(rows, 'challenger', ids), champion, { bootstrap })).toThrow(ComparisonError);
        expect(() => comparePredictions(lines(rows, 'challenger', ids), champion, { bootstrap })).toThrow(`task queue: line ${ids ? `e${i}` : i + 1} has truth`);
      }),
      settings,
    );
  });
});

describe("McNemar's test", () => {
  it('gives the exact two-sided binomial p-value below 25 discordant pairs, and a probability above', () => {
    fc.assert(
      fc.property(fc.nat(60), fc.nat(60), (b, c) => {
        const r = mcnemar(b, c);
        expect(r.pValue).toBeGreaterThanOrEqual(0);
        expect(r.pValue).toBeLessThanOrEqual(1);
        expect(mcnemar(c, b).pValue).toBe(r.pValue);
        const n = b + c;
        if (n === 0 || n >= 25) return;
        // 2 P(X <= min(b, c)) for X ~ Binomial(n, 1/2), summed in whole numbers.
        let choose = 1n;
        let sum = 0n;
        for (let i = 0; i <= Math.min(b, c); i++) {
          if (i > 0) choose = (choose * BigInt(n - i + 1)) / BigInt(i);
          sum += choose;
        }
        const exact = Math.min(1, (2 * Number(sum)) / 2 ** n);
        expect(Math.abs(r.pValue - exact)).toBeLessThan(1e-12);
      }),
      settings,
    );
  });
});
