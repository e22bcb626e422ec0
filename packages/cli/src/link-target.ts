import { lstat, readlink } from 'node:fs/promises';
import path from 'node:path';

/** Links followed at most before a path is taken for a loop of links: the kernel's own limit (Linux's MAXSYMLINKS). */
const MAX_LINKS = 40;

/**
 * The path `file` names once the links at its end are followed, one after another: the last link's target,
 * which need not exist yet (a link to a file not made yet); `file` itself when it is no link. The one answer
 * for both checking an `--out` before the work and writing it after, so that they agree on where it goes.
 * Throws ELOOP when the links go on past the kernel's limit (a loop).
 */
export async function linkTarget(file: string): Promise<string> {
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    if (!(await lstat(file).catch(() => undefined))?.isSymbolicLink()) return file;
    file = path.resolve(path.dirname(file), await readlink(file));
  }
  throw Object.assign(new Error(`too many levels of symbolic links: ${file}`), { code: 'ELOOP' });
}
