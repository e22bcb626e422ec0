import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { problem, PROBLEM_CONTENT_TYPE, type Problem } from '../http/problem.js';

/** The problem document for a request Node could not read, by its error's code (with the statuses Node's own answer has). */
export function clientErrorProblem(code: string | undefined): Problem {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return problem(431, 'REQUEST_INVALID', 'The request headers are larger than the server reads: send fewer or shorter headers.');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return problem(413, 'PAYLOAD_TOO_LARGE', 'The chunk extensions of the request body are larger than the server reads.');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return problem(408, 'REQUEST_TIMEOUT', 'The request headers did not all arrive within the request timeout.');
    default:
      return problem(400, 'REQUEST_INVALID', 'The request is not HTTP/1.1 the server can read: malformed, or cut off before its headers ended.');
  }
}

/** A whole HTTP/1.1 answer carrying `body`, for a socket that has no request object to answer through. */
export function rawProblemResponse(body: Problem, requestId: string = randomUUID()): string {
  const json = JSON.stringify(body);
  return [
    `HTTP/1.1 ${body.status} ${body.title}`,
    `content-type: ${PROBLEM_CONTENT_TYPE}`,
    `content-length: ${Buffer.byteLength(json)}`,
    `x-request-id: ${requestId}`,
    // As on every answer of the app (app.ts, secureHeaders).
    'x-content-type-options: nosniff',
    'cache-control: no-store',
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
 * then: a second answer there would be read as the first one's.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, answering?: ServerResponse, onAnswer?: (body: Problem, requestId: string) => void): void {
  // Answered already (the parser may report the same bytes again): the socket goes once that is sent.
  if (socket.writableEnded) return;
  // A request whose body did not all come (a client gone half-way through a chunked upload) is cut off with its socket.
  if (error.code === 'ECONNRESET' || !socket.writable || (answering && !answering.req.complete)) {
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
