import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Classifier, createLocalRegistry } from '@mailroute/model';
import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { attachmentNamesOf, loadDataset } from '../data/dataset.js';
import { trainFromConfig } from './train-from-config.js';

// The same few words in every body: only the attached file says what the customer sends.
const FILLER = ['anbei', 'wie besprochen', 'bitte bearbeiten', 'danke', 'hier', 'für Sie', 'ausgefüllt', 'unterschrieben'];
const FILES: Record<string, string[]> = {
  tax_documents: ['Freistellungsauftrag_2026.pdf', 'FSA-Formular.pdf', 'Freistellungsauftrag ausgefüllt.pdf'],
  securities_transfer: ['Depotuebertrag_Formular.pdf', 'Depotübertrag.PDF', 'Übertragungsauftrag-Depot.pdf'],
};

function csv(rows: number): string {
  const lines = ['id,body,files,queue'];
  for (let i = 0; i < rows; i++) {
    const queue = i % 2 === 0 ? 'tax_documents' : 'securities_transfer';
    // Rows 2k and 2k+1 have one body and the two queues: the text alone tells nothing.
    const body = `${FILLER[(i >> 1) % FILLER.length]} ${FILLER[(i >> 4) % FILLER.length]}`;
    lines.push(`${i},"${body}","${FILES[queue][i % 3]};Scan_${i}.jpg",${queue}`);
  }
  return lines.join('\n');
}

describe('attachment names as model input', () => {
  it('reads a cell of names split at ; | and line breaks, or a JSON array', () => {
    expect(attachmentNamesOf(' a.pdf ; b.pdf|c.pdf\nd.pdf ;; ')).toEqual(['a.pdf', 'b.pdf', 'c.pdf', 'd.pdf']);
    expect(attachmentNamesOf('["Antrag; Seite 1.pdf", " b.pdf "]')).toEqual(['Antrag; Seite 1.pdf', 'b.pdf']);
    expect(attachmentNamesOf('[Entwurf] Antrag.pdf')).toEqual(['[Entwurf] Antrag.pdf']);
    expect(attachmentNamesOf('')).toEqual([]);
    expect(attachmentNamesOf(undefined)).toEqual([]);
    // With literalNewlines, `\n` parts names, but not inside a JSON array, where it is JSON's escape.
    expect(attachmentNamesOf(String.raw`a.pdf\nb.pdf`, true)).toEqual(['a.pdf', 'b.pdf']);
    expect(attachmentNamesOf(JSON.stringify(['Scan\\neu.pdf', 'x\ny.pdf']), true)).toEqual(['Scan\\neu.pdf', 'x\ny.pdf']);
  });

  it('reads a JSONL array of names, and refuses an array of other values as a bad row naming its key', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-attachments-jsonl-'));
    const data = path.join(tmp, 'export.jsonl');
    writeFileSync(
      data,
      [
        { id: 'a', body: 'Anbei', files: ['Freistellungsauftrag.pdf', 'Scan.jpg'], queue: 'tax_documents' },
        { id: 'b', body: 'Anbei', files: 'Depotübertrag.pdf', queue: 'securities_transfer' },
        { id: 'c', body: 'Anbei', files: ['x.pdf', 3], queue: 'tax_documents' },
        { id: 'd', body: 'Ohne Anhang', queue: 'tax_documents' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const config = parseTrainingConfig({ columns: { id: 'id', body: 'body', attachmentNames: 'files' }, tasks: [{ name: 'queue' }], onBadRow: 'skip' });
    const dataset = await loadDataset(data, config);
    expect(dataset.rows.map((r) => [r.id, r.email.attachmentNames])).toEqual([
      ['a', ['Freistellungsauftrag.pdf', 'Scan.jpg']],
      ['b', ['Depotübertrag.pdf']],
      ['d', undefined],
    ]);
    expect(dataset.skipped).toEqual([`${data}:3, column "files": an array with other values than strings, not a list of names`]);
  });

  it('learns from the words of attachment names when the config reads them, and the served model reads them as training did', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-attachments-'));
    const data = path.join(tmp, 'train.csv');
    writeFileSync(data, csv(160));
    const home = path.join(tmp, 'home');
    const model = { epochs: 12, buckets: 2 ** 12, dim: 16, patience: 12 };
    const tasks = [{ name: 'queue' }];
    const withFiles = await trainFromConfig({ config: { columns: { id: 'id', body: 'body', attachmentNames: 'files' }, tasks, model }, dataPath: data, home });
    const without = await trainFromConfig({ config: { columns: { id: 'id', body: 'body' }, tasks, model }, dataPath: data, home });
    expect(withFiles.metrics['queue.accuracy']).toBeGreaterThan(0.95);
    expect(without.metrics['queue.accuracy']).toBeLessThan(0.8);

    const registry = createLocalRegistry({ home });
    const reads = await Classifier.load(await registry.artifactDir(withFiles.modelId));
    const ignores = await Classifier.load(await registry.artifactDir(without.modelId));
    try {
      const email = { body: 'anbei danke' };
      const [tax, transfer] = await reads.predict([
        { ...email, attachmentNames: ['Freistellungsauftrag_2026.pdf'] },
        { ...email, attachmentNames: ['Depotübertrag.PDF'] },
      ]);
      expect([tax.tasks.queue.label, transfer.tasks.queue.label]).toEqual(['tax_documents', 'securities_transfer']);
      // A model trained without the column answers alike with or without names: it never learnt them.
      const [plain, named] = await ignores.predict([email, { ...email, attachmentNames: ['Freistellungsauftrag_2026.pdf'] }]);
      expect(named.tasks.queue.confidence).toBeCloseTo(plain.tasks.queue.confidence, 10);
    } finally {
      await reads.release();
      await ignores.release();
    }
  }, 240_000);
});
