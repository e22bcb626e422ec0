import { BatchGetCommand, GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { windowBounds, type FeedbackPair, type FeedbackRecord, type Logger, type PairWindow, type PredictionRecord } from '@mailroute/serving';
import { DYNAMO_TABLE_LAYOUT as L } from './contracts.js';
import { toFeedback, toPrediction } from './dynamo-items.js';
import { dayPartition, daysInWindow, emailPartition, feedbackKey, predictionKey } from './dynamo-layout.js';
import { backoff, MAX_ATTEMPTS } from './dynamo-retry.js';
import { StoreUnavailableError } from './errors.js';

/** The table the store's reads and writes go to, with its retention and clock. */
export interface DynamoStoreTable {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Days until DynamoDB's TTL deletes a record. */
  retentionDays: number;
  now: () => Date;
  logger?: Pick<Logger, 'warn'>;
}

const BATCH_GET_LIMIT = 100;

/**
 * Whether an item is inside its retention: DynamoDB's TTL deletes expired items only within days, and a
 * read must not hand out a record past the retention (GDPR) meanwhile. Items without `expiresAt` are live.
 */
export function isLive(table: DynamoStoreTable, item: Record<string, unknown>): boolean {
  const expiresAt = item[L.ttlAttribute];
  return typeof expiresAt !== 'number' || expiresAt * 1000 > table.now().getTime();
}

export async function readPrediction(table: DynamoStoreTable, predictionId: string): Promise<PredictionRecord | undefined> {
  const out = await table.client.send(new GetCommand({ TableName: table.tableName, Key: predictionKey(predictionId), ConsistentRead: true }));
  return out.Item && isLive(table, out.Item) ? toPrediction(out.Item) : undefined;
}

export async function readNewestOfEmail(table: DynamoStoreTable, emailId: string): Promise<PredictionRecord | undefined> {
  const out = await table.client.send(
    new QueryCommand({
      TableName: table.tableName,
      IndexName: L.byEmailIndex.name,
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': L.byEmailIndex.partitionKey },
      ExpressionAttributeValues: { ':p': emailPartition(emailId) },
      ScanIndexForward: false,
      Limit: 1,
    }),
  );
  const item = out.Items?.[0];
  return item && isLive(table, item) ? toPrediction(item) : undefined;
}

/**
 * The window's predictions in a by-day index, newest first, a query page at a time, while the caller still
 * wants some: `left()`, asked before each query, says how many more (each query asks for no more than that).
 */
export async function* predictionPages(
  table: DynamoStoreTable,
  window: PairWindow,
  index: typeof L.byDayIndex | typeof L.judgedByDayIndex,
  left: () => number,
): AsyncGenerator<PredictionRecord[]> {
  // Bounds in the same canonical form as stored createdAt values (toISOString), so the lexical key
  // range matches the time range whatever ISO form the caller used.
  const { since, until } = windowBounds(window, table.now());
  for (const day of daysInWindow(since, until).reverse()) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await table.client.send(
        new QueryCommand({
          TableName: table.tableName,
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
      // Without the text and attachment names, as listPairs gives predictions (live quality reads their labels).
      const page = (out.Items ?? [])
        .filter((item) => isLive(table, item))
        .map((item) => withoutText(toPrediction(item)))
        .filter((r) => r.createdAt >= since && r.createdAt < until);
      if (page.length > 0) yield page;
      startKey = left() > 0 ? out.LastEvaluatedKey : undefined;
    } while (startKey);
    if (left() <= 0) return;
  }
}

function withoutText(record: PredictionRecord): PredictionRecord {
  if (record.text === undefined && record.attachmentNames === undefined) return record;
  const { text: _text, attachmentNames: _names, ...rest } = record;
  return rest;
}

/** Each prediction with its email's live feedback, where there is one. */
export async function withFeedback(table: DynamoStoreTable, predictions: readonly PredictionRecord[]): Promise<FeedbackPair[]> {
  const feedback = await feedbackFor(table, [...new Set(predictions.map((p) => p.emailId))]);
  return predictions.map((prediction) => {
    const fb = feedback.get(prediction.emailId);
    return fb ? { prediction, feedback: fb } : { prediction };
  });
}

async function feedbackFor(table: DynamoStoreTable, emailIds: string[]): Promise<Map<string, FeedbackRecord>> {
  const found = new Map<string, FeedbackRecord>();
  for (const item of await batchGetLive(table, emailIds.map(feedbackKey), 'feedback')) {
    const fb = toFeedback(item);
    found.set(fb.emailId, fb);
  }
  return found;
}

/**
 * The live items of these keys (any number; those not stored, or past their retention, are not among them), in no
 * set order. What DynamoDB leaves unprocessed under throttling is asked again, with backoff; never dropped: a missing
 * record would skew what is read without a word.
 */
export async function batchGetLive(table: DynamoStoreTable, keys: readonly Record<string, unknown>[], what: string): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_LIMIT) {
    let left: Record<string, unknown>[] | undefined = keys.slice(i, i + BATCH_GET_LIMIT);
    for (let attempt = 1; left && left.length > 0; attempt++) {
      if (attempt > 1) await backoff(attempt - 1);
      const out = await table.client.send(new BatchGetCommand({ RequestItems: { [table.tableName]: { Keys: left } } }));
      for (const item of out.Responses?.[table.tableName] ?? []) if (isLive(table, item)) found.push(item);
      left = out.UnprocessedKeys?.[table.tableName]?.Keys as Record<string, unknown>[] | undefined;
      if (left && left.length > 0 && attempt >= MAX_ATTEMPTS) {
        throw new StoreUnavailableError(`DynamoDB left ${left.length} ${what} key(s) unprocessed after ${attempt} tries`);
      }
    }
  }
  return found;
}
