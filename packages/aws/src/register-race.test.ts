// Two registrations of one id at once (two training jobs, two publishers): the manifest is written with S3's
// conditional write (If-None-Match: *), so the second finds the id taken instead of writing over the first.
// s3rver ignores If-None-Match on PUT, so the bucket here is an in-memory one behind aws-sdk-client-mock that
// answers as S3 does: 412 PreconditionFailed when the key has an object.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { mockClient } from 'aws-sdk-client-mock';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { S3SageMakerRegistry } from './s3-sagemaker-registry.js';
import { fakeModelPackageGroup, testCredentials as credentials } from './test-support/fake-model-package-group.js';

type Out = never;
const sagemaker = new SageMakerClient({ region: 'eu-central-1', credentials });
const sm = mockClient(sagemaker);
const s3 = new S3Client({ region: 'eu-central-1', credentials });
const s3m = mockClient(s3);
const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** An in-memory bucket: PutObject honours If-None-Match: * (412 when the key has an object), as S3 does. */
function fakeBucket(): Map<string, Buffer> {
  const objects = new Map<string, Buffer>();
  s3m.on(PutObjectCommand).callsFake(async (input) => {
    const key = input.Key as string;
    if (input.IfNoneMatch === '*' && objects.has(key)) {
      throw Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), { name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
    }
    objects.set(key, Buffer.alloc(0)); // taken at once, as S3 decides the condition on arrival
    const body = input.Body;
    const chunks: Buffer[] = [];
    if (body instanceof Readable) for await (const chunk of body) chunks.push(Buffer.from(chunk as Buffer));
    else chunks.push(Buffer.from(body as Buffer | string));
    objects.set(key, Buffer.concat(chunks));
    return {} as Out;
  });
  s3m.on(GetObjectCommand).callsFake((input) => {
    const data = objects.get(input.Key as string);
    if (!data) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
    return { Body: { transformToString: async () => data.toString('utf8') } } as Out;
  });
  s3m.on(DeleteObjectCommand).callsFake((input) => {
    objects.delete(input.Key as string);
    return {} as Out;
  });
  return objects;
}

describe('S3SageMakerRegistry.register: two registrations of one id at once', () => {
  let root: string;
  let registry: S3SageMakerRegistry;
  let objects: Map<string, Buffer>;
  let packages: ReturnType<typeof fakeModelPackageGroup>;

  /** An artifact of `modelId` whose model.onnx is `onnx`. */
  async function artifact(name: string, modelId: string, onnx: Buffer): Promise<string> {
    const dir = await mkdtemp(path.join(root, `${name}-`));
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ modelId, family: 'ngram-bag', tasks: [{ name: 'queue' }], dataHash: name, files: { 'model.onnx': sha(onnx) } }));
    await writeFile(path.join(dir, 'model.onnx'), onnx);
    return dir;
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
    objects = fakeBucket();
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
    const manifest = objects.get('models/ngram-bag-20261201-0900-aa/manifest.json') as Buffer;
    expect(sha(manifest)).toBe((won[0] as PromiseFulfilledResult<{ manifestSha256?: string }>).value.manifestSha256);
    const listed = (JSON.parse(manifest.toString('utf8')) as { files: Record<string, string> }).files['model.onnx'];
    expect(sha(objects.get('models/ngram-bag-20261201-0900-aa/model.onnx') as Buffer)).toBe(listed);
  });

  it('registers the same artifact again after a registration that left its files (the same manifest is no other writer)', async () => {
    const a = await artifact('a', 'ngram-bag-20261201-1000-bb', Buffer.from([3]));
    sm.on(CreateModelPackageCommand).rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client' }));
    s3m.on(DeleteObjectCommand).rejects(new Error('AccessDenied')); // the clean-up fails: the files stay
    await expect(registry.register(a)).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(objects.has('models/ngram-bag-20261201-1000-bb/manifest.json')).toBe(true);
    packages = fakeModelPackageGroup(sm); // SageMaker takes the next call
    await expect(registry.register(a)).resolves.toMatchObject({ id: 'ngram-bag-20261201-1000-bb', version: 1 });
  });
});
