import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { LocalModelRegistry } from '@mailroute/model';
import { DEMO_CONFIG_PATH, writeDemoData } from '@mailroute/training';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createContext } from '../context.js';
import { main } from '../main.js';
import { streamErrorHandler } from '../write-output.js';
import { captureStream, runCli } from '../test-support.js';

/**
 * For the tests that train in process: well under a second on an idle machine, but many seconds on a loaded one
 * with two cores (the first test also loads the runtime), past vitest's 5 s default.
 */
const TRAINING_TIMEOUT_MS = 60_000;

/** A folder with demo data and a config of `epochs` epochs (no early stopping), and a Ctrl-C to press. */
async function setup(epochs: number) {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-interrupt-'));
  await writeDemoData(path.join(cwd, 'demo.csv'), { rows: 300, seed: 9 });
  const config = JSON.parse(readFileSync(DEMO_CONFIG_PATH, 'utf8'));
  writeFileSync(path.join(cwd, 'cfg.json'), JSON.stringify({ ...config, model: { epochs, patience: epochs, buckets: 16384, dim: 16 } }));
  const home = path.join(cwd, '.mailroute');
  const signals = new EventEmitter();
  const run = (argv: string[]) => runCli(argv, { env: { CI: 'true' }, cwd, home, signals });
  return { cwd, home, signals, run };
}

describe('mailroute train, Ctrl-C and a closed standard output', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('at %s stops at the next epoch, exits %i, records the run as interrupted and registers nothing', async (signalName, exitCode) => {
    const { cwd, home, signals, run } = await setup(30);
    const err = captureStream();
    let epochs = 0;
    let stdout = '';
    // Ctrl-C as the first epoch line is printed: the handler runs once the event loop gets a turn.
    const out = new Writable({
      write(chunk, _encoding, done) {
        stdout += chunk.toString();
        if (chunk.toString().startsWith("{'loss': ") && ++epochs === 1) signals.emit(signalName);
        done();
      },
    });
    const ctx = createContext({ env: { CI: 'true' }, cwd, home, signals, stderr: err.stream, stdout: out });
    const code = await main(['train', '--config', 'cfg.json', '--data', 'demo.csv'], ctx);
    expect(code, err.text()).toBe(exitCode);
    expect(epochs).toBeLessThanOrEqual(2);
    expect(err.text()).toContain('interrupted: the run keeps the epochs done so far (mailroute runs list); no model was registered');
    // The signal that came is the one named to send again (a supervisor sends SIGTERM, not Ctrl-C).
    const name = signalName === 'SIGTERM' ? 'SIGTERM' : 'Ctrl-C';
    expect(err.text()).toContain(`${name}: stopping at the next step (a model already being registered is kept; ${name} again quits at once)`);
    expect(stdout).not.toContain('registered ');
    expect((await run(['registry', 'list'])).stdout).toContain('no models registered');
    const [record] = JSON.parse((await run(['runs', 'list', '--json'])).stdout);
    expect(record).toMatchObject({ status: 'interrupted', epochs: { length: epochs } });
    expect(record.modelId).toBeUndefined();
    // The stopping listeners are gone; quiet ones stay until the process ends (a late Ctrl-C must not kill it with 130).
    expect([signals.listenerCount('SIGINT'), signals.listenerCount('SIGTERM')]).toEqual([1, 1]);
  }, TRAINING_TIMEOUT_MS);

  it.each([
    ['after the first line (| head -1)', (line: number) => line > 1],
    ['just before the last line, the one with the id', (_line: number, text: string) => text.startsWith('registered ')],
  ])('goes on when its reader closes standard output %s: registers the model and says so on stderr', async (_when, closedAt) => {
    const { cwd, home, signals, run } = await setup(3);
    const err = captureStream();
    const exits: number[] = [];
    let lines = 0;
    let closed = false;
    // A reader that quits: from then on every write fails as a closed pipe does.
    const out = new Writable({
      write(chunk, _encoding, done) {
        closed ||= closedAt(++lines, String(chunk));
        done(closed ? Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' }) : undefined);
      },
    });
    out.on('error', streamErrorHandler('standard output', err.stream, (code) => exits.push(code)));
    const ctx = createContext({ env: { CI: 'true' }, cwd, home, signals, stderr: err.stream, stdout: out });
    const code = await main(['train', '--config', 'cfg.json', '--data', 'demo.csv'], ctx);
    expect(code, err.text()).toBe(0);
    expect(exits).toEqual([]);
    const id = /the training went on: registered (\S+) \(version 1, PendingManualApproval\)/.exec(err.text())?.[1];
    expect(id, err.text()).toBeDefined();
    expect((await run(['registry', 'list'])).stdout).toContain(id);
  }, TRAINING_TIMEOUT_MS);

  it('goes on when standard output fails (a full disk): registers the model, then fails with exit code 1 saying so, the run finished', async () => {
    const { cwd, home, signals, run } = await setup(3);
    const err = captureStream();
    const exits: number[] = [];
    // > /dev/full: every write fails.
    const out = new Writable({ write: (_chunk, _encoding, done) => done(Object.assign(new Error('write ENOSPC'), { code: 'ENOSPC', syscall: 'write' })) });
    out.on('error', streamErrorHandler('standard output', err.stream, (code) => exits.push(code)));
    const ctx = createContext({ env: { CI: 'true' }, cwd, home, signals, stderr: err.stream, stdout: out });
    const code = await main(['train', '--config', 'cfg.json', '--data', 'demo.csv'], ctx);
    expect(code, err.text()).toBe(1);
    expect(exits).toEqual([]);
    const id = /cannot write standard output: the disk is full \(ENOSPC\); the training went on: registered (\S+) \(version 1, PendingManualApproval\)/.exec(err.text())?.[1];
    expect(id, err.text()).toBeDefined();
    expect((await run(['registry', 'list'])).stdout).toContain(id);
    expect(JSON.parse((await run(['runs', 'list', '--json'])).stdout)[0]).toMatchObject({ status: 'finished', modelId: id });
  }, TRAINING_TIMEOUT_MS);

  it('predict stops at a Ctrl-C while it writes, exits 130 and leaves --out as it was, no temporary file beside it', async () => {
    const { cwd, home, signals, run } = await setup(2);
    expect((await run(['train', '--config', 'cfg.json', '--data', 'demo.csv'])).code).toBe(0);
    const [id] = readdirSync(path.join(home, 'models'));
    await writeDemoData(path.join(cwd, 'big.csv'), { rows: 2500, seed: 3 });
    mkdirSync(path.join(cwd, 'pr'));
    // The train run above left its quiet listener on these signals: predict leaves none of its own.
    const before = signals.listenerCount('SIGINT');
    let pressed = false;
    const err = new Writable({
      write(chunk, _encoding, done) {
        errText += chunk.toString();
        // Ctrl-C as scoring reports its first progress (the lines are scored as they are written, 1,000 a chunk).
        if (!pressed && /^predict: /m.test(chunk.toString())) {
          pressed = true;
          signals.emit('SIGINT');
        }
        done();
      },
    });
    let errText = '';
    const ctx = createContext({ env: { CI: 'true' }, cwd, home, signals, stderr: err, stdout: captureStream().stream });
    const code = await main(['predict', '--model', id, '--data', 'big.csv', '--out', 'pr/preds.jsonl'], ctx);
    expect(code, errText).toBe(130);
    expect(errText).toContain('interrupted: nothing was written to pr/preds.jsonl');
    expect(readdirSync(path.join(cwd, 'pr'))).toEqual([]);
    expect(signals.listenerCount('SIGINT')).toBe(before);
  }, TRAINING_TIMEOUT_MS);

  it('as a process, ends with 0 when a Ctrl-C or SIGTERM comes just after the model was registered (it ended with 130 as it closed its threads)', async () => {
    const { cwd, home } = await setup(2);
    const bin = fileURLToPath(new URL('../../bin/mailroute.mjs', import.meta.url));
    // At once (the command still running), and a few milliseconds later, as the process closes.
    for (const [signal, after] of [['SIGINT', 0], ['SIGTERM', 5], ['SIGINT', 10], ['SIGINT', 20]] as const) {
      const child = spawn(process.execPath, [bin, 'train', '--config', 'cfg.json', '--data', 'demo.csv'], { cwd, env: { ...process.env, MAILROUTE_HOME: home, CI: 'true', ORT_DISABLE_TELEMETRY: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('registered ')) setTimeout(() => child.kill(signal), after);
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | string | null>((resolve) => child.once('exit', (c, s) => resolve(c ?? s)));
      expect([signal, after, code], stderr).toEqual([signal, after, 0]);
    }
  }, 90_000);

  it('as a process sent SIGTERM mid-training: exits 143, records the run as interrupted with the epochs it printed, registers nothing', async () => {
    const { cwd, home, run } = await setup(300);
    const bin = fileURLToPath(new URL('../../bin/mailroute.mjs', import.meta.url));
    const child = spawn(process.execPath, [bin, 'train', '--config', 'cfg.json', '--data', 'demo.csv'], { cwd, env: { ...process.env, MAILROUTE_HOME: home, CI: 'true', ORT_DISABLE_TELEMETRY: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const first = !stdout.includes("{'loss': ");
      stdout += chunk.toString();
      if (first && stdout.includes("{'loss': ")) child.kill('SIGTERM');
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | string | null>((resolve) => child.once('exit', (c, s) => resolve(c ?? s)));
    expect(code, stderr).toBe(143);
    const epochs = stdout.match(/^\{'loss': .*\}$/gm)?.length ?? 0;
    expect([epochs > 0, epochs < 300]).toEqual([true, true]);
    const [record] = JSON.parse((await run(['runs', 'list', '--json'])).stdout);
    expect(record).toMatchObject({ status: 'interrupted', epochs: { length: epochs } });
    expect(record.modelId).toBeUndefined();
    expect(readdirSync(path.join(home, 'runs', record.runId)).sort()).toEqual(['epochs.jsonl', 'run.json']);
    expect((await run(['registry', 'list'])).stdout).toContain('no models registered');
  }, 60_000);

  it('quits at once on a second Ctrl-C, with exit code 130', async () => {
    const { cwd, home, signals } = await setup(30);
    const err = captureStream();
    const exits: number[] = [];
    let epochs = 0;
    // Both presses before the trainer looks at the first: the second must not wait for it.
    const out = new Writable({
      write(chunk, _encoding, done) {
        if (chunk.toString().startsWith("{'loss': ") && ++epochs === 1) {
          signals.emit('SIGINT');
          signals.emit('SIGINT');
        }
        done();
      },
    });
    const ctx = createContext({ env: { CI: 'true' }, cwd, home, signals, stderr: err.stream, stdout: out, exit: (code) => exits.push(code) });
    await main(['train', '--config', 'cfg.json', '--data', 'demo.csv'], ctx);
    expect(exits).toEqual([130]);
    expect(err.text()).toContain('Ctrl-C again: quitting now');
    expect(err.text()).toContain('Ctrl-C again quits at once');
  }, TRAINING_TIMEOUT_MS);

  it('once the model is being registered, completes the run and prints its id', async () => {
    const { signals, run } = await setup(2);
    const register = LocalModelRegistry.prototype.register;
    vi.spyOn(LocalModelRegistry.prototype, 'register').mockImplementation(function (this: LocalModelRegistry, ...args) {
      // Ctrl-C the moment registering begins (QA's race: SIGINT as registry.json is written).
      const registering = register.apply(this, args);
      signals.emit('SIGINT');
      return registering;
    });
    const trained = await run(['train', '--config', 'cfg.json', '--data', 'demo.csv']);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stderr).toContain('Ctrl-C came while the model was being registered: the run completed');
    const id = /registered (\S+) \(version 1, PendingManualApproval\)/.exec(trained.stdout)?.[1];
    expect(id).toBeDefined();
    vi.restoreAllMocks();
    const [record] = JSON.parse((await run(['runs', 'list', '--json'])).stdout);
    expect(record).toMatchObject({ status: 'finished', modelId: id });
    const { versions: [version] } = JSON.parse((await run(['registry', 'list', '--json'])).stdout);
    expect(version).toMatchObject({ id, runId: record.runId, status: 'PendingManualApproval' });
  }, TRAINING_TIMEOUT_MS);
});
