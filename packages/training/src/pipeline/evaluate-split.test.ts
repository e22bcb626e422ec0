import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ArtifactError, Classifier } from '@mailroute/model';
import { afterAll, describe, expect, it } from 'vitest';
import { exportNgramBag } from '../ngram-bag/export.js';
import { trainNgramBag } from '../ngram-bag/train.js';
import type { TaskSpec, TrainExample } from '../ngram-bag/encode.js';
import { headlineFromProbs, measuredTasks, predictProbs } from './evaluate-split.js';

const tasks: TaskSpec[] = [
  { name: 'queue', labels: ['payments', 'kyc'] },
  { name: 'topic', labels: ['sparplan', 'login'] },
];
const rows: TrainExample[] = Array.from({ length: 24 }, (_, i) => ({
  text: i % 2 === 0 ? `Überweisung sparplan ${i}` : `Ausweis login ${i}`,
  meta: [],
  labels: { queue: i % 2, topic: i % 2 },
}));
const inputs = Array.from({ length: 5 }, (_, i) => ({ text: i % 2 === 0 ? 'Überweisung sparplan' : 'Ausweis login', meta: [], language: 'de' }));

describe('predictProbs', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  /** A model trained on the rows, with the topic head's first bias set to `bias` before export. */
  async function classifierWithTopicBias(bias: number | undefined): Promise<Classifier> {
    const model = await trainNgramBag({ train: rows, valid: rows.slice(0, 8), tasks, params: { dim: 4, buckets: 256, epochs: 2, seed: 1 } });
    const topic = model.weights.parts[0].heads.find((h) => h.task === 'topic');
    if (bias !== undefined && topic) topic.bias[0] = bias;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-probs-'));
    dirs.push(dir);
    await exportNgramBag(model, path.join(dir, 'artifact'), { modelId: 'ngram-bag-nan', dataHash: 'abc', createdAt: '2026-12-03T10:00:00Z', routing: { queueTask: 'queue' } });
    return Classifier.load(path.join(dir, 'artifact'));
  }

  it('gives every task a row of probabilities per email', async () => {
    const classifier = await classifierWithTopicBias(undefined);
    try {
      const probs = await predictProbs(classifier, inputs, undefined, 2);
      expect(probs.topic).toHaveLength(10);
      for (let i = 0; i < 5; i++) expect(Math.abs(probs.queue[2 * i] + probs.queue[2 * i + 1] - 1)).toBeLessThan(1e-5);
    } finally {
      await classifier.release();
    }
  });

  it('refuses a model whose weights are not finite, naming the model, the task and the email, not with a schema error later', async () => {
    const classifier = await classifierWithTopicBias(Number.NaN);
    try {
      const error = await predictProbs(classifier, inputs, undefined, 2).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ArtifactError);
      expect(error).toMatchObject({
        code: 'ARTIFACT_NOT_FINITE',
        message: 'model ngram-bag-nan gives task topic a probability of NaN for email 1: its weights are not finite numbers (a damaged model.onnx, or a training that diverged); retrain it or use another version',
      });
    } finally {
      await classifier.release();
    }
  });
});

describe('headlineFromProbs and measuredTasks', () => {
  it('leaves a task no row has a label for out of the figures and the means, and measuredTasks says which are in', () => {
    const specs = [
      { name: 'queue', labels: ['payments', 'kyc'] },
      { name: 'topic', labels: ['sparplan', 'login'] },
    ];
    // Two rows, queue right on both; no row has a topic label.
    const labelled = [{ labels: { queue: 'payments', topic: null } }, { labels: { queue: 'kyc', topic: null } }] as unknown as Parameters<typeof headlineFromProbs>[1];
    const probs = { queue: Float32Array.from([0.9, 0.1, 0.2, 0.8]), topic: Float32Array.from([0.5, 0.5, 0.5, 0.5]) };
    const metrics = headlineFromProbs(specs, labelled, probs);
    expect(metrics).toEqual({ 'queue.accuracy': 1, 'queue.macro_f1': 1, 'queue.weighted_f1': 1, 'queue.support': 2, mean_accuracy: 1, mean_macro_f1: 1 });
    expect(measuredTasks(['queue', 'topic'], metrics)).toEqual(['queue']);
    expect(measuredTasks(['queue', 'topic'], { ...metrics, 'topic.macro_f1': 0.5 })).toEqual(['queue', 'topic']);
  });
});
