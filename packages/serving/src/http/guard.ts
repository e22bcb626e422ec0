import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context, MiddlewareHandler, Next } from 'hono';
import { isUtf8 } from 'node:buffer';
import { bodyLimit } from 'hono/body-limit';
import { presentedKey, type Principal, type Scope } from '../auth/api-keys.js';
import {
  ForbiddenError,
  OverloadedError,
  PayloadTooLargeError,
  RateLimitedError,
  RequestBodyTimeoutError,
  RequestTimeoutError,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
} from '../errors.js';
import type { AppContext, AppEnv } from './context.js';
import { bodyTooLargeMessage, maxConcurrentPerKey, type BodyKind } from './limits.js';
import { malformedJsonError } from './malformed-json.js';
import { sentValue } from './quoted-value.js';
import { slowRequestMessage, slowRequestRetryAfterSeconds, stalledBody, stalledBodyMessage } from './request-timeout.js';
import { describeNonUtf8 } from './utf8.js';

/** API key, scope (any, when `scope` is undefined) and rate limit; sets `principal` or throws (401, 403, 429). */
function authorize(ctx: AppContext, c: Context<AppEnv>, scope: Scope | undefined): void {
  const key = presentedKey(c.req.header('authorization'), c.req.header('x-api-key'));
  const principal = ctx.auth.authenticate(key);
  if (!principal) {
    const authorization = c.req.header('authorization');
    const first = key === undefined && authorization ? /^\S+/.exec(authorization.trim())?.[0].slice(0, 20) : undefined;
    const scheme = first !== undefined && first.toLowerCase() !== 'bearer' ? first : undefined;
    // Two Authorization headers reach the app joined by a comma (`Bearer k, Bearer k`): no key reads so.
    const repeated = authorization !== undefined && /,\s*bearer\s/i.test(authorization);
    throw new UnauthenticatedError(
      scheme
        ? `The Authorization scheme must be Bearer, not ${scheme} (Authorization: Bearer <key>).`
        : key === undefined
          ? 'An API key is required (Authorization: Bearer <key>).'
          : repeated
            ? 'The Authorization header was sent more than once (the server reads the copies joined by commas, which is no key): send it once (Authorization: Bearer <key>).'
            : 'The API key is not valid: it is none of this server\'s keys (a rotated or revoked key stops working); ask the server\'s operator for a valid one.',
    );
  }
  // Set before the scope and rate checks: a refusal's log line names the key (never the key itself).
  c.set('principal', principal);
  if (scope !== undefined && !principal.scopes.has(scope)) {
    const own = ctx.auth.missingScopeDetail?.(principal, scope);
    throw new ForbiddenError(own ?? `The API key "${principal.keyId}" lacks the "${scope}" scope this route needs (it has ${[...principal.scopes].join(', ')}): use a key with ${scope}, or ask the server's operator to add it.`);
  }
  const limit = principal.rateLimit ?? ctx.limits.defaultRateLimit;
  if (limit) {
    // One bucket per key and scope: a burst of classify requests must never turn away the same key's feedback, which
    // records what a person confirmed. (A scope name has no ':', so no two keys' buckets share a name.)
    const wait = ctx.rateLimiter.take(`${scope ?? 'any'}:${principal.keyId}`, limit);
    if (wait > 0) {
      ctx.metrics.rejected.inc({ reason: 'rate_limit' });
      const batch = scope === 'classify' ? `, or send more emails per request (up to ${ctx.limits.maxBatch}): the limit counts requests` : '';
      throw new RateLimitedError(`Rate limit of ${limit.perSecond}/s (a burst of ${limit.burst}) exceeded for this key's ${rateLimitedWhat(scope)}: retry after Retry-After seconds${batch}.`, wait);
    }
  }
}

/** What a key's rate limit counted, for the 429: the requests of one scope (those of its other scopes are not). */
function rateLimitedWhat(scope: Scope | undefined): string {
  return `${scope === undefined ? 'requests to /v1/model and /metrics' : `${scope} requests`} (each scope is counted apart)`;
}

/** API key and scope; sets `principal`. */
export function requireScope(ctx: AppContext, scope: Scope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    authorize(ctx, c, scope);
    await next();
  };
}

/**
 * On a server with API keys, a valid key of any scope, and its rate limit (Prometheus sends one as `Authorization:
 * Bearer`); without keys (clients on this machine only, or SageMaker's IAM in front), nothing.
 */
export function requireAnyKey(ctx: AppContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (ctx.auth.enabled) authorize(ctx, c, undefined);
    await next();
  };
}

/** The charset names a JSON body may declare (in lower case). */
const UTF8_CHARSETS: ReadonlySet<string> = new Set(['utf-8', 'utf8', 'us-ascii']);

/** The declared media type must match (SageMaker's contract: 415 otherwise); returns it, in lower case. */
function checkContentType(c: Context<AppEnv>, type: string): string {
  const header = c.req.header('content-type') ?? '';
  const declared = header.split(';')[0].trim().toLowerCase();
  // JSON is UTF-8 (RFC 8259): a body declared in another charset would be read as replacement characters
  // (US-ASCII is UTF-8's first 128 characters; the bytes are checked as UTF-8 in any case).
  // Every charset parameter counts, its whole value (`charset=" latin1"`, `charset=utf-8 latin1`).
  const charset = declared === 'application/json' ? charsetsOf(header).find((c) => !UTF8_CHARSETS.has(c)) : undefined;
  if (charset !== undefined) {
    throw new UnsupportedMediaTypeError(`JSON must be UTF-8, not ${sentValue(charset, 40, '') || 'an empty charset'}: send the body as UTF-8 (charset=utf-8 or none).`);
  }
  if (declared !== type) {
    // The declared type is echoed masked and cut short: a header can be kilobytes long.
    const shown = sentValue(declared, 80);
    throw new UnsupportedMediaTypeError(`Content-Type must be ${type}${shown ? `, not ${shown}` : ''}.`);
  }
  // The route's validator reads JSON only under this exact form (no space before ';'): a form RFC 9110
  // allows (`application/json ; charset=utf-8`, an empty parameter: `application/json;`) is rewritten to it; a
  // parameter without a value (`application/json; foo`), which RFC 9110 does not allow, is refused.
  if (declared === 'application/json' && !JSON_CONTENT_TYPE.test(header)) {
    const compact = compactJsonContentType(header);
    if (compact === undefined) {
      throw new UnsupportedMediaTypeError('Content-Type must be written application/json or application/json; charset=utf-8 (each parameter as name=value).');
    }
    c.req.raw.headers.set('content-type', compact);
  }
  const encoding = c.req.header('content-encoding');
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity' && encoding.trim() !== '') {
    throw new UnsupportedMediaTypeError(`Content-Encoding ${sentValue(encoding, 40, '')} is not supported: send the body uncompressed.`);
  }
  // Node undoes only the chunked coding: a body sent `Transfer-Encoding: gzip, chunked` was read as its compressed bytes.
  const transfer = c.req.header('transfer-encoding');
  if (transfer !== undefined && transfer.trim().toLowerCase() !== 'chunked') {
    throw new UnsupportedMediaTypeError(`Transfer-Encoding ${sentValue(transfer, 40, '')} is not supported: send the body uncompressed, with Content-Length or Transfer-Encoding: chunked alone.`);
  }
  return declared;
}

const utf8 = new TextDecoder();

/**
 * Reads a JSON body and refuses it (415) unless its bytes are UTF-8: a CRM sending windows-1252 would
 * otherwise have its umlauts turned into U+FFFD and be classified on the mangled text; then parses it
 * (400 with where it breaks, never its text). The body is decoded and parsed once.
 */
async function readUtf8Body(c: Context<AppEnv>): Promise<void> {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (!isUtf8(bytes)) {
    // A UTF-16 byte-order mark says what it is; anything else is most often a Western single-byte charset.
    const utf32 = bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0;
    const utf16 = bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
    const guess = utf32 ? 'UTF-32, by its byte-order mark' : utf16 ? 'UTF-16, by its byte-order mark' : 'windows-1252 or Latin-1 bytes?';
    throw new UnsupportedMediaTypeError(`The body is not UTF-8 at ${describeNonUtf8(bytes)}, as JSON must be (${guess}): send it encoded as UTF-8.`);
  }
  const text = utf8.decode(bytes);
  // Hono keeps each body read as a promise under its kind (typed as the value; its `json()` reads `text`).
  (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
  // Parsed once, here: the route's validator reads this value (Hono's json() would parse the text again), and
  // the handler reads it for what validation drops (an own `__proto__` key, to be named as unread or refused).
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw malformedJsonError(text);
  }
  c.set('jsonBody', body);
  c.req.json = () => Promise.resolve(body as never);
}

/** A media type's parameters, name and value trimmed (`; charset = utf-8`); a parameter without `=` has no value. */
function paramsOf(header: string): { name: string; value?: string }[] {
  return header
    .split(';')
    .slice(1)
    .map((param) => {
      const eq = param.indexOf('=');
      return eq < 0 ? { name: param.trim() } : { name: param.slice(0, eq).trim(), value: param.slice(eq + 1).trim() };
    });
}

/** The values of a media type's charset parameters, unquoted and in lower case. */
function charsetsOf(header: string): string[] {
  return paramsOf(header).flatMap((p) => (p.value !== undefined && p.name.toLowerCase() === 'charset' ? [p.value.replace(/^"(.*)"$/s, '$1').trim().toLowerCase()] : []));
}

/** The form of a JSON Content-Type that @hono/zod-openapi's body validator accepts. */
const JSON_CONTENT_TYPE = /^application\/json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

/**
 * `header` (a JSON media type) without the blanks around its `;`s and `=`s (RFC 9110's OWS) and without empty
 * parameters (`application/json;`, which RFC 9110's `*( OWS ";" OWS [ parameter ] )` allows), in the form the body
 * validator accepts; undefined when a parameter has no value or an empty one (`application/json; foo`, `; foo=`).
 */
export function compactJsonContentType(header: string): string | undefined {
  const params = paramsOf(header).filter((p) => p.name !== '' || p.value !== undefined);
  if (params.some((p) => !p.value || !/^[a-zA-Z0-9-]+$/.test(p.name))) return undefined;
  const compact = [header.split(';')[0].trim(), ...params.map((p) => `${p.name}=${p.value}`)].join('; ');
  return JSON_CONTENT_TYPE.test(compact) ? compact : undefined;
}

/**
 * Body size: a Content-Length is checked up front without touching the body (so the Node adapter can
 * read it straight from the socket); a chunked body without a length is counted as it is read (hono's
 * bodyLimit, which then runs `next`).
 */
function bodyLimiter(ctx: AppContext, kind: BodyKind) {
  const max = ctx.limits.maxBodyBytes;
  const tooLarge = (size?: number): never => {
    ctx.metrics.rejected.inc({ reason: 'body_size' });
    throw new PayloadTooLargeError(bodyTooLargeMessage(max, size, kind, ctx.limits.bodyLimitSetting), { limitBytes: max, ...(size === undefined ? {} : { sizeBytes: size }) });
  };
  const counted = bodyLimit({ maxSize: max, onError: () => tooLarge() });
  return (c: Context<AppEnv>, next: Next): Promise<void> => {
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined && /^\d+$/.test(length)) {
      if (Number(length) > max) tooLarge(Number(length));
      return next();
    }
    return counted(c, next) as Promise<void>;
  };
}

/** The Node request and response under a request (undefined on Lambda and in `app.request` tests). */
function nodeStreams(c: Context<AppEnv>): { incoming: IncomingMessage; outgoing: ServerResponse } | undefined {
  const env = c.env as { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;
  return env?.incoming && env.outgoing ? { incoming: env.incoming, outgoing: env.outgoing } : undefined;
}

/**
 * At most `maxConcurrent` requests of one scope at once (503 + Retry-After beyond, rather than a growing
 * queue; classify and feedback each have their own), and a deadline per request. A timed-out handler
 * keeps its slot until it really ends, so the cap holds (one whose body stops arriving gives it back when
 * its connection closes). With API keys, one key has at most `maxConcurrentPerKey` of a scope's slots: a key
 * that holds its requests open (bodies trickled up to the deadline) cannot take every slot from the other keys.
 * Without keys every caller is the one principal, and only the scope's cap counts.
 */
function admitter(ctx: AppContext, scope: Scope) {
  const { inFlight } = ctx;
  const keys = inFlight.byKey;
  const perKey = maxConcurrentPerKey(ctx.limits);
  return async (c: Context<AppEnv>, next: Next): Promise<void> => {
    const mine = inFlight.byScope[scope] ?? 0;
    // The key's own share first: a key over it hears that it is its own doing, even when the server is full too.
    const keyId = ctx.auth.enabled ? (c.get('principal') as Principal | undefined)?.keyId : undefined;
    const slot = keyId === undefined ? undefined : `${scope}:${keyId}`;
    const held = slot === undefined ? 0 : (keys.get(slot) ?? 0);
    if (slot !== undefined && held >= perKey) {
      ctx.metrics.rejected.inc({ reason: 'concurrency_per_key' });
      const batch = scope === 'classify' ? `, or send more emails per request (up to ${ctx.limits.maxBatch})` : '';
      throw new OverloadedError(
        `This key ("${keyId}") is handling ${held} ${scope} requests, the most one key may at once (the server takes ${ctx.limits.maxConcurrent} for all keys): retry shortly, once one of them is answered${batch}.`,
        1,
      );
    }
    if (mine >= ctx.limits.maxConcurrent) {
      ctx.metrics.rejected.inc({ reason: 'concurrency' });
      throw new OverloadedError(`The server is handling ${ctx.limits.maxConcurrent} ${scope} requests; retry shortly.`, 1);
    }
    inFlight.byScope[scope] = mine + 1;
    if (slot !== undefined) keys.set(slot, held + 1);
    inFlight.count += 1;
    ctx.metrics.inFlight.set({}, inFlight.count);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      inFlight.byScope[scope] = (inFlight.byScope[scope] ?? 1) - 1;
      if (slot !== undefined) {
        const left = (keys.get(slot) ?? 1) - 1;
        if (left > 0) keys.set(slot, left);
        else keys.delete(slot);
      }
      inFlight.count -= 1;
      ctx.metrics.inFlight.set({}, inFlight.count);
    };
    let work: Promise<void>;
    try {
      work = next().finally(release);
    } catch (error) {
      // Refused at once (a declared length over the limit): nothing runs on, the slot goes now.
      release();
      throw error;
    }
    await withinDeadline(ctx, c, scope, work, release);
  };
}

/**
 * The caller will never see this answer: it got 503 REQUEST_TIMEOUT (or 408), or (on Node) it closed the connection
 * first (its own timeout). Work still running for it should stop, and record nothing (a classify's predictions are
 * neither stored nor counted).
 */
export function callerGone(c: Context<AppEnv>): boolean {
  return c.get('timedOut') === true || nodeStreams(c)?.outgoing.destroyed === true;
}

/**
 * Awaits `work` until the request deadline, then answers REQUEST_TIMEOUT (503), or 408 while the request's body
 * is still arriving: the connection is then closed, and `release` (which must be safe to call twice) gives the
 * request's slot back once it is, the work going on without it.
 */
export async function withinDeadline(ctx: AppContext, c: Context<AppEnv>, scope: string, work: Promise<void>, release: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      c.set('timedOut', true);
      ctx.metrics.rejected.inc({ reason: 'timeout' });
      // Still waiting for a body that stops arriving, the handler would hold its slot for ever: answer,
      // close the connection rather than keep reading, and give the slot back once it is closed.
      // That is the client's doing (408); an answer that took too long is the server's (503).
      const timeoutMs = ctx.limits.requestTimeoutMs;
      const node = nodeStreams(c);
      if (node && !node.incoming.complete) {
        if (!node.outgoing.headersSent) node.outgoing.setHeader('connection', 'close');
        if (node.incoming.socket?.destroyed) release();
        else node.outgoing.once('close', () => node.incoming.complete || release());
        reject(new RequestBodyTimeoutError(stalledBodyMessage(stalledBody(node.incoming, timeoutMs))));
      } else {
        reject(new RequestTimeoutError(slowRequestMessage(scope, timeoutMs), slowRequestRetryAfterSeconds(timeoutMs)));
      }
    }, ctx.limits.requestTimeoutMs);
  });
  try {
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The guards of a route that takes a body, in one middleware (one async step instead of four on every
 * request): API key, scope and rate limit (401/403/429), media type (415), admission: the concurrency cap
 * (503 with Retry-After) and the deadline (503, or 408 for a body that did not all arrive), then body size (413) and, for JSON, its bytes
 * (415 unless UTF-8). `check`, when given, runs after the key's checks and before the media type's (a route's
 * own header check, such as the 406 of an Accept it cannot answer: a caller without a key hears 401 first).
 */
export function guardBodyRoute(ctx: AppContext, scope: Scope, type: string, check?: (c: Context<AppEnv>) => void): MiddlewareHandler<AppEnv> {
  // A classify JSON body is a batch of emails; a message/rfc822 body is one email; a feedback body is one feedback.
  const limitBody = bodyLimiter(ctx, scope === 'feedback' ? 'feedback' : type === 'application/json' ? 'batch' : 'message');
  const admit = admitter(ctx, scope);
  return async (c, next) => {
    authorize(ctx, c, scope);
    check?.(c);
    const json = checkContentType(c, type) === 'application/json';
    // Admitted first, so the deadline also bounds reading a chunked body (counted as it is read).
    await admit(c, () => limitBody(c, json ? () => readUtf8Body(c).then(next) : next));
  };
}
