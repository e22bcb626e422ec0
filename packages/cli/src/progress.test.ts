import { describe, expect, it } from 'vitest';
import { createContext } from './context.js';
import { createProgress, etaOf, formatEta, stagedProgress } from './progress.js';
import { captureStream } from './test-support.js';

describe('createProgress', () => {
  it('draws no bar in a CI job even on a terminal, whatever true value CI has (true, 1, yes), and a bar when CI is empty, false or 0', () => {
    const drawn = (ci: string | undefined) => {
      const err = captureStream();
      Object.assign(err.stream, { isTTY: true, columns: 80, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
      const progress = createProgress(createContext({ env: ci === undefined ? {} : { CI: ci }, stdout: captureStream().stream, stderr: err.stream }), 'predict');
      progress.update(5, 10);
      progress.stop();
      return err.text().includes('[');
    };
    expect(['true', '1', 'yes', 'TRUE'].map(drawn)).toEqual([false, false, false, false]);
    expect([undefined, '', 'false', '0'].map(drawn)).toEqual([true, true, true, true]);
  });

  it('writes plain lines, no bar, on a terminal that cannot redraw in place (TERM=dumb: a screen reader would read each redraw)', () => {
    const written = (term: string) => {
      const err = captureStream();
      Object.assign(err.stream, { isTTY: true, columns: 80, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
      const progress = createProgress(createContext({ env: { TERM: term }, stdout: captureStream().stream, stderr: err.stream }), 'predict');
      progress.update(5, 10);
      progress.stop();
      return err.text();
    };
    expect(written('dumb')).toBe('predict: 50% (5/10)\n');
    expect(written('xterm-256color')).toContain('[');
  });

  it('in a terminal, clears the bar line before other output so lines do not run into the bar', () => {
    const err = captureStream();
    Object.assign(err.stream, { isTTY: true, columns: 80, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
    const progress = createProgress(createContext({ env: {}, stdout: captureStream().stream, stderr: err.stream }), 'train');
    progress.clearLine(); // nothing drawn yet: nothing to clear
    expect(err.text()).toBe('');
    progress.update(5, 10, 'clean');
    progress.clearLine();
    expect(err.text().endsWith('\r\x1b[2K')).toBe(true);
    progress.stop();
  });

  it('in a log, writes a line per tenth and clears nothing', () => {
    const err = captureStream();
    const progress = createProgress(createContext({ env: { CI: 'true' }, stdout: captureStream().stream, stderr: err.stream }), 'predict');
    for (let i = 0; i <= 20; i++) progress.update(i, 20);
    progress.clearLine();
    expect(err.text().split('\n').filter(Boolean)).toHaveLength(11);
    expect(err.text()).not.toContain('\x1b');
  });

  it('escapes the control characters of a label from the data (a task name), in a log and in a stage title', () => {
    const err = captureStream();
    const ctx = createContext({ env: { CI: 'true' }, stdout: captureStream().stream, stderr: err.stream });
    createProgress(ctx, 'evaluate').update(0, 2, 'queue\x1b[31m');
    stagedProgress(ctx, 'compare').update(1, 2, 'topic\x9b2J 1/2');
    expect(err.text()).toBe('evaluate: 0% (0/2) queue\\x1b[31m\ncompare topic\\x9b2J: 50% (1/2) topic\\x9b2J 1/2\n');
  });

  it('in a log, prints the share done, not the tenth it falls in', () => {
    const err = captureStream();
    const progress = createProgress(createContext({ env: { CI: 'true' }, stdout: captureStream().stream, stderr: err.stream }), 'predict');
    progress.update(5, 102, 'clean');
    progress.update(27, 102, 'clean');
    progress.update(102, 102, 'clean');
    expect(err.text()).toBe('predict: 4% (5/102) clean\npredict: 26% (27/102) clean\npredict: 100% (102/102) clean\n');
  });

  it('ends the epoch stage with the epochs run when training stopped early', () => {
    const err = captureStream();
    const progress = stagedProgress(createContext({ env: { CI: 'true' }, stdout: captureStream().stream, stderr: err.stream }), 'train');
    for (let epoch = 1; epoch <= 5; epoch++) progress.update(epoch, 10, `epoch ${epoch}/10`);
    progress.update(5, 5, 'done (stopped early after 5 of 10 epochs)');
    expect(err.text().trimEnd().split('\n').pop()).toBe('train epoch: 100% (5/5) done (stopped early after 5 of 10 epochs)');
  });

  it('in a log, names a stage once: no label that only repeats the title or the counts', () => {
    const err = captureStream();
    const ctx = createContext({ env: { CI: 'true' }, stdout: captureStream().stream, stderr: err.stream });
    // predict: the library reports its stages as `clean`, then `predict`.
    const predict = stagedProgress(ctx, 'predict');
    predict.update(797, 797, 'clean');
    predict.update(797, 797, 'predict');
    predict.stop();
    // compare: each model's title already says predict.
    const challenger = stagedProgress(ctx, 'predict challenger');
    challenger.update(10, 10, 'clean');
    challenger.update(10, 10, 'predict');
    // train: epochs, then the report steps of evaluate with their task names.
    const train = stagedProgress(ctx, 'train');
    train.update(1, 10, 'epoch 1/10');
    train.update(3, 3, 'refit 3/3');
    createProgress(ctx, 'evaluate').update(2, 2, 'queue');
    expect(err.text().split('\n').filter(Boolean)).toEqual([
      'predict clean: 100% (797/797)',
      'predict: 100% (797/797)',
      'predict challenger clean: 100% (10/10)',
      'predict challenger: 100% (10/10)',
      'train epoch: 10% (1/10)',
      'train refit: 100% (3/3)',
      'evaluate: 100% (2/2) queue',
    ]);
  });
});

describe('time left', () => {
  it('writes seconds, minutes with seconds, hours with minutes', () => {
    expect([formatEta(400), formatEta(45_000), formatEta(185_000), formatEta(3_720_000)]).toEqual(['1s', '45s', '3m05s', '1h02m']);
  });

  it('gives none in the first three seconds, before the first unit and once the stage is done', () => {
    expect(etaOf(2999, 50, 100)).toBeUndefined();
    expect(etaOf(10_000, 0, 100)).toBeUndefined();
    expect(etaOf(10_000, 100, 100)).toBeUndefined();
    expect(etaOf(10_000, 25, 100)).toBe('ETA 30s');
  });
});
