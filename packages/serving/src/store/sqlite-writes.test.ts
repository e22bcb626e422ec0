import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createInlineWrites } from './sqlite-write-transport.js';
import { createGroupWriter, ERASE_WAIT_MS, GROUP_RECORDS, HELD_RETRY_MS, PRUNE_BATCH, QUEUED_ID } from './sqlite-writes.mjs';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-writes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TABLES = `
CREATE TABLE predictions (prediction_id TEXT PRIMARY KEY, email_id TEXT, model_id TEXT, created_at TEXT, labels TEXT,
  confidences TEXT, abstained TEXT, queue TEXT, latency_ms REAL, text TEXT, bank TEXT, received_at TEXT, automated TEXT, attachment_names TEXT);
CREATE TABLE feedback (email_id TEXT PRIMARY KEY, prediction_id TEXT, labels TEXT, closed_at TEXT, received_at TEXT, key_id TEXT);`;

describe('the erase after a prune', () => {
  it('waits briefly, once, for a reader that holds an old snapshot, then no more, and erases the text once it is gone', () => {
    const file = path.join(dir, 'reader.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('secure_delete = ON');
    db.exec(TABLES);
    // The busy timeout in force at each TRUNCATE checkpoint: waiting there holds up the group's answers.
    const waits: number[] = [];
    const pragma = db.pragma.bind(db);
    db.pragma = ((source: string, options?: Database.PragmaOptions) => {
      if (source.startsWith('wal_checkpoint(TRUNCATE)')) waits.push(pragma('busy_timeout', { simple: true }) as number);
      return pragma(source, options);
    }) as typeof db.pragma;
    const answered: string[] = [];
    const writer = createGroupWriter(db, (m, error) => answered.push(`${m.kind}${error ? ` ${error.message}` : ''}`));
    const old = '2020-01-01T00:00:00.000Z';
    const records = Array.from({ length: 20 }, (_, i) => ({
      predictionId: `p-${i}`, emailId: `e-${i}`, modelId: 'm', createdAt: old, labels: { queue: 'a' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'a', latencyMs: 1, text: `Kontostand ${i}: bitte erhöhen`,
    }));
    writer.submit({ id: 1, kind: 'predictions', records });
    writer.flush();
    const reader = new Database(file, { readonly: true });
    try {
      reader.prepare('BEGIN').run();
      reader.prepare('SELECT count(*) FROM predictions').get(); // the reader's snapshot holds the WAL
      writer.submit({ id: 2, kind: 'prune', before: '2021-01-01T00:00:00.000Z' });
      writer.flush();
      expect(answered).toEqual(['predictions', 'prune']);
      expect(waits).toEqual([ERASE_WAIT_MS]); // only the try right after the prune waits, briefly
      expect(pragma('busy_timeout', { simple: true })).toBe(5000); // restored for the writes
      writer.submit({ id: 3, kind: 'barrier' });
      writer.flush(); // tried again, still without waiting
      expect(waits).toEqual([ERASE_WAIT_MS, 0]);
    } finally {
      reader.prepare('COMMIT').run();
      reader.close();
    }
    writer.submit({ id: 4, kind: 'barrier' });
    writer.flush();
    expect(readFileSync(`${file}-wal`).includes('bitte erh')).toBe(false);
    expect(readFileSync(file).includes('bitte erh')).toBe(false);
    writer.submit({ id: 5, kind: 'barrier' });
    writer.flush(); // erased: no checkpoint more
    expect(waits).toEqual([ERASE_WAIT_MS, 0, 0]);
    db.close();
  });
});

describe('the counts of a prune', () => {
  it('counts the rows deleted per table over its batches, once each, though its first group failed and was tried again write by write', () => {
    const db = new Database(path.join(dir, 'prune-counts.db'));
    db.pragma('journal_mode = WAL');
    db.exec(TABLES);
    const row = (id: string, at: string) => ({
      predictionId: id, emailId: `e-${id}`, modelId: 'm', createdAt: at, labels: { queue: 'a' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'a', latencyMs: 1,
    });
    const old = '2020-01-01T00:00:00.000Z';
    const answered: Array<{ kind: string; error?: string; predictions?: number; feedback?: number }> = [];
    const writer = createGroupWriter(db, (m, error) =>
      answered.push({ kind: m.kind, ...(error ? { error: error.message } : {}), ...(m.kind === 'prune' ? { predictions: m.deletedPredictions, feedback: m.deletedFeedback } : {}) }),
    );
    writer.submit({ id: 1, kind: 'predictions', records: [...Array.from({ length: PRUNE_BATCH + 3 }, (_, i) => row(`old-${i}`, old)), row('new', '2026-12-01T09:00:00.000Z')] });
    writer.flush();
    db.prepare('INSERT INTO feedback VALUES (?, NULL, ?, ?, ?, NULL)').run('e-old-0', '{}', old, old);
    // In one group with a duplicate id after it: the group fails, rolled back (the prune's first batch with it), and
    // each write is tried alone.
    writer.submit({ id: 2, kind: 'prune', before: '2021-01-01T00:00:00.000Z' });
    writer.submit({ id: 3, kind: 'predictions', records: [row('new', '2026-12-01T09:00:00.000Z')] });
    for (let i = 0; i < 5 && !answered.some((a) => a.kind === 'prune'); i++) writer.flush();
    expect(answered.slice(1)).toEqual([
      { kind: 'predictions', error: expect.stringMatching(/UNIQUE constraint failed/) },
      { kind: 'prune', predictions: PRUNE_BATCH + 3, feedback: 1 },
    ]);
    db.close();
  });
});

describe('a group that finds the database locked', () => {
  const record = (i: number) => ({
    predictionId: `held-${i}`, emailId: `e-${i}`, modelId: 'm', createdAt: '2026-12-01T09:00:00.000Z', labels: { queue: 'a' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'a', latencyMs: 1,
  });
  const feedback = { emailId: 'e-0', labels: { queue: 'a' }, closedAt: '2026-12-01T10:00:00.000Z', receivedAt: '2026-12-01T10:00:00.000Z' };

  function lockedSetup(name: string, beforeWriter: (db: Database.Database) => void = () => {}) {
    const file = path.join(dir, name);
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec(TABLES);
    db.pragma('busy_timeout = 20'); // the writer thread's is 5 s; the test need not wait that long
    beforeWriter(db);
    const answered: string[] = [];
    const writer = createGroupWriter(db, (m, error) => answered.push(`${m.kind} ${m.id}${error ? `: ${error.message}` : ''}`));
    const other = new Database(file);
    other.prepare('BEGIN IMMEDIATE').run(); // a backup or a sqlite3 shell holding the write lock
    const count = () => (db.prepare('SELECT count(*) AS n FROM predictions').get() as { n: number }).n;
    return { db, writer, answered, other, count };
  }

  it('holds the queued predictions, and the barriers after them, until the lock is gone; awaited writes fail at once', () => {
    const { db, writer, answered, other, count } = lockedSetup('locked.db');
    writer.submit({ id: 7, kind: 'barrier' }); // before any held prediction: answered
    writer.submit({ id: QUEUED_ID, kind: 'predictions', records: [record(0), record(1)] });
    writer.submit({ id: 8, kind: 'feedback', feedback, expiredBefore: '' });
    writer.submit({ id: 9, kind: 'barrier' });
    writer.flush();
    expect(answered).toEqual(['barrier 7', 'feedback 8: database is locked']);
    expect(writer.held).toBe(2);
    writer.submit({ id: QUEUED_ID, kind: 'predictions', records: [record(2)] });
    writer.flush(); // still locked: held, in order
    expect(writer.held).toBe(3);
    other.prepare('ROLLBACK').run();
    other.close();
    writer.flush();
    expect(answered.slice(2)).toEqual(['predictions 0', 'barrier 9', 'predictions 0']);
    expect(writer.held).toBe(0);
    expect(count()).toBe(3);
    writer.close();
    db.close();
  });

  it('commits what was held in parts of at most GROUP_RECORDS records once the lock is gone, in order, each answered after its part', () => {
    // The messages each transaction took: the writer makes its transactions once, from db.transaction.
    const parts: number[] = [];
    const { db, writer, answered, other, count } = lockedSetup('held-parts.db', (db) => {
      const transaction = db.transaction.bind(db);
      db.transaction = ((fn: (messages: unknown) => void) => {
        const run = transaction(fn);
        const counted = (begin: (arg: unknown) => unknown) => (arg: unknown) => {
          if (Array.isArray(arg)) parts.push(arg.length);
          return begin(arg);
        };
        // A group that writes begins IMMEDIATE.
        return Object.assign(counted(run), { immediate: counted(run.immediate) });
      }) as typeof db.transaction;
    });
    const many = (k: number) => Array.from({ length: 1000 }, (_, i) => record(k * 1000 + i));
    for (let k = 0; k < 5; k++) writer.submit({ id: QUEUED_ID, kind: 'predictions', records: many(k) });
    writer.submit({ id: 3, kind: 'barrier' });
    writer.flush();
    expect(writer.held).toBe(6);
    other.prepare('ROLLBACK').run();
    other.close();
    parts.length = 0;
    writer.flush();
    expect(parts).toEqual([2, 2, 2]);
    expect(answered).toEqual([...Array.from({ length: 5 }, () => 'predictions 0'), 'barrier 3']);
    expect(count()).toBe(5000);
    expect(GROUP_RECORDS).toBe(2000);
    writer.close();
    db.close();
  });

  it('tries the held writes again by itself, and fails them only at close when the lock stays', async () => {
    const { db, writer, answered, other, count } = lockedSetup('locked-close.db');
    writer.submit({ id: QUEUED_ID, kind: 'predictions', records: [record(0)] });
    writer.flush();
    expect(writer.held).toBe(1);
    other.prepare('ROLLBACK').run();
    await new Promise((resolve) => setTimeout(resolve, HELD_RETRY_MS + 100));
    expect(answered).toEqual(['predictions 0']);
    expect(count()).toBe(1);
    other.prepare('BEGIN IMMEDIATE').run();
    writer.submit({ id: QUEUED_ID, kind: 'predictions', records: [record(1)] });
    writer.flush();
    expect(writer.held).toBe(1);
    writer.close();
    expect(answered).toEqual(['predictions 0', 'predictions 0: database is locked']);
    expect(writer.held).toBe(0);
    other.prepare('ROLLBACK').run();
    other.close();
    expect(count()).toBe(1);
    db.close();
  });
});

describe('the write transport, the database locked by another connection', () => {
  it('answers an awaited write 503 STORE_UNAVAILABLE (retry), keeps a queued prediction until the lock is gone, and fails other errors 500', async () => {
    const file = path.join(dir, 'transport-locked.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec(TABLES);
    db.pragma('busy_timeout = 20');
    const lost: string[] = [];
    const writes = createInlineWrites(db, { bufferMs: 1, onError: (error, records) => lost.push(`${error.code} ${records}`) });
    const other = new Database(file);
    other.prepare('BEGIN IMMEDIATE').run();
    const feedback = { emailId: 'e-1', labels: { queue: 'a' }, closedAt: '2026-12-01T10:00:00.000Z', receivedAt: '2026-12-01T10:00:00.000Z' };
    await expect(writes.write((id) => ({ id, kind: 'feedback', feedback, expiredBefore: '' }))).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      status: 503,
      retryAfterSeconds: 1,
      message: expect.stringContaining('locked by another connection'),
      cause: expect.objectContaining({ code: 'SQLITE_BUSY' }),
    });
    const record = { predictionId: 'p-1', emailId: 'e-1', modelId: 'm', createdAt: '2026-12-01T09:00:00.000Z', labels: { queue: 'a' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'a', latencyMs: 1 };
    expect(writes.queue((id) => ({ id, kind: 'predictions', records: [record] }))).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lost).toEqual([]);
    other.prepare('ROLLBACK').run();
    other.close();
    await writes.settled();
    expect(db.prepare('SELECT prediction_id FROM predictions').all()).toEqual([{ prediction_id: 'p-1' }]);
    // Not a lock: the same prediction id again is a store failure (500), not a retry.
    await expect(writes.write((id) => ({ id, kind: 'predictions', records: [record] }))).rejects.toMatchObject({ code: 'STORE_FAILED', status: 500 });
    await writes.close();
    expect(lost).toEqual([]);
    db.close();
  });
});

describe('the write transport, the disk full', () => {
  it('answers 503 STORE_UNAVAILABLE (retry once space is freed), and stores the write when there is room again', async () => {
    const file = path.join(dir, 'transport-full.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec(TABLES);
    // No page more than the file has: the next write that needs one fails as on a full disk (SQLITE_FULL).
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const writes = createInlineWrites(db, { bufferMs: 1, onError: () => undefined });
    const text = 'x'.repeat(20_000);
    const records = Array.from({ length: 20 }, (_, i) => ({ predictionId: `p-${i}`, emailId: `e-${i}`, modelId: 'm', createdAt: '2026-12-01T09:00:00.000Z', labels: { queue: 'a' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'a', latencyMs: 1, text }));
    await expect(writes.write((id) => ({ id, kind: 'predictions', records }))).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      status: 503,
      retryAfterSeconds: 1,
      message: expect.stringContaining('disk of the SQLite database is full'),
      cause: expect.objectContaining({ code: 'SQLITE_FULL' }),
    });
    expect(db.prepare('SELECT COUNT(*) AS n FROM predictions').get()).toEqual({ n: 0 });
    db.pragma(`max_page_count = ${pages * 100}`);
    await writes.write((id) => ({ id, kind: 'predictions', records }));
    expect(db.prepare('SELECT COUNT(*) AS n FROM predictions').get()).toEqual({ n: 20 });
    await writes.close();
    db.close();
  });
});
