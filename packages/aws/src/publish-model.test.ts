import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import type { S3Client } from '@aws-sdk/client-s3';
import { CreateModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { createLocalRegistry } from '@mailroute/model';
import { writeLoadableArtifact } from '@mailroute/model/testing';
import { S3SageMakerRegistry } from './s3-sagemaker-registry.js';
import { publishModel } from './publish-model.js';
import { listKeys } from './s3-artifacts.js';
import { fakeModelPackageGroup, startS3rver, testCredentials } from './test-support/fake-model-package-group.js';

const sagemaker = new SageMakerClient({ region: 'eu-central-1', credentials: testCredentials });
const sm = mockClient(sagemaker);

describe('publishModel: a locally trained model into the stack', () => {
  let root: string;
  let s3: S3Client;
  let closeS3: () => Promise<void>;
  let home: string;
  let registry: S3SageMakerRegistry;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-publish-'));
    ({ s3, close: closeS3 } = await startS3rver(root));
    home = path.join(root, 'home');
    // A manifest the loader accepts, listing each file's sha256, as a trained artifact's does (the local registry checks both).
    const artifact = writeLoadableArtifact(path.join(root, 'trained'), 'ngram-bag-20261129-0900-aa', { onnx: Buffer.from([1, 2, 3]), extra: { dataHash: 'sha256:abc' } });
    await createLocalRegistry({ home }).register(artifact, { note: 'monthly retrain', runId: 'run-7' });
  });
  afterAll(async () => {
    await closeS3?.();
    await rm(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    sm.reset();
    fakeModelPackageGroup(sm);
    registry = new S3SageMakerRegistry({ s3, sagemaker, bucket: 'artifacts', modelPackageGroupName: 'mailroute-dev', inferenceImage: 'img:1', cacheDir: path.join(root, 'cache') });
  });

  it('uploads a local registry model by id and registers it as a pending model package, with its note and run id', async () => {
    const { version, modelPackageArn, s3Uri } = await publishModel({ registry, modelId: 'ngram-bag-20261129-0900-aa', home });
    expect(modelPackageArn).toBe('arn:aws:sagemaker:eu-central-1:111111111111:model-package/mailroute-dev/1');
    expect(version).toMatchObject({ id: 'ngram-bag-20261129-0900-aa', status: 'PendingManualApproval', note: 'monthly retrain', runId: 'run-7' });
    expect(s3Uri).toBe('s3://artifacts/models/ngram-bag-20261129-0900-aa/');
    expect(await listKeys(s3, 'artifacts', 'models/ngram-bag-20261129-0900-aa/')).toEqual(['models/ngram-bag-20261129-0900-aa/manifest.json', 'models/ngram-bag-20261129-0900-aa/model.onnx']);
    expect(sm.commandCalls(CreateModelPackageCommand)[0].args[0].input).toMatchObject({ ModelPackageGroupName: 'mailroute-dev', ModelApprovalStatus: 'PendingManualApproval' });
  });

  it('takes an artifact directory instead; refuses an unknown id, both or neither, without uploading', async () => {
    expect((await publishModel({ registry, artifactDir: path.join(root, 'trained') })).version.id).toBe('ngram-bag-20261129-0900-aa');
    sm.reset();
    fakeModelPackageGroup(sm);
    await expect(publishModel({ registry, modelId: 'nope', home })).rejects.toMatchObject({ code: 'REGISTRY_NOT_FOUND' });
    await expect(publishModel({ registry, modelId: 'x' })).rejects.toThrow(/MAILROUTE_HOME/);
    await expect(publishModel({ registry })).rejects.toThrow(/one of them/);
    expect(sm.commandCalls(CreateModelPackageCommand)).toHaveLength(0);
  });

  it('refuses an artifact directory whose model.onnx does not match the manifest, naming it, without uploading', async () => {
    const corrupt = writeLoadableArtifact(path.join(root, 'corrupt'), 'ngram-bag-20261129-0900-cc', { onnx: Buffer.from([1, 2, 3]), extra: { dataHash: 'sha256:abc' } });
    await writeFile(path.join(corrupt, 'model.onnx'), Buffer.from([1, 2]));
    await expect(publishModel({ registry, artifactDir: corrupt })).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringContaining('model.onnx') });
    expect(await listKeys(s3, 'artifacts', 'models/ngram-bag-20261129-0900-cc/')).toEqual([]);
    expect(sm.commandCalls(CreateModelPackageCommand)).toHaveLength(0);
  });
});

describe('publish-model (the operator script)', () => {
  const SCRIPT = fileURLToPath(new URL('./scripts/publish-model.ts', import.meta.url));
  const run = (args: string[], env: Record<string, string> = {}) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('MAILROUTE_')));
    const none = { AWS_CONFIG_FILE: '/nonexistent/mailroute-test', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/mailroute-test' };
    return spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { encoding: 'utf8', env: { ...clean, ...none, ...env }, timeout: 60_000 });
  };

  it('says what it does with --help, and names what is missing, without a stack trace', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: publish-model \(--model <local model id> \| --artifact-dir <dir>\)/);
    expect(help.stdout).toContain('PendingManualApproval');
    // The bucket is SSE-KMS with the stack's key: an upload without it is denied.
    expect(help.stdout).toContain('kms:GenerateDataKey');
    const bad = run(['--model', 'm-1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('publish-model: missing --bucket (or MAILROUTE_ARTIFACT_BUCKET), --group (or MAILROUTE_MODEL_PACKAGE_GROUP), --image (or MAILROUTE_INFERENCE_IMAGE)');
    const unknown = run(['--bogus']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('fails in one line with the registry code for an unknown local model', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'mailroute-publish-home-'));
    const res = run(['--model', 'nope', '--home', home, '--bucket', 'b', '--group', 'g', '--image', 'i'], { AWS_REGION: 'eu-central-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/^publish-model: REGISTRY_NOT_FOUND: RegistryError: no model "nope"/m);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    await rm(home, { recursive: true, force: true });
  }, 60_000);

  it('reads the local registry from .mailroute without --home or MAILROUTE_HOME, as mailroute train writes it', async () => {
    const cwd = await mkdtemp(path.join(os.tmpdir(), 'mailroute-publish-cwd-'));
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('MAILROUTE_')));
    const env = { ...clean, AWS_REGION: 'eu-central-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' };
    // Another working directory: tsx by its path, as `--import tsx` is resolved from there.
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const res = spawnSync(process.execPath, ['--import', tsx, SCRIPT, '--model', 'nope', '--bucket', 'b', '--group', 'g', '--image', 'i'], { cwd, encoding: 'utf8', env, timeout: 60_000 });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(`no model "nope" in the registry at ${path.join(cwd, '.mailroute')}`);
    await rm(cwd, { recursive: true, force: true });
  }, 60_000);

  it('reads MAILROUTE_HOME as mailroute does: trimmed, a leading ~/ the user\'s home folder', async () => {
    const userHome = await mkdtemp(path.join(os.tmpdir(), 'mailroute-publish-user-'));
    const res = run(['--model', 'nope', '--bucket', 'b', '--group', 'g', '--image', 'i'], {
      HOME: userHome, MAILROUTE_HOME: ' ~/mr ', AWS_REGION: 'eu-central-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y',
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(`no model "nope" in the registry at ${path.join(userHome, 'mr')}`);
    await rm(userHome, { recursive: true, force: true });
  }, 60_000);
});
