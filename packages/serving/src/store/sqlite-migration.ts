import { closeSync, openSync, readdirSync, rmSync, statfsSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { StoreError } from '../errors.js';
import { snapshotSqlite } from './sqlite-snapshot.js';

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS predictions (
  prediction_id TEXT PRIMARY KEY,
  email_id TEXT NOT NULL,
  model_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  labels TEXT NOT NULL,
  confidences TEXT NOT NULL,
  abstained TEXT NOT NULL,
  queue TEXT NOT NULL,
  latency_ms REAL NOT NULL,
  text TEXT,
  bank TEXT,
  received_at TEXT,
  automated TEXT,
  attachment_names TEXT
);
CREATE INDEX IF NOT EXISTS predictions_email ON predictions (email_id, created_at);
CREATE INDEX IF NOT EXISTS predictions_created ON predictions (created_at);
CREATE TABLE IF NOT EXISTS feedback (
  email_id TEXT PRIMARY KEY,
  prediction_id TEXT,
  labels TEXT NOT NULL,
  closed_at TEXT NOT NULL,
  received_at TEXT NOT NULL,
  key_id TEXT
);
CREATE INDEX IF NOT EXISTS feedback_closed ON feedback (closed_at);
`;

/**
 * The version of the data in the file (`PRAGMA user_version`), raised by each migration below. 0: a file of a
 * mailroute from before migrations, which may hold a closedAt as its caller sent it (`2026-12-04T14:00:00+01:00`):
 * times are compared as text, so every one must be UTC with milliseconds, as the server writes them now.
 */
export const STORE_SCHEMA_VERSION = 4;

/** A file brought up to date: its versions, and the copy of it as it was (none when it held no record). */
export interface UpgradeReport {
  file: string;
  fromVersion: number;
  toVersion: number;
  /** The copy of the file at `fromVersion`, kept beside it; undefined when the file held no prediction nor feedback. */
  copy?: string;
  /** The one line an operator reads: what was upgraded, where the copy is, and that it is kept. */
  message: string;
}

/** The file's data version; refuses one a newer mailroute wrote, before anything in it is changed. */
export function dataVersion(db: Database.Database, file: string): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > STORE_SCHEMA_VERSION) {
    throw new StoreError(
      `The SQLite store at ${file} was written by a newer mailroute (data version ${version}; this one reads up to ${STORE_SCHEMA_VERSION}): run that version, or move the file aside to start a new store.`,
    );
  }
  return version;
}

/**
 * A migration that failed in its transaction, which was rolled back: the store's open says so, with why (the cause,
 * told as any failed open is) and where the copy made before it is.
 */
export class UpgradeFailure extends Error {
  constructor(
    readonly file: string,
    readonly fromVersion: number,
    /** Whether the file was read back at `fromVersion` after the rollback (false: it could not be read back). */
    readonly unchanged: boolean,
    readonly copy: string | undefined,
    cause: unknown,
  ) {
    super(`Upgrading ${file} from data version ${fromVersion} to ${STORE_SCHEMA_VERSION} failed: ${String(cause)}`, { cause });
    this.name = 'UpgradeFailure';
  }

  /** The open's failure message, `why` being the cause said as a failed open says it (`Cannot open ...: <why>`). */
  describe(why: string): string {
    const state = this.unchanged
      ? `nothing in it was changed (the upgrade's transaction was rolled back): it is still at data version ${this.fromVersion}, which the mailroute that wrote it reads`
      : "the upgrade's transaction was rolled back, but the file's data version could not be read back to confirm it";
    const copy = this.copy === undefined ? 'It held no prediction nor feedback, so no copy was made.' : `The copy made before the upgrade is at ${this.copy} (kept).`;
    return `Cannot open the SQLite store at ${this.file}: upgrading its data from version ${this.fromVersion} to ${STORE_SCHEMA_VERSION} failed, and ${state}. ${copy} Why it failed: ${why}`;
  }
}

/** The store's tables the file has (none: a new file). */
function storeTables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('predictions', 'feedback')").all() as Array<{ name: string }>).map((t) => t.name);
}

/** Whether one of `tables` holds a row: a prediction or a feedback (a new or empty file needs no copy). */
function holdsRecords(db: Database.Database, tables: readonly string[]): boolean {
  return tables.some((table) => (db.prepare(`SELECT EXISTS (SELECT 1 FROM ${table}) AS held`).get() as { held: number }).held === 1);
}

/** Copies of one data version kept beside the file at most (`.v3-backup`, then `.v3-backup-2` ...): none is overwritten. */
const MAX_COPIES = 100;

/** The name of the `n`th copy of data version `version` of `file`: `mailroute.db.v3-backup`, `mailroute.db.v3-backup-2` ... */
function copyName(file: string, version: number, n: number): string {
  return `${file}.v${version}-backup${n === 1 ? '' : `-${n}`}`;
}

/** A name `copyName` gives a copy of the file named `base`. */
function isCopyName(name: string, base: string): boolean {
  return name.startsWith(`${base}.v`) && /^\d+-backup(?:-\d+)?$/.test(name.slice(base.length + 2));
}

/**
 * The copies of the database a server kept beside it when it upgraded the data version (`copyName`), sorted: they
 * hold the records as they were, which an erasure does not touch. None when the folder cannot be read.
 */
export function storeCopiesBeside(file: string): string[] {
  const base = path.basename(file);
  try {
    return readdirSync(path.dirname(file))
      .filter((name) => isCopyName(name, base))
      .sort()
      .map((name) => path.join(path.dirname(file), name));
  } catch {
    return [];
  }
}

/** Makes the copy's file, empty and mode 0600 (it holds what the store holds), under the first free name. */
function newCopyFile(file: string, version: number): string {
  for (let n = 1; n <= MAX_COPIES; n++) {
    const copy = copyName(file, version, n);
    try {
      closeSync(openSync(copy, 'wx', 0o600));
      return copy;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw Object.assign(error as Error, { copy });
    }
  }
  throw new Error(`${MAX_COPIES} copies of data version ${version} are already there (${file}.v${version}-backup*): delete those no longer needed`);
}

/** An error said short: a file system error without the path it names (said already), others as they are. */
function reasonOf(error: unknown): string {
  const errno = error as NodeJS.ErrnoException;
  return error instanceof Error && typeof errno.syscall === 'string' ? error.message.split(', ')[0] : String(error);
}

/** Free bytes on the file system of `dir`, when known. */
export function freeBytes(dir: string): number | undefined {
  try {
    const fs = statfsSync(dir);
    return fs.bavail * fs.bsize;
  } catch {
    return undefined;
  }
}

/**
 * Writes a consistent copy of the file as it is (data version `version`) beside it, and returns its path; refuses
 * (a StoreError, the file left as it is) when it cannot. Called holding the write lock (in the upgrade's
 * transaction, before it writes): `VACUUM INTO` on another, read-only connection reads the file as committed,
 * which nobody can change until the upgrade commits, so the copy is exactly what the upgrade started from.
 */
function copyBeforeUpgrade(db: Database.Database, file: string, version: number): string {
  const dir = path.dirname(file);
  // The copy holds the live pages only (VACUUM INTO leaves the free ones out).
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const needed = ((db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number)) * pageSize;
  const refuse = (target: string, reason: string, cause?: unknown): never => {
    const free = freeBytes(dir);
    throw new StoreError(
      `Cannot open the SQLite store at ${file}: upgrading its data from version ${version} to ${STORE_SCHEMA_VERSION} needs a copy of it first, which could not be written to ${target} (${reason}). ` +
        `Nothing was changed: the file is still at data version ${version}. The copy needs about ${needed} bytes free in ${dir}${free === undefined ? '' : ` (${free} free now)`}, ` +
        `and the server's user must be able to create files there: make room or fix that, then start the server again (or go on running the mailroute that wrote the file).`,
      {},
      { cause },
    );
  };
  const free = freeBytes(dir);
  // Refused before a byte is written: a copy that fills the disk would leave it full for everything else.
  if (free !== undefined && free < needed) refuse(`${file}.v${version}-backup`, 'not enough free space');
  let copy: string;
  try {
    copy = newCopyFile(file, version);
  } catch (error) {
    return refuse((error as { copy?: string }).copy ?? `${file}.v${version}-backup`, reasonOf(error), error);
  }
  try {
    snapshotSqlite(file, copy);
  } catch (error) {
    rmSync(copy, { force: true });
    return refuse(copy, reasonOf(error), error);
  }
  return copy;
}

/** The columns each data version added (2: bank, received_at; 3: automated, attachment_names; 4: key_id). */
const ADDED_COLUMNS = { predictions: ['bank', 'received_at', 'automated', 'attachment_names'], feedback: ['key_id'] };

/**
 * The migrations from data version `from`, in the upgrade's transaction.
 * 1: times to UTC. 2: with the text, the email's bank and receivedAt (feedback export wrote them blank). 3: the kind of
 * an email answered as automated (live quality and the feedback export counted them as customers' mail); the
 * predictions stored before it have none, as the server did not tell them apart then. And, with the text, the
 * attachment names (a JSON array). 4: the id of the API key that sent each feedback (`key_id`; NULL for those stored
 * before, as for those sent to a server without keys). A file of version 0 made by SCHEMA has every column already.
 */
function migrateFrom(db: Database.Database, from: number): void {
  if (from < 1) toUtcTimes(db);
  const columns = (table: string) => new Set((db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as Array<{ name: string }>).map((c) => c.name));
  for (const [table, names] of Object.entries(ADDED_COLUMNS)) {
    const has = columns(table);
    for (const name of names) if (!has.has(name)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${name} TEXT`);
  }
  db.pragma(`user_version = ${STORE_SCHEMA_VERSION}`);
}

/** Version 1: each time to UTC with milliseconds (strftime reads the offset); a value it cannot read is left as it is. */
function toUtcTimes(db: Database.Database): void {
  for (const [table, column] of [['feedback', 'closed_at'], ['feedback', 'received_at'], ['predictions', 'created_at']]) {
    db.exec(`UPDATE ${table} SET ${column} = coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', ${column}), ${column}) WHERE ${column} NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'`);
  }
}

function upgradedMessage(file: string, from: number, copy: string | undefined): string {
  if (copy === undefined) return `upgraded the SQLite store at ${file} from data version ${from} to ${STORE_SCHEMA_VERSION}; it held no prediction nor feedback, so no copy was made`;
  return (
    `upgraded the SQLite store at ${file} from data version ${from} to ${STORE_SCHEMA_VERSION}; a copy of it as it was (data version ${from}, which the mailroute that wrote it reads) is at ${copy}. ` +
    `It is kept: delete it once this version serves well. To go back, stop the server, move ${file} and its -wal and -shm files aside and put the copy in its place (what was stored since is then lost)`
  );
}

/**
 * Creates the tables of a new file, or brings a file of an older mailroute to STORE_SCHEMA_VERSION, on the
 * connection that opens it, before the writer and checkpointer threads open it. The upgrade is one transaction,
 * which takes the write lock first and reads the version again under it: a server opening the file at once waits,
 * then finds the work done (or, had a newer mailroute upgraded it meanwhile, refuses it). A file that holds records
 * is first copied beside it, in that transaction (`.v<version>-backup`), so the mailroute that wrote it can be run
 * again with its data: no copy, no upgrade. Returns what was upgraded, or undefined for a file already up to date or
 * new.
 */
export function upgradeStore(db: Database.Database, file: string): UpgradeReport | undefined {
  if (dataVersion(db, file) === STORE_SCHEMA_VERSION) {
    db.exec(SCHEMA);
    return undefined;
  }
  let report: UpgradeReport | undefined;
  let started: { from: number; copy: string | undefined } | undefined;
  try {
    db.transaction(() => {
      const from = dataVersion(db, file);
      if (from === STORE_SCHEMA_VERSION) return;
      const tables = storeTables(db);
      const copy = file !== ':memory:' && holdsRecords(db, tables) ? copyBeforeUpgrade(db, file, from) : undefined;
      started = { from, copy };
      db.exec(SCHEMA);
      migrateFrom(db, from);
      // A new file (no table yet) is made, not upgraded: no line for it.
      report = tables.length === 0 ? undefined : { file, fromVersion: from, toVersion: STORE_SCHEMA_VERSION, copy, message: upgradedMessage(file, from, copy) };
    }).immediate();
  } catch (error) {
    if (started === undefined || error instanceof StoreError) throw error;
    let unchanged = false;
    try {
      unchanged = db.pragma('user_version', { simple: true }) === started.from;
    } catch {
      // Not read back: said so.
    }
    throw new UpgradeFailure(file, started.from, unchanged, started.copy, error);
  }
  return report;
}
