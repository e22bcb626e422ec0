import { beforeEach } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describePredictionStoreContract } from '@mailroute/serving/testing';
import { DynamoPredictionStore } from './dynamo-prediction-store.js';
import { fakeDynamoTable } from './test-support/fake-dynamo-table.js';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }));
const ddb = mockClient(doc);
beforeEach(() => ddb.reset());

// Pages of two items, so every read follows LastEvaluatedKey across pages and days.
describePredictionStoreContract('DynamoDB', () => {
  fakeDynamoTable(ddb);
  return new DynamoPredictionStore({ client: doc, tableName: 'contract' });
});
