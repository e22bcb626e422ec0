import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { HOME_MODE } from '@mailroute/model';
import { StoreError, StoreUnavailableError } from '../errors.js';
import { fileIdentity } from './sqlite-file-identity.mjs';
import { dataVersion, freeBytes, upgradeStore, UpgradeFailure, type UpgradeReport } from './sqlite-migration.js';
import { failureOf } from './sqlite-write-errors.js';
import { createInlineWrites, createThreadWrites, nothing, sqliteWriteProblem, type FileWatch, type PruneCounts, type StoreLostKind, type WriteOutcome } from './sqlite-write-transport.js';
import { failingDetail, recoveredDetail, type WritesRecovered } from './write-health.js';
import type { FeedbackPair, FeedbackRecord, PredictionRecord, PredictionStore, StoreHealth } from './types.js';
import { windowBounds } from './pair-window.js';
import { nextTurn } from '../quality/turns.js';

export interface SqliteStoreOptions {
  /** A file path, or `:memory:` for tests. */
  file: string;
  /**
   * `NORMAL` (default): in WAL mode a commit is in the WAL file before the call returns, so it survives
   * the process being killed (kill -9, OOM); only an OS crash, a power cut or a disk error that remounts the file
   * system read-only before a checkpoint synced the WAL can lose the last commits. `FULL` also fsyncs the WAL on every
   * commit (survives power loss, and a write the disk did not take fails rather than being answered; costs an fsync
   * per write).
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** Where writes run: a writer thread (default for files) or this thread (always for `:memory:`). */
  writer?: 'thread' | 'inline';
  /**
   * `queuePredictions` commits within this many milliseconds (default 5), in one transaction with the
   * other requests' predictions, so a `kill -9` can lose the predictions of this window (feedback is
   * always committed before it is answered). 0: no `queuePredictions`, so each prediction is committed
   * before its answer.
   */
  bufferMs?: number;
  /** Failures of queued writes, which nobody awaits, with the prediction records they held (default: written to stderr). */
  onError?: (error: StoreError | StoreUnavailableError, records: number) => void;
  /** What an operator should know that is no failure: a prune held back (default: written to stderr). */
  onWarning?: (message: string) => void;
  /** Told of each retention prune (at open, then hourly) that deleted records: how many, and how long it took (default: nothing). */
  onPruned?: (report: PruneReport) => void;
  /**
   * Told when a retention prune fails (default: written to stderr), with the cutoff it pruned before: nothing was
   * lost (no prediction or feedback), and the next prune, within the hour, tries again.
   */
  onPruneError?: (error: StoreError | StoreUnavailableError, before: string) => void;
  /**
   * Told once when the database file is found deleted or replaced while the store is open (`file-gone`), its
   * writer thread ends (`writer-gone`: a fault in it, or out of memory), or a write or read finds the file damaged
   * (`corrupt`: SQLITE_CORRUPT, SQLITE_NOTADB) (default: written to stderr): from then on every write fails (503
   * STORE_UNAVAILABLE) and `health()` is not ready, until a restart; a deleted or damaged file fails reads too.
   */
  onLost?: (problem: string, kind: StoreLostKind) => void;
  /**
   * Told once when writes start failing for a read-only file system or a failing disk (SQLITE_READONLY,
   * SQLITE_IOERR) (default: written to stderr): each write fails (503 STORE_UNAVAILABLE, Retry-After) and `health()`
   * is not ready until one commits again; meanwhile the store tries a write of its own every WRITE_PROBE_MS.
   */
  onWritesFailing?: (error: StoreUnavailableError) => void;
  /** Told when a write commits after writes failed for the disk (full, read-only or failing) (default: written to stderr). */
  onWritesRecovered?: (report: WritesRecovered) => void;
  /**
   * Days a prediction (with its text, when stored) and a feedback are kept: older ones are deleted when the
   * store opens and every hour (default 400, as the DynamoDB store's TTL; 0: kept for ever).
   */
  retentionDays?: number;
  /**
   * Told once at open when the file was brought up from an older data version, with where the copy of it as it was
   * is kept (default: written to stderr): the operator must hear of the copy, which is never deleted.
   */
  onUpgraded?: (report: UpgradeReport) => void;
  /** Predictions looked through at once for those with feedback (default JUDGED_SPAN; smaller in tests). */
  judgedSpan?: number;
}

/** A retention prune that deleted records: the rows per table, the cutoff (ISO time) and its time from start to end. */
export interface PruneReport extends PruneCounts {
  before: string;
  durationMs: number;
}

export const DEFAULT_RETENTION_DAYS = 400;
const PRUNE_EVERY_MS = 3_600_000;
/**
 * How often an idle store looks whether its file was deleted (a write looks after each commit anyway): so that
 * `health()` and the log say so without waiting for a write.
 */
export const FILE_CHECK_MS = 1_000;

/** The SQLite store: a PredictionStore that can say whether it can take writes (its file deleted under it: not). */
export type SqliteStore = PredictionStore & { health(): StoreHealth };

const DEFAULT_BUFFER_MS = 5;

/**
 * The data version this code writes: migrations, the schema and the copy kept before an upgrade are in
 * sqlite-migration.ts.
 */
export { STORE_SCHEMA_VERSION, type UpgradeReport } from './sqlite-migration.js';

/**
 * A row's column as its type, or a StoreError naming the column: rows are checked by hand, not by a zod schema,
 * as a window of live quality decodes 100,000 of them (zod took a quarter of that).
 */
function column<T>(row: Record<string, unknown>, name: string, is: (value: unknown) => value is T, what: string): T {
  const value = row[name];
  if (!is(value)) throw new StoreError(`A stored row's ${name} is not ${what}: the database holds data this version did not write.`);
  return value;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isStringOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';

/** A JSON column of an object whose values are all `is` (labels, confidences, abstentions per task). */
function jsonRecord<T>(row: Record<string, unknown>, name: string, is: (value: unknown) => value is T, what: string): Record<string, T> {
  const value: unknown = JSON.parse(column(row, name, isString, 'text'));
  const fits = value !== null && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every(is);
  if (!fits) throw new StoreError(`A stored row's ${name} is not an object of ${what}: the database holds data this version did not write.`);
  return value as Record<string, T>;
}

/** `{ [key]: value }` for a text column that holds one; nothing for a null, or a column the query did not select. */
function optionalText(row: Record<string, unknown>, name: string, key: string): Record<string, string> {
  const value = row[name] === undefined ? null : column(row, name, isStringOrNull, 'text or null');
  return value === null ? {} : { [key]: value };
}

/** The attachment names kept with the text, from the attachment_names column (a JSON array of strings, or null). */
export function storedAttachmentNames(json: string | null): { attachmentNames?: string[] } {
  if (json === null) return {};
  let names: unknown;
  try {
    names = JSON.parse(json);
  } catch {
    names = undefined;
  }
  if (!Array.isArray(names) || !names.every(isString)) throw new StoreError("A stored row's attachment_names is not an array of names: the database holds data this version did not write.");
  return { attachmentNames: names };
}

/** The attachment names kept with the text, if the row has them. */
function attachmentNames(row: Record<string, unknown>): { attachmentNames?: string[] } {
  return storedAttachmentNames(row.attachment_names === undefined ? null : column(row, 'attachment_names', isStringOrNull, 'text or null'));
}

/** A row of the predictions table as a record (also read by `lookupCase`). */
export function toPrediction(row: Record<string, unknown>): PredictionRecord {
  const text = column(row, 'text', isStringOrNull, 'text or null');
  return {
    predictionId: column(row, 'prediction_id', isString, 'text'),
    emailId: column(row, 'email_id', isString, 'text'),
    modelId: column(row, 'model_id', isString, 'text'),
    createdAt: column(row, 'created_at', isString, 'text'),
    labels: jsonRecord(row, 'labels', isString, 'labels'),
    confidences: jsonRecord(row, 'confidences', isNumber, 'numbers'),
    abstained: jsonRecord(row, 'abstained', isBoolean, 'true or false'),
    queue: column(row, 'queue', isString, 'text'),
    latencyMs: column(row, 'latency_ms', isNumber, 'a number'),
    ...(text === null ? {} : { text }),
    ...optionalText(row, 'bank', 'bank'),
    ...optionalText(row, 'received_at', 'receivedAt'),
    ...optionalText(row, 'automated', 'automated'),
    ...attachmentNames(row),
  };
}

/** A row of the feedback table as a record (also read by `lookupCase`). */
export function toFeedback(row: Record<string, unknown>): FeedbackRecord {
  const predictionId = column(row, 'prediction_id', isStringOrNull, 'text or null');
  return {
    emailId: column(row, 'email_id', isString, 'text'),
    ...(predictionId === null ? {} : { predictionId }),
    labels: jsonRecord(row, 'labels', isString, 'labels'),
    closedAt: column(row, 'closed_at', isString, 'text'),
    receivedAt: column(row, 'received_at', isString, 'text'),
    ...optionalText(row, 'key_id', 'keyId'),
  };
}

/** Predictions read at once when listing a window: a page takes some 20 ms here, so requests wait no longer. */
const PAIRS_PAGE = 2_000;
/** Predictions of the window looked through at once for the ones with feedback: some 15 ms here for 20,000. */
const JUDGED_SPAN = 20_000;


/** A row of the window's query (`raw`, in the order of its SELECT) as the object `toPair` reads: no text or attachment names, as listPairs gives none. */
function windowRow(r: readonly unknown[]): Record<string, unknown> {
  return {
    prediction_id: r[0],
    email_id: r[1],
    model_id: r[2],
    created_at: r[3],
    labels: r[4],
    confidences: r[5],
    abstained: r[6],
    queue: r[7],
    latency_ms: r[8],
    text: null,
    attachment_names: null,
    bank: r[9],
    received_at: r[10],
    automated: r[11],
    f_email_id: r[12],
    f_prediction_id: r[13],
    f_labels: r[14],
    f_closed_at: r[15],
    f_received_at: r[16],
    f_key_id: r[17],
  };
}

function toPair(row: Record<string, unknown>): FeedbackPair {
  const prediction = toPrediction(row);
  if (row.f_email_id === null || row.f_email_id === undefined) return { prediction };
  const feedback = toFeedback({
    email_id: row.f_email_id,
    prediction_id: row.f_prediction_id,
    labels: row.f_labels,
    closed_at: row.f_closed_at,
    received_at: row.f_received_at,
    key_id: row.f_key_id,
  });
  return { prediction, feedback };
}

/**
 * Creates the database file readable and writable by its owner only, as the API key file is: it holds
 * email ids, labels and, with `--store-text`, the emails' text, which other users of the machine must not
 * read (SQLite gives its WAL and shared-memory files the database file's mode). A file that exists keeps
 * its mode: an operator may have opened it to a group on purpose.
 */
function createOwnerOnly(file: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * Why the retention prune is held back, or undefined: when every stored record is older than the cutoff, the prune
 * would delete them all, which is what a clock set far ahead (a wrong hardware clock, a restored snapshot, a jump
 * while the server runs) does to a store in use. Held while it is so; once the store holds a record within the
 * retention, the next prune deletes the old ones as usual, so a store that truly stood unused that long loses its old
 * records an hour after its first new one.
 */
function pruneHeldBack(db: Database.Database, cutoff: string, retentionDays: number): string | undefined {
  const newest = db.prepare('SELECT max(at) AS at FROM (SELECT max(created_at) AS at FROM predictions UNION ALL SELECT max(closed_at) AS at FROM feedback)').get() as { at: string | null };
  if (newest.at === null || newest.at >= cutoff) return undefined;
  return (
    `retention: the clock says ${new Date().toISOString()}, more than ${retentionDays} days after the newest stored record (${newest.at}): ` +
    'pruning would delete every stored prediction and feedback, so nothing is pruned while that is so. Check the clock; ' +
    'if it is right (the store stood unused that long), the hourly prune deletes the old records once a new one is stored.'
  );
}

/**
 * Fails unless this connection can write the file. SQLite opens a file it may not write (mode 0444, another user's,
 * on a read-only file system) read-only without a word, so the store opened, the server said it was ready, and
 * every prediction and feedback failed to be stored. better-sqlite3's `db.readonly` is only the option it was opened
 * with, not SQLite's fallback, and `BEGIN IMMEDIATE` alone succeeds on such a file in WAL mode: only a page write
 * fails. So the data version is written again as it is, in a transaction rolled back: nothing changes on disk.
 * Run on the connection that opens (and creates, migrates) the file, in the request thread, before the writer
 * thread opens the same path in the same process, with the same user and file system: what this connection may
 * write, so may it. A lock held past the busy timeout (another writer) is no reason to refuse: the writer waits too.
 */
export function checkWritable(db: Database.Database): void {
  try {
    db.exec('BEGIN IMMEDIATE');
    db.pragma(`user_version = ${db.pragma('user_version', { simple: true }) as number}`);
  } catch (error) {
    if (sqliteWriteProblem(error) !== 'locked') throw error;
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}

/** Free bytes below which a failed open is put down to a full disk: SQLite says only "disk I/O error" when it cannot grow its shared-memory file. */
const NEARLY_FULL_BYTES = 1024 * 1024;

/** What the file system says of a store's file at a failed open: why this process may not write each of its files. */
export interface OpenFacts {
  /** The files (the database, its -wal and -shm files, their folder) this process may not write, with the error code (EROFS, EACCES, EPERM). */
  notWritable: Array<{ path: string; code: string; mode?: string; uid?: number }>;
  /** Free bytes on the folder's file system, when known. */
  freeBytes?: number;
  /** This process's user id, when the platform has one. */
  uid?: number;
}

/** Looks at the store's files after a failed open: which this process may not write, and the free space. */
function openFacts(file: string): OpenFacts {
  return { notWritable: deniedFiles(file, 'write'), freeBytes: freeBytes(path.dirname(file)), uid: process.getuid?.() };
}

/**
 * The store's files (its folder, the database, its -wal and -shm files) this process may not write (`write`), or
 * may not read (`read`: the folder not searchable, a file not readable), each with the error code, mode and owner.
 */
function deniedFiles(file: string, access: 'write' | 'read'): OpenFacts['notWritable'] {
  const dir = path.dirname(file);
  const notWritable: OpenFacts['notWritable'] = [];
  for (const target of [dir, file, `${file}-wal`, `${file}-shm`]) {
    if (target !== dir && !existsSync(target)) continue;
    try {
      accessSync(target, access === 'write' ? constants.W_OK : target === dir ? constants.X_OK : constants.R_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
      if (code === 'ENOENT') continue;
      let stat: { mode?: string; uid?: number } = {};
      try {
        const st = statSync(target);
        stat = { mode: (st.mode & 0o777).toString(8).padStart(4, '0'), uid: st.uid };
      } catch {
        // Its mode unknown: said without.
      }
      notWritable.push({ path: target, code, ...stat });
    }
  }
  return notWritable;
}

/** SQLite's longest file path (SQLITE_MAX_PATHNAME), in bytes, which the path of the database's `-journal` must not pass. */
const SQLITE_MAX_PATHNAME = 512;

/**
 * Why SQLite cannot open `file` for its path's length, or undefined: a path longer than SQLite takes fails as
 * "unable to open database file" (and leaves an empty file of that name behind), though the file system takes it.
 */
function pathTooLong(file: string): string | undefined {
  let full = path.resolve(file);
  try {
    full = path.join(realpathSync(path.dirname(full)), path.basename(full));
  } catch {
    // Its folder not there (or not readable): the path as given.
  }
  const bytes = Buffer.byteLength(full);
  if (bytes + '-journal'.length <= SQLITE_MAX_PATHNAME) return undefined;
  return `its path is too long for SQLite (${bytes} bytes; SQLite opens no file whose path, with -journal added, is over ${SQLITE_MAX_PATHNAME} bytes). Set MAILROUTE_HOME (or --home) to a folder with a shorter path, moving the home's files there`;
}

/**
 * Why the store at `file` cannot be opened to be read (`mailroute backup`, `feedback export`), and what to do, told
 * as openFailureMessage tells the server's: the files this process may not read (its folder, the database, its -wal
 * and -shm files), with this user's id and each file's mode and owner; or its path, too long for SQLite. Undefined
 * when neither is so (a damaged file, say): the caller says SQLite's error as it is. `start` begins the message.
 */
export function readFailureMessage(file: string, error: unknown, start = `Cannot read the SQLite store at ${file}`): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'SQLITE_CANTOPEN' && code !== 'SQLITE_READONLY_CANTINIT' && code !== 'SQLITE_READONLY_DIRECTORY' && code !== 'EACCES' && code !== 'EPERM') return undefined;
  const denied = deniedFiles(file, 'read').filter((f) => f.code === 'EACCES' || f.code === 'EPERM');
  if (denied.length > 0) {
    const uid = process.getuid?.();
    const user = uid === undefined ? 'this user' : `this user (uid ${uid})`;
    const described = denied.map((f) => `${f.path}${f.mode === undefined ? '' : ` (mode ${f.mode}, owner uid ${f.uid})`}`).join(', ');
    return (
      `${start}: ${user} may not read ${described} (SQLite: ${error instanceof Error ? error.message : String(error)}). ` +
      `Run this as the user that owns the home (the server's), or give this user read access to the database, its -wal and -shm files and their folder (e.g. chmod g+r ${file}* with this user in its group).`
    );
  }
  const long = code === 'SQLITE_CANTOPEN' ? pathTooLong(file) : undefined;
  return long === undefined ? undefined : `${start}: ${long}.`;
}

/**
 * Refuses a database file (or its -wal or -shm file) this process may not write, before SQLite opens it: SQLite
 * would open it read-only, and leave -wal and -shm files made with its read-only mode behind. `checkWritable` after
 * the open catches what this cannot see.
 */
function refuseUnwritable(file: string): void {
  const facts = openFacts(file);
  const files = facts.notWritable.filter((f) => f.path !== path.dirname(file));
  if (files.length === 0) return;
  const [first] = files;
  throw Object.assign(new Error(`${first.code}: ${first.path} is not writable`), { code: first.code });
}

/**
 * Why the store at `file` cannot be opened, and what to do, for the message the server refuses to start with: the
 * same causes the log names when a write fails later (a full disk, a read-only file or file system, a failing disk),
 * told from SQLite's error and what the file system says of the file and its folder (`facts`), as SQLite's own words
 * ("disk I/O error" for a full disk, "unable to open database file" for a read-only file system) do not say it.
 */
export function openFailureMessage(file: string, error: unknown, facts: OpenFacts): string {
  const start = `Cannot open the SQLite store at ${file}`;
  const dir = path.dirname(file);
  const code = (error as { code?: unknown } | null)?.code;
  const problem = sqliteWriteProblem(error) ?? (code === 'EACCES' || code === 'EPERM' ? 'read-only' : code === 'ENOSPC' ? 'full' : undefined);
  // A damaged file (SQLITE_CORRUPT, SQLITE_NOTADB) is no permission or disk problem, whatever the file system says.
  if (problem === 'corrupt') {
    const said = error instanceof Error ? error.message : String(error);
    return `${start}: it is damaged, or no SQLite database (SQLite: ${said}). Restore it from a backup (mailroute backup), deleting any ${path.basename(file)}-wal and -shm beside it first, or move the three files aside to start with an empty store; then start the server again.`;
  }
  // Only for the failures that can come of them.
  if (problem === undefined && code !== 'SQLITE_CANTOPEN') return `${start}: ${String(error)}`;
  const long = code === 'SQLITE_CANTOPEN' ? pathTooLong(file) : undefined;
  if (long !== undefined) return `${start}: ${long}; then start the server again.`;
  const readOnlyFs = facts.notWritable.find((f) => f.code === 'EROFS');
  if (readOnlyFs !== undefined || code === 'EROFS') {
    return (
      `${start}: its file system is read-only (${dir} is on a file system mounted read-only: remounted so after disk errors?), so no prediction or feedback could be stored. ` +
      'Check the system log (dmesg) and the disk, remount it read-write (or set MAILROUTE_HOME to a folder on a writable file system), then start the server again.'
    );
  }
  const user = facts.uid === undefined ? "the server's user" : `the server's user (uid ${facts.uid})`;
  const denied = facts.notWritable.filter((f) => f.code === 'EACCES' || f.code === 'EPERM');
  if (denied.length > 0) {
    const described = denied.map((f) => `${f.path}${f.mode === undefined ? '' : ` (mode ${f.mode}, owner uid ${f.uid})`}`).join(', ');
    return (
      `${start}: it is read-only for ${user}, who may not write ${described}. SQLite would open the database read-only, and every prediction and feedback would fail to be stored. ` +
      `Give that user write access to the database, its -wal and -shm files and their folder (e.g. chown <user> ${file}*; chmod 600 ${file}*), then start the server again.`
    );
  }
  const full = facts.freeBytes !== undefined && facts.freeBytes < NEARLY_FULL_BYTES;
  if (problem === 'full' || (full && (problem === 'io' || code === 'SQLITE_CANTOPEN'))) {
    const free = facts.freeBytes === undefined ? '' : ` (${facts.freeBytes} bytes free on the file system of ${dir})`;
    return `${start}: the disk is full${free}. Free space there, then start the server again. (${String(error)})`;
  }
  if (problem === 'read-only') {
    return (
      `${start}: SQLite can only open it read-only (${String(error)}), though its mode lets ${user} write it. ` +
      `Check its owner and mode and those of its -wal and -shm files and of ${dir}, whether its file system is mounted read-only, and whether the file is immutable (lsattr); then start the server again.`
    );
  }
  if (problem === 'io') return `${start}: the disk failed to read or write it (an I/O error: check the disk and the system log). (${String(error)})`;
  if (problem === 'locked') return `${start}: it is locked by another connection (a backup or a sqlite3 shell?) past the busy timeout: retry once it is done. (${String(error)})`;
  return `${start}: ${String(error)}`;
}

/**
 * The local prediction and feedback store: one SQLite file in WAL mode (`<MAILROUTE_HOME>/mailroute.db`).
 * Reads run on this thread; writes go to a writer thread (`writer: 'thread'`, the default for files), so
 * inserts and commits do not hold up requests, or run here (`'inline'`, always for `:memory:`).
 */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const synchronous = options.synchronous ?? 'NORMAL';
  let db: Database.Database;
  let opened: Database.Database | undefined;
  let identity: string | undefined;
  try {
    if (options.file !== ':memory:') {
      // A folder made for the database (a new home) is its owner's alone, as the registry makes a home.
      mkdirSync(path.dirname(options.file), { recursive: true, mode: HOME_MODE });
      createOwnerOnly(options.file);
      refuseUnwritable(options.file);
    }
    opened = new Database(options.file);
    // Before anything writes to it (WAL mode is kept in the file's header): a file of a newer mailroute is left as it is.
    dataVersion(opened, options.file);
    opened.pragma('journal_mode = WAL');
    opened.pragma(`synchronous = ${synchronous}`);
    opened.pragma('busy_timeout = 5000');
    const upgraded = upgradeStore(opened, options.file);
    // Said as soon as it is committed, whatever fails after: the copy is there from now on.
    if (upgraded !== undefined) (options.onUpgraded ?? ((report: UpgradeReport) => process.stderr.write(`mailroute: ${report.message}\n`)))(upgraded);
    checkWritable(opened);
    db = opened;
    // The file this connection opened (the writer and checkpointer open the same path just after): a write is
    // answered only while the path still names it.
    identity = options.file === ':memory:' ? undefined : fileIdentity(options.file);
  } catch (error) {
    opened?.close();
    if (error instanceof StoreError) throw error;
    const facts = options.file === ':memory:' ? { notWritable: [] } : openFacts(options.file);
    // A failed upgrade says what failed (its cause told as any failed open), that it was rolled back, and where the copy is.
    const cause = error instanceof UpgradeFailure ? error.cause : error;
    const message = openFailureMessage(options.file, cause, facts);
    const start = `Cannot open the SQLite store at ${options.file}: `;
    const why = message.startsWith(start) ? message.slice(start.length) : message;
    throw new StoreError(error instanceof UpgradeFailure ? error.describe(why) : message, {}, { cause });
  }
  const inline = options.file === ':memory:' || options.writer === 'inline';
  const buffer = {
    bufferMs: options.bufferMs ?? DEFAULT_BUFFER_MS,
    onError: options.onError ?? ((error: StoreError | StoreUnavailableError, records: number) => process.stderr.write(`mailroute: ${error.message} ${String(error.cause)} (${records} prediction records)\n`)),
    onFailing: options.onWritesFailing ?? ((error: StoreUnavailableError) => process.stderr.write(`mailroute: ${error.message} ${String(error.cause)}\n`)),
    onRecovered: options.onWritesRecovered ?? ((report: WritesRecovered) => process.stderr.write(`mailroute: ${recoveredDetail(report)}\n`)),
  };
  const onLost = options.onLost ?? ((problem: string) => process.stderr.write(`mailroute: ${problem}\n`));
  const watch: FileWatch | undefined = identity === undefined ? undefined : { file: options.file, opened: identity, onLost };
  const writes = inline ? createInlineWrites(db, buffer, watch) : createThreadWrites(options.file, synchronous, buffer, watch);
  // A file deleted while the store is idle is noticed (logged, not ready) within FILE_CHECK_MS, not at the next write.
  const fileCheck = watch === undefined ? undefined : setInterval(() => writes.checkFile(), FILE_CHECK_MS);
  fileCheck?.unref();
  const getById = db.prepare('SELECT * FROM predictions WHERE prediction_id = ?');
  // Newest: created later, or in the same millisecond with the greater id (ids are time-ordered), as the DynamoDB
  // store's sort key (<createdAt>#<predictionId>) and live quality order them, whatever order they were inserted in.
  const getByEmail = db.prepare('SELECT * FROM predictions WHERE email_id = ? ORDER BY created_at DESC, prediction_id DESC LIMIT 1');
  // A window is read in pages, newest first, each page after the last row of the one before (keyset: created_at,
  // then prediction_id), so that between pages the thread answers other requests: 100,000 predictions read at once
  // held every request up for seconds. Without the text and attachment names (listPairs' contract): the text doubled the read's time.
  // Read as arrays (`raw`) and made objects here, in the order of the SELECT (`windowRow`): better-sqlite3 builds each
  // row's object through V8's API, twice the time of the page's read (100,000 rows: 1.4 s against 0.7 s).
  const windowQuery = (join: 'LEFT' | 'INNER', after: boolean) =>
    db
      .prepare(
        `SELECT p.prediction_id, p.email_id, p.model_id, p.created_at, p.labels, p.confidences, p.abstained, p.queue, p.latency_ms, p.bank, p.received_at, p.automated,
              f.email_id AS f_email_id, f.prediction_id AS f_prediction_id, f.labels AS f_labels,
              f.closed_at AS f_closed_at, f.received_at AS f_received_at, f.key_id AS f_key_id
       FROM predictions p ${join} JOIN feedback f ON f.email_id = p.email_id
       WHERE p.created_at >= @since AND ${after ? 'p.created_at <= @lastAt AND NOT (p.created_at = @lastAt AND p.prediction_id >= @lastId)' : 'p.created_at < @until'}
       ORDER BY p.created_at DESC, p.prediction_id DESC LIMIT @limit`,
      )
      .raw(true);
  const windowPages = {
    LEFT: { first: windowQuery('LEFT', false), next: windowQuery('LEFT', true) },
    INNER: { first: windowQuery('INNER', false), next: windowQuery('INNER', true) },
  };
  // The predictions with feedback are few among many (most cases close late, or never): a join that walks the window
  // until it has a page of them walked all of a window without feedback in one call (0.7 s for a million predictions,
  // every request held up). They are read in spans of the window of JUDGED_SPAN predictions each, newest first: a
  // span starts at the time of the prediction JUDGED_SPAN below its end.
  const spanStart = db.prepare('SELECT created_at FROM predictions WHERE created_at >= @since AND created_at < @until ORDER BY created_at DESC LIMIT 1 OFFSET @skip');
  /** Set by the first `close()`: from then on the store is closed, and a second call waits for the first. */
  let closing: Promise<void> | undefined;
  const isOpen = () => closing === undefined;
  /** Runs a read now: a failure of SQLite's is a StoreError (503 or 500 STORE_FAILED), not an INTERNAL. */
  const readNow = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof StoreError) throw error;
      // A damaged file loses the store as a write finding it would: 503 STORE_CORRUPT from now on, and not ready.
      writes.markIfCorrupt(failureOf(error));
      throw writes.lost() ?? new StoreError('SQLite read failed.', {}, { cause: error });
    }
  };
  /**
   * Reads see every write made before them: queued predictions are committed first. None once the file was deleted:
   * it would read what the next start no longer has.
   */
  const read = async <T>(fn: () => T): Promise<T> => {
    if (!isOpen()) throw new StoreError('The store is closed.');
    await writes.settled();
    const lost = writes.lost();
    if (lost) throw lost;
    return readNow(fn);
  };
  const closedError = () => new StoreError('The store is closed.');
  /** A write's promise as the store's methods answer it: committed, nothing more. */
  const committed = (write: Promise<WriteOutcome>): Promise<void> => write.then(nothing);
  /** Deletes what is older than `before`; resolves with the rows it deleted. */
  const pruneCounted = (before: string): Promise<PruneCounts> =>
    isOpen()
      ? writes.write((id) => ({ id, kind: 'prune' as const, before })).then((outcome) => (typeof outcome === 'object' && 'pruned' in outcome ? outcome.pruned : { predictions: 0, feedback: 0 }))
      : Promise.reject(closedError());
  const prune = (before: string) => pruneCounted(before).then(nothing);
  const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const judgedSpan = options.judgedSpan ?? JUDGED_SPAN;
  let pruner: NodeJS.Timeout | undefined;
  if (retentionDays > 0) {
    const cutoff = () => new Date(Date.now() - retentionDays * 86_400_000).toISOString();
    const warn = options.onWarning ?? ((message: string) => process.stderr.write(`mailroute: ${message}\n`));
    const pruned = options.onPruned ?? (() => undefined);
    // Not a lost write (no prediction or feedback is lost): said apart from onError, as its own failure.
    const pruneFailed =
      options.onPruneError ?? ((error: StoreError | StoreUnavailableError, before: string) => process.stderr.write(`mailroute: pruning records older than ${before} failed: ${error.message} ${String(error.cause)}\n`));
    let holding = false;
    const pruneOld = () => {
      // Nothing to prune in a deleted file: its writes fail, and that was said once.
      if (writes.lost()) return;
      // Asked before each prune, so a clock that jumps while the server runs is caught too; said once a hold.
      let held: string | undefined;
      try {
        held = isOpen() ? pruneHeldBack(db, cutoff(), retentionDays) : undefined;
      } catch {
        // A read that fails here (a damaged file) fails the prune too, which reports it: no throw from a timer.
      }
      if (held !== undefined) {
        if (!holding) warn(held);
        holding = true;
        return;
      }
      holding = false;
      const before = cutoff();
      const started = performance.now();
      pruneCounted(before).then(
        (counts) => {
          if (counts.predictions + counts.feedback > 0) pruned({ ...counts, before, durationMs: performance.now() - started });
        },
        // A lock or a full disk (503s: StoreUnavailableError, no StoreError) as it is, so the log says which.
        (error: unknown) => pruneFailed(error instanceof StoreError || error instanceof StoreUnavailableError ? error : new StoreError('Pruning old records failed.', {}, { cause: error }), before),
      );
    };
    pruneOld();
    pruner = setInterval(pruneOld, PRUNE_EVERY_MS);
    pruner.unref();
  }
  const predictionsMessage = (records: readonly PredictionRecord[]) => (id: number) => ({ id, kind: 'predictions' as const, records });
  /** Adds the pairs of [since, until) to `pairs`, newest first, in pages, until it holds `limit` or the caller is gone (`cancelled`). */
  const readPages = async (pages: (typeof windowPages)['LEFT'], since: string, until: string, limit: number, pairs: FeedbackPair[], cancelled?: () => boolean) => {
    let last: { lastAt: string; lastId: string } | undefined;
    while (pairs.length < limit) {
      const params = { since, until, limit: Math.min(PAIRS_PAGE, limit - pairs.length) };
      // Each page after the first waits a turn of the event loop, for the requests that came meanwhile; a caller
      // gone by then (its answer timed out) reads no more: a year's window kept reading for seconds, its slot taken.
      if (last) await nextTurn();
      if (last && cancelled?.()) return;
      const rows = await read(() => (last ? pages.next.all({ ...params, ...last }) : pages.first.all(params)) as unknown[][]);
      for (const row of rows) pairs.push(toPair(windowRow(row)));
      if (rows.length < params.limit) return;
      // The page's last row is the pair just added: the next page starts after its prediction.
      const { createdAt, predictionId } = pairs[pairs.length - 1].prediction;
      last = { lastAt: createdAt, lastId: predictionId };
    }
  };
  return {
    retentionDays,
    health: () => {
      const lost = writes.lost();
      if (lost) return { ready: false, detail: lost.message, ...(lost.reason === undefined ? {} : { reason: lost.reason }) };
      const failing = writes.failing();
      return failing ? { ready: false, detail: failingDetail(failing), passing: true, ...(failing.error.reason === undefined ? {} : { reason: failing.error.reason }) } : { ready: true };
    },
    savePredictions: (records) => (isOpen() ? committed(writes.write(predictionsMessage(records))) : Promise.reject(closedError())),
    queuePredictions:
      buffer.bufferMs > 0
        ? (records) => {
            if (!isOpen()) return Promise.reject(closedError());
            const behind = writes.queue(predictionsMessage(records));
            return behind && committed(behind);
          }
        : undefined,
    getPrediction: (id) => read(() => {
      const row = getById.get(id) as Record<string, unknown> | undefined;
      return row === undefined ? undefined : toPrediction(row);
    }),
    findPredictionByEmail: (emailId) => read(() => {
      const row = getByEmail.get(emailId) as Record<string, unknown> | undefined;
      return row === undefined ? undefined : toPrediction(row);
    }),
    saveFeedback: async (feedback) => {
      if (!isOpen()) throw closedError();
      // A stored feedback past the retention that the hourly prune has not deleted yet is replaced, not merged into.
      const expiredBefore = retentionDays > 0 ? new Date(Date.now() - retentionDays * 86_400_000).toISOString() : '';
      // The upsert keeps a feedback that closed later: the writer says whether it did, and which stored labels of
      // `clearTasks` it removed (read in the transaction that writes).
      const written = await writes.write((id) => ({ id, kind: 'feedback', feedback, expiredBefore }));
      const outcome = written === 'superseded' ? 'superseded' : 'recorded';
      const replaced = typeof written === 'object' && 'cleared' in written ? written.replaced : undefined;
      if ((feedback.clearTasks === undefined || feedback.clearTasks.length === 0) && replaced === undefined) return outcome;
      if (written === 'unchanged') return { outcome: 'unchanged', cleared: [] };
      return { outcome, cleared: typeof written === 'object' && 'cleared' in written ? written.cleared : [], ...(replaced === undefined ? {} : { replaced }) };
    },
    prune,
    listPairs: async (window) => {
      const limit = window.limit ?? 100_000;
      const { since, until } = windowBounds(window);
      const pairs: FeedbackPair[] = [];
      if (!window.judgedOnly) {
        await readPages(windowPages.LEFT, since, until, limit, pairs, window.cancelled);
        return pairs;
      }
      // Spans [start, end): the next ends where this one starts, so a time shared by predictions either side of a
      // span's start is read once, in the span it starts.
      for (let end = until; pairs.length < limit; ) {
        if (end !== until) await nextTurn();
        if (window.cancelled?.()) break;
        const bound = end;
        const start = await read(() => (spanStart.get({ since, until: bound, skip: judgedSpan }) as { created_at: string } | undefined)?.created_at);
        await readPages(windowPages.INNER, start ?? since, bound, limit, pairs, window.cancelled);
        if (start === undefined) break;
        end = start;
      }
      return pairs;
    },
    // Once: a second call while the first runs waits for it (a caller may remove the folder after).
    close: () =>
      (closing ??= (async () => {
        if (pruner) clearInterval(pruner);
        if (fileCheck) clearInterval(fileCheck);
        await writes.close();
        db.close();
      })()),
  };
}
