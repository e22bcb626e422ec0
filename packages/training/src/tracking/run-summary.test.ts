import { describe, expect, it } from 'vitest';
import { NgramBagParamsSchema } from '../ngram-bag/params.js';
import type { RunRecord } from './run-record.js';
import { epoch } from './test-epoch.js';
import { formatRunSummary } from './run-summary.js';

describe('formatRunSummary (runs show)', () => {
  const record: RunRecord = {
    runId: 'run-1', status: 'finished', startedAt: '2026-12-05T22:43:02.925Z', finishedAt: '2026-12-05T22:43:05.006Z', durationSeconds: 2.081, gitCommit: '2a997a03d451ae5905428d06604aa053caa21cbb', gitDirty: true,
    config: { split: { kind: 'stratified', seed: 0, testShare: 0.2 } }, dataPaths: ['/data/demo.csv'], dataHash: '3d2c33bef89344ae9c8bb', modelId: 'ngram-bag-1', note: 'lr 0.1',
    params: { ...NgramBagParamsSchema.parse({}), dim: 48, learningRate: 0.1, charNgrams: [5, 5] },
    counts: { read: 4000, rows: 4000, noText: 0, train: 2799, valid: 401, test: 800, duplicateGroups: 6 },
    epochs: [epoch, { ...epoch, epoch: 4, loss: 0.1, learningRate: 0.04, meanF1: 0.7, seconds: 0.25 }], bestEpoch: 4, averagedEpochs: 2, bestValidF1: 0.7012, trainingSeconds: 1.75,
    metricsSplit: 'test', metrics: { 'queue.accuracy': 0.8662, 'queue.macro_f1': 0.8649, 'queue.support': 800, 'topic.accuracy': 0.5, 'topic.macro_f1': 0.4, 'topic.support': 776, mean_accuracy: 0.6831, mean_macro_f1: 0.6325 },
  };

  it('gives the run as an engineer reads it: ids, code, data, rows, params not at their defaults, each epoch, the kept epoch and the test figures', () => {
    const text = formatRunSummary(record);
    const lines = text.split('\n');
    expect(lines.slice(0, 16)).toEqual([
      'run               run-1',
      'status            finished',
      'model             ngram-bag-1',
      'note              lr 0.1',
      'started           2026-12-05 22:43:02 UTC',
      'finished          2026-12-05 22:43:05 UTC (2.08 s)',
      'git commit        2a997a03d451 (dirty)',
      'data              /data/demo.csv',
      'data hash         3d2c33bef893',
      'rows              read 4000, rows 4000, train 2799, valid 401, test 800',
      'counts            duplicateGroups 6',
      'params            charNgrams=[5,5] dim=48 learningRate=0.1 (the rest at the trainer\'s defaults)',
      'best epoch        4 (the kept weights average epochs 3-4)',
      'best valid F1     0.7012',
      'training seconds  1.75 s',
      '',
    ]);
    expect(text).toContain([
      'epochs (validation figures)',
      'epoch  loss    lr    eval_loss  eval F1  queue F1  topic F1  seconds',
      '-----  ------  ----  ---------  -------  --------  --------  -------',
      '3      0.1234  0.05  0.3000     0.6562   0.8123    0.5000    1.50',
      '4      0.1000  0.04  0.3000     0.7000   0.8123    0.5000    0.25',
    ].join('\n'));
    expect(text).toContain([
      'metrics on held-out test split (seed 0, 0.2)',
      '       accuracy  macro_f1  support',
      '-----  --------  --------  -------',
      'queue  0.8662    0.8649    800',
      'topic  0.5000    0.4000    776',
      'mean   0.6831    0.6325    -',
    ].join('\n'));
    expect(lines.at(-1)).toBe('runs show --json has the whole record (config, taxonomy, artifact files).');
  });

  it("says a single-task run's kept epoch per task, that its best valid F1 is their mean, and the model's size", () => {
    const single: RunRecord = { ...record, bestEpoch: 10, averagedEpochs: 3, taskBestEpochs: { queue: 1, topic: 10 }, taskAveragedEpochs: { queue: 0, topic: 3 }, artifactBytes: { 'model.onnx': 19_950_733, 'seen-texts.bloom': 5_775 } };
    const lines = formatRunSummary(single).split('\n');
    expect(lines).toContain('best epoch        10 (the kept weights average epochs 8-10); single-task, each task its own: queue 1, topic 8-10 averaged');
    expect(lines).toContain("best valid F1     0.7012 (the mean of each task's own best)");
    expect(lines).toContain('model size        model.onnx 19.95 MB, all files 19.96 MB');
    // A run from before sizes were recorded has no such line.
    expect(formatRunSummary(record)).not.toContain('model size');
  });

  it('shows a failed run with its whole error and without the sections it never got to; values through `show`', () => {
    const failed: RunRecord = { runId: 'run-2', status: 'failed', startedAt: '2026-12-05T22:43:02Z', gitCommit: null, config: {}, dataPaths: ['/a.csv', '/b.csv'], epochs: [], error: 'bad\x1b[31m row', params: NgramBagParamsSchema.parse({}) };
    const text = formatRunSummary(failed, (cell) => cell.replace('\x1b', '\\x1b'));
    expect(text.split('\n\n')[0].split('\n')).toEqual([
      'run         run-2',
      'status      failed',
      'error       bad\\x1b[31m row',
      'model       -',
      'started     2026-12-05 22:43:02 UTC',
      'git commit  -',
      'data        /a.csv',
      '            /b.csv',
      'data hash   -',
      'params      defaults',
    ]);
    expect(text).not.toContain('epochs (');
    expect(text).not.toContain('metrics on');
    expect(text).not.toContain('warnings (');
  });

  it('lists the warnings training said, after the figures, each through `show`; a run from before them lists none', () => {
    const warned: RunRecord = { ...record, warnings: ['old.csv has no column "topic" (another file has it: a task added since this export?)', 'queue: label "a\x1b" unknown'] };
    const text = formatRunSummary(warned, (cell) => cell.replace('\x1b', '\\x1b'));
    expect(text).toContain(
      [
        'warnings (2, as training said them)',
        '- old.csv has no column "topic" (another file has it: a task added since this export?)',
        '- queue: label "a\\x1b" unknown',
        '',
        'runs show --json has the whole record (config, taxonomy, artifact files).',
      ].join('\n'),
    );
    expect(text.indexOf('warnings (')).toBeGreaterThan(text.indexOf('metrics on'));
    expect(formatRunSummary(record)).not.toContain('warnings (');
  });
});
