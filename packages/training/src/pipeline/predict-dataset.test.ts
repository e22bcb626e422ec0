import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Classifier, createLocalRegistry } from '@mailroute/model';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDemoChampion } from './demo-champion.js';
import { predictDataset } from './predict-dataset.js';

describe('predictDataset', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-predict-notext-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has an email with no text left after cleaning (noText) abstain in every task, as the served model does', async () => {
    const home = path.join(dir, 'home');
    const champion = await ensureDemoChampion({ home, rows: 400 });
    const data = path.join(dir, 'mail.csv');
    writeFileSync(data, 'id,subject,body\nq,,"> Am 3.11. schrieb die Bank:\n> Ihre Kreditkarte wurde gesperrt."\nt,Depot,Bitte übertragen Sie mein Depot.\n');
    const lines = await predictDataset({ model: champion.id, dataPath: data, home });
    const served = await Classifier.load(await createLocalRegistry({ home }).artifactDir(champion.id));
    try {
      const [quoted] = await served.predict([{ id: 'q', body: '> Am 3.11. schrieb die Bank:\n> Ihre Kreditkarte wurde gesperrt.' }]);
      expect(quoted.noText).toBe(true);
      for (const task of Object.keys(lines[0].prediction)) {
        expect(quoted.tasks[task].abstained).toBe(true);
        expect(lines[0].prediction[task].abstained).toBe(true);
      }
    } finally {
      await served.release();
    }
  }, 180_000);
});
