import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeSeenTexts, SEEN_TEXTS_FILE } from '@mailroute/model';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { NgramBagParamsSchema } from '../ngram-bag/params.js';
import { dedupeKeyText, dedupeText, loadDataset, uncomposedDedupeText } from '../data/dataset.js';
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
    // The filter holds the texts as exported, as the code before wrote them (so lookups work in its models' filters as in
    // these: the test below writes one), and the texts the model read of them (a training email sent again is flagged).
    expect(sha(readFileSync(path.join(trained.artifactDir, SEEN_TEXTS_FILE)))).toBe('15e877666f8f0ea695227e319d2e48953128242b2016738fb37a4835232f6460');
    const manifest = JSON.parse(readFileSync(path.join(trained.artifactDir, 'manifest.json'), 'utf8'));
    expect([manifest.dataHash, manifest.training.testRowsFingerprint]).toEqual(['1b1b1d508768fcb9a250bfdb9e6e7298a3ebe4f7edcc3f3622f6ee5b5d89341b', 'e7dd1b6535a4aec0aa0b1c54a0b22a06d026233dd92554ea01736ed60a901e18']);
    const lines = await predictDataset({ model: trained.modelId, dataPath: data, home });
    expect(lines.filter((l) => l.meta?.seenInTraining === true).length).toBeGreaterThanOrEqual(trained.counts.train + trained.counts.valid);
    expect(await predictDataset({ model: trained.modelId, dataPath: data, home, split: 'test' })).toHaveLength(trained.counts.test);
  }, 120_000);

  it('flags a training email sent again under another subject prefix, signature and quoted reply, as the split groups them', async () => {
    const rows = ['id,subject,body,queue'];
    const again = ['id,subject,body,queue'];
    Object.entries(topics).forEach(([queue, subjects], q) => {
      for (let i = 0; i < 20; i++) {
        const subject = subjects[i % subjects.length];
        const body = `Guten Tag,\n${subject}: bitte um Rückmeldung zu Vorgang ${q * 20 + i}.`;
        rows.push([`t${q * 20 + i}`, subject, body, queue].map(csv).join(','));
        // The same email as a reply: AW:, a signature and the bank's quoted answer under it.
        const reply = `${body}\n\nMit freundlichen Grüßen\nErika Beispiel\n\nAm 01.12.2026 um 10:00 schrieb Service <service@bank.example>:\n> Wie können wir helfen?`;
        again.push([`r${q * 20 + i}`, `AW: ${subject}`, reply, queue].map(csv).join(','));
      }
    });
    const data = path.join(dir, 'resent-train.csv');
    const resent = path.join(dir, 'resent.csv');
    writeFileSync(data, `${rows.join('\n')}\n`);
    writeFileSync(resent, `${again.join('\n')}\n`);
    const home = path.join(dir, 'home-resent');
    const plain = parseTrainingConfig({ ...config, columns: { id: 'id', subject: 'subject', body: 'body' }, tasks: [{ name: 'queue', labels: ['cards', 'loans', 'address'], minCount: 3 }] });
    const trained = await trainFromConfig({ config: plain, dataPath: data, home });
    const warnings: string[] = [];
    const lines = await predictDataset({ model: trained.modelId, dataPath: resent, home, labels: 'required', onWarning: (m) => warnings.push(m) });
    // Every training or validation email is flagged in its re-sent form (the texts the model read are the same).
    expect(lines.filter((l) => l.meta?.seenInTraining === true).length).toBeGreaterThanOrEqual(trained.counts.train + trained.counts.valid);
    expect(warnings).toContainEqual(expect.stringMatching(/^\d+ of these 60 rows \(\d+(\.\d)?%\) repeat texts model \S+ was trained or validated on/));
  }, 120_000);

  it('composes decomposed letters (an NFD export, as macOS writes one): the NFC export\'s keys, data hash, split and fingerprint', async () => {
    expect(dedupeKeyText('  Mu\u0308LLER\n\tÜber ')).toBe('müller über');
    // Marks that compose with nothing, and text without marks, are as they were (lower-cased and folded only).
    expect(dedupeKeyText('X\u0301  Y')).toBe('x\u0301 y');
    const nfc = path.join(dir, 'nfc.csv');
    const nfd = path.join(dir, 'nfd.csv');
    writeFileSync(nfc, fixture());
    writeFileSync(nfd, fixture().normalize('NFD'));
    const composed = await loadDataset(nfc, config);
    const decomposed = await loadDataset(nfd, config);
    expect(decomposed.rows.map((r) => r.dedupeKey)).toEqual(composed.rows.map((r) => r.dedupeKey));
    expect([composed.dataHash, decomposed.dataHash]).toEqual(['1b1b1d508768fcb9a250bfdb9e6e7298a3ebe4f7edcc3f3622f6ee5b5d89341b', '1b1b1d508768fcb9a250bfdb9e6e7298a3ebe4f7edcc3f3622f6ee5b5d89341b']);
    // The hash models trained before letters were composed gave the NFD export (the code before this change computed it), kept beside.
    expect(composed.uncomposedHashes).toBeUndefined();
    expect(decomposed.uncomposedHashes?.dataHash).toBe('dcf5ec5fc6acc6c8a63c11ce9385034bb332b081edd5ce308ef2ca495faa6058');
    const prepared = prepareModelRows(decomposed.rows, NgramBagParamsSchema.parse(config.model));
    const clean = splitDataset(prepared.rows, config.split, { keys: prepared.keys });
    expect(rowsFingerprint(clean.test)).toBe('e7dd1b6535a4aec0aa0b1c54a0b22a06d026233dd92554ea01736ed60a901e18');
    expect(rowsFingerprint(clean.test, { uncomposed: true })).toBe('2a6c113c4fd28aba3d3b97ec7b3219bfcfe6fe199206ffa9aad43c1a064785d9');
  });

  it('knows the NFD export for the data a model was trained on (NFC), and finds the rows a model trained on NFD before letters were composed held out', async () => {
    const nfc = path.join(dir, 'train-nfc.csv');
    const nfd = path.join(dir, 'train-nfd.csv');
    writeFileSync(nfc, fixture());
    writeFileSync(nfd, fixture().normalize('NFD'));
    const home = path.join(dir, 'home-nfd');
    const trained = await trainFromConfig({ config, dataPath: nfc, home });
    const heldOut = (await predictDataset({ model: trained.modelId, dataPath: nfc, home, split: 'test' })).map((l) => l.id);
    expect(heldOut).toHaveLength(trained.counts.test);
    const known = async (model: string) => {
      const warnings: string[] = [];
      const lines = await predictDataset({ model, dataPath: nfd, home, labels: 'required', onWarning: (m) => warnings.push(m) });
      const test = await predictDataset({ model, dataPath: nfd, home, split: 'test' });
      return { seen: lines.filter((l) => l.meta?.seenInTraining === true).map((l) => l.id), warnings, test: test.map((l) => l.id) };
    };
    const fresh = await known(trained.modelId);
    expect(fresh.warnings).toEqual([expect.stringMatching(/^these are the rows model \S+ was trained on \(same data hash\)/)]);
    expect(fresh.test).toEqual(heldOut);
    expect(fresh.seen.length).toBeGreaterThanOrEqual(trained.counts.train + trained.counts.valid);

    // The model as a mailroute from before letters were composed trained it on the NFD export: its data hash, held-out
    // fingerprint (values that code gave) and seen-texts filter are of the text as written (manifest.json is not among the hashed files).
    const old = path.join(dir, 'old-nfd-model');
    cpSync(trained.artifactDir, old, { recursive: true });
    const rows = (await loadDataset(nfd, config)).rows.filter((r) => !heldOut.includes(r.id));
    const bloom = encodeSeenTexts(new Set(rows.map((r) => uncomposedDedupeText(r.email) ?? dedupeText(r.email))));
    writeFileSync(path.join(old, SEEN_TEXTS_FILE), bloom);
    const manifestFile = path.join(old, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    manifest.dataHash = 'dcf5ec5fc6acc6c8a63c11ce9385034bb332b081edd5ce308ef2ca495faa6058';
    manifest.training.testRowsFingerprint = '2a6c113c4fd28aba3d3b97ec7b3219bfcfe6fe199206ffa9aad43c1a064785d9';
    manifest.files[SEEN_TEXTS_FILE] = sha(Buffer.from(bloom));
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const before = await known(old);
    expect(before.test).toEqual(heldOut);
    expect(before.warnings).toEqual([expect.stringMatching(/^these are the rows model \S+ was trained on \(same data hash\)/)]);
    expect(before.seen.length).toBeGreaterThanOrEqual(trained.counts.train + trained.counts.valid);
  }, 120_000);
});
