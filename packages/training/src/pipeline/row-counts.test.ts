import { describe, expect, it } from 'vitest';
import { rowCountsLine } from './row-counts.js';

const base = { read: 60, rows: 60, train: 42, valid: 6, test: 12, badRows: 0, noText: 0, unlabelled: 0, blankRecords: 0 };

describe('rowCountsLine', () => {
  it('says the rows read and used, and no rows left out when none were', () => {
    expect(rowCountsLine(base)).toBe('60 row(s) read, 60 used (42 train, 6 valid, 12 test)');
  });

  it('says how many rows were left out and why, and the blank records apart', () => {
    const counts = { ...base, read: 64, badRows: 2, noText: 1, unlabelled: 1, blankRecords: 3 };
    expect(rowCountsLine(counts)).toBe('64 row(s) read, 60 used (42 train, 6 valid, 12 test); 4 left out: 2 bad, 1 without text the model reads, 1 without a label; 3 blank record(s) (every cell empty) skipped');
    expect(rowCountsLine({ ...counts, read: 66, automated: 2 })).toBe(
      '66 row(s) read, 60 used (42 train, 6 valid, 12 test); 6 left out: 2 bad, 1 without text the model reads, 2 automated (auto-replies, bounces), 1 without a label; 3 blank record(s) (every cell empty) skipped',
    );
    expect(rowCountsLine({ ...base, read: 100, superseded: 40 })).toBe('100 row(s) read, 60 used (42 train, 6 valid, 12 test); 40 left out: 40 merged into the rows of the same emails (their confirmed labels)');
  });

  it('says the test file\'s rows after the training data\'s', () => {
    const counts = { ...base, rows: 48, read: 48, test: 30, testRead: 33, testBadRows: 2, testBadRowProblems: 3, testUnlabelled: 1, testBlankRecords: 0 };
    expect(rowCountsLine(counts)).toBe('48 row(s) read, 48 used (42 train, 6 valid); test file: 33 row(s) read, 30 tested; 3 left out: 2 bad, 1 without a label');
  });
});
