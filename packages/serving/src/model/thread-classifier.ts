import { Worker } from 'node:worker_threads';
import type { EmailClassifier, EmailPrediction, Manifest } from '@mailroute/model';
import type { Email } from '@mailroute/preprocess';

interface ThreadError {
  name: string;
  message: string;
  code?: string;
}

type FromThread =
  | { kind: 'ready'; manifest: Manifest }
  | { kind: 'failed'; error: ThreadError }
  | { id: number; predictions: EmailPrediction[] }
  | { id: number; error: ThreadError };

/** The error the thread reported, with its name and code kept (messages never carry email text). */
function rebuild(e: ThreadError): Error {
  return Object.assign(new Error(e.message), { name: e.name, ...(e.code ? { code: e.code } : {}) });
}

export interface ThreadClassifier extends EmailClassifier {
  readonly manifest: Manifest;
}

/**
 * Loads a model artifact on a worker thread of its own (the same verified `Classifier.load`) and
 * returns a classifier that sends it each batch. One thread per model version: a hot swap loads the new
 * one beside the old, and `release()` ends the old thread once its requests are done.
 */
export function loadClassifierInThread(dir: string, options: { intraOpThreads?: number } = {}): Promise<ThreadClassifier> {
  const worker = new Worker(new URL('./classifier-thread.worker.mjs', import.meta.url), { workerData: { dir, intraOpThreads: options.intraOpThreads } });
  const waiting = new Map<number, { resolve: (p: EmailPrediction[]) => void; reject: (e: unknown) => void }>();
  let nextId = 1;
  // The thread keeps the process alive only while a batch waits for it (or while it loads or ends).
  const settle = (id: number) => {
    waiting.delete(id);
    if (waiting.size === 0 && !ended) worker.unref();
  };
  let ended: Error | undefined;
  let exited: () => void = () => {};
  const exit = new Promise<void>((resolve) => (exited = resolve));

  return new Promise<ThreadClassifier>((resolveLoad, rejectLoad) => {
    const fail = (error: Error) => {
      ended ??= error;
      rejectLoad(error);
      for (const w of waiting.values()) w.reject(error);
      waiting.clear();
    };
    worker.on('error', (error) => fail(error));
    worker.on('exit', (code) => {
      fail(new Error(`The model thread exited (${code}).`));
      exited();
    });
    worker.on('message', (m: FromThread) => {
      if ('kind' in m && m.kind === 'failed') return fail(rebuild(m.error));
      if ('kind' in m && m.kind === 'ready') {
        const { manifest } = m;
        worker.unref();
        return resolveLoad({
          manifest,
          modelId: manifest.modelId,
          tasks: manifest.tasks.map((t) => ({ name: t.name, labels: [...t.labels] })),
          predict(emails: readonly Email[]): Promise<EmailPrediction[]> {
            if (ended) return Promise.reject(ended);
            return new Promise((resolve, reject) => {
              const id = nextId++;
              if (waiting.size === 0) worker.ref();
              waiting.set(id, { resolve, reject });
              worker.postMessage({ id, emails });
            });
          },
          async release(): Promise<void> {
            if (!ended) {
              ended = new Error('The model was released.');
              worker.ref();
              worker.postMessage({ kind: 'release' });
            }
            await exit;
          },
        });
      }
      if (!('id' in m)) return;
      const w = waiting.get(m.id);
      if (!w) return;
      settle(m.id);
      if ('predictions' in m) w.resolve(m.predictions);
      else w.reject(rebuild(m.error));
    });
  });
}
