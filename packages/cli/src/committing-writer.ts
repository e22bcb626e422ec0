import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Another process committing into `file` as fast as it can, as a busy server does: each commit one prediction and its
 * feedback, email id `w-<n>`. No checkpoint of its own, so every commit stays in the WAL until another connection's.
 */
export function committingWriter(file: string): ChildProcess {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.pragma('busy_timeout = 5000');
    db.pragma('wal_autocheckpoint = 0');
    const p = db.prepare("INSERT INTO predictions (prediction_id, email_id, model_id, created_at, labels, confidences, abstained, queue, latency_ms, text) VALUES (?, ?, 'm', ?, '{}', '{}', '{}', 'q', 1, ?)");
    const f = db.prepare("INSERT INTO feedback (email_id, prediction_id, labels, closed_at, received_at) VALUES (?, ?, '{}', ?, ?)");
    const text = 'x'.repeat(1000);
    let i = 0;
    const commit = db.transaction(() => { const id = 'w-' + i++; const now = new Date().toISOString(); p.run('p-' + id, id, now, text); f.run(id, 'p-' + id, now, now); });
    const tick = () => { for (let k = 0; k < 5; k++) commit(); setTimeout(tick, 1); };
    tick();`;
  return spawn(process.execPath, ['-e', script, file], { cwd: process.cwd(), stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Waits until `done()` holds, checking every 20 ms; throws after `ms`. */
export async function waitFor(done: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!done()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
