import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { TRAINING_JOB } from '@mailroute/aws/contracts';
import { ROOT_ENV, SAGEMAKER_ROOT, sageMakerPaths } from './sagemaker-paths.js';

/**
 * `train` of the container's bundle (serve-main.ts): the SageMaker training job, started as `docker run <image>
 * train`. Not the full CLI's `train`, which reads flags and registers locally: this one reads SageMaker's folders.
 */
export function registerTrainingJob(program: Command, ctx: CliContext): void {
  program
    .command(TRAINING_JOB.command)
    .description(`Run the SageMaker training job: train on the "${TRAINING_JOB.dataChannel}" and "${TRAINING_JOB.configChannel}" channels, leave the model in <root>/model`)
    .option('--root <dir>', `SageMaker's folder (default: ${ROOT_ENV}, else ${SAGEMAKER_ROOT}); SM_MODEL_DIR, SM_CHANNEL_${TRAINING_JOB.dataChannel.toUpperCase()}, SM_CHANNEL_${TRAINING_JOB.configChannel.toUpperCase()}, SM_INPUT_CONFIG_DIR and SM_OUTPUT_DIR win when set`)
    .action(async (flags: { root?: string }) => {
      // The training code is a bundle of its own (scripts/build.mjs builds each file loaded by path), loaded
      // for this command only: `serve` starts without it.
      const job = (await import(new URL('./training-job.mjs', import.meta.url).href)) as typeof import('./run-training-job.js');
      const root = flags.root === undefined ? undefined : path.resolve(ctx.cwd, flags.root);
      await job.runTrainingJob({ paths: sageMakerPaths(ctx.env, root), stdout: ctx.stdout, stderr: ctx.stderr });
    });
}
