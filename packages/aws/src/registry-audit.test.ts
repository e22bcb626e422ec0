// The registry's audit trail on S3 (registry-audit.ts) with two writers at once: decision records are written only
// where their key has none (If-None-Match: *), the champion history by compare-and-swap (If-Match its ETag). s3rver
// ignores both conditions on PUT, so the bucket here is the in-memory one that honours them (conditional-bucket.ts).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { StatusChange } from '@mailroute/model';
import { writeLoadableArtifact } from '@mailroute/model/testing';
import { appendChampionChange, appendDecision, AUDIT_APPEND_TRIES, parseDecisionKey, readChampionHistory, readDecisions, listDecisionKeys } from './registry-audit.js';
import { S3SageMakerRegistry } from './s3-sagemaker-registry.js';
import { conditionalBucket, s3Error, type ConditionalBucket } from './test-support/conditional-bucket.js';
import { fakeModelPackageGroup, testCredentials as credentials } from './test-support/fake-model-package-group.js';

const s3 = new S3Client({ region: 'eu-central-1', credentials });
const s3m = mockClient(s3);
const sagemaker = new SageMakerClient({ region: 'eu-central-1', credentials });
const sm = mockClient(sagemaker);
const HISTORY = 'models/champion-history.json';

const decision = (by: string): StatusChange => ({ status: 'Approved', at: '2026-12-01T09:00:00.000Z', by });

describe('the audit trail on S3', () => {
  let bucket: ConditionalBucket;
  beforeEach(() => {
    s3m.reset();
    sm.reset();
    bucket = conditionalBucket(s3m);
  });

  it("reads a decision record's key back to its id and number, and no other key", () => {
    expect(parseDecisionKey('m-a.decision.1.json')).toEqual({ id: 'm-a', n: 1 });
    expect(parseDecisionKey('m-a.decision.12.json')).toEqual({ id: 'm-a', n: 12 });
    // An id that looks like a record's key has records of its own, told apart by the end of the key.
    expect(parseDecisionKey('x.decision.1.decision.2.json')).toEqual({ id: 'x.decision.1', n: 2 });
    for (const other of ['m-a.gate.json', 'champion.json', 'champion-history.json', 'm-a/decision.1.json', 'm-a.decision.1.json/manifest.json', 'm-a.decision.0.json', 'm-a.decision.01.json', 'm-a.decision.1.gate.json']) {
      expect(parseDecisionKey(other), other).toBeUndefined();
    }
  });

  it('writes each decision once, only where its key has none: two at once take two numbers, neither written over', async () => {
    let second: Promise<string> | undefined;
    bucket.beforePut = async () => {
      // The first writer's PutObject is slow: the second writer lists, takes number 1 and writes it first.
      if (second === undefined) {
        bucket.beforePut = undefined;
        await (second = appendDecision(s3, 'artifacts', 'models/', 'm-a', decision('bob')));
      }
    };
    const first = await appendDecision(s3, 'artifacts', 'models/', 'm-a', decision('ann'));
    expect([await second, first]).toEqual(['models/m-a.decision.1.json', 'models/m-a.decision.2.json']);
    const keys = await listDecisionKeys(s3, 'artifacts', 'models/', 'm-a');
    expect((await readDecisions(s3, 'artifacts', keys)).map((d) => d.by)).toEqual(['bob', 'ann']);
    expect(s3m.commandCalls(PutObjectCommand).every((c) => c.args[0].input.IfNoneMatch === '*')).toBe(true);
  });

  it('appends to the champion history by compare-and-swap: two at once both kept, in the order they landed', async () => {
    let second: Promise<void> | undefined;
    bucket.beforePut = async () => {
      if (second === undefined) {
        bucket.beforePut = undefined;
        await (second = appendChampionChange(s3, 'artifacts', HISTORY, { id: 'm-b', at: 't2', via: 'approve', by: 'bob' }, 'm-0'));
      }
    };
    await appendChampionChange(s3, 'artifacts', HISTORY, { id: 'm-a', at: 't1', via: 'approve', by: 'ann' }, 'm-0');
    await second;
    // The history never written starts, as the local registry's does, with the champion before it (no time).
    expect(await readChampionHistory(s3, 'artifacts', HISTORY)).toEqual([
      { id: 'm-0' },
      { id: 'm-b', at: 't2', via: 'approve', by: 'bob' },
      { id: 'm-a', at: 't1', via: 'approve', by: 'ann' },
    ]);
    const conditions = s3m.commandCalls(PutObjectCommand).map((c) => [c.args[0].input.IfNoneMatch, c.args[0].input.IfMatch === undefined ? undefined : 'etag']);
    // The first writer's If-None-Match: * lost to the second's, then it read again and wrote If-Match.
    expect(conditions).toEqual([['*', undefined], ['*', undefined], [undefined, 'etag']]);
  });

  it("keeps a newer mailroute's fields of the champion history, and gives up after other writers changed it each time", async () => {
    bucket.objects.set(HISTORY, { data: Buffer.from(JSON.stringify({ changes: [{ id: 'm-a', at: 't1', since: 'newer' }], kept: 1 })), etag: '"e0"' });
    await appendChampionChange(s3, 'artifacts', HISTORY, { id: 'm-b', at: 't2', via: 'champion' }, 'm-a');
    expect(JSON.parse(bucket.text(HISTORY)!)).toEqual({ changes: [{ id: 'm-a', at: 't1', since: 'newer' }, { id: 'm-b', at: 't2', via: 'champion' }], kept: 1 });
    const before = bucket.text(HISTORY);
    let n = 0;
    bucket.beforePut = () => {
      bucket.objects.set(HISTORY, { data: Buffer.from(before!), etag: `"other-${++n}"` });
    };
    await expect(appendChampionChange(s3, 'artifacts', HISTORY, { id: 'm-c', at: 't3' }, 'm-b')).rejects.toMatchObject({ code: 'REGISTRY_LOCK_TIMEOUT', message: expect.stringContaining(HISTORY) });
    expect(n).toBe(AUDIT_APPEND_TRIES);
    expect(bucket.text(HISTORY)).toBe(before);
  });

  describe('in the registry', () => {
    let root: string;
    beforeAll(async () => {
      root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-registry-audit-'));
    });
    afterAll(async () => {
      await rm(root, { recursive: true, force: true });
    });

    it('says the decision stands when its record cannot be written after it, and writes the change of champion anyway', async () => {
      const packages = fakeModelPackageGroup(sm);
      const registry = new S3SageMakerRegistry({ s3, sagemaker, bucket: 'artifacts', modelPackageGroupName: 'mailroute-dev', inferenceImage: 'img:1', cacheDir: path.join(root, 'cache') });
      const a = await registry.register(writeLoadableArtifact(await mkdtemp(path.join(root, 'a-')), 'ngram-bag-20261202-0900-aa', { onnx: Buffer.from([1]), extra: { dataHash: 'a' } }));
      bucket.beforePut = (input) => {
        if (String(input.Key).endsWith('.decision.1.json')) throw s3Error('AccessDenied', 403, 'Access Denied');
      };
      await expect(registry.approve(a.id, { by: 'ann' })).rejects.toMatchObject({
        code: 'REGISTRY_INDEX_INVALID',
        message: expect.stringMatching(new RegExp(`^${a.id} is Approved \\(that stands: do not make it again\\), but its record in the registry's audit trail under s3://artifacts/models/ could not be written \\(AccessDenied: Access Denied\\)`)),
      });
      expect(packages[0].status).toBe('Approved');
      expect((await registry.champion())?.id).toBe(a.id);
      expect((await registry.championChanges()).map((c) => [c.id, c.via, c.by])).toEqual([[a.id, 'approve', 'ann']]);
      expect((await registry.get(a.id)).history?.map((d) => d.status)).toEqual(['PendingManualApproval']);
    });
  });
});
