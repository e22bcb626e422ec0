import { errorCodeInWords, formatBytes, systemCode } from './write-errors.js';

/** Stable codes of a refused model artifact. */
export type ArtifactErrorCode =
  | 'ARTIFACT_MISSING'
  | 'ARTIFACT_MANIFEST_INVALID'
  | 'ARTIFACT_HASH_MISMATCH'
  | 'ARTIFACT_ONNX_MISMATCH'
  /** The model computes probabilities that are no finite numbers (NaN weights): its predictions cannot be scored or written. */
  | 'ARTIFACT_NOT_FINITE'
  | 'ARTIFACT_EXISTS'
  /** A file of the artifact could not be written (a full disk, a read-only folder): `ArtifactWriteError`. */
  | 'ARTIFACT_WRITE_FAILED';

/** A corrupt, tampered, incomplete or mismatched model artifact. */
export class ArtifactError extends Error {
  override readonly name = 'ArtifactError';
  constructor(
    readonly code: ArtifactErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * An artifact whose files could not be written (a full disk, a read-only folder): the file, and the bytes of all its
 * files, so that the caller can say how much room it needs where (training: the temporary folder). Nothing was left.
 */
export class ArtifactWriteError extends ArtifactError {
  constructor(
    readonly file: string,
    readonly bytes: number,
    options: { cause: unknown },
  ) {
    super('ARTIFACT_WRITE_FAILED', `cannot write ${file}: ${errorCodeInWords(systemCode(options.cause) ?? 'EIO')}; the model's files take ${formatBytes(bytes)}`, options);
  }
}

/** Bad input to a classifier call (e.g. a batch that is not an array of emails). */
export class PredictInputError extends Error {
  readonly code = 'PREDICT_INPUT_INVALID';
  override readonly name = 'PredictInputError';
}

/** An option of `Classifier.load` out of its range (e.g. `intraOpThreads: -1`): the caller's mistake, not the artifact's. */
export class ClassifierOptionsError extends RangeError {
  readonly code = 'CLASSIFIER_OPTIONS_INVALID';
  override readonly name = 'ClassifierOptionsError';
}

/** A call on a classifier whose session was released (`release()`): load another one. */
export class ClassifierReleasedError extends Error {
  readonly code = 'CLASSIFIER_RELEASED';
  override readonly name = 'ClassifierReleasedError';
}

/** onnxruntime-node's native binding does not load here (a platform it ships none for, such as an Intel Mac): no model can run. */
export class OnnxRuntimeUnavailableError extends Error {
  readonly code = 'ONNX_RUNTIME_UNAVAILABLE';
  override readonly name = 'OnnxRuntimeUnavailableError';
}
