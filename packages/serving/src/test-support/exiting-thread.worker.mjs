// A model thread for tests that exits, as a thread killed by running out of memory would, when a batch
// holds an email with id `exit-thread`. The real thread loads first, so it sees every message too.
import { parentPort } from 'node:worker_threads';

await import('../model/classifier-thread.worker.mjs');
parentPort?.on('message', (message) => {
  if (Array.isArray(message?.emails) && message.emails.some((email) => email?.id === 'exit-thread')) process.exit(7);
});
