import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { loadDataset } from './dataset.js';
import { withoutExactCopies } from './duplicate-rows.js';
import { tempFiles } from '../test-support/temp-files.js';

const { file } = tempFiles('mailroute-duplicate-rows-');

const config = parseTrainingConfig({ columns: { id: 'id', body: 'text' }, tasks: [{ name: 'topic', column: 'category' }], split: { kind: 'stratified', on: 'topic' } });
const noId = parseTrainingConfig({ columns: { body: 'text' }, tasks: [{ name: 'topic', column: 'category' }], split: { kind: 'stratified', on: 'topic' } });

/** `n` rows of distinct texts, ids from `first`, labels a and b in turn. */
const rows = (n: number, first = 0) => Array.from({ length: n }, (_, i) => `${first + i},Text number ${i},${i % 2 === 0 ? 'a' : 'b'}`);
const csv = (name: string, lines: string[]) => file(name, `id,text,category\n${lines.join('\n')}\n`);

describe('repeated rows (QA: 500 copies said as "copies whose texts differ", 500 under new ids not said at all)', () => {
  it('says exact copies (same id, text and labels) as such, and what they do', async () => {
    const p = csv('twice.csv', [...rows(100), ...rows(20)]);
    const ds = await loadDataset(p, config);
    expect(ds.warnings).toEqual([
      `20 rows repeat an earlier row exactly, id, text and labels (e.g. id "0" at ${p}:2 and ${p}:102; the same export given twice?): each copy trains again, or counts again in the test metrics; remove the copies`,
    ]);
    // The warning of ids several rows carry (copies whose texts differ) is given the rows without them: nothing to say.
    expect(withoutExactCopies(ds.rows)).toHaveLength(100);
  });

  it('says rows repeating a text under new ids once, with a count, when they are a sizeable share', async () => {
    const p = csv('new-ids.csv', [...rows(100), ...rows(20, 1000)]);
    expect((await loadDataset(p, config)).warnings).toEqual([
      `20 rows (17%) repeat the text of an earlier row under another id (e.g. ${p}:102 repeats ${p}:2): the copies of a text stay on one side of the split, but each trains again, or counts again in the test metrics; remove them if they are the same email`,
    ]);
    // Without an id column every copy is one of these.
    const q = file('no-id.csv', `text,category\n${[...rows(100), ...rows(20)].map((r) => r.slice(r.indexOf(',') + 1)).join('\n')}\n`);
    expect((await loadDataset(q, noId)).warnings).toEqual([expect.stringMatching(/^20 rows \(17%\) repeat the text of an earlier row \(e\.g\. \S+no-id\.csv:102 repeats \S+no-id\.csv:2\): /)]);
    // A few (under 10 rows, or 1% of them) are not said.
    expect((await loadDataset(csv('few.csv', [...rows(100), ...rows(9, 1000)]), config)).warnings).toEqual([]);
  });

  it('warns of a text labelled differently on different rows, per task, with a count and an example', async () => {
    const flipped = rows(5, 1000).map((r) => r.replace(/,a$/, ',x').replace(/,b$/, ',a'));
    const p = csv('conflict.csv', [...rows(100), ...flipped]);
    expect((await loadDataset(p, config)).warnings).toEqual([
      `topic: 5 texts carry different labels on different rows (10 rows), e.g. "Text number 0" is "a" at ${p}:2 and "x" at ${p}:102: the model cannot learn both; correct the labels in the export`,
    ]);
  });

  it('quotes the labels of the example as the file writes them, with what they became (a rare label merged into other, an alias)', async () => {
    const rare = parseTrainingConfig({ columns: { id: 'id', body: 'text' }, tasks: [{ name: 'topic', column: 'category', minCount: 3, aliases: { eskalation: 'escalation' } }], split: { kind: 'stratified', on: 'topic' } });
    // `Text number 0` is `a` at line 2, and `escalation` (1 row: merged into other) at line 102.
    const p = csv('conflict-rare.csv', [...rows(100), '1000,Text number 0,escalation']);
    expect((await loadDataset(p, rare)).warnings).toEqual([
      // This export has the alias's new name only.
      expect.stringContaining('topic: the alias "eskalation" -> "escalation" matches no row'),
      `topic: 1 text carries different labels on different rows (2 rows), e.g. "Text number 0" is "a" at ${p}:2 and "escalation" (merged into other) at ${p}:102: the model cannot learn both; correct the labels in the export`,
    ]);
    const q = csv('conflict-alias.csv', [...rows(100), '1000,Text number 0,eskalation']);
    expect((await loadDataset(q, rare)).warnings).toEqual([expect.stringContaining(`is "a" at ${q}:2 and "eskalation" (read as escalation, merged into other) at ${q}:102:`)]);
  });

  it("quotes the example text masked as a failed run's error is, names too: training's output is kept (CloudWatch)", async () => {
    const text = 'Überweisung an Anna Schmidt, Goethestraße 12, 10115 Berlin';
    const flipped = [`1000,"${text}",x`, `1001,"Sehr geehrte Damen und Herren, bitte helfen Sie. Gruß, Herr Max Weber",a`, `1002,"Sehr geehrte Damen und Herren, bitte helfen Sie. Gruß, Herr Max Weber",b`];
    const p = csv('conflict-pii.csv', [...rows(100), `999,"${text}",a`, ...flipped]);
    const [warning] = (await loadDataset(p, config)).warnings;
    expect(warning).toContain('e.g. "Überweisung an Anna Schmidt, [ADDRESS]" is "a"');
    expect(warning).not.toMatch(/Goethe|10115/);
  });

  it('is not said of data read for a trained model (its own messages say that)', async () => {
    const p = csv('model.csv', [...rows(100), ...rows(20)]);
    expect((await loadDataset(p, config, { fixedLabels: { topic: ['a', 'b'] } })).warnings).toEqual([]);
  });
});
