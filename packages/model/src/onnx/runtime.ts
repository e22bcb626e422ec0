// The only module that touches onnxruntime-node: sessions are created, run and released here.
import ort from 'onnxruntime-node';

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

export async function createOnnxSession(file: string, options: SessionOptions = {}): Promise<OnnxSession> {
  const session = await ort.InferenceSession.create(file, {
    intraOpNumThreads: options.intraOpThreads ?? 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
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
