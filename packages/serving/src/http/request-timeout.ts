import type { IncomingMessage } from 'node:http';

/** Where the request timeout is set, for the advice of a 408 whose body stopped arriving. */
export const REQUEST_TIMEOUT_SETTING = "--timeout-ms of mailroute serve (the server's requestTimeoutMs setting)";

export interface StalledBody {
  timeoutMs: number;
  /** The Content-Length; undefined for a chunked body. */
  declared?: number;
  /** Bytes of the body that came; undefined when not known. */
  received?: number;
}

/**
 * The 408 REQUEST_TIMEOUT detail for a request whose body stopped arriving before the deadline: how much of
 * it came of how much was declared, within how long, and what to do (send all of it; a Content-Length
 * counted in characters rather than UTF-8 bytes declares more than is sent, and the server waits for the rest).
 */
export function stalledBodyMessage({ timeoutMs, declared, received }: StalledBody): string {
  const within = `within ${timeoutMs} ms, the server's request timeout`;
  const limit = `the timeout is ${REQUEST_TIMEOUT_SETTING}`;
  if (declared === undefined) {
    return `The request body stopped arriving (or came too slowly): the chunked body did not end (with its last, zero-length chunk) ${within}. Send the whole body and end it, or send it with a Content-Length; ${limit}.`;
  }
  const came = received === undefined ? `not all of the ${declared} bytes its Content-Length declares came` : `${received} of the ${declared} bytes its Content-Length declares came`;
  return `The request body stopped arriving (or came too slowly): ${came} ${within}. Send the whole body, with a Content-Length that counts its bytes (UTF-8 bytes, not characters); ${limit}.`;
}

/** The least Retry-After of a 503 REQUEST_TIMEOUT, in seconds. */
const SLOW_RETRY_MIN_SECONDS = 5;

/**
 * The Retry-After of a 503 REQUEST_TIMEOUT: the timeout itself, at least SLOW_RETRY_MIN_SECONDS. The request that
 * timed out keeps running, and its slot, until it ends, and the same request sent again at once would most likely
 * take as long (one slow email is as slow the second time): 1 s had a CRM send it again and again, each time
 * timing out and taking one more slot. The concurrency cap's 503 OVERLOADED keeps its 1 s: a slot frees soon.
 */
export function slowRequestRetryAfterSeconds(timeoutMs: number): number {
  return Math.max(SLOW_RETRY_MIN_SECONDS, Math.ceil(timeoutMs / 1000));
}

/**
 * The 503 REQUEST_TIMEOUT detail for a request whose body came but whose answer took too long (a slow model or
 * store, a big batch): that it took longer than the timeout (its length named), that sending it again at once
 * would most likely time out again, and what helps (waiting Retry-After; a smaller classify batch).
 */
export function slowRequestMessage(scope: string, timeoutMs: number): string {
  const split = scope === 'classify' ? ' Send a big batch of emails split into smaller requests; an email that alone takes this long will time out again.' : '';
  return `The request took longer than ${timeoutMs} ms, the server's request timeout, and was answered without its result. Sent again at once, it would most likely take as long: wait the Retry-After seconds (${slowRequestRetryAfterSeconds(timeoutMs)}) before sending it again.${split}`;
}

/** The request line and header block as a client writes them (`Name: value`), in bytes (Node reads them as latin1). */
function headBytes(incoming: IncomingMessage): number {
  let bytes = `${incoming.method} ${incoming.url} HTTP/${incoming.httpVersion}\r\n\r\n`.length;
  const raw = incoming.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) bytes += raw[i].length + 2 + raw[i + 1].length + 2;
  return bytes;
}

/**
 * What is known of a Node request's body that has not all come: its declared length, and how many of its
 * bytes came, read off the socket when the timer fires (nothing is counted while the body is read). The count
 * is the bytes the socket read less the request's head, so it is given only on a connection that has answered
 * nothing yet (no earlier request, no 100 Continue: nothing written) and when it comes out below the declared length.
 */
export function stalledBody(incoming: IncomingMessage, timeoutMs: number): StalledBody {
  const length = incoming.headers['content-length'];
  if (incoming.headers['transfer-encoding'] !== undefined || length === undefined || !/^\d+$/.test(length)) return { timeoutMs };
  const declared = Number(length);
  const socket = incoming.socket;
  if (!socket || socket.bytesWritten > 0) return { timeoutMs, declared };
  const received = socket.bytesRead - headBytes(incoming);
  return received >= 0 && received < declared ? { timeoutMs, declared, received } : { timeoutMs, declared };
}
