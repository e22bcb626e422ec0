import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { fakeDynamoTablesEverywhere } from '@mailroute/aws/testing';
import { createSqliteStore, DB_FILE, type PredictionStore } from '@mailroute/serving';
import { DEMO_CONFIG_PATH, generateDemoRows } from '@mailroute/training';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';

const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-feedback-dynamodb-'));
const home = path.join(cwd, 'home');
const table = 'mailroute-dev-predictions';
const aws = { CI: 'true', AWS_REGION: 'eu-central-1' };
const run = (argv: string[], env: Record<string, string> = aws) => runCli(argv, { env, cwd, home });
// The fake, as the store, imported lazily: the CLI loads the AWS package only for --dynamodb-table (an import of it
// here, static, is what the package's module-boundary rule refuses).
let fake: ReturnType<typeof fakeDynamoTablesEverywhere>;
const now = Date.now();

/** The same records in any store: 12 demo emails classified with their text (one automated), 10 confirmed, one without text. */
async function fill(store: PredictionStore): Promise<void> {
  const rows = generateDemoRows({ rows: 12, seed: 5 });
  try {
    await store.savePredictions(
      rows.map((r, i) => ({
        predictionId: `p-${i}`,
        emailId: `dy-${i}`,
        modelId: 'ngram-bag-served',
        createdAt: new Date(now - 3_600_000 + i).toISOString(),
        labels: { queue: 'payments_transfers' },
        confidences: { queue: 0.6 },
        abstained: { queue: false },
        queue: 'payments_transfers',
        latencyMs: 1,
        ...(i === 2 ? { automated: 'auto_reply' } : {}),
        ...(i === 5 ? {} : { text: `${r.subject}\n\n${r.body}`, bank: r.bank, receivedAt: r.receivedAt }),
      })),
    );
    // Closed in the reverse order of their ids: the file's order is the cases', not the table's.
    for (const [i, r] of rows.slice(0, 10).entries()) {
      await store.saveFeedback({ emailId: `dy-${i}`, labels: { business_area: r.business_area, queue: r.queue, topic: r.topic }, closedAt: new Date(now - 60_000 - i * 1000).toISOString(), receivedAt: new Date(now).toISOString() });
    }
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  await fill(createSqliteStore({ file: path.join(home, DB_FILE), writer: 'inline' }));
});
// A table of its own for each test: one test's failing scans (fake.failScans) stay until the fake is restored.
beforeEach(async () => {
  // Imported as the command imports it (lazily: the AWS SDK only when --dynamodb-table is given).
  const { DynamoPredictionStore, dynamoDocumentClient } = await import('@mailroute/aws');
  const { fakeDynamoTablesEverywhere } = await import('@mailroute/aws/testing');
  fake = fakeDynamoTablesEverywhere({ pageItems: 4 });
  await fill(new DynamoPredictionStore({ client: dynamoDocumentClient('eu-central-1'), tableName: table }));
});
afterEach(() => fake.restore());
afterAll(() => {
  rmSync(cwd, { recursive: true, force: true });
});

describe('mailroute feedback export / predictions --dynamodb-table', () => {
  it("writes from the AWS stack's table the file the local store of the same cases gives", async () => {
    const local = await run(['feedback', 'export', '--out', 'local.csv', '--config', DEMO_CONFIG_PATH]);
    expect(local.code, local.stderr).toBe(0);
    const fromTable = await run(['feedback', 'export', '--out', 'aws.csv', '--config', DEMO_CONFIG_PATH, '--dynamodb-table', table]);
    expect(fromTable.code, fromTable.stderr).toBe(0);
    expect(fromTable.stdout).toMatch(/^wrote 8 confirmed cases to aws\.csv \(columns of .*demo-config\.json; read from the DynamoDB table mailroute-dev-predictions \(eu-central-1\)\)/);
    // The same notes, but for where text is kept.
    expect(fromTable.stderr).toBe(local.stderr.replace('the server ran without --store-text', "the stack's API Lambda keeps none without mailroute:feedback.storeText: true"));
    expect(fromTable.stderr).toContain("1 of 10 confirmed cases have a prediction kept without the email's text (the stack");
    expect(fromTable.stderr).toContain('1 of 10 confirmed cases are automated mail');
    const csv = readFileSync(path.join(cwd, 'aws.csv'), 'utf8');
    expect(csv).toBe(readFileSync(path.join(cwd, 'local.csv'), 'utf8'));
    expect(csv.split('\n')[1]).toMatch(/^dy-9,/);
    expect(fake.reads.scans).toBeGreaterThan(1);

    const lines = await run(['feedback', 'predictions', '--out', 'aws.jsonl', '--dynamodb-table', table]);
    expect(lines.code, lines.stderr).toBe(0);
    expect((await run(['feedback', 'predictions', '--out', 'local.jsonl'])).code).toBe(0);
    expect(readFileSync(path.join(cwd, 'aws.jsonl'), 'utf8')).toBe(readFileSync(path.join(cwd, 'local.jsonl'), 'utf8'));
    expect(lines.stdout).toMatch(/^wrote 9 prediction lines/);
  });

  it('says what is wrong with the name, the region or the table, with AWS\'s own words, and writes no file', async () => {
    const badName = await run(['feedback', 'predictions', '--out', 'x.jsonl', '--dynamodb-table', 'a b']);
    expect([badName.code, badName.stderr]).toEqual([2, expect.stringContaining('not a DynamoDB table name')]);
    // The output is checked before the table is read: a scan takes long and is paid for.
    writeFileSync(path.join(cwd, 'a-file.csv'), 'not a folder\n');
    const scans = fake.reads.scans;
    for (const command of ['export', 'predictions']) {
      const notAFolder = await run(['feedback', command, '--out', `a-file.csv/out.${command === 'export' ? 'csv' : 'jsonl'}`, '--config', DEMO_CONFIG_PATH, '--dynamodb-table', table].filter((a) => command === 'export' || (a !== '--config' && a !== DEMO_CONFIG_PATH)));
      expect(notAFolder.stderr).toContain('a-file.csv');
      expect(notAFolder.code).not.toBe(0);
    }
    expect(fake.reads.scans).toBe(scans);
    const failing = async (error: Error, env: Record<string, string> = aws) => {
      fake.failScans(error);
      const res = await run(['feedback', 'export', '--out', 'x.csv', '--config', DEMO_CONFIG_PATH, '--dynamodb-table', 'mailroute-prod-predictions'], env);
      expect(res.code).toBe(1);
      expect(existsSync(path.join(cwd, 'x.csv'))).toBe(false);
      return res.stderr;
    };
    // What the SDK throws without AWS_REGION and without a region in the profile.
    expect(await failing(new Error('Region is missing'), { CI: 'true' })).toContain('(Error), reading the DynamoDB table mailroute-prod-predictions: no AWS region: set AWS_REGION');
    expect(await failing(Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' }))).toContain(
      '(ResourceNotFoundException), reading the DynamoDB table mailroute-prod-predictions (eu-central-1): no such table in this region',
    );
    const denied = await failing(Object.assign(new Error('User: arn:aws:sts::000000000000:assumed-role/x/y is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:eu-central-1:000000000000:key/k'), { name: 'AccessDeniedException' }));
    expect(denied).toContain("and kms:Decrypt on the stack's KMS key");
    expect(denied).toContain('(AWS: User: arn:aws:sts::000000000000:assumed-role/x/y is not authorized to perform: kms:Decrypt on resource');
    // A failure without a hint still names the table, with AWS's words.
    expect(await failing(Object.assign(new Error('1 validation error detected'), { name: 'ValidationException' }))).toContain('(ValidationException), reading the DynamoDB table mailroute-prod-predictions (eu-central-1) (AWS: 1 validation error detected)');
  });
});
