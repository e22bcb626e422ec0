import { lstatSync, readdirSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { errorCodeInWords, systemCode, writeFileAtomicChunks } from '@mailroute/model';
import { formatError } from './errors.js';
import { linkTarget } from './link-target.js';

/**
 * Writing a command's output once its work is done: a file, a report folder's files, or standard output. A
 * write that fails then (a full disk, a closed pipe) is said in one line naming what could not be written and
 * why, in words with the error's code: never a stack trace or the temporary file's name.
 */

// In words as every package says them (`ENOSPC` as `the disk is full (ENOSPC)`): kept here for the commands' imports.
export { errorCodeInWords, systemCode };

/** An output that could not be written after the command's work: exit code 1, one line. */
export class OutputWriteError extends Error {
  readonly code = 'OUTPUT_WRITE_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OutputWriteError';
  }
}

/**
 * A file system error met while reading or looking up a file (not found, permission denied, a loop of symbolic
 * links), which no command put in words: exit code 1, one line naming the file and why. Not said to be a write.
 */
export class FileAccessError extends Error {
  readonly code = 'FILE_ACCESS_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FileAccessError';
  }
}

/**
 * Standard output (or a pipe `--out` names, `/dev/stdout`) was closed by its reader (`mailroute clean --out - | head -1`):
 * the command stops quietly, with no message, as other command-line programs do; what it did not write was not wanted.
 */
export class StdoutClosedError extends Error {
  readonly code = 'STDOUT_CLOSED';
  constructor(options?: { cause?: unknown }) {
    super('standard output was closed', options);
    this.name = 'StdoutClosedError';
  }
}

/** `error` as an OutputWriteError saying `cannot write <what>: <why>` when it is a system error; any other error as it is. */
export function outputWriteError(what: string, error: unknown): unknown {
  if (error instanceof OutputWriteError || error instanceof StdoutClosedError) return error;
  const code = systemCode(error);
  return code === undefined ? error : new OutputWriteError(`cannot write ${what}: ${errorCodeInWords(code)}`, { cause: error });
}

/**
 * A system error no command put in words (a full disk under MAILROUTE_HOME while train registers its model): the
 * file it was about and why, as OutputWriteError, not Node's `ENOSPC: no space left on device, copyfile '/tmp/…' -> '…'`;
 * one that may come of a read (ENOENT, EACCES, ELOOP on an open or a stat) as FileAccessError, not said to be a write.
 * Any other error as it is.
 */
export function systemErrorInWords(error: unknown): unknown {
  const code = systemCode(error);
  if (code === undefined || error instanceof OutputWriteError || error instanceof FileAccessError) return error;
  const { path: at, dest, syscall } = error as NodeJS.ErrnoException & { dest?: string };
  const file = dest ?? at;
  if (file === undefined) return error;
  // Only a write meets these; another code (ENOENT, EACCES) may come of a read, and is said without a verb.
  const writing = ['ENOSPC', 'EDQUOT', 'EFBIG', 'EROFS'].includes(code) || syscall === 'write';
  // A folder to be made where a file is (`serve --new-key x --home notes.txt`) was said as a bare "EEXIST".
  const why = code === 'EEXIST' && syscall === 'mkdir' ? `a file stands where a folder is needed (${code})` : errorCodeInWords(code);
  return writing ? new OutputWriteError(`cannot write ${file}: ${why}`, { cause: error }) : new FileAccessError(`${file}: ${why}`, { cause: error });
}

/** Errors of standard output already said by `writeStdout`'s caller: the stream's own 'error' event is then not said again. */
const reported = new WeakSet<object>();

/** Whether a stream error was already reported through `writeStdout` (bin/mailroute.mjs says the others). */
export function alreadyReported(error: unknown): boolean {
  return typeof error === 'object' && error !== null && reported.has(error);
}

/**
 * Writes `text` to standard output (or another stream) and waits until it is written, so that a failure is
 * the command's error: a closed pipe as StdoutClosedError (quiet), another as OutputWriteError.
 */
export function writeStdout(stream: NodeJS.WritableStream, text: string, what = 'standard output'): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error?: Error | null) => {
      if (!error) return resolve();
      reported.add(error);
      reject(systemCode(error) === 'EPIPE' ? new StdoutClosedError({ cause: error }) : outputWriteError(what, error));
    });
  });
}

/**
 * Resolves once what was written to `stream` has left (a pipe may be written asynchronously), for bin/mailroute.mjs
 * before it exits: an empty write queued behind what waits. Nothing is written when nothing waits: on a full disk
 * (/dev/full) an empty write fails too, and was said as a second "cannot write standard output" after the command
 * had said the first. A write that failed unwaited for (a table printed) is said by the stream's 'error' listener,
 * which is given its turn first.
 */
export async function flushed(stream: NodeJS.WritableStream): Promise<void> {
  const state = stream as NodeJS.WritableStream & { errored?: Error | null; writableLength?: number };
  let failed = Boolean(state.errored);
  if (!failed && state.writableLength !== 0) await new Promise<void>((resolve) => stream.write('', (error?: Error | null) => resolve(void (failed = Boolean(error)))));
  // The 'error' event comes on a later tick than the write's callback.
  if (failed) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Lines of a log on standard output whose command's product lies elsewhere (`train` registers a model): a reader
 * that closes the pipe early (`mailroute train … | head -3`) ends the log, not the work. Later lines are dropped;
 * `closed` says so, for the command to repeat on stderr what mattered. Any other failure to write (a full disk,
 * `> /dev/full`) ends the log too, not the work: `failed` holds it, for the command to fail with once its product is
 * made, saying so (the process ended in the middle of the training, which was then recorded as interrupted).
 */
export function logLines(stream: NodeJS.WritableStream): { write(text: string): Promise<void>; readonly closed: boolean; readonly failed: Error | undefined } {
  let closed = false;
  let failed: Error | undefined;
  return {
    /** Resolves once the line is written or dropped (never rejects), so that `closed` then covers this line too. */
    write(text) {
      if (closed || failed) return Promise.resolve();
      return new Promise((resolve) => {
        // The callback runs before the stream's 'error' event: marked as reported, the failure ends nothing.
        stream.write(text, (error?: Error | null) => {
          if (error) {
            reported.add(error);
            if (systemCode(error) === 'EPIPE') closed = true;
            else failed = error;
          }
          resolve();
        });
      });
    },
    get closed() {
      return closed;
    },
    get failed() {
      return failed;
    },
  };
}

/**
 * Where the atomic write of `file` goes: the regular file behind its links, or (a link to a file not made
 * yet) the path the last link names; `file` itself when it is no link.
 */
async function atomicTarget(file: string, exists: boolean): Promise<string> {
  return exists ? realpath(file) : linkTarget(file);
}

/**
 * The mode of every file the CLI writes with email text, email ids with their labels, or keys (predict's, clean's and
 * feedback's `--out`, evaluate's predictions.jsonl and mistakes.md), whatever the umask: the README's Conventions.
 */
export const OWNER_ONLY = 0o600;

/**
 * Writes the chunks to `file`: a regular file (or a new one) through a temporary file renamed into place,
 * so that no reader sees half of it (through a symbolic link, the file it points to); a device or a named pipe (`/dev/stdout`, `/dev/null`) directly, as renaming
 * over it would replace it with a plain file. `shown` names the file in the message (`--out preds.jsonl`).
 * A file replaced keeps its mode (an owner-only file is not opened to others). With `mode` (OWNER_ONLY), a new file
 * gets it whatever the umask, and a file replaced keeps no bit outside it: an older mailroute's 0644 becomes 0600.
 */
export async function writeOutputFile(file: string, chunks: Iterable<string> | AsyncIterable<string>, shown: string, options: { mode?: number } = {}): Promise<void> {
  try {
    // stat follows links as open does: /dev/stdout is the pipe or terminal behind it, not the link's own target text.
    const kind = await stat(file).catch(() => undefined);
    if (kind === undefined || kind.isFile()) {
      // A file replaced keeps its mode, within `mode`; a new one gets `mode` (default: as any new file, by the umask).
      await writeFileAtomicChunks(await atomicTarget(file, kind !== undefined), chunks, options);
      return;
    }
    const handle = await open(file, 'w');
    try {
      for await (const chunk of chunks) await handle.writeFile(chunk);
    } finally {
      await handle.close();
    }
  } catch (error) {
    // A pipe whose reader quit (`--out /dev/stdout | head -1`, a named pipe): what was not written was not wanted, as
    // with `--out -`: a quiet stop, not a failure that a script's `set -o pipefail` reads as one.
    if (systemCode(error) === 'EPIPE') throw new StdoutClosedError({ cause: error });
    throw outputWriteError(shown, error);
  }
}

/** This machine's name as the atomic writes of @mailroute/model put it in their temporary files' names. */
const THIS_HOST = hostname().replace(/[^A-Za-z0-9-]/g, '-') || 'host';

/**
 * Removes, at once, the temporary file(s) this process's atomic write of `file` (writeOutputFile) has beside its
 * target, `.<name>.<host>.<pid>.<8 hex>.tmp`: a second Ctrl-C while predict writes exits before the write's own
 * cleanup would run. Synchronous, for a signal handler; what it cannot remove is left (removed by the next write).
 */
export function removeOwnTempFiles(file: string): void {
  const target = syncTarget(file);
  const prefix = `.${path.basename(target)}.${THIS_HOST}.${process.pid}.`;
  let names: string[];
  try {
    names = readdirSync(path.dirname(target));
  } catch {
    return;
  }
  for (const name of names) if (name.startsWith(prefix) && /^[0-9a-f]{8}\.tmp$/.test(name.slice(prefix.length))) rmSync(path.join(path.dirname(target), name), { force: true });
}

/** The file an atomic write of `file` replaces, as writeOutputFile finds it (links followed), without awaiting. */
function syncTarget(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    // Not there yet, or a link to a file not made yet: the path the last link names.
    for (let hops = 0; hops < 40 && lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink(); hops++) file = path.resolve(path.dirname(file), readlinkSync(file));
    return file;
  }
}

/**
 * The 'error' listener of the process's stdout and stderr (bin/mailroute.mjs), for writes no command waited
 * for (a table printed): a closed pipe of standard output ends the process quietly with the exit code so far; any
 * other failure is said on stderr in one line, exit code 1. One `writeStdout` reported is left to the command.
 * Standard error is a log (progress, warnings, the error line): its reader going away (`2>&1 | head -1`) ends the
 * log, not the work. Its later lines are dropped (the stream is destroyed), and the command goes on to its own end
 * and exit code: a gate that fails still exits 1, a prediction is still written, a model still registered.
 */
export function streamErrorHandler(what: string, stderr: NodeJS.WritableStream = process.stderr, exit: (code: number) => void = (code) => process.exit(code)): (error: Error) => void {
  return (error) => {
    if (alreadyReported(error)) return;
    if (systemCode(error) === 'EPIPE') return what === 'standard error' ? undefined : exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    // Nothing can be said where standard error itself failed.
    if (what !== 'standard error') stderr.write(`mailroute: ${formatError(outputWriteError(what, error))}\n`);
    exit(1);
  };
}
