import { performance } from 'node:perf_hooks';
import { median } from './report.js';

export interface InterleavedOptions {
  /** Timed rounds: each round times every pass once. */
  rounds: number;
  /** Untimed passes of each function first (the optimising compiler works in the background: one pass leaves the first timed ones partly unoptimised). */
  warmUpPasses?: number;
  /** The clock, in milliseconds (tests pass their own). */
  now?: () => number;
}

/**
 * The median time (ms) of each pass, timed the way the benchmark compares code side by side: warm-up passes of
 * every one first, then `rounds` rounds in which each pass runs once, the order rotated every round so that none
 * always comes right after the same one and load changes on a shared machine hit all of them alike. No forced GC
 * between passes: a forced full GC flushes compiled code, which punishes the larger code base.
 */
export function interleavedMedians(passes: Record<string, () => void>, { rounds, warmUpPasses = 3, now = () => performance.now() }: InterleavedOptions): Record<string, number> {
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`interleavedMedians: rounds must be a whole number of at least 1, not ${rounds}`);
  const entries = Object.entries(passes);
  for (let w = 0; w < warmUpPasses; w += 1) for (const [, pass] of entries) pass();
  const times: Record<string, number[]> = Object.fromEntries(entries.map(([name]) => [name, []]));
  for (let r = 0; r < rounds; r += 1) {
    const k = r % entries.length;
    for (const [name, pass] of [...entries.slice(k), ...entries.slice(0, k)]) {
      const t0 = now();
      pass();
      times[name].push(now() - t0);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, t]) => [name, median(t)]));
}
