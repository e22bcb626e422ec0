import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INFRA_ROOT } from './testing/stack-files.js';

const dist = path.join(INFRA_ROOT, 'dist');
const built = ['api', 'deployer', 'quality', 'register', 'export-feedback'].every((name) => existsSync(path.join(dist, name, 'index.mjs')));
const program = path.join(dist, 'program', 'main.js');

// Loads the esbuild bundles in a fresh Node, as Lambda would. Needs `npm run build -w packages/infra`.
describe.skipIf(!built)('Lambda bundles (skipped: run `npm run build -w packages/infra` first)', () => {
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
describe.skipIf(!existsSync(program))('Pulumi program bundle (skipped: run `npm run build -w packages/infra` first)', () => {
  it('imports only npm packages and node builtins', () => {
    const specifiers = [...readFileSync(program, 'utf8').matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(specifiers).toContain('@pulumi/pulumi');
    expect(specifiers.filter((s) => s.startsWith('@mailroute/') || s.startsWith('.'))).toEqual([]);
  });
});
