import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { namingFile } from '../write-errors.js';
import { RegistryError } from './errors.js';
import { processAlive } from './process-alive.js';

async function fsyncPath(p: string, flags = 'r'): Promise<void> {
  const handle = await open(p, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsync a directory so a rename inside it survives a crash (a no-op where directories cannot be opened). */
export async function fsyncDir(dir: string): Promise<void> {
  try {
    await fsyncPath(dir);
  } catch {
    // Some platforms do not allow fsync on directories; the rename is still atomic.
  }
}

/**
 * `mkdir -p` that says why it failed: Node 20's recursive mkdir reports ENOENT for a folder it cannot make on a
 * read-only file system (or without permission), as if a parent were missing. Then the first missing folder is made
 * alone, which fails with the real cause (EROFS, EACCES).
 */
export async function makeDirectory(dir: string, make: typeof mkdir = mkdir, mode?: number): Promise<void> {
  // `mode`: what the folders made get (a home: 0o700); one that exists keeps its own.
  const options = mode === undefined ? {} : { mode };
  try {
    await make(dir, { recursive: true, ...options });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    let first = path.resolve(dir);
    while (path.dirname(first) !== first && !(await exists(path.dirname(first)))) first = path.dirname(first);
    // Fails with the real cause; where it does not (a parent made meanwhile), the whole path is tried again.
    await make(first, options).catch((cause: NodeJS.ErrnoException) => {
      if (cause.code !== 'EEXIST') throw cause;
    });
    await make(dir, { recursive: true, ...options });
  }
}

/**
 * The mode of a home mailroute makes (`MAILROUTE_HOME`): its owner's alone, whatever the umask. It holds the models
 * (and a filter of their training texts), runs, predictions and feedback; a home that exists keeps its own mode.
 */
export const HOME_MODE = 0o700;

/** Makes `home` (and the folders above it) mode `HOME_MODE` where it is not there yet: what every writer of a home calls first. */
export function makeHomeDirectory(home: string, make: typeof mkdir = mkdir): Promise<void> {
  return makeDirectory(home, make, HOME_MODE);
}

const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    () => false,
  );

/** What happens between the temp file's last byte and its rename over the file; a throw leaves the file as it was. */
export interface AtomicWriteOptions {
  /**
   * The most a file may be opened to (0o600: email text, labels, keys): a new file gets it whatever the umask, and a
   * file replaced keeps its own mode less any bit outside it (one an older write left 0644 is made 0600). Without it,
   * a new file gets the umask's mode and a file replaced keeps its own.
   */
  mode?: number;
  /**
   * Called once the temp file is written and synced, just before the rename: a writer checks here that it may still
   * replace the file (its lock still its own). A throw removes the temp file and writes nothing.
   */
  beforeRename?: () => Promise<void>;
}

/** Writes a file via a temp file in the same directory, fsync, then rename: readers see old or new, never half. */
export async function writeFileAtomic(file: string, data: string, options: AtomicWriteOptions = {}): Promise<void> {
  await writeFileAtomicChunks(file, [data], options);
}

/**
 * The temp file a write of `file` goes through: `.<name>.<host>.<pid>.<8 hex>.tmp` beside it, the one name every
 * atomic write here uses, so that `removeAbandonedTemps` knows a killed writer's.
 */
export function atomicTempFile(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${THIS_HOST}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * `writeFileAtomic` on this thread, without fsync (a run's record after each epoch: on disk before the next epoch
 * starts, or the process is killed). A failure leaves the old file and no temp file.
 */
export function writeFileAtomicSync(file: string, data: string): void {
  const tmp = atomicTempFile(file);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    // A write's error names no file (`ENOSPC: no space left on device, write`): the file it was for.
    throw namingFile(error, file);
  }
}

/**
 * `writeFileAtomic` for output made piece by piece (prediction lines): each chunk goes to the temp file as
 * it comes, so the whole never sits in memory as one string. A chunk that fails leaves the old file as it
 * was and no temp file. The file keeps the mode of the one it replaces, within `mode` when given; a new one gets
 * `mode` whatever the umask, else the umask's.
 */
export async function writeFileAtomicChunks(file: string, chunks: Iterable<string> | AsyncIterable<string>, options: AtomicWriteOptions = {}): Promise<void> {
  await removeAbandonedTemps(file);
  const tmp = atomicTempFile(file);
  // A file replaced keeps its mode (an owner-only file stays owner-only), less what `mode` does not allow.
  const existing = await stat(file).then(
    (s) => s.mode & 0o7777,
    () => undefined,
  );
  const { mode } = options;
  // open's mode is masked by the umask, chmod's is not: `mode` is set by chmod, so a umask cannot widen or narrow it.
  const wanted = mode === undefined ? existing : (existing ?? mode) & mode;
  const handle = await open(tmp, 'w', mode ?? 0o666);
  try {
    try {
      if (wanted !== undefined) await handle.chmod(wanted);
      // writeFile on a handle writes all of the chunk at the handle's position. Its errors name no file: given here.
      for await (const chunk of chunks) await handle.writeFile(chunk).catch((error: unknown) => Promise.reject(namingFile(error, file)));
      await handle.sync().catch((error: unknown) => Promise.reject(namingFile(error, file)));
    } finally {
      await handle.close();
    }
    await options.beforeRename?.();
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  await fsyncDir(path.dirname(file));
}

/** This machine's name as a temp file's name may hold it: a pid says whether a writer lives only on its own host. */
const THIS_HOST = hostname().replace(/[^A-Za-z0-9-]/g, '-') || 'host';

/**
 * Removes the temp files of earlier writes of `file` on this host whose process is gone (`kill -9`, out of memory,
 * while writing a big `--out`): no later write would, and each can be as big as the file. A temp file of a write still
 * going (another process writing the same file), or of another host's (a shared home), is left to it; one without a
 * host, of an older mailroute, is taken for this host's. Called before every atomic write of `file`, and by listings
 * of files whose writers may be killed (runs); one it cannot remove (another user's) is left, failing nothing.
 */
export async function removeAbandonedTemps(file: string): Promise<void> {
  const prefix = `.${path.basename(file)}.`;
  const names = await readdir(path.dirname(file)).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(?:([A-Za-z0-9-]+)\.)?(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length));
    if (!m || (m[1] !== undefined && m[1] !== THIS_HOST)) continue;
    const pid = Number(m[2]);
    if (pid !== process.pid && !processAlive(pid)) await rm(path.join(path.dirname(file), name), { force: true }).catch(() => undefined);
  }
}

/** Copies a directory tree file by file, fsyncing each (a symbolic link is refused); `afterFile` is a test hook to crash half-way. */
export async function copyDirDurable(from: string, to: string, afterFile?: (relative: string) => void | Promise<void>, rel = ''): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    const relative = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) await copyDirDurable(src, dst, afterFile, relative);
    else if (entry.isFile()) {
      await copyFile(src, dst);
      await fsyncPath(dst, 'r+');
      await afterFile?.(relative);
    } else {
      // Skipping it would register an artifact without a file it may need; following it would copy what
      // lies outside the artifact (and may change after the hashes were checked).
      const what = entry.isSymbolicLink() ? 'a symbolic link' : 'neither a file nor a directory';
      throw new RegistryError('REGISTRY_ARTIFACT_INVALID', `${src} is ${what}: an artifact holds plain files only; put a copy of the file in its place`);
    }
  }
  await fsyncDir(to);
}
