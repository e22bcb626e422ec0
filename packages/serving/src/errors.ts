/**
 * Serving errors: one small class per failure with a stable `code` and the HTTP status it maps to.
 * `app.onError` turns any of them into `application/problem+json` in one place.
 */
import { maskedIssues } from './http/validation-detail.js';
/**
 * The `code` of every problem document the HTTP API answers with, here and behind the AWS Lambda: the one
 * list the OpenAPI document's `Problem.code` enum is made from, and the type of every `ServingError`'s code.
 */
export const PROBLEM_CODES = [
  'REQUEST_INVALID',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'NOT_ACCEPTABLE',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'LABEL_NOT_IN_TAXONOMY',
  'RATE_LIMITED',
  'OVERLOADED',
  'MODEL_NOT_READY',
  'REQUEST_TIMEOUT',
  'INTERNAL',
  'MODEL_LOAD_FAILED',
  'STORE_FAILED',
  // The store locked, throttled or conflicting after its retries, its disk full, read-only or failing (503,
  // Retry-After), or its SQLite file deleted, damaged or its writer thread ended (503 without Retry-After: only an
  // operator helps); the SQLite store's say which in `reason` (STORE_UNAVAILABLE_REASONS).
  'STORE_UNAVAILABLE',
  // A server run without a store (the SageMaker container): /v1/feedback and /v1/quality have nothing to read (404).
  'PREDICTIONS_NOT_KEPT',
  // The Lambda adapter: the app cannot be built yet (503), and the SageMaker endpoint behind it: busy or
  // throttled (503), not there or not in service (503, Retry-After 30), the API's role may not invoke it (500),
  // the container failed (502) or answered something unusable (502).
  'NOT_READY',
  'ENDPOINT_UNAVAILABLE',
  'ENDPOINT_NOT_IN_SERVICE',
  'ENDPOINT_ACCESS_DENIED',
  'ENDPOINT_FAILED',
  'SAGEMAKER_RESPONSE_INVALID',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/**
 * The `reason` member of a 503 `ENDPOINT_UNAVAILABLE` (the AWS adapters' EndpointUnavailableError): why the model
 * endpoint cannot take the request for a moment. The OpenAPI document's `Problem.reason` enum is made from it.
 */
export const ENDPOINT_UNAVAILABLE_REASONS = ['ENDPOINT_THROTTLED', 'ENDPOINT_BUSY'] as const;

/**
 * The `reason` member of a 503 `STORE_UNAVAILABLE` of the SQLite store (and of `/readyz` while it cannot take
 * writes): locked by another connection, its disk full, its file system read-only, an I/O error, its file deleted
 * or replaced, its writer thread ended, its file damaged (SQLite: "database disk image is malformed"). A client may
 * retry after Retry-After; an operator's alert can tell them apart. The OpenAPI document's `Problem.reason` enum
 * holds them with the endpoint's.
 */
export const STORE_UNAVAILABLE_REASONS = ['STORE_LOCKED', 'STORE_DISK_FULL', 'STORE_READ_ONLY', 'STORE_IO_ERROR', 'STORE_FILE_LOST', 'STORE_WRITER_LOST', 'STORE_CORRUPT'] as const;
export type StoreUnavailableReason = (typeof STORE_UNAVAILABLE_REASONS)[number];

/** Failures of starting a server (its configuration, its address): raised to the CLI or the runtime, never answered. */
export type StartupErrorCode = 'SERVING_CONFIG_INVALID' | 'LISTEN_FAILED' | 'REGISTRY_NOT_APPROVED';

export abstract class ServingError extends Error {
  abstract readonly code: ProblemCode | StartupErrorCode;
  abstract readonly status: number;
  /** Extra members of the problem document (never email text). */
  readonly extra: Record<string, unknown>;
  constructor(message: string, extra: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.extra = extra;
  }
}

export interface IssuePath {
  path: Array<string | number>;
  message: string;
  code: string;
}

export class ValidationError extends ServingError {
  readonly code = 'REQUEST_INVALID';
  readonly status = 400;
  constructor(message: string, issues: IssuePath[]) {
    // A key of the request an issue's message quotes is masked, as in the detail: CRMs and proxies log error bodies.
    super(message, { issues: maskedIssues(issues) });
  }
}

export class UnauthenticatedError extends ServingError {
  readonly code = 'UNAUTHENTICATED';
  readonly status = 401;
}

export class ForbiddenError extends ServingError {
  readonly code = 'FORBIDDEN';
  readonly status = 403;
}

export class NotFoundError extends ServingError {
  readonly code = 'NOT_FOUND';
  readonly status = 404;
}

/** A known path asked with a method it does not take; `allow` becomes the `Allow` header. */
export class MethodNotAllowedError extends ServingError {
  readonly code = 'METHOD_NOT_ALLOWED';
  readonly status = 405;
  constructor(
    message: string,
    readonly allow: readonly string[],
  ) {
    super(message, { allow });
  }
}

/**
 * The server keeps no predictions (it runs with `noStore`, as the SageMaker container does: the API in front of
 * it records them): feedback has no prediction to join and quality nothing to measure. 404, as for a route
 * this server does not have, with a code of its own: retrying it here never helps.
 */
export class PredictionsNotKeptError extends ServingError {
  readonly code = 'PREDICTIONS_NOT_KEPT';
  readonly status = 404;
}

export class PayloadTooLargeError extends ServingError {
  readonly code = 'PAYLOAD_TOO_LARGE';
  readonly status = 413;
}

export class UnsupportedMediaTypeError extends ServingError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  readonly status = 415;
}

export class UnknownLabelError extends ServingError {
  readonly code = 'LABEL_NOT_IN_TAXONOMY';
  readonly status = 422;
}

export class RateLimitedError extends ServingError {
  readonly code = 'RATE_LIMITED';
  readonly status = 429;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** The caller accepts no type this route answers in (SageMaker's `Accept`): 406. */
export class NotAcceptableError extends ServingError {
  readonly code = 'NOT_ACCEPTABLE';
  readonly status = 406;
}

export class OverloadedError extends ServingError {
  readonly code = 'OVERLOADED';
  readonly status = 503;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export class ModelNotReadyError extends ServingError {
  readonly code = 'MODEL_NOT_READY';
  readonly status = 503;
  readonly retryAfterSeconds = 5;
}

/**
 * The answer took longer than the request timeout (a slow model or store, a big batch): the server's doing, 503.
 * Its Retry-After is no 1 s: the same request sent again at once would most likely take as long (`slowRequestRetryAfterSeconds`).
 */
export class RequestTimeoutError extends ServingError {
  readonly code = 'REQUEST_TIMEOUT';
  readonly status = 503;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/**
 * The request's body did not all arrive within the request timeout (a Content-Length larger than what was
 * sent, a chunked body never ended): the client's doing, 408, answered with `Connection: close`.
 */
export class RequestBodyTimeoutError extends ServingError {
  readonly code = 'REQUEST_TIMEOUT';
  readonly status = 408;
}

/** A model that failed to load or verify; the old one keeps serving. */
export class ModelLoadError extends ServingError {
  readonly code = 'MODEL_LOAD_FAILED';
  readonly status = 500;
}

/**
 * The registry has no champion to load first (none approved yet, the champion rejected, or no version at
 * all): nothing failed to load. The code is the registry's, as `mailroute start` says it for the same registry.
 */
export class NoChampionError extends ServingError {
  readonly code = 'REGISTRY_NOT_APPROVED';
  readonly status = 503;
}

/** Refusing an unsafe configuration, e.g. listening on a public address without auth. */
export class ServingConfigError extends ServingError {
  readonly code = 'SERVING_CONFIG_INVALID';
  readonly status = 500;
}

/** The address could not be bound: the port is taken, or it needs privileges this process lacks. */
export class ListenError extends ServingError {
  readonly code = 'LISTEN_FAILED';
  readonly status = 500;
}

export class StoreError extends ServingError {
  readonly code = 'STORE_FAILED';
  readonly status = 500;
}

/**
 * The store is there but refuses for now: DynamoDB still throttled, conflicting or in a transaction after the
 * store's retries; SQLite locked by another connection (a backup, a `sqlite3` shell) past its busy timeout, or its
 * disk full, read-only or failing. Nothing was lost silently, and the client is told to retry (503 with
 * Retry-After), not that it failed. `untilRestart`: the store refuses until the server is restarted (its SQLite file
 * deleted or replaced under it, its writer thread ended), so the answer has no Retry-After (a client retrying would
 * be refused for ever) and is logged as a fault. `reason` (the SQLite store's): which of these it is, a member of
 * the problem.
 */
export class StoreUnavailableError extends ServingError {
  readonly code = 'STORE_UNAVAILABLE';
  readonly status = 503;
  /** 1 s; none when only a restart makes the store usable again. */
  readonly retryAfterSeconds: number | undefined;
  readonly reason: StoreUnavailableReason | undefined;
  constructor(message: string, options: { cause?: unknown; untilRestart?: boolean; reason?: StoreUnavailableReason } = {}) {
    super(message, options.reason === undefined ? {} : { reason: options.reason }, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterSeconds = options.untilRestart === true ? undefined : 1;
    this.reason = options.reason;
  }
}
