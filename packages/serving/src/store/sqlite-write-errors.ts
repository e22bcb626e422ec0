import { StoreError, StoreUnavailableError, type StoreUnavailableReason } from '../errors.js';
import { FILE_GONE_CODE } from './sqlite-file-identity.mjs';

/** The code of the writes refused once the writer thread ended (a bug, or out of memory): none can commit until a restart. */
export const WRITER_GONE_CODE = 'MAILROUTE_STORE_WRITER_GONE';

/** Why a write failed: the error's message, and SQLite's code when it has one (`SQLITE_BUSY`). */
export type Failure = { message: string; code?: string };

/** Why SQLite failed a write, from its error's code and message: what the log and the answer say of it. */
export type SqliteWriteProblem = 'locked' | 'full' | 'read-only' | 'io' | 'file-gone' | 'writer-gone' | 'corrupt';

/** What kind of failure `error` (a write's error, or its cause) is; undefined for another (a duplicate id, a bad record). */
export function sqliteWriteProblem(error: unknown): SqliteWriteProblem | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : '';
  const message = error instanceof Error ? error.message : '';
  if (code === FILE_GONE_CODE) return 'file-gone';
  if (code === WRITER_GONE_CODE) return 'writer-gone';
  if (code.startsWith('SQLITE_BUSY')) return 'locked';
  // SQLite reads ENOSPC as SQLITE_FULL.
  if (code === 'SQLITE_FULL' || /\bENOSPC\b|database or disk is full/.test(message)) return 'full';
  if (code.startsWith('SQLITE_READONLY') || /\bEROFS\b|attempt to write a readonly database/.test(message)) return 'read-only';
  if (code.startsWith('SQLITE_IOERR') || /\bEIO\b|disk I\/O error/.test(message)) return 'io';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || /database disk image is malformed|file is not a database/.test(message)) return 'corrupt';
  return undefined;
}

/** The `reason` of each problem's 503. */
export const UNAVAILABLE_REASON: Record<SqliteWriteProblem, StoreUnavailableReason> = {
  locked: 'STORE_LOCKED',
  full: 'STORE_DISK_FULL',
  'read-only': 'STORE_READ_ONLY',
  io: 'STORE_IO_ERROR',
  'file-gone': 'STORE_FILE_LOST',
  'writer-gone': 'STORE_WRITER_LOST',
  corrupt: 'STORE_CORRUPT',
};

/**
 * What the log, `/readyz` and every write and read say once SQLite found the file `file` damaged: nothing repairs it
 * while the server runs. The likeliest cause named first: a restore that left the old home's -wal beside the restored
 * file, which SQLite then replayed onto it.
 */
export function corruptStoreMessage(file: string, sqliteMessage: string): string {
  return (
    `The SQLite store ${file} is damaged (SQLite: ${sqliteMessage}): no prediction or feedback can be stored or read until it is replaced. ` +
    `Stop the server; restore the file from a backup (mailroute backup), deleting any ${file}-wal and ${file}-shm first (a -wal left from before a restore is replayed onto the restored file and damages it), ` +
    'or move the three files aside to start with an empty store; then start the server again.'
  );
}

/**
 * What an operator does of a read-only or failing disk. An ext4 file system remounted read-only after disk errors
 * (errors=remount-ro) cannot be made writable again while the server keeps its files open, and SQLite says of it only
 * "disk I/O error" (SQLITE_IOERR_WRITE), as of a failing disk: both are said.
 */
const DISK_ADVICE =
  'Check the system log (dmesg) and the disk. The store takes writes again, without a restart, once its disk does; a file system remounted read-only after disk errors ' +
  'needs the server stopped, the file system repaired (fsck) and mounted read-write again, then the server started.';

/** The answer's words for each problem a write can be retried after. */
const RETRY_MESSAGE: Partial<Record<SqliteWriteProblem, string>> = {
  locked: 'The SQLite database is locked by another connection (a backup or a sqlite3 shell?); retry after Retry-After.',
  full: 'The disk of the SQLite database is full: nothing was stored; retry after Retry-After (the operator must free space).',
  'read-only': `The SQLite database cannot be written: it, or its file system, is read-only (remounted read-only after disk errors?). Nothing was stored; retry after Retry-After. ${DISK_ADVICE}`,
  io: `The disk of the SQLite database failed to write it (an I/O error; SQLite says the same of a file system remounted read-only after disk errors). Nothing was stored; retry after Retry-After. ${DISK_ADVICE}`,
};

/**
 * The error of a failed write: 503 STORE_UNAVAILABLE with Retry-After when another connection kept the database
 * locked past the busy timeout, the disk is full, or its file system is read-only or failing (nothing was stored;
 * the write goes through once the disk takes it); 503 STORE_UNAVAILABLE without Retry-After when the database file
 * was deleted under the server or is damaged, or the writer thread ended (no write is taken until it restarts); each with its
 * `reason`. Else (a duplicate id, a bad record) 500 STORE_FAILED.
 */
export function writeFailed(failure: Failure | string): StoreError | StoreUnavailableError {
  const { message, code } = typeof failure === 'string' ? { message: failure, code: undefined } : failure;
  const cause = Object.assign(new Error(message), code === undefined ? {} : { code });
  const problem = sqliteWriteProblem(cause);
  if (problem === undefined) return new StoreError('SQLite write failed.', {}, { cause });
  const reason = UNAVAILABLE_REASON[problem];
  if (problem === 'file-gone' || problem === 'writer-gone' || problem === 'corrupt') return new StoreUnavailableError(message, { cause, untilRestart: true, reason });
  return new StoreUnavailableError(RETRY_MESSAGE[problem] ?? message, { cause, reason });
}

/** An error as a Failure. */
export const failureOf = (error: unknown): Failure => ({ message: error instanceof Error ? error.message : String(error), code: (error as { code?: unknown } | undefined)?.code as string | undefined });
