/**
 * `npm run bench -- serving`: the served model, in process and over HTTP.
 * - In process: `Classifier.predict` latency per email (one at a time) and throughput in batches of 100.
 * - Over HTTP on loopback with autocannon (16 connections, MAILROUTE_BENCH_SECONDS, default 15 s each):
 *   POST /v1/classify with one email, and with batches of 100, side by side with a plain Hono route that
 *   answers a constant (the framework's ceiling here), loaded with the same two bodies; once, single emails on
 *   mailroute's app with a classifier that answers a constant (what the model leaves of the gap). Each server runs in its own child process;
 *   MAILROUTE_BENCH_ROUNDS rounds (default 3) of constant route and mailroute, the order alternating by round
 *   (odd rounds constant first), medians over rounds; then one more round in which `--model-threads 0` and the
 *   app without the model are paired with a constant run of their own. Requests cycle through 2,000 demo emails
 *   (single-email requests) or 20 batches of 100 of them, the constant route's the same.
 * The model is real: the demo champion trained by `ensureDemoChampion` into a temporary home; each server starts with an empty store.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { Classifier, createLocalRegistry } from '@mailroute/model';
import type { Email } from '@mailroute/preprocess';
import { ensureDemoChampion, generateDemoRows } from '@mailroute/training';
import { countFromEnv } from './lib/env.js';
import { median, percentile, type Figure, type SectionResult, type Table } from './lib/report.js';

const SECONDS = countFromEnv('MAILROUTE_BENCH_SECONDS', 15, 1, 600);
const CONNECTIONS = 16;
const ROUNDS = countFromEnv('MAILROUTE_BENCH_ROUNDS', 3, 1, 20);

function emails(n: number, seed = 7): Email[] {
  return generateDemoRows({ rows: n, seed }).map((r) => ({ id: r.id, subject: r.subject, body: r.body, from: r.from, bank: r.bank, receivedAt: r.receivedAt }));
}

async function inProcess(artifactDir: string, sample: Email[]) {
  const classifier = await Classifier.load(artifactDir);
  try {
    for (const e of sample.slice(0, 200)) await classifier.predict([e]); // warm-up
    const single: number[] = [];
    for (const e of sample) {
      const t = performance.now();
      await classifier.predict([e]);
      single.push(performance.now() - t);
    }
    single.sort((a, b) => a - b);
    const batchRates: number[] = [];
    for (let round = 0; round < 5; round++) {
      const t = performance.now();
      for (let i = 0; i + 100 <= sample.length; i += 100) await classifier.predict(sample.slice(i, i + 100));
      batchRates.push((Math.floor(sample.length / 100) * 100) / ((performance.now() - t) / 1000));
    }
    return { p50: median(single), p99: percentile(single, 0.99), batchPerSecond: median(batchRates) };
  } finally {
    await classifier.release();
  }
}

/** Runs `a` and `b` in the order of `round`: `a` first in odd rounds, `b` first in even ones. */
async function inRoundOrder<A, B>(round: number, a: () => Promise<A>, b: () => Promise<B>): Promise<[A, B]> {
  if (round % 2 === 1) {
    const first = await a();
    return [first, await b()];
  }
  const first = await b();
  return [await a(), first];
}

interface Child {
  url: string;
  cpu(): CpuSnapshot | undefined;
  stop(): Promise<number | null>;
}

/** CPU seconds (user + system) of a /proc stat file: a process's (all threads) or one thread's. */
function statCpuSeconds(file: string): number {
  const fields = readFileSync(file, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds a process has used so far (all threads, and per thread id), from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number | undefined): CpuSnapshot | undefined {
  try {
    const threads = new Map<string, number>();
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        threads.set(tid, statCpuSeconds(`/proc/${pid}/task/${tid}/stat`));
      } catch {
        // The thread ended between the listing and the read.
      }
    }
    return { total: statCpuSeconds(`/proc/${pid}/stat`), threads, main: String(pid) };
  } catch {
    return undefined;
  }
}

interface CpuSnapshot {
  total: number;
  /** CPU seconds per thread id. */
  threads: Map<string, number>;
  /** The main (request) thread's id: the process id. */
  main: string;
}

/** CPU used between two snapshots: all threads, the request thread, and the busiest other thread (seconds). */
function cpuUsed(before: CpuSnapshot, after: CpuSnapshot): { total: number; request: number; busiestOther: number } {
  let busiestOther = 0;
  for (const [tid, seconds] of after.threads) {
    if (tid !== after.main) busiestOther = Math.max(busiestOther, seconds - (before.threads.get(tid) ?? 0));
  }
  const request = (after.threads.get(after.main) ?? 0) - (before.threads.get(before.main) ?? 0);
  return { total: after.total - before.total, request, busiestOther };
}

/**
 * Removes the store a server child of an earlier round filled, so that every mailroute server starts from an empty
 * one: a round fills it with about 300,000 predictions (1 GB by the fourth round, years of mail at a bank's rate),
 * and the writer thread's cost per email rose by half with it (10 to 16 µs), a drift the alternating order does not cancel.
 */
async function emptyStore(home: string): Promise<void> {
  for (const db of ['mailroute.db', 'app-only.db']) for (const suffix of ['', '-wal', '-shm']) await rm(path.join(home, db + suffix), { force: true });
}

async function startChild(mode: 'mailroute' | 'constant' | 'app', home: string, modelThreads?: number): Promise<Child> {
  await emptyStore(home);
  const args = ['--import', 'tsx', path.resolve('bench/serving-child.ts'), mode, home, ...(modelThreads === undefined ? [] : [String(modelThreads)])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /LISTENING (\S+)/.exec(out);
      if (m) {
        clearInterval(timer);
        resolve(m[1]);
      }
    }, 20);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`${mode} server exited with ${code}`));
    });
  });
  return {
    url,
    cpu: () => cpuSeconds(child.pid),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => {
          const m = /\{"maxRssMiB":([\d.]+)\}/.exec(out);
          resolve(m ? Number(m[1]) : null);
        });
        child.kill('SIGTERM');
      }),
  };
}

interface LoadRow {
  name: string;
  reqPerSec: number;
  emailsPerSec: number;
  p50: number;
  p99: number;
  /** Failed requests: errors (autocannon counts its timeouts among them) and non-2xx answers. */
  errors: number;
  /** Of the errors, requests that timed out. */
  timeouts: number;
  /** Server CPU (all its threads) per email, microseconds. */
  cpuUsPerEmail: number | null;
  /** The request (main) thread's share of it. */
  requestCpuUsPerEmail: number | null;
  /**
   * The busiest other thread's CPU per email (in batches of 100: the model thread): a thread cannot pass
   * 1e6 / this many emails per second however many cores are free.
   */
  busiestOtherUsPerEmail: number | null;
  rssMiB: number | null;
}

/** CPU used, in microseconds per email, or nulls where /proc could not be read. */
function perEmail(used: ReturnType<typeof cpuUsed> | undefined, emails: number): Pick<LoadRow, 'cpuUsPerEmail' | 'requestCpuUsPerEmail' | 'busiestOtherUsPerEmail'> {
  if (!used || emails === 0) return { cpuUsPerEmail: null, requestCpuUsPerEmail: null, busiestOtherUsPerEmail: null };
  const us = (seconds: number) => (seconds * 1e6) / emails;
  return { cpuUsPerEmail: us(used.total), requestCpuUsPerEmail: us(used.request), busiestOtherUsPerEmail: us(used.busiestOther) };
}

/** A load run: every connection sends `bodies` in turn (each `emailsPerRequest` emails), from the first again after the last. */
async function load(name: string, child: Child, bodies: readonly string[], emailsPerRequest: number): Promise<Omit<LoadRow, 'rssMiB'>> {
  const options = () => ({ url: `${child.url}/v1/classify`, method: 'POST', headers: { 'content-type': 'application/json' }, requests: bodies.map((body) => ({ body })), connections: CONNECTIONS });
  await autocannon({ ...options(), duration: 2 }); // warm-up: JIT, model caches, SQLite pages
  const cpuBefore = child.cpu();
  const r = await autocannon({ ...options(), duration: SECONDS });
  const cpuAfter = child.cpu();
  return {
    name,
    reqPerSec: r.requests.average,
    emailsPerSec: r.requests.average * emailsPerRequest,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx,
    timeouts: r.timeouts,
    ...perEmail(cpuBefore && cpuAfter && cpuUsed(cpuBefore, cpuAfter), r.requests.total * emailsPerRequest),
  };
}

export async function run(): Promise<SectionResult> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'mailroute-bench-serving-'));
  try {
    const champion = await ensureDemoChampion({ home });
    const artifactDir = await createLocalRegistry({ home }).artifactDir(champion.id);
    const sample = emails(2000);
    const local = await inProcess(artifactDir, sample);

    // Each connection cycles through every email (or batch of 100) in turn, the constant route through the same bodies:
    // no one email's cost (or cache) stands for all.
    const one = sample.map((e) => JSON.stringify({ emails: [e] }));
    const hundred = Array.from({ length: Math.floor(sample.length / 100) }, (_, i) => JSON.stringify({ emails: sample.slice(i * 100, (i + 1) * 100) }));
    const rows: LoadRow[] = [];
    const loadBefore = os.loadavg()[0];
    // The constant route under both bodies: the ceiling of one-email requests, and of 100-email ones (the bytes still travel).
    const constantRun = async (round: number) => {
      const child = await startChild('constant', home);
      const row = await load(`constant Hono route, 1-email body (round ${round})`, child, one, 1);
      const batchRow = await load(`constant Hono route, 100-email body (round ${round})`, child, hundred, 100);
      const rss = await child.stop();
      rows.push({ ...row, rssMiB: rss }, { ...batchRow, rssMiB: rss });
      return { constant: row, constantBatch: batchRow };
    };
    const mailroute = async (label: string, modelThreads?: number) => {
      const server = await startChild('mailroute', home, modelThreads);
      const single = await load(`POST /v1/classify, 1 email${label}`, server, one, 1);
      const batch = await load(`POST /v1/classify, batch of 100${label}`, server, hundred, 100);
      const rss = await server.stop();
      rows.push({ ...single, rssMiB: rss }, { ...batch, rssMiB: rss });
      return { single, batch };
    };
    // The machine is shared, so its speed drifts: ROUNDS rounds of (constant route, served configuration), each
    // round's ratio from its own pair, and the medians over rounds reported. The order alternates by round.
    const rounds: Array<Record<'constant' | 'constantBatch' | 'single' | 'batch', Omit<LoadRow, 'rssMiB'>>> = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const [constant, served] = await inRoundOrder(round, () => constantRun(round), () => mailroute(` (round ${round})`));
      rounds.push({ ...constant, ...served });
    }
    // One more round for the configurations measured once, paired with a constant run of their own: every batch on the
    // request thread, and the app without the model (a classifier that answers a constant), single emails: what HTTP,
    // validation, the store and the answer cost, the rest of the gap to the constant route being the model's.
    const extra = ROUNDS + 1;
    const [paired, { onRequestThread, appOnly }] = await inRoundOrder(
      extra,
      () => constantRun(extra),
      async () => {
        const threadsZero = await mailroute(` (--model-threads 0, round ${extra})`, 0);
        const appServer = await startChild('app', home);
        const app = await load(`POST /v1/classify, 1 email, app without the model (constant classifier, round ${extra})`, appServer, one, 1);
        rows.push({ ...app, rssMiB: await appServer.stop() });
        return { onRequestThread: threadsZero, appOnly: app };
      },
    );
    const loadAfter = os.loadavg()[0];
    const constantReqPerSec = median(rounds.map((r) => r.constant.reqPerSec));
    const share = median(rounds.map((r) => r.single.reqPerSec / r.constant.reqPerSec));
    const singleP99 = median(rounds.map((r) => r.single.p99));
    const batchEmailsPerSec = median(rounds.map((r) => r.batch.emailsPerSec));
    const constantBatchEmailsPerSec = median(rounds.map((r) => r.constantBatch.emailsPerSec));
    const batchShare = median(rounds.map((r) => r.batch.emailsPerSec / r.constantBatch.emailsPerSec));
    const modelThreadUs = rounds.flatMap((r) => (r.batch.busiestOtherUsPerEmail === null ? [] : [r.batch.busiestOtherUsPerEmail]));

    const figures: Figure[] = [
      { name: 'in-process predict, 1 email, p50', value: local.p50, unit: 'ms' },
      { name: 'in-process predict, 1 email, p99', value: local.p99, unit: 'ms' },
      { name: 'in-process predict, batches of 100', value: local.batchPerSecond, unit: 'emails/s' },
      {
        name: 'HTTP single-email classify vs constant route',
        value: share,
        unit: 'ratio (target >= 0.30)',
        reference: { name: `constant route req/s (median of ${ROUNDS} rounds)`, value: constantReqPerSec },
      },
      { name: 'HTTP single-email p99 at 16 connections (median of rounds)', value: singleP99, unit: 'ms (target < 10)' },
      {
        name: 'HTTP emails/s in batches of 100 (median of rounds)',
        value: batchEmailsPerSec,
        unit: 'emails/s (target >= 20000)',
        reference: { name: `constant route with the 100-email body, emails/s (median of ${ROUNDS} rounds)`, value: constantBatchEmailsPerSec },
        note: `ratio ${batchShare.toFixed(3)} (median of per-round ratios)`,
      },
      ...(modelThreadUs.length === 0
        ? []
        : [{ name: 'HTTP batches of 100: busiest thread besides the request thread (the model thread), CPU per email (median of rounds)', value: median(modelThreadUs), unit: 'µs (that thread alone caps the rate at 1e6 / this emails/s)' }]),
      { name: 'HTTP errors (all runs)', value: rows.reduce((a, r) => a + r.errors, 0), unit: 'count (must be 0)', note: `of them timeouts: ${rows.reduce((a, r) => a + r.timeouts, 0)}` },
    ];
    const table: Table = {
      title: `HTTP on loopback: autocannon, ${CONNECTIONS} connections, ${SECONDS} s each (servers in child processes)`,
      columns: ['run', 'req/s', 'emails/s', 'p50 ms', 'p99 ms', 'errors', 'of them timeouts', 'server CPU µs/email', 'of it: request thread', 'busiest other thread', 'peak RSS MiB (server, over both its loads)'],
      rows: rows.map((r) => [
        r.name,
        Math.round(r.reqPerSec),
        Math.round(r.emailsPerSec),
        r.p50,
        r.p99,
        r.errors,
        r.timeouts,
        ...[r.cpuUsPerEmail, r.requestCpuUsPerEmail, r.busiestOtherUsPerEmail].map((us) => (us === null ? null : Math.round(us))),
        r.rssMiB === null ? null : Math.round(r.rssMiB),
      ]),
    };
    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
    return {
      section: 'serving',
      figures,
      tables: [table],
      notes: [
        `Model: ${champion.id}, the demo champion (ngram-bag, onnxruntime-node, 1 intra-op thread), trained in this run on synthetic demo data; request emails are demo rows: each connection cycles through 2,000 of them one per request, or through 20 batches of 100; the constant route gets the same bodies.`,
        'The mailroute server runs as `mailroute serve` does: batches of up to 32 emails (all the single-email traffic, merged per event-loop turn) scored on the request thread, bigger ones on a model worker thread (the `--model-threads 0` rows score every batch on the request thread), predictions committed to SQLite (WAL, writer thread) within 5 ms of their answer, many requests in one transaction (`--prediction-buffer-ms`), feedback before its answer; each server starts with an empty store; the constant route does no work.',
        `The app without the model (the same app, store and answers, a classifier that answers a constant: no cleaning, featurizing or ONNX), round ${extra}: ${Math.round(appOnly.reqPerSec)} req/s single (${((appOnly.reqPerSec / paired.constant.reqPerSec) * 100).toFixed(1)}% of the constant route in the same round, one run each)${appOnly.cpuUsPerEmail === null ? '' : `, ${Math.round(appOnly.cpuUsPerEmail)} µs of server CPU per email`}; the rest of mailroute's cost per email is the model's.`,
        `Model on the request thread (--model-threads 0), round ${extra}: ${Math.round(onRequestThread.single.reqPerSec)} req/s single (${((onRequestThread.single.reqPerSec / paired.constant.reqPerSec) * 100).toFixed(1)}% of the constant route in the same round), ${Math.round(onRequestThread.batch.emailsPerSec)} emails/s in batches of 100 (${((onRequestThread.batch.emailsPerSec / paired.constantBatch.emailsPerSec) * 100).toFixed(1)}% of the constant route's with the same bodies); one run each.`,
        "Server CPU per email counts all the server's threads (from /proc): what one email costs, less swayed than req/s by other work on the machine. Of it, the request thread's (HTTP, validation, answers) and the busiest other thread's (in batches of 100 the model thread: cleaning, featurizing, ONNX); one thread cannot pass 1e6 / its µs per email emails per second, whatever the machine's other cores do.",
        `${ROUNDS > 1 ? `Rounds 1-${ROUNDS} alternate the order (odd rounds: constant route first, even rounds: mailroute first). ` : ''}Per round, single-email share of the constant route: ${rounds.map((r) => `${((r.single.reqPerSec / r.constant.reqPerSec) * 100).toFixed(1)}%`).join(', ')}; p99 ${rounds.map((r) => `${r.single.p99} ms`).join(', ')}; batches of 100 ${rounds.map((r) => Math.round(r.batch.emailsPerSec)).join(', ')} emails/s. The figures above are the medians.`,
        `Targets: single-email >= 30% of the constant route: ${verdict(share >= 0.3)} (${(share * 100).toFixed(1)}%); p99 < 10 ms: ${verdict(singleP99 < 10)}; >= 20,000 emails/s in batches of 100: ${verdict(batchEmailsPerSec >= 20_000)}.`,
        `The load generator and the server share this machine's ${os.cpus().length} cores with other users' work (1-minute load average ${loadBefore.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end), so absolute figures are a floor; the ratio to the constant route measured in the same round is the comparable figure.`,
        `In process, one email costs ${local.p50.toFixed(3)} ms (p50) in Classifier.predict alone (cleaning, featurizing, ONNX), i.e. at most ${Math.round(1000 / local.p50)} emails/s per core one at a time before any HTTP work, ${Math.round(local.batchPerSecond)} emails/s in batches (the model's share of the HTTP cost).`,
      ],
    };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
