import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { problem, PROBLEM_CONTENT_TYPE, type Problem } from '../http/problem.js';

/**
 * The problem document for a request Node could not read, by its error's code (with the statuses Node's own answer has).
 * `inBody`: the request's head was read, and its body's framing (chunk sizes, the line ends between chunks) broke.
 */
export function clientErrorProblem(code: string | undefined, inBody = false): Problem {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return problem(431, 'REQUEST_INVALID', 'The request headers are larger than the server reads: send fewer or shorter headers.');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return problem(413, 'PAYLOAD_TOO_LARGE', 'The chunk extensions of the request body are larger than the server reads.');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return problem(408, 'REQUEST_TIMEOUT', 'The request headers did not all arrive within the request timeout.');
    default:
      return inBody
        ? problem(400, 'REQUEST_INVALID', 'The request body is not framed as HTTP/1.1 chunked encoding requires (a chunk size that is not hexadecimal, or a chunk not followed by a line end).')
        : problem(400, 'REQUEST_INVALID', 'The request is not HTTP/1.1 the server can read: malformed, or cut off before its headers ended.');
  }
}

/** The headers of every answer this adapter writes itself, as the app's answers carry them (app.ts, secureHeaders). */
export const OWN_HEADERS = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' } as const;

/**
 * Answers `response` with `body` and closes the connection: for a request the adapter refuses before the app sees
 * it (no Host header, an Expect it cannot meet), whose body, if any, is never read.
 */
export function respondWithProblem(response: ServerResponse, body: Problem, requestId: string): void {
  const json = JSON.stringify(body);
  response.writeHead(body.status, body.title, {
    'content-type': PROBLEM_CONTENT_TYPE,
    'content-length': Buffer.byteLength(json),
    'x-request-id': requestId,
    ...OWN_HEADERS,
    connection: 'close',
  });
  response.end(json);
}

/**
 * What the adapter refuses of a request Node has parsed, before the app sees it: an HTTP/1.1 request without a Host
 * header (RFC 9112 requires a 400; Node's own answer to it was an empty one). Undefined for every other request.
 */
export function unservableRequestProblem(request: IncomingMessage): Problem | undefined {
  if (request.httpVersion !== '1.1' || request.headers.host !== undefined) return undefined;
  return problem(400, 'REQUEST_INVALID', 'An HTTP/1.1 request must carry a Host header: send Host: <the address you call>.');
}

/** The 417 for an Expect header other than 100-continue (Node's own answer to it was an empty one). */
export function expectationProblem(expect: string | undefined): Problem {
  const shown = (expect ?? '').slice(0, 60);
  return problem(417, 'REQUEST_INVALID', `The server meets no Expect but 100-continue (got Expect: ${shown}): send the request without it.`);
}

/** A whole HTTP/1.1 answer carrying `body`, for a socket that has no request object to answer through. */
export function rawProblemResponse(body: Problem, requestId: string = randomUUID()): string {
  const json = JSON.stringify(body);
  return [
    `HTTP/1.1 ${body.status} ${body.title}`,
    `content-type: ${PROBLEM_CONTENT_TYPE}`,
    `content-length: ${Buffer.byteLength(json)}`,
    `x-request-id: ${requestId}`,
    ...Object.entries(OWN_HEADERS).map(([name, value]) => `${name}: ${value}`),
    'connection: close',
    '',
    json,
  ].join('\r\n');
}

/**
 * The server's `clientError`: a request Node cannot parse (bad header bytes, a socket half-closed in the
 * middle of its headers, headers too large or too slow) is answered with a problem document, as every
 * other error is, instead of Node's bare `400 Bad Request`, and the connection is closed. A socket that
 * cannot be written (the client reset it) is destroyed, and so is one still reading an earlier request's body.
 * One answering an earlier, whole request (`answering`) gets that answer, with `Connection: close`, and is closed
 * then: a second answer there would be read as the first one's. A request whose body's framing breaks (a chunk size
 * that is not hexadecimal) before anything was answered gets a 400 saying so, instead of a connection closed without
 * a word; the app, still waiting for that body, then sees its client gone.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, answering?: ServerResponse, onAnswer?: (body: Problem, requestId: string) => void): void {
  // Answered already (the parser may report the same bytes again): the socket goes once that is sent.
  if (socket.writableEnded) return;
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  if (answering && !answering.req.complete && !answering.headersSent && error.code?.startsWith('HPE_')) {
    const body = clientErrorProblem(error.code, true);
    const requestId = randomUUID();
    onAnswer?.(body, requestId);
    socket.end(rawProblemResponse(body, requestId), () => socket.destroy());
    return;
  }
  // A request whose body did not all come (a client gone half-way through a chunked upload) is cut off with its socket.
  if (answering && !answering.req.complete) {
    socket.destroy();
    return;
  }
  if (answering) {
    // Bytes after a request's body that are no request (most often: a Content-Length smaller than the body, counted
    // in characters, not UTF-8 bytes): that request still gets its answer, which says the connection closes, then it does.
    if (!answering.headersSent) answering.setHeader('connection', 'close');
    answering.once('close', () => socket.destroy());
    return;
  }
  const body = clientErrorProblem(error.code);
  const requestId = randomUUID();
  onAnswer?.(body, requestId);
  socket.end(rawProblemResponse(body, requestId), () => socket.destroy());
}
