import { describe, expect, it } from 'vitest';
import { describeMeasuredOn, heldOutTestRows } from './measured-on.js';

describe('describeMeasuredOn', () => {
  it('names the rows and the share that was measured on', () => {
    const split = { kind: 'stratified', seed: 1, testShare: 0, validShare: 0.2 };
    expect(describeMeasuredOn({ testedOn: 'validation-split', split })).toBe('validation split (seed 1, 0.2)');
    expect(describeMeasuredOn({ testedOn: 'held-out-split', split: { ...split, testShare: 0.3 } })).toBe('held-out test split (seed 1, 0.3)');
    expect(describeMeasuredOn({ testedOn: 'held-out-split', split: { kind: 'time', testShare: 0.25 } })).toBe('held-out test split (time, 0.25)');
    expect(describeMeasuredOn({ testedOn: 'external-file', testFile: 'march.csv', split })).toBe('test file march.csv');
    // A test file that repeats training texts: said beside its name, as its figure flatters the model.
    expect(describeMeasuredOn({ testedOn: 'external-file', testFile: 'train.csv', testSeenInTraining: 10003, testRows: 10003 })).toBe('test file train.csv (10003 of 10003 rows seen in training)');
    expect(describeMeasuredOn({})).toBeUndefined();
  });

  it('tells a version that held out test rows (--split test finds them) from one that did not', () => {
    const split = { kind: 'stratified', seed: 0, testShare: 0.2, validShare: 0.1 };
    expect(heldOutTestRows(describeMeasuredOn({ testedOn: 'held-out-split', split }))).toBe(true);
    expect(heldOutTestRows(describeMeasuredOn({ testedOn: 'validation-split', split: { ...split, testShare: 0 } }))).toBe(false);
    expect(heldOutTestRows(describeMeasuredOn({ testedOn: 'external-file', testFile: 'march.csv', split }))).toBe(false);
    expect(heldOutTestRows(undefined)).toBe(false);
  });
});
