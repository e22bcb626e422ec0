/**
 * How many test texts are near-duplicates of training texts: the same sentences with other names, amounts or
 * greetings, as a template-generated or repetitive export has them. Exact duplicates never cross the split (it
 * groups them); near ones do, and a test split full of them measures the model on wording it has learnt, which
 * overstates how it does on mail worded anew. Said at training and kept in the manifest for the model card.
 *
 * A text's word 5-grams (words of letters and digits, lower case) are hashed; a test text is a near-duplicate
 * when at least NEAR_SHARE of its 5-grams occur in the training texts. 60% tells the two kinds of data apart: the
 * demo data, generated from templates, has 694 of its 799 judged test rows near (57% of a random test split at
 * 80%); the bench's support tickets 16 of 795. Texts under MIN_SHINGLES 5-grams (a dozen words) are not judged: a
 * few common phrases would decide them.
 */
export const SHINGLE_WORDS = 5;
export const NEAR_SHARE = 0.6;
const MIN_SHINGLES = 8;

export interface NearDuplicateCount {
  /** Test texts long enough to judge. */
  judged: number;
  /** Of those, the ones with NEAR_SHARE or more of their 5-grams in the training texts. */
  near: number;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** FNV-1a over the UTF-16 code units of the words, a blank between: one 32-bit number per 5-gram. */
function shingleHashes(text: string): Uint32Array {
  const words = text.toLowerCase().match(WORD) ?? [];
  const count = Math.max(0, words.length - SHINGLE_WORDS + 1);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    let h = 0x811c9dc5;
    for (let w = i; w < i + SHINGLE_WORDS; w++) {
      const word = words[w];
      for (let c = 0; c < word.length; c++) h = Math.imul(h ^ word.charCodeAt(c), 0x01000193);
      h = Math.imul(h ^ 32, 0x01000193);
    }
    out[i] = h >>> 0;
  }
  return out;
}

/** The training texts' 5-gram hashes, sorted and distinct (4 bytes each: a million 5-grams take 4 MB). */
function trainingShingles(texts: Iterable<string>): Uint32Array {
  const parts: Uint32Array[] = [];
  let total = 0;
  for (const text of texts) {
    const hashes = shingleHashes(text);
    parts.push(hashes);
    total += hashes.length;
  }
  const all = new Uint32Array(total);
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  all.sort();
  let distinct = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[distinct++] = all[i];
  return all.subarray(0, distinct);
}

function has(sorted: Uint32Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] === value) return true;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** How many of `test` are near-duplicates of `training` (both as the model reads them, after cleaning). */
export function countNearDuplicates(training: Iterable<string>, test: Iterable<string>): NearDuplicateCount {
  const known = trainingShingles(training);
  let judged = 0;
  let near = 0;
  for (const text of test) {
    const hashes = shingleHashes(text);
    if (hashes.length < MIN_SHINGLES) continue;
    judged++;
    let found = 0;
    for (let i = 0; i < hashes.length; i++) if (has(known, hashes[i])) found++;
    if (found >= NEAR_SHARE * hashes.length) near++;
  }
  return { judged, near };
}

/** Past this share of judged test rows the warning is given: a few near copies are normal, most are not. */
export const NEAR_DUPLICATE_WARN_SHARE = 0.5;

/**
 * The training warning when most test rows are near-duplicates of training rows, else undefined. Its advice is what
 * the run does not do yet: `tested` says how its test rows were chosen (a held-out split of `kind`, or a test file).
 */
export function nearDuplicateWarning(count: NearDuplicateCount, tested: { kind?: 'stratified' | 'time'; testFile?: boolean } = {}): string | undefined {
  if (count.judged < 20 || count.near < NEAR_DUPLICATE_WARN_SHARE * count.judged) return undefined;
  // To a tenth, as the model card and the reports give it.
  const share = `${((count.near / count.judged) * 100).toFixed(1)}%`;
  const advice = tested.testFile
    ? 'the test file (--test-data) repeats the wording of the training rows: measure it on a file of mail written apart from them'
    : tested.kind === 'time'
      ? 'its test rows are already later mail (split kind "time"), so this wording recurs over time in this data: measure it on a file of its own (--test-data) to see how it does on mail worded otherwise'
      : 'measure it on later mail (split kind "time") or on a file of its own (--test-data)';
  return (
    `${count.near} of the ${count.judged} test rows long enough to judge (${share}) share ${NEAR_SHARE * 100}% or more of their word ${SHINGLE_WORDS}-grams with training rows ` +
    `(the same sentences with other names, amounts or greetings): the test figures likely overstate how the model does on mail worded anew; ${advice}`
  );
}
