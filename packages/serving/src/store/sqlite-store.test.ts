import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKLOG_LIMIT, BACKLOG_RECORDS_LIMIT } from './sqlite-write-transport.js';
import { PRUNE_BATCH, WAL_SIZE_LIMIT_BYTES } from './sqlite-writes.mjs';
import { checkWritable, createSqliteStore, openFailureMessage, STORE_SCHEMA_VERSION, type PruneReport, type SqliteStoreOptions } from './sqlite-store.js';
import { StoreError } from '../errors.js';
import type { PredictionRecord } from './types.js';
import { describePredictionStoreContract, predictionFixture as record } from './store-contract.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


function openCloseChild(file: string): Promise<{ code: number | null; out: string }> {
  const child = fileURLToPath(new URL('../test-support/open-close-child.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, out }));
  });
}

/**
 * Opens a store at `file` as a user the file's mode applies to, printing `opened` or the error's message: this process
 * itself when it is not root; as root (whom a file's mode does not stop), a child without the capabilities that let
 * root write any file (`setpriv`, util-linux). `undefined` when no such process can be had here (no setpriv, or it
 * could not drop them).
 */
function openAsModeBound(file: string): string | undefined {
  if (process.getuid?.() !== 0) {
    try {
      const store = createSqliteStore({ file, retentionDays: 0 });
      void store.close();
      return 'opened';
    } catch (error) {
      return error instanceof StoreError ? `${error.code}: ${error.message}` : String(error);
    }
  }
  const script = `
    import { accessSync, constants } from 'node:fs';
    const [storeModule, file] = process.argv.slice(1);
    try { accessSync(file, constants.W_OK); console.log('CANNOT_PROVOKE'); process.exit(0); } catch {}
    const { createSqliteStore } = await import(storeModule);
    try { await createSqliteStore({ file, retentionDays: 0 }).close(); console.log('opened'); } catch (error) { console.log(error.code + ': ' + error.message); }`;
  const storeModule = fileURLToPath(new URL('./sqlite-store.ts', import.meta.url));
  const run = spawnSync('setpriv', ['--bounding-set=-dac_override,-dac_read_search', process.execPath, '--import', 'tsx', '--input-type=module', '-e', script, storeModule, file], { encoding: 'utf8' });
  if (run.error !== undefined || run.status !== 0 || run.stdout.startsWith('CANNOT_PROVOKE')) return undefined;
  return run.stdout.trim();
}

/** The tables as mailroute wrote them before data version 2. */
const TABLES_BEFORE_V2 = `CREATE TABLE predictions (prediction_id TEXT PRIMARY KEY, email_id TEXT NOT NULL, model_id TEXT NOT NULL, created_at TEXT NOT NULL, labels TEXT NOT NULL,
      confidences TEXT NOT NULL, abstained TEXT NOT NULL, queue TEXT NOT NULL, latency_ms REAL NOT NULL, text TEXT);
      CREATE TABLE feedback (email_id TEXT PRIMARY KEY, prediction_id TEXT, labels TEXT NOT NULL, closed_at TEXT NOT NULL, received_at TEXT NOT NULL);`;

describe('createSqliteStore', () => {
  it('reads a big window in pages, letting other work run between them, and in the order of one read', async () => {
    const store = createSqliteStore({ file: path.join(dir, 'pages', 'mailroute.db'), retentionDays: 0 });
    try {
      // 4,500 predictions in 3 pages, many in the same millisecond, one every tenth with feedback; saved in
      // another order than their ids' (the odd ones first).
      const records = Array.from({ length: 4500 }, (_, i) => record(`p-${String(i).padStart(5, '0')}`, `e-${i}`, `2026-11-29T10:00:0${Math.floor(i / 1000)}.000Z`));
      await store.savePredictions([...records.filter((_, i) => i % 2 === 1), ...records.filter((_, i) => i % 2 === 0)]);
      for (let i = 0; i < 4500; i += 10) await store.saveFeedback({ emailId: `e-${i}`, labels: { queue: 'loans' }, closedAt: '2026-11-29T11:00:00.000Z', receivedAt: '2026-11-29T11:00:00.000Z' });
      const window = { since: '2026-11-29T00:00:00.000Z', until: '2026-11-30T00:00:00.000Z' };
      const order: string[] = [];
      const listing = store.listPairs(window).then((pairs) => (order.push('listed'), pairs));
      setImmediate(() => order.push('other work'));
      const pairs = await listing;
      expect(order).toEqual(['other work', 'listed']);
      // Newest first; in one millisecond, the greater id first (not the last saved), across page ends too.
      const expected = [...records].reverse().map((r) => r.predictionId);
      expect(pairs.map((p) => p.prediction.predictionId)).toEqual(expected);
      expect(pairs.filter((p) => p.feedback !== undefined)).toHaveLength(450);
      expect((await store.listPairs({ ...window, limit: 2001 })).map((p) => p.prediction.predictionId)).toEqual(expected.slice(0, 2001));
      expect(await store.listPairs({ ...window, judgedOnly: true })).toHaveLength(450);
      // A caller gone after the first page (its answer timed out) reads no more pages, plain or judged.
      let asked = 0;
      const goneAfterFirst = () => ++asked >= 1;
      expect(await store.listPairs({ ...window, cancelled: goneAfterFirst })).toHaveLength(2000);
      expect(asked).toBe(1);
      expect(await store.listPairs({ ...window, judgedOnly: true, cancelled: () => true })).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('reads the judged predictions of a big window in spans, other work running between them, as the join of one read finds them', async () => {
    const store = createSqliteStore({ file: ':memory:', retentionDays: 0, judgedSpan: 700 });
    try {
      // 4,500 predictions, a thousand in each millisecond (spans start in the middle of one), one in 45 judged.
      const records = Array.from({ length: 4500 }, (_, i) => record(`p-${String(i).padStart(5, '0')}`, `e-${i}`, `2026-11-29T10:00:0${Math.floor(i / 1000)}.000Z`));
      await store.savePredictions(records);
      const window = { since: '2026-11-29T00:00:00.000Z', until: '2026-11-30T00:00:00.000Z' };
      const order: string[] = [];
      const none = store.listPairs({ ...window, judgedOnly: true }).then((pairs) => (order.push('listed'), pairs));
      setImmediate(() => order.push('other work'));
      expect(await none).toEqual([]);
      expect(order).toEqual(['other work', 'listed']);
      for (let i = 3; i < 4500; i += 45) await store.saveFeedback({ emailId: `e-${i}`, labels: { queue: 'loans' }, closedAt: '2026-11-29T11:00:00.000Z', receivedAt: '2026-11-29T11:00:00.000Z' });
      const judged = (await store.listPairs(window)).filter((p) => p.feedback !== undefined);
      expect(judged).toHaveLength(100);
      expect(await store.listPairs({ ...window, judgedOnly: true })).toEqual(judged);
      expect(await store.listPairs({ ...window, judgedOnly: true, limit: 37 })).toEqual(judged.slice(0, 37));
      // A window that starts inside a millisecond's predictions.
      const inner = { since: '2026-11-29T10:00:01.000Z', until: '2026-11-29T10:00:03.000Z' };
      expect(await store.listPairs({ ...inner, judgedOnly: true })).toEqual((await store.listPairs(inner)).filter((p) => p.feedback !== undefined));
    } finally {
      await store.close();
    }
  });

  it('close() resolves only when every connection is closed: the folder can be removed at once, no WAL or shared-memory file left', async () => {
    // Before the fix, the checkpointer thread could still be in a checkpoint when close() resolved; it then
    // closed last, deleting the -wal and -shm files while the caller removed the folder (ENOTEMPTY).
    for (let i = 0; i < 8; i++) {
      const home = path.join(dir, `close-all-${i}`);
      const file = path.join(home, 'mailroute.db');
      const store = createSqliteStore({ file, retentionDays: 0 });
      await store.savePredictions(Array.from({ length: 3000 }, (_, k) => record(`c-${i}-${k}`, `e-${k}`, '2026-11-29T10:00:00.000Z')));
      // Close at different points of the checkpointer's 200 ms tick.
      await new Promise((resolve) => setTimeout(resolve, 150 + i * 10));
      await store.close();
      expect([existsSync(`${file}-wal`), existsSync(`${file}-shm`)], `round ${i}`).toEqual([false, false]);
      rmSync(home, { recursive: true });
    }
  }, 60_000);

  it('close() resolves even when the startup prune commits while it waits (no exit with the close unanswered)', async () => {
    // Before the fix, the prune's commit let the writer thread stop holding the process open, and the
    // process often exited (code 13, an unsettled top-level await) before the thread confirmed the close.
    for (let i = 0; i < 6; i++) {
      const run = await openCloseChild(path.join(dir, `open-close-${i}`, 'mailroute.db'));
      expect(run, run.out).toEqual({ code: 0, out: 'closed\n' });
    }
  }, 60_000);

  it('a second close() while the first runs resolves only once the database is closed (its WAL file gone)', async () => {
    const file = path.join(dir, 'twice', 'mailroute.db');
    const store = createSqliteStore({ file });
    await store.savePredictions([record('p-1', 'e-1', new Date().toISOString())]);
    const first = store.close();
    await store.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    await first;
  });

  it('deletes records past the retention: at open, and on prune', async () => {
    const file = path.join(dir, 'retention', 'mailroute.db');
    const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const recent = new Date(Date.now() - 3_600_000).toISOString();
    const first = createSqliteStore({ file, retentionDays: 0 });
    await first.savePredictions([record('old', 'e-old', old), record('new', 'e-new', recent)]);
    await first.saveFeedback({ emailId: 'e-old', labels: { queue: 'billing' }, closedAt: old, receivedAt: old });
    await first.saveFeedback({ emailId: 'e-new', labels: { queue: 'billing' }, closedAt: recent, receivedAt: recent });
    expect(await first.getPrediction('old')).toBeDefined(); // 0: kept for ever
    await first.close();
    const again = createSqliteStore({ file, retentionDays: 7 });
    const pairs = await again.listPairs({ since: '2000-01-01T00:00:00Z' });
    expect(pairs.map((p) => [p.prediction.predictionId, p.feedback?.emailId])).toEqual([['new', 'e-new']]);
    await again.prune?.(new Date().toISOString());
    expect(await again.listPairs({ since: '2000-01-01T00:00:00Z' })).toEqual([]);
    await again.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT COUNT(*) AS n FROM feedback').get()).toEqual({ n: 0 });
    raw.close();
  });

  it('holds the prune back when it would delete every stored record (a clock set far ahead), and says so', async () => {
    const file = path.join(dir, 'clock-ahead', 'mailroute.db');
    const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const first = createSqliteStore({ file, retentionDays: 0 });
    await first.savePredictions([record('a', 'e-a', old), record('b', 'e-b', old)]);
    await first.saveFeedback({ emailId: 'e-a', labels: { queue: 'billing' }, closedAt: old, receivedAt: old });
    await first.close();
    const warnings: string[] = [];
    const again = createSqliteStore({ file, retentionDays: 7, onWarning: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^retention: the clock says .*more than 7 days after the newest stored record \(.*\): pruning would delete every stored prediction and feedback, so nothing is pruned while that is so/);
    expect((await again.listPairs({ since: '2000-01-01T00:00:00Z' })).map((p) => p.prediction.predictionId).sort()).toEqual(['a', 'b']);
    // Once it holds a record within the retention, the next prune deletes the old ones as usual.
    await again.savePredictions([record('c', 'e-c', new Date().toISOString())]);
    await again.close();
    const third = createSqliteStore({ file, retentionDays: 7, onWarning: (m) => warnings.push(m) });
    expect((await third.listPairs({ since: '2000-01-01T00:00:00Z' })).map((p) => p.prediction.predictionId)).toEqual(['c']);
    expect(warnings).toHaveLength(1);
    await third.close();
  });

  it('prunes many old records in batches, a feedback saved meanwhile committed before the prune ends', async () => {
    const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
    for (const writer of ['inline', 'thread'] as const) {
      const store = createSqliteStore({ file: path.join(dir, `prune-batches-${writer}`, 'mailroute.db'), retentionDays: 0, writer });
      try {
        const records = Array.from({ length: PRUNE_BATCH * 2 + 500 }, (_, i) => record(`old-${i}`, `e-${i}`, old));
        await store.savePredictions(records);
        const order: string[] = [];
        const pruning = store.prune?.(new Date().toISOString()).then(() => order.push('pruned'));
        await new Promise((resolve) => setImmediate(resolve));
        await store.saveFeedback({ emailId: 'e-new', labels: { queue: 'billing' }, closedAt: new Date().toISOString(), receivedAt: old });
        order.push('feedback');
        await pruning;
        expect(order, writer).toEqual(['feedback', 'pruned']);
        expect(await store.listPairs({ since: '2000-01-01T00:00:00Z' }), writer).toEqual([]);
      } finally {
        await store.close();
      }
    }
  });

  it('replaces, not merges into, a stored feedback past the retention that the hourly prune has not deleted yet', async () => {
    const file = path.join(dir, 'expired-merge', 'mailroute.db');
    const store = createSqliteStore({ file, retentionDays: 7 });
    const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const recent = new Date(Date.now() - 3_600_000).toISOString();
    // Stored after the prune at open: past the retention, it waits for the next prune.
    await store.saveFeedback({ emailId: 'e-exp', labels: { queue: 'billing', topic: 'fees' }, closedAt: old, receivedAt: old });
    await store.saveFeedback({ emailId: 'e-live', labels: { queue: 'billing', topic: 'fees' }, closedAt: recent, receivedAt: recent });
    const now = new Date().toISOString();
    for (const emailId of ['e-exp', 'e-live']) await store.saveFeedback({ emailId, labels: { queue: 'cards' }, closedAt: now, receivedAt: now });
    await store.close();
    const raw = new Database(file, { readonly: true });
    const labels = (emailId: string) => JSON.parse((raw.prepare('SELECT labels FROM feedback WHERE email_id = ?').get(emailId) as { labels: string }).labels);
    expect(labels('e-exp')).toEqual({ queue: 'cards' });
    expect(labels('e-live')).toEqual({ queue: 'cards', topic: 'fees' });
    raw.close();
  });

  it.each(['thread', 'inline'] as const)('leaves no stored text of a deleted prediction in the database file (writes %s)', async (writer) => {
    const file = path.join(dir, `erased-${writer}`, 'mailroute.db');
    const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const store = createSqliteStore({ file, retentionDays: 0, writer });
    const texts = Array.from({ length: 40 }, (_, i) => ({ ...record(`erased-${i}`, `e-${i}`, old), text: `Kontostand von [NAME] ${i}: bitte erhöhen` }));
    await store.savePredictions(texts);
    await store.prune?.(new Date().toISOString());
    await store.close();
    // A DELETE only unlinks the rows: without secure_delete their bytes stay in the freed pages, readable
    // with `strings mailroute.db` (and in every backup) long after the retention said they were gone.
    expect(readFileSync(file).includes('bitte erh')).toBe(false);
  });

  it.each(['thread', 'inline'] as const)('leaves no pruned text in the database or its WAL file while the store stays open (writes %s)', async (writer) => {
    const file = path.join(dir, `erased-wal-${writer}`, 'mailroute.db');
    const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const store = createSqliteStore({ file, retentionDays: 0, writer });
    try {
      const texts = Array.from({ length: 40 }, (_, i) => ({ ...record(`wal-${i}`, `e-${i}`, old), text: `Kontostand von [NAME] ${i}: bitte erhöhen` }));
      await store.savePredictions(texts);
      expect(readFileSync(`${file}-wal`).includes('bitte erh')).toBe(true); // the WAL holds the text, as the test is meant to see
      await store.prune?.(new Date().toISOString());
      // secure_delete zeroes the rows in new WAL frames; the old frames, with the text, stay in the -wal
      // file (and the database file keeps its copy) until a checkpoint copies the zeroed pages over them.
      const wal = existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0);
      expect(wal.includes('bitte erh'), '-wal').toBe(false);
      expect(readFileSync(file).includes('bitte erh'), 'db').toBe(false);
      expect(await store.listPairs({ since: '2000-01-01T00:00:00Z' })).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('erases pruned text from the WAL at the prune even when a reader (or the checkpointer) holds a snapshot for a moment', async () => {
    const file = path.join(dir, 'erased-busy', 'mailroute.db');
    const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const store = createSqliteStore({ file, retentionDays: 0 });
    const reader = new Database(file, { readonly: true });
    try {
      await store.savePredictions(Array.from({ length: 40 }, (_, i) => ({ ...record(`busy-${i}`, `e-${i}`, old), text: `Kontostand von [NAME] ${i}: bitte erhöhen` })));
      // A snapshot held for 100 ms across the prune, as the checkpointer thread's own checkpoint often is:
      // before the fix, the erasing checkpoint gave up at once and the text stayed until the next write.
      reader.prepare('BEGIN').run();
      reader.prepare('SELECT count(*) FROM predictions').get();
      const released = new Promise<void>((resolve) => setTimeout(() => (reader.prepare('COMMIT').run(), resolve()), 100));
      await store.prune?.(new Date().toISOString());
      await released;
      const wal = existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0);
      expect(wal.includes('bitte erh'), '-wal').toBe(false);
      expect(readFileSync(file).includes('bitte erh'), 'db').toBe(false);
    } finally {
      reader.close();
      await store.close();
    }
  });

  it('creates the database readable by its owner only, its WAL and shared-memory files too; an existing file keeps its mode', async () => {
    const file = path.join(dir, 'private', 'mailroute.db');
    const store = createSqliteStore({ file, retentionDays: 0 });
    await store.savePredictions([{ ...record('private-1', 'e-1', new Date().toISOString()), text: 'Kontostand bitte' }]);
    // Others on the machine would read email ids, labels and, with --store-text, the emails' text.
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect((statSync(f).mode & 0o777).toString(8), f).toBe('600');
    await store.close();
    chmodSync(file, 0o640); // an operator's choice (a backup group) stands
    const again = createSqliteStore({ file, retentionDays: 0 });
    await again.close();
    expect(statSync(file).mode & 0o777).toBe(0o640);
  });

  it('answers from the writer thread which of two feedbacks sent together changed nothing: the earlier sent after the later', async () => {
    const store = createSqliteStore({ file: path.join(dir, 'together', 'mailroute.db'), retentionDays: 0 });
    try {
      const feedback = (queue: string, closedAt: string) => store.saveFeedback({ emailId: 'crm-1', labels: { queue }, closedAt, receivedAt: closedAt });
      const sent = await Promise.all([feedback('loans', '2026-12-04T13:00:00.000Z'), feedback('cards', '2026-12-04T14:00:00.000Z'), feedback('stale', '2026-12-04T12:00:00.000Z')]);
      expect(sent).toEqual(['recorded', 'recorded', 'superseded']);
    } finally {
      await store.close();
    }
  });

  it('answers from the writer thread which stored labels a feedback cleared, or that it had none to clear; committed before the answer', async () => {
    const file = path.join(dir, 'clearing', 'mailroute.db');
    const store = createSqliteStore({ file, retentionDays: 0 });
    const at = (minute: number) => `2026-12-06T06:0${minute}:00.000Z`;
    try {
      await store.saveFeedback({ emailId: 'ret-1', labels: { queue: 'account_management', topic: 'tagesgeld_zinsen' }, closedAt: at(0), receivedAt: at(0) });
      const clear = (emailId: string, closedAt: string) => store.saveFeedback({ emailId, labels: {}, closedAt, receivedAt: closedAt, clearTasks: ['topic'] });
      // Sent together: the older one first finds the label, then the later clears it; another email has none to clear.
      const sent = await Promise.all([clear('ret-1', at(5)), clear('ret-1', at(4)), clear('ret-2', at(5)), store.saveFeedback({ emailId: 'ret-3', labels: { queue: 'cards' }, closedAt: at(5), receivedAt: at(5), clearTasks: ['topic'] })]);
      expect(sent).toEqual([
        { outcome: 'recorded', cleared: ['topic'] },
        { outcome: 'unchanged', cleared: [] },
        { outcome: 'unchanged', cleared: [] },
        { outcome: 'recorded', cleared: [] },
      ]);
    } finally {
      await store.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT email_id, labels, closed_at FROM feedback ORDER BY email_id').all()).toEqual([
        { email_id: 'ret-1', labels: '{"queue":"account_management"}', closed_at: at(5) },
        { email_id: 'ret-3', labels: '{"queue":"cards"}', closed_at: at(5) },
      ]);
    } finally {
      db.close();
    }
  });

  it("brings a file of an older mailroute up to this one's data version: every time UTC with milliseconds, a later correction no longer 'superseded'", async () => {
    const file = path.join(dir, 'old', 'mailroute.db');
    mkdirSync(path.dirname(file), { recursive: true });
    // As a mailroute from before migrations left it: no data version, closedAt as its callers sent it.
    const old = new Database(file);
    old.exec(TABLES_BEFORE_V2);
    const insert = old.prepare('INSERT INTO feedback VALUES (?, NULL, ?, ?, ?)');
    insert.run('crm-1', '{"queue":"loans"}', '2026-12-04T14:00:00+01:00', '2026-12-04T13:00:01.000Z');
    insert.run('crm-2', '{"queue":"loans"}', '2026-12-04T13:30:00Z', '2026-12-04T13:30:01.000Z');
    insert.run('crm-3', '{"queue":"loans"}', 'not a time', '2026-12-04T13:30:01.000Z');
    old.close();
    const upgraded: string[] = [];
    const store = createSqliteStore({ file, retentionDays: 0, onUpgraded: (report) => upgraded.push(`${report.fromVersion} -> ${report.toVersion}: ${report.copy}`) });
    try {
      // 13:30 UTC is after 14:00+01:00: recorded. Before, the text comparison had it 'superseded'.
      expect(await store.saveFeedback({ emailId: 'crm-1', labels: { queue: 'cards' }, closedAt: '2026-12-04T13:30:00.000Z', receivedAt: '2026-12-04T13:30:02.000Z' })).toBe('recorded');
      expect(await store.saveFeedback({ emailId: 'crm-2', labels: { queue: 'cards' }, closedAt: '2026-12-04T13:29:00.000Z', receivedAt: '2026-12-04T13:30:02.000Z' })).toBe('superseded');
    } finally {
      await store.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(STORE_SCHEMA_VERSION);
      expect(db.prepare('SELECT email_id, closed_at FROM feedback ORDER BY email_id').all()).toEqual([
        { email_id: 'crm-1', closed_at: '2026-12-04T13:30:00.000Z' },
        { email_id: 'crm-2', closed_at: '2026-12-04T13:30:00.000Z' },
        { email_id: 'crm-3', closed_at: 'not a time' },
      ]);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'feedback_closed'").get()).toEqual({ name: 'feedback_closed' });
    } finally {
      db.close();
    }
    // The file as it was is kept beside it, for the mailroute that wrote it: its times as they were sent.
    expect(upgraded).toEqual([`0 -> ${STORE_SCHEMA_VERSION}: ${file}.v0-backup`]);
    const copy = new Database(`${file}.v0-backup`, { readonly: true });
    try {
      expect(copy.pragma('user_version', { simple: true })).toBe(0);
      expect(copy.prepare('SELECT closed_at FROM feedback ORDER BY email_id').all()).toEqual([{ closed_at: '2026-12-04T14:00:00+01:00' }, { closed_at: '2026-12-04T13:30:00Z' }, { closed_at: 'not a time' }]);
    } finally {
      copy.close();
    }
  });

  it('brings a file of data version 1 up to date: the predictions gain bank, receivedAt and automated, rows stored before read as before', async () => {
    const file = path.join(dir, 'v1', 'mailroute.db');
    mkdirSync(path.dirname(file), { recursive: true });
    const old = new Database(file);
    old.exec(TABLES_BEFORE_V2);
    old.prepare("INSERT INTO predictions VALUES ('p-old', 'e-old', 'm', '2026-12-01T10:00:00.000Z', '{\"queue\":\"loans\"}', '{\"queue\":0.9}', '{\"queue\":false}', 'loans', 1.5, 'Kredit')").run();
    old.pragma('user_version = 1');
    old.close();
    const store = createSqliteStore({ file, retentionDays: 0 });
    try {
      const kept = { ...record('p-new', 'e-new', '2026-12-02T10:00:00.000Z'), text: 'Sparplan ändern', bank: 'Comdirect', receivedAt: '2026-12-02T10:59:00+01:00' };
      await store.savePredictions([kept]);
      expect(await store.getPrediction('p-new')).toEqual(kept);
      const before = await store.getPrediction('p-old');
      expect(before).toMatchObject({ predictionId: 'p-old', text: 'Kredit', labels: { queue: 'loans' } });
      expect(before).not.toHaveProperty('bank');
      expect(before).not.toHaveProperty('receivedAt');
      expect(before).not.toHaveProperty('automated');
    } finally {
      await store.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(STORE_SCHEMA_VERSION);
    } finally {
      db.close();
    }
  });

  it('brings a file of data version 2 to 3: an automated email keeps its kind, in every read, and the text its attachment names; rows stored before have neither', async () => {
    const file = path.join(dir, 'v2', 'mailroute.db');
    mkdirSync(path.dirname(file), { recursive: true });
    const old = new Database(file);
    old.exec(TABLES_BEFORE_V2);
    old.exec('ALTER TABLE predictions ADD COLUMN bank TEXT; ALTER TABLE predictions ADD COLUMN received_at TEXT');
    old.prepare("INSERT INTO predictions VALUES ('p-old', 'e-old', 'm', '2026-12-01T10:00:00.000Z', '{\"queue\":\"loans\"}', '{\"queue\":0.9}', '{\"queue\":false}', 'manual_triage', 1.5, NULL, NULL, NULL)").run();
    old.pragma('user_version = 2');
    old.close();
    for (const writer of ['inline', 'thread'] as const) {
      const store = createSqliteStore({ file, retentionDays: 0, writer });
      try {
        const bounce = { ...record(`p-${writer}`, `e-${writer}`, '2026-12-02T10:00:00.000Z'), queue: 'manual_triage', automated: 'delivery_failure', text: 'Zustellung fehlgeschlagen', attachmentNames: ['details.txt'] };
        await store.savePredictions([bounce]);
        expect(await store.getPrediction(bounce.predictionId)).toEqual(bounce);
        expect(await store.findPredictionByEmail(bounce.emailId)).toEqual(bounce);
        const pairs = await store.listPairs({ since: '2026-12-01T00:00:00.000Z', until: '2026-12-03T00:00:00.000Z' });
        const listed = pairs.find((p) => p.prediction.predictionId === bounce.predictionId)?.prediction;
        expect(listed?.automated).toBe('delivery_failure');
        expect(listed).not.toHaveProperty('attachmentNames');
        expect(await store.getPrediction('p-old')).not.toHaveProperty('automated');
      } finally {
        await store.close();
      }
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(STORE_SCHEMA_VERSION);
    } finally {
      db.close();
    }
  });

  it('brings a file of data version 3 to 4: a feedback keeps the id of the key that sent it, and says whose it replaced; those stored before have none', async () => {
    const file = path.join(dir, 'v3', 'mailroute.db');
    mkdirSync(path.dirname(file), { recursive: true });
    const old = new Database(file);
    old.exec(TABLES_BEFORE_V2);
    old.exec('ALTER TABLE predictions ADD COLUMN bank TEXT; ALTER TABLE predictions ADD COLUMN received_at TEXT; ALTER TABLE predictions ADD COLUMN automated TEXT; ALTER TABLE predictions ADD COLUMN attachment_names TEXT');
    old.prepare("INSERT INTO predictions VALUES ('p-old', 'e-old', 'm', '2026-12-01T10:00:00.000Z', '{\"queue\":\"loans\"}', '{\"queue\":0.9}', '{\"queue\":false}', 'loans', 1.5, NULL, NULL, NULL, NULL, NULL)").run();
    old.prepare("INSERT INTO feedback VALUES ('e-old', 'p-old', '{\"queue\":\"loans\"}', '2026-12-01T11:00:00.000Z', '2026-12-01T11:00:01.000Z')").run();
    old.pragma('user_version = 3');
    old.close();
    for (const writer of ['inline', 'thread'] as const) {
      const store = createSqliteStore({ file, retentionDays: 0, writer });
      const window = { since: '2026-12-01T00:00:00.000Z', until: '2026-12-03T00:00:00.000Z' };
      try {
        if (writer === 'inline') {
          expect((await store.listPairs(window))[0].feedback).toEqual({ emailId: 'e-old', predictionId: 'p-old', labels: { queue: 'loans' }, closedAt: '2026-12-01T11:00:00.000Z', receivedAt: '2026-12-01T11:00:01.000Z' });
          // Stored before keys were: who recorded it is not known, so nothing is said replaced.
          expect(await store.saveFeedback({ emailId: 'e-old', labels: { queue: 'cards' }, closedAt: '2026-12-01T12:00:00.000Z', receivedAt: '2026-12-01T12:00:00.000Z', keyId: 'crm' })).toBe('recorded');
        }
        const at = writer === 'inline' ? '2026-12-01T13:00:00.000Z' : '2026-12-01T14:00:00.000Z';
        const other = writer === 'inline' ? 'other' : 'crm';
        expect(await store.saveFeedback({ emailId: 'e-old', labels: { queue: 'complaints' }, closedAt: at, receivedAt: at, keyId: other })).toEqual({
          outcome: 'recorded',
          cleared: [],
          replaced: { keyId: writer === 'inline' ? 'crm' : 'other', labels: { queue: writer === 'inline' ? 'cards' : 'complaints' } },
        });
        expect((await store.listPairs({ ...window, judgedOnly: true }))[0].feedback).toMatchObject({ keyId: other, labels: { queue: 'complaints' } });
      } finally {
        await store.close();
      }
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(STORE_SCHEMA_VERSION);
      expect(db.prepare('SELECT email_id, key_id FROM feedback').all()).toEqual([{ email_id: 'e-old', key_id: 'crm' }]);
    } finally {
      db.close();
    }
  });

  it('cuts the WAL file back to its limit after a burst, once a checkpoint has copied it (SQLite would keep it at its largest)', async () => {
    for (const writer of ['inline', 'thread'] as const) {
      const file = path.join(dir, `wal-${writer}`, 'mailroute.db');
      const store = createSqliteStore({ file, retentionDays: 0, writer });
      try {
        const text = 'Kredit '.repeat(300);
        await store.savePredictions(Array.from({ length: 15_000 }, (_, i) => ({ ...record(`p-${i}`, `e-${i}`, '2026-12-04T10:00:00.000Z'), text })));
        expect(statSync(`${file}-wal`).size, writer).toBeGreaterThan(WAL_SIZE_LIMIT_BYTES * 1.5);
        const reader = new Database(file);
        reader.pragma('wal_checkpoint(PASSIVE)');
        reader.close();
        await store.savePredictions([record('p-after', 'e-after', '2026-12-04T10:00:01.000Z')]);
        expect(statSync(`${file}-wal`).size, writer).toBeLessThanOrEqual(WAL_SIZE_LIMIT_BYTES + 1024 * 1024);
        expect(await store.getPrediction('p-14999')).toMatchObject({ text });
      } finally {
        await store.close();
      }
    }
  }, 60_000);

  it('refuses a stored row it did not write (a hand-edited column) with a StoreError naming the column', async () => {
    const file = path.join(dir, 'edited', 'mailroute.db');
    const store = createSqliteStore({ file, retentionDays: 0, writer: 'inline' });
    try {
      await store.savePredictions([record('p-1', 'e-1', '2026-11-29T10:00:00.000Z'), record('p-2', 'e-2', '2026-11-29T10:00:00.000Z'), record('p-3', 'e-3', '2026-11-29T10:00:00.000Z'), record('p-4', 'e-4', '2026-11-29T10:00:00.000Z')]);
      const edit = new Database(file);
      edit.prepare("UPDATE predictions SET labels = '[\"loans\"]' WHERE prediction_id = 'p-1'").run();
      edit.prepare("UPDATE predictions SET latency_ms = 'slow' WHERE prediction_id = 'p-2'").run();
      edit.prepare("UPDATE predictions SET attachment_names = '{\"a\":1}' WHERE prediction_id = 'p-3'").run();
      edit.prepare("UPDATE predictions SET attachment_names = 'Formular.pdf' WHERE prediction_id = 'p-4'").run();
      edit.close();
      await expect(store.getPrediction('p-1')).rejects.toThrow("A stored row's labels is not an object of labels: the database holds data this version did not write.");
      await expect(store.findPredictionByEmail('e-2')).rejects.toThrow("A stored row's latency_ms is not a number");
      await expect(store.getPrediction('p-3')).rejects.toThrow("A stored row's attachment_names is not an array of names");
      await expect(store.getPrediction('p-4')).rejects.toThrow("A stored row's attachment_names is not an array of names");
    } finally {
      await store.close();
    }
  });

  it('refuses a file of a newer mailroute, changing nothing in it', () => {
    const file = path.join(dir, 'newer', 'mailroute.db');
    mkdirSync(path.dirname(file), { recursive: true });
    const newer = new Database(file);
    newer.pragma(`user_version = ${STORE_SCHEMA_VERSION + 1}`);
    newer.close();
    const before = readFileSync(file);
    expect(() => createSqliteStore({ file, retentionDays: 0 })).toThrow(`written by a newer mailroute (data version ${STORE_SCHEMA_VERSION + 1}; this one reads up to ${STORE_SCHEMA_VERSION}): run that version, or move the file aside`);
    // Not a byte changed (not even WAL mode in its header), no WAL file left.
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses to open a database file its user may not write (mode 0444), saying so and what to do, and leaves no -wal or -shm file', async (ctx) => {
    // SQLite opened such a file read-only without a word: the server said it was ready and every prediction and
    // feedback failed to be stored (feedback 500 STORE_FAILED).
    const file = path.join(dir, 'mode-0444', 'mailroute.db');
    await createSqliteStore({ file, retentionDays: 0 }).close();
    chmodSync(file, 0o444);
    const said = openAsModeBound(file);
    if (said === undefined) return ctx.skip('running as root without setpriv able to drop CAP_DAC_OVERRIDE: a file mode 0444 cannot be provoked here');
    expect(said).toMatch(/^STORE_FAILED: Cannot open the SQLite store at .*mode-0444\/mailroute\.db: it is read-only for the server's user \(uid \d+\), who may not write .*mailroute\.db \(mode 0444, owner uid \d+\)\./);
    expect(said).toContain('chmod 600 ');
    for (const f of [`${file}-wal`, `${file}-shm`]) expect(existsSync(f), f).toBe(false);
  }, 30_000);

  it('checkWritable: a connection SQLite opened read-only fails it, a writable one passes, unchanged; a write lock held elsewhere is no failure', () => {
    const file = path.join(dir, 'probe', 'mailroute.db');
    mkdirSync(path.dirname(file), { recursive: true });
    const writable = new Database(file);
    writable.pragma('journal_mode = WAL');
    writable.pragma('user_version = 3');
    checkWritable(writable);
    expect(writable.inTransaction).toBe(false);
    expect(writable.pragma('user_version', { simple: true })).toBe(3);
    // What SQLite falls back to for a file it may not write; better-sqlite3's own `readonly` does not tell that fallback.
    const readOnly = new Database(file, { readonly: true });
    expect(() => checkWritable(readOnly)).toThrow(/readonly database/);
    expect(readOnly.inTransaction).toBe(false);
    readOnly.close();
    const other = new Database(file);
    other.pragma('busy_timeout = 0');
    writable.exec('BEGIN IMMEDIATE');
    expect(() => checkWritable(other)).not.toThrow();
    writable.exec('ROLLBACK');
    other.close();
    writable.close();
  });

  it('says why an open failed as the runtime log does: a full disk, a read-only file system, a file its user may not write', () => {
    const file = '/srv/mailroute/mailroute.db';
    const sqlite = (code: string, message: string) => Object.assign(new Error(message), { name: 'SqliteError', code });
    // A full disk at open: SQLite says only "disk I/O error" (it could not grow the -shm file).
    expect(openFailureMessage(file, sqlite('SQLITE_IOERR_SHMSIZE', 'disk I/O error'), { notWritable: [], freeBytes: 0 })).toBe(
      'Cannot open the SQLite store at /srv/mailroute/mailroute.db: the disk is full (0 bytes free on the file system of /srv/mailroute). Free space there, then start the server again. (SqliteError: disk I/O error)',
    );
    expect(openFailureMessage(file, sqlite('SQLITE_FULL', 'database or disk is full'), { notWritable: [], freeBytes: 4096 })).toMatch(/: the disk is full \(4096 bytes free/);
    // An I/O error with space left is no full disk.
    expect(openFailureMessage(file, sqlite('SQLITE_IOERR_READ', 'disk I/O error'), { notWritable: [], freeBytes: 10 ** 9 })).toMatch(/: the disk failed to read or write it \(an I\/O error/);
    // A read-only file system with a database on it: "unable to open database file".
    expect(openFailureMessage(file, sqlite('SQLITE_CANTOPEN', 'unable to open database file'), { notWritable: [{ path: '/srv/mailroute', code: 'EROFS' }, { path: file, code: 'EROFS' }] })).toMatch(
      /^Cannot open the SQLite store at \/srv\/mailroute\/mailroute\.db: its file system is read-only .*remount it read-write/,
    );
    expect(openFailureMessage(file, Object.assign(new Error(`EROFS: read-only file system, open '${file}'`), { code: 'EROFS' }), { notWritable: [] })).toMatch(/: its file system is read-only/);
    // The folder its user may not write: SQLite makes the -wal and -shm files there.
    expect(openFailureMessage(file, sqlite('SQLITE_CANTOPEN', 'unable to open database file'), { notWritable: [{ path: '/srv/mailroute', code: 'EACCES', mode: '0555', uid: 0 }], uid: 1000 })).toMatch(
      /it is read-only for the server's user \(uid 1000\), who may not write \/srv\/mailroute \(mode 0555, owner uid 0\)/,
    );
    // A damaged file is no permission or disk problem, whatever the file system says.
    expect(openFailureMessage(file, sqlite('SQLITE_NOTADB', 'file is not a database'), { notWritable: [{ path: file, code: 'EACCES' }] })).toBe(
      'Cannot open the SQLite store at /srv/mailroute/mailroute.db: it is damaged, or no SQLite database (SQLite: file is not a database). Restore it from a backup (mailroute backup), deleting any mailroute.db-wal and -shm beside it first, or move the three files aside to start with an empty store; then start the server again.',
    );
    // A path longer than SQLite opens (SQLITE_MAX_PATHNAME, 512 bytes with -journal added): SQLite says only "unable to open database file".
    const long = `/srv/${'m'.repeat(500)}/mailroute.db`;
    expect(openFailureMessage(long, sqlite('SQLITE_CANTOPEN', 'unable to open database file'), { notWritable: [] })).toBe(
      `Cannot open the SQLite store at ${long}: its path is too long for SQLite (518 bytes; SQLite opens no file whose path, with -journal added, is over 512 bytes). Set MAILROUTE_HOME (or --home) to a folder with a shorter path, moving the home's files there; then start the server again.`,
    );
  });

  it.each(['thread', 'inline'] as const)('reports a retention prune that deleted records: how many of each, and its time; nothing for one that deleted none (writes %s)', async (writer) => {
    const file = path.join(dir, `prune-report-${writer}`, 'mailroute.db');
    const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const first = createSqliteStore({ file, retentionDays: 0, writer });
    // More than one batch, counted over all of them.
    const many = Array.from({ length: PRUNE_BATCH + 5 }, (_, i) => record(`old-${i}`, `e-old-${i}`, old));
    await first.savePredictions([...many, record('new', 'e-new', new Date().toISOString())]);
    await first.saveFeedback({ emailId: 'e-old-1', labels: { queue: 'billing' }, closedAt: old, receivedAt: old });
    await first.close();
    const reports: PruneReport[] = [];
    const errors: unknown[] = [];
    const again = createSqliteStore({ file, retentionDays: 7, writer, onPruned: (r) => reports.push(r), onPruneError: (e) => errors.push(e), onError: (e) => errors.push(e) });
    await again.listPairs({ since: '2000-01-01T00:00:00Z' });
    for (let i = 0; i < 100 && reports.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await again.close();
    expect(errors).toEqual([]);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ predictions: PRUNE_BATCH + 5, feedback: 1 });
    expect(reports[0].before < new Date(Date.now() - 7 * 86_400_000 + 60_000).toISOString()).toBe(true);
    expect(reports[0].durationMs).toBeGreaterThan(0);
    // Nothing left past the retention: no report.
    const third = createSqliteStore({ file, retentionDays: 7, writer, onPruned: (r) => reports.push(r) });
    await third.listPairs({ since: '2000-01-01T00:00:00Z' });
    await new Promise((r) => setTimeout(r, 50));
    await third.close();
    expect(reports).toHaveLength(1);
  });

  it('tells a failed retention prune to onPruneError with its cutoff, not to onError as lost predictions', async () => {
    const file = path.join(dir, 'prune-fails', 'mailroute.db');
    const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const first = createSqliteStore({ file, retentionDays: 0 });
    await first.savePredictions([record('old', 'e-old', old), record('new', 'e-new', new Date().toISOString())]);
    await first.close();
    const raw = new Database(file);
    raw.exec("CREATE TRIGGER refuse BEFORE DELETE ON predictions BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");
    raw.close();
    const failures: Array<{ error: Error; before: string }> = [];
    const lost: number[] = [];
    const store = createSqliteStore({ file, retentionDays: 7, onPruneError: (error, before) => failures.push({ error, before }), onError: (_e, records) => lost.push(records) });
    for (let i = 0; i < 100 && failures.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await store.close();
    expect(lost).toEqual([]);
    expect(failures).toHaveLength(1);
    expect(String(failures[0].error.cause)).toContain('refused by the test');
    expect(failures[0].before).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('tells a retention prune that found the database locked past the busy timeout as that (503 STORE_UNAVAILABLE), not as a generic failure', async () => {
    const file = path.join(dir, 'prune-locked', 'mailroute.db');
    const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const first = createSqliteStore({ file, retentionDays: 0 });
    await first.savePredictions([record('old', 'e-old', old), record('new', 'e-new', new Date().toISOString())]);
    await first.close();
    const failures: Error[] = [];
    const store = createSqliteStore({ file, retentionDays: 7, onPruneError: (error) => failures.push(error) });
    // Another connection (a sqlite3 shell) takes the write lock before the writer thread's prune, for longer than its 5 s.
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    try {
      for (let i = 0; i < 400 && failures.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await store.close();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringMatching(/locked by another connection/) });
  }, 30_000);

  it('uses WAL and round-trips predictions and feedback through a reopen', async () => {
    const file = path.join(dir, 'a', 'mailroute.db');
    // Yesterday, not a fixed date: the reopen prunes what is past the default retention (400 days).
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const store = createSqliteStore({ file });
    await store.savePredictions([record('p1', 'e1', `${yesterday}T10:00:00.000Z`), record('p2', 'e1', `${yesterday}T10:05:00.000Z`)]);
    await store.saveFeedback({ emailId: 'e1', labels: { queue: 'general' }, closedAt: `${yesterday}T11:00:00Z`, receivedAt: `${yesterday}T11:00:01Z` });
    await store.saveFeedback({ emailId: 'e1', predictionId: 'p2', labels: { queue: 'billing' }, closedAt: `${yesterday}T12:00:00Z`, receivedAt: `${yesterday}T12:00:01Z` });
    // A correction that arrives late but closed earlier loses to the newer one (as in the DynamoDB store).
    await store.saveFeedback({ emailId: 'e1', labels: { queue: 'stale' }, closedAt: `${yesterday}T11:30:00Z`, receivedAt: `${yesterday}T12:30:00Z` });
    await store.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.prepare('SELECT COUNT(*) AS n FROM feedback').get()).toEqual({ n: 1 });
    raw.close();
    const again = createSqliteStore({ file });
    expect(await again.getPrediction('p1')).toEqual(record('p1', 'e1', `${yesterday}T10:00:00.000Z`));
    expect((await again.findPredictionByEmail('e1'))?.predictionId).toBe('p2');
    const pairs = await again.listPairs({ since: `${yesterday}T10:01:00.000Z` });
    expect(pairs).toHaveLength(1);
    expect(pairs[0].feedback).toMatchObject({ predictionId: 'p2', labels: { queue: 'billing' } });
    expect(await again.getPrediction('none')).toBeUndefined();
    await again.close();
    await expect(again.getPrediction('p1')).rejects.toMatchObject({ code: 'STORE_FAILED' });
  });

  it('keeps every field of queued predictions through the writer thread (several tasks, text, unicode)', async () => {
    const file = path.join(dir, 'fields', 'mailroute.db');
    const store = createSqliteStore({ file });
    const full: PredictionRecord = {
      ...record('f1', 'crm-ß-"1"', '2026-11-29T10:00:00.000Z'),
      labels: { business_area: 'savings', queue: 'tax_documents' },
      confidences: { business_area: 0.80379, queue: 0.30000000000000004 },
      abstained: { business_area: false, queue: true },
      queue: 'manual_triage',
      text: 'Grüße, Konto [IBAN] 😀',
    };
    const plain = record('f2', 'e2', '2026-11-29T10:00:01.000Z');
    expect(store.queuePredictions?.([full])).toBeUndefined();
    expect(store.queuePredictions?.([plain])).toBeUndefined();
    expect(await store.getPrediction('f1')).toEqual(full);
    expect(await store.getPrediction('f2')).toEqual(plain);
    await store.close();
  });

  it('checkpoints the WAL into the database file on its own thread, without waiting for the backstop', async () => {
    const file = path.join(dir, 'ckpt', 'mailroute.db');
    const store = createSqliteStore({ file });
    await store.savePredictions(Array.from({ length: 50 }, (_, i) => record(`c${i}`, `e${i}`, '2026-11-29T10:00:00.000Z')));
    // The main file alone (no -wal beside it) holds the rows only once a checkpoint has copied them.
    const rowsInMainFile = () => {
      const copy = path.join(dir, 'ckpt', `copy-${Date.now()}.db`);
      copyFileSync(file, copy);
      const raw = new Database(copy, { readonly: true });
      try {
        // Before the first checkpoint even the table is only in the WAL.
        const table = raw.prepare("SELECT 1 FROM sqlite_master WHERE name = 'predictions'").get();
        return table === undefined ? 0 : (raw.prepare('SELECT COUNT(*) AS n FROM predictions').get() as { n: number }).n;
      } catch (error) {
        // A copy taken while the checkpoint writes the file can be torn: look again at the next one.
        if ((error as { code?: string }).code === 'SQLITE_CORRUPT') return -1;
        throw error;
      } finally {
        raw.close();
      }
    };
    let rows = rowsInMainFile();
    for (let i = 0; i < 50 && rows < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      rows = rowsInMainFile();
    }
    expect(rows).toBe(50);
    await store.close();
  });
});

// Writes run on a writer thread for files and on this thread for `:memory:`; both keep the same contract.
type Extra = Pick<SqliteStoreOptions, 'onError'>;
const modes = [
  { name: 'writer thread (file)', open: (n: string, extra: Extra = {}) => createSqliteStore({ file: path.join(dir, `${n}.db`), ...extra }) },
  { name: 'inline (:memory:)', open: (_n: string, extra: Extra = {}) => createSqliteStore({ file: ':memory:', ...extra }) },
];

describe.each(modes)('writes through the $name', ({ open }) => {
  it('rejects a duplicate prediction id with a coded error', async () => {
    const store = open('dup');
    await store.savePredictions([record('p1', 'e1', '2026-11-29T10:00:00.000Z')]);
    await expect(store.savePredictions([record('p1', 'e1', '2026-11-29T10:00:00.000Z')])).rejects.toMatchObject({ code: 'STORE_FAILED' });
    await store.close();
  });

  it('commits concurrent saves together and isolates a failing one', async () => {
    const store = open('group');
    await store.savePredictions([record('dup', 'e0', '2026-11-29T09:00:00.000Z')]);
    const results = await Promise.allSettled([
      store.savePredictions([record('a', 'e1', '2026-11-29T10:00:00.000Z')]),
      store.savePredictions([record('dup', 'e2', '2026-11-29T10:00:00.000Z')]),
      store.savePredictions([record('b', 'e3', '2026-11-29T10:00:00.000Z'), record('c', 'e4', '2026-11-29T10:00:00.000Z')]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const pairs = await store.listPairs({ since: '2026-11-29T10:00:00.000Z' });
    expect(pairs.map((p) => p.prediction.predictionId).sort()).toEqual(['a', 'b', 'c']);
    await store.close();
  });

  it('does not wait for queued predictions, reads them back, and reports a failed one to onError', async () => {
    const errors: unknown[] = [];
    const lost: number[] = [];
    const store = open('queued', { onError: (error, records) => void (errors.push(error), lost.push(records)) });
    await store.savePredictions([record('q0', 'e0', '2026-11-29T10:00:00.000Z')]);
    expect(store.queuePredictions?.([record('q1', 'e1', '2026-11-29T10:00:00.000Z')])).toBeUndefined();
    expect(store.queuePredictions?.([record('q0', 'e2', '2026-11-29T10:00:00.000Z'), record('q2', 'e3', '2026-11-29T10:00:00.000Z')])).toBeUndefined();
    // A read first waits for what was queued before it; the write with the duplicate id failed alone, its two records with it.
    expect((await store.getPrediction('q1'))?.emailId).toBe('e1');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'STORE_FAILED' });
    expect(lost).toEqual([2]);
    expect(await store.findPredictionByEmail('e2')).toBeUndefined();
    expect(await store.findPredictionByEmail('e3')).toBeUndefined();
    await store.close();
  });

  it('fails a malformed record alone, on the writer thread path too, and stores the others', async () => {
    const errors: unknown[] = [];
    const lost: number[] = [];
    const store = open('malformed', { onError: (error, records) => void (errors.push(error), lost.push(records)) });
    const bad = { ...record('m1', 'e1', '2026-11-29T10:00:00.000Z'), confidences: { queue: 'high' } } as unknown as PredictionRecord;
    expect(store.queuePredictions?.([bad])).toBeUndefined();
    expect(store.queuePredictions?.([record('m2', 'e2', '2026-11-29T10:00:00.000Z')])).toBeUndefined();
    await expect(store.savePredictions([bad])).rejects.toMatchObject({ code: 'STORE_FAILED' });
    expect(await store.getPrediction('m2')).toEqual(record('m2', 'e2', '2026-11-29T10:00:00.000Z'));
    expect(await store.getPrediction('m1')).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(lost).toEqual([1]);
    expect(String((errors[0] as Error).cause)).toMatch(/confidences of numbers/);
    await store.close();
  });

  it('is readable as soon as a save resolves, commits what was queued before close, then refuses', async () => {
    const store = open('close');
    await store.savePredictions([record('r1', 'e1', '2026-11-29T10:00:00.000Z')]);
    expect((await store.getPrediction('r1'))?.emailId).toBe('e1');
    const queued = store.saveFeedback({ emailId: 'e1', predictionId: 'r1', labels: { queue: 'billing' }, closedAt: '2026-11-29T11:00:00Z', receivedAt: '2026-11-29T11:00:01Z' });
    await store.close();
    await expect(queued).resolves.toBe('recorded');
    await expect(store.savePredictions([record('r2', 'e2', '2026-11-29T10:00:00.000Z')])).rejects.toMatchObject({ code: 'STORE_FAILED' });
  });
});

describe('queued predictions on the writer thread', () => {
  it('are committed within the buffer time with nobody reading, and close commits the rest', async () => {
    const file = path.join(dir, 'buffer', 'mailroute.db');
    const store = createSqliteStore({ file, bufferMs: 20 });
    store.queuePredictions?.([record('b1', 'e1', '2026-11-29T10:00:00.000Z')]);
    const raw = new Database(file, { readonly: true });
    const count = () => (raw.prepare('SELECT COUNT(*) AS n FROM predictions').get() as { n: number }).n;
    for (let i = 0; i < 100 && count() === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(count()).toBe(1);
    store.queuePredictions?.([record('b2', 'e2', '2026-11-29T10:00:00.000Z')]);
    await store.close();
    expect(count()).toBe(2);
    raw.close();
  });

  it('with bufferMs 0 has no queue, so each prediction is committed before its save resolves', () => {
    const store = createSqliteStore({ file: path.join(dir, 'strict.db'), bufferMs: 0 });
    expect(store.queuePredictions).toBeUndefined();
    return store.close();
  });

  it('asks the caller to wait once too many writes wait for their commit', async () => {
    const store = createSqliteStore({ file: path.join(dir, 'backlog.db'), bufferMs: 1000, retentionDays: 0 });
    let waitedAt = -1;
    let wait: Promise<void> | undefined;
    for (let i = 0; i <= BACKLOG_LIMIT && wait === undefined; i++) {
      wait = store.queuePredictions?.([record(`k${i}`, `e${i}`, '2026-11-29T10:00:00.000Z')]);
      if (wait) waitedAt = i;
    }
    expect(waitedAt).toBe(BACKLOG_LIMIT);
    await expect(wait).resolves.toBeUndefined();
    expect((await store.listPairs({ since: '2026-11-29T00:00:00.000Z' })).length).toBe(BACKLOG_LIMIT + 1);
    await store.close();
  });

  it('asks the caller to wait once the queued writes hold too many records, however few the writes', async () => {
    const store = createSqliteStore({ file: path.join(dir, 'backlog-records.db'), bufferMs: 1000, retentionDays: 0 });
    const batch = (i: number) => Array.from({ length: 256 }, (_, k) => record(`b${i}-${k}`, `e${i}-${k}`, '2026-11-29T10:00:00.000Z'));
    let waitedAt = -1;
    let wait: Promise<void> | undefined;
    for (let i = 0; i < 400 && wait === undefined; i++) {
      wait = store.queuePredictions?.(batch(i));
      if (wait) waitedAt = i;
    }
    // The write that finds 50,000 records queued (196 batches of 256 hold 50,176) waits for its commit.
    expect(waitedAt).toBe(Math.ceil(BACKLOG_RECORDS_LIMIT / 256));
    await expect(wait).resolves.toBeUndefined();
    await store.close();
  }, 60_000);
});

describePredictionStoreContract('SQLite', () => createSqliteStore({ file: ':memory:', retentionDays: 0 }));
