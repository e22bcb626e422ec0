import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContext } from './context.js';
import { listenAddress } from './commands/serve.js';

describe('environment variables set but blank', () => {
  it('read as unset: MAILROUTE_HOME is .mailroute, PORT 8080, HOST loopback (not the current folder, nor any free port)', () => {
    const cwd = path.resolve('/srv/work');
    for (const blank of ['', '  ']) {
      const ctx = createContext({ cwd, env: { MAILROUTE_HOME: blank, PORT: blank, HOST: blank } });
      expect(ctx.home).toBe(path.join(cwd, '.mailroute'));
      expect(listenAddress(ctx, {})).toMatchObject({ host: '127.0.0.1', port: 8080, home: path.join(cwd, '.mailroute') });
    }
    // Set, they count.
    const set = createContext({ cwd, env: { MAILROUTE_HOME: 'h', PORT: '9000' } });
    expect(set.home).toBe(path.join(cwd, 'h'));
    expect(listenAddress(set, {}).port).toBe(9000);
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
