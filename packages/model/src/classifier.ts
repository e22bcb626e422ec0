import type { Email } from '@mailroute/preprocess';
import { checkArtifactFiles, readManifest, type ReadWholeFile } from './artifact.js';
import { featurizeAll, MAX_CHUNK_CELLS, newBagArrays, padChunks, type PreparedText } from './bag-batch.js';
import type { BagArrays, RowTable } from '@mailroute/preprocess';
import { servedRouting, type EmailClassifier, type ServedRouting } from './contracts.js';
import { checkedEmail } from './email-input.js';
import { ArtifactError, ClassifierOptionsError, ClassifierReleasedError, OnnxRuntimeUnavailableError, PredictInputError } from './errors.js';
import { decodeIdfTable, IDF_FILE } from './idf-file.js';
import { MANIFEST_FILE, type Manifest } from './manifest.js';
import { classifierTasks, type ClassifierTask } from './task-labels.js';
import { inputFingerprintNote } from './input-fingerprint.js';
import { prepareModelInput } from './model-input.js';
import { asRead, fieldsRead } from './fields-read.js';
import { graphShapes } from './onnx/graph-shapes.js';
import { liftRowLookup, type LiftedRowLookup } from './onnx/row-lookup.js';
import { createOnnxSession, type OnnxSession } from './onnx/runtime.js';
import type { EmailPrediction, ScoredLabel, TaskPrediction } from './prediction.js';
import { routeFromPredictions, withAutomatedRoute } from './routing.js';

/** What the classifier may tell its host; every method is optional. */
export interface ModelLogger {
  info?(message: string, fields?: Record<string, unknown>): void;
  warn?(message: string, fields?: Record<string, unknown>): void;
}

export interface ClassifierOptions {
  logger?: ModelLogger;
  /** onnxruntime intra-op threads: a whole number from 1 to 1024 (default 1). */
  intraOpThreads?: number;
  /** Labels in each task's `top` list: a whole number from 1 (default 3; more than a task has gives all of them). */
  topK?: number;
  /** Reads model.onnx (and idf.f32) whole, once: hashed, checked and loaded from those bytes (default node's `readFile`; tests count the reads). */
  readFile?: ReadWholeFile;
}

const MAX_INTRA_OP_THREADS = 1024;
/** Ids the classifier keeps its featurizing arrays for between calls (8 MiB): batches of 100 long emails need about 2^16. */
const MAX_KEPT_CELLS = 1 << 20;

/** Refuses options out of range before anything is read, naming the option (not the artifact). */
function checkOptions(options: ClassifierOptions): void {
  const whole = (name: string, value: unknown, max: number) => {
    if (value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max)) {
      throw new ClassifierOptionsError(`${name} must be a whole number from 1${max === Infinity ? ' up' : ` to ${max}`}, got ${typeof value === 'number' ? value : JSON.stringify(value) ?? typeof value}`);
    }
  };
  whole('intraOpThreads', options.intraOpThreads, MAX_INTRA_OP_THREADS);
  whole('topK', options.topK, Infinity);
}

/** The ONNX outputs the manifest names, each with the labels a row of it holds: each task's, and the combined output's (all tasks'). */
function manifestWidths(manifest: Manifest): Array<{ output: string; labels: number; of: string }> {
  const widths = manifest.tasks.map((task) => ({ output: manifest.onnx.outputs[task.name], labels: task.labels.length, of: `task ${task.name}` }));
  if (manifest.onnx.combined) widths.push({ output: manifest.onnx.combined, labels: widths.reduce((sum, w) => sum + w.labels, 0), of: 'all tasks' });
  return widths;
}

/**
 * Refuses an ONNX graph whose id tables (what the ids input indexes) have other than the featurizer's bucket
 * count of rows: too few and every run fails in onnxruntime, too many and most rows are never reached, wrong
 * answers without an error. Refuses as well an output whose width is not the manifest's label count of its
 * task (or, for the combined output, of every task): every run fails, or with the combined output one task's
 * probabilities are read as another's labels. The manifest's hashes cannot catch either: they do not cover
 * manifest.json, and a buggy exporter writes valid ones.
 */
function checkGraphShapes(manifest: Manifest, onnxBytes: Uint8Array, dir: string): void {
  const { buckets } = manifest.featurizer.params;
  const { tables, outputWidths } = graphShapes(onnxBytes, manifest.onnx.inputs.ids);
  const wrong = tables.find((table) => table.rows !== buckets);
  if (wrong) throw new ArtifactError('ARTIFACT_ONNX_MISMATCH', `${manifest.onnx.file} in ${dir}: table ${wrong.name} has ${wrong.rows} rows, the featurizer's buckets are ${buckets}`);
  if (tables.length === 0 && manifest.family === 'ngram-bag') {
    throw new ArtifactError('ARTIFACT_ONNX_MISMATCH', `${manifest.onnx.file} in ${dir}: no table is gathered by the ids input ${manifest.onnx.inputs.ids}, so its rows cannot be checked against the featurizer's ${buckets} buckets`);
  }
  for (const { output, labels, of } of manifestWidths(manifest)) {
    const width = outputWidths.get(output);
    if (width !== undefined && width !== labels) {
      throw new ArtifactError('ARTIFACT_ONNX_MISMATCH', `${manifest.onnx.file} in ${dir}: output ${output} gives ${width} probabilities per email, the manifest has ${labels} labels for ${of}`);
    }
  }
}

/**
 * Runs the session once on a bag of one id with weight 0 (id 0 is a row of every table) and refuses a model that
 * cannot answer it, or answers with another number of values than the manifest's labels: a graph whose inputs
 * declare another rank or type than the runtime feeds (`[batch, bag]`, int32 ids and float32 weights), or whose
 * operators fail at run time, would load and then fail every call. Releases the session before refusing.
 */
async function probeSession(session: OnnxSession, manifest: Manifest, dir: string): Promise<void> {
  const widths = new Map(manifestWidths(manifest).map((w) => [w.output, w.labels]));
  const outputs = [...widths.keys()];
  let problem: string | undefined;
  let cause: unknown;
  try {
    const result = await session.runBag(manifest.onnx.inputs, { ids: Int32Array.of(0), weights: Float32Array.of(0), batch: 1, length: 1 }, outputs);
    const wrong = outputs.find((name) => result[name].length !== widths.get(name));
    if (wrong !== undefined) problem = `output ${wrong} gives ${result[wrong].length} values for one email, the manifest has ${widths.get(wrong)} labels`;
  } catch (error) {
    cause = error;
    problem = `onnxruntime cannot run it on one email (${String((error as Error).message ?? error).split('\n')[0].slice(0, 300)})`;
  }
  if (problem === undefined) return;
  await session.release();
  throw new ArtifactError('ARTIFACT_ONNX_MISMATCH', `${manifest.onnx.file} in ${dir}: ${problem}`, cause === undefined ? undefined : { cause });
}

/** Calibrated probabilities of prepared inputs: per task a flat float32 [n * labels] array. */
export interface PreparedPrediction {
  probs: Record<string, Float32Array>;
  truncated: boolean[];
  /**
   * Per input: the model read no text, only meta tokens (`lang=`, `bank=`): nothing its featurizer makes a
   * word or char n-gram of (empty, or only spaces, punctuation, emoji, combining marks, zero-width characters).
   */
  noText: boolean[];
}

/** Loads a model artifact, checks it, owns one ONNX session and classifies emails. */
export class Classifier implements EmailClassifier {
  readonly modelId: string;
  readonly tasks: ReadonlyArray<ClassifierTask>;
  readonly routing: ServedRouting;

  private constructor(
    readonly manifest: Manifest,
    private readonly session: OnnxSession,
    private readonly topK: number,
    /** The featurizer's IDF table, when its params ask for IDF. */
    private readonly idf: Float32Array | undefined,
    /** The compact table's row of each id, when it was taken out of the graph (`liftRowLookup`): the session is fed rows. */
    private readonly rowOf: RowTable | undefined,
  ) {
    this.modelId = manifest.modelId;
    this.tasks = classifierTasks(manifest);
    this.routing = servedRouting(manifest);
    this.read = fieldsRead(manifest);
    this.modelText = (email) => prepareModelInput(asRead(email, this.read)).text;
    this.offsets = [0];
    for (const task of manifest.tasks) this.offsets.push(this.offsets[this.offsets.length - 1] + task.labels.length);
  }

  /** Where each task's labels start in a row of the combined output; the last entry is the row width. */
  private readonly offsets: number[];
  /** The email fields the model's training config read (`fieldsRead`); the others are left out of its input. */
  private readonly read: ReturnType<typeof fieldsRead>;
  readonly modelText: (email: Email) => string;
  /**
   * Typed arrays over 64 bytes cost a few microseconds each to allocate and collect, as much as the
   * work on a short email, so predictPrepared reuses two pairs: `featureArrays` for the bags (grown by the
   * featurizer as batches need; used and done with before its first await, so calls never share it) and
   * `spare` for the padded ONNX inputs of all of a call's chunks, one after another (onnxruntime reads them after an
   * await: lent to one call at a time, others allocate). A batch of 100 demo emails pads to about 21,000 ids in
   * three chunks: with room for one chunk only, the other two took fresh arrays each call. When a call's chunks did
   * not all fit, the spare is replaced by one that holds them (up to `MAX_KEPT_CELLS`).
   */
  private featureArrays: BagArrays = newBagArrays(MAX_CHUNK_CELLS);
  private spare: BagArrays | undefined = newBagArrays(MAX_CHUNK_CELLS);
  /** Calls running on the session: `release()` waits for them before it frees it. */
  private running = 0;
  private idle: (() => void) | undefined;
  /** Set by the first `release()`: later calls are refused, later releases return it. */
  private released: Promise<void> | undefined;

  /**
   * Checks the options, verifies the manifest (schema, sha256 of every file), the ONNX id tables against the
   * featurizer's buckets, the outputs' widths against the label counts and the ONNX input/output names, then
   * opens the session. model.onnx is read from disk once: its tables and widths are checked, and onnxruntime
   * opens the session, from the bytes that were hashed.
   */
  static async load(dir: string, options: ClassifierOptions = {}): Promise<Classifier> {
    checkOptions(options);
    const manifest = await readManifest(dir);
    // The manifest names the transformer family for the GPU models of the architecture's plan, which no featurizer
    // here reads (no tokenizer): refused, not featurized as hashed n-grams it was never trained on.
    if (manifest.family !== 'ngram-bag') {
      throw new ArtifactError('ARTIFACT_MANIFEST_INVALID', `${MANIFEST_FILE} in ${dir}: family ${manifest.family} is not served by this mailroute (it serves ngram-bag models; a transformer needs its tokenizer, which no featurizer here has)`);
    }
    const { params } = manifest.featurizer;
    // model.onnx (and idf.f32) are read once: the bytes hashed are the ones whose tables are checked and onnxruntime loads.
    const kept = await checkArtifactFiles(dir, manifest.files, { names: [manifest.onnx.file, ...(params.idf ? [IDF_FILE] : [])], read: options.readFile });
    const bytesOf = (name: string): Uint8Array => {
      const bytes = kept.get(name);
      if (!bytes) throw new ArtifactError('ARTIFACT_MANIFEST_INVALID', `${MANIFEST_FILE} in ${dir} lists no sha256 for ${name}`);
      return bytes;
    };
    const idf = params.idf ? decodeIdfTable(bytesOf(IDF_FILE), params.buckets) : undefined;
    if (typeof idf === 'string') throw new ArtifactError('ARTIFACT_MANIFEST_INVALID', `${idf} in ${dir}`);
    const onnxBytes = bytesOf(manifest.onnx.file);
    let lifted: LiftedRowLookup | undefined;
    try {
      checkGraphShapes(manifest, onnxBytes, dir);
      lifted = liftRowLookup(onnxBytes, manifest.onnx.inputs.ids);
    } catch (error) {
      if (error instanceof ArtifactError) throw error;
      throw new ArtifactError('ARTIFACT_ONNX_MISMATCH', `${manifest.onnx.file} in ${dir} is not an ONNX model`, { cause: error });
    }
    let session: OnnxSession;
    try {
      session = await createOnnxSession(lifted?.model ?? onnxBytes, { intraOpThreads: options.intraOpThreads });
    } catch (error) {
      // No runtime on this machine is no fault of the artifact's.
      if (error instanceof OnnxRuntimeUnavailableError) throw error;
      throw new ArtifactError('ARTIFACT_ONNX_MISMATCH', `${manifest.onnx.file} in ${dir} cannot be loaded by onnxruntime`, { cause: error });
    }
    const expectedInputs = [manifest.onnx.inputs.ids, manifest.onnx.inputs.weights].sort();
    const expectedOutputs = manifestWidths(manifest).map((w) => w.output).sort();
    const sameNames = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().every((name, i) => name === b[i]);
    if (!sameNames(session.inputNames, expectedInputs) || !sameNames(session.outputNames, expectedOutputs)) {
      await session.release();
      throw new ArtifactError(
        'ARTIFACT_ONNX_MISMATCH',
        `${manifest.onnx.file} in ${dir}: ONNX names [${session.inputNames.join(', ')}] -> [${session.outputNames.join(', ')}] differ from the manifest's [${expectedInputs.join(', ')}] -> [${expectedOutputs.join(', ')}]`,
      );
    }
    await probeSession(session, manifest, dir);
    options.logger?.info?.('onnx session opened', { modelId: manifest.modelId, family: manifest.family, tasks: manifest.tasks.map((t) => t.name) });
    const otherInput = inputFingerprintNote(manifest);
    if (otherInput !== undefined) options.logger?.warn?.(otherInput, { modelId: manifest.modelId });
    // Rows under 2^16 (tables of fewer rows than that, the usual) are looked up in half the memory: each id's
    // lookup is a random read, and a 128 KiB table stays in cache between calls more often than 256 KiB.
    const rowOf = lifted && lifted.rowOf.every((row) => row >= 0 && row < 0x10000) ? Uint16Array.from(lifted.rowOf) : lifted?.rowOf;
    return new Classifier(manifest, session, options.topK ?? 3, idf, rowOf);
  }

  /** Probabilities for inputs already turned into model text (e.g. by `prepareModelInput`): the fast path for datasets. */
  async predictPrepared(inputs: readonly PreparedText[]): Promise<PreparedPrediction> {
    if (this.released) throw new ClassifierReleasedError(`model ${this.modelId} was released: load it again to classify`);
    this.running += 1;
    try {
      return await this.runPrepared(inputs);
    } finally {
      this.running -= 1;
      if (this.running === 0) this.idle?.();
    }
  }

  private async runPrepared(inputs: readonly PreparedText[]): Promise<PreparedPrediction> {
    // With a lifted row lookup, the featurizer writes each id's row, which the session is fed.
    const bag = featurizeAll(this.manifest.featurizer, inputs, this.idf, this.featureArrays, this.rowOf);
    // The featurizer grows featureArrays to the batches it is given; arrays for an outsized batch are not kept.
    if (this.featureArrays.ids.length > MAX_KEPT_CELLS) this.featureArrays = newBagArrays(MAX_CHUNK_CELLS);
    let borrowed: BagArrays | undefined;
    /** Cells of `borrowed` lent to chunks, and cells all chunks took. */
    let lent = 0;
    let wanted = 0;
    const chunks = padChunks(bag, MAX_CHUNK_CELLS, undefined, (cells) => {
      wanted += cells;
      if (!borrowed && this.spare) {
        borrowed = this.spare;
        this.spare = undefined;
      }
      if (!borrowed || borrowed.ids.length - lent < cells) return newBagArrays(cells);
      const arrays = { ids: borrowed.ids.subarray(lent, lent + cells), weights: borrowed.weights.subarray(lent, lent + cells) };
      lent += cells;
      return arrays;
    });
    const { tasks, onnx } = this.manifest;
    const n = inputs.length;
    // One array for every task's probabilities (task after task), each task a view of it.
    const all = new Float32Array(n * this.offsets[tasks.length]);
    const probs: Record<string, Float32Array> = {};
    tasks.forEach((task, t) => (probs[task.name] = all.subarray(n * this.offsets[t], n * this.offsets[t + 1])));
    // Where each task's probabilities are: with a combined output, one tensor holds every task (row width =
    // all labels, task t from its offset); otherwise each task has its own tensor.
    const { combined } = onnx;
    const sources = tasks.map((task, t) =>
      combined ? { output: combined, stride: this.offsets[tasks.length], from: this.offsets[t] } : { output: onnx.outputs[task.name], stride: task.labels.length, from: 0 },
    );
    const fetch = combined ? [combined] : sources.map((s) => s.output);
    try {
      for (const chunk of chunks) {
        const result = await this.session.runBag(onnx.inputs, chunk, fetch);
        tasks.forEach((task, t) => {
          const k = task.labels.length;
          const { output, stride, from } = sources[t];
          const out = result[output];
          if (out.length !== chunk.batch * stride) throw new ArtifactError('ARTIFACT_ONNX_MISMATCH', `output ${output} has ${out.length / chunk.batch} values per email, the manifest ${stride}`);
          // Value by value, no view of onnxruntime's output per row and task: with views, a one-email call took about
          // 5 µs more (7-9% of its featurizing, onnxruntime and answers).
          const dest = probs[task.name];
          const { rows } = chunk;
          for (let r = 0; r < rows.length; r++) {
            const at = rows[r] * k;
            const src = r * stride + from;
            for (let c = 0; c < k; c++) dest[at + c] = out[src + c];
          }
        });
      }
    } finally {
      if (borrowed) this.spare = borrowed.ids.length < wanted && wanted <= MAX_KEPT_CELLS ? newBagArrays(wanted) : borrowed;
    }
    return { probs, truncated: bag.truncated, noText: bag.noText };
  }

  /**
   * The heavy part of `predict`: cleaning, featurizing and ONNX, giving probabilities (no answers built). `texts`: with
   * the text the model read of each email (`ScoredBatch.texts`, what `modelText` gives), from this same cleaning.
   */
  async score(emails: readonly Email[], options: { texts?: boolean } = {}): Promise<ScoredBatch> {
    if (!Array.isArray(emails)) throw new PredictInputError('predict expects an array of emails');
    if (this.released) throw new ClassifierReleasedError(`model ${this.modelId} was released: load it again to classify`);
    const inputs = emails.map((email, i) => prepareModelInput(asRead(checkedEmail(email, i), this.read)));
    const { probs, truncated, noText } = await this.predictPrepared(inputs);
    const scored: ScoredBatch = { probs, truncated, languages: inputs.map((input) => input.language), noText };
    if (options.texts === true) scored.texts = inputs.map((input) => input.text);
    return scored;
  }

  async predict(emails: readonly Email[]): Promise<EmailPrediction[]> {
    return assemblePredictions(this.manifest, emails, await this.score(emails), this.topK);
  }

  /**
   * `predict`, and the text the model read of each email (what `modelText` gives, `--store-text`'s text before
   * masking), taken from the cleaning the predictions were made of: the email is not cleaned a second time.
   */
  async predictReading(emails: readonly Email[]): Promise<{ predictions: EmailPrediction[]; texts: string[] }> {
    const scored = await this.score(emails, { texts: true });
    return { predictions: assemblePredictions(this.manifest, emails, scored, this.topK), texts: scored.texts as string[] };
  }

  /**
   * Frees the session once the calls running on it are done (they finish); calls made after it are refused
   * with `ClassifierReleasedError`. Releasing again is a no-op (the first release's promise).
   */
  release(): Promise<void> {
    this.released ??= (this.running === 0 ? Promise.resolve() : new Promise<void>((resolve) => (this.idle = resolve))).then(() => this.session.release());
    return this.released;
  }
}

/** What `assemblePredictions` needs besides the emails: their probabilities, truncation and language. */
export interface ScoredBatch extends Omit<PreparedPrediction, 'noText'> {
  languages: ReadonlyArray<string | undefined>;
  /** Per email: no text left after cleaning. */
  noText?: readonly boolean[];
  /** Per email, the text the model read (`ModelInput.text`): only when asked for (`score`'s `texts`). */
  texts?: string[];
}

/** What `assemblePredictions` reads of an email: its id, and the fields that tell an automated one (`automatedKind`). */
export type AssembledEmail = Pick<Email, 'id' | 'subject' | 'from' | 'autoSubmitted' | 'body'>;

/**
 * The answers for a batch from its probabilities: per task label, confidence, top k and abstention,
 * the route, and the email's id. Cheap next to cleaning and ONNX, so it can run on another thread
 * than they do (serving's model threads send back only the probabilities).
 */
export function assemblePredictions(manifest: Manifest, emails: readonly AssembledEmail[], scored: ScoredBatch, topK = 3): EmailPrediction[] {
  return emails.map((email, i) => {
    const tasks: Record<string, TaskPrediction> = {};
    // No text left after cleaning: training leaves such rows out, so whatever the model answers is a guess,
    // however confident; every task abstains and the email goes to manual triage.
    const noText = scored.noText?.[i] === true;
    for (const task of manifest.tasks) {
      const p = taskPrediction(scored.probs[task.name], task.labels, task.threshold, topK, i * task.labels.length);
      tasks[task.name] = noText ? { ...p, abstained: true } : p;
    }
    // No person wrote it (an auto-reply, a bounce): manual triage, or the routing's queue for its kind, whatever the model says.
    const prediction: EmailPrediction = withAutomatedRoute({ tasks, route: routeFromPredictions(tasks, manifest.routing), modelId: manifest.modelId }, email, manifest.routing);
    if (scored.languages[i] !== undefined) prediction.language = scored.languages[i];
    if (email.id != null) prediction.id = email.id;
    if (scored.truncated[i]) prediction.truncated = true;
    if (noText) prediction.noText = true;
    return prediction;
  });
}

/**
 * Label, confidence, the top k and abstention of one task from its probabilities: `probs[from]` on, one a
 * label (a batch's flat array and the email's offset in it: no view per email and task).
 */
export function taskPrediction(probs: ArrayLike<number>, labels: readonly string[], threshold: number, topK: number, from = 0): TaskPrediction {
  // Partial selection: k passes beat sorting every label (k is small, labels may be many).
  const k = Math.min(labels.length, Math.max(1, topK));
  const chosen: number[] = [];
  const top: ScoredLabel[] = [];
  for (let r = 0; r < k; r++) {
    let best = -1;
    for (let c = 0; c < labels.length; c++) {
      if (best >= 0 && !(probs[from + c] > probs[from + best])) continue;
      // Whether c was chosen by an earlier pass, only asked of a label that would be the best so far.
      let taken = false;
      for (let q = 0; q < r && !taken; q++) taken = chosen[q] === c;
      if (!taken) best = c;
    }
    chosen.push(best);
    top.push({ label: labels[best], score: roundScore(probs[from + best]) });
  }
  // Abstention compares the exact probability; rounding is for the answer only. A probability that is no number
  // (NaN: weights a diverged training left NaN, or an IDF table holding one) is no confidence: it abstains, as
  // `< threshold` (false for NaN) would have routed it to the first label as a confident answer, and is answered
  // as 0 (JSON has no NaN: it became null, which the answer's schema and the prediction store refuse).
  return { label: labels[chosen[0]], confidence: top[0].score, top, abstained: !(probs[from + chosen[0]] >= threshold) };
}

/**
 * A probability to 6 decimals, about what its float32 holds: 0.80379 rather than the double
 * 0.8037899732589722. Answers get shorter, and JSON.stringify writes such numbers about twice as fast.
 */
function roundScore(p: number): number {
  return Number.isFinite(p) ? Math.round(p * 1e6) / 1e6 : 0;
}
