import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalRegistry } from '@mailroute/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predictDataset } from './predict-dataset.js';
import { trainFromConfig } from './train-from-config.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-unknown-other-'));
const home = path.join(dir, 'home');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const words: Record<string, string> = {
  cards: 'Karte gesperrt PIN',
  billing: 'Rechnung Zahlung Lastschrift',
  hr: 'Bewerbung Gehalt Urlaub',
  inheritance: 'Erbschaft Nachlass Testament',
};
const textOf = (label: string) => words[label.toLowerCase()] ?? words.billing;
const csv = (labels: readonly string[]) => ['id,body,queue', ...labels.map((l, i) => `${i},${textOf(l)} Nummer ${i},${l}`)].join('\n');
// No list of labels, minCount 5: inheritance (3 rows) is merged into other at training, so the model has other.
const config = { columns: { id: 'id', body: 'body' }, tasks: [{ name: 'queue', minCount: 5 }], model: { epochs: 1, buckets: 2 ** 12, dim: 8 } };
let modelId = '';

beforeAll(async () => {
  const data = path.join(dir, 'train.csv');
  writeFileSync(data, csv([...Array.from({ length: 90 }, (_, i) => ['cards', 'billing', 'hr'][i % 3]), 'inheritance', 'inheritance', 'inheritance']));
  modelId = (await trainFromConfig({ config, dataPath: data, home })).modelId;
}, 120_000);

describe('truths under a label a model with other does not know', () => {
  it('are scored as other and said, with the alias hint; not a label merged into other at training, nor one the config given renames', async () => {
    const manifest = JSON.parse(readFileSync(path.join(await createLocalRegistry({ home }).artifactDir(modelId), 'manifest.json'), 'utf8')) as { tasks: Array<{ labels: string[]; mergedIntoOther?: string[] }> };
    expect(manifest.tasks[0].labels).toContain('other');
    expect(manifest.tasks[0].mergedIntoOther).toEqual(['inheritance']);
    const test = path.join(dir, 'renamed.csv');
    // "Billing" (another spelling in a newer export) and a wholly new label; inheritance is rightly other.
    writeFileSync(test, csv(['cards', 'Billing', 'Billing', 'brand_new', 'inheritance', 'hr']));
    const warnings: string[] = [];
    const lines = await predictDataset({ model: modelId, dataPath: test, home, labels: 'required', onWarning: (m) => warnings.push(m) });
    expect(lines.map((l) => l.truth.queue)).toEqual(['cards', 'other', 'other', 'other', 'other', 'hr']);
    const said = warnings.filter((w) => w.includes('does not know'));
    expect(said).toEqual([
      `queue: 3 row(s) whose truth is a label model ${modelId} does not know (Billing x2, brand_new x1) are scored as truth other (their truth is other in the prediction lines), though its training merged no such label into other: its answers under a label of its own count as misses; if "Billing" is the new name of one of the model's labels, pass --config <a training config whose aliases rename that label to it (the newer taxonomy's config)>, e.g. with "aliases": {"billing": "Billing"} in task queue; if it is mail the model rightly sends to other, "aliases": {"Billing": "other"} says so`,
    ]);
    expect(said[0]).not.toContain('inheritance');
    // A label merged into other at training is rightly other: nothing to say.
    const merged = path.join(dir, 'merged.csv');
    writeFileSync(merged, csv(['cards', 'inheritance', 'billing']));
    const quiet: string[] = [];
    const mergedLines = await predictDataset({ model: modelId, dataPath: merged, home, labels: 'required', onWarning: (m) => quiet.push(m) });
    expect(mergedLines.map((l) => l.truth.queue)).toEqual(['cards', 'other', 'billing']);
    expect(quiet.join('\n')).not.toContain('does not know');
    // With the alias the hint gives, in the config given, the truths are scored under the model's label.
    const renamed = path.join(dir, 'renamed2.csv');
    writeFileSync(renamed, csv(['cards', 'Billing']));
    const given = { ...config, tasks: [{ name: 'queue', minCount: 5, aliases: { Billing: 'billing' } }] };
    const fixed: string[] = [];
    const scored = await predictDataset({ model: modelId, dataPath: renamed, home, config: given, configFile: 'cfg.json', onWarning: (m) => fixed.push(m) });
    expect(scored.map((l) => l.truth.queue)).toEqual(['cards', 'billing']);
    expect(fixed.join('\n')).not.toContain('does not know');
  }, 60_000);

  it('say, of a model that does not record the labels it merged into other, that some may be such', async () => {
    const old = path.join(dir, 'old-model');
    cpSync(await createLocalRegistry({ home }).artifactDir(modelId), old, { recursive: true });
    const manifestFile = path.join(old, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { tasks: Array<Record<string, unknown>>; training: Record<string, unknown> };
    // As written before manifests kept mergedIntoOther (and training.dataHashOf, which came after it).
    for (const task of manifest.tasks) delete task.mergedIntoOther;
    delete manifest.training.dataHashOf;
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const test = path.join(dir, 'old.csv');
    writeFileSync(test, csv(['cards', 'inheritance']));
    const warnings: string[] = [];
    await predictDataset({ model: old, dataPath: test, home, labels: 'required', onWarning: (m) => warnings.push(m) });
    expect(warnings).toContainEqual(
      expect.stringContaining(
        `queue: 1 row(s) whose truth is a label model ${modelId} does not know (inheritance x1) are scored as truth other (their truth is other in the prediction lines), though model ${modelId} was trained before mailroute recorded which labels it merged into other for being rare, so some may be such labels, rightly other:`,
      ),
    );
  }, 60_000);
});
