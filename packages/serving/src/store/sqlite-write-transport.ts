import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { StoreError, StoreUnavailableError } from '../errors.js';
import { checkPredictionRecords, createPredictionPacker, type PredictionPack } from './prediction-pack.mjs';
import { FILE_GONE_CODE, fileGoneProblem } from './sqlite-file-identity.mjs';
import { corruptStoreMessage, failureOf, sqliteWriteProblem, WRITER_GONE_CODE, writeFailed, type Failure } from './sqlite-write-errors.js';
import { createGroupWriter, QUEUED_ID as QUEUED, wroteChange, type WriteMessage } from './sqlite-writes.mjs';
import type { ReplacedFeedback } from './types.js';
import { createWriteHealth, type Failing, type WriteHealth, type WriteHealthOptions } from './write-health.js';

export { sqliteWriteProblem, WRITER_GONE_CODE, type SqliteWriteProblem } from './sqlite-write-errors.js';

type NewMessage = (id: number) => WriteMessage;

/** The rows a prune deleted, per table. */
export interface PruneCounts {
  predictions: number;
  feedback: number;
}

/**
 * How a write committed: `superseded` for a feedback that changed nothing, as the stored one closed later;
 * `unchanged` for one that set no label and cleared none (no stored label of its `clearTasks`: nothing written);
 * `{ cleared, replaced }` for one written that removed the stored labels of those tasks, or replaced the feedback
 * another API key recorded (`ReplacedFeedback`); `{ pruned }` for a prune, with the rows it deleted.
 */
export type WriteOutcome = 'written' | 'superseded' | 'unchanged' | { cleared: string[]; replaced?: ReplacedFeedback } | { pruned: PruneCounts };

/** Sends writes to the group writer. */
export interface WriteTransport {
  /** Goes in this event-loop turn, with everything queued before it; resolves once committed. */
  write(message: NewMessage): Promise<WriteOutcome>;
  /**
   * Goes with the next group commit, at most `bufferMs` later, and is not waited for: a failure goes to
   * `onError`. Returns a promise (resolved at the commit) only when so many writes wait that the caller
   * should slow down.
   */
  queue(message: NewMessage): Promise<WriteOutcome> | undefined;
  /** Resolves once every write made before the call has committed or failed. */
  settled(): Promise<void>;
  /**
   * The error every write (and read) fails with once the database file was found deleted, replaced or damaged, or the
   * writer thread ended; undefined while none of these happened.
   */
  lost(): StoreUnavailableError | undefined;
  /** Looks now whether the database file was deleted or replaced (a store with no file to watch: nothing). */
  checkFile(): void;
  /** A read failed with `failure`: when SQLite found the file damaged, the store is lost as for a write (`lost()`). */
  markIfCorrupt(failure: Failure): void;
  /**
   * Why writes fail now, its file system read-only or its disk failing, and since when; undefined when the last
   * such failure was followed by a write that committed (or there was none). The store is not ready meanwhile.
   */
  failing(): Failing | undefined;
  close(): Promise<void>;
}

/** The database file the connections opened, watched for being deleted or replaced under them. */
export interface FileWatch {
  file: string;
  /** Its identity when the store opened it (`fileIdentity`). */
  opened: string;
  /**
   * Told once, when the store can take no more writes until a restart: the file found deleted or replaced
   * (`file-gone`), the writer thread ended (`writer-gone`), or SQLite found the file damaged (`corrupt`).
   */
  onLost: (problem: string, kind: StoreLostKind) => void;
}

/** How a store is lost until a restart. */
export type StoreLostKind = 'file-gone' | 'writer-gone' | 'corrupt';

/** SQLite's code of a damaged file, for the lost store's failure (`sqliteWriteProblem` reads it as `corrupt`). */
const CORRUPT_CODE = 'SQLITE_CORRUPT';

/** Whether the watched file is lost; once it is, for good (the connections stay on the deleted file). */
function lostFile(watch: FileWatch | undefined) {
  let problem: Failure | undefined;
  const mark = (found: string, code: typeof FILE_GONE_CODE | typeof WRITER_GONE_CODE | typeof CORRUPT_CODE = FILE_GONE_CODE) => {
    if (problem !== undefined) return;
    problem = { message: found, code };
    watch?.onLost(found, code === FILE_GONE_CODE ? 'file-gone' : code === CORRUPT_CODE ? 'corrupt' : 'writer-gone');
  };
  return {
    mark,
    /**
     * Marks the store lost when `failure` (a write's or a read's) is SQLite finding the file damaged: nothing repairs it
     * while the server runs, and every write would fail (its answered predictions lost) while `/readyz` said ready.
     */
    markIfCorrupt(failure: Failure) {
      if (sqliteWriteProblem(failure) === 'corrupt') mark(corruptStoreMessage(watch?.file ?? 'mailroute.db', failure.message), CORRUPT_CODE);
    },
    /** Why no write can commit, with its code; undefined while writes can. */
    failure: () => problem,
    error: () => (problem === undefined ? undefined : (writeFailed(problem) as StoreUnavailableError)),
    check() {
      if (watch === undefined || problem !== undefined) return;
      const found = fileGoneProblem(watch.file, watch.opened);
      if (found !== undefined) mark(found);
    },
    /** The writer's own check, after a commit: this thread's with the file path, for `inline` writes. */
    fileGone: watch === undefined ? undefined : () => fileGoneProblem(watch.file, watch.opened),
  };
}

/** `onFailing` and `onRecovered`: told when the disk starts refusing writes, and when a write commits again (`WriteHealthOptions`). */
export interface BufferOptions extends WriteHealthOptions {
  /** How long a queued write may wait for others to share its commit (milliseconds). */
  bufferMs: number;
  /** Where failures of queued writes go (nobody awaits them), with the prediction records they held. */
  onError: (error: StoreError | StoreUnavailableError, records: number) => void;
}

type Waiter = { resolve: (outcome: WriteOutcome) => void; reject: (e: unknown) => void };

/** A write's outcome (or failure) dropped: what callers that wait only for the commit make of its promise. */
export const nothing = (): void => undefined;

/** How a committed message was written. */
function outcomeOf(m: WriteMessage): WriteOutcome {
  if (m.kind === 'prune') return { pruned: { predictions: m.deletedPredictions ?? 0, feedback: m.deletedFeedback ?? 0 } };
  if (m.kind !== 'feedback') return 'written';
  if (m.superseded) return 'superseded';
  if (m.unchanged) return 'unchanged';
  const cleared = m.cleared ?? [];
  if (m.replaced !== undefined) return { cleared, replaced: m.replaced };
  return cleared.length > 0 ? { cleared } : 'written';
}

/** The prediction records a write holds. */
const recordsOf = (m: WriteMessage): number => (m.kind === 'predictions' ? m.records.length : 0);

/**
 * Writes waiting for their commit: awaited ones by message id with their promise, queued ones (id
 * QUEUED) only counted, a failure going to `onError`, so a queued prediction costs no map entry or
 * closures. `busy(true)` when the first write starts waiting, `busy(false)` when none is left.
 */
function waiters(onError: BufferOptions['onError'], health: WriteHealth, busy: (waiting: boolean) => void = () => {}) {
  const waiting = new Map<number, Waiter>();
  let queued = 0;
  /** The prediction records of the queued writes, what `onError` counts. */
  let queuedRecords = 0;
  let next = 1;
  const size = () => waiting.size + queued;
  /** A write's error, told to `health` first (a read-only or failing disk makes the store unready). */
  const failed = (failure: Failure | string) => {
    const error = writeFailed(failure);
    health.failed(error);
    return error;
  };
  return {
    get size() {
      return size();
    },
    /** The prediction records of the queued writes. */
    get queuedRecords() {
      return queuedRecords;
    },
    add(resolve: Waiter['resolve'], reject: Waiter['reject']): number {
      const id = next++;
      if (size() === 0) busy(true);
      waiting.set(id, { resolve, reject });
      return id;
    },
    addQueued(records: number): number {
      if (size() === 0) busy(true);
      queued += 1;
      queuedRecords += records;
      return QUEUED;
    },
    /** `records`: the prediction records of the write (those a failed queued write lost). */
    settle(id: number, error: Failure | string | undefined, records = 0, outcome: WriteOutcome = 'written'): void {
      if (id === QUEUED) {
        if (queued === 0) return;
        queued -= 1;
        queuedRecords = Math.max(0, queuedRecords - records);
        if (size() === 0) busy(false);
        if (error !== undefined) onError(failed(error), records);
        return;
      }
      const w = waiting.get(id);
      if (!w) return;
      waiting.delete(id);
      if (size() === 0) busy(false);
      if (error === undefined) w.resolve(outcome);
      else w.reject(failed(error));
    },
    /** `n` queued writes, of `records` prediction records, committed. */
    settleQueued(n: number, records: number): void {
      const before = queued;
      queued = Math.max(0, queued - n);
      queuedRecords = Math.max(0, queuedRecords - records);
      if (before > 0 && size() === 0) busy(false);
    },
    failAll(reason: Failure | string): void {
      for (const id of [...waiting.keys()]) this.settle(id, reason);
      if (queued === 0) return;
      // The queued writes together: their records are counted, not which write held which.
      const records = queuedRecords;
      queued = 0;
      queuedRecords = 0;
      if (size() === 0) busy(false);
      onError(failed(reason), records);
    },
  };
}

type Waiters = ReturnType<typeof waiters>;

/** Runs `use`, which checks a message's prediction records before it keeps anything: a malformed message alone fails. */
function aloneIfMalformed(w: Waiters, m: WriteMessage, use: () => void): void {
  try {
    use();
  } catch (error) {
    w.settle(m.id, failureOf(error), recordsOf(m));
  }
}

/** Writes on this thread (`:memory:` databases, which a second connection cannot see). */
export function createInlineWrites(db: Database.Database, buffer: BufferOptions, watch?: FileWatch): WriteTransport {
  const health = createWriteHealth(buffer, () => probe());
  const w = waiters(buffer.onError, health);
  const lost = lostFile(watch);
  const writer = createGroupWriter(
    db,
    (m, error) => {
      if (error !== undefined && (error as { code?: unknown }).code === FILE_GONE_CODE) lost.mark(error.message);
      if (error !== undefined) lost.markIfCorrupt(failureOf(error));
      // A failure once the store is lost is said as its loss (the damaged file's words, not SQLite's alone).
      w.settle(m.id, error && (lost.failure() ?? failureOf(error)), recordsOf(m), outcomeOf(m));
      if (error === undefined && wroteChange(m)) health.wrote();
    },
    undefined,
    { fileGone: lost.fileGone },
  );
  const submit = (m: WriteMessage) =>
    aloneIfMalformed(w, m, () => {
      if (m.kind === 'predictions') checkPredictionRecords(m.records);
      writer.submit(m);
    });
  const write = (message: NewMessage): Promise<WriteOutcome> => {
    const error = lost.error();
    return error ? Promise.reject(error) : new Promise((resolve, reject) => submit(message(w.add(resolve, reject))));
  };
  const probe = probeWith(write);
  return {
    write,
    queue: (message) => {
      const m = message(QUEUED);
      const error = lost.error();
      if (error) {
        buffer.onError(error, recordsOf(m));
        return undefined;
      }
      w.addQueued(recordsOf(m));
      submit(m);
      return undefined;
    },
    settled: async () => writer.flush(),
    lost: lost.error,
    checkFile: lost.check,
    markIfCorrupt: lost.markIfCorrupt,
    failing: health.failing,
    close: async () => {
      health.close();
      writer.close();
    },
  };
}

/**
 * A write that changes nothing but reaches the disk (`probe` in sqlite-writes.mjs), one at a time: what tells a store
 * whose disk refused writes that it takes them again. Its failure is only told to the store's health.
 */
function probeWith(write: (message: NewMessage) => Promise<WriteOutcome>): () => void {
  let probing = false;
  return () => {
    if (probing) return;
    probing = true;
    const done = () => {
      probing = false;
    };
    write((id) => ({ id, kind: 'probe' })).then(done, done);
  };
}

/** What the writer thread gets: the writes of one send, predictions as `packed` places in the pack. */
type OutboxEntry = Exclude<WriteMessage, { kind: 'predictions' }> | { id: number; kind: 'packed'; n: number };
interface ThreadBatch {
  messages: OutboxEntry[];
  pack: PredictionPack | undefined;
}

const CHECKPOINT_MS = 200;
/** Queued records that go at once rather than wait for the buffer time. */
const SEND_AT_RECORDS = 256;
/** Writes waiting for their commit beyond which `queue` asks the caller to wait (the writer is behind). */
export const BACKLOG_LIMIT = 4096;
/**
 * Prediction records of the queued writes beyond which `queue` asks the caller to wait too: a write holds up to a
 * batch's 256 records, so 4,096 writes could have held a million (over a gigabyte, several with stored text) while
 * a backup locked the database.
 */
export const BACKLOG_RECORDS_LIMIT = 50_000;

/**
 * Writes on a writer thread with its own connection; a thread that dies fails what waits and all later
 * writes. The thread keeps the process alive only while a write waits for its commit.
 */
export function createThreadWrites(file: string, synchronous: string, buffer: BufferOptions, watch?: FileWatch, writerUrl = new URL('./sqlite-writer.worker.mjs', import.meta.url)): WriteTransport {
  // The writer thread checks after each commit that the path still names the file this thread opened.
  const worker = new Worker(writerUrl, { workerData: { file, synchronous, identity: watch?.opened } });
  const lost = lostFile(watch);
  worker.unref();
  // Checkpoints (WAL copied into the database file, then fsync) on their own thread, every CHECKPOINT_MS.
  const checkpointer = new Worker(new URL('./sqlite-checkpointer.worker.mjs', import.meta.url), { workerData: { file, intervalMs: CHECKPOINT_MS } });
  checkpointer.unref();
  checkpointer.on('error', () => {}); // the writer's autocheckpoint still bounds the WAL
  const checkpointerGone = new Promise<void>((resolve) => checkpointer.once('exit', () => resolve()));
  let broken: string | undefined;
  let closing = false;
  let closed: (() => void) | undefined;
  // While closing, the thread keeps the process alive until it says it has closed, even when the last
  // waiting write commits first (else the process could exit with the close still unanswered).
  const health = createWriteHealth(buffer, () => probe());
  const w = waiters(buffer.onError, health, (waiting) => (waiting || closed !== undefined ? worker.ref() : worker.unref()));
  worker.on(
    'message',
    (m: { kind: 'closed' } | { kind: 'answers'; committed: number[]; superseded: number[]; unchanged: number[]; cleared: { id: number; tasks: string[]; replaced?: ReplacedFeedback }[]; pruned: ({ id: number } & PruneCounts)[]; queued: number; queuedRecords: number; failed: { id: number; message: string; code?: string; records: number }[]; wrote: boolean }) => {
      if (m.kind === 'closed') return closed?.();
      w.settleQueued(m.queued, m.queuedRecords);
      for (const id of m.committed) w.settle(id, undefined);
      for (const id of m.superseded) w.settle(id, undefined, 0, 'superseded');
      for (const id of m.unchanged) w.settle(id, undefined, 0, 'unchanged');
      for (const c of m.cleared) w.settle(c.id, undefined, 0, c.replaced === undefined ? { cleared: c.tasks } : { cleared: c.tasks, replaced: c.replaced });
      for (const p of m.pruned) w.settle(p.id, undefined, 0, { pruned: { predictions: p.predictions, feedback: p.feedback } });
      for (const f of m.failed) {
        if (f.code === FILE_GONE_CODE) lost.mark(f.message);
        lost.markIfCorrupt(f);
        w.settle(f.id, lost.failure() ?? f, f.records);
      }
      // After the failures: a group that wrote after them found the disk taking writes again.
      if (m.wrote) health.wrote();
    },
  );
  const die = (reason: string) => {
    broken ??= reason;
    // Not while closing: the thread's end is then the close. Else nothing can commit until a restart: said once (the
    // log, and the store's health: /readyz 503), and every write is refused as for a deleted file.
    if (!closing) lost.mark(`${reason}: no prediction or feedback can be stored until the server restarts`, WRITER_GONE_CODE);
    w.failAll(lost.failure() ?? reason);
    closed?.();
  };
  worker.on('error', (error) => die(`the SQLite writer thread failed: ${error.message}`));
  worker.on('exit', (code) => die(`the SQLite writer thread exited (${code})`));
  // Writes leave in one postMessage: at the end of the turn for a `write`, or when the buffer time is
  // up (or enough records wait) for queued ones. Each message costs both threads a wake-up, so under
  // load fewer, larger messages leave more time for requests. Prediction records go packed (see
  // prediction-pack.mjs); their place in the outbox keeps only the id and the number of records.
  let outbox: OutboxEntry[] = [];
  /** Records in the outbox (other writes count one each). */
  let outboxRecords = 0;
  const packer = createPredictionPacker();
  const enqueue = (m: WriteMessage) => {
    if (m.kind !== 'predictions') {
      outbox.push(m);
      outboxRecords += 1;
      return;
    }
    // `packer.add` checks the records first and packs nothing of a malformed message.
    aloneIfMalformed(w, m, () => {
      packer.add(m.records);
      outboxRecords += m.records.length;
      outbox.push({ id: m.id, kind: 'packed', n: m.records.length });
    });
  };
  let timer: NodeJS.Timeout | undefined;
  let immediate = false;
  const send = () => {
    immediate = false;
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (outbox.length === 0 || broken) return;
    const pack = packer.size > 0 ? packer.take() : undefined;
    const batch: ThreadBatch = { messages: outbox, pack };
    outbox = [];
    outboxRecords = 0;
    worker.postMessage(batch, pack ? [pack.lengths.buffer, pack.nums.buffer] : []);
  };
  const sendThisTurn = () => {
    if (immediate) return;
    immediate = true;
    setImmediate(send);
  };
  const write = (message: NewMessage): Promise<WriteOutcome> =>
    new Promise((resolve, reject) => {
      // A deleted file first: its writer thread may have ended for it (it opens only the file there).
      const failed = lost.error() ?? (broken ? writeFailed(broken) : undefined);
      if (failed) return reject(failed);
      enqueue(message(w.add(resolve, reject)));
      sendThisTurn();
    });
  const probe = probeWith(write);
  return {
    write,
    queue: (message) => {
      const m = message(QUEUED);
      const failed = lost.error() ?? (broken ? writeFailed(broken) : undefined);
      if (failed) {
        buffer.onError(failed, recordsOf(m));
        return undefined;
      }
      if (w.size >= BACKLOG_LIMIT || w.queuedRecords >= BACKLOG_RECORDS_LIMIT) return write(message);
      w.addQueued(recordsOf(m));
      enqueue(m);
      if (outboxRecords >= SEND_AT_RECORDS) sendThisTurn();
      else timer ??= setTimeout(send, buffer.bufferMs);
      return undefined;
    },
    // Committed or failed alike: whatever came before it is settled.
    settled: () => (w.size === 0 || broken ? Promise.resolve() : write((id) => ({ id, kind: 'barrier' })).then(nothing, nothing)),
    lost: lost.error,
    checkFile: lost.check,
    markIfCorrupt: lost.markIfCorrupt,
    failing: health.failing,
    // Resolves once both threads have closed their connections: the last connection to close deletes the
    // WAL and shared-memory files, so nothing touches the folder after this (a caller may remove it).
    close: async () => {
      closing = true;
      health.close();
      checkpointer.ref();
      checkpointer.postMessage({ kind: 'close' });
      await new Promise<void>((resolve) => {
        if (broken) return resolve();
        closed = resolve;
        worker.ref();
        send();
        worker.postMessage({ kind: 'close' });
      });
      await checkpointerGone;
    },
  };
}
