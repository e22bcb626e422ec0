/**
 * Label order as scikit-learn's `unique_labels` gives it: the sorted set of every label in the
 * inputs. Python sorts strings by code point; JavaScript's default sort compares UTF-16 units,
 * which differs for characters outside the Basic Multilingual Plane, so compare code points.
 */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/** The sorted distinct labels of all given lists (scikit-learn's `unique_labels`). */
export function uniqueLabels(...lists: ReadonlyArray<readonly string[]>): string[] {
  const set = new Set<string>();
  for (const list of lists) for (const label of list) set.add(label);
  return [...set].sort(compareCodePoints);
}
