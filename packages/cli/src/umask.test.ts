import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/mailroute.mjs', import.meta.url));

describe('mailroute under umask 000', () => {
  it('writes nothing that every user may write, and keeps the umask for the group', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-umask-'));
    const out = path.join(dir, 'new folder', 'demo.csv');
    execFileSync('sh', ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, bin, 'demo-data', '--out', out, '--rows', '10'], { stdio: ['ignore', 'pipe', 'pipe'] });
    for (const p of [out, path.dirname(out)]) {
      const mode = statSync(p).mode & 0o777;
      expect(mode & 0o002, `${p} ${mode.toString(8)}`).toBe(0);
    }
    // The group's write bit is the umask's to take away (000 leaves it): a team's shared home keeps working.
    expect(statSync(path.dirname(out)).mode & 0o020).toBe(0o020);
  });
});
