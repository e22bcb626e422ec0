/**
 * Body of a model thread: loads the artifact with the same verified `Classifier.load` and answers each
 * batch with the heavy part only (cleaning, featurizing, ONNX). Only the probabilities go back, their
 * buffers moved rather than copied; the request thread turns them into answers (`assemblePredictions`).
 * A batch sent with `keep` (`--store-text`) also gets what is stored of each email, made here from the text the
 * model read (no second cleaning): masked by the thread masking it names, or unmasked with its names ('unmasked').
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Classifier, type ScoredBatch } from '@mailroute/model';
import type { Email } from '@mailroute/preprocess';
import { maskKept, storedNames, threadMask, type KeptText, type StoredParts, type ThreadMasking } from './stored-text.js';

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

/** A batch's answer: its probabilities, and with `keep` what is stored of each email. */
async function answer(emails: Email[], keep: ThreadMasking | 'unmasked' | undefined): Promise<{ scored: ScoredBatch; kept?: KeptText[]; parts?: StoredParts[] }> {
  if (keep === undefined) return { scored: await classifier.score(emails) };
  const { texts, ...scored } = await classifier.score(emails, { texts: true });
  const parts = emails.map((email, i): StoredParts => ({ text: (texts as string[])[i], knownNames: storedNames(email) }));
  if (keep === 'unmasked') return { scored, parts };
  const mask = threadMask(keep);
  return { scored, kept: emails.map((email, i) => maskKept(email, parts[i], mask)) };
}

const running = new Set<Promise<void>>();
port.on('message', (message: { kind: 'release' } | { id: number; emails: Email[]; keep?: ThreadMasking | 'unmasked' }) => {
  if ('kind' in message) {
    // Batches already sent finish first; then the ONNX session is released and the thread ends.
    void Promise.allSettled([...running])
      .then(() => classifier.release())
      .finally(() => port.close());
    return;
  }
  const run = answer(message.emails, message.keep).then(
    // The tasks' probabilities may share one buffer: each buffer is moved once.
    (reply) => port.postMessage({ id: message.id, ...reply }, [...new Set(Object.values(reply.scored.probs).map((p) => p.buffer as ArrayBuffer))]),
    (error: unknown) => port.postMessage({ id: message.id, error: describe(error) }),
  );
  running.add(run);
  void run.finally(() => running.delete(run));
});
