import { describe, expect, it } from 'vitest';
import type { ModelVersion } from '../contracts.js';
import { describeNoChampion, noChampionError } from './no-champion.js';

function version(id: string, n: number, status: ModelVersion['status']): ModelVersion {
  return { id, version: n, status, createdAt: '2026-01-01T00:00:00Z', family: 'ngram-bag', tasks: ['queue'], dataHash: 'h', metrics: {} };
}

describe('describeNoChampion', () => {
  it('tells an empty registry to train a model, not to approve one it does not have', () => {
    const said = describeNoChampion([]);
    expect(said).toBe('no model version yet; train one (mailroute train --data <export>, then mailroute registry approve <id>) or, for the demo model, run mailroute start (npm start)');
    expect(said).not.toMatch(/version\(s\)|Rejected/);
  });

  it('tells a registry with a version awaiting approval to approve one', () => {
    expect(describeNoChampion([version('m-1', 1, 'Rejected'), version('m-2', 2, 'PendingManualApproval')])).toBe(
      '2 version(s) but no champion (1 waiting for approval); approve one (mailroute registry approve <id>; mailroute registry list shows them)',
    );
  });

  it('leaves out pruned versions, which cannot be approved: a pruned one awaiting approval is none to approve', () => {
    const pruned = (v: ModelVersion): ModelVersion => ({ ...v, prunedAt: '2026-02-01T00:00:00Z' });
    expect(describeNoChampion([version('m-1', 1, 'Rejected'), pruned(version('m-2', 2, 'PendingManualApproval'))])).toBe(
      '2 version(s) but no champion (0 waiting for approval); every one is Rejected: train a new one (mailroute train --data <export>) and approve it, or approve a rejected one again (mailroute registry approve <id> --force --note <why>)',
    );
    expect(describeNoChampion([pruned(version('m-1', 1, 'Rejected')), pruned(version('m-2', 2, 'PendingManualApproval'))])).toBe(
      '2 version(s) but no champion (0 waiting for approval); every one is pruned (its artifact removed): train a new one (mailroute train --data <export>) and approve it',
    );
  });
});

describe('noChampionError', () => {
  it('is REGISTRY_NOT_APPROVED, as start and serve say it, with the command\'s own last resort', () => {
    const error = noChampionError('/srv/home', [version('m-1', 1, 'PendingManualApproval')], 'name a version instead of champion');
    expect(error).toMatchObject({ name: 'RegistryError', code: 'REGISTRY_NOT_APPROVED' });
    expect(error.message).toBe(
      'There is no champion: the registry at /srv/home has 1 version(s) but no champion (1 waiting for approval); approve one (mailroute registry approve <id>; mailroute registry list shows them); or name a version instead of champion.',
    );
    expect(noChampionError('/srv/home', []).message).toMatch(/^There is no champion: the registry at \/srv\/home has no model version yet; train one .*\(npm start\)\.$/);
  });
});
