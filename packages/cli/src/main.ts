import { Command } from 'commander';
import { commands } from './commands/index.js';
import { didYouMean } from '@mailroute/model';
import { createContext, type CliContext } from './context.js';
import { buildProgramOf, runProgram } from './program.js';
import { registerTrainingJob } from './training-job/command.js';

export { flushed, streamErrorHandler } from './write-output.js';

/** Builds the `mailroute` program with every subcommand. */
export function buildProgram(ctx: CliContext): Command {
  return buildProgramOf(ctx, commands);
}

/**
 * Commander reports a missing required option before an unknown one, so `train --dta x` would say only that
 * --data is missing. This finds the unknown long options of the command the arguments name, with the
 * nearest known one; runProgram then says them instead. An option's value is not taken for an option,
 * even when it starts with a dash (`--note --draft`).
 */
export function unknownOptionHint(program: Command, argv: readonly string[]): string | undefined {
  let command = program;
  const unknown: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--') break;
    if (!token.startsWith('-')) {
      command = command.commands.find((c) => c.name() === token || c.aliases().includes(token)) ?? command;
      continue;
    }
    const name = token.split('=')[0];
    const options = [...command.options, ...program.options];
    const option = options.find((o) => o.long === name || o.short === name);
    if (option) {
      // Its value is the next word: always for <value>, for [value] unless that word is an option.
      const next = argv[i + 1];
      if (!token.includes('=') && next !== undefined && (option.required || (option.optional && !next.startsWith('-')))) i++;
      continue;
    }
    // A short option no command has (`-o a.csv`): said as such, not as the required option it left out.
    if (/^-[A-Za-z]$/.test(name)) {
      unknown.push(name);
      continue;
    }
    if (!token.startsWith('--')) continue;
    const known = options.flatMap((o) => [o.long, o.negate ? undefined : o.long?.replace(/^--/, '--no-')]);
    if (!known.includes(name) && name !== '--help') unknown.push(name);
  }
  if (unknown.length === 0) return undefined;
  const known = command.options.map((o) => o.long).filter((l): l is string => l !== undefined);
  return unknown
    .map((name) => `unknown option '${name}'${/^-[A-Za-z]$/.test(name) ? shortHint(name, known) : didYouMean(name, known) || longerOrShorter(name, known) || elsewhere(program, command, name) || inContainer(program, command, name)}`)
    .join('; ');
}

/** A short option's hint: the long options take its place, ` (did you mean --out?)` when one starts with its letter. */
function shortHint(name: string, known: readonly string[]): string {
  const starting = known.filter((k) => k.startsWith(`--${name[1].toLowerCase()}`));
  return ` (mailroute takes long options only${starting.length === 1 ? `; did you mean ${starting[0]}?` : starting.length > 1 ? `: ${starting.join(', ')}?` : ''})`;
}

/**
 * The command's option that the unknown one lengthens or shortens at a word's edge (`--output`, `--out-dir`:
 * `--out`; `--model` on serve: `--model-dir`), too far for an edit distance to find: ` (did you mean --out?)`.
 */
function longerOrShorter(name: string, known: readonly string[]): string {
  const edge = (long: string, short: string) => long.startsWith(short) && /^[-a-z]/.test(long.slice(short.length));
  const near = known.filter((k) => edge(name, k) || edge(k, name)).sort((a, b) => Math.abs(a.length - name.length) - Math.abs(b.length - name.length));
  return near.length > 0 ? ` (did you mean ${near[0]}?)` : '';
}

/** The command's words after `mailroute` (`registry approve`). */
function commandPath(command: Command): string {
  return command.parent?.parent ? `${commandPath(command.parent)} ${command.name()}` : command.name();
}

/**
 * Where an option this command lacks belongs (`start --new-key`: an option of `serve`, which makes keys), said
 * as ` (it is an option of mailroute serve, not of start)`; '' when no other command has it. The commands most
 * like this one (sharing most of its options: `serve` for `start`) come first, and the help pointed to is theirs.
 */
function elsewhere(program: Command, command: Command, name: string): string {
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  const longs = new Set(command.options.map((o) => o.long));
  const shared = (c: Command) => c.options.filter((o) => longs.has(o.long)).length;
  // Sorted stably: among commands alike, the order of the help.
  const owners = all(program)
    .filter((c) => c !== command && c !== program && c.options.some((o) => o.long === name))
    .sort((a, b) => shared(b) - shared(a));
  if (owners.length === 0) return '';
  const names = owners.map(commandPath).join(', ');
  return ` (it is an option of mailroute ${names}${command === program ? '' : `, not of ${commandPath(command)}`}; see mailroute ${commandPath(owners[0])} --help)`;
}

/**
 * An option only the SageMaker container's bundle has (serve-main.ts): its `train`, the training job, takes
 * `--root <dir>`, which the full CLI's `train` lacks (README, "AWS"). Said as ` (it is an option of the SageMaker
 * container bundle's train, the training job: node mailroute.mjs train --root <dir>, not of mailroute train; see
 * packages/cli/README.md, "train in the container")`; '' for an option the bundle lacks too.
 */
function inContainer(program: Command, command: Command, name: string): string {
  const bundle = new Command();
  // Registered for its options only: the action, which would use the context, never runs.
  registerTrainingJob(bundle, createContext({ env: {} }));
  for (const job of bundle.commands) {
    const option = job.options.find((o) => o.long === name);
    if (option === undefined) continue;
    const usage = `node mailroute.mjs ${job.name()} ${option.flags.replace(/^-[A-Za-z], /, '')}`;
    return ` (it is an option of the SageMaker container bundle's ${job.name()}, the training job: ${usage}${command === program ? '' : `, not of mailroute ${commandPath(command)}`}; see packages/cli/README.md, "train in the container")`;
  }
  return '';
}

/** Runs the CLI and returns the exit code: 0 ok, 1 failure, 2 usage error, 130 interrupted. Only this file's caller exits. */
export async function main(argv: string[], ctx: CliContext = createContext()): Promise<number> {
  return runProgram(buildProgram(ctx), argv, ctx, { hint: unknownOptionHint });
}
