import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { GetObjectCommand, NoSuchKey, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { predictionFixture } from '@mailroute/serving/testing';
import { QUALITY_ENV } from '../contracts.js';
import { DynamoPredictionStore } from '../dynamo-prediction-store.js';
import { fakeDynamoTable } from '../test-support/fake-dynamo-table.js';
import { createQualityReporterHandlerFromEnv } from './quality-handler.js';

const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };
const s3 = new S3Client({ region: 'eu-central-1', credentials });
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1', credentials }));
const s3Mock = mockClient(s3);
const ddbMock = mockClient(dynamo);
type Out = never;

const env = {
  [QUALITY_ENV.tableName]: 'mailroute-dev-predictions',
  [QUALITY_ENV.artifactBucket]: 'mailroute-dev-artifacts',
  [QUALITY_ENV.environment]: 'dev',
  [QUALITY_ENV.minFeedback]: '1',
};
const body = (text: string) => ({ Body: { transformToString: async () => text } }) as Out;
const missing = () => new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
const denied = () => new S3ServiceException({ name: 'AccessDenied', $fault: 'client', message: 'Access Denied', $metadata: { httpStatusCode: 403 } });

/** The table holds one judged prediction of `modelId`, an hour old. */
async function predictionsOf(modelId: string): Promise<void> {
  fakeDynamoTable(ddbMock);
  const store = new DynamoPredictionStore({ client: dynamo, tableName: env[QUALITY_ENV.tableName] });
  const createdAt = new Date(Date.now() - 3_600_000).toISOString();
  await store.savePredictions([{ ...predictionFixture('p1', 'e1', createdAt), modelId }]);
  await store.saveFeedback({ emailId: 'e1', labels: { queue: 'cards' }, closedAt: createdAt, receivedAt: createdAt });
}

describe('quality Lambda on a fresh stack (before the first approval)', () => {
  beforeEach(() => {
    s3Mock.reset();
    ddbMock.reset();
    s3Mock.on(GetObjectCommand).rejects(missing());
    s3Mock.on(GetObjectCommand, { Key: 'models/bootstrap/manifest.json' }).resolves(body(JSON.stringify({ modelId: 'bootstrap-20261101', tasks: [{ name: 'queue', labels: ['cards', 'payments'] }] })));
  });

  it('reports nothing to measure yet, and succeeds, while the bootstrap model serves', async () => {
    await predictionsOf('bootstrap-20261101');
    const lines: string[] = [];
    const result = await createQualityReporterHandlerFromEnv(env, (l) => lines.push(l), { s3, dynamo })();
    expect(result).toMatchObject({ published: 0, nothingToMeasure: expect.stringContaining('nothing to measure yet: the bootstrap model (bootstrap-20261101)') });
    expect(lines).toEqual([]);
  });

  it('reports nothing to measure yet when no champion.json exists and the serving model has no manifest', async () => {
    await predictionsOf('hand-deployed-1');
    const result = await createQualityReporterHandlerFromEnv(env, () => undefined, { s3, dynamo })();
    expect(result.nothingToMeasure).toContain('no champion yet');
  });

  it('still fails when a champion exists and the serving model has no manifest', async () => {
    s3Mock.on(GetObjectCommand, { Key: 'models/champion.json' }).resolves(body(JSON.stringify({ id: 'ngram-bag-1', setAt: '2026-11-01T00:00:00Z' })));
    await predictionsOf('ngram-bag-2');
    await expect(createQualityReporterHandlerFromEnv(env, () => undefined, { s3, dynamo })()).rejects.toMatchObject({ code: 'REGISTRY_NOT_FOUND' });
  });

  it('measures an approved model as before', async () => {
    s3Mock.on(GetObjectCommand, { Key: 'models/ngram-bag-1/manifest.json' }).resolves(body(JSON.stringify({ tasks: [{ name: 'queue', labels: ['cards', 'payments'] }] })));
    await predictionsOf('ngram-bag-1');
    const lines: string[] = [];
    const result = await createQualityReporterHandlerFromEnv(env, (l) => lines.push(l), { s3, dynamo })();
    // Its figure, and the feedback of the day before (the case closed an hour ago), which the feedback-stopped alarm watches.
    expect(result).toEqual({ published: 1, withFeedback: 1, closedLastDay: 1 });
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1])).toMatchObject({ Environment: env.MAILROUTE_ENVIRONMENT, LiveFeedbackLastDay: 1 });
  });

  it('logs that the judged-by-day index does not cover the window yet (the read is slow: run the backfill)', async () => {
    s3Mock.on(GetObjectCommand, { Key: 'models/ngram-bag-1/manifest.json' }).resolves(body(JSON.stringify({ tasks: [{ name: 'queue', labels: ['cards', 'payments'] }] })));
    await predictionsOf('ngram-bag-1'); // its first feedback records the index complete from tomorrow on
    const warnings: string[] = [];
    const logger = { info: () => undefined, warn: (message: string) => void warnings.push(message), error: () => undefined };
    await expect(createQualityReporterHandlerFromEnv(env, () => undefined, { s3, dynamo, logger })()).resolves.toMatchObject({ published: 1 });
    expect(warnings).toEqual(['judged-only read of a window the judged-by-day index does not cover: the whole window is read']);
  });

  it('does not take a 403 (no s3:ListBucket) for "no champion yet": it fails naming the permission', async () => {
    s3Mock.on(GetObjectCommand, { Key: 'models/champion.json' }).rejects(denied());
    await predictionsOf('hand-deployed-1');
    await expect(createQualityReporterHandlerFromEnv(env, () => undefined, { s3, dynamo })()).rejects.toMatchObject({
      code: 'S3_ACCESS_DENIED',
      message: expect.stringContaining('s3:ListBucket on arn:aws:s3:::mailroute-dev-artifacts'),
    });
  });
});
