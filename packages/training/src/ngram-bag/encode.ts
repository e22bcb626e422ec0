import { featurizeHashedBag, type HashedNgramsParams } from '@mailroute/preprocess';
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
 * Smooth inverse document frequency per bucket over the examples' bags: ln((1 + n) / (1 + df)) + 1
 * with df the number of bags holding the bucket, as scikit-learn's TfidfVectorizer; unseen buckets get
 * the largest value.
 */
export function idfTable(examples: readonly EncodedExample[], buckets: number): Float32Array {
  const df = new Float64Array(buckets);
  const lastBag = new Int32Array(buckets).fill(-1);
  examples.forEach(({ ids }, bag) => {
    for (let k = 0; k < ids.length; k++) {
      if (lastBag[ids[k]] === bag) continue; // a bucket in two groups of one bag counts once
      lastBag[ids[k]] = bag;
      df[ids[k]]++;
    }
  });
  const idf = new Float32Array(buckets);
  const n = examples.length;
  for (let id = 0; id < buckets; id++) idf[id] = Math.log((1 + n) / (1 + df[id])) + 1;
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
