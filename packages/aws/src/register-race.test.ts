// Two writers at once on the registry's shared objects. Two registrations of one id (two training jobs, two
// publishers): the manifest is written with S3's conditional write (If-None-Match: *), so the second finds the id
// taken instead of writing over the first. Two approvals, or an approval and a failed one: champion.json is moved
// by compare-and-swap (If-Match its ETag), so neither overwrites the other's move. s3rver ignores both conditions
// on PUT, so the bucket here is an in-memory one behind aws-sdk-client-mock that answers as S3 does
// (test-support/conditional-bucket.ts).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateModelPackageCommand, SageMakerClient, UpdateModelPackageCommand } from '@aws-sdk/client-sagemaker';
import { writeLoadableArtifact } from '@mailroute/model/testing';
import { S3SageMakerRegistry } from './s3-sagemaker-registry.js';
import { fakeModelPackageGroup, testCredentials as credentials } from './test-support/fake-model-package-group.js';
import { conditionalBucket, type ConditionalBucket } from './test-support/conditional-bucket.js';

const sagemaker = new SageMakerClient({ region: 'eu-central-1', credentials });
const sm = mockClient(sagemaker);
const s3 = new S3Client({ region: 'eu-central-1', credentials });
const s3m = mockClient(s3);
const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const POINTER = 'models/champion.json';

describe('S3SageMakerRegistry: two writers at once (registrations of one id, approvals)', () => {
  let root: string;
  let registry: S3SageMakerRegistry;
  let bucket: ConditionalBucket;
  let packages: ReturnType<typeof fakeModelPackageGroup>;

  /** An artifact of `modelId` whose model.onnx is `onnx`. */
  async function artifact(name: string, modelId: string, onnx: Buffer): Promise<string> {
    return writeLoadableArtifact(await mkdtemp(path.join(root, `${name}-`)), modelId, { onnx, extra: { dataHash: name } });
  }

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-register-race-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    sm.reset();
    s3m.reset();
    packages = fakeModelPackageGroup(sm);
    bucket = conditionalBucket(s3m);
    registry = new S3SageMakerRegistry({ s3, sagemaker, bucket: 'artifacts', modelPackageGroupName: 'mailroute-dev', inferenceImage: 'img:1', cacheDir: path.join(root, 'cache') });
  });

  it('registers one of two different artifacts under the same id and refuses the other, whose files never overwrite the first', async () => {
    const a = await artifact('a', 'ngram-bag-20261201-0900-aa', Buffer.from([1, 1, 1]));
    const b = await artifact('b', 'ngram-bag-20261201-0900-aa', Buffer.from([2, 2, 2]));
    const results = await Promise.allSettled([registry.register(a), registry.register(b)]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({
      code: 'REGISTRY_DUPLICATE',
      message: expect.stringContaining('s3://artifacts/models/ngram-bag-20261201-0900-aa/manifest.json holds another manifest'),
    });
    expect(packages).toHaveLength(1);
    // Every object is the winner's: the manifest it recorded and the model.onnx that manifest lists.
    const manifest = bucket.objects.get('models/ngram-bag-20261201-0900-aa/manifest.json')?.data as Buffer;
    expect(sha(manifest)).toBe((won[0] as PromiseFulfilledResult<{ manifestSha256?: string }>).value.manifestSha256);
    const listed = (JSON.parse(manifest.toString('utf8')) as { files: Record<string, string> }).files['model.onnx'];
    expect(sha(bucket.objects.get('models/ngram-bag-20261201-0900-aa/model.onnx')?.data as Buffer)).toBe(listed);
  });

  it('registers the same artifact again after a registration that left its files (the same manifest is no other writer)', async () => {
    const a = await artifact('a', 'ngram-bag-20261201-1000-bb', Buffer.from([3]));
    sm.on(CreateModelPackageCommand).rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client' }));
    s3m.on(DeleteObjectCommand).rejects(new Error('AccessDenied')); // the clean-up fails: the files stay
    await expect(registry.register(a)).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(bucket.objects.has('models/ngram-bag-20261201-1000-bb/manifest.json')).toBe(true);
    packages = fakeModelPackageGroup(sm); // SageMaker takes the next call
    await expect(registry.register(a)).resolves.toMatchObject({ id: 'ngram-bag-20261201-1000-bb', version: 1 });
  });
  /** Two versions registered, neither approved yet. */
  async function twoVersions(): Promise<[string, string]> {
    const a = await registry.register(await artifact('a', 'ngram-bag-20261202-0900-aa', Buffer.from([1])));
    const b = await registry.register(await artifact('b', 'ngram-bag-20261202-0900-bb', Buffer.from([2])));
    return [a.id, b.id];
  }
  const pointerId = () => (JSON.parse(bucket.text(POINTER) as string) as { id: string | null }).id;

  it("approvals at once: a settle whose write arrives after the other approval's does not put back the version deployed before it", async () => {
    const [a, b] = await twoVersions();
    // a's approval writes the pointer (a), its status lands, its settle reads the group (a deployed last) and writes
    // a again; that write is slow: b's whole approval (pointer b, status, settle b) runs before it arrives.
    let pointerPuts = 0;
    let approvingB: Promise<unknown> | undefined;
    bucket.beforePut = async (input) => {
      if (input.Key === POINTER && ++pointerPuts === 2) await (approvingB = registry.approve(b));
    };
    await registry.approve(a);
    await approvingB;
    // Both decisions stand, and b's status landed last: the deployer deploys b last, and the pointer names it.
    expect(packages.map((p) => p.status)).toEqual(['Approved', 'Approved']);
    expect(pointerId()).toBe(b);
    expect((await registry.champion())?.id).toBe(b);
  });

  it("approvals at once: a status change that failed puts the previous pointer back only where no other approval moved it since", async () => {
    const [a, b] = await twoVersions();
    // a's status change is slow and then refused (not applied); b's approval runs meanwhile and lands.
    let releaseA!: () => void;
    const aHeld = new Promise<void>((resolve) => (releaseA = resolve));
    sm.on(UpdateModelPackageCommand).callsFake(async (input) => {
      const p = packages.find((x) => x.arn === input.ModelPackageArn)!;
      if (p.props['mailroute:id'] === a) {
        await aHeld;
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
      }
      p.status = input.ModelApprovalStatus as string;
      p.modified = new Date();
      Object.assign(p.props, input.CustomerMetadataProperties);
      return { ModelPackageArn: p.arn } as never;
    });
    const approvingA = registry.approve(a).then(
      () => undefined,
      (error: unknown) => error,
    );
    while (sm.commandCalls(UpdateModelPackageCommand).length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await registry.approve(b);
    releaseA();
    expect(await approvingA).toMatchObject({ name: 'ThrottlingException' });
    // a is not Approved (its change failed), b is and is deployed: the pointer stays on b, not put back to none.
    expect(packages.map((p) => p.status)).toEqual(['PendingManualApproval', 'Approved']);
    expect(pointerId()).toBe(b);
  });
});
