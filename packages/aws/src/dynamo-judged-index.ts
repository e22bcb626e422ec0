import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { DYNAMO_TABLE_LAYOUT as L } from './contracts.js';
import { canonicalTime } from './dynamo-items.js';
import { emailPartition, judgedIndexMarkerKey, predictionKey } from './dynamo-layout.js';
import { transactWithRetry } from './dynamo-retry.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Key = Record<string, unknown>;

/** DynamoDB transactions take at most 100 items. */
export const TRANSACTION_LIMIT = 100;

/**
 * The judged-by-day index's writes and its completeness (layout in contracts.ts). A prediction is marked
 * judged by copying its by-day keys into the index's keys, in the transaction that saves its email's
 * feedback; data saved before the index existed is marked by the backfill, which records from when on the
 * index is complete. Windows from before then are read the old way (slow, but not short of feedback).
 */
export class JudgedIndex {
  /** From when on the index is known complete (the backfill's marker, once read). */
  private indexedSince: string | undefined;
  /** Whether this instance has made sure the record exists (see recordOnFirstFeedback). */
  private recordEnsured = false;

  constructor(private readonly options: { client: DynamoDBDocumentClient; tableName: string }) {}

  /**
   * The keys of an email's predictions (its by-email index, every page), and of the one the feedback names
   * (read by key too: the index may not show a prediction saved a moment ago).
   */
  async predictionKeysOf(emailId: string, predictionId?: string): Promise<Key[]> {
    const keys = new Map<string, Key>();
    if (predictionId !== undefined) keys.set(predictionKey(predictionId).pk, predictionKey(predictionId));
    let startKey: Key | undefined;
    do {
      const out = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          IndexName: L.byEmailIndex.name,
          KeyConditionExpression: '#p = :p',
          ExpressionAttributeNames: { '#p': L.byEmailIndex.partitionKey, '#pk': L.partitionKey, '#sk': L.sortKey },
          ExpressionAttributeValues: { ':p': emailPartition(emailId) },
          ProjectionExpression: '#pk, #sk',
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of out.Items ?? []) keys.set(String(item[L.partitionKey]), { [L.partitionKey]: item[L.partitionKey], [L.sortKey]: item[L.sortKey] });
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return [...keys.values()];
  }

  /** The update that puts a stored prediction into the index: its by-day keys copied (no item is created). */
  private mark(key: Key): TransactItem {
    return {
      Update: {
        TableName: this.options.tableName,
        Key: key,
        UpdateExpression: 'SET #jp = #dp, #js = #ds',
        ConditionExpression: 'attribute_exists(#ds)',
        ExpressionAttributeNames: {
          '#jp': L.judgedByDayIndex.partitionKey,
          '#js': L.judgedByDayIndex.sortKey,
          '#dp': L.byDayIndex.partitionKey,
          '#ds': L.byDayIndex.sortKey,
        },
      },
    };
  }

  /**
   * Writes `lead` (the feedback) with the marks of `keys`, the lead and the first 99 marks in one
   * transaction, further marks 100 to a transaction (an email with more predictions than that is not one a
   * CRM sends). A prediction gone meanwhile (TTL) is left out and the rest written again. False, with
   * nothing written, when the lead's own condition failed.
   */
  async write(keys: readonly Key[], lead?: TransactItem): Promise<boolean> {
    let first = lead ? [lead] : [];
    let left = [...keys];
    while (first.length > 0 || left.length > 0) {
      const marks = left.slice(0, TRANSACTION_LIMIT - first.length);
      const items = [...first, ...marks.map((k) => this.mark(k))];
      // Said as what is written: the feedback itself with its marks (nothing of it was written if this fails), or marks alone.
      const what = first.length > 0 ? `the feedback${marks.length > 0 ? ` and ${marks.length} judged mark(s) of its predictions` : ''} (the feedback was not recorded)` : `${marks.length} judged mark(s) of a feedback's predictions`;
      const failed = await transactWithRetry(() => this.options.client.send(new TransactWriteCommand({ TransactItems: items })), what);
      if (!failed) {
        first = [];
        left = left.slice(marks.length);
      } else if (first.length > 0 && failed.failed.includes(0)) {
        return false;
      } else {
        const gone = new Set(failed.failed.map((i) => i - first.length));
        left = left.filter((_, i) => !gone.has(i));
      }
    }
    return true;
  }

  /** Whether every judged prediction created from `since` on is in the index (the marker is read until it is). */
  async covers(since: string): Promise<boolean> {
    const from = canonicalTime(since);
    if (this.indexedSince !== undefined && from >= this.indexedSince) return true;
    const out = await this.options.client.send(new GetCommand({ TableName: this.options.tableName, Key: judgedIndexMarkerKey }));
    const marked = out.Item?.indexedSince;
    if (typeof marked === 'string') this.indexedSince = marked;
    return this.indexedSince !== undefined && from >= this.indexedSince;
  }

  /**
   * Once per instance, on the first feedback it saves: with no record yet, records the index complete from
   * the start of the next UTC day (the one after, when saved in a day's last hour). Feedback this code
   * saves marks its predictions; feedback saved before the deploy (or by an instance of the previous code
   * still answering during it) did not, so today is not claimed. A new stack's judged-only reads so use the
   * index from its second day on without a backfill; a backfill moves the record earlier, and this never
   * moves it later. A failure is retried next time. Rolling back to code that does not mark: delete the
   * record (packages/aws/README.md).
   */
  async recordOnFirstFeedback(now: Date): Promise<void> {
    if (this.recordEnsured) return;
    // In the last hour of a day the deploy may still be under way after midnight: the day after tomorrow.
    const days = now.getUTCHours() >= 23 ? 2 : 1;
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days));
    await this.recordIndexedSince(from.toISOString(), now, 'first-feedback');
    this.recordEnsured = true;
  }

  /** Records that the index is complete from `since` on; only ever moves it earlier (a later backfill keeps an earlier one's). */
  async recordIndexedSince(since: string, now: Date, by: 'backfill' | 'first-feedback' = 'backfill'): Promise<void> {
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: { ...judgedIndexMarkerKey, indexedSince: canonicalTime(since), recordedAt: now.toISOString(), recordedBy: by },
          ConditionExpression: 'attribute_not_exists(#pk) OR #since > :since',
          ExpressionAttributeNames: { '#pk': L.partitionKey, '#since': 'indexedSince' },
          ExpressionAttributeValues: { ':since': canonicalTime(since) },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
