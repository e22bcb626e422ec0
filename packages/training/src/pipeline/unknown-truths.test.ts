import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predictDataset } from './predict-dataset.js';
import { trainFromConfig } from './train-from-config.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-unknown-truths-'));
const home = path.join(dir, 'home');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const words: Record<string, string> = { cards: 'Karte gesperrt PIN', billing: 'Rechnung Zahlung Lastschrift', Zahlungsverkehr: 'Rechnung Zahlung Lastschrift', hr: 'Bewerbung Gehalt Urlaub' };
const csv = (labels: readonly string[]) => ['id,body,queue', ...labels.map((l, i) => `${i},${words[l]} Nummer ${i},${l}`)].join('\n');
// No list of labels: a label the model never learnt reads, and has no truth for it.
const config = { columns: { id: 'id', body: 'body' }, tasks: [{ name: 'queue' }], model: { epochs: 1, buckets: 2 ** 12, dim: 8 } };
let modelId = '';

beforeAll(async () => {
  const data = path.join(dir, 'train.csv');
  writeFileSync(data, csv(Array.from({ length: 90 }, (_, i) => ['cards', 'billing', 'hr'][i % 3])));
  modelId = (await trainFromConfig({ config, dataPath: data, home })).modelId;
}, 120_000);

describe('truths under a label the model does not know (a newer export)', () => {
  it('are said by predict too (labels optional), with the alias that scores them, guessing the label renamed when one alone has no row', async () => {
    const test = path.join(dir, 'newer.csv');
    writeFileSync(test, csv(['cards', 'Zahlungsverkehr', 'Zahlungsverkehr', 'hr']));
    const warnings: string[] = [];
    const lines = await predictDataset({ model: modelId, dataPath: test, home, onWarning: (m) => warnings.push(m) });
    expect(lines.map((l) => l.truth.queue)).toEqual(['cards', null, null, 'hr']);
    expect(warnings).toContain(
      `queue: 2 row(s) whose truth is a label model ${modelId} does not know (Zahlungsverkehr x2) are left out of its metrics (their truth is null in the prediction lines); if "Zahlungsverkehr" is the new name of one of the model's labels, pass --config <a training config whose aliases rename that label to it (the newer taxonomy's config)>, e.g. with "aliases": {"billing": "Zahlungsverkehr"} in task queue`,
    );
    // The config given (--config) is the one to add the alias to; with it added, the truths are scored under the new name.
    const given: string[] = [];
    await predictDataset({ model: modelId, dataPath: test, home, config, configFile: 'cfg.json', onWarning: (m) => given.push(m) });
    expect(given).toContainEqual(expect.stringMatching(/; if "Zahlungsverkehr" is the new name of one of the model's labels, add to cfg\.json "aliases": \{"billing": "Zahlungsverkehr"\} in task queue$/));
    const renamed = { ...config, tasks: [{ name: 'queue', aliases: { billing: 'Zahlungsverkehr' } }] };
    const fixed: string[] = [];
    const scored = await predictDataset({ model: modelId, dataPath: test, home, config: renamed, configFile: 'cfg.json', onWarning: (m) => fixed.push(m) });
    expect(scored.map((l) => l.truth.queue)).toEqual(['cards', 'Zahlungsverkehr', 'Zahlungsverkehr', 'hr']);
    expect(fixed.join('\n')).not.toContain('does not know');
  }, 60_000);

  it('show a label cell that is no plain label (a task without labels reads any cell) masked as a bad row\'s is, and alias it with a placeholder: evaluate writes this into its reports', async () => {
    const test = path.join(dir, 'pii-label.csv');
    writeFileSync(test, 'id,body,queue\n1,Karte gesperrt PIN,cards\n2,Rechnung Zahlung,Kunde Anna Schmidt Tel 0171 2345678\n');
    const warnings: string[] = [];
    await predictDataset({ model: modelId, dataPath: test, home, onWarning: (m) => warnings.push(m) });
    const said = warnings.find((w) => w.includes('does not know')) ?? '';
    expect(said).toContain('does not know (Kunde Anna Schmidt Tel [PHONE] x1) are left out of its metrics');
    expect(said).toContain('; if "Kunde Anna Schmidt Tel [PHONE]" is the new name of one of the model\'s labels');
    expect(said).toContain(': "<that label, as the export writes it>"} in task queue');
    expect(warnings.join('\n')).not.toContain('0171');
  }, 60_000);

  it('name the model\'s label a truth mistypes (did you mean), which a task without a list of labels reads as any other cell', async () => {
    const test = path.join(dir, 'typo.csv');
    writeFileSync(test, ['id,body,queue', '1,Karte gesperrt PIN,cards', '2,Rechnung Zahlung,billing', '3,Rechnung Lastschrift,biling', '4,Rechnung offen,biling', '5,Bewerbung Gehalt,hr'].join('\n'));
    const warnings: string[] = [];
    await predictDataset({ model: modelId, dataPath: test, home, onWarning: (m) => warnings.push(m) });
    expect(warnings).toContain(
      `queue: 2 row(s) whose truth is a label model ${modelId} does not know (biling x2) are left out of its metrics (their truth is null in the prediction lines); did you mean "billing", a label of the model's (1 row here)? If those cells mistype it, correct them in the data; if "biling" is the new name of one of the model's labels, pass --config <a training config whose aliases rename that label to it (the newer taxonomy's config)>, e.g. with "aliases": {"<its label>": "biling"} in task queue`,
    );
  }, 60_000);

  it('list the labels it may be the new name of when several have no row, and say nothing for a file without labels', async () => {
    const test = path.join(dir, 'only-new.csv');
    writeFileSync(test, csv(['cards', 'Zahlungsverkehr']));
    const warnings: string[] = [];
    await predictDataset({ model: modelId, dataPath: test, home, onWarning: (m) => warnings.push(m) });
    expect(warnings).toContainEqual(expect.stringContaining('(Zahlungsverkehr x1) are left out of its metrics (their truth is null in the prediction lines); if "Zahlungsverkehr" is the new name of one of the model\'s labels (its labels no row here has: billing, hr), pass --config'));
    expect(warnings).toContainEqual(expect.stringContaining('e.g. with "aliases": {"<its label>": "Zahlungsverkehr"} in task queue'));
    const inbox = path.join(dir, 'inbox.csv');
    writeFileSync(inbox, 'id,body\n1,Rechnung Zahlung\n');
    const quiet: string[] = [];
    await predictDataset({ model: modelId, dataPath: inbox, home, onWarning: (m) => quiet.push(m) });
    expect(quiet.join('\n')).not.toContain('does not know');
  }, 60_000);
});
