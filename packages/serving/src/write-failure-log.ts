import type { Clock, Logger } from './http/logger.js';
import { recoveredDetail, type WritesRecovered } from './store/write-health.js';

/**
 * `prediction_write_failed` lines logged a minute at most. Each queued write that fails is one (a full disk under
 * 60 requests a second wrote 588 error lines in 10 s, onto the disk the logs often share); the rest are counted.
 */
export const WRITE_FAILURES_LOGGED_PER_MINUTE = 10;

/** What a `prediction_write_failed` line says: why, SQLite's error, and the prediction records lost. */
export interface LostWrite {
  detail: string;
  cause: string;
  records: number;
}

export interface WriteFailureLog {
  /** A queued write of predictions failed: logged, unless this minute's lines are spent (then counted). */
  failed(lost: LostWrite): void;
  /** A write committed after writes failed for the disk: one `info` line, with the failures not logged since the last line. */
  recovered(report: WritesRecovered): void;
}

/**
 * The log of queued prediction writes that failed, rate-limited as the `request refused` lines are: at most
 * WRITE_FAILURES_LOGGED_PER_MINUTE a minute, the first of a run of failures always; the next line after some were
 * dropped says how many (`suppressed`) and the prediction records they held (`suppressedRecords`), and so does the
 * recovery line (`store_writes_recovered`), which ends the run: the next failure is logged at once. The metric
 * (`mailroute_store_write_failures_total`) counts every record all the same.
 */
export function createWriteFailureLog(logger: Logger, clock: Clock): WriteFailureLog {
  let windowStart: number | undefined;
  let logged = 0;
  let suppressed = 0;
  let suppressedRecords = 0;
  /** The lines dropped since the last one, for the next line; counted from 0 again. */
  const dropped = () => {
    const fields = suppressed > 0 ? { suppressed, suppressedRecords } : {};
    suppressed = 0;
    suppressedRecords = 0;
    return fields;
  };
  return {
    failed(lost) {
      const now = clock.now();
      if (windowStart === undefined || now - windowStart >= 60_000) {
        windowStart = now;
        logged = 0;
      }
      if (logged >= WRITE_FAILURES_LOGGED_PER_MINUTE) {
        suppressed += 1;
        suppressedRecords += lost.records;
        return;
      }
      logged += 1;
      logger.error('prediction_write_failed', { ...lost, ...dropped() });
    },
    recovered(report) {
      logger.info('store_writes_recovered', { detail: recoveredDetail(report), problem: report.problem, since: new Date(report.since).toISOString(), failedWrites: report.failedWrites, ...dropped() });
      windowStart = undefined;
    },
  };
}
