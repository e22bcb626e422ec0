// Assembles what the container's final stage holds (the Dockerfile copies it whole):
//   <out>/mailroute.mjs, <out>/*.mjs         the container's bundle (build.mjs): serve and the training job's train,
//                                            the worker threads and training-job.mjs beside it
//   <out>/node_modules/                      the bundle's externals (externals.mjs) and the packages they
//                                            require, copied from the workspace's installed node_modules,
//                                            trimmed (externals.mjs: TRIM)
// Usage: node scripts/stage.mjs <out> [--bundle <dir>]   (default bundle: dist/serve; paths relative to where
// the command was typed). <out> must be new, empty or staged before: it is replaced whole. `nx run cli:stage -- <out>`
// builds first and runs this from the repository root (npx passes on the folder it was typed in).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EXTERNALS, TRIM } from './externals.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Says what went wrong in one line and exits 1 (no stack trace: these are the user's mistakes). */
function fail(message) {
  process.stderr.write(`stage: ${message}\n`);
  process.exit(1);
}
const { values, positionals } = parseArgs({ options: { bundle: { type: 'string' } }, allowPositionals: true, strict: false });
if (positionals.length !== 1) fail('usage: node scripts/stage.mjs <out> [--bundle <dir>]   (npm run stage -w packages/cli -- <out>)');
// Relative to where the command was typed: npm runs a workspace's script in the workspace's folder.
const cwd = process.env.INIT_CWD ?? process.cwd();
const out = path.resolve(cwd, positionals[0]);
const bundle = path.resolve(cwd, values.bundle ?? path.join(root, 'dist/serve'));
if (!existsSync(path.join(bundle, 'mailroute.mjs'))) fail(`no container bundle (serve and train) in ${bundle}: run npm run build -w packages/cli first`);
// <out> is replaced whole: only an empty folder or one this script filled before (its marker file).
const MARKER = '.mailroute-stage';
if (existsSync(out) && readdirSync(out).length > 0 && !existsSync(path.join(out, MARKER))) {
  fail(`${out} exists and is not a folder this script staged (no ${MARKER}): name a new or empty folder; it is replaced whole`);
}

/** The installed package `name` as node finds it from `dir`: the nearest node_modules/<name> above. */
function locate(name, dir) {
  for (let at = dir; ; at = path.dirname(at)) {
    const candidate = path.join(at, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (at === path.dirname(at)) return undefined;
  }
}

/** Where a package goes under <out>: its place below the first node_modules (nesting kept). */
const placeOf = (dir) => dir.slice(dir.indexOf(`${path.sep}node_modules${path.sep}`) + 1);

// License files travel with every package.
const LICENSE = /^(licen[cs]e|notice|copying)/i;

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(bundle, out, { recursive: true });
writeFileSync(path.join(out, MARKER), 'Staged by packages/cli/scripts/stage.mjs; the next run replaces this folder whole.\n');

const copied = new Map();
const pending = EXTERNALS.map((name) => ({ name, from: root, optional: false }));
while (pending.length > 0) {
  const { name, from, optional } = pending.shift();
  const dir = locate(name, from);
  if (dir === undefined) {
    if (optional) continue;
    throw new Error(`${name} is not installed (needed from ${from})`);
  }
  if (copied.has(dir)) continue;
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const rule = TRIM[name];
  const target = path.join(out, placeOf(dir));
  if (rule) {
    for (const keep of rule.keep) {
      if (!existsSync(path.join(dir, keep))) throw new Error(`${name} has no ${keep}`);
      cpSync(path.join(dir, keep), path.join(target, keep), { recursive: true });
    }
    for (const entry of readdirSync(dir)) if (LICENSE.test(entry)) cpSync(path.join(dir, entry), path.join(target, entry));
  } else {
    // Nested node_modules hold dependencies, copied (or not) in their own turn.
    cpSync(dir, target, { recursive: true, filter: (src) => path.basename(src) !== 'node_modules' });
  }
  copied.set(dir, manifest.version);
  const skip = new Set(rule?.installOnly ?? []);
  for (const dep of Object.keys(manifest.dependencies ?? {})) if (!skip.has(dep)) pending.push({ name: dep, from: dir, optional: false });
  for (const dep of Object.keys(manifest.optionalDependencies ?? {})) if (!skip.has(dep)) pending.push({ name: dep, from: dir, optional: true });
}
const list = [...copied].map(([dir, version]) => `${placeOf(dir).slice('node_modules/'.length)}@${version}`);
process.stdout.write(`${positionals[0]}: the container's bundle (serve and train) and node_modules with ${list.join(', ')}\n`);
