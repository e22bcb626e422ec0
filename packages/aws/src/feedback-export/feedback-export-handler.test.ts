import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { maskPii } from '@mailroute/serving';
import { DEMO_CONFIG_PATH, generateDemoRows, loadDataset, parseTrainingConfig } from '@mailroute/training';
import { readFileSync } from 'node:fs';
import { FEEDBACK_EXPORT_ENV } from '../contracts.js';
import { DynamoPredictionStore } from '../dynamo-prediction-store.js';
import { listKeys } from '../s3-artifacts.js';
import { readObjectText } from '../s3-objects.js';
import { fakeDynamoTable } from '../test-support/fake-dynamo-table.js';
import { startS3rver, testCredentials } from '../test-support/fake-model-package-group.js';
import { createFeedbackExportHandler, createFeedbackExportHandlerFromEnv } from './feedback-export-handler.js';

const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1', credentials: testCredentials }));
const ddb = mockClient(dynamo);
const config = { tableName: 'mailroute-dev-predictions', artifactBucket: 'artifacts', dataPrefix: 'data/' };
const event = { TrainingDataUri: 's3://artifacts/data/retraining/exports/', ConfigUri: 's3://artifacts/data/retraining/config' };
const demoConfig = JSON.parse(readFileSync(DEMO_CONFIG_PATH, 'utf8')) as Record<string, unknown>;
const rows = generateDemoRows({ rows: 8, seed: 4 });

describe('feedback-export Lambda: the confirmed cases of the table into the training data', () => {
  let root: string;
  let s3: S3Client;
  let closeS3: () => Promise<void>;
  const putConfig = (value: unknown) => s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'data/retraining/config/train-config.json', Body: JSON.stringify(value) }));
  /** The CSV an earlier run left under TrainingDataUri: each test that needs one writes it, whatever ran before. */
  const earlierCsv = 'data/retraining/exports/mailroute-feedback/confirmed-cases.csv';
  const putEarlierExport = () => s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: earlierCsv, Body: 'id,subject,body\nfx-0,an earlier run,kept\n' }));

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-feedback-export-test-'));
    ({ s3, close: closeS3 } = await startS3rver(root));
    fakeDynamoTable(ddb, { pageItems: 3 });
    const store = new DynamoPredictionStore({ client: dynamo, tableName: config.tableName });
    const now = Date.now();
    await store.savePredictions(
      rows.map((r, i) => ({
        predictionId: `p-${i}`,
        emailId: `fx-${i}`,
        modelId: 'ngram-bag-served',
        createdAt: new Date(now - 3_600_000).toISOString(),
        labels: { queue: r.queue },
        confidences: { queue: 0.7 },
        abstained: { queue: false },
        queue: r.queue,
        latencyMs: 1,
        // As the API Lambda keeps them with MAILROUTE_STORE_TEXT; fx-6 without text (kept before it was turned on).
        ...(i === 6 ? {} : { text: `${r.subject}\n\n${r.body}`, bank: r.bank, receivedAt: r.receivedAt }),
      })),
    );
    for (const [i, r] of rows.slice(0, 7).entries()) {
      await store.saveFeedback({ emailId: `fx-${i}`, labels: { business_area: r.business_area, queue: r.queue, topic: r.topic }, closedAt: new Date(now - 60_000 + i).toISOString(), receivedAt: new Date(now).toISOString() });
    }
  });
  afterAll(async () => {
    ddb.restore();
    await closeS3?.();
    await rm(root, { recursive: true, force: true });
  });

  it("writes the cases with text in the config's form under TrainingDataUri, which training reads, and answers the step outputs", async () => {
    await putConfig(demoConfig);
    const tmpDir = await mkdtemp(path.join(root, 'tmp-'));
    const answer = await createFeedbackExportHandler({ s3, dynamo, config, tmpDir })(event);
    expect(answer).toEqual({ FeedbackCases: '6', FeedbackUri: 's3://artifacts/data/retraining/exports/mailroute-feedback/confirmed-cases.csv' });
    expect(await readdir(tmpDir)).toEqual([]);
    const csv = (await readObjectText(s3, 'artifacts', 'data/retraining/exports/mailroute-feedback/confirmed-cases.csv'))!;
    await writeFile(path.join(root, 'cases.csv'), csv);
    const { rows: read } = await loadDataset(path.join(root, 'cases.csv'), parseTrainingConfig(demoConfig));
    expect(read.map((r) => r.id)).toEqual(['fx-0', 'fx-1', 'fx-2', 'fx-3', 'fx-4', 'fx-5']);
    // The labels as confirmed (training then reads them through the config's taxonomy: six rows make most labels rare).
    expect(csv).toContain(`,${rows[1].business_area},${rows[1].queue},${rows[1].topic},`);
    // The stored text, masked again as this version masks it.
    expect(read[1].email.body).toBe(maskPii(`${rows[1].subject}\n\n${rows[1].body}`));
    expect(csv).not.toMatch(/DE\d{2} \d{4}/);
  });

  it('writes JSONL for a config that reads JSONL, and removes the CSV of an earlier run (or every case would be read twice)', async () => {
    await putConfig({ ...demoConfig, format: 'jsonl' });
    await putEarlierExport();
    expect(await listKeys(s3, 'artifacts', 'data/retraining/exports/')).toContain(earlierCsv);
    const answer = await createFeedbackExportHandler({ s3, dynamo, config, tmpDir: root })(event);
    expect(answer.FeedbackUri).toBe('s3://artifacts/data/retraining/exports/mailroute-feedback/confirmed-cases.jsonl');
    expect(await listKeys(s3, 'artifacts', 'data/retraining/exports/')).toEqual(['data/retraining/exports/mailroute-feedback/confirmed-cases.jsonl']);
  });

  it('refuses an event outside the bucket or its data prefix, and a config that is missing or invalid, writing nothing', async () => {
    const handler = createFeedbackExportHandler({ s3, dynamo, config, tmpDir: root });
    await putEarlierExport();
    const keys = await listKeys(s3, 'artifacts', 'data/retraining/exports/');
    const contents = async () => Promise.all((await listKeys(s3, 'artifacts', 'data/retraining/exports/')).map((k) => readObjectText(s3, 'artifacts', k)));
    const before = await contents();
    expect(before.length).toBeGreaterThan(0);
    await expect(handler({ TrainingDataUri: event.TrainingDataUri })).rejects.toThrow(/not an ExportFeedback step event .*ConfigUri/);
    await expect(handler({ ...event, TrainingDataUri: 's3://other/data/x/' })).rejects.toThrow('TrainingDataUri s3://other/data/x/ is in bucket other: the step reads and writes only artifacts');
    await expect(handler({ ...event, TrainingDataUri: 's3://artifacts/models/' })).rejects.toThrow('is not under s3://artifacts/data/');
    await expect(handler({ ...event, ConfigUri: 's3://artifacts/data/../models/' })).rejects.toThrow('has an empty, "." or ".." path segment');
    await expect(handler({ ...event, TrainingDataUri: 's3://artifacts/data/retraining/exports/crm.csv' })).rejects.toThrow('names a file: give the folder');
    await expect(handler({ ...event, ConfigUri: 's3://artifacts/data/none/' })).rejects.toThrow('s3://artifacts/data/none/train-config.json: no training config there');
    await putConfig({ ...demoConfig, tasks: [] });
    await expect(handler(event)).rejects.toMatchObject({ code: 'FEEDBACK_EXPORT_INVALID', message: expect.stringContaining('s3://artifacts/data/retraining/config/train-config.json') });
    expect(await listKeys(s3, 'artifacts', 'data/retraining/exports/')).toEqual(keys);
    expect(await contents()).toEqual(before);
  });

  it('reads its settings from the environment, naming a missing variable', () => {
    expect(() => createFeedbackExportHandlerFromEnv({ [FEEDBACK_EXPORT_ENV.artifactBucket]: 'artifacts' }, { s3, dynamo })).toThrow(`feedback-export environment invalid at ${FEEDBACK_EXPORT_ENV.tableName}`);
    expect(typeof createFeedbackExportHandlerFromEnv({ [FEEDBACK_EXPORT_ENV.artifactBucket]: 'artifacts', [FEEDBACK_EXPORT_ENV.tableName]: 't' }, { s3, dynamo })).toBe('function');
  });
});
