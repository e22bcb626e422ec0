// Builds the container's bundle, which the SageMaker image runs with plain node (no tsx, no TypeScript):
//   dist/serve/mailroute.mjs   `mailroute serve` and the training job's `train` (src/serve-main.ts) with every
//                              npm package bundled in but the native ones (externals.mjs), which stay in node_modules
//   dist/serve/<name>.mjs      each file the code loads by path, `new URL('./<name>', import.meta.url)`
//                              (the worker threads; training-job.mjs, the training job's code, which `serve`
//                              never loads), bundled the same way and put where that URL finds it
// Usage: node scripts/build.mjs [--out <dir>]   (npm run build -w packages/cli; nx run cli:build)
// stage.mjs then adds the externals' node_modules: what the container's final stage holds.
import { build } from 'esbuild';
import { copyFile, readFile, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EXTERNALS } from './externals.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const out = path.resolve(values.out ?? path.join(root, 'dist/serve'));

// ESM bundles still hold CommonJS dependencies that call require().
const requireShim = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

// Packages replaced by a stand-in (see each file in stubs/).
const STUBS = { 'tsx/esm/api': 'tsx-esm-api.mjs' };
const stubs = {
  name: 'stubs',
  setup(b) {
    const names = Object.keys(STUBS).map((s) => s.replace(/[/.]/g, '\\$&'));
    b.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({ path: path.join(root, 'scripts/stubs', STUBS[args.path]) }));
  },
};

// A file loaded by path at run time, relative to the module that names it.
const BY_PATH = /new URL\(\s*(['"`])([^'"`]+)\1\s*,\s*import\.meta\.url\s*\)/g;
// Any other use of a module's own location points, once bundled, at the bundle's folder.
const OWN_LOCATION = /\bimport\.meta\.(?:url|dirname|filename)\b|\b__dirname\b|\b__filename\b/;

// Workspace files that use their own location and still work bundled, and why; any other such use stops the build.
const OWN_LOCATION_ALLOWED = {
  // gitCommit / gitDirty ask git in the code's folder: the image holds no repository, so a run records none.
  '../training/src/tracking/run-record.ts': 'git',
  // DEMO_CONFIG_PATH, computed at import, is read only by `train` and `start` without --config, not in this bundle.
  '../training/src/demo/demo-config.ts': 'demo config',
  // The pictures' font package (and resvg, by require) is found when a PNG is drawn: neither serve nor the training job
  // draws one, and the bundle holds neither.
  '../evaluation/src/png.ts': 'font',
};

/** Files the workspace code of one build loads by path: [the module naming it, the path it names]. */
async function loadedByPath(metafile) {
  const found = [];
  const allowed = new Set(Object.keys(OWN_LOCATION_ALLOWED).map((f) => path.resolve(root, f)));
  for (const input of Object.keys(metafile.inputs)) {
    const file = path.resolve(root, input);
    if (file.includes(`${path.sep}node_modules${path.sep}`) || file.startsWith(path.join(root, 'scripts')) || allowed.has(file)) continue;
    const text = await readFile(file, 'utf8');
    for (const m of text.matchAll(BY_PATH)) found.push([file, m[2]]);
    const line = text.replace(BY_PATH, '').split('\n').findIndex((l) => OWN_LOCATION.test(l));
    if (line >= 0) {
      throw new Error(`${file}:${line + 1} uses its own location, which the bundle moves: load the file with new URL('./<name>', import.meta.url) so the build ships it`);
    }
  }
  return found;
}

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
/** The bundle may import node's own modules and the externals, nothing else. */
function checkImports(metafile) {
  for (const [file, output] of Object.entries(metafile.outputs)) {
    const stray = output.imports.filter((i) => i.external && !builtins.has(i.path) && !EXTERNALS.includes(i.path)).map((i) => i.path);
    if (stray.length > 0) throw new Error(`${file} imports ${stray.join(', ')}, which the container does not hold`);
  }
}

await rm(out, { recursive: true, force: true });
// Output name -> source: the entry, then every code file it (or a file it loads) loads by path.
const code = new Map([['mailroute.mjs', path.join(root, 'src/serve-main.ts')]]);
const assets = new Map();
const built = new Set();
let bytes = 0;
while (built.size < code.size) {
  for (const [name, source] of code) {
    if (built.has(name)) continue;
    built.add(name);
    const { metafile } = await build({
      absWorkingDir: root,
      entryPoints: [source],
      outfile: path.join(out, name),
      bundle: true,
      platform: 'node',
      // The image runs Node 22; the test runs the bundle on the development machine's Node 20. Not
      // minified: stack traces in the endpoint's logs stay readable, and the image barely notices 3 MB.
      target: 'node20',
      format: 'esm',
      external: EXTERNALS,
      banner: { js: requireShim },
      plugins: [stubs],
      metafile: true,
      logLevel: 'warning',
    });
    checkImports(metafile);
    bytes += Object.values(metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
    for (const [from, named] of await loadedByPath(metafile)) {
      // The bundle keeps these files beside itself, so only a path into the module's own folder still holds.
      if (!/^\.\/[^/]+$/.test(named)) throw new Error(`${from}: new URL('${named}', import.meta.url) leaves its folder; the bundle can keep only './<name>' files beside itself`);
      const file = path.resolve(path.dirname(from), named);
      const target = path.basename(named);
      const isCode = /\.[cm]?[jt]s$/.test(target);
      if (isCode && !target.endsWith('.mjs')) throw new Error(`${from}: ${named} is loaded by path; name it .mjs so that node reads its bundle as ESM`);
      const known = code.get(target) ?? assets.get(target);
      if (known !== undefined && known !== file) throw new Error(`${known} and ${file} are both loaded as ${target}`);
      (isCode ? code : assets).set(target, file);
    }
  }
}
for (const [name, file] of assets) await copyFile(file, path.join(out, name));
process.stdout.write(`${values.out ?? 'dist/serve'}: ${[...code.keys(), ...assets.keys()].join(', ')} (${(bytes / 1e6).toFixed(1)} MB)\n`);
