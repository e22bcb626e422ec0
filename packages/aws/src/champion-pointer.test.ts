// champion.json moved by compare-and-swap. s3rver ignores If-Match and If-None-Match on PUT, so the bucket here is
// an in-memory one behind aws-sdk-client-mock that answers as S3 does (test-support/conditional-bucket.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { moveChampionPointer, POINTER_MOVE_TRIES, restoreChampionPointer, type ChampionPointer } from './champion-pointer.js';
import { conditionalBucket, s3Error, type ConditionalBucket } from './test-support/conditional-bucket.js';
import { testCredentials as credentials } from './test-support/fake-model-package-group.js';

const s3 = new S3Client({ region: 'eu-central-1', credentials });
const s3m = mockClient(s3);
const KEY = 'models/champion.json';
const now = () => new Date('2026-12-01T09:00:00Z');
const idIn = (bucket: ConditionalBucket) => (JSON.parse(bucket.text(KEY) ?? 'null') as ChampionPointer | null)?.id;

/** Another writer's pointer, written straight into the bucket (a new ETag). */
function otherWrites(bucket: ConditionalBucket, id: string | null): void {
  const data = Buffer.from(JSON.stringify({ id, setAt: '2026-12-01T08:59:59.000Z' }));
  bucket.objects.set(KEY, { data, etag: `"other-${id}"` });
}

describe('moveChampionPointer', () => {
  let bucket: ConditionalBucket;
  beforeEach(() => {
    s3m.reset();
    bucket = conditionalBucket(s3m);
  });

  it('writes only over the pointer it read: a 412 (another writer in between) reads again and decides on what that writer left', async () => {
    otherWrites(bucket, 'ngram-bag-1');
    let firstPut = true;
    bucket.beforePut = () => {
      if (firstPut) otherWrites(bucket, 'ngram-bag-2'); // lands between this move's read and its write
      firstPut = false;
    };
    const seen: Array<string | null | undefined> = [];
    const move = await moveChampionPointer(s3, 'artifacts', KEY, async (current) => (seen.push(current?.id), 'ngram-bag-3'), now);
    expect(seen).toEqual(['ngram-bag-1', 'ngram-bag-2']);
    expect(move).toMatchObject({ before: { id: 'ngram-bag-2' }, written: true, etag: bucket.objects.get(KEY)?.etag });
    const puts = s3m.commandCalls(PutObjectCommand).map((c) => c.args[0].input.IfMatch);
    expect(puts).toEqual(['"other-ngram-bag-1"', '"other-ngram-bag-2"']);
    expect(idIn(bucket)).toBe('ngram-bag-3');
  });

  it('creates the pointer only where there is none (If-None-Match: *), and reads the one another writer created first', async () => {
    let firstPut = true;
    bucket.beforePut = () => {
      if (firstPut) otherWrites(bucket, 'ngram-bag-1');
      firstPut = false;
    };
    const seen: Array<string | null | undefined> = [];
    await moveChampionPointer(s3, 'artifacts', KEY, async (current) => (seen.push(current?.id), current?.id === 'ngram-bag-1' ? undefined : 'ngram-bag-2'), now);
    expect(s3m.commandCalls(PutObjectCommand)[0].args[0].input.IfNoneMatch).toBe('*');
    expect(seen).toEqual([undefined, 'ngram-bag-1']);
    expect(idIn(bucket)).toBe('ngram-bag-1'); // decided to leave it: nothing written over the other's
  });

  it('tries again after a 409 ConditionalRequestConflict (a conditional write to the key in flight)', async () => {
    otherWrites(bucket, 'ngram-bag-1');
    bucket.failNextPut = s3Error('ConditionalRequestConflict', 409, 'A conflicting conditional operation is currently in progress');
    await expect(moveChampionPointer(s3, 'artifacts', KEY, async () => 'ngram-bag-2', now)).resolves.toMatchObject({ written: true });
    expect(s3m.commandCalls(PutObjectCommand)).toHaveLength(2);
    expect(idIn(bucket)).toBe('ngram-bag-2');
  });

  it(`gives up after ${POINTER_MOVE_TRIES} tries, writing nothing over the other writers`, async () => {
    let n = 0;
    bucket.beforePut = () => otherWrites(bucket, `busy-${++n}`);
    const failed = moveChampionPointer(s3, 'artifacts', KEY, async () => 'ngram-bag-9', now);
    await expect(failed).rejects.toMatchObject({ code: 'REGISTRY_LOCK_TIMEOUT', message: expect.stringContaining('changed by other writers 5 times') });
    expect(s3m.commandCalls(PutObjectCommand)).toHaveLength(POINTER_MOVE_TRIES);
    expect(idIn(bucket)).toBe(`busy-${POINTER_MOVE_TRIES}`);
  });

  it('fails at once on a missing bucket (404 NoSuchBucket), not taken for a pointer deleted since', async () => {
    otherWrites(bucket, 'ngram-bag-1');
    bucket.beforePut = () => {
      throw s3Error('NoSuchBucket', 404, 'The specified bucket does not exist');
    };
    await expect(moveChampionPointer(s3, 'artifacts', KEY, async () => 'ngram-bag-2', now)).rejects.toMatchObject({ name: 'NoSuchBucket' });
    expect(s3m.commandCalls(PutObjectCommand)).toHaveLength(1);
    await expect(restoreChampionPointer(s3, 'artifacts', KEY, 'ngram-bag-1', now(), '"other-ngram-bag-1"')).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('reads again when the pointer it read was deleted before its write (404 NoSuchKey on If-Match)', async () => {
    otherWrites(bucket, 'ngram-bag-1');
    let firstPut = true;
    bucket.beforePut = () => {
      if (firstPut) bucket.objects.delete(KEY);
      firstPut = false;
    };
    const seen: Array<string | null | undefined> = [];
    await expect(moveChampionPointer(s3, 'artifacts', KEY, async (current) => (seen.push(current?.id), 'ngram-bag-2'), now)).resolves.toMatchObject({ written: true });
    expect(seen).toEqual(['ngram-bag-1', undefined]);
    expect(idIn(bucket)).toBe('ngram-bag-2');
  });

  it('fails at once on any other error (access denied), as an unconditional write did', async () => {
    otherWrites(bucket, 'ngram-bag-1');
    bucket.failNextPut = s3Error('AccessDenied', 403, 'Access Denied');
    await expect(moveChampionPointer(s3, 'artifacts', KEY, async () => 'ngram-bag-2', now)).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(s3m.commandCalls(PutObjectCommand)).toHaveLength(1);
  });
});

describe('restoreChampionPointer', () => {
  let bucket: ConditionalBucket;
  beforeEach(() => {
    s3m.reset();
    bucket = conditionalBucket(s3m);
  });

  it('puts the previous pointer back only while the pointer is still the one this move wrote', async () => {
    otherWrites(bucket, 'ngram-bag-1');
    const move = await moveChampionPointer(s3, 'artifacts', KEY, async () => 'ngram-bag-2', now);
    expect(await restoreChampionPointer(s3, 'artifacts', KEY, 'ngram-bag-1', now(), move.etag)).toBe(true);
    expect(idIn(bucket)).toBe('ngram-bag-1');

    const again = await moveChampionPointer(s3, 'artifacts', KEY, async () => 'ngram-bag-2', now);
    otherWrites(bucket, 'ngram-bag-3'); // another approval moved it since
    expect(await restoreChampionPointer(s3, 'artifacts', KEY, 'ngram-bag-1', now(), again.etag)).toBe(false);
    expect(idIn(bucket)).toBe('ngram-bag-3');
  });
});
