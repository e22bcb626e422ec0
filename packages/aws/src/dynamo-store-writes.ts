import { createHash } from 'node:crypto';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { FeedbackClearing, FeedbackOutcome, FeedbackRecord, PredictionRecord } from '@mailroute/serving';
import { DYNAMO_TABLE_LAYOUT as L } from './contracts.js';
import { TRANSACTION_LIMIT, type JudgedIndex } from './dynamo-judged-index.js';
import { FeedbackItemSchema, PredictionItemSchema, withoutUndefined } from './dynamo-items.js';
import { dayPartition, emailPartition, expiryEpochSeconds, feedbackKey, predictionKey } from './dynamo-layout.js';
import { MAX_ATTEMPTS, transactWithRetry } from './dynamo-retry.js';
import { isLive, type DynamoStoreTable } from './dynamo-store-reads.js';
import { fitText } from './dynamo-text.js';
import { PredictionExistsError, StoreUnavailableError } from './errors.js';


/** The stored feedback another API key recorded that a feedback replaced (serving's `ReplacedFeedback`). */
type ReplacedFeedback = NonNullable<FeedbackClearing['replaced']>;

/** DynamoDB refuses transactions over 4 MB; items are measured as JSON, a little over their stored size. */
const TRANSACTION_BYTES = 3_500_000;

/**
 * Writes predictions with `attribute_not_exists`, so an id is never overwritten: a stored id fails the
 * write with PREDICTION_EXISTS.
 */
export async function writePredictions(table: DynamoStoreTable, records: readonly PredictionRecord[]): Promise<void> {
  for (const { records: chunk, items } of transactions(table, records)) {
    const command = new TransactWriteCommand({
      TransactItems: items.map((Item) => ({
        Put: {
          TableName: table.tableName,
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
    const clash = await transactWithRetry(() => table.client.send(command), `${chunk.length} prediction(s)`);
    // Only a failed condition means a duplicate id (a conflict or throttling was tried again).
    if (clash) throw new PredictionExistsError(`prediction ${chunk[clash.failed[0]]?.predictionId ?? '(in batch)'} already stored`, { cause: clash.cause });
  }
}

/** Transactions of at most 100 items and well under DynamoDB's 4 MB (stored text can make items large). */
function transactions(table: DynamoStoreTable, records: readonly PredictionRecord[]): { records: PredictionRecord[]; items: Record<string, unknown>[] }[] {
  const out: { records: PredictionRecord[]; items: Record<string, unknown>[] }[] = [];
  let bytes = 0;
  for (const record of records) {
    const item = predictionItem(table, record);
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

function predictionItem(table: DynamoStoreTable, record: PredictionRecord): Record<string, unknown> {
  const { text, ...parsed } = PredictionItemSchema.parse(record);
  const sortKey = `${parsed.createdAt}#${parsed.predictionId}`;
  const item: Record<string, unknown> = {
    ...predictionKey(parsed.predictionId),
    ...withoutUndefined(parsed),
    [L.byEmailIndex.partitionKey]: emailPartition(parsed.emailId),
    [L.byEmailIndex.sortKey]: sortKey,
    [L.byDayIndex.partitionKey]: dayPartition(parsed.createdAt.slice(0, 10)),
    [L.byDayIndex.sortKey]: sortKey,
    [L.ttlAttribute]: expiryEpochSeconds(parsed.createdAt, table.retentionDays),
  };
  if (text === undefined) return item;
  // An item over DynamoDB's 400 KB fails the write (and the prediction with it): the text is cut to fit.
  const fitted = fitText(text, Buffer.byteLength(JSON.stringify({ ...item, text: '' })));
  if (fitted.cut) table.logger?.warn('stored text cut to fit DynamoDB\'s item limit', { predictionId: parsed.predictionId, textBytes: Buffer.byteLength(text) });
  return { ...item, text: fitted.text };
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
 *
 * Before a merge the stored feedback is read (consistently: one read by key, none for an email's first feedback,
 * whose put succeeds), and what was read is made a condition of the merge, so a write in between fails it and the
 * round is read again: the key that recorded it (`keyId`, which becomes this feedback's), and, where that is another
 * key's, the stored labels of the tasks this one sets, which the answer's `replaced` gives. A stored feedback that
 * closed later makes this one `superseded`.
 *
 * With `clearTasks`, the merge also removes those tasks from the stored `labels` map. Which of them held a label is
 * read first and made a condition of the merge alike: the tasks answered `cleared` are those it removed. With no
 * label to set and none of those held (`unchanged`), nothing is written.
 */
export async function writeFeedback(table: DynamoStoreTable, judged: JudgedIndex, feedback: FeedbackRecord): Promise<FeedbackOutcome | FeedbackClearing> {
  const parsed = FeedbackItemSchema.parse(feedback);
  // A task the feedback sets is not cleared.
  const clear = [...new Set(feedback.clearTasks ?? [])].filter((task) => !Object.hasOwn(parsed.labels, task));
  const keys = await judged.predictionKeysOf(parsed.emailId, parsed.predictionId);
  let outcome: FeedbackOutcome | 'unchanged' | undefined;
  let cleared: string[] = [];
  let replaced: ReplacedFeedback | undefined;
  const setsLabels = Object.keys(parsed.labels).length > 0;
  // A step fails only when another write changed the item in between (a first feedback put meanwhile, or
  // the stored one expired, or a label, a key read changed): the next round sees that, so a few rounds always settle.
  for (let round = 1; outcome === undefined; round++) {
    const now = Math.floor(table.now().getTime() / 1000);
    // The stored feedback (null: none live). Read first only to clear: which labels it holds decides the write.
    let stored = clear.length === 0 ? undefined : await liveFeedback(table, parsed.emailId);
    const held = stored ? clear.filter((task) => Object.hasOwn(stored!.labels, task)) : [];
    if (clear.length > 0 && held.length === 0 && !setsLabels) {
      // Nothing to set and nothing to clear: nothing is written (no item made for an email without feedback).
      outcome = 'unchanged';
    } else if ((clear.length === 0 || setsLabels) && !stored && (await judged.write(keys, feedbackPut(table, parsed, now)))) outcome = 'recorded';
    else {
      stored ??= await liveFeedback(table, parsed.emailId);
      if (stored && stored.closedAt > parsed.closedAt) {
        // A newer correction is stored; its save marked the predictions it found, not one saved since.
        outcome = 'superseded';
        await judged.write(keys);
      } else if (stored && (await judged.write(keys, feedbackMerge(table, parsed, now, stored, clear, held)))) {
        outcome = 'recorded';
        cleared = held;
        if (stored.keyId !== undefined && stored.keyId !== parsed.keyId) replaced = { keyId: stored.keyId, labels: stored.labels };
      } else if (round >= MAX_ATTEMPTS) {
        throw new StoreUnavailableError(`the feedback of email ${parsed.emailId} kept changing during ${round} tries of its write`);
      }
    }
  }
  if (outcome === 'unchanged') return { outcome, cleared: [] };
  // The feedback is saved whatever happens here: a failed record is logged and tried with the next one.
  await judged.recordOnFirstFeedback(table.now()).catch((error: unknown) => {
    table.logger?.warn('could not record from when the judged-by-day index is complete; tried again with the next feedback', { error: String(error).slice(0, 200) });
  });
  if ((feedback.clearTasks ?? []).length === 0 && replaced === undefined) return outcome;
  return { outcome, cleared, ...(replaced === undefined ? {} : { replaced }) };
}

/** What a write reads of the email's stored feedback: its closedAt, labels and key. */
type StoredFeedback = Pick<FeedbackRecord, 'closedAt' | 'labels' | 'keyId'>;

/**
 * The email's stored feedback, or null when it has none live (none, or one past its retention). Read as leniently as
 * the write needs it (an item the reads would refuse is the reads' to report: a write still merges into it).
 */
async function liveFeedback(table: DynamoStoreTable, emailId: string): Promise<StoredFeedback | null> {
  const out = await table.client.send(new GetCommand({ TableName: table.tableName, Key: feedbackKey(emailId), ConsistentRead: true }));
  if (out.Item === undefined || !isLive(table, out.Item)) return null;
  const { closedAt, labels, keyId } = out.Item;
  return {
    closedAt: String(closedAt),
    labels: typeof labels === 'object' && labels !== null ? Object.fromEntries(Object.entries(labels).filter((entry): entry is [string, string] => typeof entry[1] === 'string')) : {},
    ...(typeof keyId === 'string' ? { keyId } : {}),
  };
}

/** The whole feedback, where the email has none (or only one past its retention). */
function feedbackPut(table: DynamoStoreTable, parsed: FeedbackRecord, now: number) {
  return {
    Put: {
      TableName: table.tableName,
      Item: {
        ...feedbackKey(parsed.emailId),
        ...withoutUndefined(parsed),
        [L.ttlAttribute]: expiryEpochSeconds(parsed.closedAt, table.retentionDays),
      },
      ConditionExpression: 'attribute_not_exists(#pk) OR #expiresAt <= :now',
      ExpressionAttributeNames: { '#pk': L.partitionKey, '#expiresAt': L.ttlAttribute },
      ExpressionAttributeValues: { ':now': now },
    },
  };
}

/**
 * The tasks of the feedback set in the stored one's `labels` (the others kept), the tasks of `clear` removed from
 * it, its times, expiry, prediction id and key id (or none) taking the stored one's place: where the stored one is
 * live, did not close later, holds a label of the tasks of `clear` that are in `held` and of no other of them, and
 * was recorded by the key `stored` names (none: none); where that is another key than this feedback's, the labels
 * of the tasks it sets must be as `stored` has them too (what the answer says it replaced).
 */
function feedbackMerge(table: DynamoStoreTable, parsed: FeedbackRecord, now: number, stored: StoredFeedback, clear: readonly string[] = [], held: readonly string[] = []) {
  const tasks = Object.entries(parsed.labels);
  // DynamoDB refuses a name or value the expressions do not use: `#labels` only with a task to set or clear.
  const names: Record<string, string> = {
    '#closedAt': 'closedAt',
    '#receivedAt': 'receivedAt',
    '#expiresAt': L.ttlAttribute,
    '#predictionId': 'predictionId',
    '#keyId': 'keyId',
    ...(tasks.length + clear.length > 0 ? { '#labels': 'labels' } : {}),
  };
  const values: Record<string, unknown> = {
    ':closedAt': parsed.closedAt,
    ':receivedAt': parsed.receivedAt,
    ':expiresAt': expiryEpochSeconds(parsed.closedAt, table.retentionDays),
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
  const remove = parsed.predictionId === undefined ? ['#predictionId'] : [];
  if (parsed.keyId === undefined) remove.push('#keyId');
  else {
    values[':keyId'] = parsed.keyId;
    set.push('#keyId = :keyId');
  }
  // Each task to clear removed, and whether it holds a label now a condition: as read, or the round is read again.
  const conditions = ['#closedAt <= :closedAt', 'NOT #expiresAt <= :now'];
  if (stored.keyId === undefined) conditions.push('attribute_not_exists(#keyId)');
  else {
    values[':storedKeyId'] = stored.keyId;
    conditions.push('#keyId = :storedKeyId');
  }
  if (stored.keyId !== undefined && stored.keyId !== parsed.keyId) {
    tasks.forEach(([task], i) => {
      const was = Object.hasOwn(stored.labels, task) ? stored.labels[task] : undefined;
      if (was === undefined) conditions.push(`attribute_not_exists(#labels.#t${i})`);
      else {
        values[`:was${i}`] = was;
        conditions.push(`#labels.#t${i} = :was${i}`);
      }
    });
  }
  clear.forEach((task, i) => {
    names[`#c${i}`] = task;
    remove.push(`#labels.#c${i}`);
    conditions.push(`${held.includes(task) ? 'attribute_exists' : 'attribute_not_exists'}(#labels.#c${i})`);
  });
  return {
    Update: {
      TableName: table.tableName,
      Key: feedbackKey(parsed.emailId),
      UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}
