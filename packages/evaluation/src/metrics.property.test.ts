import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calibration, coverageCurve } from './scores.js';
import { computeTaskMetrics, type TaskMetrics } from './task-metrics.js';

/**
 * Property tests of the metric core against plain reference implementations written from the definitions
 * (scikit-learn's, zero_division=0; the doc comments' for calibration bins and the coverage curve), over random
 * label sets: labels only in the truth or only in the predictions, label orders that leave some out or add some
 * no row has, one class, Object member names. Seed fixed; MAILROUTE_FUZZ_RUNS and MAILROUTE_FUZZ_SEED widen it.
 */
const runs = Number(process.env.MAILROUTE_FUZZ_RUNS ?? 200);
const seed = Number(process.env.MAILROUTE_FUZZ_SEED ?? 1);
const settings = { numRuns: runs, seed };

const TOL = 1e-12;
const NAMES = ['a', 'b', 'c', 'constructor', 'toString', '__proto__', 'ä', '\u{1f600}', '\uff5e', ' '];
const labelArb = fc.constantFrom(...NAMES);

/** Rows of (truth, predicted), from a few labels, and the label order given (or none). */
const caseArb = fc.record({
  rows: fc.array(fc.tuple(labelArb, labelArb), { minLength: 1, maxLength: 60 }),
  labels: fc.option(fc.uniqueArray(labelArb, { minLength: 1, maxLength: NAMES.length }), { nil: undefined }),
});

/** The figures by their definitions, one label at a time. */
function reference(truth: readonly string[], predicted: readonly string[], labels: readonly string[]) {
  const count = (f: (t: string, p: string) => boolean) => truth.filter((t, i) => f(t, predicted[i])).length;
  const div = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const per = labels.map((l) => {
    const tp = count((t, p) => t === l && p === l);
    const pred = count((_t, p) => p === l);
    const support = count((t) => t === l);
    const precision = div(tp, pred);
    const recall = div(tp, support);
    return { label: l, tp, pred, support, precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
  });
  const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  const total = per.reduce((a, c) => a + c.support, 0);
  const weighted = (key: 'precision' | 'recall' | 'f1') => div(per.reduce((a, c) => a + c[key] * c.support, 0), total);
  const tpAll = per.reduce((a, c) => a + c.tp, 0);
  const microP = div(tpAll, per.reduce((a, c) => a + c.pred, 0));
  const microR = div(tpAll, total);
  return {
    per,
    accuracy: count((t, p) => t === p) / truth.length,
    macro: { precision: mean(per.map((c) => c.precision)), recall: mean(per.map((c) => c.recall)), f1: mean(per.map((c) => c.f1)) },
    weighted: { precision: weighted('precision'), recall: weighted('recall'), f1: weighted('f1') },
    micro: { precision: microP, recall: microR, f1: microP + microR === 0 ? 0 : (2 * microP * microR) / (microP + microR) },
    microIsAccuracy: [...truth, ...predicted].every((l) => labels.includes(l)),
    counts: labels.map((r) => labels.map((c) => count((t, p) => t === r && p === c))),
  };
}

const close = (a: number, b: number) => Math.abs(a - b) < TOL;

function expectMatches(m: TaskMetrics, ref: ReturnType<typeof reference>): void {
  expect(m.perClass.map((c) => c.label)).toEqual(ref.per.map((c) => c.label));
  m.perClass.forEach((c, i) => {
    const r = ref.per[i];
    expect(c.support).toBe(r.support);
    expect(close(c.precision, r.precision) && close(c.recall, r.recall) && close(c.f1, r.f1), c.label).toBe(true);
  });
  expect(close(m.accuracy, ref.accuracy)).toBe(true);
  for (const key of ['macro', 'weighted', 'micro'] as const) {
    for (const x of ['precision', 'recall', 'f1'] as const) expect(close(m[key][x], ref[key][x]), `${key} ${x}`).toBe(true);
  }
  expect(m.microIsAccuracy).toBe(ref.microIsAccuracy);
  expect(m.confusion.counts).toEqual(ref.counts);
}

describe('computeTaskMetrics against its definitions', () => {
  it('gives every per-class figure, average and confusion cell as the definitions do, in any label order given', () => {
    fc.assert(
      fc.property(caseArb, ({ rows, labels }) => {
        const truth = rows.map((r) => r[0]);
        const predicted = rows.map((r) => r[1]);
        const m = computeTaskMetrics(truth, predicted, labels ? { labels } : {});
        const sorted = [...new Set([...truth, ...predicted])].sort((x, y) => {
          const a = [...x].map((ch) => ch.codePointAt(0) ?? 0);
          const b = [...y].map((ch) => ch.codePointAt(0) ?? 0);
          for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
          return a.length - b.length;
        });
        expectMatches(m, reference(truth, predicted, labels ?? sorted));
        // The matrix's cells add up to the rows whose truth and prediction are both in the label order.
        const inOrder = rows.filter(([t, p]) => m.labels.includes(t) && m.labels.includes(p)).length;
        expect(m.confusion.counts.flat().reduce((a, b) => a + b, 0)).toBe(inOrder);
      }),
      settings,
    );
  });

  it('does not depend on the order of the rows', () => {
    fc.assert(
      fc.property(
        caseArb.chain((c) => fc.tuple(fc.constant(c), fc.shuffledSubarray(c.rows, { minLength: c.rows.length, maxLength: c.rows.length }))),
        ([{ rows, labels }, shuffled]) => {
          const of = (rs: typeof rows) => computeTaskMetrics(rs.map((r) => r[0]), rs.map((r) => r[1]), labels ? { labels } : {});
          expect(of(shuffled)).toEqual(of(rows));
        },
      ),
      settings,
    );
  });
});

const confidenceArb = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }),
  // Band edges (0.3, 0.7, 0.05 ...) and the ends, where float rounding decides the band.
  fc.integer({ min: 0, max: 100 }).map((k) => k / 100),
  fc.integer({ min: 0, max: 20 }).map((k) => k / 20),
);

/** The float next to `x`, up or down: where rounding `x * bins` can land on the other side of a band edge. */
function nextFloat(x: number, up: boolean): number {
  const bits = new BigInt64Array(new Float64Array([x]).buffer);
  bits[0] += up ? 1n : -1n;
  return new Float64Array(bits.buffer)[0];
}

/** A band edge of `nBins` bands (k / bins), or the float just above or below one. */
const edgeArb = (nBins: number) =>
  fc.tuple(fc.integer({ min: 1, max: nBins - 1 }), fc.constantFrom(-1, 0, 1)).map(([k, side]) => (side === 0 ? k / nBins : nextFloat(k / nBins, side > 0)));

/** A number of bins (as --bins takes: 1 to 100), and confidences, many of them on its band edges (k / bins). */
const binsCaseArb = fc.integer({ min: 1, max: 100 }).chain((nBins) =>
  fc.tuple(
    fc.constant(nBins),
    fc.array(fc.tuple(nBins === 1 ? confidenceArb : fc.oneof(confidenceArb, edgeArb(nBins)), fc.boolean()), { minLength: 1, maxLength: 80 }),
  ),
);

describe('calibration bins', () => {
  it('puts each confidence in the bin whose (lo, hi] holds it (0 in the first), and its ECE is the bins\' weighted gap', () => {
    fc.assert(
      fc.property(binsCaseArb, ([nBins, rows]) => {
        const cal = calibration(rows.map((r) => r[0]), rows.map((r) => r[1]), nBins);
        expect(cal.bins).toHaveLength(nBins);
        const expected = cal.bins.map((b, i) => {
          const inBin = rows.filter(([c]) => (b.lo < c && c <= b.hi) || (i === 0 && c === 0));
          return { count: inBin.length, right: inBin.filter((r) => r[1]).length };
        });
        expect(cal.bins.map((b) => b.count)).toEqual(expected.map((e) => e.count));
        let ece = 0;
        cal.bins.forEach((b, i) => {
          if (b.count > 0) {
            expect(close(b.accuracy, expected[i].right / b.count)).toBe(true);
            ece += (b.count / rows.length) * Math.abs(b.accuracy - b.confidence);
          }
        });
        expect(Math.abs(cal.ece - ece)).toBeLessThan(1e-9);
      }),
      settings,
    );
  });
});

describe('coverageCurve against its definition', () => {
  it('routes at each threshold the eligible emails at or above it, and finds the most coverage for each target precision', () => {
    const rowArb = fc.record({ c: confidenceArb, ok: fc.boolean(), eligible: fc.boolean() });
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 60 }), fc.boolean(), (rows, withEligible) => {
        const thresholds = [0, 0.3, 0.5, 0.7, 0.95, 1];
        const targets = [0.5, 0.8, 1];
        const eligible = rows.map((r) => !withEligible || r.eligible);
        const curve = coverageCurve(rows.map((r) => r.c), rows.map((r) => r.ok), { thresholds, targets, ...(withEligible ? { eligible } : {}) });
        const at = (t: number) => {
          const routed = rows.filter((r, i) => eligible[i] && r.c >= t);
          const right = routed.filter((r) => r.ok).length;
          return { threshold: t, coverage: routed.length / rows.length, precision: routed.length === 0 ? 0 : right / routed.length, routed: routed.length };
        };
        expect(curve.atThresholds).toEqual(thresholds.map(at));
        const candidates = [...new Set(rows.filter((_r, i) => eligible[i]).map((r) => r.c))].map(at);
        for (const { target, point } of curve.forTargetPrecision) {
          const reaching = candidates.filter((p) => p.precision >= target);
          const best = reaching.reduce<(typeof candidates)[number] | null>((a, p) => (a === null || p.coverage > a.coverage ? p : a), null);
          expect(point, `target ${target}`).toEqual(best);
        }
      }),
      settings,
    );
  });
});
