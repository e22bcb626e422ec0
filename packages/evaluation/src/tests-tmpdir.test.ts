import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

  it("is named by every package's vitest config and is an input of nx's test and typecheck targets, so changing it reruns them", () => {
    const root = path.resolve(import.meta.dirname, '../../..');
    for (const pkg of readdirSync(path.join(root, 'packages'))) {
      expect(readFileSync(path.join(root, 'packages', pkg, 'vitest.config.ts'), 'utf8'), pkg).toContain("globalSetup: ['../../vitest.tmp-setup.ts', '../../vitest.fuzz-env.ts']");
    }
    // Else nx affected finds no project touched by a change to it, and a cached test run is taken as passing.
    const nx = JSON.parse(readFileSync(path.join(root, 'nx.json'), 'utf8')) as { targetDefaults: Record<'test' | 'typecheck', { inputs: unknown[] }> };
    expect(nx.targetDefaults.test.inputs).toContain('{workspaceRoot}/vitest.tmp-setup.ts');
    expect(nx.targetDefaults.test.inputs).toContain('{workspaceRoot}/vitest.fuzz-env.ts');
    // This file imports the setup, so the typecheck of a package compiles it: a change to it re-checks the package.
    expect(nx.targetDefaults.typecheck.inputs).toContain('{workspaceRoot}/vitest.tmp-setup.ts');
  });
});
