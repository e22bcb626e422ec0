import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import { RegistryArtifactError } from './errors.js';
import { conditionalWriteRefusal } from './s3-objects.js';

/** Every file under `dir`, as paths relative to it with forward slashes, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(rel: string): Promise<void> {
    for (const entry of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) out.push(child);
    }
  }
  await walk('');
  return out.sort();
}

/** S3's longest object key, in bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;

/**
 * Uploads a directory under `s3://bucket/prefix` (prefix ends with `/`); returns the keys written. `keys`
 * collects them as they are written, so a caller can delete what a failed upload left.
 *
 * `sha256s` (hex, by path relative to `dir`) are the contents the files must have: each is sent as the
 * object's checksum, so S3 refuses (BadDigest) a file that changed since it was checked, or was damaged on
 * the way, and a listed file missing from `dir` fails the upload; an object stored is then the one checked.
 */
export async function uploadDirectory(
  s3: S3Client,
  bucket: string,
  prefix: string,
  dir: string,
  keys: string[] = [],
  sha256s: Readonly<Record<string, string>> = {},
  /** Files the caller wrote itself (the manifest, written first and conditionally). */
  skip: readonly string[] = [],
): Promise<string[]> {
  const files = await listFiles(dir);
  const missing = Object.keys(sha256s).filter((rel) => !files.includes(rel));
  if (missing.length > 0) throw new RegistryArtifactError(`${missing.join(', ')} listed in manifest.json missing in ${dir}; nothing was registered`);
  // S3 refuses a key over 1,024 bytes of UTF-8: refused here before the first upload, not by S3 halfway through.
  const tooLong = files.find((rel) => Buffer.byteLength(`${prefix}${rel}`) > MAX_KEY_BYTES);
  if (tooLong !== undefined) {
    throw new RegistryArtifactError(`${tooLong} in ${dir}: its S3 key ${prefix}${tooLong} takes ${Buffer.byteLength(`${prefix}${tooLong}`)} bytes, over S3's ${MAX_KEY_BYTES}; nothing was registered`);
  }
  for (const rel of files.filter((f) => !skip.includes(f))) {
    const file = path.join(dir, rel);
    const { size } = await stat(file);
    const key = `${prefix}${rel}`;
    const expected = sha256s[rel];
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: createReadStream(file),
        ContentLength: size,
        ...(expected === undefined ? {} : { ChecksumSHA256: Buffer.from(expected, 'hex').toString('base64') }),
      }),
    );
    keys.push(key);
  }
  return keys;
}

const CONDITIONAL_WRITE_TRIES = 3;

/**
 * Writes an object only where its key has none (S3's conditional write, `If-None-Match: *`): true when written,
 * false when an object is there (412 PreconditionFailed), so two writers of one key never overwrite each other.
 * A 409 ConditionalRequestConflict (another conditional write to the key in flight) is tried again.
 */
export async function putIfAbsent(s3: S3Client, input: Omit<PutObjectCommandInput, 'Body' | 'IfNoneMatch'> & { Body: Buffer }): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      await s3.send(new PutObjectCommand({ ...input, IfNoneMatch: '*' }));
      return true;
    } catch (error) {
      const refusal = conditionalWriteRefusal(error);
      if (refusal === 'precondition') return false;
      if (refusal !== 'conflict' || attempt >= CONDITIONAL_WRITE_TRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/** Deletes the keys one by one (an artifact is a few files); returns those that could not be deleted. */
export async function deleteKeys(s3: S3Client, bucket: string, keys: readonly string[]): Promise<string[]> {
  const left: string[] = [];
  for (const key of keys) {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => left.push(key));
  }
  return left;
}

/** Keys under a prefix, all pages; with a `delimiter`, only those with none after the prefix (one level). */
export async function listKeys(s3: S3Client, bucket: string, prefix: string, delimiter?: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: delimiter, ContinuationToken: token }));
    for (const obj of out.Contents ?? []) if (obj.Key) keys.push(obj.Key);
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/**
 * Downloads everything under `prefix` into `target` atomically: files land in a sibling temporary
 * directory that is renamed into place at the end, so a reader never sees half an artifact. `check` runs on
 * the complete copy before that: a copy it refuses never takes the place of `target`.
 */
export async function downloadPrefixAtomically(
  s3: S3Client,
  bucket: string,
  prefix: string,
  target: string,
  check: (copy: string) => Promise<void> = async () => {},
): Promise<string> {
  try {
    await stat(target);
    return target;
  } catch {
    // not cached yet
  }
  const keys = await listKeys(s3, bucket, prefix);
  if (keys.length === 0) throw new RegistryArtifactError(`no artifact under s3://${bucket}/${prefix}`);
  await mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${randomBytes(4).toString('hex')}`;
  try {
    for (const key of keys) {
      const rel = key.slice(prefix.length);
      if (!rel || rel.split('/').some((part) => part === '..' || part === '')) {
        throw new RegistryArtifactError(`refusing to write unsafe key ${key}`);
      }
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!out.Body) throw new RegistryArtifactError(`empty object ${key}`);
      const file = path.join(tmp, rel);
      await mkdir(path.dirname(file), { recursive: true });
      // Streamed to disk: a model file (a transformer's ONNX is hundreds of MB) is never held in memory whole.
      await pipeline(out.Body as Readable, createWriteStream(file));
    }
    await check(tmp);
    try {
      await rename(tmp, target);
    } catch (error) {
      // Another process finished first: keep its copy.
      if ((error as NodeJS.ErrnoException).code !== 'ENOTEMPTY' && (error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return target;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
