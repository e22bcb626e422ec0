import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { TRAINING_JOB } from '@mailroute/aws/contracts';
import { TrainingJobError } from './errors.js';

/** The exports a data channel may hold: CSV, JSONL (.jsonl, .ndjson) and JSON. */
const DATA_FILE = /\.(csv|jsonl|ndjson|json)$/i;

/**
 * Every export in the data channel, subfolders included (SageMaker copies an S3 prefix with its key's folders),
 * in name order of their paths inside the channel. Hidden files and folders (`.` names) are left out. Refused
 * when the channel is missing, holds none, or holds another file (`export.csv.gz`, `export.xlsx`): the monthly
 * job runs unwatched, and a month's export it silently left out would train a model on less data unseen.
 */
export async function dataFiles(channel: string): Promise<string[]> {
  const entries = await readdir(channel, { recursive: true, withFileTypes: true }).catch((cause: NodeJS.ErrnoException) => {
    throw new TrainingJobError('TRAINING_JOB_NO_DATA', `no "${TRAINING_JOB.dataChannel}" channel: ${channel} cannot be read (${cause.code ?? cause.message}); give the job the CRM exports as that input channel`, { cause });
  });
  const visible = entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(channel, path.join(e.parentPath, e.name)))
    .filter((rel) => !rel.split(path.sep).some((part) => part.startsWith('.')))
    // Code-point order, the same on every machine (not the locale's).
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const files = visible.filter((rel) => DATA_FILE.test(rel));
  if (files.length === 0) {
    const other = entries.filter((e) => e.isFile()).length;
    const seen = other > 0 ? `${other} file(s), none named .csv, .jsonl, .ndjson or .json` : 'no files';
    throw new TrainingJobError('TRAINING_JOB_NO_DATA', `the "${TRAINING_JOB.dataChannel}" channel (${channel}) holds ${seen}: nothing to train on`);
  }
  const unread = visible.filter((rel) => !DATA_FILE.test(rel));
  if (unread.length > 0) {
    const named = `${unread.slice(0, 5).join(', ')}${unread.length > 5 ? ` and ${unread.length - 5} more` : ''}`;
    throw new TrainingJobError(
      'TRAINING_JOB_UNREAD_DATA',
      `the "${TRAINING_JOB.dataChannel}" channel (${channel}) holds ${unread.length} file(s) the job cannot read: ${named}; it reads .csv, .jsonl, .ndjson and .json files (not compressed), and training without them would leave their rows out unseen: unpack or convert them, or move them out of the channel's S3 folder (a name starting with "." is left out too)`,
    );
  }
  return files.map((rel) => path.join(channel, rel));
}
