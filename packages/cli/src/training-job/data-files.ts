import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { TRAINING_JOB } from '@mailroute/aws/contracts';
import { TrainingJobError } from './errors.js';

/** The exports a data channel may hold: CSV, JSONL (.jsonl, .ndjson) and JSON. */
const DATA_FILE = /\.(csv|jsonl|ndjson|json)$/i;

/**
 * Every export in the data channel, subfolders included (SageMaker copies an S3 prefix with its key's folders),
 * in name order of their paths inside the channel. Hidden files and folders (`.` names) are left out. Refused
 * when the channel is missing or holds none.
 */
export async function dataFiles(channel: string): Promise<string[]> {
  const entries = await readdir(channel, { recursive: true, withFileTypes: true }).catch((cause: NodeJS.ErrnoException) => {
    throw new TrainingJobError('TRAINING_JOB_NO_DATA', `no "${TRAINING_JOB.dataChannel}" channel: ${channel} cannot be read (${cause.code ?? cause.message}); give the job the CRM exports as that input channel`, { cause });
  });
  const files = entries
    .filter((e) => e.isFile() && DATA_FILE.test(e.name))
    .map((e) => path.relative(channel, path.join(e.parentPath, e.name)))
    .filter((rel) => !rel.split(path.sep).some((part) => part.startsWith('.')))
    // Code-point order, the same on every machine (not the locale's).
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (files.length === 0) {
    const other = entries.filter((e) => e.isFile()).length;
    const seen = other > 0 ? `${other} file(s), none named .csv, .jsonl, .ndjson or .json` : 'no files';
    throw new TrainingJobError('TRAINING_JOB_NO_DATA', `the "${TRAINING_JOB.dataChannel}" channel (${channel}) holds ${seen}: nothing to train on`);
  }
  return files.map((rel) => path.join(channel, rel));
}
