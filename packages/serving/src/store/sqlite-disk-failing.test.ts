import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StoreError, StoreUnavailableError } from '../errors.js';
import { failWritesWhile } from '../test-support/failing-disk.mjs';
import { buildTestApp, json, jsonRequest } from '../test-support/harness.js';
import { closedAt } from '../test-support/route-helpers.js';
import { fileIdentity } from './sqlite-file-identity.mjs';
import { createSqliteStore } from './sqlite-store.js';
import { createThreadWrites } from './sqlite-write-transport.js';
import { predictionFixture as record } from './store-contract.js';
import type { WritesRecovered } from './write-health.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-disk-failing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const failingWriter = new URL('../test-support/failing-disk-writer.worker.mjs', import.meta.url);
const feedback = (emailId: string) => ({ emailId, labels: { queue: 'loans' }, closedAt: '2026-12-01T10:00:00.000Z', receivedAt: '2026-12-01T10:00:00.000Z' });
const feedbackMessage = (emailId: string) => (id: number) => ({ id, kind: 'feedback' as const, feedback: feedback(emailId), expiredBefore: '' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes on a writer thread whose writes fail while `<file>.disk-fails` exists; what they told. */
async function openWrites(name: string, probeMs = 60_000) {
  const file = path.join(dir, name, 'mailroute.db');
  await createSqliteStore({ file, writer: 'inline', retentionDays: 0 }).close();
  const told = { failing: [] as StoreUnavailableError[], recovered: [] as WritesRecovered[], lostRecords: [] as { error: StoreError | StoreUnavailableError; records: number }[] };
  const watch = { file, opened: fileIdentity(file)!, onLost: () => undefined };
  const buffer = {
    bufferMs: 5,
    probeMs,
    onError: (error: StoreError | StoreUnavailableError, records: number) => told.lostRecords.push({ error, records }),
    onFailing: (error: StoreUnavailableError) => told.failing.push(error),
    onRecovered: (report: WritesRecovered) => told.recovered.push(report),
  };
  const writes = createThreadWrites(file, 'NORMAL', buffer, watch, failingWriter);
  const disk = { fail: (code: string) => writeFileSync(`${file}.disk-fails`, code), heal: () => rmSync(`${file}.disk-fails`, { force: true }) };
  return { writes, told, disk };
}

describe('the SQLite store, its disk read-only or failing while it is open', () => {
  it.each([
    ['SQLITE_IOERR_WRITE', 'STORE_IO_ERROR', /^The disk of the SQLite database failed to write it \(an I\/O error; SQLite says the same of a file system remounted read-only after disk errors\)\. Nothing was stored; retry after Retry-After\. Check the system log \(dmesg\)/],
    ['SQLITE_READONLY', 'STORE_READ_ONLY', /^The SQLite database cannot be written: it, or its file system, is read-only \(remounted read-only after disk errors\?\)\. Nothing was stored; retry after Retry-After\./],
  ])('refuses writes with 503 STORE_UNAVAILABLE (%s: reason %s, Retry-After), is not ready meanwhile, and takes writes again once the disk does', async (code, reason, message) => {
    const { writes, told, disk } = await openWrites(code);
    try {
      await writes.write(feedbackMessage('before'));
      disk.fail(code);
      const unavailable = { code: 'STORE_UNAVAILABLE', status: 503, retryAfterSeconds: 1, reason, extra: { reason }, message: expect.stringMatching(message) };
      await expect(writes.write(feedbackMessage('during-1'))).rejects.toMatchObject(unavailable);
      await expect(writes.write(feedbackMessage('during-2'))).rejects.toMatchObject(unavailable);
      // A queued prediction (answered already) is reported lost with its records, in the same words.
      writes.queue((id) => ({ id, kind: 'predictions', records: [record('p-1', 'during-3', '2026-12-01T09:00:00.000Z')] }));
      await writes.settled();
      expect(told.lostRecords.map((l) => [l.error.code, (l.error as StoreUnavailableError).reason, l.records])).toEqual([['STORE_UNAVAILABLE', reason, 1]]);
      // What the store's health() reads: not ready, said once however many writes fail.
      expect(writes.failing()).toMatchObject({ error: unavailable, since: expect.any(Number) });
      expect(told.failing).toHaveLength(1);
      expect(told.recovered).toEqual([]);
      disk.heal();
      await writes.write(feedbackMessage('after'));
      expect(writes.failing()).toBeUndefined();
      expect(told.recovered).toEqual([{ problem: code === 'SQLITE_READONLY' ? 'read-only' : 'io', since: expect.any(Number), failedWrites: 3 }]);
      // The store is not lost: no restart was needed.
      expect(writes.lost()).toBeUndefined();
    } finally {
      await writes.close();
    }
  });

  it('finds the disk taking writes again by a write of its own, with no request writing', async () => {
    const { writes, told, disk } = await openWrites('probe', 50);
    try {
      disk.fail('SQLITE_IOERR_WRITE');
      await expect(writes.write(feedbackMessage('during'))).rejects.toMatchObject({ reason: 'STORE_IO_ERROR' });
      // The probes fail while the disk does: still not ready.
      await sleep(200);
      expect(writes.failing()).toBeDefined();
      expect(told.recovered).toEqual([]);
      disk.heal();
      await sleep(300);
      expect(writes.failing()).toBeUndefined();
      expect(told.recovered).toEqual([{ problem: 'io', since: expect.any(Number), failedWrites: expect.any(Number) }]);
    } finally {
      await writes.close();
    }
  });

  it('does not take a write that changes nothing (a barrier) for the disk taking writes again', async () => {
    const { writes, told, disk } = await openWrites('barrier');
    try {
      disk.fail('SQLITE_READONLY');
      await expect(writes.write(feedbackMessage('during'))).rejects.toMatchObject({ reason: 'STORE_READ_ONLY' });
      await writes.write((id) => ({ id, kind: 'barrier' }));
      expect(writes.failing()).toBeDefined();
      expect(told.recovered).toEqual([]);
    } finally {
      await writes.close();
    }
  });
});

describe('a server on a SQLite store whose disk fails', () => {
  it('answers feedback 503 STORE_UNAVAILABLE problem+json with a reason and Retry-After (no 500, no stack), /readyz 503 meanwhile, and both well again once a write commits', async () => {
    const file = path.join(dir, 'app', 'mailroute.db');
    const store = createSqliteStore({ file, writer: 'inline', retentionDays: 0, onWritesFailing: () => undefined, onWritesRecovered: () => undefined });
    const serving = await buildTestApp({ store });
    // The writes the stores make at open (their first retention prune) done before the disk fails.
    await sleep(20);
    let code: string | undefined;
    const restore = failWritesWhile(() => code);
    try {
      const { app } = serving;
      expect((await app.request('/readyz')).status).toBe(200);
      code = 'SQLITE_IOERR_WRITE';
      const refused = await app.request('/v1/feedback', jsonRequest({ emailId: 'e-1', labels: { queue: 'billing' }, closedAt }));
      expect([refused.status, refused.headers.get('content-type'), refused.headers.get('retry-after')]).toEqual([503, 'application/problem+json', '1']);
      const problem = await json(refused);
      expect(problem).toMatchObject({ code: 'STORE_UNAVAILABLE', reason: 'STORE_IO_ERROR', detail: expect.stringMatching(/^The disk of the SQLite database failed to write it \(an I\/O error/) });
      expect(JSON.stringify(problem)).not.toMatch(/\bat .*\.(m?js|ts):\d+/);
      // Not ready while the disk fails, with Retry-After (it passes without a restart).
      const unready = await app.request('/readyz');
      expect([unready.status, unready.headers.get('retry-after')]).toEqual([503, '1']);
      expect(await json(unready)).toMatchObject({
        code: 'STORE_UNAVAILABLE',
        reason: 'STORE_IO_ERROR',
        detail: expect.stringMatching(/Writes have failed since \S+; the store tries one every 5 s and is ready again once one commits\.$/),
      });
      code = undefined;
      expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'e-1', labels: { queue: 'billing' }, closedAt }))).status).toBe(202);
      expect((await app.request('/readyz')).status).toBe(200);
    } finally {
      restore();
      await serving.close();
    }
  });
});
