import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { REGISTRY_LOCK_FILE, withFileLock } from '@mailroute/model';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteStore, DB_FILE, sqliteSnapshotFacts } from '@mailroute/serving';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoChampionFolder, filesUnder, runCli } from '../test-support.js';

const folder = demoChampionFolder('mailroute-cli-restore-', 10);
const { dir, home } = folder;
const run = (argv: string[], at = home) => runCli(argv, { env: { CI: 'true' }, cwd: dir, home: at });
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const mode = (file: string) => statSync(file).mode & 0o777;
const sha256Of = (text: string) => createHash('sha256').update(text).digest('hex');

let umask: number;
beforeEach(() => {
  umask = process.umask(0o022);
});
afterEach(() => void process.umask(umask));

beforeAll(async () => {
  const store = createSqliteStore({ file: path.join(home, DB_FILE), writer: 'inline', bufferMs: 0 });
  const now = new Date().toISOString();
  await store.savePredictions(
    Array.from({ length: 8 }, (_, i) => ({ predictionId: `p-${i}`, emailId: `e-${i}`, modelId: 'm', createdAt: now, labels: { queue: 'payments_transfers' }, confidences: { queue: 0.8 }, abstained: { queue: false }, queue: 'payments_transfers', latencyMs: 1 })),
  );
  await store.saveFeedback({ emailId: 'e-1', labels: { queue: 'tax_documents' }, closedAt: now, receivedAt: now });
  await store.close();
  expect((await run(['serve', '--home', home, '--new-key', 'crm'])).code).toBe(0);
  expect((await run(['backup', '--out', 'bk'])).code).toBe(0);
});

describe('mailroute restore', () => {
  it('restores a backup into a new home: every file as backed up, folders 0700 and files 0600, the same champion and rows', async () => {
    const target = path.join(dir, 'restored');
    const restored = await run(['restore', 'bk', '--home', target]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain(`restored ${path.join(dir, 'bk')}`);
    expect(restored.stdout).toContain('mailroute.db: 8 predictions and 1 feedback');
    expect(restored.stdout).toContain('the server requires keys from its next start');
    const files = (await filesUnder(path.join(dir, 'bk'))).filter((f) => f !== 'backup.json');
    expect(await filesUnder(target)).toEqual(files);
    for (const f of files) {
      expect(sha256(path.join(target, f)), f).toBe(sha256(path.join(dir, 'bk', f)));
      expect(mode(path.join(target, f)), f).toBe(0o600);
    }
    expect([mode(target), mode(path.join(target, 'models'))]).toEqual([0o700, 0o700]);
    expect(sqliteSnapshotFacts(path.join(target, DB_FILE)).rows).toEqual({ predictions: 8, feedback: 1 });
    const champion = (at: string) => run(['registry', 'show', 'champion'], at).then((r) => JSON.parse(r.stdout).id as string);
    expect(await champion(target)).toBe(await champion(home));
    // No staging folder is left, and nothing was moved aside: the home was new.
    expect(readdirSync(target).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('refuses a home that holds records without --replace; with it, moves them aside and keeps other files', async () => {
    const target = path.join(dir, 'twice');
    expect((await run(['restore', 'bk', '--home', target])).code).toBe(0);
    writeFileSync(path.join(target, 'notes.txt'), 'mine');
    const before = sha256(path.join(target, 'registry.json'));
    const refused = await run(['restore', 'bk', '--home', target]);
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining(`${target} holds records (mailroute.db, registry.json, models, runs, api-keys.json): add --replace`)]);
    const replaced = await run(['restore', 'bk', '--home', target, '--replace']);
    expect(replaced.code, replaced.stderr).toBe(0);
    const aside = readdirSync(target).filter((name) => name.startsWith('.before-restore-'));
    expect(aside).toHaveLength(1);
    expect(readdirSync(path.join(target, aside[0])).sort()).toEqual(['api-keys.json', 'mailroute.db', 'models', 'registry.json', 'runs']);
    expect(sha256(path.join(target, aside[0], 'registry.json'))).toBe(before);
    expect(readFileSync(path.join(target, 'notes.txt'), 'utf8')).toBe('mine');
    expect(replaced.stdout).toContain(`the home's records before it: ${path.join(target, aside[0])}`);
  });

  it('refuses while a process holds the home database open, and a backup that is not whole, changing nothing', async () => {
    const target = path.join(dir, 'busy');
    expect((await run(['restore', 'bk', '--home', target])).code).toBe(0);
    const held = new Database(path.join(target, DB_FILE));
    held.pragma('journal_mode = WAL');
    held.prepare('SELECT count(*) FROM predictions').get();
    try {
      const busy = await run(['restore', 'bk', '--home', target, '--replace']);
      expect([busy.code, busy.stderr]).toEqual([1, expect.stringContaining('[RESTORE_HOME_IN_USE] a process holds')]);
      expect(readdirSync(target).filter((name) => name.startsWith('.'))).toEqual([]);
    } finally {
      held.close();
    }
    const tampered = path.join(dir, 'bk-tampered');
    expect((await run(['backup', '--out', 'bk-tampered'])).code).toBe(0);
    writeFileSync(path.join(tampered, 'registry.json'), `${readFileSync(path.join(tampered, 'registry.json'), 'utf8')} `);
    const refused = await run(['restore', 'bk-tampered', '--home', path.join(dir, 'never')]);
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringContaining('[BACKUP_VERIFY_FAILED]')]);
    expect(refused.stderr).toContain('nothing was restored');
    expect(existsSync(path.join(dir, 'never'))).toBe(false);
    // A backup.json that lists a file no backup holds, at the top (whole as listed): it would land on a file of the home.
    const stray = path.join(dir, 'bk-stray');
    cpSync(path.join(dir, 'bk'), stray, { recursive: true });
    writeFileSync(path.join(stray, 'notes.txt'), 'x');
    const manifest = JSON.parse(readFileSync(path.join(stray, 'backup.json'), 'utf8'));
    manifest.files.push({ path: 'notes.txt', bytes: 1, sha256: sha256(path.join(stray, 'notes.txt')) });
    writeFileSync(path.join(stray, 'backup.json'), JSON.stringify(manifest));
    expect((await run(['backup', '--verify', 'bk-stray'])).code).toBe(0);
    const strays = await run(['restore', 'bk-stray', '--home', path.join(dir, 'never')]);
    expect([strays.code, strays.stderr]).toEqual([1, expect.stringContaining('lists "notes.txt", which no mailroute backup holds')]);
    expect(existsSync(path.join(dir, 'never'))).toBe(false);
  });

  it('refuses a backup inside the home and a home inside the backup, and waits for no other writer of the registry', async () => {
    const target = path.join(dir, 'overlap');
    expect((await run(['restore', 'bk', '--home', target])).code).toBe(0);
    cpSync(path.join(dir, 'bk'), path.join(target, 'runs', 'bk'), { recursive: true });
    const inside = await run(['restore', path.join(target, 'runs', 'bk'), '--home', target, '--replace']);
    expect([inside.code, inside.stderr]).toEqual([2, expect.stringContaining('is inside the home')]);
    const around = await run(['restore', 'bk', '--home', path.join(dir, 'bk', 'home')]);
    expect([around.code, around.stderr]).toEqual([2, expect.stringContaining('is inside the backup')]);
    expect((await run(['backup', '--verify', 'bk'])).code).toBe(0);
    // A train registering, or another restore, holds the registry lock: this one does not go on beside it.
    const held = await withFileLock(path.join(target, REGISTRY_LOCK_FILE), () => run(['restore', 'bk', '--home', target, '--replace']));
    expect([held.code, held.stderr]).toEqual([1, expect.stringContaining("registry lock (a train registering, a registry command, or another restore)")]);
    expect(readdirSync(target).filter((name) => name.startsWith('.before-restore-'))).toEqual([]);
  });

  it('removes the staging folder a killed restore left in the home, and says so', async () => {
    const target = path.join(dir, 'killed');
    expect((await run(['restore', 'bk', '--home', target])).code).toBe(0);
    // Process id 2147483646 runs nowhere: the restore that staged there was killed.
    mkdirSync(path.join(target, '.restoring-2147483646-0a1b2c3d', 'models'), { recursive: true });
    const again = await run(['restore', 'bk', '--home', target, '--replace']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('.restoring-2147483646-0a1b2c3d, left by a restore that was killed');
    expect(readdirSync(target).filter((name) => name.startsWith('.restoring-'))).toEqual([]);
  });

  it('erases again the emails of erasure requests carried out since the backup was made, and keeps the evidence', async () => {
    const target = path.join(dir, 'erased');
    expect((await run(['restore', 'bk', '--home', target])).code).toBe(0);
    const forgot = await run(['feedback', 'forget', '--email-id', 'e-1', '--email-id', 'e-2', '--home', target]);
    expect(forgot.code, forgot.stderr).toBe(0);
    expect(forgot.stdout).toContain(`recorded in ${path.join(target, 'erasures.jsonl')} (the email ids as sha256)`);
    const log = readFileSync(path.join(target, 'erasures.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log).toEqual([{ at: expect.any(String), by: expect.any(String), emailIds: [sha256Of('e-1'), sha256Of('e-2')].sort(), predictions: 2, feedback: 1 }]);
    expect(mode(path.join(target, 'erasures.jsonl'))).toBe(0o600);
    // The backup is older: restored over the home, its e-1 and e-2 are erased again before the files are put in place.
    const restored = await run(['restore', 'bk', '--home', target, '--replace']);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain('erased again: 1 erasure request recorded in erasures.jsonl since the backup was made: 2 emails found, 2 predictions and 1 feedback deleted');
    expect(sqliteSnapshotFacts(path.join(target, DB_FILE)).rows).toEqual({ predictions: 6, feedback: 0 });
    const db = new Database(path.join(target, DB_FILE), { readonly: true });
    expect(db.prepare("SELECT count(*) AS n FROM predictions WHERE email_id IN ('e-1', 'e-2')").get()).toEqual({ n: 0 });
    db.close();
    // The log stays in the home, as the evidence.
    expect(readFileSync(path.join(target, 'erasures.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('refuses, changing nothing, where the home has an erasure log it cannot read', async () => {
    const target = path.join(dir, 'log-unreadable');
    expect((await run(['restore', 'bk', '--home', target])).code).toBe(0);
    const before = sha256(path.join(target, DB_FILE));
    // A folder where the log should be: readable by no one, root included.
    mkdirSync(path.join(target, 'erasures.jsonl'));
    const refused = await run(['restore', 'bk', '--home', target, '--replace']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`cannot read ${path.join(target, 'erasures.jsonl')} (EISDIR)`);
    expect(sha256(path.join(target, DB_FILE))).toBe(before);
    expect(readdirSync(target).filter((name) => name.startsWith('.before-restore-') || name.startsWith('.restoring-'))).toEqual([]);
  });
});
