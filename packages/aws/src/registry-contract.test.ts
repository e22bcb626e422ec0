// The ModelRegistry contract both registries keep: the same calls refused with the same RegistryError codes.
import { beforeEach, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createLocalRegistry, gateFailedError, RegistryError, type GateRecord, type LocalModelRegistry, type ModelRegistry, type ModelVersion } from '@mailroute/model';
import { writeLoadableArtifact } from '@mailroute/model/testing';
import { registryFixture } from './test-support/registry-fixture.js';

const fixture = registryFixture('registry-contract');

async function artifact(modelId: string): Promise<string> {
  // A manifest the loader accepts, listing each file's sha256, as a trained artifact's does (the local registry checks both).
  return writeLoadableArtifact(path.join(fixture.root, `artifact-${fixture.next()}`), modelId, { onnx: Buffer.from([1, 2, 3]), extra: { dataHash: 'sha256:abc' } });
}

/** A registry with the champion history `mailroute registry history` reads (the local registry's methods for it). */
type AuditedRegistry = ModelRegistry & Pick<LocalModelRegistry, 'championChanges' | 'championHistory' | 'championHistoryComplete'>;

const registries: [string, () => AuditedRegistry][] = [
  ['LocalModelRegistry', () => createLocalRegistry({ home: path.join(fixture.root, `home-${fixture.next()}`) })],
  ['S3SageMakerRegistry', () => fixture.registry()],
];

const failedGate: GateRecord = { pass: false, champion: 'm-0', failed: ['queue: macro-F1 drop ≤ 0.5 pts: 0.8 → 0.7'], thresholds: { maxMacroF1DropPoints: 0.5 }, at: '2026-12-01T09:00:00.000Z' };

describe.each(registries)('ModelRegistry contract: %s', (_name, create) => {
  let registry: AuditedRegistry;
  beforeEach(() => {
    registry = create();
  });

  const isRegistryError = async (p: Promise<unknown>, code: string) => {
    const error = await p.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect(error).toMatchObject({ code });
  };

  it('an unknown id is REGISTRY_NOT_FOUND', async () => {
    await isRegistryError(registry.get('nope'), 'REGISTRY_NOT_FOUND');
    await isRegistryError(registry.approve('nope'), 'REGISTRY_NOT_FOUND');
    await isRegistryError(registry.recordGate('nope', failedGate), 'REGISTRY_NOT_FOUND');
  });

  it('a model id twice is REGISTRY_DUPLICATE; a directory without a manifest REGISTRY_ARTIFACT_INVALID', async () => {
    await registry.register(await artifact('m-1'));
    await isRegistryError(registry.register(await artifact('m-1')), 'REGISTRY_DUPLICATE');
    const empty = path.join(fixture.root, `empty-${fixture.next()}`);
    await mkdir(empty);
    await isRegistryError(registry.register(empty), 'REGISTRY_ARTIFACT_INVALID');
  });

  it('a pending version cannot be champion: REGISTRY_NOT_APPROVED', async () => {
    const v = await registry.register(await artifact('m-1'));
    expect(v.status).toBe('PendingManualApproval');
    await isRegistryError(registry.setChampion(v.id), 'REGISTRY_NOT_APPROVED');
  });

  it('a rejected version is approved only with force (REGISTRY_REJECTED without)', async () => {
    const v = await registry.register(await artifact('m-1'));
    await registry.reject(v.id, { by: 'bob' });
    await isRegistryError(registry.approve(v.id), 'REGISTRY_REJECTED');
    expect((await registry.approve(v.id, { force: true })).status).toBe('Approved');
    expect((await registry.champion())?.id).toBe(v.id);
  });

  it('keeps the gate on the version; a failed one is approved only with force (REGISTRY_GATE_FAILED without), which the note says', async () => {
    const v = await registry.register(await artifact('m-1'));
    expect((await registry.recordGate(v.id, failedGate)).gate).toEqual(failedGate);
    expect((await registry.get(v.id)).gate).toEqual(failedGate);
    expect((await registry.list())[0].gate).toEqual(failedGate);
    await isRegistryError(registry.approve(v.id), 'REGISTRY_GATE_FAILED');
    await expect(registry.approve(v.id)).rejects.toThrow(gateFailedError(v.id, failedGate).message);
    expect((await registry.get(v.id)).status).toBe('PendingManualApproval');
    expect(await registry.champion()).toBeUndefined();
    const forced = await registry.approve(v.id, { force: true, note: 'urgent fix' });
    expect(forced).toMatchObject({ status: 'Approved', gate: failedGate });
    expect(forced.statusNote).toContain('approved with force over a failed gate (against m-0 at 2026-12-01T09:00:00.000Z: queue: macro-F1');
    expect(forced.statusNote).toContain('urgent fix');
    expect((await registry.champion())?.id).toBe(v.id);
  });

  it('a decided version takes no later gate: REGISTRY_DECIDED, its gate as its decision found it', async () => {
    const a = await registry.register(await artifact('m-a'));
    const b = await registry.register(await artifact('m-b'));
    const passed = { ...failedGate, pass: true, failed: [] };
    await registry.recordGate(a.id, passed);
    await registry.approve(a.id);
    await registry.reject(b.id);
    await isRegistryError(registry.recordGate(a.id, failedGate), 'REGISTRY_DECIDED');
    await isRegistryError(registry.recordGate(b.id, failedGate), 'REGISTRY_DECIDED');
    expect((await registry.get(a.id)).gate).toEqual(passed);
    expect((await registry.get(b.id)).gate).toBeUndefined();
  });

  it('approving again a version Approved with force over its failed gate asks no force again and writes no note', async () => {
    const v = await registry.register(await artifact('m-1'));
    await registry.recordGate(v.id, failedGate);
    const forced = await registry.approve(v.id, { force: true, by: 'ann', note: 'urgent fix' });
    // The gate was overridden at the decision, which stays on record: approving again decides nothing.
    const again = await registry.approve(v.id, { by: 'bob', note: 'again' });
    expect(again).toMatchObject({ status: 'Approved', statusChangedBy: 'ann', statusNote: forced.statusNote, gate: failedGate });
    expect(await registry.get(v.id)).toMatchObject({ statusChangedBy: 'ann', statusNote: forced.statusNote });
    expect((await registry.champion())?.id).toBe(v.id);
  });

  it('approve makes the champion; rejecting it hands back to the champion before it, then to none', async () => {
    const a = await registry.register(await artifact('m-a'));
    const b = await registry.register(await artifact('m-b'));
    const c = await registry.register(await artifact('m-c'));
    // Approved newest first: the champion before each is an older version, not the newest other Approved one.
    await registry.approve(c.id);
    await registry.approve(a.id);
    await registry.approve(b.id);
    expect((await registry.champion())?.id).toBe(b.id);
    await registry.reject(b.id);
    expect((await registry.champion())?.id).toBe(a.id);
    await registry.reject(a.id);
    expect((await registry.champion())?.id).toBe(c.id);
    await registry.reject(c.id);
    expect(await registry.champion()).toBeUndefined();
  });

  it('rejecting a Rejected version changes nothing: the first rejection stays the decision on record', async () => {
    const v = await registry.register(await artifact('m-1'));
    await registry.reject(v.id, { by: 'bob', note: 'too weak' });
    const again = await registry.reject(v.id, { by: 'carol', note: 'still weak' });
    expect(again).toMatchObject({ status: 'Rejected', statusChangedBy: 'bob', statusNote: 'too weak' });
    expect(await registry.get(v.id)).toMatchObject({ status: 'Rejected', statusChangedBy: 'bob', statusNote: 'too weak' });
  });

  it("a rejected version's refusal says who rejected it, when and why, in the same words", async () => {
    const v = await registry.register(await artifact('m-1'));
    await registry.reject(v.id, { by: 'bob', note: 'too weak' });
    const { statusChangedAt } = await registry.get(v.id);
    await expect(registry.approve(v.id)).rejects.toMatchObject({
      code: 'REGISTRY_REJECTED',
      message: `model "${v.id}" was rejected by bob at ${statusChangedAt} ("too weak"); approving it undoes that decision: pass force to do so`,
    });
  });

  it('keeps each decision in the version\'s history with who made it, why, and a copy of the gate it was made on', async () => {
    const a = await registry.register(await artifact('m-a'));
    const b = await registry.register(await artifact('m-b'));
    expect(a.history).toEqual([{ status: 'PendingManualApproval', at: a.createdAt }]);
    expect((await registry.get(a.id)).history).toEqual(a.history);
    await registry.recordGate(a.id, failedGate);
    await registry.approve(a.id, { force: true, by: 'ann', note: 'urgent fix' });
    await registry.reject(a.id, { by: 'bob', note: 'misroutes claims' });
    const last = await registry.approve(a.id, { force: true, by: 'carl', note: 'fixed upstream' });
    await registry.reject(b.id, { by: 'dora', note: '' }); // an empty note is none
    const decisions = (v: ModelVersion | undefined) => v?.history?.map(({ at: _at, ...d }) => d);
    const got = await registry.get(a.id);
    expect(decisions(got)).toEqual([
      { status: 'PendingManualApproval' },
      { status: 'Approved', by: 'ann', note: expect.stringContaining('urgent fix'), gate: failedGate },
      { status: 'Rejected', by: 'bob', note: 'misroutes claims', gate: failedGate },
      { status: 'Approved', by: 'carl', note: expect.stringContaining('fixed upstream'), gate: failedGate },
    ]);
    expect(got.history?.at(-1)?.at).toBe(got.statusChangedAt);
    expect(decisions(await registry.get(b.id))).toEqual([{ status: 'PendingManualApproval' }, { status: 'Rejected', by: 'dora' }]);
    // Every call that hands out a version hands out its history.
    expect(last.history).toEqual(got.history);
    expect((await registry.champion())?.history).toEqual(got.history);
    expect((await registry.list()).map((v) => v.history)).toEqual([(await registry.get(b.id)).history, got.history]);
  });

  it('keeps each change of champion with how it came about, who made it and why', async () => {
    const [a, b, c] = [await registry.register(await artifact('m-a')), await registry.register(await artifact('m-b')), await registry.register(await artifact('m-c'))];
    expect(await registry.championChanges()).toEqual([]);
    expect(await registry.championHistoryComplete()).toBe(true);
    await registry.approve(a.id, { by: 'ann', note: 'first' });
    await registry.approve(b.id, { by: 'bob' });
    // No change of champion, none recorded: b approved again, made champion again, c (not the champion) rejected.
    await registry.approve(b.id, { by: 'eve', note: 'again' });
    await registry.setChampion(b.id, { by: 'eve', note: 'same' });
    await registry.reject(c.id, { by: 'carl' });
    await registry.reject(b.id, { by: 'dora', note: 'misroutes claims' }); // rolls back to a
    await registry.reject(a.id, { by: 'ed', note: 'also weak' }); // none left to roll back to: no entry
    await registry.approve(b.id, { force: true, by: 'fay', note: 'fixed' });
    const changes = await registry.championChanges();
    expect(changes.map(({ at: _at, ...c }) => c)).toEqual([
      { id: a.id, via: 'approve', by: 'ann', note: 'first' },
      { id: b.id, via: 'approve', by: 'bob' },
      { id: a.id, via: 'rollback', by: 'dora', note: 'misroutes claims' },
      // The note says the rejection it overrode, beside the person's (each registry in its own order).
      { id: b.id, via: 'approve', by: 'fay', note: expect.stringMatching(/^(fixed; )?approved with force over a rejection by dora at [^;]+(; fixed)?$/) },
    ]);
    expect(changes.at(-1)?.note).toContain('fixed');
    expect(changes.every((c) => typeof c.at === 'string')).toBe(true);
    expect(await registry.championHistory()).toEqual([a.id, b.id, a.id, b.id]);
    expect(await registry.championHistoryComplete()).toBe(true);
  });
});
