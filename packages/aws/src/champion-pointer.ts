import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { readJsonObject } from './s3-objects.js';

/** `<prefix>champion.json`: the id the registry takes for the champion (`null`: none), and when it was set. */
export const ChampionPointerSchema = z.object({ id: z.string().nullable(), setAt: z.string() });
export type ChampionPointer = z.infer<typeof ChampionPointerSchema>;

export async function writeChampionPointer(s3: S3Client, bucket: string, key: string, id: string | null, now: Date): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: 'application/json', Body: JSON.stringify({ id, setAt: now.toISOString() }) }));
}

/**
 * The champion pointer; undefined when it was never written (404). A 403 fails naming s3:ListBucket, never
 * taken for "never set"; an unreadable pointer is read again twice before it is reported (readJsonObject).
 */
export async function readChampionPointer(s3: S3Client, bucket: string, key: string): Promise<ChampionPointer | undefined> {
  return readJsonObject(s3, bucket, key, ChampionPointerSchema, () => `s3://${bucket}/${key} is not a champion pointer ({ "id": ... }); set the champion again`);
}
