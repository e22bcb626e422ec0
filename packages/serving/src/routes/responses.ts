import { PROBLEM_CONTENT_TYPE } from '../http/problem.js';
import { ProblemSchema } from '../http/schemas.js';

const problemContent = { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } };

/** Either way of sending a key (the schemes are registered in docs.ts). */
export const API_KEY_SECURITY: Record<string, string[]>[] = [{ apiKey: [] }, { apiKeyHeader: [] }];

/** The problem responses every guarded route can give, for the OpenAPI document. */
export const noBodyErrorResponses = {
  400: { description: 'Invalid request (zod issue paths in `issues`)', content: problemContent },
  401: { description: 'No or unknown API key', content: problemContent },
  403: {
    description: 'The key lacks the scope; on a server run without API keys (local clients only), a request whose Host or Origin header is not this machine',
    content: problemContent,
  },
  405: { description: 'Another method than the route takes (`allow` and the Allow header list them)', content: problemContent },
  429: { description: 'Rate limit of the key exceeded (Retry-After)', content: problemContent },
  503: { description: 'Overloaded, the answer timed out (`REQUEST_TIMEOUT`) or no model yet (Retry-After)', content: problemContent },
  500: { description: 'Internal error (no details)', content: problemContent },
} as const;

/** ... and those of a route that takes a body: its arrival, its size and its media type. */
export const errorResponses = {
  ...noBodyErrorResponses,
  408: { description: 'The body did not all arrive within the request timeout (`REQUEST_TIMEOUT`, with Connection: close)', content: problemContent },
  413: { description: 'Body over the limit', content: problemContent },
  415: { description: 'Wrong Content-Type, a compressed body (Content-Encoding), or a JSON body that is not UTF-8', content: problemContent },
} as const;

/** ... and those of a route that scores emails: behind the AWS Lambda, the SageMaker endpoint can fail it. */
export const classifyErrorResponses = {
  ...errorResponses,
  502: {
    description: 'Behind the AWS Lambda only: the SageMaker endpoint failed the request (`ENDPOINT_FAILED`) or answered something unusable (`SAGEMAKER_RESPONSE_INVALID`)',
    content: problemContent,
  },
} as const;

/** ... and those of /v1/classify/eml, whose body is one raw email rather than JSON. */
export const emlErrorResponses = {
  ...classifyErrorResponses,
  400: {
    description:
      'Invalid request (zod issue paths in `issues`): an empty body (issue code `empty`); one with no header lines, over max(20,000, bytes/64) lines or over 256 KiB of headers (issue code `invalid_eml`, the detail says which); an invalid `?id=`',
    content: problemContent,
  },
  415: { description: 'Content-Type other than message/rfc822, or a compressed body (Content-Encoding)', content: problemContent },
} as const;

/**
 * The problem responses of a route open without a key: another method, and, on a server run without API
 * keys (which answers clients on this machine only), a request whose Host or Origin is another machine's.
 */
export const publicErrorResponses = {
  403: { description: 'On a server run without API keys (local clients only): a request whose Host or Origin header is not this machine', content: problemContent },
  405: noBodyErrorResponses[405],
} as const;
