import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
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
  it('names the file in a system error of the write, which names none (a full disk)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-atomic-'));
    const file = path.join(dir, 'registry.json');
    async function* full() {
      yield '{';
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    }
    await expect(writeFileAtomicChunks(file, full())).rejects.toMatchObject({ code: 'ENOSPC', path: file, message: `ENOSPC: no space left on device, write (writing ${file})` });
    // An error that is no system error, or names its file already, stays as it was.
    async function* broken() {
      yield '{';
      throw new Error('model failed');
    }
    await expect(writeFileAtomicChunks(file, broken())).rejects.toThrow(/^model failed$/);
  });
  it("removes the temp files of earlier writes of the file whose process is gone, not another live writer's", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-atomic-'));
    const file = path.join(dir, 'preds.jsonl');
    // A pid no process has (above Linux's pid_max), and this process's parent's, which is alive.
    const dead = `.preds.jsonl.${2 ** 22 + 1}.0badc0de.tmp`;
    const live = `.preds.jsonl.${process.ppid}.0badc0de.tmp`;
    for (const name of [dead, live, '.other.jsonl.99999999.0badc0de.tmp']) writeFileSync(path.join(dir, name), 'half');
    await writeFileAtomicChunks(file, ['new\n']);
    expect(readdirSync(dir).sort()).toEqual([live, '.other.jsonl.99999999.0badc0de.tmp', 'preds.jsonl'].sort());
  });
});

describe('makeDirectory', () => {
  it('makes a folder and its parents', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-mkdir-')), 'runs', 'run-1');
    await makeDirectory(dir);
    expect(readdirSync(path.dirname(dir))).toEqual(['run-1']);
  });

  it('says a read-only file system, where Node 20 says a parent is missing (ENOENT)', async (context) => {
    const rw = mkdtempSync(path.join(os.tmpdir(), 'mailroute-mkdir-'));
    const ro = mkdtempSync(path.join(os.tmpdir(), 'mailroute-mkdir-ro-'));
    // A read-only bind mount needs root (and Linux); elsewhere the test has nothing to run on.
    if (spawnSync('mount', ['--bind', '-o', 'ro', rw, ro]).status !== 0) return context.skip('needs root to mount a read-only bind mount');
    try {
      await expect(makeDirectory(path.join(ro, 'runs', 'run-1'))).rejects.toMatchObject({ code: 'EROFS' });
    } finally {
      spawnSync('umount', [ro]);
    }
  });
});
