import { Writable } from 'node:stream';
import { createContext, type CliContext } from './context.js';
import { main } from './main.js';

/** A writable stream that keeps what was written, for checking a command's output in tests. */
export function captureStream(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `mailroute <argv>` in process with captured output and the given environment, cwd or home. */
export async function runCli(argv: string[], overrides: Partial<Omit<CliContext, 'stdout' | 'stderr'>> = {}): Promise<CliRun> {
  const out = captureStream();
  const err = captureStream();
  const ctx = createContext({ env: {}, cwd: process.cwd(), ...overrides, stdout: out.stream, stderr: err.stream });
  const code = await main(argv, ctx);
  return { code, stdout: out.text(), stderr: err.text() };
}
