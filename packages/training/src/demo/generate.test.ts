import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../data/dataset.js';
import { TAXONOMY_CHANGE, TOPICS } from './catalog.js';
import { loadDemoConfig } from './demo-config.js';
import { demoRowsToCsv, generateDemoRows, writeDemoData } from './generate.js';
import { ibanIsValid, inventCardNumber, inventIban, luhnIsValid } from './noise.js';
import { createRandom } from '../random.js';

describe('demo data', () => {
  it('is the same for the same seed and differs for another', () => {
    const a = demoRowsToCsv(generateDemoRows({ rows: 300, seed: 1 }));
    expect(demoRowsToCsv(generateDemoRows({ rows: 300, seed: 1 }))).toBe(a);
    expect(demoRowsToCsv(generateDemoRows({ rows: 300, seed: 2 }))).not.toBe(a);
  });

  it('writes invented IBANs that pass mod-97 and card numbers that pass Luhn', () => {
    const random = createRandom(3);
    for (let i = 0; i < 200; i++) {
      expect(ibanIsValid(inventIban(random))).toBe(true);
      expect(luhnIsValid(inventCardNumber(random))).toBe(true);
    }
    expect(ibanIsValid('DE00 1234 5678 9012 3456 78')).toBe(false);
    const text = generateDemoRows({ rows: 2000 }).map((r) => r.body + r.html).join('\n');
    const ibans = text.match(/DE\d{2}(?: \d{4}){4} \d{2}/g) ?? [];
    expect(ibans.length).toBeGreaterThan(50);
    expect(ibans.every(ibanIsValid)).toBe(true);
  });

  it('has the noise of real mail: quotes in both languages, HTML, old label names, missing labels', () => {
    const rows = generateDemoRows({ rows: 3000 });
    const bodies = rows.map((r) => r.body);
    expect(bodies.some((b) => /\nAm \d\d\.\d\d\.\d{4} um \d\d:\d\d schrieb .*:\n>/.test(b))).toBe(true);
    expect(bodies.some((b) => /\nOn \w{3}, \d+ \w{3} \d{4} at \d\d:\d\d, .* wrote:\n>/.test(b))).toBe(true);
    const html = rows.filter((r) => r.html !== '');
    expect(html.length / rows.length).toBeGreaterThan(0.08);
    expect(html.every((r) => r.body === '' && r.html.includes('<p>'))).toBe(true);
    expect(rows.some((r) => r.queue === 'kyc')).toBe(true);
    expect(rows.some((r) => r.topic === '')).toBe(true);
    const de = rows.filter((r) => r.language === 'de').length / rows.length;
    expect(de).toBeGreaterThan(0.5);
    expect(de).toBeLessThan(0.7);
  });

  it('keeps labels consistent: a topic implies its queue mostly', () => {
    const rows = generateDemoRows({ rows: 4000 });
    for (const spec of TOPICS) {
      // Only mail after the taxonomy change carries today's label names.
      const mine = rows.filter((r) => r.topic === spec.topic && Date.parse(r.receivedAt) >= TAXONOMY_CHANGE);
      expect(mine.length, spec.topic).toBeGreaterThan(10);
      const main = spec.queues[0][0];
      const share = mine.filter((r) => r.queue === main).length / Math.max(1, mine.length);
      expect(share, spec.topic).toBeGreaterThan(spec.queues[0][1] - 0.15);
    }
  });

  it('generates several thousand rows quickly and loads with the demo config', async () => {
    const t = performance.now();
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-demo-')), 'demo.csv');
    const n = await writeDemoData(file, { rows: 4000 });
    expect(performance.now() - t).toBeLessThan(3000);
    const ds = await loadDataset(file, await loadDemoConfig());
    expect(ds.skipped).toEqual([]);
    expect(ds.rows.length + ds.unlabelled).toBe(n);
    const queue = ds.taxonomy.find((t) => t.task === 'queue');
    expect(queue?.labels).toHaveLength(9);
    expect(queue?.renamed['kyc -> onboarding_kyc']).toBeGreaterThan(0);
    const topic = ds.taxonomy.find((t) => t.task === 'topic');
    expect(topic?.retired).toBeGreaterThan(0);
    expect(topic?.labels).toContain('login_2fa');
    expect(topic?.labels).not.toContain('2fa');
  });
});
