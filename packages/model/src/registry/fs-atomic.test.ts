import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os, { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirectory, writeFileAtomicChunks } from './fs-atomic.js';

describe('writeFileAtomicChunks', () => {
  it('writes every chunk in order, from a generator, without a temp file left', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-atomic-'));
    const file = path.join(dir, 'out.jsonl');
    function* lines() {
      for (let i = 0; i < 3; i++) yield `{"n":${i}}\n`;
    }
    await writeFileAtomicChunks(file, lines());
    expect(readFileSync(file, 'utf8')).toBe('{"n":0}\n{"n":1}\n{"n":2}\n');
    expect(readdirSync(dir)).toEqual(['out.jsonl']);
  });

  it('leaves the old file and no temp file when a chunk fails half-way', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-atomic-'));
    const file = path.join(dir, 'out.jsonl');
    writeFileSync(file, 'old\n');
    async function* failing() {
      yield 'new 1\n';
      throw new Error('model failed');
    }
    await expect(writeFileAtomicChunks(file, failing())).rejects.toThrow('model failed');
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toEqual(['out.jsonl']);
  });
  it('names the file in an error of the write itself, which names none (ENOSPC on a full disk), not in errors of what it writes', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-atomic-'));
    const file = path.join(dir, 'registry.json');
    // An error of the file handle's write (a chunk it cannot write), as ENOSPC would be.
    async function* notText() {
      yield '{';
      yield 42 as unknown as string;
    }
    await expect(writeFileAtomicChunks(file, notText())).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', path: file, message: expect.stringMatching(/ \(writing .*registry\.json\)$/) });
    // An error of the chunks' source keeps its own words, code or not: it is not about this file.
    async function* reset() {
      yield '{';
      throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    }
    await expect(writeFileAtomicChunks(file, reset())).rejects.toThrow(/^read ECONNRESET$/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("removes the temp files of earlier writes of the file whose process is gone, not another live writer's", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-atomic-'));
    const file = path.join(dir, 'preds.jsonl');
    // A pid no process has (above Linux's pid_max), and this process's parent's, which is alive.
    const host = hostname().replace(/[^A-Za-z0-9-]/g, '-');
    const dead = `.preds.jsonl.${host}.${2 ** 22 + 1}.0badc0de.tmp`;
    const older = `.preds.jsonl.${2 ** 22 + 2}.0badc0de.tmp`; // written before temp names held the host
    const live = `.preds.jsonl.${host}.${process.ppid}.0badc0de.tmp`;
    const elsewhere = `.preds.jsonl.other-host.${2 ** 22 + 1}.0badc0de.tmp`; // a shared home: its pid says nothing here
    const kept = [live, elsewhere, '.other.jsonl.99999999.0badc0de.tmp'];
    for (const name of [dead, older, ...kept]) writeFileSync(path.join(dir, name), 'half');
    await writeFileAtomicChunks(file, ['new\n']);
    expect(readdirSync(dir).sort()).toEqual([...kept, 'preds.jsonl'].sort());
  });

  it('gives a file written with mode 0o600 that mode whatever the umask, and narrows a file it replaces to it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-atomic-'));
    const modeOf = (file: string) => statSync(file).mode & 0o777;
    for (const umask of [0o000, 0o022, 0o077]) {
      const before = process.umask(umask);
      try {
        const fresh = path.join(dir, `fresh-${umask.toString(8)}.jsonl`);
        await writeFileAtomicChunks(fresh, ['{}\n'], { mode: 0o600 });
        expect(modeOf(fresh), `umask ${umask.toString(8)}`).toBe(0o600);
        // One an older write left open to others (0644, 0666) is made owner-only; one narrower still (0400) stays so.
        for (const old of [0o644, 0o666, 0o400]) {
          const replaced = path.join(dir, `replaced-${umask.toString(8)}-${old.toString(8)}.jsonl`);
          writeFileSync(replaced, 'old\n');
          chmodSync(replaced, old);
          await writeFileAtomicChunks(replaced, ['new\n'], { mode: 0o600 });
          expect([readFileSync(replaced, 'utf8'), modeOf(replaced)], `umask ${umask.toString(8)}, was ${old.toString(8)}`).toEqual(['new\n', old & 0o600]);
        }
        // Without a mode: a new file by the umask, a file replaced keeping its own.
        const plain = path.join(dir, `plain-${umask.toString(8)}.json`);
        await writeFileAtomicChunks(plain, ['{}\n']);
        expect(modeOf(plain)).toBe(0o666 & ~umask);
        chmodSync(plain, 0o640);
        await writeFileAtomicChunks(plain, ['{}\n']);
        expect(modeOf(plain)).toBe(0o640);
      } finally {
        process.umask(before);
      }
    }
  });
});

describe('makeDirectory', () => {
  it('makes a folder and its parents', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-mkdir-')), 'runs', 'run-1');
    await makeDirectory(dir);
    expect(readdirSync(path.dirname(dir))).toEqual(['run-1']);
  });

  it('says a read-only file system, where Node 20 says a parent is missing (ENOENT)', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'mailroute-mkdir-'));
    // mkdir as Node 20 behaves on a read-only file system: the recursive call says ENOENT, one folder alone EROFS.
    const made: string[] = [];
    const readOnly = (async (dir: string, options?: { recursive?: boolean }) => {
      made.push(`${options?.recursive ? 'recursive' : 'alone'} ${path.relative(root, dir)}`);
      throw Object.assign(new Error(options?.recursive ? 'ENOENT: no such file or directory' : 'EROFS: read-only file system'), { code: options?.recursive ? 'ENOENT' : 'EROFS' });
    }) as unknown as typeof import('node:fs/promises').mkdir;
    await expect(makeDirectory(path.join(root, 'runs', 'run-1'), readOnly)).rejects.toMatchObject({ code: 'EROFS' });
    expect(made).toEqual([`recursive ${path.join('runs', 'run-1')}`, 'alone runs']);
  });
});
