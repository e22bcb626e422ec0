import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Comparison, PredictionLine } from '@mailroute/evaluation';
import type { ClassifierTask, Manifest } from '@mailroute/model';
import { demoRowsToCsv, generateDemoRows, loadDemoConfig, type TrainingConfig } from '@mailroute/training';
import { describe, expect, it } from 'vitest';
import { demoChampionFolder } from '../test-support.js';
import { keepingLost, lostLabelsOf, withLostTruths } from './compare-lost-queues.js';

/** A manifest of the queue task with `labels`, and the training config stored in it. */
function manifest(labels: string[], queue: Record<string, unknown> = {}, own: Record<string, unknown> = {}): Manifest {
  return { routing: { queueTask: 'queue' }, tasks: [{ name: 'queue', labels, ...own }], trainingConfig: { tasks: [{ name: 'queue', ...queue }] } } as unknown as Manifest;
}

describe('the queues a challenger lost, as compare scores them', () => {
  const line = (id: string, truth: string | null, label: string): PredictionLine => ({ id, truth: { queue: truth }, prediction: { queue: { label } } });

  it('names them under the names the champion was read with, with why', () => {
    const champion = manifest(['payments', 'advisory', 'tax']);
    const challenger = manifest(['payments', 'tax', 'other'], { labels: ['payments', 'advisory', 'tax', 'other'] }, { mergedIntoOther: ['advisory'] });
    const config = { tasks: [{ name: 'queue', aliases: {} }] } as unknown as TrainingConfig;
    expect(lostLabelsOf({ challenger, champion }, config)).toEqual({ queue: { advisory: 'merged-into-other' } });
    expect(lostLabelsOf({ challenger: champion, champion }, config)).toBeUndefined();
    expect(lostLabelsOf({ champion }, config)).toBeUndefined();
  });

  it("keeps a lost queue in the taxonomy the champion's predictions are put into, not merged into other", () => {
    const reference: ClassifierTask[] = [{ name: 'queue', labels: ['payments', 'tax', 'other'], aliases: { advisory: 'other', kyc: 'onboarding_kyc' } }];
    expect(keepingLost(reference, { queue: { advisory: 'merged-into-other' } })).toEqual([{ name: 'queue', labels: ['payments', 'tax', 'other', 'advisory'], aliases: { kyc: 'onboarding_kyc' } }]);
    expect(keepingLost(reference, undefined)).toEqual(reference);
  });

  it("gives back the lost queue as the truth the challenger's reading made blank or other, from the champion's own lines", () => {
    const own = [line('e1', 'advisory', 'advisory'), line('e2', 'advisory', 'tax'), line('e3', 'tax', 'tax')];
    const challenger = [line('e1', null, 'tax'), line('e2', 'other', 'other'), line('e3', 'tax', 'tax')];
    const champion = [line('e1', null, 'advisory'), line('e2', 'other', 'tax'), line('e3', 'tax', 'tax')];
    const both = withLostTruths({ challenger, champion }, own, { queue: { advisory: 'no-examples' } });
    expect(both.challenger.map((l) => l.truth.queue)).toEqual(['advisory', 'advisory', 'tax']);
    expect(both.champion.map((l) => l.truth.queue)).toEqual(['advisory', 'advisory', 'tax']);
    // Untouched: the other lines, and every line when nothing is lost.
    expect(both.challenger[2]).toBe(challenger[2]);
    expect(withLostTruths({ challenger, champion }, own, undefined).challenger).toBe(challenger);
  });
});

// A thin month: the challenger is trained on an export with no advisory mail, though its config lists the queue.
describe('mailroute train, compare and registry approve of a challenger that lost a queue', () => {
  const { dir, run } = demoChampionFolder('mailroute-cli-lost-queue-', 200);

  it('warns at training, fails the gate with the lost queue scored, and refuses the approval without --force', async () => {
    writeFileSync(path.join(dir, 'thin.csv'), demoRowsToCsv(generateDemoRows({ rows: 400, seed: 5 }).filter((r) => r.queue !== 'advisory')));
    const config = await loadDemoConfig();
    writeFileSync(path.join(dir, 'thin.json'), JSON.stringify({ ...config, model: { ...config.model, epochs: 1 } }));
    const trained = await run(['train', '--config', 'thin.json', '--data', 'thin.csv']);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stderr).toContain('warning: queue is the task that routes mail, and no training row has its label "advisory": the model cannot predict that queue');
    const id = /registered (\S+)/.exec(trained.stdout)?.[1] as string;

    const advisory = readFileSync(path.join(dir, 'test.csv'), 'utf8').split('\n').filter((l) => /,advisory,/.test(l)).length;
    expect(advisory).toBeGreaterThan(0);
    const res = await run(['compare', '--challenger', id, '--champion', 'champion', '--data', 'test.csv', '--resamples', '20', '--no-record', '--out', 'lost']);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(`| queue: every queue of the champion's still predicted | **FAIL** | the challenger cannot predict advisory (${advisory} test emails; no training row had it), which the champion routes mail to`);
    expect(res.stdout).toContain(`> **Warning:** queue: the challenger cannot predict advisory (no training row had it), which the champion routes mail to: the ${advisory} emails labelled advisory stay in the queue comparison`);
    const saved = JSON.parse(readFileSync(path.join(dir, 'lost', 'comparison.json'), 'utf8')) as { comparison: Comparison };
    const queue = saved.comparison.tasks.find((t) => t.task === 'queue');
    expect(queue?.oneSidedLabels?.champion).toEqual([expect.objectContaining({ label: 'advisory', emails: advisory, lost: 'no-examples' })]);
    expect(queue?.labels?.find((l) => l.label === 'advisory')).toMatchObject({ support: advisory, challenger: { right: 0 } });

    // No gate on record (--no-record): approve says which queue it would stop routing to, and refuses, before approving.
    const refused = await run(['registry', 'approve', id]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`[REGISTRY_QUEUES_LOST] making ${id} the champion stops routing mail to advisory (no training row had it)`);
    expect(JSON.parse((await run(['registry', 'show', id])).stdout)).toMatchObject({ status: 'PendingManualApproval' });
  }, 240_000);
});
