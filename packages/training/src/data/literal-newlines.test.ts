import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { loadDataset } from './dataset.js';
import { tempFiles } from '../test-support/temp-files.js';

const { file } = tempFiles('mailroute-literal-newlines-');

const config = parseTrainingConfig({
  columns: { id: 'id', subject: 'subject', body: 'body' },
  tasks: [{ name: 'queue', labels: ['payments', 'tax'] }],
  split: { kind: 'stratified', on: 'queue' },
});

/** `n` rows, the first `literal` of whose bodies hold `\n` as two characters (a greeting, then a quoted reply). */
function csv(name: string, n: number, literal: number): string {
  const rows = Array.from({ length: n }, (_, i) => `${i},Frage ${i},${i < literal ? 'Hallo\\n\\nbitte prüfen\\n> alte Nachricht' : 'Hallo bitte prüfen'},${i % 2 ? 'tax' : 'payments'}`);
  return file(name, `id,subject,body,queue\n${rows.join('\n')}\n`);
}

describe('literal newlines', () => {
  it('warns once when many rows hold the two characters \\n and the config does not set literalNewlines (QA: 846 of 1,872 bodies)', async () => {
    const p = csv('crm.csv', 100, 40);
    const ds = await loadDataset(p, config);
    expect(ds.warnings).toEqual([
      '40 of the 100 rows read hold the two characters \\n in their text, not line breaks (an export that writes line breaks so?): quoted replies and signatures are found line by line, so such a text is one line to them; set "literalNewlines": true in the training config to read them as line breaks',
    ]);
    expect((await loadDataset(p, config, { configFile: 'crm.json' })).warnings[0]).toMatch(/set "literalNewlines": true in crm\.json to read them as line breaks$/);
    // Read for a trained model, the text is read as its training read it: a model trained with it reads them as line breaks.
    expect((await loadDataset(p, config, { forModel: true })).warnings[0]).toMatch(/does not set "literalNewlines": true: train a model with it set/);
    // Set, they are line breaks: nothing to say.
    const fixed = await loadDataset(p, { ...config, literalNewlines: true });
    expect(fixed.warnings).toEqual([]);
    expect(fixed.rows[0].email.body).toBe('Hallo\n\nbitte prüfen\n> alte Nachricht');
  });

  it('says nothing of a few rows (a path such as C:\\new) or a small share', async () => {
    expect((await loadDataset(csv('few.csv', 30, 19), config)).warnings).toEqual([]);
    expect((await loadDataset(csv('small-share.csv', 1000, 40), config)).warnings).toEqual([]);
    expect((await loadDataset(csv('enough.csv', 400, 20), config)).warnings).toHaveLength(1);
  });
});
