import type { Scope } from '../auth/api-keys.js';
import { PROBLEM_CONTENT_TYPE } from '../http/problem.js';
import { ProblemSchema } from '../http/schemas.js';

const problemContent = { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } };

/** Every error answer's id, also in the server's `request refused` log line. */
const requestIdHeader = {
  'x-request-id': { description: "The request's id: the caller's own x-request-id when it sent a usable one (1-128 visible ASCII characters, no comma), else a new one", schema: { type: 'string' as const } },
};
const retryAfterHeader = { 'Retry-After': { description: 'Seconds to wait before sending again', schema: { type: 'integer' as const, minimum: 0 } } };

/** A problem answer: its description, the problem body and the headers every error answer has (and `more`). */
export function problem(description: string, more: Record<string, { description: string; schema: { type: 'string' | 'integer'; minimum?: number } }> = {}) {
  return { description, content: problemContent, headers: { ...requestIdHeader, ...more } };
}

/** A request refused before any route reads it, on every path. */
const UNREADABLE = 'a request the server cannot read: malformed HTTP (a chunked body\'s framing too), an HTTP/1.1 request without a Host header, a path with a backslash, a Host header that is no host name; behind the AWS Lambda also a path with a . or .. segment, which the Node server resolves instead (`/v1/../healthz` is /healthz)';

/** What any route may answer besides its listed statuses (no such path or id, a request the server cannot read). */
const otherErrors = problem(
  `Any other error, as application/problem+json with a stable \`code\`: 400 (${UNREADABLE}), 404 (no such path, or no such prediction), 408 (the request's headers or body did not arrive in time), 413 (a chunked body's chunk extensions over the server's limit), 417 (an Expect header other than 100-continue), 431 (headers too large), 500 (\`INTERNAL\`), 503 behind the AWS Lambda while the app cannot be built yet (\`NOT_READY\`, with Retry-After); and those of the route listed here`,
);

/**
 * Either way of sending a key (the schemes are registered in docs.ts), naming the scope the key needs (OpenAPI 3.1 lets
 * a scheme that is not OAuth list roles); none for a route any key reaches (/v1/model, /metrics).
 */
export function apiKeySecurity(scope?: Scope): Record<string, string[]>[] {
  const scopes = scope === undefined ? [] : [scope];
  return [{ apiKey: scopes }, { apiKeyHeader: [...scopes] }];
}

/** The problem responses every guarded route can give, for the OpenAPI document. */
export const noBodyErrorResponses = {
  400: problem(`Invalid request (zod issue paths in \`issues\`), or ${UNREADABLE}`),
  401: problem('No or unknown API key', { 'WWW-Authenticate': { description: 'The schemes the server takes a key by', schema: { type: 'string' } } }),
  403: problem('The key lacks the scope; on a server run without API keys (local clients only), a request whose Host or Origin header is not this machine'),
  405: problem('Another method than the route takes (`allow` and the Allow header list them)', { Allow: { description: 'The methods the route takes', schema: { type: 'string' } } }),
  429: problem('Rate limit of the key exceeded (`RATE_LIMITED`)', retryAfterHeader),
  503: problem(
    'Overloaded (`OVERLOADED`), the answer timed out (`REQUEST_TIMEOUT`), no model yet (`MODEL_NOT_READY`) or the store unavailable (`STORE_UNAVAILABLE`); behind the AWS Lambda also `NOT_READY`, `ENDPOINT_UNAVAILABLE` (the SageMaker endpoint busy or throttling) and `ENDPOINT_NOT_IN_SERVICE` (the endpoint not there or not in service: Retry-After 30)',
    retryAfterHeader,
  ),
  500: problem(
    'Internal error (`INTERNAL`: no details); `STORE_FAILED` when the store could not write; `MODEL_LOAD_FAILED` from /v1/admin/reload says why the model did not load; behind the AWS Lambda, `ENDPOINT_ACCESS_DENIED` when the API may not invoke the SageMaker endpoint (`endpoint` and `permission` name what is missing)',
  ),
  default: otherErrors,
} as const;

/** ... and those of a route that takes a body: its arrival, its size and its media type. */
export const errorResponses = {
  ...noBodyErrorResponses,
  408: problem('The body did not all arrive within the request timeout (`REQUEST_TIMEOUT`, with Connection: close)'),
  413: problem('Body over the limit (`PAYLOAD_TOO_LARGE`)'),
  415: problem('Wrong Content-Type, a compressed body (Content-Encoding, or a Transfer-Encoding other than chunked), or a JSON body that is not UTF-8'),
} as const;

/**
 * ... and those of /v1/feedback, whose 503 `REQUEST_TIMEOUT` can come after the feedback was stored: the handler is not
 * stopped at the deadline (a person's labels are kept rather than lost), so a CRM must be told a retry is safe.
 */
export const feedbackErrorResponses = {
  ...errorResponses,
  503: problem(
    `${noBodyErrorResponses[503].description}. A feedback answered \`REQUEST_TIMEOUT\` may already be recorded, or be recorded just after the answer: its work goes on past the deadline. Sending the same feedback again is safe: feedback is idempotent per email (the same labels and closedAt store the same record again, answered 202; superseded if a feedback of that email that closed later is stored by then). The other 503s (\`OVERLOADED\`, \`MODEL_NOT_READY\`, \`STORE_UNAVAILABLE\`) recorded nothing`,
    retryAfterHeader,
  ),
} as const;

/** ... and those of a route that scores emails: behind the AWS Lambda, the SageMaker endpoint can fail it. */
export const classifyErrorResponses = {
  ...errorResponses,
  502: problem('Behind the AWS Lambda only: the SageMaker endpoint failed the request (`ENDPOINT_FAILED`) or answered something unusable (`SAGEMAKER_RESPONSE_INVALID`)'),
} as const;

/** ... and those of /v1/classify/eml, whose body is one raw email rather than JSON. */
export const emlErrorResponses = {
  ...classifyErrorResponses,
  400: problem(
    'Invalid request (zod issue paths in `issues`): an empty body (issue code `empty`); one that is JSON (post it to /v1/classify), one with no header lines, over max(20,000, bytes/64) lines or over 256 KiB of headers (issue code `invalid_eml`, the detail says which); an invalid `?id=`',
  ),
  415: problem('Content-Type other than message/rfc822, or a compressed body (Content-Encoding, or a Transfer-Encoding other than chunked)'),
} as const;

/**
 * The problem responses of a route open without a key: another method, and, on a server run without API
 * keys (which answers clients on this machine only), a request whose Host or Origin is another machine's.
 */
export const publicErrorResponses = {
  400: problem(`\`REQUEST_INVALID\`: ${UNREADABLE}`),
  403: problem('On a server run without API keys (local clients only): a request whose Host or Origin header is not this machine'),
  405: noBodyErrorResponses[405],
  default: otherErrors,
} as const;

/**
 * The problem responses of a read that needs a key of any scope on a server with API keys (/v1/model, /metrics): those of
 * an open route, and a missing or unknown key's, and its rate limit's.
 */
export const keyedReadErrorResponses = {
  ...publicErrorResponses,
  401: problem('On a server with API keys: no or unknown API key (any scope will do)', { 'WWW-Authenticate': { description: 'The schemes the server takes a key by', schema: { type: 'string' } } }),
  429: noBodyErrorResponses[429],
} as const;
