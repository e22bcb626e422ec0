/**
 * Global setup of every package's tests: the run's temporary files go to one folder of its own
 * (TMPDIR, which os.tmpdir() and the child processes the tests start read), removed when the run ends,
 * so a developer's /tmp does not fill up with the test homes, registries and databases of each run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-tests-'));
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(dir, { recursive: true, force: true });
  };
}
