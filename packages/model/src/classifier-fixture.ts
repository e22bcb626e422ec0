// The test artifact of the classifier's tests; its weights are exported to other packages' tests by testing.ts.
import { HashedNgramsParamsSchema } from '@mailroute/preprocess';
import { writeArtifact } from './artifact.js';
import { IDF_FILE } from './idf-file.js';
import { inputFingerprint } from './input-fingerprint.js';
import { MANIFEST_SCHEMA_VERSION, type Manifest } from './manifest.js';
import type { NgramBagWeights } from './ngram-bag/weights.js';
import { buildNgramBagOnnx, NGRAM_BAG_OPSET, ngramBagOnnxNames, type NgramBagOnnxNames } from './onnx/build-ngram-bag.js';

export const buckets = 64;
const dim = 4;
/**
 * Fixed weights (not trained) of a 64-bucket, 4-wide model with tasks queue (2 labels) and topic (3): even buckets
 * lean to each task's first label, odd ones to its second; each head is the identity on the first dims.
 */
export function fixtureWeights(): NgramBagWeights {
  const embedding = new Float32Array(buckets * dim);
  for (let b = 0; b < buckets; b++) embedding[b * dim + (b % 2)] = 3;
  const head = (task: string, k: number) => ({
    task,
    inSize: dim,
    outSize: k,
    weight: Float32Array.from({ length: dim * k }, (_, i) => (Math.floor(i / k) === i % k ? 1 : 0)),
    bias: new Float32Array(k),
  });
  return { parts: [{ buckets, dim, embedding, heads: [head('queue', 2), head('topic', 3)] }] };
}

export const names = ngramBagOnnxNames(['queue', 'topic']);

/** What a test changes: `manifestBuckets`, the featurizer's buckets the manifest says (default: the graph's); `compact`, a `rowOf` table. */
export interface FixtureOptions {
  manifestBuckets?: number;
  compact?: boolean;
}

/** The compact form of the weights: rows 0 and 1 only, each bucket pointing to the row of its parity. */
function compactWeights(): NgramBagWeights {
  const [part] = fixtureWeights().parts;
  return { parts: [{ ...part, embedding: part.embedding.slice(0, 2 * dim), rowOf: Int32Array.from({ length: buckets }, (_, b) => b % 2) }] };
}

export async function writeFixture(dir: string, threshold: number, idf?: Uint8Array, onnxNames: NgramBagOnnxNames = names, options: FixtureOptions = {}): Promise<Manifest> {
  const weights = options.compact ? compactWeights() : fixtureWeights();
  const files = { 'model.onnx': buildNgramBagOnnx(weights, { queue: 1, topic: 1 }, onnxNames), ...(idf ? { [IDF_FILE]: idf } : {}) };
  return writeArtifact(dir, files, {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    modelId: 'ngram-bag-test',
    family: 'ngram-bag',
    createdAt: '2026-11-29T10:00:00Z',
    tasks: [
      { name: 'queue', labels: ['payments', 'kyc'], temperature: 1, threshold },
      { name: 'topic', labels: ['sparplan', 'login', 'steuer'], temperature: 1, threshold: 0 },
    ],
    routing: { queueTask: 'queue' },
    featurizer: { kind: 'hashed-ngrams', params: HashedNgramsParamsSchema.parse({ buckets: options.manifestBuckets ?? buckets, pooling: 'mean', idf: idf !== undefined }) },
    onnx: { file: 'model.onnx', opset: NGRAM_BAG_OPSET, inputs: onnxNames.inputs, outputs: onnxNames.outputs, combined: onnxNames.combined },
    dataHash: 'sha256:test',
    inputFingerprint: inputFingerprint(),
  });
}

