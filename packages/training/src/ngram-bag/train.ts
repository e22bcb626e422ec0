import type { NgramBagPart, NgramBagWeights } from '@mailroute/model';
import { featurizeCounted, HashedNgramsParamsSchema, type CountedBag, type FeaturizerSpec } from '@mailroute/preprocess';
import { chooseThreshold, fitTemperature } from './calibrate.js';
import { classWeightsFor, documentFrequencies, encodeExample, idfTable, type TaskSpec, type TrainExample } from './encode.js';
import { LoopTurns } from '../loop-turns.js';
import { TrainerInputError, TrainingDivergedError } from './errors.js';
import { copyPartInto, foldIntoAverage, touchedRows } from './average.js';
import { meanLogits, mergeMembers } from './ensemble.js';
import { compactPart, compactRows, exportPart, remapExamples, type CompactRows, type InitRows } from './compact.js';
import { accumulateExample, applyUpdate, createPartState, hasLabelFor, updateEmbedding, type EncodedExample, type PartState } from './net.js';
import { NgramBagParamsSchema, type NgramBagParams } from './params.js';
import { shuffleInPlace } from '../random.js';
import { createPrng, fillUniform, fillUniformRange, uniformStream, type Prng } from './prng.js';
import { argmax, meanNll, taskLogits, taskMetrics, type TaskEpochMetrics } from './validate.js';

export interface EpochReport {
  epoch: number;
  /** Mean training loss per labelled example (summed over tasks). */
  loss: number;
  learningRate: number;
  /**
   * Mean validation cross-entropy over the tasks with a labelled validation row; null without one (no
   * validation split, or no task labelled in it).
   */
  valLoss: number | null;
  /** Per task with a labelled validation row (the others have no figures to give, as in `headlineFromProbs`). */
  perTask: Record<string, TaskEpochMetrics>;
  /** Mean macro-F1 on the validation split over the tasks with a labelled validation row; null without one. */
  meanF1: number | null;
  seconds: number;
  samplesPerSecond: number;
}

export interface TaskCalibration {
  temperature: number;
  threshold: number;
  /** Whether the threshold reaches the target precision on the validation split. */
  thresholdReached: boolean;
  validPrecision: number;
  validCoverage: number;
  /**
   * The share of the labelled validation rows the task gets right (its answer, whatever its confidence); 0 without
   * one. A task learnt almost perfectly fits a temperature at the low end of its range, as a failed one may.
   */
  validAccuracy: number;
}

export interface TrainedNgramBag {
  family: 'ngram-bag';
  params: NgramBagParams;
  featurizer: FeaturizerSpec;
  tasks: TaskSpec[];
  weights: NgramBagWeights;
  /** With `idf`: the featurizer's IDF table (one value per bucket), which the artifact carries. */
  idf?: Float32Array;
  calibration: Record<string, TaskCalibration>;
  history: EpochReport[];
  /** The epoch whose weights were kept (single-task mode: the latest among the tasks' best epochs). */
  bestEpoch: number;
  /** Per task, the epoch whose weights were kept (the last averaged one when the average won). */
  bestEpochs: Record<string, number>;
  /** Per task, how many final epochs were averaged into the kept weights (0: a single epoch's weights). */
  averagedEpochs: Record<string, number>;
  /**
   * The mean validation macro-F1 of the weights kept (the average's when it was kept, not its last epoch's;
   * an ensemble's mean logits; before a refit), over the tasks with a labelled validation row; null without one.
   */
  keptValidF1: number | null;
  counts: { train: number; valid: number };
  /** With `refit`: the rows of the second run (training + validation), whose weights were kept. */
  refit?: { rows: number };
  /**
   * With `refit`: the first run's logits on the validation rows (an ensemble's mean logits), per task, per row, in
   * the order of its labels, uncalibrated (their argmax is the model's answer): measured before the refit trained on
   * those rows, the only figures of them that do not flatter it.
   */
  validLogitsBeforeRefit?: Float64Array[][];
}

export interface TrainNgramBagInput {
  train: readonly TrainExample[];
  valid: readonly TrainExample[];
  tasks: readonly TaskSpec[];
  params?: Partial<NgramBagParams>;
  onEpoch?: (report: EpochReport) => void;
  onProgress?: (done: number, total: number, label?: string) => void;
  /**
   * Stops training: every `turnMs` within an epoch and after each epoch the event loop gets a turn (so a Ctrl-C
   * handler can abort) and an aborted signal ends the run, rejecting with its reason.
   */
  signal?: AbortSignal;
  /**
   * Milliseconds of an epoch's training between turns of the event loop (default 50): an epoch of 150,000 emails takes
   * 10-15 s, and a Ctrl-C was heard only when it ended. The turns change no arithmetic.
   */
  turnMs?: number;
}

const DEFAULT_TURN_MS = 50;

/**
 * A new part's dense layers, and its embedding as a function of the bucket: the table a full
 * `fillUniform` would give, row by row, so that only the rows training uses are ever made.
 */
function initPart(params: NgramBagParams, tasks: readonly TaskSpec[], prng: Prng): { part: Omit<NgramBagPart, 'embedding'>; initRows: InitRows } {
  const { dim, buckets, hidden } = params;
  const stream = uniformStream(prng, 1 / dim);
  const initRows: InitRows = (target, at, bucket, count) => fillUniformRange(target, at, stream, bucket * dim, count * dim);
  const part: Omit<NgramBagPart, 'embedding'> = { buckets, dim, heads: [] };
  let featureSize = dim;
  if (hidden > 0) {
    const weight = new Float32Array(dim * hidden);
    fillUniform(weight, Math.sqrt(6 / dim), prng);
    part.hidden = { weight, bias: new Float32Array(hidden), inSize: dim, outSize: hidden };
    featureSize = hidden;
  }
  for (const task of tasks) {
    const weight = new Float32Array(featureSize * task.labels.length);
    fillUniform(weight, Math.sqrt(1 / featureSize) * 0.1, prng);
    part.heads.push({ task: task.name, weight, bias: new Float32Array(task.labels.length), inSize: featureSize, outSize: task.labels.length });
  }
  return { part, initRows };
}

/** A copy of the example without a random share of its ids; the kept ones weigh 1/(1 - rate) more. */
function dropIds(example: EncodedExample, rate: number, prng: Prng): EncodedExample {
  const keep: number[] = [];
  for (let k = 0; k < example.ids.length; k++) if (prng.next() >= rate) keep.push(k);
  const scale = 1 / (1 - rate);
  return {
    ids: Int32Array.from(keep, (k) => example.ids[k]),
    weights: Float32Array.from(keep, (k) => example.weights[k] * scale),
    labels: example.labels,
  };
}

function clonePart(part: NgramBagPart): NgramBagPart {
  const dense = <T extends { weight: Float32Array; bias: Float32Array }>(layer: T): T => ({
    ...layer,
    weight: layer.weight.slice(),
    bias: layer.bias.slice(),
  });
  return {
    buckets: part.buckets,
    dim: part.dim,
    embedding: part.embedding.slice(),
    hidden: part.hidden ? dense(part.hidden) : undefined,
    heads: part.heads.map(dense),
  };
}

interface PartTrack {
  state: PartState;
  /** Examples with a label for this part. */
  order: Int32Array;
  /** The embedding rows its examples touch (the only ones training moves). */
  rows: Int32Array;
  best: NgramBagPart;
  bestScore: number;
  bestEpoch: number;
  /** The last epoch this part trained (it may stop before the others). */
  lastEpoch: number;
  /** Epochs after which this part stops (the refit's plan); Infinity: early stopping decides. */
  stopAfter: number;
  /** Whether this part averages its last epochs. */
  averaging: boolean;
  /**
   * The part's tasks with a labelled validation row, whose mean F1 early stopping and averaging compare. None: the
   * part trains as without a validation split (no early stopping; its last or averaged weights kept).
   */
  scored: number[];
  stale: number;
  done: boolean;
  /** Snapshots of the last `averageLast` epochs this part trained, oldest first (their buffers reused as it goes on). */
  recent: NgramBagPart[];
  /** The mean of `recent`, once training ends. */
  average?: NgramBagPart;
  averaged: number;
  usedAverage: boolean;
}

/**
 * Trains an `ngram-bag` model: embedding bag (optionally IDF-weighted) -> optional hidden ReLU layer ->
 * one head per task, class-weighted cross-entropy or squared hinge masked per task, Adagrad (mini-batches
 * for the dense layers, lazy row-wise updates of the touched embedding rows per example) with a linearly
 * decaying rate, early stopping on the validation mean macro-F1, then per-task temperature and threshold
 * on the validation split; with `refit`, a second run on training + validation rows for the kept epochs;
 * with `ensemble` N, N such members (their own seeds) merged into one model of their mean logits.
 * Deterministic for a seed. Pure: no I/O; it yields to the event loop between epochs.
 */
export async function trainNgramBag(input: TrainNgramBagInput): Promise<TrainedNgramBag> {
  const params = NgramBagParamsSchema.parse(input.params ?? {});
  const tasks = [...input.tasks];
  if (tasks.length === 0) throw new TrainerInputError('at least one task is needed');
  // Said here, before any work: a head of no outputs would train, and fail only at export with a manifest error.
  for (const task of tasks) if (task.labels.length === 0) throw new TrainerInputError(`task ${task.name} has no labels`);
  for (const task of tasks) checkTaskTarget(task);
  const featurizer: FeaturizerSpec = {
    kind: 'hashed-ngrams',
    params: HashedNgramsParamsSchema.parse({
      buckets: params.buckets,
      wordNgrams: params.wordNgrams,
      charNgrams: params.charNgrams,
      maxChars: params.maxChars,
      pooling: params.pooling,
      idf: params.idf,
    }),
  };
  // Each text is hashed once; with IDF, each run weighs the counted bags with the table of its own training rows.
  // Hashing the n-grams of 100,000 emails takes seconds: reported, as a stage of its own.
  const rows = input.train.length + input.valid.length;
  // The event loop gets a turn every few tens of milliseconds of it (a Ctrl-C is heard), and the signal is checked.
  const featurizing = new LoopTurns(rows, { signal: input.signal, onProgress: input.onProgress, label: 'featurize', always: true });
  const trainBags = await countStoppably(input.train, featurizer.params, featurizing, 0);
  const validBags = await countStoppably(input.valid, featurizer.params, featurizing, input.train.length);
  const dfTrain = params.idf ? documentFrequencies(trainBags, params.buckets) : undefined;
  const refitting = params.refit && input.valid.length > 0;
  // Weighing the bags and packing the table the rows use, before the first epoch: on 600,000 rows, a minute, so
  // reported (`prepare`) once it takes a while, with turns for the event loop as above.
  const preparing = new LoopTurns(rows * (refitting && dfTrain ? 2 : 1) + 2 * rows, { signal: input.signal, onProgress: input.onProgress, label: 'prepare' });
  const encodeRun = async (train: readonly TrainExample[], valid: readonly TrainExample[], bags: { train: CountedBag[]; valid: CountedBag[] }, df: Float64Array | undefined) => {
    const idf = df ? idfTable(df, train.length) : undefined;
    return { train: await encodeStoppably(train, bags.train, tasks, featurizer.params, idf, preparing), valid: await encodeStoppably(valid, bags.valid, tasks, featurizer.params, idf, preparing), idf };
  };
  const firstRun = await encodeRun(input.train, input.valid, { train: trainBags, valid: validBags }, dfTrain);
  // With IDF the refit's table counts the validation rows too; without, the encoded rows are reused.
  const all = !refitting
    ? undefined
    : dfTrain
      ? await encodeRun([...input.train, ...input.valid], [], { train: [...trainBags, ...validBags], valid: [] }, addCounts(dfTrain, documentFrequencies(validBags, params.buckets)))
      : { train: [...firstRun.train, ...firstRun.valid], valid: [], idf: undefined };
  const members: { first: Fitted; weights: NgramBagWeights; refit?: Fitted }[] = [];
  for (let m = 0; m < params.ensemble; m++) {
    // Member 0 is the single model of the same seed; the others differ only in their seed.
    const data = { tasks, params: m === 0 ? params : { ...params, seed: params.seed + 1000 * m }, featurizer };
    // The refit reads the same texts: it reuses the compact table, the renumbered ids and the initial rows.
    const cache: FitCache | undefined = all ? { mapped: new WeakMap(), initial: [] } : undefined;
    const first = await fit({ ...data, ...firstRun }, m === 0 ? input : { onProgress: input.onProgress, signal: input.signal, turnMs: input.turnMs }, undefined, cache, m === 0 ? preparing : undefined);
    if (!all) {
      members.push({ first, weights: first.weights() });
      continue;
    }
    const onProgress = (done: number, total: number) => input.onProgress?.(done, total, `refit ${done}/${total}`);
    const refit = await fit({ ...data, ...all }, { onProgress, signal: input.signal, turnMs: input.turnMs }, first.plan, cache);
    members.push({ first, weights: refit.weights(), refit });
  }
  const { first, refit } = members[0];
  const weights = mergeMembers(members.map((member) => member.weights));
  // An ensemble's temperatures and thresholds come from its mean logits on the validation split.
  const ensembleLogits = members.length === 1 ? undefined : meanLogits(members.map((member) => member.first.validLogits));
  const calibration = ensembleLogits ? calibrate(ensembleLogits, firstRun.valid, tasks, params.targetPrecision) : first.model.calibration;
  const keptValidF1 = ensembleLogits ? meanValidF1(ensembleLogits, firstRun.valid, tasks) : first.model.keptValidF1;
  const model = { ...first.model, params, weights, calibration, keptValidF1 };
  if (!refit) return model;
  const { idf } = refit.model;
  return { ...model, ...(idf ? { idf } : {}), refit: { rows: refit.model.counts.train }, validLogitsBeforeRefit: ensembleLogits ?? first.validLogits };
}

/** `countExamples`, with a turn for the event loop when `turns` says so (units `before + i + 1`). */
async function countStoppably(examples: readonly TrainExample[], featurizer: FeaturizerSpec['params'], turns: LoopTurns, before: number): Promise<CountedBag[]> {
  const bags: CountedBag[] = new Array(examples.length);
  for (let i = 0; i < examples.length; i++) {
    bags[i] = featurizeCounted(examples[i].text, examples[i].meta, featurizer);
    if (turns.due(before + i + 1)) await turns.turn();
  }
  return bags;
}

/** `encodeExamples`, with a turn for the event loop when `turns` says so (it counts on from its last unit). */
async function encodeStoppably(examples: readonly TrainExample[], bags: readonly CountedBag[], tasks: readonly TaskSpec[], featurizer: FeaturizerSpec['params'], idf: Float32Array | undefined, turns: LoopTurns): Promise<EncodedExample[]> {
  const out: EncodedExample[] = new Array(examples.length);
  for (let i = 0; i < examples.length; i++) {
    out[i] = encodeExample(examples[i], bags[i], tasks, featurizer, idf);
    if (turns.due()) await turns.turn();
  }
  return out;
}

function addCounts(a: Float64Array, b: Float64Array): Float64Array {
  const sum = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) sum[i] = a[i] + b[i];
  return sum;
}

interface FitData {
  train: readonly EncodedExample[];
  valid: readonly EncodedExample[];
  /** The IDF table the examples were featurized with, if any. */
  idf?: Float32Array;
  tasks: TaskSpec[];
  params: NgramBagParams;
  featurizer: FeaturizerSpec;
}

/**
 * What a refit takes over from its first run. Its rows are the first run's training and validation rows, so
 * the compact table covers them (row order changes no arithmetic, only which rows share cache lines), their
 * renumbered ids are the same, and the same seed gives the same initial embedding rows.
 */
interface FitCache {
  compact?: CompactRows;
  mapped: WeakMap<Int32Array, Int32Array>;
  /** Per part, a copy of its initial compact embedding. */
  initial: Float32Array[];
}

interface PartPlan {
  epochs: number;
  average: boolean;
}

/**
 * One training run. Without `plan`: early stopping and weight averaging as validated; with it (the
 * refit): each part trains exactly its planned epochs, averaged or not as planned. Returns the model and
 * the plan that reproduces its kept weights.
 */
interface Fitted {
  model: Omit<TrainedNgramBag, 'weights'>;
  weights: () => NgramBagWeights;
  plan: PartPlan[];
  validLogits: Float64Array[][];
}

async function fit(data: FitData, input: Pick<TrainNgramBagInput, 'onEpoch' | 'onProgress' | 'signal' | 'turnMs'>, plan?: PartPlan[], cache?: FitCache, preparing?: LoopTurns): Promise<Fitted> {
  const { tasks, params, featurizer, idf } = data;
  // The steps before the first epoch, each a turn for the event loop after it (a Ctrl-C is heard, the signal checked).
  const turns = preparing ?? new LoopTurns(2 * (data.train.length + data.valid.length), { signal: input.signal, onProgress: input.onProgress, label: 'prepare' });
  const stepDone = async (units: number) => {
    turns.advance(units);
    await turns.turn();
  };
  const compact = cache?.compact ?? compactRows(params.buckets, data.train, data.valid);
  if (cache) cache.compact = compact;
  await stepDone(data.train.length + data.valid.length);
  const train = remapExamples(data.train, compact, cache?.mapped);
  const valid = remapExamples(data.valid, compact, cache?.mapped);
  await stepDone(data.train.length + data.valid.length);
  const prng = createPrng(params.seed);
  const groups = params.mode === 'multi-task' ? [tasks.map((_, t) => t)] : tasks.map((_, t) => [t]);
  const labelled = labelledTasks(valid, tasks.length);
  const tracks: PartTrack[] = groups.map((group, p) => {
    const init = initPart(params, group.map((t) => tasks[t]), prng);
    const initial = cache?.initial[p];
    const part = initial ? { ...init.part, buckets: compact.rows.length, embedding: initial.slice() } : compactPart(init.part, compact, init.initRows);
    if (cache && !initial) cache.initial[p] = part.embedding.slice();
    const weights = group.map((t) => classWeightsFor(tasks[t], t, train, params.classWeighting));
    const state = createPartState(part, group, weights, params.loss);
    const order = Int32Array.from(train.flatMap((example, i) => (hasLabelFor(state, example) ? [i] : [])));
    const rows = touchedRows(part.buckets, Array.from(order, (i) => train[i]));
    const stopAfter = plan ? plan[p].epochs : Infinity;
    const averaging = plan ? plan[p].average : params.averageLast > 0;
    const scored = group.filter((t) => labelled[t]);
    return { state, order, rows, best: part, bestScore: -Infinity, bestEpoch: 0, lastEpoch: 0, stopAfter, averaging, scored, stale: 0, done: false, recent: [], averaged: 0, usedAverage: false };
  });
  await turns.turn();

  const history: EpochReport[] = [];
  // The epochs this run goes through, for its progress: a refit runs those the first run kept, not the configured number.
  const planned = plan ? Math.min(params.epochs, Math.max(...tracks.map((track) => track.stopAfter))) : params.epochs;
  const totalSteps = params.epochs * tracks.reduce((sum, track) => sum + Math.ceil(track.order.length / params.batchSize), 0);
  let step = 0;
  // The epochs' bar from the first one on, not the bar of the preparation left on the screen through it.
  input.onProgress?.(0, planned, `epoch 1/${planned}`);
  const turnMs = input.turnMs ?? DEFAULT_TURN_MS;
  let turnAt = performance.now() + turnMs;
  for (let epoch = 1; epoch <= params.epochs && tracks.some((track) => !track.done); epoch++) {
    const started = performance.now();
    let lossSum = 0;
    // Examples trained this epoch, each once however many parts (single-task: one per task) it trained: the loss
    // is per example summed over its tasks, and the rate counts examples, in either mode.
    const trained = new Uint8Array(train.length);
    let seen = 0;
    let lr = params.learningRate;
    for (const track of tracks) {
      shuffleInPlace(track.order, prng.next);
      if (track.done) continue;
      for (let start = 0; start < track.order.length; start += params.batchSize) {
        const end = Math.min(track.order.length, start + params.batchSize);
        lr = params.learningRate * (1 - 0.9 * (step / Math.max(1, totalSteps)));
        for (let k = start; k < end; k++) {
          const example = params.dropout > 0 ? dropIds(train[track.order[k]], params.dropout, prng) : train[track.order[k]];
          lossSum += accumulateExample(track.state, example);
          updateEmbedding(track.state, example, lr, params.l2);
        }
        applyUpdate(track.state, lr, params.l2, end - start);
        for (let k = start; k < end; k++) {
          if (trained[track.order[k]] === 0) seen++;
          trained[track.order[k]] = 1;
        }
        step++;
        if (performance.now() >= turnAt) {
          // A turn within the epoch: a Ctrl-C is heard (and said) at once, not when the epoch ends.
          await new Promise((resolve) => setImmediate(resolve));
          input.signal?.throwIfAborted();
          turnAt = performance.now() + turnMs;
        }
      }
    }
    for (const track of tracks) {
      if (track.done) continue;
      track.lastEpoch = epoch;
      // The last epochs the part trained, wherever early stopping ends it (not the last of the configured epochs).
      if (track.averaging) keepRecent(track, params.averageLast);
      if (epoch >= track.stopAfter) track.done = true;
    }
    const report = validateEpoch(tracks, valid, tasks, labelled, epoch, params.patience);
    const seconds = (performance.now() - started) / 1000;
    const full: EpochReport = { epoch, loss: seen ? lossSum / seen : 0, learningRate: lr, ...report, seconds, samplesPerSecond: seconds > 0 ? seen / seconds : 0 };
    checkConverging(full.loss, epoch, params);
    checkValidationLoss(full.valLoss, uniformLoss(tasks, labelled), epoch, params);
    history.push(full);
    input.onEpoch?.(full);
    input.onProgress?.(epoch, planned, `epoch ${epoch}/${planned}`);
    // A turn for the event loop (a signal handler), which changes no arithmetic: the weights stay those of the seed.
    await new Promise((resolve) => setImmediate(resolve));
    input.signal?.throwIfAborted();
  }
  input.onProgress?.(...finalProgress(history.length, planned));
  for (const track of tracks) averageRecent(track);

  for (const track of tracks) {
    if (track.scored.length > 0) preferAverage(track, valid, tasks);
    else keepLast(track);
  }
  const kept = tracks.map((track) => track.best);
  const finalStates = tracks.map((track, p) => createPartState(kept[p], track.state.taskIndex, track.state.classWeights));
  const validLogits = taskLogits(finalStates, valid, tasks.length);
  const calibration = calibrate(validLogits, valid, tasks, params.targetPrecision);
  const keptValidF1 = meanValidF1(validLogits, valid, tasks);
  // The model's tables are made only for the weights that are kept (not for a first run before its refit).
  const weights = (): NgramBagWeights => ({ parts: tracks.map((track, p) => exportPart(kept[p], compact)) });
  const bestEpochs: Record<string, number> = {};
  const averagedEpochs: Record<string, number> = {};
  tracks.forEach((track, p) => {
    for (const t of groups[p]) averagedEpochs[tasks[t].name] = track.usedAverage ? track.averaged : 0;
    for (const t of groups[p]) bestEpochs[tasks[t].name] = track.bestEpoch;
  });
  const model: Omit<TrainedNgramBag, 'weights'> = {
    family: 'ngram-bag',
    params,
    featurizer,
    tasks,
    ...(idf ? { idf } : {}),
    calibration,
    history,
    bestEpoch: Math.max(...Object.values(bestEpochs)),
    bestEpochs,
    averagedEpochs,
    keptValidF1,
    counts: { train: train.length, valid: valid.length },
  };
  const keptPlan = tracks.map((track) => (track.usedAverage ? { epochs: track.lastEpoch, average: true } : { epochs: track.bestEpoch, average: false }));
  return { model, weights, plan: keptPlan, validLogits };
}

/**
 * A loss a model that learns never has: the loss of an example starts near ln(labels) per task (softmax) or half
 * the labels (squared hinge), and class weights scale it by tens at most. Past this the weights have blown up.
 */
const DIVERGED_LOSS = 1e6;
const DEFAULT_RATE = NgramBagParamsSchema.shape.learningRate.parse(undefined);

/** Stops a run whose epoch loss is no number or out of all proportion, naming the parameters that make weights blow up. */
function checkConverging(loss: number, epoch: number, params: NgramBagParams): void {
  if (Number.isFinite(loss) && loss < DIVERGED_LOSS) return;
  throw diverged(`the training loss is ${lossText(loss)}, where a model that learns has a few units`, epoch, params);
}

/**
 * How many times the loss of a model that knows nothing (uniform probabilities: ln K per task) a validation loss may
 * be. A model that learns starts there and goes below it; one that overfits may rise to some times it (a wrong answer
 * given with a logit margin m costs about m). A thousand times it (about 1,100 with 3 labels, 700 with 2) takes mean
 * margins of thousands on the wrong answers: logits so large that the calibration's temperature (20 at most) cannot
 * bring them back to probabilities, so its confidences and abstention thresholds mean nothing. Its answers (the
 * argmax) may still be right, as the training loss may stay finite: the weights blew up all the same.
 */
const DIVERGED_VALID_FACTOR = 1000;

/** The validation loss of uniform probabilities: the mean, over the tasks with a labelled validation row, of ln K. */
function uniformLoss(tasks: readonly TaskSpec[], labelled: readonly boolean[]): number {
  const logs = tasks.flatMap((task, t) => (labelled[t] ? [Math.log(Math.max(2, task.labels.length))] : []));
  return logs.length === 0 ? 0 : logs.reduce((a, b) => a + b, 0) / logs.length;
}

/**
 * Stops a run whose validation loss is no number or over DIVERGED_VALID_FACTOR times the uniform one (`uniform`), as
 * a learning rate far too large leaves it while the training loss stays finite (Adagrad's steps keep the training
 * rows fitted). Nothing to check without a validation loss (no labelled validation row).
 */
function checkValidationLoss(loss: number | null, uniform: number, epoch: number, params: NgramBagParams): void {
  if (loss === null || (Number.isFinite(loss) && loss <= DIVERGED_VALID_FACTOR * uniform)) return;
  const times = `${DIVERGED_VALID_FACTOR} times the ${uniform.toFixed(2)} of uniform guesses (ln of each task's label count)`;
  throw diverged(`the validation loss is ${lossText(loss)}, over ${times}: the weights blew up, and no confidence or abstention threshold of them would mean anything`, epoch, params);
}

const lossText = (loss: number): string => (Number.isNaN(loss) ? 'NaN' : loss.toExponential(2));

/** TRAINING_DIVERGED, saying what diverged (`what`) and the parameter to lower. */
function diverged(what: string, epoch: number, params: NgramBagParams): TrainingDivergedError {
  // The parameter moved from its default first: an L2 penalty is off by default, so one given is the likelier cause.
  const rate = `model.learningRate (${params.learningRate}; default ${DEFAULT_RATE})`;
  const l2 = `model.l2 (${params.l2}; default 0)`;
  const lower = params.l2 > 0 ? (params.learningRate === DEFAULT_RATE ? l2 : `${l2} or ${rate}`) : rate;
  return new TrainingDivergedError(`training diverged at epoch ${epoch}: ${what}; lower ${lower}`);
}

/**
 * The last progress report: the epochs run, complete. After early stopping it is not `10/10 done` but
 * `5/5 done (stopped early after 5 of 10 epochs)`, so the log says how long training really ran.
 */
function finalProgress(ran: number, epochs: number): [done: number, total: number, label: string] {
  return ran < epochs ? [ran, ran, `done (stopped early after ${ran} of ${epochs} epochs)`] : [epochs, epochs, 'done'];
}

/** Per task, whether a validation row carries its label: a task without one has no validation figures. */
function labelledTasks(valid: readonly EncodedExample[], taskCount: number): boolean[] {
  return Array.from({ length: taskCount }, (_, t) => valid.some((example) => example.labels[t] >= 0));
}

/**
 * Mean validation macro-F1 of these logits over the tasks with a labelled validation row (the score early stopping
 * and averaging compare; `headlineFromProbs` skips such a task too); null without one.
 */
function meanValidF1(logits: readonly (readonly Float64Array[])[], valid: readonly EncodedExample[], tasks: readonly TaskSpec[]): number | null {
  const labelled = labelledTasks(valid, tasks.length);
  const f1s = tasks.flatMap((task, t) => (labelled[t] ? [taskMetrics(logits[t], valid, t, task).f1] : []));
  return f1s.length === 0 ? null : f1s.reduce((a, b) => a + b, 0) / f1s.length;
}

/** Adds a snapshot of the part's weights to its last `size` epochs, reusing the oldest one's buffers once there are `size`. */
function keepRecent(track: PartTrack, size: number): void {
  if (size <= 0) return;
  if (track.recent.length < size) {
    track.recent.push(foldIntoAverage(undefined, track.state.part, 0));
    return;
  }
  const oldest = track.recent.shift() as NgramBagPart;
  track.recent.push(copyPartInto(oldest, track.state.part, track.rows));
}

/** The mean of the part's last epochs, folded into the oldest snapshot (no further copy); the others are let go. */
function averageRecent(track: PartTrack): void {
  const [first, ...rest] = track.recent;
  if (first === undefined) return;
  rest.forEach((snapshot, i) => foldIntoAverage(first, snapshot, i + 1, track.rows));
  track.average = first;
  track.averaged = track.recent.length;
  track.recent = [];
}

/** A part with nothing to validate on keeps the weights it ended with: the average of its last epochs, or the last. */
function keepLast(track: PartTrack): void {
  track.best = track.average ?? track.state.part;
  track.bestEpoch = track.lastEpoch;
  track.usedAverage = track.average !== undefined;
}

/** Keeps the averaged weights when they score at least as well as the best epoch on validation. */
function preferAverage(track: PartTrack, valid: EncodedExample[], tasks: TaskSpec[]): void {
  if (!track.average || track.averaged < 2) return;
  const state = createPartState(track.average, track.state.taskIndex, track.state.classWeights);
  const logits = taskLogits([state], valid, tasks.length);
  const score = track.scored.reduce((sum, t) => sum + taskMetrics(logits[t], valid, t, tasks[t]).f1, 0) / track.scored.length;
  if (score >= track.bestScore) {
    track.best = track.average;
    track.bestScore = score;
    track.bestEpoch = track.lastEpoch;
    track.usedAverage = true;
  }
}

function validateEpoch(
  tracks: PartTrack[],
  valid: EncodedExample[],
  tasks: TaskSpec[],
  labelled: readonly boolean[],
  epoch: number,
  patience: number,
): Pick<EpochReport, 'valLoss' | 'perTask' | 'meanF1'> {
  // Only the tasks with a labelled validation row are measured: another would count as F1 0 and NLL 0.
  const scored = tasks.flatMap((_, t) => (labelled[t] ? [t] : []));
  if (scored.length === 0) return { valLoss: null, perTask: {}, meanF1: null };
  const logits = taskLogits(tracks.map((track) => track.state), valid, tasks.length);
  const perTask: Record<string, TaskEpochMetrics> = {};
  let lossSum = 0;
  for (const t of scored) {
    perTask[tasks[t].name] = taskMetrics(logits[t], valid, t, tasks[t]);
    lossSum += meanNll(logits[t], valid, t);
  }
  for (const track of tracks) {
    // A part with no task to validate is never stopped early (it keeps its last or averaged weights).
    if (track.done || track.scored.length === 0) continue;
    const score = track.scored.reduce((sum, t) => sum + perTask[tasks[t].name].f1, 0) / track.scored.length;
    if (score > track.bestScore + 1e-9) {
      track.bestScore = score;
      track.bestEpoch = epoch;
      track.best = track.best === track.state.part ? clonePart(track.state.part) : copyPartInto(track.best, track.state.part, track.rows);
      track.stale = 0;
    } else if (++track.stale >= patience) {
      track.done = true;
    }
  }
  const f1s = scored.map((t) => perTask[tasks[t].name].f1);
  return { valLoss: lossSum / scored.length, perTask, meanF1: f1s.reduce((a, b) => a + b, 0) / f1s.length };
}

/** A task's own target precision is a share above 0, at most 1, as the params' is: said before any work. */
function checkTaskTarget(task: TaskSpec): void {
  const target = task.targetPrecision;
  if (target === undefined || (target > 0 && target <= 1)) return;
  throw new TrainerInputError(`task ${task.name}: targetPrecision ${target} is not a precision above 0 and at most 1 (leave it out for the params' targetPrecision)`);
}

/**
 * Per task, the temperature and abstention threshold fitted to the validation logits; the threshold aims for the
 * task's own target precision, else `target` (the params').
 */
export function calibrate(logits: Float64Array[][], valid: readonly EncodedExample[], tasks: readonly TaskSpec[], target: number): Record<string, TaskCalibration> {
  const result: Record<string, TaskCalibration> = {};
  tasks.forEach((task, t) => {
    const gold = Int32Array.from(valid, (example) => example.labels[t]);
    const labelled = valid.flatMap((_, i) => (gold[i] >= 0 ? [i] : []));
    const temperature = fitTemperature(labelled.map((i) => logits[t][i]), Int32Array.from(labelled, (i) => gold[i]));
    const confidence = new Float64Array(labelled.length);
    const correct = labelled.map((i, k) => {
      const z = logits[t][i];
      const best = argmax(z);
      let sum = 0;
      for (let c = 0; c < z.length; c++) sum += Math.exp((z[c] - z[best]) / temperature);
      confidence[k] = 1 / sum;
      return best === gold[i];
    });
    const choice = chooseThreshold(confidence, correct, task.targetPrecision ?? target);
    result[task.name] = {
      temperature,
      threshold: choice.threshold,
      thresholdReached: choice.reached,
      validPrecision: choice.precision,
      validCoverage: choice.coverage,
      validAccuracy: labelled.length === 0 ? 0 : correct.filter(Boolean).length / labelled.length,
    };
  });
  return result;
}
