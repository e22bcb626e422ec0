import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDemoChampion } from '@mailroute/training';
import { afterAll, beforeAll, expect, it } from 'vitest';

// `nx run serving:serve` (README, "Nx targets"), stopped with SIGTERM as a script or supervisor stops it: Nx sends
// SIGTERM to every process of the task's tree at once. Through `npm run serve` (`sh -c 'cd ../.. && mailroute serve'`)
// the shells died of it first, npm said "Lifecycle script `serve` failed ... code 143" and the server's `shutting
// down` / `stopped` lines were cut off. The target must start the server itself (`exec`), so it alone gets the signal.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface Target {
  executor: string;
  options: { command?: string; cwd?: string; script?: string };
}

let dir: string;
let home: string;
let target: Target;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-nx-serve-'));
  home = path.join(dir, 'home');
  await ensureDemoChampion({ home, rows: 400 });
  // The target as Nx resolves it (project.json over package.json's scripts), not as a file says it.
  const shown = execFileSync(path.join(ROOT, 'node_modules/.bin/nx'), ['show', 'project', 'serving', '--json'], {
    cwd: ROOT,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    encoding: 'utf8',
  });
  target = (JSON.parse(shown) as { targets: Record<string, Target> }).targets.serve!;
}, 180_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The shell command Nx runs for the target with `-- <args>`, and where. */
function nxCommand(args: string): { command: string; cwd: string } {
  if (target.executor === 'nx:run-script') return { command: `npm run ${target.options.script} -- ${args}`, cwd: path.join(ROOT, 'packages/serving') };
  expect(target.executor).toBe('nx:run-commands');
  return { command: `${target.options.command} ${args}`, cwd: path.resolve(ROOT, target.options.cwd ?? '') };
}

it('nx run serving:serve, sent SIGTERM (to its whole process tree, as Nx passes it on), shuts the server down gracefully: its stopped line, exit 0, no npm error', async () => {
  const { command, cwd } = nxCommand('--port 0');
  // Its own process group, as Nx starts a task (setsid): a signal to the group reaches every process in it.
  const child = spawn('/bin/sh', ['-c', command], {
    cwd,
    detached: true,
    env: { ...process.env, MAILROUTE_HOME: home, CI: 'true', ORT_DISABLE_TELEMETRY: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // 'close', not 'exit': the server's last lines may still be in its pipes when it exits (a loaded machine drains them late).
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (/serving on http:/.test(stdout)) {
          clearInterval(timer);
          resolve();
        }
      }, 50);
      void exited.then(() => {
        clearInterval(timer);
        reject(new Error(`exited before serving: ${stderr}`));
      });
    });
    process.kill(-child.pid!, 'SIGTERM');
    const { code, signal } = await exited;
    // The server logs its JSON lines on stderr.
    expect(stderr).not.toMatch(/npm error|Terminated/);
    expect(stderr).toMatch(/"message":"shutting down","signal":"SIGTERM"/);
    expect(stderr).toMatch(/"message":"stopped"/);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  } finally {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}, 120_000);

it('nx run serving:serve fails (a non-zero exit code) when the server cannot start: a home without a model', async () => {
  const empty = path.join(dir, 'empty-home');
  // Nx itself, as CI runs the target: a `continuous` target that exits was reported as a success (exit 0).
  const run = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(path.join(ROOT, 'node_modules/.bin/nx'), ['run', 'serving:serve', '--', '--port', '0'], {
      cwd: ROOT,
      env: { ...process.env, MAILROUTE_HOME: empty, CI: 'true', NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
  expect(run.output).toMatch(/There is no model to serve/);
  expect(run.code).not.toBe(0);
}, 120_000);
