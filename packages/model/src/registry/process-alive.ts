import { readlinkSync } from 'node:fs';
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

/** `host`, with the PID namespace after a blank when there is one. */
export function processHostOf(host: string, namespace: string): string {
  return namespace === '' ? host : `${host} ${namespace}`;
}

/**
 * Where this process's pids mean something, as records of a pid name it (a lock's holder, a staging folder, a run):
 * the host name and, on Linux, the PID namespace. Containers that share a host name (`--network host`, a fixed
 * `hostname:`) and a folder each number their processes on their own: by host name alone, one's live writer read
 * as a dead pid to the other, which broke its lock.
 */
export const PROCESS_HOST = processHostOf(hostname(), pidNamespace());

/**
 * Whether a pid recorded with `recorded` (the writer's PROCESS_HOST) can be checked by `processAlive` here (`here`:
 * this process's). A bare host name, as versions before the namespace wrote, counts as this host's.
 */
export function pidsComparable(recorded: unknown, here = PROCESS_HOST): boolean {
  return recorded === here || (typeof recorded === 'string' && !recorded.includes(' ') && here.split(' ')[0] === recorded);
}
