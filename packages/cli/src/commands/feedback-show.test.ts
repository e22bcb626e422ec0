import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSqliteStore, DB_FILE } from '@mailroute/serving';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';

const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-show-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const run = (argv: string[], home: string) => runCli(argv, { env: { CI: 'true' }, cwd, home });

const prediction = (predictionId: string, emailId: string, createdAt: string, queue: string, confidence: number) => ({
  predictionId,
  emailId,
  modelId: 'ngram-bag-served',
  createdAt,
  labels: { queue },
  confidences: { queue: confidence },
  abstained: { queue: confidence < 0.5 },
  queue: confidence < 0.5 ? 'manual_triage' : queue,
  latencyMs: 2.5,
});

/** A home whose store holds two predictions of crm-7 (the second after a retry) with its feedback, and one of crm-8 without. */
async function servedHome(name: string): Promise<string> {
  const home = path.join(cwd, name);
  const store = createSqliteStore({ file: path.join(home, DB_FILE), writer: 'inline', retentionDays: 0 });
  try {
    await store.savePredictions([
      prediction('p-old', 'crm-7', '2026-12-01T09:00:00.000Z', 'payments_transfers', 0.41),
      prediction('p-new', 'crm-7', '2026-12-01T09:05:00.000Z', 'payments_transfers', 0.93),
      prediction('p-other', 'crm-8', '2026-12-01T10:00:00.000Z', 'tax_documents', 0.88),
    ]);
    await store.saveFeedback({ emailId: 'crm-7', predictionId: 'p-old', labels: { queue: 'tax_documents' }, closedAt: '2026-12-02T08:00:00.000Z', receivedAt: '2026-12-02T08:00:01.000Z' });
  } finally {
    await store.close();
  }
  return home;
}

describe('feedback show', () => {
  it("shows an email's predictions, newest first, and its feedback, by the email id or a prediction id", async () => {
    const home = await servedHome('found');
    const byEmail = await run(['feedback', 'show', 'crm-7'], home);
    expect(byEmail.code).toBe(0);
    const shown = JSON.parse(byEmail.stdout);
    expect(shown).toMatchObject({ matchedBy: 'emailId', emailId: 'crm-7', database: path.join(home, DB_FILE) });
    expect(shown.predictions.map((p: { predictionId: string; queue: string }) => [p.predictionId, p.queue])).toEqual([
      ['p-new', 'payments_transfers'],
      ['p-old', 'manual_triage'],
    ]);
    expect(shown.feedback).toMatchObject({ predictionId: 'p-old', labels: { queue: 'tax_documents' }, closedAt: '2026-12-02T08:00:00.000Z' });
    // A prediction id finds its email's whole case; an email without feedback has none.
    expect(JSON.parse((await run(['feedback', 'show', 'p-old'], home)).stdout)).toMatchObject({ matchedBy: 'predictionId', emailId: 'crm-7', predictions: [{ predictionId: 'p-new' }, { predictionId: 'p-old' }] });
    const other = JSON.parse((await run(['feedback', 'show', ' p-other '], home)).stdout);
    expect([other.emailId, other.predictions.length, other.feedback]).toEqual(['crm-8', 1, undefined]);
  });

  it('exits 1 naming the database when it holds neither id, and 2 for an empty id or a DynamoDB table', async () => {
    const home = await servedHome('missing');
    const missing = await run(['feedback', 'show', 'crm-9'], home);
    expect([missing.code, missing.stdout]).toEqual([1, '']);
    expect(missing.stderr).toContain(`[CASE_NOT_FOUND] no prediction or feedback with the id "crm-9" in ${path.join(home, DB_FILE)}`);
    expect((await run(['feedback', 'show', '  '], home)).code).toBe(2);
    const table = await run(['feedback', 'show', 'crm-7', '--dynamodb-table', 'mailroute-dev-feedback'], home);
    expect([table.code, table.stderr]).toEqual([2, expect.stringContaining('feedback show reads only the home')]);
    const none = await run(['feedback', 'show', 'crm-7'], path.join(cwd, 'empty-home'));
    expect([none.code, none.stderr]).toEqual([1, expect.stringContaining('No database at')]);
  });
});
