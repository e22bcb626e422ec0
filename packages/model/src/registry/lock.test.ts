import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withFileLock } from './lock.js';

const dir = () => mkdtempSync(path.join(os.tmpdir(), 'mailroute-lock-'));
const past = (file: string, seconds: number) => utimesSync(file, new Date(Date.now() - seconds * 1000), new Date(Date.now() - seconds * 1000));

describe('withFileLock', () => {
  it('takes over the lock of a dead holder and of a holder that crashed before writing its pid', async () => {
    for (const content of [JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname() }), '']) {
      const home = dir();
      const file = path.join(home, 'registry.lock');
      writeFileSync(file, content);
      if (content === '') past(file, 5); // empty for 5 s: its writer died between creating and writing
      await expect(withFileLock(file, async () => 'ran', { timeoutMs: 1_000 })).resolves.toBe('ran');
      expect(readdirSync(home)).toEqual([]); // the lock and the stale file moved aside are both gone
    }
  });

  it('waits for a live holder and gives up with a clear error; an empty lock just created is not stale', async () => {
    const file = path.join(dir(), 'registry.lock');
    writeFileSync(file, JSON.stringify({ pid: process.pid, host: hostname() }));
    await expect(withFileLock(file, async () => 'ran', { timeoutMs: 100 })).rejects.toMatchObject({ code: 'REGISTRY_LOCK_TIMEOUT' });
    writeFileSync(file, ''); // being written right now by its holder
    await expect(withFileLock(file, async () => 'ran', { timeoutMs: 100 })).rejects.toMatchObject({ code: 'REGISTRY_LOCK_TIMEOUT' });
  });
});
