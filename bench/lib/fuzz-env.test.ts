import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzzEnvProblems } from '../../vitest.fuzz-env.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

// The global setup of the packages' tests (vitest.fuzz-env.ts), tested here: the bench project runs the repository's own tooling tests.
describe('fuzzEnvProblems', () => {
  it('passes the variables unset or set to whole numbers in range', () => {
    expect(fuzzEnvProblems({})).toEqual([]);
    expect(fuzzEnvProblems({ MAILROUTE_FUZZ_RUNS: '1000', MAILROUTE_FUZZ_SEED: '-7', EML_FUZZ_RUNS: '1', DATAFUZZ_SEED: '20261202' })).toEqual([]);
  });

  it('names each variable that would give NaN, 0 or a fraction of runs, or a seed fast-check does not take', () => {
    expect(fuzzEnvProblems({ MAILROUTE_FUZZ_RUNS: 'lots', EML_FUZZ_RUNS: '', DATAFUZZ_RUNS: '0', MAILROUTE_FUZZ_SEED: '1.5', EML_FUZZ_SEED: String(2 ** 32) })).toEqual([
      'MAILROUTE_FUZZ_RUNS must be a whole number from 1 to 10000000, not "lots"',
      'DATAFUZZ_RUNS must be a whole number from 1 to 10000000, not "0"',
      'EML_FUZZ_RUNS must be a whole number from 1 to 10000000, not ""',
      'MAILROUTE_FUZZ_SEED must be a whole number from -2147483648 to 2147483647, not "1.5"',
      'EML_FUZZ_SEED must be a whole number from -2147483648 to 2147483647, not "4294967296"',
    ]);
  });

  it("stops the README's example run at once with one line naming the variable, not after vitest's \"No test files found\" and every project's globs", () => {
    // The vitest of this run set its own variables (VITEST, VITEST_WORKER_ID, ...): the child starts without them, as from a shell.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'NODE_OPTIONS'));
    const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', 'packages/model/src/artifact-tamper.property.test.ts'], {
      cwd: ROOT,
      env: { ...env, MAILROUTE_FUZZ_RUNS: '1.5', NO_COLOR: '1', CI: 'true' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('vitest: the property tests would run nothing or another seed than asked: MAILROUTE_FUZZ_RUNS must be a whole number from 1 to 10000000, not "1.5"\n');
    expect(run.stdout).not.toMatch(/No test files found|include:/);
  }, 90_000);
});
