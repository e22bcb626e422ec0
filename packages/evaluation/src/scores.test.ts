import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calibration, coverageCurve, topKAccuracy } from './scores.js';

const here = path.dirname(fileURLToPath(import.meta.url));
interface ScoreFixture {
  name: string;
  truth: string[];
  scores?: Array<Record<string, number>>;
  expected: { top_k?: Record<string, number> };
}
const fixtures = (JSON.parse(readFileSync(path.join(here, '../fixtures/sklearn-fixtures.json'), 'utf8')) as { cases: ScoreFixture[] }).cases;

describe('topKAccuracy', () => {
  const f = fixtures.find((c) => c.name === 'scores-top-k');
  it('equals scikit-learn top_k_accuracy_score on the fixture', () => {
    expect(f?.scores).toBeDefined();
    for (const [k, want] of Object.entries(f?.expected.top_k ?? {})) {
      expect(Math.abs(topKAccuracy(f?.truth ?? [], f?.scores ?? [], Number(k)) - want)).toBeLessThan(1e-9);
    }
    expect(Object.keys(f?.expected.top_k ?? {})).toHaveLength(3);
  });

  it('breaks ties like scikit-learn: the later label ranks first', () => {
    // Equal scores for a and b: sklearn ranks b (later) first, so top-1 misses a and hits b.
    expect(topKAccuracy(['a'], [{ a: 0.5, b: 0.5, c: 0 }], 1)).toBe(0);
    expect(topKAccuracy(['b'], [{ a: 0.5, b: 0.5, c: 0 }], 1)).toBe(1);
    expect(topKAccuracy(['a'], [{ a: 0.5, b: 0.5, c: 0 }], 2)).toBe(1);
  });

  it('is 1 at k = number of labels and never falls as k grows', () => {
    const arb = fc.array(
      fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))),
      { minLength: 1, maxLength: 50 },
    );
    fc.assert(
      fc.property(arb, (rows) => {
        const truth = rows.map((r) => r[0]);
        const scores = rows.map((r) => ({ a: r[1][0], b: r[1][1], c: r[1][2], d: r[1][3] }));
        let prev = 0;
        for (let k = 1; k <= 4; k++) {
          const acc = topKAccuracy(truth, scores, k, ['a', 'b', 'c', 'd']);
          expect(acc).toBeGreaterThanOrEqual(prev);
          prev = acc;
        }
        expect(prev).toBe(1);
      }),
    );
  });
});

describe('calibration', () => {
  it('computes ECE from equal-width (lo, hi] bins by hand', () => {
    // Bin (0.8, 0.9]: confidences 0.9, 0.9, accuracy 1/2 -> gap 0.4. Bin (0.5, 0.6]: 0.6, right -> gap 0.4.
    const cal = calibration([0.9, 0.9, 0.6, 0.2], [true, false, true, false], 10);
    expect(cal.bins[8].count).toBe(2);
    expect(cal.bins[5].count).toBe(1);
    expect(cal.bins[1].count).toBe(1);
    const expected = (2 / 4) * 0.4 + (1 / 4) * 0.4 + (1 / 4) * 0.2;
    expect(Math.abs(cal.ece - expected)).toBeLessThan(1e-12);
    expect(Math.abs(cal.mce - 0.4)).toBeLessThan(1e-12);
  });

  it('puts a confidence on a band edge in the band it ends, whatever the float rounding of confidence * bins', () => {
    // 7 / 25 * 25 is 7.000000000000001: the confidence 0.28 went to (0.28, 0.32], whose lo it is.
    const edge = calibration([7 / 25], [true], 25).bins.find((b) => b.count > 0);
    // Band edges are computed floats: to 12 places, which still tells bands 0.04 apart.
    expect([edge?.lo, edge?.hi]).toEqual([expect.closeTo(6 / 25, 12), expect.closeTo(7 / 25, 12)]);
    // The float just above 1/3 times 3 is 1: it went to (0, 1/3], whose hi it passes.
    const above = 0.33333333333333337;
    expect(above).toBeGreaterThan(1 / 3);
    expect(calibration([above], [true], 3).bins.map((b) => b.count)).toEqual([0, 1, 0]);
  });

  it('is 0 for a perfectly calibrated input and stays in [0, 1]', () => {
    const conf = [1, 1, 0.5, 0.5];
    expect(calibration(conf, [true, true, true, false]).ece).toBeCloseTo(0, 12);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean()), { minLength: 1, maxLength: 100 }), (rows) => {
        const cal = calibration(rows.map((r) => r[0]), rows.map((r) => r[1]));
        expect(cal.ece).toBeGreaterThanOrEqual(0);
        expect(cal.ece).toBeLessThanOrEqual(1);
        expect(cal.bins.reduce((a, b) => a + b.count, 0)).toBe(rows.length);
      }),
    );
  });
});

describe('coverageCurve', () => {
  it('gives coverage and precision at each distinct threshold', () => {
    const curve = coverageCurve([0.9, 0.8, 0.8, 0.4], [true, false, true, false], { thresholds: [0.85, 0.5, 0] });
    expect(curve.points).toEqual([
      { threshold: 0.9, coverage: 0.25, precision: 1, routed: 1 },
      { threshold: 0.8, coverage: 0.75, precision: 2 / 3, routed: 3 },
      { threshold: 0.4, coverage: 1, precision: 0.5, routed: 4 },
    ]);
    expect(curve.atThresholds.map((p) => p.routed)).toEqual([1, 3, 4]);
    expect(curve.forTargetPrecision.find((t) => t.target === 0.9)?.point?.threshold).toBe(0.9);
  });

  it('has coverage rising to 1 as the threshold falls', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean()), { minLength: 1, maxLength: 300 }), (rows) => {
        const c = coverageCurve(rows.map((r) => r[0]), rows.map((r) => r[1]), { maxPoints: 50 });
        for (let i = 1; i < c.points.length; i++) expect(c.points[i].coverage).toBeGreaterThan(c.points[i - 1].coverage);
        expect(c.points.length).toBeLessThanOrEqual(50);
        expect(c.points[c.points.length - 1].coverage).toBe(1);
      }),
    );
  });
});
