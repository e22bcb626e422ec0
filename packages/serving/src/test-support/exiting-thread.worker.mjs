// A model thread for tests that ends when a batch holds an email with id `exit-thread` (it exits, as a thread killed by
// running out of memory would) or `throw-in-thread` (an uncaught error, which the thread's 'error' event tells first).
// The real thread loads first, so it sees every message too.
import { parentPort } from 'node:worker_threads';

await import('../model/classifier-thread.worker.mjs');
parentPort?.on('message', (message) => {
  const ids = Array.isArray(message?.emails) ? message.emails.map((email) => email?.id) : [];
  if (ids.includes('exit-thread')) process.exit(7);
  if (ids.includes('throw-in-thread')) throw new Error('boom in the model thread');
});
