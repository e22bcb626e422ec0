import { mkdtempSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { ensureDemoChampion, writeDemoData } from '@mailroute/training';
import { afterAll, beforeAll } from 'vitest';
import { createContext, type CliContext } from './context.js';
import { main } from './main.js';

/** The files under a folder (none when it is missing), as paths relative to it, sorted. */
export async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(folder, path.join(e.parentPath, e.name))).sort();
}

/** A writable stream that keeps what was written, for checking a command's output in tests. */
export function captureStream(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `mailroute <argv>` in process with captured output and the given environment, cwd or home. */
export async function runCli(argv: string[], overrides: Partial<Omit<CliContext, 'stdout' | 'stderr'>> = {}): Promise<CliRun> {
  const out = captureStream();
  const err = captureStream();
  const ctx = createContext({ env: {}, cwd: process.cwd(), ...overrides, stdout: out.stream, stderr: err.stream });
  const code = await main(argv, ctx);
  return { code, stdout: out.text(), stderr: err.text() };
}

/** A folder for one test file's runs of mailroute: its `home` holds a small demo champion. */
export interface DemoChampionFolder {
  dir: string;
  home: string;
  /** The champion's id, known once the file's tests start. */
  champion: { id: string };
  /** Runs `mailroute <argv>` in the folder with its home (and CI=true: progress as plain lines). */
  run: (argv: string[]) => Promise<CliRun>;
}

/**
 * A temporary folder made for the calling test file: before its tests, a demo champion trained on 400 rows in
 * `home` and `test.csv`, `testRows` other demo emails; removed after them.
 */
export function demoChampionFolder(prefix: string, testRows: number): DemoChampionFolder {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const home = path.join(dir, 'home');
  const champion = { id: '' };
  beforeAll(async () => {
    champion.id = (await ensureDemoChampion({ home, rows: 400 })).id;
    await writeDemoData(path.join(dir, 'test.csv'), { rows: testRows, seed: 99 });
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, home, champion, run: (argv) => runCli(argv, { env: { CI: 'true', MAILROUTE_HOME: home }, cwd: dir }) };
}
