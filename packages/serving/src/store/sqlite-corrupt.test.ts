import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { StoreError, StoreUnavailableError } from '../errors.js';
import { createSqliteStore } from './sqlite-store.js';
import { predictionFixture as record } from './store-contract.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-store-corrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const feedback = (emailId: string) => ({ emailId, labels: { queue: 'loans' }, closedAt: '2026-12-01T10:00:00.000Z', receivedAt: '2026-12-01T10:00:00.000Z' });

/** A store file with 3,000 predictions, closed, whose index of email ids then has its root page overwritten: a damaged file. */
async function damagedFile(name: string): Promise<string> {
  const file = path.join(dir, name, 'mailroute.db');
  const store = createSqliteStore({ file, writer: 'inline', retentionDays: 0 });
  await store.savePredictions(Array.from({ length: 3000 }, (_, i) => record(`p-${i}`, `email-${i}`, '2026-12-01T09:00:00.000Z')));
  await store.close();
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  const { rootpage } = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'predictions_email'").get() as { rootpage: number };
  db.close();
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (rootpage - 1) * pageSize);
  closeSync(fd);
  return file;
}

describe('the SQLite store on a damaged file', () => {
  for (const writer of ['thread', 'inline'] as const) {
    it(`is not ready and answers 503 STORE_UNAVAILABLE (STORE_CORRUPT) to every write and read once SQLite finds the damage, said once (${writer} writes)`, async () => {
      const file = await damagedFile(`damaged-${writer}`);
      const lost: { problem: string; kind: string }[] = [];
      const failed: { error: StoreError | StoreUnavailableError; records: number }[] = [];
      const store = createSqliteStore({ file, writer, retentionDays: 0, onLost: (problem, kind) => lost.push({ problem, kind }), onError: (error, records) => failed.push({ error, records }) });
      try {
        // Opening reads no index page: ready until a write or a read meets the damage.
        expect(store.health()).toEqual({ ready: true });
        // No Retry-After: nothing repairs the file while the server runs.
        const corrupt = { code: 'STORE_UNAVAILABLE', status: 503, retryAfterSeconds: undefined, reason: 'STORE_CORRUPT', message: expect.stringContaining(`The SQLite store ${file} is damaged (SQLite: database disk image is malformed)`) };
        await expect(store.savePredictions([record('p-new', 'email-new', '2026-12-01T09:00:00.000Z')])).rejects.toMatchObject(corrupt);
        expect(store.health()).toEqual({ ready: false, detail: expect.stringContaining(`deleting any ${file}-wal and ${file}-shm first`), reason: 'STORE_CORRUPT' });
        // From then on every write and read is refused alike, feedback that touches no damaged page too.
        await expect(store.saveFeedback(feedback('email-1'))).rejects.toMatchObject(corrupt);
        await expect(store.findPredictionByEmail('email-2')).rejects.toMatchObject(corrupt);
        store.queuePredictions?.([record('p-queued', 'email-q', '2026-12-01T09:00:00.000Z')]);
        expect(failed.map((f) => [f.error.code, f.records, (f.error as StoreUnavailableError).reason])).toEqual([['STORE_UNAVAILABLE', 1, 'STORE_CORRUPT']]);
        expect(lost).toEqual([{ problem: expect.stringContaining('is damaged'), kind: 'corrupt' }]);
      } finally {
        await store.close();
      }
    });
  }

  it('is lost as well when a read finds the damage first', async () => {
    const file = await damagedFile('damaged-read');
    const lost: string[] = [];
    const store = createSqliteStore({ file, writer: 'thread', retentionDays: 0, onLost: (_, kind) => lost.push(kind) });
    try {
      await expect(store.findPredictionByEmail('email-7')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', reason: 'STORE_CORRUPT' });
      expect(store.health()).toMatchObject({ ready: false, reason: 'STORE_CORRUPT' });
      expect(lost).toEqual(['corrupt']);
    } finally {
      await store.close();
    }
  });
});
