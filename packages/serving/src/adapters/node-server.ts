import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { getRequestListener } from '@hono/node-server';
import type { ServingApp } from '../app.js';
import { ForbiddenError, ListenError, ServingConfigError } from '../errors.js';
import { describeError, silentLogger, type Logger } from '../http/logger.js';
import { PROBLEM_CONTENT_TYPE, toProblem, type Problem, type ProblemWithHeaders } from '../http/problem.js';
import { requestIdOf } from '../http/refusal-log.js';
import { answerClientError, expectationProblem, OWN_HEADERS, respondWithProblem, unservableRequestProblem } from './client-error.js';
import { unreadableRequestProblem } from './unreadable-request.js';

export interface NodeServerOptions {
  serving: ServingApp;
  host: string;
  /** 0 picks a free port. */
  port: number;
  logger?: Logger;
  /**
   * Why listening on a public address without API keys is acceptable. Only `sagemaker`: there the
   * container is reached solely through the SageMaker runtime, which authenticates callers with IAM.
   */
  unauthenticatedBecause?: 'sagemaker';
  /**
   * Open client connections at most (default DEFAULT_MAX_CONNECTIONS); Node closes any beyond at once,
   * so a flood of idle or slow connections cannot take every file descriptor (the model, the database
   * and the log need some too).
   */
  maxConnections?: number;
}

/** Under the common 1,024 open files per process, with room for the database, the model and the log. */
export const DEFAULT_MAX_CONNECTIONS = 1000;
/** Connections dropped over `maxConnections` are logged at most this often (a flood would flood the log). */
const DROP_LOG_MS = 10_000;

export interface RunningServer {
  host: string;
  port: number;
  url: string;
  /** Whether callers need an API key. */
  authEnabled: boolean;
  /** Stops accepting, lets in-flight requests finish, then releases the model and closes the store. */
  close(): Promise<void>;
  /** The classify and feedback requests being handled now (optional: a stand-in server in tests has none). */
  inFlight?(): number;
}

export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** Headers a reverse proxy adds to what it relays (nginx, HAProxy, Apache, Envoy, cloud load balancers), lower-cased as Node gives them. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip', 'via'] as const;

/** The host of a Host header (`127.0.0.1:8080`, `[::1]:8080`, `localhost`), without its port. */
function hostOfHeader(host: string): string {
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
}

/** The host of an Origin header (`http://localhost:3000`); '' for `null` or one that is not a URL. */
function hostOfOrigin(origin: string): string {
  try {
    return new URL(origin).hostname;
  } catch {
    return '';
  }
}

/**
 * Why a request to a server without API keys is refused, or undefined when it comes from a client on this
 * machine. Such a server trusts whatever reaches its loopback port, and so does a web page in the user's
 * browser: by DNS rebinding (its own host name made to resolve to 127.0.0.1, so its requests are same-origin
 * and the Host header names it) or by a cross-site request that needs no CORS preflight (a POST to
 * /v1/admin/reload). Browsers always send Host, and Origin on every cross-site POST; other clients
 * (curl, a CRM on this machine) send a loopback Host and no Origin.
 */
export function notFromLoopback(headers: IncomingHttpHeaders): string | undefined {
  const { host, origin } = headers;
  // A reverse proxy on this machine (nginx's proxy_pass to 127.0.0.1 sends a loopback Host) relays every client of
  // the network: what it adds to the request says so, and such a request is no local client's.
  const relayed = PROXY_HEADERS.find((name) => headers[name] !== undefined);
  if (relayed !== undefined) return `it came through a proxy (its ${relayed} header), which relays clients of other machines`;
  // An empty Host (`Host:` with no value) names no host at all: said so, not as "names " and nothing.
  if (host !== undefined && !isLoopback(hostOfHeader(host))) return host.trim() === '' ? 'its Host header is empty' : `its Host header names ${host.slice(0, 80)}`;
  if (origin !== undefined && !isLoopback(hostOfOrigin(origin))) return `it comes from the web page of ${origin.slice(0, 80)}`;
  return undefined;
}

/** The 403 for a request `notFromLoopback` refused, as problem+json with an `x-request-id` like every other error. */
function loopbackOnlyResponse({ body, headers }: ProblemWithHeaders, requestId: string): Response {
  return new Response(JSON.stringify(body), { status: body.status, headers: { ...headers, 'x-request-id': requestId, 'content-type': PROBLEM_CONTENT_TYPE, ...OWN_HEADERS } });
}

/** The route the metrics and logs name an answer this adapter gives before the app by: no route of the app's was read. */
const UNREAD_ROUTE = 'unread_request';

/** Where an answer this adapter gives itself is counted: by default no route's nor method (none was read). */
interface OwnAnswerAt {
  route: string;
  method: string;
}
const UNREAD: OwnAnswerAt = { route: UNREAD_ROUTE, method: 'unknown' };

/**
 * An answer this adapter gives itself, before the app reads the request (Node could not parse it; no fetch Request
 * could be made of it; a server without keys refusing another machine's request): counted in `/metrics` as the app's
 * answers are (under the route `unread_request` and the method `unknown` when none was read), and logged as they are:
 * a refusal in the rate-limited `request refused` line, a fault in the rate-limited `request failed` line, each with
 * the id its answer carries.
 */
function recordOwnAnswer(serving: ServingApp, at: OwnAnswerAt, body: Problem, requestId: string, clientAddress?: string, error?: unknown): void {
  const { metrics } = serving.context;
  const { route, method } = at;
  metrics.requests.inc({ route, method, status: String(body.status) });
  metrics.problems.inc({ route, code: body.code });
  if (body.status < 500) serving.refused({ requestId, method, route, status: body.status, code: body.code, ...(clientAddress === undefined ? {} : { clientAddress }) });
  else serving.failed({ requestId, method, route, status: body.status, code: body.code, ...(error === undefined ? {} : { error: describeError(error) }) });
}

/**
 * The answer when no fetch Request can be made of a request (@hono/node-server's RequestError: a backslash in its
 * path, a Host header that is no host name), or when the app's fetch throws before it answers: problem+json as every
 * other error, not the adapter's bare empty 400 or 500, counted and logged (`recordOwnAnswer`).
 */
function unanswerable(serving: ServingApp): (error: unknown) => Response {
  return (error) => {
    const body = error instanceof Error && error.name === 'RequestError' ? unreadableRequestProblem(error.message) : toProblem(error).body;
    const requestId = randomUUID();
    recordOwnAnswer(serving, UNREAD, body, requestId, undefined, error);
    return new Response(JSON.stringify(body), { status: body.status, headers: { 'x-request-id': requestId, 'content-type': PROBLEM_CONTENT_TYPE, ...OWN_HEADERS } });
  };
}

/** A bind failure said in terms of what to do about it; other errors pass unchanged. */
function listenError(error: Error, host: string, port: number): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new ListenError(`Port ${port} on ${host} is already in use (another mailroute server?): stop it, or choose another port (--port or PORT).`, {}, { cause: error });
  }
  if (code === 'EACCES') {
    return new ListenError(`Not allowed to listen on port ${port} of ${host} (ports under 1024 need privileges): choose a port from 1024 up (--port or PORT).`, {}, { cause: error });
  }
  if (code === 'EADDRNOTAVAIL') {
    return new ListenError(`${host} is not an address of this machine: choose another host (--host or HOST).`, {}, { cause: error });
  }
  return error;
}

/** How long idle keep-alive sockets stay open after shutdown begins, for a request already on its way. */
const DRAIN_GRACE_MS = 100;

/** Node's own limit on receiving a request's headers (its default); a shorter request timeout replaces it. */
const NODE_HEADERS_TIMEOUT_MS = 60_000;
/** How often Node looks for connections past that limit (its default: every 30 s). */
const HEADERS_CHECK_MS = 1_000;

/** Runs the app on Node's HTTP server. Refuses a non-loopback host when auth is off. */
export async function startNodeServer(options: NodeServerOptions): Promise<RunningServer> {
  const logger = options.logger ?? silentLogger;
  const { serving } = options;
  if (!serving.context.auth.enabled && !isLoopback(options.host) && options.unauthenticatedBecause !== 'sagemaker') {
    throw new ServingConfigError(
      `Refusing to listen on ${options.host} without API keys: configure keys, or listen on 127.0.0.1.`,
    );
  }
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  if (!Number.isInteger(maxConnections) || maxConnections < 1) throw new ServingConfigError(`maxConnections must be an integer of at least 1 (got ${maxConnections}).`);
  // Without keys, and not behind SageMaker's IAM: only requests of clients on this machine (read off the
  // headers Node has parsed already: about 0.2 µs a request).
  const loopbackOnly = !serving.context.auth.enabled && options.unauthenticatedBecause === undefined;
  const { metrics } = serving.context;
  const fetch = loopbackOnly
    ? (request: Request, env: { incoming: { headers: IncomingHttpHeaders; socket?: { remoteAddress?: string } } }) => {
        const why = notFromLoopback(env.incoming.headers);
        if (why === undefined) return serving.app.fetch(request, env);
        const started = performance.now();
        // Answered before the app (and its metrics middleware): counted here, so a CRM calling by host name, or a
        // web page trying, shows in /metrics.
        const problem = toProblem(new ForbiddenError(`This server runs without API keys, for clients on this machine only, and ${why}: call it at 127.0.0.1 or localhost, or configure API keys.`));
        const sent = env.incoming.headers['x-request-id'];
        const requestId = requestIdOf(typeof sent === 'string' ? sent : undefined, randomUUID);
        // Logged with the app's own refusals, under their one rate limit.
        recordOwnAnswer(serving, { route: 'not_loopback', method: request.method }, problem.body, requestId, env.incoming.socket?.remoteAddress);
        metrics.rejected.inc({ reason: 'not_loopback' });
        const refused = loopbackOnlyResponse(problem, requestId);
        // In the latency histogram too, as every request the app answers is: its counts match the requests' then.
        metrics.observeLatency('not_loopback', 403, (performance.now() - started) / 1000);
        return refused;
      }
    : serving.app.fetch;
  // A client that trickles its headers (slowloris) has no request yet for the deadline to bound: Node's
  // defaults held each such connection up to 90 s (60 s, checked every 30 s), so a few hundred new ones a
  // second kept the file descriptors taken. Its headers get the request timeout instead (60 s at most).
  // The whole request, body included, gets twice that: the headers' time, then the body's, which the app's own deadline
  // bounds on the routes that read one. A GET or HEAD that declares a body (Content-Length: 1000000000) is answered
  // without reading it, and its trickled bytes then held the connection for Node's default 300 s: a thousand of them,
  // no key needed, took every connection --max-connections allows, and the CRM was refused.
  const headersTimeout = Math.min(serving.context.limits.requestTimeoutMs, NODE_HEADERS_TIMEOUT_MS);
  // Node's own answer to an HTTP/1.1 request without a Host header is an empty 400: the listener answers it instead.
  const serverOptions = { headersTimeout, requestTimeout: 2 * headersTimeout, connectionsCheckingInterval: HEADERS_CHECK_MS, requireHostHeader: false };
  // @hono/node-server's listener on Node's server, as its serve() sets them up, with the error handler serve() does not pass on.
  const appListener = getRequestListener(fetch, { hostname: options.host, errorHandler: unanswerable(serving) });
  const refuse = (request: IncomingMessage, response: ServerResponse, body: Problem) => {
    const requestId = randomUUID();
    recordOwnAnswer(serving, { route: UNREAD_ROUTE, method: request.method ?? 'unknown' }, body, requestId, request.socket.remoteAddress);
    respondWithProblem(response, body, requestId);
  };
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    const refused = unservableRequestProblem(request);
    if (refused === undefined) return appListener(request, response);
    refuse(request, response, refused);
  };
  const server: Server = await new Promise((resolve, reject) => {
    const s = createServer(serverOptions, listener).listen(options.port, options.host, () => resolve(s));
    s.once('error', (error) => reject(listenError(error, options.host, options.port)));
  });
  // Responses not yet started when shutdown begins (and requests that still come on open keep-alive
  // sockets) say `Connection: close`: the client then opens a new connection for its next request
  // instead of reusing one that is about to close under it (a reset, not an answer).
  // Also the answers under way: a request Node cannot parse gets a problem document only on a socket with none.
  const unanswered = new Set<ServerResponse>();
  let draining = false;
  server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    if (draining) response.setHeader('connection', 'close');
    unanswered.add(response);
    response.once('close', () => unanswered.delete(response));
  });
  // Expect: 100-continue (.NET clients send it on every POST): Node would answer 100 Continue at once, so the
  // client uploads a body the app then refuses (413 over the limit, 401, 415). The 100 goes out only when the
  // app starts reading the body; one refused before is answered without it, closing the connection (the body
  // it never sent would be read as the next request). Node emits this instead of 'request' for such requests only.
  server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    response.setHeader('connection', 'close');
    request.once('resume', () => {
      if (response.headersSent) return;
      response.writeContinue();
      if (!draining) response.removeHeader('connection');
    });
    server.emit('request', request, response);
  });
  // Expect other than 100-continue: answered as every error is, where Node's own answer was an empty 417.
  server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => refuse(request, response, expectationProblem(request.headers.expect)));
  // Looked through only on a client error, which is rare: no bookkeeping per request beyond `unanswered`.
  const answering = (socket: Duplex) => [...unanswered].find((response) => response.socket === socket);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) =>
    answerClientError(error, socket, answering(socket), (body, requestId) => recordOwnAnswer(serving, UNREAD, body, requestId, (socket as net.Socket).remoteAddress)),
  );
  server.maxConnections = maxConnections;
  let dropped = 0;
  let droppedLoggedAt = -Infinity;
  server.on('drop', () => {
    dropped++;
    if (Date.now() - droppedLoggedAt < DROP_LOG_MS) return;
    droppedLoggedAt = Date.now();
    logger.warn('connections refused: the server holds maxConnections open connections', { maxConnections, dropped });
    dropped = 0;
  });
  const address = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${address.port}`;
  logger.info('listening', { url, auth: serving.context.auth.enabled });
  let closing: Promise<void> | undefined;
  return {
    host: options.host,
    port: address.port,
    url,
    authEnabled: serving.context.auth.enabled,
    inFlight: () => serving.context.inFlight.count,
    close() {
      closing ??= (async () => {
        draining = true;
        for (const response of unanswered) if (!response.headersSent) response.setHeader('connection', 'close');
        await new Promise<void>((resolve) => {
          // Stop accepting (net's close: http's would also close idle keep-alive sockets at once, under a
          // client that is sending on one right now: a reset). For a short grace, a request that comes on
          // an open socket is answered with Connection: close; then sockets still idle are closed, and
          // again every 250 ms for those whose answer had begun before shutdown (they stay keep-alive).
          let sweep: NodeJS.Timeout | undefined;
          let sweeping: NodeJS.Immediate | undefined;
          // A handler ends within the request timeout; a connection still open past it plus the grace
          // (a client that never finishes sending its headers) would hold the shutdown for ever: cut.
          const deadlineMs = serving.context.limits.requestTimeoutMs + DRAIN_GRACE_MS;
          const deadline = setTimeout(() => {
            logger.warn('closing the connections still open at the shutdown deadline', { afterMs: deadlineMs });
            if ('closeAllConnections' in server) server.closeAllConnections();
          }, deadlineMs);
          net.Server.prototype.close.call(server, () => {
            clearTimeout(sweep);
            clearImmediate(sweeping);
            clearTimeout(deadline);
            resolve();
          });
          // Idle is what Node has read: a request that came while the process was busy past the grace (a loaded
          // machine) is still unread when the timer fires, and would be cut unanswered (a reset). setImmediate runs
          // after the event loop has read the sockets once more, so such a request is under way, and kept.
          const closeIdle = () => {
            sweeping = setImmediate(() => {
              if ('closeIdleConnections' in server) server.closeIdleConnections();
            });
            sweep = setTimeout(closeIdle, 250);
          };
          sweep = setTimeout(closeIdle, DRAIN_GRACE_MS);
        });
        await serving.close();
        logger.info('stopped');
      })();
      return closing;
    },
  };
}

/**
 * Closes the server gracefully on SIGTERM or SIGINT and resolves when it has stopped. A second signal during that
 * drain (an impatient operator, a second Ctrl-C) stops it at once: `drain abandoned` is logged (error level, with the
 * requests still in flight: they get no answer, and predictions answered in the last milliseconds may not be
 * committed, as after kill -9), then `abandon` runs, by default the signal's own action on the process (exit status
 * 128 + its number). `signals` and `abandon` are injectable for tests; the CLI passes the process.
 */
export function closeOnSignals(server: RunningServer, signals: EventEmitter, logger: Logger = silentLogger, abandon: (signal: string) => void = raiseAgain): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (name: string) => {
      const onSecond = (second: string) => {
        logger.error('drain abandoned', { signal: second, ...(server.inFlight ? { inFlightRequests: server.inFlight() } : {}) });
        abandon(second);
      };
      const secondTerm = () => onSecond('SIGTERM');
      const secondInt = () => onSecond('SIGINT');
      // On before the first handlers come off: a signal without listeners has its watcher closed, and a second
      // signal read in the same turn as the first was dropped with it (kill -TERM twice, 20 ms apart).
      signals.once('SIGTERM', secondTerm);
      signals.once('SIGINT', secondInt);
      signals.off('SIGTERM', onTerm);
      signals.off('SIGINT', onInt);
      logger.info('shutting down', { signal: name });
      const stopped = () => {
        signals.off('SIGTERM', secondTerm);
        signals.off('SIGINT', secondInt);
        resolve(name);
      };
      server.close().then(stopped, stopped);
    };
    const onTerm = () => onSignal('SIGTERM');
    const onInt = () => onSignal('SIGINT');
    // `on`, taken off in onSignal: `once` would leave the signal without a listener, its watcher closed, before onSignal runs.
    signals.on('SIGTERM', onTerm);
    signals.on('SIGINT', onInt);
  });
}

/** A signal's own action on this process, its handlers gone: the exit status a supervisor expects (143 for SIGTERM). */
function raiseAgain(signal: string): void {
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
}
