import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalRegistry } from '@mailroute/model';
import { writeLoadableArtifact } from '@mailroute/model/testing';
import { describe, expect, it } from 'vitest';
import { cardProvenance, givenDirectory } from './card-provenance.js';

/** A run record as training writes it, with the commit given (null: outside a git checkout), and its config and data files. */
function writeRun(home: string, runId: string, git: { gitCommit: string | null; gitDirty?: boolean }, read: { config?: unknown; dataPaths?: string[] } = {}): void {
  mkdirSync(path.join(home, 'runs', runId), { recursive: true });
  const record = { runId, status: 'finished', startedAt: '2026-12-01T08:00:00.000Z', ...git, config: read.config ?? {}, dataPaths: read.dataPaths ?? [], epochs: [] };
  writeFileSync(path.join(home, 'runs', runId, 'run.json'), JSON.stringify(record));
}

describe('cardProvenance', () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-card-provenance-'));
  const registry = createLocalRegistry({ home });
  const now = '2026-12-02T10:00:00.000Z';

  it('reads a registered model\'s status, decision, champion and run from the registry, and the commit from its run record', async () => {
    writeRun(home, 'run-a', { gitCommit: 'a'.repeat(40), gitDirty: false });
    const registered = await registry.register(writeLoadableArtifact(path.join(home, 'staged-a'), 'model-a'), { runId: 'run-a' });
    expect(await cardProvenance(home, { modelId: 'model-a' }, now)).toEqual({
      runId: 'run-a',
      gitCommit: 'a'.repeat(40),
      gitDirty: false,
      registry: { version: registered.version, status: 'PendingManualApproval', registeredAt: registered.createdAt, champion: false, readAt: now },
    });
    const approved = await registry.approve('model-a', { by: 'ann', note: 'checked' });
    expect((await cardProvenance(home, { modelId: 'model-a' }, now)).registry).toEqual({
      version: registered.version, status: 'Approved', registeredAt: registered.createdAt, decidedBy: 'ann', decidedAt: approved.statusChangedAt, champion: true, readAt: now,
    });
  });

  it('leaves out what is not recorded: a run outside git, a run record gone, a version without a run, a model the registry lacks', async () => {
    writeRun(home, 'run-b', { gitCommit: null });
    await registry.register(writeLoadableArtifact(path.join(home, 'staged-b'), 'model-b'), { runId: 'run-b' });
    expect(await cardProvenance(home, { modelId: 'model-b' }, now)).toMatchObject({ runId: 'run-b', gitCommit: null });
    expect(await cardProvenance(home, { modelId: 'model-b' }, now)).not.toHaveProperty('gitDirty');
    // Its run folder removed: the run id stays (the registry's), the commit is not made up.
    await registry.register(writeLoadableArtifact(path.join(home, 'staged-c'), 'model-c'), { runId: 'run-gone' });
    const gone = await cardProvenance(home, { modelId: 'model-c' }, now);
    expect([gone.runId, 'gitCommit' in gone]).toEqual(['run-gone', false]);
    // Added from elsewhere (`registry add` of a folder no run kept): no run.
    await registry.register(writeLoadableArtifact(path.join(home, 'staged-d'), 'model-d'));
    const added = await cardProvenance(home, { modelId: 'model-d' }, now);
    expect(['runId' in added, 'gitCommit' in added, 'status' in added.registry]).toEqual([false, false, true]);
    expect(await cardProvenance(home, { modelId: 'not-there' }, now)).toEqual({ registry: { unread: 'not-registered' } });
  });

  it("reads what the run trained on: its data files by name (no folders) and its config's description, when it records them", async () => {
    const read = { config: { description: 'Helpdesk tickets, 2026 Q1', format: 'csv' }, dataPaths: ['/data/exports/tickets-q1.csv', 'rel/tickets-q2.csv'] };
    writeRun(home, 'run-g', { gitCommit: 'g'.repeat(40) }, read);
    await registry.register(writeLoadableArtifact(path.join(home, 'staged-g'), 'model-g'), { runId: 'run-g' });
    expect((await cardProvenance(home, { modelId: 'model-g' }, now)).trainingData).toEqual({ files: ['tickets-q1.csv', 'tickets-q2.csv'], description: 'Helpdesk tickets, 2026 Q1' });
    // A run that kept its model in its folder, given as a directory: the same.
    writeRun(home, 'run-h', { gitCommit: null }, { config: { description: '  ' }, dataPaths: ['x/y.jsonl'] });
    const kept = writeLoadableArtifact(path.join(home, 'runs', 'run-h', 'model'), 'model-h');
    expect((await cardProvenance(home, { modelId: 'model-h', directory: kept }, now)).trainingData).toEqual({ files: ['y.jsonl'] });
    // Neither recorded (model-a's run): nothing said, nothing made up.
    expect(await cardProvenance(home, { modelId: 'model-a' }, now)).not.toHaveProperty('trainingData');
  });

  it('reads no registry status for a directory; its run only when the directory is the model a run kept (runs/<run>/model)', async () => {
    const elsewhere = writeLoadableArtifact(path.join(home, 'elsewhere'), 'model-e');
    expect(await givenDirectory(elsewhere)).toBe(elsewhere);
    expect(await givenDirectory('model-a')).toBeUndefined();
    expect(await cardProvenance(home, { modelId: 'model-e', directory: elsewhere }, now)).toEqual({ registry: { unread: 'directory' } });
    writeRun(home, 'run-f', { gitCommit: 'f'.repeat(40), gitDirty: true });
    const kept = writeLoadableArtifact(path.join(home, 'runs', 'run-f', 'model'), 'model-f');
    expect(await cardProvenance(home, { modelId: 'model-f', directory: kept }, now)).toEqual({ runId: 'run-f', gitCommit: 'f'.repeat(40), gitDirty: true, registry: { unread: 'directory' } });
  });
});
