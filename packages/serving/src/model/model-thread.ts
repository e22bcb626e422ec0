/**
 * Body of a model thread: loads the artifact with the same verified `Classifier.load` and answers each
 * batch with the heavy part only (cleaning, featurizing, ONNX). Only the probabilities go back, their
 * buffers moved rather than copied; the request thread turns them into answers (`assemblePredictions`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Classifier } from '@mailroute/model';
import type { Email } from '@mailroute/preprocess';

const port = parentPort;
if (!port) throw new Error('model-thread.ts runs only as a worker thread');
const data = workerData as { dir: string; intraOpThreads?: number };

/** Name, message and code of an error (never email text: the loader and ONNX errors carry none). */
function describe(error: unknown) {
  const e = error as { name?: unknown; message?: unknown; code?: unknown } | undefined;
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: String(e?.message ?? error).slice(0, 1000),
    code: typeof e?.code === 'string' ? e.code : undefined,
  };
}

let classifier: Classifier;
try {
  classifier = await Classifier.load(data.dir, { intraOpThreads: data.intraOpThreads });
  port.postMessage({ kind: 'ready', manifest: classifier.manifest });
} catch (error) {
  port.postMessage({ kind: 'failed', error: describe(error) });
  port.close();
}

const running = new Set<Promise<void>>();
port.on('message', (message: { kind: 'release' } | { id: number; emails: Email[] }) => {
  if ('kind' in message) {
    // Batches already sent finish first; then the ONNX session is released and the thread ends.
    void Promise.allSettled([...running])
      .then(() => classifier.release())
      .finally(() => port.close());
    return;
  }
  const run = classifier.score(message.emails).then(
    // The tasks' probabilities may share one buffer: each buffer is moved once.
    (scored) => port.postMessage({ id: message.id, scored }, [...new Set(Object.values(scored.probs).map((p) => p.buffer as ArrayBuffer))]),
    (error: unknown) => port.postMessage({ id: message.id, error: describe(error) }),
  );
  running.add(run);
  void run.finally(() => running.delete(run));
});
