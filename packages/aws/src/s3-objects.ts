import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import type { z } from 'zod';
import { RegistryError } from '@mailroute/model';
import { S3AccessDeniedError } from './errors.js';

function isNoSuchKey(error: unknown): boolean {
  return error instanceof NoSuchKey || (error as { name?: string } | undefined)?.name === 'NoSuchKey';
}

function isAccessDenied(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'AccessDenied' || e.$metadata?.httpStatusCode === 403;
}

/**
 * Why S3 refused a conditional write (If-Match, If-None-Match: *): `precondition` (412 PreconditionFailed: the object
 * is not the one named, or one is there), `conflict` (409 ConditionalRequestConflict: another conditional write to
 * the key is in flight), `no-such-key` (404 NoSuchKey: no object where If-Match named one); undefined for any other
 * error, a 404 NoSuchBucket (no bucket at all) too.
 */
export type ConditionalWriteRefusal = 'precondition' | 'conflict' | 'no-such-key';

export function conditionalWriteRefusal(error: unknown): ConditionalWriteRefusal | undefined {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  const status = e?.$metadata?.httpStatusCode;
  if (e?.name === 'PreconditionFailed' || status === 412) return 'precondition';
  if (e?.name === 'ConditionalRequestConflict' || status === 409) return 'conflict';
  if (isNoSuchKey(error)) return 'no-such-key';
  return undefined;
}

/**
 * The text of an object and its ETag (what a conditional write names: If-Match), or `undefined` when S3 says it
 * does not exist (404 `NoSuchKey`).
 *
 * A 403 is not taken for "missing": S3 answers 403 for an absent key when the caller lacks s3:ListBucket,
 * but also when it lacks s3:GetObject or the KMS key, and a reader that took a denied champion pointer for
 * "no champion yet" would stop measuring (or serve the bootstrap labels) without a word. It fails instead,
 * naming the permission.
 */
async function readObject(s3: S3Client, bucket: string, key: string): Promise<{ text: string; etag: string | undefined } | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return { text: (await out.Body?.transformToString()) ?? '', etag: out.ETag };
  } catch (error) {
    if (isNoSuchKey(error)) return undefined;
    if (isAccessDenied(error)) {
      throw new S3AccessDeniedError(
        `s3://${bucket}/${key}: access denied (403). S3 answers 403 instead of 404 for an object that does not exist ` +
          `(such as ${key.split('/').at(-1)} before it is first written) when the role lacks s3:ListBucket on ` +
          `arn:aws:s3:::${bucket}; grant s3:ListBucket there (and s3:GetObject on the objects, with the bucket's KMS key if it has one)`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** The text of an object, or `undefined` when it does not exist (see readObject). */
export async function readObjectText(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  return (await readObject(s3, bucket, key))?.text;
}

/**
 * A small JSON object the registry writes (champion.json, a gate record), checked by `schema`; undefined when
 * it does not exist (404). S3 itself is read-after-write consistent, but an S3-compatible store (s3rver in the
 * tests, some self-hosted ones) can hand out an object still being replaced: one that is no JSON or fails the
 * schema is read again twice, 50 ms apart, before it fails with REGISTRY_INDEX_INVALID and `invalid(detail)`
 * as its message (`detail`: the first problem found, e.g. `failed: Invalid input: expected array`).
 */
export async function readJsonObject<T>(s3: S3Client, bucket: string, key: string, schema: z.ZodType<T>, invalid: (detail: string) => string): Promise<T | undefined> {
  return (await readJsonObjectVersion(s3, bucket, key, schema, invalid))?.value;
}

/** readJsonObject, with the ETag of the object read: what a conditional write that replaces it names (If-Match). */
export async function readJsonObjectVersion<T>(
  s3: S3Client,
  bucket: string,
  key: string,
  schema: z.ZodType<T>,
  invalid: (detail: string) => string,
): Promise<{ value: T; etag: string | undefined } | undefined> {
  for (let attempt = 1; ; attempt++) {
    const read = await readObject(s3, bucket, key);
    if (read === undefined) return undefined;
    let detail: string;
    let cause: unknown;
    try {
      const parsed = schema.safeParse(JSON.parse(read.text));
      if (parsed.success) return { value: parsed.data, etag: read.etag };
      const issue = parsed.error.issues[0];
      detail = `${issue?.path.join('.') || '(root)'}: ${issue?.message}`;
      cause = parsed.error;
    } catch (error) {
      detail = `not JSON (${(error as Error).message})`;
      cause = error;
    }
    if (attempt >= 3) throw new RegistryError('REGISTRY_INDEX_INVALID', invalid(detail), { cause });
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
