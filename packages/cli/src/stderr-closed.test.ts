import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDemoData } from '@mailroute/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/mailroute.mjs', import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-stderr-closed-'));
const home = path.join(dir, 'home');
beforeAll(async () => {
  await writeDemoData(path.join(dir, 'demo.csv'), { rows: 400, seed: 5 });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs the real binary with the reader of one of its pipes gone before it starts (`2>&1 >/dev/null | head -1` once
 * head has quit): each write to it fails with EPIPE. What came on the other pipe, and the exit code.
 */
async function withClosed(closed: 'stdout' | 'stderr', argv: string[]): Promise<{ code: number | null; text: string }> {
  const child = spawn(process.execPath, [bin, ...argv], { cwd: dir, env: { ...process.env, MAILROUTE_HOME: home, CI: 'true', MAILROUTE_DEBUG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const [gone, kept] = closed === 'stderr' ? [child.stderr, child.stdout] : [child.stdout, child.stderr];
  gone?.destroy();
  let text = '';
  kept?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, text };
}

describe('standard error closed by its reader (`2>&1 | head -1`)', () => {
  it('ends the log, not the command: a failure still exits 1', async () => {
    // Without --config, train says so on stderr first; the missing file is found after that line.
    const res = await withClosed('stderr', ['train', '--data', 'missing.csv']);
    expect(res).toEqual({ code: 1, text: '' });
  }, 60_000);

  it('ends the log, not the command: the training goes on and registers its model, exit code 0', async () => {
    const res = await withClosed('stderr', ['train', '--data', 'demo.csv']);
    expect(res.code).toBe(0);
    const id = /\nregistered (\S+) \(version 1, PendingManualApproval\)\n$/.exec(res.text)?.[1];
    expect(id).toBeDefined();
    const registry = JSON.parse(readFileSync(path.join(home, 'registry.json'), 'utf8')) as { versions: { id: string }[] };
    expect(registry.versions.map((v) => v.id)).toEqual([id]);
  }, 120_000);

  it('standard output closed early still ends the command quietly, exit code 0', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ id: String(i), format: 'text', input: 'Bitte senden Sie mir den Kontoauszug.' }));
    writeFileSync(path.join(dir, 'in.jsonl'), `${lines.join('\n')}\n`);
    const res = await withClosed('stdout', ['clean', '--in', 'in.jsonl', '--out', '-']);
    expect(res.code).toBe(0);
    // Its progress, and no error.
    expect(res.text).not.toContain('mailroute:');
  }, 60_000);
});
