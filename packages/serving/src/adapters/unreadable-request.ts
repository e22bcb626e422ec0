import { problem, type Problem } from '../http/problem.js';

/** Why @hono/node-server refuses a path with a backslash (its words, so both front doors say the same). */
export const BACKSLASH_IN_PATH = 'Backslash in request path';
export const DOT_SEGMENT_IN_PATH = 'Dot segment (. or .., percent-encoded or not) in request path';

/**
 * The 400 for a request that cannot be made into a URL: a backslash in its path (`/v1\classify`, which a URL parser
 * reads as `/v1/classify` while a proxy in front may read it otherwise), or, on the Node server, a Host header that
 * is no host name. `why` is the adapter's reason, never the request's text.
 */
export function unreadableRequestProblem(why: string): Problem {
  return problem(400, 'REQUEST_INVALID', `The request cannot be read (${why}): send a path of /-separated segments, without a backslash or a . or .. segment, and a Host header that is a host name.`);
}
