import { isTimeZone, localTimeOffsets, parseReceivedTime, resolveLocalTime } from '@mailroute/preprocess';
import type { CliContext } from './context.js';
import { UsageError } from './errors.js';

/**
 * The zone times without one are read in, and where it was set: `--time-zone`, a training config's timeZone,
 * MAILROUTE_TIME_ZONE; `zone` undefined: none set, UTC by default.
 */
export interface TimeZoneSetting {
  zone?: string;
  /** `--time-zone`, `MAILROUTE_TIME_ZONE`, `the timeZone of cfg.json`; `default` when none is set. */
  from: string;
}

/** `zone` when this runtime knows it (`Europe/Berlin`, `UTC`); else a usage error naming where it was set (`from`). */
export function checkedTimeZone(zone: string, from: string): string {
  if (!isTimeZone(zone)) throw new UsageError(`${from} ${JSON.stringify(zone)} is not a time zone this runtime knows: give an IANA name such as Europe/Berlin or UTC`);
  return zone;
}

/** MAILROUTE_TIME_ZONE, checked; undefined when unset or blank (as `MAILROUTE_TIME_ZONE=` in an env file leaves it). */
function envTimeZone(ctx: CliContext): TimeZoneSetting | undefined {
  const value = ctx.env.MAILROUTE_TIME_ZONE;
  if (value === undefined || value.trim() === '') return undefined;
  return { zone: checkedTimeZone(value, 'MAILROUTE_TIME_ZONE'), from: 'MAILROUTE_TIME_ZONE' };
}

/** The zone of `serve` and `start`: `--time-zone`, else MAILROUTE_TIME_ZONE, else none (UTC). */
export function serveTimeZone(ctx: CliContext, option: string | undefined): TimeZoneSetting {
  if (option !== undefined) return { zone: checkedTimeZone(option, '--time-zone'), from: '--time-zone' };
  return envTimeZone(ctx) ?? { from: 'default' };
}

/**
 * The zone `--since`/`--until` and the months of the feedback commands are read in: `--time-zone`, else the training
 * config's timeZone (`config.zone`, set in `config.from`), else MAILROUTE_TIME_ZONE (the server's), else UTC.
 */
export function windowTimeZone(ctx: CliContext, option: string | undefined, config: { zone?: string; from: string }): TimeZoneSetting {
  // The config's zone comes between the option and the environment; else as serve reads it.
  if (option === undefined && config.zone !== undefined) return { zone: config.zone, from: `the timeZone of ${config.from}` };
  return serveTimeZone(ctx, option);
}

/**
 * The stderr line that says which window a feedback command reads, and in which zone:
 * `cases closed in [2026-11-30T23:00:00.000Z, 2026-12-06T23:00:00.000Z) (Europe/Berlin, from --time-zone)`.
 */
export function windowLine(since: Date | undefined, until: Date | undefined, setting: TimeZoneSetting): string {
  const window =
    since !== undefined && until !== undefined
      ? `in [${since.toISOString()}, ${until.toISOString()})`
      : since !== undefined
        ? `at or after ${since.toISOString()}`
        : until !== undefined
          ? `before ${until.toISOString()}`
          : 'at any time';
  const zone = setting.zone === undefined ? 'UTC, by default' : `${setting.zone}, from ${setting.from}`;
  return `cases closed ${window} (${zone})`;
}

/** A date alone (`2026-09-06`), ISO 8601's: the day's first instant, wherever the clocks start it. */
const DATE_ALONE = /^\d{4}-\d{2}-\d{2}$/;

/** A month alone (`2026-11`, ISO 8601's year and month): the first instant of its first day. */
const MONTH_ALONE = /^\d{4}-(?:0[1-9]|1[0-2])$/;

/**
 * A time as the API and training read one (ISO 8601, also `2026-11-01 08:00` and `+0100`, or a Date header's form);
 * without a zone, in `timeZone` (set in `from`: `--time-zone`, the training config's), else UTC. A date alone is the
 * first instant of that day there (a month alone, `2026-11`, that of its first day): its midnight, or where the clocks skip midnight (America/Santiago on 2026-09-06),
 * the time they jump to. A date-time the clocks skip or show twice is refused, with the offsets to choose from.
 */
export function timeOption(flag: string, value: string, timeZone?: string, from = "the training config's timeZone"): Date {
  const trimmed = value.trim();
  // A month alone (`2026-11`) is its first day: `--since 2026-11 --until 2026-12` is November.
  const text = MONTH_ALONE.test(trimmed) ? `${trimmed}-01` : trimmed;
  const ms = parseReceivedTime(text, timeZone);
  if (!Number.isNaN(ms)) return new Date(ms);
  if (timeZone !== undefined && !Number.isNaN(parseReceivedTime(text))) {
    if (DATE_ALONE.test(text)) {
      // Skipped: moved forward by the gap (the first instant of the day); repeated: its first occurrence.
      const first = resolveLocalTime(text, timeZone);
      if (!Number.isNaN(first)) return new Date(first);
    }
    const offsets = localTimeOffsets(text, timeZone) ?? [];
    const shown = offsets.filter((o) => o.shown).map((o) => o.written);
    const where = `in ${timeZone} (${from})`;
    if (shown.length === 2) {
      throw new UsageError(`${flag} ${value}: ${where} this local time happens twice (the clocks go back then): give its offset, ${shown[0]} (the first) or ${shown[1]} (the second)`);
    }
    if (offsets.length === 2) {
      throw new UsageError(
        `${flag} ${value}: ${where} this local time is skipped (the clocks go forward then): give its offset, ${offsets[0].written} (the offset before the change, as the server reads such a closedAt) or ${offsets[1].written}`,
      );
    }
    throw new UsageError(`${flag} ${value}: ${where} this local time is skipped or happens twice at a change of daylight saving time: give its offset`);
  }
  const zone = timeZone === undefined ? 'UTC (--time-zone names another)' : `${timeZone} (${from})`;
  throw new UsageError(`${flag} ${value}: not a date or time (ISO 8601: 2026-11-01, 2026-11-01T08:00:00Z, or a month, 2026-11, from its first day; without a zone, in ${zone})`);
}
