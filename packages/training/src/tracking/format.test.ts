import { describe, expect, it } from 'vitest';
import { compareRunRows, compareRuns, formatEpochLine, formatFinalLine, formatRunList, formatTable, runListRows } from './format.js';
import type { RunRecord } from './run-record.js';
import { epoch } from './test-epoch.js';

describe('formatEpochLine', () => {
  it('prints a Python-dict line that SageMaker metric regexes read', () => {
    const line = formatEpochLine(epoch);
    expect(line).toBe(
      "{'loss': 0.1234, 'learning_rate': 0.05, 'eval_loss': 0.3, 'eval_accuracy': 0.7, 'eval_precision': 0.7, 'eval_recall': 0.6, 'eval_f1': 0.6562, 'eval_queue_f1': 0.8123, 'eval_topic_f1': 0.5, 'train_samples_per_second': 12345.7, 'epoch_runtime': 1.5, 'epoch': 3.0}",
    );
    expect(/'eval_f1': ([0-9.]+)/.exec(line)?.[1]).toBe('0.6562');
    expect(/'epoch': ([0-9.]+)/.exec(line)?.[1]).toBe('3.0');
  });

  it('writes a learning rate or loss too small for its places out in digits the regexes read, never as 0.0 or in exponent form', () => {
    const line = formatEpochLine({ ...epoch, learningRate: 3.6e-7, loss: 0.00002 });
    expect(line).toContain("'learning_rate': 0.00000036,");
    expect(line).toContain("'loss': 0.00002,");
    expect(/'learning_rate': ([0-9.]+)/.exec(line)?.[1]).toBe('0.00000036');
    expect(formatEpochLine({ ...epoch, loss: 0 })).toContain("'loss': 0.0,");
  });

  it('leaves out validation fields when there is no validation split', () => {
    const line = formatEpochLine({ ...epoch, valLoss: null, meanF1: null, perTask: {} });
    expect(line).not.toContain('eval_');
    expect(line).toContain("'loss': 0.1234");
  });
});

describe('formatFinalLine', () => {
  const metrics = { 'queue.accuracy': 0.8, 'queue.macro_f1': 0.7, mean_macro_f1: 0.7 };

  it('gives the kept weights\' validation F1 and epoch, then the test figures, for metric regexes', () => {
    const line = formatFinalLine({ bestEpoch: 2, bestValidF1: 0.41666, metrics, tasks: ['queue'], split: 'test' });
    expect(line).toBe("{'eval_f1': 0.4167, 'best_epoch': 2.0, 'test_accuracy': 0.8, 'test_f1': 0.7, 'test_queue_f1': 0.7}");
  });

  it('says when the average of the last epochs was kept, and still reads with the usual regexes', () => {
    const line = formatFinalLine({ bestEpoch: 4, bestValidF1: 0.4306, averagedEpochs: 3, metrics, tasks: ['queue'], split: 'test' });
    expect(line).toBe("{'eval_f1': 0.4306, 'best_epoch': 4.0, 'averaged_epochs': 3, 'test_accuracy': 0.8, 'test_f1': 0.7, 'test_queue_f1': 0.7}");
    expect(/'eval_f1': ([0-9.]+)/.exec(line)?.[1]).toBe('0.4306');
    expect(/'best_epoch': ([0-9.]+)/.exec(line)?.[1]).toBe('4.0');
    expect(/'averaged_epochs': ([0-9.]+)/.exec(line)?.[1]).toBe('3');
  });

  it("gives each task's own kept epoch in single-task mode, in keys of their own that the usual regexes do not read", () => {
    const taskEpochs = { business_area: { epoch: 10, averaged: 3 }, queue: { epoch: 1, averaged: 0 } };
    const two = { ...metrics, 'business_area.accuracy': 0.6, 'business_area.macro_f1': 0.5 };
    const line = formatFinalLine({ bestEpoch: 10, bestValidF1: 0.8821, averagedEpochs: 3, taskEpochs, metrics: two, tasks: ['business_area', 'queue'], split: 'test' });
    expect(line).toBe(
      "{'eval_f1': 0.8821, 'best_epoch': 10.0, 'averaged_epochs': 3, 'best_epoch_business_area': 10.0, 'averaged_epochs_business_area': 3, 'best_epoch_queue': 1.0, 'test_accuracy': 0.7, 'test_f1': 0.7, 'test_business_area_f1': 0.5, 'test_queue_f1': 0.7}",
    );
    // The existing keys read as before; every value is a number.
    expect(/'eval_f1': ([0-9.]+)/.exec(line)?.[1]).toBe('0.8821');
    expect(/'best_epoch': ([0-9.]+)/.exec(line)?.[1]).toBe('10.0');
    expect(/'averaged_epochs': ([0-9.]+)/.exec(line)?.[1]).toBe('3');
    expect(/'best_epoch_queue': ([0-9.]+)/.exec(line)?.[1]).toBe('1.0');
    expect([...line.matchAll(/'[^']+': ([^,}]+)/g)].every((m) => /^[0-9.]+$/.test(m[1]))).toBe(true);
    // Multi-task mode (no taskEpochs): the line as before.
    expect(formatFinalLine({ bestEpoch: 4, bestValidF1: 0.4306, averagedEpochs: 3, metrics, tasks: ['queue'], split: 'test' })).not.toContain('best_epoch_');
  });
});

describe('compareRunRows', () => {
  const run = (runId: string, tasks: string[], extra: Partial<RunRecord> = {}): RunRecord => ({
    runId,
    status: 'finished',
    startedAt: '2026-01-01T00:00:00Z',
    gitCommit: null,
    config: { tasks: tasks.map((name) => ({ name, column: name })), split: { kind: 'stratified', on: 'queue', validShare: 0.1, seed: 0 } },
    dataPaths: [],
    epochs: [],
    dataHash: 'x',
    taxonomy: tasks.map((task) => ({ task, labels: ['a', 'b'] })),
    metrics: { mean_macro_f1: 0.8, 'queue.macro_f1': 0.7 },
    ...extra,
  });
  const row = (rows: string[][], name: string) => rows.find((r) => r[0] === name);

  it('says when the runs trained other tasks, and then shows no b - a of the means over tasks (the task figures still compare)', () => {
    const rows = compareRunRows(run('a', ['business_area', 'queue', 'topic']), run('b', ['queue'], { metrics: { mean_macro_f1: 0.7, 'queue.macro_f1': 0.75 } }));
    expect(row(rows, 'tasks')).toEqual(['tasks', 'business_area, queue, topic', 'queue', '-business_area -topic: the mean_ figures average other tasks (no b - a shown)']);
    expect(row(rows, 'mean_macro_f1')).toEqual(['mean_macro_f1', '0.8000', '0.7000', '']);
    expect(row(rows, 'queue.macro_f1')).toEqual(['queue.macro_f1', '0.7000', '0.7500', '+5.00 pts']);
    // A task only one run has is not shown as all its labels lost.
    expect(rows.some((r) => r[0].startsWith('labels '))).toBe(false);
    // The same tasks in another order are the same tasks.
    const same = compareRunRows(run('a', ['queue', 'topic']), run('b', ['topic', 'queue'], { metrics: { mean_macro_f1: 0.9 } }));
    expect(row(same, 'tasks')?.[3]).toBe('');
    expect(row(same, 'mean_macro_f1')?.[3]).toBe('+10.00 pts');
  });

  it('lists the config values that differ besides the model params (split shares, a task\'s aliases, onBadRow), at most 12 rows', () => {
    const a = run('a', ['queue']);
    const b = run('b', ['queue'], {
      config: { tasks: [{ name: 'queue', column: 'queue', aliases: { kyc: 'onboarding' } }], split: { kind: 'stratified', on: 'queue', validShare: 0.2, seed: 0 }, onBadRow: 'skip', description: 'other words' },
    });
    expect(compareRunRows(a, b).filter((r) => r[0].startsWith('config '))).toEqual([
      ['config onBadRow', '-', '"skip"', 'differs'],
      ['config split.validShare', '0.1', '0.2', 'differs'],
      ['config task queue.aliases.kyc', '-', '"onboarding"', 'differs'],
    ]);
    const many = run('b', ['queue'], { config: { tasks: [{ name: 'queue', column: 'queue' }], columns: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`c${i}`, `x${i}`])) } });
    const listed = compareRunRows(a, many).filter((r) => r[0].startsWith('config '));
    expect(listed).toHaveLength(13);
    expect(listed[12]).toEqual(['config (12 more)', '', '', 'runs show has each config whole']);
  });

  it('says whether two runs\' artifacts are identical (the same weights) when both recorded their files', () => {
    const files = { 'model.onnx': 'ab'.repeat(32), 'seen-texts.bloom': 'cd'.repeat(32) };
    const a = run('a', ['queue'], { artifactFiles: files });
    expect(row(compareRunRows(a, run('b', ['queue'], { artifactFiles: { ...files } })), 'model.onnx sha256')).toEqual(['model.onnx sha256', 'abababababab', 'abababababab', 'identical artifacts: the same weights']);
    expect(row(compareRunRows(a, run('b', ['queue'], { artifactFiles: { ...files, 'model.onnx': 'ef'.repeat(32) } })), 'model.onnx sha256')?.[3]).toBe('differ: model.onnx');
    expect(row(compareRunRows(a, run('b', ['queue'])), 'model.onnx sha256')).toBeUndefined();
  });

  it('puts two runs side by side with deltas', () => {
    const base: RunRecord = { runId: 'a', status: 'finished', startedAt: '2026-01-01T00:00:00Z', gitCommit: null, config: {}, dataPaths: [], epochs: [epoch], metrics: { mean_macro_f1: 0.5 }, dataHash: 'x' };
    // Measured on the same rows (the same data): the metrics compare, and b - a is shown.
    expect(compareRunRows(base, { ...base, runId: 'b', metrics: { mean_macro_f1: 0.625 } }).find((r) => r[0] === 'mean_macro_f1')).toEqual(['mean_macro_f1', '0.5000', '0.6250', '+12.50 pts']);
    // Other data: other rows, so no b - a.
    const rows = compareRunRows(base, { ...base, runId: 'b', metrics: { mean_macro_f1: 0.625 }, dataHash: 'y' });
    expect(rows.find((r) => r[0] === 'mean_macro_f1')).toEqual(['mean_macro_f1', '0.5000', '0.6250', '']);
    // A run of today beside one trained before the hash left out ids made from file names: the same data when
    // today's hash in the old form is the old run's; two runs of today are compared by today's hash alone.
    const today = { ...base, runId: 'b', metrics: { mean_macro_f1: 0.625 }, dataHash: 'y', namedDataHash: 'x' };
    const across = compareRunRows(base, today);
    expect(across.find((r) => r[0] === 'data hash')?.[3]).toBe('same');
    expect(across.find((r) => r[0] === 'mean_macro_f1')?.[3]).toBe('+12.50 pts');
    expect(compareRunRows({ ...today, runId: 'a', dataHash: 'z' }, today).find((r) => r[0] === 'data hash')?.[3]).toBe('differs');
    // A perfect score or a 0 prints as the others do (as registry list does), a support as the count it is.
    const perfect = compareRunRows({ ...base, metrics: { 'topic.macro_f1': 1, 'topic.accuracy': 0, 'topic.support': 73 } }, { ...base, runId: 'b', metrics: { 'topic.macro_f1': 1, 'topic.accuracy': 1, 'topic.support': 80 } });
    expect(perfect.filter((r) => r[0].startsWith('topic.'))).toEqual([
      ['topic.accuracy', '0.0000', '1.0000', '+100.00 pts'],
      ['topic.macro_f1', '1.0000', '1.0000', '+0.00 pts'],
      ['topic.support', '73', '80', '+7'],
    ]);
    expect(runListRows([{ ...base, metrics: { mean_macro_f1: 1 } }])[0][4]).toBe('1.0000');
    const kept = compareRunRows({ ...base, bestEpoch: 3, bestValidF1: 0.4167 }, { ...base, runId: 'b', bestEpoch: 4, bestValidF1: 0.4306, averagedEpochs: 3 });
    // Validated on the same rows (the same data, split and text reading): b - a in points, as the metrics below.
    expect(kept.find((r) => r[0] === 'best valid F1')).toEqual(['best valid F1', '0.4167', '0.4306', '+1.39 pts']);
    expect(kept.find((r) => r[0] === 'averaged epochs')).toEqual(['averaged epochs', '-', '3', '']);
    // Every score's b - a in percentage points, labelled (as mailroute compare gives it), never a bare fraction beside them;
    // a difference under half a hundredth of a point is +0.00, not -0.00; a figure that is no score keeps its own unit.
    const units = compareRunRows(
      { ...base, metrics: { 'queue.accuracy': 0.8333, 'queue.macro_f1': 0.6637, 'queue.weighted_f1': 0.5, 'queue.precision': 0.5, loss: 0.5 } },
      { ...base, runId: 'b', metrics: { 'queue.accuracy': 0.7833, 'queue.macro_f1': 0.6518, 'queue.weighted_f1': 0.49999, 'queue.precision': 0.5125, loss: 0.25 } },
    );
    expect(units.filter((r) => r[0] !== 'run' && /\.|loss/.test(r[0])).map((r) => [r[0], r[3]])).toEqual([
      ['loss', '-0.2500'],
      ['queue.accuracy', '-5.00 pts'],
      ['queue.macro_f1', '-1.19 pts'],
      ['queue.precision', '+1.25 pts'],
      ['queue.weighted_f1', '+0.00 pts'],
    ]);
    // Training time differs whatever the rows: b - a in seconds, a and b in seconds too.
    const timed = compareRunRows({ ...base, trainingSeconds: 2.5 }, { ...base, runId: 'b', trainingSeconds: 1.25 });
    expect(timed.find((r) => r[0] === 'training seconds')).toEqual(['training seconds', '2.50 s', '1.25 s', '-1.25 s']);
    // Parameters that differ are named (defaults filled in); equal ones are left out.
    const params = compareRunRows({ ...base, params: { seed: 0, dim: 32, epochs: 6 } }, { ...base, runId: 'b', params: { seed: 7, dim: 32, epochs: 6 } });
    expect(params.filter((r) => r[0].startsWith('param '))).toEqual([['param seed', '0', '7', 'differs']]);
    // A run of uncommitted code says so: the same commit may not be the same code.
    const dirty = compareRunRows({ ...base, gitCommit: 'abcdef1234567890' }, { ...base, runId: 'b', gitCommit: 'abcdef1234567890', gitDirty: true });
    expect(dirty.find((r) => r[0] === 'git commit')).toEqual(['git commit', 'abcdef123456', 'abcdef123456 (dirty)', 'uncommitted changes: the code may differ']);
    expect(rows.find((r) => r[0] === 'data hash')?.[3]).toBe('differs');
    expect(formatTable(['a', 'b'], [['1', '22']]).split('\n')).toEqual(['a  b', '-  --', '1  22']);
  });

  it('says when two runs were measured on different rows', () => {
    const base: RunRecord = { runId: 'a', status: 'finished', startedAt: '2026-01-01T00:00:00Z', gitCommit: null, config: {}, dataPaths: [], epochs: [], metrics: { accuracy: 0.9 }, metricsSplit: 'valid', dataHash: 'x' };
    const external = { ...base, runId: 'b', metricsSplit: 'test' as const, testDataPath: '/data/banking77/test.csv', testDataHash: 't1' };
    expect(compareRunRows(base, external).find((r) => r[0] === 'metrics on')).toEqual(['metrics on', 'validation split', 'test file test.csv', 'different rows: the metrics below do not compare (no b - a shown)']);
    // Their metrics are shown side by side, with no difference: a b - a of other rows would read as a change.
    expect(compareRunRows(base, { ...external, metrics: { accuracy: 0.95 } }).find((r) => r[0] === 'accuracy')).toEqual(['accuracy', '0.9000', '0.9500', '']);
    expect(compareRunRows(external, { ...external, metrics: { accuracy: 0.95 } }).find((r) => r[0] === 'accuracy')).toEqual(['accuracy', '0.9000', '0.9500', '+5.00 pts']);
    expect(compareRunRows(external, external).find((r) => r[0] === 'metrics on')?.[3]).toBe('same rows');
    // The same test file, of which one run's training data held some rows: the same rows, each run saying how many it had seen.
    const seenSome = { ...external, counts: { test: 3080, testSeenInTraining: 12 } } as RunRecord;
    expect(compareRunRows(external, seenSome).find((r) => r[0] === 'metrics on')).toEqual(['metrics on', 'test file test.csv', 'test file test.csv (12 of 3080 rows seen in training)', 'same rows']);
    // Another file of the same name is other rows; without the hashes (older runs) it cannot be said.
    expect(compareRunRows(external, { ...external, testDataPath: '/other/test.csv', testDataHash: 't2' }).find((r) => r[0] === 'metrics on')?.[3]).toMatch(/^different rows/);
    expect(compareRunRows({ ...external, testDataHash: undefined }, { ...external, testDataHash: undefined }).find((r) => r[0] === 'metrics on')?.[3]).toMatch(/^different rows/);
    // Held-out rows of the same data are the same rows only with the same split, and of other data never.
    const held = (seed: number, dataHash = 'x'): RunRecord => ({ ...base, metricsSplit: 'test', dataHash, config: { split: { kind: 'stratified', seed, testShare: 0.2 } } });
    expect(runListRows([held(0)])[0][6]).toBe('held-out test split (seed 0, 0.2)');
    expect(compareRunRows(held(0), held(0)).find((r) => r[0] === 'metrics on')?.[3]).toBe('same rows');
    expect(compareRunRows(held(0), held(5)).find((r) => r[0] === 'metrics on')?.[3]).toMatch(/^different rows/);
    expect(compareRunRows(held(0), held(0, 'y')).find((r) => r[0] === 'metrics on')?.[3]).toMatch(/^different rows/);
    // With the held-out rows' fingerprints: the same emails under renamed labels (another data hash) still compare.
    const renamed = compareRunRows({ ...held(0), testRowsFingerprint: 'f' }, { ...held(0, 'y'), testRowsFingerprint: 'f' });
    expect(renamed.find((r) => r[0] === 'metrics on')?.[3]).toBe('same rows, other labels (a taxonomy change)');
    // A task added (the data hash covers every task's labels): said as other tasks, not a taxonomy change.
    const withTasks = (names: string[], dataHash: string): RunRecord => ({ ...held(0, dataHash), testRowsFingerprint: 'f', config: { split: { kind: 'stratified', seed: 0, testShare: 0.2 }, tasks: names.map((name) => ({ name })) } });
    expect(compareRunRows(withTasks(['queue', 'topic'], 'x'), withTasks(['queue', 'topic', 'urgency'], 'y')).find((r) => r[0] === 'metrics on')?.[3]).toBe('same rows, other tasks (see the tasks row)');
    expect(compareRunRows({ ...held(0), testRowsFingerprint: 'f' }, { ...held(0), testRowsFingerprint: 'g' }).find((r) => r[0] === 'metrics on')?.[3]).toMatch(/^different rows/);
  });

  it('compares runs of other tasks on one test file task by task, where each task\'s truths are the same', () => {
    const run = (runId: string, tasks: string[], dataHash: string, truths: Record<string, string>, metrics: Record<string, number>): RunRecord => ({
      runId, status: 'finished', startedAt: '2026-01-01T00:00:00Z', gitCommit: null, config: { tasks: tasks.map((name) => ({ name })) }, dataPaths: [], epochs: [],
      metricsSplit: 'test', testDataPath: '/data/banking77/test.csv', testDataHash: `file-${dataHash}`, dataHash, testTextsHash: 'emails', testTruthHashes: truths, metrics,
    });
    // One task, and the same file read with a second task: the file's hash (over every task's labels) and the data hash differ.
    const a = run('a', ['intent'], 'x', { intent: 'i' }, { 'intent.macro_f1': 0.9152, mean_macro_f1: 0.9152 });
    const b = run('b', ['intent', 'queue'], 'y', { intent: 'i', queue: 'q' }, { 'intent.macro_f1': 0.9115, 'queue.macro_f1': 0.9563, mean_macro_f1: 0.9339 });
    const rows = compareRunRows(a, b);
    expect(rows.find((r) => r[0] === 'metrics on')?.[3]).toBe('same rows, other tasks (see the tasks row)');
    expect(rows.find((r) => r[0] === 'intent.macro_f1')).toEqual(['intent.macro_f1', '0.9152', '0.9115', '-0.37 pts']);
    expect(rows.find((r) => r[0] === 'mean_macro_f1')?.[3]).toBe('');
    expect(compareRuns(a, b).metrics['intent.macro_f1'].delta).toBe(-0.0037);
    // Other truths of a task (the file relabelled, or read through other aliases): its figures get no b - a.
    const relabelled = compareRunRows(a, { ...b, testTruthHashes: { intent: 'i2', queue: 'q' } });
    expect(relabelled.find((r) => r[0] === 'metrics on')?.[3]).toBe('same rows, other tasks (see the tasks row); other truths of intent (no b - a shown)');
    expect(relabelled.find((r) => r[0] === 'intent.macro_f1')?.[3]).toBe('');
    const sameTasks = compareRunRows(b, { ...b, runId: 'c', testTruthHashes: { intent: 'i', queue: 'q2' } });
    expect(sameTasks.find((r) => r[0] === 'metrics on')?.[3]).toBe('same rows; other truths of queue (no b - a shown)');
    expect(sameTasks.find((r) => r[0] === 'intent.macro_f1')?.[3]).toBe('+0.00 pts');
    expect(sameTasks.find((r) => r[0] === 'mean_macro_f1')?.[3]).toBe('');
    // Other emails: no b - a at all.
    expect(compareRunRows(a, { ...b, testTextsHash: 'other' }).find((r) => r[0] === 'metrics on')?.[3]).toMatch(/^different rows/);
    // A run from before the emails' hash (either side): by the file's hash, as before.
    const older = (r: RunRecord): RunRecord => ({ ...r, testTextsHash: undefined, testTruthHashes: undefined });
    expect(compareRunRows(older(a), b).find((r) => r[0] === 'metrics on')?.[3]).toMatch(/^different rows/);
    expect(compareRunRows(older(a), older({ ...b, testDataHash: 'file-x' })).find((r) => r[0] === 'metrics on')?.[3]).toBe('same rows, other tasks (see the tasks row)');
  });

  it('marks the mean macro-F1 of runs list when the listed runs\' means are over other tasks', () => {
    const run = (runId: string, tasks: string[], mean?: number): RunRecord => ({
      runId, status: 'finished', startedAt: '2026-01-01T00:00:00Z', gitCommit: null, config: { tasks: tasks.map((name) => ({ name })) }, dataPaths: [], epochs: [], ...(mean === undefined ? {} : { metrics: { mean_macro_f1: mean } }),
    });
    const runs = [run('b', ['intent', 'queue'], 0.9339), run('a', ['intent'], 0.9152), run('c', ['queue', 'intent'], 0.93), run('failed', ['topic'])];
    expect(runListRows(runs).map((r) => r[4])).toEqual(['0.9339 [1]', '0.9152 [2]', '0.9300 [1]', '-']);
    expect(formatRunList(runs).split('\n').pop()).toBe("mean macro-F1 [n]: the runs' means are over other tasks ([1] intent, queue; [2] intent) and do not compare; runs compare gives each task's own");
    // The same tasks (a run with no mean aside): no mark, no legend.
    expect(runListRows([runs[0], runs[2], runs[3]]).map((r) => r[4])).toEqual(['0.9339', '0.9300', '-']);
    expect(formatRunList([runs[0], runs[2], runs[3]])).not.toContain('[n]');
  });

  it('claims nothing about data or rows that neither run has (two failed runs), and says which one has metrics', () => {
    const failed: RunRecord = { runId: 'a', status: 'failed', startedAt: '2026-01-01T00:00:00Z', gitCommit: null, config: {}, dataPaths: [], epochs: [], error: 'bad rows' };
    const both = compareRunRows(failed, { ...failed, runId: 'b' });
    expect(both.find((r) => r[0] === 'data hash')).toEqual(['data hash', '-', '-', '']);
    expect(both.find((r) => r[0] === 'metrics on')).toEqual(['metrics on', '-', '-', '']);
    // Failed after reading the data: the data compare, the rows do not (neither was measured).
    const read = compareRunRows({ ...failed, dataHash: 'x' }, { ...failed, runId: 'b', dataHash: 'x' });
    expect(read.find((r) => r[0] === 'data hash')?.[3]).toBe('same');
    expect(read.find((r) => r[0] === 'metrics on')?.[3]).toBe('');
    const finished: RunRecord = { ...failed, runId: 'b', status: 'finished', error: undefined, dataHash: 'x', metrics: { mean_macro_f1: 0.8 }, metricsSplit: 'test' };
    // One failed before reading its data: which one read it, not that the data differs (it may be the same file).
    expect(compareRunRows(failed, finished).find((r) => r[0] === 'data hash')?.[3]).toBe('only b read its data');
    expect(compareRunRows(finished, failed).find((r) => r[0] === 'data hash')?.[3]).toBe('only a read its data');
    expect(compareRunRows(failed, finished).find((r) => r[0] === 'metrics on')?.[3]).toBe('only b has metrics');
    expect(compareRunRows(finished, failed).find((r) => r[0] === 'metrics on')?.[3]).toBe('only a has metrics');
  });

  it('says why a failed run failed beside the other run, and nothing of an error when neither has one', () => {
    const base: RunRecord = { runId: 'a', status: 'finished', startedAt: '2026-01-01T00:00:00Z', gitCommit: null, config: {}, dataPaths: [], epochs: [], metrics: { mean_macro_f1: 0.8 }, metricsSplit: 'test' };
    const failed: RunRecord = { runId: 'b', status: 'failed', startedAt: '2026-01-02T00:00:00Z', gitCommit: null, config: {}, dataPaths: [], epochs: [], error: '/data/export.csv:46: CSV does not parse (a quoted value that starts on this line is still open)\nmore' };
    const interrupted: RunRecord = { ...failed, runId: 'c', status: 'interrupted', error: undefined, epochs: [{ epoch: 1, loss: 0.5, learningRate: 0.08, valLoss: null, perTask: {}, meanF1: null, seconds: 1, samplesPerSecond: 100 }] };
    const rows = compareRunRows(base, failed);
    // After the status, its first line with files by name, cut to a column's width.
    expect(rows.slice(1, 3)).toEqual([
      ['status', 'finished', 'failed', ''],
      ['error', '-', 'export.csv:46: CSV does not parse (a qu…', ''],
    ]);
    // An interrupted run has no error: its status and epochs say what it did; its missing metrics are `-`.
    const stopped = compareRunRows(base, interrupted);
    expect(stopped.some((r) => r[0] === 'error')).toBe(false);
    expect(stopped.find((r) => r[0] === 'epochs run')).toEqual(['epochs run', '0', '1', '']);
    expect(stopped.find((r) => r[0] === 'mean_macro_f1')).toEqual(['mean_macro_f1', '0.8000', '-', '']);
  });

  it('names the labels a task gained or lost between two runs (a rename, a merge, a new queue)', () => {
    const base: RunRecord = { runId: 'a', status: 'finished', startedAt: '2026-01-01T00:00:00Z', gitCommit: null, config: {}, dataPaths: [], epochs: [] };
    const a = { ...base, taxonomy: [{ task: 'queue', labels: ['payments', 'complaints'] }, { task: 'topic', labels: ['sparplan'] }] };
    const b = { ...base, runId: 'b', taxonomy: [{ task: 'queue', labels: ['payments', 'customer_care', 'other'] }, { task: 'topic', labels: ['sparplan'] }] };
    expect(compareRunRows(a, b).filter((r) => r[0].startsWith('labels '))).toEqual([['labels queue', '2 labels', '3 labels', '+customer_care +other -complaints']]);
    expect(compareRunRows(a, a).some((r) => r[0].startsWith('labels '))).toBe(false);
    // A failed run recorded no taxonomy: the finished one's labels were not "gained" (+payments ... against "0 labels").
    const failed: RunRecord = { ...base, runId: 'f', status: 'failed', error: 'bad rows' };
    expect(compareRunRows(failed, b).some((r) => r[0].startsWith('labels '))).toBe(false);
    expect(compareRunRows(a, failed).some((r) => r[0].startsWith('labels '))).toBe(false);
  });

  it('shows the note of a run, cut short in the list, whole in a comparison', () => {
    const base: RunRecord = { runId: 'a', status: 'finished', startedAt: '2026-01-01T00:00:00Z', gitCommit: null, config: {}, dataPaths: [], epochs: [] };
    const long = 'November export with the renamed KYC queue and the new topics';
    const [plain, noted] = runListRows([base, { ...base, note: long }]);
    expect(plain[9]).toBe('');
    expect(noted[9]).toBe(`${long.slice(0, 39)}…`);
    expect(compareRunRows(base, { ...base, note: long }).find((r) => r[0] === 'note')).toEqual(['note', '-', long, '']);
    expect(compareRunRows(base, base).some((r) => r[0] === 'note')).toBe(false);
  });

  it('says why a failed run failed in the list: the first line of its error, cut short', () => {
    const base: RunRecord = { runId: 'run-a', status: 'finished', startedAt: '2026-01-01T00:00:00Z', gitCommit: null, config: {}, dataPaths: [], epochs: [] };
    const error = `/data/holdout.csv:5, column "queue" (9): label "Low" is not in the queue taxonomy ${'(labels: '.padEnd(60, 'x')})\nsecond line`;
    const failed: RunRecord = { ...base, runId: 'run-b', status: 'failed', error };
    const [, reason] = runListRows([base, failed]).map((row) => row[10]);
    // Files by their names: the folders would take the width.
    const shown = error.replace('/data/', '');
    expect(reason).toBe(`${shown.slice(0, 79)}…`);
    expect(reason).toHaveLength(80);
    const table = formatRunList([base, failed]).split('\n');
    expect(table[0]).toMatch(/note +error$/);
    expect(table[3]).toMatch(/^run-b +failed .* holdout\.csv:5, column "queue"/);
    expect(runListRows([{ ...failed, error: "/tmp/run/data.csv: cannot read (ENOENT: no such file or directory, open '/tmp/run/data.csv')" }])[0][10]).toBe(
      "data.csv: cannot read (ENOENT: no such file or directory, open 'data.csv')",
    );
    // No failed run: no error column.
    expect(formatRunList([base]).split('\n')[0]).toMatch(/data +note$/);
    expect(runListRows([{ ...failed, error: 'no such file' }])[0][10]).toBe('no such file');
  });
});

describe('runs list params', () => {
  const base: RunRecord = { runId: 'a', status: 'finished', startedAt: '2026-01-01T00:00:00Z', gitCommit: null, config: {}, dataPaths: [], epochs: [], dataHash: 'x' };
  const params = { dim: 32, buckets: 65536, epochs: 6, learningRate: 0.08, charNgrams: [5, 5], mode: 'multi-task' };
  const withParams = (runId: string, extra: Record<string, unknown> = {}): RunRecord => ({ ...base, runId, params: { ...params, ...extra } });

  it('tells runs apart by the params in which each differs from most listed runs, sorted by name, in a narrow column', () => {
    const runs = [withParams('a'), withParams('b', { dim: 48, epochs: 8, learningRate: 0.1 }), withParams('c', { dim: 16, buckets: 16384, epochs: 4 }), withParams('d', { mode: 'single-task', charNgrams: [3, 5] }), { ...base, runId: 'old' }];
    expect(runListRows(runs).map((row) => row[8])).toEqual(['', 'dim=48 epochs=8 learningRate=0.1', 'buckets=16384 dim=16 epochs=4', 'charNgrams=[3,5] mode=single-task', '-']);
    const table = formatRunList(runs).split('\n');
    expect(table[0]).toMatch(/ data +params where runs differ +note$/);
    expect(table[3]).toMatch(/^b .* x +dim=48 epochs=8 learningRate=0\.1$/);
    // No value more common than another (two runs): each run shows its own.
    expect(runListRows([withParams('a', { seed: 0 }), withParams('b', { seed: 7 })]).map((row) => row[8])).toEqual(['seed=0', 'seed=7']);
    // Cut to 40 characters.
    const wide = runListRows([withParams('a'), withParams('b', { dim: 1, buckets: 2, epochs: 3, learningRate: 0.5, mode: 'single-task', charNgrams: [2, 4] })])[1][8];
    expect(wide).toHaveLength(40);
    expect(wide.endsWith('…')).toBe(true);
  });

  it('leaves the params column out when no parameter varies among the listed runs', () => {
    expect(runListRows([withParams('a'), withParams('b')]).map((row) => row[8])).toEqual(['', '']);
    expect(formatRunList([withParams('a'), withParams('b')]).split('\n')[0]).toMatch(/ data +note$/);
    expect(formatRunList([base]).split('\n')[0]).not.toContain('params');
  });
});

describe('runs compare: validation F1, epochs run, equal counts', () => {
  const split = { kind: 'stratified', on: 'queue', testShare: 0.2, validShare: 0.1, seed: 0 };
  const params = { wordNgrams: 3, charNgrams: [5, 5], maxChars: 5000, epochs: 8 };
  const counts = { read: 4000, rows: 4000, noText: 0, train: 2799, valid: 401, test: 800, badRows: 0 };
  const run = (runId: string, extra: Partial<RunRecord> = {}): RunRecord => ({
    runId, status: 'finished', startedAt: '2026-01-01T00:00:00Z', gitCommit: null, config: { split, tasks: [{ name: 'queue' }] }, dataPaths: [], epochs: [],
    dataHash: 'x', testRowsFingerprint: 'f', metricsSplit: 'test', metrics: { mean_macro_f1: 0.8 }, params, counts, bestValidF1: 0.8415, ...extra,
  });
  const row = (rows: string[][], name: string) => rows.find((r) => r[0] === name);

  it('gives b - a of the best validation F1 when both runs were validated on the same rows, and says why not otherwise', () => {
    const a = run('a');
    expect(row(compareRunRows(a, run('b', { bestValidF1: 0.8346, params: { ...params, epochs: 6 } })), 'best valid F1')).toEqual(['best valid F1', '0.8415', '0.8346', '-0.69 pts']);
    const other = 'other validation rows (no b - a shown)';
    for (const b of [
      run('b', { dataHash: 'y' }),
      run('b', { config: { split: { ...split, seed: 1 }, tasks: [{ name: 'queue' }] } }),
      run('b', { config: { split: { ...split, validShare: 0.2 }, tasks: [{ name: 'queue' }] } }),
      run('b', { testDataPath: '/data/test.csv' }),
      run('b', { testRowsFingerprint: 'g' }),
      run('b', { params: { ...params, maxChars: 100 } }),
      run('b', { counts: { ...counts, valid: 399 } }),
      run('b', { config: { split, tasks: [{ name: 'queue' }, { name: 'topic' }] } }),
    ]) expect(row(compareRunRows(a, b), 'best valid F1')?.[3]).toBe(other);
    // A run without the figure (failed before it): nothing to subtract.
    expect(row(compareRunRows(a, run('b', { bestValidF1: undefined })), 'best valid F1')).toEqual(['best valid F1', '0.8415', '-', '']);
  });

  it("says a single-task run's best valid F1 is each task's own best epoch's, with each task's kept epoch, against a multi-task run", () => {
    const multi = run('a', { params: { ...params, mode: 'multi-task' }, bestEpoch: 3, bestValidF1: 0.8724, config: { split, tasks: [{ name: 'queue' }, { name: 'topic' }] } });
    const single = run('b', {
      params: { ...params, mode: 'single-task' }, bestEpoch: 10, averagedEpochs: 3, bestValidF1: 0.8821, config: { split, tasks: [{ name: 'queue' }, { name: 'topic' }] },
      taskBestEpochs: { queue: 1, topic: 10 }, taskAveragedEpochs: { queue: 0, topic: 3 },
    });
    const rows = compareRunRows(multi, single);
    expect(row(rows, 'best valid F1')).toEqual(['best valid F1', '0.8724', '0.8821', "+0.97 pts; b single-task: per-task best epochs favour it (compare test figures)"]);
    expect(row(rows, 'best epoch queue')).toEqual(['best epoch queue', '3', '1', '']);
    expect(row(rows, 'best epoch topic')).toEqual(['best epoch topic', '3', '8-10 averaged', '']);
    expect(row(compareRunRows(single, multi), 'best valid F1')?.[3]).toMatch(/^-0\.97 pts; a single-task: /);
    // Both single-task (or both multi-task): alike, no note; no per-task rows between two multi-task runs.
    expect(row(compareRunRows(single, { ...single, runId: 'c' }), 'best valid F1')?.[3]).toBe('+0.00 pts');
    expect(compareRunRows(multi, { ...multi, runId: 'c' }).some((r) => r[0].startsWith('best epoch '))).toBe(false);
    const json = compareRuns(multi, single);
    expect(json.compatibility.sameMode).toBe(false);
    expect(json.b).toMatchObject({ taskBestEpochs: { queue: 1, topic: 10 }, taskAveragedEpochs: { queue: 0, topic: 3 } });
    expect(json.a.taskBestEpochs).toBeNull();
  });

  it("shows each run's model.onnx and artifact size, n/a for a run from before sizes were recorded", () => {
    const multi = run('a', { artifactBytes: { 'model.onnx': 6_655_233, 'seen-texts.bloom': 5_775 } });
    const single = run('b', { artifactBytes: { 'model.onnx': 19_950_733, 'seen-texts.bloom': 5_775 } });
    const rows = compareRunRows(multi, single);
    expect(row(rows, 'model.onnx size')).toEqual(['model.onnx size', '6.66 MB', '19.95 MB', '+13.30 MB (3.00x)']);
    expect(row(rows, 'artifact size')).toEqual(['artifact size', '6.66 MB', '19.96 MB', '+13.30 MB (3.00x)']);
    expect(row(compareRunRows(single, multi), 'model.onnx size')?.[3]).toBe('-13.30 MB (0.33x)');
    expect(row(compareRunRows(run('old'), single), 'model.onnx size')).toEqual(['model.onnx size', 'n/a', '19.95 MB', '']);
    expect(compareRunRows(run('old'), run('older')).some((r) => r[0].endsWith(' size'))).toBe(false);
    expect(compareRuns(multi, single).modelOnnxBytes).toEqual({ a: 6_655_233, b: 19_950_733, delta: 13_295_500 });
    // runs list: a column of model.onnx sizes once a run recorded one.
    const table = formatRunList([multi, run('old')]).split('\n');
    expect(table[0]).toMatch(/mean macro-F1 +model\.onnx +measured on/);
    expect(table[2]).toMatch(/ 6\.66 MB /);
    expect(formatRunList([run('old')]).split('\n')[0]).not.toContain('model.onnx');
  });

  it('calls the epochs a run trained `epochs run`, beside the epochs param', () => {
    const rows = compareRunRows(run('a', { epochs: Array.from({ length: 6 }, (_, i) => ({ ...epoch, epoch: i + 1 })) }), run('b'));
    expect(row(rows, 'epochs run')).toEqual(['epochs run', '6', '0', '']);
    expect(row(rows, 'epochs')).toBeUndefined();
  });

  it('shows the counts that differ and one row for those equal in both', () => {
    const rows = compareRunRows(run('a'), run('b', { counts: { ...counts, train: 2802, valid: 399, extra: 1 } }));
    expect(rows.filter((r) => r[0].startsWith('count '))).toEqual([
      ['count train', '2799', '2802', '+3'],
      ['count valid', '401', '399', '-2'],
      ['count extra', '-', '1', ''],
      ['count (5 equal)', '', '', 'not shown (runs compare --json has each)'],
    ]);
    // Nothing said of counts when all differ or neither run has any.
    expect(compareRunRows(run('a', { counts: undefined }), run('b', { counts: undefined })).some((r) => r[0].startsWith('count'))).toBe(false);
  });
});

describe('compareRuns (runs compare --json)', () => {
  const split = { kind: 'stratified', on: 'queue', testShare: 0.2, validShare: 0.1, seed: 0 };
  const run = (runId: string, extra: Partial<RunRecord> = {}): RunRecord => ({
    runId, status: 'finished', startedAt: '2026-01-01T00:00:00Z', gitCommit: 'abc', config: { split, tasks: [{ name: 'queue', minCount: 10 }] }, dataPaths: [], epochs: [],
    dataHash: 'x', testRowsFingerprint: 'f', metricsSplit: 'test', metrics: { mean_macro_f1: 0.8425, 'queue.macro_f1': 0.8649, 'queue.support': 800 },
    params: { dim: 32, epochs: 8 }, counts: { train: 2799, valid: 401 }, bestValidF1: 0.8346, trainingSeconds: 0.8, taxonomy: [{ task: 'queue', labels: ['a', 'b'] }], ...extra,
  });

  it('gives both runs, the params and config that differ, each count and metric with a, b and b - a, and whether the rows compare', () => {
    const b = run('b', { params: { dim: 16, epochs: 8 }, metrics: { mean_macro_f1: 0.8563, 'queue.macro_f1': 0.8772, 'queue.support': 800 }, bestValidF1: 0.8472, trainingSeconds: 0.62, config: { split, tasks: [{ name: 'queue', minCount: 20 }] } });
    const c = compareRuns(run('a'), b);
    expect(c.a).toMatchObject({ runId: 'a', status: 'finished', modelId: null, gitCommit: 'abc', gitDirty: false, params: { dim: 32, epochs: 8 }, tasks: ['queue'], epochsRun: 0, error: null });
    expect(c.b.runId).toBe('b');
    expect(c.compatibility).toEqual({ data: 'same', metricsRows: 'same rows', metricsCompare: true, validationRowsSame: true, sameTasks: true, identicalArtifacts: null, sameMode: null });
    expect(c.differingParams).toEqual({ dim: { a: 32, b: 16 } });
    expect(c.differingConfig).toEqual({ 'task queue.minCount': { a: 10, b: 20 } });
    expect(c.metrics['mean_macro_f1']).toEqual({ kind: 'score', a: 0.8425, b: 0.8563, delta: 0.0138 });
    expect(c.metrics['queue.support']).toEqual({ kind: 'count', a: 800, b: 800, delta: 0 });
    expect(c.bestValidF1).toEqual({ a: 0.8346, b: 0.8472, delta: 0.0126 });
    expect(c.trainingSeconds).toEqual({ a: 0.8, b: 0.62, delta: -0.18 });
    expect(c.counts).toEqual({ train: { a: 2799, b: 2799, delta: 0 }, valid: { a: 401, b: 401, delta: 0 } });
    expect(c.labelChanges).toEqual({});
    // It survives JSON as it is.
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
  });

  it('gives no b - a where the table shows none: other rows, other validation rows, a mean over other tasks', () => {
    const other = compareRuns(run('a'), run('b', { dataHash: 'y', testRowsFingerprint: 'g', taxonomy: [{ task: 'queue', labels: ['a', 'c'] }] }));
    expect(other.compatibility).toMatchObject({ data: 'differs', metricsCompare: false, validationRowsSame: false });
    expect(other.compatibility.metricsRows).toMatch(/^different rows/);
    expect(other.metrics['queue.macro_f1'].delta).toBeNull();
    expect(other.bestValidF1.delta).toBeNull();
    expect(other.labelChanges).toEqual({ queue: { added: ['c'], removed: ['b'] } });
    const failed = compareRuns(run('a'), { runId: 'f', status: 'failed', startedAt: '2026-01-01T00:00:00Z', gitCommit: null, config: {}, dataPaths: [], epochs: [], error: 'bad rows' });
    expect(failed.b).toMatchObject({ status: 'failed', error: 'bad rows', params: null, dataHash: null, measuredOn: null });
    expect(failed.compatibility).toMatchObject({ data: 'only a read its data', metricsRows: 'only a has metrics', metricsCompare: false });
    expect(failed.metrics['mean_macro_f1']).toEqual({ kind: 'score', a: 0.8425, b: null, delta: null });
  });
});
