import { featurizeHashed, featurizeHashedBag, type HashedNgramsParams } from '@mailroute/preprocess';
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
}

/** Featurizes each example (with `idf`, the table its featurizer params ask for) and checks its labels. */
export function encodeExamples(examples: readonly TrainExample[], tasks: readonly TaskSpec[], featurizer: HashedNgramsParams, idf?: Float32Array): EncodedExample[] {
  return examples.map((example) => {
    const { ids, weights } = featurizeHashedBag(example.text, example.meta, featurizer, idf);
    const labels = new Int32Array(tasks.length);
    tasks.forEach((task, t) => {
      const y = example.labels[task.name];
      labels[t] = y === null || y === undefined ? -1 : y;
      if (labels[t] >= task.labels.length || (labels[t] < 0 && labels[t] !== -1)) {
        throw new TrainerInputError(`label index ${labels[t]} out of range for task ${task.name}`);
      }
    });
    return { ids, weights, labels };
  });
}

/**
 * Per bucket, how many examples hash some n-gram or meta token to it (document frequency), from the
 * raw ids of `featurizeHashed` (no bags needed).
 */
export function documentFrequencies(examples: readonly TrainExample[], featurizer: HashedNgramsParams): Float64Array {
  const df = new Float64Array(featurizer.buckets);
  const lastExample = new Int32Array(featurizer.buckets).fill(-1);
  examples.forEach((example, e) => {
    const ids = featurizeHashed(example.text, example.meta, featurizer);
    for (let k = 0; k < ids.length; k++) {
      if (lastExample[ids[k]] === e) continue;
      lastExample[ids[k]] = e;
      df[ids[k]]++;
    }
  });
  return df;
}

/**
 * Smooth inverse document frequency per bucket over `n` examples: ln((1 + n) / (1 + df)) + 1, as
 * scikit-learn's TfidfVectorizer; buckets no example uses get the largest value.
 */
export function idfTable(df: Float64Array, n: number): Float32Array {
  const idf = new Float32Array(df.length);
  for (let id = 0; id < df.length; id++) idf[id] = Math.log((1 + n) / (1 + df[id])) + 1;
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
