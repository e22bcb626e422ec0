import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { writeFixture } from '../classifier-fixture.js';

// As on a platform onnxruntime-node ships no binding for (an Intel Mac with onnxruntime-node 1.30): its import throws.
vi.mock('onnxruntime-node', () => {
  throw new Error("Cannot find module '../bin/napi-v6/darwin/x64/onnxruntime_binding.node'");
});

describe('onnxruntime-node that cannot load', () => {
  it('leaves the model package usable for what runs no model, and refuses a session naming the platform', async () => {
    const model = await import('../index.js');
    expect(model.normalizeLabel('Depotu\u0308bertrag')).toBe('Depotübertrag');
    const { createOnnxSession } = await import('./runtime.js');
    const refused = await createOnnxSession(new Uint8Array(8)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(model.OnnxRuntimeUnavailableError);
    expect(refused).toMatchObject({ code: 'ONNX_RUNTIME_UNAVAILABLE', message: expect.stringMatching(new RegExp(`^onnxruntime-node cannot load on this machine \\(${process.platform}/${process.arch}, Node v[\\d.]+\\): .*Models run on Linux x64 or arm64, macOS on Apple silicon`)) });
    // Asked again (a server's next load), it tries again rather than keep the first failure.
    await expect(createOnnxSession(new Uint8Array(8))).rejects.toMatchObject({ code: 'ONNX_RUNTIME_UNAVAILABLE' });
    // Loading a sound artifact says the same, not that the artifact is wrong (ARTIFACT_ONNX_MISMATCH).
    const dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'mailroute-no-ort-')), 'model');
    await writeFixture(dir, 0.5);
    await expect(model.Classifier.load(dir)).rejects.toMatchObject({ code: 'ONNX_RUNTIME_UNAVAILABLE' });
  });
});
