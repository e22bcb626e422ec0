import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.js';
import { closestKey } from '@mailroute/training';
import { formatError, UsageError } from './errors.js';
import { createContext, type CliContext } from './context.js';

/** Builds the `mailroute` program; every subcommand lives in `commands/<name>.ts`. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('mailroute')
    .description('Clean, classify and route customer emails; train, evaluate, register and serve the model.')
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

/**
 * Commander reports a missing required option before an unknown one, so `train --datas x` says only that
 * --data is missing. This finds the unknown long options of the command the arguments name, with the
 * nearest known one.
 */
export function unknownOptionHint(program: Command, argv: readonly string[]): string | undefined {
  let command = program;
  const unknown: string[] = [];
  for (const token of argv) {
    if (token === '--') break;
    if (!token.startsWith('-')) {
      command = command.commands.find((c) => c.name() === token || c.aliases().includes(token)) ?? command;
      continue;
    }
    if (!token.startsWith('--')) continue;
    const name = token.split('=')[0];
    const known = [...command.options, ...program.options].flatMap((o) => [o.long, o.negate ? undefined : o.long?.replace(/^--/, '--no-')]);
    if (!known.includes(name) && name !== '--help') unknown.push(name);
  }
  if (unknown.length === 0) return undefined;
  const known = command.options.map((o) => o.long).filter((l): l is string => l !== undefined);
  return unknown
    .map((name) => {
      const guess = closestKey(name, known);
      return `unknown option '${name}'${guess ? ` (did you mean ${guess}?)` : ''}`;
    })
    .join('; ');
}

/** Runs the CLI and returns the exit code: 0 ok, 1 failure, 2 usage error. Only this file's caller exits. */
export async function main(argv: string[], ctx: CliContext = createContext()): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      if (error.exitCode === 0) return 0;
      if (error.code === 'commander.missingMandatoryOptionValue') {
        const hint = unknownOptionHint(program, argv);
        if (hint) ctx.stderr.write(`mailroute: ${hint}\n`);
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
