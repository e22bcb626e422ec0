import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { predictDataset } from './predict-dataset.js';
import { trainFromConfig } from './train-from-config.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-recount-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const words: Record<string, string> = { a: 'Karte gesperrt PIN', b: 'Kredit Zins Rate', c: 'Erbschaft Nachlass Testament', d: 'Depot Übertrag Wertpapiere' };
let n = 0;
const row = (label: string) => `${++n},Frage ${n},${words[label]} Nummer ${n},${label}`;
const autoReply = (label: string) => `${++n},Automatische Antwort: Ihre Anfrage,Ich bin bis 10.12. nicht im Büro.,${label}`;

describe('minCount over the rows that train', () => {
  it('counts no automated row: a label that reaches minCount only with them is merged into other (or dropped), and one with no row left is no class', async () => {
    const data = path.join(dir, 'train.csv');
    const rows = [...Array.from({ length: 30 }, (_, i) => row(i % 2 ? 'a' : 'b')), ...Array.from({ length: 5 }, () => row('c')), autoReply('c'), autoReply('c'), ...Array.from({ length: 6 }, () => autoReply('d'))];
    writeFileSync(data, ['id,subject,body,queue', ...rows].join('\n'));
    const config = { columns: { id: 'id', subject: 'subject', body: 'body' }, tasks: [{ name: 'queue', labels: ['a', 'b', 'c', 'd'], minCount: 6 }], model: { epochs: 1, buckets: 2 ** 12, dim: 8 } };
    const info: string[] = [];
    const trained = await trainFromConfig({ config, dataPath: data, home: path.join(dir, 'home'), logger: { info: (m) => info.push(m), warn: () => undefined } });
    const [queue] = trained.taxonomy;
    // c: 7 rows read, 5 train (under 6): merged into other; d: no row trains: a label without examples.
    expect(queue.labels).toEqual(['a', 'b', 'other']);
    expect(queue.counts).toEqual({ a: 15, b: 15, other: 5 });
    expect(queue.rare).toEqual({ c: 5 });
    expect(queue.absent).toEqual(['d']);
    expect(info.some((line) => line.includes('queue') && line.includes('c'))).toBe(true);
    // --split test finds the rows it held out, merged as training merged them: the split is stratified on queue.
    const held = await predictDataset({ model: trained.modelId, dataPath: data, home: path.join(dir, 'home'), split: 'test' });
    expect(held).toHaveLength(trained.counts.test);
    expect(held.map((line) => line.truth.queue)).toContain('other');
    expect(held.every((line) => line.truth.queue !== 'c')).toBe(true);
  }, 120_000);

  it('leaves out a row whose only label the recount dropped as rare, as one read without a label: it trains nothing', async () => {
    const data = path.join(dir, 'drop.csv');
    // e: 3 rows read (minCount 3), one an auto-reply: 2 train, under minCount, and "rare": "drop" takes the label away.
    const rows = [...Array.from({ length: 30 }, (_, i) => row(i % 2 ? 'a' : 'b')), row('c'), row('c'), autoReply('c')];
    writeFileSync(data, ['id,subject,body,queue', ...rows].join('\n'));
    const config = { columns: { id: 'id', subject: 'subject', body: 'body' }, tasks: [{ name: 'queue', labels: ['a', 'b', 'c'], minCount: 3, rare: 'drop' }], model: { epochs: 1, buckets: 2 ** 12, dim: 8 } };
    const warnings: string[] = [];
    const trained = await trainFromConfig({ config, dataPath: data, home: path.join(dir, 'home-drop'), logger: { info: () => undefined, warn: (m) => warnings.push(m) } });
    expect(trained.taxonomy[0].labels).toEqual(['a', 'b']);
    // 33 read: 30 used, 1 automated, 2 without a label left; the splits hold the 30.
    expect([trained.counts.rows, trained.counts.automated, trained.counts.unlabelled]).toEqual([30, 1, 2]);
    expect(trained.counts.train + trained.counts.valid + trained.counts.test).toBe(30);
    expect(warnings).toContainEqual(expect.stringMatching(/^2 row\(s\) left out: no label left in any task once minCount was applied again .*drop\.csv:32, .*drop\.csv:33$/));
    // --split test finds the rows it held out, read the same way.
    expect(await predictDataset({ model: trained.modelId, dataPath: data, home: path.join(dir, 'home-drop'), split: 'test' })).toHaveLength(trained.counts.test);
  }, 120_000);
});
