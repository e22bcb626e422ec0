import { describe, it, expect, beforeEach } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { PredictionRecord } from '@mailroute/serving';
import { DynamoPredictionStore } from './dynamo-prediction-store.js';
import { daysInWindow, expiryEpochSeconds } from './dynamo-layout.js';

const doc = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
);
const ddb = mockClient(doc);
type Item = Record<string, unknown>;
type Out = never;

/**
 * A tiny in-memory table behind the SDK mock: enough of DynamoDB's semantics (conditions used by the
 * store, GSI queries, sort order) to test the store's access patterns, not the SDK.
 */
function fakeTable() {
  const items = new Map<string, Item>();
  const key = (k: Item) => `${k.pk}|${k.sk}`;
  ddb.on(TransactWriteCommand).callsFake((input) => {
    const puts = (input.TransactItems ?? []).map((t: { Put: { Item: Item } }) => t.Put.Item);
    const reasons = puts.map((item: Item) => ({ Code: items.has(key(item)) ? 'ConditionalCheckFailed' : 'None' }));
    if (reasons.some((r: { Code: string }) => r.Code !== 'None')) {
      throw new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: reasons });
    }
    for (const item of puts) items.set(key(item), item);
    return {} as Out;
  });
  ddb.on(PutCommand).callsFake((input) => {
    const old = items.get(key(input.Item));
    if (old && String(old.closedAt) > String(input.ExpressionAttributeValues[':closedAt'])) {
      throw new ConditionalCheckFailedException({ message: 'failed', $metadata: {} });
    }
    items.set(key(input.Item), input.Item);
    return {} as Out;
  });
  ddb.on(GetCommand).callsFake((input) => ({ Item: items.get(key(input.Key)) }) as Out);
  ddb.on(QueryCommand).callsFake((input) => {
    const pkName = input.ExpressionAttributeNames['#p'];
    const skName = pkName === 'gsi1pk' ? 'gsi1sk' : 'gsi2sk';
    const values = input.ExpressionAttributeValues;
    let found = [...items.values()].filter((i) => i[pkName] === values[':p']);
    if (values[':from']) found = found.filter((i) => String(i[skName]) >= values[':from'] && String(i[skName]) <= values[':to']);
    found.sort((a, b) => String(a[skName]).localeCompare(String(b[skName])));
    if (input.ScanIndexForward === false) found.reverse();
    return { Items: input.Limit ? found.slice(0, input.Limit) : found } as Out;
  });
  ddb.on(BatchGetCommand).callsFake((input) => {
    const [table, req] = Object.entries(input.RequestItems as Record<string, { Keys: Item[] }>)[0];
    return { Responses: { [table]: req.Keys.map((k) => items.get(key(k))).filter(Boolean) } } as Out;
  });
  return items;
}

function record(id: string, emailId: string, createdAt: string): PredictionRecord {
  return {
    predictionId: id,
    emailId,
    modelId: 'ngram-bag-1',
    createdAt,
    labels: { queue: 'payments' },
    confidences: { queue: 0.8 },
    abstained: { queue: false },
    queue: 'payments',
    latencyMs: 3.5,
  };
}

describe('DynamoPredictionStore', () => {
  let items: Map<string, Item>;
  let store: DynamoPredictionStore;
  beforeEach(() => {
    ddb.reset();
    items = fakeTable();
    store = new DynamoPredictionStore({ client: doc, tableName: 'mailroute-dev-feedback', retentionDays: 10 });
  });

  it('writes predictions with keys, index keys and a TTL, conditionally', async () => {
    await store.savePredictions([record('p1', 'e1', '2026-11-01T10:00:00.000Z')]);
    const call = ddb.commandCalls(TransactWriteCommand)[0].args[0].input;
    const put = call.TransactItems?.[0].Put;
    expect(put?.ConditionExpression).toBe('attribute_not_exists(#pk)');
    expect(put?.Item).toMatchObject({
      pk: 'PRED#p1',
      gsi1pk: 'EMAIL#e1',
      gsi2pk: 'DAY#2026-11-01',
      expiresAt: expiryEpochSeconds('2026-11-01T10:00:00.000Z', 10),
    });
    expect(await store.getPrediction('p1')).toEqual(record('p1', 'e1', '2026-11-01T10:00:00.000Z'));
    expect(await store.getPrediction('nope')).toBeUndefined();
  });

  it('leaves optional fields out instead of writing undefined', async () => {
    await store.savePredictions([{ ...record('p2', 'e2', '2026-11-01T10:00:00.000Z'), text: undefined }]);
    await store.saveFeedback({ emailId: 'e2', predictionId: undefined, labels: { queue: 'cards' }, closedAt: '2026-11-05T00:00:00.000Z', receivedAt: '2026-11-01T09:00:00.000Z' });
    expect(Object.keys(items.get('PRED#p2|PREDICTION') ?? {})).not.toContain('text');
    expect(Object.keys(items.get('EMAIL#e2|FEEDBACK') ?? {})).not.toContain('predictionId');
  });

  it('refuses to overwrite a prediction id with a coded error', async () => {
    await store.savePredictions([record('p1', 'e1', '2026-11-01T10:00:00.000Z')]);
    await expect(store.savePredictions([record('p1', 'e9', '2026-11-02T10:00:00.000Z')])).rejects.toMatchObject({
      code: 'PREDICTION_EXISTS',
    });
    expect((await store.getPrediction('p1'))?.emailId).toBe('e1');
  });

  it('splits more than 100 predictions into several transactions', async () => {
    const many = Array.from({ length: 150 }, (_, i) => record(`p${i}`, `e${i}`, '2026-11-01T10:00:00.000Z'));
    await store.savePredictions(many);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
    expect(items.size).toBe(150);
  });

  it('finds the newest prediction of an email', async () => {
    await store.savePredictions([
      record('old', 'e1', '2026-11-01T10:00:00.000Z'),
      record('new', 'e1', '2026-11-03T10:00:00.000Z'),
      record('other', 'e2', '2026-11-04T10:00:00.000Z'),
    ]);
    expect((await store.findPredictionByEmail('e1'))?.predictionId).toBe('new');
    expect(await store.findPredictionByEmail('e3')).toBeUndefined();
  });

  it('upserts feedback per email and ignores an older correction', async () => {
    const fb = { emailId: 'e1', labels: { queue: 'cards' }, closedAt: '2026-11-05T00:00:00.000Z', receivedAt: '2026-11-01T09:00:00.000Z' };
    await store.saveFeedback(fb);
    await store.saveFeedback({ ...fb, labels: { queue: 'loans' }, closedAt: '2026-11-06T00:00:00.000Z' });
    expect(await store.saveFeedback({ ...fb, labels: { queue: 'stale' }, closedAt: '2026-11-04T00:00:00.000Z' })).toBe('superseded');
    expect(items.get('EMAIL#e1|FEEDBACK')).toMatchObject({ labels: { queue: 'loans' } });
  });

  it('lists predictions of a window across days with their feedback', async () => {
    await store.savePredictions([
      record('before', 'e0', '2026-10-31T23:59:59.000Z'),
      record('a', 'e1', '2026-11-01T10:00:00.000Z'),
      record('b', 'e2', '2026-11-02T10:00:00.000Z'),
      record('after', 'e3', '2026-11-03T00:00:00.000Z'),
    ]);
    await store.saveFeedback({ emailId: 'e2', labels: { queue: 'cards' }, closedAt: '2026-11-05T00:00:00.000Z', receivedAt: '2026-11-02T09:00:00.000Z' });
    const pairs = await store.listPairs({ since: '2026-11-01T00:00:00.000Z', until: '2026-11-03T00:00:00.000Z' });
    expect(pairs.map((p) => p.prediction.predictionId)).toEqual(['a', 'b']);
    expect(pairs[0].feedback).toBeUndefined();
    expect(pairs[1].feedback?.labels.queue).toBe('cards');
    // A bound in another ISO form (10:00Z written as 11:00+01:00) still includes the prediction at 10:00Z.
    const sameWindow = await store.listPairs({ since: '2026-11-01T11:00:00+01:00', until: '2026-11-03T00:00:00Z' });
    expect(sameWindow.map((p) => p.prediction.predictionId)).toEqual(['a', 'b']);
    const limited = await store.listPairs({ since: '2026-11-01T00:00:00.000Z', until: '2026-11-03T00:00:00.000Z', limit: 1 });
    expect(limited).toHaveLength(1);
  });

  it('rejects a malformed stored item with a coded error', async () => {
    items.set('PRED#bad|PREDICTION', { pk: 'PRED#bad', sk: 'PREDICTION', predictionId: 'bad' });
    await expect(store.getPrediction('bad')).rejects.toMatchObject({ code: 'STORE_RECORD_INVALID' });
  });
});

describe('daysInWindow', () => {
  it('lists each UTC day the window touches', () => {
    expect(daysInWindow('2026-11-01T22:00:00Z', '2026-11-03T01:00:00Z')).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(daysInWindow('2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')).toEqual([]);
    expect(() => daysInWindow('yesterday', '2026-11-01T00:00:00Z')).toThrow(RangeError);
  });
});
