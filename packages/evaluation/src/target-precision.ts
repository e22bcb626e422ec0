/**
 * Two standard errors of a precision measured on `answered` emails, taken at the target itself (the spread the
 * measurement would have if the threshold reached the target exactly), as a share.
 */
export function chanceMargin(answered: number, target: number): number {
  return 2 * Math.sqrt((target * (1 - target)) / answered);
}

/**
 * Whether a precision measured on `answered` emails falls short of `target` by more than chance explains: by more than
 * two standard errors of a share of that many (about 1 in 40 of thresholds that truly reach the target on new mail).
 * Train's warning, the reports' sentence and compare's warning all judge a shortfall so.
 */
export function shortBeyondChance(precision: number | null, answered: number, target: number): boolean {
  if (precision === null || answered === 0 || precision >= target) return false;
  return target - precision > chanceMargin(answered, target);
}
