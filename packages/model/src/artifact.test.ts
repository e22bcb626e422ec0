import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkArtifactFiles, readManifest, sha256, writeArtifact } from './artifact.js';
import { loadableManifest } from './registry/test-artifact.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MB = 1024 * 1024;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-artifact-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Writes a file of `mb` MB and returns its sha256 (the bytes are let go before the caller measures). */
async function bigFile(name: string, mb: number): Promise<string> {
  const bytes = Buffer.alloc(mb * MB, 7);
  await writeFile(path.join(dir, name), bytes);
  return sha256(bytes);
}

describe('checkArtifactFiles', () => {
  it('hashes each file in chunks: a model file of hundreds of MB is never held in memory whole', async () => {
    const expected = await bigFile('model.onnx', 64);
    gc();
    const base = process.memoryUsage().arrayBuffers;
    let peak = 0;
    let done = false;
    const sample = () => {
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
      if (!done) setImmediate(sample);
    };
    sample();
    try {
      await checkArtifactFiles(dir, { 'model.onnx': expected });
    } finally {
      done = true;
    }
    // Read chunks are garbage at once, but V8 collects them only when its external memory reaches a limit:
    // on a busy machine up to 32 MiB were seen uncollected. A whole-file read would hold all 64 MiB.
    expect(peak).toBeLessThan(48 * MB);
  });

  it('names the file that is missing or not of its sha256', async () => {
    const expected = await bigFile('small.onnx', 1);
    await expect(checkArtifactFiles(dir, { 'small.onnx': expected.replace(/^./, (c) => (c === '0' ? '1' : '0')) })).rejects.toMatchObject({
      code: 'ARTIFACT_HASH_MISMATCH',
      message: expect.stringContaining('small.onnx'),
    });
    await expect(checkArtifactFiles(dir, { 'gone.onnx': expected })).rejects.toMatchObject({ code: 'ARTIFACT_MISSING', message: expect.stringContaining('gone.onnx') });
    await expect(checkArtifactFiles(path.dirname(dir), { [path.basename(dir)]: expected })).rejects.toMatchObject({ code: 'ARTIFACT_MISSING' });
  });
});

describe('readManifest', () => {
  it('says where a manifest.json edited by hand stops being JSON (line and column)', async () => {
    const artifact = path.join(dir, 'stray-comma');
    await mkdir(artifact);
    await writeFile(path.join(artifact, 'manifest.json'), '{\n  "schemaVersion": 1,\n  "modelId": "m",,\n}\n');
    await expect(readManifest(artifact)).rejects.toMatchObject({ code: 'ARTIFACT_MANIFEST_INVALID', message: expect.stringMatching(new RegExp(`^manifest\\.json:3:18 in ${artifact} is not JSON \\(`)) });
  });

  it('says what a file name the manifest lists must be, not zod\'s "Invalid key in record"', async () => {
    const artifact = path.join(dir, 'file-outside');
    await mkdir(artifact);
    await writeFile(path.join(artifact, 'manifest.json'), JSON.stringify({ files: { '../model.onnx': 'a'.repeat(64), '.idf': 'b'.repeat(64) } }));
    const error = await readManifest(artifact).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ARTIFACT_MANIFEST_INVALID' });
    for (const name of ['../model.onnx', '.idf']) expect((error as Error).message).toContain(`files.${name}: not a plain file name beside manifest.json`);
  });
});

describe('writeArtifact', () => {
  it('says which file it could not write and how big the artifact is (ARTIFACT_WRITE_FAILED), not a bare system error', async () => {
    // A file where its folder should be: its folder cannot be made, as on a full or read-only disk it cannot be written.
    const blocked = path.join(dir, 'blocked');
    await writeFile(blocked, '');
    const target = path.join(blocked, 'models', 'm-1');
    const { files: _files, ...manifest } = loadableManifest('m-1', ['queue'], {});
    const writing = writeArtifact(target, { 'model.onnx': Buffer.alloc(2_000_000, 1) }, manifest as Parameters<typeof writeArtifact>[2]);
    await expect(writing).rejects.toMatchObject({
      name: 'ArtifactError',
      code: 'ARTIFACT_WRITE_FAILED',
      file: path.join(blocked, 'models'),
      bytes: expect.any(Number),
      cause: expect.objectContaining({ code: 'ENOTDIR' }),
      message: expect.stringMatching(new RegExp(`^cannot write ${path.join(blocked, 'models').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: a file stands where a folder is needed \\(ENOTDIR\\); the model's files take 2\\.0 MB$`)),
    });
    expect(await readdir(dir)).not.toContain('m-1');
  });
});
