// Writes of the SQLite store, shared by its writer thread (sqlite-writer.worker.mjs) and its in-thread
// mode (`:memory:` databases). Plain JavaScript so that a worker thread can load it without a TS loader.

/**
 * Group commit: every message submitted in one event-loop turn shares one transaction (one WAL append
 * instead of one per request). `answer(message, error)` is called for each message after its
 * transaction has committed (error undefined) or failed; one bad message (e.g. a duplicate id) is
 * retried alone so it cannot fail the others. `flushed()`, if given, is called after each group's answers
 * (the writer thread sends them to the request thread then, in one message).
 */
/** Values per prediction in a `predictions` message, in the column order of the insert. */
export const PREDICTION_COLUMNS = 10;

/**
 * Predictions as one flat array of strings and numbers (labels, confidences and abstentions as their JSON
 * columns): cloned for the writer thread several times faster than the records' nested objects.
 */
export function predictionRows(records) {
  const rows = new Array(records.length * PREDICTION_COLUMNS);
  let at = 0;
  for (const r of records) {
    rows[at++] = r.predictionId;
    rows[at++] = r.emailId;
    rows[at++] = r.modelId;
    rows[at++] = r.createdAt;
    rows[at++] = JSON.stringify(r.labels);
    rows[at++] = JSON.stringify(r.confidences);
    rows[at++] = JSON.stringify(r.abstained);
    rows[at++] = r.queue;
    rows[at++] = r.latencyMs;
    rows[at++] = r.text ?? null;
  }
  return rows;
}

export function createGroupWriter(db, answer, flushed = () => {}) {
  const insertPrediction = db.prepare(
    `INSERT INTO predictions (prediction_id, email_id, model_id, created_at, labels, confidences, abstained, queue, latency_ms, text)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const upsertFeedback = db.prepare(
    `INSERT INTO feedback (email_id, prediction_id, labels, closed_at, received_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (email_id) DO UPDATE SET prediction_id = excluded.prediction_id, labels = excluded.labels,
       closed_at = excluded.closed_at, received_at = excluded.received_at`,
  );

  function apply(message) {
    if (message.kind === 'barrier') return;
    if (message.kind === 'feedback') {
      const f = message.feedback;
      upsertFeedback.run(f.emailId, f.predictionId ?? null, JSON.stringify(f.labels), f.closedAt, f.receivedAt);
      return;
    }
    const rows = message.rows;
    for (let at = 0; at < rows.length; at += PREDICTION_COLUMNS) {
      insertPrediction.run(rows[at], rows[at + 1], rows[at + 2], rows[at + 3], rows[at + 4], rows[at + 5], rows[at + 6], rows[at + 7], rows[at + 8], rows[at + 9]);
    }
  }
  const applyAll = db.transaction((messages) => messages.forEach(apply));
  const applyOne = db.transaction(apply);

  let pending = [];
  function flush() {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    try {
      applyAll(batch);
      for (const m of batch) answer(m, undefined);
    } catch {
      for (const m of batch) {
        try {
          applyOne(m);
          answer(m, undefined);
        } catch (error) {
          answer(m, error instanceof Error ? error : new Error(String(error)));
        }
      }
    }
    flushed();
  }

  return {
    submit(message) {
      if (pending.length === 0) setImmediate(flush);
      pending.push(message);
    },
    /** Commits what is queued now (before closing). */
    flush,
  };
}
