import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readManifest } from '../artifact.js';
import { RegistryError } from './errors.js';
import { createLocalRegistry, STAGING_HOST } from './local-registry.js';
import { registryArtifact } from './test-artifact.js';

const child = fileURLToPath(new URL('./register-child.ts', import.meta.url));
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'mailroute-registry-'));

const artifact = registryArtifact;

function runChild(home: string, mode: string, dirs: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, home, mode, ...dirs], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('close', (code, signal) => resolve({ code, signal, out }));
  });
}

function visibleModels(home: string): string[] {
  const dir = path.join(home, 'models');
  return existsSync(dir) ? readdirSync(dir).filter((e) => !e.startsWith('.')) : [];
}

describe('LocalModelRegistry', () => {
  it.skipIf(process.platform === 'win32')("makes a new home its owner's alone (0700) whatever the umask, and leaves the mode of one that exists (QA: registry files 0644 under a 0755 home)", async () => {
    const root = tmp();
    const old = process.umask(0o022);
    try {
      const home = path.join(root, 'new', 'home');
      await createLocalRegistry({ home }).register(artifact('m-home'));
      expect(statSync(home).mode & 0o777).toBe(0o700);
      const existing = path.join(root, 'existing');
      mkdirSync(existing, { mode: 0o755 });
      await createLocalRegistry({ home: existing }).register(artifact('m-home-2'));
      expect(statSync(existing).mode & 0o777).toBe(0o755);
    } finally {
      process.umask(old);
    }
  });

  it('takes a model back out of models/ when the index write fails after it was moved there (a full disk)', async () => {
    const home = tmp();
    await createLocalRegistry({ home }).register(artifact('m-first'));
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const failing = createLocalRegistry({ home, hooks: { beforeIndexWrite: () => Promise.reject(full) } });
    await expect(failing.register(artifact('m-second'))).rejects.toMatchObject({ code: 'REGISTRY_NO_SPACE', cause: full });
    expect(readdirSync(path.join(home, 'models'))).toEqual(['m-first']);
    expect((await createLocalRegistry({ home }).list()).map((v) => v.id)).toEqual(['m-first']);
  });

  it('writes no index once its lock is no longer its own (taken for stale while the writer was paused): REGISTRY_LOCK_LOST, the other writer\'s change kept', async () => {
    const home = tmp();
    const reg = createLocalRegistry({ home });
    await reg.register(artifact('m-a'));
    await reg.register(artifact('m-b'));
    const lockFile = path.join(home, 'registry.lock');
    // While this writer is paused before its index write, another takes its lock for stale and rejects m-b: as a
    // breaker does, its lock file is a new one, and the index holds its change.
    const breaker = createLocalRegistry({ home, lock: { timeoutMs: 100 } });
    const paused = createLocalRegistry({
      home,
      hooks: {
        beforeIndexWrite: async () => {
          rmSync(lockFile);
          await breaker.reject('m-b', { note: 'second writer' });
          writeFileSync(lockFile, JSON.stringify({ pid: 2 ** 22 + 12345, host: 'another-host', at: new Date().toISOString() }));
        },
      },
    });
    await expect(paused.reject('m-a', { note: 'first writer' })).rejects.toMatchObject({ code: 'REGISTRY_LOCK_LOST' });
    expect((await reg.list()).map((v) => [v.id, v.status, v.statusNote])).toEqual([
      ['m-b', 'Rejected', 'second writer'],
      ['m-a', 'PendingManualApproval', undefined],
    ]);
    // Nothing of its write is left (no temp file), and the other's lock is not removed.
    expect(readdirSync(home).sort()).toEqual(['models', 'registry.json', 'registry.lock']);
    // A registration that loses its lock takes its model back out of models/.
    const replaceLock = () => {
      rmSync(lockFile);
      writeFileSync(lockFile, '');
    };
    const registering = createLocalRegistry({ home, hooks: { beforeIndexWrite: replaceLock } });
    rmSync(lockFile);
    await expect(registering.register(artifact('m-c'))).rejects.toMatchObject({ code: 'REGISTRY_LOCK_LOST' });
    expect(visibleModels(home).sort()).toEqual(['m-a', 'm-b']);
  });

  it("reads an unchanged index from its last parse, and another instance's write at once; what a read returns is the caller's to change", async () => {
    const home = tmp();
    const reader = createLocalRegistry({ home });
    const writer = createLocalRegistry({ home });
    await writer.register(artifact('m-one'));
    expect((await reader.list()).map((v) => v.status)).toEqual(['PendingManualApproval']);
    await writer.approve('m-one');
    expect((await reader.champion())?.id).toBe('m-one');
    const listed = await reader.list();
    listed[0].status = 'Rejected';
    listed.push(listed[0]);
    expect((await reader.list()).map((v) => v.status)).toEqual(['Approved']);
    // A hand edit (another inode, as every write makes) is read too.
    const file = path.join(home, 'registry.json');
    const edited = JSON.parse(readFileSync(file, 'utf8')) as { champion: string | null };
    edited.champion = null;
    rmSync(file);
    writeFileSync(file, JSON.stringify(edited));
    expect(await reader.champion()).toBeUndefined();
  });

  it('registers, lists, approves (champion), rejects, and refuses duplicates', async () => {
    const home = tmp();
    const reg = createLocalRegistry({ home });
    const a = await reg.register(artifact('m-a'), { runId: 'run-1' });
    expect(a).toMatchObject({ id: 'm-a', version: 1, status: 'PendingManualApproval', tasks: ['queue', 'topic'], runId: 'run-1' });
    expect(a.metrics['queue.macro_f1']).toBeCloseTo(0.8, 10);
    expect(a.measuredOn).toBeUndefined(); // the manifest does not say
    const b = await reg.register(artifact('m-b', 1024, { training: { testedOn: 'held-out-split' }, trainingConfig: { split: { kind: 'stratified', seed: 3, testShare: 0.2 } } }));
    expect(b.version).toBe(2);
    expect(b.measuredOn).toBe('held-out test split (seed 3, 0.2)');
    const c = await createLocalRegistry({ home: tmp() }).register(artifact('m-c', 1024, { training: { testedOn: 'external-file', testFile: 'march.csv' } }));
    expect(c.measuredOn).toBe('test file march.csv');
    expect((await reg.list()).map((v) => v.id)).toEqual(['m-b', 'm-a']);
    expect(await reg.champion()).toBeUndefined();
    await expect(reg.setChampion('m-a')).rejects.toMatchObject({ code: 'REGISTRY_NOT_APPROVED' });
    const approved = await reg.approve('m-a', { by: 'lead' });
    expect(approved.status).toBe('Approved');
    expect((await reg.champion())?.id).toBe('m-a');
    await reg.approve('m-b', { promote: false });
    expect((await reg.champion())?.id).toBe('m-a');
    // Approving again promotes only: the first decision stays on record, once.
    await reg.approve('m-a', { by: 'someone else' });
    expect(await reg.get('m-a')).toMatchObject({ statusChangedBy: 'lead', history: [{ status: 'PendingManualApproval' }, { status: 'Approved', by: 'lead' }] });
    await reg.setChampion('m-b');
    expect((await reg.champion())?.id).toBe('m-b');
    await reg.reject('m-b', { note: 'worse on complaints' });
    expect((await reg.champion())?.id).toBe('m-a'); // rolled back to the newest other Approved version
    await reg.reject('m-a');
    expect(await reg.champion()).toBeUndefined(); // none is Approved now
    await expect(reg.register(artifact('m-a'))).rejects.toMatchObject({ code: 'REGISTRY_DUPLICATE' });
    await expect(reg.get('nope')).rejects.toBeInstanceOf(RegistryError);
    expect(existsSync(path.join(await reg.artifactDir('m-a'), 'reports', 'metrics.json'))).toBe(true);
    expect(visibleModels(home).sort()).toEqual(['m-a', 'm-b']);
  });

  it('keeps a rejection unless approval is forced, and keeps every decision and the registration note', async () => {
    let clock = Date.parse('2026-11-30T08:00:00Z');
    const reg = createLocalRegistry({ home: tmp(), now: () => new Date((clock += 60_000)) });
    await reg.register(artifact('m-r'), { note: 'monthly retrain' });
    await reg.reject('m-r', { by: 'bob', note: 'queue too weak' });
    await expect(reg.approve('m-r', { by: 'carol' })).rejects.toMatchObject({
      code: 'REGISTRY_REJECTED',
      message: 'model "m-r" was rejected by bob at 2026-11-30T08:02:00.000Z ("queue too weak"); approving it undoes that decision: pass force to do so',
    });
    expect((await reg.get('m-r')).status).toBe('Rejected');
    expect(await reg.champion()).toBeUndefined();
    const forced = await reg.approve('m-r', { by: 'carol', force: true });
    // The approval's note says it undid a rejection, and whose, with no note of the person's given.
    const undone = 'approved with force over a rejection by bob at 2026-11-30T08:02:00.000Z';
    expect(forced).toMatchObject({ status: 'Approved', statusChangedBy: 'carol', note: 'monthly retrain', statusNote: undone });
    expect((await reg.get('m-r')).history).toEqual([
      { status: 'PendingManualApproval', at: '2026-11-30T08:01:00.000Z' },
      { status: 'Rejected', at: '2026-11-30T08:02:00.000Z', by: 'bob', note: 'queue too weak' },
      { status: 'Approved', at: '2026-11-30T08:03:00.000Z', by: 'carol', note: undone },
    ]);
    expect((await reg.champion())?.id).toBe('m-r');
  });

  it('rolls a rejected champion back to the previous champion, never to a version approved over a failed gate that never served', async () => {
    const home = tmp();
    const reg = createLocalRegistry({ home });
    for (const id of ['m-a', 'm-b', 'm-c']) await reg.register(artifact(id));
    await reg.approve('m-a');
    await reg.approve('m-b');
    await reg.recordGate('m-c', { pass: false, champion: 'm-b', failed: ['queue: macro-F1 drop'], thresholds: {}, at: '2026-12-01T09:00:00.000Z' });
    await reg.approve('m-c', { promote: false, force: true });
    await reg.setChampion('m-a');
    await reg.setChampion('m-b');
    await reg.reject('m-b');
    // m-c is the newest other Approved version, but m-a was the champion before m-b.
    expect((await reg.champion())?.id).toBe('m-a');
    // No earlier champion is Approved now (m-b is Rejected); m-c's gate failed, so none is put in service.
    await reg.reject('m-a');
    expect(await reg.champion()).toBeUndefined();
    // A champion that was one before, approved over its failed gate, is gone back to all the same (the CLI warns).
    await reg.setChampion('m-c');
    await reg.approve('m-b', { force: true });
    await reg.reject('m-b');
    expect((await reg.champion())?.id).toBe('m-c');
    const index = JSON.parse(readFileSync(path.join(home, 'registry.json'), 'utf8')) as { championHistory: { id: string }[] };
    expect(index.championHistory.map((c) => c.id)).toEqual(['m-a', 'm-b', 'm-a', 'm-b', 'm-a', 'm-c', 'm-b', 'm-c']);
  });

  it('with no earlier champion Approved, rolls back to the newest Approved version whose gate did not fail; a registry without champion history too', async () => {
    const home = tmp();
    const reg = createLocalRegistry({ home });
    for (const id of ['m-a', 'm-b', 'm-c', 'm-d']) await reg.register(artifact(id));
    await reg.approve('m-a', { promote: false });
    await reg.recordGate('m-b', { pass: true, champion: 'm-x', failed: [], thresholds: {}, at: '2026-12-01T09:00:00.000Z' });
    await reg.approve('m-b', { promote: false });
    await reg.recordGate('m-c', { pass: false, champion: 'm-x', failed: ['queue: macro-F1 drop'], thresholds: {}, at: '2026-12-01T09:00:00.000Z' });
    await reg.approve('m-c', { promote: false, force: true });
    await reg.approve('m-d');
    // Written before the registry kept champion history: the champion m-d is all it knows.
    const file = path.join(home, 'registry.json');
    const { championHistory: _, ...old } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify(old));
    await reg.reject('m-d');
    expect((await reg.champion())?.id).toBe('m-b');
    await reg.reject('m-b');
    expect((await reg.champion())?.id).toBe('m-a'); // no gate on record: not a failed one
  });

  it('rejecting a Rejected version changes nothing: the first rejection stays the one on record', async () => {
    let clock = Date.parse('2026-11-30T08:00:00Z');
    const reg = createLocalRegistry({ home: tmp(), now: () => new Date((clock += 60_000)) });
    await reg.register(artifact('m-r'));
    await reg.reject('m-r', { by: 'bob', note: 'queue too weak' });
    const again = await reg.reject('m-r', { by: 'carol', note: 'still weak' });
    const expected = { status: 'Rejected', statusChangedBy: 'bob', statusNote: 'queue too weak', statusChangedAt: '2026-11-30T08:02:00.000Z' };
    expect(again).toMatchObject(expected);
    expect(await reg.get('m-r')).toMatchObject(expected);
    expect((await reg.get('m-r')).history?.map((h) => h.status)).toEqual(['PendingManualApproval', 'Rejected']);
  });

  it('keeps with each change of champion how it came about, who made it and why; an index from before these fields reads as before', async () => {
    const home = tmp();
    const reg = createLocalRegistry({ home });
    for (const id of ['m-a', 'm-b']) await reg.register(registryArtifact(id));
    await reg.approve('m-a', { by: 'ann', note: 'first' });
    await reg.approve('m-b', { by: 'bob' });
    await reg.setChampion('m-a', { by: 'carl', note: 'back for now' });
    await reg.setChampion('m-b');
    await reg.reject('m-b', { by: 'dora', note: 'misroutes claims' });
    expect(await reg.championChanges()).toEqual([
      { id: 'm-a', at: expect.any(String), via: 'approve', by: 'ann', note: 'first' },
      { id: 'm-b', at: expect.any(String), via: 'approve', by: 'bob' },
      { id: 'm-a', at: expect.any(String), via: 'champion', by: 'carl', note: 'back for now' },
      { id: 'm-b', at: expect.any(String), via: 'champion' },
      { id: 'm-a', at: expect.any(String), via: 'rollback', by: 'dora', note: 'misroutes claims' },
    ]);
    expect(await reg.championHistory()).toEqual(['m-a', 'm-b', 'm-a', 'm-b', 'm-a']);
    // As a mailroute from before these fields wrote it: entries of id and time, history entries without a gate.
    const file = path.join(home, 'registry.json');
    const index = JSON.parse(readFileSync(file, 'utf8'));
    index.championHistory = index.championHistory.map(({ id, at }: { id: string; at: string }) => ({ id, at }));
    writeFileSync(file, JSON.stringify(index));
    const old = createLocalRegistry({ home });
    expect((await old.championChanges()).map((c) => Object.keys(c))).toEqual(Array(5).fill(['id', 'at']));
    await old.approve('m-b', { force: true, by: 'ed', note: 'fixed' });
    expect((await old.championChanges()).at(-1)).toMatchObject({ id: 'm-b', via: 'approve', by: 'ed', note: expect.stringMatching(/^fixed; approved with force over a rejection by dora at /) });
    // No history at all (older still): the champion then, with no time, is the first change known.
    const { championHistory: _, ...older } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify(older));
    expect(await createLocalRegistry({ home }).championChanges()).toEqual([{ id: 'm-b' }]);
  });

  it("keeps the fields a newer mailroute wrote into the index (root, version, history, gate) when it writes", async () => {
    const home = tmp();
    const registry = createLocalRegistry({ home });
    await registry.register(registryArtifact('m-1'));
    await registry.recordGate('m-1', { pass: true, champion: 'm-0', failed: [], thresholds: {}, at: '2026-01-01T00:00:00Z' });
    const file = path.join(home, 'registry.json');
    const index = JSON.parse(readFileSync(file, 'utf8'));
    index.futureRoot = { kept: true };
    index.versions[0].futureField = 'kept';
    index.versions[0].history[0].futureStep = 1;
    index.versions[0].gate.futureGateField = ['kept'];
    writeFileSync(file, JSON.stringify(index));
    await createLocalRegistry({ home }).reject('m-1', { note: 'not yet' });
    const after = JSON.parse(readFileSync(file, 'utf8'));
    expect(after.versions[0].status).toBe('Rejected');
    expect([after.futureRoot, after.versions[0].futureField, after.versions[0].history[0].futureStep, after.versions[0].gate.futureGateField]).toEqual([{ kept: true }, 'kept', 1, ['kept']]);
  });

  it('names the index file when it is damaged, and changes nothing', async () => {
    const home = tmp();
    const reg = createLocalRegistry({ home });
    await reg.register(artifact('m-i'));
    const index = path.join(home, 'registry.json');
    writeFileSync(index, '{ "schemaVersion": 1,, }');
    await expect(reg.list()).rejects.toMatchObject({ code: 'REGISTRY_INDEX_INVALID', message: expect.stringMatching(/registry\.json: not JSON \(.*\); restore it or fix it by hand$/) });
    await expect(reg.approve('m-i')).rejects.toMatchObject({ code: 'REGISTRY_INDEX_INVALID' });
    expect(readFileSync(index, 'utf8')).toBe('{ "schemaVersion": 1,, }');
    writeFileSync(index, JSON.stringify({ schemaVersion: 1, champion: null, versions: [{ id: 'x' }] }));
    await expect(reg.list()).rejects.toThrow(/registry\.json: versions\.0\.version: /);
  });

  it('refuses an index whose id is a path, rather than hand out a directory outside models/', async () => {
    const home = tmp();
    const reg = createLocalRegistry({ home });
    await reg.register(artifact('m-p'));
    const outside = artifact('m-outside');
    const index = path.join(home, 'registry.json');
    const text = readFileSync(index, 'utf8');
    for (const id of [path.relative(path.join(home, 'models'), outside), outside, '.', '']) {
      const edited = JSON.parse(text) as { versions: Array<{ id: string; manifestSha256?: string }> };
      edited.versions[0].id = id;
      delete edited.versions[0].manifestSha256; // as a version registered before the registry kept it
      writeFileSync(index, JSON.stringify(edited));
      await expect(reg.artifactDir(id)).rejects.toMatchObject({ code: 'REGISTRY_INDEX_INVALID', message: expect.stringContaining('registry.json: versions.0.id: ') });
    }
  });

  it('names the ids a shortened id or a version number may have meant', async () => {
    const reg = createLocalRegistry({ home: tmp() });
    await reg.register(artifact('ngram-bag-20261130-115328-aaaaaa'));
    await reg.register(artifact('ngram-bag-20261130-120001-bbbbbb'));
    await expect(reg.approve('ngram-bag-20261130-1153', { by: 'lead' })).rejects.toMatchObject({ code: 'REGISTRY_NOT_FOUND', message: expect.stringMatching(/did you mean ngram-bag-20261130-115328-aaaaaa\?$/) });
    await expect(reg.get('2')).rejects.toThrow(/did you mean ngram-bag-20261130-120001-bbbbbb\?$/);
    await expect(reg.get('nope')).rejects.toThrow(/mailroute registry list shows the ids$/);
    // The random end alone, or a typo (two digits swapped, one wrong character).
    await expect(reg.get('aaaaaa')).rejects.toThrow(/did you mean ngram-bag-20261130-115328-aaaaaa\?$/);
    // As compare and the reports shorten an id (`…aaaaaa`), or as typed without the ellipsis character.
    await expect(reg.get('\u2026aaaaaa')).rejects.toThrow(/did you mean ngram-bag-20261130-115328-aaaaaa\?$/);
    await expect(reg.get('...bbbbbb')).rejects.toThrow(/did you mean ngram-bag-20261130-120001-bbbbbb\?$/);
    await expect(reg.get('ngram-bag-20261130-120001-bbbbab')).rejects.toThrow(/did you mean ngram-bag-20261130-120001-bbbbbb\?$/);
    await expect(reg.get('ngram-bag-20261130-115238-aaaaaa')).rejects.toThrow(/did you mean ngram-bag-20261130-115328-aaaaaa\?$/);
  });

  it('refuses an artifact whose files do not match the manifest, one with a symbolic link, and one without file hashes; nothing changes', async () => {
    const home = tmp();
    const reg = createLocalRegistry({ home });
    await reg.register(artifact('m-ok'));
    const before = readFileSync(path.join(home, 'registry.json'), 'utf8');
    const broken = artifact('m-broken');
    writeFileSync(path.join(broken, 'model.onnx'), 'truncated');
    const linked = artifact('m-linked');
    symlinkSync(path.join(linked, 'model.onnx'), path.join(linked, 'weights.bin'));
    const unhashed = artifact('m-unhashed');
    const manifest = JSON.parse(readFileSync(path.join(unhashed, 'manifest.json'), 'utf8'));
    delete manifest.files;
    writeFileSync(path.join(unhashed, 'manifest.json'), JSON.stringify(manifest));
    await expect(reg.register(broken)).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: `${broken}: model.onnx in ${broken} does not match its sha256 in the manifest; nothing was registered` });
    await expect(reg.register(linked)).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringContaining(`${path.join(linked, 'weights.bin')} is a symbolic link`) });
    await expect(reg.register(unhashed)).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringContaining('no valid manifest.json (files: ') });
    expect(readFileSync(path.join(home, 'registry.json'), 'utf8')).toBe(before);
    expect(readdirSync(path.join(home, 'models'))).toEqual(['m-ok']);
  });

  it('refuses to approve or make champion a model whose model.onnx changed after registration, naming the file; nothing changes', async () => {
    const home = tmp();
    const reg = createLocalRegistry({ home });
    await reg.approve((await reg.register(artifact('m-1'))).id);
    await reg.register(artifact('m-2'));
    await reg.register(artifact('m-3'));
    await reg.approve('m-3', { promote: false });
    for (const id of ['m-2', 'm-3']) writeFileSync(path.join(home, 'models', id, 'model.onnx'), 'corrupted');
    const before = readFileSync(path.join(home, 'registry.json'), 'utf8');
    const tampered = (id: string) => ({ code: 'REGISTRY_ARTIFACT_TAMPERED', message: expect.stringMatching(new RegExp(`^model "${id}": model\\.onnx was changed after registration`)) });
    await expect(reg.approve('m-2')).rejects.toMatchObject(tampered('m-2'));
    await expect(reg.setChampion('m-3')).rejects.toMatchObject(tampered('m-3'));
    rmSync(path.join(home, 'models', 'm-3', 'model.onnx'));
    await expect(reg.setChampion('m-3')).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_TAMPERED', message: expect.stringContaining('model.onnx is missing') });
    expect(readFileSync(path.join(home, 'registry.json'), 'utf8')).toBe(before);
    expect((await reg.champion())?.id).toBe('m-1');
    expect((await reg.get('m-2')).status).toBe('PendingManualApproval');
  });

  it('refuses to register a manifest no server can load (the loader\'s own schema), naming the problem: a file named outside the artifact, one files does not list, the registry\'s fields alone', async () => {
    const home = tmp();
    const reg = createLocalRegistry({ home });
    const edited = (id: string, edit: (manifest: Record<string, Record<string, unknown>>) => void) => {
      const dir = artifact(id, 1024);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
      edit(manifest);
      writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
      return dir;
    };
    const refused = {
      'onnx.file ("../../../../etc/passwd"): a plain file name': edited('m-passwd', (m) => void (m.onnx.file = '../../../../etc/passwd')),
      'files: no hash for weights.onnx': edited('m-unlisted', (m) => void (m.onnx.file = 'weights.onnx')),
      'files: the featurizer uses IDF: idf.f32 is needed': edited('m-idf', (m) => void ((m.featurizer.params as Record<string, unknown>).idf = true)),
      'schemaVersion: ': edited('m-head', (m) => {
        for (const key of ['schemaVersion', 'createdAt', 'routing', 'featurizer', 'onnx']) delete m[key];
      }),
    };
    for (const [problem, dir] of Object.entries(refused)) {
      await expect(reg.register(dir), problem).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringContaining(`${dir}: manifest.json is not one a server can load (${problem}`) });
      // The loader refuses each alike.
      await expect(readManifest(dir), problem).rejects.toMatchObject({ code: 'ARTIFACT_MANIFEST_INVALID' });
    }
    expect(visibleModels(home)).toEqual([]);
    // A manifest an older mailroute wrote, which the loader still reads (no onnx.file: model.onnx; no idf, fingerprint or metrics): registered.
    const older = edited('m-older', (m) => {
      delete m.onnx.file;
      delete (m.featurizer.params as Record<string, unknown>).idf;
      delete m.metrics;
    });
    await expect(readManifest(older)).resolves.toMatchObject({ onnx: { file: 'model.onnx' } });
    expect((await reg.approve((await reg.register(older)).id)).status).toBe('Approved');
    expect((await reg.champion())?.id).toBe('m-older');
  });

  it('refuses to approve or make champion a model registered before its manifest was checked, whose manifest no server can load; nothing changes', async () => {
    const home = tmp();
    const reg = createLocalRegistry({ home });
    await reg.approve((await reg.register(artifact('m-1'))).id);
    await reg.register(artifact('m-bad'));
    // As a mailroute that checked only the registry's fields registered it (and kept no manifest hash, as older ones did).
    const file = path.join(home, 'models', 'm-bad', 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...manifest, onnx: { ...manifest.onnx, file: '../../../../etc/passwd' } }));
    const index = JSON.parse(readFileSync(path.join(home, 'registry.json'), 'utf8'));
    for (const v of index.versions) delete v.manifestSha256;
    writeFileSync(path.join(home, 'registry.json'), JSON.stringify(index));
    const before = readFileSync(path.join(home, 'registry.json'), 'utf8');
    const invalid = { code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringContaining('model "m-bad": its manifest.json is not one a server can load (onnx.file ("../../../../etc/passwd"): a plain file name; files: no hash for ../../../../etc/passwd)') };
    await expect(reg.approve('m-bad')).rejects.toMatchObject(invalid);
    await expect(reg.approve('m-bad', { promote: false })).rejects.toMatchObject(invalid);
    await expect(reg.setChampion('m-bad')).rejects.toMatchObject(invalid);
    expect(readFileSync(path.join(home, 'registry.json'), 'utf8')).toBe(before);
    expect((await reg.champion())?.id).toBe('m-1');
    expect((await reg.get('m-bad')).status).toBe('PendingManualApproval');
  });

  it('refuses a home that is a file, or lies under one, with one clear error', async () => {
    const file = path.join(tmp(), 'home');
    writeFileSync(file, '');
    expect(() => createLocalRegistry({ home: file })).toThrow(expect.objectContaining({ code: 'REGISTRY_HOME_NOT_DIRECTORY', message: expect.stringContaining(`MAILROUTE_HOME=${file} is a file, not a directory`) }));
    expect(() => createLocalRegistry({ home: path.join(file, 'sub') })).toThrow(expect.objectContaining({ message: expect.stringContaining(`lies under a file, not a directory (${file})`) }));
    expect(() => createLocalRegistry({ home: path.join(tmp(), 'not', 'yet') })).not.toThrow();
  });

  it("collects the staging copies of dead writers on this host, not another host's sharing the home", async () => {
    const home = tmp();
    const reg = createLocalRegistry({ home });
    await reg.register(artifact('m-first', 1024));
    const dead = 2 ** 22 + 4321;
    const names = { mine: `.staging-m-x-${dead}-0badcafe.${STAGING_HOST}`, older: `.staging-m-y-${dead}-0badcafe`, theirs: `.staging-m-z-${dead}-0badcafe.${STAGING_HOST === 'ffffffff' ? '00000000' : 'ffffffff'}` };
    const abandoned = `.staging-m-w-${dead}-0badcafe.${STAGING_HOST === 'eeeeeeee' ? '11111111' : 'eeeeeeee'}`;
    for (const name of [...Object.values(names), abandoned]) mkdirSync(path.join(home, 'models', name));
    // Another host's copy untouched for two days: that host was renamed or is gone, and no copy takes a day.
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    utimesSync(path.join(home, 'models', abandoned), twoDaysAgo, twoDaysAgo);
    await reg.register(artifact('m-second', 1024));
    expect(readdirSync(path.join(home, 'models')).filter((e) => e.startsWith('.staging'))).toEqual([names.theirs]);
  });

  it('refuses an artifact without a valid manifest', async () => {
    const dir = tmp();
    await expect(createLocalRegistry({ home: tmp() }).register(dir)).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID' });
  });

  it('refuses a model id longer than a manifest may have (200), before a name too long for the filesystem', async () => {
    const home = tmp();
    const reg = createLocalRegistry({ home });
    // 230: registered before, though no Classifier loads it; 250: its staging directory's name was too long (ENAMETOOLONG).
    for (const length of [201, 230, 250]) {
      const error = await reg.register(artifact('m'.repeat(length), 1024)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RegistryError);
      expect(error).toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringMatching(/no valid manifest\.json \(modelId: .*200/) });
    }
    expect(visibleModels(home)).toEqual([]);
    expect((await reg.register(artifact('m'.repeat(200), 1024))).id).toHaveLength(200);
  });

  it('leaves nothing visible when a writer is killed half-way through copying or before the index write', async () => {
    const home = tmp();
    const reg = createLocalRegistry({ home });
    await reg.register(artifact('m-before'));
    for (const mode of ['crash-copy', 'crash-index']) {
      const result = await runChild(home, mode, [artifact(`m-${mode}`, 1024 * 1024)]);
      expect(result.signal, result.out).toBe('SIGKILL');
      expect((await reg.list()).map((v) => v.id)).toEqual(['m-before']);
      await expect(reg.get(`m-${mode}`)).rejects.toMatchObject({ code: 'REGISTRY_NOT_FOUND' });
    }
    // The dead writer's lock is stale and its leftovers are collected by the next write.
    const after = await reg.register(artifact('m-after'));
    expect(after.version).toBe(2);
    expect(visibleModels(home).sort()).toEqual(['m-after', 'm-before']);
    expect(readdirSync(path.join(home, 'models')).filter((e) => e.startsWith('.staging'))).toEqual([]);
    // The directory renamed in just before the kill is moved aside, not deleted: it may be the only copy.
    expect(readdirSync(path.join(home, 'models')).filter((e) => e.startsWith('.unlisted-m-crash-index-'))).toHaveLength(1);
  }, 60_000);

  it('moves an unlisted model aside on every write, not only the next registration', async () => {
    const home = tmp();
    const reg = createLocalRegistry({ home });
    await reg.register(artifact('m-1'));
    await reg.register(artifact('m-2'));
    // What a writer killed between its rename and its index write leaves: models/<id>, listed nowhere.
    const orphan = (id: string) => cpSync(artifact(id), path.join(home, 'models', id), { recursive: true });
    const gate = { pass: true, champion: 'm-1', failed: [], thresholds: {}, at: '2026-12-01T09:00:00.000Z' };
    const writes: Array<[string, () => Promise<unknown>]> = [
      ['approve', () => reg.approve('m-1')],
      ['recordGate', () => reg.recordGate('m-2', gate)],
      ['reject', () => reg.reject('m-2')],
      ['setChampion', () => reg.setChampion('m-1')],
    ];
    for (const [name, write] of writes) {
      orphan(`m-orphan-${name}`);
      await write();
      expect(visibleModels(home).sort(), name).toEqual(['m-1', 'm-2']);
      const aside = readdirSync(path.join(home, 'models')).filter((e) => e.startsWith(`.unlisted-m-orphan-${name}-`));
      expect(aside, name).toHaveLength(1);
      expect(existsSync(path.join(home, 'models', aside[0], 'manifest.json')), name).toBe(true);
    }
  });

  it('refuses an artifact whose manifest changed after registration (the manifest cannot hold its own hash)', async () => {
    const home = tmp();
    const reg = createLocalRegistry({ home });
    const v = await reg.register(artifact('m-t'));
    expect(v.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
    const file = path.join(await reg.artifactDir('m-t'), 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    manifest.tasks.reverse(); // e.g. labels swapped by hand: every file hash still matches
    writeFileSync(file, JSON.stringify(manifest));
    await expect(reg.artifactDir('m-t')).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_TAMPERED', message: expect.stringContaining('manifest.json was changed after registration') });
    rmSync(file);
    await expect(reg.artifactDir('m-t')).rejects.toMatchObject({ code: 'REGISTRY_ARTIFACT_TAMPERED', message: expect.stringContaining('cannot be read') });
    expect((await reg.get('m-t')).id).toBe('m-t'); // the entry itself stays readable
  });

  it('never deletes artifacts: a missing index beside models is refused, an older index moves the newer ones aside', async () => {
    const home = tmp();
    const reg = createLocalRegistry({ home });
    await reg.register(artifact('m-1'));
    const backup = readFileSync(path.join(home, 'registry.json'), 'utf8');
    await reg.register(artifact('m-2'));
    rmSync(path.join(home, 'registry.json'));
    await expect(reg.register(artifact('m-3'))).rejects.toMatchObject({
      code: 'REGISTRY_INDEX_MISSING',
      message: expect.stringContaining('holds 2 model(s) (m-1, m-2): restore registry.json from a backup'),
    });
    expect(visibleModels(home).sort()).toEqual(['m-1', 'm-2']);
    // Reads say so too, rather than show an empty registry.
    await expect(reg.list()).rejects.toMatchObject({ code: 'REGISTRY_INDEX_MISSING' });
    await expect(reg.champion()).rejects.toMatchObject({ code: 'REGISTRY_INDEX_MISSING' });
    writeFileSync(path.join(home, 'registry.json'), backup); // an older backup: it lists m-1 only
    await reg.register(artifact('m-3'));
    expect(visibleModels(home).sort()).toEqual(['m-1', 'm-3']);
    const aside = readdirSync(path.join(home, 'models')).filter((e) => e.startsWith('.unlisted-m-2-'));
    expect(aside).toHaveLength(1);
    expect(existsSync(path.join(home, 'models', aside[0], 'manifest.json'))).toBe(true);
  });

  it('serialises concurrent writers: in one process and across two processes', async () => {
    const home = tmp();
    const r1 = createLocalRegistry({ home });
    const r2 = createLocalRegistry({ home });
    await Promise.all([r1.register(artifact('p-1')), r2.register(artifact('p-2')), r1.register(artifact('p-3')), r2.register(artifact('p-4'))]);
    const [c1, c2] = await Promise.all([
      runChild(home, 'ok', ['c1-a', 'c1-b', 'c1-c'].map((id) => artifact(id))),
      runChild(home, 'ok', ['c2-a', 'c2-b', 'c2-c'].map((id) => artifact(id))),
    ]);
    expect(c1.code, c1.out).toBe(0);
    expect(c2.code, c2.out).toBe(0);
    const versions = await r1.list();
    expect(versions).toHaveLength(10);
    expect(new Set(versions.map((v) => v.version)).size).toBe(10);
    expect(Math.max(...versions.map((v) => v.version))).toBe(10);
    expect(visibleModels(home)).toHaveLength(10);
  }, 60_000);
});
