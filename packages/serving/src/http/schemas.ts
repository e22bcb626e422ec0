import { z } from '@hono/zod-openapi';
import { didYouMean, EmailPredictionSchema, MANUAL_TRIAGE, MODEL_STATUSES, normalizeLabel, RouteSchema, TaskPredictionSchema } from '@mailroute/model';
import { ENDPOINT_UNAVAILABLE_REASONS, PROBLEM_CODES, STORE_UNAVAILABLE_REASONS, ValidationError } from '../errors.js';
import { sentValue } from './quoted-value.js';
import { schemaMismatchDetail } from './validation-detail.js';
import { DATE_TIME_FORMS as TRAINING_DATE_TIME_FORMS, EmailSchema, isReceivedTime, MAX_ATTACHMENT_NAME_CHARS, MAX_ATTACHMENT_NAMES, MAX_EMAIL_ID_CHARS, parseReceivedTime, type Email } from '@mailroute/preprocess';

/**
 * The date-time forms the server reads: the training data's (`DATE_TIME_FORMS`), where a time without a zone is
 * read in the server's time zone when it has one (`--time-zone`), not always as UTC as in training data.
 */
const DATE_TIME_FORMS = TRAINING_DATE_TIME_FORMS.replaceAll('without a zone, UTC', "without a zone, in the server's --time-zone, else UTC");

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(PROBLEM_CODES).openapi({ example: 'REQUEST_INVALID', description: 'Stable, machine-readable: what failed (the title and detail are for people)' }),
    detail: z.string().optional(),
    issues: z
      .array(z.object({ path: z.array(z.union([z.string(), z.number().int()])), message: z.string(), code: z.string() }))
      .optional()
      .openapi({ description: 'REQUEST_INVALID: what failed, by its place in the request (path), with a zod issue code or one of the API\'s own (empty, invalid_json, future, too_old, ...)' }),
    validLabels: z.record(z.string(), z.array(z.string())).optional().openapi({ description: 'LABEL_NOT_IN_TAXONOMY: the labels each task takes' }),
    /** 405: the methods the path takes (also in the Allow header). */
    allow: z.array(z.string()).optional().openapi({ description: 'METHOD_NOT_ALLOWED: the methods the path takes (also in the Allow header)' }),
    // The members the error classes put in a problem (`ServingError.extra`), here and in the AWS adapters.
    route: z.string().optional().openapi({ description: 'PREDICTIONS_NOT_KEPT: the route this server keeps no predictions for (/v1/feedback or /v1/quality): send it to the API in front of the server', example: '/v1/feedback' }),
    reason: z
      .enum([...ENDPOINT_UNAVAILABLE_REASONS, ...STORE_UNAVAILABLE_REASONS])
      .optional()
      .openapi({
        description:
          'Why the request cannot be served now. ENDPOINT_UNAVAILABLE (behind the AWS Lambda): the model endpoint throttled or busy. STORE_UNAVAILABLE (the SQLite store, and /readyz): the database locked by another connection, its disk full, its file system read-only, an I/O error (Retry-After: nothing was stored; it is stored once the disk takes writes again), its file deleted or its writer thread ended (no Retry-After: restart the server)',
      }),
    endpoint: z.string().optional().openapi({ description: 'ENDPOINT_NOT_IN_SERVICE and ENDPOINT_ACCESS_DENIED (behind the AWS Lambda): the name of the SageMaker endpoint' }),
    permission: z.string().optional().openapi({ description: 'ENDPOINT_ACCESS_DENIED: the IAM permission the API lacks on the endpoint', example: 'sagemaker:InvokeEndpoint' }),
    limitBytes: z.number().int().optional().openapi({ description: 'PAYLOAD_TOO_LARGE: the body limit in bytes, so a client can split a batch to fit without reading the detail', example: 1048576 }),
    sizeBytes: z.number().int().optional().openapi({ description: 'PAYLOAD_TOO_LARGE: the body\'s size in bytes, when its Content-Length said it (a chunked body is refused once it passes the limit)', example: 1141953 }),
  })
  .openapi('Problem');

/**
 * The example of every date-time the API reads (closedAt, receivedAt): a stand-in that /openapi.json replaces with a
 * time of the day before its clock's now (`withRecentTimes`). A fixed date would one day be older than the feedback
 * retention, and the documented example would then be refused.
 */
export const TIME_EXAMPLE = '2025-11-03T10:15:00+01:00';

/** Epoch numbers from 1e9 to 1e10 read as seconds, 2001-09-09 to 2286-11-20; as milliseconds they are January 1970. */
const PLAUSIBLE_SECONDS = { min: 1e9, max: 1e10 };

/**
 * A time sent as a number (epoch milliseconds, as many CRMs store it; or Unix seconds) is told the string to send
 * instead. One that is plausibly seconds is read as seconds: as milliseconds it would be a day in January 1970.
 */
function numericTime(issue: { input?: unknown }): string | undefined {
  if (typeof issue.input !== 'number') return undefined;
  const number = issue.input;
  const refused = `a date-time is a string (${DATE_TIME_FORMS}), not a number`;
  if (number >= PLAUSIBLE_SECONDS.min && number < PLAUSIBLE_SECONDS.max) {
    return `${refused}: ${number} looks like Unix seconds, which is "${new Date(number * 1000).toISOString()}" (as epoch milliseconds it would be ${new Date(number).toISOString()}); send that ISO 8601 string`;
  }
  const asMs = Number.isFinite(number) && Math.abs(number) <= 8.64e15 ? new Date(number).toISOString() : undefined;
  return `${refused}${asMs === undefined ? '' : `: as epoch milliseconds, ${number} is "${asMs}"`}`;
}

/**
 * A date-time in the forms training reads (`parseReceivedTime`: ISO 8601 or an RFC 2822 Date header), trimmed. The
 * route reads it as an instant (`instantOf`): one without a zone in the server's time zone, which the schema does not know.
 */
export function dateTimeSchema(what: string) {
  return z
    .string({ error: numericTime })
    .max(100)
    .transform((text, ctx) => {
      const trimmed = text.trim();
      if (!Number.isNaN(parseReceivedTime(trimmed))) return trimmed;
      ctx.addIssue({ code: 'custom', message: invalidDateTime(trimmed) });
      return z.NEVER;
    })
    .openapi({
      description: `${what}: ${DATE_TIME_FORMS}, with a UTC offset of at most 14 hours (one over it, such as +15:00, is no time zone's: 400); where the server has a time zone (--time-zone, MAILROUTE_TIME_ZONE), a time without a zone and a date alone are read in it (one a change of daylight saving time repeats as its first occurrence, one it skips moved forward by the gap, each with a warning), else as UTC with a warning. Normalised to ISO 8601 UTC.`,
      example: TIME_EXAMPLE,
    });
}

/** A query parameter sent twice arrives as an array: said so, rather than zod's `expected string, received array`. */
function onceOnly(name: string) {
  return (issue: { input?: unknown }) => (Array.isArray(issue.input) ? `${name} is given ${issue.input.length} times: give it once` : undefined);
}

/** A CRM's numeric id (`"id": 4711`) is refused saying how to send it, rather than "expected string, received number". */
function numericId(issue: { input?: unknown }): string | undefined {
  return typeof issue.input === 'number' ? `an id is a string: send ${issue.input} as "${issue.input}"` : undefined;
}

/** A UTF-16 surrogate without its pair (in u-mode a lone one is a code point of its own, category Cs). */
const LONE_SURROGATE = /\p{Cs}/u;

/** An id's pattern in /openapi.json: a character that is not whitespace, as the server refuses an id of blanks alone. */
export const NOT_BLANK = String.raw`\S`;

/**
 * An id that joins records (an email id, a model id): 1 to 200 characters of well-formed Unicode, its surrounding
 * whitespace trimmed (`param`: the name of the query parameter it is, said when one is sent twice). A lone
 * surrogate (JSON's `"\udc00"`) has no UTF-8 form: stores write it as different bytes on different paths
 * (the prediction's raw, the feedback's as U+FFFD), so the two would never join; it is refused instead.
 */
export function idSchema({ param }: { param?: string } = {}) {
  return z
    .string({ error: param === undefined ? numericId : onceOnly(param) })
    // Trimmed: a CRM's CHAR field comes padded (`"CRM-4711      "`), and feedback naming `CRM-4711` must join it;
    // blanks alone are then empty, refused as "" is.
    .trim()
    .min(1, { message: param === undefined ? 'an id is empty: leave it out, or send null, when there is none' : `${param} is empty: give a value, or leave the parameter out` })
    .max(MAX_EMAIL_ID_CHARS, { error: (issue) => `an id has at most ${MAX_EMAIL_ID_CHARS} characters: this one has ${String(issue.input).length}` })
    .refine((id) => !LONE_SURROGATE.test(id), { message: 'an id must be valid Unicode: this one holds a lone UTF-16 surrogate (an escape such as \\udc00 without its pair), which cannot be stored' })
    // Documented only (validation is above): JSON Schema's \S is ECMAScript's, the complement of what trim() strips.
    .openapi({ pattern: NOT_BLANK });
}

/**
 * A rule across fields, "at least one of `names`, null counting as absent", as JSON Schema says it (an object's
 * `anyOf`): each branch requires one of them as a string. For /openapi.json; a refinement checks it.
 */
export function oneOfPresent(names: readonly string[]): Array<{ required: string[]; properties: Record<string, { type: 'string' }> }> {
  return names.map((name) => ({ required: [name], properties: { [name]: { type: 'string' } } }));
}

/** The longest receivedAt read: a date-time in any form training reads is shorter. */
const MAX_TIME_CHARS = 100;

/**
 * A receivedAt as sent when it is one training reads (or null, or of a type the schema refuses: a boolean, an object),
 * else undefined: a string in another form (`06.12.2026 09:30`), an empty one, or a number (epoch milliseconds) is left
 * out, as the classifier does not read it, rather than failing the whole batch; `requestEmails` says why in a warning.
 * The common ISO form costs one regex test (isReceivedTime), as before.
 */
function readableReceivedAt(value: unknown): unknown {
  if (typeof value === 'string') return value.length <= MAX_TIME_CHARS && isReceivedTime(value) ? value : undefined;
  return typeof value === 'number' ? undefined : value;
}

/** A UTC offset over 14 hours at the end of a time (`+15:00`, `-2300`, `+23`): RFC 3339's syntax, but no zone's offset. */
const FAR_OFFSET = /(?<=\d)\s?[+-](?:1[5-9]|2[0-3])(?::?[0-5]\d)?$/;

/** The offset over 14 hours that alone keeps `text` from being read as a time (`+15:00`), else undefined. */
function farOffset(text: string): string | undefined {
  const match = FAR_OFFSET.exec(text);
  return match && !Number.isNaN(parseReceivedTime(`${text.slice(0, match.index)}Z`)) ? match[0].trim() : undefined;
}

/** The refusal of a date-time that cannot be read, naming an offset over 14 hours when that alone is why. */
function invalidDateTime(text: string): string {
  const offset = farOffset(text);
  return `Invalid date-time: ${offset === undefined ? '' : `the offset ${offset} is more than 14 hours from UTC, which no time zone is; `}use ${DATE_TIME_FORMS}`;
}

/** Why a receivedAt that `readableReceivedAt` left out was not read, and what to send instead. */
function unreadReceivedAtReason(value: string | number): string {
  if (typeof value === 'number') return numericTime({ input: value }) ?? `a date-time is a string: use ${DATE_TIME_FORMS}`;
  if (value.trim() === '') return 'a date-time is empty: leave receivedAt out, or send null, when there is none';
  if (value.length > MAX_TIME_CHARS) return `a date-time has at most ${MAX_TIME_CHARS} characters: this one has ${value.length}; use ${DATE_TIME_FORMS}`;
  return invalidDateTime(value.trim());
}

/** receivedAt values said one by one in warnings at most; the rest are counted in one more. */
const MAX_UNREAD_TIMES_SHOWN = 5;

/**
 * The warnings for the emails whose receivedAt was left out (`at`: their positions; `sent`: the value each had): one
 * per email, the first MAX_UNREAD_TIMES_SHOWN, naming it, quoting what was sent and saying why it was not read.
 */
function unreadReceivedAtWarnings(at: readonly number[], sent: readonly (string | number)[], emails: readonly Email[]): string[] {
  const name = (i: number) => `emails[${i}]${emails[i].id === undefined ? '' : ` (id ${JSON.stringify(emails[i].id.slice(0, 80))})`}`;
  const warnings = at.slice(0, MAX_UNREAD_TIMES_SHOWN).map((i, n) => {
    const value = sent[n];
    const shown = typeof value === 'number' ? String(value) : JSON.stringify(sentValue(value, 40));
    return `receivedAt ${shown} of ${name(i)} was not read and was left out: ${unreadReceivedAtReason(value)}. The email was classified without it (receivedAt is not read to classify).`;
  });
  if (at.length > MAX_UNREAD_TIMES_SHOWN) {
    const more = at.slice(MAX_UNREAD_TIMES_SHOWN);
    warnings.push(`receivedAt of ${more.length} more email(s) (${more.slice(0, MAX_UNREAD_TIMES_SHOWN).map(name).join(', ')}${more.length > MAX_UNREAD_TIMES_SHOWN ? ', ...' : ''}) could not be read either and was left out; they were classified without it.`);
  }
  return warnings;
}

/**
 * An email as a CRM sends it: the fields of `EmailSchema`, where `null` means absent (many serializers
 * write null for an empty field) and a subject of any length is cut to `maxTextChars` like the body,
 * with a warning, instead of failing the whole batch. Other fields are let through validation, to be
 * named in a warning and dropped (`requestEmails`): a misspelt `subjekt` would otherwise vanish unseen.
 */
export const RequestEmailSchema = z
  .object({
    id: idSchema().nullish().openapi({ description: `The email's id in the CRM (1 to ${MAX_EMAIL_ID_CHARS} characters, surrounding whitespace trimmed: blanks alone are empty): answered back, and what feedback's emailId names. Without one, feedback must quote the predictionId` }),
    subject: z.string().nullish().openapi({ description: 'The subject line; a long one is cut to the text limit with a warning. An email needs subject, body or html (null counts as absent)' }),
    body: z.string().nullish().openapi({ description: 'The plain-text body; one that is in fact HTML (it opens with <html, <p, <div, ... or holds two <br>, <p>, </div>-like tags near its start) is read by its visible text, as html is. An email needs subject, body or html; one whose text cleans to nothing (empty, markup only) is answered with noText' }),
    html: z.string().nullish().openapi({ description: 'The HTML body: its visible text is classified when body is absent or blank (or HTML with no visible text)' }),
    from: EmailSchema.shape.from.unwrap().nullish().openapi({ description: "The sender's address or name (up to 500 characters)" }),
    bank: EmailSchema.shape.bank.unwrap().nullish().openapi({ description: "The custodian bank (Depotbank) the customer's account sits with, if the CRM knows it" }),
    // Checked in the forms training reads, not rewritten here (the classifier does not read it): the common ISO form by
    // one regex test (isReceivedTime), others by parseReceivedTime. A transform to ISO UTC cost about a tenth of single-email throughput.
    // Only what --store-text keeps is rewritten, and only a time without a zone (storedReceivedAt in classify-core).
    // One it cannot read is left out (readableReceivedAt), and requestEmails says so: it fails no batch. Unlike the
    // fields the classifier reads (from, bank, autoSubmitted: 400 for a wrong type or length), as it reads none of it.
    // The document says so: a string of any length or a number is taken (the type given here replaces the generated
    // one, which would say string only, up to MAX_TIME_CHARS); a boolean, an object or an array is refused.
    receivedAt: z
      .preprocess(readableReceivedAt, z.string().nullish())
      .openapi({
        type: ['string', 'number', 'null'],
        description: `When the email arrived: ${DATE_TIME_FORMS}, with a UTC offset of at most 14 hours (as closedAt); where the server has a time zone (--time-zone, MAILROUTE_TIME_ZONE), a time without a zone and a date alone are read in it instead, a local time that a change of daylight saving time repeats as its first occurrence (the earlier offset) and one it skips moved forward by the gap (2026-03-29T02:30 in Europe/Berlin is 03:30+02:00). Not read to classify; a server that keeps text (--store-text) keeps a time without a zone as that instant in ISO 8601 UTC, and one with a zone as sent. One that cannot be read is left out of the email, with a warning that names the email, what was sent, why it was not read and the form to send, and the email is classified: a string in another form (06.12.2026 09:30), an empty one, one over ${MAX_TIME_CHARS} characters, one with an offset over 14 hours (+15:00); and a number (epoch milliseconds, or Unix seconds: the warning gives the ISO 8601 string it would be). null is absent; a boolean, an object or an array gets 400`,
        example: TIME_EXAMPLE,
      }),
    autoSubmitted: EmailSchema.shape.autoSubmitted
      .unwrap()
      .nullish()
      .openapi({
        description:
          "The message's Auto-Submitted header (RFC 3834), if the CRM has it: auto-replied marks the email automated (route reason automated), as a mail system's sender or an automatic reply's subject does; auto-generated alone does not (web forms send customers' requests with it)",
        example: 'auto-replied',
      }),
    attachmentNames: EmailSchema.shape.attachmentNames
      .unwrap()
      .nullish()
      .openapi({
        description: `The file names of the email's attachments (at most ${MAX_ATTACHMENT_NAMES}, each up to ${MAX_ATTACHMENT_NAME_CHARS} characters); no file is read. A model whose training data had an attachmentNames column reads their words (digits and extensions left out); other models ignore them`,
        example: ['Freistellungsauftrag_2026.pdf'],
      }),
    metadata: EmailSchema.shape.metadata.unwrap().nullish().openapi({ description: 'Free data of the CRM (string, number, boolean or null values); not read to classify. Fields the API does not read belong here' }),
  })
  .loose()
  // One cheap check per email: with no text field at all there is nothing to classify (labels would be
  // guesses); a field present but empty, or markup only, is classified and answered with noText.
  .refine((e) => e.subject != null || e.body != null || e.html != null, {
    message: 'An email needs subject, body or html: this one has none of them (null counts as absent)',
  })
  // The refinement above, said in the document (zod's refinements are not): the generator adds it to the object's own.
  .openapi({ anyOf: oneOfPresent(['subject', 'body', 'html']) })
  .openapi('Email');
type RequestEmail = z.infer<typeof RequestEmailSchema>;

const EMAIL_FIELDS: ReadonlySet<string> = new Set(Object.keys(RequestEmailSchema.shape));

/** The email without its null fields (they mean absent) and without fields it does not read, whose names go to `ignored`. */
function toEmail(email: RequestEmail, ignored: Set<string>): Email {
  let out: Record<string, unknown> | undefined;
  for (const key in email) {
    const known = EMAIL_FIELDS.has(key);
    if (!known) ignored.add(key);
    // undefined: a receivedAt that could not be read (readableReceivedAt), left out.
    if (!known || email[key] == null) {
      out ??= { ...email };
      delete out[key];
    }
  }
  return (out ?? email) as Email;
}

/** The names CRMs give an email's id. */
const OTHER_ID_NAME = /^(?:e-?mail|message|msg|case|ticket|crm)[_-]?id$/i;

/** A field name that is not read, masked and cut short (`sentValue`), with the known one it was probably meant as (`subjekt (did you mean subject?)`). */
function describeIgnored(name: string, known: Iterable<string>): string {
  if (name.length > 40) return sentValue(name, 40);
  const names = [...known];
  const near = didYouMean(name, names);
  // An id under the CRM's own name for it (`emailId`, `messageId`, `email_id`): too far from `id` for the spelling check.
  return `${sentValue(name, 40)}${near === '' && names.includes('id') && OTHER_ID_NAME.test(name) ? ' (did you mean id?)' : near}`;
}

/** Names listed in a warning at most. */
const MAX_IGNORED_SHOWN = 5;

/** The ignored names, at most five of them, each with the known one it was probably meant as. */
export function listIgnored(names: ReadonlySet<string>, known: Iterable<string>): string {
  const shown = [...names].slice(0, MAX_IGNORED_SHOWN).map((n) => describeIgnored(n, known));
  return names.size > MAX_IGNORED_SHOWN ? `${shown.join(', ')} and ${names.size - MAX_IGNORED_SHOWN} more` : shown.join(', ');
}

/**
 * A JSON object as parsed with an own `__proto__` key: zod leaves that key out of its output (assigning it
 * would set the prototype), so it is looked for in the body as parsed, to be named or refused like any other.
 */
export function withProtoKey(value: unknown): value is { __proto__: unknown } {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__');
}

/** An email's `metadata.__proto__`, as parsed, must be flat like every other metadata value (400 naming it otherwise). */
function checkProtoMetadata(rawEmail: unknown, index: number): void {
  const metadata = typeof rawEmail === 'object' && rawEmail !== null ? (rawEmail as { metadata?: unknown }).metadata : undefined;
  if (!withProtoKey(metadata)) return;
  const value = Object.getOwnPropertyDescriptor(metadata, '__proto__')?.value;
  if (value === null || typeof value !== 'object') return;
  const kind = Array.isArray(value) ? 'an array' : 'an object';
  const issues = [{ path: ['emails', index, 'metadata', '__proto__'], message: `metadata values must be a string, number, boolean or null; metadata.__proto__ is ${kind}`, code: 'invalid_union' }];
  throw new ValidationError(schemaMismatchDetail(issues), issues);
}

/**
 * The emails of a classify request, ready for the classifier, and a warning naming the fields that were
 * ignored (in an email or beside `emails`), or undefined when there were none. `raw`: the body as parsed,
 * for an own `__proto__` key (named as unread; in metadata, refused when it is not flat).
 */
export function requestEmails(
  request: { emails: RequestEmail[] } & Record<string, unknown>,
  raw?: unknown,
): { emails: Email[]; ignoredWarning?: string; receivedAtWarnings?: string[] } {
  const ignored = new Set<string>();
  const rawEmails = typeof raw === 'object' && raw !== null && Array.isArray((raw as { emails?: unknown }).emails) ? (raw as { emails: unknown[] }).emails : [];
  // Emails whose receivedAt was sent but could not be read (left out by readableReceivedAt), and what each had.
  let unreadTimes: number[] | undefined;
  const sentTimes: (string | number)[] = [];
  const emails = request.emails.map((e, i) => {
    const rawEmail = rawEmails[i];
    checkProtoMetadata(rawEmail, i);
    if (withProtoKey(rawEmail)) ignored.add('__proto__');
    if (e.receivedAt === undefined && typeof rawEmail === 'object' && rawEmail !== null) {
      const sent = (rawEmail as { receivedAt?: unknown }).receivedAt;
      if (typeof sent === 'string' || typeof sent === 'number') {
        (unreadTimes ??= []).push(i);
        sentTimes.push(sent);
      }
    }
    return toEmail(e, ignored);
  });
  const receivedAtWarnings = unreadTimes && unreadReceivedAtWarnings(unreadTimes, sentTimes, emails);
  const topLevel = Object.keys(request).filter((k) => k !== 'emails');
  if (withProtoKey(raw)) topLevel.push('__proto__');
  if (ignored.size === 0 && topLevel.length === 0) return receivedAtWarnings ? { emails, receivedAtWarnings } : { emails };
  const where = unreadPlaces(ignored, new Set(topLevel));
  return {
    emails,
    ignoredWarning: `Fields mailroute does not read were ignored, ${where}. An email's fields are ${[...EMAIL_FIELDS].join(', ')}; anything else can go in metadata (flat string, number, boolean or null values).`,
    ...(receivedAtWarnings ? { receivedAtWarnings } : {}),
  };
}

/** `in emails: subjekt (did you mean subject?); beside emails: email (did you mean emails?)`. */
function unreadPlaces(inEmails: ReadonlySet<string>, beside: ReadonlySet<string>): string {
  return [
    ...(inEmails.size > 0 ? [`in emails: ${listIgnored(inEmails, EMAIL_FIELDS)}`] : []),
    ...(beside.size > 0 ? [`beside emails: ${listIgnored(beside, ['emails'])}`] : []),
  ].join('; ');
}

/**
 * For a classify request refused by the schema: the fields it holds that are not read, with the one probably
 * meant, as a sentence to append (emails of `Subject` and `Body` get "An email needs subject, body or html",
 * which does not say why); undefined when there are none.
 */
export function classifyUnreadHint(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const emails = (raw as { emails?: unknown }).emails;
  const inEmails = new Set<string>();
  for (const email of Array.isArray(emails) ? emails : []) {
    if (typeof email === 'object' && email !== null && !Array.isArray(email)) for (const key of Object.keys(email)) if (!EMAIL_FIELDS.has(key)) inEmails.add(key);
  }
  const beside = new Set(Object.keys(raw).filter((k) => k !== 'emails'));
  if (inEmails.size === 0 && beside.size === 0) return undefined;
  return `It holds fields that are not read, ${unreadPlaces(inEmails, beside)}; an email's fields are ${[...EMAIL_FIELDS].join(', ')}.`;
}

/** What a JSON body that is not an object is; undefined for an object. */
function nonObjectKind(input: unknown): string | undefined {
  if (Array.isArray(input)) return 'a JSON array';
  if (input === null) return 'null';
  return typeof input === 'object' || input === undefined ? undefined : `a JSON ${typeof input}`;
}

/** A body that is not an object (a batch of feedback as an array, emails without their wrapper, null) is told what to send instead. */
function nonObjectBody(instead: string) {
  return (issue: { input?: unknown }) => {
    const kind = nonObjectKind(issue.input);
    return kind === undefined ? undefined : `The body is ${kind}; send ${instead}`;
  };
}

export function classifyRequestSchema(maxBatch: number) {
  return z
    // Said in words a CRM developer acts on: what to send instead (the limit is the server's --max-batch).
    .object({
      emails: z
        .array(RequestEmailSchema)
        .min(1, 'Send at least one email: emails is empty')
        .max(maxBatch, `At most ${maxBatch} emails per request: split the batch into several requests`),
    }, { error: nonObjectBody('an object whose emails array holds the emails: {"emails": [...]}') })
    .loose()
    .openapi('ClassifyRequest', {
      example: { emails: [{ id: 'crm-4711', subject: 'Depotübertrag', body: 'Bitte übertragen Sie mein Depot zur neuen Bank.' }] },
    });
}

/** One task's prediction as the CRM reads it, each field described for /openapi.json. */
const ClassifiedTaskSchema = TaskPredictionSchema.extend({
  label: TaskPredictionSchema.shape.label.describe('The predicted label, the best-scored one (also when the task abstains)'),
  confidence: TaskPredictionSchema.shape.confidence.describe('Calibrated probability of label, to 6 decimals'),
  top: TaskPredictionSchema.shape.top.describe('The best labels with their calibrated probabilities (score), best first'),
  abstained: TaskPredictionSchema.shape.abstained.describe("True when confidence is under the task's threshold, or the email had no text to classify (noText)"),
});

/** The route, each field described for /openapi.json. */
const ClassifiedRouteSchema = RouteSchema.extend({
  queue: RouteSchema.shape.queue.describe(`The queue to route the email to, or ${MANUAL_TRIAGE}`),
  reason: RouteSchema.shape.reason.describe(`confident: the predicted queue; low_confidence: ${MANUAL_TRIAGE}, as a routing task abstained (by default the queue task alone: another task's abstained flag does not stop the routing); no_queue: ${MANUAL_TRIAGE}, as the queue predicted is other, the catch-all of queues too rare to learn alone; automated: no person wrote the email (see automated), whatever its labels: ${MANUAL_TRIAGE}, or the queue the model's routing names for its kind (GET /v1/model, routing.automatedQueues)`),
});

export const ClassifiedEmailSchema = EmailPredictionSchema.extend({
  id: EmailPredictionSchema.shape.id.describe("The email's id as sent (/v1/classify/eml: ?id=, else its Message-ID without angle brackets); absent when it had none"),
  tasks: z.record(z.string(), ClassifiedTaskSchema).openapi({ description: 'Per task (label dimension, such as queue or topic): its label, confidence, top labels and abstained flag' }),
  route: ClassifiedRouteSchema.describe('Where the email goes: the queue, and why'),
  modelId: EmailPredictionSchema.shape.modelId.describe('The model that made this prediction'),
  language: EmailPredictionSchema.shape.language.describe('The language the cleaning detected: ISO 639-1 (de, en), or und when unsure'),
  truncated: EmailPredictionSchema.shape.truncated.describe('True when text was cut before classification: a field over the text limit, or more text after cleaning than the model reads (a warning says which)'),
  noText: EmailPredictionSchema.shape.noText.describe(`True when nothing was left to classify after cleaning (empty, markup only, a quoted reply only): the labels are guesses, every task abstains and the route is ${MANUAL_TRIAGE}`),
  automated: EmailPredictionSchema.shape.automated.describe(
    "Set when no person wrote the email: auto_reply (an out-of-office or other automatic reply, a read receipt, a delay or delivery notice: Auto-Submitted auto-replied, or such a subject) or delivery_failure (a mail system's report of mail it could not deliver: its sender, its report, or its subject: a report's template alone, a report's words with such a sender or Auto-Submitted auto-replied). The route's reason is then automated; the labels are still the model's",
  ),
  /** Quote it in feedback; also the key of the stored prediction record. */
  predictionId: z.string().openapi({ format: 'uuid', description: 'The id of this prediction (a UUID): quote it in /v1/feedback' }),
}).openapi('ClassifiedEmail');

export const ClassifyResponseSchema = z
  .object({
    modelId: z.string().openapi({ description: 'The model that answered' }),
    predictions: z.array(ClassifiedEmailSchema).openapi({ description: 'One per email, in the order sent' }),
    /** Present when something in the request deserves a look: text cut to the limit, no text left, fields ignored, ids repeated, U+FFFD, a language the model was not trained on. */
    warnings: z
      .array(z.string())
      .optional()
      .openapi({
        description:
          'Present when something deserves a look: text cut, emails with no text left, fields or query parameters not read, a receivedAt that could not be read (left out of its email, which was classified), ids repeated in the batch, U+FFFD replacement characters, lone UTF-16 surrogates replaced, emails detected in a language the model was not trained on (their labels are unreliable; /v1/model says the languages in routing.languages); from /v1/classify/eml also what of the message could not be read, and an email without an id (no ?id= and no usable Message-ID). An email of /v1/classify without an id gets none: its answer has no id, and feedback quotes its predictionId',
      }),
  })
  .openapi('ClassifyResponse');

/** What a feedback's labels are, said when they are sent in another shape. */
const LABELS_SHAPE = 'labels is an object of the confirmed label per task, such as {"queue": "tax_documents", "topic": "freistellungsauftrag"}';
const LABEL_VALUE = 'a label is a string, such as "tax_documents"';
/** The longest label a feedback may send. */
const MAX_LABEL_CHARS = 200;

/** Task labels one feedback may name at most: a model has a handful of tasks, and each name sent is judged and may be named back. */
export const MAX_FEEDBACK_LABELS = 64;

/**
 * More task labels than one feedback may name, refused before any of them is read: 60,000 of them (a 1 MB body) took
 * seconds to judge and were each named back, in a 4 MB answer (or, with labels of the wrong type, an issue apiece).
 */
function capLabels(value: unknown, ctx: { issues: unknown[] }): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const count = Object.keys(value).length;
  if (count > MAX_FEEDBACK_LABELS) {
    const message = `at most ${MAX_FEEDBACK_LABELS} task labels per feedback, not ${count}: send the labels of the model's tasks ({task: label}, one per task)`;
    ctx.issues.push({ code: 'too_big', origin: 'object', maximum: MAX_FEEDBACK_LABELS, input: value, message });
  }
  return value;
}

export const FeedbackRequestSchema = z
  .object({
    // null is absent, as in /v1/classify (many serializers write null for an empty field).
    // Prediction ids are UUIDs (version 7 since they became time-ordered, version 4 before): anything else is
    // a mistake to name (400 with the path), not a prediction to look for (404).
    predictionId: z
      .guid({ message: 'a predictionId is a UUID, as /v1/classify answers it (0193a1f0-7c1e-7b2a-9d4e-3f5a6b7c8d9e)' })
      .nullish()
      // Ids are made in lower case; a UUID is the same in either (RFC 9562), so one in upper case finds its prediction.
      .transform((v) => v?.toLowerCase() ?? undefined)
      .openapi({ description: 'The predictionId /v1/classify answered for the email (in any case). predictionId or emailId is required (null counts as absent); with both, they must name the same email' }),
    emailId: idSchema()
      .nullish()
      .transform((v) => v ?? undefined)
      .openapi({ description: "The email's id as sent to /v1/classify (surrounding whitespace trimmed, as the email's id is): joins its latest prediction. predictionId or emailId is required" }),
    // A CRM that sends a list of {task, label} pairs, or a label as a number, is told the shape, not zod's "expected record".
    // A label is normalised before its length is checked: a lone variation selector is an empty label.
    labels: z
      .preprocess(
        capLabels,
        z.record(z.string(), z
          .string({ error: (issue) => (issue.code === 'invalid_type' && issue.input !== undefined ? LABEL_VALUE : undefined) })
          .overwrite(normalizeLabel)
          .min(1, 'a label is empty: send the label the person confirmed for the task, such as "tax_documents", or leave the task out')
          .max(MAX_LABEL_CHARS, { error: (issue) => `a label has at most ${MAX_LABEL_CHARS} characters: this one has ${String(issue.input).length}` }),
        {
          error: (issue) => (issue.code === 'invalid_type' && issue.input !== undefined ? `${LABELS_SHAPE}${Array.isArray(issue.input) ? ', not an array' : ''}` : undefined),
        }),
      )
      // At least one: checked by the route (below), so the schema only says it.
      .openapi({
        minProperties: 1,
        maxProperties: MAX_FEEDBACK_LABELS,
        description:
          `The confirmed label per task ({task: label}, at least one, at most ${MAX_FEEDBACK_LABELS}); a task or label outside the taxonomy gets 422 with validLabels. A label is read in Unicode NFC and without emoji variation selectors (U+FE0F, U+FE0E): one written decomposed (u and a combining diaeresis for ü), or an emoji with or without its selector, is the same label, and is stored so`,
      }),
    closedAt: dateTimeSchema('When the case was closed (not more than 5 minutes ahead of the server\'s clock, which allows for a CRM clock a little fast; nor longer ago than the server keeps feedback: its retention, 400 days by default)'),
  }, { error: nonObjectBody('one feedback, an object {predictionId or emailId, labels, closedAt}: send one request per email') })
  .refine((f) => f.predictionId !== undefined || f.emailId !== undefined, {
    message: 'predictionId or emailId is required',
    path: ['predictionId'],
  })
  .openapi({ anyOf: oneOfPresent(['predictionId', 'emailId']) })
  // "At least one task label" is checked by the route: zod's output leaves out a task named __proto__, which is
  // a label sent (refused as an unknown task, 422), not none.
  .openapi('FeedbackRequest', {
    // The email of ClassifyRequest's example: classify it, then send this as it stands.
    example: { emailId: 'crm-4711', labels: { queue: 'tax_documents', topic: 'freistellungsauftrag' }, closedAt: TIME_EXAMPLE },
  });

const FEEDBACK_FIELDS: ReadonlySet<string> = new Set(Object.keys(FeedbackRequestSchema.shape));

/**
 * A warning naming the fields of a feedback (as parsed) that are not read, with the field probably meant
 * (`predictionID (did you mean predictionId?)`), as /v1/classify names an email's; undefined when there are none.
 */
export function feedbackIgnoredWarning(raw: unknown): string | undefined {
  const unread = feedbackUnreadFields(raw);
  return unread && `Fields mailroute does not read were ignored: ${unread}. A feedback's fields are ${[...FEEDBACK_FIELDS].join(', ')}.`;
}

/**
 * For a feedback refused by the schema: the fields it holds that are not read, with the one probably meant,
 * as a sentence to append (a `predictionID` alone gets "predictionId or emailId is required", which does not
 * say why); undefined when there are none.
 */
export function feedbackUnreadHint(raw: unknown): string | undefined {
  const unread = feedbackUnreadFields(raw);
  return unread && `It holds fields that are not read: ${unread}; a feedback's fields are ${[...FEEDBACK_FIELDS].join(', ')}.`;
}

function feedbackUnreadFields(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const unread = new Set(Object.keys(raw).filter((k) => !FEEDBACK_FIELDS.has(k)));
  return unread.size === 0 ? undefined : listIgnored(unread, FEEDBACK_FIELDS);
}

export const FeedbackResponseSchema = z
  .object({
    emailId: z.string().openapi({ description: "The email the feedback is stored under: the prediction's email id (its predictionId when it was classified without one), else the emailId sent" }),
    predictionId: z.string().optional().openapi({ format: 'uuid', description: 'The prediction the feedback is stored against: the one sent, or the latest of the emailId; absent when none is stored here (matched false)' }),
    /** `superseded`: a feedback for this email that closed later is kept; this one changed nothing. */
    status: z.enum(['recorded', 'superseded']).openapi({ description: 'recorded; superseded when a feedback of this email that closed later is stored: this one changed nothing' }),
    /** Whether a prediction of this email is stored here; false: the feedback is kept, but scores no prediction until one is. */
    matched: z.boolean().openapi({
      description:
        'True when a prediction of this email is stored here (always, with a predictionId). False: no prediction has this emailId (a typo, or one made by another instance or before a restore); the feedback is stored all the same and joins a prediction of that email stored later, but counts in no quality figure until then',
    }),
    /** What deserves a look, as classify's, quality's and reload's `warnings` say it. */
    warnings: z
      .array(z.string())
      .optional()
      .openapi({
        description:
          "Present when something deserves a look: matched is false (no prediction has this emailId), the prediction was of automated mail (an auto-reply or bounce: the feedback is kept, but live quality and the feedback export leave it out), a task corrected to a retired label lost its earlier confirmed label (cleared: unconfirmed now; the retired label is not recorded), closedAt had no zone and was read as UTC on a server without a time zone (set the server's, or send the offset), or fell in an hour a change of daylight saving time repeats (read as its first occurrence) or skips (moved forward by the gap), or the feedback held fields that are not read (named, with the field probably meant)",
      }),
    /** Deprecated: `warnings` joined into one string, as it was answered before `warnings`. */
    warning: z
      .string()
      .optional()
      .openapi({ deprecated: true, description: 'Deprecated, read warnings instead: the same warnings joined into one string (set whenever warnings is), kept for clients written before warnings' }),
    /** Tasks whose label was left out and why (a label the model's training config retired). */
    ignored: z.record(z.string(), z.string()).optional().openapi({ description: 'Tasks whose label was left out, and why: a label the training config retired, or a task the model does not have (whose name is near none of its tasks)' }),
    /** Tasks whose label the model reads under another of its names, that name and why (stored as sent; scored under it). */
    readAs: z
      .record(z.string(), z.string())
      .optional()
      .openapi({
        description:
          "Tasks whose label the model reads under another name, with that name and why: an old name its training config renames or merges, or a label too rare to learn that training merged into other (the manifest's mergedIntoOther). The label is stored as sent and scored under that name",
      }),
    /** The tasks whose label this feedback set; the email's other tasks keep the labels stored before. */
    recordedTasks: z.array(z.string()).openapi({
      description:
        "The tasks whose label this feedback set (status recorded; none when superseded). Feedback is merged per task: the email's other tasks keep the labels an earlier feedback confirmed",
    }),
  })
  .openapi('FeedbackResponse');

const BandSchema = z.object({
  band: z.string().openapi({ description: 'Confidence range of the predicted label, lower bound included: 0.0-0.5, 0.5-0.7, 0.7-0.9, 0.9-1.0 (1.0 included)' }),
  predictions: z.number().int().openapi({ description: "Emails whose prediction of this task has a confidence in the band" }),
  withFeedback: z.number().int().openapi({ description: 'Of those, emails with a confirmed label of this task' }),
  accuracy: z.number().nullable().openapi({ description: 'Share of those whose predicted label was confirmed; null without feedback' }),
});
const DriftSchema = z.object({
  reference: z.enum(['training', 'previous_window', 'none']).openapi({ description: "What the predicted labels are compared with: the training label shares of the model measured (the served one, or ?model=<id>'s; none for ?model=all, several models' predictions), else the predictions of the window of the same length before this one, else nothing" }),
  minPredictions: z.number().int().openapi({ description: "Predictions of the task (and, against the previous window, in that window too) a drift figure needs: 20 per label beyond the first, at least 30. On fewer, chance alone gives a PSI that reads as a shift" }),
  psi: z.number().nullable().openapi({ description: "Population stability index of the predicted label shares against the reference's, both smoothed alike over the same labels (the task's, the window's and the reference's): each label given half a count more, the window's counts as they are, the previous window's as they are, the training shares as counts of a sample the window's size; so a label one side lacks (never seen in training, missed by a sample) is not a shift of its whole share, and the figure stays finite (< 0.1 stable, 0.1-0.25 moderate shift, > 0.25 large shift); null below minPredictions or without a reference" }),
  jsDivergence: z.number().nullable().openapi({ description: 'Jensen-Shannon divergence in bits (0 identical, 1 disjoint); null as psi is' }),
  predicted: z.record(z.string(), z.number()).openapi({ description: 'Share of each predicted label in the window' }),
  expected: z.record(z.string(), z.number()).nullable().openapi({ description: 'Share of each label in the reference (unsmoothed); null without one, also for training shares of which one is no finite number at or over 0, or none is over 0' }),
});

/** The longest window `/v1/quality` measures, in hours (366 days). */
const MAX_QUALITY_HOURS = 24 * 366;

/**
 * `hours` as a plain decimal number (`24`, `1.5`): Number() would also take `0x10` (16), `1e3` or blanks, and
 * read an empty value as 0, so the text is checked first, and each refusal says what was wrong.
 */
const hoursSchema = z
  .string({ error: onceOnly('hours') })
  .transform((text, ctx) => {
    const say = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (text === '') return say('hours is empty: give the window in hours, a plain decimal number such as 24 or 1.5 (or leave hours out for 168)');
    if (!/^\d+(\.\d+)?$/.test(text)) return say(`hours must be a plain decimal number of hours, such as 24 or 1.5, not "${sentValue(text, 20, '')}"`);
    const hours = Number(text);
    if (hours === 0) return say('hours must be more than 0');
    if (hours > MAX_QUALITY_HOURS) return say(`hours must be at most ${MAX_QUALITY_HOURS} (366 days)`);
    return hours;
  });

/**
 * The hours `hoursSchema` takes, as the document's pattern (a query parameter is text, so JSON Schema's minimum and
 * maximum would not apply): a plain decimal number over 0 (0.5, 00.25) and at most MAX_QUALITY_HOURS, 8784.
 * `quality.test.ts` checks that it takes what the route takes.
 */
const HOURS_PATTERN = String.raw`^(?:0+\.\d*[1-9]\d*|0*(?:[1-9]\d{0,2}|[1-7]\d{3}|8[0-6]\d{2}|87[0-7]\d|878[0-3])(?:\.\d+)?|0*8784(?:\.0+)?)$`;

export const QualityQuerySchema = z.object({
  /** Window length in hours, ending now (default 168 = 7 days). */
  hours: hoursSchema
    .optional()
    .transform((hours) => hours ?? 168)
    .openapi({
      type: 'string',
      pattern: HOURS_PATTERN,
      default: '168',
      param: { name: 'hours', in: 'query' },
      description:
        `Window length in hours, ending now (default 168 = 7 days): a plain decimal number (24, 1.5), more than 0 and at most ${MAX_QUALITY_HOURS} (366 days). The window selects predictions by when they were made, not by closedAt: each email predicted in it is measured with its feedback, whenever the case closed (so the newest hours have the least feedback yet); a case closed in the window on an email predicted before it is not counted`,
    }),
  /** Whose predictions to measure: a model id, or `all`; default the model served now (a window can span a model swap). */
  model: idSchema({ param: 'model' }).optional().openapi({ param: { name: 'model', in: 'query' }, description: 'a model id, or all; default: the model served now' }),
});

export const QualityResponseSchema = z
  .object({
    /** The model measured (`all`: every model's predictions in the window), null when none is loaded and none asked for. */
    modelId: z.string().nullable().openapi({ description: 'The model measured: the served one unless ?model= names another or all' }),
    window: z
      .object({ since: z.string().openapi({ format: 'date-time' }), until: z.string().openapi({ format: 'date-time' }) })
      .openapi({ description: 'The predictions measured were made in [since, until) (ISO 8601 UTC; until is just after now): prediction time, not closedAt, selects them' }),
    /** Emails each model predicted in the window, before the `model` filter (an email predicted by two models counts for both). */
    models: z.record(z.string(), z.number().int()).openapi({ description: 'Emails each model predicted in the window, before the model filter' }),
    /** The window held more predictions than one answer reads: the newest were measured, and every one with feedback. */
    truncated: z.boolean().openapi({ description: 'True when the window held more predictions than one answer reads: the newest are measured, with every prediction that has feedback' }),
    /** When truncated: predictions without feedback are counted from this time on (those with feedback from the window's start). */
    sampledSince: z.string().nullable().openapi({ format: 'date-time', description: 'When truncated, the oldest prediction without feedback that was read; null otherwise' }),
    /** Emails of the window the measured model's server answered as automated: left out of every other figure but `models`. */
    automated: z.number().int().openapi({ description: "Emails of the window answered as automated (auto-replies, read receipts, bounces: route reason automated), each once: no person wrote them, so they are left out of every other figure but models, feedback on them included; when truncated, those of the predictions read. Predictions stored before data version 3 of the SQLite store (or by an older server) are not known as automated" }),
    /** Emails the measured model predicted in the window (an email predicted twice counts once: by the prediction its feedback names, else its latest). */
    predictions: z.number().int().openapi({ description: 'Emails the measured model predicted in the window (each once: by the prediction its feedback names, else its latest), automated ones aside' }),
    withFeedback: z.number().int().openapi({ description: 'Of those, emails whose case was closed with confirmed labels on that prediction: a feedback judges the prediction it names (by predictionId, or the newest when sent by emailId), not another prediction of the email (an older or newer one, another model\'s)' }),
    unchangedShare: z.number().nullable().openapi({ description: 'Over all tasks, not per task: of the emails whose feedback confirms a label of a task their prediction made, the share (0 to 1) whose every such label is the predicted one, read from the feedback as it stands at case close (a label accepted, then corrected, counts as changed; an email confirmed on one task is judged on that task alone); null when there are none' }),
    routedShare: z.number().nullable().openapi({ description: "Share of the window's emails routed to a queue automatically, not to manual_triage (low confidence, or a predicted other): the evaluation report's routed share of the task that routes mail; a task's coverage counts a predicted other as answered. Null without predictions" }),
    tasks: z.record(
      z.string(),
      z.object({
        predictions: z.number().int().openapi({ description: 'Emails with a prediction of this task' }),
        withFeedback: z.number().int().openapi({ description: 'Of those, emails with a confirmed label of this task (scored)' }),
        unmappable: z.number().int().openapi({ description: 'Feedback labels with no name in the taxonomy of the model that made the prediction (renamed away, merged or retired since): not scored' }),
        accuracy: z.number().nullable().openapi({ description: 'Share (0 to 1) of the scored emails whose predicted label was confirmed; an email the task abstained on (sent to manual triage when it is the routing task) is scored by the label it predicted all the same; null without feedback' }),
        macroF1: z.number().nullable().openapi({ description: 'Mean F1 over the labels confirmed or predicted among the scored emails (scikit-learn macro average); null without feedback' }),
        coverage: z.number().nullable().openapi({ description: "Share of the predictions of this task that did not abstain (confidence at or over the task's threshold; an email with no text always abstains); null without predictions" }),
        bands: z.array(BandSchema).openapi({ description: 'Predictions and accuracy by confidence of the predicted label' }),
        drift: DriftSchema.openapi({ description: 'Predicted label shares against a reference' }),
      }),
    ).openapi({ description: "Per task: the served model's tasks, or (?model= another model, or all) the tasks its predictions have" }),
    /** A `?model=` with no predictions in the window; query parameters that were not read (`hour`, `Model`), or a body: the answer used the defaults in their place. */
    warnings: z
      .array(z.string())
      .optional()
      .openapi({
        description:
          'A ?model= with no predictions in the window (a typo, an id that never served): its figures are zeros, and the models that have predictions there are named, a near id as the one probably meant. Query parameters not read (hour: did you mean hours?), named with the one probably meant, and a request body, which is never read: the answer used the defaults of hours and model in their place',
      }),
  })
  .openapi('Quality');

export const ModelInfoSchema = z
  .object({
    modelId: z.string().nullable(),
    tasks: z.array(z.object({ name: z.string(), labels: z.array(z.string()) })),
    /** How answers are routed; null where the served model's manifest does not say. */
    routing: z
      .object({
        queueTask: z.string().openapi({ description: 'The task whose label is the queue an email is routed to' }),
        abstainTasks: z.array(z.string()).openapi({ description: 'Tasks whose abstention sends an email to manual_triage' }),
        thresholds: z.record(z.string(), z.number()).openapi({ description: 'Per task, the calibrated confidence under which it abstains' }),
        automatedQueues: z
          .object({ auto_reply: z.string().optional(), delivery_failure: z.string().optional() })
          .optional()
          .openapi({ description: "Per kind of automated mail, the queue it is routed to (the training config's routing.automatedQueues); a kind not named goes to manual_triage" }),
        languages: z
          .array(z.string())
          .optional()
          .openapi({
            description:
              "The languages the model was trained on (its manifest's training.languages: each with at least 1% and 10 of the rows trained and validated on), as classify's language says them (de, en, ...): an email detected in another is answered with a warning. Absent for a model whose manifest records none (trained before mailroute counted them): nothing is warned of then",
            example: ['de', 'en'],
          }),
      })
      .nullable(),
    loadedAt: z.string().nullable().openapi({ format: 'date-time' }),
    /** Models loaded in place of another (the first load is not counted). */
    reloads: z.number().int(),
    failedReloads: z.number().int(),
    lastReloadAt: z.string().nullable().openapi({ format: 'date-time' }),
    lastReloadError: z.object({ at: z.string().openapi({ format: 'date-time' }), message: z.string(), modelId: z.string().optional() }).nullable(),
    /** The registry's record of the served version, when served from a registry. */
    registry: z
      .object({ version: z.number().int(), status: z.enum(MODEL_STATUSES), createdAt: z.string().openapi({ format: 'date-time' }), family: z.string(), metrics: z.record(z.string(), z.number()) })
      .nullable(),
  })
  .openapi('ModelInfo');

export const ReloadResponseSchema = z
  .object({
    /** Another model is served now. */
    changed: z.boolean().openapi({ description: 'Another model is served now' }),
    /** A fresh session was loaded: also for `?force=true` on the model already served. */
    loaded: z.boolean().openapi({ description: 'A session was opened (also for force=true on the model already served)' }),
    modelId: z.string().nullable(),
    previousModelId: z.string().nullable(),
    /** Set when the champion failed to load before and was not tried again: `?force=true` tries it. */
    note: z.string().optional(),
    warnings: z
      .array(z.string())
      .optional()
      .openapi({ description: 'Query parameters not read (forc: did you mean force?), named with the one probably meant: the reload ran without them' }),
  })
  .openapi('ReloadResult');

export const HealthSchema = z.object({ status: z.enum(['ok', 'ready']), modelId: z.string().nullable().optional() }).openapi('Health');
