import { statfs } from 'node:fs/promises';
import path from 'node:path';

/**
 * File system errors in words, shared by the packages that write files (the registry, training's run records and
 * scratch, the CLI's outputs): a full disk is said as such, with the file and the room it needs, not as Node's bare
 * `ENOSPC: no space left on device, write`.
 */

/** A file system error's code in words, for a person; the code stays in parentheses, for searching. */
const WORDS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file is too large for the file system',
  EIO: 'an input/output error on the disk',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a file stands where a folder is needed',
  ENOENT: 'no such file or folder',
  EPIPE: 'the pipe was closed by the program reading it',
  EMFILE: 'too many open files',
  ELOOP: 'a loop of symbolic links',
  ENAMETOOLONG: 'the path is too long for the file system (a name over 255 bytes, or a path over 4096): choose a shorter folder',
};

/** `ENOSPC` as `the disk is full (ENOSPC)`; an unknown code as itself. */
export function errorCodeInWords(code: string): string {
  const words = WORDS[code];
  return words === undefined ? code : `${words} (${code})`;
}

/** The system error code of `error` (`ENOSPC`), if it has one. */
export function systemCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}

/** Whether `error` is a write refused for want of room (a full disk, a used-up quota), which freeing space cures. */
export function outOfRoom(error: unknown): boolean {
  const code = systemCode(error);
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/**
 * A system error of a write on a file handle, which names no file (`ENOSPC: no space left on device, write`), with the
 * file it was for: on a full disk, the operator learns which file system to free. Other errors are left as they are.
 */
export function namingFile(error: unknown, file: string): unknown {
  const e = error as NodeJS.ErrnoException;
  if (e instanceof Error && typeof e.code === 'string' && e.path === undefined) {
    e.path = file;
    e.message = `${e.message} (writing ${file})`;
  }
  return error;
}

/** `37.5 MB`, `812 kB`, `120 B`: decimal units, as `du -h --si` and file managers show them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** Room on a file system: bytes free to this user, and the size of its blocks (a file takes whole blocks). */
export interface FreeSpace {
  free: number;
  block: number;
}

/** The room on the file system that holds `dir` (or its nearest existing parent); undefined where it cannot be asked. */
export async function freeSpace(dir: string): Promise<FreeSpace | undefined> {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const info = await statfs(at).catch(() => undefined);
    if (info !== undefined) return { free: info.bavail * info.bsize, block: info.bsize };
    if (path.dirname(at) === at) return undefined;
  }
}

/** Bytes files of these sizes take on a file system of `block`-byte blocks (each at least one block; as given when unknown). */
export function bytesOnDisk(sizes: readonly number[], block: number | undefined): number {
  return sizes.reduce((sum, size) => sum + (block ? Math.max(1, Math.ceil(size / block)) * block : size), 0);
}

/** `8.2 kB free on the file system of /home (4.1 kB free now)`: what a write needs where, and what there is. */
export function roomNeeded(needed: number, dir: string, space: FreeSpace | undefined): string {
  return `${formatBytes(needed)} free on the file system of ${dir}${space === undefined ? '' : ` (${formatBytes(space.free)} free now)`}`;
}
