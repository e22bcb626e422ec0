import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/** Whether a process of this machine is alive (EPERM: alive, someone else's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This process's PID namespace (`pid:[4026531836]` on Linux); '' where it cannot be read. */
function pidNamespace(): string {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return '';
  }
}

/**
 * This process's PID namespace, recorded beside the host name wherever a pid is (a lock's holder, a run): containers
 * that share a host name (`--network host`, a fixed `hostname:`) and a folder each number their processes on their
 * own, so by host name alone one's live writer read as a dead pid to the other, which broke its lock.
 */
export const PID_NAMESPACE = pidNamespace();

/**
 * Whether a pid recorded with `host` and `namespace` can be checked by `processAlive` here: this host, and this PID
 * namespace when both sides know theirs (a record without one, as older versions wrote, is taken for this one's).
 */
export function pidsComparable(host: unknown, namespace: unknown, here: { host: string; namespace: string } = { host: hostname(), namespace: PID_NAMESPACE }): boolean {
  return host === here.host && (typeof namespace !== 'string' || namespace === '' || here.namespace === '' || namespace === here.namespace);
}

/**
 * When process `pid` started, in clock ticks since boot (Linux: field 22 of `/proc/<pid>/stat`), as text; undefined
 * where it cannot be read (another system, no such process). Recorded beside a pid, it tells the process that wrote
 * it from a later one given the same pid: a pid says only that some process has that number now.
 */
export function processStartTime(pid: number = process.pid): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid ...`: comm may hold blanks and parentheses, so the fields are counted after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const started = fields[19];
    return started !== undefined && /^\d+$/.test(started) ? started : undefined;
  } catch {
    return undefined;
  }
}

/** This process's start time (`processStartTime`), read once. */
export const PROCESS_STARTED = processStartTime();

/**
 * Whether the process that recorded `pid` (and, when it did, its start time `started`) is alive: a live process of
 * that pid that started at another time is another process, the recorder's pid used again.
 */
export function recordedProcessAlive(pid: number, started: unknown): boolean {
  if (!processAlive(pid)) return false;
  if (typeof started !== 'string') return true;
  const now = processStartTime(pid);
  return now === undefined || now === started;
}
