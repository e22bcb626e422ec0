import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { StoreError } from '../errors.js';
import { dataVersion } from './sqlite-migration.js';

/** What was deleted of one email id (in a dry run: what would be). */
export interface ErasedEmail {
  emailId: string;
  predictions: number;
  feedback: number;
}

/** The `wal_checkpoint(TRUNCATE)` run after the deletes, which takes the deleted content's old pages out of the WAL. */
export interface EraseCheckpoint {
  /** false: the file is not in WAL mode (a restored backup is in rollback-journal mode): deleted in place, no WAL to empty. */
  wal: boolean;
  /**
   * true: every frame of the WAL was copied into the database file and the WAL cut to 0 bytes. false: a reader (a
   * running server's read, a backup, a sqlite3 shell) held an older snapshot for every try, so the WAL may still hold
   * frames with the deleted content (and the database file its old pages) until a later checkpoint.
   */
  complete: boolean;
  /** Tries made (each waits up to `waitMs` for the readers). */
  tries: number;
}

export interface EraseReport {
  file: string;
  dryRun: boolean;
  /** One per id asked for, in the order given (duplicates once). */
  emails: ErasedEmail[];
  totals: { predictions: number; feedback: number };
  /** Undefined in a dry run, which changes nothing. */
  checkpoint?: EraseCheckpoint;
}

export interface EraseOptions {
  /** Count, delete nothing (a read-only connection). */
  dryRun?: boolean;
  /** Checkpoint tries before it is said incomplete (default 3). */
  checkpointTries?: number;
  /**
   * How long one try waits for the readers (default 500 ms). A TRUNCATE checkpoint holds the write lock while it
   * waits, so a running server's writes wait that long: kept short, and tried again after a pause instead.
   */
  checkpointWaitMs?: number;
}

/** The store's busy timeout (sqlite-store.ts, the writer thread): a server's write in progress is waited for, as they wait for each other. */
const BUSY_TIMEOUT_MS = 5000;
const PAUSE_MS = 250;

/**
 * Deletes every prediction and the feedback of `emailIds` from a store's database file, in one transaction, while a
 * server may be running on it (an erasure request, GDPR Art. 17): the store keeps them for its retention (400 days by
 * default) otherwise. The connection deletes with `secure_delete`, so SQLite overwrites the deleted rows (their text,
 * the email id in the indexes) with zeros instead of only unlinking them; then a `wal_checkpoint(TRUNCATE)` copies the
 * zeroed pages into the database file and cuts the WAL, whose older frames still hold the content. A reader holding
 * an older snapshot makes the checkpoint incomplete, which the report says (`checkpoint.complete`): it is not waited
 * for long, since the server's writes wait with it.
 */
export async function eraseEmailRecords(file: string, emailIds: readonly string[], options: EraseOptions = {}): Promise<EraseReport> {
  if (!existsSync(file)) {
    throw new StoreError(`No database at ${file}: no server has recorded predictions or feedback under this home (mailroute serve and npm start write it), so there is nothing to erase there: check that the home is the one the server runs with.`);
  }
  const dryRun = options.dryRun === true;
  const ids = [...new Set(emailIds)];
  let db: Database.Database | undefined;
  let committed = false;
  try {
    db = new Database(file, { readonly: dryRun, fileMustExist: true });
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // A file of a newer mailroute is refused, not changed.
    dataVersion(db, file);
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('predictions', 'feedback')").all() as Array<{ name: string }>).map((t) => t.name));
    let emails: ErasedEmail[];
    if (dryRun) {
      const count = (table: string) => (tables.has(table) ? db!.prepare(`SELECT count(*) AS n FROM ${table} WHERE email_id = ?`) : undefined);
      const [predictions, feedback] = [count('predictions'), count('feedback')];
      const n = (statement: Database.Statement | undefined, id: string) => (statement === undefined ? 0 : (statement.get(id) as { n: number }).n);
      // One read transaction: the counts of one snapshot.
      emails = db.transaction(() => ids.map((emailId) => ({ emailId, predictions: n(predictions, emailId), feedback: n(feedback, emailId) })))();
    } else {
      // Set on this connection before it deletes: the server's own writer sets it too, for its retention prune.
      db.pragma('secure_delete = ON');
      if (db.pragma('secure_delete', { simple: true }) !== 1) throw new Error('SQLite did not turn secure_delete on: nothing was deleted');
      const remove = (table: string) => (tables.has(table) ? db!.prepare(`DELETE FROM ${table} WHERE email_id = ?`) : undefined);
      const [predictions, feedback] = [remove('predictions'), remove('feedback')];
      const run = (statement: Database.Statement | undefined, id: string) => (statement === undefined ? 0 : statement.run(id).changes);
      // BEGIN IMMEDIATE: the write lock taken first, waiting the busy timeout for a server's write in progress.
      emails = db.transaction(() => ids.map((emailId) => ({ emailId, predictions: run(predictions, emailId), feedback: run(feedback, emailId) }))).immediate();
      committed = true;
    }
    const totals = { predictions: emails.reduce((s, e) => s + e.predictions, 0), feedback: emails.reduce((s, e) => s + e.feedback, 0) };
    const checkpoint = dryRun ? undefined : await truncateWal(db, options.checkpointTries ?? 3, options.checkpointWaitMs ?? 500);
    return { file, dryRun, emails, totals, ...(checkpoint === undefined ? {} : { checkpoint }) };
  } catch (error) {
    throw cannotErase(file, error, dryRun, committed);
  } finally {
    db?.close();
  }
}

/** `wal_checkpoint(TRUNCATE)`, tried `tries` times, each waiting `waitMs` for the readers; the busy timeout restored after. */
async function truncateWal(db: Database.Database, tries: number, waitMs: number): Promise<EraseCheckpoint> {
  if (String(db.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') return { wal: false, complete: true, tries: 0 };
  for (let attempt = 1; attempt <= tries; attempt++) {
    db.pragma(`busy_timeout = ${waitMs}`);
    try {
      const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number; log: number; checkpointed: number }>;
      if (result !== undefined && result.busy === 0) return { wal: true, complete: true, tries: attempt };
    } catch (error) {
      // Locked (another checkpoint, a writer past the wait): tried again; anything else is a failure.
      if (!String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY') && !String((error as { code?: unknown }).code).startsWith('SQLITE_LOCKED')) throw error;
    } finally {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
    if (attempt < tries) await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  }
  return { wal: true, complete: false, tries };
}

/**
 * A failure said as the store says its own, with what to do where that is known, and whether the deletes were
 * committed: before the commit the transaction rolled back (nothing deleted); after it, the checkpoint failed.
 */
function cannotErase(file: string, error: unknown, dryRun: boolean, committed: boolean): StoreError {
  if (error instanceof StoreError) return error;
  const code = String((error as { code?: unknown }).code ?? '');
  const what = dryRun ? 'count the records in' : committed ? 'checkpoint the WAL of' : 'erase from';
  const hint = code.startsWith('SQLITE_BUSY')
    ? `: it is locked by another connection (a backup, a sqlite3 shell?) past the busy timeout; retry once it is done`
    : code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN'
      ? `: run it as the server's user, who can write the file, its -wal and -shm files and its folder`
      : '';
  const message = error instanceof Error ? error.message : String(error);
  const rolledBack = dryRun ? '' : committed ? ' The records were deleted (committed), but their old content may remain in the -wal file until a later checkpoint: run the command again with the same ids.' : ' Nothing was deleted.';
  return new StoreError(`Cannot ${what} ${file}${hint} (${message}).${rolledBack}`, {}, { cause: error });
}
