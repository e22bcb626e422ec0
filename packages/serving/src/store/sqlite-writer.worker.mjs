// The SQLite store's writer thread (plain JavaScript, so it starts the same under node, tsx and vitest).
// It owns the write connection, so inserts and commits cost the request thread nothing but a message;
// each message is answered only after its transaction has committed ("in the WAL file").
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { createPredictionUnpacker } from './prediction-pack.mjs';
import { FILE_GONE_CODE, fileGoneProblem } from './sqlite-file-identity.mjs';
import { createGroupWriter, QUEUED_ID, wroteChange } from './sqlite-writes.mjs';

// The file the request thread made and opened: not made again here if it was deleted since (it would be another file).
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${workerData.synchronous}`);
db.pragma('busy_timeout = 5000');
// Checkpoints run on the checkpointer thread; this large autocheckpoint is only the backstop that
// bounds the WAL (about 40 MB) should that thread fall behind.
db.pragma('wal_autocheckpoint = 10000');

// The answers of one group go back in one message: ids committed (those of feedback that changed nothing, as a
// feedback that closed later was stored, apart; those that cleared nothing and set nothing, `unchanged`, apart;
// and those that cleared stored labels or replaced another key's feedback, with the tasks and that feedback), how many queued writes (QUEUED_ID, which nobody awaits)
// and prediction records of theirs committed, the rows each prune deleted, and failures with their reason and records.
let committed = [];
let superseded = [];
let unchanged = [];
let cleared = [];
let pruned = [];
let queued = 0;
let queuedRecords = 0;
let failed = [];
// Whether a message of the group changed the file: the disk takes writes (sqlite-writes.mjs's wroteChange).
let wrote = false;
const recordsOf = (message) => (message.kind === 'predictions' ? message.records.length : 0);
const writer = createGroupWriter(
  db,
  (message, error) => {
    if (error) {
      // A deleted file's message names its path, kept whole.
      const text = error.code === FILE_GONE_CODE ? error.message : error.message.slice(0, 300);
      failed.push({ id: message.id, message: text, code: typeof error.code === 'string' ? error.code : undefined, records: recordsOf(message) });
      return;
    }
    if (wroteChange(message)) wrote = true;
    if (message.id === QUEUED_ID) {
      queued++;
      queuedRecords += recordsOf(message);
    } else if (message.superseded) superseded.push(message.id);
    else if (message.unchanged) unchanged.push(message.id);
    else if (message.cleared?.length > 0 || message.replaced !== undefined) cleared.push({ id: message.id, tasks: message.cleared ?? [], ...(message.replaced === undefined ? {} : { replaced: message.replaced }) });
    else if (message.kind === 'prune') pruned.push({ id: message.id, predictions: message.deletedPredictions ?? 0, feedback: message.deletedFeedback ?? 0 });
    else committed.push(message.id);
  },
  () => {
    if (committed.length === 0 && superseded.length === 0 && unchanged.length === 0 && cleared.length === 0 && pruned.length === 0 && queued === 0 && failed.length === 0) return;
    parentPort.postMessage({ kind: 'answers', committed, superseded, unchanged, cleared, pruned, queued, queuedRecords, failed, wrote });
    committed = [];
    superseded = [];
    unchanged = [];
    cleared = [];
    pruned = [];
    queued = 0;
    queuedRecords = 0;
    failed = [];
    wrote = false;
  },
  // The file the request thread opened (its device and inode): a commit after the path stopped naming it went to a
  // deleted file, and is failed rather than answered.
  { fileGone: workerData.identity === undefined ? undefined : () => fileGoneProblem(workerData.file, workerData.identity) },
);

parentPort.on('message', (message) => {
  if (message.kind === 'close') {
    writer.close();
    db.close();
    parentPort.postMessage({ kind: 'closed' });
    parentPort.close();
    return;
  }
  // Everything the main thread sent at once; each `packed` entry is its next n records of the pack.
  const pack = message.pack && createPredictionUnpacker(message.pack);
  for (const m of message.messages) {
    if (m.kind !== 'packed') {
      writer.submit(m);
      continue;
    }
    const records = new Array(m.n);
    for (let i = 0; i < m.n; i++) records[i] = pack.next();
    writer.submit({ id: m.id, kind: 'predictions', records });
  }
});
