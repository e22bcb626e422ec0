import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predictDataset } from './predict-dataset.js';
import { trainFromConfig } from './train-from-config.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-retired-truths-'));
const home = path.join(dir, 'home');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const words: Record<string, string> = { cards: 'Karte gesperrt PIN', payments: 'Lastschrift Zahlung', transfers_abroad: 'Auslandsüberweisung SWIFT', payments_transfers: 'Überweisung Zahlung' };
const csv = (labels: readonly string[]) => ['id,body,queue', ...labels.map((l, i) => `${i},${words[l]} Nummer ${i},${l}`)].join('\n');
// `payments_transfers` was split into `payments` and `transfers_abroad`, and retired.
const config = {
  columns: { id: 'id', body: 'body' },
  tasks: [{ name: 'queue', labels: ['cards', 'payments', 'transfers_abroad'], retired: ['payments_transfers'] }],
  model: { epochs: 1, buckets: 2 ** 12, dim: 8 },
};
let modelId = '';

beforeAll(async () => {
  const data = path.join(dir, 'train.csv');
  writeFileSync(data, csv(Array.from({ length: 90 }, (_, i) => ['cards', 'payments', 'transfers_abroad'][i % 3])));
  modelId = (await trainFromConfig({ config, dataPath: data, home })).modelId;
}, 120_000);

describe('truths under a label the config retires (an export from before a split)', () => {
  it('are masked and said with the label and its count, naming the config that retires it', async () => {
    const test = path.join(dir, 'old.csv');
    writeFileSync(test, csv(['cards', 'payments_transfers', 'payments_transfers', 'payments']));
    const warnings: string[] = [];
    const lines = await predictDataset({ model: modelId, dataPath: test, home, labels: 'required', onWarning: (m) => warnings.push(m) });
    expect(lines.map((l) => l.truth.queue)).toEqual(['cards', null, null, 'payments']);
    expect(warnings).toContain(
      `queue: 2 row(s) carry a label model ${modelId}'s training config retires (payments_transfers x2): masked, as training masks them, so their truth is blank in the prediction lines and they are left out of its metrics; the model predicts a label of task queue for them all the same`,
    );
    // Read with a config given (--config), that one is named.
    const given: string[] = [];
    await predictDataset({ model: modelId, dataPath: test, home, config, configFile: 'new.json', onWarning: (m) => given.push(m) });
    expect(given).toContainEqual(expect.stringMatching(/^queue: 2 row\(s\) carry a label new\.json retires \(payments_transfers x2\): masked/));
    // Nothing retired here: nothing said.
    const quiet: string[] = [];
    writeFileSync(test, csv(['cards', 'payments']));
    await predictDataset({ model: modelId, dataPath: test, home, onWarning: (m) => quiet.push(m) });
    expect(quiet.join('\n')).not.toContain('retires');
  }, 60_000);
});
