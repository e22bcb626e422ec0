/** A benchmark setting out of range: bench/run.ts says it in one line. */
export class BenchSettingError extends Error {}

/** `raw` as a whole number from `min` to `max`, or a BenchSettingError naming `name` (a typo gives no NaN). */
export function parseCount(name: string, raw: string, min = 0, max = 100): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new BenchSettingError(`${name} must be an integer from ${min} to ${max}, not "${raw}"`);
  return n;
}

/**
 * A whole number from the environment, checked: a typo (`BENCH_RUNS=abc`) stops the benchmark with the
 * variable's name instead of writing NaN into its results.
 */
export function countFromEnv(name: string, fallback: number, min = 0, max = 100): number {
  return parseCount(name, process.env[name] ?? String(fallback), min, max);
}

/**
 * A whole-number argument of a script run alone (bench/throughput-child.ts, bench/live-quality.ts): the value, the
 * fallback when it is not given, or one line on stderr and exit code 2 when it is not a whole number in range.
 */
export function countFromArg(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  try {
    return parseCount(name, raw ?? String(fallback), min, max);
  } catch (error) {
    if (!(error instanceof BenchSettingError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
}
