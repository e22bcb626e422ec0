/**
 * Fixed orders of strings: the same on every machine, where `localeCompare` without a locale follows the machine's
 * (Swedish sorts `ä` after `z`, Danish `B` before `b`).
 */

/** Labels as an English reader sorts them (`ärger` < `billing` < `Billing` < `zins`), as training printed them on most machines. */
export const byLabel: (a: string, b: string) => number = new Intl.Collator('en').compare;

/** Ids and ISO times in the order of their UTF-16 code units (`B` < `a` < `z` < `ä`). */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
