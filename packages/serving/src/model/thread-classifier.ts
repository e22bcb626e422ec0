import { Worker } from 'node:worker_threads';
import { assemblePredictions, classifierTasks, modelTextReader, servedRouting, type EmailPrediction, type Manifest, type ScoredBatch } from '@mailroute/model';
import type { Email } from '@mailroute/preprocess';
import { silentLogger, type Logger } from '../http/logger.js';
import { describedMasking, maskKept, type KeepingClassifier, type KeptText, type MaskText, type StoredParts, type ThreadMasking } from './stored-text.js';
import { DEFAULT_RESPAWN_POLICY, respawnDelayMs, systemTimers, type HealthReporting, type RespawnPolicy, type RespawnTimers, type ThreadFailureEvent } from './thread-health.js';

interface ThreadError {
  name: string;
  message: string;
  code?: string;
}

type FromThread =
  | { kind: 'ready'; manifest: Manifest }
  | { kind: 'failed'; error: ThreadError }
  | ({ id: number } & Reply)
  | { id: number; error: ThreadError };

/**
 * What a batch sent with `keep` asks the thread for besides its probabilities: what `--store-text` keeps of each email,
 * masked by this thread masking, or 'unmasked' (its text and names, which the request thread masks with a function of its own).
 */
type Keep = ThreadMasking | 'unmasked';

/** A thread's answer to a batch: probabilities, and with `keep` the kept text (`kept`) or its parts (`parts`). */
interface Reply {
  scored: ScoredBatch;
  kept?: KeptText[];
  parts?: StoredParts[];
}

/**
 * The model thread ended (exited, or failed to load again) while a batch waited on the request thread, never sent to
 * it: the classifier sends the batch to another thread (the replacement) instead of failing it.
 */
class NotSentError extends Error {}

/**
 * A batch the model thread held when it exited: which of its emails (if any) made it exit is unknown, so it is not
 * retried email by email (a thread killed by one email would be killed again by each retry).
 */
export class ModelThreadExitedError extends Error {
  override name = 'ModelThreadExitedError';
}

/** The error the thread reported, with its name and code kept (messages never carry email text). */
function rebuild(e: ThreadError): Error {
  return Object.assign(new Error(e.message), { name: e.name, ...(e.code ? { code: e.code } : {}) });
}

interface ModelThread {
  ready: Promise<Manifest>;
  /** False once the thread has ended (released, failed to load, or exited). */
  alive(): boolean;
  /** True once its model is loaded, until it ends: a batch sent to a live thread that is not loaded waits for the load. */
  loaded(): boolean;
  /** Emails waiting for this thread or being worked on. */
  load(): number;
  predict(emails: readonly Email[], keep?: Keep): Promise<Reply>;
  /** Lets the batches already sent finish, releases the ONNX session and ends the thread. */
  release(): Promise<void>;
}

interface Part {
  emails: readonly Email[];
  keep: Keep | undefined;
  resolve: (reply: Reply) => void;
  reject: (error: unknown) => void;
}

/** Emails sent to a thread in one message at most (bounds the wait of the first of them). */
const MAX_MERGED_EMAILS = 512;
/**
 * With at least this many emails waiting, a second message goes out while the thread still works on
 * the first, so the thread never idles while the request thread handles its answer. Fewer wait for
 * the thread to finish and merge into one message (one ONNX run instead of several small ones).
 */
const PIPELINE_EMAILS = 64;

/** The rows [from, from + n) of a scored batch. */
function sliceScored(scored: ScoredBatch, from: number, n: number): ScoredBatch {
  const probs: Record<string, Float32Array> = {};
  for (const [task, p] of Object.entries(scored.probs)) {
    const k = p.length / scored.truncated.length;
    probs[task] = p.subarray(from * k, (from + n) * k);
  }
  const noText = scored.noText ? { noText: scored.noText.slice(from, from + n) } : {};
  return { probs, truncated: scored.truncated.slice(from, from + n), languages: scored.languages.slice(from, from + n), ...noText };
}

/** The rows [from, from + n) of a thread's reply. */
function sliceReply(reply: Reply, from: number, n: number): Reply {
  const out: Reply = { scored: sliceScored(reply.scored, from, n) };
  if (reply.kept) out.kept = reply.kept.slice(from, from + n);
  if (reply.parts) out.parts = reply.parts.slice(from, from + n);
  return out;
}

/**
 * One model thread. Batches that come while the thread works are merged into the next message, so
 * under load the thread runs fewer, larger ONNX batches and the request thread sends fewer messages;
 * a second message is sent early only when PIPELINE_EMAILS wait. If a merged message fails, each batch
 * is retried alone.
 */
function startModelThread(dir: string, intraOpThreads: number | undefined, workerUrl: URL, onExit: (error: Error) => void): ModelThread {
  const worker = new Worker(workerUrl, { workerData: { dir, intraOpThreads } });
  const waiting = new Map<number, { emails: number; resolve: (p: Reply) => void; reject: (e: unknown) => void }>();
  let queued: Part[] = [];
  /** Emails in `queued`, and emails sent to the thread and not yet answered. */
  let queuedEmails = 0;
  let inFlight = 0;
  let nextId = 1;
  let ended: Error | undefined;
  let loaded: { resolve: (m: Manifest) => void; reject: (e: unknown) => void } | undefined;
  const ready = new Promise<Manifest>((resolve, reject) => (loaded = { resolve, reject }));
  let exited: () => void = () => {};
  const exit = new Promise<void>((resolve) => (exited = resolve));

  const post = (emails: readonly Email[], keep: Keep | undefined, resolve: (s: Reply) => void, reject: (e: unknown) => void) => {
    const id = nextId++;
    if (waiting.size === 0) worker.ref();
    waiting.set(id, { emails: emails.length, resolve, reject });
    inFlight += emails.length;
    worker.postMessage(keep === undefined ? { id, emails } : { id, emails, keep });
  };
  const canSend = () => queued.length > 0 && !ended && (waiting.size === 0 || (waiting.size === 1 && queuedEmails >= PIPELINE_EMAILS));
  const sendQueued = () => {
    while (canSend()) sendNext();
  };
  const sendNext = () => {
    let n = 0;
    let take = 0;
    // Batches merge with those that ask for the same kept text (all of a server's do, but a model's canary asks for none).
    const keep = queued[0].keep;
    while (take < queued.length && (take === 0 || (queued[take].keep === keep && n + queued[take].emails.length <= MAX_MERGED_EMAILS))) n += queued[take++].emails.length;
    const parts = queued.slice(0, take);
    queued = queued.slice(take);
    queuedEmails -= n;
    if (parts.length === 1) return post(parts[0].emails, keep, parts[0].resolve, parts[0].reject);
    post(
      parts.flatMap((p) => p.emails),
      keep,
      (reply) => {
        let at = 0;
        for (const p of parts) {
          p.resolve(sliceReply(reply, at, p.emails.length));
          at += p.emails.length;
        }
      },
      // Retried one by one, unless the thread ended: then each fails with its error.
      (error) => parts.forEach((p) => (ended ? p.reject(error) : post(p.emails, keep, p.resolve, p.reject))),
    );
  };
  const fail = (error: Error) => {
    ended ??= error;
    loaded?.reject(error);
    const held = [...waiting.values()];
    waiting.clear();
    for (const w of held) w.reject(error);
    const notSent = new NotSentError(error.message, { cause: error });
    for (const p of queued) p.reject(notSent);
    queued = [];
    queuedEmails = 0;
    inFlight = 0;
  };
  /** Set once the model loaded, and when `release()` ends the thread: an exit in between is unexpected. */
  let serving = false;
  let firstError: Error | undefined;
  // An uncaught error or a heap out of memory is told first; 'exit' always follows, and fails what the thread held then,
  // once: as a thread that exited (not retried email by email), with the replacement started before those retries run.
  worker.on('error', (error) => {
    firstError ??= error;
  });
  worker.on('exit', (code) => {
    // A first load that failed so keeps the error's own name and code; a serving thread's held batches get the exit.
    const loading = !serving && firstError !== undefined;
    fail(loading ? (firstError as Error) : new ModelThreadExitedError(firstError?.message ?? `The model thread exited (${code}).`, { cause: firstError }));
    exited();
    if (serving) onExit(firstError ?? new Error(`The model thread exited (${code}).`));
  });
  worker.on('message', (m: FromThread) => {
    if ('kind' in m) {
      if (m.kind === 'failed') return fail(rebuild(m.error));
      // Loaded: from now on the thread keeps the process alive only while a batch waits for it (one sent while it loaded may).
      serving = true;
      if (waiting.size === 0) worker.unref();
      return loaded?.resolve(m.manifest);
    }
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    inFlight -= w.emails;
    if ('scored' in m) w.resolve(m);
    else w.reject(rebuild(m.error));
    sendQueued();
    if (waiting.size === 0 && !ended) worker.unref();
  });
  return {
    ready,
    alive: () => !ended,
    loaded: () => serving && !ended,
    load: () => queuedEmails + inFlight,
    predict(emails, keep) {
      if (ended) return Promise.reject(ended);
      return new Promise((resolve, reject) => {
        queuedEmails += emails.length;
        queued.push({ emails, keep, resolve, reject });
        sendQueued();
      });
    },
    async release() {
      serving = false;
      if (!ended) {
        // Batches still queued go first; the release message follows them.
        while (queued.length > 0) {
          const p = queued.shift() as Part;
          queuedEmails -= p.emails.length;
          post(p.emails, p.keep, p.resolve, p.reject);
        }
        ended = new Error('The model was released.');
        worker.ref();
        worker.postMessage({ kind: 'release' });
      }
      await exit;
    },
  };
}

/**
 * Emails a thread may hold (queued and in flight) before the next batch goes to the following thread:
 * light traffic stays on the first thread, where waiting batches merge into one ONNX run, and more
 * threads wake up only when the work would otherwise queue.
 */
const SPILL_EMAILS = 128;

/**
 * The first loaded thread with room under SPILL_EMAILS, else the least loaded of them. A thread still loading
 * (one that replaces a thread that exited) is taken only when none is loaded: a batch sent to it waits for
 * its model to load, while the others could answer at once. The first thread when none lives.
 */
export function pickThread<T extends { load(): number; alive(): boolean; loaded(): boolean }>(pool: readonly T[], spill = SPILL_EMAILS): T {
  return pickAmong(pool, spill, (t) => t.loaded()) ?? pickAmong(pool, spill, (t) => t.alive()) ?? pool[0];
}

/** Among the threads `usable` takes: the first with room under `spill`, else the least loaded. */
function pickAmong<T extends { load(): number }>(pool: readonly T[], spill: number, usable: (t: T) => boolean): T | undefined {
  let least: T | undefined;
  for (const t of pool) {
    if (!usable(t)) continue;
    if (t.load() < spill) return t;
    if (least === undefined || t.load() < least.load()) least = t;
  }
  return least;
}

export interface ThreadOptions {
  threads?: number;
  intraOpThreads?: number;
  /** Told when a loaded thread exits unexpectedly and when its replacement is ready or fails to load. */
  logger?: Logger;
  /** Called for each thread that exited while serving and each replacement that failed to load (a metric counts them). */
  onThreadFailure?: (event: ThreadFailureEvent) => void;
  /** The waits between replacements of a thread that keeps exiting or failing to load. */
  respawn?: RespawnPolicy;
  /** Clock and timer of those waits; tests pass their own. */
  timers?: RespawnTimers;
  /** The thread's entry; tests give one that can be made to exit. */
  workerUrl?: URL;
  /**
   * The thread masking a masking function of `predictKeeping` is, which the threads then run themselves; default: the one
   * it says it is (`patternMasking`). Undefined for a function of its own: the threads send the unmasked parts, masked here.
   */
  threadMasking?: (mask: MaskText) => ThreadMasking | undefined;
}

export interface ThreadClassifier extends KeepingClassifier, HealthReporting {
  readonly manifest: Manifest;
}

/**
 * Loads a model artifact on `threads` worker threads (each the same verified `Classifier.load`, each
 * its own ONNX session) and returns a classifier that sends each batch to a thread by `pickThread`. Threads
 * belong to one model version: a hot swap loads the new version's beside the old, and `release()`
 * ends the old ones once their batches are done. A thread that exits while serving (its heap out of memory,
 * an uncaught error) fails the batches it held and is replaced by a new one on the same artifact (a crash in
 * native code, such as a segfault in onnxruntime, is a signal that ends the whole process); batches sent
 * meanwhile go to the other threads, and wait for the new one only when no other is loaded. The first
 * replacement starts at once; one that exits again is replaced after a wait (`respawnDelayMs`: 250 ms,
 * doubled each time up to 30 s, from the start again once a thread served a minute), so a thread that dies
 * on every batch does not spin; during the wait, batches that only it could take fail at once. A replacement
 * that fails to load (the artifact briefly unreadable, a transient ENOMEM or EMFILE) counts as another failure
 * in a row and is started again after the next wait of the same schedule, until one loads and the slot serves
 * again; `release()` clears the wait, and no thread starts after it. `health()` is not ready while no thread
 * is loaded.
 */
export async function loadClassifierInThread(dir: string, options: ThreadOptions = {}): Promise<ThreadClassifier> {
  const logger = options.logger ?? silentLogger;
  const workerUrl = options.workerUrl ?? new URL('./classifier-thread.worker.mjs', import.meta.url);
  const timers = options.timers ?? systemTimers;
  const policy = options.respawn ?? DEFAULT_RESPAWN_POLICY;
  let released = false;
  const pool: ModelThread[] = [];
  /** Per slot: exits in a row, when its thread last finished loading, the wait before its next start. */
  const slots: { exitsInARow: number; upSince?: number; wait?: unknown }[] = [];
  let lastFailure: string | undefined;
  const start = (slot: number): ModelThread => {
    const thread = startModelThread(dir, options.intraOpThreads, workerUrl, (error) => {
      if (released) return;
      const state = slots[slot];
      options.onThreadFailure?.('exited');
      lastFailure = `model thread ${slot} exited: ${error.message}`;
      if (state.upSince !== undefined && timers.now() - state.upSince >= policy.resetAfterMs) state.exitsInARow = 0;
      state.upSince = undefined;
      const delayMs = respawnDelayMs(++state.exitsInARow, policy);
      logger.error('a model thread exited; starting a new one on the same model', { thread: slot, detail: error.message, exitsInARow: state.exitsInARow, delayMs });
      restart(slot, delayMs);
    });
    thread.ready.then(
      () => {
        slots[slot].upSince = timers.now();
        if (slots[slot].exitsInARow > 0) logger.info('the new model thread is ready', { thread: slot });
      },
      (e: unknown) => {
        if (slots[slot].exitsInARow === 0 || released) return; // a first load: loadClassifierInThread rejects
        options.onThreadFailure?.('replacement_failed');
        const detail = String((e as Error)?.message ?? e);
        lastFailure = `the replacement of model thread ${slot} failed to load: ${detail}`;
        // Another failure in a row: tried again after the next, longer wait.
        const delayMs = respawnDelayMs(++slots[slot].exitsInARow, policy);
        logger.error('the new model thread failed to load; trying again after a wait', { thread: slot, detail, exitsInARow: slots[slot].exitsInARow, delayMs });
        restart(slot, delayMs);
      },
    );
    return thread;
  };
  /** Starts the slot's next thread after `delayMs` (at once for 0), unless the classifier is released by then. */
  const restart = (slot: number, delayMs: number) => {
    if (delayMs === 0) {
      pool[slot] = start(slot);
      return;
    }
    const state = slots[slot];
    state.wait = timers.setTimeout(() => {
      state.wait = undefined;
      if (!released) pool[slot] = start(slot);
    }, delayMs);
  };
  for (let i = 0; i < Math.max(1, options.threads ?? 1); i++) {
    slots.push({ exitsInARow: 0 });
    pool.push(start(i));
  }
  const threadMasking = options.threadMasking ?? describedMasking;
  /** Sends a batch to a thread: one still queued for a thread that ended goes to the next pick (its replacement, or another thread). */
  const send = (emails: readonly Email[], keep: Keep | undefined): Promise<Reply> =>
    pickThread(pool)
      .predict(emails, keep)
      .catch((error: unknown) => {
        if (error instanceof NotSentError) return pickThread(pool).predict(emails, keep);
        throw error;
      });
  let manifest: Manifest;
  try {
    [manifest] = await Promise.all(pool.map((t) => t.ready));
  } catch (error) {
    released = true;
    await Promise.all(pool.map((t) => t.release()));
    throw error;
  }
  return {
    manifest,
    modelId: manifest.modelId,
    tasks: classifierTasks(manifest),
    routing: servedRouting(manifest),
    modelText: modelTextReader(manifest),
    async predict(emails: readonly Email[]): Promise<EmailPrediction[]> {
      const { scored } = await send(emails, undefined);
      return assemblePredictions(manifest, emails, scored);
    },
    async predictKeeping(emails: readonly Email[], mask: MaskText) {
      // The kept text is made on the thread, from the cleaning the model read: masked there too where the masking is one it runs.
      const masking = threadMasking(mask);
      const { scored, kept, parts } = await send(emails, masking ?? 'unmasked');
      const predictions = assemblePredictions(manifest, emails, scored);
      return { predictions, kept: kept ?? emails.map((email, i) => maskKept(email, (parts as StoredParts[])[i], mask)) };
    },
    health() {
      if (pool.some((t) => t.loaded())) return { ready: true };
      return { ready: false, detail: `No model thread is loaded (${lastFailure ?? 'the model was released'}).` };
    },
    async release() {
      released = true;
      for (const s of slots) if (s.wait !== undefined) timers.clearTimeout(s.wait);
      await Promise.all(pool.map((t) => t.release()));
    },
  };
}
