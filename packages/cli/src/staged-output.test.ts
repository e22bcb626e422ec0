import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureStream } from './test-support.js';
import { createContext } from './context.js';
import { InterruptedError } from './errors.js';
import { stagedInterrupt, writeStaged } from './staged-output.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-staged-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function context() {
  const signals = new EventEmitter();
  const exits: number[] = [];
  const ctx = createContext({ env: {}, cwd: dir, stdout: captureStream().stream, stderr: captureStream().stream, signals, exit: (code) => exits.push(code) });
  return { ctx, signals, exits };
}

/** An earlier run's report (a.txt, b.txt, pics/, stale.txt) beside a file of the user's. */
function earlierReport(name: string): string {
  const out = path.join(dir, name);
  mkdirSync(path.join(out, 'pics'), { recursive: true });
  for (const f of ['a.txt', 'b.txt', 'pics/1.svg', 'stale.txt']) writeFileSync(path.join(out, f), 'old');
  writeFileSync(path.join(out, 'notes.txt'), 'mine');
  return out;
}

const listing = (out: string) => readdirSync(out, { recursive: true }).map(String).sort();

/** Writes a new report: a.txt, pics/2.svg, then (unless stopped) b.txt; `between` runs after the first file. */
const newReport = (between: () => void) => async (d: string, signal: AbortSignal) => {
  await writeFile(path.join(d, 'a.txt'), 'new');
  mkdirSync(path.join(d, 'pics'));
  await writeFile(path.join(d, 'pics/2.svg'), 'new');
  between();
  signal.throwIfAborted();
  await writeFile(path.join(d, 'b.txt'), 'new');
};

describe('writeStaged', () => {
  it('swaps the new files in whole, removes the named old ones and keeps the user\'s', async () => {
    const out = earlierReport('whole');
    await writeStaged(context().ctx, 'whole', ['stale.txt', 'never-there.txt'], newReport(() => {}));
    expect(listing(out)).toEqual(['a.txt', 'b.txt', 'notes.txt', 'pics', path.join('pics', '2.svg')]);
    expect(readFileSync(path.join(out, 'b.txt'), 'utf8')).toBe('new');
    expect(readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('removes the hidden folder a killed run left, not one of a run still going', async () => {
    const out = earlierReport('abandoned');
    // A process that has exited: its pid names no live process.
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    const left = `.mailroute-partial-${gone}-0a1b2c3d`;
    const running = `.mailroute-partial-${process.pid}-4e5f6a7b`;
    for (const name of [left, running]) {
      mkdirSync(path.join(out, name));
      writeFileSync(path.join(out, name, 'a.txt'), 'half');
    }
    await writeStaged(context().ctx, 'abandoned', [], newReport(() => {}));
    expect(existsSync(path.join(out, left))).toBe(false);
    expect(existsSync(path.join(out, running, 'a.txt'))).toBe(true);
    expect(readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('new');
  });

  it('leaves the earlier files whole and no hidden folder when writing fails half-way', async () => {
    const out = earlierReport('failed');
    const before = listing(out);
    const failing = newReport(() => {
      throw new Error('disk full');
    });
    await expect(writeStaged(context().ctx, 'failed', ['stale.txt'], failing)).rejects.toThrow('disk full');
    expect(listing(out)).toEqual(before);
    expect(readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('old');
  });

  it('stops at Ctrl-C, leaving the earlier files whole; a second Ctrl-C quits at once, also leaving them', async () => {
    const out = earlierReport('interrupted');
    const before = listing(out);
    const once = context();
    await expect(writeStaged(once.ctx, 'interrupted', ['stale.txt'], newReport(() => once.signals.emit('SIGINT')))).rejects.toBeInstanceOf(InterruptedError);
    expect(listing(out)).toEqual(before);
    const twice = context();
    const quit = newReport(() => {
      twice.signals.emit('SIGINT');
      twice.signals.emit('SIGINT');
      // What the hidden folder held is gone before the process exits.
      expect(listing(out)).toEqual(before);
    });
    await expect(writeStaged(twice.ctx, 'interrupted', [], quit)).rejects.toBeInstanceOf(InterruptedError);
    expect(twice.exits).toEqual([130]);
    expect(listing(out)).toEqual(before);
    expect(once.signals.listenerCount('SIGINT') + twice.signals.listenerCount('SIGINT')).toBe(0);
  });

  it("under the command's own interrupt, answers Ctrl-C once, and its second Ctrl-C removes the hidden folder too; it leaves the interrupt listening", async () => {
    const out = earlierReport('command');
    const before = listing(out);
    const { ctx, signals, exits } = context();
    const err = captureStream();
    ctx.stderr = err.stream;
    const interrupt = stagedInterrupt(ctx, 'command');
    const quit = newReport(() => {
      signals.emit('SIGINT');
      signals.emit('SIGINT');
      expect(listing(out)).toEqual(before);
    });
    await expect(writeStaged(ctx, 'command', [], quit, [], interrupt)).rejects.toBeInstanceOf(InterruptedError);
    expect(exits).toEqual([130]);
    expect(err.text().match(/Ctrl-C: stopping/g)).toHaveLength(1);
    // The command's: released by the command, not by the write.
    expect(signals.listenerCount('SIGINT')).toBe(1);
    interrupt.release();
    // A Ctrl-C that came before the write: nothing is written.
    const early = context();
    const stopped = stagedInterrupt(early.ctx, 'command');
    early.signals.emit('SIGINT');
    await expect(writeStaged(early.ctx, 'command', [], newReport(() => {}), [], stopped)).rejects.toBeInstanceOf(InterruptedError);
    stopped.release();
    expect(listing(out)).toEqual(before);
  });

  it('removes a folder it created for a run that fails', async () => {
    await expect(writeStaged(context().ctx, 'new/deeper', [], newReport(() => { throw new Error('no'); }))).rejects.toThrow('no');
    expect(existsSync(path.join(dir, 'new'))).toBe(false);
    await writeStaged(context().ctx, 'new/deeper', [], newReport(() => {}));
    expect(listing(path.join(dir, 'new/deeper'))).toEqual(['a.txt', 'b.txt', 'pics', path.join('pics', '2.svg')]);
  });

  it('makes the files named owner-only 0600 whatever the umask, in a hidden folder only the owner reads; the others by the umask', async () => {
    const modeOf = (file: string) => statSync(file).mode & 0o777;
    for (const umask of [0o000, 0o022]) {
      const name = `private-${umask.toString(8)}`;
      const out = earlierReport(name);
      // An earlier run's mistakes.md left open to others is replaced by one of the owner's alone.
      writeFileSync(path.join(out, 'mistakes.md'), 'old');
      chmodSync(path.join(out, 'mistakes.md'), 0o644);
      const before = process.umask(umask);
      try {
        let hidden = -1;
        await writeStaged(context().ctx, name, [], async (d) => {
          hidden = modeOf(d);
          // Written as writeEvaluationReport writes its files: node's default mode, less the umask.
          await writeFile(path.join(d, 'mistakes.md'), 'masked mail');
          await writeFile(path.join(d, 'report.md'), 'figures');
        }, [], undefined, { ownerOnly: ['mistakes.md', 'predictions.jsonl'] });
        expect(hidden & 0o077, `umask ${umask.toString(8)}: hidden folder ${hidden.toString(8)}`).toBe(0);
        expect([modeOf(path.join(out, 'mistakes.md')), modeOf(path.join(out, 'report.md'))], `umask ${umask.toString(8)}`).toEqual([0o600, 0o666 & ~umask]);
        expect(readFileSync(path.join(out, 'mistakes.md'), 'utf8')).toBe('masked mail');
        // predictions.jsonl, named but not written this time: nothing made.
        expect(existsSync(path.join(out, 'predictions.jsonl'))).toBe(false);
      } finally {
        process.umask(before);
      }
    }
  });
});
