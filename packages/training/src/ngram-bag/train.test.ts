import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Classifier, forwardProbs, ManifestSchema } from '@mailroute/model';
import { computeTaskMetrics } from '@mailroute/evaluation';
import { featurizeHashedBag } from '@mailroute/preprocess';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseThreshold, fitTemperature } from './calibrate.js';
import type { TaskSpec, TrainExample } from './encode.js';
import { exportNgramBag } from './export.js';
import { createPrng } from './prng.js';
import { calibrate, trainNgramBag, type EpochReport } from './train.js';

const tasks: TaskSpec[] = [
  { name: 'queue', labels: ['payments', 'kyc', 'trading'] },
  { name: 'topic', labels: ['sparplan', 'login'] },
];

// Each queue has its own words; the topic follows a second word. Some rows lack the topic label.
const templates: Array<[string, number, number | null]> = [
  ['Überweisung nicht angekommen sparplan', 0, 0],
  ['Lastschrift zurückgeben login', 0, 1],
  ['Ausweis hochladen Identifikation sparplan', 1, 0],
  ['Video-Ident abgebrochen login', 1, 1],
  ['Order storniert Börse Aktie sparplan', 2, 0],
  ['Limit-Order Teilausführung login', 2, null],
];
const rows = (n: number): TrainExample[] =>
  Array.from({ length: n }, (_, i) => {
    const [text, queue, topic] = templates[i % templates.length];
    return { text: `${text} ${i % 3 === 0 ? 'bitte' : 'danke'}`, meta: ['lang=de'], labels: { queue, topic } };
  });

const small = { dim: 8, buckets: 4096, epochs: 12, learningRate: 0.3, batchSize: 4, patience: 20, seed: 42 };

describe('trainNgramBag', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('stops a run whose loss blows up at that epoch, naming the learning rate and the L2 penalty', async () => {
    const epochs: EpochReport[] = [];
    const run = trainNgramBag({ train: rows(60), valid: rows(12), tasks, params: { ...small, l2: 10 }, onEpoch: (e) => epochs.push(e) });
    await expect(run).rejects.toMatchObject({ code: 'TRAINING_DIVERGED', message: expect.stringMatching(/^training diverged at epoch 1: the training loss is (NaN|[\d.]+e\+\d+), where a model that learns has a few units; lower model\.l2 \(10; default 0\) or model\.learningRate \(0\.3; default 0\.08\)$/) });
    expect(epochs).toEqual([]);
    // With the default rate, only the penalty is named.
    const penalty = trainNgramBag({ train: rows(60), valid: rows(12), tasks, params: { ...small, learningRate: 0.08, l2: 10 } });
    await expect(penalty).rejects.toMatchObject({ message: expect.stringMatching(/; lower model\.l2 \(10; default 0\)$/) });
  });

  it('stops a run whose validation loss blows up while its training loss stays finite, naming the learning rate', async () => {
    // Validation rows labelled otherwise than their training twins: a model with blown-up weights is wrong on them with
    // huge margins. At rate 1e9 Adagrad keeps the training rows fitted (a finite training loss), the logits enormous.
    const shifted = rows(12).map((row) => ({ ...row, labels: { ...row.labels, queue: ((row.labels.queue as number) + 1) % 3 } }));
    const epochs: EpochReport[] = [];
    const run = trainNgramBag({ train: rows(60), valid: shifted, tasks, params: { ...small, learningRate: 1e9 }, onEpoch: (e) => epochs.push(e) });
    await expect(run).rejects.toMatchObject({
      code: 'TRAINING_DIVERGED',
      message: expect.stringMatching(/^training diverged at epoch 1: the validation loss is (NaN|[\d.]+e\+\d+), over 1000 times the 0\.90 of uniform guesses \(ln of each task's label count\): the weights blew up, .*; lower model\.learningRate \(1000000000; default 0\.08\)$/),
    });
    expect(epochs).toEqual([]);
    // The same rows at the rate of the tests: a validation loss some times the uniform one, as overfitting gives, trains.
    const model = await trainNgramBag({ train: rows(60), valid: shifted, tasks, params: small, onEpoch: (e) => epochs.push(e) });
    expect(model.history.length).toBeGreaterThan(0);
    expect(Math.max(...model.history.map((e) => e.valLoss ?? 0))).toBeGreaterThan(Math.log(3));
  });

  it('learns a tiny dataset perfectly and reports every epoch', async () => {
    const epochs: EpochReport[] = [];
    const progress: number[] = [];
    const model = await trainNgramBag({ train: rows(60), valid: rows(12), tasks, params: small, onEpoch: (e) => epochs.push(e), onProgress: (done) => progress.push(done) });
    expect(epochs).toHaveLength(12);
    expect(epochs[epochs.length - 1].loss).toBeLessThan(epochs[0].loss);
    const last = epochs[epochs.length - 1];
    expect(last.perTask.queue.accuracy).toBe(1);
    expect(last.perTask.topic.f1).toBe(1);
    expect(last.meanF1).toBe(1);
    expect(last.samplesPerSecond).toBeGreaterThan(0);
    expect(progress[progress.length - 1]).toBe(12);
    expect(model.bestEpoch).toBeGreaterThanOrEqual(1);
    expect(model.weights.parts).toHaveLength(1);
    // Weight averaging of the last 3 epochs is kept only when it scores at least as well.
    expect([0, 3]).toContain(model.averagedEpochs.queue);
    expect(model.averagedEpochs.topic).toBe(model.averagedEpochs.queue);
    for (const row of rows(6)) {
      const probs = forwardProbs(model.weights, featurizeHashedBag(row.text, row.meta, model.featurizer.params));
      expect(argmax(probs.queue)).toBe(row.labels.queue);
    }
  });

  it('reports the validation F1 of the weights kept: the average\'s own when the average of the last epochs wins', async () => {
    // Every 4th row's queue shifted: validation is imperfect, and for this seed the average of epochs 2-4
    // (0.78) beats epoch 4 alone (0.70), the epoch it is reported under.
    const noisy = (n: number, offset: number): TrainExample[] =>
      rows(n).map((row, i) => ({ ...row, labels: { ...row.labels, queue: (i + offset) % 4 === 0 ? ((row.labels.queue as number) + 1) % 3 : row.labels.queue } }));
    const valid = noisy(24, 1);
    const model = await trainNgramBag({ train: noisy(60, 0), valid, tasks, params: { ...small, epochs: 4, learningRate: 0.05, seed: 18 } });
    expect(model.averagedEpochs).toEqual({ queue: 3, topic: 3 });
    expect(model.bestEpoch).toBe(4);
    const lastEpochF1 = model.history[3].meanF1 as number;
    expect(model.keptValidF1).toBeGreaterThanOrEqual(Math.max(...model.history.map((h) => h.meanF1 as number)));
    expect(model.keptValidF1).toBeGreaterThan(lastEpochF1 + 0.01);
    // The same figure from the kept weights themselves.
    const predicted = valid.map((row) => forwardProbs(model.weights, featurizeHashedBag(row.text, row.meta, model.featurizer.params)));
    const f1s = tasks.map((task) => {
      const labelled = valid.flatMap((row, i) => (row.labels[task.name] === null ? [] : [i]));
      const truth = labelled.map((i) => task.labels[valid[i].labels[task.name] as number]);
      return computeTaskMetrics(truth, labelled.map((i) => task.labels[argmax(predicted[i][task.name])])).macro.f1;
    });
    expect(model.keptValidF1).toBeCloseTo((f1s[0] + f1s[1]) / 2, 6);
  });

  it('averages the last epochs it trained when it stops early, not only the last of the configured epochs', async () => {
    // The tiny dataset is learnt perfectly within a few epochs; with patience 2 the run stops long before
    // epoch 20, and the average of its last 3 epochs scores as well as its best: it is kept.
    const model = await trainNgramBag({ train: rows(60), valid: rows(12), tasks, params: { ...small, epochs: 20, patience: 2, averageLast: 3 } });
    const ran = model.history.length;
    expect(ran).toBeLessThan(20);
    expect(model.averagedEpochs).toEqual({ queue: 3, topic: 3 });
    expect(model.bestEpoch).toBe(ran);
    expect(model.keptValidF1).toBe(1);
  });

  it('ends its progress with the epochs run when it stops early', async () => {
    const progress: Array<[number, number, string | undefined]> = [];
    const model = await trainNgramBag({ train: rows(60), valid: rows(12), tasks, params: { ...small, patience: 1 }, onProgress: (done, total, label) => progress.push([done, total, label]) });
    const ran = model.history.length;
    expect(ran).toBeLessThan(12);
    expect(progress[progress.length - 2]).toEqual([ran, 12, `epoch ${ran}/12`]);
    expect(progress[progress.length - 1]).toEqual([ran, ran, `done (stopped early after ${ran} of 12 epochs)`]);
    // Run to the end, it says so as before.
    const full: Array<string | undefined> = [];
    await trainNgramBag({ train: rows(30), valid: rows(6), tasks, params: { ...small, epochs: 3 }, onProgress: (_d, _t, label) => full.push(label) });
    expect(full[full.length - 1]).toBe('done');
    // Before the epochs, the n-grams of the training and validation rows are hashed, as a stage of its own.
    const featurizing = progress.filter(([, , label]) => label === 'featurize');
    expect(featurizing.length).toBeGreaterThanOrEqual(2);
    expect(featurizing[featurizing.length - 1]).toEqual([72, 72, 'featurize']);
    expect(progress.findIndex(([, , label]) => label === 'featurize')).toBe(0);
  });

  it('gives the same weights for the same seed and others for another seed', async () => {
    const a = await trainNgramBag({ train: rows(30), valid: rows(6), tasks, params: { ...small, epochs: 3 } });
    const b = await trainNgramBag({ train: rows(30), valid: rows(6), tasks, params: { ...small, epochs: 3 } });
    const c = await trainNgramBag({ train: rows(30), valid: rows(6), tasks, params: { ...small, epochs: 3, seed: 7 } });
    expect(Buffer.from(a.weights.parts[0].embedding.buffer).equals(Buffer.from(b.weights.parts[0].embedding.buffer))).toBe(true);
    expect(Array.from(a.weights.parts[0].heads[1].weight)).toEqual(Array.from(b.weights.parts[0].heads[1].weight));
    expect(Array.from(a.weights.parts[0].heads[0].weight)).not.toEqual(Array.from(c.weights.parts[0].heads[0].weight));
  });

  it('gives the event loop a turn between epochs and stops after the epoch in which its signal is aborted', async () => {
    // Aborted from a callback the event loop runs (as a Ctrl-C handler is), not from the trainer's own callbacks.
    const controller = new AbortController();
    const epochs: number[] = [];
    const onEpoch = (e: EpochReport) => {
      epochs.push(e.epoch);
      if (e.epoch === 2) setImmediate(() => controller.abort(new Error('stop')));
    };
    const training = trainNgramBag({ train: rows(30), valid: rows(6), tasks, params: { ...small, epochs: 40, patience: 40 }, onEpoch, signal: controller.signal });
    await expect(training).rejects.toThrow('stop');
    expect(epochs).toEqual([1, 2]);
    // Refit members stop too.
    const refitting = new AbortController();
    const progress: Array<string | undefined> = [];
    const onProgress = (_d: number, _t: number, label?: string) => {
      progress.push(label);
      if (label === 'refit 1/3') setImmediate(() => refitting.abort(new Error('stop refit')));
    };
    await expect(trainNgramBag({ train: rows(30), valid: rows(6), tasks, params: { ...small, epochs: 3, refit: true }, onProgress, signal: refitting.signal })).rejects.toThrow('stop refit');
    expect(progress.at(-1)).toBe('refit 1/3');
  });

  it('gives the event loop turns within an epoch too, and stops in the epoch in which its signal is aborted', async () => {
    const controller = new AbortController();
    const epochs: number[] = [];
    // The epochs' bar starts before the first epoch: aborted from the event loop once that epoch is under way.
    const onProgress = (done: number, _t: number, label?: string) => {
      if (done === 0 && label?.startsWith('epoch')) setImmediate(() => controller.abort(new Error('stop')));
    };
    const training = trainNgramBag({ train: rows(60), valid: rows(6), tasks, params: { ...small, epochs: 5 }, onEpoch: (e) => epochs.push(e.epoch), onProgress, signal: controller.signal, turnMs: 0 });
    await expect(training).rejects.toThrow('stop');
    expect(epochs).toEqual([]);
  });

  it('counts a refit\'s progress in the epochs it runs (those the first run kept), not the configured number', async () => {
    const labels: string[] = [];
    await trainNgramBag({ train: rows(30), valid: rows(6), tasks, params: { ...small, epochs: 40, patience: 1, refit: true }, onProgress: (_d, _t, label) => labels.push(label ?? '') });
    const refit = labels.filter((l) => l.startsWith('refit '));
    const totals = new Set(refit.map((l) => Number(/^refit \d+\/(\d+)$/.exec(l)?.[1])));
    expect(totals.size).toBe(1);
    const [total] = [...totals];
    expect(total).toBeLessThan(40);
    expect(refit.at(-1)).toBe(`refit ${total}/${total}`);
  });

  it('trains one independent part per task in single-task mode, with a hidden layer', async () => {
    const model = await trainNgramBag({ train: rows(60), valid: rows(12), tasks, params: { ...small, mode: 'single-task', hidden: 6 } });
    expect(model.weights.parts.map((p) => p.heads.map((h) => h.task))).toEqual([['queue'], ['topic']]);
    expect(model.weights.parts[0].hidden?.outSize).toBe(6);
    expect(model.history[model.history.length - 1].perTask.queue.accuracy).toBe(1);
    expect(Object.keys(model.bestEpochs)).toEqual(['queue', 'topic']);
  });

  it('counts each example once in either mode: the epoch loss is per example summed over its tasks, the rate in examples', async () => {
    const byMode = async (mode: 'multi-task' | 'single-task') => {
      const epochs: EpochReport[] = [];
      // A learning rate of ~0 keeps the weights at their start: both modes then measure the loss of the same guesses.
      await trainNgramBag({ train: rows(60), valid: rows(12), tasks, params: { ...small, epochs: 1, learningRate: 1e-9, mode }, onEpoch: (e) => epochs.push(e) });
      return epochs[0];
    };
    const [multi, single] = [await byMode('multi-task'), await byMode('single-task')];
    // 60 rows, each with a queue label: 60 examples an epoch, not one per (example, task) pair.
    for (const e of [multi, single]) expect(e.samplesPerSecond * e.seconds).toBeCloseTo(60, 6);
    // Untrained, each example's loss is near ln 3 + ln 2 (10 of the 60 have no topic: ln 3 alone).
    const expected = (50 * (Math.log(3) + Math.log(2)) + 10 * Math.log(3)) / 60;
    for (const e of [multi, single]) expect(e.loss).toBeCloseTo(expected, 1);
  });

  it('trains without a validation split: no early stopping, neutral calibration', async () => {
    const model = await trainNgramBag({ train: rows(30), valid: [], tasks, params: { ...small, epochs: 3 } });
    expect(model.history.map((e) => e.valLoss)).toEqual([null, null, null]);
    expect(model.bestEpoch).toBe(3);
    expect(model.calibration.queue).toMatchObject({ temperature: 1, threshold: 0, thresholdReached: false });
  });

  describe('a task without a labelled validation row', () => {
    // The same validation texts with no topic label: topic has no validation figures at all.
    const noTopic = rows(12).map((row) => ({ ...row, labels: { ...row.labels, topic: null } }));
    const topicHead = (model: { weights: { parts: { heads: { task: string; weight: Float32Array }[] }[] } }) =>
      Array.from(model.weights.parts.flatMap((part) => part.heads).find((head) => head.task === 'topic')?.weight ?? []);

    it.each([
      ['its last epoch', 0],
      ['the average of its last epochs', 3],
    ])('in single-task mode, is never stopped early and keeps %s, as without a validation split', async (_, averageLast) => {
      const params = { ...small, mode: 'single-task' as const, patience: 2, averageLast };
      const model = await trainNgramBag({ train: rows(60), valid: noTopic, tasks, params });
      // Queue is learnt at once and stops after `patience` epochs; topic trains all 12.
      expect(model.bestEpochs.queue).toBeLessThan(10);
      expect(model.history).toHaveLength(12);
      expect(model.bestEpochs.topic).toBe(12);
      expect(model.averagedEpochs.topic).toBe(averageLast);
      // Its weights are those it would have without a validation split. (The rate decays with the steps of all parts:
      // queue must train all 12 epochs too for the same figures.)
      const allEpochs = { ...params, patience: 12 };
      const kept = await trainNgramBag({ train: rows(60), valid: noTopic, tasks, params: allEpochs });
      const unvalidated = await trainNgramBag({ train: rows(60), valid: [], tasks, params: allEpochs });
      expect(topicHead(kept)).toEqual(topicHead(unvalidated));
    });

    it('does not count in the mean validation F1 and loss (F1 0, NLL 0 as it was), as headlineFromProbs skips it', async () => {
      for (const mode of ['multi-task', 'single-task'] as const) {
        const model = await trainNgramBag({ train: rows(60), valid: noTopic, tasks, params: { ...small, epochs: 4, mode } });
        for (const epoch of model.history) {
          expect(Object.keys(epoch.perTask)).toEqual(['queue']);
          expect(epoch.meanF1).toBe(epoch.perTask.queue.f1);
        }
        expect(model.history[3].valLoss).toBeGreaterThan(0);
        expect(model.keptValidF1).toBe(1);
      }
    });

    it('with no task labelled in the validation rows, trains as without a validation split', async () => {
      const unlabelled = noTopic.map((row) => ({ ...row, labels: { queue: null, topic: null } }));
      const params = { ...small, epochs: 5, patience: 1 };
      const model = await trainNgramBag({ train: rows(60), valid: unlabelled, tasks, params });
      expect(model.history.map((e) => [e.valLoss, e.meanF1, e.perTask])).toEqual(Array.from({ length: 5 }, () => [null, null, {}]));
      expect(model.keptValidF1).toBeNull();
      expect(model.bestEpochs).toEqual({ queue: 5, topic: 5 });
      const unvalidated = await trainNgramBag({ train: rows(60), valid: [], tasks, params });
      expect(model.averagedEpochs).toEqual(unvalidated.averagedEpochs);
      expect(topicHead(model)).toEqual(topicHead(unvalidated));
    });
  });

  it('refuses a task with no labels before any work, not at export', async () => {
    const progress: Array<string | undefined> = [];
    const run = trainNgramBag({ train: rows(6), valid: [], tasks: [...tasks, { name: 'empty', labels: [] }], onProgress: (_d, _t, label) => progress.push(label) });
    await expect(run).rejects.toMatchObject({ code: 'TRAINER_INPUT_INVALID', message: 'task empty has no labels' });
    expect(progress).toEqual([]);
  });

  it('refuses a task target precision that is no precision above 0 and at most 1, before any work', async () => {
    const run = trainNgramBag({ train: rows(6), valid: [], tasks: [{ ...tasks[0], targetPrecision: 95 }, tasks[1]] });
    await expect(run).rejects.toMatchObject({ code: 'TRAINER_INPUT_INVALID', message: "task queue: targetPrecision 95 is not a precision above 0 and at most 1 (leave it out for the params' targetPrecision)" });
  });

  it.each([
    ['multi-task', {}],
    ['single-task', { mode: 'single-task' as const }],
    ['an ensemble', { ensemble: 2 }],
    ['refit', { refit: true }],
  ])("chooses each task's threshold for its own target precision, else the params' (%s)", async (_, extra) => {
    // About 30% of the queue labels moved: a target of 0.5 keeps far more answers than one of 0.99.
    const noisy = (n: number, seed: number): TrainExample[] => {
      const prng = createPrng(seed);
      return rows(n).map((r) => (prng.next() < 0.3 ? { ...r, labels: { ...r.labels, queue: ((r.labels.queue ?? 0) + 1) % 3 } } : r));
    };
    const data = { train: noisy(120, 1), valid: noisy(60, 2) };
    const params = { ...small, epochs: 4, ...extra };
    // The target does not change training: the same weights, calibrated for 0.5 and for 0.99.
    const low = await trainNgramBag({ ...data, tasks, params: { ...params, targetPrecision: 0.5 } });
    const high = await trainNgramBag({ ...data, tasks, params: { ...params, targetPrecision: 0.99 } });
    expect(high.calibration.queue.threshold).toBeGreaterThan(low.calibration.queue.threshold);
    const own = await trainNgramBag({ ...data, tasks: [{ ...tasks[0], targetPrecision: 0.99 }, tasks[1]], params: { ...params, targetPrecision: 0.5 } });
    expect(own.calibration.queue).toEqual(high.calibration.queue);
    expect(own.calibration.topic).toEqual(low.calibration.topic);
  });

  it('refuses label indices outside a task', async () => {
    const bad = [{ text: 'x', meta: [], labels: { queue: 7, topic: null } }];
    await expect(trainNgramBag({ train: bad, valid: [], tasks })).rejects.toThrow(expect.objectContaining({ code: 'TRAINER_INPUT_INVALID' }));
  });

  it('refits on the training and validation rows, keeping the first run\'s epochs and calibration', async () => {
    // A case only the validation rows show: the refit learns it, the first run cannot.
    const unseen = (i: number): TrainExample => ({ text: `Sonderfall Xylophon Quittung ${i}`, meta: ['lang=de'], labels: { queue: 1, topic: null } });
    const valid = [...rows(12), ...Array.from({ length: 6 }, (_, i) => unseen(i))];
    const params = { ...small, idf: true, epochs: 6 };
    const plain = await trainNgramBag({ train: rows(60), valid, tasks, params });
    const refit = await trainNgramBag({ train: rows(60), valid, tasks, params: { ...params, refit: true } });
    expect(refit.refit).toEqual({ rows: 60 + valid.length });
    expect(plain.refit).toBeUndefined();
    expect(refit.calibration).toEqual(plain.calibration);
    expect(refit.bestEpochs).toEqual(plain.bestEpochs);
    expect(refit.history).toEqual(plain.history.map((e) => ({ ...e, seconds: expect.any(Number), samplesPerSecond: expect.any(Number) })));
    // The IDF table of the refit counts the validation rows too.
    expect(refit.idf).toHaveLength(small.buckets);
    expect(Array.from(refit.idf ?? [])).not.toEqual(Array.from(plain.idf ?? []));
    // The first run's validation logits (not probabilities): their softmax is the plain model's probabilities.
    const logits = refit.validLogitsBeforeRefit ?? [];
    valid.forEach((row, i) => {
      const probs = forwardProbs(plain.weights, featurizeHashedBag(row.text, row.meta, plain.featurizer.params, plain.idf));
      tasks.forEach((task, t) => {
        const z = logits[t][i];
        const max = Math.max(...z);
        const sum = z.reduce((a, v) => a + Math.exp(v - max), 0);
        z.forEach((v, c) => expect(Math.exp(v - max) / sum).toBeCloseTo(probs[task.name][c], 5));
      });
    });
    const probe = unseen(99);
    const queueProb = (model: typeof plain) => forwardProbs(model.weights, featurizeHashedBag(probe.text, probe.meta, model.featurizer.params, model.idf)).queue[1];
    expect(queueProb(refit)).toBeGreaterThan(0.5);
    expect(queueProb(refit)).toBeGreaterThan(queueProb(plain) + 0.2);
  });

  it('stores, per task, the temperature and threshold fitted to its own validation logits', async () => {
    // A third of the queue labels moved to the next queue: the model cannot be sure, so the temperature is not 1
    // and the threshold that reaches 90% precision abstains on some emails.
    const noisy = (n: number, seed: number): TrainExample[] => {
      const prng = createPrng(seed);
      return rows(n).map((r) => (prng.next() < 0.3 ? { ...r, labels: { ...r.labels, queue: ((r.labels.queue ?? 0) + 1) % 3 } } : r));
    };
    const valid = noisy(90, 2);
    const model = await trainNgramBag({ train: noisy(180, 1), valid, tasks, params: { ...small, epochs: 6 } });
    const logProbs = valid.map((r) => Float64Array.from(forwardProbs(model.weights, featurizeHashedBag(r.text, r.meta, model.featurizer.params, model.idf)).queue, Math.log));
    const gold = Int32Array.from(valid, (r) => r.labels.queue ?? -1);
    const temperature = fitTemperature(logProbs, gold);
    expect(Math.abs(temperature - 1)).toBeGreaterThan(0.05);
    expect(model.calibration.queue.temperature).toBeCloseTo(temperature, 4);
    const confidence = logProbs.map((z) => {
      const best = argmax(z);
      return 1 / z.reduce((sum, v) => sum + Math.exp((v - z[best]) / temperature), 0);
    });
    const choice = chooseThreshold(confidence, logProbs.map((z, i) => argmax(z) === gold[i]), 0.9);
    expect(choice.threshold).toBeGreaterThan(0.4);
    expect(model.calibration.queue.threshold).toBeCloseTo(choice.threshold, 4);
    expect(model.calibration.queue.validCoverage).toBeCloseTo(choice.coverage, 6);
  });

  it.each([
    ['a hidden layer', { hidden: 5 }],
    ['IDF, squared hinge and refit', { idf: true, loss: 'squared-hinge' as const, refit: true }],
  ])('exports an artifact whose ONNX probabilities match the trainer within 1e-5 (%s)', async (_, extra) => {
    const model = await trainNgramBag({ train: rows(60), valid: rows(12), tasks, params: { ...small, ...extra } });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-export-'));
    dirs.push(dir);
    const target = path.join(dir, 'artifact');
    const manifest = await exportNgramBag(model, target, { modelId: 'ngram-bag-test', dataHash: 'abc', createdAt: '2026-11-29T10:00:00Z', routing: { queueTask: 'queue' } });
    expect(ManifestSchema.parse(JSON.parse(await readFile(path.join(target, 'manifest.json'), 'utf8'))).tasks[0].labels).toEqual(tasks[0].labels);
    expect(manifest.tasks.map((t) => t.temperature)).toEqual([model.calibration.queue.temperature, model.calibration.topic.temperature]);
    const classifier = await Classifier.load(target);
    try {
      const inputs = rows(6).map((r) => ({ text: r.text, meta: r.meta }));
      const { probs } = await classifier.predictPrepared(inputs);
      const temperatures = { queue: model.calibration.queue.temperature, topic: model.calibration.topic.temperature };
      inputs.forEach((input, i) => {
        const expected = forwardProbs(model.weights, featurizeHashedBag(input.text, input.meta, model.featurizer.params, model.idf), temperatures);
        for (const task of tasks) {
          const k = task.labels.length;
          for (let c = 0; c < k; c++) expect(Math.abs(probs[task.name][i * k + c] - expected[task.name][c])).toBeLessThan(1e-5);
        }
      });
    } finally {
      await classifier.release();
    }
  });
});

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

describe('calibration', () => {
  it('recovers the temperature that generated the labels', async () => {
    const prng = createPrng(1);
    const trueT = 2.5;
    const logits: Float64Array[] = [];
    const gold: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const z = Float64Array.from({ length: 4 }, () => (prng.next() * 2 - 1) * 6);
      const p = Array.from(z, (v) => Math.exp(v / trueT));
      const sum = p.reduce((a, b) => a + b, 0);
      let u = prng.next() * sum;
      let y = 0;
      while (y < 3 && u > p[y]) u -= p[y++];
      logits.push(z);
      gold.push(y);
    }
    expect(Math.abs(fitTemperature(logits, Int32Array.from(gold)) - trueT)).toBeLessThan(0.25);
    expect(fitTemperature([], new Int32Array(0))).toBe(1);
  });

  it("aims each task's threshold at its own target precision: a higher target, a threshold at least as high on the same logits", () => {
    // Two classes, most confident first: the top 4 right, then one wrong in two.
    const margins = [5, 4, 3, 2.5, 2, 1.5, 1, 0.8, 0.5, 0.2];
    const gold = [0, 0, 0, 0, 1, 0, 1, 0, 1, 0];
    const valid = gold.map((y) => ({ ids: new Int32Array(0), weights: new Float32Array(0), labels: Int32Array.from([y, y, y]) }));
    const logits = margins.map((m) => Float64Array.of(m, 0));
    const specs = [
      { name: 'strict', labels: ['a', 'b'], targetPrecision: 0.99 },
      { name: 'run', labels: ['a', 'b'] },
      { name: 'loose', labels: ['a', 'b'], targetPrecision: 0.6 },
    ];
    const calibration = calibrate([logits, logits, logits], valid, specs, 0.8);
    const [strict, run, loose] = specs.map((t) => calibration[t.name]);
    // One temperature for the same logits; the cut moves with the target.
    expect(strict.temperature).toBe(run.temperature);
    expect(strict).toMatchObject({ thresholdReached: true, validPrecision: 1, validCoverage: 0.4 });
    expect(run).toMatchObject({ thresholdReached: true, validPrecision: 5 / 6, validCoverage: 0.6 });
    expect(loose).toMatchObject({ threshold: 0, thresholdReached: true, validPrecision: 0.7, validCoverage: 1 });
    expect(strict.threshold).toBeGreaterThan(run.threshold);
    expect(run.threshold).toBeGreaterThan(loose.threshold);
    // Right on 7 of the 10, whatever the confidence: the accuracy that tells a task learnt well from one not learnt.
    expect(loose.validAccuracy).toBe(0.7);
    // Every row right, by far: its temperature goes to the low end of the range, and its accuracy says why.
    const separated = calibrate([gold.map((y) => (y === 0 ? Float64Array.of(1, 0) : Float64Array.of(0, 1)))], valid, [specs[1]], 0.8);
    expect(separated.run).toMatchObject({ validAccuracy: 1 });
    expect(separated.run.temperature).toBeLessThanOrEqual(0.0505);
  });

  it('cuts below the last confidence that keeps the target precision, and falls back sensibly', async () => {
    const confidence = [0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1];
    const correct = [true, true, true, true, false, true, false, false, false, false];
    const choice = chooseThreshold(confidence, correct, 0.8);
    // Top 6: 5 of 6 correct = 0.833 >= 0.8; top 7: 5/7 < 0.8. The cut: midway between 0.5 and 0.4.
    expect(choice.reached).toBe(true);
    expect(choice.threshold).toBe(Math.fround(0.45));
    expect(choice.precision).toBeCloseTo(5 / 6, 9);
    expect(choice.coverage).toBeCloseTo(0.6, 9);
    const never = chooseThreshold(confidence, correct.map(() => false), 0.9);
    expect(never.reached).toBe(false);
    // All right: nothing to cut, so no abstention at all (not "abstain below 0.1").
    expect(chooseThreshold(confidence, correct.map(() => true), 0.9)).toMatchObject({ threshold: 0, coverage: 1, precision: 1 });
    expect(chooseThreshold([0.9999999999, 0.99999999995], [true, true], 0.9).threshold).toBe(0);
  });

  it('chooses on the confidences as served (float32, kept when p >= threshold): validation keeps what serving keeps', () => {
    const served = (confidence: number[], threshold: number) => confidence.map((p) => Math.fround(p) >= threshold);
    // Apart in float64, one float32 (0.99999988): a cut between them would keep the wrong one too once served.
    const confidence = [0.9999999, 0.99999986, 0.9999998];
    const correct = [true, false, false];
    const choice = chooseThreshold(confidence, correct, 0.9);
    expect(Math.fround(choice.threshold)).toBe(choice.threshold);
    const kept = served(confidence, choice.threshold);
    expect(kept).toEqual([true, true, false]);
    expect(choice).toMatchObject({ reached: false, precision: 0.5, coverage: 2 / 3 });
    // Random confidences near 1: every choice's precision and coverage are those of the served decisions.
    const prng = createPrng(5);
    for (let run = 0; run < 50; run++) {
      const c = Array.from({ length: 40 }, () => 1 - prng.next() * 1e-6);
      const right = c.map(() => prng.next() < 0.8);
      const pick = chooseThreshold(c, right, 0.85);
      const keep = served(c, pick.threshold);
      const n = keep.filter(Boolean).length;
      expect(Math.fround(pick.threshold)).toBe(pick.threshold);
      expect(pick.coverage).toBe(n / c.length);
      expect(pick.precision).toBe(keep.filter((k, i) => k && right[i]).length / n);
    }
  });
});
