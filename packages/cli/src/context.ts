import os from 'node:os';
import path from 'node:path';

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
 * The folder `MAILROUTE_HOME` names, from `cwd`: trimmed (a space pasted after it in a .env file is no part of it), a
 * leading `~` or `~/` as the user's home folder (a quoted `MAILROUTE_HOME='~/mr'` is not expanded by the shell, and
 * made a folder named `~` in `cwd`). Blank is unset (as the Nx targets' ${MAILROUTE_HOME:-.mailroute} read it),
 * `.mailroute`, not the current folder. `~user` is left as written.
 */
export function homeFolder(cwd: string, value: string | undefined): string {
  const home = value?.trim() ?? '';
  if (home === '') return path.resolve(cwd, '.mailroute');
  if (home === '~' || home.startsWith('~/') || home.startsWith(`~${path.sep}`)) return path.resolve(os.homedir(), home.slice(2));
  return path.resolve(cwd, home);
}

export function createContext(overrides: Partial<CliContext> = {}): CliContext {
  const env = overrides.env ?? process.env;
  const cwd = overrides.cwd ?? process.cwd();
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env,
    cwd,
    home: homeFolder(cwd, env.MAILROUTE_HOME),
    signals: process,
    exit: (code) => process.exit(code),
    ...overrides,
  };
}
