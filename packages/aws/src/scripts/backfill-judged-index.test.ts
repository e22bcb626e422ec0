import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('./backfill-judged-index.ts', import.meta.url));
const run = (args: string[], env: Record<string, string> = {}) => {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  // No AWS settings of this machine's user either: nothing here may reach AWS.
  const none = { AWS_CONFIG_FILE: '/nonexistent/mailroute-test', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/mailroute-test' };
  return spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { encoding: 'utf8', env: { ...clean, ...none, ...env }, timeout: 60_000 });
};

describe('backfill-judged-index (the operator script)', () => {
  it('says what it does with --help, and refuses bad arguments with its usage, without a stack trace', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: backfill-judged-index --table <table name>/);
    expect(help.stdout).toContain('AWS_REGION');
    for (const args of [[], ['--bogus'], ['--table', 't', '--days', '0']]) {
      const bad = run(args);
      expect(bad.status, args.join(' ')).toBe(2);
      expect(bad.stderr, args.join(' ')).toContain('usage: backfill-judged-index');
      expect(bad.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
    }
  }, 60_000);

  it('fails in one line that says how to set the region when none is set', () => {
    const res = run(['--table', 'mailroute-dev-predictions'], { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('backfill-judged-index: Error: Region is missing (set AWS_REGION');
    expect(res.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
