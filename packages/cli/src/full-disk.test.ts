import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/mailroute.mjs', import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-full-disk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the real binary with standard output on /dev/full, where every write fails with ENOSPC. */
async function toFullDisk(argv: string[]): Promise<{ code: number | null; stderr: string }> {
  const full = openSync('/dev/full', 'w');
  try {
    const child = spawn(process.execPath, [bin, ...argv], { cwd: dir, env: { ...process.env, MAILROUTE_HOME: path.join(dir, 'home'), CI: 'true', MAILROUTE_DEBUG: '' }, stdio: ['ignore', full, 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    return { code, stderr };
  } finally {
    closeSync(full);
  }
}

// /dev/full is Linux's; elsewhere (macOS, Windows) there is no device whose every write answers ENOSPC.
const hasFullDevice = existsSync('/dev/full');
if (!hasFullDevice) console.warn('skipping the full-disk test of standard output: there is no /dev/full (Linux only)');

describe.skipIf(!hasFullDevice)('standard output on a full disk (skipped where there is no /dev/full: Linux only)', () => {
  it('is said once, exit code 1: by the command that waited for its write, and by the listener for a write no one waited for', async () => {
    writeFileSync(path.join(dir, 'in.jsonl'), '{"id":"1","format":"text","input":"Bitte mein Depot übertragen."}\n');
    const said = 'mailroute: [OUTPUT_WRITE_FAILED] cannot write standard output: the disk is full (ENOSPC)\n';
    const cleaned = await toFullDisk(['clean', '--in', 'in.jsonl', '--out', '-']);
    expect(cleaned.code).toBe(1);
    expect(cleaned.stderr.split('\n').filter((l) => l.startsWith('mailroute:')).map((l) => `${l}\n`)).toEqual([said]);
    // A listing printed without waiting: its failure is said by the stream's listener, once (of a home that exists, which
    // is not warned of).
    mkdirSync(path.join(dir, 'home'), { recursive: true });
    const listed = await toFullDisk(['registry', 'list']);
    expect(listed).toEqual({ code: 1, stderr: said });
  }, 60_000);
});
