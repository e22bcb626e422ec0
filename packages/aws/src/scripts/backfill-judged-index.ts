// One-off, after deploying the code that marks judged predictions on saveFeedback: marks the predictions of
// the last --days days whose feedback was saved before the judged-by-day index existed, then records that
// judged-only reads from then on may use the index (until then they read the whole window, as before).
//   AWS_REGION=eu-central-1 npx tsx packages/aws/src/scripts/backfill-judged-index.ts --table mailroute-prod-predictions --days 30
// Idempotent; run it again with more --days to cover older windows. Needs dynamodb:Query, BatchGetItem,
// GetItem, PutItem and UpdateItem on the table and its indexes.
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoPredictionStore } from '../dynamo-prediction-store.js';

const { values } = parseArgs({ options: { table: { type: 'string' }, days: { type: 'string', default: '30' } } });
const days = Number(values.days);
if (values.table === undefined || !Number.isInteger(days) || days < 1) {
  process.stderr.write('usage: backfill-judged-index --table <table name> [--days <whole days back, default 30>]\n');
  process.exit(2);
}
// From the start of a UTC day, so the record covers whole day partitions.
const since = `${new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10)}T00:00:00.000Z`;
const store = new DynamoPredictionStore({ client: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName: values.table });
const started = Date.now();
const result = await store.backfillJudgedIndex(since);
process.stdout.write(`${JSON.stringify({ table: values.table, since, ...result, seconds: Math.round((Date.now() - started) / 1000) })}\n`);
