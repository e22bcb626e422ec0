// The SQLite store's checkpointer thread (plain JavaScript, like the writer thread). A checkpoint copies
// the WAL into the database file and fsyncs it, which can take tens of milliseconds; run by the writer
// at commit time (SQLite's autocheckpoint), it would hold up every request waiting for that commit.
// Here it runs on its own connection and timer instead; PASSIVE mode never waits for the writer.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

// Not made again if it was deleted since the request thread opened it (this thread then ends: nothing to checkpoint).
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or locked: the next tick tries again; the writer's own autocheckpoint is the backstop.
  }
}, workerData.intervalMs);

parentPort.on('message', (message) => {
  if (message.kind !== 'close') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
