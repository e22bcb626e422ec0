import type { TrainFromConfigResult } from '@mailroute/training';
import { describe, expect, it } from 'vitest';
import { routingLabelWarnings, trainResultLines } from './train-result.js';

/** A training's result with these per-task metrics (the rest as a run gives it; unread here). */
function result(metrics: Record<string, number>): TrainFromConfigResult {
  const taxonomy = ['business_area', 'queue', 'topic'].map((task) => ({ task })) as unknown as TrainFromConfigResult['taxonomy'];
  return { metrics, metricsSplit: 'test', taxonomy, bestEpoch: 4, bestValidF1: 0.8, averagedEpochs: 0 } as unknown as TrainFromConfigResult;
}

describe('trainResultLines', () => {
  it('says a task no test row had a label for is not measured, not `nan`, and that the mean leaves it out', () => {
    const { measured, final } = trainResultLines(
      result({ 'business_area.accuracy': 0.7945, 'business_area.macro_f1': 0.7717, 'queue.accuracy': 0.85, 'queue.macro_f1': 0.8499, mean_macro_f1: 0.8108 }),
      'test file test-notopic.csv',
    );
    expect(measured).toBe('test file test-notopic.csv: business_area acc 0.7945 macro-F1 0.7717; queue acc 0.8500 macro-F1 0.8499; topic not measured (no row has its label; left out of the mean)');
    expect(measured).not.toContain('nan');
    expect(final).not.toContain('test_topic_f1');
  });

  it('gives every measured task its figures', () => {
    const { measured } = trainResultLines(result({ 'business_area.accuracy': 1, 'business_area.macro_f1': 1, 'queue.accuracy': 0.5, 'queue.macro_f1': 0.5, 'topic.accuracy': 0.25, 'topic.macro_f1': 0.125 }), 'held-out test split');
    expect(measured).toBe('held-out test split: business_area acc 1.0000 macro-F1 1.0000; queue acc 0.5000 macro-F1 0.5000; topic acc 0.2500 macro-F1 0.1250');
  });

  it("says, in single-task mode, which weights each task kept and that eval_f1 is the mean of their own bests", () => {
    const base = result({ 'queue.accuracy': 0.9, 'queue.macro_f1': 0.9 });
    expect(trainResultLines(base, 'test split').kept).toBeUndefined();
    const taskEpochs = { business_area: { epoch: 10, averaged: 3 }, queue: { epoch: 1, averaged: 0 }, topic: { epoch: 3, averaged: 0 } };
    const lines = trainResultLines({ ...base, bestEpoch: 10, bestValidF1: 0.8821, averagedEpochs: 3, taskEpochs }, 'test split');
    expect(lines.kept).toBe(
      "single-task: each task kept its own weights (business_area the average of epochs 8-10; queue epoch 1; topic epoch 3): eval_f1 0.8821 is the mean of each task's own best on the validation rows, not any one epoch's; compare it with a multi-task run on the test figures",
    );
    expect(lines.final).toMatch(/^\{'eval_f1': 0\.8821, 'best_epoch': 10\.0, 'averaged_epochs': 3, 'best_epoch_business_area': 10\.0, 'averaged_epochs_business_area': 3, 'best_epoch_queue': 1\.0, 'best_epoch_topic': 3\.0, /);
  });

  it('says where each task answers at its threshold, when training measured it', () => {
    const base = result({ 'queue.accuracy': 0.9, 'queue.macro_f1': 0.9 });
    expect(trainResultLines(base, 'test split').operating).toBeUndefined();
    const operating = [
      { task: 'business_area', threshold: 0.656, target: 0.9, n: 787, answered: 629, precision: 0.881, routes: false },
      { task: 'queue', threshold: 0.518, target: 0.95, n: 801, answered: 790, precision: 0.929, routes: true },
    ];
    expect(trainResultLines({ ...base, operating }, 'test split').operating).toBe(
      "at each task's threshold, test split: business_area answers 79.9% (629 of 787) at precision 88.1% (threshold 0.656; target 90.0%: 1.9 points short); queue routes 98.6% (790 of 801) at precision 92.9% (threshold 0.518; target 95.0%: 2.1 points short)",
    );
  });
});

describe('routingLabelWarnings', () => {
  /** A taxonomy report of the queue task (the rest as training gives it; unread here). */
  const queue = (report: { absent?: string[]; rare?: Record<string, number>; rareAction?: 'other' | 'drop' }) =>
    [{ task: 'business_area', absent: ['savings'], rare: {}, rareAction: 'other' }, { task: 'queue', absent: [], rare: {}, rareAction: 'other', ...report }] as unknown as TrainFromConfigResult['taxonomy'];
  const config = { routing: { queueTask: 'queue' }, tasks: [{ name: 'business_area' }, { name: 'queue', minCount: 240 }] } as unknown as Parameters<typeof routingLabelWarnings>[1];

  it('warns of a queue of the routing task with no training row, as loud as a retired one', () => {
    expect(routingLabelWarnings(queue({ absent: ['advisory'] }), config)).toEqual([
      'queue is the task that routes mail, and no training row has its label "advisory": the model cannot predict that queue, so such mail will go to other queues or to manual triage; add rows of it, or, if the queue is gone on purpose, retire it or alias it to "other" in the config (compare fails the gate of a challenger that lost a queue the champion routes to, and registry approve refuses it without --force)',
    ]);
  });

  it('warns of one merged into other under minCount, not of one dropped (said already) nor of other tasks', () => {
    expect(routingLabelWarnings(queue({ rare: { advisory: 199 } }), config)).toEqual([
      'queue is the task that routes mail, and its label "advisory" had 199 row(s) in the data (test rows included: minCount counts before the split), under its minCount of 240, and was merged into "other": the model cannot predict that queue, so such mail will go to manual triage; lower the task\'s minCount (or add rows) to keep it, or alias it to "other" if that is meant (compare fails the gate of a challenger that lost a queue the champion routes to, and registry approve refuses it without --force)',
    ]);
    expect(routingLabelWarnings(queue({ rare: { advisory: 199 }, rareAction: 'drop' }), config)).toEqual([]);
    expect(routingLabelWarnings(queue({}), config)).toEqual([]);
  });
});
