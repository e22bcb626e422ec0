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

const writer = createGroupWriter(db, (message, error) => {
  parentPort.postMessage(error ? { id: message.id, ok: false, message: error.message.slice(0, 300) } : { id: message.id, ok: true });
});

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
