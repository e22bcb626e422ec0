import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { predictDataset } from './predict-dataset.js';
import { trainFromConfig } from './train-from-config.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-dropped-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const words: Record<string, string> = { a: 'Karte gesperrt PIN', b: 'Kredit Zins Rate', other: 'Adresse ändern Umzug', c: 'Erbschaft Nachlass Testament' };
const row = (i: number, label: string) => `${i},${words[label]} Nummer ${i},${label}`;

describe('labels training dropped as rare (rare: "drop")', () => {
  it("are masked in a test file's rows, as in training's own test rows, not scored as other, and said", async () => {
    const data = path.join(dir, 'train.csv');
    const labels = Array.from({ length: 90 }, (_, i) => ['a', 'b', 'other'][i % 3]);
    // One row of c: under minCount 3, dropped; the task has other of its own.
    writeFileSync(data, ['id,body,queue', ...labels.map((l, i) => row(i, l)), row(90, 'c')].join('\n'));
    const test = path.join(dir, 'test.csv');
    writeFileSync(test, ['id,body,queue', row(100, 'c'), row(101, 'c'), row(102, 'a'), row(103, 'b')].join('\n'));
    const config = { columns: { id: 'id', body: 'body' }, tasks: [{ name: 'queue', labels: ['a', 'b', 'c', 'other'], minCount: 3, rare: 'drop' }], model: { epochs: 1, buckets: 2 ** 12, dim: 8 } };
    const warnings: string[] = [];
    const home = path.join(dir, 'home');
    const trained = await trainFromConfig({ config, dataPath: data, testDataPath: test, home, logger: { warn: (m) => warnings.push(m) } });
    // The two c rows have no truth left: two rows tested.
    expect(trained.counts.test).toBe(2);
    expect(warnings).toContainEqual(expect.stringMatching(/^queue: 2 test row\(s\) whose truth is a label the model does not learn \(c x2\) are left out of its test metrics/));
    const predictWarnings: string[] = [];
    const lines = await predictDataset({ model: trained.modelId, dataPath: test, home, labels: 'required', onWarning: (m) => predictWarnings.push(m) });
    expect(lines.map((l) => l.truth.queue)).toEqual([null, null, 'a', 'b']);
    expect(predictWarnings).toContainEqual(expect.stringMatching(/^queue: 2 row\(s\) whose truth is a label model \S+ does not know \(c x2\)/));
    // A label no training row had stays `other` for a model with other.
    writeFileSync(test, ['id,body,queue', row(104, 'd')].join('\n'));
    const unseen = await predictDataset({ model: trained.modelId, dataPath: test, home, config: { ...config, tasks: [{ ...config.tasks[0], labels: ['a', 'b', 'c', 'd', 'other'] }] }, labels: 'required' });
    expect(unseen.map((l) => l.truth.queue)).toEqual(['other']);
  }, 120_000);

  it('shows a test label cell that is no plain label masked, as a bad row\'s is (a task without labels reads any cell; training\'s output is kept)', async () => {
    const data = path.join(dir, 'open-train.csv');
    writeFileSync(data, ['id,body,queue', ...Array.from({ length: 60 }, (_, i) => row(i, ['a', 'b'][i % 2]))].join('\n'));
    const test = path.join(dir, 'open-test.csv');
    writeFileSync(test, ['id,body,queue', row(100, 'a'), row(101, 'b'), '102,Erbschaft Nachlass,Kunde Anna Schmidt Tel 0171 2345678'].join('\n'));
    const config = { columns: { id: 'id', body: 'body' }, tasks: [{ name: 'queue', minCount: 1 }], model: { epochs: 1, buckets: 2 ** 12, dim: 8 } };
    const warnings: string[] = [];
    await trainFromConfig({ config, dataPath: data, testDataPath: test, home: path.join(dir, 'open-home'), logger: { warn: (m) => warnings.push(m) } });
    expect(warnings).toContainEqual(expect.stringMatching(/^queue: 1 test row\(s\) whose truth is a label the model does not learn \(Kunde Anna Schmidt Tel \[PHONE\] x1\)/));
    expect(warnings.join('\n')).not.toContain('0171');
  }, 120_000);
});
