/**
 * The weights of an `ngram-bag` model as plain typed arrays: what the trainer produces, the ONNX
 * builder writes and the reference forward pass reads. Matrices are row-major, `[in][out]`.
 */
export interface DenseLayer {
  /** `inSize * outSize` values, row-major `[in][out]`. */
  weight: Float32Array;
  bias: Float32Array;
  inSize: number;
  outSize: number;
}

export interface NgramBagHead extends DenseLayer {
  task: string;
}

/**
 * One embedding bag with its optional hidden layer and heads. A multi-task model has one part with
 * every head; single-task mode has one part per task (independent models in one artifact).
 */
export interface NgramBagPart {
  buckets: number;
  dim: number;
  /** Row-major, `dim` values a row: `buckets` rows, or with `rowOf` the rows it points to. */
  embedding: Float32Array;
  /**
   * Bucket -> embedding row (`buckets` values), when the table holds only the rows training used and the
   * unused buckets point to a zero row: many buckets then cost 4 bytes each, not `4 * dim`.
   */
  rowOf?: Int32Array;
  hidden?: DenseLayer;
  heads: NgramBagHead[];
}

export interface NgramBagWeights {
  parts: NgramBagPart[];
}
