// One-off, after deploying the code that marks judged predictions on saveFeedback: marks the predictions of
// the last --days days (and today's) whose feedback was saved before the judged-by-day index existed, then
// records that judged-only reads from then on may use the index (until then they read the whole window).
//   AWS_REGION=eu-central-1 npx tsx packages/aws/src/scripts/backfill-judged-index.ts --table mailroute-prod-predictions --days 30
// Idempotent; run it again with more --days to cover older windows. Needs dynamodb:Query, BatchGetItem,
// GetItem, PutItem and UpdateItem on the table and its indexes.
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoPredictionStore } from '../dynamo-prediction-store.js';

const USAGE = `usage: backfill-judged-index --table <table name> [--days <whole days back, default 30>]

Marks the predictions of the last <days> whole UTC days and of today whose email has feedback in the
judged-by-day index of the DynamoDB table, then records that judged-only reads (/v1/quality, the quality
Lambda) of windows from then on may use the index. Run it once after deploying the code that marks (and
again after a rollback: packages/aws/README.md, "Judged-by-day index"). Safe to run again.

The AWS SDK's usual settings apply: AWS_REGION (or AWS_DEFAULT_REGION, or the profile's region) and
credentials (AWS_PROFILE, environment, SSO) allowed dynamodb:Query, BatchGetItem, GetItem, PutItem and
UpdateItem on the table and its indexes.
`;

function fail(message: string, code: number): never {
  process.stderr.write(message.endsWith('\n') ? message : `${message}\n`);
  process.exit(code);
}

let values: { table?: string; days?: string; help?: boolean };
try {
  ({ values } = parseArgs({ options: { table: { type: 'string' }, days: { type: 'string', default: '30' }, help: { type: 'boolean', short: 'h' } } }));
} catch (error) {
  fail(`backfill-judged-index: ${(error as Error).message}\n\n${USAGE}`, 2);
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const days = Number(values.days);
if (values.table === undefined || !Number.isInteger(days) || days < 1) fail(USAGE, 2);
const table = values.table;
// From the start of a UTC day, so the record covers whole day partitions.
const since = `${new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10)}T00:00:00.000Z`;
try {
  const store = new DynamoPredictionStore({ client: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName: table });
  const started = Date.now();
  const result = await store.backfillJudgedIndex(since);
  process.stdout.write(`${JSON.stringify({ table, since, ...result, seconds: Math.round((Date.now() - started) / 1000) })}\n`);
} catch (error) {
  const hint = /region is missing/i.test(String(error)) ? ' (set AWS_REGION, e.g. AWS_REGION=eu-central-1)' : '';
  fail(`backfill-judged-index: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}${hint}`, 1);
}
