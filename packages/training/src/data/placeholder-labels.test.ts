import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { loadDataset } from './dataset.js';
import { tempFiles } from '../test-support/temp-files.js';

const { file } = tempFiles('mailroute-placeholders-');

// A CRM export through pandas and a spreadsheet: blanks written as nan, NULL, N/A and #N/A in the queue column.
const queues = ['billing', 'login', 'nan', 'billing', 'NULL', 'login', 'N/A', 'billing', '#N/A', 'nan', 'login', 'billing'];
const csv = file('export.csv', `text,queue,area\n${queues.map((q, i) => `mail ${i},${q},retail`).join('\n')}\n`);
const config = (task: object = {}) =>
  parseTrainingConfig({ columns: { body: 'text' }, tasks: [{ name: 'queue', column: 'queue', minCount: 1, ...task }, { name: 'area', column: 'area', minCount: 1 }] });

describe('label cells holding a placeholder for no value (QA: pandas nan and Excel #N/A became queues the model routed to)', () => {
  it('are read as no label, as an empty cell is, and warned of with their counts; the rows train the other tasks', async () => {
    const ds = await loadDataset(csv, config());
    expect(ds.taxonomy[0].labels).toEqual(['billing', 'login']);
    expect(ds.taxonomy[0].missing).toBe(5);
    expect(ds.rows).toHaveLength(12);
    expect(ds.rows.filter((r) => r.labels.queue === null)).toHaveLength(5);
    expect(ds.warnings).toEqual([
      'queue: 5 label cell(s) hold what an export writes for an empty value ("nan" x2, "NULL" x1, "N/A" x1, "#N/A" x1): read as no label of queue, as an empty cell is, not as a class. If one is a real label, list it in the task\'s labels (or name it in aliases) and it is kept.',
    ]);
  });

  it('keep a placeholder the config names as a label, and leave label-like words (None, none, NA) alone', async () => {
    const named = await loadDataset(csv, { ...config({ labels: ['billing', 'login', 'N/A'] }), onBadRow: 'skip' });
    expect(named.taxonomy[0].counts['N/A']).toBe(1);
    const aliased = await loadDataset(csv, config({ aliases: { NULL: 'billing' } }));
    expect(aliased.taxonomy[0].counts.billing).toBe(5);
    const words = file('words.csv', 'text,queue,area\na,None,x\nb,none,x\nc,NA,x\nd,billing,x\n');
    const ds = await loadDataset(words, config());
    expect(ds.taxonomy[0].labels).toEqual(['NA', 'None', 'billing', 'none']);
    expect(ds.warnings.filter((w) => w.includes('empty value'))).toEqual([]);
  });
});
