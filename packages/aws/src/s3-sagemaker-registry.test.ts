import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateModelPackageCommand, DescribeModelPackageCommand, ListModelPackagesCommand, SageMakerClient, UpdateModelPackageCommand } from '@aws-sdk/client-sagemaker';
import { listKeys } from './s3-artifacts.js';
import { S3SageMakerRegistry } from './s3-sagemaker-registry.js';
import { fakeModelPackageGroup, startS3rver, testCredentials as credentials } from './test-support/fake-model-package-group.js';
import { modelPackageClientToken } from './model-package-input.js';
import { gateStanding, type GateRecord } from '@mailroute/model';
import { loadableManifest, writeLoadableArtifact } from '@mailroute/model/testing';
import { decodeMeta, encodeMeta, fromModelPackage, headlineMetrics, MAX_METRICS, statusChangeMetadata, toCustomerMetadata } from './registry-metadata.js';

const sagemaker = new SageMakerClient({ region: 'eu-central-1', credentials });
const sm = mockClient(sagemaker);
const fakeGroup = () => fakeModelPackageGroup(sm);
/** Each file's sha256, as a trained artifact's manifest lists them. */
const filesOf = (files: Record<string, Buffer>) => Object.fromEntries(Object.entries(files).map(([name, data]) => [name, createHash('sha256').update(data).digest('hex')]));

describe('S3SageMakerRegistry against s3rver', () => {
  let closeS3: () => Promise<void>;
  let root: string;
  let s3: S3Client;
  let registry: S3SageMakerRegistry;
  let packages: ReturnType<typeof fakeGroup>;
  let counter = 0;
  let made = 0;

  /**
   * A trained artifact (a manifest a server loads, without metrics: they are in metrics.json; model.onnx of
   * [1, 2, 3, 4]; a report) whose manifest names `id`, else an id of its own: the manifest's modelId is the version
   * id, so each registration of a new one is a new version.
   */
  async function newArtifact(id = `ngram-bag-20261129-1015-${++made}`): Promise<string> {
    const dir = writeLoadableArtifact(path.join(root, `artifact-${id}`), id, { onnx: Buffer.from([1, 2, 3, 4]), tasks: ['area', 'queue'], extra: { dataHash: 'sha256:abc' } });
    await mkdir(path.join(dir, 'reports'), { recursive: true });
    await writeFile(path.join(dir, 'metrics.json'), JSON.stringify({ 'queue.macro_f1': 0.81, perClass: { a: 1 } }));
    await writeFile(path.join(dir, 'reports', 'report.md'), '# report');
    return dir;
  }

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-aws-'));
    ({ s3, close: closeS3 } = await startS3rver(root));
  });
  afterAll(async () => {
    await closeS3?.();
    await rm(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    sm.reset();
    packages = fakeGroup();
    counter += 1;
    registry = new S3SageMakerRegistry({
      s3,
      sagemaker,
      bucket: 'artifacts',
      prefix: `models-${counter}/`,
      modelPackageGroupName: 'mailroute-dev',
      inferenceImage: '111111111111.dkr.ecr.eu-central-1.amazonaws.com/mailroute-serving:1',
      cacheDir: path.join(root, `cache-${counter}`),
      now: () => new Date('2026-11-29T10:15:00Z'),
    });
  });

  it('registers: uploads the files, then a pending model package pointing at them', async () => {
    const v = await registry.register(await newArtifact('ngram-bag-20261129-1015-first'), { note: 'first', runId: 'run-1' });
    expect(v).toMatchObject({ id: 'ngram-bag-20261129-1015-first', version: 1, status: 'PendingManualApproval', family: 'ngram-bag', tasks: ['area', 'queue'], dataHash: 'sha256:abc', note: 'first', runId: 'run-1' });
    expect(v.metrics['queue.macro_f1']).toBeCloseTo(0.81, 10);
    const input = sm.commandCalls(CreateModelPackageCommand)[0].args[0].input;
    const container = input.InferenceSpecification?.Containers?.[0];
    expect(container?.ModelDataSource?.S3DataSource).toEqual({ S3Uri: `s3://artifacts/models-${counter}/${v.id}/`, S3DataType: 'S3Prefix', CompressionType: 'None' });
  });

  it('approve promotes to champion; artifactDir downloads the exact files atomically', async () => {
    const a = await registry.register(await newArtifact());
    const b = await registry.register(await newArtifact());
    expect(await registry.champion()).toBeUndefined();
    await registry.approve(a.id, { by: 'lead@example.com' });
    // The deployer deploys every approval: an approval that would leave the pointer behind is refused, unchanged.
    await expect(registry.approve(b.id, { promote: false })).rejects.toMatchObject({ code: 'REGISTRY_NOT_SUPPORTED', message: expect.stringContaining('the endpoint serves the version approved last') });
    expect((await registry.get(b.id)).status).toBe('PendingManualApproval');
    expect((await registry.champion())?.id).toBe(a.id);
    expect((await registry.get(a.id)).statusChangedBy).toBe('lead@example.com');
    const dir = await registry.artifactDir(a.id);
    expect(await readFile(path.join(dir, 'reports', 'report.md'), 'utf8')).toBe('# report');
    expect([...(await readFile(path.join(dir, 'model.onnx')))]).toEqual([1, 2, 3, 4]);
    expect((await readdir(path.dirname(dir))).filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(await registry.artifactDir(a.id)).toBe(dir); // cached
  });

  it('refuses an artifact whose manifest.json was changed in the bucket after registration', async () => {
    const artifact = await newArtifact();
    const a = await registry.register(artifact);
    expect(a.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
    await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: `models-${counter}/${a.id}/manifest.json`, Body: JSON.stringify(loadableManifest(a.id, ['queue', 'area'], filesOf({ 'model.onnx': Buffer.from([1, 2, 3, 4]) }), { dataHash: 'sha256:abc' })) }));
    await expect(registry.artifactDir(a.id)).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_TAMPERED' });
    // Restored in the bucket, it downloads again: the failed copy did not stay in the cache.
    await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: `models-${counter}/${a.id}/manifest.json`, Body: await readFile(path.join(artifact, 'manifest.json')) }));
    expect(await registry.artifactDir(a.id)).toContain(a.id);
  });

  it('refuses, and does not cache, a download whose model.onnx is not the one registered (damaged in the bucket)', async () => {
    const a = await registry.register(await newArtifact());
    const key = `models-${counter}/${a.id}/model.onnx`;
    await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: key, Body: Buffer.from([9, 9]) }));
    await expect(registry.artifactDir(a.id)).rejects.toMatchObject({
      code: 'REGISTRY_ARTIFACT_TAMPERED',
      message: expect.stringContaining(`model.onnx was changed after registration (its sha256 is not the manifest's) in s3://artifacts/models-${counter}/${a.id}/`),
    });
    expect(await readdir(path.join(root, `cache-${counter}`))).toEqual([]);
    // Restored in the bucket, the next call downloads the right bytes: the damaged copy never entered the cache.
    await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: key, Body: Buffer.from([1, 2, 3, 4]) }));
    expect([...(await readFile(path.join(await registry.artifactDir(a.id), 'model.onnx')))]).toEqual([1, 2, 3, 4]);
  });

  it('falls back to the newest Approved version without a champion pointer; refuses bad promotions', async () => {
    const a = await registry.register(await newArtifact());
    const b = await registry.register(await newArtifact());
    await expect(registry.setChampion(a.id)).rejects.toMatchObject({ code: 'REGISTRY_NOT_APPROVED' });
    packages[0].status = 'Approved';
    packages[1].status = 'Approved';
    expect((await registry.champion())?.id).toBe(b.id);
    // The endpoint serves b (approved last): a pointer moved to a would not move it.
    await expect(registry.setChampion(a.id)).rejects.toMatchObject({ code: 'REGISTRY_NOT_SUPPORTED', message: expect.stringContaining('reject the Approved versions approved after it') });
    await registry.setChampion(b.id);
    expect((await registry.champion())?.id).toBe(b.id);
    expect((await registry.reject(b.id)).status).toBe('Rejected');
    expect((await registry.list()).map((v) => [v.version, v.status])).toEqual([[2, 'Rejected'], [1, 'Approved']]);
    expect((await registry.champion())?.id).toBe(a.id); // as the deployer rolls back
    // Rejecting the champion with no other Approved version leaves no champion.
    await registry.reject(a.id);
    expect(await registry.champion()).toBeUndefined();
  });

  it('puts the pointer back in step with a version approved in the SageMaker console (deployed, pointer not moved)', async () => {
    const a = await registry.register(await newArtifact());
    const b = await registry.register(await newArtifact());
    const c = await registry.register(await newArtifact());
    await registry.approve(a.id);
    // The console approves b, later than approve(a) (the fake stamps changes with the real clock): the
    // deployer deploys it; champion.json still names a.
    const day = 86_400_000;
    Object.assign(packages[1], { status: 'Approved', modified: new Date(Date.now() + day) });
    expect((await registry.champion())?.id).toBe(a.id);
    await registry.setChampion(b.id);
    expect((await registry.champion())?.id).toBe(b.id);
    // Approving again the version deployed last does the same, and changes no status.
    Object.assign(packages[2], { status: 'Approved', modified: new Date(Date.now() + 2 * day) });
    const updates = sm.commandCalls(UpdateModelPackageCommand).length;
    expect((await registry.approve(c.id)).status).toBe('Approved');
    expect(sm.commandCalls(UpdateModelPackageCommand)).toHaveLength(updates);
    expect((await registry.champion())?.id).toBe(c.id);
    // Any other Approved version still cannot be made champion: the endpoint would not follow.
    await expect(registry.setChampion(a.id)).rejects.toMatchObject({ code: 'REGISTRY_NOT_SUPPORTED' });
    await expect(registry.approve(b.id)).rejects.toMatchObject({ code: 'REGISTRY_NOT_SUPPORTED' });
    expect((await registry.champion())?.id).toBe(c.id);
  });

  it('rolls the champion back to the champion before it (the other Approved version approved last) when the champion is rejected', async () => {
    const a = await registry.register(await newArtifact());
    const b = await registry.register(await newArtifact());
    const c = await registry.register(await newArtifact());
    await registry.approve(a.id);
    await registry.approve(b.id);
    await registry.approve(c.id);
    expect((await registry.champion())?.id).toBe(c.id);
    await registry.reject(c.id, { note: 'misroutes complaints' });
    expect((await registry.champion())?.id).toBe(b.id);
    // Approving the champion again changes nothing; approving again an older Approved version (no event,
    // nothing deployed) is refused; approving the rejected one again deploys it, so it is the champion.
    expect((await registry.approve(b.id)).status).toBe('Approved');
    await expect(registry.approve(a.id)).rejects.toMatchObject({ code: 'REGISTRY_NOT_SUPPORTED' });
    expect((await registry.champion())?.id).toBe(b.id);
    await registry.approve(c.id, { force: true });
    expect((await registry.champion())?.id).toBe(c.id);
  });

  it('writes the champion pointer before the status change that deploys, and puts it back when that change fails', async () => {
    const a = await registry.register(await newArtifact());
    const b = await registry.register(await newArtifact());
    await registry.approve(a.id);
    const pointerAtUpdate: unknown[] = [];
    const update = sm.commandCalls(UpdateModelPackageCommand).length;
    sm.on(UpdateModelPackageCommand).callsFake(async (input) => {
      const out = await s3.send(new GetObjectCommand({ Bucket: 'artifacts', Key: `models-${counter}/champion.json` }));
      pointerAtUpdate.push(JSON.parse(await out.Body!.transformToString()).id);
      if (input.ModelApprovalStatus === 'Approved') throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      packages.find((p) => p.arn === input.ModelPackageArn)!.status = input.ModelApprovalStatus!;
      return {};
    });
    await expect(registry.approve(b.id)).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(pointerAtUpdate).toEqual([b.id]); // already pointing at b when the deploying change was sent
    expect(sm.commandCalls(UpdateModelPackageCommand)).toHaveLength(update + 1);
    expect((await registry.champion())?.id).toBe(a.id); // put back: b is not Approved
    expect((await registry.get(b.id)).status).toBe('PendingManualApproval');
    await registry.reject(a.id);
    expect(pointerAtUpdate.at(-1)).toBe(null); // rejecting the champion: the pointer moves first too
  });

  it('keeps the pointer when the status change went through though its answer or the describe after it failed', async () => {
    const a = await registry.register(await newArtifact());
    const b = await registry.register(await newArtifact());
    await registry.approve(a.id);
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    // The update is applied (b Approved: the deployer deploys it), then the describe after it is throttled once.
    let describesAfterUpdate = 0;
    const updatesBefore = sm.commandCalls(UpdateModelPackageCommand).length;
    sm.on(DescribeModelPackageCommand).callsFake((input) => {
      const p = packages.find((x) => x.arn === input.ModelPackageName)!;
      if (sm.commandCalls(UpdateModelPackageCommand).length > updatesBefore && describesAfterUpdate++ === 0) throw throttled;
      return { ModelPackageArn: p.arn, ModelPackageVersion: p.version, ModelApprovalStatus: p.status, CreationTime: p.created, CustomerMetadataProperties: p.props };
    });
    expect((await registry.approve(b.id)).status).toBe('Approved');
    expect(describesAfterUpdate).toBe(4); // the throttled one, the check that found b Approved, then each package's as the pointer settles
    expect(packages[1].status).toBe('Approved');
    expect((await registry.champion())?.id).toBe(b.id); // not set back to a: b is what the endpoint gets
  });

  it('settles the pointer on the version approved last when two approvals run at once', async () => {
    const a = await registry.register(await newArtifact());
    const b = await registry.register(await newArtifact());
    // a's status change is slow: b's lands first, though a wrote the pointer first and b after it.
    let releaseA!: () => void;
    const aHeld = new Promise<void>((resolve) => (releaseA = resolve));
    const update = sm.commandCalls(UpdateModelPackageCommand).length;
    sm.on(UpdateModelPackageCommand).callsFake(async (input) => {
      const p = packages.find((x) => x.arn === input.ModelPackageArn)!;
      if (p.props['mailroute:id'] === a.id) await aHeld;
      p.status = input.ModelApprovalStatus;
      p.modified = new Date(Date.now() + (p.props['mailroute:id'] === a.id ? 1000 : 0));
      Object.assign(p.props, input.CustomerMetadataProperties);
      return { ModelPackageArn: p.arn };
    });
    const approvingA = registry.approve(a.id);
    while (sm.commandCalls(UpdateModelPackageCommand).length === update) await new Promise((resolve) => setTimeout(resolve, 5));
    await registry.approve(b.id);
    releaseA();
    await approvingA;
    // a's approval landed last: the deployer deploys it last, and the pointer names it.
    expect((await registry.champion())?.id).toBe(a.id);
  });

  it('leaves the pointer and says what to check when the status cannot be read back after a failed change', async () => {
    const a = await registry.register(await newArtifact());
    const b = await registry.register(await newArtifact());
    await registry.approve(a.id);
    const before = sm.commandCalls(UpdateModelPackageCommand).length;
    sm.on(UpdateModelPackageCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    sm.on(DescribeModelPackageCommand).callsFake((input) => {
      const p = packages.find((x) => x.arn === input.ModelPackageName)!;
      if (sm.commandCalls(UpdateModelPackageCommand).length > before) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      return { ModelPackageArn: p.arn, ModelPackageVersion: p.version, ModelApprovalStatus: p.status, CreationTime: p.created, CustomerMetadataProperties: p.props };
    });
    const failed = await registry.approve(b.id).then(() => undefined, (e: unknown) => e as Error & { code: string });
    expect(failed).toMatchObject({ code: 'REGISTRY_INDEX_INVALID', message: expect.stringContaining(`check the ModelApprovalStatus of ${packages[1].arn}; if it is not Approved, write {"id": "${a.id}"} to champion.json`) });
    expect(failed?.cause).toMatchObject({ name: 'TimeoutError' });
    const out = await s3.send(new GetObjectCommand({ Bucket: 'artifacts', Key: `models-${counter}/champion.json` }));
    expect(JSON.parse(await out.Body!.transformToString()).id).toBe(b.id); // left as it was: unknown whether b deploys
  });

  it("holds every uploaded object to the manifest's sha256 (S3 refuses a file changed since the check), the manifest to the one recorded", async () => {
    const sent = new Map<string, string | undefined>();
    s3.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { Key?: string; ChecksumSHA256?: string };
        if (input.Key?.startsWith(`models-${counter}/`)) sent.set(input.Key.split('/').slice(2).join('/'), input.ChecksumSHA256);
        return next(args);
      },
      { step: 'initialize', name: 'recordChecksums' },
    );
    try {
      const artifact = await newArtifact();
      const v = await registry.register(artifact);
      const base64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
      const manifest = JSON.parse(await readFile(path.join(artifact, 'manifest.json'), 'utf8')) as { files: Record<string, string> };
      expect(Object.fromEntries(sent)).toEqual({
        'manifest.json': base64(v.manifestSha256!),
        'metrics.json': undefined,
        'model.onnx': base64(manifest.files['model.onnx']),
        'reports/report.md': undefined,
      });
    } finally {
      s3.middlewareStack.remove('recordChecksums');
    }
  });

  it('registers nothing, and leaves no file, when a file the manifest lists is gone between the check and the upload', async () => {
    const copy = path.join(root, `copy-${counter}`);
    await cp(await newArtifact(), copy, { recursive: true });
    // Another process removes model.onnx after the sha256 check (here: while the group is searched for the id).
    sm.on(ListModelPackagesCommand).callsFake(async () => {
      await rm(path.join(copy, 'model.onnx'), { force: true });
      return { ModelPackageSummaryList: [] };
    });
    await expect(registry.register(copy)).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringContaining('model.onnx listed in manifest.json missing') });
    expect(packages).toHaveLength(0);
    expect(await listKeys(s3, 'artifacts', `models-${counter}/`)).toEqual([]);
  });

  it('reads a long-lived group a few packages at a time: SageMaker throttles a burst of DescribeModelPackage', async () => {
    for (let i = 0; i < 30; i++) await registry.register(await newArtifact());
    const fakeDescribe = packages.map((p) => ({ ModelPackageArn: p.arn, ModelPackageVersion: p.version, ModelApprovalStatus: p.status, CreationTime: p.created, LastModifiedTime: p.modified, CustomerMetadataProperties: p.props }));
    let inFlight = 0;
    sm.on(DescribeModelPackageCommand).callsFake(async (input) => {
      inFlight += 1;
      try {
        if (inFlight > 8) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
        await new Promise((resolve) => setTimeout(resolve, 1));
        return fakeDescribe.find((d) => d.ModelPackageArn === input.ModelPackageName);
      } finally {
        inFlight -= 1;
      }
    });
    expect((await registry.list()).map((v) => v.version)).toEqual(packages.map((p) => p.version).reverse());
    expect(sm.commandCalls(ListModelPackagesCommand).at(-1)?.args[0].input.MaxResults).toBe(100);
  });

  it('deletes the uploaded files when CreateModelPackage fails and made no package', async () => {
    sm.on(CreateModelPackageCommand).rejects(Object.assign(new Error('ResourceLimitExceeded'), { name: 'ResourceLimitExceeded', $fault: 'client' }));
    await expect(registry.register(await newArtifact())).rejects.toMatchObject({ name: 'ResourceLimitExceeded' });
    expect(await listKeys(s3, 'artifacts', `models-${counter}/`)).toEqual([]);
  });

  it('sends an idempotency token derived from the group and id, within SageMaker\'s limits on it', async () => {
    const v = await registry.register(await newArtifact());
    const token = sm.commandCalls(CreateModelPackageCommand)[0].args[0].input.ClientToken;
    expect(token).toBe(modelPackageClientToken('mailroute-dev', v.id, v.manifestSha256));
    expect(modelPackageClientToken('mailroute-dev', v.id, 'another manifest')).not.toBe(token);
    expect(token).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/);
    expect(token!.length).toBeLessThanOrEqual(36);
    expect(modelPackageClientToken('mailroute-dev', 'x'.repeat(200))).toHaveLength(32);
    expect(modelPackageClientToken('mailroute-prod', v.id)).not.toBe(token);
  });

  it('keeps the files and returns the package when CreateModelPackage made it but its answer was lost', async () => {
    sm.on(CreateModelPackageCommand).callsFake((input) => {
      const version = packages.length + 1;
      const arn = `arn:aws:sagemaker:eu-central-1:111111111111:model-package/mailroute-dev/${version}`;
      packages.push({ arn, version, status: input.ModelApprovalStatus, created: new Date(), modified: new Date(), props: { ...input.CustomerMetadataProperties }, input });
      throw Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
    });
    const { version: v, modelPackageArn } = await registry.registerPackage(await newArtifact('ngram-bag-20261129-1015-lost'));
    expect(v).toMatchObject({ id: 'ngram-bag-20261129-1015-lost', status: 'PendingManualApproval', version: 1 });
    // The ARN of the package found, as the register Lambda answers it.
    expect(modelPackageArn).toBe('arn:aws:sagemaker:eu-central-1:111111111111:model-package/mailroute-dev/1');
    expect(await registry.modelPackage(v.id)).toEqual({ version: v, modelPackageArn });
    expect(await listKeys(s3, 'artifacts', `models-${counter}/${v.id}/`)).toContain(`models-${counter}/${v.id}/model.onnx`);
    expect(packages).toHaveLength(1);
  });

  it('sends the create again, keeping the files, when its answer was lost and the listing does not show the package yet', async () => {
    // SageMaker makes the package and the answer is lost; ListModelPackages shows it only later. The second create,
    // with the same ClientToken, answers the package made (as SageMaker's idempotency does).
    const made: Array<{ token?: string; arn: string }> = [];
    sm.on(CreateModelPackageCommand).callsFake((input) => {
      const earlier = made.find((m) => m.token === input.ClientToken);
      if (earlier) return { ModelPackageArn: earlier.arn };
      const version = packages.length + 1;
      const arn = `arn:aws:sagemaker:eu-central-1:111111111111:model-package/mailroute-dev/${version}`;
      packages.push({ arn, version, status: input.ModelApprovalStatus, created: new Date(), modified: new Date(), props: { ...input.CustomerMetadataProperties }, input });
      made.push({ token: input.ClientToken, arn });
      throw Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
    });
    let lagging = true;
    sm.on(ListModelPackagesCommand).callsFake(() => ({ ModelPackageSummaryList: (lagging ? packages.slice(0, -1) : packages).map((p) => ({ ModelPackageArn: p.arn })).reverse() }));
    const { version: v, modelPackageArn } = await registry.registerPackage(await newArtifact('ngram-bag-20261129-1015-lagging'));
    expect([v.id, modelPackageArn, packages.length]).toEqual(['ngram-bag-20261129-1015-lagging', 'arn:aws:sagemaker:eu-central-1:111111111111:model-package/mailroute-dev/1', 1]);
    expect(await listKeys(s3, 'artifacts', `models-${counter}/${v.id}/`)).toContain(`models-${counter}/${v.id}/model.onnx`);
    // Both creates lost: the files stay, and the error says why.
    lagging = true;
    sm.on(CreateModelPackageCommand).rejects(Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }));
    await expect(registry.register(await newArtifact('ngram-bag-20261129-1015-lost-twice'))).rejects.toMatchObject({ code: 'REGISTRY_INDEX_INVALID', message: expect.stringContaining('failed twice') });
    expect(await listKeys(s3, 'artifacts', `models-${counter}/ngram-bag-20261129-1015-lost-twice/`)).not.toEqual([]);
  });

  it('does not take a package another writer made under the same id (another manifest) for its own', async () => {
    sm.on(CreateModelPackageCommand).callsFake((input) => {
      const version = packages.length + 1;
      const arn = `arn:aws:sagemaker:eu-central-1:111111111111:model-package/mailroute-dev/${version}`;
      const props = { ...input.CustomerMetadataProperties, 'mailroute:manifestSha256': 'f'.repeat(64) };
      packages.push({ arn, version, status: input.ModelApprovalStatus, created: new Date(), modified: new Date(), props, input });
      throw Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
    });
    await expect(registry.register(await newArtifact())).rejects.toMatchObject({ code: 'REGISTRY_DUPLICATE', message: expect.stringContaining('at the same time by another writer') });
    expect(await listKeys(s3, 'artifacts', `models-${counter}/`)).not.toEqual([]);
  });

  it('keeps the files and says what to check when the group cannot be searched after a failed create', async () => {
    sm.on(CreateModelPackageCommand).rejects(Object.assign(new Error('We encountered an internal error'), { name: 'InternalFailure' }));
    const lists = sm.commandCalls(ListModelPackagesCommand).length;
    sm.on(ListModelPackagesCommand).callsFake(() => {
      if (sm.commandCalls(CreateModelPackageCommand).length > 0) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      return { ModelPackageSummaryList: [] };
    });
    const failed = await registry.register(await newArtifact('ngram-bag-20261129-1015-unsearched')).then(() => undefined, (e: unknown) => e as Error & { code: string });
    expect(failed).toMatchObject({ code: 'REGISTRY_INDEX_INVALID', message: expect.stringContaining(`its files under s3://artifacts/models-${counter}/ngram-bag-20261129-1015-unsearched/ were kept: if no package in the group has mailroute:id ngram-bag-20261129-1015-unsearched, delete them`) });
    expect(failed?.cause).toMatchObject({ name: 'InternalFailure' });
    expect(sm.commandCalls(ListModelPackagesCommand).length).toBeGreaterThan(lists);
    expect(await listKeys(s3, 'artifacts', `models-${counter}/`)).not.toEqual([]);
  });

  it('reads an unreadable champion pointer again, then reports it with a code', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: `models-${counter}/champion.json`, Body: '' }));
    await expect(registry.champion()).rejects.toMatchObject({ code: 'REGISTRY_INDEX_INVALID', message: expect.stringContaining('champion.json is not a champion pointer') });
  });

  it("gives back a decision's note of up to 1,000 characters whole, not the metadata's 256", async () => {
    const a = await registry.register(await newArtifact());
    const note = 'Schwächer bei Beschwerden (queue F1 -0,04); siehe Auswertung 😀 '.repeat(12).slice(0, 700);
    expect((await registry.approve(a.id, { by: 'lead', note })).statusNote).toBe(note);
    expect((await registry.get(a.id)).statusNote).toBe(note);
    const long = 'ä'.repeat(999) + '😀' + 'b';
    expect((await registry.reject(a.id, { note: long })).statusNote).toBe('ä'.repeat(999)); // never half a character
  });

  it('keeps a rejection unless approval is forced; the decision note does not replace the registration note', async () => {
    const a = await registry.register(await newArtifact(), { note: 'monthly retrain' });
    await registry.reject(a.id, { by: 'bob', note: 'queue too weak' });
    await expect(registry.approve(a.id, { by: 'carol' })).rejects.toMatchObject({ code: 'REGISTRY_REJECTED', message: expect.stringContaining('was rejected by bob') });
    expect((await registry.get(a.id)).status).toBe('Rejected');
    const forced = await registry.approve(a.id, { by: 'carol', force: true });
    expect(forced).toMatchObject({ status: 'Approved', statusChangedBy: 'carol', note: 'monthly retrain' });
    expect(forced.statusNote).toBe('approved with force over a rejection by bob at 2026-11-29T10:15:00.000Z'); // not the rejection's note: whose rejection it undid, as the local registry says it
    expect((await registry.champion())?.id).toBe(a.id);
  });

  describe('gate records', () => {
    const gate = (pass: boolean, champion: string): GateRecord => ({
      pass,
      champion,
      failed: pass ? [] : ['queue: macro-F1 drop ≤ 0.5 pts: 0.8100 → 0.7000'],
      thresholds: { maxMacroF1DropPoints: 0.5 },
      at: '2026-12-01T09:00:00.000Z',
    });
    const gateKey = (id: string) => `models-${counter}/${id}.gate.json`;
    const pointer = async () => JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: 'artifacts', Key: `models-${counter}/champion.json` }))).Body!.transformToString()) as { id: string | null };

    it('keeps the last gate as <prefix><id>.gate.json, outside the artifact; get, list and champion show it', async () => {
      const a = await registry.register(await newArtifact());
      const b = await registry.register(await newArtifact());
      await registry.recordGate(a.id, gate(true, 'm-old'));
      await registry.approve(a.id);
      expect(await registry.recordGate(b.id, gate(false, a.id))).toEqual({ ...b, gate: gate(false, a.id) });
      expect((await registry.recordGate(b.id, gate(true, a.id))).gate).toEqual(gate(true, a.id)); // the last one replaces it
      expect((await registry.get(b.id)).gate).toEqual(gate(true, a.id));
      expect((await registry.list()).map((v) => [v.id, v.gate?.pass])).toEqual([[b.id, true], [a.id, true]]);
      expect(JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: 'artifacts', Key: gateKey(b.id) }))).Body!.transformToString())).toEqual(gate(true, a.id));
      // Neither the model data SageMaker copies into the container nor the downloaded artifact holds it.
      expect((await listKeys(s3, 'artifacts', `models-${counter}/${b.id}/`)).filter((k) => k.includes('gate'))).toEqual([]);
      expect(await readdir(await registry.artifactDir(b.id))).not.toContain('gate.json');
      expect((await registry.champion())?.gate).toEqual(gate(true, 'm-old'));
      // list learns which ids have one from the registry's top level alone (the versions' files are one level down),
      // beside a's approval and the change of champion it made (the audit trail below).
      expect((await listKeys(s3, 'artifacts', `models-${counter}/`, '/')).sort()).toEqual(
        [gateKey(a.id), gateKey(b.id), `models-${counter}/${a.id}.decision.1.json`, `models-${counter}/champion.json`, `models-${counter}/champion-history.json`].sort(),
      );
    });

    it('refuses to approve a version whose last gate failed, changing nothing; force approves it and its note says so', async () => {
      const a = await registry.register(await newArtifact());
      const b = await registry.register(await newArtifact());
      await registry.approve(a.id);
      await registry.recordGate(b.id, gate(false, a.id));
      const updates = sm.commandCalls(UpdateModelPackageCommand).length;
      await expect(registry.approve(b.id, { by: 'carol' })).rejects.toMatchObject({
        code: 'REGISTRY_GATE_FAILED',
        message: `model "${b.id}" failed its gate against ${a.id} at 2026-12-01T09:00:00.000Z: queue: macro-F1 drop ≤ 0.5 pts: 0.8100 → 0.7000; run the comparison again, or pass force to approve it anyway`,
      });
      expect(sm.commandCalls(UpdateModelPackageCommand)).toHaveLength(updates);
      expect((await registry.get(b.id)).status).toBe('PendingManualApproval');
      expect((await pointer()).id).toBe(a.id);
      const forced = await registry.approve(b.id, { by: 'carol', note: 'urgent fix', force: true });
      expect(forced).toMatchObject({ status: 'Approved', statusChangedBy: 'carol', gate: gate(false, a.id) });
      expect(forced.statusNote).toBe(`approved with force over a failed gate (against ${a.id} at 2026-12-01T09:00:00.000Z: queue: macro-F1 drop ≤ 0.5 pts: 0.8100 → 0.7000); urgent fix`);
      expect(sm.commandCalls(UpdateModelPackageCommand).at(-1)?.args[0].input.ApprovalDescription).toBe(forced.statusNote);
      expect((await pointer()).id).toBe(b.id);
    });

    it('hands approve the gate it checked, so a gate that passed against a former champion reads as stale for the version as it was', async () => {
      const a = await registry.register(await newArtifact());
      const b = await registry.register(await newArtifact());
      const c = await registry.register(await newArtifact());
      await registry.approve(a.id);
      await registry.recordGate(c.id, gate(true, a.id));
      await registry.approve(b.id);
      const championBefore = (await registry.champion())?.id;
      const before = await registry.get(c.id);
      const approved = await registry.approve(c.id);
      expect(approved.gate).toEqual(gate(true, a.id));
      expect(gateStanding(before, championBefore)).toBe('stale');
      // Approved and champion now: the gate is the record of that decision, not stale.
      expect(gateStanding(approved, (await registry.champion())?.id)).toBe('passed');
      expect((await registry.reject(c.id)).gate).toEqual(gate(true, a.id));
    });

    it('reports a gate object that is not a gate record with a coded error naming it, and approves nothing', async () => {
      const a = await registry.register(await newArtifact());
      await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: gateKey(a.id), Body: '{"pass": tru' }));
      const notJson = `s3://artifacts/${gateKey(a.id)} is not a gate record (not JSON`;
      await expect(registry.get(a.id)).rejects.toMatchObject({ code: 'REGISTRY_INDEX_INVALID', message: expect.stringContaining(notJson) });
      await expect(registry.list()).rejects.toMatchObject({ code: 'REGISTRY_INDEX_INVALID', message: expect.stringContaining(notJson) });
      await expect(registry.approve(a.id)).rejects.toMatchObject({ code: 'REGISTRY_INDEX_INVALID' });
      expect(packages[0].status).toBe('PendingManualApproval');
      await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: gateKey(a.id), Body: JSON.stringify({ ...gate(false, 'm-0'), failed: 'queue' }) }));
      await expect(registry.get(a.id)).rejects.toMatchObject({ code: 'REGISTRY_INDEX_INVALID', message: expect.stringMatching(/is not a gate record \(failed: .*\); run the comparison again/) });
      // The artifact itself is not held up by it: the download never reads the gate.
      expect(await registry.artifactDir(a.id)).toContain(a.id);
    });

    it('keeps the gate a decision was made on: an Approved or Rejected version takes no later gate (REGISTRY_DECIDED), writing nothing', async () => {
      const a = await registry.register(await newArtifact());
      const b = await registry.register(await newArtifact());
      const c = await registry.register(await newArtifact());
      await registry.recordGate(b.id, gate(true, 'm-0'));
      await registry.approve(a.id, { by: 'ann' });
      await registry.approve(b.id, { by: 'bob' });
      await registry.reject(c.id, { by: 'carl', note: 'not needed' });
      const keys = await listKeys(s3, 'artifacts', `models-${counter}/`);
      for (const [id, status, by] of [[a.id, 'Approved', 'ann'], [b.id, 'Approved', 'bob'], [c.id, 'Rejected', 'carl']] as const) {
        await expect(registry.recordGate(id, gate(false, a.id))).rejects.toMatchObject({
          code: 'REGISTRY_DECIDED',
          message: expect.stringMatching(new RegExp(`^model "${id}" is ${status} \\(by ${by} at \\S+\\): a gate is recorded only on a version awaiting its decision`)),
        });
      }
      expect(await listKeys(s3, 'artifacts', `models-${counter}/`)).toEqual(keys);
      // b keeps the gate its approval was made on; a and c, decided with none, have none.
      expect((await registry.list()).map((v) => [v.id, v.gate])).toEqual([[c.id, undefined], [b.id, gate(true, 'm-0')], [a.id, undefined]]);
    });

    it('refuses a gate for an id with no package, writing nothing', async () => {
      await registry.register(await newArtifact());
      const before = await listKeys(s3, 'artifacts', `models-${counter}/`);
      await expect(registry.recordGate('ngram-bag-unknown', gate(false, 'm-0'))).rejects.toMatchObject({ code: 'REGISTRY_NOT_FOUND' });
      expect(await listKeys(s3, 'artifacts', `models-${counter}/`)).toEqual(before);
    });
  });

  describe('audit trail', () => {
    const at = '2026-11-29T10:15:00.000Z';
    const key = (name: string) => `models-${counter}/${name}`;
    const object = async (name: string): Promise<unknown> => JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: 'artifacts', Key: key(name) }))).Body!.transformToString());
    const failed: GateRecord = { pass: false, champion: 'm-0', failed: ['queue: macro-F1 drop ≤ 0.5 pts: 0.8100 → 0.7000'], thresholds: { maxMacroF1DropPoints: 0.5 }, at: '2026-12-01T09:00:00.000Z' };
    const override = 'approved with force over a failed gate (against m-0 at 2026-12-01T09:00:00.000Z: queue: macro-F1 drop ≤ 0.5 pts: 0.8100 → 0.7000)';

    it('keeps each decision as <prefix><id>.decision.<n>.json with the gate it was made on, each change of champion in champion-history.json', async () => {
      const a = await registry.register(await newArtifact());
      const b = await registry.register(await newArtifact());
      await registry.recordGate(b.id, failed);
      await registry.approve(a.id, { by: 'ann' });
      await registry.approve(b.id, { by: 'bob', note: 'urgent', force: true });
      await registry.reject(b.id, { by: 'carl', note: 'misroutes claims' });
      expect(await object(`${a.id}.decision.1.json`)).toEqual({ status: 'Approved', at, by: 'ann' });
      expect(await object(`${b.id}.decision.1.json`)).toEqual({ status: 'Approved', at, by: 'bob', note: `${override}; urgent`, gate: failed });
      expect(await object(`${b.id}.decision.2.json`)).toEqual({ status: 'Rejected', at, by: 'carl', note: 'misroutes claims', gate: failed });
      expect(await object('champion-history.json')).toEqual({
        changes: [
          { id: a.id, at, via: 'approve', by: 'ann' },
          { id: b.id, at, via: 'approve', by: 'bob', note: `${override}; urgent` },
          { id: a.id, at, via: 'rollback', by: 'carl', note: 'misroutes claims' },
        ],
      });
      // The package keeps the last decision, as before; the records keep every one.
      expect(packages[1]).toMatchObject({ status: 'Rejected', approvalDescription: 'misroutes claims' });
      expect((await registry.get(b.id)).history?.map((d) => d.status)).toEqual(['PendingManualApproval', 'Approved', 'Rejected']);
      // None of them is model data: not under a version's prefix, not in the artifact downloaded.
      expect((await listKeys(s3, 'artifacts', key(`${b.id}/`))).filter((k) => /decision|history/.test(k))).toEqual([]);
      expect((await readdir(await registry.artifactDir(a.id))).filter((f) => /decision|history/.test(f))).toEqual([]);
    });

    it("records the champion setChampion puts in step with a console approval, with by and note; the console's decision has no record", async () => {
      const a = await registry.register(await newArtifact());
      const b = await registry.register(await newArtifact());
      await registry.approve(a.id, { by: 'ann' });
      Object.assign(packages[1], { status: 'Approved', modified: new Date(Date.now() + 86_400_000) }); // approved in the console
      await registry.setChampion(b.id, { by: 'ops', note: 'in step with the endpoint' });
      expect(await registry.championChanges()).toEqual([
        { id: a.id, at, via: 'approve', by: 'ann' },
        { id: b.id, at, via: 'champion', by: 'ops', note: 'in step with the endpoint' },
      ]);
      // SageMaker says b is Approved; the registry keeps no record of a decision it did not make.
      expect(await registry.get(b.id)).toMatchObject({ status: 'Approved', history: [{ status: 'PendingManualApproval', at: b.createdAt }] });
    });

    it('reads a registry from before the champion history as the local registry does: its champion then first, with no time', async () => {
      const a = await registry.register(await newArtifact());
      const b = await registry.register(await newArtifact());
      await registry.approve(a.id);
      await s3.send(new DeleteObjectCommand({ Bucket: 'artifacts', Key: key('champion-history.json') }));
      expect(await registry.championChanges()).toEqual([{ id: a.id }]);
      expect(await registry.championHistory()).toEqual([]);
      expect(await registry.championHistoryComplete()).toBe(false);
      await registry.approve(b.id, { by: 'bob' });
      expect(await registry.championChanges()).toEqual([{ id: a.id }, { id: b.id, at, via: 'approve', by: 'bob' }]);
      expect(await registry.championHistoryComplete()).toBe(false);
    });

    it('reports a decision record or a champion history that is not one with a coded error naming it', async () => {
      const a = await registry.register(await newArtifact());
      await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: key(`${a.id}.decision.1.json`), Body: JSON.stringify({ status: 'Maybe', at }) }));
      const named = `s3://artifacts/${key(`${a.id}.decision.1.json`)} is not a decision record (status: `;
      await expect(registry.get(a.id)).rejects.toMatchObject({ code: 'REGISTRY_INDEX_INVALID', message: expect.stringContaining(named) });
      await expect(registry.list()).rejects.toMatchObject({ code: 'REGISTRY_INDEX_INVALID', message: expect.stringContaining(named) });
      await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: key('champion-history.json'), Body: '[]' }));
      await expect(registry.championChanges()).rejects.toMatchObject({ code: 'REGISTRY_INDEX_INVALID', message: expect.stringContaining(`s3://artifacts/${key('champion-history.json')} is not a champion history`) });
    });
  });

  it('uses the manifest modelId as the version id and refuses it twice', async () => {
    const dir = writeLoadableArtifact(path.join(await mkdtemp(path.join(root, 'named-')), 'artifact'), 'ngram-bag-20261129-0900-aa', {
      onnx: Buffer.from([9]),
      extra: { dataHash: 'h', metrics: { queue: { macro_f1: 0.8, accuracy: 0.9 }, note: 'x' }, training: { testedOn: 'held-out-split' }, trainingConfig: { split: { kind: 'stratified', seed: 3, testShare: 0.2 } } },
    });
    const v = await registry.register(dir);
    expect(v.id).toBe('ngram-bag-20261129-0900-aa');
    expect(v.measuredOn).toBe('held-out test split (seed 3, 0.2)'); // as the local registry says it
    expect(v.metrics).toEqual({ 'queue.macro_f1': 0.8, 'queue.accuracy': 0.9 });
    await expect(registry.register(dir)).rejects.toMatchObject({ code: 'REGISTRY_DUPLICATE' });
    expect(sm.commandCalls(CreateModelPackageCommand)).toHaveLength(1);
  });

  it('refuses, before uploading anything, an artifact whose files do not have the sha256s its manifest lists', async () => {
    const dir = await mkdtemp(path.join(root, 'corrupt-'));
    const manifest = loadableManifest('ngram-bag-20261129-0900-bb', ['queue'], filesOf({ 'model.onnx': Buffer.from([1, 2, 3]), 'idf.bin': Buffer.from([7]) }), { dataHash: 'h' });
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    await writeFile(path.join(dir, 'model.onnx'), Buffer.from([1, 2, 0])); // corrupted after training
    await writeFile(path.join(dir, 'idf.bin'), Buffer.from([7]));
    await expect(registry.register(dir)).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringMatching(/^model\.onnx in .* does not match its sha256 in the manifest/) });
    await writeFile(path.join(dir, 'model.onnx'), Buffer.from([1, 2, 3]));
    await rm(path.join(dir, 'idf.bin'));
    await expect(registry.register(dir)).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringContaining('idf.bin listed in the manifest is missing') });
    // A manifest without the files' sha256s cannot be checked (nor loaded by the server): refused too.
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, files: undefined }));
    await expect(registry.register(dir)).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringContaining('lists no valid file sha256s') });
    expect(await listKeys(s3, 'artifacts', `models-${counter}/`)).toEqual([]);
    expect(sm.commandCalls(CreateModelPackageCommand)).toHaveLength(0);
  });

  it('refuses, before uploading anything, task names the package metadata would not give back (empty, with a comma, too long together)', async () => {
    const dir = await mkdtemp(path.join(root, 'tasks-'));
    await writeFile(path.join(dir, 'model.onnx'), Buffer.from([1]));
    const withTasks = (names: string[]) => writeFile(path.join(dir, 'manifest.json'), JSON.stringify(loadableManifest('m-tasks', names, filesOf({ 'model.onnx': Buffer.from([1]) }), { dataHash: 'h' })));
    // Written as one value split at ",": read back as ["Bereich", "Team"] (a name the loader takes).
    await withTasks(['queue', 'Bereich,Team']);
    await expect(registry.register(dir)).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringContaining('task name "Bereich,Team"') });
    // An empty one, which SageMaker refuses as a value, no server loads either: the loader's check refuses it first.
    await withTasks(['']);
    await expect(registry.register(dir)).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringContaining('manifest.json is not one a server can load (tasks.0.name (""): ') });
    // Twelve names of 24 characters take 299 of the value's 256: the list was cut, the last tasks lost.
    await withTasks(Array.from({ length: 12 }, (_, i) => `geschaeftsbereich_${String(i).padStart(6, '0')}`));
    await expect(registry.register(dir)).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringContaining("over SageMaker's 256") });
    expect(await listKeys(s3, 'artifacts', `models-${counter}/`)).toEqual([]);
    expect(sm.commandCalls(CreateModelPackageCommand)).toHaveLength(0);
  });

  it('refuses, before uploading anything, a file whose S3 key would be over 1,024 bytes (S3 refused it halfway through the upload)', async () => {
    const dir = writeLoadableArtifact(await mkdtemp(path.join(root, 'deep-')), 'm-deep', { onnx: Buffer.from([1]), extra: { dataHash: 'h' } });
    // Five folders of 120 umlauts (240 bytes each): a path the local registry copies, a key S3 does not take.
    const deep = Array.from({ length: 5 }, () => 'ä'.repeat(120)).join('/');
    await mkdir(path.join(dir, 'reports', deep), { recursive: true });
    await writeFile(path.join(dir, 'reports', deep, 'report.md'), '# report');
    await expect(registry.register(dir)).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringContaining("over S3's 1024; nothing was registered") });
    expect(await listKeys(s3, 'artifacts', `models-${counter}/`)).toEqual([]);
    expect(sm.commandCalls(CreateModelPackageCommand)).toHaveLength(0);
  });

  it('reports unknown ids and bad artifacts with coded errors', async () => {
    await expect(registry.get('nope')).rejects.toMatchObject({ code: 'REGISTRY_NOT_FOUND' });
    const empty = await mkdtemp(path.join(root, 'empty-'));
    await expect(registry.register(empty)).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID' });
    await writeFile(path.join(empty, 'manifest.json'), JSON.stringify({ tasks: [] }));
    await expect(registry.register(empty)).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID' });
  });

  it('refuses, before uploading anything, a manifest no server can load: a file outside the artifact, the registry\'s fields alone', async () => {
    const onnx = Buffer.from([5]);
    const files = filesOf({ 'model.onnx': onnx });
    const loadable = loadableManifest('m-unloadable', ['queue'], files, { dataHash: 'h' });
    const cases: Array<[manifest: Record<string, unknown>, says: string]> = [
      // Its files' sha256s all match: only the loader's schema finds that the server would read a file outside it.
      [{ ...loadable, onnx: { ...(loadable.onnx as object), file: '../../../../etc/passwd' } }, 'onnx.file ("../../../../etc/passwd"): a plain file name'],
      // What the registry itself reads (id, family, tasks, data hash, files) and nothing the server needs.
      [{ modelId: 'm-unloadable', family: 'ngram-bag', tasks: [{ name: 'queue' }], dataHash: 'h', files }, 'schemaVersion: '],
    ];
    for (const [manifest, says] of cases) {
      const dir = await mkdtemp(path.join(root, 'unloadable-'));
      await writeFile(path.join(dir, 'model.onnx'), onnx);
      await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
      await expect(registry.register(dir)).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringContaining(`${dir}: manifest.json is not one a server can load (${says}`) });
    }
    expect(await listKeys(s3, 'artifacts', `models-${counter}/`)).toEqual([]);
    expect(sm.commandCalls(CreateModelPackageCommand)).toHaveLength(0);
    expect(packages).toHaveLength(0);
  });

  it('refuses a model id the loader takes but no S3 key or cache directory should be named after (not a plain name)', async () => {
    const dir = writeLoadableArtifact(await mkdtemp(path.join(root, 'id-')), '../escape', { onnx: Buffer.from([6]) });
    await expect(registry.register(dir)).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringContaining('manifest.json is not a model manifest: modelId: ') });
    expect(await listKeys(s3, 'artifacts', '')).not.toContainEqual(expect.stringContaining('escape'));
    expect(sm.commandCalls(CreateModelPackageCommand)).toHaveLength(0);
  });
});

describe('registry metadata', () => {
  it('round-trips a version through SageMaker customer metadata', () => {
    const props = toCustomerMetadata({ id: 'x-1', family: 'transformer', tasks: ['a', 'b'], dataHash: 'h', metrics: { f1: 0.5 }, note: 'n'.repeat(300) });
    const v = fromModelPackage({ ModelPackageVersion: 3, ModelApprovalStatus: 'Rejected', CreationTime: new Date('2026-01-01T00:00:00Z'), CustomerMetadataProperties: props });
    expect(v).toMatchObject({ id: 'x-1', version: 3, status: 'Rejected', tasks: ['a', 'b'], metrics: { f1: 0.5 } });
    expect(v.note).toHaveLength(256);
    expect(v.measuredOn).toBeUndefined();
    const measured = toCustomerMetadata({ id: 'x-2', family: 'f', tasks: ['a'], dataHash: 'h', metrics: {}, measuredOn: 'test file march.csv' });
    expect(fromModelPackage({ ModelApprovalStatus: 'Approved', CustomerMetadataProperties: measured }).measuredOn).toBe('test file march.csv');
    expect(() => fromModelPackage({ ModelApprovalStatus: 'Approved' })).toThrow(/mailroute:id/);
    expect(() => fromModelPackage({ ModelApprovalStatus: 'Maybe', CustomerMetadataProperties: props })).toThrow(/status/);
  });

  it("writes only what SageMaker takes (its characters, 256 per value, 128 per key, 50 entries) and reads it back as written", () => {
    const PATTERN = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;
    const metrics = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`queue.f1 (label #${i})`, i / 100]));
    const v = {
      id: 'ngram-bag-20261129-101500-ab12cd',
      family: 'ngram-bag',
      tasks: ['business_area', 'queue', 'topic'],
      dataHash: 'sha256:abc',
      metrics,
      measuredOn: 'held-out test split (seed 3, 0.2)',
      manifestSha256: 'a'.repeat(64),
      runId: 'run-20261129-101500-ab12',
      note: "Monatliches Retraining, 'März' (Kosten: 5 €) = ok! ".repeat(8),
    };
    const decision = statusChangeMetadata('lead@example.com', '2026-11-29T10:15:00.000Z', 'worse on complaints (queue F1 -0.04), see #12');
    const all = { ...toCustomerMetadata(v), ...decision.props };
    expect(Object.keys(all).length).toBeLessThanOrEqual(50);
    for (const [key, value] of Object.entries(all)) {
      expect(key, key).toMatch(PATTERN);
      expect(value, key).toMatch(PATTERN);
      expect(key.length).toBeLessThanOrEqual(128);
      expect(value.length).toBeGreaterThanOrEqual(1);
      expect(value.length).toBeLessThanOrEqual(256);
    }
    const back = fromModelPackage({ ModelApprovalStatus: 'Approved', CustomerMetadataProperties: all });
    expect(back).toMatchObject({ tasks: ['business_area', 'queue', 'topic'], measuredOn: 'held-out test split (seed 3, 0.2)', statusNote: 'worse on complaints (queue F1 -0.04), see #12' });
    expect(v.note.startsWith(back.note as string)).toBe(true); // cut to fit, at a whole character
    expect(back.metrics['queue.f1 (label #0)']).toBeCloseTo(0, 12);
    expect(Object.keys(back.metrics)).toHaveLength(MAX_METRICS);
    expect(decodeMeta(encodeMeta('a=b, €'))).toBe('a=b, €');
  });

  it('flattens nested metrics as the local registry does: four levels deep, fewer when a name has dots of its own', () => {
    const metrics = { queue: { per_label: { billing: { f1: 0.5 }, other: 0.25 } }, 'a.b': { c: { d: 1, e: { f: 2 } } } };
    expect(headlineMetrics(metrics)).toEqual({ 'queue.per_label.billing.f1': 0.5, 'queue.per_label.other': 0.25, 'a.b.c.d': 1 });
  });

  it('keeps the means and each task\'s macro-F1 and accuracy first when a model has more metrics than a package holds (ten tasks)', () => {
    const metrics: Record<string, number> = {};
    for (let t = 0; t < 10; t++) for (const m of ['accuracy', 'macro_f1', 'weighted_f1', 'support']) metrics[`task${t}.${m}`] = t;
    Object.assign(metrics, { mean_macro_f1: 0.8, mean_accuracy: 0.85 });
    const kept = headlineMetrics(metrics);
    expect(Object.keys(kept)).toHaveLength(MAX_METRICS);
    expect(kept).toMatchObject({ mean_macro_f1: 0.8, mean_accuracy: 0.85, 'task9.macro_f1': 9, 'task9.accuracy': 9 });
    // The rest in the manifest's order: the first tasks' other figures.
    expect(kept['task0.weighted_f1']).toBe(0);
    expect(kept['task9.support']).toBeUndefined();
  });
});
