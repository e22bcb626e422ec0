import { spawn, spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { chmodSync, lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { createContext } from './context.js';
import { formatError } from './errors.js';
import { buildProgramOf, runProgram } from './program.js';
import { main } from './main.js';
import { writeStaged } from './staged-output.js';
import { captureStream } from './test-support.js';
import { errorCodeInWords, FileAccessError, logLines, OutputWriteError, OWNER_ONLY, streamErrorHandler, systemErrorInWords, writeOutputFile, writeStdout } from './write-output.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-write-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A system error as Node gives one (`code`, and `path` when it is about a file). */
function systemError(code: string, at?: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: failed, write`), { code, errno: -28, syscall: 'write', ...(at ? { path: at } : {}) });
}

/** Standard output that fails every write with `code`, as a closed pipe (EPIPE) or a full disk (ENOSPC) does. */
function failingStdout(code: string): Writable {
  const stream = new Writable({ write: (_chunk, _encoding, done) => done(systemError(code)) });
  stream.on('error', () => {}); // the process's listener is bin/mailroute.mjs's
  return stream;
}

/**
 * The full device (as /dev/full: every write answers ENOSPC), made in the test's folder when the test runs; or why it
 * cannot be made here (mknod needs root, and Linux's device numbers).
 */
function fullDevice(): { device: string } | { why: string } {
  const device = path.join(dir, `full-${Math.random().toString(36).slice(2)}`);
  const made = spawnSync('mknod', [device, 'c', '1', '7'], { encoding: 'utf8' });
  if (made.status === 0) return { device };
  return { why: `mknod cannot make a device here (${made.error?.message ?? made.stderr.trim()}): it needs root on Linux` };
}

const batch = path.join(dir, 'in.jsonl');
writeFileSync(batch, '{"id":"a","format":"text","input":"Hallo, bitte senden Sie mir den Kontoauszug."}\n');

async function clean(out: string, stdout: Writable) {
  const err = captureStream();
  const ctx = createContext({ env: { CI: 'true' }, cwd: dir, stdout, stderr: err.stream });
  const code = await main(['clean', '--in', batch, '--out', out], ctx);
  return { code, stderr: err.text() };
}

describe('--out naming a pipe whose reader quits', () => {
  it('stops quietly with exit 0, as --out - does, where --out /dev/stdout | head -1 failed with EPIPE', async () => {
    const fifo = path.join(dir, 'reader-quits.fifo');
    const made = spawnSync('mkfifo', [fifo]);
    expect(made.status).toBe(0);
    // A reader that takes a few bytes and quits, as head does; the batch is long enough to outlast the pipe's buffer.
    const reader = spawn('head', ['-c', '10', fifo], { stdio: ['ignore', 'ignore', 'ignore'] });
    const readerExited = new Promise((resolve) => reader.once('exit', resolve));
    const many = path.join(dir, 'many.jsonl');
    writeFileSync(many, Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: `e${i}`, format: 'text', input: `Hallo, bitte senden Sie mir den Kontoauszug Nummer ${i} für mein Depot.` })).join('\n') + '\n');
    const err = captureStream();
    const ctx = createContext({ env: { CI: 'true' }, cwd: dir, stdout: new Writable({ write: (_c, _e, done) => done() }), stderr: err.stream });
    try {
      const code = await main(['clean', '--in', many, '--out', fifo], ctx);
      await readerExited;
      expect(err.text()).not.toContain('OUTPUT_WRITE_FAILED');
      expect(code).toBe(0);
    } finally {
      // A clean that failed before opening the pipe leaves head waiting on it: not left behind.
      reader.kill();
    }
  }, 30_000);
});

describe('errorCodeInWords', () => {
  it('says a code in words and keeps the code; an unknown code is itself', () => {
    expect(errorCodeInWords('ENOSPC')).toBe('the disk is full (ENOSPC)');
    expect(errorCodeInWords('EWHATEVER')).toBe('EWHATEVER');
  });
});

describe('a write that fails after the work', () => {
  it('clean --out - to a closed pipe (| head -1) ends quietly: exit code 0, no message, no "wrote" line', async () => {
    const res = await clean('-', failingStdout('EPIPE'));
    expect(res.code).toBe(0);
    expect(res.stderr).not.toContain('mailroute:');
    expect(res.stderr).not.toContain('wrote');
  });

  it('clean --out - to a full disk says so in words, exit code 1, and no "wrote" line', async () => {
    const res = await clean('-', failingStdout('ENOSPC'));
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('mailroute: [OUTPUT_WRITE_FAILED] cannot write standard output: the disk is full (ENOSPC)\n');
    expect(res.stderr).not.toContain('wrote');
    expect(res.stderr).not.toContain('    at ');
  });

  it('clean --out <a full device> says the disk is full, exit code 1, and leaves the device a device (skipped where mknod cannot make one)', async ({ skip }) => {
    const made = fullDevice();
    if ('why' in made) {
      console.warn(`skipping the full-device test of clean --out: ${made.why}`);
      return skip(made.why);
    }
    const { device } = made;
    const res = await clean(device, captureStream().stream);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`[OUTPUT_WRITE_FAILED] cannot write --out ${device}: the disk is full (ENOSPC)`);
    // Renaming a temporary file over it would have made it a plain file.
    expect(statSync(device).isCharacterDevice()).toBe(true);
  });

  it('writeOutputFile writes a regular file whole, and names the file in words when it cannot', async () => {
    const file = path.join(dir, 'out.jsonl');
    await writeOutputFile(file, ['a\n', 'b\n'], '--out out.jsonl');
    expect(statSync(file).size).toBe(4);
    await expect(writeOutputFile(path.join(dir, 'no-folder', 'x.jsonl'), ['a'], '--out no-folder/x.jsonl')).rejects.toThrow('cannot write --out no-folder/x.jsonl: no such file or folder (ENOENT)');
  });

  it('writeOutputFile keeps the mode of the file it replaces (an owner-only file stays so), and gives a new one the mode asked for', async () => {
    const kept = path.join(dir, 'private.csv');
    writeFileSync(kept, 'old\n', { mode: 0o600 });
    await writeOutputFile(kept, ['new\n'], '--out private.csv');
    expect([readFileSync(kept, 'utf8'), statSync(kept).mode & 0o777]).toEqual(['new\n', 0o600]);
    const fresh = path.join(dir, 'fresh.csv');
    await writeOutputFile(fresh, ['x\n'], '--out fresh.csv', { mode: 0o600 });
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
    // Through a link to an owner-only file: its target stays owner-only.
    const link = path.join(dir, 'to-private.csv');
    symlinkSync(kept, link);
    await writeOutputFile(link, ['via link\n'], '--out to-private.csv');
    expect([readFileSync(kept, 'utf8'), statSync(kept).mode & 0o777]).toEqual(['via link\n', 0o600]);
  });

  it('writeOutputFile with OWNER_ONLY gives 0600 whatever the umask, also to a file it replaces that others could read', async () => {
    const modeOf = (file: string) => statSync(file).mode & 0o777;
    for (const umask of [0o000, 0o022]) {
      const before = process.umask(umask);
      try {
        const fresh = path.join(dir, `owner-${umask.toString(8)}.jsonl`);
        await writeOutputFile(fresh, ['{}\n'], '--out owner.jsonl', { mode: OWNER_ONLY });
        expect(modeOf(fresh), `umask ${umask.toString(8)}`).toBe(0o600);
        // An older mailroute's output (the umask's 0644), replaced: owner-only now, through a link too.
        const old = path.join(dir, `older-${umask.toString(8)}.jsonl`);
        writeFileSync(old, 'old\n');
        chmodSync(old, 0o644);
        const link = path.join(dir, `to-older-${umask.toString(8)}.jsonl`);
        symlinkSync(old, link);
        await writeOutputFile(link, ['new\n'], '--out to-older.jsonl', { mode: OWNER_ONLY });
        expect([readFileSync(old, 'utf8'), modeOf(old), lstatSync(link).isSymbolicLink()]).toEqual(['new\n', 0o600, true]);
        // Without a mode (demo-data's invented emails): by the umask.
        const plain = path.join(dir, `plain-${umask.toString(8)}.csv`);
        await writeOutputFile(plain, ['x\n'], '--out plain.csv');
        expect(modeOf(plain)).toBe(0o666 & ~umask);
      } finally {
        process.umask(before);
      }
    }
  });

  it('writeOutputFile writes through a link, to the file it names (made if new), and leaves the link a link', async () => {
    const link = path.join(dir, 'link.jsonl');
    symlinkSync('target.jsonl', link);
    await writeOutputFile(link, ['new\n'], '--out link.jsonl');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(dir, 'target.jsonl'), 'utf8')).toBe('new\n');
    await writeOutputFile(link, ['again\n'], '--out link.jsonl');
    expect([lstatSync(link).isSymbolicLink(), readFileSync(path.join(dir, 'target.jsonl'), 'utf8')]).toEqual([true, 'again\n']);
  });

  it('writeStdout resolves once written', async () => {
    const out = captureStream();
    await writeStdout(out.stream, 'hello\n');
    expect(out.text()).toBe('hello\n');
  });

  it('a report folder whose file cannot be written names that file as the user knows it, in words', async () => {
    const ctx = createContext({ env: {}, cwd: dir, stdout: captureStream().stream, stderr: captureStream().stream, signals: new EventEmitter(), exit: () => {} });
    const failing = writeStaged(ctx, 'report', [], async (partial) => {
      throw systemError('ENOSPC', path.join(partial, 'report.html'));
    });
    await expect(failing).rejects.toThrow(`cannot write ${path.join('report', 'report.html')}: the disk is full (ENOSPC)`);
  });
});

describe('streamErrorHandler (bin/mailroute.mjs)', () => {
  it('ends quietly on a closed pipe, and says another failure of stdout in words with exit code 1', () => {
    const err = captureStream();
    const exits: number[] = [];
    const handler = streamErrorHandler('standard output', err.stream, (code) => exits.push(code));
    handler(systemError('EPIPE'));
    expect(err.text()).toBe('');
    handler(systemError('ENOSPC'));
    expect(err.text()).toBe('mailroute: [OUTPUT_WRITE_FAILED] cannot write standard output: the disk is full (ENOSPC)\n');
    expect(exits).toEqual([0, 1]);
  });

  it('lets the command go on when standard error is closed (a log whose reader quit): nothing said, no exit', () => {
    const err = captureStream();
    const exits: number[] = [];
    const handler = streamErrorHandler('standard error', err.stream, (code) => exits.push(code));
    handler(systemError('EPIPE'));
    expect(err.text()).toBe('');
    expect(exits).toEqual([]);
    // Another failure of standard error (a full disk) still ends the process, exit code 1, with nothing said on it.
    handler(systemError('ENOSPC'));
    expect(err.text()).toBe('');
    expect(exits).toEqual([1]);
  });
});

describe('logLines (train\'s epoch lines)', () => {
  /** Standard output whose reader quits after `keep` writes, with bin/mailroute.mjs's listener recording exits. */
  function closingStdout(keep: number, code = 'EPIPE') {
    const written: string[] = [];
    const exits: number[] = [];
    const stream = new Writable({ write: (chunk, _encoding, done) => (written.length < keep ? (written.push(String(chunk)), done()) : done(systemError(code))) });
    stream.on('error', streamErrorHandler('standard output', captureStream().stream, (c) => exits.push(c)));
    return { stream, written, exits };
  }
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  it('a closed pipe ends the log, not the process: later lines are dropped and `closed` says so', async () => {
    const { stream, written, exits } = closingStdout(1);
    const log = logLines(stream);
    void log.write('epoch 1\n');
    await log.write('epoch 2\n');
    expect(log.closed).toBe(true);
    await log.write('epoch 3\n');
    await turn();
    expect(written).toEqual(['epoch 1\n']);
    expect(exits).toEqual([]);
  });

  it('another failure (a full disk) ends the log too, not the process: `failed` holds it, for the command to say once its work is done', async () => {
    const { stream, written, exits } = closingStdout(1, 'ENOSPC');
    const log = logLines(stream);
    await log.write('epoch 1\n');
    await log.write('epoch 2\n');
    await log.write('epoch 3\n');
    await turn();
    expect(log.closed).toBe(false);
    expect((log.failed as NodeJS.ErrnoException | undefined)?.code).toBe('ENOSPC');
    expect(written).toEqual(['epoch 1\n']);
    expect(exits).toEqual([]);
  });
});

describe('a system error no command put in words', () => {
  it('says the file and why, with the code, not Node\'s message with the temporary source; other errors stay', async () => {
    const copy = Object.assign(new Error("ENOSPC: no space left on device, copyfile '/tmp/x/model.onnx' -> '/home/models/.staging-1/model.onnx'"), {
      code: 'ENOSPC',
      syscall: 'copyfile',
      path: '/tmp/x/model.onnx',
      dest: '/home/models/.staging-1/model.onnx',
    });
    const said = systemErrorInWords(copy);
    expect(said).toBeInstanceOf(OutputWriteError);
    expect((said as Error).message).toBe('cannot write /home/models/.staging-1/model.onnx: the disk is full (ENOSPC)');
    // One that may come of a read is not said to be a write.
    const missing = Object.assign(new Error("ENOENT: no such file or directory, open '/x/cfg.json'"), { code: 'ENOENT', syscall: 'open', path: '/x/cfg.json' });
    expect((systemErrorInWords(missing) as Error).message).toBe('/x/cfg.json: no such file or folder (ENOENT)');
    expect(systemErrorInWords(missing)).toBeInstanceOf(FileAccessError);
    // A loop of symbolic links met reading (`registry list`) is no write failure either.
    const loop = Object.assign(new Error("ELOOP: too many symbolic links encountered, open '/x/loopA/registry.json'"), { code: 'ELOOP', syscall: 'open', path: '/x/loopA/registry.json' });
    expect(formatError(systemErrorInWords(loop))).toBe('[FILE_ACCESS_FAILED] /x/loopA/registry.json: a loop of symbolic links (ELOOP)');
    // A folder to be made where a file stands: said so, not a bare EEXIST.
    const folder = Object.assign(new Error("EEXIST: file already exists, mkdir '/x/notes.txt'"), { code: 'EEXIST', syscall: 'mkdir', path: '/x/notes.txt' });
    expect((systemErrorInWords(folder) as Error).message).toBe('/x/notes.txt: a file stands where a folder is needed (EEXIST)');
    const plain = new Error('no champion');
    expect(systemErrorInWords(plain)).toBe(plain);
    // As a command's error: in words, exit code 1.
    const err = captureStream();
    const ctx = createContext({ env: {}, cwd: dir, stdout: captureStream().stream, stderr: err.stream });
    const failing = (program: Command) => {
      program.command('fail').action(() => {
        throw copy;
      });
    };
    expect(await runProgram(buildProgramOf(ctx, [failing]), ['fail'], ctx)).toBe(1);
    expect(err.text()).toBe('mailroute: [OUTPUT_WRITE_FAILED] cannot write /home/models/.staging-1/model.onnx: the disk is full (ENOSPC)\n');
  });
});
