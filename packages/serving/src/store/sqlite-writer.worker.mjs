// The SQLite store's writer thread (plain JavaScript, so it starts the same under node, tsx and vitest).
// It owns the write connection, so inserts and commits cost the request thread nothing but a message;
// each message is answered only after its transaction has committed ("in the WAL file").
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { createGroupWriter } from './sqlite-writes.mjs';

const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${workerData.synchronous}`);
db.pragma('busy_timeout = 5000');
// Checkpoints run on the checkpointer thread; this large autocheckpoint is only the backstop that
// bounds the WAL (about 40 MB) should that thread fall behind.
db.pragma('wal_autocheckpoint = 10000');

// The answers of one group go back in one message: ids committed, and failures with their reason.
let committed = [];
let failed = [];
const writer = createGroupWriter(
  db,
  (message, error) => {
    if (error) failed.push({ id: message.id, message: error.message.slice(0, 300) });
    else committed.push(message.id);
  },
  () => {
    if (committed.length === 0 && failed.length === 0) return;
    parentPort.postMessage({ kind: 'answers', committed, failed });
    committed = [];
    failed = [];
  },
);

parentPort.on('message', (message) => {
  if (message.kind === 'close') {
    writer.flush();
    db.close();
    parentPort.postMessage({ kind: 'closed' });
    parentPort.close();
    return;
  }
  // An array: everything the main thread wrote in one of its event-loop turns.
  for (const m of message) writer.submit(m);
});
