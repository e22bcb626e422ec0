// Whether the SQLite store's path still names the file its connections opened (plain JavaScript, so the writer
// thread loads it too). A database file deleted while the server runs (or the whole home: "delete the folder to start
// over") stays open: SQLite goes on writing to the unlinked file, which is gone with its data when the server stops.
import { statSync } from 'node:fs';

/** The code of a write failed because the path no longer names the file written to. */
export const FILE_GONE_CODE = 'MAILROUTE_STORE_FILE_GONE';

/** The file `file` names now, as `<device>:<inode>` (bigint: inode numbers past 2^53); undefined when none. */
export function fileIdentity(file) {
  try {
    const info = statSync(file, { bigint: true });
    return `${info.dev}:${info.ino}`;
  } catch (error) {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * Why `file` is not the file of identity `opened` any more, in words for the log and the 503's detail; undefined
 * while it is. A path that cannot be looked at now (EACCES on a folder) is not judged: it may come back.
 */
export function fileGoneProblem(file, opened) {
  let now;
  try {
    now = fileIdentity(file);
  } catch {
    return undefined;
  }
  if (now === opened) return undefined;
  const what = now === undefined ? 'was deleted' : 'was replaced by another file';
  return `The SQLite database ${file} ${what} while the server ran: nothing more is stored (it would go to the file the server opened, no longer at that path, and be lost at shutdown) until the server is restarted, which opens the file there or creates a new one.`;
}
