import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalRegistry } from '@mailroute/model';
import { ensureDemoChampion } from '@mailroute/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The container's program built and staged as the Dockerfile does (scripts/build.mjs, then stage.mjs), and
// run with plain node from a folder that holds nothing else: no tsx, no TypeScript, no workspace packages.
const CLI_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const script = (name: string) => path.join(CLI_ROOT, 'scripts', name);

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

async function filesUnder(folder: string): Promise<string[]> {
  return (await readdir(folder, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.relative(folder, path.join(e.parentPath, e.name)));
}

/** Starts `node mailroute.mjs serve` in the staged folder with only the given environment; resolves once it listens. */
async function serveStaged(env: Record<string, string>) {
  const child = spawn(process.execPath, ['mailroute.mjs', 'serve'], { cwd: app, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
    expect([...loaded]).toEqual(expect.arrayContaining(['./classifier-thread.worker.mjs', './sqlite-writer.worker.mjs', './sqlite-checkpointer.worker.mjs']));
    for (const f of loaded) expect(files, `${f} is loaded by the bundle`).toContain(path.normalize(f));
  });

  it('serves the SageMaker contract under plain node with the Dockerfile environment', async () => {
    // The Dockerfile's environment; HOST keeps the test on loopback, SAGEMAKER_BIND_TO_PORT picks a free port.
    const server = await serveStaged({
      NODE_ENV: 'production',
      MAILROUTE_SAGEMAKER: '1',
      SM_MODEL_DIR: modelDir,
      MAILROUTE_HOME: path.join(dir, 'sm'),
      SAGEMAKER_BIND_TO_PORT: '0',
      HOST: '127.0.0.1',
    });
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
    // The model ran on its thread and the prediction was committed by the SQLite writer thread: a worker
    // file the bundle could not find would have been logged as an error.
    expect(server.stderr()).toContain('"message":"model loaded"');
    expect(server.stderr()).not.toContain('"level":"error"');
  }, 60_000);
});
