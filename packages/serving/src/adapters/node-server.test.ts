import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { createLocalRegistry } from '@mailroute/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalServing, DB_FILE } from '../local-serving.js';
import { writeFixtureModel } from '../test-support/fixture-model.js';
import { createFakeClassifier } from '../test-support/fake-classifier.js';
import { buildTestApp, json, KEYS } from '../test-support/harness.js';
import { closeOnSignals, DEFAULT_MAX_CONNECTIONS, isLoopback, startNodeServer, type RunningServer } from './node-server.js';

const here = path.dirname(fileURLToPath(import.meta.url));
let root: string;
let home: string;
let server: RunningServer;

/** Registers fixture model `id` (its artifact written under root the first time) in the registry at `registryHome`, approved unless told not to. */
async function addModel(registryHome: string, id: string, approve = true): Promise<string> {
  const dir = path.join(root, 'artifacts', id);
  if (!existsSync(dir)) await writeFixtureModel(dir, id);
  const registry = createLocalRegistry({ home: registryHome });
  const version = await registry.register(dir);
  if (approve) await registry.approve(version.id);
  return version.id;
}

/**
 * A server of its own serving m1 from a registry of its own, for a test that changes the model served: the file's
 * server serves m1 whatever ran before (one test alone, or in another order).
 */
async function ownRegistryServer(name: string): Promise<{ home: string; server: RunningServer }> {
  const ownHome = path.join(root, name);
  await addModel(ownHome, 'm1');
  const serving = await createLocalServing({ home: ownHome, pollSeconds: 0 });
  return { home: ownHome, server: await startNodeServer({ serving, host: '127.0.0.1', port: 0 }) };
}

async function post(url: string, body: unknown) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-e2e-'));
  home = path.join(root, 'home');
  await addModel(home, 'm1');
  server = await startNodeServer({ serving: await createLocalServing({ home, pollSeconds: 0 }), host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  try {
    await server?.close();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

describe('Node server on an ephemeral loopback port, real ONNX model', () => {
  it('classifies, and refuses a public address without auth', async () => {
    const res = await post(`${server.url}/v1/classify`, { emails: [{ id: 'a', subject: 'Sparplan', body: 'Bitte den Sparplan ändern.' }] });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.modelId).toBe('m1');
    expect(['payments', 'kyc']).toContain(body.predictions[0].tasks.queue.label);
    expect(body.predictions[0].tasks.queue.confidence).toBeGreaterThan(0);
    expect(isLoopback('127.0.0.1') && isLoopback('::1') && !isLoopback('0.0.0.0')).toBe(true);
    const open = await createLocalServing({ home: path.join(root, 'other'), modelDir: path.join(root, 'artifacts', 'm1') });
    await expect(startNodeServer({ serving: open, host: '0.0.0.0', port: 0 })).rejects.toMatchObject({ code: 'SERVING_CONFIG_INVALID' });
    await open.close();
  }, 30_000);

  it('says what to do when the port is taken, and the first server keeps serving', async () => {
    const second = await createLocalServing({ home: path.join(root, 'second'), modelDir: path.join(root, 'artifacts', 'm1') });
    try {
      const failed = startNodeServer({ serving: second, host: '127.0.0.1', port: server.port });
      await expect(failed).rejects.toMatchObject({ code: 'LISTEN_FAILED' });
      await expect(failed).rejects.toThrow(`Port ${server.port} on 127.0.0.1 is already in use`);
    } finally {
      await second.close();
    }
    const res = await post(`${server.url}/v1/classify`, { emails: [{ subject: 'Sparplan', body: 'Bitte den Sparplan ändern.' }] });
    expect(res.status).toBe(200);
  }, 30_000);

  it('refuses a body over the limit with 413, whether its length is declared or it comes chunked', async () => {
    const big = JSON.stringify({ emails: [{ body: 'x'.repeat(1_100_000) }] });
    const declared = await fetch(`${server.url}/v1/classify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(declared.status).toBe(413);
    // The limit and the size as numbers too, for a CRM that splits its batch to fit without reading the detail.
    expect(await json(declared)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limitBytes: 1024 * 1024, sizeBytes: Buffer.byteLength(big) });
    const bytes = new TextEncoder().encode(big);
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 64 * 1024) controller.enqueue(bytes.subarray(at, at + 64 * 1024));
        controller.close();
      },
    });
    const streamed = await fetch(`${server.url}/v1/classify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chunked, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    const streamedProblem = await json(streamed);
    expect(streamedProblem).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limitBytes: 1024 * 1024 });
    expect(streamedProblem.sizeBytes).toBeUndefined();
    const ok = await post(`${server.url}/v1/classify`, { emails: [{ body: 'Bitte den Sparplan ändern.' }] });
    expect(ok.status).toBe(200);
  }, 30_000);

  it('refuses a JSON body that is not UTF-8 with 415, whether its length is declared or it comes chunked', async () => {
    // windows-1252 `ä` (0xE4) inside an otherwise valid body.
    const latin = Buffer.concat([Buffer.from('{"emails":[{"body":"Sparplan '), Buffer.from([0xe4]), Buffer.from('ndern"}]}')]);
    const declared = await fetch(`${server.url}/v1/classify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: latin });
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(latin.subarray(0, 20));
        controller.enqueue(latin.subarray(20));
        controller.close();
      },
    });
    const streamed = await fetch(`${server.url}/v1/classify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chunked, duplex: 'half' } as RequestInit);
    for (const res of [declared, streamed]) {
      expect(res.status).toBe(415);
      expect((await json(res)).detail).toMatch(/^The body is not UTF-8 at byte 29 \(0xE4\)/);
    }
  });

  it('hot-swaps to a new champion during a stream of requests with none failing', async () => {
    const own = await ownRegistryServer('swap');
    const statuses: number[] = [];
    const models = new Set<string>();
    let stop = false;
    const client = async () => {
      while (!stop) {
        const res = await post(`${own.server.url}/v1/classify`, { emails: [{ body: 'Depot Übertrag bitte' }, { body: 'login geht nicht' }] });
        statuses.push(res.status);
        if (res.status === 200) models.add((await json(res)).modelId);
        else await res.body?.cancel();
      }
    };
    const clients = Array.from({ length: 6 }, client);
    try {
      await new Promise((r) => setTimeout(r, 100));
      await addModel(own.home, 'm2');
      const reload = await fetch(`${own.server.url}/v1/admin/reload`, { method: 'POST' });
      expect(await json(reload)).toEqual({ changed: true, loaded: true, modelId: 'm2', previousModelId: 'm1' });
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      stop = true;
      await Promise.all(clients);
      await own.server.close();
    }
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect([...models].sort()).toEqual(['m1', 'm2']);
  }, 30_000);

  it('keeps serving the old model when the new champion fails to load, and reports it', async () => {
    const own = await ownRegistryServer('broken');
    try {
      const id = await addModel(own.home, 'm3-broken', false);
      const registry = createLocalRegistry({ home: own.home });
      // Approved while whole (approve checks the files), then damaged on disk before the server loads it.
      await registry.approve(id);
      await writeFile(path.join(await registry.artifactDir(id), 'model.onnx'), 'not an onnx file');
      const reload = await fetch(`${own.server.url}/v1/admin/reload`, { method: 'POST' });
      expect(reload.status).toBe(500);
      expect((await json(reload)).code).toBe('MODEL_LOAD_FAILED');
      const model = await json(fetch(`${own.server.url}/v1/model`));
      expect(model.modelId).toBe('m1');
      expect(model.registry).toMatchObject({ status: 'Approved', family: 'ngram-bag' });
      // The routing of the model served, from its manifest (the fixture's thresholds are 0).
      expect(model.routing).toEqual({ queueTask: 'queue', abstainTasks: ['queue'], thresholds: { queue: 0, topic: 0 } });
      expect(model.lastReloadError.modelId).toBe('m3-broken');
      expect((await post(`${own.server.url}/v1/classify`, { emails: [{ body: 'noch da?' }] })).status).toBe(200);
      const metrics = await (await fetch(`${own.server.url}/metrics`)).text();
      expect(metrics).toContain('mailroute_model_reloads_total{result="failure"} 1');
      expect(metrics).toContain('mailroute_model_info{model_id="m1"} 1');
      // Up while the wanted model is not the one served, not just at the failure's moment; down once a model loads.
      expect(metrics).toMatch(/^mailroute_model_load_failing 1$/m);
      await addModel(own.home, 'm4');
      expect((await fetch(`${own.server.url}/v1/admin/reload`, { method: 'POST' })).status).toBe(200);
      expect(await (await fetch(`${own.server.url}/metrics`)).text()).toMatch(/^mailroute_model_load_failing 0$/m);
    } finally {
      await own.server.close();
    }
  }, 30_000);

  it('clears the load failure once the failed champion is rolled back to the model served, and not for a forced reload of the served model that fails', async () => {
    const own = await ownRegistryServer('rolled-back');
    try {
      const registry = createLocalRegistry({ home: own.home });
      const id = await addModel(own.home, 'm5-broken', false);
      await registry.approve(id);
      await writeFile(path.join(await registry.artifactDir(id), 'model.onnx'), 'not an onnx file');
      expect((await fetch(`${own.server.url}/v1/admin/reload`, { method: 'POST' })).status).toBe(500);
      const failing = async () => /^mailroute_model_load_failing (\d)$/m.exec(await (await fetch(`${own.server.url}/metrics`)).text())?.[1];
      expect(await failing()).toBe('1');
      // The rollback the error suggests: the champion is m1 again, the model served, so nothing loads.
      await registry.reject(id, { note: 'broken artifact' });
      const reload = await json(fetch(`${own.server.url}/v1/admin/reload`, { method: 'POST' }));
      expect(reload.changed).toBe(false);
      expect(await failing()).toBe('0');
      expect((await json(fetch(`${own.server.url}/v1/model`))).lastReloadError).toBeNull();
      // The served model's own files broken: a forced reload fails and stays failing, though it serves on.
      await writeFile(path.join(await registry.artifactDir('m1'), 'model.onnx'), 'not an onnx file');
      expect((await fetch(`${own.server.url}/v1/admin/reload?force=true`, { method: 'POST' })).status).toBe(500);
      expect((await fetch(`${own.server.url}/v1/admin/reload`, { method: 'POST' })).status).toBe(200);
      expect(await failing()).toBe('1');
      expect((await json(fetch(`${own.server.url}/v1/model`))).lastReloadError.modelId).toBe('m1');
    } finally {
      await own.server.close();
    }
  }, 30_000);

  it('measures drift against the training distribution recorded in the manifest', async () => {
    // Enough predictions for a drift figure (30 for two labels) of its own, not however many the earlier tests
    // made (the hot-swap stream's count depends on the machine's speed); they are committed in groups a few
    // milliseconds after their answer (longer on a loaded machine): ask again until they are counted.
    const emails = Array.from({ length: 40 }, (_, i) => ({ id: `drift-${i}`, body: i % 2 ? 'Depot Übertrag bitte' : 'login geht nicht' }));
    expect((await post(`${server.url}/v1/classify`, { emails })).status).toBe(200);
    let q = await json(fetch(`${server.url}/v1/quality?hours=1`));
    for (let tries = 0; q.tasks.queue.drift.psi === null && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      q = await json(fetch(`${server.url}/v1/quality?hours=1`));
    }
    expect(q.tasks.queue.drift.reference).toBe('training');
    expect(q.tasks.queue.drift.expected).toEqual({ payments: 0.3, kyc: 0.7 });
    expect(q.tasks.queue.drift.psi).toBeGreaterThanOrEqual(0);
  });

  it('shuts down gracefully on SIGTERM: closes the port, releases the model, closes the DB', async () => {
    const serving = await createLocalServing({ home: path.join(root, 'sig'), modelDir: path.join(root, 'artifacts', 'm1') });
    // Hold the classify request inside the server until SIGTERM has been sent, so it is surely in flight.
    let arrived!: () => void;
    const arrivedAtServer = new Promise<void>((resolve) => (arrived = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const original = serving.app.fetch;
    // The model's release, seen: it must come once the request in flight has its answer, not before.
    let releasedAt: number | undefined;
    let answeredAt: number | undefined;
    let steps = 0;
    serving.app.fetch = async (request, ...rest) => {
      if (new URL(request.url).pathname !== '/v1/classify') return original(request, ...rest);
      arrived();
      await gate;
      const response = await original(request, ...rest);
      answeredAt = ++steps;
      return response;
    };
    const own = await startNodeServer({ serving, host: '127.0.0.1', port: 0 });
    const classifier = serving.context.source.current();
    if (!classifier) throw new Error('no model loaded');
    const releaseModel = classifier.release.bind(classifier);
    classifier.release = () => {
      releasedAt = ++steps;
      return releaseModel();
    };
    const signals = new EventEmitter();
    const done = closeOnSignals(own, signals);
    const inFlight = post(`${own.url}/v1/classify`, { emails: [{ body: 'last one' }] });
    await arrivedAtServer;
    signals.emit('SIGTERM');
    setTimeout(release, 50);
    expect(await done).toBe('SIGTERM');
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answeredAt).toBeDefined();
    expect(releasedAt).toBeGreaterThan(answeredAt ?? Infinity);
    await expect(serving.context.store.getPrediction('any')).rejects.toThrow('The store is closed.');
    // The client is told not to reuse the connection, so its next request cannot race the close.
    expect(answer.headers.get('connection')).toBe('close');
    await expect(fetch(`${own.url}/healthz`)).rejects.toThrow();
  }, 30_000);
});

describe('a second signal during the drain', () => {
  it('stops at once, logging the drain abandoned with the requests in flight; after the drain no handler is left', async () => {
    let finish = (): void => undefined;
    const draining: RunningServer = { host: '127.0.0.1', port: 1, url: 'http://127.0.0.1:1', authEnabled: false, close: () => new Promise<void>((resolve) => (finish = resolve)), inFlight: () => 3 };
    const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
    const logger = { info: (m: string, f?: Record<string, unknown>) => void lines.push(['info', m, f]), warn: () => undefined, error: (m: string, f?: Record<string, unknown>) => void lines.push(['error', m, f]) };
    const signals = new EventEmitter();
    const abandoned: string[] = [];
    const done = closeOnSignals(draining, signals, logger, (signal) => abandoned.push(signal));
    signals.emit('SIGTERM');
    expect(abandoned).toEqual([]);
    signals.emit('SIGINT');
    expect(abandoned).toEqual(['SIGINT']);
    expect(lines).toEqual([
      ['info', 'shutting down', { signal: 'SIGTERM' }],
      ['error', 'drain abandoned', { signal: 'SIGINT', inFlightRequests: 3 }],
    ]);
    finish();
    expect(await done).toBe('SIGTERM');
    expect(signals.listenerCount('SIGTERM') + signals.listenerCount('SIGINT')).toBe(0);
  });
});

describe('shutdown with a stalled client', () => {
  it('cuts a connection that never finishes its request once the request timeout and the grace are over', async () => {
    const serving = await createLocalServing({ home: path.join(root, 'stalled'), modelDir: path.join(root, 'artifacts', 'm1'), limits: { requestTimeoutMs: 300 } });
    const own = await startNodeServer({ serving, host: '127.0.0.1', port: 0 });
    const socket = net.connect(own.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const stalledSince = performance.now();
    socket.write('POST /v1/classify HTTP/1.1\r\nHost: x\r\n'); // headers never finished
    const closedBySocket = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await new Promise((r) => setTimeout(r, 50));
    // The close ends (within the test's timeout: the connection does not hold it for ever), and not before the
    // request had its request timeout. How soon after that is the machine's speed, not checked.
    await own.close();
    expect(performance.now() - stalledSince).toBeGreaterThanOrEqual(300);
    await closedBySocket;
  }, 30_000);
});

describe('clients whose body stops arriving', () => {
  /** A raw request that declares or starts a body and never finishes it; resolves with the status line of the answer. */
  function stalledRequest(port: number, chunked: boolean): Promise<{ status: string; closed: Promise<void> }> {
    return new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        const head = chunked ? 'Transfer-Encoding: chunked\r\n\r\n6\r\n{"emai\r\n' : 'Content-Length: 100\r\n\r\n{"emails":[';
        socket.write(`POST /v1/classify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${head}`);
      });
      const closed = new Promise<void>((r) => socket.once('close', () => r()));
      socket.once('data', (chunk: Buffer) => resolve({ status: chunk.toString('latin1').split('\r\n')[0], closed }));
    });
  }

  it('answer at the deadline, close the connection and give back their slot, declared length or chunked', async () => {
    const serving = await createLocalServing({ home: path.join(root, 'slots'), modelDir: path.join(root, 'artifacts', 'm1'), limits: { requestTimeoutMs: 300, maxConcurrent: 2 } });
    const own = await startNodeServer({ serving, host: '127.0.0.1', port: 0 });
    try {
      const stalled = await Promise.all([stalledRequest(own.port, false), stalledRequest(own.port, true)]);
      expect(stalled.map((s) => s.status)).toEqual(['HTTP/1.1 408 Request Timeout', 'HTTP/1.1 408 Request Timeout']);
      await Promise.all(stalled.map((s) => s.closed));
      // Both slots are free again: the cap of 2 admits two requests at once.
      const answers = await Promise.all([1, 2].map(() => post(`${own.url}/v1/classify`, { emails: [{ body: 'Sparplan ändern' }] })));
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
      const metrics = await (await fetch(`${own.url}/metrics`)).text();
      expect(metrics).toMatch(/^mailroute_inflight_requests 0$/m);
      // A client that gives up half-way through a chunked upload is its mistake (4xx), not a server fault: counted as
      // 499, a client that closed its connection before the answer (the 400 it was answered never reached it).
      const socket = net.connect(own.port, '127.0.0.1');
      await new Promise<void>((r) => socket.once('connect', () => r()));
      socket.write('POST /v1/feedback HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"ema\r\n');
      await new Promise((r) => setTimeout(r, 50));
      socket.destroy();
      await new Promise((r) => setTimeout(r, 100));
      const after = await (await fetch(`${own.url}/metrics`)).text();
      expect(after).not.toMatch(/mailroute_http_requests_total\{[^}]*status="500"/);
      expect(after).toMatch(/mailroute_http_requests_total\{method="POST",route="\/v1\/feedback",status="499"\} 1/);
    } finally {
      await own.close();
    }
  }, 30_000);
});

/**
 * Sends `head` to a server with a 300 ms request timeout, then `trickle` every 100 ms until the server closes the
 * connection: what it answered, and after how long.
 */
async function heldOpen(head: string, trickle: string): Promise<{ answer: string; ms: number }> {
  const serving = await buildTestApp({ noAuth: true, limits: { requestTimeoutMs: 300 } });
  const own = await startNodeServer({ serving, host: '127.0.0.1', port: 0 });
  const socket = net.connect(own.port, '127.0.0.1');
  const timer = setInterval(() => socket.writable && socket.write(trickle), 100);
  try {
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const started = Date.now();
    socket.write(head);
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    return { answer, ms: Date.now() - started };
  } finally {
    clearInterval(timer);
    socket.destroy();
    await own.close();
  }
}

describe('clients that hold a connection with a request that never ends', () => {
  it('whose headers trickle in (slowloris) are cut after the request timeout, not after the minute and a half of Node defaults', async () => {
    const { answer, ms } = await heldOpen('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: 1\r\n');
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    expect(ms).toBeLessThan(5_000);
  }, 30_000);

  it("that send a GET declaring a body they then trickle are cut after twice the request timeout, not after Node's default 300 s (no key needed)", async () => {
    const { ms } = await heldOpen('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000000\r\n\r\n', 'x');
    expect(ms).toBeLessThan(5_000);
  }, 30_000);
});

describe('a client that gives up before its answer', () => {
  it('gets no prediction stored or counted: it never saw the prediction ids, as after a REQUEST_TIMEOUT', async () => {
    const serving = await buildTestApp({ noAuth: true, classifier: createFakeClassifier({ delayMs: 200 }) });
    const own = await startNodeServer({ serving, host: '127.0.0.1', port: 0 });
    try {
      const body = JSON.stringify({ emails: [{ id: 'gone', subject: 'invoice' }] });
      const gaveUp = fetch(`${own.url}/v1/classify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(50) });
      await expect(gaveUp).rejects.toMatchObject({ name: 'TimeoutError' });
      await new Promise((r) => setTimeout(r, 300)); // the classifier answers after the client left
      expect(await serving.context.store.findPredictionByEmail('gone')).toBeUndefined();
      expect(await (await fetch(`${own.url}/metrics`)).text()).not.toMatch(/mailroute_predictions_total\{/);
      // One that waits is answered, and its prediction stored.
      const kept = await post(`${own.url}/v1/classify`, { emails: [{ id: 'kept', subject: 'invoice' }] });
      expect(kept.status).toBe(200);
      expect((await serving.context.store.findPredictionByEmail('kept'))?.emailId).toBe('kept');
    } finally {
      await own.close();
    }
  }, 30_000);
});

describe('shutdown under load', () => {
  /** Waits, a few milliseconds at a time, until `done()` holds (failing after 20 s, so that the test closes its server). */
  async function until(done: () => boolean, what: string): Promise<void> {
    for (const started = performance.now(); !done(); await new Promise((resolve) => setTimeout(resolve, 5))) {
      if (performance.now() - started > 20_000) throw new Error(`never came to pass: ${what}`);
    }
  }

  /**
   * Keep-alive clients in a loop of requests, and shutdown while each has one in the server whose answer has not
   * begun: those answers say Connection: close, so no client sends again on a connection the server closes, and
   * each ends on a refused new connection. Held there so that it is so on any machine: an answer begun before the
   * shutdown is keep-alive (its headers are out), and the client's next request on it may meet the server's close
   * of idle connections after the grace: the race keep-alive has with any server, which a test cannot time.
   */
  it('resets no keep-alive request in flight: each answer during the drain says Connection: close, then the port is refused', async () => {
    const serving = await createLocalServing({ home: path.join(root, 'drain'), modelDir: path.join(root, 'artifacts', 'm1') });
    let holding = false;
    let held = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const original = serving.app.fetch;
    serving.app.fetch = async (request, ...rest) => {
      if (holding && new URL(request.url).pathname === '/v1/classify') {
        held += 1;
        await gate;
      }
      return original(request, ...rest);
    };
    const own = await startNodeServer({ serving, host: '127.0.0.1', port: 0 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const body = JSON.stringify({ emails: [{ body: 'Bitte das Depot übertragen.' }] });
    const { port } = new URL(own.url);
    /** One request: its status, its Connection header, and whether it went on a connection used before. */
    const send = () =>
      new Promise<{ status: number; connection: string | undefined; reused: boolean }>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path: '/v1/classify', method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, reused: req.reusedSocket }));
        });
        req.on('error', reject);
        req.end(body);
      });
    const statuses: number[] = [];
    let reused = 0;
    let closing = false;
    const drainAnswers: Array<string | undefined> = [];
    const ends: string[] = [];
    const loops = Array.from({ length: 8 }, async () => {
      for (;;) {
        try {
          const answer = await send();
          statuses.push(answer.status);
          if (answer.reused) reused += 1;
          if (closing) drainAnswers.push(answer.connection);
        } catch (error) {
          ends.push((error as NodeJS.ErrnoException).code ?? String(error));
          return;
        }
      }
    });
    try {
      // Under way: the clients have sent on connections used before (keep-alive) ...
      await until(() => reused >= 16, 'requests on reused connections');
      // ... then each one's next request is held in the server, and the shutdown begins.
      holding = true;
      await until(() => held === 8, 'a request of each client held');
      closing = true;
      const closed = own.close();
      release();
      await closed;
      await Promise.all(loops);
    } finally {
      release();
      agent.destroy();
      await own.close();
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(drainAnswers).toEqual(Array(8).fill('close'));
    // Each client loop ends on a refused new connection, never on a reset of a reused one.
    expect(ends).toEqual(Array(8).fill('ECONNREFUSED'));
  }, 30_000);

  it('answers a request that came on a kept-alive connection before the shutdown, though the busy server reads it only after the grace', async () => {
    const own = await startNodeServer({ serving: await buildTestApp({ noAuth: true }), host: '127.0.0.1', port: 0 });
    const socket = net.connect(own.port, '127.0.0.1');
    try {
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      const ended = new Promise<string>((resolve) => {
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
        socket.once('close', () => resolve('closed'));
      });
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      // A first answer, kept alive: the connection is idle in the server.
      socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      await until(() => text.endsWith('{"status":"ok"}'), 'the first answer');
      expect(text).toMatch(/\r\nConnection: keep-alive\r\n/i);
      text = '';
      // The next request is in the server's socket when the shutdown begins, and the server is then busy past the grace
      // (100 ms; a loaded machine) before the event loop turns again: it reads the request only after the grace.
      const body = JSON.stringify({ emails: [{ id: 'late', subject: 'invoice' }] });
      const closed = await new Promise<Promise<void>>((resolve) =>
        setImmediate(() => {
          socket.write(`POST /v1/classify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
          const closing = own.close();
          for (const busySince = performance.now(); performance.now() - busySince < 250; );
          resolve(closing);
        }),
      );
      expect(await ended).toBe('closed');
      expect(text).toMatch(/^HTTP\/1.1 200 OK\r\n/);
      expect(text).toMatch(/\r\nConnection: close\r\n/i);
      await closed;
    } finally {
      socket.destroy();
      await own.close();
    }
  }, 30_000);
});

describe('feedback durability', () => {
  it('a feedback answered 202 survives kill -9 of the server a moment later', async () => {
    const childHome = path.join(root, 'kill');
    await writeFixtureModel(path.join(root, 'artifacts', 'k1'), 'k1');
    const registry = createLocalRegistry({ home: childHome });
    await registry.approve((await registry.register(path.join(root, 'artifacts', 'k1'))).id);
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, '../test-support/child-server.ts'), childHome], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /LISTENING (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', () => reject(new Error(`server exited early: ${out}`)));
    });
    const classified = await json(post(`${url}/v1/classify`, { emails: [{ id: 'crm-77', body: 'Kontoeröffnung' }] }));
    const predictionId = classified.predictions[0].predictionId;
    // Another connection holds the write lock, so the feedback cannot commit yet: a server that answered 202 before
    // its commit answers now, and is killed before the commit can happen (the lock still held). Not a race.
    const locker = new Database(path.join(childHome, DB_FILE));
    // The prediction committed first (it is buffered a few milliseconds): the feedback route reads it before it writes.
    for (let i = 0; i < 200 && locker.prepare('SELECT 1 FROM predictions WHERE prediction_id = ?').get(predictionId) === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    locker.prepare('BEGIN IMMEDIATE').run();
    let answeredWhileLocked = false;
    const answer = post(`${url}/v1/feedback`, { predictionId, labels: { queue: 'kyc', topic: 'login' }, closedAt: new Date().toISOString() }).then((r) => {
      answeredWhileLocked = locker.inTransaction;
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (answeredWhileLocked) child.kill('SIGKILL');
    locker.prepare('ROLLBACK').run();
    locker.close();
    const fb = await answer;
    expect(answeredWhileLocked).toBe(false);
    expect(fb.status).toBe(202);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const db = new Database(path.join(childHome, DB_FILE), { readonly: true });
    const row = db.prepare('SELECT email_id, prediction_id, labels FROM feedback WHERE email_id = ?').get('crm-77');
    db.close();
    expect(row).toEqual({ email_id: 'crm-77', prediction_id: predictionId, labels: JSON.stringify({ queue: 'kyc', topic: 'login' }) });
  }, 60_000);
});

describe('a server without API keys', () => {
  /** A request with headers fetch cannot set (Host); resolves with the status and the problem code, if any. */
  function send(port: number, method: string, target: string, headers: Record<string, string>): Promise<{ status: number; code?: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method, path: target, headers }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, code: text.startsWith('{') ? (JSON.parse(text) as { code?: string }).code : undefined }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('refuses what a web page sends through the browser: a Host of its own (DNS rebinding), an Origin of its own (a cross-site POST)', async () => {
    const refusals: Record<string, unknown>[] = [];
    const logger = { info: () => undefined, warn: (m: string, fields?: Record<string, unknown>) => (m === 'request refused' ? refusals.push(fields ?? {}) : undefined), error: () => undefined };
    const serving = await buildTestApp({ noAuth: true, logger });
    const { source } = serving.context;
    const reload = source.reload.bind(source);
    let reloads = 0;
    source.reload = (options) => {
      reloads += 1;
      return reload(options);
    };
    const own = await startNodeServer({ serving, host: '127.0.0.1', port: 0 });
    try {
      const rebound = await send(own.port, 'GET', '/v1/quality', { host: `attacker.example:${own.port}` });
      expect(rebound).toEqual({ status: 403, code: 'FORBIDDEN' });
      // A POST with no body needs no CORS preflight: any page could make the server reload.
      const crossSite = await send(own.port, 'POST', '/v1/admin/reload?force=true', { host: `127.0.0.1:${own.port}`, origin: 'https://attacker.example' });
      expect(crossSite).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect((await send(own.port, 'POST', '/v1/admin/reload', { host: `127.0.0.1:${own.port}`, origin: 'null' })).status).toBe(403);
      expect(reloads).toBe(0);
      // Answered before the app, and counted all the same: the refusals show in /metrics.
      const metrics = serving.context.metrics.registry.render();
      expect(metrics).toContain('mailroute_http_requests_total{method="GET",route="not_loopback",status="403"} 1');
      expect(metrics).toContain('mailroute_http_requests_total{method="POST",route="not_loopback",status="403"} 2');
      expect(metrics).toContain('mailroute_rejected_requests_total{reason="not_loopback"} 3');
      expect(metrics).toContain('mailroute_problem_responses_total{code="FORBIDDEN",route="not_loopback"} 3');
      expect(metrics).toContain('mailroute_http_request_duration_seconds_count{route="not_loopback",status_class="4xx"} 3');
      // Like every other error answer: the caller's x-request-id back, and a `request refused` line with it.
      const answer = await new Promise<http.IncomingMessage>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: own.port, path: '/v1/model', headers: { host: 'attacker.example', 'x-request-id': 'crm-call-17' } }, (res) => resolve(res.resume()));
        req.on('error', reject);
        req.end();
      });
      expect(answer.statusCode).toBe(403);
      expect(answer.headers['x-request-id']).toBe('crm-call-17');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      // With the address of the connection it came on (a browser's page: this machine's own).
      expect(refusals).toContainEqual({ requestId: 'crm-call-17', method: 'GET', route: 'not_loopback', status: 403, code: 'FORBIDDEN', clientAddress: '127.0.0.1' });
      expect(refusals).toHaveLength(4);
      // Clients on this machine: curl, a local CRM, a page served from localhost.
      for (const host of [`127.0.0.1:${own.port}`, `localhost:${own.port}`, `[::1]:${own.port}`, 'LOCALHOST']) {
        expect((await send(own.port, 'GET', '/v1/quality', { host })).status).toBe(200);
      }
      expect((await send(own.port, 'POST', '/v1/admin/reload?force=true', { host: `localhost:${own.port}`, origin: 'http://localhost:3000' })).status).toBe(200);
      expect(reloads).toBe(1);
    } finally {
      await own.close();
    }
  }, 30_000);

  it('is the only one that looks at Host: with keys, a server may be reached under any name (a proxy, a DNS name)', async () => {
    const own = await startNodeServer({ serving: await buildTestApp(), host: '127.0.0.1', port: 0 });
    try {
      const res = await send(own.port, 'GET', '/v1/quality', { host: 'mailroute.bank.example', origin: 'https://crm.bank.example', authorization: `Bearer ${KEYS.all}` });
      expect(res.status).toBe(200);
    } finally {
      await own.close();
    }
  }, 30_000);
});

describe('answers over Node', () => {
  it('carry nosniff, no-store where they hold data, the docs page its CSP, and a refusal line the socket\'s address (never X-Forwarded-For)', async () => {
    const refusals: Record<string, unknown>[] = [];
    const logger = { info: () => undefined, warn: (m: string, fields?: Record<string, unknown>) => (m === 'request refused' ? refusals.push(fields ?? {}) : undefined), error: () => undefined };
    const own = await startNodeServer({ serving: await buildTestApp({ logger }), host: '127.0.0.1', port: 0 });
    try {
      // @hono/node-server's own Response copies its headers when the body is first read: a header set after was lost.
      for (const method of ['GET', 'HEAD']) {
        const docs = await fetch(`${own.url}/docs`, { method });
        expect(docs.headers.get('content-security-policy'), method).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; style-src 'sha256-[A-Za-z0-9+/=]+'; connect-src 'self'/);
        expect(docs.headers.get('x-content-type-options'), method).toBe('nosniff');
        expect(docs.headers.get('cache-control'), method).toBeNull();
        await docs.arrayBuffer();
      }
      const classify = await fetch(`${own.url}/v1/classify`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.all}` }, body: JSON.stringify({ emails: [{ body: 'invoice' }] }) });
      expect(classify.status).toBe(200);
      expect([classify.headers.get('cache-control'), classify.headers.get('x-content-type-options')]).toEqual(['no-store', 'nosniff']);
      const refused = await fetch(`${own.url}/v1/quality`, { headers: { 'x-forwarded-for': '198.51.100.1', 'x-request-id': 'no-key' } });
      expect(refused.status).toBe(401);
      expect([refused.headers.get('cache-control'), refused.headers.get('x-content-type-options')]).toEqual(['no-store', 'nosniff']);
      expect(refusals).toContainEqual(expect.objectContaining({ requestId: 'no-key', status: 401, clientAddress: '127.0.0.1' }));
      // A request no fetch Request can be made of is answered by the adapter itself, with the same headers.
      const raw = await new Promise<http.IncomingMessage>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: own.port, path: '/v1\\classify' }, (res) => resolve(res.resume()));
        req.on('error', reject);
        req.end();
      });
      expect(raw.statusCode).toBe(400);
      expect(raw.headers['x-content-type-options']).toBe('nosniff');
    } finally {
      await own.close();
    }
  }, 30_000);
});

describe('connection limit', () => {
  /** A keep-alive connection that has been answered once (so the server surely counts it). */
  async function openAnswered(port: number): Promise<net.Socket> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('data', () => resolve());
      socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    });
    return socket;
  }
  /** What a new connection gets for a request: the status line, or 'closed' when the server closes it unanswered. */
  function tryRequest(port: number): Promise<string> {
    return new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'));
      socket.once('data', (chunk: Buffer) => {
        resolve(chunk.toString('latin1').split('\r\n')[0]);
        socket.destroy();
      });
      socket.once('error', () => resolve('closed'));
      socket.once('close', () => resolve('closed'));
    });
  }

  it('closes connections beyond maxConnections at once, logs it, and takes new ones when one closes', async () => {
    const warnings: string[] = [];
    const logger = { info: () => undefined, warn: (m: string) => warnings.push(m), error: () => undefined };
    const own = await startNodeServer({ serving: await buildTestApp({ noAuth: true }), host: '127.0.0.1', port: 0, maxConnections: 2, logger });
    try {
      const held = [await openAnswered(own.port), await openAnswered(own.port)];
      expect(await tryRequest(own.port)).toBe('closed');
      expect(warnings).toEqual(['connections refused: the server holds maxConnections open connections']);
      held[0].destroy();
      // The server counts the closed connection once it has seen the close: ask until it has.
      let status = 'closed';
      for (let i = 0; i < 50 && status === 'closed'; i++) status = await tryRequest(own.port);
      expect(status).toBe('HTTP/1.1 200 OK');
      held[1].destroy();
    } finally {
      await own.close();
    }
  }, 30_000);

  it('has a default and refuses a limit under 1', async () => {
    const own = await startNodeServer({ serving: await buildTestApp({ noAuth: true }), host: '127.0.0.1', port: 0 });
    try {
      expect(DEFAULT_MAX_CONNECTIONS).toBe(1000);
      expect(await tryRequest(own.port)).toBe('HTTP/1.1 200 OK');
    } finally {
      await own.close();
    }
    await expect(startNodeServer({ serving: await buildTestApp({ noAuth: true }), host: '127.0.0.1', port: 0, maxConnections: 0 })).rejects.toMatchObject({ code: 'SERVING_CONFIG_INVALID' });
  });
});
