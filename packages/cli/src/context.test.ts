import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContext } from './context.js';
import { listenAddress } from './commands/serve.js';
import { UsageError } from './errors.js';
import { runCli } from './test-support.js';

describe('environment variables set but blank', () => {
  it('read as unset: PORT 8080, HOST loopback (not any free port); MAILROUTE_HOME unset is .mailroute', () => {
    const cwd = path.resolve('/srv/work');
    for (const blank of ['', '  ']) {
      const ctx = createContext({ cwd, env: { PORT: blank, HOST: blank } });
      expect(ctx.home).toBe(path.join(cwd, '.mailroute'));
      expect(listenAddress(ctx, {})).toMatchObject({ host: '127.0.0.1', port: 8080, home: path.join(cwd, '.mailroute') });
    }
    // Set, they count.
    const set = createContext({ cwd, env: { MAILROUTE_HOME: 'h', PORT: '9000' } });
    expect(set.home).toBe(path.join(cwd, 'h'));
    expect(listenAddress(set, {}).port).toBe(9000);
  });

  it('refuses an empty or blank MAILROUTE_HOME when a command reads it (a usage error), not ./.mailroute without a word', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-context-'));
    try {
      for (const blank of ['', '  ']) {
        const ctx = createContext({ cwd, env: { MAILROUTE_HOME: blank } });
        expect(() => ctx.home).toThrow(new UsageError('MAILROUTE_HOME is empty: give a folder, or unset it to use .mailroute in the current folder'));
        for (const argv of [['registry', 'list'], ['runs', 'list']]) {
          const res = await runCli(argv, { cwd, env: { MAILROUTE_HOME: blank } });
          expect([res.code, res.stdout, res.stderr], argv.join(' ')).toEqual([2, '', 'mailroute: MAILROUTE_HOME is empty: give a folder, or unset it to use .mailroute in the current folder\n(run with --help for usage)\n']);
        }
        // Nothing was made in the current folder.
        expect(existsSync(path.join(cwd, '.mailroute'))).toBe(false);
        // A command given --home does not read it; one that keeps nothing there is not refused.
        const keys = await runCli(['serve', '--home', path.join(cwd, 'h'), '--list-keys', '--json'], { cwd, env: { MAILROUTE_HOME: blank } });
        expect(keys.stderr).not.toContain('MAILROUTE_HOME is empty');
        // In a SageMaker container, unset or blank, the state folder is /tmp/mailroute.
        expect(listenAddress(createContext({ cwd, env: { MAILROUTE_HOME: blank, MAILROUTE_SAGEMAKER: '1' } }), {}).home).toBe('/tmp/mailroute');
      }
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('MAILROUTE_HOME', () => {
  const cwd = path.resolve('/srv/work');
  const home = (value: string) => createContext({ cwd, env: { MAILROUTE_HOME: value } }).home;

  it('expands a leading ~ or ~/ to the user\'s home folder (quoted, the shell does not), never a folder named ~ in the current one', () => {
    expect(home('~/mr')).toBe(path.join(os.homedir(), 'mr'));
    expect(home('~')).toBe(os.homedir());
    expect(home('~/')).toBe(os.homedir());
    expect(home(' ~/mr/state ')).toBe(path.join(os.homedir(), 'mr', 'state'));
    // Only a ~ that starts it: another user's (~user) and one inside a path are names as written.
    expect(home('~other/mr')).toBe(path.join(cwd, '~other', 'mr'));
    expect(home('mr/~/x')).toBe(path.join(cwd, 'mr', '~', 'x'));
  });

  it('is the trimmed value: a space pasted before or after it (a .env file) is no part of the folder', () => {
    expect(home('mr ')).toBe(path.join(cwd, 'mr'));
    expect(home('\tmr\n')).toBe(path.join(cwd, 'mr'));
    const absolute = path.resolve('/var/lib/mailroute');
    expect(home(` ${absolute} `)).toBe(absolute);
  });
});
