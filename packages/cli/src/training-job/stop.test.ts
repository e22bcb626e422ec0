import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../context.js';
import { buildProgramOf, runProgram } from '../program.js';
import { captureStream } from '../test-support.js';
import { QUIT_AT_ONCE_REASON, registerTrainingJob } from './command.js';
import { demoExports, simulateSageMaker, smallDemoConfig } from './test-support.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-training-job-stop-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A simulated /opt/ml whose training would take 300 epochs: a signal lands mid-training. */
async function longJob(name: string): Promise<string> {
  const root = path.join(dir, name);
  const config = await smallDemoConfig();
  await simulateSageMaker(root, { config: { 'train-config.json': { ...config, model: { ...(config.model as object), epochs: 300, patience: 300 } } }, data: demoExports() });
  return root;
}

const EPOCH_LINE = /^\{'loss': .*\}$/gm;

describe('the training job stopped by SageMaker (SIGTERM)', () => {
  it('as a process: stops at the next epoch, keeps the run record as interrupted with its epochs, writes the failure file, no model, exit code 143', async () => {
    const root = await longJob('ml-term');
    // The job's scratch home goes in TMPDIR: it must be removed, as after any other end.
    const tmp = path.join(dir, 'tmp');
    const serveMain = fileURLToPath(new URL('../serve-main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', serveMain, 'train', '--root', root], {
      env: { ...process.env, TMPDIR: tmp, ORT_DISABLE_TELEMETRY: '1', CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!sent && EPOCH_LINE.test(stdout)) {
        sent = true;
        child.kill('SIGTERM');
      }
      EPOCH_LINE.lastIndex = 0;
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | string | null>((resolve) => child.once('exit', (c, s) => resolve(c ?? s)));
    expect(code, stderr).toBe(143);
    const epochs = stdout.match(EPOCH_LINE)?.length ?? 0;
    expect(epochs).toBeGreaterThanOrEqual(1);
    expect(epochs).toBeLessThan(300);
    expect(stderr).toContain('SIGTERM: stopping at the next epoch or step; the run record keeps the epochs done (SIGTERM again quits at once)');
    // The failure file, as for any other failure: SageMaker shows it as the job's FailureReason.
    const failure = await readFile(path.join(root, 'output/failure'), 'utf8');
    expect(failure).toBe(`[INTERRUPTED] interrupted by SIGTERM (the training job was stopped) after ${epochs} epoch(s): no model was written; the run record (run.json in the job's output data) keeps them, status interrupted`);
    // The record, written whole (no temporary file beside it), with every epoch the job printed.
    expect((await readdir(path.join(root, 'output/data'))).sort()).toEqual(['epochs.jsonl', 'run.json']);
    const record = JSON.parse(await readFile(path.join(root, 'output/data/run.json'), 'utf8'));
    expect(record).toMatchObject({ status: 'interrupted', epochs: { length: epochs } });
    expect(record.finishedAt).toEqual(expect.any(String));
    expect(record.modelId).toBeUndefined();
    expect((await readFile(path.join(root, 'output/data/epochs.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(epochs);
    // No model, whole or half, and no scratch home left behind.
    expect(await readdir(path.join(root, 'model'))).toEqual([]);
    expect((await readdir(tmp)).filter((name) => name.startsWith('mailroute-training-job-'))).toEqual([]);
  }, 60_000);

  it('quits at once on a second SIGTERM, having written the failure file first', async () => {
    const root = await longJob('ml-twice');
    const signals = new EventEmitter();
    const stderr = captureStream();
    const failureAtExit: (string | undefined)[] = [];
    const exits: number[] = [];
    // Both signals before the job looks at the first: the second must not wait for it.
    let sent = false;
    const stdout = new Writable({
      write(chunk, _encoding, done) {
        if (!sent && String(chunk).startsWith("{'loss': ")) {
          sent = true;
          signals.emit('SIGTERM');
          signals.emit('SIGTERM');
        }
        done();
      },
    });
    const exit = (code: number) => {
      exits.push(code);
      // What SageMaker reads once the process is gone.
      failureAtExit.push(readFileSync(path.join(root, 'output/failure'), 'utf8'));
    };
    const ctx = createContext({ env: { ORT_DISABLE_TELEMETRY: '1' }, cwd: dir, signals, stdout, stderr: stderr.stream, exit });
    await runProgram(buildProgramOf(ctx, [registerTrainingJob]), ['train', '--root', root], ctx);
    expect(exits).toEqual([143]);
    expect(failureAtExit).toEqual([QUIT_AT_ONCE_REASON]);
    expect(stderr.text()).toContain('SIGTERM again: quitting now: no model was written');
  }, 60_000);
});
