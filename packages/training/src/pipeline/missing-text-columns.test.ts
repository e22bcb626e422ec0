import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrainingConfig, type TrainingConfig } from '../config.js';
import { loadDataset } from '../data/dataset.js';
import { missingTextColumnWarnings } from './missing-text-columns.js';
import { predictDataset } from './predict-dataset.js';
import { trainFromConfig } from './train-from-config.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-missing-text-'));
const home = path.join(dir, 'home');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
};

/** The files' columns as predicting reads them (the text columns only), which the warning is made of. */
const columnsRead = async (paths: string[], config: TrainingConfig) => (await loadDataset(paths, config, { textColumnsOnly: true, keepUnlabelled: true, forModel: true })).fileColumns;

const words: Record<string, string> = { cards: 'Karte gesperrt PIN', billing: 'Rechnung Zahlung Lastschrift', hr: 'Bewerbung Gehalt Urlaub' };
const labels = Array.from({ length: 90 }, (_, i) => ['cards', 'billing', 'hr'][i % 3]);
// The subject says little, the body what the email is about.
const config = { columns: { id: 'id', subject: 'subject', body: 'body' }, tasks: [{ name: 'queue' }], model: { epochs: 1, buckets: 2 ** 12, dim: 8 } };
let modelId = '';

beforeAll(async () => {
  const data = file('train.csv', ['id,subject,body,queue', ...labels.map((l, i) => `${i},Anfrage ${i},${words[l]} Nummer ${i},${l}`)].join('\n'));
  modelId = (await trainFromConfig({ config, dataPath: data, home })).modelId;
}, 120_000);

describe('a file that lacks a text column the config reads', () => {
  it('is said by predict and evaluate, naming the column, what is read instead and the columns that could be mapped', async () => {
    const data = file('message.csv', ['case_id,subject,message,queue', ...labels.slice(0, 6).map((l, i) => `c${i},Anfrage ${i},${words[l]},${l}`)].join('\n'));
    const expected = `${data} lacks text column(s) "body" that the model's training config reads: the model reads only "subject" of these emails, so it predicts from less than it was trained on. The file's columns the config does not read: case_id, message; if one holds that text, pass --config with a training config that maps it, e.g. "columns": {"body": "message"} (the model's own is "trainingConfig" in its manifest.json)`;
    for (const required of [false, true]) {
      const warnings: string[] = [];
      await predictDataset({ model: modelId, dataPath: data, home, ...(required ? { labels: 'required' as const } : {}), onWarning: (m) => warnings.push(m) });
      expect(warnings).toContain(expected);
    }
    // With the column mapped in the config given, the body is read: nothing to say.
    const mapped: string[] = [];
    const given = { ...config, columns: { id: 'case_id', subject: 'subject', body: 'message' } };
    await predictDataset({ model: modelId, dataPath: data, home, config: given, configFile: 'cfg.json', onWarning: (m) => mapped.push(m) });
    expect(mapped.join('\n')).not.toContain('lacks text column');
    // A config given that still lacks it is the one to change.
    const unmapped: string[] = [];
    await predictDataset({ model: modelId, dataPath: data, home, config, configFile: 'cfg.json', onWarning: (m) => unmapped.push(m) });
    expect(unmapped).toContainEqual(expect.stringMatching(/ lacks text column\(s\) "body" that cfg\.json reads: .*; if one holds that text, map it in cfg\.json, e.g\. "columns": \{"body": "message"\}$/));
  }, 60_000);

  it('counts, in JSONL, a key no line has as a missing column, not one some lines have', async () => {
    const lines = (rows: Array<Record<string, string>>) => rows.map((r) => JSON.stringify(r)).join('\n');
    const none = file('none.jsonl', lines([{ id: '1', subject: 'Karte', text: words.cards }, { id: '2', subject: 'Rechnung', text: words.billing }]));
    const warnings: string[] = [];
    await predictDataset({ model: modelId, dataPath: none, home, onWarning: (m) => warnings.push(m) });
    expect(warnings).toContainEqual(expect.stringMatching(/^\S+none\.jsonl lacks text column\(s\) "body" that .*: text; .*"columns": \{"body": "text"\}/));
    const some = file('some.jsonl', lines([{ id: '1', subject: 'Karte' }, { id: '2', subject: 'Rechnung', body: words.billing }]));
    expect(missingTextColumnWarnings(await columnsRead([some], parseTrainingConfig(config)), parseTrainingConfig(config))).toEqual([]);
  }, 60_000);

  it('names every text the file lacks, and nothing of files with every text column, or with the body or the HTML alone; a file with no text column is refused', async () => {
    const demoLike = parseTrainingConfig({ ...config, columns: { id: 'id', subject: 'subject', body: 'body', html: 'html', attachmentNames: 'files' } });
    const every = file('every.csv', 'id,subject,body,html,files,queue\n1,Karte,PIN,<p>PIN</p>,a.pdf,cards\n');
    const every2 = file('every.jsonl', '{"id":"1","subject":"Karte","body":"PIN","html":"","files":[],"queue":"cards"}\n');
    const bodyOnly = file('body-only.csv', 'id,subject,body,files\n1,Karte,PIN,a.pdf\n');
    const htmlOnly = file('html-only.csv', 'id,subject,html,files\n1,Karte,<p>PIN</p>,a.pdf\n');
    expect(missingTextColumnWarnings(await columnsRead([every, every2, bodyOnly, htmlOnly], demoLike), demoLike)).toEqual([]);
    // Neither the body nor the HTML, nor the attachment names: all named, the ids not offered as the text.
    const neither = file('neither.csv', 'ticket_id,subject,nachricht\n1,Karte,PIN\n');
    expect(missingTextColumnWarnings(await columnsRead([neither], demoLike), demoLike, 'new.json')).toEqual([
      `${neither} lacks text column(s) "body", "html", "files" (the attachment names) that new.json reads: the model reads only "subject" of these emails, so it predicts from less than it was trained on. The file's columns the config does not read: ticket_id, nachricht; if one holds that text, map it in new.json, e.g. "columns": {"body": "nachricht"}`,
    ]);
    const nothingElse = file('nothing-else.csv', 'id,subject\n1,Karte\n');
    const warnings: string[] = [];
    await predictDataset({ model: modelId, dataPath: nothingElse, home, onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([
      `${nothingElse} lacks text column(s) "body" that the model's training config reads: the model reads only "subject" of these emails, so it predicts from less than it was trained on; the file has no other column to read it from: export it with the body`,
    ]);
    const noText = file('no-text.csv', 'id,message\n1,PIN\n');
    await expect(predictDataset({ model: modelId, dataPath: noText, home })).rejects.toThrow(/lacks a text column/);
  }, 60_000);
});
