import { readdirSync } from 'node:fs';
import { Collected, type MetricsRegistry } from './prometheus.js';

/** Open file descriptors on Linux (`/proc/self/fd`, less the one that reads it); undefined elsewhere. */
function openFds(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length - 1;
  } catch {
    return undefined;
  }
}

/**
 * The process series an operator's dashboards expect of any service, under the names Prometheus' own client
 * libraries give them: CPU, resident memory, start time, open files, and the JavaScript heap. Read at each scrape.
 */
export function registerProcessMetrics(registry: MetricsRegistry): void {
  const startSeconds = Math.round(Date.now() / 1000 - process.uptime());
  registry.register(new Collected('process_cpu_seconds_total', 'User and system CPU time of the process (all its threads), in seconds.', 'counter', () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  }));
  registry.register(new Collected('process_resident_memory_bytes', 'Resident memory of the process, in bytes.', 'gauge', () => process.memoryUsage.rss()));
  registry.register(new Collected('process_start_time_seconds', 'When the process started, in seconds since the Unix epoch.', 'gauge', () => startSeconds));
  registry.register(new Collected('process_open_fds', 'Open file descriptors (Linux only; absent elsewhere).', 'gauge', openFds));
  registry.register(new Collected('nodejs_heap_size_used_bytes', 'JavaScript heap in use on the request thread, in bytes.', 'gauge', () => process.memoryUsage().heapUsed));
}
