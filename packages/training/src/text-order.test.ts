import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TaskConfigSchema } from './config.js';
import type { DatasetRow } from './data/dataset.js';
import { renamedOverTimeWarnings } from './data/renamed-over-time.js';
import { finaliseTaskLabels } from './taxonomy.js';
import { byCodeUnits, byLabel } from './text-order.js';
import { listRuns } from './tracking/run-record.js';

/** `localeCompare` without a locale as a machine set to `locale` answers it (Swedish sorts `ä` after `z`, Danish `B` before `b`). */
function onMachineOf(locale: string): void {
  const collator = new Intl.Collator(locale);
  vi.spyOn(String.prototype, 'localeCompare').mockImplementation(function (this: string, that: string, locales?: Intl.LocalesArgument) {
    return locales === undefined ? collator.compare(String(this), that) : new Intl.Collator(locales).compare(String(this), that);
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

const row = (label: string, day: number): DatasetRow => ({ id: `${label}-${day}`, file: 'f', line: day, email: {}, labels: { queue: label }, dedupeKey: `${label}-${day}`, time: Date.UTC(2026, 0, day) });
const rows = (label: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => row(label, from + i));

describe('orders that training prints and records', () => {
  it('are the same whatever the locale of the machine', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-order-'));
    // Two runs started in the same second: listed by id.
    for (const runId of ['run-a', 'run-B']) {
      mkdirSync(path.join(home, 'runs', runId), { recursive: true });
      const record = { runId, status: 'finished', startedAt: '2026-11-30T05:00:00Z', finishedAt: '2026-11-30T05:01:00Z', gitCommit: null, config: {}, dataPaths: [], epochs: [] };
      writeFileSync(path.join(home, 'runs', runId, 'run.json'), JSON.stringify(record));
    }
    const task = TaskConfigSchema.parse({ name: 'queue' });
    const seen = [];
    for (const locale of ['en', 'sv', 'da']) {
      onMachineOf(locale);
      // Labels equal but for case, on as many rows each; labels that end on the same day.
      const lookalikes = finaliseTaskLabels(task, ['billing', 'Billing', 'billing', 'Billing'], { renamed: {}, retired: 0, missing: 0 }).report.lookalikes;
      const renamed = renamedOverTimeWarnings([...rows('payments', 1, 40), ...rows('zins', 1, 20), ...rows('ärger', 1, 20), ...rows('neu', 21, 40)], [task]);
      const runs = (await listRuns(home)).map((r) => r.runId);
      seen.push({ lookalikes, renamed, runs });
      vi.restoreAllMocks();
    }
    expect(seen[0]).toEqual({
      lookalikes: [[['billing', 2], ['Billing', 2]]],
      renamed: [expect.stringMatching(/^queue: "ärger" \(20 rows, until 2026-01-20\), "zins" \(20 rows, until 2026-01-20\) end before "neu"/)],
      runs: ['run-a', 'run-B'],
    });
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
    rmSync(home, { recursive: true, force: true });
  });

  it("are English's for labels (as most machines printed them before), UTF-16 code units' for ids and times", () => {
    expect(['zins', 'Billing', 'ärger', 'billing'].sort(byLabel)).toEqual(['ärger', 'billing', 'Billing', 'zins']);
    expect(['ä', 'z', 'b', 'B', 'Z'].sort(byCodeUnits)).toEqual(['B', 'Z', 'b', 'z', 'ä']);
    expect(byCodeUnits('a', 'a')).toBe(0);
  });
});
