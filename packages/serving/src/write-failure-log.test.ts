import { describe, expect, it } from 'vitest';
import { createWriteFailureLog, WRITE_FAILURES_LOGGED_PER_MINUTE } from './write-failure-log.js';

/** A logger that keeps its lines, by level. */
function keptLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const keep = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, ...fields });
  return { lines, logger: { info: keep('info'), warn: keep('warn'), error: keep('error') } };
}

const lost = { detail: 'answered predictions not stored: the disk of the SQLite database is full (free space: later predictions are stored again)', cause: 'Error: database or disk is full', records: 2 };

describe('the log of queued prediction writes that failed', () => {
  it('logs the first failure and at most its limit a minute (600 failures in 10 s: not 600 lines), the next line saying how many were left out', () => {
    let now = 1_000_000;
    const { lines, logger } = keptLogger();
    const log = createWriteFailureLog(logger, { now: () => now });
    for (let i = 0; i < 600; i++) {
      log.failed(lost);
      now += 16;
    }
    expect(lines).toHaveLength(WRITE_FAILURES_LOGGED_PER_MINUTE);
    expect(lines[0]).toEqual({ level: 'error', message: 'prediction_write_failed', ...lost });
    // A minute on: logged again, with the lines (and their records) left out since the last.
    now = 1_000_000 + 60_000;
    log.failed(lost);
    expect(lines.at(-1)).toEqual({ level: 'error', message: 'prediction_write_failed', ...lost, suppressed: 600 - WRITE_FAILURES_LOGGED_PER_MINUTE, suppressedRecords: 2 * (600 - WRITE_FAILURES_LOGGED_PER_MINUTE) });
  });

  it('logs the recovery with the failures left out since the last line, and the first failure after it at once', () => {
    let now = 1_000_000;
    const { lines, logger } = keptLogger();
    const log = createWriteFailureLog(logger, { now: () => now });
    for (let i = 0; i < WRITE_FAILURES_LOGGED_PER_MINUTE + 5; i++) log.failed(lost);
    now += 1_000;
    log.recovered({ problem: 'full', since: 1_000_000, failedWrites: WRITE_FAILURES_LOGGED_PER_MINUTE + 5 });
    expect(lines.at(-1)).toEqual({
      level: 'info',
      message: 'store_writes_recovered',
      detail: `the SQLite store takes writes again: ${WRITE_FAILURES_LOGGED_PER_MINUTE + 5} writes failed for a full disk since 1970-01-01T00:16:40.000Z (none of them was stored)`,
      problem: 'full',
      since: '1970-01-01T00:16:40.000Z',
      failedWrites: WRITE_FAILURES_LOGGED_PER_MINUTE + 5,
      suppressed: 5,
      suppressedRecords: 10,
    });
    // The minute's lines were spent, but a new run of failures is said at once.
    now += 1_000;
    log.failed(lost);
    expect(lines.at(-1)).toEqual({ level: 'error', message: 'prediction_write_failed', ...lost });
  });
});
