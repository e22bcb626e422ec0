// A model thread for tests that loads its model and then exits on the first batch it is sent: a model whose
// threads cannot score, though the request thread's session can.
import { parentPort } from 'node:worker_threads';

await import('../model/classifier-thread.worker.mjs');
parentPort?.on('message', (message) => {
  if (Array.isArray(message?.emails)) process.exit(9);
});
