import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createLocalRegistry } from '@mailroute/model';
import { afterAll, describe, expect, it } from 'vitest';
import { addApiKey, checkKeyFilePermissions } from './auth/key-file.js';
import { createLocalServing, DB_FILE, loadAuth, lostWriteDetail, pruneFailedDetail } from './local-serving.js';
import { createSqliteStore } from './store/sqlite-store.js';
import { predictionFixture } from './store/store-contract.js';
import { StoreError, StoreUnavailableError } from './errors.js';
import { writeFixtureModel } from './test-support/fixture-model.js';
import type { Logger } from './http/logger.js';

let root: string | undefined;

/** `<dir>/home`, a registry whose champion is the fixture model m1 (built in `<dir>/artifact`). */
async function homeWithChampion(dir: string): Promise<string> {
  const home = path.join(dir, 'home');
  await writeFixtureModel(path.join(dir, 'artifact'), 'm1');
  const registry = createLocalRegistry({ home });
  await registry.approve((await registry.register(path.join(dir, 'artifact'))).id);
  return home;
}
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

// Each test starts a whole local server (registry, ONNX model, SQLite writer thread): seconds on a machine other work shares.
describe('createLocalServing', { timeout: 60_000 }, () => {
  it('answers before predictions commit, then logs a write that fails to commit and counts its records', async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-local-'));
    const home = path.join(root, 'home');
    const artifact = path.join(root, 'artifact');
    await writeFixtureModel(artifact, 'm1');
    const registry = createLocalRegistry({ home });
    await registry.approve((await registry.register(artifact)).id);
    const errors: string[] = [];
    const logger = { info: () => undefined, warn: () => undefined, error: (message: string) => void errors.push(message) };
    const serving = await createLocalServing({ home, pollSeconds: 0, logger, predictionBufferMs: 20 });
    try {
      // From now on every insert into predictions fails in the writer thread's transaction.
      const other = new Database(path.join(home, DB_FILE));
      other.exec("CREATE TRIGGER refuse BEFORE INSERT ON predictions BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");
      other.close();
      const res = await serving.app.request('/v1/classify', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ emails: [{ id: 'crm-1', body: 'Bitte übertragen Sie mein Depot.' }, { id: 'crm-2', body: 'Karte gesperrt' }, { id: 'crm-3', body: 'Steuer' }] }),
      });
      expect(res.status).toBe(200);
      for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(errors).toEqual(['prediction_write_failed']);
      // One write of three records failed: the metric counts the records lost, as its help says.
      const metrics = await (await serving.app.request('/metrics')).text();
      expect(metrics).toMatch(/^mailroute_store_write_failures_total 3$/m);
    } finally {
      await serving.close();
    }
  });

  it('answers feedback and /readyz 503 STORE_UNAVAILABLE once its database file is deleted under the server, never 202 for a write into the deleted file, and logs it once', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-db-deleted-'));
    try {
      const home = await homeWithChampion(dir);
      const logged: { event: string; fields: unknown }[] = [];
      const logger: Logger = { info: () => undefined, warn: () => undefined, error: (event, fields) => void logged.push({ event, fields }) };
      const serving = await createLocalServing({ home, pollSeconds: 0, logger });
      const feedback = (emailId: string) =>
        serving.app.request('/v1/feedback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ emailId, labels: { queue: 'payments' }, closedAt: new Date().toISOString() }) });
      const file = path.join(home, DB_FILE);
      try {
        expect((await feedback('before')).status).toBe(202);
        // "Delete the folder to start over", with the server running: its connections keep the deleted file.
        for (const f of [file, `${file}-wal`, `${file}-shm`]) await rm(f, { force: true });
        const statuses = [];
        for (let i = 0; i < 5; i++) {
          const res = await feedback(`after-${i}`);
          statuses.push(res.status);
          if (res.status === 503) {
            expect(await res.json()).toMatchObject({ code: 'STORE_UNAVAILABLE', detail: expect.stringContaining(`${DB_FILE} was deleted while the server ran`) });
            // Only a restart mends it: no Retry-After, so a client does not retry for ever.
            expect(res.headers.get('retry-after')).toBeNull();
          }
        }
        expect(statuses).toEqual([503, 503, 503, 503, 503]);
        // A load balancer takes the instance out: every feedback would be refused until it is restarted.
        const ready = await serving.app.request('/readyz');
        expect(ready.status).toBe(503);
        expect(ready.headers.get('retry-after')).toBeNull();
        expect(await ready.json()).toMatchObject({ code: 'STORE_UNAVAILABLE', detail: expect.stringContaining('was deleted') });
        expect(logged.filter((l) => l.event === 'store_file_lost')).toEqual([{ event: 'store_file_lost', fields: { detail: expect.stringContaining(`The SQLite database ${file} was deleted`) } }]);
        // A fault, logged at error level each time (5 feedbacks and /readyz), not a rate-limited refusal.
        expect(logged.filter((l) => l.event === 'request failed')).toHaveLength(6);
        expect(logged.find((l) => l.event === 'request failed')?.fields).toMatchObject({ code: 'STORE_UNAVAILABLE' });
      } finally {
        await serving.close();
      }
      expect(existsSync(file)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('masks stored text by piiPatterns too (before the built-in detectors), and refuses patterns without storeText', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-pii-patterns-'));
    try {
      const home = await homeWithChampion(dir);
      const piiPatterns = [{ type: 'CASE_REF', pattern: String.raw`\bFALL-\d{4}-\d{5}\b`, flags: 'i' }];
      await expect(createLocalServing({ home, pollSeconds: 0, piiPatterns })).rejects.toThrow('PII patterns mask the stored text of predictions: they need storeText (--store-text).');
      const serving = await createLocalServing({ home, pollSeconds: 0, storeText: true, piiPatterns, predictionBufferMs: 0 });
      try {
        const body = JSON.stringify({ emails: [{ id: 'crm-1', body: 'Zu fall-2025-00042: die Überweisung an DE89 3704 0044 0532 0130 00 fehlt.' }] });
        expect((await serving.app.request('/v1/classify', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status).toBe(200);
      } finally {
        await serving.close();
      }
      const db = new Database(path.join(home, DB_FILE), { readonly: true });
      const { text } = db.prepare('SELECT text FROM predictions').get() as { text: string };
      db.close();
      expect(text).toBe('Zu [CASE_REF]: die Überweisung an [IBAN] fehlt.');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('routes automated mail (an auto-reply by Auto-Submitted or subject, a bounce) as automated, over JSON and .eml, and counts routes by reason', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-automated-'));
    try {
      const home = await homeWithChampion(dir);
      const serving = await createLocalServing({ home, pollSeconds: 0, predictionBufferMs: 0 });
      try {
        const body = 'Vielen Dank für Ihre Nachricht. Ich bin bis zum 14.12.2026 nicht im Büro.';
        const emails = [
          { id: 'header', subject: 'Ihre Depotübertragung', body, autoSubmitted: 'auto-replied' },
          { id: 'subject', subject: 'Automatic reply: Your tax certificate', body },
          { id: 'person', subject: 'Depotübertrag', body: 'Bitte übertragen Sie mein Depot.', autoSubmitted: null },
        ];
        const res = await serving.app.request('/v1/classify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ emails }) });
        expect(res.status).toBe(200);
        const { predictions, warnings } = (await res.json()) as { predictions: { id: string; route: { queue: string; reason: string }; automated?: string }[]; warnings?: string[] };
        expect(warnings).toBeUndefined();
        expect(predictions.map((p) => [p.id, p.route.reason, p.automated])).toEqual([
          ['header', 'automated', 'auto_reply'],
          ['subject', 'automated', 'auto_reply'],
          ['person', 'confident', undefined],
        ]);
        expect(predictions[0].route.queue).toBe('manual_triage');
        const eml = ['From: Mail Delivery System <MAILER-DAEMON@mx.mail.example>', 'Subject: Undelivered Mail Returned to Sender', 'Content-Type: text/plain; charset=utf-8', '', 'Your message could not be delivered.', ''].join('\r\n');
        const bounce = await serving.app.request('/v1/classify/eml', { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: eml });
        const bounced = ((await bounce.json()) as { predictions: { predictionId: string }[] }).predictions[0];
        expect(bounced).toMatchObject({ route: { reason: 'automated' }, automated: 'delivery_failure' });
        const metrics = await (await serving.app.request('/metrics')).text();
        expect(metrics).toMatch(/^mailroute_routes_total\{model_id="[^"]+",reason="automated"\} 3$/m);
        expect(metrics).toMatch(/^mailroute_routes_total\{model_id="[^"]+",reason="no_queue"\} 0$/m);
        expect(metrics).toMatch(/^mailroute_automated_emails_total\{kind="auto_reply"\} 2$/m);
        expect(metrics).toMatch(/^mailroute_automated_emails_total\{kind="delivery_failure"\} 1$/m);
        // Their labels are not counted as the customers' mail's; the store keeps their kind, and live quality counts them apart.
        const labelCounts = [...metrics.matchAll(/^mailroute_predictions_total\{label="[^"]+",model_id="[^"]+",task="queue"\} (\d+)$/gm)].map((m) => Number(m[1]));
        expect(labelCounts.reduce((a, b) => a + b, 0)).toBe(1);
        expect(await serving.context.store.getPrediction(bounced.predictionId)).toMatchObject({ automated: 'delivery_failure', queue: 'manual_triage' });
        const closed = await serving.app.request('/v1/feedback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ emailId: 'subject', labels: { queue: 'kyc' }, closedAt: new Date().toISOString() }) });
        expect(closed.status).toBe(202);
        expect(((await closed.json()) as { warning?: string }).warning).toBe('Email "subject" was answered as automated mail (auto_reply): the feedback is recorded, but /v1/quality and the feedback export leave automated mail out.');
        const person = await serving.app.request('/v1/feedback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ emailId: 'person', labels: { queue: 'kyc' }, closedAt: new Date().toISOString() }) });
        expect(await person.json()).not.toHaveProperty('warning');
        const quality = (await (await serving.app.request('/v1/quality')).json()) as { automated: number; predictions: number; routedShare: number };
        expect(quality).toMatchObject({ automated: 3, predictions: 1, routedShare: 1 });
      } finally {
        await serving.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("routes automated mail to the queues the model's routing names per kind, and says them in /v1/model", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-automated-queues-'));
    try {
      await writeFixtureModel(path.join(dir, 'm1'), 'm1', { automatedQueues: { auto_reply: 'auto_replies' } });
      const serving = await createLocalServing({ home: path.join(dir, 'home'), modelDir: path.join(dir, 'm1'), pollSeconds: 0, predictionBufferMs: 0 });
      try {
        const emails = [
          { id: 'ooo', subject: 'Automatic reply: Your tax certificate', body: 'I am out of the office until Monday.' },
          { id: 'bounce', subject: 'Undelivered Mail Returned to Sender', body: 'Your message could not be delivered.' },
        ];
        const res = await serving.app.request('/v1/classify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ emails }) });
        const { predictions } = (await res.json()) as { predictions: { route: { queue: string; reason: string } }[] };
        expect(predictions.map((p) => p.route)).toEqual([
          { queue: 'auto_replies', reason: 'automated' },
          { queue: 'manual_triage', reason: 'automated' },
        ]);
        const model = (await (await serving.app.request('/v1/model')).json()) as { routing: { automatedQueues?: Record<string, string> } };
        expect(model.routing.automatedQueues).toEqual({ auto_reply: 'auto_replies' });
      } finally {
        await serving.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('logs queued predictions lost as lost, with their real cause (locked, full disk, read-only, I/O error, file deleted), without the 503\'s advice to retry', () => {
    const sqlite = (code: string, message: string) => Object.assign(new Error(message), { code });
    const unavailable = (cause: Error) => new StoreUnavailableError('retry after Retry-After.', { cause });
    const failed = (cause: Error) => new StoreError('SQLite write failed.', {}, { cause });
    expect(lostWriteDetail(unavailable(sqlite('SQLITE_BUSY', 'database is locked')))).toBe(
      'answered predictions not stored: the SQLite database was locked by another connection (a backup or a sqlite3 shell?) past the busy timeout',
    );
    // A full disk was logged as a lock, its SQLITE_FULL only in `cause`.
    expect(lostWriteDetail(unavailable(sqlite('SQLITE_FULL', 'database or disk is full')))).toBe('answered predictions not stored: the disk of the SQLite database is full (free space: later predictions are stored again)');
    expect(lostWriteDetail(failed(sqlite('SQLITE_READONLY', 'attempt to write a readonly database')))).toMatch(/^answered predictions not stored: the SQLite database cannot be written: it, or its file system, is read-only/);
    expect(lostWriteDetail(failed(sqlite('SQLITE_IOERR_WRITE', 'disk I/O error')))).toMatch(/^answered predictions not stored: the disk failed to read or write the SQLite database \(an I\/O error/);
    expect(lostWriteDetail(unavailable(sqlite('MAILROUTE_STORE_FILE_GONE', 'The SQLite database /srv/home/mailroute.db was deleted')))).toMatch(/^answered predictions not stored: the SQLite database file was deleted or replaced while the server ran/);
    // Another failure (a duplicate id) keeps the store's own words.
    expect(lostWriteDetail(failed(sqlite('SQLITE_CONSTRAINT_PRIMARYKEY', 'UNIQUE constraint failed')))).toBe('SQLite write failed.');
  });

  it('logs a failed retention prune as its own event (prune_failed), not as lost predictions, with its cause in words', () => {
    const sqlite = (code: string, message: string) => Object.assign(new Error(message), { code });
    const failed = (cause: Error) => new StoreError('SQLite write failed.', {}, { cause });
    const before = '2025-11-01T09:00:00.000Z';
    expect(pruneFailedDetail(failed(sqlite('SQLITE_READONLY', 'attempt to write a readonly database')), before)).toBe(
      'pruning records older than 2025-11-01T09:00:00.000Z failed: the SQLite database cannot be written: it, or its file system, is read-only (remounted read-only after disk errors?) (they are kept until a prune succeeds; the next runs within the hour)',
    );
    expect(pruneFailedDetail(new StoreUnavailableError('retry after Retry-After.', { cause: sqlite('SQLITE_FULL', 'database or disk is full') }), before)).toMatch(/failed: the disk of the SQLite database is full \(a prune needs some free space/);
    expect(pruneFailedDetail(failed(sqlite('SQLITE_CONSTRAINT_TRIGGER', 'refused')), before)).toMatch(/^pruning records older than 2025-11-01T09:00:00\.000Z failed: SQLite write failed\. \(they are kept/);
  });

  it('logs the retention prune at start: prune_failed when it fails (no prediction_write_failed), else one info line with what it deleted and its time', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-prune-log-'));
    try {
      const home = await homeWithChampion(dir);
      const file = path.join(home, DB_FILE);
      const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
      const seed = createSqliteStore({ file, retentionDays: 0 });
      await seed.savePredictions([predictionFixture('old-1', 'e-1', old), predictionFixture('old-2', 'e-2', old), predictionFixture('new', 'e-3', new Date().toISOString())]);
      await seed.saveFeedback({ emailId: 'e-1', labels: { queue: 'billing' }, closedAt: old, receivedAt: old });
      await seed.close();
      const raw = new Database(file);
      raw.exec("CREATE TRIGGER refuse BEFORE DELETE ON predictions BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");
      raw.close();
      const logged: { level: string; event: string; fields?: Record<string, unknown> }[] = [];
      const logger: Logger = {
        info: (event, fields) => void logged.push({ level: 'info', event, fields }),
        warn: (event, fields) => void logged.push({ level: 'warn', event, fields }),
        error: (event, fields) => void logged.push({ level: 'error', event, fields }),
      };
      const until = async (event: string) => {
        for (let i = 0; i < 200 && !logged.some((l) => l.event === event); i++) await new Promise((r) => setTimeout(r, 20));
      };
      const failing = await createLocalServing({ home, pollSeconds: 0, logger, retentionDays: 7 });
      await until('prune_failed');
      await failing.close();
      const errors = logged.filter((l) => l.level === 'error');
      expect(errors.map((l) => l.event)).toEqual(['prune_failed']);
      expect(errors[0].fields).toMatchObject({ detail: expect.stringMatching(/^pruning records older than \d{4}-\d\d-\d\dT.* failed: /), cause: expect.stringContaining('refused by the test') });
      const fix = new Database(file);
      fix.exec('DROP TRIGGER refuse');
      fix.close();
      logged.length = 0;
      const serving = await createLocalServing({ home, pollSeconds: 0, logger, retentionDays: 7 });
      await until('retention prune deleted old records');
      await serving.close();
      expect(logged.filter((l) => l.level !== 'info')).toEqual([]);
      const pruned = logged.filter((l) => l.event === 'retention prune deleted old records');
      expect(pruned).toEqual([{ level: 'info', event: 'retention prune deleted old records', fields: { predictions: 2, feedback: 1, before: expect.any(String), durationMs: expect.any(Number) } }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start on a model directory that holds another model than MAILROUTE_MODEL_ID names (expectedModelId)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-model-id-'));
    try {
      await writeFixtureModel(path.join(dir, 'm1'), 'm1');
      const logged: { event: string; fields: unknown }[] = [];
      const logger: Logger = { info: () => undefined, warn: () => undefined, error: (event, fields) => void logged.push({ event, fields }) };
      const options = { home: path.join(dir, 'home'), modelDir: path.join(dir, 'm1'), pollSeconds: 0, logger };
      await expect(createLocalServing({ ...options, expectedModelId: 'm2' })).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED', message: expect.stringMatching(/holds model m1, not m2 \(MAILROUTE_MODEL_ID\)/) });
      expect(logged).toEqual([{ event: 'model_id_mismatch', fields: { modelDir: options.modelDir, manifestModelId: 'm1', expectedModelId: 'm2' } }]);
      const serving = await createLocalServing({ ...options, expectedModelId: 'm1' });
      try {
        expect(await (await serving.app.request('/v1/model')).json()).toMatchObject({ modelId: 'm1' });
      } finally {
        await serving.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps no predictions with keepPredictions: false (the SageMaker container): classifies, makes no database, refuses the store\'s options', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-no-store-'));
    try {
      await writeFixtureModel(path.join(dir, 'm1'), 'm1');
      // A home that does not exist: nothing is written there.
      const options = { home: path.join(dir, 'home'), modelDir: path.join(dir, 'm1'), withoutApiKeys: true, keepPredictions: false };
      for (const [extra, named] of [
        [{ storeText: true }, 'storeText (--store-text)'],
        [{ retentionDays: 1 }, 'retentionDays (--retention-days)'],
        [{ predictionBufferMs: 0 }, 'predictionBufferMs (--prediction-buffer-ms)'],
      ] as const) {
        await expect(createLocalServing({ ...options, ...extra })).rejects.toMatchObject({ code: 'SERVING_CONFIG_INVALID', message: expect.stringContaining(`has no database: ${named} would do nothing`) });
      }
      const serving = await createLocalServing(options);
      try {
        const res = await serving.app.request('/invocations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ emails: [{ id: 'crm-1', body: 'Bitte übertragen Sie mein Depot.' }] }) });
        expect(res.status).toBe(200);
        expect(((await res.json()) as { modelId: string }).modelId).toBe('m1');
        const quality = await serving.app.request('/v1/quality');
        expect([quality.status, ((await quality.json()) as { code: string }).code]).toEqual([404, 'PREDICTIONS_NOT_KEPT']);
      } finally {
        await serving.close();
      }
      expect(existsSync(options.home)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses feedback that closed before the retention (--retention-days, default 400), which the hourly prune would delete', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-retention-'));
    try {
      await writeFixtureModel(path.join(dir, 'm1'), 'm1');
      const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
      for (const [retentionDays, refused, kept] of [[30, 31, 29], [undefined, 401, 399]] as const) {
        const serving = await createLocalServing({ home: path.join(dir, `home-${retentionDays ?? 'default'}`), modelDir: path.join(dir, 'm1'), pollSeconds: 0, retentionDays });
        try {
          const post = (closedAt: string) =>
            serving.app.request('/v1/feedback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ emailId: 'crm-1', labels: { queue: 'payments' }, closedAt }) });
          const old = await post(daysAgo(refused));
          expect(old.status).toBe(400);
          expect(((await old.json()) as { issues: { code: string }[] }).issues[0].code).toBe('too_old');
          expect((await post(daysAgo(kept))).status).toBe(202);
        } finally {
          await serving.close();
        }
      }
      // 0 keeps records for ever: any past closedAt is taken.
      const forever = await createLocalServing({ home: path.join(dir, 'home-0'), modelDir: path.join(dir, 'm1'), pollSeconds: 0, retentionDays: 0 });
      try {
        const res = await forever.app.request('/v1/feedback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ emailId: 'crm-1', labels: { queue: 'payments' }, closedAt: '1999-01-01T00:00:00Z' }) });
        expect(res.status).toBe(202);
      } finally {
        await forever.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("says in /metrics while the served champion's files are gone from the registry, and serves on", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-files-gone-'));
    try {
      const home = path.join(dir, 'home');
      const registry = createLocalRegistry({ home });
      await writeFixtureModel(path.join(dir, 'm1'), 'm1');
      await registry.approve((await registry.register(path.join(dir, 'm1'))).id);
      const serving = await createLocalServing({ home, pollSeconds: 0 });
      const gauge = async () => /^mailroute_champion_files_broken (\d)$/m.exec(await (await serving.app.request('/metrics')).text())?.[1];
      const reload = () => serving.app.request('/v1/admin/reload', { method: 'POST' });
      try {
        expect(await gauge()).toBe('0');
        const onnx = path.join(home, 'models', 'm1', 'model.onnx');
        const bytes = await readFile(onnx);
        await rm(onnx);
        expect((await reload()).status).toBe(200);
        expect(await gauge()).toBe('1');
        expect((await serving.app.request('/readyz')).status).toBe(200);
        await writeFile(onnx, bytes);
        expect((await reload()).status).toBe(200);
        expect(await gauge()).toBe('0');
      } finally {
        await serving.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rolls back to the previous Approved model when the champion is rejected, and keeps the last one serving when none is left', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-rollback-'));
    try {
      const home = path.join(dir, 'home');
      const registry = createLocalRegistry({ home });
      for (const id of ['m-old', 'm-new']) {
        await writeFixtureModel(path.join(dir, id), id);
        await registry.approve((await registry.register(path.join(dir, id))).id);
      }
      const warnings: string[] = [];
      const logger = { info: () => undefined, warn: (message: string) => void warnings.push(message), error: () => undefined };
      const serving = await createLocalServing({ home, pollSeconds: 0, logger });
      const served = async () => ((await (await serving.app.request('/v1/model')).json()) as { modelId: string; registry: { status: string } | null });
      const reload = async () => (await serving.app.request('/v1/admin/reload', { method: 'POST' })).json() as Promise<{ modelId: string; changed: boolean; note?: string }>;
      try {
        expect((await served()).modelId).toBe('m-new');
        expect(await (await serving.app.request('/metrics')).text()).toMatch(/^mailroute_champion_missing 0$/m);
        await registry.reject('m-new', { note: 'misroutes complaints' });
        expect(await reload()).toMatchObject({ changed: true, modelId: 'm-old' });
        expect((await served()).modelId).toBe('m-old');
        await registry.reject('m-old');
        for (let i = 0; i < 3; i++) {
          const outcome = await reload();
          expect(outcome).toMatchObject({ changed: false, modelId: 'm-old' });
          expect(outcome.note).toContain('no champion');
        }
        expect(await served()).toMatchObject({ modelId: 'm-old', registry: { status: 'Rejected' } });
        expect(warnings.filter((w) => w.includes('no champion'))).toHaveLength(1); // said once, not every poll
        // An alert can see it: a model no longer approved serves on.
        const missing = async () => /^mailroute_champion_missing (\d)$/m.exec(await (await serving.app.request('/metrics')).text())?.[1];
        expect(await missing()).toBe('1');
        // A champion onnxruntime cannot load: the public answer names the file, not the server's paths.
        const broken = path.join(dir, 'm-broken');
        await writeFixtureModel(broken, 'm-broken');
        const manifestFile = path.join(broken, 'manifest.json');
        const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
        await writeFile(path.join(broken, 'model.onnx'), 'not an onnx model');
        manifest.files['model.onnx'] = createHash('sha256').update('not an onnx model').digest('hex');
        await writeFile(manifestFile, JSON.stringify(manifest));
        await registry.approve((await registry.register(broken)).id);
        const failed = await serving.app.request('/v1/admin/reload?force=true', { method: 'POST' });
        expect(failed.status).toBe(500);
        const problem = (await failed.json()) as { code: string; detail: string };
        expect(problem.code).toBe('MODEL_LOAD_FAILED');
        expect(problem.detail).toContain('m-broken');
        expect(problem.detail).not.toContain(dir);
        expect((await served()).modelId).toBe('m-old');
        // A champion again (even one that failed to load): no longer missing.
        expect(await missing()).toBe('0');
      } finally {
        await serving.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('scores feedback under the names of the model that made the prediction, and stores it as the CRM sent it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-feedback-names-'));
    try {
      const home = path.join(dir, 'home');
      const registry = createLocalRegistry({ home });
      // v3 merged payments into kyc and has a queue v1 never had.
      await writeFixtureModel(path.join(dir, 'v1'), 'v1');
      await writeFixtureModel(path.join(dir, 'v3'), 'v3', { labels: ['kyc', 'cards'], aliases: { payments: 'kyc' } });
      for (const id of ['v3', 'v1']) await registry.approve((await registry.register(path.join(dir, id))).id);
      const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
      const serving = await createLocalServing({ home, pollSeconds: 0, logger, predictionBufferMs: 0 });
      const post = (url: string, body?: unknown) =>
        serving.app.request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const serve = async (id: string) => {
        await registry.setChampion(id);
        expect(await (await post('/v1/admin/reload')).json()).toMatchObject({ modelId: id });
      };
      const quality = async (query = '') => ((await (await serving.app.request(`/v1/quality?hours=1${query}`)).json()) as { tasks: Record<string, { withFeedback: number; accuracy: number | null; unmappable: number }> });
      try {
        const classified = await (await post('/v1/classify', { emails: [{ id: 'fb-9', subject: 'Beschwerde', body: 'Ich möchte mich offiziell beschweren' }, { id: 'fb-10', body: 'Karte gesperrt' }] })).json();
        const predicted = (classified as { predictions: { tasks: { queue: { label: string } } }[] }).predictions.map((p) => p.tasks.queue.label);
        expect(predicted[0]).toBe('payments');
        // v3 serves now; the CRM closes both cases, one in v1's names, one in a queue only v3 has.
        await serve('v3');
        const closedAt = new Date().toISOString();
        expect((await post('/v1/feedback', { emailId: 'fb-9', labels: { queue: 'payments' }, closedAt })).status).toBe(202);
        expect((await post('/v1/feedback', { emailId: 'fb-10', labels: { queue: 'cards' }, closedAt })).status).toBe(202);
        const db = new Database(path.join(home, DB_FILE), { readonly: true });
        const stored = db.prepare('SELECT email_id, labels FROM feedback ORDER BY email_id').all() as { email_id: string; labels: string }[];
        db.close();
        expect(stored.map((r) => [r.email_id, JSON.parse(r.labels)])).toEqual([['fb-10', { queue: 'cards' }], ['fb-9', { queue: 'payments' }]]);
        // v1's correct prediction counts correct whichever model serves; v3's queue has no name in v1: not scored, counted.
        const expected = { withFeedback: 1, accuracy: 1, unmappable: 1 };
        expect((await quality('&model=v1')).tasks.queue).toMatchObject(expected);
        await serve('v1');
        expect((await quality()).tasks.queue).toMatchObject(expected);
      } finally {
        await serving.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('loadAuth', () => {
  it('refuses a key file its group or other users may write (they could add an admin key of their own), naming the file and chmod 600', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-key-mode-'));
    try {
      const file = path.join(dir, 'api-keys.json');
      addApiKey(file, 'crm', ['classify']);
      // As --new-key writes it (600), and readable by others (644): taken.
      for (const mode of [0o600, 0o644]) {
        await chmod(file, mode);
        expect(loadAuth(file, { required: true }).enabled).toBe(true);
      }
      for (const [mode, who] of [[0o664, 'its group'], [0o646, 'every user'], [0o666, 'its group and every user']] as const) {
        await chmod(file, mode);
        expect(() => loadAuth(file, { required: true })).toThrow(expect.objectContaining({ code: 'SERVING_CONFIG_INVALID', message: expect.stringContaining(`API key file ${file} can be written by ${who}`) }));
        expect(() => loadAuth(file)).toThrow(`chmod 600 ${file}`);
      }
      // Where mode bits mean nothing (Windows), not checked.
      expect(() => checkKeyFilePermissions(file, 'win32')).not.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('logs an older data version brought up to date at start, with the copy of the file as it was', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-upgraded-'));
    try {
      const home = await homeWithChampion(dir);
      const first = await createLocalServing({ home, pollSeconds: 0, predictionBufferMs: 0 });
      await first.context.store.saveFeedback({ emailId: 'e-1', labels: { queue: 'payments' }, closedAt: '2026-12-01T10:00:00.000Z', receivedAt: '2026-12-01T10:00:01.000Z' });
      await first.close();
      // As a data-version-3 mailroute left it: no feedback.key_id yet.
      const file = path.join(home, DB_FILE);
      const old = new Database(file);
      old.exec('ALTER TABLE feedback DROP COLUMN key_id');
      old.pragma('user_version = 3');
      old.close();
      const logged: Array<{ event: string; fields?: Record<string, unknown> }> = [];
      const logger: Logger = { info: (event, fields) => void logged.push({ event, fields }), warn: () => undefined, error: () => undefined };
      const serving = await createLocalServing({ home, pollSeconds: 0, logger });
      await serving.close();
      const upgraded = logged.filter((l) => l.event === 'store_data_upgraded');
      expect(upgraded).toHaveLength(1);
      expect(upgraded[0].fields).toMatchObject({ file, fromVersion: 3, toVersion: 4, copy: `${file}.v3-backup` });
      expect(existsSync(`${file}.v3-backup`)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
