import type { PredictionLine } from './prediction-line.js';
import { seededRandom } from './stats.js';

export interface SyntheticOptions {
  n: number;
  /** Labels per task; frequencies fall off geometrically so the data is imbalanced like real mail. */
  tasks: Record<string, readonly string[]>;
  seed?: number;
  /** Rough share of right predictions. Default 0.8. */
  skill?: number;
  /** Meta values drawn uniformly, e.g. `{ language: ['de', 'en'] }`. */
  meta?: Record<string, readonly string[]>;
  /** Write scores for every label (default true). */
  scores?: boolean;
}

/**
 * Invented prediction lines for tests, benchmarks and demos: seeded, imbalanced, with scores whose
 * confidence tracks correctness (a little over-confident, like an uncalibrated model).
 */
export function syntheticPredictionLines(options: SyntheticOptions): PredictionLine[] {
  const random = seededRandom(options.seed ?? 7);
  const skill = options.skill ?? 0.8;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const weighted = (labels: readonly string[]): string => {
    const w = labels.map((_, i) => Math.exp(-i / Math.max(2, labels.length / 4)));
    let u = random() * w.reduce((a, b) => a + b, 0);
    for (let i = 0; i < labels.length; i++) {
      u -= w[i];
      if (u <= 0) return labels[i];
    }
    return labels[labels.length - 1];
  };
  const lines: PredictionLine[] = [];
  for (let i = 0; i < options.n; i++) {
    const truth: Record<string, string> = {};
    const prediction: PredictionLine['prediction'] = {};
    for (const [task, labels] of Object.entries(options.tasks)) {
      const t = weighted(labels);
      // Rare labels are harder: skill falls with the label's rank.
      const rank = labels.indexOf(t) / labels.length;
      const right = random() < skill * (1 - 0.35 * rank);
      const label = right ? t : pick(labels.filter((l) => l !== t));
      truth[task] = t;
      if (options.scores === false) {
        prediction[task] = { label };
        continue;
      }
      const top = right ? 0.55 + 0.45 * random() : 0.3 + 0.55 * random();
      const rest = labels.filter((l) => l !== label);
      const raw = rest.map(() => random() + 0.01);
      const sum = raw.reduce((a, b) => a + b, 0);
      const scores: Record<string, number> = { [label]: top };
      rest.forEach((l, k) => (scores[l] = ((1 - top) * raw[k]) / sum));
      prediction[task] = { label, scores };
    }
    const meta: Record<string, string> = {};
    for (const [k, values] of Object.entries(options.meta ?? {})) meta[k] = pick(values);
    lines.push({ id: `e${i + 1}`, truth, prediction, ...(options.meta ? { meta } : {}) });
  }
  return lines;
}
