import { existsSync } from 'node:fs';
import { StoreError } from '../errors.js';
import { cannotRead, openChecked } from './confirmed-cases.js';
import { toFeedback, toPrediction } from './sqlite-store.js';
import type { FeedbackRecord, PredictionRecord } from './types.js';

/** The most predictions of one email a lookup lists (an email classified again and again: a CRM that retries). */
export const LOOKUP_MAX_PREDICTIONS = 50;

/** One email's case as the store keeps it: its predictions, newest first, and the feedback a person gave, if any. */
export interface StoredCase {
  /** Which the id given was: a prediction's id, or an email's. */
  matchedBy: 'predictionId' | 'emailId';
  emailId: string;
  predictions: PredictionRecord[];
  /** True when the email has more predictions than LOOKUP_MAX_PREDICTIONS, the newest of which are listed. */
  morePredictions?: boolean;
  feedback?: FeedbackRecord;
}

/**
 * The case of `id` in a local store's database file (`<MAILROUTE_HOME>/mailroute.db`): read as a prediction id first,
 * else as an email id; undefined when the file holds neither (never classified here, or gone after the retention).
 * Read-only, beside a running server: it sees what was committed when it reads.
 */
export function lookupCase(file: string, id: string): StoredCase | undefined {
  if (!existsSync(file)) throw new StoreError(`No database at ${file}: no server has recorded predictions or feedback under this home yet (mailroute serve and npm start write it).`);
  const db = openChecked(file);
  try {
    db.exec('BEGIN');
    const named = db.prepare('SELECT email_id FROM predictions WHERE prediction_id = ?').get(id) as { email_id: string } | undefined;
    const emailId = named?.email_id ?? id;
    const rows = db
      .prepare('SELECT * FROM predictions WHERE email_id = ? ORDER BY created_at DESC, prediction_id DESC LIMIT ?')
      .all(emailId, LOOKUP_MAX_PREDICTIONS + 1) as Record<string, unknown>[];
    const feedbackRow = db.prepare('SELECT * FROM feedback WHERE email_id = ?').get(emailId) as Record<string, unknown> | undefined;
    db.exec('COMMIT');
    if (named === undefined && rows.length === 0 && feedbackRow === undefined) return undefined;
    return {
      matchedBy: named === undefined ? 'emailId' : 'predictionId',
      emailId,
      predictions: rows.slice(0, LOOKUP_MAX_PREDICTIONS).map(toPrediction),
      ...(rows.length > LOOKUP_MAX_PREDICTIONS ? { morePredictions: true } : {}),
      ...(feedbackRow === undefined ? {} : { feedback: toFeedback(feedbackRow) }),
    };
  } catch (error) {
    throw cannotRead(file, error);
  } finally {
    db.close();
  }
}
