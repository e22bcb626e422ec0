// Entry of the container's bundle (scripts/build.mjs), which the SageMaker image runs with plain node:
// `mailroute serve` (an endpoint) and `train` (a training job, SageMaker's `docker run <image> train`), whose
// code is a file of its own loaded for it alone. The other commands stay out, and with them the report code;
// development runs every command from source (bin/mailroute.mjs).
import { registerServe } from './commands/serve.js';
import { createContext } from './context.js';
import { buildProgramOf, runProgram } from './program.js';
import { registerTrainingJob } from './training-job/command.js';

const ctx = createContext();
const program = buildProgramOf(
  ctx,
  [registerServe, registerTrainingJob],
  'Serve the email classifier, or train it in a SageMaker training job (this build holds the container\'s serve and train only; the full CLI runs from source).',
);
// Any other command is refused in one line, `predict --help` too (Commander would print this build's help, exit code 0).
const unknownCommand = (name: string) => `this build runs only "serve" and the training job's "train" (the SageMaker container's bundle), not "${name}": run the other commands with the full CLI, from source (npx mailroute)`;
process.exitCode = await runProgram(program, process.argv.slice(2), ctx, { unknownCommand });
