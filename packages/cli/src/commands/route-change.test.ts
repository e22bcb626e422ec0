import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalRegistry, writeArtifact, type Manifest } from '@mailroute/model';
import { writeFixture } from '@mailroute/model/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';
import { lostQueues, routeChangeNotice } from './route-change.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-route-change-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fixture model's manifest with its id and its queue task's labels replaced. */
function withQueues(manifest: Manifest, modelId: string, queues: string[]): Manifest {
  return { ...manifest, modelId, tasks: manifest.tasks.map((t) => (t.name === 'queue' ? { ...t, labels: queues } : t)) };
}

/** `manifest` with the queue task's training config (labels, aliases, retired) and, for the queue task, the manifest's own fields. */
function trainedWith(manifest: Manifest, queue: { labels?: string[]; aliases?: Record<string, string>; retired?: string[] }, own: { mergedIntoOther?: string[]; droppedAsRare?: string[] } = {}): Manifest {
  return { ...manifest, trainingConfig: { tasks: [{ name: 'queue', ...queue }] }, tasks: manifest.tasks.map((t) => (t.name === 'queue' ? { ...t, ...own } : t)) };
}

/** A registrable artifact (the fixture's graph, two queue labels) whose queue task has `queues`. */
async function artifact(modelId: string, queues: [string, string]): Promise<string> {
  const base = path.join(dir, `${modelId}-base`);
  const manifest = await writeFixture(base, 0.5);
  const folder = path.join(dir, modelId);
  const { files: _files, ...rest } = withQueues(manifest, modelId, queues);
  await writeArtifact(folder, { 'model.onnx': readFileSync(path.join(base, 'model.onnx')) }, rest);
  return folder;
}

describe('the queues a new champion routes to', () => {
  it('names the new queues and those no longer routed to; nothing when they are the same', async () => {
    const manifest = await writeFixture(path.join(dir, 'pure'), 0.5);
    const old = withQueues(manifest, 'm-old', ['payments_transfers', 'tax_documents', 'kyc', 'other']);
    const next = withQueues(manifest, 'm-new', ['payments', 'transfers_abroad', 'tax', 'kyc', 'other']);
    expect(routeChangeNotice('m-old', old, 'm-new', next)).toBe(
      'note: m-new routes mail to other queues than m-old did (new: payments, transfers_abroad, tax; no longer routed to: payments_transfers, tax_documents): the CRM must know the new queue names before servers using this registry switch to it\n',
    );
    // Order and `other` (manual triage) do not count.
    expect(routeChangeNotice('m-old', old, 'm-same', withQueues(manifest, 'm-same', ['kyc', 'tax_documents', 'payments_transfers']))).toBe('');
  });

  it('names the queues the champion routes to that the challenger lost, and why; not those its config gave up on purpose', async () => {
    const manifest = await writeFixture(path.join(dir, 'lost'), 0.5);
    const champion = withQueues(manifest, 'm-champ', ['payments', 'advisory', 'tax', 'other']);
    const listed = ['payments', 'advisory', 'tax', 'other'];
    // A thin month: no row of advisory, which the config lists.
    expect(lostQueues(champion, trainedWith(withQueues(manifest, 'm-thin', ['payments', 'tax', 'other']), { labels: listed }))).toEqual([{ label: 'advisory', reason: 'no-examples' }]);
    // Under minCount: merged into `other`, or dropped.
    const merged = trainedWith(withQueues(manifest, 'm-merged', ['payments', 'tax', 'other']), { labels: listed }, { mergedIntoOther: ['advisory'] });
    expect(lostQueues(champion, merged)).toEqual([{ label: 'advisory', reason: 'merged-into-other' }]);
    const dropped = trainedWith(withQueues(manifest, 'm-dropped', ['payments', 'tax', 'other']), { labels: listed }, { droppedAsRare: ['advisory'] });
    expect(lostQueues(champion, dropped)).toEqual([{ label: 'advisory', reason: 'dropped-as-rare' }]);
    // Neither in its data nor in its config (a taxonomy read from the data, a queue gone from the export).
    expect(lostQueues(champion, withQueues(manifest, 'm-open', ['payments', 'tax', 'other']))).toEqual([{ label: 'advisory', reason: 'not-trained' }]);
    // On purpose: retired, aliased into `other`, or renamed; `other` itself is manual triage, never a queue lost.
    const kept = ['payments', 'tax', 'other'];
    expect(lostQueues(champion, trainedWith(withQueues(manifest, 'm-retired', kept), { labels: kept, retired: ['advisory'] }))).toEqual([]);
    expect(lostQueues(champion, trainedWith(withQueues(manifest, 'm-aliased', kept), { labels: kept, aliases: { advisory: 'other' } }))).toEqual([]);
    const renamed = trainedWith(withQueues(manifest, 'm-renamed', ['payments', 'advice', 'tax', 'other']), { aliases: { advisory: 'advice' } });
    expect(lostQueues(champion, renamed)).toEqual([]);
    // An older challenger against a newer champion that renamed its queue: its queue under the old name is no loss.
    expect(lostQueues(renamed, withQueues(manifest, 'm-older', ['payments', 'advisory', 'tax', 'other']))).toEqual([]);
    expect(lostQueues(champion, { ...champion, modelId: 'm-same' })).toEqual([]);
  });

  it('registry approve and registry champion say it when the champion changes to a model of other queues', async () => {
    const home = path.join(dir, 'home');
    const reg = createLocalRegistry({ home });
    await reg.register(await artifact('m-a', ['payments', 'kyc']));
    await reg.register(await artifact('m-b', ['payments', 'tax']));
    await reg.register(await artifact('m-c', ['payments', 'tax']));
    const run = (argv: string[]) => runCli(argv, { env: { CI: 'true', MAILROUTE_HOME: home }, cwd: dir });
    const first = await run(['registry', 'approve', 'm-a']);
    expect(first.code).toBe(0);
    expect(first.stderr).not.toContain('routes mail to other queues');
    // m-b cannot predict kyc, which m-a routes to, and nothing in its config gives kyc up: said, and refused, before approving.
    const refused = await run(['registry', 'approve', 'm-b']);
    expect([refused.code, refused.stdout]).toEqual([1, '']);
    expect(refused.stderr).toBe(
      'mailroute: [REGISTRY_QUEUES_LOST] making m-b the champion stops routing mail to kyc (not among its labels), which m-a routes to: m-b cannot predict that queue, so such mail would go to manual triage or to another queue; add --force --note <why> to approve it anyway, or --no-promote to approve it without making it champion\n',
    );
    expect((await reg.get('m-b')).status).toBe('PendingManualApproval');
    expect((await run(['registry', 'approve', 'm-b', '--force'])).stderr).toContain('approve --force of m-b: making m-b the champion stops routing mail to kyc');
    const second = await run(['registry', 'approve', 'm-b', '--force', '--note', 'kyc goes to manual triage now']);
    expect(second.code).toBe(0);
    // Said before the approval, the route change after it.
    expect(second.stderr.indexOf('warning: making m-b the champion stops routing mail to kyc')).toBeGreaterThanOrEqual(0);
    expect(second.stderr.indexOf('warning: making m-b')).toBeLessThan(second.stderr.indexOf('note: m-b routes mail to other queues than m-a did (new: tax; no longer routed to: kyc)'));
    expect((await reg.get('m-b')).statusNote).toBe('kyc goes to manual triage now; approved with force though it no longer routes mail to kyc (which m-a routes to)');
    // Same queues: no note.
    expect((await run(['registry', 'approve', 'm-c'])).stderr).not.toContain('routes mail to other queues');
    // Back to the first: its queues change again.
    expect((await run(['registry', 'champion', 'm-a'])).stderr).toContain('note: m-a routes mail to other queues than m-c did (new: kyc; no longer routed to: tax)');
  });
});
