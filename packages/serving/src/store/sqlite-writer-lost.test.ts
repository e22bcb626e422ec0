import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StoreError, StoreUnavailableError } from '../errors.js';
import { fileIdentity } from './sqlite-file-identity.mjs';
import { createSqliteStore } from './sqlite-store.js';
import { createThreadWrites } from './sqlite-write-transport.js';
import { predictionFixture as record } from './store-contract.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-writer-lost-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const endingWriter = new URL('../test-support/ending-writer.worker.mjs', import.meta.url);
const feedback = (emailId: string) => ({ emailId, labels: { queue: 'loans' }, closedAt: '2026-12-01T10:00:00.000Z', receivedAt: '2026-12-01T10:00:00.000Z' });

/** Writes on a thread that ends on `end-writer` or `throw-in-writer`, to a database the store made; what they told. */
async function openWrites(name: string) {
  const file = path.join(dir, name, 'mailroute.db');
  await createSqliteStore({ file, writer: 'inline', retentionDays: 0 }).close();
  const lost: { problem: string; kind: string }[] = [];
  const failed: { error: StoreError | StoreUnavailableError; records: number }[] = [];
  const watch = { file, opened: fileIdentity(file)!, onLost: (problem: string, kind: string) => lost.push({ problem, kind }) };
  const writes = createThreadWrites(file, 'NORMAL', { bufferMs: 5, onError: (error, records) => failed.push({ error, records }) }, watch, endingWriter);
  return { writes, lost, failed };
}

describe('the SQLite store, its writer thread ended while it is open', () => {
  it.each([
    ['end-writer', /writer thread exited \(9\)/],
    ['throw-in-writer', /writer thread failed: boom in the writer thread/],
  ])('refuses every later write until a restart (503, no Retry-After), says it once and is no longer healthy (%s)', async (ending, reason) => {
    const { writes, lost, failed } = await openWrites(ending);
    try {
      await writes.write((id) => ({ id, kind: 'feedback', feedback: feedback('before'), expiredBefore: '2000-01-01T00:00:00.000Z' }));
      expect(writes.lost()).toBeUndefined();
      const unavailable = { code: 'STORE_UNAVAILABLE', status: 503, retryAfterSeconds: undefined, message: expect.stringMatching(reason) };
      // The write the thread ended on never committed: refused as every one after it.
      await expect(writes.write((id) => ({ id, kind: 'feedback', feedback: feedback(ending), expiredBefore: '2000-01-01T00:00:00.000Z' }))).rejects.toMatchObject(unavailable);
      await expect(writes.write((id) => ({ id, kind: 'feedback', feedback: feedback('after'), expiredBefore: '2000-01-01T00:00:00.000Z' }))).rejects.toMatchObject(unavailable);
      // A queued prediction (answered already) is reported lost with its records.
      writes.queue((id) => ({ id, kind: 'predictions', records: [record('p-1', 'after-2', '2026-12-01T09:00:00.000Z')] }));
      expect(failed.map((f) => [f.error.code, f.records])).toEqual([['STORE_UNAVAILABLE', 1]]);
      // What the store's health() reads: not ready, saying why; told once, as a writer's loss (not a deleted file).
      expect(writes.lost()).toMatchObject({ ...unavailable, message: expect.stringContaining('no prediction or feedback can be stored until the server restarts') });
      expect(lost).toEqual([{ problem: expect.stringMatching(reason), kind: 'writer-gone' }]);
    } finally {
      await writes.close();
    }
  });

  it('does not take the end of a closing writer thread for a loss', async () => {
    const { writes, lost } = await openWrites('closed');
    await writes.write((id) => ({ id, kind: 'feedback', feedback: feedback('before'), expiredBefore: '2000-01-01T00:00:00.000Z' }));
    await writes.close();
    // The thread's exit event comes after the close's answer.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lost).toEqual([]);
    expect(writes.lost()).toBeUndefined();
  });
});
