import { nullRecord, ownValue } from '@mailroute/model';

/** Label shares (summing to 1) from counts. */
export function shares(counts: Record<string, number>): Record<string, number> {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const out = nullRecord<number>();
  for (const [k, v] of Object.entries(counts)) out[k] = total > 0 ? v / total : 0;
  return out;
}

/**
 * Label shares of a sample of predictions, each label given half a count more (Jeffreys' smoothing) over
 * `labels` and the labels counted: a label a small sample happens to miss gets a share in proportion to the
 * sample's size, not a floor that makes every missed label weigh like a large shift. `size`: the sample's size when
 * the counts are shares scaled to it (`smoothedReferenceShares`), else the counts' sum.
 */
export function smoothedShares(counts: Record<string, number>, labels: readonly string[], size?: number): Record<string, number> {
  const keys = [...new Set([...labels, ...Object.keys(counts)])];
  const total = (size ?? keys.reduce((sum, k) => sum + (ownValue(counts, k) ?? 0), 0)) + keys.length / 2;
  const out = nullRecord<number>();
  for (const k of keys) out[k] = ((ownValue(counts, k) ?? 0) + 0.5) / total;
  return out;
}

/**
 * A reference distribution as it can be used: its shares (counts are taken too) over their sum; undefined, no
 * reference, when one is no finite number ≥ 0 (NaN, negative, infinite: the figure would be NaN, or measure a label
 * as missing that is not) or none is above 0 (rather than every label equal).
 */
export function usableShares(given: Record<string, number> | undefined): Record<string, number> | undefined {
  if (given === undefined) return undefined;
  const entries = Object.entries(given);
  if (!entries.every(([, v]) => typeof v === 'number' && Number.isFinite(v) && v >= 0)) return undefined;
  const total = entries.reduce((sum, [, v]) => sum + v, 0);
  if (!(total > 0 && Number.isFinite(total))) return undefined;
  return shares(given);
}

/**
 * Reference shares (the training distribution, which comes as shares) smoothed as a sample's are in
 * `smoothedShares`: read as the counts of a sample of `n` predictions, the size of the sample compared with them,
 * each label of `labels` and of the shares given half a count more. A sample whose counts are the reference's
 * shares exactly then measures 0, and a label the training never saw (share 0) gets the share a label the sample
 * missed gets, not a floor that makes it weigh like the largest shift.
 */
export function smoothedReferenceShares(reference: Record<string, number>, n: number, labels: readonly string[]): Record<string, number> {
  const counts = nullRecord<number>();
  for (const [k, share] of Object.entries(reference)) counts[k] = share * n;
  return smoothedShares(counts, labels, n);
}

/**
 * Predictions of a task a drift figure needs, for `labels` labels: 20 per degree of freedom, at least 30.
 * PSI on a sample of n predictions from unchanged traffic is about (labels - 1) / n by chance alone, so this
 * keeps it near 0.05, under the 0.1 that reads as a moderate shift; a real shift of a tenth of the mail from
 * one label to another still measures well above 0.1 at this size.
 */
export function minDriftPredictions(labels: number): number {
  return Math.max(30, 20 * (labels - 1));
}

/**
 * Small mass given to a label seen on one side only, so the logarithms stay finite. Live quality smooths both
 * sides before (`smoothedShares`, `smoothedReferenceShares`), so it never meets one: this is for other callers.
 */
const EPSILON = 1e-4;

/** A share as a number ≥ 0: one that is no finite number counts 0. */
function shareOf(d: Record<string, number>, k: string): number {
  const v = ownValue(d, k);
  return v !== undefined && Number.isFinite(v) && v > 0 ? v : 0;
}

function aligned(actual: Record<string, number>, expected: Record<string, number>, labels: readonly string[]) {
  const keys = [...new Set([...labels, ...Object.keys(actual), ...Object.keys(expected)])];
  const norm = (d: Record<string, number>) => {
    const raw = keys.map((k) => Math.max(shareOf(d, k), EPSILON));
    const sum = raw.reduce((a, b) => a + b, 0);
    return raw.map((v) => v / sum);
  };
  return { p: norm(actual), q: norm(expected) };
}

/**
 * Population stability index of the actual distribution against the expected one.
 * Rule of thumb: < 0.1 stable, 0.1-0.25 moderate shift, > 0.25 large shift.
 */
export function populationStabilityIndex(actual: Record<string, number>, expected: Record<string, number>, labels: readonly string[] = []): number {
  const { p, q } = aligned(actual, expected, labels);
  let psi = 0;
  for (let i = 0; i < p.length; i++) psi += (p[i] - q[i]) * Math.log(p[i] / q[i]);
  return psi;
}

/** Jensen-Shannon divergence in bits (0 identical, 1 disjoint). */
export function jensenShannon(actual: Record<string, number>, expected: Record<string, number>, labels: readonly string[] = []): number {
  const { p, q } = aligned(actual, expected, labels);
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i] + q[i]) / 2;
    js += 0.5 * p[i] * Math.log2(p[i] / m) + 0.5 * q[i] * Math.log2(q[i] / m);
  }
  return Math.max(0, js);
}
