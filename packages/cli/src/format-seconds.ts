/**
 * A duration for a person: tenths from a second up (`12.3`, `1.5`), two significant digits below
 * (`0.045`, `0.50`), so a short run does not read `0.0`.
 */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return '0';
  return seconds >= 1 ? seconds.toFixed(1) : seconds.toPrecision(2);
}
