import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../pipeline/train-from-config.js';
import { processAlive } from '@mailroute/model';
import { gitCommit, gitDirty, listRuns, readRun, RUN_STALE_MS, RunTracker } from './run-record.js';

/** `text` as a regular expression matches it. */
const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  const pid = Number(child.stdout.toString());
  expect(processAlive(pid)).toBe(false);
  return pid;
}

describe('run records', () => {
  it('reads a run left running by a process that is gone as interrupted; a live one stays running', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-runs-'));
    const live = await RunTracker.start(home, { runId: 'run-live', gitCommit: null, config: {}, dataPaths: [] });
    expect((await readRun(home, live.runId)).status).toBe('running');
    const dir = path.join(home, 'runs', 'run-killed');
    mkdirSync(dir, { recursive: true });
    const record = { runId: 'run-killed', status: 'running', startedAt: '2026-11-30T05:00:00Z', gitCommit: null, config: {}, dataPaths: [], epochs: [], pid: deadPid(), host: os.hostname() };
    writeFileSync(path.join(dir, 'run.json'), JSON.stringify(record));
    expect((await listRuns(home)).map((r) => [r.runId, r.status])).toEqual([
      [live.runId, 'running'],
      ['run-killed', 'interrupted'],
    ]);
    // Another machine's run cannot be checked by its pid: it stays as written while its record is being written.
    const file = path.join(dir, 'run.json');
    writeFileSync(file, JSON.stringify({ ...record, host: 'elsewhere' }));
    expect((await readRun(home, 'run-killed')).status).toBe('running');
    // Unwritten for over a day (a run writes its record at every epoch), it is gone: a container stopped, a host
    // renamed. So is a run of this machine whose pid is alive again, now another process's.
    const stale = (Date.now() - RUN_STALE_MS - 60_000) / 1000;
    utimesSync(file, stale, stale);
    expect((await readRun(home, 'run-killed')).status).toBe('interrupted');
    writeFileSync(file, JSON.stringify({ ...record, pid: process.pid }));
    expect((await readRun(home, 'run-killed')).status).toBe('running');
    utimesSync(file, stale, stale);
    expect((await readRun(home, 'run-killed')).status).toBe('interrupted');
  });

  it('names no model for a run whose process ended while registering it, the registry never having taken it', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-runs-'));
    const dir = path.join(home, 'runs', 'run-registering');
    mkdirSync(dir, { recursive: true });
    // Recorded before registering (metrics, model id, file hashes); then the process was killed (a second SIGTERM).
    const metrics = { mean_macro_f1: 0.81 };
    const record = { runId: 'run-registering', status: 'running', startedAt: '2026-11-30T05:00:00Z', gitCommit: null, config: {}, dataPaths: [], epochs: [], pid: deadPid(), host: os.hostname(), metrics, modelId: 'ngram-bag-never-registered', artifactFiles: { 'model.onnx': 'ab' } };
    writeFileSync(path.join(dir, 'run.json'), JSON.stringify(record));
    const [run] = await listRuns(home);
    expect(run).toMatchObject({ status: 'interrupted', metrics });
    expect([run.modelId, run.artifactFiles]).toEqual([undefined, undefined]);
    expect((await readRun(home, 'run-registering')).modelId).toBeUndefined();
  });

  it('reads no record outside the runs folder: an id with a path separator or .. names no run', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-runs-'));
    await RunTracker.start(home, { runId: 'run-a', gitCommit: null, config: {}, dataPaths: [] });
    // A record that a path out of runs/ would reach: ../runs/run-a is the same folder seen from above.
    for (const id of ['../runs/run-a', 'run-a/../run-a', '..', '.', '', 'run-a\\x']) {
      await expect(readRun(home, id)).rejects.toMatchObject({ code: 'RUN_NOT_FOUND', message: expect.stringContaining('without / or') });
    }
    expect((await readRun(home, 'run-a')).runId).toBe('run-a');
  });

  it('records each epoch at once, without waiting for the event loop (a killed process keeps its epochs)', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-runs-'));
    const run = await RunTracker.start(home, { runId: 'run-epochs', gitCommit: null, config: {}, dataPaths: [] });
    const epoch = { epoch: 1, loss: 0.5, learningRate: 0.08, valLoss: null, perTask: {}, meanF1: null, seconds: 1, samplesPerSecond: 100 };
    void run.epoch(epoch); // not awaited: as the training loop calls it
    void run.epoch({ ...epoch, epoch: 2 });
    expect(readFileSync(path.join(home, 'runs', 'run-epochs', 'epochs.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(JSON.parse(readFileSync(path.join(home, 'runs', 'run-epochs', 'run.json'), 'utf8')).epochs).toHaveLength(2);
  });

  it('removes the run.json temp files of killed runs when runs are listed or a run starts, not those of live processes', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-runs-'));
    const dir = path.join(home, 'runs', 'run-killed');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ runId: 'run-killed', status: 'failed', startedAt: '2026-11-30T05:00:00Z', gitCommit: null, config: {}, dataPaths: [], epochs: [] }));
    const host = os.hostname().replace(/[^A-Za-z0-9-]/g, '-');
    const dead = deadPid();
    // Left by a kill during a write of the record (an update, or an older version's epoch write), which that run never writes again.
    const abandoned = [`.run.json.${host}.${dead}.0badc0de.tmp`, `run.json.${dead}.tmp`];
    const kept = [`.run.json.${host}.${process.ppid}.0badc0de.tmp`, `.run.json.other-host.${dead}.0badc0de.tmp`, 'epochs.jsonl'];
    for (const name of [...abandoned, ...kept]) writeFileSync(path.join(dir, name), 'half');
    expect((await listRuns(home)).map((r) => r.runId)).toEqual(['run-killed']);
    expect(readdirSync(dir).sort()).toEqual([...kept, 'run.json'].sort());
    // A new run clears them too: the next write under runs/.
    for (const name of abandoned) writeFileSync(path.join(dir, name), 'half');
    await RunTracker.start(home, { runId: 'run-next', gitCommit: null, config: {}, dataPaths: [] });
    expect(readdirSync(dir).sort()).toEqual([...kept, 'run.json'].sort());
  });

  it('leaves no temp file when an epoch cannot replace run.json', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-runs-'));
    const tracker = await RunTracker.start(home, { runId: 'run-epoch', gitCommit: null, config: {}, dataPaths: [] });
    const file = path.join(tracker.dir, 'run.json');
    // run.json made a folder with a file in it: the rename over it fails, as a write cut off by a kill would end.
    rmSync(file);
    mkdirSync(path.join(file, 'x'), { recursive: true });
    const epoch = { epoch: 1, loss: 0.5, learningRate: 0.1, valLoss: null, perTask: {}, meanF1: null, seconds: 1, samplesPerSecond: 10 };
    expect(() => tracker.epoch(epoch)).toThrow();
    expect(readdirSync(tracker.dir).sort()).toEqual(['epochs.jsonl', 'run.json']);
  });

  it('leaves no run folder without its record when the first record cannot be written (a full disk), and says what to do', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-runs-'));
    const file = path.join(home, 'runs', 'run-full', 'run.json');
    // As writeFileAtomic fails on a full disk: the folder was made (it takes no room), its first file cannot be written.
    const full = Object.assign(new Error(`ENOSPC: no space left on device, write (writing ${file})`), { code: 'ENOSPC', syscall: 'write', path: file });
    const starting = RunTracker.start(home, { runId: 'run-full', gitCommit: null, config: {}, dataPaths: [] }, { writeRecord: () => Promise.reject(full) });
    await expect(starting).rejects.toMatchObject({
      code: 'TRAINING_WRITE_FAILED',
      cause: full,
      message: expect.stringMatching(
        new RegExp(`^cannot write ${esc(file)}: the disk is full \\(ENOSPC\\); training records its run in ${esc(path.dirname(file))}, then registers the model in ${esc(path.join(home, 'models'))}: free space on the file system of ${esc(home)} \\([\\d.]+ [kMGT]?B free now\\), then train again$`),
      ),
    });
    expect(readdirSync(path.join(home, 'runs'))).toEqual([]);
    expect(await listRuns(home)).toEqual([]);
  });

  it('lists no runs only when runs/ is not there: one that cannot be read (a loop of links, a file) is said, not listed as empty', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-runs-'));
    try {
      expect(await listRuns(home)).toEqual([]);
      symlinkSync('runs-b', path.join(home, 'runs'));
      symlinkSync('runs', path.join(home, 'runs-b'));
      await expect(listRuns(home)).rejects.toMatchObject({ code: 'ELOOP', path: path.join(home, 'runs') });
      rmSync(path.join(home, 'runs'));
      writeFileSync(path.join(home, 'runs'), 'not a folder');
      await expect(listRuns(home)).rejects.toMatchObject({ code: 'ENOTDIR' });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('keeps the first line of a failed run\'s error, masked: it may quote a cell of the export', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-runs-'));
    const run = await RunTracker.start(home, { runId: 'run-failed', gitCommit: null, config: {}, dataPaths: [] });
    await run.fail(new Error('export.csv:16, column receivedAt: not a date/time: "Gruß, Herr Max Weber, IBAN DE89 3704 0044 0532 0130 00"\nmore'));
    expect((await readRun(home, 'run-failed')).error).toBe('export.csv:16, column receivedAt: not a date/time: "Gruß, Herr [NAME], IBAN [IBAN]"');
  });

  it("keeps the run's warnings in order, masked, with its next write; a record from before them reads without", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-runs-'));
    const run = await RunTracker.start(home, { runId: 'run-warned', gitCommit: null, config: {}, dataPaths: [] });
    run.warn('old.csv has no column "topic" (another file has it: a task added since this export?)');
    run.warn('queue: label "Max Weber <max.weber@example.com>" is not in the queue taxonomy');
    await run.update({ dataHash: 'h' });
    const warnings = ['old.csv has no column "topic" (another file has it: a task added since this export?)', 'queue: label "[NAME] <[EMAIL]>" is not in the queue taxonomy'];
    expect((await readRun(home, 'run-warned')).warnings).toEqual(warnings);
    run.warn('topic: its threshold reaches the target precision on only 3 validation emails');
    await run.finish({});
    expect((await readRun(home, 'run-warned')).warnings).toEqual([...warnings, 'topic: its threshold reaches the target precision on only 3 validation emails']);
    // A run.json written before warnings were kept has no such key, and reads as before.
    const older = path.join(home, 'runs', 'run-older');
    mkdirSync(older);
    writeFileSync(path.join(older, 'run.json'), JSON.stringify({ runId: 'run-older', status: 'finished', startedAt: '2026-12-01T09:00:00.000Z', gitCommit: null, config: {}, dataPaths: [], epochs: [] }));
    expect((await readRun(home, 'run-older')).warnings).toBeUndefined();
  });

  it('names a damaged record instead of calling the run missing, and lists the others', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-runs-'));
    await RunTracker.start(home, { runId: 'run-ok', gitCommit: null, config: {}, dataPaths: [] });
    mkdirSync(path.join(home, 'runs', 'run-bad'), { recursive: true });
    writeFileSync(path.join(home, 'runs', 'run-bad', 'run.json'), '{"runId": ');
    mkdirSync(path.join(home, 'runs', 'run-new'), { recursive: true }); // being created: no record yet
    await expect(readRun(home, 'run-bad')).rejects.toMatchObject({ code: 'RUN_RECORD_INVALID', message: expect.stringMatching(/run-bad\/run\.json: not JSON/) });
    await expect(readRun(home, 'run-new')).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    // As registry show names its ids: where it looked, and the command that lists them.
    await expect(readRun(home, 'run-nope')).rejects.toThrow(`no run "run-nope" in ${path.join(home, 'runs')}; mailroute runs list shows the ids`);
    // A shortened id (4 characters or more) or one typo away: the ids it may have meant, as registry show names them.
    await expect(readRun(home, 'run-o')).rejects.toThrow(`no run "run-o" in ${path.join(home, 'runs')}; did you mean run-ok?`);
    await expect(readRun(home, 'run-bda')).rejects.toThrow(/; did you mean run-bad\?$/);
    const damaged: string[] = [];
    expect((await listRuns(home, { onDamaged: (e) => damaged.push(e.message) })).map((r) => r.runId)).toEqual(['run-ok']);
    expect(damaged).toHaveLength(1);
  });

  it("records the mailroute checkout's commit wherever it is run from", () => {
    const inRepo = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: path.dirname(new URL(import.meta.url).pathname) });
    if (inRepo.status !== 0) return expect(gitCommit()).toBeNull();
    expect(gitCommit()).toBe(inRepo.stdout.toString().trim());
    expect(gitCommit(os.tmpdir())).toBeNull();
  });

  it('tells whether tracked files have uncommitted changes, in a repository of its own', () => {
    const repo = mkdtempSync(path.join(os.tmpdir(), 'mailroute-git-'));
    const git = (...args: string[]) => spawnSync('git', args, { cwd: repo });
    if (git('init', '-q').status !== 0) return expect(gitDirty(repo)).toBeUndefined(); // no git here
    writeFileSync(path.join(repo, 'a.txt'), 'one');
    git('add', 'a.txt');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'one');
    expect(gitDirty(repo)).toBe(false);
    writeFileSync(path.join(repo, 'a.txt'), 'two');
    expect(gitDirty(repo)).toBe(true);
    expect(gitDirty(os.tmpdir())).toBeUndefined();
  });

  it("removes the training scratch of processes that are gone, not of live ones", async () => {
    const stale = path.join(os.tmpdir(), `mailroute-train-${deadPid()}-zz`);
    const mine = await scratchDir();
    const parent = path.join(os.tmpdir(), `mailroute-train-${process.ppid}-zz`);
    mkdirSync(stale, { recursive: true });
    mkdirSync(parent, { recursive: true });
    const next = await scratchDir();
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(parent)).toBe(true);
    expect(existsSync(mine)).toBe(true);
    expect(path.basename(next)).toMatch(new RegExp(`^mailroute-train-${process.pid}-`));
    for (const d of [mine, next, parent]) rmSync(d, { recursive: true, force: true });
  });

  it("leaves scratch it may not remove (another user's on a shared /tmp) and makes its own", async () => {
    const theirs = path.join(os.tmpdir(), `mailroute-train-${deadPid()}-theirs`);
    mkdirSync(theirs, { recursive: true });
    const denied = Object.assign(new Error(`EACCES: permission denied, rmdir '${theirs}'`), { code: 'EACCES' });
    const tried: string[] = [];
    const mine = await scratchDir((dir) => {
      tried.push(dir);
      return Promise.reject(denied);
    });
    expect(tried).toContain(theirs);
    expect(existsSync(mine)).toBe(true);
    for (const d of [mine, theirs]) rmSync(d, { recursive: true, force: true });
  });
});
