import { buildNgramBagOnnx, inputFingerprint, MANIFEST_SCHEMA_VERSION, NGRAM_BAG_OPSET, ngramBagOnnxNames, writeArtifact } from '@mailroute/model';
import { fixtureWeights } from '@mailroute/model/testing';
import { HashedNgramsParamsSchema } from '@mailroute/preprocess';

/** Three example emails for model tests (one without an id, one German, one English). */
export const FIXTURE_EMAILS = [
  { id: 'a', subject: 'Depot', body: 'Bitte übertragen Sie mein Depot.' },
  { id: 'b', body: 'My card was stolen yesterday, please block it.' },
  { body: '' },
];

/** A fixture's queue task other than the default: its two labels, the training config's renames and merges, and where automated mail goes. */
export interface FixtureQueue {
  labels?: readonly [string, string];
  aliases?: Record<string, string>;
  automatedQueues?: { auto_reply?: string; delivery_failure?: string };
}

/** Writes a small real ngram-bag artifact (ONNX + manifest) that onnxruntime loads: for end-to-end tests. */
export async function writeFixtureModel(dir: string, modelId: string, queue: FixtureQueue = {}): Promise<void> {
  const names = ngramBagOnnxNames(['queue', 'topic']);
  const weights = fixtureWeights();
  await writeArtifact(dir, { 'model.onnx': buildNgramBagOnnx(weights, { queue: 1, topic: 1 }, names) }, {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    modelId,
    family: 'ngram-bag',
    createdAt: '2026-11-29T10:00:00Z',
    tasks: [
      { name: 'queue', labels: [...(queue.labels ?? ['payments', 'kyc'])], temperature: 1, threshold: 0 },
      { name: 'topic', labels: ['sparplan', 'login', 'steuer'], temperature: 1, threshold: 0 },
    ],
    routing: { queueTask: 'queue', ...(queue.automatedQueues ? { automatedQueues: queue.automatedQueues } : {}) },
    featurizer: { kind: 'hashed-ngrams', params: HashedNgramsParamsSchema.parse({ buckets: weights.parts[0].buckets }) },
    onnx: { file: 'model.onnx', opset: NGRAM_BAG_OPSET, inputs: names.inputs, outputs: names.outputs, combined: names.combined },
    dataHash: 'sha256:fixture',
    inputFingerprint: inputFingerprint(),
    metrics: { labelDistribution: { queue: { payments: 30, kyc: 70 } } },
    ...(queue.aliases ? { trainingConfig: { tasks: [{ name: 'queue', aliases: queue.aliases }] } } : {}),
  });
}
