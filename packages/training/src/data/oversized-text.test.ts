import { DEFAULT_MAX_INPUT_CHARS } from '@mailroute/preprocess';
import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { DatasetError } from '../errors.js';
import { loadDataset } from './dataset.js';
import { tempFiles } from '../test-support/temp-files.js';

const { file } = tempFiles('mailroute-oversized-');

// QA: one 5 MB body (an inline image pasted as text) stopped training with PREPROCESS_INPUT_TOO_LARGE, naming no row,
// and --on-bad-row skip did not help.
const csv = file('export.csv', `subject,body,queue\nHallo,Bitte Depot übertragen,payments\nBild,${'A'.repeat(DEFAULT_MAX_INPUT_CHARS + 1)},kyc\nFrage,Login geht nicht,login\n`);
const config = parseTrainingConfig({ columns: { subject: 'subject', body: 'body' }, tasks: [{ name: 'queue', column: 'queue', minCount: 1 }] });

describe('a row whose text is more than cleaning reads', () => {
  it('is a bad row named by its file, line and column: the load fails saying so', async () => {
    const error = await loadDataset(csv, config).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).message).toContain('export.csv:3, column "body" (2): the text has 4,194,305 characters (body and html together), over the 4,194,304 cleaning reads');
  });

  it('is left out with --on-bad-row skip, the other rows read', async () => {
    const ds = await loadDataset(csv, { ...config, onBadRow: 'skip' });
    expect(ds.rows.map((r) => r.labels.queue)).toEqual(['payments', 'login']);
    expect(ds.badRowPlaces).toEqual([`${csv}:3`]);
  });
});
