// The audit trail S3SageMakerRegistry keeps beside its gate records, as the local registry keeps it in its index:
// each decision (approve, reject) with the gate it was made on, and each change of champion with how, by whom and
// why. SageMaker keeps only the last decision of a package (its status, ApprovalDescription and metadata), and its 50
// metadata entries leave no room for a gate; champion.json is one object, rewritten on each move.
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { ModelVersionSchema, RegistryError, RegistryIndexSchema, type ChampionChange, type StatusChange } from '@mailroute/model';
import { listKeys, putIfAbsent } from './s3-artifacts.js';
import { conditionalWriteRefusal, readJsonObject, readJsonObjectVersion } from './s3-objects.js';

/** One decision as the local registry's history keeps it (`status`, `at`, `by`, `note`, `gate`): the same schema. */
export const DecisionRecordSchema = ModelVersionSchema.shape.history.unwrap().element;

/**
 * `<prefix>champion-history.json`: every change of champion, oldest first, as the local registry's `championHistory`
 * (the same entries; loose, so a newer mailroute's fields survive this one's appends).
 */
export const ChampionHistorySchema = z.looseObject({ changes: RegistryIndexSchema.shape.championHistory.unwrap() });

/** The champion history's key under the registry's prefix: no version's key (`<id>/...`, `<id>.gate.json`, `<id>.decision.<n>.json`) can be it. */
export const CHAMPION_HISTORY = 'champion-history.json';

/** Writes of a record one append tries when other writers keep taking its place in between. */
export const AUDIT_APPEND_TRIES = 5;

/** A decision record's key relative to the prefix: `<id>.decision.<n>.json`, n = 1, 2, ... in the order they were made. */
const DECISION_KEY = /^(.+)\.decision\.([1-9][0-9]*)\.json$/;

export function decisionKey(prefix: string, id: string, n: number): string {
  return `${prefix}${id}.decision.${n}.json`;
}

/** The id and number of a decision record's key (relative to the prefix, one level: no `/`); undefined for any other key. */
export function parseDecisionKey(rest: string): { id: string; n: number } | undefined {
  const match = rest.includes('/') ? null : DECISION_KEY.exec(rest);
  return match ? { id: match[1], n: Number(match[2]) } : undefined;
}

/** The decision records a listing of the prefix's top level holds, by id: their keys with their numbers. */
export function decisionKeysById(prefix: string, keys: readonly string[]): Map<string, Array<{ key: string; n: number }>> {
  const byId = new Map<string, Array<{ key: string; n: number }>>();
  for (const key of keys) {
    const parsed = key.startsWith(prefix) ? parseDecisionKey(key.slice(prefix.length)) : undefined;
    if (parsed) byId.set(parsed.id, [...(byId.get(parsed.id) ?? []), { key, n: parsed.n }]);
  }
  return byId;
}

/** The keys of `id`'s decision records (one listing of `<prefix><id>.decision.`, one level), by number. */
export async function listDecisionKeys(s3: S3Client, bucket: string, prefix: string, id: string): Promise<Array<{ key: string; n: number }>> {
  return decisionKeysById(prefix, await listKeys(s3, bucket, `${prefix}${id}.decision.`, '/')).get(id) ?? [];
}

/** The decisions of `keys` read, oldest first; one listed but deleted since reads as none. */
export async function readDecisions(s3: S3Client, bucket: string, keys: ReadonlyArray<{ key: string; n: number }>): Promise<StatusChange[]> {
  const sorted = [...keys].sort((a, b) => a.n - b.n);
  const read = await Promise.all(sorted.map(({ key }) => readJsonObject(s3, bucket, key, DecisionRecordSchema, (detail) => `s3://${bucket}/${key} is not a decision record (${detail})`)));
  return read.filter((d): d is NonNullable<typeof d> => d !== undefined);
}

/**
 * Adds `decision` as `id`'s next decision record, `<prefix><id>.decision.<n>.json`, written whole and only where the
 * key has none (S3's conditional write, If-None-Match: *): a record, once written, is never written over, and two
 * decisions at once (two writers) take two numbers. The number is one past the highest listed; one taken in between
 * moves to the next, up to AUDIT_APPEND_TRIES times (then REGISTRY_LOCK_TIMEOUT). Answers the key written.
 */
export async function appendDecision(s3: S3Client, bucket: string, prefix: string, id: string, decision: StatusChange): Promise<string> {
  const taken = await listDecisionKeys(s3, bucket, prefix, id);
  let n = taken.reduce((max, k) => Math.max(max, k.n), 0) + 1;
  const body = Buffer.from(JSON.stringify(decision), 'utf8');
  for (let attempt = 1; attempt <= AUDIT_APPEND_TRIES; attempt++, n++) {
    const key = decisionKey(prefix, id, n);
    if (await putIfAbsent(s3, { Bucket: bucket, Key: key, ContentType: 'application/json', Body: body })) return key;
  }
  throw new RegistryError('REGISTRY_LOCK_TIMEOUT', `the decision records of ${id} under s3://${bucket}/${prefix} were taken by other writers ${AUDIT_APPEND_TRIES} times while this one tried to add one`);
}

function invalidHistory(bucket: string, key: string): (detail: string) => string {
  return (detail) => `s3://${bucket}/${key} is not a champion history ({ "changes": [...] }: ${detail})`;
}

/** The champion history; undefined when it was never written (a registry from before it was kept, or with no champion yet). */
export async function readChampionHistory(s3: S3Client, bucket: string, key: string): Promise<ChampionChange[] | undefined> {
  return (await readJsonObject(s3, bucket, key, ChampionHistorySchema, invalidHistory(bucket, key)))?.changes;
}

/**
 * Appends `change` to the champion history by compare-and-swap, as champion.json is moved (champion-pointer.ts): read
 * with its ETag, written back with one more entry only if it is still the one read (If-Match its ETag, If-None-Match: *
 * where there is none), read again when another writer appended in between (412, 409, or 404 for one deleted since),
 * up to AUDIT_APPEND_TRIES times (then REGISTRY_LOCK_TIMEOUT, nothing written). So no append is lost to another.
 * A history never written starts, as the local registry's does, with the champion before this change (`championBefore`,
 * with no time: a registry from before the history was kept), or empty when there was none.
 */
export async function appendChampionChange(s3: S3Client, bucket: string, key: string, change: ChampionChange, championBefore: string | null): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const read = await readJsonObjectVersion(s3, bucket, key, ChampionHistorySchema, invalidHistory(bucket, key));
    const changes = read?.value.changes ?? (championBefore === null ? [] : [{ id: championBefore }]);
    const body = JSON.stringify({ ...read?.value, changes: [...changes, change] });
    const condition = read === undefined ? { IfNoneMatch: '*' } : read.etag === undefined ? {} : { IfMatch: read.etag };
    try {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: 'application/json', Body: body, ...condition }));
      return;
    } catch (error) {
      const refusal = conditionalWriteRefusal(error);
      const changed = refusal === 'precondition' || refusal === 'conflict' || (refusal === 'no-such-key' && 'IfMatch' in condition);
      if (!changed) throw error;
    }
    if (attempt >= AUDIT_APPEND_TRIES) {
      throw new RegistryError('REGISTRY_LOCK_TIMEOUT', `s3://${bucket}/${key} was changed by other writers ${AUDIT_APPEND_TRIES} times while this one tried to add ${change.id} to it`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
  }
}
