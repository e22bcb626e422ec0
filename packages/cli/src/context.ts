import { homeFolder } from '@mailroute/model';

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
