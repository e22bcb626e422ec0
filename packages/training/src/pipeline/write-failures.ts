import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ArtifactWriteError, bytesOnDisk, errorCodeInWords, formatBytes, freeSpace, outOfRoom, roomNeeded, systemCode } from '@mailroute/model';
import { TrainingWriteError } from '../errors.js';

/**
 * Training's writes that the file system refused, said with whose folder it is and what to do: the model is made in
 * the temporary folder (TMPDIR) before it is registered, and the run is recorded under MAILROUTE_HOME. Node's words
 * (`ENOSPC: no space left on device, write`) name neither, and an operator looking at MAILROUTE_HOME after a full
 * TMPDIR finds plenty of room there.
 */

/** The file a system error is about: a copy's destination, else its path. */
function fileOf(error: unknown): string | undefined {
  const { dest, path: at } = error as NodeJS.ErrnoException & { dest?: string };
  return dest ?? at;
}

/** Whether `file` is `dir` or lies under it. */
function within(file: string, dir: string): boolean {
  const relative = path.relative(path.resolve(dir), path.resolve(file));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * A write under `scratch` (this run's folder in the temporary folder `root`, or `root` itself when the folder could
 * not be made) that failed, as a TrainingWriteError naming the file, TMPDIR and the room the model needs; any other
 * error as it is.
 */
export async function scratchWriteError(error: unknown, scratch: string, root = path.dirname(scratch)): Promise<unknown> {
  const artifact = error instanceof ArtifactWriteError ? error : undefined;
  const cause = artifact?.cause ?? error;
  const code = systemCode(cause);
  const file = artifact?.file ?? fileOf(error);
  if (code === undefined || file === undefined || !within(file, scratch)) return error;
  const model = artifact === undefined ? 'the model' : `the model (${formatBytes(artifact.bytes)})`;
  const where = `training writes ${model} into the temporary folder ${root} (TMPDIR, or /tmp when unset) before it registers it in MAILROUTE_HOME`;
  let todo = 'point TMPDIR at a folder that can be written, and train again';
  if (outOfRoom(cause)) {
    const space = await freeSpace(root);
    const room = artifact === undefined ? `${space === undefined ? 'little' : formatBytes(space.free)} free there now` : `it needs ${roomNeeded(bytesOnDisk([artifact.bytes], space?.block), root, space)}`;
    todo = `${room}; free that much there, or point TMPDIR at a folder with room, and train again`;
  }
  return new TrainingWriteError(`cannot write ${file}: ${errorCodeInWords(code)}; ${where}: ${todo}`, { cause: error });
}

/** Codes of a write refused for want of room or of write access to the file system: what MAILROUTE_HOME is for. */
const UNWRITABLE = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM']);

/**
 * A write of the run's record (`run.json`, `epochs.jsonl`, the run's folder or one above it) that found no room or
 * no write access, as a TrainingWriteError naming the file and what to do; any other error as it is.
 */
export async function runRecordWriteError(error: unknown, runDir: string, home: string): Promise<unknown> {
  const code = systemCode(error);
  const file = fileOf(error);
  if (code === undefined || !UNWRITABLE.has(code) || file === undefined || !(within(file, runDir) || within(runDir, file))) return error;
  const where = `training records its run in ${runDir}, then registers the model in ${path.join(home, 'models')}`;
  let todo = 'point MAILROUTE_HOME at a folder that can be written, and train again';
  if (outOfRoom(error)) {
    const space = await freeSpace(home);
    todo = `free space on the file system of ${home}${space === undefined ? '' : ` (${formatBytes(space.free)} free now)`}, then train again`;
  }
  return new TrainingWriteError(`cannot write ${file}: ${errorCodeInWords(code)}; ${where}: ${todo}`, { cause: error });
}

/** Why a write failed, in a few words: a system error's code in words (`the disk is full (ENOSPC)`), else its first line. */
export function reasonOf(error: unknown): string {
  const code = systemCode(error);
  if (code !== undefined) return errorCodeInWords(code);
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

/** The size of each file under `dir`. */
async function fileSizes(dir: string): Promise<number[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  return Promise.all(files.map(async (file) => (await stat(file).catch(() => ({ size: 0 }))).size));
}

/**
 * The warning for a trained model that was not registered and could not be kept beside its run either (`notKept`:
 * why): on a full disk, the registry's copy failed for want of the very room a copy in `runs/<run>/model` would take
 * on the same file system. The model goes with the temporary folder `staged` lies in; said with the room a new
 * training's model needs.
 */
export async function notKeptWarning(notKept: unknown, runDir: string, home: string, staged: string): Promise<string> {
  const why = reasonOf(notKept);
  const space = await freeSpace(home);
  const needed = bytesOnDisk(await fileSizes(staged), space?.block);
  return `the trained model was not registered and could not be kept in ${path.join(runDir, 'model')} either (${why}): it is removed with the temporary folder; registering it needs ${roomNeeded(needed, home, space)}: free that much there and train again`;
}
