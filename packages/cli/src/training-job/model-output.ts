import { constants } from 'node:fs';
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { readVerifiedManifest } from '@mailroute/model';
import { TrainingJobError } from './errors.js';

const MANIFEST = 'manifest.json';

/** Refuses a model directory that holds anything: the job's upload would mix it with the new artifact. */
export async function checkModelDirEmpty(modelDir: string): Promise<void> {
  const held = await readdir(modelDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (held.length > 0) {
    throw new TrainingJobError('TRAINING_JOB_MODEL_DIR_NOT_EMPTY', `the model directory ${modelDir} already holds ${held.slice(0, 5).join(', ')}${held.length > 5 ? ', ...' : ''}: the job writes its artifact into an empty one`);
  }
}

/**
 * Copies an artifact directory into the (empty) model directory: manifest.json and every file it lists, checked
 * against their sha256 first, nothing else; manifest.json last. On any failure what was copied is removed, so the
 * model directory never holds a partial artifact.
 */
export async function writeModelDir(artifactDir: string, modelDir: string): Promise<void> {
  const manifest = await readVerifiedManifest(artifactDir);
  const names = [...Object.keys(manifest.files), MANIFEST];
  await mkdir(modelDir, { recursive: true });
  const copied: string[] = [];
  try {
    for (const name of names) {
      // COPYFILE_EXCL: a file already there is not this artifact's, and stays.
      await copyFile(path.join(artifactDir, name), path.join(modelDir, name), constants.COPYFILE_EXCL);
      copied.push(name);
    }
    await readVerifiedManifest(modelDir);
  } catch (error) {
    await Promise.all(copied.map((name) => rm(path.join(modelDir, name), { force: true })));
    throw error;
  }
}
