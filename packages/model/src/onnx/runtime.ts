// The only module that touches onnxruntime-node: sessions are created, run and released here.
import os from 'node:os';
import type { InferenceSession } from 'onnxruntime-node';
import { OnnxRuntimeUnavailableError } from '../errors.js';

type Ort = typeof import('onnxruntime-node');
let loading: Promise<Ort> | undefined;

/**
 * onnxruntime-node, loaded when the first session is made: commands that run no model (`--help`, `clean`,
 * `demo-data`, `registry`) work where its native binding cannot load, and one that runs a model says which platform
 * lacks it (onnxruntime-node 1.30 ships Linux x64 and arm64, macOS arm64 and Windows x64 and arm64: no Intel Mac).
 */
function onnxRuntime(): Promise<Ort> {
  loading ??= import('onnxruntime-node').then(
    (m) => ((m as { default?: Ort }).default ?? m) as Ort,
    (cause: unknown) => {
      loading = undefined;
      const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
      throw new OnnxRuntimeUnavailableError(
        `onnxruntime-node cannot load on this machine (${process.platform}/${os.arch()}, Node ${process.version}): ${why}. Models run on Linux x64 or arm64, macOS on Apple silicon, and Windows x64 or arm64 (through WSL 2 for the npm scripts)`,
        { cause },
      );
    },
  );
  return loading;
}

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
  const ort = await onnxRuntime();
  const settings: InferenceSession.SessionOptions = {
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
