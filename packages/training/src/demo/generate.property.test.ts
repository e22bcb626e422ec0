/**
 * Property test of the demo data over seeds: the same seed gives the same rows (and more rows begin with the
 * fewer), every row is one the demo config reads as a good row, with its labels in the demo taxonomy (or an old
 * name an alias renames, the retired topic, or blank), and the CSV and JSONL files load back to the same rows.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../data/dataset.js';
import { resolveLabel } from '../taxonomy.js';
import { TOPICS } from './catalog.js';
import { loadDemoConfig } from './demo-config.js';
import { generateDemoRows, writeDemoData } from './generate.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-demo-property-'));
const seed = fc.oneof(fc.nat(), fc.constantFrom(0, 42, 2 ** 31, 2 ** 32 - 1));

describe('demo data (property)', () => {
  it('is the same for a seed, and more rows begin with the fewer', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 1, max: 60 }), fc.boolean(), (s, n, topicNoise) => {
        const rows = generateDemoRows({ rows: n, seed: s, topicNoise });
        expect(rows).toHaveLength(n);
        expect(generateDemoRows({ rows: n, seed: s, topicNoise })).toEqual(rows);
        expect(generateDemoRows({ rows: n + 7, seed: s, topicNoise }).slice(0, n)).toEqual(rows);
      }),
      { seed: 6, numRuns: 60 },
    );
  });

  it('writes rows with text, a time and labels that the demo config reads (today\'s, renamed, retired or blank)', async () => {
    const config = await loadDemoConfig();
    const topics = new Set(TOPICS.map((t) => t.topic));
    fc.assert(
      fc.property(seed, (s) => {
        const rows = generateDemoRows({ rows: 150, seed: s });
        expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
        for (const row of rows) {
          expect(`${row.subject}${row.body}${row.html}`.trim(), row.id).not.toBe('');
          expect(new Date(row.receivedAt).toISOString()).toBe(row.receivedAt);
          for (const task of config.tasks) {
            const resolved = resolveLabel(task, row[task.name as 'queue' | 'topic' | 'business_area']);
            expect(['label', 'missing', 'retired'], `${row.id} ${task.name}`).toContain(resolved.kind);
            if (task.name === 'topic' && resolved.kind === 'label') expect(topics).toContain(resolved.label);
          }
          expect(resolveLabel(config.tasks[1], row.queue).kind, row.id).toBe('label');
        }
      }),
      { seed: 7, numRuns: 25 },
    );
  });

  it('loads back from CSV and JSONL as the rows it wrote, none bad', async () => {
    const config = await loadDemoConfig();
    await fc.assert(
      fc.asyncProperty(seed, fc.constantFrom('csv', 'jsonl'), async (s, ext) => {
        const file = path.join(dir, `demo-${s}.${ext}`);
        const n = await writeDemoData(file, { rows: 80, seed: s });
        const ds = await loadDataset(file, config, { keepUnlabelled: true });
        expect(ds.skipped).toEqual([]);
        expect(ds.read).toBe(n);
        const rows = generateDemoRows({ rows: 80, seed: s });
        expect(ds.rows.map((r) => [r.id, r.email.subject ?? '', r.email.body ?? '', r.email.html ?? '', r.email.receivedAt])).toEqual(
          rows.map((r) => [r.id, r.subject, r.body, r.html, r.receivedAt]),
        );
      }),
      { seed: 8, numRuns: 12 },
    );
  });
});
