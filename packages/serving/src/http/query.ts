import type { MiddlewareHandler } from 'hono';
import { ValidationError } from '../errors.js';
import type { AppEnv } from './context.js';
import { listIgnored } from './schemas.js';

const ESCAPE_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

/**
 * Where a raw query value stops being UTF-8 percent-encoding: a `%` without two hex digits after it, or a run
 * of escapes that is not UTF-8 (`%FC`, Latin-1 `ü`); undefined when it decodes.
 */
export function badEscape(value: string): string | undefined {
  const lone = /%(?![0-9A-Fa-f]{2})/.exec(value);
  if (lone) return value.slice(lone.index, lone.index + 3);
  for (const [run] of value.matchAll(ESCAPE_RUN)) {
    try {
      decodeURIComponent(run);
    } catch {
      return run.slice(0, 12);
    }
  }
  return undefined;
}

/**
 * A parameter's name as the router reads it: `+` a blank, percent-escapes decoded (left as they are when they do
 * not decode). Compared raw, `?i%64=K%FCndigung-42` escaped the check, and the router, which decodes names,
 * read it as `id` and kept its value as the raw text.
 */
function paramName(raw: string): string {
  const name = raw.replaceAll('+', ' ');
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** The first of `names` whose raw value in `search` (a URL's query) is not UTF-8 percent-encoding, with the bad escape. */
export function undecodableParam(search: string, names: readonly string[]): { name: string; escape: string } | undefined {
  for (const pair of search.replace(/^\?/, '').split('&')) {
    const eq = pair.indexOf('=');
    const name = paramName(eq < 0 ? pair : pair.slice(0, eq));
    const escape = eq < 0 || !names.includes(name) ? undefined : badEscape(pair.slice(eq + 1));
    if (escape !== undefined) return { name, escape };
  }
  return undefined;
}

/**
 * Refuses (400) a request whose query parameter `names` is not UTF-8 percent-encoding. The router keeps such a
 * value as its raw text, so `?id=K%FCndigung-42` (an id encoded as Latin-1) would be stored as that text and
 * never join the feedback that names the email `Kündigung-42`.
 */
export function requireDecodableQuery(...names: string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const bad = undecodableParam(new URL(c.req.url).search, names);
    if (bad) {
      const message = `${bad.name} is not UTF-8 percent-encoding at "${bad.escape}": encode its value as UTF-8 (ü is %C3%BC) and a % sign as %25`;
      throw new ValidationError(`The query parameter ${message}.`, [{ path: [bad.name], message, code: 'invalid_encoding' }]);
    }
    await next();
  };
}

/** Query parameters that ask for a window by its dates or days, which /v1/quality cannot measure. */
const WINDOW_PARAMS = ['from', 'to', 'since', 'until', 'start', 'end', 'days', 'date', 'period', 'window'];

/**
 * Refuses (400) a request naming its window by dates or days (`?from=2026-12-01&to=2026-12-07`, `?days=30`): measured
 * with the default window instead, and only a warning saying so, a dashboard would show last week's figures as those of
 * the range it asked for. `hint`: what the route reads instead.
 */
export function refuseWindowParams(hint: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = c.req.url;
    const given = url.includes('?') ? [...new Set(new URL(url).searchParams.keys())].filter((name) => WINDOW_PARAMS.includes(name.toLowerCase())) : [];
    if (given.length > 0) {
      const names = given.map((name) => `?${name}=`).join(', ');
      const message = `${names} ${given.length === 1 ? 'is' : 'are'} not read here: ${hint}`;
      throw new ValidationError(`The query parameter${given.length === 1 ? '' : 's'} ${message}.`, given.map((name) => ({ path: [name], message, code: 'unrecognized_keys' })));
    }
    await next();
  };
}

/**
 * A warning naming the query parameters of `url` that the route does not read (`emailId`, `Id`), each with the
 * one it was probably meant as, and the ones it reads; undefined when there are none. Without it, a CRM that
 * sends `?ID=crm-1` sees only that the email has no id.
 */
export function unreadQueryWarning(url: string, known: readonly string[], readsNone = 'This route reads no query parameters.'): string | undefined {
  // Most requests have no query: the URL is parsed only when it has one.
  if (!url.includes('?')) return undefined;
  const unread = new Set([...new URL(url).searchParams.keys()].filter((name) => !known.includes(name)));
  if (unread.size === 0) return undefined;
  const reads = known.length === 0 ? readsNone : `This route reads ${known.map((k) => `?${k}=`).join(', ')} only.`;
  return `Query parameters mailroute does not read were ignored: ${listIgnored(unread, known)}. ${reads}`;
}

/**
 * `warning` when the request came with a body (a Content-Length over 0, or chunked) to a route that reads only its
 * query: `{"force": true}` posted to /v1/admin/reload, `{"hours": 24}` with a GET to /v1/quality would otherwise
 * be ignored unsaid. Undefined without one.
 */
export function unreadBodyWarning(header: (name: string) => string | undefined, warning: string): string | undefined {
  const length = header('content-length');
  return (length !== undefined && length.trim() !== '0') || header('transfer-encoding') !== undefined ? warning : undefined;
}
