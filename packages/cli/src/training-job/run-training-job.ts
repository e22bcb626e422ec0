import { access, constants, copyFile, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { atomicTempFile } from '@mailroute/model';
import { loadTrainingConfig, maskedErrorText, runsDir, trainFromConfig } from '@mailroute/training';
import { formatError, InterruptedError } from '../errors.js';
import { formatSeconds } from '../format-seconds.js';
import { trainResultLines } from '../commands/train-result.js';
import { safeLines } from '../terminal-text.js';
import { systemErrorInWords } from '../write-output.js';
import { FEEDBACK_EXPORT_STEP, TRAINING_JOB } from '@mailroute/aws/contracts';
import { dataFiles } from './data-files.js';
import { TrainingJobError } from './errors.js';
import { failureReason, writeFailure } from './failure.js';
import { readHyperparameters } from './hyperparameters.js';
import { checkModelDirEmpty, writeModelDir } from './model-output.js';
import type { SageMakerPaths } from './sagemaker-paths.js';

export interface TrainingJobOptions {
  paths: SageMakerPaths;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Where the run's scratch registry and record go (removed after; default: the system's temporary folder). */
  tmpDir?: string;
  /**
   * Stops the job (SIGTERM: StopTrainingJob) at the training's next epoch or step, before the model is written:
   * the run is recorded as interrupted and its record kept, and the job fails with an InterruptedError.
   */
  signal?: AbortSignal;
}

export interface TrainingJobResult {
  modelId: string;
  /** The data files trained on, in the order read. */
  dataFiles: string[];
}

/**
 * The training config named by the hyperparameters, in the config channel. When it is missing, the error says
 * what the channel holds: a config uploaded under another name is the usual cause, and the retraining pipeline
 * always asks for the default name.
 */
async function configFileOf(paths: SageMakerPaths, name: string): Promise<string> {
  const file = path.join(paths.configChannel, name);
  await access(file, constants.R_OK).catch(async (cause: NodeJS.ErrnoException) => {
    const how = name === TRAINING_JOB.defaultConfigFile ? 'the default name, the one the retraining pipeline asks for' : `named by the "${TRAINING_JOB.configHyperparameter}" hyperparameter`;
    const held = await readdir(paths.configChannel, { recursive: true }).catch(() => undefined);
    const holds = held === undefined ? 'the channel is missing' : held.length === 0 ? 'the channel is empty' : `the channel holds ${held.slice(0, 5).join(', ')}${held.length > 5 ? ', ...' : ''}`;
    throw new TrainingJobError('TRAINING_JOB_CONFIG_MISSING', `no training config ${name} (${how}) in the "${TRAINING_JOB.configChannel}" channel: ${file} cannot be read (${cause.code ?? cause.message}); ${holds}`, { cause });
  });
  return file;
}

/**
 * The run's record (run.json, epochs.jsonl: config, commit, data hash and counts, every epoch's and the test split's
 * figures per task) copied to the job's output data folder, which SageMaker keeps as output.tar.gz whether the job
 * succeeds or fails: the scratch home it was written in is removed. A copy that fails is said, and fails nothing.
 */
async function keepRunRecord(home: string, outputDataDir: string, stderr: NodeJS.WritableStream): Promise<void> {
  try {
    const [runId] = await readdir(runsDir(home)).catch(() => [] as string[]);
    if (runId === undefined) return;
    await mkdir(outputDataDir, { recursive: true });
    for (const name of ['run.json', 'epochs.jsonl']) {
      // Copied aside and moved in: SageMaker's SIGKILL after a stop's grace period leaves a whole record or none.
      // A copy or move that fails leaves no temp file in the output.
      const target = path.join(outputDataDir, name);
      const aside = atomicTempFile(target);
      try {
        const copied = await copyFile(path.join(runsDir(home), runId, name), aside).then(
          () => true,
          (error: NodeJS.ErrnoException) => {
            if (error.code !== 'ENOENT') throw error;
            return false;
          },
        );
        if (copied) await rename(aside, target);
      } catch (error) {
        await rm(aside, { force: true });
        throw error;
      }
    }
  } catch (error) {
    stderr.write(safeLines(`warning: the run record was not kept in ${outputDataDir}: ${(error as Error).message}\n`));
  }
}

/** The feedback file among the exports (`mailroute-feedback/confirmed-cases.csv|jsonl`, the ExportFeedback step's), if there is one. */
function supersedingOf(files: readonly string[]): { supersedingDataPath?: string } {
  const names = ['csv', 'jsonl'].map((ext) => `/${FEEDBACK_EXPORT_STEP.file}.${ext}`);
  const file = files.find((f) => names.some((name) => f.split(path.sep).join('/').endsWith(name)));
  return file === undefined ? {} : { supersedingDataPath: file };
}

/** Trains as `mailroute train --config <config> --data <every export>` does, in a registry of its own that is removed after. */
async function train(options: TrainingJobOptions, configFile: string, files: string[], note: string | undefined) {
  const { stdout, stderr } = options;
  const home = await mkdtemp(path.join(options.tmpDir ?? os.tmpdir(), 'mailroute-training-job-'));
  const log = (message: string) => stderr.write(safeLines(`${message}\n`));
  let epochs = 0;
  try {
    const result = await trainFromConfig({
      config: await loadTrainingConfig(configFile),
      configFile,
      job: true,
      dataPath: files,
      // The confirmed cases the pipeline's ExportFeedback step wrote: their rows replace a CRM export's of the same email.
      ...supersedingOf(files),
      home,
      onEpoch: (_report, line) => {
        epochs += 1;
        stdout.write(safeLines(`${line}\n`));
      },
      logger: { info: log, warn: (m) => log(`warning: ${m}`) },
      ...(note ? { note } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const lines = trainResultLines(result, `${result.metricsSplit} split`);
    stdout.write(safeLines(`${lines.final}\n`));
    log(`${lines.measured}\ntraining ${formatSeconds(result.trainingSeconds)} s`);
    await writeModelDir(result.artifactDir, options.paths.modelDir);
    return result.modelId;
  } catch (error) {
    // Said with what was kept, for the failure file (the job's FailureReason) and the log.
    if (error instanceof InterruptedError && error === options.signal?.reason) {
      const signal = error.exitCode === 143 ? 'SIGTERM' : 'SIGINT';
      throw new InterruptedError(`interrupted by ${signal} (the training job was stopped) after ${epochs} epoch(s): no model was written; the run record (run.json in the job's output data) keeps them, status interrupted`, error.exitCode);
    }
    throw error;
  } finally {
    await keepRunRecord(home, options.paths.outputDataDir, stderr);
    await rm(home, { recursive: true, force: true });
  }
}

/**
 * The SageMaker training job (`docker run <image> train`): reads the hyperparameters, the training config from
 * the config channel and every export of the data channel, trains, and leaves the model's artifact directory
 * (manifest.json and the files it lists) in the model directory. On failure the reason goes, as one paragraph
 * under 1 KB, to the failure file (the job's FailureReason), the model directory is left without an artifact,
 * and the error is thrown on.
 */
export async function runTrainingJob(options: TrainingJobOptions): Promise<TrainingJobResult> {
  const { paths, stdout, stderr } = options;
  try {
    const hyperparameters = await readHyperparameters(paths.inputConfigDir);
    const configFile = await configFileOf(paths, hyperparameters.configFile);
    const files = await dataFiles(paths.dataChannel);
    await checkModelDirEmpty(paths.modelDir);
    stderr.write(safeLines(`training job: config ${configFile}; ${files.length} data file(s): ${files.map((f) => path.relative(paths.dataChannel, f)).join(', ')}${hyperparameters.note ? `; note: ${hyperparameters.note}` : ''}\n`));
    const modelId = await train(options, configFile, files, hyperparameters.note);
    stdout.write(`model ${modelId} written to ${paths.modelDir}\n`);
    return { modelId, dataFiles: files };
  } catch (error) {
    // Masked as the run record's error is: a bad row's message quotes its cell, and the failure file becomes the job's
    // FailureReason, which anyone who may describe training jobs reads, and which no one can delete.
    const reason = failureReason(maskedErrorText(formatError(systemErrorInWords(error))));
    await writeFailure(paths.failureFile, reason).catch((cause: Error) => stderr.write(`could not write the failure file ${paths.failureFile}: ${cause.message}\n`));
    throw error;
  }
}
