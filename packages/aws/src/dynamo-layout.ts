/** Item keys of the single-table layout (its key and index names are DYNAMO_TABLE_LAYOUT in contracts.ts). */
export const predictionKey = (predictionId: string) => ({ pk: `PRED#${predictionId}`, sk: 'PREDICTION' });
export const feedbackKey = (emailId: string) => ({ pk: `EMAIL#${emailId}`, sk: 'FEEDBACK' });
export const emailPartition = (emailId: string) => `EMAIL#${emailId}`;
export const dayPartition = (isoDay: string) => `DAY#${isoDay}`;
/** The item that says from when on every judged prediction is in the judged-by-day index (written by its backfill). */
export const judgedIndexMarkerKey = { pk: 'META#judged-by-day', sk: 'BACKFILL' } as const;

/** The UTC days touched by [since, until), as yyyy-mm-dd, oldest first. */
export function daysInWindow(since: string, until: string): string[] {
  const start = Date.parse(since);
  const end = Date.parse(until);
  if (Number.isNaN(start) || Number.isNaN(end)) throw new RangeError(`invalid window ${since} .. ${until}`);
  const days: string[] = [];
  const dayMs = 86_400_000;
  for (let t = Math.floor(start / dayMs) * dayMs; t < end; t += dayMs) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** Epoch seconds `days` after `iso`: the TTL attribute DynamoDB deletes the item by. */
export function expiryEpochSeconds(iso: string, days: number): number {
  return Math.floor(Date.parse(iso) / 1000) + Math.round(days * 86_400);
}
