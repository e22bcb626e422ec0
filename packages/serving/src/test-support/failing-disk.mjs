// Makes better-sqlite3's writes fail as on a read-only or failing disk, for tests (plain JavaScript, so that a writer
// thread can load it too). While `failing()` names a SQLite error code, each statement that writes (INSERT, UPDATE,
// DELETE, and the store's probe, which sets the header's application id) throws SQLite's error of that code, as the
// commit does on a file system remounted read-only after disk errors (SQLITE_IOERR_WRITE) or on a database SQLite may
// no longer write (SQLITE_READONLY). Reads, BEGIN and COMMIT are left alone.
import Database from 'better-sqlite3';

const MESSAGES = { SQLITE_IOERR_WRITE: 'disk I/O error', SQLITE_READONLY: 'attempt to write a readonly database', SQLITE_FULL: 'database or disk is full' };
const WRITES = /^\s*(INSERT|UPDATE|DELETE|PRAGMA\s+application_id\s*=)/i;

/** Patches every statement of this thread's better-sqlite3; returns the function that takes the patch off. */
export function failWritesWhile(failing) {
  const db = new Database(':memory:');
  const statement = Object.getPrototypeOf(db.prepare('SELECT 1'));
  db.close();
  const originals = { run: statement.run, get: statement.get, all: statement.all };
  for (const [name, original] of Object.entries(originals)) {
    statement[name] = function (...args) {
      const code = WRITES.test(this.source) ? failing() : undefined;
      if (code !== undefined) throw new Database.SqliteError(MESSAGES[code] ?? code, code);
      return original.apply(this, args);
    };
  }
  return () => Object.assign(statement, originals);
}
