import { forwardLogits } from '@mailroute/model';
import { featurizeHashedBag, HashedNgramsParamsSchema } from '@mailroute/preprocess';
import { describe, expect, it } from 'vitest';
import type { TaskSpec, TrainExample } from './encode.js';
import { mergeMembers } from './ensemble.js';
import { trainNgramBag } from './train.js';

const tasks: TaskSpec[] = [
  { name: 'queue', labels: ['payments', 'kyc'] },
  { name: 'topic', labels: ['sparplan', 'login', 'steuer'] },
];
const texts = ['Überweisung fehlt sparplan', 'Ausweis hochladen login', 'Lastschrift zurück steuer', 'Video-Ident abgebrochen sparplan'];
const rows = (n: number): TrainExample[] =>
  Array.from({ length: n }, (_, i) => ({ text: `${texts[i % 4]} ${i % 3 === 0 ? 'bitte' : 'danke'}`, meta: ['lang=de'], labels: { queue: i % 2, topic: i % 4 === 3 ? 0 : (i % 4) % 3 } }));
const small = { dim: 4, buckets: 2048, epochs: 3, learningRate: 0.3, batchSize: 4, seed: 7 };

describe('ensemble', () => {
  it.each([
    ['multi-task', {}],
    ['with a hidden layer', { hidden: 5 }],
    ['single-task parts', { mode: 'single-task' as const }],
  ])('mergeMembers gives the mean logits of its members (%s)', async (_, extra) => {
    const members = await Promise.all([0, 1, 2].map(async (seed) => (await trainNgramBag({ train: rows(24), valid: rows(8), tasks, params: { ...small, ...extra, seed } })).weights));
    const merged = mergeMembers(members);
    expect(merged.parts[0].dim).toBe(3 * small.dim);
    const params = HashedNgramsParamsSchema.parse({ buckets: small.buckets });
    for (const row of rows(4)) {
      const bag = featurizeHashedBag(row.text, row.meta, params);
      const got = forwardLogits(merged, bag);
      const each = members.map((weights) => forwardLogits(weights, bag));
      for (const task of tasks) {
        const mean = each[0][task.name].map((_, c) => each.reduce((sum, logits) => sum + logits[task.name][c], 0) / each.length);
        got[task.name].forEach((value, c) => expect(value).toBeCloseTo(mean[c], 5));
      }
    }
  });

  it('trains the members with their own seeds and merges them; ensemble 1 is the single model', async () => {
    const input = { train: rows(24), valid: rows(8), tasks };
    const single = await trainNgramBag({ ...input, params: small });
    const other = await trainNgramBag({ ...input, params: { ...small, seed: small.seed + 1000 } });
    const pair = await trainNgramBag({ ...input, params: { ...small, ensemble: 2 } });
    expect((await trainNgramBag({ ...input, params: { ...small, ensemble: 1 } })).weights).toEqual(single.weights);
    expect(pair.weights).toEqual(mergeMembers([single.weights, other.weights]));
    expect(pair.params.ensemble).toBe(2);
    expect(Object.keys(pair.calibration)).toEqual(['queue', 'topic']);
  });
});
