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

  it('names a mistyped option that Commander reports as a missing required one', async () => {
    const { code, stderr } = await run(['train', '--datas', 'x.csv']);
    expect(code).toBe(2);
    expect(stderr).toContain("required option '--data <files...>' not specified");
    expect(stderr).toContain("mailroute: unknown option '--datas' (did you mean --data?)");
    // Known options, --no- forms and values are not taken for unknown ones.
    const clean = await run(['clean', '--no-redact', '--scope', 'quotes', '--out', 'o.jsonl']);
    expect(clean.code).toBe(2);
    expect(clean.stderr).not.toContain('unknown option');
  });
});
