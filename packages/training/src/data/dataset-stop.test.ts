import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { loadDataset } from './dataset.js';
import { tempFiles } from '../test-support/temp-files.js';

const { file } = tempFiles('mailroute-dataset-stop-');

const config = parseTrainingConfig({ columns: { id: 'id', subject: 'subject', body: 'body' }, tasks: [{ name: 'queue', labels: ['payments', 'tax'] }], split: { kind: 'stratified', on: 'queue' } });

describe('loadDataset stopped', () => {
  // Two loads of 40,000 rows: 3 s on a machine other work shares, over vitest's 5 s default when it is busier.
  it('hears an abort (a Ctrl-C) while its records are checked, after the file is read', { timeout: 20_000 }, async () => {
    // Enough rows that checking them takes well over the 50 ms between the event loop's turns.
    const rows = Array.from({ length: 40_000 }, (_, i) => `${i},Betreff ${i},Bitte die Überweisung Nummer ${i} prüfen,${i % 2 ? 'tax' : 'payments'}`);
    const csv = file('many.csv', `id,subject,body,queue\n${rows.join('\n')}\n`);
    const controller = new AbortController();
    const labels = new Set<string>();
    const load = loadDataset(csv, config, {
      signal: controller.signal,
      onProgress: (done, total, label) => {
        labels.add(label);
        // Aborted once the whole file is read: only the checks after the read can hear it.
        if (label === 'read' && done === total) controller.abort(new Error('stopped by the test'));
      },
    });
    await expect(load).rejects.toThrow('stopped by the test');
    expect([...labels]).toEqual(['read']);
    // Not aborted, the same file loads whole.
    expect((await loadDataset(csv, config)).rows).toHaveLength(40_000);
  });
});
