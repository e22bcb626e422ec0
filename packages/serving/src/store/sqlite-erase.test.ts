import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreError } from '../errors.js';
import { eraseEmailRecords } from './sqlite-erase.js';
import { storeCopiesBeside } from './sqlite-migration.js';
import { createSqliteStore, type SqliteStore } from './sqlite-store.js';
import { predictionFixture } from './store-contract.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-erase-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The ids erased: no kept id contains one, so a search of the file's bytes for one finds only its own records. */
const FORGOTTEN = ['crm-forget-0001', 'crm-forget-0002'];
const KEPT = ['crm-keep-0001', 'crm-keep-0002', 'crm-keep-0003'];

/** A served store's records: per email two predictions with text (which names the email id too), and its feedback. */
async function fill(store: SqliteStore, ids: readonly string[]): Promise<void> {
  const now = Date.now();
  await store.savePredictions(
    ids.flatMap((emailId, i) =>
      [0, 1].map((k) => ({ ...predictionFixture(`p-${i}-${k}-${now}`, emailId, new Date(now - 60_000 + k).toISOString()), text: `Bitte das Konto schließen, Vorgang ${emailId}: Frau [NAME] ${'x'.repeat(300)}` })),
    ),
  );
  for (const emailId of ids) await store.saveFeedback({ emailId, labels: { queue: 'payments' }, closedAt: new Date(now).toISOString(), receivedAt: new Date(now).toISOString() });
}

/** Every row of both tables, as SQLite reads them (committed, the WAL included). */
function rowsOf(file: string): { predictions: Array<Record<string, unknown>>; feedback: Array<Record<string, unknown>> } {
  const db = new Database(file, { readonly: true });
  try {
    return {
      predictions: db.prepare('SELECT * FROM predictions ORDER BY prediction_id').all() as Array<Record<string, unknown>>,
      feedback: db.prepare('SELECT * FROM feedback ORDER BY email_id').all() as Array<Record<string, unknown>>,
    };
  } finally {
    db.close();
  }
}

function integrity(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

/** Whether `text` is anywhere in the bytes of the database file or its WAL. */
function inFileBytes(file: string, text: string): { db: boolean; wal: boolean } {
  return { db: readFileSync(file).includes(text), wal: existsSync(`${file}-wal`) && readFileSync(`${file}-wal`).includes(text) };
}

async function servedFile(name: string): Promise<string> {
  const file = path.join(dir, name, 'mailroute.db');
  const store = createSqliteStore({ file, retentionDays: 0, writer: 'inline' });
  try {
    await fill(store, [...FORGOTTEN, ...KEPT]);
  } finally {
    await store.close();
  }
  return file;
}

describe('eraseEmailRecords', () => {
  it("deletes every prediction and the feedback of the ids given, and nothing else; an id without records is said so", async () => {
    const file = await servedFile('exact');
    const before = rowsOf(file);
    const report = await eraseEmailRecords(file, [...FORGOTTEN, 'crm-never-seen', FORGOTTEN[0]]);
    expect(report.emails).toEqual([
      { emailId: FORGOTTEN[0], predictions: 2, feedback: 1 },
      { emailId: FORGOTTEN[1], predictions: 2, feedback: 1 },
      { emailId: 'crm-never-seen', predictions: 0, feedback: 0 },
    ]);
    expect(report.totals).toEqual({ predictions: 4, feedback: 2 });
    expect(report.checkpoint).toEqual({ wal: true, complete: true, tries: 1 });
    const after = rowsOf(file);
    const kept = (rows: Array<Record<string, unknown>>) => rows.filter((r) => !FORGOTTEN.includes(r.email_id as string));
    expect(after.predictions).toEqual(kept(before.predictions));
    expect(after.feedback).toEqual(kept(before.feedback));
    expect(after.predictions).toHaveLength(6);
    expect(integrity(file)).toBe('ok');
  });

  it('counts without deleting in a dry run: the file unchanged', async () => {
    const file = await servedFile('dry');
    const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
    const before = rowsOf(file);
    const report = await eraseEmailRecords(file, [FORGOTTEN[0], 'crm-never-seen'], { dryRun: true });
    expect(report).toMatchObject({ dryRun: true, emails: [{ emailId: FORGOTTEN[0], predictions: 2, feedback: 1 }, { emailId: 'crm-never-seen', predictions: 0, feedback: 0 }], totals: { predictions: 2, feedback: 1 } });
    expect(report.checkpoint).toBeUndefined();
    expect(rowsOf(file)).toEqual(before);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(sha);
  });

  it("leaves no byte of the deleted records in the file or its WAL while a server keeps the store open, whose later writes still work", async () => {
    const file = path.join(dir, 'served', 'mailroute.db');
    // A running server's store: its request-thread connection, writer and checkpointer threads all hold the file open.
    const store = createSqliteStore({ file, retentionDays: 0 });
    try {
      await fill(store, [...FORGOTTEN, ...KEPT]);
      expect(inFileBytes(file, FORGOTTEN[0]).wal || inFileBytes(file, FORGOTTEN[0]).db).toBe(true); // there to be erased
      const report = await eraseEmailRecords(file, FORGOTTEN);
      expect(report.totals).toEqual({ predictions: 4, feedback: 2 });
      expect(report.checkpoint?.complete).toBe(true);
      // Without secure_delete the rows stay in the freed space of their pages (`strings mailroute.db` shows them);
      // without the TRUNCATE checkpoint the WAL's older frames keep them while the server holds the file open.
      for (const id of FORGOTTEN) expect(inFileBytes(file, id), id).toEqual({ db: false, wal: false });
      expect(inFileBytes(file, 'Vorgang crm-forget')).toEqual({ db: false, wal: false });
      expect(inFileBytes(file, KEPT[0]).db || inFileBytes(file, KEPT[0]).wal).toBe(true);
      expect(await store.findPredictionByEmail(FORGOTTEN[0])).toBeUndefined();
      expect(await store.findPredictionByEmail(KEPT[0])).toBeDefined();
      // The server goes on: a new prediction and feedback (of a forgotten id too, sent again) are stored and read back.
      await fill(store, ['crm-after-0001', FORGOTTEN[1]]);
      expect((await store.findPredictionByEmail('crm-after-0001'))?.emailId).toBe('crm-after-0001');
      expect((await store.listPairs({ since: '2000-01-01T00:00:00Z' })).filter((p) => p.feedback !== undefined)).toHaveLength(KEPT.length * 2 + 4);
    } finally {
      await store.close();
    }
    expect(integrity(file)).toBe('ok');
  });

  it('says the checkpoint is incomplete while a reader holds an older snapshot, deleting all the same; run again, it erases the rest', async () => {
    const file = await servedFile('reader');
    const reader = new Database(file, { readonly: true });
    try {
      // A read transaction open across the erasure, as a backup's or a long read's.
      reader.prepare('BEGIN').run();
      reader.prepare('SELECT count(*) FROM predictions').get();
      const report = await eraseEmailRecords(file, FORGOTTEN, { checkpointTries: 2, checkpointWaitMs: 50 });
      expect(report.totals).toEqual({ predictions: 4, feedback: 2 });
      expect(report.checkpoint).toEqual({ wal: true, complete: false, tries: 2 });
      // Its snapshot still reads them: the old content is there until a checkpoint.
      expect(reader.prepare('SELECT count(*) AS n FROM feedback WHERE email_id = ?').get(FORGOTTEN[0])).toEqual({ n: 1 });
      reader.prepare('COMMIT').run();
      const again = await eraseEmailRecords(file, FORGOTTEN);
      expect(again.totals).toEqual({ predictions: 0, feedback: 0 });
      expect(again.checkpoint?.complete).toBe(true);
      for (const id of FORGOTTEN) expect(inFileBytes(file, id), id).toEqual({ db: false, wal: false });
    } finally {
      reader.close();
    }
    expect(rowsOf(file).feedback.map((f) => f.email_id)).toEqual(KEPT);
  });

  it('refuses a file that does not exist, and one of a newer mailroute, changing nothing', async () => {
    const missing = path.join(dir, 'none', 'mailroute.db');
    await expect(eraseEmailRecords(missing, FORGOTTEN)).rejects.toThrow(StoreError);
    await expect(eraseEmailRecords(missing, FORGOTTEN)).rejects.toThrow(/^No database at .*none\/mailroute\.db: no server has recorded/);
    expect(existsSync(missing)).toBe(false);
    const file = await servedFile('newer');
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    await expect(eraseEmailRecords(file, FORGOTTEN)).rejects.toThrow(/written by a newer mailroute \(data version 99/);
    expect(rowsOf(file).feedback).toHaveLength(5);
  });

  it('finds the copies a server kept beside the file when it upgraded the data version', () => {
    const at = path.join(dir, 'copies');
    mkdirSync(at);
    for (const name of ['mailroute.db', 'mailroute.db.v3-backup', 'mailroute.db.v3-backup-2', 'mailroute.db-wal', 'other.db.v3-backup']) writeFileSync(path.join(at, name), '');
    expect(storeCopiesBeside(path.join(at, 'mailroute.db')).map((f) => path.basename(f))).toEqual(['mailroute.db.v3-backup', 'mailroute.db.v3-backup-2']);
  });
});
