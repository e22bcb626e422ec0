import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { loadDataset } from './dataset.js';
import { tempFiles } from '../test-support/temp-files.js';

const { file } = tempFiles('mailroute-no-rows-');
const config = parseTrainingConfig({ columns: { id: 'id', subject: 'subject' }, tasks: [{ name: 'queue' }], onBadRow: 'skip' });
const refusal = (p: string) => loadDataset(p, config).then(() => '', (error: Error) => error.message);

describe('files that give no usable row', () => {
  it('say what became of the rows read, as the warnings that would have said it never come', async () => {
    const noText = file('no-text.csv', 'id,subject,queue\n1,,a\n2,,b\n');
    expect(await refusal(noText)).toBe(`${noText}: no usable rows: of 2 row(s) read, 2 bad (skipped as onBadRow "skip" says; first: ${noText}:2: no text (the text column subject is empty))`);
    const noLabel = file('no-label.csv', 'id,subject,queue\n1,Hallo,\n2,Hi,\n3,,a\n');
    expect(await refusal(noLabel)).toBe(
      `${noLabel}: no usable rows: of 3 row(s) read, 1 bad (skipped as onBadRow "skip" says; first: ${noLabel}:4: no text (the text column subject is empty)); ` +
        `2 without a label in any task (each empty, retired or under minCount and dropped: is each task's label column the right one?): ${noLabel}:2, ${noLabel}:3`,
    );
  });

  it('say that there was no row to read at all', async () => {
    const header = file('header.csv', 'id,subject,queue\n\n,,\n');
    expect(await refusal(header)).toBe(`${header}: no rows to read (nothing but blank lines, or a CSV header line and blank lines and 1 record(s) of empty cells)`);
    const blank = file('blank.jsonl', '\n\n');
    expect(await refusal(blank)).toBe(`${blank}: no rows to read (nothing but blank lines, or a CSV header line and blank lines)`);
  });
});
