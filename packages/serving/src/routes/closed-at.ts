import { localTimeOffsets, namesTimeZone, parseReceivedTime, resolveLocalTime } from '@mailroute/preprocess';
import { ValidationError } from '../errors.js';

/** A feedback's closedAt as the route reads it. */
export interface ClosedAt {
  /** ISO 8601 UTC with milliseconds: one form, so that stores compare closedAt as text. */
  instant: string;
  /** Sent without a zone to a server without one: read as UTC, though the CRM may have meant any zone's time. */
  zoneGuessed: boolean;
  /** How it was read, when that deserves a look: as UTC for want of a zone, or in an hour a change of daylight saving time repeats or skips. */
  warning?: string;
}

/** Where a server's time zone is set, as a warning names it. */
const SET_TIME_ZONE = "mailroute serve --time-zone, or MAILROUTE_TIME_ZONE; on AWS the stack config's mailroute:api.timeZone";

/**
 * A closedAt the schema checked (a form `parseReceivedTime` reads), as an instant. One that names its zone is that
 * instant. One without a zone (and a date alone) is read in `timeZone`, or as UTC on a server without one, with a
 * warning: a German CRM's local 13:30 read as UTC is stored an hour or two late, and a later correction sent with its
 * zone is answered superseded. In `timeZone`, a local time that a change of daylight saving time repeats is read as its
 * first occurrence and one it skips moved forward by the gap (`resolveLocalTime`, as classify reads receivedAt), with a
 * warning: refusing it would lose the labels a person confirmed for an hour's ambiguity.
 */
export function readClosedAt(text: string, timeZone: string | undefined): ClosedAt {
  if (namesTimeZone(text)) return { instant: new Date(parseReceivedTime(text)).toISOString(), zoneGuessed: false };
  if (timeZone === undefined) {
    const instant = new Date(parseReceivedTime(text)).toISOString();
    return {
      instant,
      zoneGuessed: true,
      warning: `closedAt ${text} has no zone and this server has no time zone set, so it was read as UTC (${instant}). If the CRM sends its local time, set the server's time zone to the CRM's, such as Europe/Berlin (${SET_TIME_ZONE}), or send closedAt with its offset (+01:00) or Z: read as UTC, a local time is stored hours off, and a later correction sent with its zone can be answered superseded.`,
    };
  }
  const ms = parseReceivedTime(text, timeZone);
  if (!Number.isNaN(ms)) return { instant: new Date(ms).toISOString(), zoneGuessed: false };
  return { ...atDaylightSavingChange(text, timeZone), zoneGuessed: false };
}

/** A local time that `zone` repeats or skips at a change of daylight saving time: read as `resolveLocalTime` reads it, and said so. */
function atDaylightSavingChange(text: string, zone: string): { instant: string; warning: string } {
  const ms = resolveLocalTime(text, zone);
  if (Number.isNaN(ms)) {
    // In the zone, the time falls outside the years 0000 to 9999 in UTC: no instant to store.
    throw new ValidationError(`closedAt ${text}, read in the server's time zone ${zone}, is outside the years 0000 to 9999 in UTC: send the time the case closed.`, [
      { path: ['closedAt'], message: 'outside the years 0000 to 9999 in UTC', code: 'invalid_date' },
    ]);
  }
  const instant = new Date(ms).toISOString();
  const offsets = localTimeOffsets(text, zone) ?? [];
  const shown = offsets.filter((o) => o.shown);
  const read = offsets.find((o) => Date.parse(o.written) === ms)?.written ?? instant;
  if (shown.length === 2) {
    const other = shown.find((o) => o.written !== read)?.written;
    return {
      instant,
      warning: `closedAt ${text} has no zone and happens twice in the server's time zone ${zone} (the clocks go back then): it was read as its first occurrence, ${read} (${instant}).${other === undefined ? '' : ` If the case closed in the second, send ${other}.`}`,
    };
  }
  return {
    instant,
    warning: `closedAt ${text} has no zone and never happens in the server's time zone ${zone} (the clocks skip it): it was read as ${read} (${instant}), moved forward by the gap as calendar software reads it. Send closedAt with its offset if the CRM meant another time.`,
  };
}
