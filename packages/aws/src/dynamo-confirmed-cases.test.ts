import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createSqliteStore, readConfirmedCases, type ConfirmedCase, type FeedbackRecord, type PredictionRecord, type PredictionStore } from '@mailroute/serving';
import { predictionFixture as record } from '@mailroute/serving/testing';
import { dynamoConfirmedCases } from './dynamo-confirmed-cases.js';
import { DynamoPredictionStore } from './dynamo-prediction-store.js';
import { fakeDynamoTable } from './test-support/fake-dynamo-table.js';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }));
const ddb = mockClient(doc);
const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-dynamo-cases-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const day = new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 10);
const at = (time: string) => `${day}T${time}.000Z`;

/** Predictions of every shape a case can pair with: named, newest of its email, none, automated, with and without text. */
const predictions: PredictionRecord[] = [
  { ...record('p-1', 'e-1', at('08:00:00')), text: 'Depot [NAME] übertragen', bank: 'Musterbank', receivedAt: at('07:59:00'), attachmentNames: ['Depotauftrag [NAME].pdf'] },
  { ...record('p-2', 'e-2', at('08:00:00')), modelId: 'old-model', text: 'erste Fassung' },
  { ...record('p-3', 'e-2', at('09:00:00')), modelId: 'new-model', text: 'zweite Fassung' },
  record('p-4', 'e-4', at('08:00:00')),
  { ...record('p-5', 'e-5', at('08:30:00')), text: 'Ich bin bis Montag nicht im Büro.', automated: 'auto_reply', queue: 'manual_triage' },
  { ...record('p-6', 'e-ä', at('08:40:00')), text: 'Umlaut im Schlüssel' },
  { ...record('p-7', 'e-z', at('08:41:00')), text: 'gleiche Zeit' },
  { ...record('p-8', 'e-0', at('08:50:00')), text: 'zuletzt geschlossen' },
];
/**
 * In the order the CRM sent it: a correction of one task, by email id only, with no prediction, the same closedAt twice,
 * and the last closed first in key order (a scan's order is not the cases').
 */
const feedback: FeedbackRecord[] = [
  { emailId: 'e-1', predictionId: 'p-1', labels: { queue: 'payments', topic: 'depot' }, closedAt: at('10:00:00'), receivedAt: at('10:00:00') },
  { emailId: 'e-1', predictionId: 'p-1', labels: { topic: 'depotuebertrag' }, closedAt: at('11:00:00'), receivedAt: at('11:00:00') },
  { emailId: 'e-2', labels: { queue: 'tax' }, closedAt: at('12:00:00'), receivedAt: at('12:00:00') },
  { emailId: 'e-3', labels: { queue: 'cards' }, closedAt: at('13:00:00'), receivedAt: at('13:00:00') },
  { emailId: 'e-4', predictionId: 'p-4', labels: { queue: 'loans' }, closedAt: at('14:00:00'), receivedAt: at('14:00:00') },
  { emailId: 'e-5', predictionId: 'p-5', labels: { queue: 'payments' }, closedAt: at('14:30:00'), receivedAt: at('14:30:00') },
  { emailId: 'e-ä', predictionId: 'p-6', labels: { queue: 'tax' }, closedAt: at('15:00:00'), receivedAt: at('15:00:00') },
  { emailId: 'e-z', predictionId: 'p-7', labels: { queue: 'tax' }, closedAt: at('15:00:00'), receivedAt: at('15:00:00') },
  { emailId: 'e-0', predictionId: 'p-8', labels: { queue: 'tax' }, closedAt: at('16:00:00'), receivedAt: at('16:00:00') },
];

async function fill(store: PredictionStore): Promise<void> {
  try {
    await store.savePredictions(predictions);
    for (const fb of feedback) await store.saveFeedback(fb);
  } finally {
    await store.close();
  }
}

async function collect(cases: AsyncIterable<ConfirmedCase>): Promise<ConfirmedCase[]> {
  const out: ConfirmedCase[] = [];
  for await (const c of cases) out.push(c);
  return out;
}

describe('dynamoConfirmedCases', () => {
  let table: ReturnType<typeof fakeDynamoTable>;
  const file = path.join(dir, 'mailroute.db');
  beforeEach(async () => {
    ddb.reset();
    // Pages of three items: the scan follows LastEvaluatedKey, through pages the filter leaves empty.
    table = fakeDynamoTable(ddb, { pageItems: 3 });
    await fill(new DynamoPredictionStore({ client: doc, tableName: 'cases' }));
  });

  it('reads the cases a local store of the same records gives, in its order, for any window', async () => {
    rmSync(file, { force: true });
    await fill(createSqliteStore({ file, writer: 'inline' }));
    const local = readConfirmedCases(file);
    expect(local.map((c) => c.emailId)).toEqual(['e-1', 'e-2', 'e-3', 'e-4', 'e-5', 'e-z', 'e-ä', 'e-0']);
    const read = await collect(dynamoConfirmedCases({ client: doc, tableName: 'cases' }));
    expect(read).toEqual(local);
    // The fields the export writes, as stored beside the text.
    expect(read[0]).toMatchObject({ labels: { queue: 'payments', topic: 'depotuebertrag' }, bank: 'Musterbank', receivedAt: at('07:59:00'), attachmentNames: ['Depotauftrag [NAME].pdf'] });
    expect(read[4].automated).toBe('auto_reply');
    const window = { since: new Date(at('12:00:00')), until: new Date(at('14:30:00')) };
    expect(await collect(dynamoConfirmedCases({ client: doc, tableName: 'cases', ...window }))).toEqual(readConfirmedCases(file, window));
    expect(table.reads.scans).toBeGreaterThan(2);
  });

  it('reads more cases than one batch, feedback by email id and feedback of emails never classified among them, as the local store', async () => {
    ddb.reset();
    table = fakeDynamoTable(ddb, { pageItems: 50 });
    const many = path.join(dir, 'many.db');
    const closed = at('18:00:00');
    const records = Array.from({ length: 250 }, (_, i) => record(`m-p-${i}`, `m-e-${i}`, at('17:00:00')));
    // Every third by email id only, every seventh of an email mailroute never classified; all closed at one instant.
    const cases: FeedbackRecord[] = records.map((r, i) => ({ emailId: i % 7 === 0 ? `m-unseen-${i}` : r.emailId, ...(i % 3 === 0 ? {} : { predictionId: r.predictionId }), labels: { queue: i % 2 === 0 ? 'tax' : 'cards' }, closedAt: closed, receivedAt: closed }));
    for (const store of [new DynamoPredictionStore({ client: doc, tableName: 'cases' }), createSqliteStore({ file: many, writer: 'inline' })]) {
      try {
        await store.savePredictions(records);
        // A named prediction of another email is refused by the feedback route: these name their own or none.
        for (const fb of cases) await store.saveFeedback(fb.emailId.startsWith('m-unseen') ? { ...fb, predictionId: undefined } : fb);
      } finally {
        await store.close();
      }
    }
    const local = readConfirmedCases(many);
    expect(local).toHaveLength(250);
    expect(local.filter((c) => c.predictionId === undefined)).toHaveLength(36);
    expect(await collect(dynamoConfirmedCases({ client: doc, tableName: 'cases' }))).toEqual(local);
  });

  it('leaves out feedback past its retention that DynamoDB has not deleted yet', async () => {
    const later = () => new Date(Date.parse(at('00:00:00')) + 401 * 86_400_000);
    expect(await collect(dynamoConfirmedCases({ client: doc, tableName: 'cases', now: later }))).toEqual([]);
  });

  it('fails with a coded store error, not a partial list, when DynamoDB keeps predictions unprocessed or refuses the scan', async () => {
    ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, unknown> }) => ({ Responses: {}, UnprocessedKeys: input.RequestItems }));
    await expect(collect(dynamoConfirmedCases({ client: doc, tableName: 'cases' }))).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    ddb.on(ScanCommand).rejects(Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' }));
    await expect(collect(dynamoConfirmedCases({ client: doc, tableName: 'cases' }))).rejects.toMatchObject({ code: 'STORE_FAILED', message: expect.stringContaining('ResourceNotFoundException') });
  });
});
