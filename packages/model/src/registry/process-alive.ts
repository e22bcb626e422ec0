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
