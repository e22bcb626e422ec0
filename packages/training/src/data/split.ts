import type { SplitConfig } from '../config.js';
import { SplitError } from '../errors.js';
import { createRandom, shuffleInPlace } from '../random.js';
import type { DatasetRow } from './dataset.js';

export interface DatasetSplit {
  train: DatasetRow[];
  valid: DatasetRow[];
  test: DatasetRow[];
  /** Groups of two or more exact duplicates, each kept whole on one side. */
  duplicateGroups: number;
  /** Distinct texts (groups of duplicates, single rows included): what the split shares out. */
  distinctTexts: number;
}

const MISSING = '\u0000missing';

/** Duplicates (same key: by default the digest of the normalised raw text, `dedupeKey`) form one group, so they can never straddle two sides. */
function groupDuplicates(rows: readonly DatasetRow[], keys?: readonly string[]): number[][] {
  const byKey = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const key = keys?.[i] ?? row.dedupeKey;
    const g = byKey.get(key);
    if (g) g.push(i);
    else byKey.set(key, [i]);
  });
  return [...byKey.values()];
}

function collect(rows: readonly DatasetRow[], groups: number[][], side: Uint8Array): DatasetSplit {
  const parts: DatasetRow[][] = [[], [], []];
  groups.forEach((g, gi) => {
    for (const i of g) parts[side[gi]].push(rows[i]);
  });
  const order = new Map(rows.map((r, i) => [r, i]));
  for (const p of parts) p.sort((a, b) => (order.get(a) as number) - (order.get(b) as number));
  const [train, valid, test] = parts;
  if (train.length === 0) throw new SplitError('the split leaves no rows to train on');
  return { train, valid, test, duplicateGroups: groups.filter((g) => g.length > 1).length, distinctTexts: groups.length };
}

const TRAIN = 0;
const VALID = 1;
const TEST = 2;

/**
 * Splits rows into train, validation and test without leakage. `stratified`: per label of the `on` task,
 * a seeded shuffle of the duplicate groups, then `testShare` and `validShare` of each label's groups.
 * `time`: the newest `testShare` of rows is the test set and the next newest `validShare` the validation
 * set. With `externalTest` the test set comes from elsewhere and no test share is taken here. `keys`
 * (one per row) say which rows are duplicates; by default their `dedupeKey`.
 */
export function splitDataset(rows: readonly DatasetRow[], split: SplitConfig, options: { externalTest?: boolean; keys?: readonly string[] } = {}): DatasetSplit {
  const groups = groupDuplicates(rows, options.keys);
  const side = new Uint8Array(groups.length);
  const testShare = options.externalTest ? 0 : split.testShare;
  if (split.kind === 'stratified') {
    const strata = new Map<string, number[]>();
    groups.forEach((g, gi) => {
      const key = rows[g[0]].labels[split.on] ?? MISSING;
      const s = strata.get(key);
      if (s) s.push(gi);
      else strata.set(key, [gi]);
    });
    const random = createRandom(split.seed);
    for (const key of [...strata.keys()].sort()) {
      const members = shuffleInPlace(strata.get(key) as number[], random);
      const n = members.length;
      let nTest = Math.round(n * testShare);
      let nValid = Math.round(n * split.validShare);
      // Keep at least one group of each label for training.
      while (n - nTest - nValid < 1 && nValid > 0) nValid--;
      while (n - nTest - nValid < 1 && nTest > 0) nTest--;
      members.forEach((gi, k) => (side[gi] = k < nTest ? TEST : k < nTest + nValid ? VALID : TRAIN));
    }
  } else {
    // Without a time a row cannot be placed before or after the others: it would silently go to training.
    const untimed = rows.filter((r) => r.time === undefined);
    if (untimed.length > 0) {
      const shown = untimed.slice(0, 3).map((r) => `${r.file}:${r.line}`).join(', ');
      throw new SplitError(`a time split needs every row's received time: ${untimed.length} of ${rows.length} row(s) have none (${shown}${untimed.length > 3 ? ', ...' : ''}); fill them in, leave those rows out ("onBadRow": "skip" or --on-bad-row skip does), or use a stratified split`);
    }
    // A group of duplicates is placed by its oldest row: one text that came all year (an auto-reply, a form) trains,
    // rather than filling the test set with its old copies and pushing the newest mail into training. Held out,
    // a group is wholly newer than what trains. Not Math.min(...times): spread into arguments, a group of 130,000
    // copies would overflow the stack.
    const time = groups.map((g) => g.reduce((oldest, i) => Math.min(oldest, rows[i].time as number), Infinity));
    const order = groups.map((_, gi) => gi).sort((a, b) => time[b] - time[a] || b - a);
    const total = rows.length;
    const wantTest = Math.round(total * testShare);
    const wantValid = Math.round(total * split.validShare);
    let nTest = 0;
    let nValid = 0;
    for (const gi of order) {
      const size = groups[gi].length;
      if (nTest < wantTest) {
        side[gi] = TEST;
        nTest += size;
      } else if (nValid < wantValid) {
        side[gi] = VALID;
        nValid += size;
      } else side[gi] = TRAIN;
    }
  }
  return collect(rows, groups, side);
}

/**
 * A time split whose held-out rows share their received time with training rows: among rows of one time the split
 * cannot go by time, so it follows the file's order, and the test set is not newer mail than the training set
 * there (an export with dates only, or one time for every row). Undefined when the held-out rows are newer, but
 * for at most a twentieth of them.
 */
export function timeTieWarning(split: DatasetSplit): string | undefined {
  let newestTrain = -Infinity;
  for (const r of split.train) if ((r.time as number) > newestTrain) newestTrain = r.time as number;
  const count = (rows: readonly DatasetRow[]) => rows.reduce((n, r) => n + (r.time === newestTrain ? 1 : 0), 0);
  const heldOut = count(split.test) + count(split.valid);
  // A few rows of one second at the boundary change nothing; a twentieth of the held-out rows is a split by file order.
  if (heldOut === 0 || heldOut * 20 <= split.test.length + split.valid.length) return undefined;
  const at = new Date(newestTrain).toISOString();
  const total = split.train.length + split.valid.length + split.test.length;
  if (count(split.train) + heldOut === total) return `time split: every row has the received time ${at}, so the split follows the file's order, not time: the test rows are no newer than the training rows`;
  return `time split: ${heldOut} held-out row(s) and ${count(split.train)} training row(s) share the received time ${at}; among them the split follows the file's order, not time (dates without a time of day?)`;
}

/** Received times before this are no mail a CRM holds: a placeholder (`1900-01-01`) or a typo. */
const EARLIEST_MAIL = Date.UTC(1990, 0, 1);
/** How far past the clock a received time may be (clocks and zones differ) before it is taken for a placeholder. */
const AHEAD_ALLOWED_MS = 86_400_000;

/**
 * A time split over rows with received times no mail has: later than `now` (a day's leeway) or before 1990, such as
 * the placeholders `9999-12-31` and `1900-01-01` or a typo (`2062`). The time split takes the rows dated in the future
 * as the newest mail, so they fill the test set; those of 1900 train as the oldest. Undefined when there are none.
 */
export function implausibleTimeWarning(rows: readonly DatasetRow[], now: number): string | undefined {
  const ahead: DatasetRow[] = [];
  const early: DatasetRow[] = [];
  for (const r of rows) {
    if (r.time === undefined) continue;
    if (r.time > now + AHEAD_ALLOWED_MS) ahead.push(r);
    else if (r.time < EARLIEST_MAIL) early.push(r);
  }
  if (ahead.length === 0 && early.length === 0) return undefined;
  const where = (list: DatasetRow[]) => `${list.slice(0, 3).map((r) => `${r.file}:${r.line}`).join(', ')}${list.length > 3 ? ', ...' : ''}`;
  const parts = [
    ...(ahead.length > 0 ? [`${ahead.length} received after now (${where(ahead)}), which the split holds out as the newest mail`] : []),
    ...(early.length > 0 ? [`${early.length} received before 1990 (${where(early)})`] : []),
  ];
  return `time split: ${parts.join(' and ')}; placeholder dates (9999-12-31, 1900-01-01) or typos? Correct them, or leave those rows out`;
}
