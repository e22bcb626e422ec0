import { committingWriter, waitFor } from '../committing-writer.js';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createLocalRegistry, withFileLock } from '@mailroute/model';
import { writeLoadableArtifact } from '@mailroute/model/testing';
import { createSqliteStore, DB_FILE, sqliteSnapshotFacts, type PredictionRecord } from '@mailroute/serving';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoChampionFolder, filesUnder, runCli } from '../test-support.js';
import { buildVersion, commitText } from '../build-version.js';
import { BACKUP_HOST_TAG, BackupManifestSchema, type BackupManifest } from './backup.js';

const folder = demoChampionFolder('mailroute-cli-backup-', 10);
const { dir, home } = folder;
const run = (argv: string[], env: Record<string, string> = {}) => runCli(argv, { env: { CI: 'true', ...env }, cwd: dir, home });

function prediction(i: number, text?: string): PredictionRecord {
  return {
    predictionId: `p-${i}`,
    emailId: `e-${i}`,
    modelId: 'ngram-bag-served',
    createdAt: new Date().toISOString(),
    labels: { queue: 'payments_transfers' },
    confidences: { queue: 0.5 },
    abstained: { queue: false },
    queue: 'payments_transfers',
    latencyMs: 1,
    ...(text === undefined ? {} : { text }),
  };
}

/** A store as a server leaves it, written through the serving package's store: `predictions` emails, the first `feedback` confirmed. */
async function servedStore(at: string, predictions: number, feedback: number, text?: string): Promise<void> {
  const store = createSqliteStore({ file: path.join(at, DB_FILE), writer: 'inline', bufferMs: 0 });
  try {
    for (let start = 0; start < predictions; start += 500) {
      await store.savePredictions(Array.from({ length: Math.min(500, predictions - start) }, (_, k) => prediction(start + k, text)));
    }
    const now = new Date().toISOString();
    for (let i = 0; i < feedback; i++) await store.saveFeedback({ emailId: `e-${i}`, labels: { queue: 'payments_transfers' }, closedAt: now, receivedAt: now });
  } finally {
    await store.close();
  }
}

function rows(file: string): { predictions: number; feedback: number; check: string } {
  const facts = sqliteSnapshotFacts(file);
  return { ...facts.rows, check: facts.integrity.join('; ') };
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const mode = (file: string) => statSync(file).mode & 0o777;
/** Entries beside `out` left by an unfinished backup. */
const partials = (out: string) => readdirSync(path.dirname(out)).filter((name) => name.startsWith(`.${path.basename(out)}.partial-`));

let umask: number;
beforeEach(() => {
  // The backup's modes must not come from the umask: the usual 022 would make files 0644.
  umask = process.umask(0o022);
});
afterEach(() => void process.umask(umask));

beforeAll(async () => {
  await servedStore(home, 30, 12);
  expect((await run(['serve', '--home', home, '--new-key', 'crm'])).code).toBe(0);
});

describe('mailroute backup', () => {
  it('copies the database, registry, runs and key file into a 0700 folder of 0600 files, with a manifest that --verify checks', async () => {
    const made = await run(['backup', '--out', 'backups/first']);
    expect(made.code, made.stderr).toBe(0);
    const out = path.join(dir, 'backups', 'first');
    expect(made.stdout).toMatch(/^backed up .* to backups\/first in [\d.]+ s \(\d+ files, .*\):\n/);
    expect(made.stdout).toMatch(/\n {2}mailroute\.db +[\d.]+ kB {2}30 predictions, 12 feedback \(one snapshot; integrity_check ok\)\n/);
    expect(made.stdout).toContain(`champion ${folder.champion.id}`);
    expect(made.stdout).toContain('check it: mailroute backup --verify backups/first\n');

    // Every file of the registry, the runs and the key file, byte for byte; the database through SQLite.
    const source = await filesUnder(home);
    const wanted = source.filter((f) => f === 'registry.json' || f === 'api-keys.json' || f.startsWith('models/') || f.startsWith('runs/'));
    expect(wanted.some((f) => f.startsWith(`models/${folder.champion.id}/`))).toBe(true);
    expect(wanted.some((f) => f.startsWith('runs/'))).toBe(true);
    expect(await filesUnder(out)).toEqual([...wanted, DB_FILE, 'backup.json'].sort());
    for (const f of wanted) expect(sha256(path.join(out, f)), f).toBe(sha256(path.join(home, f)));
    expect(rows(path.join(out, DB_FILE))).toEqual({ predictions: 30, feedback: 12, check: 'ok' });

    // Owner-only, whatever the umask: the copies hold email ids, labels, key hashes.
    for (const f of await filesUnder(out)) expect(mode(path.join(out, f)), f).toBe(0o600);
    const folders = [out, ...readdirSync(out, { recursive: true, encoding: 'utf8' }).map((f) => path.join(out, f)).filter((f) => statSync(f).isDirectory())];
    expect(folders.length).toBeGreaterThan(3);
    for (const f of folders) expect(mode(f), f).toBe(0o700);
    expect(partials(out)).toEqual([]);

    const manifest: BackupManifest = BackupManifestSchema.parse(JSON.parse(readFileSync(path.join(out, 'backup.json'), 'utf8')));
    expect(manifest).toMatchObject({ home, mailrouteVersion: '0.1.0', database: { rows: { predictions: 30, feedback: 12 } }, registry: { champion: folder.champion.id, models: [folder.champion.id] } });
    // Which build made it: the commit of the checkout the tests run from (none when they run outside one).
    const build = commitText(buildVersion());
    expect(manifest.mailrouteCommit).toBe(build);
    // A backup of a mailroute from before the commit was recorded is still read.
    const { mailrouteCommit: _recorded, ...older } = manifest;
    expect(BackupManifestSchema.parse(older)).not.toHaveProperty('mailrouteCommit');
    expect(manifest.files.map((f) => f.path)).toEqual([...wanted, DB_FILE].sort());
    for (const f of manifest.files) expect({ path: f.path, bytes: f.bytes, sha256: f.sha256 }).toEqual({ path: f.path, bytes: statSync(path.join(out, f.path)).size, sha256: sha256(path.join(out, f.path)) });

    const verified = await run(['backup', '--verify', 'backups/first']);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toContain(`match the sizes and sha256 of backup.json\n  mailroute.db: integrity_check ok; 30 predictions and 12 feedback, as recorded\n`);
    expect(verified.stdout).toContain(` by mailroute 0.1.0${build === undefined ? '' : ` (commit ${build})`}\n`);

    // --json prints the manifest.
    const json = await run(['backup', '--out', 'backups/second', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(BackupManifestSchema.parse(JSON.parse(json.stdout)).files.length).toBe(manifest.files.length);

    // A changed file, and one added, are found.
    const onnx = path.join(out, 'models', folder.champion.id, 'model.onnx');
    const bytes = readFileSync(onnx);
    bytes[100] ^= 1;
    writeFileSync(onnx, bytes);
    writeFileSync(path.join(out, 'stray.txt'), 'x');
    const tampered = await run(['backup', '--verify', out]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(/^mailroute: \[BACKUP_VERIFY_FAILED\] .*: 2 problems: models\/.*\/model\.onnx: its sha256 differs from backup\.json's .*; stray\.txt: not listed in backup\.json\n$/);
    expect(tampered.stdout).toContain('does not match its backup.json:\n');

    // A changed database: whether SQLite still reads it whole is said, for whoever has no other backup.
    const third = path.join(dir, 'backups', 'third');
    expect((await run(['backup', '--out', 'backups/third'])).code).toBe(0);
    cpSync(third, `${third}-damaged`, { recursive: true });
    const db = readFileSync(path.join(third, DB_FILE));
    // The last page's last bytes (free space in so small a file), then the header's page size.
    db.write('zzzz', db.length - 8);
    writeFileSync(path.join(third, DB_FILE), db);
    const readable = await run(['backup', '--verify', third]);
    expect([readable.code, readable.stderr]).toEqual([1, expect.stringContaining('note: mailroute.db is not as backed up, but SQLite reads it whole (integrity_check ok): 30 predictions and 12 feedback, backup.json recorded 30 and 12')]);
    const damaged = readFileSync(path.join(`${third}-damaged`, DB_FILE));
    damaged.write('zzzzzzzz', 100);
    writeFileSync(path.join(`${third}-damaged`, DB_FILE), damaged);
    const broken = await run(['backup', '--verify', `${third}-damaged`]);
    expect([broken.code, broken.stderr]).toEqual([1, expect.stringContaining('note: mailroute.db is not as backed up, and is damaged: ')]);

    // A listed file moved out and a link to it left in its place: the same bytes, but the backup holds no copy of them.
    const second = path.join(dir, 'backups', 'second');
    renameSync(path.join(second, 'registry.json'), path.join(dir, 'registry-elsewhere.json'));
    symlinkSync(path.join(dir, 'registry-elsewhere.json'), path.join(second, 'registry.json'));
    const linked = await run(['backup', '--verify', second]);
    expect([linked.code, linked.stderr]).toEqual([1, expect.stringContaining(`registry.json: a link (to ${path.join(dir, 'registry-elsewhere.json')}), not the file itself`)]);
  });

  it('takes one snapshot while another process keeps committing: every commit before it is in, and nothing half', async () => {
    const own = mkdtempSync(path.join(dir, 'busy-'));
    const db = path.join(own, DB_FILE);
    // Some MB of text, so the copy takes a while; the writer's commits stay in the WAL (no checkpoint), which a copy of the file alone would miss.
    await servedStore(own, 1500, 0, 'Guten Tag, bitte überweisen Sie '.repeat(60));
    const writer = committingWriter(db);
    try {
      await waitFor(() => rows(db).feedback >= 200);
      const before = rows(db).predictions;
      const made = await runCli(['backup', '--home', own, '--out', path.join(own, 'snap')], { env: { CI: 'true' }, cwd: own });
      const after = rows(db).predictions;
      expect(made.code, made.stderr).toBe(0);
      expect(writer.exitCode, 'the writer went on committing').toBeNull();
      expect(after).toBeGreaterThan(before);
      const copied = rows(path.join(own, 'snap', DB_FILE));
      expect(copied.check).toBe('ok');
      expect(copied.predictions).toBeGreaterThanOrEqual(before);
      expect(copied.predictions).toBeLessThanOrEqual(after);
      // Each commit wrote a prediction and its feedback: a snapshot holds both or neither.
      expect(copied.feedback).toBe(copied.predictions - 1500);
      expect(made.stdout).toContain(`${copied.predictions} predictions, ${copied.feedback} feedback`);
      expect(made.stdout).toMatch(/\n {2}registry\.json +- {2}none in the home: no model registered there\n/);
      // No key file in the home: what is known, not a guess that the server runs without keys (it may read --api-keys <file>).
      expect(made.stdout).toMatch(
        /\n {2}api-keys\.json +- {2}none in the home \(a server started with --api-keys <file> keeps its keys in that file, which this backup does not hold: back it up with --api-keys <file>\)\n/,
      );
      expect(made.stdout).not.toContain('runs without API keys');
    } finally {
      writer.kill();
    }
  }, 30_000);

  it('waits for a registry write to finish, so no model listed is left out and none pruned is kept', async () => {
    const own = mkdtempSync(path.join(dir, 'locked-'));
    const registry = createLocalRegistry({ home: own });
    await registry.register(artifact('m-old'));
    let backup: Promise<Awaited<ReturnType<typeof runCli>>> | undefined;
    // A writer (each holds the lock) that lists a version before its folder is whole, and prunes another: the backup,
    // started meanwhile, must not copy an index that lists a folder it did not find, nor keep the pruned one's copy.
    const indexFile = path.join(own, 'registry.json');
    type Index = { versions: { id: string; version: number; prunedAt?: string }[] };
    await withFileLock(path.join(own, 'registry.lock'), async () => {
      const index = JSON.parse(readFileSync(indexFile, 'utf8')) as Index;
      index.versions.push({ ...index.versions[0], id: 'm-new', version: 2 });
      writeFileSync(indexFile, JSON.stringify(index));
      backup = runCli(['backup', '--home', own, '--out', path.join(own, 'out')], { env: { CI: 'true' }, cwd: own });
      await new Promise((resolve) => setTimeout(resolve, 400));
      cpSync(path.join(own, 'models', 'm-old'), path.join(own, 'models', 'm-new'), { recursive: true });
      index.versions[0].prunedAt = new Date().toISOString();
      writeFileSync(indexFile, JSON.stringify(index));
      rmSync(path.join(own, 'models', 'm-old'), { recursive: true });
    });
    const made = await (backup as Promise<Awaited<ReturnType<typeof runCli>>>);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stderr).toBe('');
    expect(await filesUnder(path.join(own, 'out', 'models'))).toEqual(['m-new/manifest.json', 'm-new/model.onnx']);
    expect(made.stdout).toMatch(/registry\.json +\S+ B {2}2 versions, champion none\n {2}models\/ +\S+ kB {2}1 model, 2 files\n/);
    expect((await runCli(['backup', '--verify', path.join(own, 'out')], { env: {}, cwd: own })).code).toBe(0);
  });

  it('refuses a folder that is not empty, a home without mailroute data, and a call without --out or --verify', async () => {
    mkdirSync(path.join(dir, 'full'));
    writeFileSync(path.join(dir, 'full', 'mine.txt'), 'x');
    const full = await run(['backup', '--out', 'full']);
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(/^mailroute: \[OUTPUT_PATH_INVALID\] --out full exists and is not empty: a backup goes into a new \(or empty\) folder/);
    expect(readdirSync(path.join(dir, 'full'))).toEqual(['mine.txt']);

    // An empty folder is taken (a mount point made for it, say).
    mkdirSync(path.join(dir, 'empty'));
    const empty = await run(['backup', '--out', 'empty']);
    expect(empty.code, empty.stderr).toBe(0);
    expect(mode(path.join(dir, 'empty'))).toBe(0o700);

    const nothing = mkdtempSync(path.join(dir, 'nothing-'));
    const none = await run(['backup', '--home', nothing, '--out', 'x']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^mailroute: \[BACKUP_HOME_EMPTY\] .* holds no mailroute data/);
    const missing = await runCli(['backup', '--out', 'x'], { env: { MAILROUTE_HOME: path.join(dir, 'no-such-home') }, cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^mailroute: \[BACKUP_HOME_NOT_FOUND\] MAILROUTE_HOME=.*no-such-home does not exist/);
    expect(existsSync(path.join(dir, 'x'))).toBe(false);

    const neither = await run(['backup']);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('give --out <dir> to make a backup, or --verify <dir> to check one');
    const inside = await run(['backup', '--out', path.join(home, 'models', 'b')]);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toContain(`is in ${path.join(home, 'models')}, which the backup copies: choose a folder outside it`);
    // Through a link to the home, the folder not there yet: the same place.
    symlinkSync(home, path.join(dir, 'home-link'));
    const linked = await run(['backup', '--out', path.join(dir, 'home-link', 'models', 'zz')]);
    expect([linked.code, linked.stderr]).toEqual([2, expect.stringContaining(`which the backup copies: choose a folder outside it`)]);
    expect(existsSync(path.join(home, 'models', 'zz'))).toBe(false);
    // A link to a non-empty folder is that folder: not empty, not "not a folder".
    expect((await run(['backup', '--out', 'home-link'])).stderr).toContain('--out home-link exists and is not empty');
    expect((await run(['backup', '--verify', 'full'])).stderr).toMatch(/^mailroute: \[BACKUP_NOT_A_BACKUP\] .*full has no backup\.json/);
  });

  it('says a database whose path is too long for SQLite so (BACKUP_DATABASE_UNREADABLE), not that it is damaged', async () => {
    const own = mkdtempSync(path.join(dir, 'long-'));
    await servedStore(own, 1, 0);
    // A path the file system takes (each name under 255 bytes) that SQLite does not (over 512 bytes with -journal).
    let long = own;
    while (long.length < 520) long = path.join(long, 'h'.repeat(100));
    mkdirSync(long, { recursive: true });
    cpSync(path.join(own, DB_FILE), path.join(long, DB_FILE));
    const made = await runCli(['backup', '--home', long, '--out', path.join(own, 'snap')], { env: { CI: 'true' }, cwd: own });
    expect(made.code).toBe(1);
    expect(made.stderr).toMatch(/^mailroute: \[BACKUP_DATABASE_UNREADABLE\] Cannot back up the SQLite store at .*mailroute\.db: its path is too long for SQLite \(\d+ bytes; .*Set MAILROUTE_HOME \(or --home\) to a folder with a shorter path/);
    expect(existsSync(path.join(own, 'snap'))).toBe(false);
  });

  it('removes the unfinished folders that killed backups left beside it, of any name, and leaves a live one\'s', async () => {
    const own = mkdtempSync(path.join(dir, 'killed-'));
    await servedStore(own, 3, 1);
    // Dead processes' of this host (a pid above Linux's pid_max), named by the date as cron backups are; a live one's
    // (this process); another host's or container's (its process cannot be seen from here); one of an older mailroute
    // without a tag, under another name (whose host is unknown).
    const dead = [`.2026-12-01-0300.partial-4194399-0a1b2c3d.${BACKUP_HOST_TAG}`, `.2026-12-02-0300.partial-4194398-deadbeef.${BACKUP_HOST_TAG}`];
    const kept = [`.2026-12-03-0300.partial-${process.pid}-12345678.${BACKUP_HOST_TAG}`, '.2026-12-04-0300.partial-4194397-00000000.ffffffff', '.2026-12-05-0300.partial-4194396-11111111'];
    for (const name of [...dead, ...kept]) mkdirSync(path.join(own, name, 'models'), { recursive: true });
    const made = await runCli(['backup', '--home', own, '--out', path.join(own, '2026-12-06-0300')], { env: { CI: 'true' }, cwd: own });
    expect(made.code).toBe(0);
    expect(made.stderr).toContain(`note: removed 2 unfinished backup folders of backups that were stopped (their process is gone): ${[...dead].sort().join(', ')}`);
    expect(readdirSync(own).filter((name) => name.includes('.partial-')).sort()).toEqual([...kept].sort());
  });

  it('leaves nothing when it fails half-way: no folder under the name, no unfinished one beside it', async () => {
    const own = mkdtempSync(path.join(dir, 'broken-'));
    await servedStore(own, 5, 1);
    mkdirSync(path.join(own, 'runs', 'run-a'), { recursive: true });
    writeFileSync(path.join(own, 'runs', 'run-a', 'run.json'), '{}');
    // Copied last, after the database: a link to a file that is gone.
    mkdirSync(path.join(own, 'runs', 'run-b'));
    symlinkSync(path.join(own, 'gone.json'), path.join(own, 'runs', 'run-b', 'run.json'));
    const out = path.join(own, 'out');
    const failed = await runCli(['backup', '--home', own, '--out', out], { env: { CI: 'true' }, cwd: own });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe(`mailroute: [FILE_ACCESS_FAILED] ${path.join(own, 'runs', 'run-b', 'run.json')}: no such file or folder (ENOENT)\n`);
    expect(existsSync(out)).toBe(false);
    expect(partials(out)).toEqual([]);
    // The home as it was (SQLite's read-only connection may leave an empty -wal and its -shm, as any reader does).
    expect(readdirSync(own).filter((name) => !/-(wal|shm)$/.test(name)).sort()).toEqual(['mailroute.db', 'runs']);
  });
});

/** A registrable artifact with a small model.onnx. */
function artifact(id: string): string {
  const at = path.join(mkdtempSync(path.join(dir, 'artifact-')), id);
  return writeLoadableArtifact(at, id, { onnx: Buffer.alloc(2000, 7), extra: { dataHash: 'h', metrics: { mean_macro_f1: 0.8 } } });
}

