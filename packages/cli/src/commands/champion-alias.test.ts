import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalRegistry } from '@mailroute/model';
import { writeLoadableArtifact } from '@mailroute/model/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';

// `champion` named where the registry has none: every command answers with start's and serve's code
// (REGISTRY_NOT_APPROVED) and a way out that fits what the registry holds; an id that is not there stays
// REGISTRY_NOT_FOUND.
describe('mailroute commands given `champion` on a registry without one', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-champion-alias-'));
  const empty = path.join(dir, 'empty');
  const pending = path.join(dir, 'pending');
  const run = (argv: string[], home: string) => runCli(argv, { env: { MAILROUTE_HOME: home }, cwd: dir });
  // Each command that resolves `champion`, with the last resort it adds; compare's other side is a model directory.
  const commands: [string, string[], string][] = [
    ['predict', ['predict', '--model', 'champion', '--data', 'mail.csv', '--out', 'p.jsonl'], 'instead of champion'],
    ['evaluate', ['evaluate', '--model', 'champion', '--data', 'mail.csv', '--out', 'rep', '--no-png'], 'instead of champion'],
    ['compare --champion', ['compare', '--challenger', './model-p', '--champion', 'champion', '--data', 'mail.csv'], 'instead of champion'],
    ['compare --challenger', ['compare', '--challenger', 'champion', '--champion', './model-p', '--data', 'mail.csv'], 'instead of champion'],
    ['registry show', ['registry', 'show', 'champion'], ''],
  ];

  beforeAll(async () => {
    writeFileSync(path.join(dir, 'mail.csv'), 'subject,body,queue\nDepot,Bitte übertragen Sie mein Depot.,depot\n');
    // A version awaiting approval (an artifact the registry takes; nothing here loads it).
    const artifact = writeLoadableArtifact(path.join(dir, 'model-p'), 'model-p', { extra: { dataHash: 'h', metrics: { mean_macro_f1: 0.8 } } });
    await createLocalRegistry({ home: pending }).register(artifact);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(commands)('%s on an empty registry: nothing to approve, so train one (or the demo model)', async (_name, argv, otherwise) => {
    const res = await run(argv, empty);
    expect(res.code).toBe(1);
    const train = 'has no model version yet; train one (mailroute train --data <export>, then mailroute registry approve <id>) or, for the demo model, run mailroute start (npm start)';
    const last = otherwise ? `; or name a model directory ${otherwise}.` : '.';
    expect(res.stderr).toBe(`mailroute: [REGISTRY_NOT_APPROVED] There is no champion: the registry at ${empty} ${train}${last}\n`);
  });

  it.each(commands)('%s with a version awaiting approval: approve one', async (_name, argv, otherwise) => {
    const res = await run(argv, pending);
    expect(res.code).toBe(1);
    const approve = 'has 1 version(s) but no champion (1 waiting for approval); approve one (mailroute registry approve <id>; mailroute registry list shows them)';
    const last = otherwise ? `; or name a version or a model directory ${otherwise}.` : '; or show a version by its id.';
    expect(res.stderr).toBe(`mailroute: [REGISTRY_NOT_APPROVED] There is no champion: the registry at ${pending} ${approve}${last}\n`);
  });

  it('keeps REGISTRY_NOT_FOUND for an id the registry does not hold', async () => {
    for (const argv of [['predict', '--model', 'model-q', '--data', 'mail.csv', '--out', 'p.jsonl'], ['registry', 'show', 'model-q']]) {
      const res = await run(argv, pending);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/^mailroute: \[REGISTRY_NOT_FOUND\] no model "model-q" in the registry at \S+/);
    }
  });
});
