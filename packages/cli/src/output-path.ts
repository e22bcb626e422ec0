import { randomBytes } from 'node:crypto';
import { mkdir, open, realpath, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from './errors.js';
import { linkTarget } from './link-target.js';
import { errorCodeInWords, systemCode } from './write-output.js';

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

/** The file's real path (links followed), or its resolved path when it does not exist yet. */
export async function realPath(p: string): Promise<string> {
  return realpath(p).catch(() => p);
}

/**
 * `realPath` of a path that may not be there yet: read through the links of the folders it has (a link to the home,
 * then `runs/new.csv` under it), the rest as given.
 */
export async function realPathOfNew(full: string): Promise<string> {
  let existing = full;
  while ((await kindOf(existing)) === 'none' && path.dirname(existing) !== existing) existing = path.dirname(existing);
  return path.join(await realPath(existing), path.relative(existing, full));
}

/** A file system error's code in words, for a person. */
function why(code: string | undefined): string {
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a file stands where a folder is needed';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  // A folder that exists but takes no new files (/proc, /sys) answers ENOENT.
  if (code === 'ENOENT') return 'no file can be created there';
  return code === undefined ? 'error' : errorCodeInWords(code);
}

function folderError(flag: string, out: string, code: string | undefined): OutputPathError {
  return new OutputPathError(`${flag} ${out}: cannot create its folder (${why(code)})`);
}

/** An `--out` that could not be written: the error in words, not a raw ENOENT naming a temporary file. */
export function writeError(flag: string, out: string, error: unknown): unknown {
  const code = systemCode(error);
  if (code === undefined) return error;
  return new OutputPathError(`${flag} ${out}: cannot write it (${why(code)})`);
}

/** Whether a new file can be made in `folder`: a file is created there and removed again. `fail` words the error. */
async function probeFolder(folder: string, fail: (error: unknown) => unknown): Promise<void> {
  const probe = path.join(folder, `.mailroute-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await (await open(probe, 'wx')).close();
  } catch (error) {
    throw fail(error);
  }
  await rm(probe, { force: true });
}

/** The folders of `folder`'s path that do not exist yet, outermost first, and the nearest one that does (or a file there). */
async function missingFolders(folder: string): Promise<{ missing: string[]; nearest: string; kind: 'file' | 'dir' | 'none' }> {
  const missing: string[] = [];
  let nearest = folder;
  let kind = await kindOf(nearest);
  while (kind === 'none' && path.dirname(nearest) !== nearest) {
    missing.unshift(nearest);
    nearest = path.dirname(nearest);
    kind = await kindOf(nearest);
  }
  return { missing, nearest, kind };
}

/**
 * As `prepareOutput`, without leaving anything: for a command that may still fail on its input, which then
 * leaves no empty folder behind. It creates the folder with `prepareOutput` when it writes. The folder's
 * nearest existing parent must be a folder that takes a new file (one is created there and removed).
 */
export async function checkOutput(cwd: string, out: string, want: 'file' | 'dir', flag = '--out', inputs: readonly string[] = [], home?: string): Promise<string> {
  const full = await checkTarget(cwd, out, want, flag, inputs, home);
  const { nearest, kind } = await missingFolders(want === 'dir' ? full : path.dirname(full));
  if (kind === 'file') throw folderError(flag, out, 'ENOTDIR');
  if (kind === 'dir') await probeFolder(nearest, (error) => folderError(flag, out, (error as NodeJS.ErrnoException).code));
  return full;
}

/**
 * Makes sure `--out` can be written as a `file` (its folder is created) or a `dir` (created), and
 * returns its absolute path. A file is created in the folder and removed, to see that it takes one. `flag`
 * names the option in the message. `inputs`: files the command reads; an `--out` that is one of them is
 * refused (it would be overwritten with the command's output). `home`: the registry's home, whose records an `--out`
 * may not be in (`refuseHomeRecords`).
 */
export async function prepareOutput(cwd: string, out: string, want: 'file' | 'dir', flag = '--out', inputs: readonly string[] = [], home?: string): Promise<string> {
  const full = await checkTarget(cwd, out, want, flag, inputs, home);
  const folder = want === 'dir' ? full : path.dirname(full);
  // One folder at a time: mkdir's `recursive` never returns for a folder under /proc (Node 20 retries its ENOENT).
  const { missing, kind } = await missingFolders(folder);
  if (kind === 'file') throw folderError(flag, out, 'ENOTDIR');
  for (const dir of missing) {
    await mkdir(dir).catch((error: NodeJS.ErrnoException) => {
      // One made meanwhile (another run writing there) is as good.
      if (error.code !== 'EEXIST') throw folderError(flag, out, error.code);
    });
  }
  // A folder may exist and still take no file (read-only, /proc): said now, not after the command's work.
  await probeFolder(folder, (error) => writeError(flag, out, error));
  return full;
}

/** What the home keeps that an output written there would replace or mix with: the registry, models, runs, prediction store. */
const HOME_RECORDS = ['registry.json', 'models', 'runs', 'mailroute.db', 'mailroute.db-wal', 'mailroute.db-shm'];

/**
 * Refuses an `--out` that is, or is inside, one of the home's records (`HOME_RECORDS`), links followed: a mistyped path
 * (`--out $MAILROUTE_HOME/registry.json`) replaced the registry's index, or the manifest of the model the command read.
 * A usage error (exit code 2), said before any work.
 */
async function refuseHomeRecords(home: string, full: string, flag: string, out: string): Promise<void> {
  const realHome = await realPath(path.resolve(home));
  const target = await realPathOfNew(full);
  const kept = placeOf(target, HOME_RECORDS.map((record) => path.join(realHome, record)));
  if (kept !== undefined) {
    throw new UsageError(`${flag} ${out} is ${target === kept ? '' : 'in '}${kept}, which the registry's home keeps (MAILROUTE_HOME ${home}): writing there would replace what it holds; choose a path outside its ${HOME_RECORDS.slice(0, 3).join(', ')} and prediction store`);
  }
}

/** The first of `places` that `target` is, or is inside (paths as `realPathOfNew` gives them); undefined for none. */
export function placeOf(target: string, places: readonly string[]): string | undefined {
  return places.find((place) => target === place || target.startsWith(`${place}${path.sep}`));
}

/**
 * Refuses `--out -`: standard output to `mailroute clean` only; elsewhere it would quietly make a file or folder
 * called "-". A usage error, said before any other check of the name (such as its extension).
 */
export function refuseStandardOutput(out: string, want: 'file' | 'dir', flag = '--out'): void {
  if (out === '-') throw new UsageError(`${flag} -: this command writes a ${want === 'dir' ? 'directory' : 'file'}, not standard output (only mailroute clean writes to it): name one`);
}

/**
 * The checks of `--out` itself: not `-`, not an input, not a file where a directory is wanted or the reverse.
 * The first two are about the arguments alone: usage errors (exit code 2), as a wrong flag is.
 */
async function checkTarget(cwd: string, out: string, want: 'file' | 'dir', flag: string, inputs: readonly string[], home?: string): Promise<string> {
  refuseStandardOutput(out, want, flag);
  const full = path.resolve(cwd, out);
  const target = await realPath(full);
  if (home !== undefined) await refuseHomeRecords(home, full, flag, out);
  for (const input of inputs) {
    if ((await realPath(path.resolve(cwd, input))) === target) throw new UsageError(`${flag} ${out} is also an input file; it would be overwritten: choose another ${flag}`);
  }
  const kind = await kindOf(full);
  // A link (or a chain of them) to a file whose folder is not there (a dangling link): written through, it could
  // not be made. Followed as the write follows it.
  if (kind === 'none') {
    const final = await linkTarget(full).catch((error: unknown) => {
      throw writeError(flag, out, error);
    });
    if (final !== full && (await kindOf(path.dirname(final))) !== 'dir') throw new OutputPathError(`${flag} ${out}: cannot write it (no file can be created there)`);
  }
  if (kind !== 'none' && kind !== want) {
    throw new OutputPathError(`${flag} ${out} is a ${kind === 'dir' ? 'directory' : 'file'}; it must name a ${want === 'dir' ? 'directory' : 'file'}`);
  }
  return full;
}
