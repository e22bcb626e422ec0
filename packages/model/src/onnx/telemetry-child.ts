// Child of telemetry.test.ts: loads this package's ONNX runtime module on the main thread, then creates and
// runs a session on a worker thread (as the server's model threads do) and another on the main thread.
// argv: the model file to write and run. Prints ORT_DISABLE_TELEMETRY as the main thread sees it.
import { writeFile } from 'node:fs/promises';
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { buildNgramBagOnnx, ngramBagOnnxNames } from './build-ngram-bag.js';
import { createOnnxSession } from './runtime.js';

async function runOnce(file: string): Promise<void> {
  const session = await createOnnxSession(file);
  await session.runBag(ngramBagOnnxNames(['queue']).inputs, { ids: Int32Array.of(1, 2), weights: Float32Array.of(0.5, 0.5), batch: 1, length: 2 }, ['probs_queue']);
  await session.release();
}

if (isMainThread) {
  const file = process.argv[2];
  const layer = { inSize: 2, outSize: 2, weight: Float32Array.of(1, 0, 0, 1), bias: Float32Array.of(0, 0) };
  const weights = { parts: [{ buckets: 4, dim: 2, embedding: Float32Array.of(1, 0, 0, 1, 1, 1, 0, 0), heads: [{ task: 'queue', ...layer }] }] };
  await writeFile(file, buildNgramBagOnnx(weights, { queue: 1 }));
  await new Promise<void>((resolve, reject) => {
    // A worker does not inherit the --import tsx loader: it registers tsx, then loads this file.
    const entry = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
    const worker = new Worker(entry, { eval: true, workerData: file });
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited ${code}`))));
  });
  await runOnce(file);
  process.stdout.write(`ORT_DISABLE_TELEMETRY=${process.env.ORT_DISABLE_TELEMETRY ?? ''}\n`);
} else {
  await runOnce(workerData as string);
}
