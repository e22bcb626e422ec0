import { describe, expect, it } from 'vitest';
import { operatingPointText, shortBeyondChance, shortOfTargetWarning, type OperatingPoint } from './operating-points.js';

const point = (over: Partial<OperatingPoint>): OperatingPoint => ({ task: 'queue', threshold: 0.518, target: 0.95, n: 801, answered: 790, precision: 0.929, routes: true, ...over });

describe('shortBeyondChance', () => {
  it('is true only when the precision is under the target by more than two standard errors of that many answers', () => {
    // 790 answered at a 95% target: one standard error is 0.78 points, so 2.1 points short is beyond chance.
    expect(shortBeyondChance(point({}))).toBe(true);
    expect(shortBeyondChance(point({ precision: 0.94 }))).toBe(false);
    // The same shortfall on 100 answers (2.2 points a standard error) is within chance.
    expect(shortBeyondChance(point({ answered: 100 }))).toBe(false);
    expect(shortBeyondChance(point({ precision: 0.96 }))).toBe(false);
    expect(shortBeyondChance(point({ precision: null, answered: 0 }))).toBe(false);
    // A target of 1: any miss is beyond chance (no spread at the target itself).
    expect(shortBeyondChance(point({ target: 1, precision: 0.999 }))).toBe(true);
  });
});

describe('operatingPointText', () => {
  it('says what the task answers (routes, for the routing task), at what precision, and how far under its target', () => {
    expect(operatingPointText(point({}))).toBe('queue routes 98.6% (790 of 801) at precision 92.9% (threshold 0.518; target 95.0%: 2.1 points short)');
    expect(operatingPointText(point({ task: 'topic', routes: false, n: 771, answered: 749, precision: 0.907, threshold: 0.32, target: 0.9 }))).toBe(
      'topic answers 97.1% (749 of 771) at precision 90.7% (threshold 0.320; target 90.0%)',
    );
    expect(operatingPointText(point({ answered: 0, precision: null, threshold: 0.999 }))).toBe('queue routes 0.0% (0 of 801) at no precision (none answered) (threshold 0.999; target 95.0%)');
  });

  it('warns with the counts, the split and what to change', () => {
    expect(shortOfTargetWarning(point({}), 399, 'test')).toBe(
      'queue: at its threshold 0.518 its precision on the 790 test rows it routes is 92.9%, under its target 95.0% by more than chance explains: the threshold was chosen on 399 validation row(s), too few or unlike these; expect the lower precision on new mail, or give more validation rows (split.validShare) or a higher targetPrecision for this task',
    );
  });
});
