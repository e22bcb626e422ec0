import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { RegistryError } from '@mailroute/model';
import { conditionalWriteRefusal, readJsonObject, readJsonObjectVersion } from './s3-objects.js';

/** `<prefix>champion.json`: the id the registry takes for the champion (`null`: none), and when it was set. */
export const ChampionPointerSchema = z.object({ id: z.string().nullable(), setAt: z.string() });
export type ChampionPointer = z.infer<typeof ChampionPointerSchema>;

/** Reads of the pointer, and writes, one move makes at most when other writers keep changing it in between. */
export const POINTER_MOVE_TRIES = 5;

/** A move of the pointer: what it named before (undefined: never written), and the ETag of what this move wrote, if it wrote. */
export interface PointerMove {
  before: ChampionPointer | undefined;
  written: boolean;
  /** The ETag S3 gave the pointer written (undefined where the store gives none): a later `restoreChampionPointer` names it. */
  etag?: string;
}

function invalidPointer(bucket: string, key: string): (detail: string) => string {
  return (detail) => `s3://${bucket}/${key} is not a champion pointer ({ "id": ... }: ${detail}); set the champion again`;
}

/**
 * The champion pointer; undefined when it was never written (404). A 403 fails naming s3:ListBucket, never
 * taken for "never set"; an unreadable pointer is read again twice before it is reported (readJsonObject).
 */
export async function readChampionPointer(s3: S3Client, bucket: string, key: string): Promise<ChampionPointer | undefined> {
  return readJsonObject(s3, bucket, key, ChampionPointerSchema, invalidPointer(bucket, key));
}

/**
 * Moves the pointer by compare-and-swap, so two writers at once (two approvals, an approval and a rejection)
 * never overwrite each other's move unseen: it reads the pointer with its ETag, asks `decide` what the pointer
 * should name now (`undefined`: leave it as it is), and writes that only if the pointer is still the one read
 * (S3's conditional write: If-Match its ETag, or If-None-Match: * where there was none). When another writer
 * wrote in between (412 PreconditionFailed; 404 for a pointer deleted since) or is writing (409
 * ConditionalRequestConflict), it reads again and `decide`s again on what that writer left, up to
 * POINTER_MOVE_TRIES times, then fails with REGISTRY_LOCK_TIMEOUT having written nothing.
 *
 * An S3-compatible store that ignores the conditions (s3rver, used in the tests, does on PUT) writes every
 * time, as an unconditional write did; one that gives no ETag gets an unconditional write too.
 */
export async function moveChampionPointer(
  s3: S3Client,
  bucket: string,
  key: string,
  decide: (current: ChampionPointer | undefined) => Promise<string | null | undefined>,
  now: () => Date,
): Promise<PointerMove> {
  for (let attempt = 1; ; attempt++) {
    const read = await readJsonObjectVersion(s3, bucket, key, ChampionPointerSchema, invalidPointer(bucket, key));
    const id = await decide(read?.value);
    if (id === undefined) return { before: read?.value, written: false };
    const written = await putPointer(s3, bucket, key, id, now(), read === undefined ? { IfNoneMatch: '*' } : read.etag === undefined ? {} : { IfMatch: read.etag });
    if (written !== false) return { before: read?.value, written: true, etag: written.etag };
    if (attempt >= POINTER_MOVE_TRIES) {
      throw new RegistryError(
        'REGISTRY_LOCK_TIMEOUT',
        `s3://${bucket}/${key} was changed by other writers ${POINTER_MOVE_TRIES} times while this one tried to set it to ${JSON.stringify(id)}; it was left as they set it: try again`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
  }
}

/**
 * Puts back the pointer `id` only if the pointer is still the one a move wrote (If-Match `etag`): true when put
 * back, false when another writer has moved it since, whose move then stands. Without an ETag (a store that
 * gives none) it is put back unconditionally.
 */
export async function restoreChampionPointer(s3: S3Client, bucket: string, key: string, id: string | null, now: Date, etag: string | undefined): Promise<boolean> {
  return (await putPointer(s3, bucket, key, id, now, etag === undefined ? {} : { IfMatch: etag })) !== false;
}

/**
 * Whether a conditional write failed because the object is not as it was read: changed (412), being written (409),
 * deleted (404 NoSuchKey, on If-Match only). Any other 404 (NoSuchBucket) is no change: it is thrown as it is.
 */
function changedSince(error: unknown, condition: { IfMatch?: string }): boolean {
  const refusal = conditionalWriteRefusal(error);
  return refusal === 'precondition' || refusal === 'conflict' || (refusal === 'no-such-key' && condition.IfMatch !== undefined);
}

/** Writes the pointer under `condition`: its ETag, or false when the condition did not hold. */
async function putPointer(
  s3: S3Client,
  bucket: string,
  key: string,
  id: string | null,
  now: Date,
  condition: { IfMatch?: string; IfNoneMatch?: string },
): Promise<{ etag: string | undefined } | false> {
  try {
    const out = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: 'application/json', Body: JSON.stringify({ id, setAt: now.toISOString() }), ...condition }));
    return { etag: out.ETag };
  } catch (error) {
    if ((condition.IfMatch !== undefined || condition.IfNoneMatch !== undefined) && changedSince(error, condition)) return false;
    throw error;
  }
}
