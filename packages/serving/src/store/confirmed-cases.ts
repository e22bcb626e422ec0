import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { z } from 'zod';
import type { ConfirmedCase } from '@mailroute/model';
import { StoreError } from '../errors.js';
import { readFailureMessage, STORE_SCHEMA_VERSION, storedAttachmentNames } from './sqlite-store.js';

export type { ConfirmedCase };

const Row = z.object({
  email_id: z.string(),
  labels: z.string(),
  closed_at: z.string(),
  prediction_id: z.string().nullable(),
  model_id: z.string().nullable(),
  created_at: z.string().nullable(),
  text: z.string().nullable(),
  bank: z.string().nullable(),
  email_received_at: z.string().nullable(),
  automated: z.string().nullable(),
  attachment_names: z.string().nullable(),
  predicted_labels: z.string().nullable(),
  predicted_confidences: z.string().nullable(),
  predicted_abstained: z.string().nullable(),
});
const Labels = z.record(z.string(), z.string());
/** null: a confidence that was not a number (NaN probabilities of a diverged model), as JSON keeps it. */
const Confidences = z.record(z.string(), z.number().nullable());
const Abstained = z.record(z.string(), z.boolean());

// The prediction a feedback judged: the one it names, or (by emailId, or its prediction pruned) the email's newest,
// as live quality pairs them. Newest: created later, or in the same millisecond with the greater id. A file of data
// version 2 has no automated or attachment_names column: none of its predictions is known as automated, none kept names.
const query = (version: number) => `
SELECT f.email_id, f.labels, f.closed_at, p.prediction_id, p.model_id, p.created_at, p.text, p.bank, p.received_at AS email_received_at,
  ${version >= 3 ? 'p.automated, p.attachment_names' : 'NULL AS automated, NULL AS attachment_names'}, p.labels AS predicted_labels, p.confidences AS predicted_confidences, p.abstained AS predicted_abstained
FROM feedback f
LEFT JOIN predictions p ON p.prediction_id = COALESCE(
  (SELECT prediction_id FROM predictions WHERE prediction_id = f.prediction_id),
  (SELECT prediction_id FROM predictions WHERE email_id = f.email_id ORDER BY created_at DESC, prediction_id DESC LIMIT 1))
WHERE f.closed_at >= @since AND f.closed_at < @until
ORDER BY f.closed_at, f.email_id`;

/** The oldest data version read: times in UTC with milliseconds (1), the email's bank and receivedAt with its text (2). */
const OLDEST_READ = 2;

/** Bounds of closed_at as the feedback route stores it (ISO UTC with milliseconds, so text order is time order). */
const OPEN_SINCE = '0000';
const OPEN_UNTIL = '9999';

/** The cases the window holds (each feedback pairs with one prediction at most: the query's rows). */
const countQuery = 'SELECT count(*) AS n FROM feedback f WHERE f.closed_at >= @since AND f.closed_at < @until';

/**
 * The confirmed cases of a local store's database file (`<MAILROUTE_HOME>/mailroute.db`) whose case closed in
 * [since, until) (bounds as instants; absent: open), oldest first, one at a time as they are iterated: a store
 * keeps 400 days of cases, texts and all. The file is checked at once (no such file, another data version: refused
 * here), and opened when the iteration starts, until it ends. Read-only, beside a running server: it sees what was
 * committed when the iteration starts.
 *
 * `onProgress`: told the window's count of cases once the iteration starts (`0` of them done; a count by the
 * closed_at index, in the read transaction the cases are read in, so it is theirs), then after each case is taken.
 */
export function iterateConfirmedCases(file: string, window: { since?: Date; until?: Date } = {}, onProgress?: (done: number, total: number) => void): Generator<ConfirmedCase> {
  if (!existsSync(file)) throw new StoreError(`No database at ${file}: no server has recorded predictions or feedback under this home yet (mailroute serve and npm start write it).`);
  const checked = openChecked(file);
  const version = checked.pragma('user_version', { simple: true }) as number;
  checked.close();
  // The window is read by SQL (closed_at is indexed), and the rows one at a time.
  const bounds = { since: window.since?.toISOString() ?? OPEN_SINCE, until: window.until?.toISOString() ?? OPEN_UNTIL };
  return (function* cases(): Generator<ConfirmedCase> {
    const db = openChecked(file);
    try {
      if (onProgress === undefined) {
        for (const row of db.prepare(query(version)).iterate(bounds)) yield toCase(row);
        return;
      }
      // In one read transaction: the count is of the rows then read, while a server goes on writing.
      db.exec('BEGIN');
      const total = (db.prepare(countQuery).get(bounds) as { n: number }).n;
      onProgress(0, total);
      let done = 0;
      for (const row of db.prepare(query(version)).iterate(bounds)) {
        yield toCase(row);
        onProgress(++done, total);
      }
      db.exec('COMMIT');
    } catch (error) {
      throw cannotRead(file, error);
    } finally {
      db.close();
    }
  })();
}

/**
 * The failure to read `file` as StoreError: a file this user may not read (another user's home) or a path too long
 * for SQLite said as the server says it, with the user's id, each file's mode and owner, and what to do.
 */
export function cannotRead(file: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const start = `Cannot read the feedback in ${file}`;
  const message = readFailureMessage(file, error, start) ?? `${start}: ${error instanceof Error ? error.message : String(error)}`;
  return new StoreError(message, {}, { cause: error });
}

/** The file opened read-only, if this version reads its data: a file of another is refused, not misread (times compared as text). */
export function openChecked(file: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version < OLDEST_READ) {
      throw new StoreError(`The database ${file} was written by an older mailroute (data version ${version}; this one reads ${OLDEST_READ} to ${STORE_SCHEMA_VERSION}): start \`mailroute serve\` on this home once, which brings it up to date, then export.`);
    }
    if (version > STORE_SCHEMA_VERSION) {
      throw new StoreError(`The database ${file} was written by a newer mailroute (data version ${version}; this one reads up to ${STORE_SCHEMA_VERSION}): export with that version.`);
    }
    return db;
  } catch (error) {
    db?.close();
    throw cannotRead(file, error);
  }
}

function toCase(row: unknown): ConfirmedCase {
  const r = Row.parse(row);
  return {
    emailId: r.email_id,
    labels: Labels.parse(JSON.parse(r.labels)),
    closedAt: r.closed_at,
    ...(r.prediction_id === null ? {} : { predictionId: r.prediction_id }),
    ...(r.model_id === null ? {} : { modelId: r.model_id }),
    ...(r.created_at === null ? {} : { classifiedAt: r.created_at }),
    ...(r.text === null ? {} : { text: r.text }),
    ...(r.bank === null ? {} : { bank: r.bank }),
    ...(r.email_received_at === null ? {} : { receivedAt: r.email_received_at }),
    ...(r.automated === null ? {} : { automated: r.automated }),
    ...storedAttachmentNames(r.attachment_names),
    ...(r.predicted_labels === null || r.predicted_confidences === null || r.predicted_abstained === null
      ? {}
      : {
          predicted: {
            labels: Labels.parse(JSON.parse(r.predicted_labels)),
            confidences: Confidences.parse(JSON.parse(r.predicted_confidences)),
            abstained: Abstained.parse(JSON.parse(r.predicted_abstained)),
          },
        }),
  };
}

/** `iterateConfirmedCases`, all held at once. */
export function readConfirmedCases(file: string, window: { since?: Date; until?: Date } = {}): ConfirmedCase[] {
  return [...iterateConfirmedCases(file, window)];
}
