import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { loadDataset } from '../data/dataset.js';
import { retiredRoutingRows, retiredRoutingRowsOf, retiredRoutingWarnings } from './retired-routing.js';
import { trainFromConfig } from './train-from-config.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-retired-routing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const words: Record<string, string> = { cards: 'Karte gesperrt PIN', loans: 'Kredit Zins Rate', complaints: 'Beschwerde unzufrieden Ärger', beschwerde: 'Beschwerde Service schlecht' };
const row = (i: number, queue: string, topic: string) => `${i},${words[queue]} Nummer ${i},${queue},${topic}`;
const data = path.join(dir, 'train.csv');
// 60 rows of two live queues, 12 of the retired `complaints` and 3 under its old name `beschwerde` (an alias of it).
const queues = [...Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? 'cards' : 'loans')), ...Array<string>(12).fill('complaints'), ...Array<string>(3).fill('beschwerde')];
writeFileSync(data, ['id,body,queue,topic', ...queues.map((q, i) => row(i, q, i % 2 === 0 ? 'x' : 'y'))].join('\n'));

const task = (more: object) => ({ name: 'queue', labels: ['cards', 'loans'], aliases: { beschwerde: 'complaints' }, ...more });
const config = (queue: object, routing = { queueTask: 'queue' }) => ({
  columns: { id: 'id', body: 'body' },
  tasks: [task(queue), { name: 'topic' }],
  routing,
  model: { epochs: 1, buckets: 2 ** 12, dim: 8 },
});

describe('rows that carry a retired label of the task that routes mail', () => {
  it('are counted per retired label, an alias of it counted as it', async () => {
    const read = parseTrainingConfig(config({ retired: ['complaints'] }), 'config');
    const { taxonomy } = await loadDataset(data, read);
    expect(taxonomy.find((t) => t.task === 'queue')?.retiredLabels).toEqual({ complaints: 15 });
    expect(retiredRoutingRows(taxonomy, read)).toEqual({ task: 'queue', rows: { complaints: 15 }, hasOther: false });
    // The same label retired in a task that routes nothing is no routing problem.
    const topicRoutes = parseTrainingConfig(config({ retired: ['complaints'] }, { queueTask: 'topic' }), 'config');
    expect(retiredRoutingRows((await loadDataset(data, topicRoutes)).taxonomy, topicRoutes)).toBeUndefined();
  });

  it('make training warn, for a split label, that retiring it is right, and else that such mail will be routed to other queues; and the manifest keep it', async () => {
    const warnings: string[] = [];
    const home = path.join(dir, 'home');
    const trained = await trainFromConfig({ config: config({ retired: ['complaints'] }), dataPath: data, home, logger: { warn: (m) => warnings.push(m) } });
    const said = warnings.filter((w) => w.includes('retired queue label'));
    expect(said).toEqual([
      '15 row(s) carry the retired queue label "complaints": if its mail now belongs to other labels (split, or taken over by another queue), retiring it is right and these rows train the other tasks only; if no queue takes such mail any more, the model will route it to other queues, often confidently: to send it to manual triage, alias it to "other" instead ("aliases": { "complaints": "other" }, with "other" added to its labels). queue is the task that routes mail, and rows of a retired label are masked for it: the model learns no queue for such mail, and its threshold is chosen without it',
    ]);
    const manifest = JSON.parse(readFileSync(path.join(home, 'models', trained.modelId, 'manifest.json'), 'utf8')) as { training: Record<string, unknown> };
    expect(manifest.training.retiredRoutingRows).toEqual({ task: 'queue', rows: { complaints: 15 }, hasOther: false });
    // Read back as written (compare reads it to keep the warning with the gate); nothing from a record of another shape.
    expect(retiredRoutingRowsOf(manifest)).toEqual({ task: 'queue', rows: { complaints: 15 }, hasOther: false });
    expect(retiredRoutingRowsOf({ training: { retiredRoutingRows: { task: 'queue', rows: { complaints: -1 }, hasOther: false } } })).toBeUndefined();
    expect(retiredRoutingRowsOf(undefined)).toBeUndefined();
    expect(retiredRoutingWarnings({ task: 'queue', rows: { complaints: 15 }, hasOther: true }, 'challenger')[0]).toMatch(/^challenger: 15 training row\(s\) carry .* instead \("aliases": \{ "complaints": "other" \}\)\. /);

    // Aliased into `other` instead: the rows train `other`, whose mail goes to manual triage; nothing to warn of.
    const quiet: string[] = [];
    const other = await trainFromConfig({
      config: config({ labels: ['cards', 'loans', 'other'], aliases: { beschwerde: 'complaints', complaints: 'other' } }),
      dataPath: data,
      home,
      logger: { warn: (m) => quiet.push(m) },
    });
    expect(quiet.filter((w) => w.includes('retired'))).toEqual([]);
    const kept = JSON.parse(readFileSync(path.join(home, 'models', other.modelId, 'manifest.json'), 'utf8')) as { training: Record<string, unknown> };
    expect(kept.training.retiredRoutingRows).toBeUndefined();
  }, 120_000);

  it('make training warn of labels of that task under minCount and dropped ("rare": "drop") alike, and the manifest keep them', async () => {
    // complaints (15 rows with its old name) is a label now, but under minCount 20: dropped, so masked for the queue.
    const dropping = config({ labels: ['cards', 'loans', 'complaints'], minCount: 20, rare: 'drop' });
    const read = parseTrainingConfig(dropping, 'config');
    const expected = { task: 'queue', rows: {}, hasOther: false, dropped: { complaints: 15 } };
    expect(retiredRoutingRows((await loadDataset(data, read)).taxonomy, read)).toEqual(expected);
    const warnings: string[] = [];
    const home = path.join(dir, 'home-dropped');
    const trained = await trainFromConfig({ config: dropping, dataPath: data, home, logger: { warn: (m) => warnings.push(m) } });
    expect(warnings.filter((w) => w.includes('"rare": "drop"'))).toEqual([
      '15 row(s) carry the queue label "complaints", under minCount and dropped ("rare": "drop"): the model will route such mail to other queues, often confidently; to send it to manual triage, merge rare labels into "other" instead ("rare": "other"). queue is the task that routes mail, and rows of a dropped label are masked for it: the model learns no queue for such mail, and its threshold is chosen without it',
    ]);
    const manifest = JSON.parse(readFileSync(path.join(home, 'models', trained.modelId, 'manifest.json'), 'utf8')) as { training: Record<string, unknown> };
    expect(manifest.training.retiredRoutingRows).toEqual(expected);
    // compare reads it back and repeats the warning for the challenger.
    expect(retiredRoutingWarnings(retiredRoutingRowsOf(manifest), 'challenger')).toEqual([expect.stringMatching(/^challenger: 15 training row\(s\) carry the queue label "complaints", under minCount and dropped/)]);
    // Merged into `other` instead ("rare": "other", the default): nothing to warn of, nothing kept.
    const merging = parseTrainingConfig(config({ labels: ['cards', 'loans', 'complaints'], minCount: 20 }), 'config');
    expect(retiredRoutingRows((await loadDataset(data, merging)).taxonomy, merging)).toBeUndefined();
  }, 120_000);
});
