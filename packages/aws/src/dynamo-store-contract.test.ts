import { beforeEach } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describePredictionStoreContract } from '@mailroute/serving/testing';
import { DynamoPredictionStore } from './dynamo-prediction-store.js';
import { judgedIndexMarkerKey } from './dynamo-layout.js';
import { fakeDynamoTable } from './test-support/fake-dynamo-table.js';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }));
const ddb = mockClient(doc);
beforeEach(() => ddb.reset());

// Pages of two items, so every read follows LastEvaluatedKey across pages and days. Judged-only reads go
// through the judged-by-day index once the backfill has recorded that it is complete, and through the
// by-day index before: both must answer the same.
describePredictionStoreContract('DynamoDB, judged-by-day index backfilled', () => {
  const { items } = fakeDynamoTable(ddb);
  items.set(`${judgedIndexMarkerKey.pk}|${judgedIndexMarkerKey.sk}`, { ...judgedIndexMarkerKey, indexedSince: '2000-01-01T00:00:00.000Z' });
  return new DynamoPredictionStore({ client: doc, tableName: 'contract' });
});

describePredictionStoreContract('DynamoDB, judged-by-day index not backfilled', () => {
  fakeDynamoTable(ddb);
  return new DynamoPredictionStore({ client: doc, tableName: 'contract' });
});
