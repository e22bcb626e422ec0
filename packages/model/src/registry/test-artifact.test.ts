import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest } from '../artifact.js';
import { createLocalRegistry } from './local-registry.js';
import { writeLoadableArtifact } from './test-artifact.js';

// Other packages' tests build their fake models with this helper: it must stay one the loader and the registry take.
describe('writeLoadableArtifact', () => {
  it('writes an artifact whose manifest the loader reads and the registry registers, with the facts given', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'mailroute-test-artifact-'));
    const dir = writeLoadableArtifact(path.join(root, 'm-1'), 'm-1', { onnx: Buffer.alloc(10, 7), tasks: ['business_area', 'queue'], extra: { routing: { queueTask: 'queue' }, dataHash: 'h', metrics: { mean_macro_f1: 0.8 } } });
    expect(await readManifest(dir)).toMatchObject({ modelId: 'm-1', tasks: [{ name: 'business_area' }, { name: 'queue' }], routing: { queueTask: 'queue' }, dataHash: 'h' });
    await expect(createLocalRegistry({ home: path.join(root, 'home') }).register(dir)).resolves.toMatchObject({ id: 'm-1', tasks: ['business_area', 'queue'], dataHash: 'h', metrics: { mean_macro_f1: 0.8 } });
  });
});
