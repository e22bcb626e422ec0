import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { predictDataset } from './predict-dataset.js';
import { trainFromConfig } from './train-from-config.js';

describe('a time split with --on-bad-row skip over rows without a received time', () => {
  it('trains without them, counts them as bad rows, and --split test finds the held-out rows again', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-time-skip-'));
    const data = path.join(tmp, 'train.csv');
    const words = ['card blocked pin', 'loan rate credit'];
    // Every tenth row has no received time.
    const lines = Array.from({ length: 90 }, (_, i) => `${i},${words[i % 2]} number ${i},${i % 2 ? 'a' : 'b'},${i % 10 === 3 ? '' : `2026-10-${String(1 + (i % 28)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:00:00Z`}`);
    writeFileSync(data, ['id,body,queue,received', ...lines].join('\n'));
    const config = {
      columns: { id: 'id', body: 'body', receivedAt: 'received' },
      tasks: [{ name: 'queue' }],
      split: { kind: 'time', testShare: 0.2, validShare: 0.1 },
      onBadRow: 'skip',
      model: { epochs: 1, buckets: 2 ** 12, dim: 8 },
    };
    const home = path.join(tmp, 'home');
    const warnings: string[] = [];
    const result = await trainFromConfig({ config, dataPath: data, home, logger: { warn: (m) => warnings.push(m) } });
    expect(result.counts).toMatchObject({ read: 90, badRows: 9, rows: 81 });
    expect(warnings).toContainEqual(expect.stringMatching(/^9 bad row\(s\) skipped \(9 problems\): \S*train\.csv lines 5, 15, .*column "received" \(4\): no received time/));
    const heldOut = await predictDataset({ model: result.modelId, dataPath: data, home, split: 'test' });
    expect(heldOut).toHaveLength(result.counts.test);
  }, 240_000);
});
