// Writes of the SQLite store, shared by its writer thread (sqlite-writer.worker.mjs) and its in-thread
// mode (`:memory:` databases). Plain JavaScript so that a worker thread can load it without a TS loader.
import { FILE_GONE_CODE } from './sqlite-file-identity.mjs';

/**
 * Group commit: every message submitted in one event-loop turn shares one transaction (one WAL append
 * instead of one per request). `answer(message, error)` is called for each message after its
 * transaction has committed (error undefined) or failed; one bad message (e.g. a duplicate id) is
 * retried alone so it cannot fail the others. `flushed()`, if given, is called after each group's answers
 * (the writer thread sends them to the request thread then, in one message).
 *
 * `options.fileGone()`, if given, says why the database's path no longer names the file written to (deleted or
 * replaced while the server runs), or undefined. It is asked after each group's commit, before any answer: a
 * write committed to a deleted file is failed (FILE_GONE_CODE), not answered as stored, and so is every later one,
 * without being written.
 */
/** The id of a queued write: nobody awaits it, so the request thread only counts it (and reports its failure). */
export const QUEUED_ID = 0;
/** How long the first TRUNCATE checkpoint after a prune waits for another checkpoint or reader (milliseconds). */
export const ERASE_WAIT_MS = 250;
/** How long held writes wait before their commit is tried again, after one found the database locked (milliseconds). */
export const HELD_RETRY_MS = 200;
/** Prediction records (other writes count one) a transaction holds at most: a group beyond it commits in parts. */
export const GROUP_RECORDS = 2_000;
/** Rows of each table a prune deletes a transaction (some 50 ms of the writer's with secure_delete). */
export const PRUNE_BATCH = 2_000;

/**
 * What the WAL file is cut back to once a checkpoint has copied it all (`journal_size_limit`). SQLite reuses a WAL
 * rather than shrink it: a burst, or the writes held while a backup locked the database, left it at 40-180 MB for
 * good (with `--store-text`, frames of email text among them), until a prune or a restart.
 */
export const WAL_SIZE_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * Whether a committed message changed the database file (wrote a page): predictions, a feedback that set or cleared a
 * label, a prune that deleted rows, a probe. Not a barrier, nor a feedback that changed nothing: they commit on a
 * read-only file system too, so they cannot tell a store whose disk refused writes that it takes them again.
 */
export function wroteChange(message) {
  if (message.kind === 'predictions') return message.records.length > 0;
  if (message.kind === 'feedback') return !message.superseded && !message.unchanged;
  if (message.kind === 'prune') return (message.deletedPredictions ?? 0) + (message.deletedFeedback ?? 0) > 0;
  return message.kind === 'probe';
}

/** SQLite's "database is locked" (another connection writes, or holds a write lock: a backup, a `sqlite3` shell). */
const isLocked = (error) => typeof error?.code === 'string' && error.code.startsWith('SQLITE_BUSY');

export function createGroupWriter(db, answer, flushed = () => {}, options = {}) {
  // The retention prune (below, the only deletes of the store) must erase, not only unlink: with secure_delete
  // SQLite overwrites a deleted row with zeros. Without it the email text stored with `--store-text` stays in the
  // freed pages of mailroute.db (and its backups), readable with `strings`, long after its retention ended. It
  // costs the hourly prune some writes, not the inserts. Set here, on the connection that prunes, in both modes.
  db.pragma('secure_delete = ON');
  // Set on the connection that writes: it cuts the WAL back when its next transaction starts the log anew.
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  const insertPrediction = db.prepare(
    `INSERT INTO predictions (prediction_id, email_id, model_id, created_at, labels, confidences, abstained, queue, latency_ms, text, bank, received_at, automated, attachment_names)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // One feedback per email, merged per task: a later one (closedAt not earlier) sets the tasks it names and
  // keeps the stored labels of the others (json_patch with the patch given: labels are strings, and the null of
  // a task in `clearTasks` deletes its key); an earlier one (out-of-order delivery) changes nothing. The
  // prediction id and API key id are the later one's. A stored one past the retention (closed before the message's
  // `expiredBefore`, not yet pruned: the prune runs hourly) is replaced, not merged: its labels are as good as deleted.
  const upsertFeedback = db.prepare(
    `INSERT INTO feedback (email_id, prediction_id, labels, closed_at, received_at, key_id) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (email_id) DO UPDATE SET prediction_id = excluded.prediction_id,
       labels = CASE WHEN feedback.closed_at < ? THEN excluded.labels ELSE json_patch(feedback.labels, ?) END,
       closed_at = excluded.closed_at, received_at = excluded.received_at, key_id = excluded.key_id
     WHERE excluded.closed_at >= feedback.closed_at`,
  );
  // One lookup by the primary key, in the transaction that writes: what the feedback replaces.
  const storedFeedback = db.prepare('SELECT labels, closed_at, key_id FROM feedback WHERE email_id = ?');

  /** The email's stored feedback, unless it has none live (one past the retention is as good as deleted). */
  function liveFeedback(emailId, expiredBefore) {
    const stored = storedFeedback.get(emailId);
    return stored === undefined || stored.closed_at < expiredBefore ? undefined : stored;
  }

  /** The tasks of `clear` whose label the stored feedback holds: what a feedback that clears them removes. */
  function heldLabels(stored, clear) {
    if (stored === undefined) return [];
    const labels = JSON.parse(stored.labels);
    return clear.filter((task) => Object.hasOwn(labels, task));
  }

  // A prune deletes PRUNE_BATCH rows of each table a transaction, then goes on in the next group: deleted in one
  // transaction, a million rows (a lowered retention, a restart after a long stop) held every write for 25 s
  // and grew the WAL past 500 MB, and feedback got 503 for it.
  const prunePredictions = db.prepare('DELETE FROM predictions WHERE rowid IN (SELECT rowid FROM predictions WHERE created_at < ? LIMIT ?)');
  const pruneFeedback = db.prepare('DELETE FROM feedback WHERE rowid IN (SELECT rowid FROM feedback WHERE closed_at < ? LIMIT ?)');

  function apply(message) {
    if (message.kind === 'barrier') return;
    if (message.kind === 'probe') {
      // A page written that changes nothing: the header's application id (unused by mailroute, 0) set to what it
      // holds. SQLite writes page 1 for it at the commit, so the commit fails while the disk refuses writes.
      const applicationId = Number(db.pragma('application_id', { simple: true }));
      db.pragma(`application_id = ${applicationId}`);
      return;
    }
    if (message.kind === 'prune') {
      const predictions = prunePredictions.run(message.before, PRUNE_BATCH).changes;
      const feedback = pruneFeedback.run(message.before, PRUNE_BATCH).changes;
      // This batch's rows, added to the prune's counts once its transaction has committed (`settle`): a group that
      // fails is tried again message by message, and its rolled-back deletes must not count.
      message.batch = { predictions, feedback };
      message.more = predictions === PRUNE_BATCH || feedback === PRUNE_BATCH;
      return;
    }
    if (message.kind === 'feedback') {
      const f = message.feedback;
      const expiredBefore = message.expiredBefore ?? '';
      // A task the feedback sets is not cleared. Cleared: its key patched with null, which json_patch deletes.
      const clear = [...new Set(f.clearTasks ?? [])].filter((task) => !Object.hasOwn(f.labels, task));
      const stored = liveFeedback(f.emailId, expiredBefore);
      const held = clear.length === 0 ? [] : heldLabels(stored, clear);
      message.superseded = false;
      message.unchanged = false;
      message.cleared = [];
      message.replaced = undefined;
      if (clear.length > 0 && held.length === 0 && Object.keys(f.labels).length === 0) {
        // Nothing to set and nothing to clear: no row is written (none made for an email without feedback).
        message.unchanged = true;
        return;
      }
      const labels = JSON.stringify(f.labels);
      const patch = clear.length === 0 ? labels : JSON.stringify(Object.fromEntries([...Object.entries(f.labels), ...clear.map((task) => [task, null])]));
      // No row changed: the upsert's WHERE kept a stored feedback that closed later (decided in this transaction,
      // so a later feedback committed just after cannot make this one read as superseded).
      const keyId = f.keyId ?? null;
      message.superseded = upsertFeedback.run(f.emailId, f.predictionId ?? null, labels, f.closedAt, f.receivedAt, keyId, expiredBefore, patch).changes === 0;
      if (message.superseded) return;
      message.cleared = held;
      // Another key's feedback replaced (merged into): its key and labels, for the audit log line of the route.
      if (stored !== undefined && stored.key_id !== null && stored.key_id !== keyId) message.replaced = { keyId: stored.key_id, labels: JSON.parse(stored.labels) };
      return;
    }
    for (const r of message.records) {
      insertPrediction.run(
        r.predictionId,
        r.emailId,
        r.modelId,
        r.createdAt,
        JSON.stringify(r.labels),
        JSON.stringify(r.confidences),
        JSON.stringify(r.abstained),
        r.queue,
        r.latencyMs,
        r.text ?? null,
        r.bank ?? null,
        r.receivedAt ?? null,
        r.automated ?? null,
        r.attachmentNames === undefined ? null : JSON.stringify(r.attachmentNames),
      );
    }
  }
  const applyAll = db.transaction((messages) => messages.forEach(apply));
  const applyOne = db.transaction(apply);
  // A group that writes takes the write lock as it begins (BEGIN IMMEDIATE), waiting the busy timeout for it as a
  // first write would: a feedback reads the stored one before it writes, and a deferred transaction that has read
  // cannot wait for the lock to become a writer (SQLite answers SQLITE_BUSY at once), so a feedback sent while a
  // backup held the lock failed at once rather than waiting for it. A group of barriers alone writes nothing and takes none.
  const writes = (messages) => messages.some((m) => m.kind !== 'barrier');

  /**
   * Set by a prune that deleted rows, until a TRUNCATE checkpoint has run. secure_delete zeroes the rows
   * in new WAL frames, but the earlier frames with the email text stay in the -wal file, and the text in
   * the database file, until a checkpoint copies the zeroed pages over and the WAL is cut to 0 bytes. One
   * that finds a reader in the way (busy) is tried again after the next group. It does not wait for that
   * reader: TRUNCATE would wait busy_timeout (5 s) for it, holding up this group's answers, and, with inline
   * writes, the request thread, again after every group for as long as the reader (a backup, a
   * `sqlite3` shell) keeps its snapshot. Only the first try, right after the prune, waits a little
   * (ERASE_WAIT_MS): for the checkpointer thread's own checkpoint, which often runs at that moment, so the
   * text is gone when the prune is answered rather than after the next write, which may be long on a quiet
   * server.
   */
  let erasePending = false;
  let eraseTries = 0;
  function eraseFromWal() {
    if (!erasePending) return;
    const busyTimeout = db.pragma('busy_timeout', { simple: true });
    try {
      db.pragma(`busy_timeout = ${eraseTries++ === 0 ? ERASE_WAIT_MS : 0}`);
      const [result] = db.pragma('wal_checkpoint(TRUNCATE)');
      if (!result || result.busy === 0) erasePending = false;
    } catch {
      // Locked: the next group tries again.
    } finally {
      db.pragma(`busy_timeout = ${busyTimeout}`);
    }
  }

  /** Why the database file is gone, once found: every write from then on fails with it. */
  let gone;
  const goneError = () => Object.assign(new Error(gone), { code: FILE_GONE_CODE });
  /** The answers of a flush, given once the file has been checked. */
  let outgoing = [];
  function reply(m, error) {
    outgoing.push(m, error);
  }
  /** Gives the answers of this flush: a commit that went to a deleted file is failed. */
  function deliver() {
    if (outgoing.length === 0) return;
    if (gone === undefined && options.fileGone) gone = options.fileGone();
    const out = outgoing;
    outgoing = [];
    for (let i = 0; i < out.length; i += 2) answer(out[i], out[i + 1] ?? (gone === undefined ? undefined : goneError()));
  }

  let pending = [];
  /**
   * Writes held after their commit found the database locked for the whole busy timeout: queued predictions
   * (answered already, with nobody to tell of a failure: failing them would lose them for good) and the barriers
   * sent after them (a read waits for the predictions queued before it). They go first in each later group,
   * tried again every HELD_RETRY_MS until the lock is gone. Awaited writes (feedback) fail as before: their
   * caller answers 503 and the CRM sends them again.
   */
  let held = [];
  let lockError;
  let retryTimer;
  /**
   * A message committed (`error` undefined) or failed: answered, or held: a queued prediction that found the
   * database locked, and a barrier while predictions before it are held. A barrier writes nothing: it is
   * answered once what came before it is no longer held, whatever its group's outcome.
   */
  function settle(m, error) {
    if (m.kind === 'prune' && error === undefined) {
      // The rows deleted, per table, over all its batches: what its answer (and the server's log line) says.
      m.deletedPredictions = (m.deletedPredictions ?? 0) + (m.batch?.predictions ?? 0);
      m.deletedFeedback = (m.deletedFeedback ?? 0) + (m.batch?.feedback ?? 0);
      m.batch = undefined;
      // Rows left: the next group deletes more. Done (or closing: the next start goes on): its text erased, answered.
      if (m.more && !closing) return submit(m);
      if (m.deletedPredictions + m.deletedFeedback > 0) {
        erasePending = true;
        eraseTries = 0;
      }
    }
    if (m.kind === 'barrier') {
      if (held.length > 0) held.push(m);
      else reply(m, undefined);
    } else if (error !== undefined && isLocked(error) && m.kind === 'predictions' && m.id === QUEUED_ID) {
      lockError = error;
      held.push(m);
    } else {
      reply(m, error);
    }
  }
  const asError = (error) => (error instanceof Error ? error : new Error(String(error)));
  function flush() {
    const batch = held.length > 0 ? held.concat(pending) : pending;
    held = [];
    pending = [];
    if (batch.length === 0) return;
    if (gone !== undefined) {
      // Nothing more goes to the deleted file.
      for (const m of batch) answer(m, goneError());
      flushed();
      return;
    }
    // A group is one transaction, unless it holds more than GROUP_RECORDS records (the writes held through a lock,
    // a burst): then one a GROUP_RECORDS, so no commit grows the WAL by hundreds of megabytes.
    for (let at = 0; at < batch.length; ) {
      let end = at;
      let records = 0;
      do records += batch[end++].records?.length ?? 1;
      while (end < batch.length && records < GROUP_RECORDS);
      const locked = commitGroup(batch.slice(at, end));
      if (locked !== undefined) {
        // Locked: every message would wait the busy timeout again, so the rest is not tried now.
        for (const m of batch.slice(at)) settle(m, locked);
        break;
      }
      at = end;
    }
    if (held.length > 0) retryTimer ??= setTimeout(retryHeld, HELD_RETRY_MS);
    eraseFromWal();
    deliver();
    flushed();
  }
  /** Commits `group` in one transaction and settles it; the error when the database was locked (nothing settled then). */
  function commitGroup(group) {
    try {
      if (writes(group)) applyAll.immediate(group);
      else applyAll(group);
      for (const m of group) settle(m, undefined);
      return undefined;
    } catch (error) {
      if (isLocked(error)) return asError(error);
      // One bad message (e.g. a duplicate id) must not fail the others: each is tried alone.
      for (const m of group) retryAlone(m);
      return undefined;
    }
  }
  function retryAlone(m) {
    try {
      if (writes([m])) applyOne.immediate(m);
      else applyOne(m);
      settle(m, undefined);
    } catch (error) {
      settle(m, asError(error));
    }
  }
  function retryHeld() {
    retryTimer = undefined;
    flush();
  }

  let closing = false;
  function submit(message) {
    if (pending.length === 0) setImmediate(flush);
    pending.push(message);
  }

  return {
    submit,
    /** Commits what is queued now. */
    flush,
    /** Commits what is queued now, and fails what is still held (the database still locked): before closing. */
    close() {
      closing = true;
      flush();
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = undefined;
      for (const m of held) reply(m, lockError);
      held = [];
      deliver();
      flushed();
    },
    /** Writes held for a lock to clear. */
    get held() {
      return held.length;
    },
  };
}
