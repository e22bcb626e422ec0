import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { CliContext } from './context.js';
import { processAlive } from '@mailroute/model';
import { InterruptedError, UsageError } from './errors.js';
import { twoStepInterrupt, type TwoStepInterrupt } from './interrupt.js';
import { prepareOutput, realPath } from './output-path.js';
import { safeValue } from './terminal-text.js';
import { OWNER_ONLY, outputWriteError } from './write-output.js';

/** The hidden folder a report is written in before it is swapped into `--out`. */
const PARTIAL_PREFIX = '.mailroute-partial-';
/** Inside it, once the new files are in place: what they replaced, removed with it. */
const OLD = '.old';

/**
 * Writes a command's files into the folder `--out` (`out` as given) so that a failure or Ctrl-C while
 * writing leaves the folder as it was: `write` fills a hidden folder inside it, and only once that is done
 * are the new entries moved in. The move is synchronous renames, so no Ctrl-C falls between two of them.
 * It replaces the entries of the same names and removes those named in `alsoRemove` (an earlier run's
 * files this one does not write); any other file in the folder is the user's and stays.
 *
 * Ctrl-C while writing aborts `write`'s signal (it stops at its next file), the hidden folder is removed and
 * the command exits 130; a second Ctrl-C removes it and quits at once. A folder `--out` created for the
 * run is removed again when the run fails. Hidden folders that runs killed while writing left behind are removed.
 * `inputs`, the files the command read: an entry to be replaced that is one of them, or holds one (`pictures/`), is
 * refused before anything is moved (links followed), rather than the input deleted with the old report.
 * `commandInterrupt`: the command's own, listening since it started (evaluate reads and predicts first): used instead of
 * one for the write alone (two would each answer a Ctrl-C), its second Ctrl-C removing the hidden folder too.
 * `ownerOnly`: the names of the files with email text or per-email labels (`predictions.jsonl`, `mistakes.md`), made
 * OWNER_ONLY (0600) whatever the umask and whoever wrote them, before they are moved in. The hidden folder is the
 * owner's alone (0700), so no other user reads one in the moment between its writing and that chmod.
 * `earlierFiles`: per folder the run writes (`pictures`), the names of the files an earlier run wrote there: a folder
 * that holds any other file is not replaced (`refuseReplacingOthers`), a usage error.
 */
export async function writeStaged(
  ctx: CliContext,
  out: string,
  alsoRemove: readonly string[],
  write: (dir: string, signal: AbortSignal) => Promise<void>,
  inputs: readonly string[] = [],
  commandInterrupt?: TwoStepInterrupt,
  options: { ownerOnly?: readonly string[]; earlierFiles?: Readonly<Record<string, RegExp>> } = {},
): Promise<void> {
  const full = path.resolve(ctx.cwd, out);
  // The folders below this one are created for the run, and removed again when it fails.
  let existing = full;
  while (!existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  await prepareOutput(ctx.cwd, out, 'dir', '--out', [], ctx.home);
  removeAbandoned(full);
  const partial = path.join(full, `${PARTIAL_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  const cleanUp = () => {
    rmSync(partial, { recursive: true, force: true });
    for (let dir = full; dir !== existing && dir !== path.dirname(dir); dir = path.dirname(dir)) {
      try {
        rmdirSync(dir);
      } catch {
        break; // not empty: the user's files, or another run's
      }
    }
  };
  const interrupt = commandInterrupt ?? stagedInterrupt(ctx, out);
  const forget = interrupt.alsoAgain(cleanUp);
  try {
    mkdirSync(partial, { mode: 0o700 });
    try {
      // A Ctrl-C that came before (the command's, while it read and predicted): nothing is written.
      interrupt.signal.throwIfAborted();
      await write(partial, interrupt.signal);
      interrupt.signal.throwIfAborted();
      ownerOnlyFiles(partial, options.ownerOnly ?? []);
      await refuseReplacingInputs(partial, full, alsoRemove, inputs.map((file) => path.resolve(ctx.cwd, file)), out);
      refuseReplacingOthers(partial, full, options.earlierFiles ?? {}, out);
      swapIn(partial, full, alsoRemove);
    } catch (error) {
      cleanUp();
      throw outputWriteError(stagedFile(error, partial, out), error);
    }
    // The old files, moved aside by the swap.
    await rm(partial, { recursive: true, force: true });
  } finally {
    forget();
    if (interrupt !== commandInterrupt) interrupt.release();
  }
}

/**
 * The Ctrl-C of a command that writes `--out <out>` with writeStaged: the first stops the work at its next step,
 * the second quits at once; either way `out` is as it was. Installed for the whole command (evaluate), or by
 * writeStaged for the write alone.
 */
export function stagedInterrupt(ctx: CliContext, out: string): TwoStepInterrupt {
  return twoStepInterrupt(ctx, {
    stopping: (signal) => `stopping (${signal} again quits at once)`,
    quitting: `quitting now; ${out} is as it was`,
    reason: new InterruptedError(`interrupted: nothing was written to ${out}; it is as it was`),
  });
}

/** Makes the files of `dir` named in `names` OWNER_ONLY (chmod is not masked by the umask); a name not written, or no plain file, is passed over. */
function ownerOnlyFiles(dir: string, names: readonly string[]): void {
  for (const name of names) {
    const file = path.join(dir, name);
    if (lstatSync(file, { throwIfNoEntry: false })?.isFile()) chmodSync(file, OWNER_ONLY);
  }
}

/** Throws when an entry of `dir` that the swap replaces or removes is one of the files read, or a folder holding one. */
async function refuseReplacingInputs(partial: string, dir: string, alsoRemove: readonly string[], inputs: readonly string[], out: string): Promise<void> {
  if (inputs.length === 0) return;
  const read = await Promise.all(inputs.map(realPath));
  for (const name of new Set([...readdirSync(partial), ...alsoRemove])) {
    if (!lstatSync(path.join(dir, name), { throwIfNoEntry: false })) continue;
    const entry = await realPath(path.join(dir, name));
    const held = read.find((file) => file === entry || file.startsWith(`${entry}${path.sep}`));
    if (held !== undefined) {
      throw new UsageError(`--out ${out}: its ${name} would be replaced, and that is (or holds) ${held}, which this command reads: move that file elsewhere or choose another --out; nothing was written`);
    }
  }
}

/**
 * Throws when a folder of `dir` that the swap replaces whole (a report's `pictures/`) holds a file no earlier run of the
 * command wrote there (`earlier` tells those by name): a user's own `pictures/`, or a picture put into a report's, was
 * deleted with it.
 */
function refuseReplacingOthers(partial: string, dir: string, earlier: Readonly<Record<string, RegExp>>, out: string): void {
  for (const name of readdirSync(partial)) {
    const pattern = Object.hasOwn(earlier, name) ? earlier[name] : undefined;
    const folder = path.join(dir, name);
    if (pattern === undefined || !lstatSync(folder, { throwIfNoEntry: false })?.isDirectory()) continue;
    const others = readdirSync(folder).filter((file) => !pattern.test(file));
    if (others.length === 0) continue;
    const shown = others.slice(0, 3).join(', ') + (others.length > 3 ? `, and ${others.length - 3} more` : '');
    throw new UsageError(`--out ${out}: its ${name}/ would be replaced whole, and it holds files no earlier report wrote (${safeValue(shown)}): move them elsewhere or choose another --out; nothing was written`);
  }
}

/** The file a write into the hidden folder failed on, as the user will know it (`report/report.html`); else `--out <out>`. */
function stagedFile(error: unknown, partial: string, out: string): string {
  const at = (error as NodeJS.ErrnoException | undefined)?.path;
  const relative = typeof at === 'string' ? path.relative(partial, at) : '';
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? path.join(out, relative) : `--out ${out}`;
}

/**
 * Removes the hidden folders of earlier runs that were killed while writing (`kill -9`, a crash): their process
 * is gone. A folder of a run still going (another terminal writing to the same `--out`) is left to it.
 */
function removeAbandoned(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(PARTIAL_PREFIX)) continue;
    const pid = Number(name.slice(PARTIAL_PREFIX.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && !processAlive(pid)) rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

/**
 * Moves the entries of `partial` into `dir`: first the entries of `dir` they replace and those named in
 * `alsoRemove` go into `partial/.old`, then the new ones take their places. Synchronous, so Ctrl-C cannot
 * come between. When a rename fails, what was moved is moved back.
 */
function swapIn(partial: string, dir: string, alsoRemove: readonly string[]): void {
  const fresh = readdirSync(partial);
  const old = path.join(partial, OLD);
  mkdirSync(old);
  const aside: string[] = [];
  const placed: string[] = [];
  try {
    for (const name of new Set([...fresh, ...alsoRemove])) {
      if (!lstatSync(path.join(dir, name), { throwIfNoEntry: false })) continue;
      renameSync(path.join(dir, name), path.join(old, name));
      aside.push(name);
    }
    for (const name of fresh) {
      renameSync(path.join(partial, name), path.join(dir, name));
      placed.push(name);
    }
  } catch (error) {
    const back = (from: string, to: string) => {
      try {
        renameSync(from, to);
      } catch {
        // left where it is: the error below is said
      }
    };
    for (const name of placed) back(path.join(dir, name), path.join(partial, name));
    for (const name of aside) back(path.join(old, name), path.join(dir, name));
    throw error;
  }
}
