import { existsSync, mkdtempSync, readdirSync, readFileSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withFileLock, type HeldLock } from './lock.js';
import { PID_NAMESPACE, pidsComparable, PROCESS_STARTED } from './process-alive.js';

const dir = () => mkdtempSync(path.join(os.tmpdir(), 'mailroute-lock-'));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** A real wait that also notes how long each one was asked to be. */
const countingSleep = (waits: number[]) => async (ms: number) => {
  waits.push(ms);
  await sleep(ms);
};
/** What `promise` came to within `ms`: still pending is an answer too (a writer spinning never settles). */
const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise.then((value) => ({ value }), (error: unknown) => ({ error })), sleep(ms).then(() => ({ pending: ms }))]);
const past = (file: string, seconds: number) => utimesSync(file, new Date(Date.now() - seconds * 1000), new Date(Date.now() - seconds * 1000));

describe('withFileLock', () => {
  it('names the lock file when its holder cannot write its record (a full disk: Node names no file), and leaves no lock', async () => {
    const home = dir();
    const file = path.join(home, 'registry.lock');
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    let ran = false;
    const taking = withFileLock(file, async () => void (ran = true), {}, { beforeHolderWrite: () => Promise.reject(full) });
    await expect(taking).rejects.toMatchObject({ code: 'ENOSPC', path: file, message: `ENOSPC: no space left on device, write (writing ${file})` });
    expect(ran).toBe(false);
    expect(readdirSync(home)).toEqual([]);
  });

  it('takes over the lock of a dead holder and of a holder that crashed before or while writing its pid', async () => {
    for (const content of [JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname() }), '', '{"pid": 12']) {
      const home = dir();
      const file = path.join(home, 'registry.lock');
      writeFileSync(file, content);
      // Empty, or cut short, for 5 s: its writer died between creating and writing it (or while writing it).
      if (!content.endsWith('}')) past(file, 5);
      await expect(withFileLock(file, async () => 'ran', { timeoutMs: 1_000 })).resolves.toBe('ran');
      expect(readdirSync(home)).toEqual([]); // the lock and the stale file moved aside are both gone
    }
  });

  it("judges a holder by its pid only in this PID namespace: a dead-looking pid of another container with this host name waits for staleness", async () => {
    // Written as this process writes its own (its host and PID namespace), without a namespace (an older version), and
    // as another namespace's on this host.
    const cases = [[PID_NAMESPACE, true], [undefined, true], ['pid:[1]', PID_NAMESPACE === '' || PID_NAMESPACE === 'pid:[1]']] as const;
    for (const [pidNamespace, takenAtOnce] of cases) {
      const home = dir();
      const file = path.join(home, 'registry.lock');
      writeFileSync(file, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), ...(pidNamespace === undefined ? {} : { pidNamespace }) }));
      const taken = withFileLock(file, async () => 'ran', { timeoutMs: 600, staleMs: 60_000 });
      if (takenAtOnce) await expect(taken).resolves.toBe('ran');
      else await expect(taken).rejects.toMatchObject({ code: 'REGISTRY_LOCK_TIMEOUT' });
    }
    const here = { host: 'vm', namespace: 'pid:[7]' };
    expect(pidsComparable('vm', 'pid:[7]', here)).toBe(true);
    expect(pidsComparable('vm', 'pid:[8]', here)).toBe(false);
    // A record without a namespace (written before it was kept) is this host's, as before; another host's never is.
    expect(pidsComparable('vm', undefined, here)).toBe(true);
    expect(pidsComparable('other', 'pid:[7]', here)).toBe(false);
    // What this process writes: the bare host name, so older versions still judge its pid.
    const mine = path.join(dir(), 'registry.lock');
    await withFileLock(mine, async () => expect(JSON.parse(readFileSync(mine, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() }));
  });

  it('waits for a live holder and gives up with a clear error; an empty lock just created is not stale', async () => {
    const file = path.join(dir(), 'registry.lock');
    writeFileSync(file, JSON.stringify({ pid: process.pid, host: hostname(), at: '2026-12-04T10:00:00.000Z' }));
    // The message names the holder, and how the lock comes to be taken for stale.
    await expect(withFileLock(file, async () => 'ran', { timeoutMs: 100 })).rejects.toMatchObject({
      code: 'REGISTRY_LOCK_TIMEOUT',
      message: expect.stringMatching(
        new RegExp(`^registry is locked by another writer \\(.*registry\\.lock: process ${process.pid} on ${hostname()} since 2026-12-04T10:00:00\\.000Z, refreshed \\d+ s ago; taken for stale at once when that process is gone from this host \\(while it lives, however long it holds the lock\\), or once not refreshed for 120 s when it is another host's: if no mailroute command runs, delete the file\\)$`),
      ),
    });
    writeFileSync(file, ''); // being written right now by its holder
    await expect(withFileLock(file, async () => 'ran', { timeoutMs: 100 })).rejects.toMatchObject({ code: 'REGISTRY_LOCK_TIMEOUT' });
  });

  it('a holder taken for dead (another host\'s, no heartbeat past staleMs) does not remove its successor\'s lock when it ends, nor write after it', async () => {
    const file = path.join(dir(), 'registry.lock');
    // Holders that cannot be asked (another host's): judged by their heartbeat alone.
    const elsewhere = { sleep, holderAlive: () => undefined };
    let releaseFirst = () => undefined as void;
    let releaseSecond = () => undefined as void;
    let firstLock: HeldLock | undefined;
    const first = withFileLock(file, (lock) => new Promise<string>((resolve) => {
      firstLock = lock;
      releaseFirst = () => resolve('first');
    }), { staleMs: 100, heartbeatMs: 0 }, elsewhere);
    await sleep(30);
    let entered = () => undefined as void;
    const secondIn = new Promise<void>((resolve) => (entered = resolve));
    const second = withFileLock(file, () => new Promise<string>((resolve) => {
      releaseSecond = () => resolve('second');
      entered();
    }), { staleMs: 100, timeoutMs: 5_000 }, elsewhere);
    await secondIn; // the first holder's lock went stale: the second took it over
    // The first, going on, finds its lock another's before it writes.
    await expect(firstLock?.check()).rejects.toMatchObject({ code: 'REGISTRY_LOCK_LOST', message: expect.stringContaining("registry.lock is no longer this writer's lock (another writer holds it now") });
    releaseFirst();
    await expect(first).resolves.toBe('first');
    expect(existsSync(file)).toBe(true); // still the second one's
    await expect(withFileLock(file, async () => 'third', { staleMs: 100, timeoutMs: 150 })).rejects.toMatchObject({ code: 'REGISTRY_LOCK_TIMEOUT' });
    releaseSecond();
    await expect(second).resolves.toBe('second');
    expect(existsSync(file)).toBe(false);
  });

  it('never takes the lock of a live process of this host for stale by its age (paused: SIGSTOP, docker pause), only of a dead one or a pid used again', async () => {
    const home = dir();
    const file = path.join(home, 'registry.lock');
    // This process's own record (a live pid of this host and namespace), not refreshed for 10 minutes: a paused writer.
    const live = { pid: process.pid, host: hostname(), ...(PID_NAMESPACE === '' ? {} : { pidNamespace: PID_NAMESPACE }), ...(PROCESS_STARTED === undefined ? {} : { started: PROCESS_STARTED }) };
    writeFileSync(file, JSON.stringify(live));
    past(file, 600);
    await expect(withFileLock(file, async () => 'ran', { staleMs: 1_000, timeoutMs: 200 })).rejects.toMatchObject({ code: 'REGISTRY_LOCK_TIMEOUT' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(live); // left to its holder
    // The same pid with another start time is another process now (the holder's pid used again): its lock goes at once.
    if (PROCESS_STARTED !== undefined) {
      writeFileSync(file, JSON.stringify({ ...live, started: String(Number(PROCESS_STARTED) + 1) }));
      await expect(withFileLock(file, async () => 'ran', { staleMs: 60_000, timeoutMs: 1_000 })).resolves.toBe('ran');
    }
    // What a holder records: its start time too, so that a later process of its pid is not taken for it.
    await withFileLock(file, async () => expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid, ...(PROCESS_STARTED === undefined ? {} : { started: PROCESS_STARTED }) }));
    // Another host's holder cannot be asked: its lock is stale once not refreshed for staleMs.
    writeFileSync(file, JSON.stringify({ ...live, host: 'another-host' }));
    past(file, 600);
    await expect(withFileLock(file, async () => 'ran', { staleMs: 1_000, timeoutMs: 1_000 })).resolves.toBe('ran');
    expect(readdirSync(home)).toEqual([]);
  });

  it('check() fails with REGISTRY_LOCK_LOST once the lock file is no longer the holder\'s (replaced or deleted), and the other\'s stays', async () => {
    const file = path.join(dir(), 'registry.lock');
    const other = JSON.stringify({ pid: 2 ** 22 + 12345, host: 'another-host' });
    await withFileLock(file, async (lock) => {
      await expect(lock.check()).resolves.toBeUndefined();
      unlinkSync(file);
      await expect(lock.check()).rejects.toMatchObject({ code: 'REGISTRY_LOCK_LOST', message: expect.stringContaining('(it was deleted') });
      writeFileSync(file, other);
      await expect(lock.check()).rejects.toMatchObject({ code: 'REGISTRY_LOCK_LOST', message: expect.stringContaining('(another writer holds it now') });
    });
    expect(readFileSync(file, 'utf8')).toBe(other);
  });

  it('keeps its lock fresh while it holds it, so a long write is not taken for a crash', async () => {
    const file = path.join(dir(), 'registry.lock');
    let inside = 0;
    const hold = async (ms: number) => {
      inside += 1;
      expect(inside).toBe(1);
      await sleep(ms);
      inside -= 1;
      return ms;
    };
    const long = withFileLock(file, () => hold(1_000), { staleMs: 300 });
    await sleep(20);
    await expect(withFileLock(file, () => hold(1), { staleMs: 300, timeoutMs: 700 })).rejects.toMatchObject({ code: 'REGISTRY_LOCK_TIMEOUT' });
    await expect(long).resolves.toBe(1_000);
  });

  it('lets writers racing to break the same stale lock in one at a time, and clears a break file left by a crashed breaker', async () => {
    const home = dir();
    const file = path.join(home, 'registry.lock');
    writeFileSync(file, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname() }));
    writeFileSync(`${file}.break`, '');
    past(`${file}.break`, 60);
    let inside = 0;
    let most = 0;
    const run = () =>
      withFileLock(file, async () => {
        inside += 1;
        most = Math.max(most, inside);
        await sleep(10);
        inside -= 1;
      }, { timeoutMs: 5_000 });
    await Promise.all(Array.from({ length: 6 }, run));
    expect(most).toBe(1);
    expect(readdirSync(home)).toEqual([]);
  });

  it('waits (sleeping, not spinning) while another writer breaks a stale lock: gives up at its timeout, gets in once the breaker is done', async () => {
    const home = dir();
    const file = path.join(home, 'registry.lock');
    writeFileSync(file, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname() }));
    writeFileSync(`${file}.break`, ''); // fresh: its breaker is at work (or crashed a moment ago)
    const waits: number[] = [];
    const timedOut = withFileLock(file, async () => 'ran', { timeoutMs: 200 }, { sleep: countingSleep(waits) });
    expect(await within(timedOut, 2_000)).toMatchObject({ error: { code: 'REGISTRY_LOCK_TIMEOUT' } });
    expect(waits.length).toBeGreaterThan(0);
    for (const ms of waits) expect(ms).toBeGreaterThanOrEqual(5);

    // Every try that finds the break file taken is followed by a wait: the breaker finishes during the
    // third, and the next try breaks the lock and gets in without another.
    waits.length = 0;
    const sleepThenFinish = async (ms: number) => {
      waits.push(ms);
      if (waits.length === 3) unlinkSync(`${file}.break`);
      await sleep(ms);
    };
    expect(await within(withFileLock(file, async () => 'ran', { timeoutMs: 5_000 }, { sleep: sleepThenFinish }), 2_000)).toEqual({ value: 'ran' });
    expect(waits).toHaveLength(3);
    expect(readdirSync(home)).toEqual([]);
  });

  it('times out on a stale lock it cannot remove, instead of trying forever', async () => {
    // A name of the longest length a file may have: `<name>.break` cannot be created (ENAMETOOLONG).
    const file = path.join(dir(), 'l'.repeat(255));
    writeFileSync(file, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname() }));
    const waits: number[] = [];
    const tried = withFileLock(file, async () => 'ran', { timeoutMs: 100 }, { sleep: countingSleep(waits) });
    expect(await within(tried, 2_000)).toMatchObject({ error: { code: 'REGISTRY_LOCK_TIMEOUT' } });
    expect(waits.length).toBeGreaterThan(0);
    expect(existsSync(file)).toBe(true);
  });
});
