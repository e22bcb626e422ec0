import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { InterruptedError } from '../errors.js';
import { twoStepInterrupt } from '../interrupt.js';
import { TRAINING_JOB } from '@mailroute/aws/contracts';
import { failureReason, writeFailureSync } from './failure.js';
import { ROOT_ENV, SAGEMAKER_ROOT, sageMakerPaths } from './sagemaker-paths.js';

/** The failure file's reason when a second signal ends the job at once: the first one's steps were not done. */
export const QUIT_AT_ONCE_REASON = '[INTERRUPTED] stopped by a second signal before the job could stop by itself: no model was written, and the run record was not kept';

/**
 * `train` of the container's bundle (serve-main.ts): the SageMaker training job, started as `docker run <image>
 * train`. Not the full CLI's `train`, which reads flags and registers locally: this one reads SageMaker's folders.
 * SIGTERM (StopTrainingJob; SageMaker sends SIGKILL after a grace period) or Ctrl-C stops the training at its next
 * epoch or step: the run is recorded as interrupted with the epochs done, the record is kept in the output data, the
 * failure file says why, no model is written and the exit code is 143 (130 for Ctrl-C). A second signal quits at once.
 */
export function registerTrainingJob(program: Command, ctx: CliContext): void {
  program
    .command(TRAINING_JOB.command)
    .description(`Run the SageMaker training job: train on the "${TRAINING_JOB.dataChannel}" and "${TRAINING_JOB.configChannel}" channels, leave the model in <root>/model`)
    .option('--root <dir>', `SageMaker's folder (default: ${ROOT_ENV}, else ${SAGEMAKER_ROOT}); SM_MODEL_DIR, SM_CHANNEL_${TRAINING_JOB.dataChannel.toUpperCase()}, SM_CHANNEL_${TRAINING_JOB.configChannel.toUpperCase()}, SM_INPUT_CONFIG_DIR and SM_OUTPUT_DIR win when set`)
    .action(async (flags: { root?: string }) => {
      const root = flags.root === undefined ? undefined : path.resolve(ctx.cwd, flags.root);
      const paths = sageMakerPaths(ctx.env, root);
      // Listening before the job's code loads: a SIGTERM while it loads stops the job at its first step, not the process at once.
      const interrupt = twoStepInterrupt(ctx, {
        stopping: (signal) => `stopping at the next epoch or step; the run record keeps the epochs done (${signal} again quits at once)`,
        quitting: 'quitting now: no model was written',
        again: () => {
          try {
            writeFailureSync(paths.failureFile, failureReason(QUIT_AT_ONCE_REASON));
          } catch (error) {
            ctx.stderr.write(`could not write the failure file ${paths.failureFile}: ${(error as Error).message}\n`);
          }
        },
        // Once the model is written, a late signal does not turn the job's success into 143.
        quietAfter: true,
        reason: new InterruptedError('interrupted: the training job was stopped; no model was written'),
      });
      try {
        // The training code is a bundle of its own (scripts/build.mjs builds each file loaded by path), loaded
        // for this command only: `serve` starts without it.
        const job = (await import(new URL('./training-job.mjs', import.meta.url).href)) as typeof import('./run-training-job.js');
        await job.runTrainingJob({ paths, stdout: ctx.stdout, stderr: ctx.stderr, signal: interrupt.signal });
      } finally {
        interrupt.release();
      }
    });
}
