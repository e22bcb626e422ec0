// Test helpers for other packages' tests (not for production code): DynamoDB as an in-memory table behind the SDK.
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { fakeDynamoTable, type FakeTableOptions } from './test-support/fake-dynamo-table.js';

export { fakeDynamoTable, type FakeTableOptions } from './test-support/fake-dynamo-table.js';

/**
 * Every DynamoDB document client, those a command makes for itself included, reads and writes one in-memory table
 * (whatever table it names) until `restore()`.
 */
export function fakeDynamoTablesEverywhere(options: FakeTableOptions = {}) {
  const ddb = mockClient(DynamoDBDocumentClient);
  return {
    ...fakeDynamoTable(ddb, options),
    /** From now on every scan fails with this error (as DynamoDB's `ResourceNotFoundException` for a missing table). */
    failScans: (error: Error) => void ddb.on(ScanCommand).rejects(error),
    restore: () => ddb.restore(),
  };
}
