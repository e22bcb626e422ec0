import { open, readFile, stat, unlink, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { namingFile } from '../write-errors.js';
import { RegistryError } from './errors.js';
import { PID_NAMESPACE, pidsComparable, PROCESS_STARTED, recordedProcessAlive } from './process-alive.js';

export interface LockOptions {
  /** Give up after this long (ms). */
  timeoutMs?: number;
  /**
   * A lock of a holder that cannot be asked whether it lives (another host's, another PID namespace's) is stale once
   * not refreshed for this long (ms). A holder of this host is asked: dead, its lock is stale at once; alive, never.
   */
  staleMs?: number;
  /** How often a holder refreshes its lock's mtime (ms; default staleMs / 4; 0: never). */
  heartbeatMs?: number;
  /** What a timeout says is held (default `registry is locked by another writer`). */
  heldBy?: string;
}

/** A holder writes its pid right after creating the file: empty (or cut short) for longer than this, it crashed between. */
const EMPTY_STALE_MS = 2_000;

/** A file as a writer saw it: enough to tell whether a path still names that file. */
interface Seen {
  ino: number;
  mtimeMs: number;
}

/** What a lock file says of its holder. */
export interface LockHolder {
  pid?: unknown;
  host?: unknown;
  pidNamespace?: unknown;
  /** When the holder's process started (`processStartTime`): a pid used again by a later process is not the holder. */
  started?: unknown;
}

/**
 * Whether a lock's holder is alive: true or false for one that can be checked (a process of this host and PID
 * namespace), undefined for one that cannot (another host's, another container's), which is judged by its heartbeat.
 */
export type HolderAlive = (holder: LockHolder) => boolean | undefined;

const holderAlive: HolderAlive = (holder) => {
  if (typeof holder.pid !== 'number' || !pidsComparable(holder.host, holder.pidNamespace)) return undefined;
  return recordedProcessAlive(holder.pid, holder.started);
};

/**
 * The lock file as seen when its holder is gone: a dead process on this host (at once), one of another host not
 * refreshed for staleMs, or a file left empty (or cut short) too long. A live process on this host is never taken for
 * gone by the age of its lock: paused (SIGSTOP, `docker pause`, a laptop asleep) or its event loop blocked, it would
 * go on and write once resumed, over the writes of the one that took its lock.
 */
async function staleLock(file: string, staleMs: number, alive: HolderAlive): Promise<Seen | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    const seen = { ino: info.ino, mtimeMs: info.mtimeMs };
    const age = Date.now() - info.mtimeMs;
    // Empty, or cut short (a crash or a full disk while its holder wrote it): its writer is gone.
    const abandoned = age > EMPTY_STALE_MS || age > staleMs ? seen : undefined;
    if (text === '') return abandoned;
    let holder: LockHolder;
    try {
      holder = JSON.parse(text) as LockHolder;
    } catch {
      return abandoned;
    }
    if (holder === null || typeof holder !== 'object') return abandoned;
    const living = alive(holder);
    if (living !== undefined) return living ? undefined : seen;
    // Another host's (or container's) holder cannot be asked: it is gone once it stops refreshing its lock.
    return age > staleMs ? seen : undefined;
  } catch {
    // Unreadable: being written right now (not stale), or gone (the next try succeeds).
    return undefined;
  }
}

/** Removes `file` if `same` holds for what it names now; true if it did. */
async function unlinkIf(file: string, same: (now: Seen) => boolean): Promise<boolean> {
  const now = await stat(file).catch(() => undefined);
  if (!now || !same(now)) return false;
  return unlink(file).then(() => true, () => false);
}

/** Removes `file` if it still is the file with inode `ino`, one this process holds open (so its inode number stays its own). */
const unlinkIfInode = (file: string, ino: number) => unlinkIf(file, (now) => now.ino === ino);

/**
 * Removes `file` if it still is the stale file seen. An inode number is unique only among files that exist:
 * that of a file another writer just removed can go at once to the next file created, so the mtime the file
 * was judged stale by must match too (a new file has a fresh one; a holder that refreshed its lock is alive).
 * Left open: the gap between this stat and the unlink, in which another writer would have to remove the file
 * and a third create a new one. Renaming the file aside and checking the moved one would trade this gap for
 * others: a live file moved aside by mistake lets a second writer in until it is put back, and a writer that
 * dies in between leaves it aside for good.
 */
const unlinkIfUnchanged = (file: string, seen: Seen) => unlinkIf(file, (now) => now.ino === seen.ino && now.mtimeMs === seen.mtimeMs);

/** A breaker holds its break file for two system calls: one older than this crashed in between. */
const BREAK_STALE_MS = 10_000;

/**
 * Removes a stale lock without removing a fresh one. Breakers take turns through a break file (O_EXCL):
 * the one whose turn it is judges the lock again and removes it only if it is still stale, so a writer
 * that judged it stale before another broke it and a new holder took it cannot remove the new lock. The
 * lock itself is never moved aside: a live lock moved aside could not always be put back.
 */
async function removeStale(file: string, staleMs: number, alive: HolderAlive): Promise<boolean> {
  const breaker = `${file}.break`;
  let handle: FileHandle;
  try {
    handle = await open(breaker, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false;
    // Another writer is breaking it now (the caller waits and tries again), or one crashed doing so: its file goes.
    const info = await stat(breaker).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > BREAK_STALE_MS) await unlinkIfUnchanged(breaker, info);
    return false;
  }
  try {
    const stale = await staleLock(file, staleMs, alive);
    return stale !== undefined && (await unlinkIfUnchanged(file, stale));
  } finally {
    try {
      await unlinkIfInode(breaker, (await handle.stat()).ino);
    } finally {
      // Closed even when fstat fails (its break file is then left to go stale and be cleared by the next breaker).
      await handle.close();
    }
  }
}

/**
 * Who holds the lock, as its file says, for the timeout's message: `: process 4711 on host-a since 2026-12-04T10:00:00Z,
 * refreshed 3 s ago; taken for stale once not refreshed for 120 s`. Empty when the file cannot be read.
 */
async function holderOf(file: string, staleMs: number): Promise<string> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    const holder = JSON.parse(text) as { pid?: unknown; host?: unknown; at?: unknown };
    const since = typeof holder.at === 'string' ? ` since ${holder.at}` : '';
    const refreshed = Math.round((Date.now() - info.mtimeMs) / 1000);
    return `: process ${String(holder.pid)} on ${String(holder.host)}${since}, refreshed ${refreshed} s ago; taken for stale at once when that process is gone from this host (while it lives, however long it holds the lock), or once not refreshed for ${Math.round(staleMs / 1000)} s when it is another host's: if no mailroute command runs, delete the file`;
  } catch {
    return '';
  }
}

/** What a waiting writer waits with, and how it asks whether a holder lives; a test passes its own. */
export interface LockDeps {
  sleep: (ms: number) => Promise<void>;
  /** Default: its pid (and start time) asked on this host and PID namespace; undefined (judged by age) elsewhere. */
  holderAlive?: HolderAlive;
  /** Test hook: runs just before the holder writes its record into the new lock file (a test fails it as a full disk would). */
  beforeHolderWrite?: () => void | Promise<void>;
}

const defaultDeps: LockDeps = { sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/**
 * What a holder writes into its lock file: who holds it, for a waiting writer to judge whether it lives and for a timeout
 * to name. Its size is part of the room a registry write needs.
 */
export function holderRecord(): string {
  return JSON.stringify({
    pid: process.pid,
    host: hostname(),
    ...(PID_NAMESPACE === '' ? {} : { pidNamespace: PID_NAMESPACE }),
    ...(PROCESS_STARTED === undefined ? {} : { started: PROCESS_STARTED }),
    at: new Date().toISOString(),
  });
}

/** The lock as its holder sees it while `fn` runs. */
export interface HeldLock {
  /**
   * Resolves while the lock file is still this holder's; else throws `REGISTRY_LOCK_LOST`: another writer took it
   * for stale (this one paused past its staleness, on another host) or it was deleted, and may be writing now. A
   * holder calls it just before it replaces a shared file, so that it writes nothing over another's writes.
   */
  check(): Promise<void>;
}

/**
 * Throws `REGISTRY_LOCK_LOST` unless `file` still is the lock of inode `ino`, which its holder keeps open (so no other
 * file can have that inode meanwhile).
 */
async function checkStillHeld(file: string, ino: number, staleMs: number): Promise<void> {
  const now = await stat(file).catch(() => undefined);
  if (now?.ino === ino) return;
  throw new RegistryError(
    'REGISTRY_LOCK_LOST',
    `${file} is no longer this writer's lock (${now === undefined ? 'it was deleted' : 'another writer holds it now'}: taken for stale while this process was paused or its host unreachable, past ${Math.round(staleMs / 1000)} s, or removed by hand); nothing was written, as the other writer may have changed the registry meanwhile: run the command again`,
  );
}

/**
 * Runs `fn` holding an exclusive lock file (created with O_EXCL, so exactly one writer wins), across
 * processes. A lock left by a crashed process (dead pid on this host, or another host's not refreshed for
 * staleMs) is removed; a live process of this host keeps its lock however long it is paused. The holder
 * refreshes its lock's mtime while `fn` runs, so a long write is not taken for a crash; `fn` is given
 * `check()`, to call before it replaces what the lock guards (throws `REGISTRY_LOCK_LOST` once the lock is
 * another's); and at the end the lock is removed only if it still is its own: a holder that was taken for
 * dead does not remove its successor's.
 */
export async function withFileLock<T>(file: string, fn: (lock: HeldLock) => Promise<T>, options: LockOptions = {}, given: Partial<LockDeps> = {}): Promise<T> {
  const deps: LockDeps = { ...defaultDeps, ...given };
  const timeoutMs = options.timeoutMs ?? 15_000;
  const staleMs = options.staleMs ?? 120_000;
  const heartbeatMs = options.heartbeatMs ?? staleMs / 4;
  const alive = deps.holderAlive ?? holderAlive;
  const start = Date.now();
  let handle: FileHandle;
  for (;;) {
    try {
      handle = await open(file, 'wx');
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A stale lock this writer removed: try again at once. One it could not remove (another writer is
      // breaking it, one crashed doing so, or it cannot be removed at all) is waited for like a live one,
      // so that no writer spins or waits past its timeout.
      if ((await staleLock(file, staleMs, alive)) !== undefined && (await removeStale(file, staleMs, alive))) continue;
      if (Date.now() - start > timeoutMs) throw new RegistryError('REGISTRY_LOCK_TIMEOUT', `${options.heldBy ?? 'registry is locked by another writer'} (${file}${await holderOf(file, staleMs)})`);
      await deps.sleep(5 + Math.random() * 20);
    }
  }
  // Held open until released: its inode cannot be reused by a successor's lock, so it identifies ours.
  const held = handle;
  let ino: number | undefined;
  let beat: NodeJS.Timeout | undefined;
  try {
    ino = (await held.stat()).ino;
    const mine = ino;
    // On a full disk the file is created (an inode) and its first write fails: the error then names the lock file.
    try {
      await deps.beforeHolderWrite?.();
      await held.writeFile(holderRecord());
    } catch (error) {
      throw namingFile(error, file);
    }
    if (heartbeatMs > 0) {
      beat = setInterval(() => {
        const now = new Date();
        held.utimes(now, now).catch(() => undefined);
      }, heartbeatMs);
      // A lock being held must not keep a process alive that has nothing else to do.
      beat.unref();
    }
    return await fn({ check: () => checkStillHeld(file, mine, staleMs) });
  } finally {
    clearInterval(beat);
    if (ino !== undefined) await unlinkIfInode(file, ino);
    else await unlink(file).catch(() => undefined); // no inode to compare (fstat failed) just after it was created
    await held.close();
  }
}
