import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { RegistryError } from './errors.js';
import { processAlive } from './process-alive.js';

export interface LockOptions {
  /** Give up after this long (ms). */
  timeoutMs?: number;
  /** A lock older than this is stale even if its holder seems alive (ms). */
  staleMs?: number;
}

/** A holder writes its pid right after creating the file: empty for longer than this, it crashed between. */
const EMPTY_STALE_MS = 2_000;

/** The lock file's inode when its holder is gone (dead pid on this host, empty too long, or older than staleMs). */
async function staleInode(file: string, staleMs: number): Promise<number | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    const age = Date.now() - info.mtimeMs;
    if (age > staleMs || (text === '' && age > EMPTY_STALE_MS)) return info.ino;
    const holder = JSON.parse(text) as { pid?: unknown; host?: unknown };
    // Only a holder on this machine can be checked; a dead process never releases its lock.
    return typeof holder.pid === 'number' && holder.host === hostname() && !processAlive(holder.pid) ? info.ino : undefined;
  } catch {
    // Unreadable: being written right now (not stale), or gone (the next try succeeds).
    return undefined;
  }
}

/**
 * Removes a stale lock without removing a fresh one: two writers that both judged it stale must not
 * delete each other's new lock. The file is renamed aside (atomic, so one of them gets it); if what was
 * moved is not the stale file (another writer replaced it in between), it is linked back.
 */
async function removeStale(file: string, ino: number): Promise<void> {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(file, aside);
  } catch {
    return; // already taken away by another writer
  }
  const moved = await stat(aside).catch(() => undefined);
  if (moved && moved.ino !== ino) await link(aside, file).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` holding an exclusive lock file (created with O_EXCL, so exactly one writer wins), across
 * processes. A lock left by a crashed process (dead pid on this host, or older than staleMs) is removed.
 */
export async function withFileLock<T>(file: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const staleMs = options.staleMs ?? 120_000;
  const start = Date.now();
  for (;;) {
    try {
      const handle = await open(file, 'wx');
      try {
        await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }));
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const stale = await staleInode(file, staleMs);
      if (stale !== undefined) {
        await removeStale(file, stale);
        continue;
      }
      if (Date.now() - start > timeoutMs) throw new RegistryError('REGISTRY_LOCK_TIMEOUT', `registry is locked by another writer (${file})`);
      await sleep(5 + Math.random() * 20);
    }
  }
  try {
    return await fn();
  } finally {
    await unlink(file).catch(() => undefined);
  }
}
