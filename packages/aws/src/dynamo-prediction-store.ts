import { createHash } from 'node:crypto';
import {
  BatchGetCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { FeedbackOutcome, FeedbackPair, FeedbackRecord, Logger, PairWindow, PredictionRecord, PredictionStore } from '@mailroute/serving';
import { DYNAMO_TABLE_LAYOUT as L } from './contracts.js';
import { JudgedIndex, TRANSACTION_LIMIT } from './dynamo-judged-index.js';
import { canonicalTime, FeedbackItemSchema, PredictionItemSchema, toFeedback, toPrediction, withoutUndefined } from './dynamo-items.js';
import {
  dayPartition,
  daysInWindow,
  emailPartition,
  expiryEpochSeconds,
  feedbackKey,
  predictionKey,
} from './dynamo-layout.js';
import { backoff, MAX_ATTEMPTS, toStoreError, transactWithRetry } from './dynamo-retry.js';
import { fitText } from './dynamo-text.js';
import { PredictionExistsError, StoreUnavailableError } from './errors.js';

export interface DynamoPredictionStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Days until DynamoDB's TTL deletes a record (GDPR retention); default 400. */
  retentionDays?: number;
  now?: () => Date;
  /** Told when a judged-only read cannot use the judged-by-day index (not backfilled that far back). */
  logger?: Pick<Logger, 'warn'>;
}
/** DynamoDB refuses transactions over 4 MB; items are measured as JSON, a little over their stored size. */
const TRANSACTION_BYTES = 3_500_000;
const BATCH_GET_LIMIT = 100;

/**
 * `PredictionStore` on one DynamoDB table (layout in dynamo-layout.ts). Predictions are written with
 * `attribute_not_exists` so an id is never overwritten; feedback is upserted per email, merged per task,
 * and a late, older delivery never changes a newer correction; saving it marks the email's predictions judged.
 */
export class DynamoPredictionStore implements PredictionStore {
  private readonly retentionDays: number;
  private readonly judged: JudgedIndex;
  constructor(private readonly options: DynamoPredictionStoreOptions) {
    this.retentionDays = options.retentionDays ?? 400;
    this.judged = new JudgedIndex(options);
  }

  // The PredictionStore methods: every failure reaches the HTTP layer as a ServingError (toStoreError).
  savePredictions(records: readonly PredictionRecord[]): Promise<void> {
    return this.guard(`the write of ${records.length} prediction(s)`, () => this.writePredictions(records));
  }

  getPrediction(predictionId: string): Promise<PredictionRecord | undefined> {
    return this.guard('the read of a prediction', () => this.readPrediction(predictionId));
  }

  findPredictionByEmail(emailId: string): Promise<PredictionRecord | undefined> {
    return this.guard("the read of an email's prediction", () => this.readNewestOfEmail(emailId));
  }

  saveFeedback(feedback: FeedbackRecord): Promise<FeedbackOutcome> {
    return this.guard('the write of a feedback', () => this.writeFeedback(feedback));
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

  /** Transactions of at most 100 items and well under DynamoDB's 4 MB (stored text can make items large). */
  private transactions(records: readonly PredictionRecord[]): { records: PredictionRecord[]; items: Record<string, unknown>[] }[] {
    const out: { records: PredictionRecord[]; items: Record<string, unknown>[] }[] = [];
    let bytes = 0;
    for (const record of records) {
      const item = this.predictionItem(record);
      const size = Buffer.byteLength(JSON.stringify(item));
      const last = out.at(-1);
      if (!last || last.items.length >= TRANSACTION_LIMIT || bytes + size > TRANSACTION_BYTES) {
        out.push({ records: [record], items: [item] });
        bytes = size;
      } else {
        last.records.push(record);
        last.items.push(item);
        bytes += size;
      }
    }
    return out;
  }

  private async writePredictions(records: readonly PredictionRecord[]): Promise<void> {
    for (const { records: chunk, items } of this.transactions(records)) {
      const command = new TransactWriteCommand({
        TransactItems: items.map((Item) => ({
          Put: {
            TableName: this.options.tableName,
            Item,
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': L.partitionKey },
          },
        })),
        // The same token on every try: a retry after a lost answer is not refused as a duplicate of itself. It
        // hashes the items, not only their ids: DynamoDB answers a token reused with other items within 10
        // minutes with IdempotentParameterMismatch, where an id stored before must read as PREDICTION_EXISTS.
        ClientRequestToken: createHash('sha256').update(JSON.stringify(items)).digest('hex').slice(0, 36),
      });
      const clash = await transactWithRetry(() => this.options.client.send(command), `${chunk.length} prediction(s)`);
      // Only a failed condition means a duplicate id (a conflict or throttling was tried again).
      if (clash) throw new PredictionExistsError(`prediction ${chunk[clash.failed[0]]?.predictionId ?? '(in batch)'} already stored`, { cause: clash.cause });
    }
  }

  private async readPrediction(predictionId: string): Promise<PredictionRecord | undefined> {
    const out = await this.options.client.send(
      new GetCommand({ TableName: this.options.tableName, Key: predictionKey(predictionId), ConsistentRead: true }),
    );
    return out.Item && this.live(out.Item) ? toPrediction(out.Item) : undefined;
  }

  /**
   * Whether an item is inside its retention: DynamoDB's TTL deletes expired items only within days, and a
   * read must not hand out a record past the retention (GDPR) meanwhile. Items without `expiresAt` are live.
   */
  private live(item: Record<string, unknown>): boolean {
    const expiresAt = item[L.ttlAttribute];
    return typeof expiresAt !== 'number' || expiresAt * 1000 > (this.options.now?.() ?? new Date()).getTime();
  }

  private async readNewestOfEmail(emailId: string): Promise<PredictionRecord | undefined> {
    const out = await this.options.client.send(
      new QueryCommand({
        TableName: this.options.tableName,
        IndexName: L.byEmailIndex.name,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': L.byEmailIndex.partitionKey },
        ExpressionAttributeValues: { ':p': emailPartition(emailId) },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const item = out.Items?.[0];
    return item && this.live(item) ? toPrediction(item) : undefined;
  }

  /**
   * Saves the feedback merged per task and, in the same transaction, marks its email's predictions judged
   * (the judged-by-day index). The first feedback of an email is put whole (unless one exists); a later one
   * is an update that sets each task it names in the stored `labels` map (so a correction of one task keeps
   * the others), under the condition that the stored one did not close later: each step is one conditional
   * write, so two feedbacks at once never lose each other's tasks. A feedback past its retention (TTL not run
   * yet) is replaced whole, not merged: reads already treat it as gone. A prediction saved after its email's
   * feedback is not marked until a later correction of that email, or the backfill: a read of the whole
   * window pairs it, a judged-only one not.
   */
  private async writeFeedback(feedback: FeedbackRecord): Promise<FeedbackOutcome> {
    const parsed = FeedbackItemSchema.parse(feedback);
    const keys = await this.judged.predictionKeysOf(parsed.emailId, parsed.predictionId);
    let outcome: FeedbackOutcome | undefined;
    // A step fails only when another write changed the item in between (a first feedback put meanwhile, or
    // the stored one expired): the next step sees that, so a few rounds always settle.
    for (let round = 1; outcome === undefined; round++) {
      const now = Math.floor((this.options.now?.() ?? new Date()).getTime() / 1000);
      if (await this.judged.write(keys, this.feedbackPut(parsed, now))) outcome = 'recorded';
      else if (await this.judged.write(keys, this.feedbackMerge(parsed, now))) outcome = 'recorded';
      else if (await this.storedFeedbackIsNewer(parsed)) {
        // A newer correction is stored; its save marked the predictions it found, not one saved since.
        outcome = 'superseded';
        await this.judged.write(keys);
      } else if (round >= MAX_ATTEMPTS) {
        throw new StoreUnavailableError(`the feedback of email ${parsed.emailId} kept changing during ${round} tries of its write`);
      }
    }
    // The feedback is saved whatever happens here: a failed record is logged and tried with the next one.
    await this.judged.recordOnFirstFeedback(this.options.now?.() ?? new Date()).catch((error: unknown) => {
      this.options.logger?.warn('could not record from when the judged-by-day index is complete; tried again with the next feedback', { error: String(error).slice(0, 200) });
    });
    return outcome;
  }

  /** The whole feedback, where the email has none (or only one past its retention). */
  private feedbackPut(parsed: FeedbackRecord, now: number) {
    return {
      Put: {
        TableName: this.options.tableName,
        Item: {
          ...feedbackKey(parsed.emailId),
          ...withoutUndefined(parsed),
          [L.ttlAttribute]: expiryEpochSeconds(parsed.closedAt, this.retentionDays),
        },
        ConditionExpression: 'attribute_not_exists(#pk) OR #expiresAt <= :now',
        ExpressionAttributeNames: { '#pk': L.partitionKey, '#expiresAt': L.ttlAttribute },
        ExpressionAttributeValues: { ':now': now },
      },
    };
  }

  /**
   * The tasks of the feedback set in the stored one's `labels` (the others kept), its times, expiry and
   * prediction id (or none) taking the stored one's place: where the stored one is live and did not close later.
   */
  private feedbackMerge(parsed: FeedbackRecord, now: number) {
    const tasks = Object.entries(parsed.labels);
    // DynamoDB refuses a name or value the expressions do not use: `#labels` only with a task to set.
    const names: Record<string, string> = { '#closedAt': 'closedAt', '#receivedAt': 'receivedAt', '#expiresAt': L.ttlAttribute, '#predictionId': 'predictionId', ...(tasks.length > 0 ? { '#labels': 'labels' } : {}) };
    const values: Record<string, unknown> = {
      ':closedAt': parsed.closedAt,
      ':receivedAt': parsed.receivedAt,
      ':expiresAt': expiryEpochSeconds(parsed.closedAt, this.retentionDays),
      ':now': now,
    };
    const set = ['#closedAt = :closedAt', '#receivedAt = :receivedAt', '#expiresAt = :expiresAt'];
    tasks.forEach(([task, label], i) => {
      names[`#t${i}`] = task;
      values[`:t${i}`] = label;
      set.push(`#labels.#t${i} = :t${i}`);
    });
    if (parsed.predictionId !== undefined) {
      values[':predictionId'] = parsed.predictionId;
      set.push('#predictionId = :predictionId');
    }
    return {
      Update: {
        TableName: this.options.tableName,
        Key: feedbackKey(parsed.emailId),
        UpdateExpression: `SET ${set.join(', ')}${parsed.predictionId === undefined ? ' REMOVE #predictionId' : ''}`,
        ConditionExpression: '#closedAt <= :closedAt AND NOT #expiresAt <= :now',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  /** Whether the email's stored feedback is live and closed after this one (read after a merge was refused). */
  private async storedFeedbackIsNewer(parsed: FeedbackRecord): Promise<boolean> {
    const out = await this.options.client.send(new GetCommand({ TableName: this.options.tableName, Key: feedbackKey(parsed.emailId), ConsistentRead: true }));
    return out.Item !== undefined && this.live(out.Item) && String(out.Item.closedAt) > parsed.closedAt;
  }

  private async readPairs(window: PairWindow): Promise<FeedbackPair[]> {
    const limit = window.limit ?? Number.POSITIVE_INFINITY;
    if (window.judgedOnly) return this.judgedPairs(window, limit);
    const predictions: PredictionRecord[] = [];
    const left = () => limit - predictions.length;
    for await (const page of this.predictionPages(window, L.byDayIndex, left)) predictions.push(...page.slice(0, left()));
    return this.withFeedback(predictions);
  }

  /** The newest `limit` predictions of the window whose email has feedback, with it. */
  private async judgedPairs(window: PairWindow, limit: number): Promise<FeedbackPair[]> {
    const pairs: FeedbackPair[] = [];
    const left = () => limit - pairs.length;
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
      this.options.logger?.warn('judged-only read of a window the judged-by-day index does not cover: the whole window is read', {
        since: window.since,
        remedy: 'run the judged-index backfill (packages/aws/README.md)',
      });
    }
    const pages = covered ? this.predictionPages(window, L.judgedByDayIndex, left) : this.predictionPages(window, L.byDayIndex, () => Number.POSITIVE_INFINITY);
    for await (const page of pages) {
      const judged = (await this.withFeedback(page)).filter((pair) => pair.feedback);
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
    const now = this.options.now?.() ?? new Date();
    let predictions = 0;
    let judged = 0;
    for await (const page of this.predictionPages({ since, until: now.toISOString() }, L.byDayIndex, () => Number.POSITIVE_INFINITY)) {
      predictions += page.length;
      const keys = (await this.withFeedback(page)).filter((p) => p.feedback).map((p) => predictionKey(p.prediction.predictionId));
      await this.judged.write(keys);
      judged += keys.length;
    }
    await this.judged.recordIndexedSince(since, now);
    return { predictions, judged };
  }

  /**
   * The window's predictions in a by-day index, newest first, a query page at a time, while the caller still
   * wants some: `left()`, asked before each query, says how many more (each query asks for no more than that).
   */
  private async *predictionPages(
    window: PairWindow,
    index: typeof L.byDayIndex | typeof L.judgedByDayIndex,
    left: () => number,
  ): AsyncGenerator<PredictionRecord[]> {
    // Bounds in the same canonical form as stored createdAt values (toISOString), so the lexical key
    // range matches the time range whatever ISO form the caller used.
    const since = canonicalTime(window.since);
    const until = canonicalTime(window.until ?? (this.options.now?.() ?? new Date()).toISOString());
    for (const day of daysInWindow(since, until).reverse()) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const out = await this.options.client.send(
          new QueryCommand({
            TableName: this.options.tableName,
            IndexName: index.name,
            KeyConditionExpression: '#p = :p AND #s BETWEEN :from AND :to',
            ExpressionAttributeNames: { '#p': index.partitionKey, '#s': index.sortKey },
            ExpressionAttributeValues: { ':p': dayPartition(day), ':from': since, ':to': until },
            ScanIndexForward: false,
            // A limited read pays for the items it needs (one more: the `until` bound is inclusive here), not a whole 1 MB page.
            ...(Number.isFinite(left()) ? { Limit: Math.min(left() + 1, 10_000) } : {}),
            ExclusiveStartKey: startKey,
          }),
        );
        const page = (out.Items ?? []).filter((item) => this.live(item)).map(toPrediction).filter((r) => r.createdAt >= since && r.createdAt < until);
        if (page.length > 0) yield page;
        startKey = left() > 0 ? out.LastEvaluatedKey : undefined;
      } while (startKey);
      if (left() <= 0) return;
    }
  }

  private async withFeedback(predictions: readonly PredictionRecord[]): Promise<FeedbackPair[]> {
    const feedback = await this.feedbackFor([...new Set(predictions.map((p) => p.emailId))]);
    return predictions.map((prediction) => {
      const fb = feedback.get(prediction.emailId);
      return fb ? { prediction, feedback: fb } : { prediction };
    });
  }

  async close(): Promise<void> {
    // The document client belongs to the caller.
  }

  private predictionItem(record: PredictionRecord): Record<string, unknown> {
    const { text, ...parsed } = PredictionItemSchema.parse(record);
    const sortKey = `${parsed.createdAt}#${parsed.predictionId}`;
    const item: Record<string, unknown> = {
      ...predictionKey(parsed.predictionId),
      ...withoutUndefined(parsed),
      [L.byEmailIndex.partitionKey]: emailPartition(parsed.emailId),
      [L.byEmailIndex.sortKey]: sortKey,
      [L.byDayIndex.partitionKey]: dayPartition(parsed.createdAt.slice(0, 10)),
      [L.byDayIndex.sortKey]: sortKey,
      [L.ttlAttribute]: expiryEpochSeconds(parsed.createdAt, this.retentionDays),
    };
    if (text === undefined) return item;
    // An item over DynamoDB's 400 KB fails the write (and the prediction with it): the text is cut to fit.
    const fitted = fitText(text, Buffer.byteLength(JSON.stringify({ ...item, text: '' })));
    if (fitted.cut) this.options.logger?.warn('stored text cut to fit DynamoDB\'s item limit', { predictionId: parsed.predictionId, textBytes: Buffer.byteLength(text) });
    return { ...item, text: fitted.text };
  }

  private async feedbackFor(emailIds: string[]): Promise<Map<string, FeedbackRecord>> {
    const found = new Map<string, FeedbackRecord>();
    for (let i = 0; i < emailIds.length; i += BATCH_GET_LIMIT) {
      let keys: Record<string, unknown>[] | undefined = emailIds.slice(i, i + BATCH_GET_LIMIT).map(feedbackKey);
      // Retry what DynamoDB leaves unprocessed under throttling, with backoff; never drop it: missing
      // feedback would skew the live quality figures without a word.
      for (let attempt = 1; keys && keys.length > 0; attempt++) {
        if (attempt > 1) await backoff(attempt - 1);
        const out = await this.options.client.send(
          new BatchGetCommand({ RequestItems: { [this.options.tableName]: { Keys: keys } } }),
        );
        for (const item of out.Responses?.[this.options.tableName] ?? []) {
          if (!this.live(item)) continue;
          const fb = toFeedback(item);
          found.set(fb.emailId, fb);
        }
        keys = out.UnprocessedKeys?.[this.options.tableName]?.Keys as Record<string, unknown>[] | undefined;
        if (keys && keys.length > 0 && attempt >= MAX_ATTEMPTS) {
          throw new StoreUnavailableError(`DynamoDB left ${keys.length} feedback key(s) unprocessed after ${attempt} tries`);
        }
      }
    }
    return found;
  }
}
