import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDemoConfig } from '../demo/demo-config.js';
import { writeDemoData } from '../demo/generate.js';
import { trainFromConfig } from './train-from-config.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-stop-clean-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('trainFromConfig, stopped while it cleans the rows', () => {
  it('acts on an abort that comes while the rows are cleaned, long before the last is cleaned', async () => {
    const data = path.join(dir, 'demo.csv');
    const rows = await writeDemoData(data, { rows: 4000, seed: 2 });
    const controller = new AbortController();
    let cleaned = 0;
    const run = trainFromConfig({
      config: await loadDemoConfig(),
      dataPath: data,
      home: path.join(dir, 'home'),
      signal: controller.signal,
      onProgress: (done, _total, label) => {
        if (label !== 'clean') return;
        // A Ctrl-C from outside, at the first report: its handler runs only once the cleaning gives the event loop a turn.
        if (cleaned === 0) setTimeout(() => controller.abort(new Error('Ctrl-C')), 0);
        cleaned = done;
      },
    });
    await expect(run).rejects.toThrow('Ctrl-C');
    expect(cleaned).toBeGreaterThan(0);
    // Cleaning 4,000 rows takes far more than the turn (tens of milliseconds) after which the abort is heard.
    expect(cleaned).toBeLessThan(rows / 2);
  }, 60_000);
});
