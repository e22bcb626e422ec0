import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { columnList } from './column-list.js';
import { loadDataset } from './dataset.js';
import { tempFiles } from '../test-support/temp-files.js';

const { file } = tempFiles('mailroute-messages-');

const config = parseTrainingConfig({
  columns: { id: 'id', subject: 'subject', body: 'body' },
  tasks: [{ name: 'queue', labels: ['payments', 'tax'] }],
  split: { kind: 'stratified', on: 'queue' },
});

describe('dataset messages', () => {
  it('lists a header of a few columns in full and cuts a long one short, with the count', () => {
    expect(columnList(['id', 'subject', 'body'])).toBe('id, subject, body');
    const long = columnList(Array.from({ length: 500 }, (_, i) => `column_${i}`));
    expect(long.length).toBeLessThan(400);
    expect(long).toMatch(/^column_0, column_1, .* and \d+ more \(500 columns\)$/);
    expect(columnList(['x'.repeat(1000)])).toBe(`${'x'.repeat(60)}...`);
  });

  it('does not quote a one-line JSON array read as CSV whole (QA: 600 demo rows gave a 400 KB message)', async () => {
    const rows = Array.from({ length: 600 }, (_, i) => ({ id: String(i), subject: 'Payment missing', body: 'The transfer has not arrived. '.repeat(20), queue: 'payments' }));
    const json = file('export.json', JSON.stringify(rows));
    const error = await loadDataset(json, config).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toBe(`${json}: not CSV (it looks like a JSON array): mailroute reads CSV and JSONL (one JSON object per line, named .jsonl)`);
    expect(error?.message.length).toBeLessThan(1000);
  });

  it('reports a JSONL label that is true or an object once, not also as a label outside the taxonomy', async () => {
    const j = file(
      'labels.jsonl',
      [
        '{"id":"1","subject":"s","body":"b","queue":true}',
        '{"id":"2","subject":"s","body":"b","queue":{"name":"tax"}}',
        '{"id":"3","subject":"s","body":"b","queue":"tax"}',
      ].join('\n'),
    );
    const ds = await loadDataset(j, { ...config, onBadRow: 'skip' });
    expect(ds.rows.map((r) => r.id)).toEqual(['3']);
    expect(ds.skipped).toEqual([`${j}:1, column "queue": true, not a label`, `${j}:2, column "queue": an object, not a label`]);
  });
});
