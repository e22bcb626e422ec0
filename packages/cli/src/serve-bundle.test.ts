import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalRegistry } from '@mailroute/model';
import { ensureDemoChampion } from '@mailroute/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesUnder } from './test-support.js';
import { demoExports, simulateSageMaker, smallDemoConfig } from './training-job/test-support.js';

// The container's program built and staged as the Dockerfile does (scripts/build.mjs, then stage.mjs), and
// run as its final stage says, with plain node from a folder that holds nothing else: no tsx, no
// TypeScript, no workspace packages. There is no Docker engine here to build the image itself.
const CLI_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DOCKERFILE = path.resolve(CLI_ROOT, '../serving/docker/Dockerfile');
const script = (name: string) => path.join(CLI_ROOT, 'scripts', name);

interface Stage {
  from: string;
  lines: string[];
}

/** The Dockerfile's stages, each with its instructions (continuations joined, comments dropped, ARGs filled in). */
function stages(text: string): Stage[] {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim().replace(/\s+/g, ' ')).filter((l) => l !== '' && !l.startsWith('#'));
  const args = new Map(lines.filter((l) => /^ARG \w+=/.test(l)).map((l) => l.slice(4).split('=') as [string, string]));
  const fill = (l: string) => l.replace(/\$\{(\w+)\}/g, (_, name: string) => args.get(name) ?? '');
  const found: Stage[] = [];
  for (const line of lines.map(fill)) {
    if (line.startsWith('FROM ')) found.push({ from: line.slice(5), lines: [] });
    else found.at(-1)?.lines.push(line);
  }
  return found;
}

/** The arguments of each `<instruction>` of a stage. */
const instructions = (stage: Stage, name: string) => stage.lines.filter((l) => l.startsWith(`${name} `)).map((l) => l.slice(name.length + 1));

let dir: string;
let app: string;
let modelDir: string;
let modelId: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-serve-bundle-'));
  app = path.join(dir, 'app');
  // esbuild takes about a second; the build is the test's own, never a stale dist/.
  execFileSync(process.execPath, [script('build.mjs'), '--out', path.join(dir, 'bundle')], { stdio: 'pipe' });
  execFileSync(process.execPath, [script('stage.mjs'), app, '--bundle', path.join(dir, 'bundle')], { stdio: 'pipe' });
  const home = path.join(dir, 'home');
  modelId = (await ensureDemoChampion({ home, rows: 400 })).id;
  modelDir = await createLocalRegistry({ home }).artifactDir(modelId);
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The final stage's ENTRYPOINT + `command` (default its CMD, as `docker run <image> [command]`) on the staged folder (its WORKDIR), with its ENV and `env` over it. */
function finalStageProcess(final: Stage, env: Record<string, string>, command?: string[]) {
  const [workdir] = instructions(final, 'WORKDIR');
  const [node, ...args] = [...JSON.parse(instructions(final, 'ENTRYPOINT')[0]), ...(command ?? JSON.parse(instructions(final, 'CMD')[0]))] as string[];
  expect(node).toBe('node');
  const dockerEnv = Object.fromEntries(instructions(final, 'ENV').flatMap((l) => l.split(' ').map((kv) => kv.split('=') as [string, string])));
  const argv = args.map((a) => (a.startsWith(`${workdir}/`) ? path.join(app, a.slice(workdir.length + 1)) : a));
  return { argv, options: { cwd: app, env: { PATH: process.env.PATH ?? '', ...dockerEnv, ...env } } };
}

/** Runs the final stage as `docker run <image>` does; resolves once it listens. */
async function runFinalStage(final: Stage, env: Record<string, string>) {
  const { argv, options } = finalStageProcess(final, env);
  const child = spawn(process.execPath, argv, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const m = /serving on (http:\/\/\S+)/.exec(stdout);
      if (m) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`exited ${code} before listening: ${stderr}`)));
  });
  return {
    url,
    stderr: () => stderr,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

describe('the serve bundle (the SageMaker container program)', () => {
  it('is what the Dockerfile builds, stages and runs: the final stage holds the staged folder only, on Node 22, with the SageMaker contract', async () => {
    const [build, final, ...more] = stages(await readFile(DOCKERFILE, 'utf8'));
    expect(more).toEqual([]);
    expect(build.lines.join('\n')).toMatch(/^RUN npm run build -w packages\/cli && node packages\/cli\/scripts\/stage\.mjs \/opt\/stage$/m);
    expect(final.from).toMatch(/^node:22-bookworm-slim$/);
    expect(instructions(final, 'COPY')).toEqual(['--from=build /opt/stage/ ./']);
    expect(instructions(final, 'RUN')).toEqual([]);
    // Root, as SageMaker requires: a USER would leave the training job unable to write SageMaker's /opt/ml volumes.
    expect(instructions(final, 'USER')).toEqual([]);
    expect(instructions(final, 'EXPOSE')).toEqual(['8080']);
    expect(instructions(final, 'LABEL')).toEqual(['com.amazonaws.sagemaker.capabilities.accept-bind-to-port=true']);
    expect(instructions(final, 'CMD')).toEqual(['["serve"]']);
    expect(instructions(final, 'ENV').join(' ').split(' ').sort()).toEqual(['MAILROUTE_HOME=/tmp/mailroute', 'MAILROUTE_SAGEMAKER=1', 'NODE_ENV=production', 'ORT_DISABLE_TELEMETRY=1', 'PORT=8080', 'SM_MODEL_DIR=/opt/ml/model']);
    expect(final.lines.join('\n')).not.toContain('tsx');
  });

  it('stages only into a new, empty or staged-before folder, relative to where the command was typed', async () => {
    const stage = (out: string, cwd = dir) =>
      spawnSync(process.execPath, [script('stage.mjs'), out, '--bundle', path.join(dir, 'bundle')], { cwd: CLI_ROOT, env: { ...process.env, INIT_CWD: cwd }, encoding: 'utf8' });
    const mine = path.join(dir, 'mine');
    await mkdir(mine);
    await writeFile(path.join(mine, 'keep.txt'), 'important');
    const refused = stage(mine);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^stage: \S+mine exists and is not a folder this script staged/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(await readFile(path.join(mine, 'keep.txt'), 'utf8')).toBe('important');
    // A relative <out> is where the user typed the command (npm runs the script in packages/cli).
    expect(stage('again', dir).status).toBe(0);
    expect(await readdir(path.join(dir, 'again'))).toContain('mailroute.mjs');
    expect(stage('again', dir).status).toBe(0); // staged before: replaced
  });

  it('holds the bundle and the native externals only, and every file the bundle loads by path', async () => {
    const files = await filesUnder(app);
    expect(files.filter((f) => !f.startsWith(`node_modules${path.sep}`))).toContain('mailroute.mjs');
    expect((await readdir(path.join(app, 'node_modules'))).sort()).toEqual(['better-sqlite3', 'bindings', 'file-uri-to-path', 'onnxruntime-common', 'onnxruntime-node']);
    expect(files.filter((f) => /(?<!\.d)\.[cm]?ts$/.test(f))).toEqual([]);
    // One platform's ONNX runtime (this machine's, as the build stage's is the image's).
    expect(await readdir(path.join(app, 'node_modules/onnxruntime-node/bin/napi-v6'))).toEqual([process.platform]);
    expect(await readdir(path.join(app, 'node_modules/onnxruntime-node/bin/napi-v6', process.platform))).toEqual([process.arch]);
    const bundled = files.filter((f) => f.endsWith('.mjs') && !f.startsWith('node_modules'));
    const loaded = new Set<string>();
    for (const f of bundled) {
      for (const m of (await readFile(path.join(app, f), 'utf8')).matchAll(/new URL\("([^"]+)", import\.meta\.url\)/g)) loaded.add(m[1]);
    }
    expect([...loaded]).toEqual(expect.arrayContaining(['./classifier-thread.worker.mjs', './sqlite-writer.worker.mjs', './sqlite-checkpointer.worker.mjs', './training-job.mjs']));
    // The training code is in the training job's file alone: serve never loads it.
    expect(await readFile(path.join(app, 'training-job.mjs'), 'utf8')).toContain('function trainNgramBag(');
    expect(await readFile(path.join(app, 'mailroute.mjs'), 'utf8')).not.toContain('function trainNgramBag(');
    // Only the demo config's path points out of the folder: computed by the training package at import, read only
    // by the full CLI's train and start without --config (build.mjs: OWN_LOCATION_ALLOWED).
    expect([...loaded].filter((f) => !f.startsWith('./'))).toEqual(['../../demo/demo-config.json']);
    for (const f of [...loaded].filter((l) => l.startsWith('./'))) expect(files, `${f} is loaded by the bundle`).toContain(path.normalize(f));
    // Its help says what this build is: serve and the training job's train.
    const help = execFileSync(process.execPath, [path.join(app, 'mailroute.mjs'), '--help'], { cwd: app, encoding: 'utf8' });
    expect(help).toContain("the container's serve and train only");
    expect(help).toMatch(/^\s+train \[options\]\s+Run the SageMaker training job/m);
    expect(help).not.toMatch(/^\s+(evaluate|predict|registry)\b/m);
    // Any other command is refused in one line with a usage error, its --help too (not this build's help, exit 0).
    for (const argv of [['predict', '--help'], ['evaluate', '--data', 'x.csv'], ['bogus'], ['help', 'registry']]) {
      const other = spawnSync(process.execPath, [path.join(app, 'mailroute.mjs'), ...argv], { cwd: app, encoding: 'utf8' });
      expect(other.status, argv.join(' ')).toBe(2);
      expect(other.stdout).toBe('');
      expect(other.stderr).toBe(`mailroute: this build runs only "serve" and the training job's "train" (the SageMaker container's bundle), not "${argv[0] === 'help' ? argv[1] : argv[0]}": run the other commands with the full CLI, from source (npx mailroute)\n`);
    }
    const serveHelp = spawnSync(process.execPath, [path.join(app, 'mailroute.mjs'), 'serve', '--help'], { cwd: app, encoding: 'utf8' });
    expect(serveHelp.status).toBe(0);
    expect(serveHelp.stdout).toContain('--port');
  }, 30_000); // six node processes: 8-10 s on a loaded 2-core machine

  it('serves the SageMaker contract under plain node as the final stage runs it', async () => {
    const [, final] = stages(await readFile(DOCKERFILE, 'utf8'));
    // The model where SageMaker would mount it; HOST keeps the test on loopback, SAGEMAKER_BIND_TO_PORT picks a free port.
    const server = await runFinalStage(final, { SM_MODEL_DIR: modelDir, MAILROUTE_HOME: path.join(dir, 'sm'), SAGEMAKER_BIND_TO_PORT: '0', HOST: '127.0.0.1' });
    try {
      expect((await fetch(`${server.url}/ping`)).status).toBe(200);
      const res = await fetch(`${server.url}/invocations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ emails: [{ id: 'd1', subject: 'Depotübertrag', body: 'Bitte übertragen Sie mein Depot zur neuen Bank.' }] }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { modelId: string; predictions: Array<{ id: string; tasks: Record<string, { label: string }> }> };
      expect(body.modelId).toBe(modelId);
      expect(Object.keys(body.predictions[0].tasks).length).toBeGreaterThan(0);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    // The model ran on its thread (the container keeps no predictions: no SQLite writer thread starts): a worker
    // file the bundle could not find would have been logged as an error.
    expect(server.stderr()).toContain('"message":"model loaded"');
    expect(server.stderr()).not.toContain('"level":"error"');
  }, 60_000);

  it('runs the training job under plain node as `docker run <image> train` does, and serves the model it left in /opt/ml/model', async () => {
    const [, final] = stages(await readFile(DOCKERFILE, 'utf8'));
    const root = path.join(dir, 'opt-ml');
    await simulateSageMaker(root, { hyperparameters: { note: 'execution 1' }, config: { 'train-config.json': await smallDemoConfig() }, data: demoExports() });
    // The image sets SM_MODEL_DIR=/opt/ml/model, which wins over the root: moved too, as SageMaker's own path is.
    const trained = path.join(root, 'model');
    const { argv, options } = finalStageProcess(final, { MAILROUTE_SAGEMAKER_ROOT: root, SM_MODEL_DIR: trained, MAILROUTE_HOME: path.join(dir, 'train-home') }, ['train']);
    const job = spawnSync(process.execPath, argv, { ...options, encoding: 'utf8' });
    expect(job.status, job.stderr).toBe(0);
    expect(job.stdout.match(/^\{'loss': .*'epoch': [\d.]+\}$/gm)).toHaveLength(3);
    const manifest = JSON.parse(await readFile(path.join(trained, 'manifest.json'), 'utf8')) as { modelId: string; files: Record<string, string> };
    expect(job.stdout).toContain(`model ${manifest.modelId} written to ${trained}`);
    expect(await filesUnder(trained)).toEqual(['manifest.json', ...Object.keys(manifest.files)].sort());
    await expect(readFile(path.join(root, 'output/failure'), 'utf8')).rejects.toThrow(/ENOENT/);

    const server = await runFinalStage(final, { SM_MODEL_DIR: trained, MAILROUTE_HOME: path.join(dir, 'sm-trained'), SAGEMAKER_BIND_TO_PORT: '0', HOST: '127.0.0.1' });
    try {
      const res = await fetch(`${server.url}/invocations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ emails: [{ id: 'd1', subject: 'Freistellungsauftrag', body: 'Bitte erhöhen Sie meinen Freistellungsauftrag.' }] }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { modelId: string }).modelId).toBe(manifest.modelId);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 90_000);

  it('fails a training job in one paragraph, in /opt/ml/output/failure and on stderr, with exit code 1 and no model', async () => {
    const [, final] = stages(await readFile(DOCKERFILE, 'utf8'));
    const root = path.join(dir, 'opt-ml-failing');
    await simulateSageMaker(root, { config: { 'train-config.json': await smallDemoConfig() }, data: { 'notes.txt': 'no export' } });
    const { argv, options } = finalStageProcess(final, { MAILROUTE_SAGEMAKER_ROOT: root, SM_MODEL_DIR: path.join(root, 'model') }, ['train']);
    const job = spawnSync(process.execPath, argv, { ...options, encoding: 'utf8' });
    expect(job.status).toBe(1);
    const reason = await readFile(path.join(root, 'output/failure'), 'utf8');
    expect(reason).toMatch(/^\[TRAINING_JOB_NO_DATA\] the "training" channel \(.*\) holds 1 file\(s\), none named \.csv/);
    expect(job.stderr).toBe(`mailroute: ${reason}\n`);
    expect(await filesUnder(path.join(root, 'model'))).toEqual([]);
  }, 30_000);
});
