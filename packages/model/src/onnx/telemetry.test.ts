import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { disableOnnxTelemetry } from './runtime.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'mailroute-telemetry-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The variables that make onnxruntime skip telemetry by themselves (a CI run sets CI): removed, as on a server. */
const SUPPRESSING = ['ORT_DISABLE_TELEMETRY', 'ORT_RUNNING_UNIT_TESTS', 'CI', 'TF_BUILD', 'GITHUB_ACTIONS', 'XDG_CACHE_HOME'];

function runChild(name: string, extra: Record<string, string> = {}) {
  const dir = path.join(root, name);
  const home = path.join(dir, 'home');
  const tmp = path.join(dir, 'tmp');
  mkdirSync(home, { recursive: true });
  mkdirSync(tmp, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, TMPDIR: tmp, ...extra };
  for (const key of SUPPRESSING) if (!(key in extra)) delete env[key];
  const child = fileURLToPath(new URL('./telemetry-child.ts', import.meta.url));
  const run = spawnSync(process.execPath, ['--import', 'tsx', child, path.join(dir, 'model.onnx')], { env, encoding: 'utf8', timeout: 60_000 });
  expect(run.status, run.stderr).toBe(0);
  return {
    stdout: run.stdout,
    /** What onnxruntime's telemetry leaves behind when it starts: its log in the temp folder, its device id and event cache under HOME. */
    traces: [...readdirSync(tmp).filter((f) => f.startsWith('mat-debug-')), ...(existsSync(path.join(home, '.cache', 'Microsoft')) ? ['~/.cache/Microsoft'] : [])],
  };
}

describe('onnxruntime telemetry', () => {
  it('is off: sessions on a worker thread and on the main thread leave no telemetry log, device id or event cache', () => {
    const { stdout, traces } = runChild('default');
    expect(traces).toEqual([]);
    expect(stdout).toContain('ORT_DISABLE_TELEMETRY=1');
  }, 60_000);

  it('leaves an operator\'s explicit setting as it is', () => {
    const env: NodeJS.ProcessEnv = { ORT_DISABLE_TELEMETRY: '0' };
    disableOnnxTelemetry(env);
    expect(env.ORT_DISABLE_TELEMETRY).toBe('0');
    const unset: NodeJS.ProcessEnv = {};
    disableOnnxTelemetry(unset);
    expect(unset.ORT_DISABLE_TELEMETRY).toBe('1');
  });
});
