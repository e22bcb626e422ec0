// What the AWS adapters throw when InvokeEndpoint fails (packages/aws/src/errors.ts), written here as serving sees
// them, with the members they add; and a classifier that fails with one.
import { ServingError } from '../errors.js';
import { createFakeClassifier, type FakeClassifier } from './fake-classifier.js';

/** The API's role may not invoke the endpoint: a fault here, logged at error level. */
export class AccessDenied extends ServingError {
  readonly code = 'ENDPOINT_ACCESS_DENIED';
  readonly status = 500;
}

/** The endpoint is not there or not in service. */
export class NotInService extends ServingError {
  readonly code = 'ENDPOINT_NOT_IN_SERVICE';
  readonly status = 503;
  readonly retryAfterSeconds = 30;
}

/** The endpoint throttles or is busy (its `reason` member says which). */
export class EndpointUnavailable extends ServingError {
  readonly code = 'ENDPOINT_UNAVAILABLE';
  readonly status = 503;
  readonly retryAfterSeconds = 1;
}

/** The fake classifier, but every call throws `error`: an endpoint that fails. */
export function failingWith(error: Error): FakeClassifier {
  return { ...createFakeClassifier(), predict: async () => Promise.reject(error) };
}
