import { z } from 'zod';
import { MetricInputError } from './errors.js';
import { uniqueLabels } from './labels.js';

/**
 * Top-k accuracy as scikit-learn's `top_k_accuracy_score(y_true, y_score, k, labels)` for more than
 * two labels: a label missing from an example's scores counts as score 0; ties rank the later label
 * (in label order) first, as scikit-learn's reversed stable argsort does. A true label outside the
 * label order is a miss.
 */
export function topKAccuracy(
  truth: readonly string[],
  scores: ReadonlyArray<Readonly<Record<string, number>>>,
  k: number,
  labels?: readonly string[],
): number {
  if (truth.length !== scores.length) throw new MetricInputError(`truth has ${truth.length} labels but scores has ${scores.length} rows`);
  if (truth.length === 0) throw new MetricInputError('top-k accuracy of an empty input is undefined');
  if (!Number.isInteger(k) || k < 1) throw new MetricInputError(`k must be a positive integer, got ${k}`);
  const order = labels ? [...labels] : uniqueLabels(truth, ...scores.map((s) => Object.keys(s)));
  const index = new Map(order.map((l, i) => [l, i]));
  let hits = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = index.get(truth[i]);
    if (t === undefined) continue;
    const row = scores[i];
    // A true label the model gave no score is not in its top k, whatever the tie order.
    const mine = row[truth[i]];
    if (mine === undefined) continue;
    // Rank of the true label: labels scoring higher, or equal and later in the order, come first.
    let ahead = 0;
    for (let j = 0; j < order.length && ahead < k; j++) {
      if (j === t) continue;
      const s = row[order[j]] ?? 0;
      if (s > mine || (s === mine && j > t)) ahead++;
    }
    if (ahead < k) hits++;
  }
  return hits / truth.length;
}

export const ReliabilityBinSchema = z.object({
  lo: z.number(),
  hi: z.number(),
  count: z.number().int(),
  /** Mean confidence of the examples in the bin (0 when empty). */
  confidence: z.number(),
  /** Share of correct predictions in the bin (0 when empty). */
  accuracy: z.number(),
});
export type ReliabilityBin = z.infer<typeof ReliabilityBinSchema>;

export const CalibrationSchema = z.object({
  n: z.number().int(),
  /** Expected calibration error: sum over bins of (count/n) * |accuracy - confidence|. */
  ece: z.number(),
  /** Maximum calibration error over the non-empty bins. */
  mce: z.number(),
  meanConfidence: z.number(),
  accuracy: z.number(),
  bins: z.array(ReliabilityBinSchema),
});
export type Calibration = z.infer<typeof CalibrationSchema>;

/**
 * Expected calibration error and the reliability diagram's data, from the confidence of each
 * prediction and whether it was right. Bins are equal-width, (lo, hi]; a confidence of 0 falls in the first.
 */
export function calibration(confidences: readonly number[], correct: readonly boolean[], nBins = 10): Calibration {
  if (confidences.length !== correct.length) throw new MetricInputError('confidences and correct differ in length');
  if (confidences.length === 0) throw new MetricInputError('calibration of an empty input is undefined');
  if (!Number.isInteger(nBins) || nBins < 1) throw new MetricInputError(`bins must be a positive integer, got ${nBins}`);
  const count = new Array<number>(nBins).fill(0);
  const confSum = new Array<number>(nBins).fill(0);
  const hitSum = new Array<number>(nBins).fill(0);
  let allConf = 0;
  let allHits = 0;
  confidences.forEach((raw, i) => {
    const c = Math.min(1, Math.max(0, raw));
    let b = Math.min(nBins - 1, Math.max(0, Math.ceil(c * nBins) - 1));
    // c * nBins is rounded: 7 / 25 * 25 is 7.000000000000001, and a confidence just above 1 / 3 times 3 is 1. The
    // band is the one whose (lo, hi], as the bins show them (b / nBins), holds the confidence.
    if (b > 0 && c <= b / nBins) b--;
    else if (b < nBins - 1 && c > (b + 1) / nBins) b++;
    count[b]++;
    confSum[b] += c;
    allConf += c;
    if (correct[i]) {
      hitSum[b]++;
      allHits++;
    }
  });
  const n = confidences.length;
  let ece = 0;
  let mce = 0;
  const bins = count.map((cnt, b) => {
    const conf = cnt === 0 ? 0 : confSum[b] / cnt;
    const acc = cnt === 0 ? 0 : hitSum[b] / cnt;
    if (cnt > 0) {
      const gap = Math.abs(acc - conf);
      ece += (cnt / n) * gap;
      mce = Math.max(mce, gap);
    }
    return { lo: b / nBins, hi: (b + 1) / nBins, count: cnt, confidence: conf, accuracy: acc };
  });
  return { n, ece, mce, meanConfidence: allConf / n, accuracy: allHits / n, bins };
}

export const CoveragePointSchema = z.object({
  /** Answer automatically (route, for the routing task) when confidence >= threshold; below it the task abstains. */
  threshold: z.number(),
  /** Share of mail answered automatically (not abstained on). */
  coverage: z.number(),
  /** Share of the answered mail that was answered right. */
  precision: z.number(),
  /** Emails answered automatically (named `routed` for every task, as metrics.json has always had it). */
  routed: z.number().int(),
});
export type CoveragePoint = z.infer<typeof CoveragePointSchema>;

export const CoverageCurveSchema = z.object({
  n: z.number().int(),
  /** One point per distinct confidence, highest threshold first (thinned to at most `maxPoints`). */
  points: z.array(CoveragePointSchema),
  /** The curve at round thresholds, for a table a lead reads. */
  atThresholds: z.array(CoveragePointSchema),
  /** For each target precision: the point that reaches it with the most coverage, if any (its threshold: the least confident routed email's confidence). */
  forTargetPrecision: z.array(z.object({ target: z.number(), point: CoveragePointSchema.nullable() })),
});
export type CoverageCurve = z.infer<typeof CoverageCurveSchema>;

export const DEFAULT_THRESHOLDS = [0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99];
export const DEFAULT_TARGET_PRECISIONS = [0.8, 0.9, 0.95, 0.99];

/** Precision/coverage curve of the abstention threshold: what share of mail is answered at what precision. */
export function coverageCurve(
  confidences: readonly number[],
  correct: readonly boolean[],
  options: {
    maxPoints?: number;
    thresholds?: readonly number[];
    targets?: readonly number[];
    /**
     * Which emails can be answered at all (default: every one). The others count in the coverage's denominator but
     * are answered at no threshold: for the routing task, those with no queue to route to (`other`) or sent to
     * manual triage by another task's abstention.
     */
    eligible?: readonly boolean[];
  } = {},
): CoverageCurve {
  if (confidences.length !== correct.length) throw new MetricInputError('confidences and correct differ in length');
  const { eligible } = options;
  if (eligible && eligible.length !== confidences.length) throw new MetricInputError('confidences and eligible differ in length');
  const n = confidences.length;
  if (n === 0) throw new MetricInputError('coverage curve of an empty input is undefined');
  const order = confidences
    .map((c, i) => i)
    .filter((i) => eligible?.[i] !== false)
    .sort((a, b) => confidences[b] - confidences[a]);
  const all: CoveragePoint[] = [];
  let hits = 0;
  for (let r = 0; r < order.length; r++) {
    const i = order[r];
    if (correct[i]) hits++;
    const next = r + 1 < order.length ? confidences[order[r + 1]] : undefined;
    if (next === undefined || next < confidences[i]) {
      all.push({ threshold: confidences[i], coverage: (r + 1) / n, precision: hits / (r + 1), routed: r + 1 });
    }
  }
  const at = (t: number): CoveragePoint => {
    let best: CoveragePoint | undefined;
    for (const p of all) if (p.threshold >= t) best = p;
    return best ? { ...best, threshold: t } : { threshold: t, coverage: 0, precision: 0, routed: 0 };
  };
  const maxPoints = options.maxPoints ?? 200;
  const points = all.length <= maxPoints ? all : thin(all, maxPoints);
  const forTargetPrecision = (options.targets ?? DEFAULT_TARGET_PRECISIONS).map((target) => {
    let point: CoveragePoint | null = null;
    for (const p of all) if (p.precision >= target && (point === null || p.coverage > point.coverage)) point = p;
    return { target, point };
  });
  return { n, points, atThresholds: (options.thresholds ?? DEFAULT_THRESHOLDS).map(at), forTargetPrecision };
}

function thin(points: readonly CoveragePoint[], max: number): CoveragePoint[] {
  const out: CoveragePoint[] = [];
  const step = (points.length - 1) / (max - 1);
  for (let k = 0; k < max; k++) out.push(points[Math.round(k * step)]);
  return out;
}
