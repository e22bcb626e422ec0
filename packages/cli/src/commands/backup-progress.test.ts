import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSqliteStore, DB_FILE, sqliteSnapshotFacts } from '@mailroute/serving';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';
import { BackupManifestSchema, backupReport, verifyBackup, verifyReport } from './backup.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-backup-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const home = path.join(dir, 'home');
const small = path.join(dir, 'small');
// CI=true: the progress helper's plain lines (a line each tenth), as in a log.
const run = (argv: string[], at = home) => runCli(argv, { env: { CI: 'true' }, cwd: dir, home: at });

/** What the backup's stages report from: 64 MB (backup.ts's PROGRESS_BYTES). */
const PROGRESS_BYTES = 64 * 1024 * 1024;

/** `predictions` emails classified with 2 kB of stored text each, written through the serving package's store. */
async function store(at: string, predictions: number): Promise<void> {
  const text = 'Sehr geehrte Damen und Herren, bitte überweisen Sie den Betrag auf mein Konto. '.repeat(25);
  const db = createSqliteStore({ file: path.join(at, DB_FILE), writer: 'inline', bufferMs: 0 });
  try {
    for (let start = 0; start < predictions; start += 2000) {
      await db.savePredictions(
        Array.from({ length: Math.min(2000, predictions - start) }, (_, k) => ({
          predictionId: `p-${start + k}`,
          emailId: `e-${start + k}`,
          modelId: 'ngram-bag-served',
          createdAt: new Date(Date.UTC(2026, 10, 2) + (start + k) * 1000).toISOString(),
          labels: { queue: 'payments_transfers' },
          confidences: { queue: 0.5 },
          abstained: { queue: false },
          queue: 'payments_transfers',
          latencyMs: 1,
          text: `${start + k} ${text}`,
        })),
      );
    }
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  await store(home, 34_000);
  await store(small, 50);
}, 60_000);

/** The progress lines of a stage in a command's stderr. */
const stage = (stderr: string, title: string) => stderr.split('\n').filter((l) => l.startsWith(`${title}: `));

describe('mailroute backup: progress of the database', () => {
  it('reports the copy, integrity_check and sha256 of a database of 64 MB or more on stderr, and --verify its reads and check; stdout and the backup as without it', async () => {
    expect(statSync(path.join(home, DB_FILE)).size).toBeGreaterThanOrEqual(PROGRESS_BYTES);
    const made = await run(['backup', '--out', 'big']);
    expect(made.code, made.stderr).toBe(0);
    const copy = stage(made.stderr, 'backup database copy');
    // One step: SQLite's VACUUM INTO says nothing while it runs.
    expect(copy).toEqual(['backup database copy: 0% (0/1)', 'backup database copy: 100% (1/1)']);
    const copied = statSync(path.join(dir, 'big', DB_FILE)).size;
    expect(stage(made.stderr, 'backup database integrity_check')).toEqual(['backup database integrity_check: 0% (0/1)', 'backup database integrity_check: 100% (1/1)']);
    const hashed = stage(made.stderr, 'backup database sha256');
    expect(hashed.length).toBeGreaterThanOrEqual(10);
    expect(hashed.at(-1)).toBe(`backup database sha256: 100% (${copied}/${copied})`);
    // The stages in their order, and nothing else on stderr (no registry, runs or key file here: no note either).
    expect(made.stderr.trimEnd().split('\n')).toEqual([...copy, ...stage(made.stderr, 'backup database integrity_check'), ...hashed]);
    // Standard output is the report of the backup's manifest, as without progress; the copy is whole.
    const manifest = BackupManifestSchema.parse(JSON.parse(readFileSync(path.join(dir, 'big', 'backup.json'), 'utf8')));
    expect(made.stdout).toBe(backupReport(manifest, 'big'));
    expect(manifest.database?.rows).toEqual({ predictions: 34_000, feedback: 0 });
    expect(sqliteSnapshotFacts(path.join(dir, 'big', DB_FILE)).integrity).toEqual(['ok']);

    const verified = await run(['backup', '--verify', 'big']);
    expect(verified.code, verified.stderr).toBe(0);
    const read = stage(verified.stderr, 'backup verify sha256');
    expect(read.length).toBeGreaterThanOrEqual(10);
    const listed = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
    expect(read.at(-1)).toBe(`backup verify sha256: 100% (${listed}/${listed})`);
    expect(stage(verified.stderr, 'backup verify integrity_check')).toEqual(['backup verify integrity_check: 0% (0/1)', 'backup verify integrity_check: 100% (1/1)']);
    expect(verified.stderr.trimEnd().split('\n')).toEqual([...read, 'backup verify integrity_check: 0% (0/1)', 'backup verify integrity_check: 100% (1/1)']);
    // The check's own report, made without progress.
    expect(verified.stdout).toBe(verifyReport(await verifyBackup(path.join(dir, 'big'))));
    // --json: the result on stdout alone.
    const json = await run(['backup', '--verify', 'big', '--json']);
    expect((JSON.parse(json.stdout) as { ok: boolean }).ok).toBe(true);
    expect(stage(json.stderr, 'backup verify sha256').length).toBeGreaterThanOrEqual(10);
  }, 60_000);

  it('reports nothing for a database under 64 MB, as before', async () => {
    const made = await run(['backup', '--out', 'small-backup'], small);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stderr).toBe('');
    const verified = await run(['backup', '--verify', 'small-backup'], small);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stderr).toBe('');
  });
});
