import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SEEN_TEXTS_FILE } from '@mailroute/model';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { NgramBagParamsSchema } from '../ngram-bag/params.js';
import { loadDataset } from '../data/dataset.js';
import { splitDataset } from '../data/split.js';
import { prepareModelRows, rowsFingerprint } from './model-rows.js';
import { predictDataset } from './predict-dataset.js';
import { trainFromConfig } from './train-from-config.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-dedupe-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const topics: Record<string, string[]> = {
  cards: ['Karte gesperrt', 'PIN vergessen', 'Kartenlimit erhöhen', 'Karte verloren'],
  loans: ['Kredit Zinsen', 'Rate verschieben', 'Sondertilgung Darlehen', 'Kreditvertrag Kopie'],
  address: ['Adresse ändern', 'Umzug melden', 'Neue Anschrift', 'Namensänderung Heirat'],
};
/** A long HTML part, as mail clients write one (an invented footer repeated). */
const html = (text: string) => `<html><head><style>p{margin:0}</style></head><body><p>${text}</p>${'<p class="f">Vertrauliche Nachricht der Beispielbank.</p>'.repeat(40)}</body></html>`;
const csv = (cell: string) => `"${cell.replace(/"/g, '""')}"`;

/**
 * 90 invented rows: every other one with an HTML part, every ninth the text of the row before it in other case and
 * spacing (an exact duplicate, normalised).
 */
function fixture(): string {
  const lines = ['id,subject,body,html,queue'];
  Object.entries(topics).forEach(([queue, subjects], q) => {
    for (let i = 0; i < 30; i++) {
      const copy = i % 9 === 8;
      const of = copy ? i - 1 : i;
      const subject = subjects[of % subjects.length];
      const body = `${subject}\nKunde ${q * 30 + of}`;
      const part = of % 2 === 0 ? html(body) : '';
      const cells = copy ? [subject.toLowerCase(), `  ${body.toUpperCase()}\n\n`, part.replace(/></g, '>\n  <')] : [subject, body, part];
      lines.push([`m${q * 30 + i}`, ...cells, queue].map(csv).join(','));
    }
  });
  return `${lines.join('\n')}\n`;
}

const config = parseTrainingConfig({
  columns: { id: 'id', subject: 'subject', body: 'body', html: 'html' },
  tasks: [{ name: 'queue', labels: ['cards', 'loans', 'address'], minCount: 3 }],
  split: { kind: 'stratified', on: 'queue', testShare: 0.2, validShare: 0.1, seed: 0 },
  model: { epochs: 1, buckets: 2 ** 12, dim: 8 },
});

const sha = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
const idsOf = (rows: ReadonlyArray<{ id: string }>) => sha(rows.map((r) => r.id).join(','));

describe('dedupeKey', () => {
  it("is a digest of a fixed size, whatever the email's length; the data hash, split and fingerprint are as before", async () => {
    const data = path.join(dir, 'export.csv');
    writeFileSync(data, fixture());
    const dataset = await loadDataset(data, config);
    // The lower-cased subject + body + html was kept per row beside the email: twice the memory of an HTML export.
    expect(new Set(dataset.rows.map((r) => r.dedupeKey.length))).toEqual(new Set([44]));
    // Rows equal but for case and spacing are still one text.
    expect(new Set(dataset.rows.map((r) => r.dedupeKey)).size).toBe(84);
    // The values the text itself gave (computed before rows kept a digest): models record them.
    expect(dataset.dataHash).toBe('1b1b1d508768fcb9a250bfdb9e6e7298a3ebe4f7edcc3f3622f6ee5b5d89341b');
    const raw = splitDataset(dataset.rows, config.split);
    expect([idsOf(raw.train), idsOf(raw.valid), idsOf(raw.test), raw.duplicateGroups]).toEqual(['f1be6e04eaed236e60c8f05533874a4f9086bfa8e8bd0174b6b380b59cd63ef4', 'dd2eeaac5e69be0a44c6fb855cfef3a1c54ba52378aae52797f385cf238af70c', '5e6fb06bfae9bb7289325caabf495dff17ffa5603194901812b2aab318ee424d', 6]);
    const prepared = prepareModelRows(dataset.rows, NgramBagParamsSchema.parse(config.model));
    const clean = splitDataset(prepared.rows, config.split, { keys: prepared.keys });
    expect(rowsFingerprint(clean.test)).toBe('e7dd1b6535a4aec0aa0b1c54a0b22a06d026233dd92554ea01736ed60a901e18');
  });

  it('writes the seen-texts filter a model trained before wrote, and predict flags the texts it was trained on', async () => {
    const data = path.join(dir, 'train.csv');
    writeFileSync(data, fixture());
    const home = path.join(dir, 'home');
    const trained = await trainFromConfig({ config, dataPath: data, home });
    // The filter holds the texts' own hashes: byte for byte what the code before wrote, so its models' filters still match.
    expect(sha(readFileSync(path.join(trained.artifactDir, SEEN_TEXTS_FILE)))).toBe('13f30d2f97481f8ff983df847e75e1d6b88ba8f7a6fe151cfb3d86ef9015772b');
    const manifest = JSON.parse(readFileSync(path.join(trained.artifactDir, 'manifest.json'), 'utf8'));
    expect([manifest.dataHash, manifest.training.testRowsFingerprint]).toEqual(['1b1b1d508768fcb9a250bfdb9e6e7298a3ebe4f7edcc3f3622f6ee5b5d89341b', 'e7dd1b6535a4aec0aa0b1c54a0b22a06d026233dd92554ea01736ed60a901e18']);
    const lines = await predictDataset({ model: trained.modelId, dataPath: data, home });
    expect(lines.filter((l) => l.meta?.seenInTraining === true).length).toBeGreaterThanOrEqual(trained.counts.train + trained.counts.valid);
    expect(await predictDataset({ model: trained.modelId, dataPath: data, home, split: 'test' })).toHaveLength(trained.counts.test);
  }, 120_000);
});
