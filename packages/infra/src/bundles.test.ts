import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { INFRA_ROOT } from './testing/stack-files.js';

/**
 * The files a bundle was built from whose text is no longer what its source map recorded, or which are gone:
 * a dist/ left from another commit, or from before an edit, must not be tested as if it were the current code.
 * Sources that are no files here are passed over: the build's native stubs (`native-stub:...`), the https://
 * sources of a package's own source map, and files that map names inside node_modules but the package does
 * not ship.
 */
function changedSources(bundle: string): string[] {
  const mapFile = `${bundle}.map`;
  if (!existsSync(mapFile)) return [mapFile];
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
  return map.sources.flatMap((source, i) => {
    if (source.includes(':')) return [];
    const file = path.resolve(path.dirname(mapFile), source);
    if (!existsSync(file)) return file.split(path.sep).includes('node_modules') ? [] : [file];
    return readFileSync(file, 'utf8') === map.sourcesContent?.[i] ? [] : [file];
  });
}

/** Why the bundles cannot be tested as the current code, or undefined when they can. */
function staleReason(bundles: string[]): string | undefined {
  const missing = bundles.filter((bundle) => !existsSync(bundle));
  if (missing.length > 0) return `${path.relative(INFRA_ROOT, missing[0])} is missing`;
  const changed = [...new Set(bundles.flatMap(changedSources))];
  if (changed.length === 0) return undefined;
  const more = changed.length > 1 ? ` and ${changed.length - 1} more` : '';
  return `the bundles were built from other sources (${path.relative(path.resolve(INFRA_ROOT, '../..'), changed[0])}${more} changed since)`;
}

const dist = path.join(INFRA_ROOT, 'dist');
const lambdas = ['api', 'deployer', 'quality', 'register', 'export-feedback'].map((name) => path.join(dist, name, 'index.mjs'));
const program = path.join(dist, 'program', 'main.js');
const lambdasStale = staleReason(lambdas);
const programStale = staleReason([program]);
const staleMessage = lambdasStale ?? programStale;
if (staleMessage) console.warn(`skipping the infra bundle tests: ${staleMessage}; run \`npx nx run infra:build\``);

describe('changedSources', () => {
  it('names a source edited or removed after the build, and none while the bundle is current', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bundle-sources-'));
    try {
      const [entry, helper] = [path.join(dir, 'entry.ts'), path.join(dir, 'helper.ts')];
      writeFileSync(helper, 'export const answer = (n: number): number => n * 2;\n');
      writeFileSync(entry, "import { answer } from './helper.js';\nexport const handler = () => answer(21);\n");
      const bundle = path.join(dir, 'out', 'index.mjs');
      await build({ entryPoints: [entry], outfile: bundle, bundle: true, format: 'esm', platform: 'node', sourcemap: true, minify: true, logLevel: 'silent' });
      expect(changedSources(bundle)).toEqual([]);
      writeFileSync(helper, 'export const answer = (n: number): number => n * 3;\n');
      expect(changedSources(bundle)).toEqual([helper]);
      rmSync(entry);
      expect(changedSources(bundle).sort()).toEqual([entry, helper].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Loads the esbuild bundles in a fresh Node, as Lambda would. Needs a build of the current sources
// (`npx nx run infra:build`; `nx run infra:test` builds first, a plain `npm test` does not).
describe.skipIf(lambdasStale !== undefined)('Lambda bundles (skipped: run `npx nx run infra:build` first)', () => {
  it('load under plain Node and export their handlers', () => {
    const script = `
      Object.assign(process.env, { AWS_REGION: 'eu-central-1', MAILROUTE_ENDPOINT_NAME: 'ep', MAILROUTE_MODEL_PACKAGE_GROUP: 'g',
        MAILROUTE_SAGEMAKER_ROLE_ARN: 'arn:aws:iam::111111111111:role/r', MAILROUTE_INSTANCE_TYPE: 'ml.t2.medium',
        MAILROUTE_INSTANCE_COUNT: '1', MAILROUTE_SUBNET_IDS: 'a', MAILROUTE_SECURITY_GROUP_IDS: 'sg',
        MAILROUTE_TABLE_NAME: 't', MAILROUTE_ARTIFACT_BUCKET: 'b', MAILROUTE_ENVIRONMENT: 'dev', MAILROUTE_INFERENCE_IMAGE: 'ecr/serving:1' });
      const api = await import(${JSON.stringify(path.join(dist, 'api', 'index.mjs'))});
      const deployer = await import(${JSON.stringify(path.join(dist, 'deployer', 'index.mjs'))});
      const quality = await import(${JSON.stringify(path.join(dist, 'quality', 'index.mjs'))});
      const register = await import(${JSON.stringify(path.join(dist, 'register', 'index.mjs'))});
      const exportFeedback = await import(${JSON.stringify(path.join(dist, 'export-feedback', 'index.mjs'))});
      let code = 'none';
      try { await deployer.handler({ source: 'aws.s3' }); } catch (error) { code = error.code; }
      // Refused before any AWS call: the URI is outside the training output prefix.
      let registerCode = 'none';
      try { await register.handler({ ArtifactUri: 's3://b/models/x/' }); } catch (error) { registerCode = error.code; }
      // Refused before any AWS call too: the data folder is outside data/.
      let exportCode = 'none';
      try { await exportFeedback.handler({ TrainingDataUri: 's3://b/models/', ConfigUri: 's3://b/data/config/' }); } catch (error) { exportCode = error.code; }
      process.stdout.write(JSON.stringify({ api: typeof api.handler, deployer: typeof deployer.handler, quality: typeof quality.handler, register: typeof register.handler, exportFeedback: typeof exportFeedback.handler, code, registerCode, exportCode }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(JSON.parse(out)).toEqual({ api: 'function', deployer: 'function', quality: 'function', register: 'function', exportFeedback: 'function', code: 'DEPLOY_EVENT_INVALID', registerCode: 'REGISTER_EVENT_INVALID', exportCode: 'FEEDBACK_EXPORT_INVALID' });
  }, 60_000);
});

// Pulumi runs the compiled program in plain Node: the workspace's packages export TypeScript, so none may
// be left as an import (npm packages are).
describe.skipIf(programStale !== undefined)('Pulumi program bundle (skipped: run `npx nx run infra:build` first)', () => {
  it('imports only npm packages and node builtins', () => {
    const specifiers = [...readFileSync(program, 'utf8').matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(specifiers).toContain('@pulumi/pulumi');
    expect(specifiers.filter((s) => s.startsWith('@mailroute/') || s.startsWith('.'))).toEqual([]);
  });
});
