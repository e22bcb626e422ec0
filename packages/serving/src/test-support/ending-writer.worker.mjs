// A SQLite writer thread for tests that ends when a batch holds a feedback for email `end-writer` (it exits, as a
// thread killed by running out of memory would) or `throw-in-writer` (an uncaught error, told first by the thread's
// 'error' event). The real writer loads first, so it sees every message too.
import { parentPort } from 'node:worker_threads';

await import('../store/sqlite-writer.worker.mjs');
parentPort?.on('message', (batch) => {
  const emailIds = Array.isArray(batch?.messages) ? batch.messages.map((m) => m?.feedback?.emailId) : [];
  if (emailIds.includes('end-writer')) process.exit(9);
  if (emailIds.includes('throw-in-writer')) throw new Error('boom in the writer thread');
});
