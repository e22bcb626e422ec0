import path from 'node:path';

/** What a command may touch: the only place the CLI reads the process environment. */
export interface CliContext {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  /** Registry, runs and SQLite database live here (`MAILROUTE_HOME`, default `.mailroute/`). */
  home: string;
}

export function createContext(overrides: Partial<CliContext> = {}): CliContext {
  const env = overrides.env ?? process.env;
  const cwd = overrides.cwd ?? process.cwd();
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env,
    cwd,
    home: path.resolve(cwd, env.MAILROUTE_HOME ?? '.mailroute'),
    ...overrides,
  };
}
