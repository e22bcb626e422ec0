import { describe, expect, it } from 'vitest';
import { runCli } from './test-support.js';


function run(argv: string[]) {
  return runCli(argv);
}

describe('mailroute', () => {
  it('prints help with exit code 0', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: mailroute');
    expect(stdout).toContain('train');
    expect(stdout).toMatch(/MAILROUTE_HOME +where the registry/);
    expect(stdout).toContain('Exit codes: 0 success, 1 failure (one line on stderr), 2 usage error.');
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
