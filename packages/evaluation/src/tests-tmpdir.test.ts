import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the workspace's test setup, which no package owns
import setup from '../../../vitest.tmp-setup.js';

// The global setup every package's config names; here beside the browser test it broke (Chromium's socket).
describe("the tests' temporary folder (vitest.tmp-setup.ts)", () => {
  const before = process.env.TMPDIR;
  afterEach(() => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
  });

  it('is one folder for a root run, where every package runs the setup, not one nested in the other', () => {
    const outside = os.tmpdir();
    // The root config's projects: eight packages, each naming this setup, in one vitest process.
    const teardowns = Array.from({ length: 8 }, () => setup());
    const dir = os.tmpdir();
    expect(path.dirname(dir)).toBe(outside);
    expect(path.basename(dir)).toMatch(/^mailroute-tests-/);
    // Torn down in reverse: the folder stays until the last package's teardown, which removes it.
    for (const teardown of teardowns.slice(1).reverse()) teardown();
    expect(existsSync(dir)).toBe(true);
    expect(os.tmpdir()).toBe(dir);
    teardowns[0]();
    expect(existsSync(dir)).toBe(false);
    expect(process.env.TMPDIR).toBe(before);
    // A later run makes a folder of its own.
    const again = setup();
    expect(os.tmpdir()).not.toBe(dir);
    again();
  });
});
