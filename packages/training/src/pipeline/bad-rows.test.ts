import { describe, expect, it } from 'vitest';
import { badRowsWarning } from './bad-rows.js';

describe('badRowsWarning', () => {
  it('counts rows, names the first places per file and the first problem', () => {
    const places = ['a.csv:3', 'a.csv:9', 'holdout.csv:5', 'holdout.csv:6', 'holdout.csv:7', 'holdout.csv:8'];
    const problems = ['a.csv:3, column "id" (1): empty id', 'a.csv:3, column "body" (3): no text', 'x', 'x', 'x', 'x', 'x'];
    expect(badRowsWarning(places, problems)).toBe(
      '6 bad row(s) skipped (7 problems): a.csv lines 3, 9; holdout.csv lines 5, 6, 7 and 1 more; first: a.csv:3, column "id" (1): empty id',
    );
  });

  it('says what else became of the rows, and a single problem in the singular', () => {
    expect(badRowsWarning(['t.csv:2'], ['t.csv:2: no text'], { what: 'skipped, not predicted' })).toBe('1 bad row(s) skipped, not predicted (1 problem): t.csv line 2; first: t.csv:2: no text');
  });
});
