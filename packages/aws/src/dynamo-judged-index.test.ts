import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { FeedbackRecord } from '@mailroute/serving';
import { predictionFixture as record } from '@mailroute/serving/testing';
import { DynamoPredictionStore } from './dynamo-prediction-store.js';
import { judgedIndexMarkerKey } from './dynamo-layout.js';
import { fakeDynamoTable, type FakeTableReads, type Item } from './test-support/fake-dynamo-table.js';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }));
const ddb = mockClient(doc);
const MARKER = `${judgedIndexMarkerKey.pk}|${judgedIndexMarkerKey.sk}`;
const NOW = new Date('2026-11-08T00:00:00.000Z');

const fb = (emailId: string, extra: Partial<FeedbackRecord> = {}): FeedbackRecord => ({ emailId, labels: { queue: 'cards' }, closedAt: '2026-11-07T00:00:00.000Z', receivedAt: '2026-11-07T00:00:00.000Z', ...extra });
const hour = (day: number, h: number) => new Date(Date.UTC(2026, 10, day, h)).toISOString();
const queries = () => ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);

describe('DynamoPredictionStore: the judged-by-day index', () => {
  let items: Map<string, Item>;
  let reads: FakeTableReads;
  let store: DynamoPredictionStore;
  const warn = vi.fn();
  const backfilled = (since = '2000-01-01T00:00:00.000Z') => items.set(MARKER, { ...judgedIndexMarkerKey, indexedSince: since });
  beforeEach(() => {
    ddb.reset();
    warn.mockReset();
    ({ items, reads } = fakeDynamoTable(ddb));
    store = new DynamoPredictionStore({ client: doc, tableName: 't', now: () => NOW, logger: { warn } });
  });

  it('saveFeedback marks the email’s predictions in the transaction that saves the feedback', async () => {
    await store.savePredictions([record('p1', 'e1', hour(1, 9)), record('p2', 'e1', hour(3, 9)), record('p3', 'e2', hour(3, 10))]);
    ddb.resetHistory();
    expect(await store.saveFeedback(fb('e1', { predictionId: 'p2' }))).toBe('recorded');
    expect(queries()[0]).toMatchObject({ IndexName: 'by-email', KeyConditionExpression: '#p = :p', ExpressionAttributeValues: { ':p': 'EMAIL#e1' }, ProjectionExpression: '#pk, #sk' });
    const writes = ddb.commandCalls(TransactWriteCommand);
    expect(writes).toHaveLength(1);
    const [put, ...marks] = writes[0].args[0].input.TransactItems ?? [];
    expect(put.Put?.Item).toMatchObject({ pk: 'EMAIL#e1', sk: 'FEEDBACK', labels: { queue: 'cards' } });
    expect(marks.map((m) => m.Update?.Key)).toEqual([{ pk: 'PRED#p2', sk: 'PREDICTION' }, { pk: 'PRED#p1', sk: 'PREDICTION' }]);
    expect(marks[0].Update).toMatchObject({
      UpdateExpression: 'SET #jp = #dp, #js = #ds',
      ConditionExpression: 'attribute_exists(#ds)',
      ExpressionAttributeNames: { '#jp': 'gsi3pk', '#js': 'gsi3sk', '#dp': 'gsi2pk', '#ds': 'gsi2sk' },
    });
    expect(items.get('PRED#p1|PREDICTION')).toMatchObject({ gsi3pk: 'DAY#2026-11-01', gsi3sk: `${hour(1, 9)}#p1` });
    expect(items.get('PRED#p2|PREDICTION')).toMatchObject({ gsi3pk: 'DAY#2026-11-03', gsi3sk: `${hour(3, 9)}#p2` });
    expect(items.get('PRED#p3|PREDICTION')).not.toHaveProperty('gsi3pk');
  });

  it('a superseded feedback writes no feedback, only the marks; a prediction gone meanwhile is left out and the rest marked', async () => {
    await store.savePredictions([record('p1', 'e1', hour(1, 9))]);
    await store.saveFeedback(fb('e1', { closedAt: '2026-11-07T00:00:00.000Z' }));
    delete items.get('PRED#p1|PREDICTION')?.gsi3pk;
    expect(await store.saveFeedback(fb('e1', { closedAt: '2026-11-06T00:00:00.000Z', labels: { queue: 'stale' } }))).toBe('superseded');
    expect(items.get('EMAIL#e1|FEEDBACK')).toMatchObject({ labels: { queue: 'cards' } });
    expect(items.get('PRED#p1|PREDICTION')).toHaveProperty('gsi3pk', 'DAY#2026-11-01');
    ddb.resetHistory();
    // The feedback names a prediction TTL has deleted: its mark's condition fails, the feedback is written without it.
    // (A correction: its put is refused, the email has feedback, and it is merged into that one.)
    expect(await store.saveFeedback(fb('e1', { predictionId: 'expired', closedAt: '2026-11-07T12:00:00.000Z' }))).toBe('recorded');
    const writes = ddb.commandCalls(TransactWriteCommand).map((c) => (c.args[0].input.TransactItems ?? []).map((t) => (t.Put ? `put ${t.Put.Item?.pk}` : t.Update?.Key?.pk)));
    expect(writes).toEqual([
      ['put EMAIL#e1', 'PRED#expired', 'PRED#p1'],
      ['EMAIL#e1', 'PRED#expired', 'PRED#p1'],
      ['EMAIL#e1', 'PRED#p1'],
    ]);
    expect(items.get('PRED#p1|PREDICTION')).toHaveProperty('gsi3pk', 'DAY#2026-11-01');
    expect(items.has('PRED#expired|PREDICTION')).toBe(false);
  });

  it('marks more predictions than one transaction takes: the feedback with 99, then 100 at a time', async () => {
    await store.savePredictions(Array.from({ length: 150 }, (_, i) => record(`m${i}`, 'busy', new Date(Date.UTC(2026, 10, 2) + i * 1000).toISOString())));
    ddb.resetHistory();
    await store.saveFeedback(fb('busy'));
    expect(ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems?.length)).toEqual([100, 51]);
    expect([...items.values()].filter((i) => i.gsi3pk !== undefined)).toHaveLength(150);
  });

  it('a judged-only read queries the judged-by-day index newest first, asks for no more than the limit, follows pages and stops at the limit', async () => {
    backfilled();
    await store.savePredictions(Array.from({ length: 9 }, (_, i) => record(`j${i}`, `f${i}`, hour(5, 10 + i))));
    for (const i of [8, 6, 5, 3, 1]) await store.saveFeedback(fb(`f${i}`));
    ddb.resetHistory();
    const judged = await store.listPairs({ since: hour(5, 0), until: hour(6, 0), limit: 3, judgedOnly: true });
    expect(judged.map((p) => p.prediction.predictionId)).toEqual(['j8', 'j6', 'j5']);
    expect(judged.every((p) => p.feedback?.emailId === p.prediction.emailId)).toBe(true);
    const sent = queries();
    // Pages of two here: 2 judged, then 1 more (Limit 2, the last page cut at the limit), and no third query.
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({
      IndexName: 'judged-by-day',
      KeyConditionExpression: '#p = :p AND #s BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#p': 'gsi3pk', '#s': 'gsi3sk' },
      ExpressionAttributeValues: { ':p': 'DAY#2026-11-05', ':from': hour(5, 0), ':to': hour(6, 0) },
      ScanIndexForward: false,
      Limit: 4,
    });
    expect(sent[0].ExclusiveStartKey).toBeUndefined();
    expect(sent[1]).toMatchObject({ IndexName: 'judged-by-day', Limit: 2, ExclusiveStartKey: { pk: 'PRED#j6', sk: 'PREDICTION' } });
    expect(warn).not.toHaveBeenCalled();
    // Without a limit, every judged prediction of every day of the window, newest day first.
    ddb.resetHistory();
    await store.savePredictions([record('older', 'f-old', hour(3, 12))]);
    await store.saveFeedback(fb('f-old'));
    const all = await store.listPairs({ since: hour(3, 0), until: hour(6, 0), judgedOnly: true });
    expect(all.map((p) => p.prediction.predictionId)).toEqual(['j8', 'j6', 'j5', 'j3', 'j1', 'older']);
    expect(queries().filter((q) => q.IndexName === 'judged-by-day').map((q) => q.ExpressionAttributeValues?.[':p'])).toEqual(['DAY#2026-11-05', 'DAY#2026-11-05', 'DAY#2026-11-05', 'DAY#2026-11-04', 'DAY#2026-11-03']);
  });

  it('reads only the judged predictions: a week of 400 emails a day with 5% feedback', async () => {
    // 1 MB pages of up to 1,000 items, as DynamoDB's; the counters say what the table was asked to read.
    ddb.reset();
    ({ items, reads } = fakeDynamoTable(ddb, { pageItems: 1000, pageBytes: 1_000_000 }));
    backfilled();
    const emails = Array.from({ length: 7 * 400 }, (_, i) => record(`w${i}`, `we${i}`, new Date(Date.UTC(2026, 10, 1) + i * 216_000).toISOString()));
    await store.savePredictions(emails);
    for (const p of emails.filter((_, i) => i % 20 === 0)) await store.saveFeedback(fb(p.emailId));
    const week = { since: hour(1, 0), until: hour(8, 0), limit: 20_000, judgedOnly: true };
    const before = { ...reads };
    const judged = await store.listPairs(week);
    expect(judged).toHaveLength(140);
    expect(reads.queryItems - before.queryItems).toBe(140);
    expect(reads.batchGetKeys - before.batchGetKeys).toBe(140);
    expect(reads.queries - before.queries).toBe(7);
    // Without the index (a table not backfilled), the same answer costs the whole window.
    items.delete(MARKER);
    const unindexed = new DynamoPredictionStore({ client: doc, tableName: 't', now: () => NOW });
    const mid = { ...reads };
    expect((await unindexed.listPairs(week)).map((p) => p.prediction.predictionId)).toEqual(judged.map((p) => p.prediction.predictionId));
    expect(reads.queryItems - mid.queryItems).toBe(2800);
    expect(reads.batchGetKeys - mid.batchGetKeys).toBe(2800);
  });

  it('reads a window the index does not cover the old way, says so, and gives the same answer', async () => {
    await store.savePredictions([record('a', 'e1', hour(2, 9)), record('b', 'e2', hour(4, 9))]);
    await store.saveFeedback(fb('e1'));
    await store.saveFeedback(fb('e2'));
    const window = { since: hour(2, 0), until: hour(5, 0), judgedOnly: true };
    expect((await store.listPairs(window)).map((p) => p.prediction.predictionId)).toEqual(['b', 'a']);
    expect(queries().some((q) => q.IndexName === 'judged-by-day')).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    // Backfilled from day 3 on: a window from day 3 uses the index, one from day 2 still reads by day.
    backfilled(hour(3, 0));
    ddb.resetHistory();
    expect((await store.listPairs({ ...window, since: hour(3, 0) })).map((p) => p.prediction.predictionId)).toEqual(['b']);
    expect(queries().map((q) => q.IndexName)).toEqual(['judged-by-day', 'judged-by-day']);
    ddb.resetHistory();
    expect((await store.listPairs(window)).map((p) => p.prediction.predictionId)).toEqual(['b', 'a']);
    expect(queries().every((q) => q.IndexName === 'by-day')).toBe(true);
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('the backfill marks predictions whose feedback was saved before the index, and records from when the index is complete', async () => {
    await store.savePredictions([record('old', 'e1', hour(1, 9)), record('kept', 'e2', hour(3, 9)), record('late', 'e3', hour(6, 9)), record('none', 'e4', hour(6, 10))]);
    for (const email of ['e1', 'e2', 'e3']) await store.saveFeedback(fb(email));
    // As saved by the code before the index: no marks.
    for (const item of items.values()) {
      delete item.gsi3pk;
      delete item.gsi3sk;
    }
    expect(await store.backfillJudgedIndex(hour(2, 0))).toEqual({ predictions: 3, judged: 2 });
    expect(items.get(MARKER)).toMatchObject({ indexedSince: hour(2, 0), recordedAt: NOW.toISOString(), recordedBy: 'backfill' });
    expect([...items.values()].filter((i) => i.gsi3pk !== undefined).map((i) => i.predictionId)).toEqual(['kept', 'late']);
    ddb.resetHistory();
    expect((await store.listPairs({ since: hour(2, 0), until: NOW.toISOString(), judgedOnly: true })).map((p) => p.prediction.predictionId)).toEqual(['late', 'kept']);
    expect(queries().every((q) => q.IndexName === 'judged-by-day')).toBe(true);
    // A later backfill of a shorter window leaves the earlier, wider one's record as it is.
    await store.backfillJudgedIndex(hour(5, 0));
    expect(items.get(MARKER)).toMatchObject({ indexedSince: hour(2, 0) });
    await store.backfillJudgedIndex(hour(1, 0));
    expect(items.get(MARKER)).toMatchObject({ indexedSince: hour(1, 0) });
    expect(items.get('PRED#old|PREDICTION')).toHaveProperty('gsi3pk', 'DAY#2026-11-01');
  });

  it('a judged-only read with a limit reads on past marks whose feedback TTL took, so it still gives the newest `limit` judged pairs', async () => {
    backfilled();
    await store.savePredictions(Array.from({ length: 6 }, (_, i) => record(`t${i}`, `g${i}`, hour(5, 10 + i))));
    for (let i = 0; i < 6; i++) await store.saveFeedback(fb(`g${i}`));
    // TTL took the feedback of the two newest first; their marks stay.
    items.delete('EMAIL#g5|FEEDBACK');
    items.delete('EMAIL#g4|FEEDBACK');
    const judged = await store.listPairs({ since: hour(5, 0), until: hour(6, 0), limit: 3, judgedOnly: true });
    expect(judged.map((p) => p.prediction.predictionId)).toEqual(['t3', 't2', 't1']);
    expect((await store.listPairs({ since: hour(5, 0), until: hour(6, 0), limit: 10, judgedOnly: true })).map((p) => p.prediction.predictionId)).toEqual(['t3', 't2', 't1', 't0']);
  });

  it('a feedback superseded by a newer correction still marks a prediction saved since that correction', async () => {
    backfilled();
    await store.savePredictions([record('first', 'e1', hour(5, 9))]);
    await store.saveFeedback(fb('e1', { closedAt: '2026-11-07T12:00:00.000Z' }));
    await store.savePredictions([record('again', 'e1', hour(5, 11))]);
    expect(await store.saveFeedback(fb('e1', { closedAt: '2026-11-07T01:00:00.000Z', labels: { queue: 'stale' } }))).toBe('superseded');
    expect(items.get('PRED#again|PREDICTION')).toHaveProperty('gsi3pk', 'DAY#2026-11-05');
    expect(items.get('EMAIL#e1|FEEDBACK')).toMatchObject({ labels: { queue: 'cards' } });
  });

  it('records the index complete from the day after the first feedback it saves, so a new stack needs no backfill; never later than a backfill', async () => {
    await store.savePredictions([record('a', 'e1', hour(7, 9))]);
    expect(items.has(MARKER)).toBe(false);
    await store.saveFeedback(fb('e1'));
    // NOW is 2026-11-08T00:00Z: today may hold feedback saved by the previous code, so from the 9th on.
    expect(items.get(MARKER)).toMatchObject({ indexedSince: hour(9, 0), recordedBy: 'first-feedback' });
    ddb.resetHistory();
    await store.saveFeedback(fb('e1', { closedAt: '2026-11-07T01:00:00.000Z' }));
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0); // once per instance
    expect(warn).not.toHaveBeenCalled();
    // A window from the 9th on uses the index; one from the 7th reads by day.
    ddb.resetHistory();
    await store.listPairs({ since: hour(9, 0), until: hour(10, 0), judgedOnly: true });
    expect(queries().map((q) => q.IndexName)).toEqual(['judged-by-day']);
    // An earlier backfill's record is not moved later by another instance's first feedback.
    backfilled(hour(1, 0));
    const other = new DynamoPredictionStore({ client: doc, tableName: 't', now: () => NOW, logger: { warn } });
    await other.saveFeedback(fb('e1', { closedAt: '2026-11-07T02:00:00.000Z' }));
    expect(items.get(MARKER)).toMatchObject({ indexedSince: hour(1, 0) });
    // In a day's last hour the deploy may still run past midnight: from the day after tomorrow.
    items.delete(MARKER);
    const late = new DynamoPredictionStore({ client: doc, tableName: 't', now: () => new Date(hour(8, 23)), logger: { warn } });
    await late.saveFeedback(fb('e1', { closedAt: '2026-11-07T03:00:00.000Z' }));
    expect(items.get(MARKER)).toMatchObject({ indexedSince: hour(10, 0) });
  });

  it('saves the feedback when the record cannot be written, says so, and tries again with the next feedback', async () => {
    await store.savePredictions([record('a', 'e1', hour(7, 9))]);
    ddb.on(PutCommand).rejectsOnce(new Error('throttled'));
    expect(await store.saveFeedback(fb('e1'))).toBe('recorded');
    expect(items.get('EMAIL#e1|FEEDBACK')).toBeDefined();
    expect(items.has(MARKER)).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('could not record'), expect.objectContaining({ error: expect.stringContaining('throttled') }));
    // The table answers puts again (the record is the only put here; its condition holds on an empty key).
    ddb.on(PutCommand).callsFake((input: { Item: Item }) => {
      items.set(`${String(input.Item.pk)}|${String(input.Item.sk)}`, input.Item);
      return {};
    });
    await store.saveFeedback(fb('e1', { closedAt: '2026-11-07T01:00:00.000Z' }));
    expect(items.get(MARKER)).toMatchObject({ indexedSince: hour(9, 0) });
  });

  it('a prediction saved after its email’s feedback is judged by a whole-window read only, until a correction or the backfill marks it', async () => {
    backfilled();
    await store.saveFeedback(fb('e1'));
    await store.savePredictions([record('after', 'e1', hour(4, 9))]);
    const window = { since: hour(4, 0), until: hour(5, 0) };
    expect((await store.listPairs(window))[0].feedback).toBeDefined();
    expect(await store.listPairs({ ...window, judgedOnly: true })).toEqual([]);
    await store.backfillJudgedIndex(hour(4, 0));
    expect((await store.listPairs({ ...window, judgedOnly: true })).map((p) => p.prediction.predictionId)).toEqual(['after']);
  });
});
