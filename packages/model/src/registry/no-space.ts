import { bytesOnDisk, errorCodeInWords, formatBytes, freeSpace, roomNeeded, systemCode } from '../write-errors.js';
import { RegistryError } from './errors.js';

/**
 * A registry write that found no room (a full disk, a used-up quota), said as `REGISTRY_NO_SPACE`: the file it could
 * not write, the room the write needs and the room there is, and what to do. Node's own words (`ENOSPC: no space left
 * on device, write`) name no file, and a registry on a disk of its own looks full of space to someone looking elsewhere.
 */

/** The index write a registry change ends with: a lock file, then a new registry.json beside the old one. */
export interface IndexWrite {
  /** `MAILROUTE_HOME`. */
  home: string;
  /** The file the write failed on (the lock file, registry.json or its temp file). */
  file: string;
  lockBytes: number;
  indexBytes: number;
  /** Whether `indexBytes` is the new index's (else the old one's, as the lock failed before the new one was made). */
  indexExact: boolean;
}

function cannotWrite(cause: unknown, file: string): string {
  return `cannot write ${file}: ${errorCodeInWords(systemCode(cause) ?? 'ENOSPC')}`;
}

function indexFiles(write: IndexWrite): string {
  return `the lock file and a new registry.json (${write.indexExact ? '' : 'about '}${formatBytes(write.indexBytes)}) beside the old one`;
}

/** A change to the index (an approval, a rejection, a change of champion, a gate) that found no room. */
export async function indexNoSpaceError(cause: unknown, write: IndexWrite): Promise<RegistryError> {
  const space = await freeSpace(write.home);
  const needed = bytesOnDisk([write.lockBytes, write.indexBytes], space?.block);
  return new RegistryError(
    'REGISTRY_NO_SPACE',
    `${cannotWrite(cause, write.file)}; a registry change writes ${indexFiles(write)}: it needs ${roomNeeded(needed, write.home, space)}; free that much there and run the command again (nothing was changed)`,
    { cause },
  );
}

/**
 * A prune that found no room to record what it prunes. It records first and removes after, so that no crash leaves a
 * version listed whose artifact is gone: on a full disk it cannot free the megabytes before it has the kilobytes.
 */
export async function pruneNoSpaceError(cause: unknown, write: IndexWrite, pruneBytes: number): Promise<RegistryError> {
  const space = await freeSpace(write.home);
  const needed = bytesOnDisk([write.lockBytes, write.indexBytes], space?.block);
  return new RegistryError(
    'REGISTRY_NO_SPACE',
    `${cannotWrite(cause, write.file)}; prune records the versions it prunes in registry.json before it removes their artifacts (${formatBytes(pruneBytes)}), so that no crash leaves a version listed whose artifact is gone: that record (${indexFiles(write)}) needs ${roomNeeded(needed, write.home, space)}; free that much first (any file you can spare), then run it again (nothing was removed)`,
    { cause },
  );
}

/** A registration whose copy of the model into `models/` found no room. */
export async function copyNoSpaceError(cause: unknown, write: IndexWrite & { modelsDir: string; modelFiles: readonly number[] }): Promise<RegistryError> {
  const space = await freeSpace(write.home);
  const needed = bytesOnDisk([...write.modelFiles, write.lockBytes, write.indexBytes], space?.block);
  const model = write.modelFiles.reduce((sum, size) => sum + size, 0);
  return new RegistryError(
    'REGISTRY_NO_SPACE',
    `${cannotWrite(cause, write.file)}; registering copies the model (${formatBytes(model)}) into ${write.modelsDir}, then lists it in registry.json: it needs ${roomNeeded(needed, write.home, space)}; free that much there (nothing was registered)`,
    { cause },
  );
}
