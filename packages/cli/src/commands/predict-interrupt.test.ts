import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { loadDemoConfig, writeDemoData } from '@mailroute/training';
import { beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../context.js';
import { main } from '../main.js';
import { captureStream, demoChampionFolder } from '../test-support.js';

// Ctrl-C while predict and evaluate --model read, clean and predict an export: they stop at the next chunk of rows.
const { dir, home } = demoChampionFolder('mailroute-cli-predict-interrupt-', 10);
const ROWS = 12_000;
const bin = fileURLToPath(new URL('../../bin/mailroute.mjs', import.meta.url));
beforeAll(async () => {
  await writeDemoData(path.join(dir, 'big.csv'), { rows: ROWS, seed: 5 });
}, 60_000);

/** The hidden temporary files of atomic writes in the folder. */
const temps = () => readdirSync(dir).filter((name) => name.endsWith('.tmp'));

/** Runs mailroute in process, `onStderr` told of each line on stderr, Ctrl-C pressed through `signals`, `exit` recorded. */
async function runWithSignals(argv: string[], onStderr: (text: string, signals: EventEmitter) => void, exit: (code: number) => void = () => undefined) {
  const signals = new EventEmitter();
  const out = captureStream();
  let stderr = '';
  const err = new Writable({
    write(chunk, _encoding, done) {
      stderr += String(chunk);
      onStderr(String(chunk), signals);
      done();
    },
  });
  const ctx = createContext({ env: { CI: 'true', MAILROUTE_HOME: home }, cwd: dir, signals, stdout: out.stream, stderr: err, exit });
  const code = await main(argv, ctx);
  return { code, stderr, stdout: out.text(), signals };
}

describe('predict and evaluate --model at Ctrl-C', () => {
  it('predict, as a process sent SIGINT once the data is read: exits 130 without cleaning and predicting every row, --out as it was', async () => {
    writeFileSync(path.join(dir, 'kept.jsonl'), 'the earlier predictions\n');
    const child = spawn(process.execPath, [bin, 'predict', '--model', 'champion', '--data', 'big.csv', '--out', 'kept.jsonl'], {
      cwd: dir,
      env: { ...process.env, MAILROUTE_HOME: home, CI: 'true', ORT_DISABLE_TELEMETRY: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      const read = stderr.includes('predict read: 100%');
      stderr += chunk.toString();
      if (!read && stderr.includes('predict read: 100%')) child.kill('SIGINT');
    });
    const code = await new Promise<number | string | null>((resolve) => child.once('exit', (c, s) => resolve(c ?? s)));
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('Ctrl-C: stopping (Ctrl-C again quits at once)');
    expect(stderr).toContain('interrupted: nothing was written to kept.jsonl; it is as it was');
    // Stopped at a chunk of rows: it cleaned and predicted every row before (`predict: 100%`), then stopped writing.
    const predicted = [...stderr.matchAll(/^predict: \d+% \((\d+)\/(\d+)\)$/gm)].map((m) => Number(m[1]));
    expect(predicted.every((done) => done < ROWS), stderr).toBe(true);
    expect(readFileSync(path.join(dir, 'kept.jsonl'), 'utf8')).toBe('the earlier predictions\n');
    expect(temps()).toEqual([]);
  }, 120_000);

  it('predict, at a second Ctrl-C while writing, removes its temporary file before it quits', async () => {
    let atExit: string[] | undefined;
    const exits: number[] = [];
    // Both presses once the first chunk is predicted: the temporary file is open, its lines about to be written.
    const { code } = await runWithSignals(
      ['predict', '--model', 'champion', '--data', 'big.csv', '--out', 'twice.jsonl'],
      (text, signals) => {
        if (!/^predict: \d+%/m.test(text) || exits.length > 0 || atExit !== undefined) return;
        expect(temps()).toHaveLength(1);
        signals.emit('SIGINT');
        signals.emit('SIGINT');
      },
      (exitCode) => {
        exits.push(exitCode);
        atExit = temps();
      },
    );
    expect(exits).toEqual([130]);
    // Gone when the process quits, not only once the stopped write cleans up after itself.
    expect(atExit).toEqual([]);
    expect(code).toBe(130);
    expect(existsSync(path.join(dir, 'twice.jsonl'))).toBe(false);
  }, 120_000);

  it('evaluate --model stops at Ctrl-C while it predicts, says so, exits 130 and writes no report', async () => {
    const { code, stderr, signals } = await runWithSignals(['evaluate', '--model', 'champion', '--data', 'big.csv', '--out', 'rep', '--no-png'], (text, emitter) => {
      if (text.startsWith('predict read: 100%')) emitter.emit('SIGINT');
    });
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('Ctrl-C: stopping (Ctrl-C again quits at once)');
    expect(stderr).toContain('interrupted: nothing was written to rep; it is as it was');
    expect(stderr).not.toContain('predict: 100%');
    expect(existsSync(path.join(dir, 'rep'))).toBe(false);
    // Its listeners are gone with the command.
    expect([signals.listenerCount('SIGINT'), signals.listenerCount('SIGTERM')]).toEqual([0, 0]);
  }, 120_000);

  it('compare --data stops at Ctrl-C while it predicts, says so, exits 130 and scores nothing', async () => {
    const config = await loadDemoConfig();
    writeFileSync(path.join(dir, 'one-epoch.json'), JSON.stringify({ ...config, model: { ...config.model, epochs: 1 } }));
    const trained = await runWithSignals(['train', '--config', 'one-epoch.json', '--data', path.join(home, 'demo.csv')], () => undefined);
    expect(trained.code, trained.stderr).toBe(0);
    const id = /registered (\S+)/.exec(trained.stdout)?.[1] as string;
    const { code, stderr, signals } = await runWithSignals(['compare', '--challenger', id, '--champion', 'champion', '--data', 'big.csv', '--resamples', '10'], (text, emitter) => {
      if (text.startsWith('predict challenger read: 100%')) emitter.emit('SIGINT');
    });
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('Ctrl-C: stopping (Ctrl-C again quits at once)');
    expect(stderr).toContain('interrupted: no gate was recorded');
    // Stopped at a chunk of the challenger's rows: the champion's were never read, nothing was compared.
    expect(stderr).not.toContain('predict challenger: 100%');
    expect(stderr).not.toContain('predict champion');
    expect(stderr).not.toMatch(/^compare: /m);
    expect([signals.listenerCount('SIGINT'), signals.listenerCount('SIGTERM')]).toEqual([0, 0]);
  }, 120_000);

  it('evaluate --predictions stops at SIGTERM while it reads the file, exit code 143', async () => {
    const predicted = await runWithSignals(['predict', '--model', 'champion', '--data', 'big.csv', '--out', 'big.jsonl'], () => undefined);
    expect(predicted.code, predicted.stderr).toBe(0);
    const signals = new EventEmitter();
    const err = captureStream();
    const ctx = createContext({ env: { CI: 'true', MAILROUTE_HOME: home }, cwd: dir, signals, stdout: captureStream().stream, stderr: err.stream, exit: () => undefined });
    let done = false;
    const running = main(['evaluate', '--predictions', 'big.jsonl', '--out', 'rep2', '--no-png'], ctx).finally(() => (done = true));
    // Sent as soon as the command listens, before it has read the file's lines.
    while (!done && signals.listenerCount('SIGTERM') === 0) await new Promise((resolve) => setImmediate(resolve));
    signals.emit('SIGTERM');
    expect(await running, err.text()).toBe(143);
    // Stopped while reading: nothing was scored (`evaluate: 0% (0/6) business_area` ...), as it was when only the write listened.
    expect(err.text()).not.toContain('evaluate:');
    expect(err.text()).toContain('SIGTERM: stopping (SIGTERM again quits at once)');
    expect(err.text()).toContain('interrupted: nothing was written to rep2; it is as it was');
    expect(existsSync(path.join(dir, 'rep2'))).toBe(false);
  }, 120_000);
});
