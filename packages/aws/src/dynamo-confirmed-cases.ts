import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { ConfirmedCase, FeedbackRecord, PredictionRecord } from '@mailroute/serving';
import { DYNAMO_TABLE_LAYOUT as L } from './contracts.js';
import { toFeedback, toPrediction } from './dynamo-items.js';
import { feedbackKey, predictionKey } from './dynamo-layout.js';
import { toStoreError } from './dynamo-retry.js';
import { batchGetLive, isLive, readNewestOfEmail, type DynamoStoreTable } from './dynamo-store-reads.js';

export interface DynamoConfirmedCasesOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Cases closed in [since, until), as instants; absent: open. */
  since?: Date;
  until?: Date;
  /** The clock that says which records are past their retention (DynamoDB's TTL deletes them only within days). */
  now?: () => Date;
}

/**
 * A document client of the region (without one, the SDK's own lookup: AWS_REGION, the profile's), with the SDK's usual
 * credentials (environment, profile, SSO, an attached role).
 */
export function dynamoDocumentClient(region?: string): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(region === undefined ? {} : { region }));
}

/** Cases whose judged predictions are read at once: one BatchGetItem. */
const CHUNK = 100;
/** Queries for an email's newest prediction in flight at once. */
const NEWEST_AT_ONCE = 8;

/**
 * The confirmed cases of the DynamoDB store (the API Lambda's table), as `iterateConfirmedCases` reads them from a
 * local store's file: each email's feedback with the prediction it judged (the one it names, else the email's newest),
 * oldest closed first (then by email id), the stored text, bank, receivedAt and attachment names included.
 *
 * Feedback has no index by the time its case closed, so the table is scanned once for its feedback items (a filter
 * leaves the predictions on DynamoDB's side, but the scan reads, and is billed for, every item: a monthly export of
 * a year's store reads it all). The feedback of the window is held (ids, labels and times: small); the predictions,
 * which hold the text, are read 100 cases at a time as the cases are iterated.
 */
export async function* dynamoConfirmedCases(options: DynamoConfirmedCasesOptions): AsyncGenerator<ConfirmedCase> {
  // Reads only: the retention that writes set is not used (expiry is read from each item).
  const table: DynamoStoreTable = { client: options.client, tableName: options.tableName, retentionDays: 0, now: options.now ?? (() => new Date()) };
  const feedback = await guard('the scan for feedback', () => scanFeedback(table, options.since, options.until));
  for (let i = 0; i < feedback.length; i += CHUNK) {
    const chunk = feedback.slice(i, i + CHUNK);
    const judged = await guard('the read of the judged predictions', () => judgedPredictions(table, chunk));
    for (const fb of chunk) yield toCase(fb, judged.get(fb.emailId));
  }
}

/** A feedback as the window's are held: what a case needs of it. */
type HeldFeedback = Pick<FeedbackRecord, 'emailId' | 'predictionId' | 'labels' | 'closedAt'>;

async function guard<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toStoreError(error, what);
  }
}

/** Every live feedback closed in [since, until), by closedAt then email id (as the local store orders them: bytes of UTF-8). */
async function scanFeedback(table: DynamoStoreTable, since: Date | undefined, until: Date | undefined): Promise<HeldFeedback[]> {
  // closedAt is stored in one form (UTC with milliseconds: the feedback route's), so text order is time order.
  const bounds = { ':since': since?.toISOString() ?? '0000', ':until': until?.toISOString() ?? '9999' };
  const found: HeldFeedback[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await table.client.send(
      new ScanCommand({
        TableName: table.tableName,
        FilterExpression: '#sk = :feedback AND #closedAt >= :since AND #closedAt < :until',
        ExpressionAttributeNames: { '#sk': L.sortKey, '#closedAt': 'closedAt' },
        ExpressionAttributeValues: { ':feedback': feedbackKey('').sk, ...bounds },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of out.Items ?? []) {
      if (!isLive(table, item)) continue;
      // Held for the whole window: what a case needs, not the feedback's receivedAt.
      const { emailId, predictionId, labels, closedAt } = toFeedback(item);
      found.push({ emailId, labels, closedAt, ...(predictionId === undefined ? {} : { predictionId }) });
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return found.sort((a, b) => (a.closedAt === b.closedAt ? Buffer.compare(Buffer.from(a.emailId), Buffer.from(b.emailId)) : a.closedAt < b.closedAt ? -1 : 1));
}

/** Per email of the chunk, the prediction its feedback judged: the one it names while it is kept, else the email's newest. */
async function judgedPredictions(table: DynamoStoreTable, chunk: readonly HeldFeedback[]): Promise<Map<string, PredictionRecord>> {
  const named = chunk.flatMap((fb) => (fb.predictionId === undefined ? [] : [predictionKey(fb.predictionId)]));
  const byId = new Map<string, PredictionRecord>();
  for (const item of await batchGetLive(table, named, 'prediction')) {
    const prediction = toPrediction(item);
    byId.set(prediction.predictionId, prediction);
  }
  const judged = new Map<string, PredictionRecord>();
  const unnamed: string[] = [];
  for (const fb of chunk) {
    const own = fb.predictionId === undefined ? undefined : byId.get(fb.predictionId);
    if (own) judged.set(fb.emailId, own);
    else unnamed.push(fb.emailId);
  }
  // The others (feedback by email id, or its prediction gone) a query each: a few at once, not one after another.
  for (let i = 0; i < unnamed.length; i += NEWEST_AT_ONCE) {
    const emails = unnamed.slice(i, i + NEWEST_AT_ONCE);
    const newest = await Promise.all(emails.map((emailId) => readNewestOfEmail(table, emailId)));
    for (const [k, prediction] of newest.entries()) if (prediction) judged.set(emails[k], prediction);
  }
  return judged;
}

function toCase(fb: HeldFeedback, p: PredictionRecord | undefined): ConfirmedCase {
  const base: ConfirmedCase = { emailId: fb.emailId, labels: fb.labels, closedAt: fb.closedAt };
  if (p === undefined) return base;
  return {
    ...base,
    predictionId: p.predictionId,
    modelId: p.modelId,
    classifiedAt: p.createdAt,
    ...(p.text === undefined ? {} : { text: p.text }),
    ...(p.bank === undefined ? {} : { bank: p.bank }),
    ...(p.receivedAt === undefined ? {} : { receivedAt: p.receivedAt }),
    ...(p.attachmentNames === undefined ? {} : { attachmentNames: p.attachmentNames }),
    ...(p.automated === undefined ? {} : { automated: p.automated }),
    predicted: { labels: p.labels, confidences: p.confidences, abstained: p.abstained },
  };
}
