// The only module that touches onnxruntime-node: sessions are created, run and released here.
import ort from 'onnxruntime-node';

/**
 * onnxruntime-node 1.29 and later (official Linux and macOS builds) collect telemetry by default: a device
 * id and an event cache under ~/.cache/Microsoft/DeveloperTools/.onnxruntime, a mat-debug-<pid>.log in the
 * temp folder, and uploads to a Microsoft collector whenever the network allows. A bank's email router must
 * send nothing anywhere, so mailroute turns it off unless ORT_DISABLE_TELEMETRY is already set (an operator's
 * explicit choice stays). onnxruntime reads the variable once, when its first session is created; it is set
 * here, when this module loads, on the thread that loads it. Worker threads cannot set it for the process
 * (their process.env is their own copy), so a program that creates its first session on a worker thread must
 * load this module on the main thread first, as the server does (its request thread imports the model
 * package before it starts model threads); the container image also sets it.
 */
export function disableOnnxTelemetry(env: NodeJS.ProcessEnv = process.env): void {
  env.ORT_DISABLE_TELEMETRY ??= '1';
}
disableOnnxTelemetry();

export interface SessionOptions {
  /** Threads inside one operator (default 1: one request never takes every core). */
  intraOpThreads?: number;
}

export interface BagBatch {
  ids: Int32Array;
  weights: Float32Array;
  batch: number;
  length: number;
}

/** A loaded ONNX session with a typed, narrow surface. */
export interface OnnxSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs one padded batch; returns each requested output as float32 [batch * labels]. */
  runBag(names: { ids: string; weights: string }, batch: BagBatch, outputs: readonly string[]): Promise<Record<string, Float32Array>>;
  release(): Promise<void>;
}

/** A session of the model in `model`: its file, or the file's bytes. */
export async function createOnnxSession(model: string | Uint8Array, options: SessionOptions = {}): Promise<OnnxSession> {
  const settings: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: options.intraOpThreads ?? 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  };
  const session = typeof model === 'string' ? await ort.InferenceSession.create(model, settings) : await ort.InferenceSession.create(model, settings);
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async runBag(names, batch, outputs) {
      const dims = [batch.batch, batch.length];
      const feeds = {
        [names.ids]: new ort.Tensor('int32', batch.ids, dims),
        [names.weights]: new ort.Tensor('float32', batch.weights, dims),
      };
      const result = await session.run(feeds, [...outputs]);
      const out: Record<string, Float32Array> = {};
      for (const name of outputs) {
        const tensor = result[name];
        if (!tensor || tensor.type !== 'float32') throw new TypeError(`ONNX output ${name} is missing or not float32`);
        out[name] = tensor.data as Float32Array;
      }
      return out;
    },
    async release() {
      await session.release();
    },
  };
}
