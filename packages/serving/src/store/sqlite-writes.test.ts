import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createGroupWriter, ERASE_WAIT_MS } from './sqlite-writes.mjs';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-writes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TABLES = `
CREATE TABLE predictions (prediction_id TEXT PRIMARY KEY, email_id TEXT, model_id TEXT, created_at TEXT, labels TEXT,
  confidences TEXT, abstained TEXT, queue TEXT, latency_ms REAL, text TEXT);
CREATE TABLE feedback (email_id TEXT PRIMARY KEY, prediction_id TEXT, labels TEXT, closed_at TEXT, received_at TEXT);`;

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
