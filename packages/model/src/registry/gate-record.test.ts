import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { failedChecksLine, gateStanding, type GateRecord } from './gate-record.js';
import { RegistryError } from './errors.js';
import { createLocalRegistry } from './local-registry.js';
import { registryArtifact } from './test-artifact.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'mailroute-gate-record-'));

const artifact = (id: string) => registryArtifact(id, 64);

const thresholds = { maxMacroF1DropPoints: 0.5, meanMacroF1MustNotDrop: true, maxMeanMacroF1DropPoints: 0.25 };
const failed: GateRecord = {
  pass: false,
  champion: 'm-old',
  failed: ['queue: macro-F1 drop ≤ 0.5 pts: 0.8100 → 0.7800 (-3.00 pts)', 'mean macro-F1 drop ≤ 0.25 pts: 0.8100 → 0.7800 (-3.00 pts)'],
  thresholds,
  at: '2026-12-01T09:00:00.000Z',
};

describe('gate records in the local registry', () => {
  it('keeps the gate on the version under the lock, leaving the manifest hash as registered', async () => {
    const home = tmp();
    const reg = createLocalRegistry({ home });
    const registered = await reg.register(artifact('m-new'));
    const recorded = await reg.recordGate('m-new', failed);
    expect(recorded.gate).toEqual(failed);
    expect(recorded.manifestSha256).toBe(registered.manifestSha256);
    // On disk, read back through the index's schema by a fresh instance.
    expect((await createLocalRegistry({ home }).get('m-new')).gate).toEqual(failed);
    expect(JSON.parse(readFileSync(path.join(home, 'registry.json'), 'utf8')).versions[0].gate.pass).toBe(false);
    // The last gate replaces the one before.
    const passed = { ...failed, pass: true, failed: [] };
    expect((await reg.recordGate('m-new', passed)).gate).toEqual(passed);
    await expect(reg.recordGate('nope', passed)).rejects.toMatchObject({ code: 'REGISTRY_NOT_FOUND' });
    await expect(reg.recordGate('m-new', { ...passed, champion: '' })).rejects.toThrow();
  });

  it('refuses to approve a version whose last gate failed, unless forced, and then says so in the note', async () => {
    const home = tmp();
    const reg = createLocalRegistry({ home });
    await reg.register(artifact('m-new'));
    await reg.recordGate('m-new', failed);
    const refused = await reg.approve('m-new', { by: 'lead' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'REGISTRY_GATE_FAILED' });
    expect((refused as Error).message).toContain('queue: macro-F1 drop ≤ 0.5 pts');
    expect((refused as Error).message).toContain('against m-old');
    expect((await reg.get('m-new')).status).toBe('PendingManualApproval');
    expect(await reg.champion()).toBeUndefined();

    const forced = await reg.approve('m-new', { by: 'lead', note: 'needed for the new queue', force: true });
    expect(forced.status).toBe('Approved');
    expect(forced.statusNote).toMatch(/^needed for the new queue; approved with force over a failed gate \(against m-old at 2026-12-01T09:00:00\.000Z: queue: macro-F1/);
    expect(forced.history?.at(-1)?.note).toBe(forced.statusNote);
    expect((await reg.champion())?.id).toBe('m-new');
  });

  it('keeps the gate a decision was made on: an Approved or Rejected version takes no later gate (REGISTRY_DECIDED), and the decision holds a copy', async () => {
    const home = tmp();
    const reg = createLocalRegistry({ home });
    for (const id of ['m-a', 'm-b', 'm-c']) await reg.register(artifact(id));
    const passed = { ...failed, pass: true, failed: [] };
    await reg.recordGate('m-a', passed);
    await reg.recordGate('m-b', passed);
    await reg.approve('m-a', { by: 'ann', promote: false });
    await reg.reject('m-b', { by: 'bob', note: 'not needed' });
    const index = readFileSync(path.join(home, 'registry.json'), 'utf8');
    for (const [id, status, by] of [['m-a', 'Approved', 'ann'], ['m-b', 'Rejected', 'bob']] as const) {
      const refused = await reg.recordGate(id, { ...failed, at: '2026-12-02T09:00:00.000Z' }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(RegistryError);
      expect(refused).toMatchObject({ code: 'REGISTRY_DECIDED', message: expect.stringMatching(new RegExp(`^model "${id}" is ${status} \\(by ${by} at \\S+\\): a gate is recorded only on a version awaiting its decision`)) });
      expect((await reg.get(id)).gate).toEqual(passed);
      // The decision's history entry keeps the gate it was made on.
      expect((await reg.get(id)).history?.at(-1)).toMatchObject({ status, by, gate: passed });
    }
    // Nothing was written by the refusals.
    expect(readFileSync(path.join(home, 'registry.json'), 'utf8')).toBe(index);
    // Approved with force after its rejection: that decision keeps the gate too; with none on record, none is kept.
    expect((await reg.approve('m-b', { force: true, note: 'needed after all' })).history?.at(-1)).toMatchObject({ status: 'Approved', gate: passed });
    expect((await reg.approve('m-c')).history?.at(-1)).not.toHaveProperty('gate');
    // A version awaiting its decision still takes gates, the last replacing the one before.
    await reg.register(artifact('m-d'));
    expect((await reg.recordGate('m-d', failed)).gate).toEqual(failed);
  });

  it('approves a version whose gate passed, or that has none, as before', async () => {
    const home = tmp();
    const reg = createLocalRegistry({ home });
    await reg.register(artifact('m-a'));
    await reg.register(artifact('m-b'));
    await reg.recordGate('m-b', { ...failed, pass: true, failed: [] });
    expect((await reg.approve('m-a')).statusNote).toBeUndefined();
    expect((await reg.approve('m-b', { note: 'ok' })).statusNote).toBe('ok');
  });

  it('says where a gate stands for an approval now: stale only while the version awaits its decision', () => {
    const pending = { id: 'm-new', status: 'PendingManualApproval' as const };
    const passed = { ...failed, pass: true, failed: [] };
    expect(gateStanding(pending, 'm-old')).toBe('none');
    expect(gateStanding({ ...pending, gate: failed }, 'm-old')).toBe('failed');
    expect(gateStanding({ ...pending, gate: passed }, 'm-old')).toBe('passed');
    expect(gateStanding({ ...pending, gate: passed }, 'm-other')).toBe('stale');
    expect(gateStanding({ ...pending, gate: passed }, undefined)).toBe('stale');
    expect(gateStanding({ ...pending, status: 'Rejected', gate: passed }, 'm-other')).toBe('stale');
    // Once it is the champion (it replaced the model it beat), or Approved, the gate is the record of that decision.
    expect(gateStanding({ ...pending, status: 'Approved', gate: passed }, 'm-new')).toBe('passed');
    expect(gateStanding({ ...pending, gate: passed }, 'm-new')).toBe('passed');
    expect(gateStanding({ ...pending, status: 'Approved', gate: passed }, 'm-other')).toBe('passed');
    expect(gateStanding({ ...pending, status: 'Approved', gate: failed }, 'm-new')).toBe('failed');
    expect(failedChecksLine({ ...failed, failed: ['a', 'b', 'c', 'd', 'e'] })).toBe('a; b; c; and 2 more');
  });
});
