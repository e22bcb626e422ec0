import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { DatasetError } from '../errors.js';
import { loadDataset } from './dataset.js';
import { tempFiles } from '../test-support/temp-files.js';

const { file } = tempFiles('mailroute-unread-keys-');

const config = parseTrainingConfig({ format: 'jsonl', columns: { id: 'id', subject: 'subject', body: 'body' }, tasks: [{ name: 'topic' }], split: { kind: 'stratified', on: 'topic' } });

/** Six lines, every third with its keys spelt `Body` and `Topic`; the first of those without a subject. */
const lines = [
  { id: '1', subject: 'Karte', body: 'Meine Karte ist nicht angekommen', topic: 'card' },
  { id: '2', subject: '', body: 'Wie hoch ist der Kurs?', topic: 'fx' },
  { id: '3', subject: '', Body: 'Die Karte fehlt noch', Topic: 'card' },
  { id: '4', subject: 'Kurs', body: 'Welcher Kurs gilt heute?', topic: 'fx' },
  { id: '5', subject: 'Karte', body: 'Karte kam nicht', topic: 'card' },
  { id: '6', subject: 'Kurs', Body: 'Wechselkurs bitte', Topic: 'fx' },
];
const keys = file('keys.jsonl', lines.map((l) => JSON.stringify(l)).join('\n'));
const nearKeys = `${keys}: 2 lines lack key "body" but have "Body", 2 lack key "topic" but have "Topic" (keys are read as the config names them, case too, so their values are not read): write each key one way in the export`;

describe('JSONL keys spelt otherwise than the config\'s columns (QA: `Body`, `Topic` on every third line)', () => {
  it('are said in the bad-row message, and the line without text says where its text is', async () => {
    const error = await loadDataset(keys, config).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).message).toBe(
      `1 bad row(s) (1 problem): ${keys}:3: no text (the text columns subject, body are empty, but "Body" has text: the config reads "body", not "Body") ` +
        `(${nearKeys}; otherwise fix them, or set "onBadRow": "skip" in the config or pass --on-bad-row skip to train without them)`,
    );
  });

  it('are warned of when the rows are read without them (the body and the label lost)', async () => {
    const ds = await loadDataset(keys, { ...config, onBadRow: 'skip' });
    expect(ds.rows.map((r) => [r.id, r.email.body ?? null, r.labels.topic])).toEqual([
      ['1', 'Meine Karte ist nicht angekommen', 'card'],
      ['2', 'Wie hoch ist der Kurs?', 'fx'],
      ['4', 'Welcher Kurs gilt heute?', 'fx'],
      ['5', 'Karte kam nicht', 'card'],
    ]);
    expect(ds.warnings).toEqual([nearKeys]);
  });

  it('are not looked for where every line has the configured keys', async () => {
    const ds = await loadDataset(file('fine.jsonl', lines.filter((l) => 'body' in l).map((l) => JSON.stringify(l)).join('\n')), config);
    expect(ds.warnings).toEqual([]);
  });
});

describe('a row whose text is only in a column the config does not read', () => {
  it('names that column in its "no text" problem (JSONL and CSV)', async () => {
    const jsonl = file('html.jsonl', [JSON.stringify({ id: '1', subject: 'Hallo', body: 'Text', topic: 'a' }), JSON.stringify({ id: '2', subject: '', html_body: '<p>Meine Karte</p>', status: '3', topic: 'a' })].join('\n'));
    const ds = await loadDataset(jsonl, { ...config, onBadRow: 'skip' });
    expect(ds.skipped).toEqual([`${jsonl}:2: no text (the text columns subject, body are empty, but "html_body" has text: a key the config does not read)`]);
    const csv = file('html.csv', 'id,subject,body,html_body,note,topic\n1,Hallo,Text,,,a\n2,,,<p>Meine Karte ist weg</p>,kurz,a\n3,,,,,a\n');
    const fromCsv = await loadDataset(csv, { ...config, format: 'csv', onBadRow: 'skip' });
    expect(fromCsv.skipped).toEqual([
      `${csv}:3: no text (the text columns subject, body are empty, but "html_body" and "note" have text: columns the config does not read)`,
      `${csv}:4: no text (the text columns subject, body are empty)`,
    ]);
  });
});
