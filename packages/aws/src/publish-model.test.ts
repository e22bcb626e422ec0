import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { DeleteObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { CreateModelPackageCommand, ListModelPackagesCommand, SageMakerClient, SageMakerServiceException } from '@aws-sdk/client-sagemaker';
import { createLocalRegistry } from '@mailroute/model';
import { writeLoadableArtifact } from '@mailroute/model/testing';
import { S3SageMakerRegistry } from './s3-sagemaker-registry.js';
import { publishFailureMessage, publishModel, recordFailedCalls } from './publish-model.js';
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

describe('publishFailureMessage: a failed AWS call named, with what to do', () => {
  const ID = 'ngram-bag-20261129-0900-ee';
  let root: string;
  let artifact: string;
  const s3Client = new S3Client({ region: 'eu-central-1', credentials: testCredentials });
  const s3m = mockClient(s3Client);
  const smClient = new SageMakerClient({ region: 'eu-central-1', credentials: testCredentials });
  const smm = mockClient(smClient);
  // Mocked first, then wrapped (a mock's reset puts a new stub in place): the wrapper notes the call of each error the mock throws.
  const resetMocks = () => {
    s3m.reset();
    smm.reset();
    recordFailedCalls(s3Client, 'S3');
    recordFailedCalls(smClient, 'SageMaker');
    s3m.on(PutObjectCommand).resolves({});
    s3m.on(DeleteObjectCommand).resolves({});
    fakeModelPackageGroup(smm);
  };
  const s3Error = (name: string, status: number, message: string) => new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', message, $metadata: { httpStatusCode: status } });
  const smError = (name: string, status: number, message: string, extra: object = {}) =>
    Object.assign(new SageMakerServiceException({ name, $fault: status >= 500 ? 'server' : 'client', message, $metadata: { httpStatusCode: status } }), extra);
  const failure = async (): Promise<string> => {
    const registry = new S3SageMakerRegistry({ s3: s3Client, sagemaker: smClient, bucket: 'artifacts', modelPackageGroupName: 'mailroute-dev', inferenceImage: 'img:1', cacheDir: path.join(root, 'cache') });
    const error = await publishModel({ registry, artifactDir: artifact }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeDefined();
    return publishFailureMessage(error);
  };
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-publish-fail-'));
    artifact = writeLoadableArtifact(path.join(root, 'trained'), ID, { onnx: Buffer.from([1, 2, 3]), extra: { dataHash: 'sha256:abc' } });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });
  beforeEach(resetMocks);

  it('S3 403 on the upload: names PutObject, the object and the permissions', async () => {
    s3m.on(PutObjectCommand, { Key: `models/${ID}/manifest.json` }).rejects(s3Error('AccessDenied', 403, 'AccessDenied msg'));
    const message = await failure();
    expect(message).toContain(`S3 PutObject to s3://artifacts/models/${ID}/manifest.json failed: AccessDenied (HTTP 403): access denied: the credentials need s3:PutObject on arn:aws:s3:::artifacts/models/${ID}/manifest.json and kms:GenerateDataKey`);
    expect(message).toContain('(AWS: AccessDenied msg)');
  });

  it('S3 SlowDown on a file: names the object and says retry shortly', async () => {
    s3m.on(PutObjectCommand, { Key: `models/${ID}/model.onnx` }).rejects(s3Error('SlowDown', 503, 'SlowDown msg'));
    const message = await failure();
    expect(message).toMatch(new RegExp(`^S3 PutObject to s3://artifacts/models/${ID}/model\\.onnx failed: SlowDown \\(HTTP 503\\): .*retry shortly \\(AWS: SlowDown msg\\)$`));
    expect(s3m.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input.Key)).toContain(`models/${ID}/manifest.json`);
  });

  it('SageMaker throttling CreateModelPackage: names the call and the group, says retry shortly', async () => {
    smm.on(CreateModelPackageCommand).rejects(smError('ThrottlingException', 400, 'Rate exceeded', { $retryable: { throttling: true } }));
    const message = await failure();
    expect(message).toBe("SageMaker CreateModelPackage in model package group mailroute-dev failed: ThrottlingException (HTTP 400): AWS is throttling SageMaker's calls; retry shortly (AWS: Rate exceeded)");
  });

  it('a SageMaker 5xx says retry shortly; its access denied names the action on the group', async () => {
    smm.on(ListModelPackagesCommand).rejects(smError('InternalFailure', 500, 'We encountered an internal error'));
    expect(await failure()).toMatch(/^SageMaker ListModelPackages of model package group mailroute-dev failed: InternalFailure \(HTTP 500\): .*retry shortly/);
    resetMocks();
    smm.on(CreateModelPackageCommand).rejects(smError('AccessDeniedException', 400, 'User: arn:aws:sts::1:assumed-role/ci/x is not authorized to perform: sagemaker:CreateModelPackage on resource: arn:aws:sagemaker:eu-central-1:1:model-package/mailroute-dev/*'));
    expect(await failure()).toContain('SageMaker CreateModelPackage in model package group mailroute-dev failed: AccessDeniedException (HTTP 400): access denied: the credentials need sagemaker:CreateModelPackage on model package group mailroute-dev');
  });

  it('an error of the registry keeps its code', () => {
    expect(publishFailureMessage(Object.assign(new Error('no model "x"'), { name: 'RegistryError', code: 'REGISTRY_NOT_FOUND' }))).toBe('REGISTRY_NOT_FOUND: RegistryError: no model "x"');
  });
});

describe('publish-model against an S3 that denies the upload (AWS_ENDPOINT_URL)', () => {
  it('fails with exit 1, naming S3 PutObject, the object and the permission', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-publish-denied-'));
    const id = 'ngram-bag-20261129-0900-dd';
    const artifact = writeLoadableArtifact(path.join(root, 'trained'), id, { onnx: Buffer.from([1, 2, 3]), extra: { dataHash: 'sha256:abc' } });
    // SageMaker (JSON, x-amz-target) lists an empty group; S3 (REST) denies every write.
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (String(req.headers['x-amz-target'] ?? '').endsWith('ListModelPackages')) {
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{"ModelPackageSummaryList":[]}');
        } else if (req.method === 'PUT') {
          res.writeHead(403, { 'content-type': 'application/xml' }).end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>AccessDenied msg</Message></Error>');
        } else {
          res.writeHead(204).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('MAILROUTE_')));
    const env = {
      ...clean, AWS_CONFIG_FILE: '/nonexistent/mailroute-test', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/mailroute-test',
      AWS_REGION: 'eu-central-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    };
    const script = fileURLToPath(new URL('./scripts/publish-model.ts', import.meta.url));
    // Asynchronously: the fake server answers on this process's event loop.
    const child = spawn(process.execPath, ['--import', 'tsx', script, '--artifact-dir', artifact, '--bucket', 'b', '--group', 'g', '--image', 'i'], { env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    server.close();
    await rm(root, { recursive: true, force: true });
    expect(status).toBe(1);
    expect(stderr).toContain(`publish-model: S3 PutObject to s3://b/models/${id}/manifest.json failed: AccessDenied (HTTP 403): access denied: the credentials need s3:PutObject on arn:aws:s3:::b/models/${id}/manifest.json`);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
