// One served model on its own thread: cleaning, featurizing and the ONNX run happen here, so the request
// thread only parses, validates and answers. Plain JavaScript that registers the TypeScript loader
// itself, so it starts the same under the CLI, tsx and vitest.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { Classifier, prepareModelInput } = await import('@mailroute/model');

const describe = (error) => ({
  name: error?.name ?? 'Error',
  message: String(error?.message ?? error).slice(0, 1000),
  code: typeof error?.code === 'string' ? error.code : undefined,
});

let classifier;
try {
  classifier = await Classifier.load(workerData.dir, { intraOpThreads: workerData.intraOpThreads });
  parentPort.postMessage({ kind: 'ready', manifest: classifier.manifest });
} catch (error) {
  parentPort.postMessage({ kind: 'failed', error: describe(error) });
  parentPort.close();
}

const running = new Set();
parentPort.on('message', (message) => {
  if (message.kind === 'release') {
    // Batches already sent finish first; then the ONNX session is released and the thread ends.
    Promise.allSettled([...running])
      .then(() => classifier.release())
      .finally(() => parentPort.close());
    return;
  }
  // The heavy part here: cleaning, featurizing, ONNX. Only the probabilities go back (their buffers
  // moved, not copied); the request thread turns them into answers (assemblePredictions).
  const run = (async () => {
    const inputs = message.emails.map(prepareModelInput);
    const { probs, truncated } = await classifier.predictPrepared(inputs);
    return { probs, truncated, languages: inputs.map((input) => input.language) };
  })().then(
    (scored) => parentPort.postMessage({ id: message.id, scored }, Object.values(scored.probs).map((p) => p.buffer)),
    (error) => parentPort.postMessage({ id: message.id, error: describe(error) }),
  );
  running.add(run);
  run.finally(() => running.delete(run));
});
