import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalRegistry } from '@mailroute/model';
import { writeLoadableArtifact } from '@mailroute/model/testing';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';
import { formatBytes, pruneReport } from './registry-prune.js';

function run(argv: string[], home: string) {
  return runCli(argv, { env: { USER: 'tester' }, cwd: home, home });
}

/** A registrable artifact whose model.onnx holds `bytes` bytes. */
function artifact(id: string, bytes: number): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-prune-art-')), id);
  return writeLoadableArtifact(dir, id, { onnx: Buffer.alloc(bytes, 7), extra: { dataHash: 'h', metrics: { mean_macro_f1: 0.8 } } });
}

describe('mailroute registry prune', () => {
  it('keeps recent versions by default, says what --dry-run would remove, then removes it and refuses to approve what is gone', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-prune-'));
    expect((await run(['registry', 'prune'], home)).stdout).toBe(`nothing to prune: no models registered in ${home}\n`);
    const registry = createLocalRegistry({ home });
    for (const id of ['m-serving', 'm-worse', 'm-experiment']) await registry.register(artifact(id, 2_000_000));
    await registry.approve('m-serving');
    await registry.reject('m-worse');

    const recent = await run(['registry', 'prune'], home);
    expect(recent.code).toBe(0);
    expect(recent.stdout).toBe(
      'nothing to prune: no version has been Rejected or awaiting approval for 30 days or more\nkept: the champion; 2 Rejected or awaiting approval for less than 30 days\n',
    );

    const dry = await run(['registry', 'prune', '--older-than', '0', '--dry-run'], home);
    expect(dry.stdout).toMatch(/^would remove the artifacts of 2 versions \(4\.0 MB\); their records stay/);
    expect(dry.stdout).toMatch(/\n {2}m-worse \(version 2, Rejected since \d{4}-\d{2}-\d{2}, 2\.0 MB\)\n {2}m-experiment \(version 3, PendingManualApproval since/);
    expect(dry.stdout).toContain('dry run: nothing was removed');
    expect(existsSync(path.join(home, 'models', 'm-worse'))).toBe(true);

    const pruned = await run(['registry', 'prune', '--older-than', '0'], home);
    expect(pruned.stdout).toMatch(/^removed the artifacts of 2 versions \(4\.0 MB\)/);
    expect(existsSync(path.join(home, 'models', 'm-worse'))).toBe(false);
    expect(existsSync(path.join(home, 'models', 'm-serving'))).toBe(true);
    expect((await run(['registry', 'list'], home)).stdout).toMatch(/m-worse +Rejected \(pruned\)/);
    const shown = JSON.parse((await run(['registry', 'show', 'm-experiment'], home)).stdout) as Record<string, unknown>;
    expect(shown).toMatchObject({ status: 'PendingManualApproval', artifactDir: null, prunedAt: expect.any(String) });
    const refused = await run(['registry', 'approve', 'm-experiment'], home);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/REGISTRY_PRUNED.*was pruned at .*train it again/);
    // Rejected now, it offers no undo that approve would refuse.
    expect((await run(['registry', 'reject', 'm-experiment'], home)).stdout).toBe('m-experiment: Rejected; it was not the champion (m-serving stays the champion); its artifact was pruned, so no approval can undo this\n');

    const json = JSON.parse((await run(['registry', 'prune', '--older-than', '0', '--json'], home)).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ dryRun: false, pruned: [], bytes: 0, kept: { champion: 1, approved: 0, recent: 0, prunedBefore: 2 } });
  });

  it('refuses an age that is not a whole number of days', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-prune-'));
    for (const days of ['-1', '1.5', 'x']) {
      const refused = await run(['registry', 'prune', '--older-than', days], home);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('--older-than must be an integer from 0 to 36500');
    }
  });

  it("says it keeps the last champion, rejected with nothing to roll back to, as the one servers keep serving", () => {
    const result = { dryRun: false, pruned: [], bytes: 0, kept: { champion: 0, lastChampion: 1, approved: 0, formerChampion: 0, recent: 0, prunedBefore: 0 }, unlisted: [] };
    expect(pruneReport(result, 30, '/srv/home')).toBe('nothing to prune\nkept: the last champion (the registry has none since it was rejected: servers keep serving it)\n');
  });

  it('writes sizes in decimal units', () => {
    expect([0, 999, 1000, 9_949, 12_345, 37_500_000, 2_000_000_000].map(formatBytes)).toEqual(['0 B', '999 B', '1.0 kB', '9.9 kB', '12 kB', '38 MB', '2.0 GB']);
  });
});
