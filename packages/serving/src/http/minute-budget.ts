/** One key's minute: when it began, the lines logged in it, and the lines dropped since the last one logged. */
export interface Minute {
  windowStart: number;
  logged: number;
  suppressed: number;
}

/**
 * Takes a line of `key`'s budget of `perMinute` lines a minute (a new minute begins 60 s after the last began): the
 * number of lines dropped since the last one logged, for the line to say (`suppressed`), or undefined when this
 * minute's budget is spent (the line is dropped and counted). An `always` line is logged whatever the budget, and
 * takes none of it.
 */
export function takeMinuteLine(minutes: Map<string, Minute>, key: string, now: number, perMinute: number, always = false): number | undefined {
  let minute = minutes.get(key);
  if (minute === undefined) minutes.set(key, (minute = { windowStart: now, logged: 0, suppressed: 0 }));
  if (now - minute.windowStart >= 60_000) {
    minute.windowStart = now;
    minute.logged = 0;
  }
  if (minute.logged >= perMinute && !always) {
    minute.suppressed += 1;
    return undefined;
  }
  if (!always) minute.logged += 1;
  const dropped = minute.suppressed;
  minute.suppressed = 0;
  return dropped;
}
