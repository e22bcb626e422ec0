import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * For the registry's tests: a directory the registry takes as an artifact (a manifest listing one random
 * `model.onnx` of `bytes` bytes and a reports file), in a new temporary directory, named `id`. `extra` is merged
 * into the manifest.
 */
export function registryArtifact(id: string, bytes = 64 * 1024, extra: Record<string, unknown> = {}): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-artifact-')), id);
  mkdirSync(path.join(dir, 'reports'), { recursive: true });
  const onnx = randomBytes(bytes);
  writeFileSync(path.join(dir, 'model.onnx'), onnx);
  writeFileSync(path.join(dir, 'reports', 'metrics.json'), '{}');
  const files = { 'model.onnx': createHash('sha256').update(onnx).digest('hex') };
  const manifest = { modelId: id, family: 'ngram-bag', tasks: [{ name: 'queue' }, { name: 'topic' }], dataHash: 'd'.repeat(64), metrics: { queue: { macro_f1: 0.8 }, mean_macro_f1: 0.75 }, files, ...extra };
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}
