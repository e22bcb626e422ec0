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

/**
 * The fewest edits that make `a` a prefix of `b` (`b` cut after any character, or whole): `transfer_not_recieved` is 1
 * from `transfer_not_received_by_recipient`, whose first 21 characters it mistypes.
 */
export function prefixEditDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let before: number[] = [];
  for (let i = 1; i <= a.length; i++) {
    const row = [i, ...new Array<number>(b.length).fill(0)];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], before[j - 2] + 1);
    }
    [before, prev] = [prev, row];
  }
  return Math.min(...prev);
}

/** A name this long or longer may be the (mistyped) start of a longer known name. */
const MIN_PREFIX_LENGTH = 8;
/** Edits a name may be from the start of a longer known name: one per this many characters of the name (8-15: 1)... */
const PREFIX_CHARACTERS_PER_EDIT = 8;
/** ...and at most this many (16 characters or more: 2). */
const MAX_PREFIX_EDITS = 2;

export interface ClosestKeyOptions {
  /**
   * Also a longer known name whose start `key` is, or mistypes (labels: `transfer_not_recieved` for
   * `transfer_not_received_by_recipient`); off for names where a longer one that starts alike is another thing
   * (options: `--model-dir` is no `--model-threads`; columns: a header line split wrong is no column).
   */
  prefixes?: boolean;
}

/**
 * The known key closest to `key` (case ignored), if it is close enough to be a typo: one edit per three letters, at
 * least one (the first such name wins a tie). Failing that, with `prefixes`, a key of MIN_PREFIX_LENGTH characters or
 * more that is at most one edit per 8 of its characters (2 at most) from the start of a longer known name
 * (`transfer_not_recieved`: `transfer_not_received_by_recipient`): a label cut short, or its head mistyped; the one
 * fewest edits from it, and none when two or more are (`card_pay`: `card_payment_fee_charged`,
 * `card_payment_not_recognised`, ...): which was meant is a guess.
 */
export function closestKey(key: string, known: Iterable<string>, options: ClosestKeyOptions = {}): string | undefined {
  if (key.length > MAX_TYPO_LENGTH) return undefined;
  const typed = key.toLowerCase();
  const candidates = [...known];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const dist = editDistance(typed, candidate.toLowerCase());
    if (dist < bestDistance) [best, bestDistance] = [candidate, dist];
  }
  if (best !== undefined && bestDistance <= Math.max(1, Math.floor(key.length / 3))) return best;
  if (options.prefixes !== true || key.length < MIN_PREFIX_LENGTH) return undefined;
  const allowed = Math.min(MAX_PREFIX_EDITS, Math.floor(key.length / PREFIX_CHARACTERS_PER_EDIT));
  // A start longer than the key by more than `allowed` is further than that from it: only so much is compared.
  const near = candidates
    .filter((c) => c.length > key.length)
    .map((c) => ({ c, dist: prefixEditDistance(typed, c.slice(0, key.length + allowed).toLowerCase()) }))
    .filter((x) => x.dist <= allowed);
  const fewest = Math.min(...near.map((x) => x.dist));
  const closest = new Set(near.filter((x) => x.dist === fewest).map((x) => x.c));
  return closest.size === 1 ? [...closest][0] : undefined;
}

/** ` (did you mean subject?)` when a known name is close to `name`, else ''; `quote` goes around the guess (`"`). */
export function didYouMean(name: string, known: Iterable<string>, quote = '', options: ClosestKeyOptions = {}): string {
  const guess = closestKey(name, known, options);
  return guess === undefined ? '' : ` (did you mean ${quote}${guess}${quote}?)`;
}

/** Whether a shortened or mistyped `id` may have meant `known`: it holds `id` (4 characters or more), or is one edit away. */
export function isNearId(known: string, id: string): boolean {
  // An id as the reports shorten it (`…be0983`, `...be0983`) is looked for without its ellipsis.
  const bare = id.replace(/^(?:\u2026|\.{3})/, '');
  return (bare.length >= 4 && known.includes(bare)) || editDistance(known, id) === 1;
}
