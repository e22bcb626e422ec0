/**
 * Per-task calibration on the validation split: a softmax temperature (minimising the negative
 * log-likelihood) and an abstention threshold (the lowest confidence reaching a target precision).
 */

function nll(logits: Float64Array[], gold: Int32Array, temperature: number): number {
  let total = 0;
  let n = 0;
  for (let i = 0; i < logits.length; i++) {
    const y = gold[i];
    if (y < 0) continue;
    const z = logits[i];
    let max = -Infinity;
    for (let c = 0; c < z.length; c++) if (z[c] > max) max = z[c];
    let sum = 0;
    for (let c = 0; c < z.length; c++) sum += Math.exp((z[c] - max) / temperature);
    total += Math.log(sum) - (z[y] - max) / temperature;
    n++;
  }
  return n === 0 ? 0 : total / n;
}

/** Temperature in [0.05, 20] minimising NLL (golden-section search over log T); 1 with no labelled data. */
export function fitTemperature(logits: Float64Array[], gold: Int32Array): number {
  if (!gold.some((y) => y >= 0)) return 1;
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = hi - ratio * (hi - lo);
  let b = lo + ratio * (hi - lo);
  let fa = nll(logits, gold, Math.exp(a));
  let fb = nll(logits, gold, Math.exp(b));
  for (let iter = 0; iter < 60; iter++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - ratio * (hi - lo);
      fa = nll(logits, gold, Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + ratio * (hi - lo);
      fb = nll(logits, gold, Math.exp(b));
    }
  }
  return Math.exp((lo + hi) / 2);
}

export interface ThresholdChoice {
  threshold: number;
  /** Whether some threshold reached the target precision. */
  reached: boolean;
  /** Precision and coverage (share not abstained) on the validation split at that threshold. */
  precision: number;
  coverage: number;
}

/**
 * The threshold that keeps the most validation predictions while their precision stays >= target: the
 * cut falls midway between the last kept confidence and the next one, and at 0 when every prediction is
 * kept (a validation split the model gets all right must not make it abstain below the least confident
 * of them: with a sharp temperature that is 0.9999..., and new mail at 0.95 would all abstain). When no
 * cut reaches the target, the one with the best precision among those keeping at least 10% of the
 * examples (so a model never abstains on nearly everything because of a handful of examples).
 *
 * Confidences are taken as served: the model answers in float32 and keeps an answer when `p >= threshold`, so they
 * are rounded to float32 first (two that round alike are one confidence, kept or cut together), and the cut is a
 * float32 too, above the next confidence and at most the last kept one: validation keeps exactly what serving would.
 */
export function chooseThreshold(confidence: ArrayLike<number>, correct: ArrayLike<boolean>, target: number): ThresholdChoice {
  const n = confidence.length;
  if (n === 0) return { threshold: 0, reached: false, precision: 0, coverage: 1 };
  const served = Float32Array.from(confidence);
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => served[y] - served[x]);
  let hits = 0;
  let best: ThresholdChoice | undefined;
  let fallback: ThresholdChoice | undefined;
  const minKept = Math.max(1, Math.ceil(0.1 * n));
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (correct[i]) hits++;
    // Only cut between distinct confidences: all ties are kept together.
    if (k + 1 < n && served[order[k + 1]] === served[i]) continue;
    const threshold = k + 1 < n ? float32Cut(served[i], served[order[k + 1]]) : 0;
    const choice = { threshold, reached: true, precision: hits / (k + 1), coverage: (k + 1) / n };
    if (choice.precision >= target) best = choice;
    if (k + 1 >= minKept && (!fallback || choice.precision > fallback.precision)) fallback = { ...choice, reached: false };
  }
  return best ?? fallback ?? { threshold: 0, reached: false, precision: hits / n, coverage: 1 };
}

/** A float32 between two float32 confidences, `next < cut <= kept`: their midpoint rounded, or `kept` when it rounds to `next` (neighbours). */
function float32Cut(kept: number, next: number): number {
  const mid = Math.fround((kept + next) / 2);
  return mid > next ? mid : kept;
}
