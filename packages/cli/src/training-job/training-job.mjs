// The training job's code, which training-job/command.ts loads by path so that the container's bundle builds
// it as a file of its own (packages/cli/scripts/build.mjs): `serve` never loads the training packages.
export { runTrainingJob } from './run-training-job.ts';
