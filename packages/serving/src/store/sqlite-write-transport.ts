import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { StoreError } from '../errors.js';
import { createGroupWriter, type WriteMessage } from './sqlite-writes.mjs';

/** Sends writes to the group writer and resolves each promise once its transaction has committed. */
export interface WriteTransport {
  write(message: (id: number) => WriteMessage): Promise<void>;
  close(): Promise<void>;
}

type Waiter = { resolve: () => void; reject: (e: unknown) => void };

/** Promises waiting for their commit, by message id; `busy(true)` when the first starts waiting, `busy(false)` when none is left. */
function waiters(busy: (waiting: boolean) => void = () => {}) {
  const waiting = new Map<number, Waiter>();
  let next = 1;
  return {
    add(resolve: Waiter['resolve'], reject: Waiter['reject']): number {
      const id = next++;
      if (waiting.size === 0) busy(true);
      waiting.set(id, { resolve, reject });
      return id;
    },
    settle(id: number, error: string | undefined): void {
      const w = waiting.get(id);
      if (!w) return;
      waiting.delete(id);
      if (waiting.size === 0) busy(false);
      if (error === undefined) w.resolve();
      else w.reject(new StoreError('SQLite write failed.', {}, { cause: new Error(error) }));
    },
    failAll(reason: string): void {
      for (const id of [...waiting.keys()]) this.settle(id, reason);
    },
  };
}

/** Writes on this thread (`:memory:` databases, which a second connection cannot see). */
export function createInlineWrites(db: Database.Database): WriteTransport {
  const w = waiters();
  const writer = createGroupWriter(db, (m, error) => w.settle(m.id, error?.message));
  return {
    write: (message) => new Promise((resolve, reject) => writer.submit(message(w.add(resolve, reject)))),
    close: async () => writer.flush(),
  };
}

const CHECKPOINT_MS = 200;

/**
 * Writes on a writer thread with its own connection; a thread that dies fails what waits and all later
 * writes. The thread keeps the process alive only while a write waits for its commit.
 */
export function createThreadWrites(file: string, synchronous: string): WriteTransport {
  const worker = new Worker(new URL('./sqlite-writer.worker.mjs', import.meta.url), { workerData: { file, synchronous } });
  worker.unref();
  // Checkpoints (WAL copied into the database file, then fsync) on their own thread, every CHECKPOINT_MS.
  const checkpointer = new Worker(new URL('./sqlite-checkpointer.worker.mjs', import.meta.url), { workerData: { file, intervalMs: CHECKPOINT_MS } });
  checkpointer.unref();
  checkpointer.on('error', () => {}); // the writer's autocheckpoint still bounds the WAL
  const w = waiters((waiting) => (waiting ? worker.ref() : worker.unref()));
  let broken: string | undefined;
  let closed: (() => void) | undefined;
  worker.on('message', (m: { kind: 'closed' } | { kind: 'answers'; committed: number[]; failed: { id: number; message: string }[] }) => {
    if (m.kind === 'closed') return closed?.();
    for (const id of m.committed) w.settle(id, undefined);
    for (const f of m.failed) w.settle(f.id, f.message);
  });
  const die = (reason: string) => {
    broken ??= reason;
    w.failAll(reason);
    closed?.();
  };
  worker.on('error', (error) => die(`the SQLite writer thread failed: ${error.message}`));
  worker.on('exit', (code) => die(`the SQLite writer thread exited (${code})`));
  // One postMessage per event-loop turn: cloning one array is much cheaper than one message per request.
  let outbox: WriteMessage[] = [];
  const send = () => {
    const batch = outbox;
    outbox = [];
    if (!broken) worker.postMessage(batch);
  };
  return {
    write: (message) =>
      new Promise((resolve, reject) => {
        if (broken) return reject(new StoreError('SQLite write failed.', {}, { cause: new Error(broken) }));
        if (outbox.length === 0) setImmediate(send);
        outbox.push(message(w.add(resolve, reject)));
      }),
    close: () =>
      new Promise<void>((resolve) => {
        checkpointer.postMessage({ kind: 'close' });
        if (broken) return resolve();
        closed = resolve;
        worker.ref();
        if (outbox.length > 0) send();
        worker.postMessage({ kind: 'close' });
      }),
  };
}
