import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unsetRoutingWarning } from './retired-routing.js';
import { trainFromConfig } from './train-from-config.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-routing-warnings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A second institution's export: German task names, labels with blanks, `&`, `/` and umlauts; `Rechtsschutz` on 3 rows.
const words: Record<string, string> = { 'Hausrat & Haftpflicht': 'Wasserschaden Wohnung Nachbar', Kfz: 'Auto Unfall Kennzeichen', 'Leben/Rente': 'Rente Auszahlung Police', Rechtsschutz: 'Anwalt Streit Gericht' };
const produkte = [...Array.from({ length: 90 }, (_, i) => ['Hausrat & Haftpflicht', 'Kfz', 'Leben/Rente'][i % 3]), 'Rechtsschutz', 'Rechtsschutz', 'Rechtsschutz'];
const data = path.join(dir, 'export.csv');
writeFileSync(
  data,
  [
    'id,text,Produkt,Anliegen,Dringlichkeit,Kanal',
    ...produkte.map((p, i) => `${i},"${words[p]} Vorgang ${i}","${p}",${i % 2 === 0 ? 'Schaden melden' : 'Vertrag ändern'},${i % 5 === 0 ? 'hoch' : 'normal'},${i % 2 === 0 ? 'E-Mail' : 'Brief'}`),
  ].join('\n'),
);
const config = (routing?: object) => ({
  columns: { id: 'id', body: 'text' },
  tasks: [{ name: 'Produkt' }, { name: 'Anliegen' }, { name: 'Dringlichkeit' }, { name: 'Kanal' }],
  ...(routing ? { routing } : {}),
  model: { epochs: 1, buckets: 2 ** 12, dim: 8 },
});

describe('what training says of the task that routes mail', () => {
  it('warns, when a config of several tasks sets no routing, that the first task routes mail; not with routing set or one task', () => {
    const tasks = config().tasks;
    expect(unsetRoutingWarning({ tasks } as never)).toBe('routing.queueTask is not set: emails are routed by the first task, "Produkt"; set routing.queueTask to choose');
    expect(unsetRoutingWarning({ tasks, routing: { queueTask: 'Anliegen' } } as never)).toBeUndefined();
    expect(unsetRoutingWarning({ tasks: tasks.slice(0, 1) } as never)).toBeUndefined();
  });

  it('says so in the run, still training as before (the first task routes), and names queues with fewer than 5 training rows', async () => {
    const home = path.join(dir, 'home');
    const warnings: string[] = [];
    const trained = await trainFromConfig({ config: config(), dataPath: data, home, logger: { warn: (m) => warnings.push(m) } });
    expect(warnings[0]).toBe('routing.queueTask is not set: emails are routed by the first task, "Produkt"; set routing.queueTask to choose');
    const manifest = JSON.parse(readFileSync(path.join(home, 'models', trained.modelId, 'manifest.json'), 'utf8')) as { routing: unknown };
    expect(manifest.routing).toEqual({ queueTask: 'Produkt' });
    // Rechtsschutz: 3 rows in all, so 1 to 3 of them train; no other Produkt label is that rare.
    expect(warnings.filter((w) => w.includes('fewer than 5 training rows'))).toEqual([expect.stringMatching(/^Produkt routes mail, and its label\(s\) Rechtsschutz \([1-3]\) have fewer than 5 training rows: /)]);

    // With routing set, neither the default is warned of nor another task's rare label: Anliegen routes, and all its labels have rows.
    const quiet: string[] = [];
    await trainFromConfig({ config: config({ queueTask: 'Anliegen' }), dataPath: data, home, logger: { warn: (m) => quiet.push(m) } });
    expect(quiet.filter((w) => w.includes('routing.queueTask') || w.includes('fewer than 5 training rows'))).toEqual([]);
  }, 120_000);
});
