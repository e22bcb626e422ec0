/** A benchmark setting out of range: bench/run.ts says it in one line. */
export class BenchSettingError extends Error {}

/**
 * A whole number from the environment, checked: a typo (`BENCH_RUNS=abc`) stops the benchmark with the
 * variable's name instead of writing NaN into its results.
 */
export function countFromEnv(name: string, fallback: number, min = 0, max = 100): number {
  const raw = process.env[name] ?? String(fallback);
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new BenchSettingError(`${name} must be an integer from ${min} to ${max}, not "${raw}"`);
  return n;
}
