// Measures the quality reporter's heap on a large window (not a test: figures for a review).
//   node --expose-gc --import tsx packages/aws/src/scripts/measure-quality-memory.ts [judged predictions, default 200000] [stored text characters, default 0]
// DynamoDB is aws-sdk-client-mock answering the store's queries with pages made on the fly (1,500 items, about
// 1 MB, as DynamoDB cuts them) and its BatchGets with feedback, so the figures are the reporter's memory, not a
// table's (nor the mock's call history, cleared at each query). At each query, once the window is read and once
// the figures are made, the heap is measured after a full GC: the largest is what the run held at once.
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoPredictionStore } from '../dynamo-prediction-store.js';
import { createQualityReporter } from '../quality/quality-report.js';

type Out = never;
const total = Number(process.argv[2] ?? 200_000);
/** Stored text per prediction (only when text storage is configured, PII-masked). */
const textChars = Number(process.argv[3] ?? 0);
const days = 30;
const pageItems = 1_500;
const now = new Date('2026-12-01T00:00:00.000Z');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }));
const ddb = mockClient(dynamo);
const perDay = Math.ceil(total / days);
const labels = ['cards', 'payments', 'loans', 'accounts', 'fraud', 'other'];
const expiresAt = Math.floor(now.getTime() / 1000) + 86_400 * 90;

/** Prediction i: day `i / perDay` back from now, newest first within its day. */
function prediction(i: number): Record<string, unknown> {
  const day = Math.floor(i / perDay);
  const createdAt = new Date(now.getTime() - day * 86_400_000 - ((i % perDay) + 1) * 10_000).toISOString();
  const pick = (salt: number) => labels[(i * 7 + salt) % labels.length];
  return {
    pk: `PRED#p${i}`, sk: 'PREDICTION', predictionId: `p${String(i).padStart(8, '0')}`, emailId: `e${i}`, modelId: 'model-b', createdAt,
    labels: { area: pick(1), queue: pick(2), topic: pick(3) }, confidences: { area: 0.81, queue: 0.64, topic: 0.93 },
    abstained: { area: false, queue: false, topic: false }, queue: pick(2), latencyMs: 41, expiresAt,
    ...(textChars > 0 ? { text: `mail ${i} `.padEnd(textChars, 'x') } : {}),
  };
}

let peak = 0;
let queries = 0;
ddb.on(GetCommand).resolves({ Item: { indexedSince: '2026-01-01T00:00:00.000Z' } } as Out);
ddb.on(QueryCommand).callsFake(async (input: { ExpressionAttributeValues: Record<string, string>; ExclusiveStartKey?: { offset: number }; Limit?: number }) => {
  queries += 1;
  await new Promise((resolve) => setImmediate(resolve)); // sinon refuses a reset inside the call itself
  ddb.resetHistory(); // the mock (sinon) keeps every call's answer: without this it, not the reporter, holds the window
  gc();
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  const day = Math.round((now.getTime() - Date.parse(`${input.ExpressionAttributeValues[':p'].slice(4)}T00:00:00.000Z`)) / 86_400_000) - 1;
  if (day < 0 || day >= days) return { Items: [] } as Out;
  const start = input.ExclusiveStartKey?.offset ?? day * perDay;
  const end = Math.min((day + 1) * perDay, total, start + Math.min(pageItems, input.Limit ?? pageItems));
  const Items = Array.from({ length: Math.max(0, end - start) }, (_, k) => prediction(start + k));
  return { Items, ...(end < Math.min((day + 1) * perDay, total) ? { LastEvaluatedKey: { offset: end } } : {}) } as Out;
});
ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: { pk: string }[] }> }) => {
  const [table, { Keys }] = Object.entries(input.RequestItems)[0];
  const Responses = Keys.map(({ pk }) => {
    const i = Number(pk.slice('EMAIL#e'.length));
    return { pk, sk: 'FEEDBACK', emailId: `e${i}`, labels: { queue: labels[(i * 7 + (i % 5 === 0 ? 3 : 2)) % labels.length] }, closedAt: now.toISOString(), receivedAt: now.toISOString(), expiresAt };
  });
  return { Responses: { [table]: Responses } } as Out;
});

gc();
const before = process.memoryUsage().heapUsed;
const store = new DynamoPredictionStore({ client: dynamo, tableName: 'mailroute-dev-predictions', now: () => now });
const tasks = [{ name: 'queue', labels }, { name: 'area', labels }, { name: 'topic', labels }];
const sample = () => {
  gc();
  peak = Math.max(peak, process.memoryUsage().heapUsed);
};
// Also measured once the window is read (tasks is asked then) and once the figures are made (write).
const report = createQualityReporter({ store, tasks: async () => (sample(), tasks), environment: 'dev', windowDays: days, minFeedback: 30, write: sample, now: () => now });
const result = await report();
gc();
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
process.stdout.write(`${JSON.stringify({ judged: total, textChars, queries, result, heapBefore: mb(before), peakHeldDuringRun: mb(peak), peakAboveBaseline: mb(peak - before) })}\n`);
