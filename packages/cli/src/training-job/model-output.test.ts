import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readVerifiedManifest } from '@mailroute/model';
import { trainFromConfig, writeDemoData } from '@mailroute/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkModelDirEmpty, writeModelDir } from './model-output.js';
import { filesUnder } from '../test-support.js';
import { smallDemoConfig } from './test-support.js';

let dir: string;
let artifact: string;
let listed: string[];
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-model-output-'));
  await writeDemoData(path.join(dir, 'demo.csv'), { rows: 400 });
  const result = await trainFromConfig({ config: await smallDemoConfig(), dataPath: path.join(dir, 'demo.csv'), home: path.join(dir, 'home') });
  // A copy with a stray file beside the artifact's own.
  artifact = path.join(dir, 'artifact');
  await cp(result.artifactDir, artifact, { recursive: true });
  await writeFile(path.join(artifact, 'notes.txt'), 'not in the manifest');
  listed = ['manifest.json', ...Object.keys((await readVerifiedManifest(artifact)).files)].sort();
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('writeModelDir', () => {
  it('copies manifest.json and the files it lists, nothing else', async () => {
    const modelDir = path.join(dir, 'model-1');
    await writeModelDir(artifact, modelDir);
    expect(await filesUnder(modelDir)).toEqual(listed);
    await readVerifiedManifest(modelDir);
  });

  it('removes what it copied when a copy fails, and leaves what was there', async () => {
    const modelDir = path.join(dir, 'model-2');
    // manifest.json, copied last, cannot be: a folder holds its name.
    await mkdir(path.join(modelDir, 'manifest.json', 'x'), { recursive: true });
    await expect(writeModelDir(artifact, modelDir)).rejects.toThrow();
    // The files copied before it are gone; the folder that was there stays.
    expect(await readdir(modelDir)).toEqual(['manifest.json']);
    expect(await readdir(path.join(modelDir, 'manifest.json'))).toEqual(['x']);
  });

  it('copies nothing from an artifact whose files do not match the manifest', async () => {
    const broken = path.join(dir, 'broken');
    await cp(artifact, broken, { recursive: true });
    await writeFile(path.join(broken, listed.find((f) => f !== 'manifest.json') ?? ''), 'changed');
    const modelDir = path.join(dir, 'model-3');
    await expect(writeModelDir(broken, modelDir)).rejects.toThrow(/does not match its sha256/);
    expect(await filesUnder(modelDir)).toEqual([]);
  });
});

describe('checkModelDirEmpty', () => {
  it('takes an empty or missing folder and refuses one that holds anything', async () => {
    await checkModelDirEmpty(path.join(dir, 'missing'));
    await mkdir(path.join(dir, 'empty'));
    await checkModelDirEmpty(path.join(dir, 'empty'));
    await expect(checkModelDirEmpty(dir)).rejects.toThrow(/already holds/);
  });
});
