/** The code of a write failed because the path no longer names the file written to. */
export const FILE_GONE_CODE: 'MAILROUTE_STORE_FILE_GONE';
/** The file `file` names now, as `<device>:<inode>`; undefined when none. */
export function fileIdentity(file: string): string | undefined;
/** Why `file` is not the file of identity `opened` any more; undefined while it is. */
export function fileGoneProblem(file: string, opened: string): string | undefined;
