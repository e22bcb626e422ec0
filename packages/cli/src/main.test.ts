import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createContext } from './context.js';
import { main } from './main.js';

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

function run(argv: string[]) {
  const out = capture();
  const err = capture();
  const ctx = createContext({ stdout: out.stream, stderr: err.stream, env: {}, cwd: process.cwd() });
  return main(argv, ctx).then((code) => ({ code, stdout: out.text(), stderr: err.text() }));
}

describe('mailroute', () => {
  it('prints help with exit code 0', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: mailroute');
    expect(stdout).toContain('train');
  });

  it('exits with 2 on an unknown command', async () => {
    const { code, stderr } = await run(['no-such-command']);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'no-such-command'");
  });

  it('exits with 2 on an unknown option of a subcommand', async () => {
    const { code, stderr } = await run(['registry', 'list', '--no-such-flag']);
    expect(code).toBe(2);
    expect(stderr).toContain('--no-such-flag');
  });
});
