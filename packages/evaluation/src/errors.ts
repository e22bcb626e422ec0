/** Errors of @mailroute/evaluation: small classes with a stable `code`. */

/** Metric inputs that cannot be scored (length mismatch, empty input). */
export class MetricInputError extends Error {
  readonly code = 'METRIC_INPUT_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'MetricInputError';
  }
}

/**
 * A prediction line (JSONL) that does not match `PredictionLineSchema`, or a file that is not JSONL
 * (`PREDICTION_LINE_INVALID`); a predictions file that cannot be read at all (`PREDICTION_FILE_UNREADABLE`).
 */
export class PredictionFileError extends Error {
  readonly code: 'PREDICTION_LINE_INVALID' | 'PREDICTION_FILE_UNREADABLE';
  constructor(message: string, options?: { cause?: unknown; code?: 'PREDICTION_FILE_UNREADABLE' }) {
    super(message, options);
    this.name = 'PredictionFileError';
    this.code = options?.code ?? 'PREDICTION_LINE_INVALID';
  }
}

/** Challenger and champion were not scored on the same test set. */
export class ComparisonError extends Error {
  readonly code = 'COMPARISON_MISMATCH';
  constructor(message: string) {
    super(message);
    this.name = 'ComparisonError';
  }
}

/** A gate policy file that does not match `GatePolicySchema`. */
export class GatePolicyError extends Error {
  readonly code = 'GATE_POLICY_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GatePolicyError';
  }
}

/** The challenger failed the gate policy: the caller exits non-zero. */
export class GateFailedError extends Error {
  readonly code = 'GATE_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'GateFailedError';
  }
}
