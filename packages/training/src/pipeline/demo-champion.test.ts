import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalRegistry } from '@mailroute/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CHAMPION_APPROVED_BY, ensureDemoChampion } from './demo-champion.js';

let root: string;
/** The artifact of a demo model, trained once for the file. */
let artifact: string;
beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'mailroute-demo-champion-'));
  const home = path.join(root, 'trained');
  const champion = await ensureDemoChampion({ home, rows: 400 });
  artifact = await createLocalRegistry({ home }).artifactDir(champion.id);
}, 180_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A home whose registry holds the demo artifact registered with `note` and never decided on: a start stopped between its two writes. */
async function registeredOnly(name: string, note: string) {
  const home = path.join(root, name);
  const registry = createLocalRegistry({ home });
  const version = await registry.register(artifact, { note });
  return { home, registry, version };
}

describe('ensureDemoChampion after a start stopped between registering and approving its demo model', () => {
  it('approves that demo model on the next start instead of refusing the home, and trains no other', async () => {
    for (const note of ['demo model trained on synthetic data by mailroute start', 'demo model trained on synthetic data by ensureDemoChampion']) {
      const { home, registry, version } = await registeredOnly(`stopped-${note.split(' ').at(-1)}`, note);
      const champion = await ensureDemoChampion({ home, rows: 400 });
      expect(champion.id).toBe(version.id);
      expect(champion.status).toBe('Approved');
      expect(champion.statusChangedBy).toBe(DEMO_CHAMPION_APPROVED_BY);
      expect(champion.statusNote).toMatch(/approved by the next start: the one that trained it stopped before approving it/);
      expect(await registry.list()).toHaveLength(1);
      expect((await registry.champion())?.id).toBe(version.id);
    }
  }, 60_000);

  it('still refuses a registry whose one waiting model is a team\'s, or the demo model someone rejected', async () => {
    const team = await registeredOnly('team', 'queue model trained on the March export');
    await expect(ensureDemoChampion({ home: team.home, rows: 400 })).rejects.toMatchObject({ code: 'REGISTRY_NOT_APPROVED' });
    const rejected = await registeredOnly('rejected', 'demo model trained on synthetic data by mailroute start');
    await rejected.registry.reject(rejected.version.id, { note: 'not this one' });
    await expect(ensureDemoChampion({ home: rejected.home, rows: 400 })).rejects.toMatchObject({ code: 'REGISTRY_NOT_APPROVED' });
    expect(await team.registry.list()).toHaveLength(1);
    expect(await rejected.registry.list()).toHaveLength(1);
  }, 60_000);
});
