import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { RegistryError } from '@mailroute/model';
import { readObjectText } from './s3-objects.js';

/** `<prefix>champion.json`: the id the registry takes for the champion (`null`: none), and when it was set. */
export const ChampionPointerSchema = z.object({ id: z.string().nullable(), setAt: z.string() });
export type ChampionPointer = z.infer<typeof ChampionPointerSchema>;

export async function writeChampionPointer(s3: S3Client, bucket: string, key: string, id: string | null, now: Date): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: 'application/json', Body: JSON.stringify({ id, setAt: now.toISOString() }) }));
}

/**
 * The champion pointer; undefined when it was never written (404). A 403 fails naming s3:ListBucket, never
 * taken for "never set". S3 itself is read-after-write consistent, but an S3-compatible store (s3rver in the
 * tests, some self-hosted ones) can hand out an object still being replaced: an unreadable pointer is read
 * again twice, 50 ms apart, before it is reported as damaged.
 */
export async function readChampionPointer(s3: S3Client, bucket: string, key: string): Promise<ChampionPointer | undefined> {
  for (let attempt = 1; ; attempt++) {
    const text = await readObjectText(s3, bucket, key);
    if (text === undefined) return undefined;
    try {
      return ChampionPointerSchema.parse(JSON.parse(text));
    } catch (cause) {
      if (attempt >= 3) throw new RegistryError('REGISTRY_INDEX_INVALID', `s3://${bucket}/${key} is not a champion pointer ({ "id": ... }); set the champion again`, { cause });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
