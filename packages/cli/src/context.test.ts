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
