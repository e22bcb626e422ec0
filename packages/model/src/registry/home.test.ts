import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkHomeDirectory } from './home.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-home-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('checkHomeDirectory', () => {
  it('names a loop of symbolic links as the home (or above it), not left to a later read or write to fail with ELOOP', () => {
    symlinkSync('loopB', path.join(dir, 'loopA'));
    symlinkSync('loopA', path.join(dir, 'loopB'));
    const home = path.join(dir, 'loopA');
    expect(() => checkHomeDirectory(home)).toThrow(
      `MAILROUTE_HOME=${home} is a loop of symbolic links (ELOOP: ${home} -> loopB): point MAILROUTE_HOME at a directory, or make the link point at one`,
    );
    expect(() => checkHomeDirectory(path.join(home, 'sub'))).toThrow(`MAILROUTE_HOME=${path.join(home, 'sub')} lies under ${home}, which is a loop of symbolic links`);
    expect(() => checkHomeDirectory(home)).toThrow(expect.objectContaining({ code: 'REGISTRY_HOME_NOT_DIRECTORY' }));
  });

  it('names a symbolic link to a missing path, not walked past as a home not made yet (ENOTDIR at the first write)', () => {
    const home = path.join(dir, 'dangling');
    symlinkSync(path.join(dir, 'gone'), home);
    expect(() => checkHomeDirectory(home)).toThrow(
      `MAILROUTE_HOME=${home} is a symbolic link to a missing path (${path.join(dir, 'gone')}): create that directory, or point MAILROUTE_HOME at an existing one`,
    );
    // A home not made yet, under a folder that is there, is fine; so is a link to a folder.
    expect(() => checkHomeDirectory(path.join(dir, 'new', 'home'))).not.toThrow();
    mkdirSync(path.join(dir, 'real'));
    symlinkSync(path.join(dir, 'real'), path.join(dir, 'linked'));
    expect(() => checkHomeDirectory(path.join(dir, 'linked'))).not.toThrow();
  });

  it('names --home only for a command that takes it, and the option itself when it named the home', () => {
    const file = path.join(dir, 'a-file');
    writeFileSync(file, 'not a folder');
    // `registry list` has no --home: MAILROUTE_HOME alone.
    expect(() => checkHomeDirectory(file)).toThrow(`MAILROUTE_HOME=${file} is a file, not a directory: point MAILROUTE_HOME at a directory, or move the file away`);
    // `serve` has one: either may name another home.
    expect(() => checkHomeDirectory(file, { option: '--home' })).toThrow(`MAILROUTE_HOME=${file} is a file, not a directory: point MAILROUTE_HOME (or --home) at a directory, or move the file away`);
    // Given --home: it is the one to change.
    expect(() => checkHomeDirectory(path.join(file, 'sub'), { option: '--home', given: true })).toThrow(
      `--home ${path.join(file, 'sub')} lies under a file, not a directory (${file}): point --home at a directory, or move the file away`,
    );
    for (const home of [path.join(dir, 'loopA'), path.join(dir, 'dangling')]) {
      expect(() => checkHomeDirectory(home)).toThrow(expect.objectContaining({ message: expect.not.stringContaining('--home') }));
      expect(() => checkHomeDirectory(home, { option: '--home', given: true })).toThrow(expect.objectContaining({ message: expect.stringMatching(/^--home .*: .*point --home at /) }));
    }
  });
});
