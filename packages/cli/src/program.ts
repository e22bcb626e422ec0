import { Command, CommanderError } from 'commander';
import type { RegisterCommand } from './commands/index.js';
import { formatError, UsageError } from './errors.js';
import type { CliContext } from './context.js';

/**
 * The `mailroute` program with the given subcommands (each in `commands/<name>.ts`). Kept apart from
 * main.ts so that the container's bundle (serve-main.ts) holds `serve` alone, without the other
 * commands' packages.
 */
export function buildProgramOf(
  ctx: CliContext,
  commands: readonly RegisterCommand[],
  description = 'Clean, classify and route customer emails; train, evaluate, register and serve the model.',
): Command {
  const program = new Command('mailroute')
    .description(description)
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) })
    .exitOverride()
    .addHelpText(
      'after',
      [
        '',
        'Environment:',
        '  MAILROUTE_HOME   where the registry, runs and the prediction database live (default .mailroute)',
        '  MAILROUTE_DEBUG  1: print the stack of an error as well',
        '  PORT, HOST       the address of serve and start (as --port, --host)',
        '  MAILROUTE_API_KEYS_FILE  the API key file of serve and start (as --api-keys)',
        '  MAILROUTE_SAGEMAKER=1, SM_MODEL_DIR  serve as a SageMaker container (as --sagemaker), its model directory',
        '',
        'Exit codes: 0 success, 1 failure (one line on stderr), 2 usage error.',
      ].join('\n'),
    );
  for (const register of commands) register(program, ctx);
  for (const sub of program.commands) {
    sub.exitOverride().showHelpAfterError('(run with --help for usage)');
  }
  return program;
}

/** Says more about a usage error Commander reported tersely (see main.ts's unknownOptionHint). */
export type UsageHint = (program: Command, argv: readonly string[]) => string | undefined;

/** Runs the program and returns the exit code: 0 ok, 1 failure, 2 usage error. Only the entry's caller exits. */
export async function runProgram(program: Command, argv: string[], ctx: CliContext, hint?: UsageHint): Promise<number> {
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      if (error.exitCode === 0) return 0;
      if (error.code === 'commander.missingMandatoryOptionValue') {
        const text = hint?.(program, argv);
        if (text) ctx.stderr.write(`mailroute: ${text}\n`);
      }
      return 2;
    }
    if (error instanceof UsageError) {
      ctx.stderr.write(`mailroute: ${error.message}\n(run with --help for usage)\n`);
      return 2;
    }
    ctx.stderr.write(`mailroute: ${formatError(error)}\n`);
    if (process.env.MAILROUTE_DEBUG === '1' && error instanceof Error && error.stack) ctx.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
