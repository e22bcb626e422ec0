import { localTimeOffsets, parseReceivedTime, resolveLocalTime } from '@mailroute/preprocess';

/**
 * Received times without an offset that fell where a change of daylight saving time in the config's `timeZone` makes
 * the local time ambiguous: `repeated` (the autumn hour the clocks show twice), `skipped` (the spring hour they never
 * show), and where the first are (`file:line`).
 */
export interface ShiftedTimes {
  repeated: number;
  skipped: number;
  at: string[];
}

const MAX_LISTED = 5;

export function noShiftedTimes(): ShiftedTimes {
  return { repeated: 0, skipped: 0, at: [] };
}

/**
 * Milliseconds since the epoch of a received time (the forms `parseReceivedTime` reads), NaN when it is none. In
 * `timeZone`, one without an offset is read as serving reads it (`resolveLocalTime`): a repeated local time as its
 * first occurrence, a skipped one moved forward by the gap. A CRM export cannot add offsets, and training and serving
 * must place the same mail at the same instant; each such time is counted in `shifted`, for the load's note.
 */
export function readReceivedTime(text: string, timeZone: string | undefined, shifted: ShiftedTimes, place: string): number {
  const strict = parseReceivedTime(text, timeZone);
  // Only a time the zone skips or repeats is NaN to the strict reading and not to the lenient one: the common case costs one reading.
  if (!Number.isNaN(strict) || timeZone === undefined) return strict;
  const resolved = resolveLocalTime(text, timeZone);
  if (Number.isNaN(resolved)) return resolved;
  const shown = (localTimeOffsets(text, timeZone) ?? []).filter((o) => o.shown).length;
  if (shown === 0) shifted.skipped++;
  else if (shown > 1) shifted.repeated++;
  if ((shown === 0 || shown > 1) && shifted.at.length < MAX_LISTED) shifted.at.push(place);
  return resolved;
}

/**
 * The note a load says once when received times fell in a change of daylight saving time: how many, where the first
 * are, and how they were read. Undefined when none did.
 */
export function shiftedTimesNote(shifted: ShiftedTimes, timeZone: string | undefined): string | undefined {
  const total = shifted.repeated + shifted.skipped;
  if (total === 0 || timeZone === undefined) return undefined;
  const how = [
    ...(shifted.repeated > 0 ? [`${shifted.repeated} the clocks show twice, read as the first of the two (at the earlier offset)`] : []),
    ...(shifted.skipped > 0 ? [`${shifted.skipped} the clocks skip, moved forward by the gap`] : []),
  ];
  const more = total > shifted.at.length ? ', ...' : '';
  return `${total} received time(s) without an offset fall in a change of daylight saving time in ${timeZone} (${shifted.at.join(', ')}${more}): ${how.join('; ')}, as serving reads such times; an export that writes the offset is read as it is`;
}
