import { homeFolder } from '@mailroute/model';
import { UsageError } from './errors.js';

/** What a command may touch: the only place the CLI reads the process environment. */
export interface CliContext {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  /** Registry, runs and SQLite database live here (`MAILROUTE_HOME`, default `.mailroute/`). */
  home: string;
  /** Where Ctrl-C (SIGINT) is heard: the process, or a test's emitter. */
  signals: NodeJS.EventEmitter;
  /** Ends the process at once (a second Ctrl-C): `process.exit`, or a test's recorder. */
  exit: (code: number) => void;
}

/**
 * The home `MAILROUTE_HOME` names (default `.mailroute` when unset). Set but empty or blank (`MAILROUTE_HOME=` in an env
 * file, `MAILROUTE_HOME="$STATE"` with the variable unset) is a usage error, as `--config ""` is: read as unset it
 * used `./.mailroute` without a word, another registry than the one meant.
 */
export function homeOf(cwd: string, value: string | undefined): string {
  if (value !== undefined && value.trim() === '') throw new UsageError('MAILROUTE_HOME is empty: give a folder, or unset it to use .mailroute in the current folder');
  return homeFolder(cwd, value);
}

export function createContext(overrides: Partial<CliContext> = {}): CliContext {
  const env = overrides.env ?? process.env;
  const cwd = overrides.cwd ?? process.cwd();
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env,
    cwd,
    // Read when a command reads it: a command that keeps nothing there (clean, demo-data), or that is given --home,
    // is not refused for an empty MAILROUTE_HOME.
    get home() {
      return homeOf(cwd, env.MAILROUTE_HOME);
    },
    signals: process,
    exit: (code) => process.exit(code),
    ...overrides,
  };
}
