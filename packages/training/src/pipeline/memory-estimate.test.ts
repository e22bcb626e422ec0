import { truncateSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportHeapWarning, heapWarning, HEAP_BYTES_PER_EXPORT_BYTE } from './memory-estimate.js';
import { tempFiles } from '../test-support/temp-files.js';

const { dir, file } = tempFiles('mailroute-memory-');
const MB = 1024 ** 2;
const GB = 1024 ** 3;

describe('heapWarning', () => {
  it('says nothing while the export fits the heap, and names the way round it when it may not', () => {
    expect(heapWarning(100 * MB, 4 * GB)).toBeUndefined();
    expect(heapWarning(0, 4 * GB)).toBeUndefined();
    expect(heapWarning(23 * MB, 256 * MB)).toMatch(/^the export \(23 MB\) may need about 322 MB of memory to train on, more than this Node's heap may grow to \(256 MB\)/);
    expect(heapWarning(291 * MB, 2 * GB)).toBe(
      'the export (291 MB) may need about 4.0 GB of memory to train on, more than this Node\'s heap may grow to (2.0 GB): if the training ends in "JavaScript heap out of memory", give Node more (NODE_OPTIONS=--max-old-space-size=5120, on a machine with that much memory free) or train on a sample of the rows (the newest months)',
    );
    // The edge: 90% of the heap.
    const limit = 2 * GB;
    expect(heapWarning(Math.floor((limit * 0.9) / HEAP_BYTES_PER_EXPORT_BYTE), limit)).toBeUndefined();
    expect(heapWarning(Math.ceil((limit * 0.9) / HEAP_BYTES_PER_EXPORT_BYTE) + 1, limit)).toMatch(/^the export \(\d+ MB\) may need/);
  });

  it('adds up the files on disk, and leaves a missing one to the read', () => {
    const small = file('small.csv', 'id,body\n1,x\n');
    expect(exportHeapWarning([small, path.join(dir, 'missing.csv')])).toBeUndefined();
    // A sparse file: 20 GB on paper, nothing on disk.
    const big = file('big.csv', '');
    truncateSync(big, 20 * GB);
    expect(exportHeapWarning([small, big])).toMatch(/^the export \(20480 MB\) may need about 280\.0 GB of memory/);
  });
});
