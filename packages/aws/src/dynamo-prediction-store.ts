import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FeedbackClearing, FeedbackOutcome, FeedbackPair, FeedbackRecord, Logger, PairWindow, PredictionRecord, PredictionStore } from '@mailroute/serving';
import { DYNAMO_TABLE_LAYOUT as L } from './contracts.js';
import { JudgedIndex } from './dynamo-judged-index.js';
import { predictionKey } from './dynamo-layout.js';
import { toStoreError } from './dynamo-retry.js';
import { predictionPages, readNewestOfEmail, readPrediction, withFeedback, type DynamoStoreTable } from './dynamo-store-reads.js';
import { writeFeedback, writePredictions } from './dynamo-store-writes.js';

export interface DynamoPredictionStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Days until DynamoDB's TTL deletes a record (GDPR retention); default 400. */
  retentionDays?: number;
  now?: () => Date;
  /** Told when a judged-only read cannot use the judged-by-day index (not backfilled that far back). */
  logger?: Pick<Logger, 'warn'>;
}

/**
 * `PredictionStore` on one DynamoDB table (layout in dynamo-layout.ts; its writes in dynamo-store-writes.ts,
 * its reads in dynamo-store-reads.ts, the judged-by-day index in dynamo-judged-index.ts). Predictions are written with
 * `attribute_not_exists` so an id is never overwritten; feedback is upserted per email, merged per task,
 * and a late, older delivery never changes a newer correction; saving it marks the email's predictions judged.
 */
export class DynamoPredictionStore implements PredictionStore {
  private readonly table: DynamoStoreTable;
  private readonly judged: JudgedIndex;
  /** The feedback TTL in days, counted from its closedAt. */
  readonly retentionDays: number;
  constructor(options: DynamoPredictionStoreOptions) {
    this.retentionDays = options.retentionDays ?? 400;
    this.table = { client: options.client, tableName: options.tableName, retentionDays: this.retentionDays, now: () => options.now?.() ?? new Date(), logger: options.logger };
    this.judged = new JudgedIndex(options);
  }

  // The PredictionStore methods: every failure reaches the HTTP layer as a ServingError (toStoreError).
  savePredictions(records: readonly PredictionRecord[]): Promise<void> {
    return this.guard(`the write of ${records.length} prediction(s)`, () => writePredictions(this.table, records));
  }

  getPrediction(predictionId: string): Promise<PredictionRecord | undefined> {
    return this.guard('the read of a prediction', () => readPrediction(this.table, predictionId));
  }

  findPredictionByEmail(emailId: string): Promise<PredictionRecord | undefined> {
    return this.guard("the read of an email's prediction", () => readNewestOfEmail(this.table, emailId));
  }

  saveFeedback(feedback: FeedbackRecord): Promise<FeedbackOutcome | FeedbackClearing> {
    return this.guard('the write of a feedback', () => writeFeedback(this.table, this.judged, feedback));
  }

  listPairs(window: PairWindow): Promise<FeedbackPair[]> {
    return this.guard('the read of predictions with their feedback', () => this.readPairs(window));
  }

  /**
   * The window's judged predictions with their feedback, a query page at a time (newest first), for a reader
   * that aggregates as it goes instead of holding the whole window (the quality Lambda): as `listPairs` with
   * `judgedOnly`, without `limit`.
   */
  async *judgedPairPages(window: Pick<PairWindow, 'since' | 'until'>): AsyncGenerator<FeedbackPair[]> {
    const pages = this.judgedPages(window, () => Number.POSITIVE_INFINITY);
    for (;;) {
      const next = await this.guard('the read of predictions with their feedback', () => pages.next());
      if (next.done) return;
      yield next.value;
    }
  }

  private async guard<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toStoreError(error, what);
    }
  }

  private async readPairs(window: PairWindow): Promise<FeedbackPair[]> {
    const limit = window.limit ?? Number.POSITIVE_INFINITY;
    if (window.judgedOnly) return this.judgedPairs(window, limit);
    const predictions: PredictionRecord[] = [];
    // A caller gone (its answer timed out) wants no more: the read ends before its next query.
    const left = () => (window.cancelled?.() ? 0 : limit - predictions.length);
    for await (const page of predictionPages(this.table, window, L.byDayIndex, left)) predictions.push(...page.slice(0, left()));
    return withFeedback(this.table, predictions);
  }

  /** The newest `limit` predictions of the window whose email has feedback, with it. */
  private async judgedPairs(window: PairWindow, limit: number): Promise<FeedbackPair[]> {
    const pairs: FeedbackPair[] = [];
    const left = () => (window.cancelled?.() ? 0 : limit - pairs.length);
    for await (const page of this.judgedPages(window, left)) {
      for (const pair of page) if (pairs.length < limit) pairs.push(pair);
      if (pairs.length >= limit) break;
    }
    return pairs;
  }

  /**
   * The window's predictions whose email has feedback, with it, page by page (newest first) while `left()` is
   * above 0. The index holds judged predictions only: the read pays for them, not for the window's others. A
   * mark outlives its feedback only where TTL took the feedback first: such a prediction is not judged, and
   * the read goes on to older ones. A window older than the index is read whole.
   */
  private async *judgedPages(window: Pick<PairWindow, 'since' | 'until'>, left: () => number): AsyncGenerator<FeedbackPair[]> {
    const covered = await this.judged.covers(window.since);
    if (!covered) {
      this.table.logger?.warn('judged-only read of a window the judged-by-day index does not cover: the whole window is read', {
        since: window.since,
        remedy: 'run the judged-index backfill (packages/aws/README.md)',
      });
    }
    // Read whole, the window's other predictions are read too: only a caller gone (left() at 0) ends it early.
    const whole = () => (left() <= 0 ? 0 : Number.POSITIVE_INFINITY);
    const pages = covered ? predictionPages(this.table, window, L.judgedByDayIndex, left) : predictionPages(this.table, window, L.byDayIndex, whole);
    for await (const page of pages) {
      const judged = (await withFeedback(this.table, page)).filter((pair) => pair.feedback);
      if (judged.length > 0) yield judged;
      if (left() <= 0) return;
    }
  }

  /**
   * The backfill of data saved before the judged-by-day index existed: marks every prediction created from
   * `since` until now whose email has feedback, then records that judged-only reads from `since` on may use
   * the index. Run it once the code that marks on saveFeedback is deployed; it is idempotent, and reads the
   * window as a judged-only read did before the index.
   */
  async backfillJudgedIndex(since: string): Promise<{ predictions: number; judged: number }> {
    const now = this.table.now();
    let predictions = 0;
    let judged = 0;
    for await (const page of predictionPages(this.table, { since, until: now.toISOString() }, L.byDayIndex, () => Number.POSITIVE_INFINITY)) {
      predictions += page.length;
      const keys = (await withFeedback(this.table, page)).filter((p) => p.feedback).map((p) => predictionKey(p.prediction.predictionId));
      await this.judged.write(keys);
      judged += keys.length;
    }
    await this.judged.recordIndexedSince(since, now);
    return { predictions, judged };
  }

  async close(): Promise<void> {
    // The document client belongs to the caller.
  }
}
