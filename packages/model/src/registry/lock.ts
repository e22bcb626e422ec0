import { hostname } from 'node:os';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { RegistryError } from './errors.js';
import { processAlive } from './process-alive.js';

export interface LockOptions {
  /** Give up after this long (ms). */
  timeoutMs?: number;
  /** A lock older than this is stale even if its holder seems alive (ms). */
  staleMs?: number;
}

async function isStale(file: string, staleMs: number): Promise<boolean> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    if (Date.now() - info.mtimeMs > staleMs) return true;
    const holder = JSON.parse(text) as { pid?: unknown; host?: unknown };
    // Only a holder on this machine can be checked; a dead process never releases its lock.
    return typeof holder.pid === 'number' && holder.host === hostname() && !processAlive(holder.pid);
  } catch {
    // Unreadable: being written right now (not stale), or gone (the next try succeeds).
    return false;
  }
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
      if (await isStale(file, staleMs)) {
        await unlink(file).catch(() => undefined);
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
