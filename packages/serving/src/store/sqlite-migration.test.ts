import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore, STORE_SCHEMA_VERSION, type UpgradeReport } from './sqlite-store.js';
import { StoreError } from '../errors.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The tables as mailroute wrote them at data version 3 (no `feedback.key_id` yet). */
const TABLES_V3 = `CREATE TABLE predictions (prediction_id TEXT PRIMARY KEY, email_id TEXT NOT NULL, model_id TEXT NOT NULL, created_at TEXT NOT NULL, labels TEXT NOT NULL,
  confidences TEXT NOT NULL, abstained TEXT NOT NULL, queue TEXT NOT NULL, latency_ms REAL NOT NULL, text TEXT, bank TEXT, received_at TEXT, automated TEXT, attachment_names TEXT);
  CREATE TABLE feedback (email_id TEXT PRIMARY KEY, prediction_id TEXT, labels TEXT NOT NULL, closed_at TEXT NOT NULL, received_at TEXT NOT NULL);`;

/** A file as a data-version-3 mailroute left it (WAL mode), with one prediction and its feedback unless `empty`. */
function fileOfVersion3(file: string, empty = false): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const old = new Database(file);
  old.pragma('journal_mode = WAL');
  old.exec(TABLES_V3);
  if (!empty) {
    old.prepare("INSERT INTO predictions VALUES ('p-old', 'e-old', 'm', '2026-12-01T10:00:00.000Z', '{\"queue\":\"loans\"}', '{\"queue\":0.9}', '{\"queue\":false}', 'loans', 1.5, NULL, NULL, NULL, NULL, NULL)").run();
    old.prepare("INSERT INTO feedback VALUES ('e-old', 'p-old', '{\"queue\":\"loans\"}', '2026-12-01T11:00:00.000Z', '2026-12-01T11:00:01.000Z')").run();
  }
  old.pragma('user_version = 3');
  old.close();
}

/** The data version, the feedback rows and the columns of `feedback` of a database file, read read-only. */
function contents(file: string): { version: number; feedback: unknown[]; columns: string[] } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return {
      version: db.pragma('user_version', { simple: true }) as number,
      feedback: db.prepare('SELECT email_id, labels FROM feedback ORDER BY email_id').all(),
      columns: (db.prepare("SELECT name FROM pragma_table_info('feedback')").all() as Array<{ name: string }>).map((c) => c.name),
    };
  } finally {
    db.close();
  }
}

/**
 * Opens a store at `file` as a user file modes apply to, and says `opened` or the error's message: this process when
 * it is not root; as root, a child without the capabilities that let root write any file (`setpriv`, util-linux).
 * Undefined when no such process can be had here.
 */
function openAsModeBound(file: string): string | undefined {
  if (process.getuid?.() !== 0) {
    try {
      void createSqliteStore({ file, retentionDays: 0 }).close();
      return 'opened';
    } catch (error) {
      return (error as Error).message;
    }
  }
  const script = `
    const [storeModule, file] = process.argv.slice(1);
    const { createSqliteStore } = await import(storeModule);
    try { await createSqliteStore({ file, retentionDays: 0 }).close(); console.log('opened'); } catch (error) { console.log(error.message); }`;
  const storeModule = fileURLToPath(new URL('./sqlite-store.ts', import.meta.url));
  const run = spawnSync('setpriv', ['--bounding-set=-dac_override,-dac_read_search', process.execPath, '--import', 'tsx', '--input-type=module', '-e', script, storeModule, file], { encoding: 'utf8' });
  if (run.error !== undefined || run.status !== 0) return undefined;
  return run.stdout.trim();
}

const copiesIn = (folder: string) => readdirSync(folder).filter((name) => /\.v\d+-backup/.test(name));

describe('upgrading a store of an older mailroute', () => {
  it('first keeps a copy of the file beside it, which opens at the old version with the old rows, and says so in one line', async () => {
    const file = path.join(dir, 'copied', 'mailroute.db');
    fileOfVersion3(file);
    // A copy of an earlier upgrade is never overwritten: the new one takes the next name.
    writeFileSync(`${file}.v3-backup`, 'an earlier copy');
    const said: UpgradeReport[] = [];
    const store = createSqliteStore({ file, retentionDays: 0, onUpgraded: (report) => said.push(report) });
    try {
      // Written through the writer thread after the upgrade: in the upgraded file, not in the copy.
      await store.saveFeedback({ emailId: 'e-new', labels: { queue: 'cards' }, closedAt: '2026-12-02T10:00:00.000Z', receivedAt: '2026-12-02T10:00:00.000Z', keyId: 'crm' });
    } finally {
      await store.close();
    }
    const copy = `${file}.v3-backup-2`;
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ file, fromVersion: 3, toVersion: STORE_SCHEMA_VERSION, copy });
    expect(said[0].message).toBe(
      `upgraded the SQLite store at ${file} from data version 3 to ${STORE_SCHEMA_VERSION}; a copy of it as it was (data version 3, which the mailroute that wrote it reads) is at ${copy}. ` +
        `It is kept: delete it once this version serves well. To go back, stop the server, move ${file} and its -wal and -shm files aside and put the copy in its place (what was stored since is then lost)`,
    );
    expect(readFileSync(`${file}.v3-backup`, 'utf8')).toBe('an earlier copy');
    expect(statSync(copy).mode & 0o777).toBe(0o600);
    // The copy: a whole file of version 3 (no -wal beside it), as the older mailroute left it.
    expect(existsSync(`${copy}-wal`)).toBe(false);
    expect(contents(copy)).toEqual({ version: 3, feedback: [{ email_id: 'e-old', labels: '{"queue":"loans"}' }], columns: ['email_id', 'prediction_id', 'labels', 'closed_at', 'received_at'] });
    expect(contents(file)).toMatchObject({ version: STORE_SCHEMA_VERSION, feedback: [{ email_id: 'e-new' }, { email_id: 'e-old' }] });
    expect(contents(file).columns).toContain('key_id');
  });

  it('makes no copy of a new file (and says nothing), nor of an older one that holds no record (said so)', async () => {
    const fresh = path.join(dir, 'fresh', 'mailroute.db');
    const said: UpgradeReport[] = [];
    await createSqliteStore({ file: fresh, retentionDays: 0, onUpgraded: (report) => said.push(report) }).close();
    expect(said).toEqual([]);
    expect(copiesIn(path.dirname(fresh))).toEqual([]);
    expect(contents(fresh).version).toBe(STORE_SCHEMA_VERSION);

    const empty = path.join(dir, 'empty-v3', 'mailroute.db');
    fileOfVersion3(empty, true);
    await createSqliteStore({ file: empty, retentionDays: 0, onUpgraded: (report) => said.push(report) }).close();
    expect(said).toEqual([
      { file: empty, fromVersion: 3, toVersion: STORE_SCHEMA_VERSION, copy: undefined, message: `upgraded the SQLite store at ${empty} from data version 3 to ${STORE_SCHEMA_VERSION}; it held no prediction nor feedback, so no copy was made` },
    ]);
    expect(copiesIn(path.dirname(empty))).toEqual([]);
  });

  // Names the file system takes, whose copy it cannot write, whoever runs the test (root writes a read-only folder;
  // names are at most 255 bytes): 247 bytes, the copy's name (257) refused; 243 bytes, the copy's name taken (253) but
  // not the journal SQLite writes beside it as it fills it (261), so the copy fails half-way.
  it.each([
    { name: `${'m'.repeat(244)}.db`, why: 'ENAMETOOLONG' },
    { name: `${'m'.repeat(240)}.db`, why: '(SqliteError: unable to open database file)' },
  ])('refuses to upgrade when the copy cannot be written ($why), saying where and the space it needs, and leaves the file at its old version', ({ name, why }) => {
    const file = path.join(dir, `long-${name.length}`, name);
    fileOfVersion3(file);
    const said: UpgradeReport[] = [];
    let error: unknown;
    try {
      createSqliteStore({ file, retentionDays: 0, onUpgraded: (report) => said.push(report) });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(StoreError);
    const message = (error as Error).message;
    expect(message).toContain(`Cannot open the SQLite store at ${file}: upgrading its data from version 3 to ${STORE_SCHEMA_VERSION} needs a copy of it first, which could not be written to ${file}.v3-backup (`);
    expect(message).toContain(why);
    expect(message).toMatch(new RegExp(`Nothing was changed: the file is still at data version 3\\. The copy needs about \\d+ bytes free in ${path.dirname(file).replace(/[/.]/g, '\\$&')} \\(\\d+ free now\\)`));
    expect(said).toEqual([]);
    // No half-made copy left.
    expect(copiesIn(path.dirname(file))).toEqual([]);
    expect(contents(file)).toEqual({ version: 3, feedback: [{ email_id: 'e-old', labels: '{"queue":"loans"}' }], columns: ['email_id', 'prediction_id', 'labels', 'closed_at', 'received_at'] });
  });

  it('refuses to upgrade in a folder the server may not create files in, and leaves the file at its old version', (ctx) => {
    const file = path.join(dir, 'read-only', 'mailroute.db');
    fileOfVersion3(file);
    // Held open, so the -wal and -shm files stay (as beside a server that crashed): SQLite can open the file in the folder.
    const holder = new Database(file);
    holder.prepare('SELECT 1').get();
    chmodSync(path.dirname(file), 0o555);
    let said: string | undefined;
    try {
      said = openAsModeBound(file);
    } finally {
      chmodSync(path.dirname(file), 0o755);
      holder.close();
    }
    if (said === undefined) return ctx.skip('running as root without setpriv able to drop CAP_DAC_OVERRIDE: a read-only folder cannot be provoked here');
    expect(said).toContain(`needs a copy of it first, which could not be written to ${file}.v3-backup (EACCES: permission denied). Nothing was changed: the file is still at data version 3.`);
    expect(said).toContain("the server's user must be able to create files there");
    expect(contents(file).version).toBe(3);
    expect(copiesIn(path.dirname(file))).toEqual([]);
  }, 30_000);

  it('says of a failed upgrade that it was rolled back, the file still at its old version, and where the copy is', () => {
    const file = path.join(dir, 'failing', 'mailroute.db');
    mkdirSync(path.dirname(file), { recursive: true });
    // A file of a mailroute from before data versions, whose upgrade (times made UTC) a trigger fails.
    const old = new Database(file);
    old.exec(`CREATE TABLE predictions (prediction_id TEXT PRIMARY KEY, email_id TEXT NOT NULL, model_id TEXT NOT NULL, created_at TEXT NOT NULL, labels TEXT NOT NULL,
      confidences TEXT NOT NULL, abstained TEXT NOT NULL, queue TEXT NOT NULL, latency_ms REAL NOT NULL, text TEXT);
      CREATE TABLE feedback (email_id TEXT PRIMARY KEY, prediction_id TEXT, labels TEXT NOT NULL, closed_at TEXT NOT NULL, received_at TEXT NOT NULL);
      CREATE TRIGGER fail BEFORE UPDATE ON feedback BEGIN SELECT RAISE(ABORT, 'boom'); END;`);
    old.prepare('INSERT INTO feedback VALUES (?, NULL, ?, ?, ?)').run('crm-1', '{"queue":"loans"}', '2026-12-04T14:00:00+01:00', '2026-12-04T13:00:01.000Z');
    old.close();
    expect(() => createSqliteStore({ file, retentionDays: 0, onUpgraded: () => undefined })).toThrow(
      `Cannot open the SQLite store at ${file}: upgrading its data from version 0 to ${STORE_SCHEMA_VERSION} failed, and nothing in it was changed (the upgrade's transaction was rolled back): ` +
        `it is still at data version 0, which the mailroute that wrote it reads. The copy made before the upgrade is at ${file}.v0-backup (kept). Why it failed: SqliteError: boom`,
    );
    const kept = new Database(file, { readonly: true });
    try {
      expect(kept.pragma('user_version', { simple: true })).toBe(0);
      expect(kept.prepare('SELECT closed_at FROM feedback').all()).toEqual([{ closed_at: '2026-12-04T14:00:00+01:00' }]);
      expect((kept.prepare("SELECT name FROM pragma_table_info('predictions')").all() as Array<{ name: string }>).map((c) => c.name)).not.toContain('bank');
    } finally {
      kept.close();
    }
    expect(contents(`${file}.v0-backup`)).toMatchObject({ version: 0, feedback: [{ email_id: 'crm-1' }] });
  });
});
