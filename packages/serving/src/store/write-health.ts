import type { StoreError, StoreUnavailableError } from '../errors.js';
import { sqliteWriteProblem, type SqliteWriteProblem } from './sqlite-write-errors.js';

/**
 * How often a store whose disk refuses writes (read-only, I/O errors) tries a write of its own: so that it says it is
 * ready again once the disk takes writes, though no request writes meanwhile (a load balancer sends none to a server
 * that is not ready).
 */
export const WRITE_PROBE_MS = 5_000;

/** The failures of the disk that pass once it takes writes again: no restart needed. */
export type DiskProblem = Extract<SqliteWriteProblem, 'full' | 'read-only' | 'io'>;
const DISK_PROBLEMS: ReadonlySet<SqliteWriteProblem> = new Set(['full', 'read-only', 'io']);
/**
 * Those that make the store not ready while they last. A full disk does not: it is said to every caller in its own
 * words, and the operator frees space; a read-only or failing disk stayed ready while every feedback failed.
 */
const UNREADY: ReadonlySet<SqliteWriteProblem> = new Set(['read-only', 'io']);

/** Writes failed for the disk, then one committed again: what the recovery's log line says. */
export interface WritesRecovered {
  /** The kind of the last failure. */
  problem: DiskProblem;
  /** When the first of those writes failed (ms since the epoch). */
  since: number;
  /**
   * The writes that failed meanwhile (a queued write of predictions counts once, however many records it held; the
   * store's own probes count too).
   */
  failedWrites: number;
}

/** Told when the disk starts refusing writes (not ready from then on), and when a write commits again. */
export interface WriteHealthOptions {
  /** Told once a run of failures, at its first read-only or I/O failure: the store is not ready until a write commits. */
  onFailing?: (error: StoreUnavailableError) => void;
  /** Told at the first write that commits a change after writes failed for the disk (full, read-only or failing). */
  onRecovered?: (report: WritesRecovered) => void;
  /** Milliseconds between probes while the disk refuses writes (default WRITE_PROBE_MS; less in tests). */
  probeMs?: number;
}

/** Why writes fail now: the error they fail with, since when (ms since the epoch). */
export interface Failing {
  error: StoreUnavailableError;
  since: number;
}

export interface WriteHealth {
  /** A write failed with `error` (writeFailed's). */
  failed(error: StoreError | StoreUnavailableError): void;
  /** A write committed a change to the file (not a barrier, nor a feedback that changed nothing): the disk takes writes. */
  wrote(): void;
  /** The read-only or I/O failure writes fail with now; undefined while the store can be taken as ready. */
  failing(): Failing | undefined;
  close(): void;
}

/**
 * Follows whether writes fail for the disk. SQLite recovers from such a failure on the same connection once the disk
 * takes writes again (tried on a loop device whose writes failed with EIO, then did not), so no restart is asked
 * for; while the disk is read-only or failing `probe` is called every WRITE_PROBE_MS, to find when it does.
 */
export function createWriteHealth(options: WriteHealthOptions, probe: () => void, now: () => number = Date.now): WriteHealth {
  let run: { problem: DiskProblem; since: number; failedWrites: number; unready?: StoreUnavailableError } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stopProbing = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
  return {
    failed(error) {
      const problem = sqliteWriteProblem(error.cause) ?? sqliteWriteProblem(error);
      if (problem === undefined || !DISK_PROBLEMS.has(problem)) return;
      run ??= { problem: problem as DiskProblem, since: now(), failedWrites: 0 };
      run.problem = problem as DiskProblem;
      run.failedWrites += 1;
      if (!UNREADY.has(problem)) return;
      const first = run.unready === undefined;
      // The latest words: an I/O error after a read-only one is said as such.
      run.unready = error as StoreUnavailableError;
      if (!first) return;
      options.onFailing?.(run.unready);
      timer = setInterval(probe, options.probeMs ?? WRITE_PROBE_MS);
      timer.unref();
    },
    wrote() {
      if (run === undefined) return;
      const { problem, since, failedWrites } = run;
      run = undefined;
      stopProbing();
      options.onRecovered?.({ problem, since, failedWrites });
    },
    failing: () => (run?.unready === undefined ? undefined : { error: run.unready, since: run.since }),
    close: stopProbing,
  };
}

/** What `health()` says while writes fail for the disk: the answer's words, since when, and how it ends. */
export function failingDetail(failing: Failing): string {
  return `${failing.error.message} Writes have failed since ${new Date(failing.since).toISOString()}; the store tries one every ${WRITE_PROBE_MS / 1000} s and is ready again once one commits.`;
}

const RECOVERED_FROM: Record<DiskProblem, string> = {
  full: 'a full disk',
  'read-only': 'a read-only file system',
  io: 'disk I/O errors',
};

/** What the log says when a write commits after writes failed for the disk. */
export function recoveredDetail(report: WritesRecovered): string {
  const writes = report.failedWrites === 1 ? '1 write' : `${report.failedWrites} writes`;
  return `the SQLite store takes writes again: ${writes} failed for ${RECOVERED_FROM[report.problem]} since ${new Date(report.since).toISOString()} (none of them was stored)`;
}
