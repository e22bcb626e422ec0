import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StoreError, StoreUnavailableError } from '../errors.js';
import { createSqliteStore, FILE_CHECK_MS } from './sqlite-store.js';
import { predictionFixture as record } from './store-contract.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-store-lost-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const feedback = (emailId: string) => ({ emailId, labels: { queue: 'loans' }, closedAt: '2026-12-01T10:00:00.000Z', receivedAt: '2026-12-01T10:00:00.000Z' });
const removeDatabase = (file: string) => {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A store on a file of its own, and what it told: the loss, and the queued writes that failed. */
function openStore(name: string, writer: 'thread' | 'inline') {
  const file = path.join(dir, name, 'mailroute.db');
  const lost: string[] = [];
  const failed: { error: StoreError | StoreUnavailableError; records: number }[] = [];
  const store = createSqliteStore({ file, writer, retentionDays: 0, onLost: (problem) => lost.push(problem), onError: (error, records) => failed.push({ error, records }) });
  return { file, store, lost, failed };
}

describe('the SQLite store, its file deleted while it is open', () => {
  for (const writer of ['thread', 'inline'] as const) {
    it(`never answers a write that went to the deleted file as stored (${writer} writes): 503 STORE_UNAVAILABLE naming the file, not ready, said once`, async () => {
      const { file, store, lost, failed } = openStore(`deleted-${writer}`, writer);
      try {
        await store.saveFeedback(feedback('before'));
        expect(store.health()).toEqual({ ready: true });
        // Deleted, and written to at once, before the idle check can have looked: the writer's check after the
        // commit fails it (SQLite wrote it to the deleted file).
        removeDatabase(file);
        // No Retry-After: only a restart makes a new file.
        const unavailable = { code: 'STORE_UNAVAILABLE', status: 503, retryAfterSeconds: undefined, message: expect.stringContaining(`The SQLite database ${file} was deleted while the server ran`) };
        await expect(store.saveFeedback(feedback('after-0'))).rejects.toMatchObject(unavailable);
        // From then on nothing is written, and nothing read from the deleted file.
        await expect(store.saveFeedback(feedback('after-1'))).rejects.toMatchObject(unavailable);
        await expect(store.savePredictions([record('p-1', 'after-2', '2026-12-01T09:00:00.000Z')])).rejects.toMatchObject(unavailable);
        await expect(store.findPredictionByEmail('before')).rejects.toMatchObject(unavailable);
        // A queued prediction (answered already) is reported lost with its records.
        store.queuePredictions?.([record('p-2', 'after-3', '2026-12-01T09:00:00.000Z')]);
        expect(failed.map((f) => [f.error.code, f.records, 'retryAfterSeconds' in f.error ? f.error.retryAfterSeconds : 'none'])).toEqual([['STORE_UNAVAILABLE', 1, undefined]]);
        expect(store.health()).toEqual({ ready: false, detail: expect.stringContaining(`${file} was deleted`), reason: 'STORE_FILE_LOST' });
        expect(lost).toHaveLength(1);
      } finally {
        await store.close();
      }
      // Nothing answered as stored is missing: the path holds no file, and no write was answered after the delete.
      expect(existsSync(file)).toBe(false);
    });
  }

  it('notices a deleted file while idle within its check interval (logged once, not ready), and a file replaced by a copy', async () => {
    const idle = openStore('idle', 'thread');
    try {
      await idle.store.saveFeedback(feedback('before'));
      rmSync(path.dirname(idle.file), { recursive: true, force: true }); // the whole home
      await sleep(FILE_CHECK_MS * 2.5);
      expect(idle.lost).toEqual([expect.stringContaining(`The SQLite database ${idle.file} was deleted while the server ran`)]);
      expect(idle.store.health().ready).toBe(false);
    } finally {
      await idle.store.close();
    }

    const replaced = openStore('replaced', 'thread');
    try {
      await replaced.store.saveFeedback(feedback('before'));
      // A copy renamed over it: the path names another file than the one the connections write.
      copyFileSync(replaced.file, `${replaced.file}.copy`);
      renameSync(`${replaced.file}.copy`, replaced.file);
      await expect(replaced.store.saveFeedback(feedback('after'))).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining('was replaced by another file') });
    } finally {
      await replaced.store.close();
    }
  });

  it('keeps taking writes while the file stays (a store that is not lost says ready)', async () => {
    const { store, lost, failed } = openStore('kept', 'thread');
    try {
      for (let i = 0; i < 20; i++) await store.saveFeedback(feedback(`e-${i}`));
      expect(store.health()).toEqual({ ready: true });
      expect([lost, failed]).toEqual([[], []]);
    } finally {
      await store.close();
    }
  });
});
