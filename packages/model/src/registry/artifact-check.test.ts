import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkArtifactToRegister } from './artifact-check.js';
import { loadableManifest, writeLoadableArtifact } from './test-artifact.js';

describe('checkArtifactToRegister: what the S3 registry checks before it uploads an artifact as it is', () => {
  let root: string;
  let n = 0;
  const artifact = () => writeLoadableArtifact(path.join(root, `artifact-${++n}`), `m-${n}`, { onnx: 'onnx bytes' });
  const manifestOf = async (dir: string) => JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-artifact-check-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('takes a loadable artifact whose files have their sha256s, answering the manifest as the loader reads it', async () => {
    const dir = artifact();
    await expect(checkArtifactToRegister(dir)).resolves.toMatchObject({ modelId: `m-${n}`, schemaVersion: 1, onnx: { file: 'model.onnx' }, metrics: {} });
  });

  it('refuses a manifest no server can load, though every file it lists has its sha256', async () => {
    const dir = artifact();
    const loadable = await manifestOf(dir);
    // The server would read /etc/passwd as the model, or, as it does, refuse to start.
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ ...loadable, onnx: { ...(loadable.onnx as object), file: '../../../../etc/passwd' } }));
    await expect(checkArtifactToRegister(dir)).rejects.toMatchObject({
      code: 'REGISTRY_ARTIFACT_INVALID',
      message: `${dir}: manifest.json is not one a server can load (onnx.file ("../../../../etc/passwd"): a plain file name; files: no hash for ../../../../etc/passwd); nothing was registered`,
    });
    // The registry's own fields alone: no labels, thresholds, featurizer or ONNX names to serve with.
    const { modelId, family, dataHash, files } = loadable;
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ modelId, family, tasks: [{ name: 'queue' }], dataHash, files }));
    await expect(checkArtifactToRegister(dir)).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringContaining('manifest.json is not one a server can load (schemaVersion: ') });
  });

  it('checks the manifest bytes it is given (what the caller registers), not manifest.json read again', async () => {
    const dir = artifact();
    const loadable = Buffer.from(JSON.stringify(await manifestOf(dir)));
    const unloadable = Buffer.from(JSON.stringify({ ...(await manifestOf(dir)), routing: { queueTask: 'no-such-task' } }));
    await expect(checkArtifactToRegister(dir, unloadable)).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringContaining('routing: unknown task no-such-task') });
    // Changed on disk since the caller read it: the bytes read are the ones checked (and uploaded).
    await writeFile(path.join(dir, 'manifest.json'), unloadable);
    await expect(checkArtifactToRegister(dir, loadable)).resolves.toMatchObject({ modelId: `m-${n}` });
  });

  it('refuses a manifest without the files\' sha256s, and a file that does not have its sha256, naming it', async () => {
    const dir = artifact();
    const { files: _, ...withoutFiles } = await manifestOf(dir);
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(withoutFiles));
    await expect(checkArtifactToRegister(dir)).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringContaining('manifest.json lists no valid file sha256s') });
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(loadableManifest(`m-${n}`, ['queue'], { 'model.onnx': 'a'.repeat(64) })));
    await expect(checkArtifactToRegister(dir)).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringMatching(/^model\.onnx in .* does not match its sha256 in the manifest; nothing was registered$/) });
  });
});
