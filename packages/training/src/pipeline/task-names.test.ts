import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { predictDataset } from './predict-dataset.js';
import { trainFromConfig } from './train-from-config.js';

const words = ['tax', 'payment', 'login', 'card'];
const row = (i: number) => `${i},${words[i % 4]} question number ${i} about ${words[i % 4]},${words[i % 4]},${i % 3 ? 'x' : 'y'}`;

describe('tasks named like members of every JavaScript object', () => {
  it('train, export and predict as any other: a task named constructor whose rare labels are dropped merged nothing', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-task-names-'));
    const data = path.join(tmp, 'train.csv');
    writeFileSync(data, ['id,body,queue,area', ...Array.from({ length: 80 }, (_, i) => row(i))].join('\n'));
    const home = path.join(tmp, 'home');
    const tasks = [{ name: 'queue' }, { name: 'constructor', column: 'area', rare: 'drop' }, { name: 'hasOwnProperty', column: 'area', minCount: 30 }];
    const config = { columns: { id: 'id', body: 'body' }, tasks, model: { epochs: 1, buckets: 2 ** 12, dim: 8 } };
    // The manifest's merged labels were read as `mergedIntoOther[task]`: Object's own function for `constructor`,
    // which is not iterable, so training failed with a TypeError once the model was trained.
    const result = await trainFromConfig({ config, dataPath: data, home });
    const manifest = JSON.parse(readFileSync(path.join(result.artifactDir, 'manifest.json'), 'utf8'));
    expect(manifest.tasks.map((t: { name: string; mergedIntoOther?: string[] }) => [t.name, t.mergedIntoOther])).toEqual([
      ['queue', undefined],
      ['constructor', undefined],
      ['hasOwnProperty', ['y']],
    ]);
    const lines = await predictDataset({ model: result.modelId, dataPath: data, home });
    expect(lines).toHaveLength(80);
    expect(lines[0].truth).toEqual({ queue: 'tax', constructor: 'y', hasOwnProperty: 'other' });
    // Read with a config that has a task the model lacks, named `constructor`: the model's labels of that task were
    // looked up as `fixedLabels.constructor`, Object's own function, and reading the data failed with a TypeError.
    const queueModel = await trainFromConfig({ config: { ...config, tasks: [{ name: 'queue' }] }, dataPath: data, home });
    const more = await predictDataset({ model: queueModel.modelId, dataPath: data, home, labels: 'required', config });
    expect(more.map((l) => l.truth)).toEqual(lines.map((l) => ({ queue: l.truth.queue })));
    // And the other way: a config that lacks the model's task `constructor` read that task's truth as Object's own
    // function, and the prediction lines failed to parse (a ZodError).
    const fewer = await predictDataset({ model: result.modelId, dataPath: data, home, config: { ...config, tasks: [{ name: 'queue' }] } });
    expect(fewer.map((l) => l.truth)).toEqual(lines.map((l) => ({ queue: l.truth.queue, constructor: null, hasOwnProperty: null })));
  }, 120_000);
});
