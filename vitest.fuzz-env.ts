/**
 * Global setup of every package's tests: the variables that widen the property tests (README, "Tests"),
 * checked before any test runs. The tests read them as `Number(process.env.X ?? default)`: a typo
 * (`MAILROUTE_FUZZ_RUNS=lots`) or an empty value gave NaN or 0 runs, and fast-check then ran nothing and
 * passed. A value that is no whole number in range stops the run, naming the variable.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';

/** Runs per property: at least 1. */
export const FUZZ_RUN_VARIABLES = ['MAILROUTE_FUZZ_RUNS', 'DATAFUZZ_RUNS', 'EML_FUZZ_RUNS'] as const;
/** Seeds: any whole number fast-check takes (a 32-bit one). */
export const FUZZ_SEED_VARIABLES = ['MAILROUTE_FUZZ_SEED', 'DATAFUZZ_SEED', 'EML_FUZZ_SEED'] as const;

/** What is wrong with the fuzz variables set in `env`, one line each; none when all are right or unset. */
export function fuzzEnvProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const check = (name: string, min: number, max: number) => {
    const raw = env[name];
    if (raw === undefined) return;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) problems.push(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  };
  for (const name of FUZZ_RUN_VARIABLES) check(name, 1, 10_000_000);
  for (const name of FUZZ_SEED_VARIABLES) check(name, -(2 ** 31), 2 ** 31 - 1);
  return problems;
}

/**
 * Stops the run with one line on stderr and exit code 1. A thrown error came last, after vitest's `No test files
 * found, exiting with code 1` and the include globs of every project (some fifty lines), as if the file named
 * were missing. The run's temporary folder (vitest.tmp-setup.ts, the setup before this one) is removed first:
 * no teardown runs after an exit.
 */
export default function setup(): void {
  const problems = fuzzEnvProblems(process.env);
  if (problems.length === 0) return;
  process.stderr.write(`vitest: the property tests would run nothing or another seed than asked: ${problems.join('; ')}\n`);
  const tmp = process.env.TMPDIR;
  if (tmp !== undefined && path.basename(tmp).startsWith('mailroute-tests-')) rmSync(tmp, { recursive: true, force: true });
  process.exit(1);
}
