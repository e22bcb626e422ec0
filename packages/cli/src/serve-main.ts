// Entry of the serve bundle (scripts/build.mjs), which the SageMaker container runs with plain node:
// `mailroute serve` alone. The other commands stay out, and with them the training and report code and
// their packages; development runs every command from source (bin/mailroute.mjs).
import { registerServe } from './commands/serve.js';
import { createContext } from './context.js';
import { buildProgramOf, runProgram } from './program.js';

const ctx = createContext();
process.exitCode = await runProgram(buildProgramOf(ctx, [registerServe], 'Serve the email classifier (this build holds the serve command only; the full CLI runs from source).'), process.argv.slice(2), ctx);
