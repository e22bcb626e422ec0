import { describe, expect, it } from 'vitest';
import { fuzzEnvProblems } from '../../vitest.fuzz-env.js';

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
});
