import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../context.js';
import { buildProgramOf, runProgram } from '../program.js';
import { captureStream } from '../test-support.js';
import { registerTrainingJob } from './command.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-training-job-command-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function run(argv: string[], env: Record<string, string> = {}) {
  const stdout = captureStream();
  const stderr = captureStream();
  const ctx = createContext({ env, cwd: dir, stdout: stdout.stream, stderr: stderr.stream });
  const code = await runProgram(buildProgramOf(ctx, [registerTrainingJob]), argv, ctx);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('train, the container\'s training job command', () => {
  it('loads the job by path and runs it under --root (relative to the folder it runs in): a failure exits 1 with its reason on stderr and in output/failure', async () => {
    const result = await run(['train', '--root', 'ml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^mailroute: \[TRAINING_JOB_CONFIG_MISSING\] no training config train-config\.json/);
    expect(await readFile(path.join(dir, 'ml/output/failure'), 'utf8')).toMatch(/^\[TRAINING_JOB_CONFIG_MISSING\] /);
  });

  it('takes its root from MAILROUTE_SAGEMAKER_ROOT', async () => {
    const result = await run(['train'], { MAILROUTE_SAGEMAKER_ROOT: path.join(dir, 'env-ml') });
    expect(result.code).toBe(1);
    expect(await readFile(path.join(dir, 'env-ml/output/failure'), 'utf8')).toMatch(/^\[TRAINING_JOB_CONFIG_MISSING\] /);
  });
});
