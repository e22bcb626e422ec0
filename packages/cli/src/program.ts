import { Command, CommanderError } from 'commander';
import { buildVersion, versionText } from './build-version.js';
import type { RegisterCommand } from './commands/index.js';
import { formatError, IncompleteError, InterruptedError, UsageError } from './errors.js';
import type { CliContext } from './context.js';
import { markRequiredOptions } from './required-help.js';
import { safeLines } from './terminal-text.js';
import { StdoutClosedError, systemErrorInWords } from './write-output.js';

/**
 * The `mailroute` program with the given subcommands (each in `commands/<name>.ts`). Kept apart from
 * main.ts so that the container's bundle (serve-main.ts) holds `serve` and the training job's `train` alone,
 * without the other commands' packages.
 */
export function buildProgramOf(
  ctx: CliContext,
  commands: readonly RegisterCommand[],
  description = 'Clean, classify and route customer emails; train, evaluate, register and serve the model.',
): Command {
  const program = new Command('mailroute')
    .description(description)
    // Commander's .version() takes the text when the program is made: asking git for the commit then would cost every
    // command two git calls. Said only when asked, as .version() says it (stdout, exit code 0).
    .option('-V, --version', 'output the version number')
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
        '  MAILROUTE_MAX_CONNECTIONS  the open client connections serve and start take at most (as --max-connections)',
        "  MAILROUTE_TIME_ZONE  the time zone of the CRM's times sent without one, for serve and start (as --time-zone); feedback export and predictions read --since/--until in it when the training config names none",
        '  MAILROUTE_ACCESS_LOG=1  serve and start log a line per request and give every answer an id (as --access-log)',
        '  MAILROUTE_SAGEMAKER=1, SM_MODEL_DIR  serve as a SageMaker container (as --sagemaker), its model directory',
        '  SAGEMAKER_BIND_TO_PORT  in SageMaker container mode, the port (set by SageMaker; wins over PORT)',
        '  MAILROUTE_MODEL_ID  with a model directory, the model id its manifest must name (set on registered SageMaker models)',
        "  MAILROUTE_SAGEMAKER_ROOT  the SageMaker training job's folder (default /opt/ml), read by the container's `train`",
        '',
        'Exit codes: 0 success, 1 failure (one line on stderr), 2 usage error, 3 done in part (feedback forget), 130 interrupted (Ctrl-C), 143 stopped by SIGTERM.',
      ].join('\n'),
    );
  program.on('option:version', () => {
    const text = versionText(buildVersion());
    ctx.stdout.write(`${text}\n`);
    throw new CommanderError(0, 'commander.version', text);
  });
  // Before the subcommands are made, which inherit it: `(required)` in front of a required option's help.
  markRequiredOptions(program);
  for (const register of commands) register(program, ctx);
  program.hook('preAction', (_program, action) => {
    refuseEmptyNames(action);
    // The words as given (Commander keeps them, untyped, as rawArgs; tested in main.test.ts).
    const given = (program as unknown as { rawArgs?: unknown }).rawArgs;
    if (Array.isArray(given)) refuseRepeatedValues(action, given as string[]);
  });
  for (const sub of program.commands) {
    sub.exitOverride().showHelpAfterError('(run with --help for usage)');
  }
  return program;
}

/**
 * Refuses an option that takes one value given twice (`evaluate --predictions a.jsonl --predictions b.jsonl`):
 * Commander keeps the last one unsaid, so the first file was never read. Options that take several values
 * (`--data <files...>`) say so in their help; flags without a value may repeat.
 */
function refuseRepeatedValues(command: Command, argv: readonly string[]): void {
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--') return;
    const option = token.startsWith('-') ? command.options.find((o) => o.long === token.split('=')[0] || o.short === token) : undefined;
    if (option === undefined || !(option.required || option.optional)) continue;
    if (!token.includes('=') && (option.required || (argv[i + 1] !== undefined && !argv[i + 1].startsWith('-')))) i++;
    const name = option.long ?? option.flags;
    if (option.variadic) continue;
    if (seen.has(name)) throw new UsageError(`${name} is given twice: it takes one value (the last would be used, the first never read); give it once`);
    seen.add(name);
  }
}

/**
 * Refuses an option's value that is itself one of the command's options (`registry approve <id> --by --no-promote`,
 * as `--by $APPROVER --no-promote` reads with the variable unset): Commander takes the next word as the value, so
 * the flag after it was never set (the version became champion, approved by "--no-promote"), or a required option
 * went missing (`predict --model --data x.csv`). A value of `--opt=--x` was given as one on purpose; other words
 * that start with a dash may be values (`--note --draft`), as main.ts's unknownOptionHint takes them.
 */
function refuseOptionsAsValues(program: Command, argv: readonly string[]): void {
  let command = program;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--') return;
    if (!token.startsWith('-')) {
      command = command.commands.find((c) => c.name() === token || c.aliases().includes(token)) ?? command;
      continue;
    }
    const option = [...command.options, ...program.options].find((o) => o.long === token || o.short === token);
    // Only a value that must be given is taken whatever it is; an optional one ([value]) is never a dash word.
    if (option === undefined || !option.required || i + 1 >= argv.length) continue;
    const value = argv[++i];
    if (optionNames(command).has(value)) throw new UsageError(`${option.long ?? option.flags} takes a value, got the option ${value}: give the value before it (an unset variable gives none)`);
  }
}

/** The long options a command takes (and `--help`), each in both forms: `--promote` and `--no-promote`. */
function optionNames(command: Command): Set<string> {
  const names = new Set(['--help']);
  for (const long of command.options.map((o) => o.long)) {
    if (long === undefined) continue;
    names.add(long);
    names.add(long.startsWith('--no-') ? `--${long.slice(5)}` : `--no-${long.slice(2)}`);
  }
  return names;
}

/** What an option of each value name names, for the error said when its value is empty. */
const NAMED: Record<string, string> = { file: 'a file', files: 'a file', dir: 'a folder', ref: 'a registry id, champion or a model directory', host: 'an address, such as 127.0.0.1', name: 'a name' };

/**
 * Refuses an empty value of an option that names a file, folder, model, address or name (`--config "$CONFIG"` with
 * the variable unset): read as no option it trained with the demo config and served the champion instead of
 * `--model-dir`, and as a path it named the current folder ("cannot read : a directory"); `registry approve --by ""`
 * recorded an approval by nobody, and `evaluate --name ""` titled the reports with nothing.
 */
function refuseEmptyNames(command: Command): void {
  for (const option of command.options) {
    const kind = /<(file|files|dir|ref|host|name)(\.\.\.)?>/.exec(option.flags)?.[1];
    const value: unknown = command.getOptionValue(option.attributeName());
    if (kind === undefined || !(Array.isArray(value) ? value : [value]).includes('')) continue;
    throw new UsageError(`${option.long} is empty: give ${NAMED[kind]}`);
  }
}

/** The unknown options the arguments give, said in one line with the nearest known ones (see main.ts's unknownOptionHint). */
export type UsageHint = (program: Command, argv: readonly string[]) => string | undefined;

export interface RunOptions {
  /** Says more about a usage error Commander reported tersely (main.ts's unknownOptionHint). */
  hint?: UsageHint;
  /**
   * The one line said for a command this program does not have (the serve bundle: only serve), exit code 2.
   * Without it, Commander's own error (with its "Did you mean").
   */
  unknownCommand?: (name: string) => string;
}

/** The command the arguments name (the one `help` names, for `help <command>`); the program's own options take no value. */
function commandWord(argv: readonly string[]): string | undefined {
  const end = argv.indexOf('--');
  const words = (end < 0 ? argv : argv.slice(0, end)).filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

/**
 * `help registry approve` as `registry approve --help`: Commander's help command looks one word deep, and answered
 * with the help of `registry`. A word that names no subcommand under a known command (`help registry aprove`) is
 * that command's usage error, as `registry aprove` gives; an unknown first word is left to the caller.
 */
function nestedHelp(program: Command, argv: string[]): string[] {
  if (argv[0] !== 'help' || argv.length < 3 || argv.some((a) => a.startsWith('-'))) return argv;
  let command: Command = program;
  for (const [depth, word] of argv.slice(1).entries()) {
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub === undefined) return depth === 0 ? argv : argv.slice(1);
    command = sub;
  }
  return [...argv.slice(1), '--help'];
}

/**
 * A command that only groups others, given alone (`mailroute`, `mailroute feedback`, whose subcommands each need
 * an --out, or forget its email ids), as `<it> --help`: its help on stdout, exit code 0, as `registry` and `runs` alone list theirs.
 * Commander printed the help on stderr with exit code 2, as a usage error. A group with a default subcommand or
 * an action of its own is left to it, and so are words after the group (`feedback expotr`: an unknown command).
 */
function groupAloneHelp(program: Command, argv: string[]): string[] {
  if (argv.some((a) => a.startsWith('-'))) return argv;
  let command: Command = program;
  for (const word of argv) {
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub === undefined) return argv;
    command = sub;
  }
  // Commander keeps both unexposed (as rawArgs, read in buildProgramOf).
  const own = command as unknown as { _actionHandler?: unknown; _defaultCommandName?: unknown };
  return command.commands.length > 0 && !own._actionHandler && !own._defaultCommandName ? [...argv, '--help'] : argv;
}

/**
 * One of Commander's own error messages (`error: unknown option '--x'`, a missing argument, an invalid value) in
 * the form of the CLI's other errors: `mailroute: ...`, its further lines ("(Did you mean train?)") kept, control
 * characters in the words it quotes escaped.
 */
export function commanderErrorText(text: string): string {
  return safeLines(`mailroute: ${text.replace(/^error: /, '')}`);
}

/** The program and every subcommand under it. */
function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(allCommands)];
}

/**
 * Runs the program and returns the exit code: 0 ok, 1 failure, 2 usage error, 3 done in part, 130 interrupted. Only the entry's caller exits.
 * `hint` names what Commander reported tersely: when it says a required option is missing while an unknown
 * one was given (`train --dta x`: a typo of the one it misses), the unknown option is said instead.
 */
export async function runProgram(program: Command, argv: string[], ctx: CliContext, options: RunOptions = {}): Promise<number> {
  const { hint } = options;
  argv = groupAloneHelp(program, nestedHelp(program, argv));
  const word = commandWord(argv);
  if (word !== undefined && !program.commands.some((c) => c.name() === word || c.aliases().includes(word))) {
    if (options.unknownCommand) {
      ctx.stderr.write(`mailroute: ${options.unknownCommand(word)}\n`);
      return 2;
    }
    // Commander would answer `<unknown> --help` with the general help and exit code 0, and `help <unknown>` with it
    // and exit code 2: the unknown command is the error, said as for `<unknown>` (with "Did you mean").
    const helpAt = argv.findIndex((a) => !a.startsWith('-'));
    if (argv[helpAt] === 'help') argv = argv.filter((_, i) => i !== helpAt);
    argv = argv.filter((a) => a !== '--help' && a !== '-h');
  }
  // Commander's messages are held until parsing ends (the action starts), so that one can be replaced.
  let held: string | undefined = '';
  const release = () => {
    if (held) ctx.stderr.write(held);
    held = undefined;
  };
  const writeErr = (s: string) => (held === undefined ? ctx.stderr.write(s) : (held += s));
  // Commander's errors carry the prefix of the CLI's own (exit code 2 for both, below); its help after them does not.
  for (const command of allCommands(program)) command.configureOutput({ writeErr, outputError: (s, write) => write(commanderErrorText(s)) });
  program.hook('preAction', release);
  try {
    // Before Commander parses: a flag taken as a value leaves a required option missing, or a word too many, and
    // Commander would say that instead (before any preAction hook runs).
    refuseOptionsAsValues(program, argv);
    await program.parseAsync(argv, { from: 'user' });
    release();
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // An unknown option is said in one line, with the nearest known one; so is one given where a required
      // option is missing, alone: the option "missing" is most often the one it misspells.
      const text = error.code === 'commander.missingMandatoryOptionValue' || error.code === 'commander.unknownOption' ? hint?.(program, argv) : undefined;
      if (text) {
        held = undefined;
        ctx.stderr.write(`mailroute: ${text}\n(run with --help for usage)\n`);
        return 2;
      }
      release();
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    release();
    // The reader of standard output went away (`| head -1`): what it did not read was not wanted, said by no one.
    if (error instanceof StdoutClosedError) return 0;
    if (error instanceof InterruptedError) {
      ctx.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof IncompleteError) {
      ctx.stderr.write(safeLines(`mailroute: ${error.message}\n`));
      return error.exitCode;
    }
    if (error instanceof UsageError) {
      ctx.stderr.write(safeLines(`mailroute: ${error.message}\n(run with --help for usage)\n`));
      return 2;
    }
    ctx.stderr.write(safeLines(`mailroute: ${formatError(systemErrorInWords(error))}\n`));
    if (process.env.MAILROUTE_DEBUG === '1' && error instanceof Error && error.stack) ctx.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
