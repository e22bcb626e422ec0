import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { loadDataset } from './dataset.js';
import { tempFiles } from '../test-support/temp-files.js';

const { file } = tempFiles('mailroute-unused-aliases-');

const labels = [...Array<string>(3).fill('legal'), ...Array<string>(3).fill('billing'), 'Kundenservice', 'old_queue', 'paper'];
const csv = file('queues.csv', `text,queue\n${labels.map((l, i) => `mail ${i},${l}`).join('\n')}\n`);
const config = (task: object) => parseTrainingConfig({ columns: { body: 'text' }, tasks: [{ name: 'queue', ...task }] });

describe('aliases and retired labels no row uses (trial: an alias "Legal" for the data\'s "legal" trained without a word)', () => {
  it('warns of each, naming the label of the data it likely meant', async () => {
    const ds = await loadDataset(csv, config({ aliases: { Legal: 'Customer Service', Kundenservice: 'Customer Service', transfers: 'billing' }, retired: ['papr', 'paper_statements'] }));
    expect(ds.warnings).toEqual([
      'queue: the alias "Legal" -> "Customer Service" matches no row: no cell of column "queue" reads "Legal" (did you mean "legal", which 3 rows have?)',
      // Nothing near it in the data: no guess.
      'queue: the alias "transfers" -> "billing" matches no row: no cell of column "queue" reads "transfers" (a typo, or an old name this export no longer has?)',
      'queue: the retired label "papr" matches no row: no cell of column "queue" reads it, nor an alias leading to it (did you mean "paper", which 1 row has?)',
      // No label of the data is near enough: `paper` is 11 edits from it.
      'queue: the retired label "paper_statements" matches no row: no cell of column "queue" reads it, nor an alias leading to it (a typo, or a label this export no longer has?)',
    ]);
    // It only warns: the rows train as read.
    expect(ds.rows).toHaveLength(labels.length);
  });

  it("does not guess an alias's new name as its old one: the data may have it already", async () => {
    const ds = await loadDataset(csv, config({ aliases: { Legals: 'legal' } }));
    expect(ds.warnings).toEqual(['queue: the alias "Legals" -> "legal" matches no row: no cell of column "queue" reads "Legals" (a typo, or an old name this export no longer has?)']);
  });

  it('counts an alias reached through another, and a retired label reached through an alias, as used', async () => {
    const ds = await loadDataset(csv, config({ aliases: { old_queue: 'middle', middle: 'billing', paper: 'paper_statements' }, retired: ['paper_statements'] }));
    expect(ds.warnings).toEqual([]);
  });

  it('does not warn when the data is read for a trained model (its config renames what a new export may have)', async () => {
    const ds = await loadDataset(csv, config({ aliases: { Legal: 'legal' } }), { fixedLabels: { queue: ['legal', 'billing', 'Kundenservice', 'old_queue', 'paper'] } });
    expect(ds.warnings).toEqual([]);
  });
});
