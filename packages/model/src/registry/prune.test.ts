import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalRegistry } from './local-registry.js';
import { registryArtifact } from './test-artifact.js';

const DAY = 24 * 60 * 60 * 1000;
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'mailroute-prune-'));

/** A registry whose clock the test moves: `at(day)` sets it to that many days after 2026-01-01. */
function clockedRegistry(home: string) {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const registry = createLocalRegistry({ home, now: () => new Date(now) });
  return { registry, at: (day: number) => (now = Date.parse('2026-01-01T00:00:00Z') + day * DAY) };
}

const fixture = (id: string) => Promise.resolve(registryArtifact(id));

describe('LocalModelRegistry.prune', () => {
  it('writes nothing when nothing is to be pruned: a mistyped home is not created, a registry not rewritten', async () => {
    const missing = path.join(tmp(), 'no-such-home');
    const result = await createLocalRegistry({ home: missing }).prune({ olderThanDays: 30 });
    expect(result).toMatchObject({ dryRun: false, pruned: [], bytes: 0 });
    expect(existsSync(missing)).toBe(false);
    const home = tmp();
    const { registry } = clockedRegistry(home);
    await registry.register(await fixture('m-recent'));
    const before = readFileSync(path.join(home, 'registry.json'), 'utf8');
    expect((await registry.prune({ olderThanDays: 30 })).pruned).toEqual([]);
    expect(readFileSync(path.join(home, 'registry.json'), 'utf8')).toBe(before);
  });

  it('removes the artifacts of old Rejected and awaiting versions, keeps the champion, Approved and recent ones, and their records', async () => {
    const home = tmp();
    const { registry, at } = clockedRegistry(home);
    at(0);
    for (const id of ['m-champion', 'm-approved', 'm-rejected', 'm-old-pending', 'm-late-rejected']) await registry.register(await fixture(id));
    await registry.approve('m-approved');
    await registry.approve('m-champion');
    await registry.reject('m-rejected', { note: 'worse on complaints' });
    at(35);
    await registry.reject('m-late-rejected');
    await registry.register(await fixture('m-new-pending'));
    at(40);
    const models = path.join(home, 'models');
    const before = readFileSync(path.join(home, 'registry.json'), 'utf8');

    const dry = await registry.prune({ olderThanDays: 30, dryRun: true });
    expect(dry.pruned.map((v) => v.id)).toEqual(['m-rejected', 'm-old-pending']);
    expect(dry.dryRun).toBe(true);
    expect(readFileSync(path.join(home, 'registry.json'), 'utf8')).toBe(before);
    expect(existsSync(path.join(models, 'm-rejected'))).toBe(true);

    const result = await registry.prune({ olderThanDays: 30 });
    expect(result.pruned.map((v) => [v.id, v.status])).toEqual([
      ['m-rejected', 'Rejected'],
      ['m-old-pending', 'PendingManualApproval'],
    ]);
    expect(result.pruned.every((v) => v.bytes > 0)).toBe(true);
    expect(result.bytes).toBe(dry.bytes);
    expect(result.bytes).toBe(result.pruned[0].bytes + result.pruned[1].bytes);
    // The rejection 5 days ago and the registration 5 days ago are recent; the rejection's age counts, not the registration's.
    expect(result.kept).toEqual({ champion: 1, lastChampion: 0, approved: 1, formerChampion: 0, recent: 2, prunedBefore: 0 });
    expect(existsSync(path.join(models, 'm-rejected'))).toBe(false);
    expect(existsSync(path.join(models, 'm-old-pending'))).toBe(false);
    for (const id of ['m-champion', 'm-approved', 'm-late-rejected', 'm-new-pending']) expect(existsSync(path.join(models, id))).toBe(true);
    const rejected = await registry.get('m-rejected');
    expect(rejected).toMatchObject({ status: 'Rejected', statusNote: 'worse on complaints', prunedAt: '2026-02-10T00:00:00.000Z' });
    expect((await registry.list()).map((v) => v.id)).toHaveLength(6);

    const again = await registry.prune({ olderThanDays: 0 });
    expect(again.pruned.map((v) => v.id)).toEqual(['m-late-rejected', 'm-new-pending']);
    expect(again.kept).toEqual({ champion: 1, lastChampion: 0, approved: 1, formerChampion: 0, recent: 0, prunedBefore: 2 });
    expect((await registry.champion())?.id).toBe('m-champion');
  });

  it('refuses to load, approve or make champion a pruned version, naming the prune, while its rejection and record stay usable', async () => {
    const home = tmp();
    const { registry, at } = clockedRegistry(home);
    at(0);
    await registry.register(await fixture('m-gone'));
    await registry.register(await fixture('m-pending'));
    await registry.reject('m-gone');
    at(1);
    await registry.prune({ olderThanDays: 0 });
    for (const attempt of [() => registry.artifactDir('m-gone'), () => registry.approve('m-gone', { force: true }), () => registry.setChampion('m-gone'), () => registry.approve('m-pending')]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'REGISTRY_PRUNED', message: expect.stringMatching(/was pruned at 2026-01-02T00:00:00.000Z: its artifact is removed/) });
    }
    expect((await registry.get('m-gone')).status).toBe('Rejected');
    expect((await registry.reject('m-pending')).status).toBe('Rejected');
    expect(await registry.champion()).toBeUndefined();
  });

  it('refuses to approve a version a prune removed while the approval waited for the lock', async () => {
    const home = tmp();
    await createLocalRegistry({ home }).register(await fixture('m-1'));
    let entered!: () => void;
    const inLock = new Promise<void>((resolve) => (entered = resolve));
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    // The prune holds the lock with m-1 chosen; the approval checks m-1's artifact (still there), then waits.
    const pruning = createLocalRegistry({ home, hooks: { beforeIndexWrite: async () => (entered(), held) } }).prune({ olderThanDays: 0 });
    await inLock;
    // Its refusal is taken at once: it can come while the test still awaits the prune's answer, and a rejection
    // no one has taken yet is reported as unhandled (a new-user run of the suite failed on it).
    const approving = createLocalRegistry({ home })
      .approve('m-1')
      .then(() => 'approved', (error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 200));
    letGo();
    expect((await pruning).pruned.map((v) => v.id)).toEqual(['m-1']);
    expect(await approving).toMatchObject({ code: 'REGISTRY_PRUNED' });
    expect(await createLocalRegistry({ home }).champion()).toBeUndefined();
  });

  it('keeps the artifact of a version that served as champion and was rejected since: its predictions are stored, its thresholds audited', async () => {
    const home = tmp();
    const { registry, at } = clockedRegistry(home);
    at(0);
    for (const id of ['m-first', 'm-served', 'm-never']) await registry.register(await fixture(id));
    await registry.approve('m-first');
    await registry.approve('m-served');
    await registry.reject('m-served', { note: 'misroutes complaints' });
    await registry.reject('m-never');
    at(60);
    const result = await registry.prune({ olderThanDays: 30 });
    expect(result.pruned.map((v) => v.id)).toEqual(['m-never']);
    expect(result.kept).toMatchObject({ champion: 1, formerChampion: 1 });
    expect(existsSync(path.join(home, 'models', 'm-served'))).toBe(true);
  });

  it('keeps the artifact of a champion rejected with nothing to roll back to: servers keep serving it', async () => {
    const home = tmp();
    const { registry, at } = clockedRegistry(home);
    at(0);
    await registry.register(await fixture('m-only'));
    await registry.approve('m-only');
    await registry.reject('m-only', { note: 'worse than hoped' });
    expect(await registry.champion()).toBeUndefined();
    at(40);
    const result = await registry.prune({ olderThanDays: 30 });
    expect(result.pruned).toEqual([]);
    expect(result.kept).toMatchObject({ champion: 0, lastChampion: 1 });
    expect(existsSync(path.join(home, 'models', 'm-only'))).toBe(true);
    // Once another is champion, it is kept still: it served, as any former champion.
    await registry.register(await fixture('m-next'));
    await registry.approve('m-next');
    const later = await registry.prune({ olderThanDays: 30 });
    expect([later.pruned, later.kept.formerChampion]).toEqual([[], 1]);
  });

  it('finishes a prune stopped after its index write at the next write, and never removes what was moved aside', async () => {
    const home = tmp();
    const { registry, at } = clockedRegistry(home);
    at(0);
    await registry.register(await fixture('m-half'));
    await registry.reject('m-half');
    // As a prune killed after writing the index leaves it: the record says pruned, the directory is still there.
    const file = path.join(home, 'registry.json');
    const index = JSON.parse(readFileSync(file, 'utf8')) as { versions: { id: string; prunedAt?: string }[] };
    index.versions[0].prunedAt = '2026-01-01T00:00:00.000Z';
    writeFileSync(file, JSON.stringify(index));
    mkdirSync(path.join(home, 'models', '.unlisted-m-old-20260101T000000000Z'));
    expect(existsSync(path.join(home, 'models', 'm-half'))).toBe(true);
    await registry.register(await fixture('m-next'));
    expect(existsSync(path.join(home, 'models', 'm-half'))).toBe(false);
    const result = await registry.prune({ olderThanDays: 0, dryRun: true });
    expect(result.unlisted).toEqual(['.unlisted-m-old-20260101T000000000Z']);
    expect(existsSync(path.join(home, 'models', '.unlisted-m-old-20260101T000000000Z'))).toBe(true);
  });
});
