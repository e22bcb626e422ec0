import type { EmailClassifier } from '@mailroute/model';

/** Whether a classifier can score every batch now; `detail` says why not. */
export interface ClassifierHealth {
  ready: boolean;
  detail?: string;
}

/** A classifier that knows whether it can serve (model threads may have exited and not come back). */
export interface HealthReporting {
  health(): ClassifierHealth;
}

/** What a classifier says of its health; one that says nothing (an in-process session) is ready once loaded. */
export function classifierHealth(classifier: EmailClassifier): ClassifierHealth {
  const reporting = classifier as Partial<HealthReporting>;
  return typeof reporting.health === 'function' ? reporting.health() : { ready: true };
}

/** How a model thread that keeps exiting is started again. */
export interface RespawnPolicy {
  /** Wait before the second replacement in a row (the first starts at once); doubled for each further one. */
  baseDelayMs: number;
  /** The longest wait. */
  maxDelayMs: number;
  /** A thread that served this long before it exited counts as a first exit again (the wait starts over). */
  resetAfterMs: number;
}

export const DEFAULT_RESPAWN_POLICY: RespawnPolicy = { baseDelayMs: 250, maxDelayMs: 30_000, resetAfterMs: 60_000 };

/**
 * The wait before starting the replacement of a thread after `exitsInARow` exits in a row (1 for the
 * first): none for the first, so a single crash costs no more than the load, then `baseDelayMs`
 * doubled each time up to `maxDelayMs`, so a thread that dies on every batch does not spin.
 */
export function respawnDelayMs(exitsInARow: number, policy: RespawnPolicy = DEFAULT_RESPAWN_POLICY): number {
  if (exitsInARow <= 1) return 0;
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(exitsInARow - 2, 30));
}

/** The clock and timer the respawn waits use; tests pass their own. */
export interface RespawnTimers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: RespawnTimers = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The `event` of `mailroute_model_thread_failures_total`: a loaded thread exited, or its replacement failed to load. */
export const THREAD_FAILURE_EVENTS = ['exited', 'replacement_failed'] as const;
export type ThreadFailureEvent = (typeof THREAD_FAILURE_EVENTS)[number];
