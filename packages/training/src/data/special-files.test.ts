import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { loadDataset } from './dataset.js';
import { checkOneDelimiter } from './file-delimiters.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-special-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = parseTrainingConfig({
  columns: { id: 'id', subject: 'subject', body: 'body' },
  tasks: [{ name: 'queue', labels: ['cards', 'loans'] }],
});

/** A named pipe no one writes to: opening it to read would wait for a writer for ever. */
function fifo(): string | undefined {
  const file = path.join(dir, `pipe-${Math.random().toString(36).slice(2)}.csv`);
  try {
    execFileSync('mkfifo', [file]);
    return file;
  } catch {
    return undefined;
  }
}

describe('a data file that is no regular file', () => {
  it.skipIf(process.platform === 'win32')('is refused before it is opened: a named pipe (read twice, it hung) and /dev/zero (it filled the memory)', async () => {
    const pipe = fifo();
    const special = [pipe, existsSync('/dev/zero') ? '/dev/zero' : undefined].filter((f) => f !== undefined);
    expect(special.length, 'mkfifo or /dev/zero is needed here').toBeGreaterThan(0);
    for (const file of special) {
      // The header check that runs first opens nothing; the reading refuses it.
      await expect(checkOneDelimiter([{ file, flag: '--data' }], config, 'text')).resolves.toBeUndefined();
      await expect(loadDataset(file, config)).rejects.toMatchObject({ code: 'DATASET_FILE_INVALID', message: expect.stringContaining(`${file}: cannot read (not a regular file but a named pipe, a device or a socket`) });
    }
  }, 10_000);
});
