import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelVersion } from '../contracts.js';
import { createLocalRegistry, type RollbackSkip } from './local-registry.js';
import { rollbackCandidates, rollbackChampion } from './rollback.js';
import { registryArtifact } from './test-artifact.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'mailroute-rollback-'));

/** A registry whose champions were m-a, then m-b, then m-c (the champion); m-d Approved, never champion. */
async function threeChampions() {
  const home = tmp();
  const reg = createLocalRegistry({ home });
  for (const id of ['m-a', 'm-b', 'm-c', 'm-d']) await reg.register(registryArtifact(id));
  await reg.approve('m-d', { promote: false });
  for (const id of ['m-a', 'm-b', 'm-c']) await reg.approve(id);
  return { home, reg, index: path.join(home, 'registry.json') };
}

describe('rollback to an intact artifact only (reject of the champion)', () => {
  it('passes over an earlier champion whose folder was moved away, and says which and why', async () => {
    const { home, reg } = await threeChampions();
    renameSync(path.join(home, 'models', 'm-b'), path.join(home, 'moved-m-b'));
    let skipped: RollbackSkip[] = [];
    await reg.reject('m-c', { note: 'incident', onRollbackSkipped: (s) => (skipped = s) });
    expect((await reg.champion())?.id).toBe('m-a');
    expect((await reg.get('m-c')).status).toBe('Rejected');
    expect(skipped).toEqual([
      {
        id: 'm-b',
        version: 2,
        dir: path.join(home, 'models', 'm-b'),
        code: 'REGISTRY_ARTIFACT_TAMPERED',
        reason: `model "m-b": its folder ${path.join(home, 'models', 'm-b')} is missing (moved or deleted)`,
      },
    ]);
    expect((await reg.championChanges()).at(-1)).toMatchObject({ id: 'm-a', via: 'rollback', note: 'incident' });
  });

  it('passes over one whose model.onnx changed, then falls back to the newest Approved version that never served', async () => {
    const { home, reg } = await threeChampions();
    writeFileSync(path.join(home, 'models', 'm-b', 'model.onnx'), 'corrupted');
    rmSync(path.join(home, 'models', 'm-a', 'model.onnx'));
    let skipped: RollbackSkip[] = [];
    await reg.reject('m-c', { note: 'incident', onRollbackSkipped: (s) => (skipped = s) });
    expect((await reg.champion())?.id).toBe('m-d');
    expect(skipped.map((s) => [s.id, s.reason])).toEqual([
      ['m-b', `model "m-b": model.onnx was changed after registration (its sha256 is not the manifest's) in ${path.join(home, 'models', 'm-b')}`],
      ['m-a', `model "m-a": model.onnx is missing in ${path.join(home, 'models', 'm-a')}`],
    ]);
  });

  it('refuses the rejection when no version to go back to is intact: nothing written, the champion stays', async () => {
    const { home, reg, index } = await threeChampions();
    for (const id of ['m-a', 'm-b', 'm-d']) renameSync(path.join(home, 'models', id), path.join(home, `moved-${id}`));
    const before = readFileSync(index, 'utf8');
    const called: RollbackSkip[][] = [];
    const refused = reg.reject('m-c', { note: 'incident', onRollbackSkipped: (s) => called.push(s) });
    await expect(refused).rejects.toMatchObject({
      code: 'REGISTRY_NO_ROLLBACK',
      message: expect.stringMatching(/^model "m-c" is the champion and was not rejected: no version a rollback could go back to has an intact artifact \(model "m-b": its folder .* is missing \(moved or deleted\) \[REGISTRY_ARTIFACT_TAMPERED\]; model "m-a": .*; model "m-d": .*\); nothing changed: "m-c" stays the champion/),
    });
    await expect(refused).rejects.toMatchObject({ message: expect.stringContaining(`copy an intact copy of its folder back to ${path.join(home, 'models', 'm-b')}`) });
    expect(called).toEqual([]);
    expect(readFileSync(index, 'utf8')).toBe(before);
    expect((await reg.champion())?.id).toBe('m-c');
    expect((await reg.get('m-c')).status).toBe('Approved');
    // Put back, the same rejection rolls back as it always did.
    renameSync(path.join(home, 'moved-m-b'), path.join(home, 'models', 'm-b'));
    await reg.reject('m-c', { note: 'incident' });
    expect((await reg.champion())?.id).toBe('m-b');
  });

  it('leaves no champion, as before, when there is no Approved version to go back to at all', async () => {
    const home = tmp();
    const reg = createLocalRegistry({ home });
    await reg.register(registryArtifact('m-only'));
    await reg.approve('m-only');
    const called: RollbackSkip[][] = [];
    await reg.reject('m-only', { note: 'bad', onRollbackSkipped: (s) => called.push(s) });
    expect(await reg.champion()).toBeUndefined();
    expect(called).toEqual([]);
  });

  it('rejecting a version that is not the champion checks no artifact', async () => {
    const { home, reg } = await threeChampions();
    rmSync(path.join(home, 'models', 'm-a'), { recursive: true });
    await reg.reject('m-b', { note: 'old' });
    expect((await reg.champion())?.id).toBe('m-c');
  });
});

describe('what a missing or changed artifact\'s error advises', () => {
  it('says to copy an intact folder back to <home>/models/<id>, not to register a copy (refused as a duplicate id)', async () => {
    const { home, reg } = await threeChampions();
    const dir = path.join(home, 'models', 'm-b');
    renameSync(dir, path.join(home, 'moved-m-b'));
    const advice = `copy an intact copy of its folder back to ${dir} (a backup's models/m-b: \`mailroute backup --verify <backup>\` checks it), then run the command again`;
    await expect(reg.setChampion('m-b')).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_TAMPERED', message: `model "m-b": its folder ${dir} is missing (moved or deleted); ${advice}` });
    renameSync(path.join(home, 'moved-m-b'), dir);
    writeFileSync(path.join(dir, 'model.onnx'), 'corrupted');
    const changed = await reg.setChampion('m-b').catch((error: Error) => error);
    expect(changed).toMatchObject({ message: expect.stringContaining(`; ${advice}`) });
    expect((changed as Error).message).not.toContain('registry add');
    // What the old advice said: registering an intact copy of the same model is refused.
    await expect(reg.register(registryArtifact('m-b'))).rejects.toMatchObject({ code: 'REGISTRY_DUPLICATE' });
  });
});

describe('rollbackCandidates', () => {
  const version = (id: string, n: number, status: ModelVersion['status'], gatePass?: boolean): ModelVersion => ({
    id,
    version: n,
    status,
    createdAt: '2026-12-01T00:00:00Z',
    family: 'ngram-bag',
    tasks: ['queue'],
    dataHash: 'h',
    metrics: {},
    ...(gatePass === undefined ? {} : { gate: { pass: gatePass, champion: 'x', failed: [], thresholds: {}, at: '2026-12-01T00:00:00Z' } }),
  });

  it('orders earlier champions still Approved (latest first), then Approved versions whose gate did not fail (newest first), each once', () => {
    const versions = [version('a', 1, 'Approved'), version('b', 2, 'Rejected'), version('c', 3, 'Approved', false), version('d', 4, 'Approved', true), version('e', 5, 'Approved'), version('f', 6, 'Approved')];
    const candidates = rollbackCandidates(versions, ['a', 'b', 'c', 'a', 'f'], 'f').map((v) => v.id);
    expect(candidates).toEqual(['a', 'c', 'e', 'd']);
    expect(rollbackChampion(versions, ['a', 'b', 'c', 'a', 'f'], 'f')?.id).toBe('a');
    expect(rollbackChampion(versions, ['f'], 'f')?.id).toBe('e');
    expect(rollbackCandidates([version('f', 1, 'Approved')], ['f'], 'f')).toEqual([]);
  });
});
