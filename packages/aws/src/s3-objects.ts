import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { S3AccessDeniedError } from './errors.js';

function isNoSuchKey(error: unknown): boolean {
  return error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey';
}

function isAccessDenied(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'AccessDenied' || e.$metadata?.httpStatusCode === 403;
}

/**
 * The text of an object, or `undefined` when S3 says it does not exist (404 `NoSuchKey`).
 *
 * A 403 is not taken for "missing": S3 answers 403 for an absent key when the caller lacks s3:ListBucket,
 * but also when it lacks s3:GetObject or the KMS key, and a reader that took a denied champion pointer for
 * "no champion yet" would stop measuring (or serve the bootstrap labels) without a word. It fails instead,
 * naming the permission.
 */
export async function readObjectText(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await out.Body?.transformToString()) ?? '';
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
