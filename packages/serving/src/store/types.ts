import type { StoreUnavailableReason } from '../errors.js';

/** What serving keeps about each prediction: ids, labels and confidences, never the raw text unless configured. */
export interface PredictionRecord {
  predictionId: string;
  emailId: string;
  modelId: string;
  createdAt: string;
  /** Per task: predicted label. */
  labels: Record<string, string>;
  /** Per task: calibrated confidence of the predicted label. */
  confidences: Record<string, number>;
  /** Per task: whether it abstained. */
  abstained: Record<string, boolean>;
  queue: string;
  /**
   * Set when the email was answered as automated (`route.reason` `automated`): its kind, `auto_reply` or
   * `delivery_failure` (a newer version may store others). Live quality and the feedback export leave such emails
   * out: no person wrote them, so their labels say nothing of the model.
   */
  automated?: string;
  latencyMs: number;
  /** Only when text storage is configured, and then already PII-masked. */
  text?: string;
  /**
   * With the text (only then), the email's other fields training reads, as the CRM sent them: its custodian bank
   * (a meta token of the model's input) and when it arrived (a training config's time split). Absent when not sent.
   */
  bank?: string;
  receivedAt?: string;
  /**
   * With the text (only then), the email's attachment names as the CRM sent them, each masked as the text is: a
   * training config's `attachmentNames` column. Absent when it sent none. Not listed by `listPairs`, as the text.
   */
  attachmentNames?: string[];
}

/**
 * What a person confirmed when the case closed. One per email: a later correction (closedAt not earlier) sets
 * the tasks it names and keeps the stored labels of the others; an earlier one changes nothing.
 */
export interface FeedbackRecord {
  emailId: string;
  /**
   * The prediction the labels were confirmed on: the one the CRM named, or the email's newest when it sent the
   * emailId alone; absent when none was stored then. Kept as given (an email's older prediction too): live quality
   * scores the labels against this prediction only, and listPairs gives it with every pair of the email.
   */
  predictionId?: string;
  labels: Record<string, string>;
  closedAt: string;
  receivedAt: string;
  /**
   * The id of the API key that sent it (an audit, not access control: any key with the feedback scope may correct
   * any email): the later feedback's, as its closedAt, so the key of the last correction. Absent when the server
   * runs without keys (SQLite column `key_id` NULL, from data version 4; no DynamoDB attribute), and for feedback
   * stored before it was recorded. Not in `mailroute feedback export`.
   */
  keyId?: string;
  /**
   * Only in a write: tasks whose stored label this feedback removes (a person corrected the task to a label the
   * model's config retired: it is not that label, and the retired one is not recorded), under the same rule as
   * `labels` (not when the stored feedback closed later). A task `labels` names is set, not cleared. Never read back.
   */
  clearTasks?: string[];
}

/** Bounds as ISO times in any form (`Z` or an offset, with or without milliseconds), compared as the instants they name. */
export interface PairWindow {
  since: string;
  /**
   * Default: now, this millisecond included (every store alike; a record stamped later by another host's clock is
   * not listed yet).
   */
  until?: string;
  limit?: number;
  judgedOnly?: boolean;
  /**
   * Asked between pages: true once the caller is gone (its answer timed out), which ends the read with the pairs read
   * so far, nobody reading them. A store that reads in one go (or whose reads are bounded otherwise) may not ask.
   */
  cancelled?: () => boolean;
}

export interface FeedbackPair {
  prediction: PredictionRecord;
  feedback?: FeedbackRecord;
}

/** Predictions and feedback: SQLite locally, DynamoDB in AWS. Writes are durable when the promise resolves. */
export type FeedbackOutcome = 'recorded' | 'superseded';

/**
 * What a feedback with `clearTasks` did: `cleared` lists those of its tasks whose stored label it removed (in the
 * order given; none when superseded). `unchanged`: it named no label to set and the email's stored feedback (live,
 * not past its retention) held a label of none of those tasks, so nothing was written.
 */
export interface FeedbackClearing {
  outcome: FeedbackOutcome | 'unchanged';
  cleared: string[];
  /** Set when the feedback replaced one another key had recorded: see `ReplacedFeedback`. */
  replaced?: ReplacedFeedback;
}

/**
 * The email's stored feedback as it was before a feedback (`recorded`) merged into it, when another API key had
 * recorded it: its `keyId` was set and is not this feedback's (this one may have none: sent without a key). Not for
 * one of no key (none recorded, or stored before keys were) nor one past its retention. Read in the write itself.
 */
export interface ReplacedFeedback {
  keyId: string;
  labels: Record<string, string>;
}

/** Whether a store can take writes now; `detail` says why not. */
export interface StoreHealth {
  ready: boolean;
  detail?: string;
  /** Why it is not ready, as a 503 STORE_UNAVAILABLE of its writes says it (`STORE_READ_ONLY`). */
  reason?: StoreUnavailableReason;
  /** True when it is ready again by itself once its disk takes writes; else only a restart makes it ready. */
  passing?: boolean;
}

export interface PredictionStore {
  /**
   * Optional: `false` for a store that keeps nothing (`noStore`, the SageMaker container's): the app then refuses
   * /v1/feedback and /v1/quality (404 `PREDICTIONS_NOT_KEPT`) rather than answer them from an empty store.
   */
  readonly keepsPredictions?: boolean;
  /**
   * Optional: days the store keeps a feedback from its closedAt (0 or absent: for ever). `createApp` refuses a
   * feedback that closed longer ago (it would be deleted at once) unless its limits say another figure.
   */
  readonly retentionDays?: number;
  savePredictions(records: readonly PredictionRecord[]): Promise<void>;
  /**
   * Optional: saves predictions without making the caller wait for the commit (it follows within a few
   * milliseconds, shared with other requests). Reads and feedback writes wait for queued predictions
   * first, so a caller always finds what it was answered. Returns a promise only when the caller should
   * wait after all (the store is behind). Stores without it are awaited through `savePredictions`.
   */
  queuePredictions?(records: readonly PredictionRecord[]): Promise<void> | undefined;
  getPrediction(predictionId: string): Promise<PredictionRecord | undefined>;
  /** The newest prediction for an email id: created last; in one millisecond, the greater id (ids are time-ordered). */
  findPredictionByEmail(emailId: string): Promise<PredictionRecord | undefined>;
  /**
   * Upsert by `emailId`, merged per task: the tasks `labels` names are set, the stored labels of the other
   * tasks kept, and closedAt, receivedAt and predictionId (or its absence) become this feedback's. Unless
   * the stored feedback closed later (out-of-order delivery): nothing changes, `superseded` then; `recorded`
   * (or nothing, for stores that cannot tell) otherwise. With `clearTasks`, the stored labels of those tasks are
   * removed too, and the answer is a `FeedbackClearing`: which of them held a label, or `unchanged` when none did
   * and there was no label to set (the choice made in the write itself, so it holds against a write at once).
   * `keyId` becomes this feedback's (none when it has none). When it replaced the feedback another key recorded,
   * the answer is a `FeedbackClearing` too, whose `replaced` is the stored one's key and labels before the write.
   */
  saveFeedback(feedback: FeedbackRecord): Promise<FeedbackOutcome | FeedbackClearing | void>;
  /** Optional: deletes predictions created, and feedback closed, before `before` (retention). */
  prune?(before: string): Promise<void>;
  /**
   * Predictions created in [since, until), newest first (as findPredictionByEmail), each with its feedback if any; with `limit`, the newest `limit`
   * of them; with `judgedOnly`, only those with feedback. (The DynamoDB store's judged-only read misses a
   * prediction saved after its email's feedback until that feedback is saved again: packages/aws/README.md.)
   * The predictions come without their stored text: live quality reads labels, and a year's window is 100,000
   * predictions (their text doubled the read's time and memory).
   */
  listPairs(window: PairWindow): Promise<FeedbackPair[]>;
  /**
   * Optional: whether the store can take writes now; `/readyz` is not ready while it cannot (the SQLite store's file
   * deleted under the server, its writer thread ended, its file system read-only or its disk failing). A store
   * without it is taken as ready.
   */
  health?(): StoreHealth;
  close(): Promise<void>;
}
