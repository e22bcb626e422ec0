import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Manifest } from '@mailroute/model';
import { loadDemoConfig } from '@mailroute/training';
import { describe, expect, it } from 'vitest';
import { demoChampionFolder } from '../test-support.js';
import { newerRole } from './compare-taxonomy.js';

/** What `newerRole` reads of a manifest: its tasks, stored config and date. */
function manifest(labels: string[], queue: { aliases?: Record<string, string>; retired?: string[] }, createdAt: string): Manifest {
  return { createdAt, tasks: [{ name: 'queue', labels }], trainingConfig: { tasks: [{ name: 'queue', ...queue }] } } as unknown as Manifest;
}

describe('which of two models has the newer taxonomy', () => {
  const before = manifest(['onboarding_kyc', 'payments'], { aliases: { kyc: 'onboarding_kyc' } }, '2026-11-01T00:00:00Z');
  const renamed = manifest(['kyc_onboarding', 'payments'], { aliases: { kyc: 'onboarding_kyc', onboarding_kyc: 'kyc_onboarding' } }, '2026-12-01T00:00:00Z');

  it('is the model whose aliases or retired labels speak of the other\'s labels, whichever role it has', () => {
    expect(newerRole({ challenger: renamed, champion: before })).toBe('challenger');
    expect(newerRole({ challenger: before, champion: renamed })).toBe('champion');
    const retired = manifest(['payments'], { retired: ['onboarding_kyc'] }, '2026-10-01T00:00:00Z');
    expect(newerRole({ challenger: before, champion: retired })).toBe('champion');
  });

  it('is the challenger when neither speaks of the other\'s labels, and the later one when both do (a rename undone)', () => {
    const retrained = manifest(['onboarding_kyc', 'payments'], {}, '2026-12-24T00:00:00Z');
    expect(newerRole({ challenger: before, champion: retrained })).toBe('challenger');
    const undone = manifest(['onboarding_kyc', 'payments'], { aliases: { kyc_onboarding: 'onboarding_kyc' } }, '2027-01-01T00:00:00Z');
    expect(newerRole({ challenger: undone, champion: renamed })).toBe('challenger');
    expect(newerRole({ challenger: renamed, champion: undone })).toBe('champion');
  });
});

// A champion trained after a queue was renamed, compared with the older model as the challenger (going back to an
// earlier version, or a late challenger of last month's taxonomy): both are scored in the champion's taxonomy.
describe('mailroute compare with an older challenger against a newer champion', () => {
  const { dir, home, run } = demoChampionFolder('mailroute-cli-compare-taxonomy-', 200);

  it('scores the champion\'s renamed label as its own, the same figures as with the roles swapped', async () => {
    const config = await loadDemoConfig();
    const tasks = config.tasks.map((t) =>
      t.name === 'queue' ? { ...t, labels: t.labels?.map((l) => (l === 'onboarding_kyc' ? 'kyc_onboarding' : l)), aliases: { ...t.aliases, kyc: 'kyc_onboarding', onboarding_kyc: 'kyc_onboarding' } } : t,
    );
    writeFileSync(path.join(dir, 'renamed.json'), JSON.stringify({ ...config, tasks, model: { ...config.model, epochs: 2 } }));
    const trained = await run(['train', '--config', 'renamed.json', '--data', path.join(home, 'demo.csv')]);
    expect(trained.code, trained.stderr).toBe(0);
    const id = /registered (\S+)/.exec(trained.stdout)?.[1] as string;
    const policy = ['--policy', 'lenient.json', '--resamples', '20'];
    writeFileSync(path.join(dir, 'lenient.json'), JSON.stringify({ maxMacroF1DropPoints: 100, maxMeanMacroF1DropPoints: 100 }));
    const queueRow = (stdout: string) => /\n\| queue \| (\d+) \| (\d\.\d{4}) \| (\d\.\d{4}) \|/.exec(stdout)?.slice(1);
    const older = await run(['compare', '--challenger', 'champion', '--champion', id, '--data', 'test.csv', ...policy]);
    const newer = await run(['compare', '--challenger', id, '--champion', 'champion', '--data', 'test.csv', ...policy]);
    expect(older.stderr).not.toMatch(/COMPARISON_MISMATCH|DATASET_ROW_INVALID/);
    expect(newer.stderr).not.toMatch(/COMPARISON_MISMATCH|DATASET_ROW_INVALID/);
    // Columns: emails, champion, challenger. Swapping the roles swaps the figures: the renamed queue is no error of the newer model.
    const [n, champion, challenger] = queueRow(older.stdout) ?? [];
    expect(queueRow(newer.stdout)).toEqual([n, challenger, champion]);
    expect(older.stdout).toContain("Labels: the challenger's predictions are scored in the champion's taxonomy (the newer one), so its figures here can differ from its own evaluation report: `queue: onboarding_kyc -> kyc_onboarding`.");
    expect(newer.stdout).toContain("Labels: the champion's predictions are scored in the challenger's taxonomy, so its figures here can differ from its own evaluation report: `queue: onboarding_kyc -> kyc_onboarding`.");
    expect(older.stdout).not.toContain('`kyc_onboarding`, which no email here has');
  }, 180_000);

  it("keeps with the gate the challenger's training warning that a retired queue's mail is routed to other queues", async () => {
    const config = await loadDemoConfig();
    const tasks = config.tasks.map((t) => (t.name === 'queue' ? { ...t, labels: t.labels?.filter((l) => l !== 'complaints'), retired: ['complaints'] } : t));
    writeFileSync(path.join(dir, 'retired.json'), JSON.stringify({ ...config, tasks, routing: { queueTask: 'queue' }, model: { ...config.model, epochs: 1 } }));
    const trained = await run(['train', '--config', 'retired.json', '--data', path.join(home, 'demo.csv')]);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stderr).toMatch(/warning: \d+ row\(s\) carry the retired queue label "complaints": the model will route such mail to other queues/);
    const id = /registered (\S+)/.exec(trained.stdout)?.[1] as string;
    const res = await run(['compare', '--challenger', id, '--champion', 'champion', '--data', 'test.csv', '--resamples', '20']);
    // Kept short in the registry: the advice comes first.
    const warning = /challenger: \d+ training row\(s\) carry the retired queue label "complaints": the model will route such mail to other queues, often confidently; to send it to manual triage, alias it to "other" instead/;
    expect(res.stderr).toMatch(warning);
    expect(res.stdout).toMatch(warning);
    const shown = JSON.parse((await run(['registry', 'show', id])).stdout) as { gate: { warnings: string[] } };
    expect(shown.gate.warnings).toContainEqual(expect.stringMatching(warning));
  }, 180_000);
});
