import { HTTPException } from 'hono/http-exception';
import { ServingError, type ProblemCode, type StartupErrorCode } from '../errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
/** What a 401 must name (RFC 9110): how to authenticate. */
const BEARER_CHALLENGE = 'Bearer realm="mailroute"';

/** RFC 9457 problem document: `code` is the stable machine-readable member. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ProblemCode | StartupErrorCode;
  detail?: string;
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  417: 'Expectation Failed',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** Codes for errors raised by Hono itself (malformed JSON, wrong content type, body limit). */
const HTTP_EXCEPTION_CODES: Record<number, ProblemCode> = {
  400: 'REQUEST_INVALID',
  401: 'UNAUTHENTICATED',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

export function problem(status: number, code: ProblemCode | StartupErrorCode, detail?: string, extra: Record<string, unknown> = {}): Problem {
  return {
    type: `urn:mailroute:problem:${code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    ...(detail === undefined ? {} : { detail }),
    ...extra,
  };
}

export interface ProblemWithHeaders {
  body: Problem;
  headers: Record<string, string>;
}

/**
 * Any thrown value to a problem document. Only `ServingError` messages reach the client: they are
 * written by this package and never hold email text. Anything else becomes a bare 500.
 */
export function toProblem(error: unknown): ProblemWithHeaders {
  const headers: Record<string, string> = {};
  if (error instanceof ServingError) {
    const retry = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
    if (typeof retry === 'number') headers['retry-after'] = String(Math.max(1, Math.ceil(retry)));
    const allow = (error as { allow?: readonly string[] }).allow;
    if (allow) headers.allow = allow.join(', ');
    if (error.status === 401) headers['www-authenticate'] = BEARER_CHALLENGE;
    return { body: problem(error.status, error.code, error.message, error.extra), headers };
  }
  if (error instanceof HTTPException) {
    const status = error.status;
    const code = HTTP_EXCEPTION_CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'REQUEST_INVALID');
    if (status === 401) headers['www-authenticate'] = BEARER_CHALLENGE;
    // Hono's own messages are generic ("Malformed JSON in request body"), safe to pass on.
    return { body: problem(status, code, error.message || TITLES[status]), headers };
  }
  // The client closed the connection while its body was being read (a chunked upload cut off): its doing, not a fault here.
  if (isClientAbort(error)) return { body: problem(400, 'REQUEST_INVALID', 'The request body was cut off: the client closed the connection before sending all of it.'), headers };
  return { body: problem(500, 'INTERNAL', 'The server failed to handle the request.'), headers };
}

/** Node's error for a request stream whose client went away ("aborted"; not other resets, such as a failed call out). */
function isClientAbort(error: unknown): boolean {
  return error instanceof Error && error.message === 'aborted';
}
