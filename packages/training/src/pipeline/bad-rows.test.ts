import { describe, expect, it } from 'vitest';
import { badRowsWarning, repeatedIdsWarning } from './bad-rows.js';

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

describe('repeatedIdsWarning', () => {
  it('counts the ids several rows carry and the rows, names the first with their places, and says what it does to the split', () => {
    const rows = [
      { id: 'crm-1', file: 'export.csv', line: 2 },
      { id: 'crm-2', file: 'export.csv', line: 3 },
      { id: 'crm-3', file: 'export.csv', line: 4 },
      { id: 'crm-1', file: 'cases.csv', line: 2 },
      { id: 'crm-2', file: 'cases.csv', line: 3 },
      { id: 'crm-2', file: 'cases.csv', line: 9 },
    ];
    expect(repeatedIdsWarning(rows)).toBe(
      '2 ids (crm-1 at export.csv:2 and cases.csv:2; crm-2 at export.csv:3, cases.csv:3 and cases.csv:9) are carried by several rows, 5 rows in all (the same export twice, or an export and a feedback export of the same emails?): copies whose texts differ can fall on both sides of the split, which flatters the held-out figures',
    );
    expect(repeatedIdsWarning(rows.slice(0, 3))).toBeUndefined();
  });
});
