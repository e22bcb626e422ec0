import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import cliPackage from '../package.json' with { type: 'json' };
import { buildVersion, commitText, versionText } from './build-version.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-build-version-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `fn` with the environment variables set as given (undefined: unset), then as they were. */
function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  set(vars);
  try {
    return fn();
  } finally {
    set(before);
  }
}

describe('buildVersion', () => {
  it('says the commit of a git checkout, and -dirty once a tracked file changed (not for an untracked one)', () => {
    const repo = path.join(dir, 'checkout');
    mkdirSync(path.join(repo, 'src'), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();
    git('init', '-q');
    writeFileSync(path.join(repo, 'src', 'code.ts'), 'export {};\n');
    git('add', '.');
    git('commit', '-q', '-m', 'first');
    const head = git('rev-parse', 'HEAD');
    // Asked from a folder of the checkout, as the code asks from its own folder.
    const clean = buildVersion(path.join(repo, 'src'));
    expect(clean).toEqual({ version: cliPackage.version, commit: head });
    expect(versionText(clean)).toBe(`${cliPackage.version} (commit ${head.slice(0, 12)})`);
    expect(commitText(clean)).toBe(head);

    writeFileSync(path.join(repo, 'notes.txt'), 'untracked\n');
    expect(buildVersion(repo)).toEqual(clean);
    writeFileSync(path.join(repo, 'src', 'code.ts'), 'export const changed = 1;\n');
    const dirty = buildVersion(repo);
    expect(dirty).toEqual({ version: cliPackage.version, commit: head, dirty: true });
    expect(versionText(dirty)).toBe(`${cliPackage.version} (commit ${head.slice(0, 12)}-dirty)`);
    expect(commitText(dirty)).toBe(`${head}-dirty`);
  });

  it('says the version alone, without failing, outside a checkout (an install without .git) and without git', () => {
    const plain = path.join(dir, 'installed');
    mkdirSync(plain);
    // No repository above it either: git stops looking at the temporary folder.
    const outside = withEnv({ GIT_CEILING_DIRECTORIES: dir }, () => buildVersion(plain));
    expect(outside).toEqual({ version: cliPackage.version });
    expect(versionText(outside)).toBe(cliPackage.version);
    expect(commitText(outside)).toBeUndefined();
    // No git on the PATH: asked of this very checkout, still no commit and no failure.
    const noGit = path.join(dir, 'empty-path');
    mkdirSync(noGit);
    expect(withEnv({ PATH: noGit }, () => buildVersion())).toEqual({ version: cliPackage.version });
  });
});
