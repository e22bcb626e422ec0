import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { TRAINING_JOB } from '@mailroute/aws/contracts';
import { TrainingJobError } from './errors.js';

/** What the job reads of its hyperparameters. */
export interface JobHyperparameters {
  /** The config file's name inside the config channel. */
  configFile: string;
  note?: string;
}

/** SageMaker's own hyperparameters (`sagemaker_program`, `_tuning_objective_metric`): passed to every job, not the job's to read. */
const SAGEMAKER_OWN = /^(sagemaker_|_)/;

const FILE = 'hyperparameters.json';

// SageMaker passes every value as a string; a launcher that writes the file itself may not.
const HyperparametersSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));

/**
 * Reads <input config dir>/hyperparameters.json. No file is no hyperparameters (the defaults); a file that is
 * not a JSON object of plain values, or a config name that leaves the config channel, is refused.
 */
export async function readHyperparameters(inputConfigDir: string): Promise<JobHyperparameters> {
  const file = path.join(inputConfigDir, FILE);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '{}';
    throw new TrainingJobError('TRAINING_JOB_HYPERPARAMETERS_INVALID', `${file}: cannot read (${error.message})`, { cause: error });
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new TrainingJobError('TRAINING_JOB_HYPERPARAMETERS_INVALID', `${file} is not JSON`, { cause });
  }
  const parsed = HyperparametersSchema.safeParse(json);
  if (!parsed.success) {
    throw new TrainingJobError('TRAINING_JOB_HYPERPARAMETERS_INVALID', `${file} must be a JSON object of string values (SageMaker's hyperparameters), got ${text.slice(0, 200)}`);
  }
  const values = parsed.data;
  const configFile = values[TRAINING_JOB.configHyperparameter]?.trim() || TRAINING_JOB.defaultConfigFile;
  // A name inside the channel (a subfolder is fine), never a path out of it.
  if (path.isAbsolute(configFile) || path.normalize(configFile).split(path.sep).includes('..')) {
    throw new TrainingJobError('TRAINING_JOB_HYPERPARAMETERS_INVALID', `hyperparameter "${TRAINING_JOB.configHyperparameter}" must name a file inside the "${TRAINING_JOB.configChannel}" channel, got "${configFile}"`);
  }
  const note = values[TRAINING_JOB.noteHyperparameter]?.trim();
  const known: string[] = [TRAINING_JOB.configHyperparameter, TRAINING_JOB.noteHyperparameter];
  // Refused, not warned of: a monthly job runs unattended, and `epochs=20` set on it would change nothing unseen.
  const unread = Object.keys(values).filter((k) => !known.includes(k) && !SAGEMAKER_OWN.test(k)).sort();
  if (unread.length > 0) {
    throw new TrainingJobError(
      'TRAINING_JOB_HYPERPARAMETERS_INVALID',
      `hyperparameters the job does not read: ${unread.join(', ')}. It reads "${TRAINING_JOB.configHyperparameter}" (the training config's file in the "${TRAINING_JOB.configChannel}" channel) and "${TRAINING_JOB.noteHyperparameter}"; training settings (epochs, model parameters) belong in that config`,
    );
  }
  return { configFile, ...(note ? { note } : {}) };
}
