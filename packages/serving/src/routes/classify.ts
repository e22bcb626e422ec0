import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppContext, AppEnv, ServingHono } from '../http/context.js';
import { callerGone, guardBodyRoute } from '../http/guard.js';
import { sentValue } from '../http/quoted-value.js';
import { requireDecodableQuery, unreadQueryWarning } from '../http/query.js';
import { classifyRequestSchema, ClassifyResponseSchema, idSchema, requestEmails } from '../http/schemas.js';
import { EmlParseError, InputTooLargeError, MAX_EMAIL_ID_CHARS, startsWithHeader, type Email } from '@mailroute/preprocess';
import { NotAcceptableError, NotFoundError, ValidationError } from '../errors.js';
import { classifyEmails } from './classify-core.js';
import { apiKeySecurity, classifyErrorResponses, emlErrorResponses, errorResponses, problem } from './responses.js';

/** Whether an Accept header takes JSON: application/json, application/ or any type (or a blank header), with any q but 0. */
export function acceptsJson(accept: string): boolean {
  if (accept.trim() === '') return true;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.trim().toLowerCase().split(';').map((s) => s.trim());
    const q = params.find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) return false;
    return type === 'application/json' || type === 'application/*' || type === '*/*';
  });
}

/** Said when a raw email has neither a Message-ID nor `?id=`. */
const NO_ID_WARNING =
  'The email has no id: it has no Message-ID header (or an empty one, <>) and no ?id= was given. Feedback for it must quote the predictionId of this answer (or send ?id= with the CRM id next time).';

/** Said when the Message-ID is longer than an email id may be: it is not cut (feedback quoting it whole would not join), but left out. */
function longMessageIdWarning(length: number): string {
  return `The email has no id: its Message-ID has ${length} characters, over the ${MAX_EMAIL_ID_CHARS} an email id may have, so it was not used (not cut: feedback could not name a cut id). Send ?id= with the CRM id, or quote the predictionId of this answer in feedback.`;
}

/** The email under the id it is known by: `?id=`, else its Message-ID when that fits an email id; and the warning when it has none. */
function namedEmail(email: Email, id: string | undefined): { named: Email; warning?: string } {
  if (id !== undefined) return { named: { ...email, id } };
  if (email.id === undefined) return { named: email, warning: NO_ID_WARNING };
  if (email.id.length <= MAX_EMAIL_ID_CHARS) return { named: email };
  const { id: messageId, ...anonymous } = email;
  return { named: anonymous, warning: longMessageIdWarning(messageId.length) };
}

/**
 * Whether a raw body is JSON (a classify request posted to the .eml route): its first non-blank character (after a
 * UTF-8 byte-order mark) is `{` or `[`, and it parses. No message starts so (its first line is a header field), so
 * an email costs one byte's look.
 */
export function isJsonBody(raw: Uint8Array): boolean {
  let i = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? 3 : 0;
  while (i < raw.length && raw[i] <= 0x20) i++;
  if (raw[i] !== 0x7b && raw[i] !== 0x5b) return false;
  try {
    JSON.parse(new TextDecoder().decode(raw.subarray(i)));
    return true;
  } catch {
    return false;
  }
}

/** Said after the query parameters a JSON classify request sent: `?id=` is the .eml route's, an email's id goes in the body. */
const JSON_ROUTE_READS_NO_QUERY = "This route reads no query parameters: each email's id goes in its id field of the JSON body (?id= is read by /v1/classify/eml only).";

/** The answer of /v1/classify and /invocations (one body, one answer): the request's validated JSON classified. */
function classifyJson(ctx: AppContext, c: Context<AppEnv>, valid: Parameters<typeof requestEmails>[0]) {
  const { emails, ignoredWarning, receivedAtWarnings = [] } = requestEmails(valid, c.get('jsonBody'));
  const requestWarnings = [ignoredWarning, ...receivedAtWarnings, unreadQueryWarning(c.req.url, [], JSON_ROUTE_READS_NO_QUERY)].filter((w) => w !== undefined);
  return classifyEmails(ctx, emails, () => callerGone(c), { requestWarnings });
}

export function registerClassifyRoutes(app: ServingHono, ctx: AppContext): void {
  const Request = classifyRequestSchema(ctx.limits.maxBatch);
  const jsonGuard = guardBodyRoute(ctx, 'classify', 'application/json');

  app.use('/v1/classify', jsonGuard);
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/classify',
      operationId: 'classifyEmails',
      tags: ['classify'],
      summary: `Classify 1 to ${ctx.limits.maxBatch} emails`,
      security: apiKeySecurity('classify'),
      request: { body: { content: { 'application/json': { schema: Request } }, required: true } },
      responses: { 200: { description: 'Predictions in input order', content: { 'application/json': { schema: ClassifyResponseSchema } } }, ...classifyErrorResponses },
    }),
    async (c) => c.json(await classifyJson(ctx, c, c.req.valid('json')), 200),
  );

  // SageMaker's inference contract: same body and answer as /v1/classify, JSON only (both ways).
  app.use(
    '/invocations',
    guardBodyRoute(ctx, 'classify', 'application/json', (c) => {
      const accept = c.req.header('accept');
      if (accept !== undefined && !acceptsJson(accept)) throw new NotAcceptableError(`/invocations answers application/json only, not ${sentValue(accept, 80, '')}.`);
    }),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/invocations',
      operationId: 'invokeSageMaker',
      tags: ['classify'],
      summary: 'SageMaker inference contract (same as /v1/classify)',
      security: apiKeySecurity('classify'),
      request: { body: { content: { 'application/json': { schema: Request } }, required: true } },
      responses: {
        200: { description: 'Predictions in input order', content: { 'application/json': { schema: ClassifyResponseSchema } } },
        406: problem('Accept names no JSON type (the contract answers application/json only)'),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await classifyJson(ctx, c, c.req.valid('json')), 200),
  );

  app.use('/v1/classify/eml', guardBodyRoute(ctx, 'classify', 'message/rfc822'));
  app.use('/v1/classify/eml', requireDecodableQuery('id'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/classify/eml',
      operationId: 'classifyEml',
      tags: ['classify'],
      summary: 'Classify one raw RFC 822 email (its id: ?id=, else its Message-ID without angle brackets)',
      security: apiKeySecurity('classify'),
      request: {
        query: z.object({
          id: idSchema({ param: 'id' })
            .optional()
            .openapi({ description: `The email's id in the CRM (1 to ${MAX_EMAIL_ID_CHARS} characters); default: the message's Message-ID without its angle brackets (<a1@bank.example> gives the id a1@bank.example, which feedback must quote), unless it is longer than that (then the email has no id, and a warning says so)` }),
        }),
        body: { content: { 'message/rfc822': { schema: z.string().openapi({ format: 'binary', description: 'The raw message as bytes, sent undecoded: a part in ISO-8859-1 must reach the MIME parser as it is' }) } }, required: true },
      },
      responses: { 200: { description: 'One prediction', content: { 'application/json': { schema: ClassifyResponseSchema } } }, ...emlErrorResponses },
    }),
    async (c) => {
      if (!ctx.parseEml) throw new NotFoundError('This server has no .eml parser configured.');
      // Bytes, not text: a part sent 8-bit in ISO-8859-1 must reach the MIME parser undecoded.
      const raw = new Uint8Array(await c.req.arrayBuffer());
      if (!raw.some((byte) => byte > 0x20)) throw new ValidationError('The body is empty; send one message/rfc822 email.', [{ path: [], message: 'empty body', code: 'empty' }]);
      // Before the header check: `{"emails": [` reads as a header line, and the request was answered as an email with no text.
      if (isJsonBody(raw)) {
        throw new ValidationError(
          'The body is JSON, not an RFC 822 email: post JSON ({"emails": [...]}) to /v1/classify with content-type application/json; /v1/classify/eml takes one raw message (message/rfc822).',
          [{ path: [], message: 'JSON, not message/rfc822', code: 'invalid_eml' }],
        );
      }
      if (!startsWithHeader(raw)) {
        throw new ValidationError('The body is not a parsable RFC 822 email: it has no header lines (a message starts with fields such as From: and Subject:).', [
          { path: [], message: 'unparsable message/rfc822: no header lines', code: 'invalid_eml' },
        ]);
      }
      let email: Email;
      let emlWarnings: readonly string[];
      try {
        // What the parser could not read (a multipart without a boundary) is said, not classified on the subject alone unseen.
        ({ warnings: emlWarnings = [], ...email } = await ctx.parseEml(raw));
      } catch (error) {
        // The parser's own limits say which (`the message has 250000 lines, over the limit of 200000`); other
        // messages (a parser passed in) might quote the email, so they are not passed on.
        const why = error instanceof EmlParseError || error instanceof InputTooLargeError ? `: ${error.message}` : '';
        throw new ValidationError(`The body is not a parsable RFC 822 email${why}.`, [{ path: [], message: 'unparsable message/rfc822', code: 'invalid_eml' }]);
      }
      // Without an id, feedback by emailId has nothing to join on; the caller should know before it stores the answer.
      const { named, warning } = namedEmail(email, c.req.valid('query').id);
      const unread = unreadQueryWarning(c.req.url, ['id']);
      const requestWarnings = [...emlWarnings, warning, unread].filter((w) => w !== undefined);
      return c.json(await classifyEmails(ctx, [named], () => callerGone(c), { requestWarnings, source: 'eml' }), 200);
    },
  );
}
