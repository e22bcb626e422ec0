import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Comparison, TaskComparison } from '@mailroute/evaluation';
import type { Manifest } from '@mailroute/model';
import { demoRowsToCsv, generateDemoRows, loadDemoConfig, type DemoRow } from '@mailroute/training';
import { describe, expect, it } from 'vitest';
import { demoChampionFolder } from '../test-support.js';
import { newerRole, oneSidedLabelWarnings, scoredTaxonomies, type ReadModel } from './compare-taxonomy.js';

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

describe('the labels each model knows, as compare scores them', () => {
  // An explorer's reorganisation: payments_transfers split in two and retired, two trading queues merged, one renamed.
  const queue = (labels: string[], aliases: Record<string, string> = {}, retired: string[] = []) => ({ name: 'queue', labels, aliases, retired });
  const older = ['onboarding_kyc', 'payments_transfers', 'orders_trading', 'securities_transfers', 'tax_documents'];
  const newer = queue(['onboarding_kyc', 'payments', 'transfers_abroad', 'trading', 'tax'], { securities_transfers: 'trading', orders_trading: 'trading', tax_documents: 'tax' }, ['payments_transfers']);
  const config = { tasks: [newer] } as unknown as ReadModel['config'];

  it("puts the older model's labels into the newer's taxonomy, as its predictions are: renamed and merged, a retired one kept", () => {
    const sides = { challenger: { tasks: [newer], config }, champion: { tasks: [queue(older)], config } };
    expect(scoredTaxonomies(sides, 'champion')).toEqual({
      challenger: { queue: ['onboarding_kyc', 'payments', 'transfers_abroad', 'trading', 'tax'] },
      champion: { queue: ['onboarding_kyc', 'payments_transfers', 'trading', 'tax'] },
    });
    // A label the newer model lacks becomes its catch-all `other` when it has one, as a prediction of it does.
    const withOther = queue([...newer.labels, 'other'], newer.aliases, newer.retired);
    const read = { tasks: [withOther], config: { tasks: [withOther] } as unknown as ReadModel['config'] };
    expect(scoredTaxonomies({ challenger: read, champion: { tasks: [queue(older)], config: read.config } }, 'champion').champion.queue).toEqual(['onboarding_kyc', 'other', 'trading', 'tax']);
  });

  it('says which emails and labels only one model knows were left out, with how each was read', () => {
    const comparison = {
      tasks: [
        {
          task: 'queue',
          n: 368,
          oneSidedLabels: {
            challenger: [
              { label: 'payments', emails: 26, predicted: 1 },
              { label: 'transfers_abroad', emails: 31, predicted: 0 },
            ],
            champion: [{ label: 'payments_transfers', emails: 0, predicted: 3 }],
          },
        },
        { task: 'topic', n: 20 },
      ],
    };
    expect(oneSidedLabelWarnings(comparison, { role: 'challenger', text: "the challenger's training config" })).toEqual([
      "queue: 57 emails labelled payments (26) or transfers_abroad (31), which only the challenger knows, are left out of the queue comparison, and those labels out of both models' macro-F1; evaluate the challenger alone to see how it does on them; the challenger predicted one of them for 1 of the 368 emails compared, which counts as wrong",
      "queue: payments_transfers, which only the champion knows, is left out of both models' macro-F1: no email compared is labelled with it, the labels being read with the challenger's training config, whose aliases rename and whose retired labels mask labels of the champion's it does not know; the champion predicted it for 3 of the 368 emails compared, which count as wrong",
    ]);
    const mine = { tasks: [{ task: 'queue', n: 9, oneSidedLabels: { challenger: [{ label: 'payments', emails: 0, predicted: 2 }], champion: [] } }] };
    expect(oneSidedLabelWarnings(mine, { role: 'challenger', text: "the challenger's training config" })).toEqual([
      "queue: payments, which only the challenger knows, is left out of both models' macro-F1: no email compared is labelled with it; the challenger predicted it for 2 of the 9 emails compared, which count as wrong",
    ]);
    expect(oneSidedLabelWarnings({ tasks: [{ task: 'queue', n: 9 }] }, { text: 'x' })).toEqual([]);
  });

  it('says a queue the challenger lost is scored against it, not left out, and what to do about it', () => {
    const lost = (champion: NonNullable<TaskComparison['oneSidedLabels']>['champion']) => ({ tasks: [{ task: 'queue', n: 600, oneSidedLabels: { challenger: [], champion } }] });
    const read = { role: 'challenger' as const, text: "the challenger's training config" };
    expect(oneSidedLabelWarnings(lost([{ label: 'advisory', emails: 23, predicted: 21, lost: 'no-examples' }]), read)).toEqual([
      'queue: the challenger cannot predict advisory (no training row had it), which the champion routes mail to: the 23 emails labelled advisory stay in the queue comparison, each counted wrong for the challenger (it cannot route them right), and the label in both models\' macro-F1; the champion predicted it for 21 of the 600 emails compared; the gate fails on it: train with rows of it (or a lower minCount), or, if the queue is gone on purpose, retire it or alias it to "other" in the challenger\'s training config',
    ]);
    // Two, one no email here has, beside a label only the champion knows by design (said as before).
    const two = lost([
      { label: 'advisory', emails: 23, predicted: 21, lost: 'merged-into-other' },
      { label: 'crypto', emails: 0, predicted: 0, lost: 'no-examples' },
      { label: 'payments_transfers', emails: 0, predicted: 3 },
    ]);
    expect(oneSidedLabelWarnings(two, read)).toEqual([
      expect.stringMatching(
        /^queue: the challenger cannot predict advisory \(merged into "other" under its minCount\) or crypto \(no training row had it\), which the champion routes mail to: the 23 emails labelled advisory stay in the queue comparison, each counted wrong for the challenger \(it cannot route them right\), and those labels in both models' macro-F1; the champion predicted them for 21 of the 600 emails compared; the gate fails on them: .*if they are gone on purpose/,
      ),
      expect.stringMatching(/^queue: payments_transfers, which only the champion knows, is left out of both models' macro-F1/),
    ]);
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
    expect(trained.stderr).toMatch(/warning: \d+ row\(s\) carry the retired queue label "complaints": .*the model will route it to other queues/);
    const id = /registered (\S+)/.exec(trained.stdout)?.[1] as string;
    const res = await run(['compare', '--challenger', id, '--champion', 'champion', '--data', 'test.csv', '--resamples', '20']);
    // Kept short in the registry: the advice comes first.
    const warning = /challenger: \d+ training row\(s\) carry the retired queue label "complaints": .*the model will route it to other queues, often confidently: to send it to manual triage, alias it to "other" instead/;
    expect(res.stderr).toMatch(warning);
    expect(res.stdout).toMatch(warning);
    const shown = JSON.parse((await run(['registry', 'show', id])).stdout) as { gate: { warnings: string[] } };
    expect(shown.gate.warnings).toContainEqual(expect.stringMatching(warning));
  }, 180_000);
  it('scores both models on the queues both know when the challenger splits one, and says which emails it left out', async () => {
    // The challenger splits payments_transfers into payments and transfers_abroad (retiring it); the data is labelled in
    // its taxonomy, so the champion cannot know two of the queues its emails have.
    const old = ['payments_transfers', 'payments', 'transfers'];
    const split = (rows: DemoRow[]) => rows.map((r) => (old.includes(r.queue) ? { ...r, queue: r.topic === 'sepa_transfer' ? 'transfers_abroad' : 'payments' } : r));
    writeFileSync(path.join(dir, 'split-train.csv'), demoRowsToCsv(split(generateDemoRows({ rows: 400, seed: 5 }))));
    const test = split(generateDemoRows({ rows: 200, seed: 99 }));
    writeFileSync(path.join(dir, 'split-test.csv'), demoRowsToCsv(test));
    const config = await loadDemoConfig();
    const tasks = config.tasks.map((t) =>
      t.name === 'queue' ? { ...t, labels: [...(t.labels ?? []).filter((l) => l !== 'payments_transfers'), 'payments', 'transfers_abroad'], aliases: { kyc: 'onboarding_kyc' }, retired: ['payments_transfers'] } : t,
    );
    writeFileSync(path.join(dir, 'split.json'), JSON.stringify({ ...config, tasks, model: { ...config.model, epochs: 1 } }));
    const trained = await run(['train', '--config', 'split.json', '--data', 'split-train.csv']);
    expect(trained.code, trained.stderr).toBe(0);
    const id = /registered (\S+)/.exec(trained.stdout)?.[1] as string;
    const res = await run(['compare', '--challenger', id, '--champion', 'champion', '--data', 'split-test.csv', '--resamples', '20', '--no-record', '--out', 'one-sided']);
    expect(res.stderr).not.toMatch(/COMPARISON_MISMATCH|DATASET_ROW_INVALID/);
    const saved = JSON.parse(readFileSync(path.join(dir, 'one-sided', 'comparison.json'), 'utf8')) as { comparison: Comparison; warnings: string[] };
    const queue = saved.comparison.tasks.find((t) => t.task === 'queue');
    const count = (label: string) => test.filter((r) => r.queue === label).length;
    expect(count('payments')).toBeGreaterThan(0);
    expect(count('transfers_abroad')).toBeGreaterThan(0);
    expect(queue?.oneSidedLabels?.challenger.filter((l) => l.emails > 0).map((l) => [l.label, l.emails])).toEqual([
      ['payments', count('payments')],
      ['transfers_abroad', count('transfers_abroad')],
    ]);
    // Those emails are left out of the queue's figures, and the two queues (and the champion's payments_transfers) out of both macro-F1s.
    expect(queue?.n).toBe(test.filter((r) => r.queue !== '').length - count('payments') - count('transfers_abroad'));
    expect(queue?.labels?.map((l) => l.label)).not.toEqual(expect.arrayContaining(['payments']));
    expect(queue?.labels?.map((l) => l.label)).not.toEqual(expect.arrayContaining(['transfers_abroad']));
    expect(queue?.labels?.map((l) => l.label)).not.toEqual(expect.arrayContaining(['payments_transfers']));
    const emails = count('payments') + count('transfers_abroad');
    const said = `queue: ${emails} emails labelled payments (${count('payments')}) or transfers_abroad (${count('transfers_abroad')}), which only the challenger knows, are left out of the queue comparison, and those labels out of both models' macro-F1; evaluate the challenger alone to see how it does on them`;
    expect(saved.warnings.some((w) => w.startsWith(said))).toBe(true);
    expect(res.stdout).toContain(`> **Warning:** ${said}`);
    expect(res.stderr).toContain(`warning: ${said}`);
    expect(res.stdout).not.toContain('which no email here has');
  }, 180_000);
});
