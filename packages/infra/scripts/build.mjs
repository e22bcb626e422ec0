// Builds what `pulumi up` deploys: the Lambda bundles and the compiled Pulumi program.
//   dist/api/index.mjs        API Lambda (serving's Hono app + AWS adapters, AWS SDK included)
//   dist/deployer/index.mjs   deployer Lambda
//   dist/quality/index.mjs    daily live-quality reporter Lambda
//   dist/register/index.mjs   register Lambda (the retraining pipeline's Register step)
//   dist/export-feedback/index.mjs   feedback-export Lambda (the pipeline's ExportFeedback step, with feedback.storeText)
//   dist/program/main.js      the Pulumi program (Pulumi.yaml `main`): the workspace's own TypeScript
//                             (@mailroute/aws/contracts) bundled in, every other package left to node_modules
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');

// ESM bundles still hold CommonJS dependencies that call require().
const requireShim = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

// Native modules the Lambda never uses (the local ONNX runtime, SQLite and the PNG renderer live
// behind serving's local wiring and evaluation's reports): a CommonJS stub whose every export throws
// when called, so loading works and a stray use fails loudly.
const NATIVE = /^(onnxruntime-node|better-sqlite3|@resvg\/resvg-js)$/;
const nativeStub = {
  name: 'native-stub',
  setup(b) {
    b.onResolve({ filter: NATIVE }, (args) => ({ path: args.path, namespace: 'native-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'native-stub' }, (args) => ({
      contents: `const fail = function () { throw new Error(${JSON.stringify(`${args.path} is not available in this Lambda`)}); };
module.exports = new Proxy({}, { get: (_t, prop) => (prop === '__esModule' || typeof prop === 'symbol' ? undefined : fail) });`,
      loader: 'js',
    }));
  },
};

// The program keeps npm packages external, but the workspace's packages export TypeScript sources,
// which node cannot load: those are bundled.
const workspaceBundled = {
  name: 'workspace-bundled',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@mailroute/') ? undefined : { path: args.path, external: true }));
  },
};

const lambda = (name) =>
  build({
    entryPoints: [path.join(root, 'src/lambda', `${name}.ts`)],
    outfile: path.join(dist, name, 'index.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    sourcemap: true,
    // Smaller archives, faster cold starts; the source map keeps stack traces readable.
    minify: true,
    legalComments: 'none',
    banner: { js: requireShim },
    plugins: [nativeStub],
    metafile: true,
    logLevel: 'warning',
  });

await rm(dist, { recursive: true, force: true });
const results = await Promise.all([
  lambda('api'),
  lambda('deployer'),
  lambda('quality'),
  lambda('register'),
  lambda('export-feedback'),
  build({
    entryPoints: [path.join(root, 'src/main.ts')],
    outfile: path.join(dist, 'program', 'main.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    plugins: [workspaceBundled],
    sourcemap: true,
    logLevel: 'warning',
  }),
]);
for (const [i, name] of ['api', 'deployer', 'quality', 'register', 'export-feedback'].entries()) {
  const bytes = Object.values(results[i].metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  process.stdout.write(`dist/${name}: ${(bytes / 1e6).toFixed(1)} MB\n`);
}
