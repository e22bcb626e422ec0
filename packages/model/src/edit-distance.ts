/**
 * Edit distance (insertions, deletions, substitutions, swaps of neighbours): how far a typed name is from a
 * known one, for "did you mean" hints (config keys, commands, registry ids).
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Names longer than this are no typos of a known one (and comparing them costs their length squared). */
const MAX_TYPO_LENGTH = 100;

/** The known key closest to `key` (case ignored), if it is close enough to be a typo: one edit per three letters, at least one. */
export function closestKey(key: string, known: Iterable<string>): string | undefined {
  if (key.length > MAX_TYPO_LENGTH) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const dist = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (dist < bestDistance) [best, bestDistance] = [candidate, dist];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}

/** ` (did you mean subject?)` when a known name is close to `name`, else ''; `quote` goes around the guess (`"`). */
export function didYouMean(name: string, known: Iterable<string>, quote = ''): string {
  const guess = closestKey(name, known);
  return guess === undefined ? '' : ` (did you mean ${quote}${guess}${quote}?)`;
}

/** Whether a shortened or mistyped `id` may have meant `known`: it holds `id` (4 characters or more), or is one edit away. */
export function isNearId(known: string, id: string): boolean {
  // An id as the reports shorten it (`…be0983`, `...be0983`) is looked for without its ellipsis.
  const bare = id.replace(/^(?:\u2026|\.{3})/, '');
  return (bare.length >= 4 && known.includes(bare)) || editDistance(known, id) === 1;
}
