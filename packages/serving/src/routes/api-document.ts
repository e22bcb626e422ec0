import type { ServingHono } from '../http/context.js';
import { TIME_EXAMPLE } from '../http/schemas.js';

/** An HTTP security scheme of the document (OpenAPI's Security Scheme Object of type http). */
export interface HttpSecurityScheme {
  type: 'http';
  scheme: string;
  bearerFormat?: string;
  description: string;
}

/**
 * How /openapi.json describes the API where something stands in front of the app (API Gateway before the AWS
 * Lambda) and changes what a client reaches; by default, the document describes the app as `mailroute serve` runs it.
 */
export interface ApiDocumentOptions {
  /** Whether an operation is listed (`method` in lower case, `path` as routed): the ones the front door routes. Default: every one. */
  lists?: (method: string, path: string) => boolean;
  /** The one scheme every listed operation takes, public ones included, in place of the API key's (a gateway that checks a token on every route). */
  security?: { name: string; scheme: HttpSecurityScheme };
  /** Said after the document's own description: what the front door does. */
  description?: string;
  /**
   * Answers the front door gives itself, in its own body, not problem+json: `answers` says per status (or `default`)
   * why it does; each listed operation's response of that status takes the body beside the problem (made where it has none).
   */
  frontDoorErrors?: { mediaType: string; schemaName: string; schema: Record<string, unknown>; answers: Record<string, string> };
}

interface Response {
  description: string;
  content?: Record<string, { schema: unknown }>;
  [more: string]: unknown;
}
interface Operation {
  security?: Record<string, string[]>[];
  responses: Record<string, Response>;
  [more: string]: unknown;
}
interface Document {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components?: Record<string, Record<string, unknown> | undefined>;
  security?: Record<string, string[]>[];
  [more: string]: unknown;
}

const METHODS: ReadonlySet<string> = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

const DESCRIPTION = [
  'Classify and route customer emails; feedback and live quality.',
  'Every GET operation also answers HEAD (its status and headers, no body), and every path OPTIONS: 204 with an Allow header naming the methods it takes (no key needed, no CORS headers); another method gets 405 with Allow.',
  'Errors are application/problem+json with a stable `code` (schema Problem).',
].join(' ');

/**
 * `10:15 +01:00` the day before `now` (ISO 8601): the example of every date-time the API reads. Recent, so the
 * feedback retention never refuses it; more than 14 hours back, so no time zone puts it in the future.
 */
function recentTimeExample(now: number): string {
  return `${new Date(now - 86_400_000).toISOString().slice(0, 10)}T10:15:00+01:00`;
}

/** `node` with every string that is TIME_EXAMPLE replaced by `time`, in place. */
function withRecentTimes(node: unknown, time: string): void {
  if (node === null || typeof node !== 'object') return;
  const entries = Object.entries(node);
  for (const [key, value] of entries) {
    if (value === TIME_EXAMPLE) (node as Record<string, unknown>)[key] = time;
    else withRecentTimes(value, time);
  }
}

/** The document's operations, each with its path and method. */
function operationsOf(doc: Document): Array<{ path: string; method: string; op: Operation }> {
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).filter(([method]) => METHODS.has(method)).map(([method, op]) => ({ path, method, op })));
}

/** Only the operations `lists` keeps, and only the components they still refer to. */
function keepOperations(doc: Document, lists: (method: string, path: string) => boolean): void {
  for (const { path, method } of operationsOf(doc)) if (!lists(method, path)) delete doc.paths[path][method];
  for (const [path, item] of Object.entries(doc.paths)) if (!Object.keys(item).some((key) => METHODS.has(key))) delete doc.paths[path];
  const components = doc.components ?? {};
  const referred = new Set<string>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key !== '$ref' || typeof value !== 'string') visit(value);
      else if (value.startsWith('#/components/') && !referred.has(value)) {
        referred.add(value);
        const [, , kind, name] = value.split('/');
        visit(components[kind]?.[name]);
      }
    }
  };
  visit({ ...doc, components: undefined });
  for (const kind of ['schemas', 'parameters', 'responses', 'requestBodies', 'headers']) {
    const named = components[kind];
    for (const name of Object.keys(named ?? {})) if (!referred.has(`#/components/${kind}/${name}`)) delete named?.[name];
  }
}

/** Every operation takes `name` alone, public ones too; the other schemes go. */
function requireScheme(doc: Document, { name, scheme }: NonNullable<ApiDocumentOptions['security']>): void {
  doc.components = { ...doc.components, securitySchemes: { [name]: scheme } };
  doc.security = [{ [name]: [] }];
  for (const { op } of operationsOf(doc)) op.security = [{ [name]: [] }];
}

/** The front door's own answers, beside the app's, on every operation. */
function addFrontDoorErrors(doc: Document, { mediaType, schemaName, schema, answers }: NonNullable<ApiDocumentOptions['frontDoorErrors']>): void {
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, [schemaName]: schema } };
  const content = { [mediaType]: { schema: { $ref: `#/components/schemas/${schemaName}` } } };
  for (const { op } of operationsOf(doc)) {
    for (const [status, why] of Object.entries(answers)) {
      const own = op.responses[status];
      op.responses[status] = own ? { ...own, description: `${own.description}. ${why}`, content: { ...own.content, ...content } } : { description: why, content };
    }
  }
}

/** Answers a browser or proxy may keep (no caller's data in them): the docs page and the API document. */
export const CACHEABLE_ROUTES: ReadonlySet<string> = new Set(['/docs', '/openapi.json']);

/** The id a successful answer carries (`echoRequestId` in app.ts), as a response header of the document. */
const SUCCESS_REQUEST_ID = {
  description:
    "The caller's own x-request-id when it sent a usable one (1-128 visible ASCII characters, no comma); on every answer when the server logs each request (`--access-log`: a new one when the caller sent none) and behind the AWS Lambda (API Gateway's request id when the caller sent none); else absent",
  schema: { type: 'string' },
};

/** The request id header on every successful answer but those a shared cache may keep (`uncached`: false for them). */
function addSuccessRequestIds(doc: Document, uncached: (path: string) => boolean): void {
  for (const { path, op } of operationsOf(doc)) {
    if (!uncached(path)) continue;
    for (const [status, response] of Object.entries(op.responses)) {
      if (status.startsWith('2')) response.headers = { 'x-request-id': SUCCESS_REQUEST_ID, ...(response.headers as Record<string, unknown> | undefined) };
    }
  }
}

/**
 * The OpenAPI 3.1 document of `app`'s routes, as of `now` (the examples of date-times are the day before it), shaped
 * by `options` for a front door in front of the app.
 */
export function buildApiDocument(app: ServingHono, now: number, options: ApiDocumentOptions = {}): Document {
  // A copy: the generator hands out the schemas' own example objects, which the changes below must not touch.
  const generated = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'mailroute', version: '1', description: options.description === undefined ? DESCRIPTION : `${DESCRIPTION}\n\n${options.description}` },
    tags: [
      { name: 'classify', description: 'Labels, confidences and the queue of emails' },
      { name: 'feedback', description: 'What people confirmed when a case closed, and the live quality measured from it' },
      { name: 'operations', description: 'Health, the model served, metrics and this document' },
    ],
  });
  const doc = structuredClone(generated) as unknown as Document;
  withRecentTimes(doc, recentTimeExample(now));
  addSuccessRequestIds(doc, (path) => !CACHEABLE_ROUTES.has(path));
  if (options.lists) keepOperations(doc, options.lists);
  if (options.security) requireScheme(doc, options.security);
  if (options.frontDoorErrors) addFrontDoorErrors(doc, options.frontDoorErrors);
  return doc;
}
