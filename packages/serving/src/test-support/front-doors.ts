import http from 'node:http';
import { isUtf8 } from 'node:buffer';
import type { LambdaContext, LambdaEvent } from 'hono/aws-lambda';
import type { LambdaHandler } from '../adapters/lambda.js';

/**
 * One HTTP request as a client sends it, byte for byte: the method, the path and query as written on the request
 * line, the header lines in order (names in the client's casing, a name given twice kept twice) and the body.
 */
export interface RawRequest {
  method: string;
  path: string;
  /** '' or `?...` as sent. */
  query: string;
  headers: ReadonlyArray<readonly [string, string]>;
  body: Uint8Array;
}

/** What came back, the same for both front doors: status, headers (names in lower case) and body bytes. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Sends `request` over HTTP to `port` on 127.0.0.1, on a fresh connection, with its headers only (a body needs its
 * Content-Length) and a Host header, which every HTTP/1.1 client sends (127.0.0.1 unless it has one).
 */
export function overHttp(port: number, request: RawRequest): Promise<Answer> {
  const lines = request.headers.flatMap(([name, value]) => [name, value]);
  if (!request.headers.some(([name]) => name.toLowerCase() === 'host')) lines.unshift('Host', `127.0.0.1:${port}`);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: request.method, path: request.path + request.query, headers: lines, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(Buffer.from(request.body));
  });
}

/** The API's own domain: its stages are in the path. */
const DOMAIN = 'abc123.execute-api.eu-central-1.amazonaws.com';

/** Where API Gateway was reached: its own domain, at a stage (`$default`, or named, in front of the path), or a custom domain mapped to a stage (not in the path). */
export interface Gateway {
  stage: string;
  customDomain?: string;
}

/** Media types whose bodies API Gateway passes as text; any other body, and one that is not UTF-8, comes base64. */
const TEXT_TYPES = /^\s*(text\/|application\/(json|xml|javascript)|[^;]*\+(json|xml))/i;

/**
 * The event API Gateway (HTTP API, payload format 2.0) hands the function for `request`, as its documentation
 * describes it: header names in lower case, a header given twice joined by commas, Cookie headers split into
 * `cookies`, `rawPath` and `rawQueryString` as sent (the stage in front of the path when one is named and the API's
 * own domain was called; a custom domain's API mapping is in neither), query
 * parameters decoded and joined by commas, and the body as text, or base64 with `isBase64Encoded` when it is
 * binary or not UTF-8. API Gateway adds its own Host and X-Forwarded-* headers.
 */
export function apiGatewayV2Event(request: RawRequest, { stage, customDomain }: Gateway = { stage: '$default' }): LambdaEvent {
  const domain = customDomain ?? DOMAIN;
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (lower === 'host') continue;
    if (lower === 'cookie') cookies.push(...value.split(';').map((c) => c.trim()).filter((c) => c !== ''));
    else headers[lower] = lower in headers ? `${headers[lower]},${value}` : value;
  }
  Object.assign(headers, { host: domain, 'x-amzn-trace-id': 'Root=1-6750a1b2-0123456789abcdef01234567', 'x-forwarded-for': '192.0.2.10', 'x-forwarded-port': '443', 'x-forwarded-proto': 'https' });
  const rawPath = stage === '$default' || customDomain !== undefined ? request.path : `/${stage}${request.path}`;
  const rawQueryString = request.query.replace(/^\?/, '');
  const params: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) params[name] = name in params ? `${params[name]},${value}` : value;
  const bytes = Buffer.from(request.body);
  const text = isUtf8(bytes) && TEXT_TYPES.test(headers['content-type'] ?? '');
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(rawQueryString !== '' ? { queryStringParameters: params } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'abc123',
      domainName: domain,
      domainPrefix: domain.split('.')[0],
      http: { method: request.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.10', userAgent: headers['user-agent'] ?? '' },
      requestId: 'req-1',
      routeKey: '$default',
      stage,
      time: '03/Dec/2026:10:00:00 +0000',
      timeEpoch: 1_796_292_000_000,
    },
    ...(bytes.length > 0 ? { body: text ? bytes.toString('utf8') : bytes.toString('base64') } : {}),
    isBase64Encoded: bytes.length > 0 && !text,
  };
  return event as unknown as LambdaEvent;
}

const lambdaContext = { awsRequestId: 'req-1', functionName: 'mailroute-api' } as unknown as LambdaContext;

/** Sends `request` through the Lambda handler as API Gateway would, reached at `gateway`. */
export async function throughLambda(handler: LambdaHandler, request: RawRequest, gateway?: Gateway): Promise<Answer> {
  const result = await handler(apiGatewayV2Event(request, gateway), lambdaContext);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  return { status: result.statusCode, headers, body: Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') };
}
