// Entry of the serve bundle (scripts/build.mjs), which the SageMaker container runs with plain node:
// `mailroute serve` alone. The other commands stay out, and with them the training and report code and
// their packages; development runs every command from source (bin/mailroute.mjs).
import { registerServe } from './commands/serve.js';
import { createContext } from './context.js';
import { buildProgramOf, runProgram } from './program.js';

const ctx = createContext();
const program = buildProgramOf(ctx, [registerServe], 'Serve the email classifier (this build holds the serve command only; the full CLI runs from source).');
// Any other command is refused in one line, `train --help` too (Commander would print this build's help, exit code 0).
const unknownCommand = (name: string) => `this build runs only "serve" (the SageMaker container's bundle), not "${name}": run the other commands with the full CLI, from source (npx mailroute)`;
process.exitCode = await runProgram(program, process.argv.slice(2), ctx, { unknownCommand });
