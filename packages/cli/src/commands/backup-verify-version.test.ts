import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteStore, DB_FILE, STORE_SCHEMA_VERSION } from '@mailroute/serving';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';

// Versions a backup records that this mailroute must check: backup.json's own format, and the database's data version.
const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-backup-version-'));
const home = path.join(dir, 'home');
const run = (argv: string[]) => runCli(argv, { env: { CI: 'true' }, cwd: dir, home });
const manifestOf = (out: string) => JSON.parse(readFileSync(path.join(out, 'backup.json'), 'utf8')) as Record<string, unknown> & { database: { userVersion: number } };
const writeManifest = (out: string, manifest: unknown) => writeFileSync(path.join(out, 'backup.json'), `${JSON.stringify(manifest, null, 2)}\n`);

/** A backup of a home holding a database written by this mailroute, in a new folder `name`. */
async function backup(name: string): Promise<string> {
  const out = path.join(dir, name);
  const made = await run(['backup', '--home', home, '--out', out]);
  expect(made.code, made.stderr).toBe(0);
  return out;
}

beforeAll(async () => {
  const store = createSqliteStore({ file: path.join(home, DB_FILE), writer: 'inline', bufferMs: 0 });
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mailroute backup --verify: versions', () => {
  it('fails when backup.json records another data version than its mailroute.db has, naming both', async () => {
    const out = await backup('user-version');
    const manifest = manifestOf(out);
    const actual = manifest.database.userVersion;
    manifest.database.userVersion = actual - 1;
    writeManifest(out, manifest);
    const verified = await run(['backup', '--verify', out]);
    expect(verified.code).toBe(1);
    const problem = `mailroute.db: data version ${actual}, backup.json says ${actual - 1}`;
    expect(verified.stdout).toContain(`\n  ${problem}\n`);
    expect(verified.stderr).toBe(`mailroute: [BACKUP_VERIFY_FAILED] ${out}: 1 problem: ${problem}\n`);
    const json = await run(['backup', '--verify', out, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, problems: [problem] });
  });

  it('fails on a database of a newer data version than this mailroute reads, as serve would refuse it', async () => {
    const out = await backup('newer-data');
    const file = path.join(out, DB_FILE);
    const newer = STORE_SCHEMA_VERSION + 1;
    const db = new Database(file);
    db.pragma(`user_version = ${newer}`);
    db.close();
    // backup.json as that newer mailroute would have written it: the file's size, sha256 and data version.
    const manifest = manifestOf(out) as ReturnType<typeof manifestOf> & { files: { path: string; bytes: number; sha256: string }[] };
    manifest.database.userVersion = newer;
    const entry = manifest.files.find((f) => f.path === DB_FILE);
    Object.assign(entry ?? {}, { bytes: statSync(file).size, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') });
    writeManifest(out, manifest);
    const verified = await run(['backup', '--verify', out]);
    expect(verified.code).toBe(1);
    const problem = `mailroute.db: data version ${newer}, made by a newer mailroute (this one reads up to ${STORE_SCHEMA_VERSION}): restore it with that version or later`;
    expect(verified.stderr).toBe(`mailroute: [BACKUP_VERIFY_FAILED] ${out}: 1 problem: ${problem}\n`);
    expect(verified.stdout).toContain(`\n  ${problem}\n`);
  });

  it('refuses a backup.json of a newer backup format as made by a newer mailroute, not as no backup', async () => {
    const out = await backup('format-version');
    writeManifest(out, { ...manifestOf(out), formatVersion: 2, mailrouteVersion: '9.0.0' });
    const verified = await run(['backup', '--verify', out]);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toBe('');
    expect(verified.stderr).toBe(
      `mailroute: [BACKUP_FORMAT_TOO_NEW] ${path.join(out, 'backup.json')}: made by a newer mailroute (9.0.0; backup format version 2, this one reads 1): verify and restore it with that version or later\n`,
    );
    // A format version that is no newer one is no backup of any mailroute.
    writeManifest(out, { ...manifestOf(out), formatVersion: 0 });
    expect((await run(['backup', '--verify', out])).stderr).toMatch(/^mailroute: \[BACKUP_NOT_A_BACKUP\] .*not a mailroute backup manifest \(formatVersion: /);
  });
});
