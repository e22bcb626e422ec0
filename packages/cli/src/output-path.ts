import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** An `--out` that cannot be written: said before any work is done, not as a raw ENOENT after it. */
export class OutputPathError extends Error {
  readonly code = 'OUTPUT_PATH_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'OutputPathError';
  }
}

async function kindOf(p: string): Promise<'file' | 'dir' | 'none'> {
  try {
    return (await stat(p)).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'none';
  }
}

/**
 * Makes sure `--out` can be written as a `file` (its folder is created) or a `dir` (created), and
 * returns its absolute path. `flag` names the option in the message.
 */
export async function prepareOutput(cwd: string, out: string, want: 'file' | 'dir', flag = '--out'): Promise<string> {
  const full = path.resolve(cwd, out);
  const kind = await kindOf(full);
  if (kind !== 'none' && kind !== want) {
    throw new OutputPathError(`${flag} ${out} is a ${kind === 'dir' ? 'directory' : 'file'}; it must name a ${want === 'dir' ? 'directory' : 'file'}`);
  }
  const folder = want === 'dir' ? full : path.dirname(full);
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOTDIR' || code === 'EEXIST' ? 'a file stands where a folder is needed' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? 'error');
    throw new OutputPathError(`${flag} ${out}: cannot create its folder (${why})`);
  }
  return full;
}
