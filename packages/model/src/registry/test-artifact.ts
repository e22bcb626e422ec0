import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A manifest a server's loader accepts (`ManifestSchema`: the registry refuses any other), of the tasks named, each
 * with two labels, routed by the first, listing `files`; `extra` is merged in.
 */
export function loadableManifest(id: string, tasks: readonly string[], files: Record<string, string>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemaVersion: 1,
    modelId: id,
    family: 'ngram-bag',
    createdAt: '2026-12-01T09:00:00.000Z',
    tasks: tasks.map((name) => ({ name, labels: ['payments', 'other'], temperature: 1, threshold: 0.5 })),
    routing: { queueTask: tasks[0] },
    featurizer: { kind: 'hashed-ngrams', params: { buckets: 1024, wordNgrams: 2, charNgrams: [2, 5], maxChars: 5000, pooling: 'mean' } },
    onnx: { file: 'model.onnx', opset: 17, inputs: { ids: 'ids', weights: 'weights' }, outputs: Object.fromEntries(tasks.map((name) => [name, `probs_${name}`])) },
    dataHash: 'd'.repeat(64),
    files,
    ...extra,
  };
}

/**
 * For tests of any package (`@mailroute/model/testing`): a fake artifact the registry takes, written into `dir` (made
 * when missing) and returned: `model.onnx` holding `onnx` (any bytes: the registry checks their sha256, never runs
 * them) and a loadable manifest (`loadableManifest`) with model id `id`, of `tasks` (default: queue alone), listing it;
 * `extra` is merged into the manifest (`dataHash`, `metrics`, `training`...).
 */
export function writeLoadableArtifact(dir: string, id: string, options: { onnx?: string | Uint8Array; tasks?: readonly string[]; extra?: Record<string, unknown> } = {}): string {
  const onnx = options.onnx ?? 'x';
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'model.onnx'), onnx);
  const files = { 'model.onnx': createHash('sha256').update(onnx).digest('hex') };
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(loadableManifest(id, options.tasks ?? ['queue'], files, options.extra)));
  return dir;
}

/**
 * For the registry's tests: a directory the registry takes as an artifact (a loadable manifest listing one random
 * `model.onnx` of `bytes` bytes, and a reports file), in a new temporary directory, named `id`. `extra` is merged
 * into the manifest.
 */
export function registryArtifact(id: string, bytes = 64 * 1024, extra: Record<string, unknown> = {}): string {
  const dir = writeLoadableArtifact(path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-artifact-')), id), id, {
    onnx: randomBytes(bytes),
    tasks: ['queue', 'topic'],
    extra: { metrics: { queue: { macro_f1: 0.8 }, mean_macro_f1: 0.75 }, ...extra },
  });
  mkdirSync(path.join(dir, 'reports'));
  writeFileSync(path.join(dir, 'reports', 'metrics.json'), '{}');
  return dir;
}
