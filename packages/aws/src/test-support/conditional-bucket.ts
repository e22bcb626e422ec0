// An in-memory bucket behind aws-sdk-client-mock that honours S3's conditional writes, which s3rver ignores on PUT:
// If-None-Match: * (412 PreconditionFailed when the key has an object) and If-Match: <etag> (412 when the object's
// ETag is another, 404 NoSuchKey when there is none). GetObject and PutObject answer the object's ETag; ListObjectsV2
// lists the keys under a prefix in one page (with a delimiter, those with none after the prefix, as S3 lists them).
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import type { AwsClientStub } from 'aws-sdk-client-mock';

type Out = never;

export interface ConditionalBucket {
  objects: Map<string, { data: Buffer; etag: string }>;
  /** The text of an object, or undefined. */
  text: (key: string) => string | undefined;
  /**
   * Runs when a PutObject arrives, before its condition is checked: another writer's turn, as if this request were
   * slow on the way. Set by a test; `input` is the PutObject's.
   */
  beforePut?: (input: PutObjectCommandInput) => Promise<void> | void;
  /** An error to answer the next PutObject with instead (once), before anything is checked. */
  failNextPut?: Error;
}

export function s3Error(name: string, status: number, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
}

async function bodyBytes(body: PutObjectCommandInput['Body']): Promise<Buffer> {
  if (body instanceof Readable) {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks);
  }
  return Buffer.from(body as Buffer | string);
}

export function conditionalBucket(s3m: AwsClientStub<S3Client>): ConditionalBucket {
  const objects = new Map<string, { data: Buffer; etag: string }>();
  const bucket: ConditionalBucket = { objects, text: (key) => objects.get(key)?.data.toString('utf8') };
  s3m.on(PutObjectCommand).callsFake(async (input: PutObjectCommandInput) => {
    const failure = bucket.failNextPut;
    if (failure) {
      bucket.failNextPut = undefined;
      throw failure;
    }
    const key = input.Key as string;
    const data = await bodyBytes(input.Body);
    await bucket.beforePut?.(input);
    const there = objects.get(key);
    if (input.IfNoneMatch === '*' && there) throw s3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold');
    if (input.IfMatch !== undefined) {
      if (!there) throw s3Error('NoSuchKey', 404, 'The specified key does not exist.');
      if (there.etag !== input.IfMatch) throw s3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold');
    }
    const etag = `"${createHash('md5').update(data).digest('hex')}"`;
    objects.set(key, { data, etag });
    return { ETag: etag } as Out;
  });
  s3m.on(GetObjectCommand).callsFake((input) => {
    const object = objects.get(input.Key as string);
    if (!object) throw s3Error('NoSuchKey', 404, 'The specified key does not exist.');
    return { ETag: object.etag, Body: { transformToString: async () => object.data.toString('utf8') } } as Out;
  });
  s3m.on(ListObjectsV2Command).callsFake((input) => {
    const prefix = input.Prefix ?? '';
    const keys = [...objects.keys()].filter((key) => key.startsWith(prefix) && !(input.Delimiter && key.slice(prefix.length).includes(input.Delimiter)));
    return { Contents: keys.sort().map((Key) => ({ Key })), IsTruncated: false } as Out;
  });
  s3m.on(DeleteObjectCommand).callsFake((input) => {
    objects.delete(input.Key as string);
    return {} as Out;
  });
  return bucket;
}
