import Database from 'better-sqlite3';

/** What a copy of a store's database holds: SQLite's integrity_check lines, the data version, the rows of each table. */
export interface SqliteSnapshotFacts {
  /** `['ok']` for a sound file, else the problems SQLite lists. */
  integrity: string[];
  userVersion: number;
  rows: { predictions: number; feedback: number };
}

/**
 * Copies a store's database to `target` with `VACUUM INTO` on a read-only connection: one snapshot in one read
 * transaction, the WAL's commits included, while a server goes on writing (WAL readers never block its writer, nor
 * it them). Not `.backup`/`db.backup()`, which start over whenever another connection commits. `target` may be an
 * empty file made beforehand, whose mode SQLite then keeps (its own new file would be 0644 less the umask).
 */
export function snapshotSqlite(source: string, target: string): void {
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('VACUUM INTO ?').run(target);
  } finally {
    db.close();
  }
}

/** integrity_check, the data version and the row counts of a store's database file (a snapshot's, say). */
export function sqliteSnapshotFacts(file: string): SqliteSnapshotFacts {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { integrity, userVersion: db.pragma('user_version', { simple: true }) as number, rows: { predictions: count('predictions'), feedback: count('feedback') } };
  } finally {
    db.close();
  }
}
