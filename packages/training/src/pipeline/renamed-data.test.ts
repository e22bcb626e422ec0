import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { loadDataset } from '../data/dataset.js';
import { splitDataset } from '../data/split.js';
import { loadDemoConfig } from '../demo/demo-config.js';
import { writeDemoData } from '../demo/generate.js';
import { prepareModelRows, rowsFingerprint } from './model-rows.js';
import { predictDataset } from './predict-dataset.js';
import { trainFromConfig } from './train-from-config.js';

const SMALL = { epochs: 3, buckets: 2 ** 12, dim: 16, patience: 2 };

describe('training data without an id column, under another file name', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-renamed-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('is the same data: --split test finds the held-out rows and predict marks the rows seen in training', async () => {
    const home = path.join(tmp, 'home');
    const data = path.join(tmp, 'export.csv');
    await writeDemoData(data, { rows: 300, seed: 3 });
    const demo = await loadDemoConfig();
    // Rows take their ids from the file's name and line when the config names no id column.
    const { id: _id, ...columns } = demo.columns;
    const config = { ...demo, columns, model: SMALL };
    const trained = await trainFromConfig({ config, dataPath: data, home });
    const renamed = path.join(tmp, 'export-2026-11.csv');
    copyFileSync(data, renamed);

    const heldOut = await predictDataset({ model: trained.modelId, dataPath: renamed, home, split: 'test' });
    expect(heldOut).toHaveLength(trained.counts.test);
    const all = await predictDataset({ model: trained.modelId, dataPath: renamed, home });
    expect(all.filter((p) => p.meta?.seenInTraining === true).length).toBeGreaterThanOrEqual(trained.counts.train + trained.counts.valid);

    // A model trained before the hashes left such ids out recorded them with the file's name: the file under its
    // name of training still matches, and the renamed one is refused with a message that says why.
    const parsed = parseTrainingConfig(config);
    const dataset = await loadDataset(data, parsed);
    const prepared = prepareModelRows(dataset.rows, JSON.parse(readFileSync(path.join(trained.artifactDir, 'manifest.json'), 'utf8')).featurizer.params);
    const test = splitDataset(prepared.rows, parsed.split, { keys: prepared.keys }).test;
    const older = path.join(tmp, 'older');
    cpSync(trained.artifactDir, older, { recursive: true });
    const manifest = JSON.parse(readFileSync(path.join(older, 'manifest.json'), 'utf8'));
    const { dataHashOf, ...training } = manifest.training;
    expect(dataHashOf).toBe('rows');
    expect(dataset.namedDataHash).not.toBe(dataset.dataHash);
    writeFileSync(path.join(older, 'manifest.json'), JSON.stringify({ ...manifest, dataHash: dataset.namedDataHash, training: { ...training, testRowsFingerprint: rowsFingerprint(test, { named: true }) } }));
    expect(await predictDataset({ model: older, dataPath: data, home, split: 'test' })).toHaveLength(trained.counts.test);
    await expect(predictDataset({ model: older, dataPath: renamed, home, split: 'test' })).rejects.toThrow(/or renamed: this model, trained by an older mailroute, counts the file's name, so give it its name of training/);
  }, 120_000);
});
