import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { chown, lstat, mkdir, readdir, realpath, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import Database from 'better-sqlite3';
import { processAlive, REGISTRY_LOCK_FILE, withFileLock } from '@mailroute/model';
import { API_KEYS_FILE, DB_FILE, STORE_SCHEMA_VERSION } from '@mailroute/serving';
import type { CliContext } from '../context.js';
import { InterruptedError, UsageError } from '../errors.js';
import { twoStepInterrupt } from '../interrupt.js';
import { plural } from '../plural.js';
import { createProgress } from '../progress.js';
import { safeJson, safeLines } from '../terminal-text.js';
import { writeStdout } from '../write-output.js';
import { applyErasuresSince, ERASURE_LOG, readErasures } from './erasure-log.js';
import { BackupError, copyHashed, makeFolder, MANIFEST_FILE, syncFolder, verifyBackup, type BackupManifest } from './backup.js';
import { namedKeyFile } from './serve.js';
import { placeOf, realPathOfNew } from '../output-path.js';

/** What a backup holds at its top (backup.json aside): the home's records. */
const BACKED_UP = [DB_FILE, 'registry.json', 'models', 'runs', API_KEYS_FILE];
/** What a home holds that a restore replaces: the records a backup holds, and the database's WAL and shared memory, never kept beside a restored file. */
const HOME_RECORDS = [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, ...BACKED_UP.slice(1)];

/** A failure of `restore` (exit code 1). */
export class RestoreError extends Error {
  constructor(
    readonly code: 'RESTORE_HOME_IN_USE' | 'RESTORE_DATABASE_TOO_NEW' | 'RESTORE_COPY_MISMATCH',
    message: string,
  ) {
    super(message);
    this.name = 'RestoreError';
  }
}

/** UTC time as a file name part: `20261207T221500Z`. */
const stamp = (now: Date) => now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

/**
 * Whether a process holds `file` (a SQLite database) open: a server, a backup or an export reading it. Asked by taking
 * SQLite's exclusive lock for a moment, which any open WAL connection keeps from it; false when no one does.
 */
export function databaseInUse(file: string): boolean {
  if (!existsSync(file)) return false;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return true;
    // Not a database SQLite can open (damaged, unreadable): nothing holds it as one; the restore replaces it.
    return false;
  } finally {
    db?.close();
  }
}

/** The records of the home that a restore would replace (names from HOME_RECORDS that are there). */
async function recordsIn(home: string): Promise<string[]> {
  const names = await readdir(home).catch(() => [] as string[]);
  return HOME_RECORDS.filter((name) => names.includes(name));
}

/** The home as the restore writes it: a link to a folder is followed (the folder is replaced, the link kept). */
async function homeTarget(home: string): Promise<string> {
  const info = await lstat(home).catch(() => undefined);
  return info?.isSymbolicLink() === true ? realpath(home) : home;
}

interface RestoreFlags {
  home?: string;
  replace?: boolean;
  json?: boolean;
}

/** The files of the backup to copy into the home, as backup.json lists them (its own file aside). */
function filesToCopy(manifest: BackupManifest): BackupManifest['files'] {
  return manifest.files.filter((f) => f.path !== MANIFEST_FILE);
}

/**
 * Puts the staged records in place of the home's: those the home holds (`records`) are moved into `aside` (a folder
 * made for them) first, then each top-level entry of `staging` into the home. On a failure, what was moved goes back,
 * and the error is thrown.
 */
async function swapIn(home: string, staging: string, records: readonly string[], aside: string | undefined): Promise<void> {
  const movedAside: string[] = [];
  const placed: string[] = [];
  try {
    if (aside !== undefined) {
      for (const name of records) {
        await rename(path.join(home, name), path.join(aside, name));
        movedAside.push(name);
      }
    }
    for (const name of await readdir(staging)) {
      await rename(path.join(staging, name), path.join(home, name));
      placed.push(name);
    }
  } catch (error) {
    for (const name of placed) await rename(path.join(home, name), path.join(staging, name)).catch(() => undefined);
    if (aside !== undefined) {
      for (const name of movedAside) await rename(path.join(aside, name), path.join(home, name)).catch(() => undefined);
      // Only the folder made for this restore, and only once it is empty again.
      await rmdir(aside).catch(() => undefined);
    }
    throw error;
  }
}

/** Copies the backup's `files` into `staging`, each checked against backup.json's sha256 as it is written. */
async function copyInto(backup: string, staging: string, files: BackupManifest['files'], ctx: CliContext, signal: AbortSignal): Promise<void> {
  const total = files.reduce((n, f) => n + f.bytes, 0);
  const progress = total >= 64 * 1024 * 1024 ? createProgress(ctx, 'restore copy') : undefined;
  let done = 0;
  const made = new Set<string>([staging]);
  try {
    for (const file of files) {
      const to = path.join(staging, ...file.path.split('/'));
      for (let dir = path.dirname(to), chain: string[] = []; ; dir = path.dirname(dir)) {
        if (made.has(dir)) {
          for (const folder of chain.reverse()) {
            await makeFolder(folder);
            made.add(folder);
          }
          break;
        }
        chain.push(dir);
      }
      const copied = await copyHashed(path.join(backup, ...file.path.split('/')), to, (n) => progress?.update((done += n), total), signal);
      if (copied.sha256 !== file.sha256 || copied.bytes !== file.bytes) {
        throw new RestoreError('RESTORE_COPY_MISMATCH', `${file.path} changed in the backup while it was copied (its sha256 no longer that of ${MANIFEST_FILE}): nothing was restored; check the backup again (mailroute backup --verify)`);
      }
    }
    for (const dir of made) await syncFolder(dir);
  } finally {
    progress?.stop();
  }
}

/**
 * Refuses a backup inside the home (its records would be moved aside, the backup with them, into the folder the
 * report says to delete) and a home inside the backup (the restored files would spoil the backup's own check).
 */
async function refuseOverlap(backup: string, home: string): Promise<void> {
  const [b, h] = await Promise.all([realPathOfNew(backup), realPathOfNew(home)]);
  if (placeOf(b, [h]) !== undefined) throw new UsageError(`the backup ${backup} is inside the home ${home}: move it out of the home first (a restore moves the home's records aside, and a backup among them with them)`);
  if (placeOf(h, [b]) !== undefined) throw new UsageError(`the home ${home} is inside the backup ${backup}: restore into a home outside the backup folder`);
}

/** Refuses while a process holds the home's database open. */
function refuseInUse(home: string): void {
  if (databaseInUse(path.join(home, DB_FILE))) {
    throw new RestoreError('RESTORE_HOME_IN_USE', `a process holds ${path.join(home, DB_FILE)} open (a running mailroute serve, or a backup or export reading it): stop it, then restore; nothing was changed`);
  }
}

/** A restore's staging folder in the home: `.restoring-<pid>-<hex>`. */
const STAGING = /^\.restoring-(\d+)-[0-9a-f]{8}$/;

/** Removes the staging folders of restores whose process is gone (killed: SIGKILL, a closed terminal), each said. */
async function removeAbandonedStaging(home: string, said: (name: string) => void): Promise<void> {
  for (const name of await readdir(home).catch(() => [] as string[])) {
    const pid = STAGING.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid || processAlive(Number(pid))) continue;
    await rm(path.join(home, name), { recursive: true, force: true });
    said(name);
  }
}

/**
 * Copies the backup into a staging folder in the home (each record then put in place by a rename on one file system),
 * checks again that no process holds the database, and swaps the records in. Returns where the home's records went,
 * when it had any. A Ctrl-C during the copy stops it, the home unchanged; during the swap (a moment of renames) it
 * finishes.
 */
async function restoreUnderLock(ctx: CliContext, backup: string, home: string, manifest: BackupManifest): Promise<{ aside?: string; reapplied: Reapplied }> {
  const staging = path.join(home, `.restoring-${process.pid}-${randomBytes(4).toString('hex')}`);
  let swapping = false;
  const interrupt = twoStepInterrupt(ctx, {
    stopping: (signal) => (swapping ? `the restored records are being put in place: it finishes in a moment (${signal} again quits at once, leaving the home half restored; its records before it are in ${home}/.before-restore-*)` : `stopping (${signal} again quits at once); the home is not changed`),
    quitting: 'quitting now',
    again: () => {
      if (!swapping) rmSync(staging, { recursive: true, force: true });
    },
    reason: new InterruptedError(`interrupted: nothing was restored into ${home}`),
  });
  try {
    await makeFolder(staging);
    await copyInto(backup, staging, filesToCopy(manifest), ctx, interrupt.signal);
    interrupt.signal.throwIfAborted();
    // Erasures carried out since the backup was made: its database holds their records, which must not come back.
    const reapplied = await reapplyErasures(home, staging, manifest);
    // A server started while the files were copied (a supervisor restarting it) would write on into the moved database.
    refuseInUse(home);
    await chownLikeHome(home, staging);
    // Read again under the lock: what the home holds now is what is moved aside.
    const records = await recordsIn(home);
    swapping = true;
    const aside = records.length > 0 ? await asideFolder(home) : undefined;
    await swapIn(home, staging, records, aside);
    await syncFolder(home);
    return { ...(aside === undefined ? {} : { aside }), reapplied };
  } catch (error) {
    if (interrupt.signal.aborted && !swapping) throw interrupt.signal.reason;
    throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
    interrupt.release();
  }
}

type Reapplied = Awaited<ReturnType<typeof applyErasuresSince>> & { unread: number };

/** The home's erasure log applied to the staged database: the erasures recorded after the backup was made. */
async function reapplyErasures(home: string, staging: string, manifest: BackupManifest): Promise<Reapplied> {
  const { erasures, unread } = await readErasures(home);
  if (manifest.database === null) return { requests: 0, emails: 0, predictions: 0, feedback: 0, unread };
  return { ...(await applyErasuresSince(path.join(staging, DB_FILE), erasures, manifest.createdAt)), unread };
}

/** A new folder for the home's records, named by the time and made here (never one that was there). */
async function asideFolder(home: string): Promise<string> {
  const dir = path.join(home, `.before-restore-${stamp(new Date())}-${randomBytes(3).toString('hex')}`);
  await makeFolder(dir);
  return dir;
}

/**
 * Run as root into a home another user owns (the server's user), the restored files are given to that user, as the
 * home's own files were: root's files of mode 0600 are ones the server cannot read.
 */
async function chownLikeHome(home: string, staging: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const owner = await stat(home);
  if (owner.uid === 0) return;
  const entries = await readdir(staging, { recursive: true });
  await chown(staging, owner.uid, owner.gid);
  for (const entry of entries) await chown(path.join(staging, entry), owner.uid, owner.gid);
}

/** `mailroute restore <backup>`: a backup made by `mailroute backup`, checked, into the home, the home's records before it kept aside. */
export function registerRestore(program: Command, ctx: CliContext): void {
  program
    .command('restore <backup>')
    .description(
      `Restore a backup made by mailroute backup into MAILROUTE_HOME (or --home), the server stopped: checks the backup first (as backup --verify), refuses while a process holds the home's ${DB_FILE} (a server, a backup, an export), copies every file checking its sha256 (folders 0700, files 0600) beside the home, then swaps it in; with --replace the home's records before it are kept in <home>/.before-restore-<time>/`,
    )
    .option('--home <dir>', 'the home to restore into (env MAILROUTE_HOME); made when it is not there')
    .option('--replace', 'replace a home that holds records (a database, a registry, models, runs or a key file): they are moved aside, not deleted')
    .option('--json', 'print the result as one JSON object')
    .action(async (given: string, flags: RestoreFlags) => {
      const backup = path.resolve(ctx.cwd, given);
      const result = await verifyBackup(backup, { progress: (title) => createProgress(ctx, title) });
      for (const n of result.notes) ctx.stderr.write(safeLines(`note: ${n}\n`));
      if (!result.ok) {
        const shown = result.problems.slice(0, 2).join('; ');
        throw new BackupError('BACKUP_VERIFY_FAILED', `${backup} is not whole, so nothing was restored: ${plural(result.problems.length, 'problem')}: ${shown}${result.problems.length > 2 ? `; and ${result.problems.length - 2} more` : ''} (mailroute backup --verify ${given} lists them)`);
      }
      const { manifest } = result;
      // What a backup holds at its top: the home's records. Another name would be put into the home over a file of the same name.
      const strays = [...new Set(filesToCopy(manifest).map((f) => f.path.split('/')[0]))].filter((name) => !BACKED_UP.includes(name));
      if (strays.length > 0) {
        throw new BackupError('BACKUP_NOT_A_BACKUP', `${backup}: ${MANIFEST_FILE} lists ${strays.map((n) => JSON.stringify(n)).join(', ')}, which no mailroute backup holds (it holds ${BACKED_UP.join(', ')}): nothing was restored`);
      }
      if (manifest.database !== null && manifest.database.userVersion > STORE_SCHEMA_VERSION) {
        throw new RestoreError('RESTORE_DATABASE_TOO_NEW', `the backup's ${DB_FILE} is of a newer mailroute (data version ${manifest.database.userVersion}; this one reads up to ${STORE_SCHEMA_VERSION}): restore it with that version or later`);
      }
      const home = await homeTarget(path.resolve(ctx.cwd, flags.home ?? ctx.home));
      await refuseOverlap(backup, home);
      const records = await recordsIn(home);
      if (records.length > 0 && flags.replace !== true) {
        throw new UsageError(`${home} holds records (${records.join(', ')}): add --replace to restore over them (they are moved aside into ${home}/.before-restore-<time>/, not deleted), or restore into an empty home (--home)`);
      }
      refuseInUse(home);
      if (!existsSync(home)) {
        await mkdir(path.dirname(home), { recursive: true });
        await makeFolder(home);
      }
      await removeAbandonedStaging(home, (name) => ctx.stderr.write(safeLines(`note: removed ${path.join(home, name)}, left by a restore that was killed\n`)));
      // Under the registry's lock: no train, approve or other restore writes the home meanwhile.
      const { aside, reapplied } = await withFileLock(path.join(home, REGISTRY_LOCK_FILE), () => restoreUnderLock(ctx, backup, home, manifest), {
        timeoutMs: 2_000,
        heldBy: `another command holds ${home}'s registry lock (a train registering, a registry command, or another restore): wait for it, then restore`,
      });
      const keysNamed = namedKeyFile(ctx, {});
      if (manifest.apiKeys !== null && keysNamed !== undefined && (await realPathOfNew(keysNamed)) !== (await realPathOfNew(path.join(home, API_KEYS_FILE)))) {
        ctx.stderr.write(safeLines(`note: the server reads its keys from ${keysNamed} (MAILROUTE_API_KEYS_FILE), not ${path.join(home, API_KEYS_FILE)}, where the backup's key file was restored: copy it there (mode 0600) before the server starts\n`));
      }
      const report = { ...restoreReport(manifest, backup, home, aside), erasuresApplied: reapplied };
      await writeStdout(ctx.stdout, flags.json ? `${safeJson(report)}\n` : safeLines(restoreText(report)));
    });
}

interface RestoreReport {
  backup: string;
  home: string;
  madeAt: string;
  madeOf: string;
  files: number;
  database: BackupManifest['database'];
  champion: string | null;
  versions: number;
  runs: number;
  apiKeys: boolean;
  movedAside: string | null;
}

function restoreReport(manifest: BackupManifest, backup: string, home: string, aside: string | undefined): RestoreReport {
  return {
    backup,
    home,
    madeAt: manifest.createdAt,
    madeOf: `${manifest.home} on ${manifest.host}`,
    files: manifest.files.length,
    database: manifest.database,
    champion: manifest.registry?.champion ?? null,
    versions: manifest.registry?.versions ?? 0,
    runs: manifest.runs?.length ?? 0,
    apiKeys: manifest.apiKeys !== null,
    movedAside: aside ?? null,
  };
}

/** What the terminal shows: what came back, where the old home went, and what to do before the server takes traffic. */
function restoreText(r: RestoreReport & { erasuresApplied: Reapplied }): string {
  const db = r.database;
  const e = r.erasuresApplied;
  return [
    `restored ${r.backup} (made ${r.madeAt} of ${r.madeOf}) into ${r.home}: ${plural(r.files, 'file')}, each matching its sha256`,
    db === null ? `  no ${DB_FILE} in the backup: the server starts with an empty store` : `  ${DB_FILE}: ${plural(db.rows.predictions, 'prediction')} and ${db.rows.feedback} feedback (data version ${db.userVersion})`,
    `  registry: ${plural(r.versions, 'version')}, champion ${r.champion ?? '(none)'}; runs: ${r.runs}`,
    ...(e.requests === 0 ? [] : [`  erased again: ${plural(e.requests, 'erasure request')} recorded in ${ERASURE_LOG} since the backup was made: ${plural(e.emails, 'email')} found, ${plural(e.predictions, 'prediction')} and ${e.feedback} feedback deleted`]),
    ...(e.unread === 0 ? [] : [`  warning: ${plural(e.unread, 'line')} of ${ERASURE_LOG} could not be read: the erasures they record were not applied again; check the file`]),
    ...(r.movedAside === null ? [] : [`  the home's records before it: ${r.movedAside} (delete it once the restored server serves)`]),
    ...(r.apiKeys
      ? [
          `  ${API_KEYS_FILE}: as it was when the backup was made: the server requires keys from its next start; revoke again the keys revoked since (mailroute serve --revoke-key <id>), make again those made since (--new-key <id>), and rotate any that leaked (--new-key <id> --rotate)`,
        ]
      : [`  no key file in the backup: the server serves without auth (loopback only) unless given one`]),
    'next: start the server (mailroute serve); it loads the champion and checks its files',
    '',
  ].join('\n');
}
