import { open, readFile, stat, unlink, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { RegistryError } from './errors.js';
import { PID_NAMESPACE, pidsComparable, processAlive } from './process-alive.js';

export interface LockOptions {
  /** Give up after this long (ms). */
  timeoutMs?: number;
  /** A lock not refreshed for this long is stale even if its holder seems alive (ms). */
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

/** The lock file as seen when its holder is gone (dead pid on this host, empty too long, or not refreshed for staleMs). */
async function staleLock(file: string, staleMs: number): Promise<Seen | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    const seen = { ino: info.ino, mtimeMs: info.mtimeMs };
    const age = Date.now() - info.mtimeMs;
    if (age > staleMs || (text === '' && age > EMPTY_STALE_MS)) return seen;
    let holder: { pid?: unknown; host?: unknown; pidNamespace?: unknown };
    try {
      holder = JSON.parse(text) as typeof holder;
    } catch {
      // Cut short (a crash or a full disk while its holder wrote it): as an empty one, its writer is gone.
      return age > EMPTY_STALE_MS ? seen : undefined;
    }
    // Only a holder on this machine (in this PID namespace) can be checked; a dead process never releases its lock.
    return typeof holder.pid === 'number' && pidsComparable(holder.host, holder.pidNamespace) && !processAlive(holder.pid) ? seen : undefined;
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
async function removeStale(file: string, staleMs: number): Promise<boolean> {
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
    const stale = await staleLock(file, staleMs);
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
    return `: process ${String(holder.pid)} on ${String(holder.host)}${since}, refreshed ${refreshed} s ago; taken for stale once not refreshed for ${Math.round(staleMs / 1000)} s, or at once when that process is gone from this host: if no mailroute command runs, delete the file`;
  } catch {
    return '';
  }
}

/** What a waiting writer waits with; a test passes its own to count the waits. */
export interface LockDeps {
  sleep: (ms: number) => Promise<void>;
}

const defaultDeps: LockDeps = { sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/**
 * Runs `fn` holding an exclusive lock file (created with O_EXCL, so exactly one writer wins), across
 * processes. A lock left by a crashed process (dead pid on this host, or not refreshed for staleMs) is
 * removed. The holder refreshes its lock's mtime while `fn` runs, so a long write is not taken for a
 * crash, and at the end removes the lock only if it still is its own: a holder that was taken for dead
 * (its event loop blocked past staleMs) does not remove its successor's.
 */
export async function withFileLock<T>(file: string, fn: () => Promise<T>, options: LockOptions = {}, deps: LockDeps = defaultDeps): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const staleMs = options.staleMs ?? 120_000;
  const heartbeatMs = options.heartbeatMs ?? staleMs / 4;
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
      if ((await staleLock(file, staleMs)) !== undefined && (await removeStale(file, staleMs))) continue;
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
    await held.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), ...(PID_NAMESPACE === '' ? {} : { pidNamespace: PID_NAMESPACE }), at: new Date().toISOString() }));
    if (heartbeatMs > 0) {
      beat = setInterval(() => {
        const now = new Date();
        held.utimes(now, now).catch(() => undefined);
      }, heartbeatMs);
      // A lock being held must not keep a process alive that has nothing else to do.
      beat.unref();
    }
    return await fn();
  } finally {
    clearInterval(beat);
    if (ino !== undefined) await unlinkIfInode(file, ino);
    else await unlink(file).catch(() => undefined); // no inode to compare (fstat failed) just after it was created
    await held.close();
  }
}
