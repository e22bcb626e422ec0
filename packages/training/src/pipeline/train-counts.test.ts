import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRun } from '../tracking/run-record.js';
import { trainFromConfig } from './train-from-config.js';

const words: Record<string, string[]> = { a: ['card', 'blocked', 'pin'], b: ['loan', 'rate', 'credit'] };
const row = (i: number, label: string) => `${i},${words[label === '' ? 'a' : label][i % 3]} ${words.b[(i + 1) % 3]} number ${i},${label}`;

describe('the run\'s row counts', () => {
  it('counts every row read, left out (and why) and used, of the data and the test file, in the result, the run and the output', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-counts-'));
    const data = path.join(tmp, 'train.csv');
    const holdout = path.join(tmp, 'holdout.csv');
    // 80 rows, a blank record, one without text (bad), one without a label.
    writeFileSync(data, ['id,body,queue', ...Array.from({ length: 80 }, (_, i) => row(i, i % 2 ? 'a' : 'b')), ',,', '90,,a', row(91, '')].join('\n'));
    // 20 test rows, two without a label (nothing to measure), one blank record.
    writeFileSync(holdout, ['id,body,queue', ...Array.from({ length: 20 }, (_, i) => row(100 + i, i < 2 ? '' : i % 2 ? 'a' : 'b')), ',,'].join('\n'));
    const config = { columns: { id: 'id', body: 'body' }, tasks: [{ name: 'queue' }], onBadRow: 'skip', model: { epochs: 1, buckets: 2 ** 12, dim: 8 } };
    const info: string[] = [];
    const warnings: string[] = [];
    const home = path.join(tmp, 'home');
    const result = await trainFromConfig({ config, dataPath: data, testDataPath: holdout, home, logger: { info: (m) => info.push(m), warn: (m) => warnings.push(m) } });
    const expected = { read: 82, rows: 80, badRows: 1, unlabelled: 1, blankRecords: 1, test: 18, testRead: 20, testUnlabelled: 2, testBadRows: 0, testBlankRecords: 1 };
    expect(result.counts).toMatchObject(expected);
    expect((await readRun(home, result.runId)).counts).toMatchObject(expected);
    expect(info).toContainEqual(expect.stringMatching(/^data [0-9a-f]{12}: 82 row\(s\) read, 80 used \(\d+ train, \d+ valid\); 2 left out: 1 bad, 1 without a label; 1 blank record\(s\) \(every cell empty\) skipped; test file: 20 row\(s\) read, 18 tested; 2 left out: 2 without a label; 1 blank record/));
    expect(warnings).toContainEqual(`2 row(s) left out: of the test file, no label in any task (nothing to measure it against): ${holdout}:2, ${holdout}:3`);
  }, 240_000);

  it('warns of a label that ends before another begins (renamed in the export?) in a task without labels', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-renamed-'));
    const data = path.join(tmp, 'train.csv');
    const at = (i: number) => `2026-${i < 40 ? '03' : '09'}-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`;
    // b until March, then the same mail as c from September; a throughout.
    const lines = Array.from({ length: 80 }, (_, i) => `${row(i, i % 2 ? 'a' : 'b').replace(/,b$/, i < 40 ? ',b' : ',c')},${at(i)}`);
    writeFileSync(data, ['id,body,queue,received', ...lines].join('\n'));
    const config = { columns: { id: 'id', body: 'body', receivedAt: 'received' }, tasks: [{ name: 'queue' }], model: { epochs: 1, buckets: 2 ** 12, dim: 8 } };
    const warnings: string[] = [];
    await trainFromConfig({ config, dataPath: data, home: path.join(tmp, 'home'), logger: { warn: (m) => warnings.push(m) } });
    expect(warnings).toContainEqual(expect.stringMatching(/^queue: "b" \(20 rows, until 2026-03-\d\d\) ends before "c" \(20 rows, from 2026-09-\d\d\) begins: .*\{"b":"c"\}/));
  }, 240_000);
});
