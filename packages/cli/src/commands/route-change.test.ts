import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalRegistry, writeArtifact, type Manifest } from '@mailroute/model';
import { writeFixture } from '@mailroute/model/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';
import { routeChangeNotice } from './route-change.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-route-change-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fixture model's manifest with its id and its queue task's labels replaced. */
function withQueues(manifest: Manifest, modelId: string, queues: string[]): Manifest {
  return { ...manifest, modelId, tasks: manifest.tasks.map((t) => (t.name === 'queue' ? { ...t, labels: queues } : t)) };
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
    const second = await run(['registry', 'approve', 'm-b']);
    expect(second.stderr).toContain('note: m-b routes mail to other queues than m-a did (new: tax; no longer routed to: kyc)');
    // Same queues: no note.
    expect((await run(['registry', 'approve', 'm-c'])).stderr).not.toContain('routes mail to other queues');
    // Back to the first: its queues change again.
    expect((await run(['registry', 'champion', 'm-a'])).stderr).toContain('note: m-a routes mail to other queues than m-c did (new: kyc; no longer routed to: tax)');
  });
});
