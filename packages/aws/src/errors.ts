/** Errors of the AWS adapters: one small class per failure, each with a stable `code` and the `cause`. */
import { RegistryError } from '@mailroute/model';
import { type ENDPOINT_UNAVAILABLE_REASONS, ServingError, StoreError } from '@mailroute/serving';

/**
 * Why the endpoint cannot take a request for a moment, the `reason` member of its 503: throttled (SageMaker's
 * ThrottlingException, the container's 429), or busy (capacity, the runtime's own failures, the network, the
 * container's 503). One of serving's ENDPOINT_UNAVAILABLE_REASONS, which the OpenAPI document's enum is made from. An
 * endpoint not there or not in service is EndpointNotInServiceError.
 */
export type EndpointUnavailableReason = (typeof ENDPOINT_UNAVAILABLE_REASONS)[number];

/**
 * The endpoint cannot take the request now: a 503 with Retry-After (1 s), which a client retries, rather than
 * a 500. The problem document says why (`reason`).
 */
export class EndpointUnavailableError extends ServingError {
  readonly code = 'ENDPOINT_UNAVAILABLE';
  readonly status = 503;
  readonly retryAfterSeconds = 1;
  readonly reason: EndpointUnavailableReason;
  constructor(message: string, reason: EndpointUnavailableReason, options?: { cause?: unknown }) {
    super(message, { reason }, options);
    this.reason = reason;
  }
}

/** Seconds a client is told to wait for an endpoint not in service: one is created or replaced in minutes. */
const NOT_IN_SERVICE_RETRY_SECONDS = 30;

/**
 * The endpoint is not there, or not InService (deleted, being created or updated into a failure, failed): 503
 * `ENDPOINT_NOT_IN_SERVICE` with Retry-After 30 and the endpoint's name (`endpoint`). It takes minutes, not
 * seconds, and often an operator: serving logs it as a refusal (`request refused`, rate-limited) with its code.
 */
export class EndpointNotInServiceError extends ServingError {
  readonly code = 'ENDPOINT_NOT_IN_SERVICE';
  readonly status = 503;
  readonly retryAfterSeconds = NOT_IN_SERVICE_RETRY_SECONDS;
  constructor(endpoint: string, options?: { cause?: unknown }) {
    super(
      `The model endpoint ${endpoint} is not found or not in service (ValidationError); retry in a few minutes; if it persists, an operator must check the endpoint.`,
      { endpoint },
      options,
    );
  }
}

/**
 * The API's role may not invoke the endpoint (AccessDeniedException: no sagemaker:InvokeEndpoint on it, or an
 * explicit deny): a misconfiguration no retry mends. A 500 `ENDPOINT_ACCESS_DENIED` whose detail names the
 * endpoint and the permission (`endpoint`, `permission`; never the role's credentials, nor the request); serving
 * logs it at error level with its cause (the SDK error's name and message), as every 5xx without Retry-After.
 */
export class EndpointAccessDeniedError extends ServingError {
  readonly code = 'ENDPOINT_ACCESS_DENIED';
  readonly status = 500;
  constructor(endpoint: string, permission: string, options?: { cause?: unknown }) {
    super(
      `The API may not call the model endpoint ${endpoint}: its IAM role lacks ${permission} on it (AccessDeniedException). Retrying does not help; an operator must grant the permission.`,
      { endpoint, permission },
      options,
    );
  }
}

/** The model container failed the request or answered something unusable: 502, its cause logged, not shown. */
export class EndpointFailedError extends ServingError {
  readonly code = 'ENDPOINT_FAILED';
  readonly status = 502;
}

export class EndpointInvocationError extends Error {
  readonly code = 'SAGEMAKER_INVOKE_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EndpointInvocationError';
  }
}

/** The endpoint answered something that is not an /invocations answer for the emails sent: 502. */
export class EndpointResponseError extends ServingError {
  readonly code = 'SAGEMAKER_RESPONSE_INVALID';
  readonly status = 502;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, {}, options);
  }
}

/** A prediction id stored already: 500 `STORE_FAILED`, as the SQLite store answers it; `reason` tells it apart in logs. */
export class PredictionExistsError extends StoreError {
  readonly reason = 'PREDICTION_EXISTS';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, {}, options);
  }
}

/** DynamoDB still refused (throttled, conflicting, a transaction in progress) after the store's retries: see serving's StoreUnavailableError. */
export { StoreUnavailableError } from '@mailroute/serving';

/** A stored item that is not a record of this store: 500 `STORE_FAILED`; `reason` tells it apart in logs. */
export class StoreRecordInvalidError extends StoreError {
  readonly reason = 'STORE_RECORD_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, {}, options);
  }
}


/**
 * An artifact (or a model's manifest in S3) that cannot be used: the model package's `RegistryError` with its
 * code, so callers of either registry see the same codes; a class of its own for the Lambdas' fallbacks.
 */
export class RegistryArtifactError extends RegistryError {
  /** `code`: REGISTRY_NOT_FOUND when the model has no manifest in S3 at all (deleted, never published). */
  constructor(message: string, options?: { cause?: unknown; code?: 'REGISTRY_NOT_FOUND' }) {
    super(options?.code ?? 'REGISTRY_ARTIFACT_INVALID', message, options);
    this.name = 'RegistryArtifactError';
  }
}


export class DeployEventError extends Error {
  readonly code = 'DEPLOY_EVENT_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeployEventError';
  }
}

/**
 * The register Lambda's event is not the Register step's (`ArtifactUri`, `Note`), or its ArtifactUri is not
 * a prefix under the artifact bucket's training output: nothing is read or registered.
 */
export class RegisterEventError extends Error {
  readonly code = 'REGISTER_EVENT_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RegisterEventError';
  }
}

/**
 * The feedback-export Lambda's event is not the ExportFeedback step's (`TrainingDataUri`, `ConfigUri`), a URI is
 * not a folder under the artifact bucket's data prefix, or the training config there cannot be read: nothing is written.
 */
export class FeedbackExportError extends Error {
  readonly code = 'FEEDBACK_EXPORT_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FeedbackExportError';
  }
}

/** A rejected version is serving and no other version is Approved: a person must approve one (the error pages). */
export class NoApprovedVersionError extends Error {
  readonly code = 'DEPLOY_NO_APPROVED_VERSION';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NoApprovedVersionError';
  }
}

export class EndpointBusyError extends Error {
  readonly code = 'DEPLOY_ENDPOINT_BUSY';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EndpointBusyError';
  }
}

/**
 * S3 refused a read (403). Not taken for a missing object: without s3:ListBucket S3 answers 403 for a key
 * that does not exist, but a 403 may as well hide an object that does; the message names the permission.
 */
export class S3AccessDeniedError extends Error {
  readonly code = 'S3_ACCESS_DENIED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'S3AccessDeniedError';
  }
}

export class AdapterConfigError extends Error {
  readonly code = 'AWS_CONFIG_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AdapterConfigError';
  }
}

