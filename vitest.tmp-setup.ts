/**
 * Global setup of every package's tests: the run's temporary files go to one folder of its own
 * (TMPDIR, which os.tmpdir() and the child processes the tests start read), removed when the run ends,
 * so a developer's /tmp does not fill up with the test homes, registries and databases of each run.
 *
 * The root `npm test` runs every package as a project of one vitest process, so this setup runs once per
 * package there: the first makes the folder and the others share it, and the last teardown removes it. A
 * folder per package, each made inside the one before (TMPDIR already pointed there), nested eight deep:
 * paths under it grew too long for a Unix socket, and Chromium (the HTML report's browser test) could not
 * start ("Socket path too long").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The folder the setups of one vitest process share, on globalThis: each project loads this file anew. */
const SHARED = Symbol.for('mailroute.tests.tmpdir');

interface SharedTmp {
  dir: string;
  previous: string | undefined;
  /** Setups whose teardown has not run yet. */
  users: number;
}

export default function setup(): () => void {
  const holder = globalThis as { [SHARED]?: SharedTmp };
  let shared = holder[SHARED];
  if (!shared) {
    shared = { previous: process.env.TMPDIR, dir: mkdtempSync(path.join(os.tmpdir(), 'mailroute-tests-')), users: 0 };
    holder[SHARED] = shared;
    process.env.TMPDIR = shared.dir;
  }
  shared.users += 1;
  const own = shared;
  return () => {
    own.users -= 1;
    if (own.users > 0) return;
    if (holder[SHARED] === own) delete holder[SHARED];
    if (own.previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = own.previous;
    rmSync(own.dir, { recursive: true, force: true });
  };
}
