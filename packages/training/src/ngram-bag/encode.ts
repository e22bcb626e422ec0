import { featurizeCounted, weighCountedBag, type CountedBag, type HashedNgramsParams } from '@mailroute/preprocess';
import type { EncodedExample } from './net.js';
import { TrainerInputError } from './errors.js';

/** Training input: model text, meta tokens and a label index per task (null: missing). */
export interface TrainExample {
  text: string;
  meta: string[];
  labels: Record<string, number | null>;
}

/** One label dimension: its name, ordered labels and optional class weights. */
export interface TaskSpec {
  name: string;
  labels: string[];
  classWeights?: number[];
  /** The precision its abstention threshold aims for on the validation split, above 0 and at most 1; absent: the params' `targetPrecision`. */
  targetPrecision?: number;
}

/** Hashes each example's text once: its counted bag, weighed later with the IDF table of each run (`encodeExamples`). */
export function countExamples(examples: readonly TrainExample[], featurizer: HashedNgramsParams, onCounted?: (done: number) => void): CountedBag[] {
  const step = Math.max(1, Math.floor(examples.length / 20));
  return examples.map((example, i) => {
    const bag = featurizeCounted(example.text, example.meta, featurizer);
    if (onCounted && ((i + 1) % step === 0 || i + 1 === examples.length)) onCounted(i + 1);
    return bag;
  });
}

/**
 * The examples as the trainer reads them: each counted bag (`countExamples`, same order) weighed with
 * `idf` when the featurizer params ask for it, and the labels checked.
 */
export function encodeExamples(examples: readonly TrainExample[], bags: readonly CountedBag[], tasks: readonly TaskSpec[], featurizer: HashedNgramsParams, idf?: Float32Array): EncodedExample[] {
  return examples.map((example, e) => encodeExample(example, bags[e], tasks, featurizer, idf));
}

/** One example of `encodeExamples`: its counted bag weighed, its labels checked. */
export function encodeExample(example: TrainExample, bag: CountedBag, tasks: readonly TaskSpec[], featurizer: HashedNgramsParams, idf?: Float32Array): EncodedExample {
  const { ids, weights } = weighCountedBag(bag, featurizer, idf);
  const labels = new Int32Array(tasks.length);
  tasks.forEach((task, t) => {
    const y = example.labels[task.name];
    if (y === null || y === undefined) {
      labels[t] = -1;
      return;
    }
    // Checked before the Int32Array stores it, which would turn NaN into 0, 1.7 into 1 and 2^32 + 1 into 1.
    if (!Number.isInteger(y) || y < 0 || y >= task.labels.length) {
      throw new TrainerInputError(`label index ${y} out of range for task ${task.name} (an integer from 0 to ${task.labels.length - 1})`);
    }
    labels[t] = y;
  });
  return { ids, weights, labels };
}

/** Per bucket, the number of bags that hold it (an id in two groups of one bag counts once). */
export function documentFrequencies(bags: readonly CountedBag[], buckets: number): Float64Array {
  const df = new Float64Array(buckets);
  const lastBag = new Int32Array(buckets).fill(-1);
  bags.forEach(({ ids }, b) => {
    for (let k = 0; k < ids.length; k++) {
      if (lastBag[ids[k]] === b) continue;
      lastBag[ids[k]] = b;
      df[ids[k]]++;
    }
  });
  return df;
}

/** scikit-learn's smooth IDF, ln((1 + n) / (1 + df)) + 1, per bucket (unused buckets get the largest value). */
export function idfTable(df: Float64Array, n: number): Float32Array {
  // Most buckets are unused (df 0): one fill, then a logarithm only for the used ones.
  const idf = new Float32Array(df.length).fill(Math.log((1 + n) / 1) + 1);
  for (let id = 0; id < df.length; id++) if (df[id] !== 0) idf[id] = Math.log((1 + n) / (1 + df[id])) + 1;
  return idf;
}

/** Class weights per task: the given ones, else computed from the training label counts. */
export function classWeightsFor(
  task: TaskSpec,
  taskIndex: number,
  examples: readonly EncodedExample[],
  mode: 'none' | 'balanced' | 'sqrt',
): Float64Array {
  const k = task.labels.length;
  if (task.classWeights) {
    if (task.classWeights.length !== k) throw new TrainerInputError(`task ${task.name}: ${task.classWeights.length} class weights for ${k} labels`);
    return Float64Array.from(task.classWeights);
  }
  const weights = new Float64Array(k).fill(1);
  if (mode === 'none') return weights;
  const counts = new Float64Array(k);
  let n = 0;
  for (const example of examples) {
    const y = example.labels[taskIndex];
    if (y >= 0) {
      counts[y]++;
      n++;
    }
  }
  for (let c = 0; c < k; c++) {
    const balanced = counts[c] > 0 ? n / (k * counts[c]) : 1;
    weights[c] = mode === 'sqrt' ? Math.sqrt(balanced) : balanced;
  }
  return weights;
}
