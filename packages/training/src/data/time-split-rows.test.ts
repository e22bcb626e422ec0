import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { loadDataset } from './dataset.js';
import { splitDataset } from './split.js';
import { tempFiles } from '../test-support/temp-files.js';

const { file } = tempFiles('mailroute-time-rows-');

const config = (onBadRow: 'fail' | 'skip', kind: 'time' | 'stratified' = 'time') =>
  parseTrainingConfig({
    columns: { id: 'id', subject: 'subject', receivedAt: 'received' },
    tasks: [{ name: 'queue' }],
    split: kind === 'time' ? { kind, testShare: 0.2, validShare: 0.2 } : { kind, on: 'queue' },
    onBadRow,
  });

const csv = file(
  'export.csv',
  'id,subject,received,queue\n' +
    Array.from({ length: 10 }, (_, i) => `${i},Mail ${i},${i === 3 ? '' : i === 6 ? ' ' : `2026-01-${String(i + 1).padStart(2, '0')}T10:00:00Z`},q${i % 2}`).join('\n') +
    '\n',
);

describe('a time split over rows without a received time', () => {
  it('skips them under skip as bad rows, naming file, line and column, so the split goes on', async () => {
    const ds = await loadDataset(csv, config('skip'), { needsTime: true });
    expect(ds.badRowPlaces).toEqual([`${csv}:5`, `${csv}:8`]);
    expect(ds.skipped[0]).toBe(`${csv}:5, column "received" (3): no received time (a time split needs every row's: fill it in, or use a stratified split)`);
    expect(ds.rows).toHaveLength(8);
    expect(ds.read).toBe(10);
    const split = splitDataset(ds.rows, config('skip').split);
    expect(split.train.length + split.valid.length + split.test.length).toBe(8);
  });

  it('skips a JSONL line without the key too', async () => {
    const jsonl = file('export.jsonl', '{"id":"a","subject":"x","received":"2026-01-01","queue":"q"}\n{"id":"b","subject":"y","queue":"q"}\n');
    const ds = await loadDataset(jsonl, config('skip'), { needsTime: true });
    expect(ds.skipped).toEqual([`${jsonl}:2, column "received": no received time (a time split needs every row's: fill it in, or use a stratified split)`]);
  });

  it('keeps them under fail, where the split refuses them with its own error saying how to leave them out', async () => {
    const ds = await loadDataset(csv, config('fail'), { needsTime: true });
    expect(ds.rows).toHaveLength(10);
    expect(() => splitDataset(ds.rows, config('fail').split)).toThrow(/2 of 10 row\(s\) have none .*--on-bad-row skip/);
  });

  it('keeps them where no time split reads the rows (a stratified split, a test file, predictions)', async () => {
    expect((await loadDataset(csv, config('skip', 'stratified'), { needsTime: false })).rows).toHaveLength(10);
    expect((await loadDataset(csv, config('skip'))).rows).toHaveLength(10);
  });
});
