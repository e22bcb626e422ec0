import path from 'node:path';
import { TRAINING_JOB } from '@mailroute/aws/contracts';

/** Where SageMaker puts a training job's inputs and takes its outputs (https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-training-algo-running-container.html). */
export interface SageMakerPaths {
  /** The model's artifact directory, uploaded when the job succeeds (`SM_MODEL_DIR`, default <root>/model). */
  modelDir: string;
  /** hyperparameters.json (`SM_INPUT_CONFIG_DIR`, default <root>/input/config). */
  inputConfigDir: string;
  /** The CRM exports (`SM_CHANNEL_TRAINING`, default <root>/input/data/training). */
  dataChannel: string;
  /** The training config (`SM_CHANNEL_CONFIG`, default <root>/input/data/config). */
  configChannel: string;
  /** The file whose text SageMaker shows as the job's FailureReason (`SM_OUTPUT_DIR`, default <root>/output, + /failure). */
  failureFile: string;
  /**
   * Other output, kept by SageMaker as output.tar.gz beside model.tar.gz, whether the job succeeds or fails
   * (`SM_OUTPUT_DATA_DIR`, default the output folder's `data`): the run record goes there.
   */
  outputDataDir: string;
}

/** The default root: what SageMaker mounts in the container. */
export const SAGEMAKER_ROOT = '/opt/ml';

/** The environment variable that moves the root (tests run in a temporary folder). */
export const ROOT_ENV = 'MAILROUTE_SAGEMAKER_ROOT';

/** `SM_CHANNEL_<NAME>`: the variable the SageMaker training toolkit sets for an input channel. */
const channelEnv = (channel: string) => `SM_CHANNEL_${channel.toUpperCase()}`;

/**
 * The job's paths under `root` (default: `MAILROUTE_SAGEMAKER_ROOT`, else /opt/ml); the SM_* variables, set by
 * SageMaker's training toolkit and by some launchers, win over the defaults when set. Blank is unset.
 */
export function sageMakerPaths(env: Record<string, string | undefined>, root?: string): SageMakerPaths {
  const base = path.resolve(root ?? (env[ROOT_ENV]?.trim() || SAGEMAKER_ROOT));
  const from = (name: string, fallback: string) => path.resolve(env[name]?.trim() || path.join(base, fallback));
  const outputDir = from('SM_OUTPUT_DIR', 'output');
  return {
    modelDir: from('SM_MODEL_DIR', 'model'),
    inputConfigDir: from('SM_INPUT_CONFIG_DIR', 'input/config'),
    dataChannel: from(channelEnv(TRAINING_JOB.dataChannel), `input/data/${TRAINING_JOB.dataChannel}`),
    configChannel: from(channelEnv(TRAINING_JOB.configChannel), `input/data/${TRAINING_JOB.configChannel}`),
    failureFile: path.join(outputDir, 'failure'),
    outputDataDir: env.SM_OUTPUT_DATA_DIR?.trim() ? path.resolve(env.SM_OUTPUT_DATA_DIR.trim()) : path.join(outputDir, 'data'),
  };
}
