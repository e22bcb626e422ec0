import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { loadableManifest } from '@mailroute/model/testing';
import { writeFixtureModel } from '@mailroute/serving/testing';
import { REGISTER_ENV } from '../contracts.js';
import { listKeys, uploadDirectory } from '../s3-artifacts.js';
import { fakeModelPackageGroup, startS3rver, testCredentials } from '../test-support/fake-model-package-group.js';
import { createRegisterHandler, createRegisterHandlerFromEnv, noRoomError } from './register-handler.js';

const sagemaker = new SageMakerClient({ region: 'eu-central-1', credentials: testCredentials });
const sm = mockClient(sagemaker);
const config = { artifactBucket: 'artifacts', modelsPrefix: 'models/', modelPackageGroupName: 'mailroute-dev', inferenceImage: 'ecr/serving:7', trainingOutputPrefix: 'training-output/' };
const ARN_1 = 'arn:aws:sagemaker:eu-central-1:111111111111:model-package/mailroute-dev/1';

describe('register Lambda: a training job output into the model registry', () => {
  let root: string;
  let tmpDir: string;
  let s3: S3Client;
  let closeS3: () => Promise<void>;
  let jobs = 0;
  let packages: ReturnType<typeof fakeModelPackageGroup>;
  let register: (event: unknown) => Promise<Record<string, string>>;

  /**
   * Uploads a fresh artifact as the training job `job-<n>` leaves it (a real ngram-bag artifact, written by the
   * model package's writer, the one training exports with); answers its model id and S3 prefix.
   */
  async function trainingOutput(reuse: { modelId?: string; queueLabels?: readonly [string, string] } = {}): Promise<{ modelId: string; key: string; uri: string }> {
    jobs += 1;
    const modelId = reuse.modelId ?? `ngram-bag-20261201-0300-j${jobs}`;
    const dir = path.join(root, `trained-${jobs}`);
    await writeFixtureModel(dir, modelId, { labels: reuse.queueLabels });
    const key = `training-output/retrain/job-${jobs}/output/model/`;
    await uploadDirectory(s3, 'artifacts', key, dir);
    return { modelId, key, uri: `s3://artifacts/${key}` };
  }

  const put = (key: string, body: string) => s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: key, Body: body }));
  const nothingPublished = async (modelId: string) => {
    expect(await listKeys(s3, 'artifacts', `models/${modelId}`)).toEqual([]);
    expect(sm.commandCalls(CreateModelPackageCommand)).toHaveLength(0);
    expect(await readdir(tmpDir)).toEqual([]);
  };

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-register-test-'));
    ({ s3, close: closeS3 } = await startS3rver(root));
  });
  afterAll(async () => {
    await closeS3?.();
    await rm(root, { recursive: true, force: true });
  });
  beforeEach(async () => {
    sm.reset();
    packages = fakeModelPackageGroup(sm);
    tmpDir = path.join(root, `lambda-tmp-${jobs}`);
    await mkdir(tmpDir, { recursive: true });
    register = createRegisterHandler({ s3, sagemaker, config, tmpDir });
  });

  it('publishes the artifact under models/<id>/ as a pending package and answers the step outputs, leaving /tmp empty', async () => {
    const { modelId, uri } = await trainingOutput();
    // SageMaker names uncompressed model artifacts without the trailing slash; a model.tar.gz beside the folder is not part of it.
    await put('training-output/retrain/job-1/output/model.tar.gz', 'not part of the artifact');
    const answer = await register({ ArtifactUri: uri.slice(0, -1), Note: 'execution-abc123' });
    expect(answer).toEqual({ ModelId: modelId, ModelPackageArn: ARN_1 });
    expect(await listKeys(s3, 'artifacts', `models/${modelId}/`)).toEqual([`models/${modelId}/manifest.json`, `models/${modelId}/model.onnx`]);
    const input = sm.commandCalls(CreateModelPackageCommand)[0].args[0].input;
    expect(input).toMatchObject({ ModelPackageGroupName: 'mailroute-dev', ModelApprovalStatus: 'PendingManualApproval' });
    expect(input.InferenceSpecification?.Containers?.[0]).toMatchObject({
      Image: 'ecr/serving:7',
      ModelDataSource: { S3DataSource: { S3Uri: `s3://artifacts/models/${modelId}/`, CompressionType: 'None' } },
    });
    expect(input.CustomerMetadataProperties).toMatchObject({ 'mailroute:id': modelId, 'mailroute:note': 'execution-abc123' });
    expect(await readdir(tmpDir)).toEqual([]);
  });

  it('answers the same model when the step is retried, without a second package', async () => {
    const { modelId, uri } = await trainingOutput();
    const first = await register({ ArtifactUri: uri, Note: 'execution-1' });
    const again = await register({ ArtifactUri: uri, Note: 'execution-1' });
    expect(again).toEqual(first);
    expect(first).toEqual({ ModelId: modelId, ModelPackageArn: ARN_1 });
    expect(packages).toHaveLength(1);
    expect(await readdir(tmpDir)).toEqual([]);
  });

  it('refuses another artifact under an id already registered (another manifest), as a duplicate', async () => {
    const { modelId, uri } = await trainingOutput();
    await register({ ArtifactUri: uri });
    const other = await trainingOutput({ modelId, queueLabels: ['payments', 'cards'] });
    await expect(register({ ArtifactUri: other.uri })).rejects.toMatchObject({ code: 'REGISTRY_DUPLICATE' });
    expect(packages).toHaveLength(1);
    expect(await readdir(tmpDir)).toEqual([]);
  });

  it('refuses a file changed after training, naming it in S3, and publishes nothing', async () => {
    const { modelId, key, uri } = await trainingOutput();
    await put(`${key}model.onnx`, 'tampered');
    await expect(register({ ArtifactUri: uri })).rejects.toMatchObject({
      code: 'REGISTRY_ARTIFACT_INVALID',
      message: `model.onnx in ${uri} does not match its sha256 in the manifest; nothing was registered`,
    });
    await nothingPublished(modelId);
  });

  it('refuses an artifact with a listed file missing, and publishes nothing', async () => {
    const { modelId, key, uri } = await trainingOutput();
    await s3.send(new DeleteObjectCommand({ Bucket: 'artifacts', Key: `${key}model.onnx` }));
    await expect(register({ ArtifactUri: uri })).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringContaining(`model.onnx listed in the manifest is missing from ${uri}`) });
    await nothingPublished(modelId);
  });

  it('refuses a file the manifest does not list, and publishes nothing', async () => {
    const { modelId, key, uri } = await trainingOutput();
    await put(`${key}extra/notes.txt`, 'unchecked');
    await expect(register({ ArtifactUri: uri })).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringContaining('extra/notes.txt not listed in manifest.json') });
    await nothingPublished(modelId);
  });

  it('refuses an empty prefix and a manifest without a modelId', async () => {
    await expect(register({ ArtifactUri: 's3://artifacts/training-output/retrain/none/output/model/' })).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringContaining('no artifact under') });
    // A manifest a server would load but for its modelId (the version id, which a retried step finds its package by).
    const { modelId: _, ...withoutId } = loadableManifest('unnamed', ['queue'], { 'model.onnx': createHash('sha256').update('x').digest('hex') });
    await put('training-output/retrain/no-id/output/model/model.onnx', 'x');
    await put('training-output/retrain/no-id/output/model/manifest.json', JSON.stringify(withoutId));
    await expect(register({ ArtifactUri: 's3://artifacts/training-output/retrain/no-id/output/model/' })).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringContaining('names no modelId') });
    expect(sm.commandCalls(CreateModelPackageCommand)).toHaveLength(0);
    expect(await readdir(tmpDir)).toEqual([]);
  });

  it.each([
    ['another bucket', 's3://other-bucket/training-output/retrain/job-1/output/model/', /in bucket other-bucket/],
    ['the models prefix', 's3://artifacts/models/ngram-bag-20261201-0300-j1/', /not under s3:\/\/artifacts\/training-output\//],
    ['a path climbing out', 's3://artifacts/training-output/../models/x/', /"\.\."/],
    ['an empty segment', 's3://artifacts/training-output//x/', /empty/],
    ['the training output prefix itself', 's3://artifacts/training-output/', /not under/],
    ['a prefix that only starts alike', 's3://artifacts/training-output-evil/x/', /not under/],
    ['not an s3 URI', 'https://artifacts.s3.amazonaws.com/training-output/x/', /not an s3:\/\//],
  ])('refuses %s before reading anything', async (_what, uri, message) => {
    await expect(register({ ArtifactUri: uri, Note: 'n' })).rejects.toMatchObject({ code: 'REGISTER_EVENT_INVALID', message: expect.stringMatching(message) });
    expect(sm.commandCalls(CreateModelPackageCommand)).toHaveLength(0);
  });

  it('refuses an event that is not the Register step', async () => {
    for (const event of [undefined, {}, { artifactUri: 's3://artifacts/training-output/x/' }, { ArtifactUri: 7 }, { ArtifactUri: 's3://artifacts/training-output/x/', Note: 3 }]) {
      await expect(register(event)).rejects.toMatchObject({ code: 'REGISTER_EVENT_INVALID' });
    }
  });
});

describe('createRegisterHandlerFromEnv', () => {
  const env = {
    [REGISTER_ENV.artifactBucket]: 'artifacts',
    [REGISTER_ENV.modelPackageGroupName]: 'mailroute-dev',
    [REGISTER_ENV.inferenceImage]: 'ecr/serving:7',
  };

  it('takes its settings from REGISTER_ENV, defaulting the prefixes', async () => {
    const register = createRegisterHandlerFromEnv(env, { sagemaker });
    await expect(register({ ArtifactUri: 's3://artifacts/models/x/' })).rejects.toThrow(/not under s3:\/\/artifacts\/training-output\//);
    const custom = createRegisterHandlerFromEnv({ ...env, [REGISTER_ENV.trainingOutputPrefix]: 'jobs/' }, { sagemaker });
    await expect(custom({ ArtifactUri: 's3://artifacts/training-output/x/' })).rejects.toThrow(/not under s3:\/\/artifacts\/jobs\//);
  });

  it('says of a full /tmp which artifact did not fit and what to change, not a bare ENOSPC', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(noRoomError(full, 's3://artifacts/training-output/retrain/job-9/output/model/')?.message).toMatch(
      /^s3:\/\/artifacts\/training-output\/retrain\/job-9\/output\/model\/ does not fit this Lambda's \/tmp, where the register step downloads the whole artifact: give the function more ephemeral storage/,
    );
    expect(noRoomError(new Error('other'), 's3://x/')).toBeUndefined();
  });

  it('names the variable that is missing or wrong', () => {
    expect(() => createRegisterHandlerFromEnv({ ...env, [REGISTER_ENV.inferenceImage]: '' })).toThrow(expect.objectContaining({ code: 'AWS_CONFIG_INVALID', message: expect.stringContaining('MAILROUTE_INFERENCE_IMAGE') }));
    expect(() => createRegisterHandlerFromEnv({ ...env, [REGISTER_ENV.trainingOutputPrefix]: 'models/retrain/' })).toThrow(/MAILROUTE_TRAINING_OUTPUT_PREFIX: the training output prefix and the models prefix/);
    expect(() => createRegisterHandlerFromEnv({ ...env, [REGISTER_ENV.modelsPrefix]: 'models' })).toThrow(/MAILROUTE_MODELS_PREFIX: must end with "\/"/);
  });
});
