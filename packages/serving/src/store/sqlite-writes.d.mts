import type Database from 'better-sqlite3';
import type { FeedbackRecord, PredictionRecord, ReplacedFeedback } from './types.js';

export type WriteMessage =
  | { id: number; kind: 'predictions'; records: readonly PredictionRecord[] }
  /**
   * Merged per task into the email's stored feedback, unless that one closed before `expiredBefore` (ISO time;
   * '' for none: kept for ever): past the retention, it is replaced, as the prune would have deleted it.
   * Set by the writer: `superseded`, the stored feedback closed later, so this one changed nothing; `unchanged`, it
   * names no label to set and clears tasks the stored feedback held no label of, so nothing was written; `cleared`,
   * the tasks of its `clearTasks` whose stored label it removed; `replaced`, the live stored feedback it merged into
   * when another API key had recorded it (its key id and labels before the write).
   */
  | { id: number; kind: 'feedback'; feedback: FeedbackRecord; expiredBefore: string; superseded?: boolean; unchanged?: boolean; cleared?: string[]; replaced?: ReplacedFeedback }
  /** Writes nothing; answered once everything sent before it has committed. */
  | { id: number; kind: 'barrier' }
  /**
   * Writes a page that changes nothing (the header's application id as it is): it commits only while the disk takes
   * writes, which a barrier or a feedback that changed nothing does not tell (they commit on a read-only file system).
   */
  | { id: number; kind: 'probe' }
  /**
   * Deletes predictions created, and feedback closed, before `before` (ISO time): PRUNE_BATCH rows of each a group,
   * answered once none is left. Set by the writer: `deletedPredictions` and `deletedFeedback`, the rows it deleted
   * over all its batches (`batch` and `more` are the writer's own bookkeeping).
   */
  | { id: number; kind: 'prune'; before: string; deletedPredictions?: number; deletedFeedback?: number; batch?: { predictions: number; feedback: number }; more?: boolean };

export const QUEUED_ID: 0;
/** Whether a committed message changed the database file (a page written): not a barrier, nor a feedback that changed nothing. */
export function wroteChange(message: WriteMessage): boolean;
/** How long the first TRUNCATE checkpoint after a prune waits for another checkpoint or reader (milliseconds). */
export const ERASE_WAIT_MS: number;
/** How long held writes wait before their commit is tried again, after one found the database locked (milliseconds). */
export const HELD_RETRY_MS: number;
/** Rows of each table a prune deletes a transaction. */
export const PRUNE_BATCH: number;
export const GROUP_RECORDS: number;
export const WAL_SIZE_LIMIT_BYTES: number;

export interface GroupWriter {
  submit(message: WriteMessage): void;
  /** Commits what is queued now (with what is held, first). */
  flush(): void;
  /** Commits what is queued now, and fails what is still held (the database still locked): before closing. */
  close(): void;
  /**
   * Writes held because their commit found the database locked for the whole busy timeout: queued predictions
   * (answered already: failing them would lose them) and the barriers after them, tried again until it is not.
   */
  readonly held: number;
}

export interface GroupWriterOptions {
  /**
   * Why the database's path no longer names the file written to (deleted or replaced), or undefined: asked after
   * each group's commit, before its answers. Once it says so, that group and every later write fail (FILE_GONE_CODE).
   */
  fileGone?: () => string | undefined;
}

export function createGroupWriter(
  db: Database.Database,
  answer: (message: WriteMessage, error: Error | undefined) => void,
  flushed?: () => void,
  options?: GroupWriterOptions,
): GroupWriter;
