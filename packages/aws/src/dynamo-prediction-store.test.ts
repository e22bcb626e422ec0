import { describe, it, expect, beforeEach } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { predictionFixture as record } from '@mailroute/serving/testing';
import { DynamoPredictionStore } from './dynamo-prediction-store.js';
import { daysInWindow, expiryEpochSeconds } from './dynamo-layout.js';
import { fakeDynamoTable, type Item } from './test-support/fake-dynamo-table.js';

const doc = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
);
const ddb = mockClient(doc);
type Out = never;


describe('DynamoPredictionStore', () => {
  let items: Map<string, Item>;
  let store: DynamoPredictionStore;
  beforeEach(() => {
    ddb.reset();
    items = fakeDynamoTable(ddb).items;
    // A fixed clock: the records (10 days' retention) are read inside it, whatever today's date.
    store = new DynamoPredictionStore({ client: doc, tableName: 'mailroute-dev-feedback', retentionDays: 10, now: () => new Date('2026-11-06T00:00:00.000Z') });
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
      code: 'STORE_FAILED',
      reason: 'PREDICTION_EXISTS',
    });
    expect((await store.getPrediction('p1'))?.emailId).toBe('e1');
  });

  it('splits more than 100 predictions into several transactions', async () => {
    const many = Array.from({ length: 150 }, (_, i) => record(`p${i}`, `e${i}`, '2026-11-01T10:00:00.000Z'));
    await store.savePredictions(many);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
    expect(items.size).toBe(150);
    // Each transaction carries an idempotency token of its own (DynamoDB: at most 36 characters), the same on every try.
    const tokens = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.ClientRequestToken);
    expect(new Set(tokens).size).toBe(2);
    for (const t of tokens) expect(t).toMatch(/^[0-9a-f]{36}$/);
  });

  it('gives the same ids with other contents another idempotency token (DynamoDB would refuse a reused one as a mismatch)', async () => {
    await expect(store.savePredictions([record('p1', 'e1', '2026-11-01T10:00:00.000Z')])).resolves.toBeUndefined();
    await expect(store.savePredictions([record('p1', 'e9', '2026-11-02T10:00:00.000Z')])).rejects.toMatchObject({ reason: 'PREDICTION_EXISTS' });
    const tokens = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.ClientRequestToken);
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).not.toBe(tokens[1]);
  });

  it('keeps each transaction under 4 MB when stored text makes the items large', async () => {
    const big = Array.from({ length: 40 }, (_, i) => ({ ...record(`t${i}`, `te${i}`, '2026-11-01T10:00:00.000Z'), text: 'x'.repeat(200_000) }));
    await store.savePredictions(big);
    const sizes = ddb.commandCalls(TransactWriteCommand).map((c) => Buffer.byteLength(JSON.stringify(c.args[0].input.TransactItems)));
    expect(sizes.length).toBeGreaterThan(2);
    for (const s of sizes) expect(s).toBeLessThan(4_000_000);
    expect(items.size).toBe(40);
  });

  it("cuts a stored text that would take its item over DynamoDB's 400 KB, at a character boundary and with a marker, and keeps a smaller one whole", async () => {
    const warned: unknown[][] = [];
    const logged = new DynamoPredictionStore({ client: doc, tableName: 'mailroute-dev-feedback', retentionDays: 10, now: () => new Date('2026-11-06T00:00:00.000Z'), logger: { warn: (...line) => warned.push(line) } });
    // 'ü' is 2 bytes and '😀' 4 in UTF-8: 600,000 bytes of text, which DynamoDB would refuse with the whole write.
    const long = 'ü'.repeat(150_000) + '😀'.repeat(75_000);
    const fits = 'ü'.repeat(150_000); // 300,000 bytes: the item fits
    await logged.savePredictions([{ ...record('big', 'e-big', '2026-11-01T10:00:00.000Z'), text: long }, { ...record('fits', 'e-fits', '2026-11-01T10:00:00.000Z'), text: fits }]);
    const put = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems?.[0].Put?.Item as Item;
    expect(Buffer.byteLength(JSON.stringify(put))).toBeLessThanOrEqual(400 * 1024);
    const text = (await logged.getPrediction('big'))?.text as string;
    expect(text).toMatch(/\n\[text cut to fit DynamoDB's 400 KB item limit: \d+ of 600000 UTF-8 bytes kept\]$/);
    const kept = text.slice(0, text.lastIndexOf('\n['));
    expect(long.startsWith(kept)).toBe(true); // a prefix of whole characters: no half emoji, no U+FFFD
    expect(Buffer.byteLength(kept)).toBeGreaterThan(390_000);
    expect(text).toContain(`: ${Buffer.byteLength(kept)} of 600000`);
    expect(warned).toEqual([["stored text cut to fit DynamoDB's item limit", { predictionId: 'big', textBytes: 600_000 }]]);
    expect((await logged.getPrediction('fits'))?.text).toBe(fits);
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

  it('merges a correction per task with one conditional update, and two feedbacks of an email at once keep each other’s tasks', async () => {
    const fb = { emailId: 'e1', labels: { queue: 'cards', topic: 'limit' }, closedAt: '2026-11-04T00:00:00.000Z', receivedAt: '2026-11-04T09:00:00.000Z' };
    await store.saveFeedback(fb);
    ddb.resetHistory();
    expect(await store.saveFeedback({ ...fb, labels: { queue: 'loans' }, closedAt: '2026-11-05T00:00:00.000Z' })).toBe('recorded');
    const update = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems?.[0]).find((t) => t?.Update);
    expect(update?.Update?.UpdateExpression).toContain('#labels.#t0 = :t0');
    expect(items.get('EMAIL#e1|FEEDBACK')).toMatchObject({ labels: { queue: 'loans', topic: 'limit' }, closedAt: '2026-11-05T00:00:00.000Z', expiresAt: expiryEpochSeconds('2026-11-05T00:00:00.000Z', 10) });
    // Two first feedbacks of one email at once: one is put, the other merged into it, whichever comes first.
    const both = await Promise.all([
      store.saveFeedback({ ...fb, emailId: 'e2', labels: { queue: 'cards' } }),
      store.saveFeedback({ ...fb, emailId: 'e2', labels: { topic: 'limit' } }),
    ]);
    expect(both).toEqual(['recorded', 'recorded']);
    expect(items.get('EMAIL#e2|FEEDBACK')).toMatchObject({ labels: { queue: 'cards', topic: 'limit' } });
  });

  it('replaces, not merges, a stored feedback past its retention that TTL has not deleted yet', async () => {
    // Closed 2026-10-20: with 10 days' retention it expired on 2026-10-30, before the store's now (2026-11-06).
    await store.saveFeedback({ emailId: 'e1', labels: { queue: 'cards', topic: 'limit' }, closedAt: '2026-10-20T00:00:00.000Z', receivedAt: '2026-10-20T00:00:00.000Z' });
    expect(await store.saveFeedback({ emailId: 'e1', labels: { queue: 'loans' }, closedAt: '2026-11-05T00:00:00.000Z', receivedAt: '2026-11-05T00:00:00.000Z' })).toBe('recorded');
    expect(items.get('EMAIL#e1|FEEDBACK')?.labels).toEqual({ queue: 'loans' });
  });

  it('clears tasks with one conditional update (REMOVE #labels.#c0), read first to say which held a label; none held, nothing written', async () => {
    const fb = { emailId: 'e1', labels: { queue: 'cards', topic: 'limit' }, closedAt: '2026-11-04T00:00:00.000Z', receivedAt: '2026-11-04T09:00:00.000Z' };
    await store.saveFeedback(fb);
    ddb.resetHistory();
    expect(await store.saveFeedback({ ...fb, labels: {}, clearTasks: ['topic'], closedAt: '2026-11-05T00:00:00.000Z' })).toEqual({ outcome: 'recorded', cleared: ['topic'] });
    const update = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems?.[0]).find((t) => t?.Update)?.Update;
    expect(update?.UpdateExpression).toMatch(/ REMOVE #predictionId, #keyId, #labels\.#c0$/);
    expect(update?.ConditionExpression).toBe('#closedAt <= :closedAt AND NOT #expiresAt <= :now AND attribute_not_exists(#keyId) AND attribute_exists(#labels.#c0)');
    expect(items.get('EMAIL#e1|FEEDBACK')).toMatchObject({ labels: { queue: 'cards' }, closedAt: '2026-11-05T00:00:00.000Z' });
    ddb.resetHistory();
    expect(await store.saveFeedback({ ...fb, labels: {}, clearTasks: ['topic'], closedAt: '2026-11-05T01:00:00.000Z' })).toEqual({ outcome: 'unchanged', cleared: [] });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(items.get('EMAIL#e1|FEEDBACK')?.closedAt).toBe('2026-11-05T00:00:00.000Z');
  });

  it('reads again when the label to clear was set or cleared between its read and the update (the condition fails)', async () => {
    const fb = { emailId: 'e1', labels: { queue: 'cards' }, closedAt: '2026-11-04T00:00:00.000Z', receivedAt: '2026-11-04T09:00:00.000Z' };
    await store.saveFeedback(fb);
    // Another instance sets the topic just after this write read the feedback (which had none).
    let reads = 0;
    ddb.on(GetCommand).callsFake((input: { Key: Item }) => {
      const key = `${String(input.Key.pk)}|${String(input.Key.sk)}`;
      const item = items.get(key);
      if (key === 'EMAIL#e1|FEEDBACK' && reads++ === 0) items.set(key, { ...item, labels: { queue: 'cards', topic: 'limit' } });
      return { Item: item } as Out;
    });
    expect(await store.saveFeedback({ ...fb, labels: { business_area: 'retail' }, clearTasks: ['topic'], closedAt: '2026-11-05T00:00:00.000Z' })).toEqual({ outcome: 'recorded', cleared: ['topic'] });
    // Its read (which also finds the stored feedback no newer) and the next round's, once the update failed.
    expect(reads).toBe(2);
    expect(items.get('EMAIL#e1|FEEDBACK')?.labels).toEqual({ queue: 'cards', business_area: 'retail' });
  });

  it('keeps the key id as an attribute (none without one), read once before a merge, and a condition of it: replaced names the key whose labels it overwrote', async () => {
    const fb = { emailId: 'e1', labels: { queue: 'tax_documents', topic: 'freistellung' }, closedAt: '2026-11-04T00:00:00.000Z', receivedAt: '2026-11-04T09:00:00.000Z', keyId: 'crm' };
    ddb.resetHistory();
    expect(await store.saveFeedback(fb)).toBe('recorded');
    // The first feedback of an email is put unread.
    expect(ddb.commandCalls(GetCommand).filter((c) => c.args[0].input.Key?.sk === 'FEEDBACK')).toHaveLength(0);
    expect(items.get('EMAIL#e1|FEEDBACK')).toMatchObject({ keyId: 'crm' });
    // Another key writes just after this write read the feedback: the merge's condition fails, and the next round reads it again.
    let reads = 0;
    ddb.on(GetCommand).callsFake((input: { Key: Item }) => {
      const key = `${String(input.Key.pk)}|${String(input.Key.sk)}`;
      const item = items.get(key);
      if (key === 'EMAIL#e1|FEEDBACK' && reads++ === 0) items.set(key, { ...item, keyId: 'ops', labels: { queue: 'loans', topic: 'freistellung' } });
      return { Item: item } as Out;
    });
    const attack = { emailId: 'e1', labels: { queue: 'complaints' }, closedAt: '2026-11-05T00:00:00.000Z', receivedAt: '2026-11-05T00:00:00.000Z', keyId: 'helpdesk' };
    expect(await store.saveFeedback(attack)).toEqual({ outcome: 'recorded', cleared: [], replaced: { keyId: 'ops', labels: { queue: 'loans', topic: 'freistellung' } } });
    expect(reads).toBe(2);
    const update = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems?.[0]).find((t) => t?.Update)?.Update;
    expect(update?.ConditionExpression).toBe('#closedAt <= :closedAt AND NOT #expiresAt <= :now AND #keyId = :storedKeyId AND #labels.#t0 = :was0');
    expect(items.get('EMAIL#e1|FEEDBACK')).toMatchObject({ keyId: 'helpdesk', labels: { queue: 'complaints', topic: 'freistellung' } });
    // Sent without a key: the attribute goes.
    expect(await store.saveFeedback({ ...attack, keyId: undefined, closedAt: '2026-11-05T01:00:00.000Z' })).toMatchObject({ replaced: { keyId: 'helpdesk' } });
    expect(Object.keys(items.get('EMAIL#e1|FEEDBACK') ?? {})).not.toContain('keyId');
  });

  it('clears nothing of a stored feedback past its retention: unchanged, or replaced by the labels it sets', async () => {
    await store.saveFeedback({ emailId: 'e1', labels: { queue: 'cards', topic: 'limit' }, closedAt: '2026-10-20T00:00:00.000Z', receivedAt: '2026-10-20T00:00:00.000Z' });
    const clear = { emailId: 'e1', labels: {}, clearTasks: ['topic'], closedAt: '2026-11-05T00:00:00.000Z', receivedAt: '2026-11-05T00:00:00.000Z' };
    expect(await store.saveFeedback(clear)).toEqual({ outcome: 'unchanged', cleared: [] });
    expect(await store.saveFeedback({ ...clear, labels: { queue: 'loans' } })).toEqual({ outcome: 'recorded', cleared: [] });
    expect(items.get('EMAIL#e1|FEEDBACK')?.labels).toEqual({ queue: 'loans' });
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
    // Newest first, so that a limit keeps the newest.
    expect(pairs.map((p) => p.prediction.predictionId)).toEqual(['b', 'a']);
    expect(pairs[1].feedback).toBeUndefined();
    expect(pairs[0].feedback?.labels.queue).toBe('cards');
    // A bound in another ISO form (10:00Z written as 11:00+01:00) still includes the prediction at 10:00Z.
    const sameWindow = await store.listPairs({ since: '2026-11-01T11:00:00+01:00', until: '2026-11-03T00:00:00Z' });
    expect(sameWindow.map((p) => p.prediction.predictionId)).toEqual(['b', 'a']);
    const limited = await store.listPairs({ since: '2026-11-01T00:00:00.000Z', until: '2026-11-03T00:00:00.000Z', limit: 1 });
    expect(limited.map((p) => p.prediction.predictionId)).toEqual(['b']);
    // Only the predictions with feedback, however many newer ones there are.
    const judged = await store.listPairs({ since: '2026-11-01T00:00:00.000Z', until: '2026-11-03T00:00:00.000Z', limit: 5, judgedOnly: true });
    expect(judged.map((p) => p.prediction.predictionId)).toEqual(['b']);
  });

  it('without the judged-by-day index (a table not backfilled), reads a judged-only window page by page and stops at the limit, not at the end of the window', async () => {
    await store.savePredictions(Array.from({ length: 9 }, (_, i) => record(`j${i}`, `f${i}`, `2026-11-01T1${i}:00:00.000Z`)));
    for (const i of [8, 7, 2]) await store.saveFeedback({ emailId: `f${i}`, labels: { queue: 'cards' }, closedAt: '2026-11-05T00:00:00.000Z', receivedAt: '2026-11-02T09:00:00.000Z' });
    ddb.resetHistory();
    const judged = await store.listPairs({ since: '2026-11-01T00:00:00.000Z', until: '2026-11-02T00:00:00.000Z', limit: 2, judgedOnly: true });
    expect(judged.map((p) => p.prediction.predictionId)).toEqual(['j8', 'j7']);
    // The newest page held both: one query, not the five pages of the day.
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
    const all = await store.listPairs({ since: '2026-11-01T00:00:00.000Z', until: '2026-11-02T00:00:00.000Z', judgedOnly: true });
    expect(all.map((p) => p.prediction.predictionId)).toEqual(['j8', 'j7', 'j2']);
    const newest = await store.listPairs({ since: '2026-11-01T00:00:00.000Z', until: '2026-11-02T00:00:00.000Z', limit: 3 });
    expect(newest.map((p) => p.prediction.predictionId)).toEqual(['j8', 'j7', 'j6']);
  });

  it('ends a read whose caller is gone (cancelled) before its next query, judged-only or not, backfilled or not', async () => {
    await store.savePredictions(Array.from({ length: 9 }, (_, i) => record(`c${i}`, `g${i}`, `2026-11-0${1 + (i % 3)}T1${i}:00:00.000Z`)));
    for (const i of [8, 7, 2, 1]) await store.saveFeedback({ emailId: `g${i}`, labels: { queue: 'cards' }, closedAt: '2026-11-05T00:00:00.000Z', receivedAt: '2026-11-02T09:00:00.000Z' });
    const window = { since: '2026-11-01T00:00:00.000Z', until: '2026-11-04T00:00:00.000Z' };
    for (const [judgedOnly, backfilled] of [[false, false], [true, false], [true, true]]) {
      // Backfilled, a judged-only read queries the judged-by-day index instead of the whole window.
      if (backfilled) await store.backfillJudgedIndex(window.since);
      ddb.resetHistory();
      const whole = await store.listPairs({ ...window, judgedOnly });
      const queries = ddb.commandCalls(QueryCommand).length;
      expect(queries).toBeGreaterThan(2);
      ddb.resetHistory();
      // Gone once the first query has been sent.
      await store.listPairs({ ...window, judgedOnly, cancelled: () => ddb.commandCalls(QueryCommand).length > 0 });
      expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
      expect(whole.length).toBe(judgedOnly ? 4 : 9);
    }
  });

  it('hands a judged-only window out a page at a time (judgedPairPages), as listPairs reads it whole', async () => {
    await store.savePredictions(Array.from({ length: 9 }, (_, i) => record(`j${i}`, `f${i}`, `2026-11-01T1${i}:00:00.000Z`)));
    for (const i of [8, 7, 2]) await store.saveFeedback({ emailId: `f${i}`, labels: { queue: 'cards' }, closedAt: '2026-11-05T00:00:00.000Z', receivedAt: '2026-11-02T09:00:00.000Z' });
    const window = { since: '2026-11-01T00:00:00.000Z', until: '2026-11-02T00:00:00.000Z' };
    const pages: string[][] = [];
    for await (const page of store.judgedPairPages(window)) pages.push(page.map((p) => p.prediction.predictionId));
    expect(pages.length).toBeGreaterThan(1); // the fake table's pages are two items
    expect(pages.flat()).toEqual((await store.listPairs({ ...window, judgedOnly: true })).map((p) => p.prediction.predictionId));
    expect(pages.flat()).toEqual(['j8', 'j7', 'j2']);
  });

  it('follows the query pages of a busy day', async () => {
    await store.savePredictions(Array.from({ length: 5 }, (_, i) => record(`d${i}`, `e${i}`, `2026-11-01T1${i}:00:00.000Z`)));
    const pairs = await store.listPairs({ since: '2026-11-01T00:00:00.000Z', until: '2026-11-02T00:00:00.000Z' });
    expect(pairs.map((p) => p.prediction.predictionId)).toEqual(['d4', 'd3', 'd2', 'd1', 'd0']);
  });

  it('retries a transaction cancelled for a conflict, and says when DynamoDB keeps refusing', async () => {
    let cancels = 2;
    const saved = items;
    ddb.on(TransactWriteCommand).callsFake((input) => {
      if (cancels-- > 0) throw new TransactionCanceledException({ message: 'conflict', $metadata: {}, CancellationReasons: [{ Code: 'TransactionConflict' }] });
      for (const t of input.TransactItems ?? []) saved.set(`${t.Put.Item.pk}|${t.Put.Item.sk}`, t.Put.Item);
      return {} as Out;
    });
    await store.savePredictions([record('p7', 'e7', '2026-11-01T10:00:00.000Z')]);
    expect((await store.getPrediction('p7'))?.emailId).toBe('e7');
    ddb.on(TransactWriteCommand).rejects(new TransactionCanceledException({ message: 'throttled', $metadata: {}, CancellationReasons: [{ Code: 'ThrottlingError' }] }));
    await expect(store.savePredictions([record('p8', 'e8', '2026-11-01T10:00:00.000Z')])).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    // A feedback throttled at every try: said as the feedback not recorded, not as the write of "0 judged mark(s)".
    const feedback = { emailId: 'e-throttled', labels: { queue: 'cards' }, closedAt: '2026-11-05T00:00:00.000Z', receivedAt: '2026-11-01T09:00:00.000Z' };
    await expect(store.saveFeedback(feedback)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining('the write of the feedback (the feedback was not recorded) 5 times') });
    // Any other cancellation (an item too large) is a store failure with its cause, not called a duplicate.
    ddb.on(TransactWriteCommand).rejects(new TransactionCanceledException({ message: 'too big', $metadata: {}, CancellationReasons: [{ Code: 'ValidationError' }] }));
    const failed = await store.savePredictions([record('p9', 'e9', '2026-11-01T10:00:00.000Z')]).catch((e: unknown) => e as { code: string; cause: unknown });
    expect(failed).toMatchObject({ code: 'STORE_FAILED', status: 500 });
    expect((failed as { cause: unknown }).cause).toBeInstanceOf(TransactionCanceledException);
  });

  it('fails with a coded error rather than drop feedback DynamoDB leaves unprocessed', async () => {
    await store.savePredictions([record('a', 'e1', '2026-11-01T10:00:00.000Z')]);
    await store.saveFeedback({ emailId: 'e1', labels: { queue: 'cards' }, closedAt: '2026-11-05T00:00:00.000Z', receivedAt: '2026-11-01T09:00:00.000Z' });
    ddb.on(BatchGetCommand).callsFake((input) => ({ Responses: {}, UnprocessedKeys: input.RequestItems }) as Out);
    await expect(store.listPairs({ since: '2026-11-01T00:00:00.000Z', until: '2026-11-02T00:00:00.000Z' })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });

  it('rejects a malformed stored item with a coded error', async () => {
    items.set('PRED#bad|PREDICTION', { pk: 'PRED#bad', sk: 'PREDICTION', predictionId: 'bad' });
    await expect(store.getPrediction('bad')).rejects.toMatchObject({ code: 'STORE_FAILED', reason: 'STORE_RECORD_INVALID' });
  });
});

describe('daysInWindow', () => {
  it('lists each UTC day the window touches', () => {
    expect(daysInWindow('2026-11-01T22:00:00Z', '2026-11-03T01:00:00Z')).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(daysInWindow('2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')).toEqual([]);
    expect(() => daysInWindow('yesterday', '2026-11-01T00:00:00Z')).toThrow(RangeError);
  });
});

describe('DynamoPredictionStore: records past their retention', () => {
  it('reads none whose expiresAt has passed, though TTL has not deleted them yet', async () => {
    ddb.reset();
    fakeDynamoTable(ddb);
    let now = new Date('2026-11-05T00:00:00.000Z');
    const store = new DynamoPredictionStore({ client: doc, tableName: 't', retentionDays: 10, now: () => now });
    await store.savePredictions([record('old', 'e1', '2026-11-01T10:00:00.000Z'), record('new', 'e2', '2026-11-04T10:00:00.000Z')]);
    await store.saveFeedback({ emailId: 'e2', labels: { queue: 'cards' }, closedAt: '2026-11-04T12:00:00.000Z', receivedAt: '2026-11-04T09:00:00.000Z' });
    const window = { since: '2026-11-01T00:00:00.000Z', until: '2026-11-20T00:00:00.000Z' };
    expect((await store.listPairs(window)).map((p) => p.prediction.predictionId)).toEqual(['new', 'old']);
    // 10 days after 'old' was made (its expiresAt), before 'new''s: the fake table, as DynamoDB, still holds it.
    now = new Date('2026-11-12T00:00:00.000Z');
    expect(await store.getPrediction('old')).toBeUndefined();
    expect(await store.findPredictionByEmail('e1')).toBeUndefined();
    expect((await store.listPairs(window)).map((p) => p.prediction.predictionId)).toEqual(['new']);
    expect((await store.listPairs({ ...window, limit: 1 })).map((p) => p.prediction.predictionId)).toEqual(['new']);
    // The feedback (closed 2026-11-04T12:00) expires after its prediction: still paired until then, not after.
    expect((await store.listPairs({ ...window, judgedOnly: true })).map((p) => p.feedback?.labels.queue)).toEqual(['cards']);
    now = new Date('2026-11-14T13:00:00.000Z');
    expect(await store.getPrediction('new')).toBeUndefined();
    expect(await store.listPairs(window)).toEqual([]);
  });
});
