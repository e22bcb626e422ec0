import { lstatSync, readlinkSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RegistryError } from './errors.js';

/**
 * How the home checked was named, for the words of checkHomeDirectory's error: by `MAILROUTE_HOME` (the default), with
 * `option` the option of the command that may name it instead (`--home`), where the command has one; or, `given`, by
 * that option. A command without such an option is not told to use one (`registry list` has no --home).
 */
export interface HomeNaming {
  option?: string;
  given?: boolean;
}

/**
 * Refuses a home (`MAILROUTE_HOME`) that is a file, or lies under one, with one clear error instead of the
 * ENOTDIR of whichever file under it is opened first; so too a home that is (or lies under) a loop of symbolic
 * links, or a symbolic link to a path that is not there (whose first write would fail with ENOTDIR). A home that does not exist yet is fine: it is made
 * on the first write.
 */
export function checkHomeDirectory(home: string, naming: HomeNaming = {}): void {
  const resolved = path.resolve(home);
  const byOption = naming.given === true && naming.option !== undefined;
  // `MAILROUTE_HOME=/x` or `--home /x`; what to point elsewhere: MAILROUTE_HOME (or --home), or the option given.
  const named = byOption ? `${naming.option} ${resolved}` : `MAILROUTE_HOME=${resolved}`;
  const setting = byOption ? `${naming.option}` : naming.option === undefined ? 'MAILROUTE_HOME' : `MAILROUTE_HOME (or ${naming.option})`;
  const refuse = (at: string, what: string, todo: string) => {
    const where = at === resolved ? what : `lies under ${at}, which ${what}`;
    throw new RegistryError('REGISTRY_HOME_NOT_DIRECTORY', `${named} ${where}: ${todo}`);
  };
  for (let dir = resolved; ; dir = path.dirname(dir)) {
    let info;
    try {
      info = statSync(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') {
        // The link of the loop: the topmost folder on the way that cannot be followed.
        let at = dir;
        while (path.dirname(at) !== at && statCode(path.dirname(at)) === 'ELOOP') at = path.dirname(at);
        refuse(at, `is a loop of symbolic links (ELOOP: ${at} -> ${linkText(at)})`, `point ${setting} at a directory, or make the link point at one`);
      }
      // A link to a path that is not there: said, not walked past as a home not made yet (whose first write fails with ENOTDIR or ENOENT).
      const target = code === 'ENOENT' ? linkText(dir) : undefined;
      if (target !== undefined) {
        refuse(dir, `is a symbolic link to a missing path (${target})`, `create that directory, or point ${setting} at an existing one`);
      }
      if ((code === 'ENOENT' || code === 'ENOTDIR') && path.dirname(dir) !== dir) continue;
      return; // unreadable for another reason: the operation itself says why
    }
    if (info.isDirectory()) return;
    const what = dir === resolved ? 'is a file, not a directory' : `lies under a file, not a directory (${dir})`;
    throw new RegistryError('REGISTRY_HOME_NOT_DIRECTORY', `${named} ${what}: point ${setting} at a directory, or move the file away`);
  }
}

/** The error code of stat on `file` (following links), or undefined when it succeeds. */
function statCode(file: string): string | undefined {
  try {
    statSync(file);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'unknown';
  }
}

/** What the symbolic link `file` points at, as written in it; undefined when `file` is no link. */
function linkText(file: string): string | undefined {
  try {
    return lstatSync(file).isSymbolicLink() ? readlinkSync(file) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The folder `MAILROUTE_HOME` names, from `cwd`: trimmed (a space pasted after it in a .env file is no part of it), a
 * leading `~` or `~/` as the user's home folder (a quoted `MAILROUTE_HOME='~/mr'` is not expanded by the shell, and
 * made a folder named `~` in `cwd`). Blank is unset (as the Nx targets' ${MAILROUTE_HOME:-.mailroute} read it),
 * `.mailroute`, not the current folder. `~user` is left as written.
 */
export function homeFolder(cwd: string, value: string | undefined): string {
  const home = value?.trim() ?? '';
  if (home === '') return path.resolve(cwd, '.mailroute');
  if (home === '~' || home.startsWith('~/') || home.startsWith(`~${path.sep}`)) return path.resolve(os.homedir(), home.slice(2));
  return path.resolve(cwd, home);
}
