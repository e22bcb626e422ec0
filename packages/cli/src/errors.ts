import { closestKey } from '@mailroute/model';

/** A wrong flag or argument combination: printed in one line, exit code 2. */
export class UsageError extends Error {
  readonly code = 'USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * A command stopped by Ctrl-C before it was done: its message on stderr, exit code 130 (128 + SIGINT); stopped by
 * SIGTERM (`docker stop`, a supervisor), 143 (128 + SIGTERM).
 */
export class InterruptedError extends Error {
  readonly code = 'INTERRUPTED';
  readonly exitCode: 130 | 143;
  constructor(message: string, exitCode: 130 | 143 = 130) {
    super(message);
    this.name = 'InterruptedError';
    this.exitCode = exitCode;
  }
}

/**
 * A command that did part of its work and could not finish the rest (`feedback forget`: the records deleted, their
 * content not yet out of the WAL): what it did is on stdout, this message (what is left, and what to do) on
 * stderr, exit code 3, so that a script does not take it for done.
 */
export class IncompleteError extends Error {
  readonly code = 'INCOMPLETE';
  readonly exitCode = 3;
  constructor(message: string) {
    super(message);
    this.name = 'IncompleteError';
  }
}

/**
 * For a command group whose default subcommand is `list`: words after the group name that are no
 * subcommand reach `list` as arguments; name them as an unknown command instead of "too many arguments".
 * When `list` itself was named (`registry list extra`), the words are arguments it does not take.
 */
export function refuseUnknownSubcommand(group: { name(): string; args: readonly string[]; commands: readonly { name(): string }[] }, words: readonly string[]): void {
  if (words.length === 0) return;
  const names = group.commands.map((c) => c.name());
  const named = group.args.length > words.length ? group.args[0] : undefined;
  if (named !== undefined && names.includes(named)) {
    throw new UsageError(`${group.name()} ${named} takes no arguments, got ${words.map((w) => JSON.stringify(w)).join(' ')} (commands: ${names.join(', ')})`);
  }
  // A typo (`runs lsit`) is answered with the command meant, as Commander answers `mailroute trian`.
  const guess = closestKey(words[0], names);
  throw new UsageError(`unknown ${group.name()} command "${words[0]}"${guess ? `: did you mean ${group.name()} ${guess}?` : ''} (commands: ${names.join(', ')})`);
}

/** Issues of a validation error said at most, the others counted. */
const SHOWN_ISSUES = 3;

/**
 * A zod error's issues in one line (`validation failed: dim: Too small: expected number to be >=1`), or undefined
 * for any other error. Its message is the issues as JSON over many lines, whose first line alone is `[`.
 */
function validationIssues(error: Error): string | undefined {
  const issues = (error as { issues?: unknown }).issues;
  if (error.name !== 'ZodError' || !Array.isArray(issues) || issues.length === 0) return undefined;
  const said = issues.slice(0, SHOWN_ISSUES).map((issue: { path?: unknown; message?: unknown }) => {
    const at = Array.isArray(issue.path) && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
    return `${at}${String(issue.message)}`;
  });
  const more = issues.length > SHOWN_ISSUES ? `; and ${issues.length - SHOWN_ISSUES} more` : '';
  return `validation failed: ${said.join('; ')}${more}`;
}

/** One line for a person: the error's code (when it has one) and message, never a stack trace. */
export function formatError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const prefix = typeof code === 'string' && code !== 'USAGE' ? `[${code}] ` : '';
    return `${prefix}${(validationIssues(error) ?? error.message).split('\n')[0]}`;
  }
  return String(error);
}
