import { withAutomatedRoute } from '@mailroute/model';
import { bodyIsHtml, htmlPartUnread, htmlToText, namesTimeZone, resolveLocalTime, type Email } from '@mailroute/preprocess';
import type { AppContext } from '../http/context.js';
import type { KeptText } from '../model/stored-text.js';
import type { PredictionRecord } from '../store/types.js';
import type { z } from '@hono/zod-openapi';
import type { ClassifyResponseSchema } from '../http/schemas.js';

type ClassifyResponse = z.infer<typeof ClassifyResponseSchema>;

const TEXT_FIELDS = ['subject', 'body', 'html'] as const;

/**
 * Whether a text field holds U+FFFD, what a decoder writes for bytes that are not UTF-8. A JSON body that
 * is not UTF-8 is refused before it gets here (415); this is text mangled before it was sent (a CRM that
 * stored windows-1252 mail as UTF-8), or a raw email whose charset was wrong: its umlauts are lost.
 */
function hasReplacementCharacter(email: Email): boolean {
  for (const field of TEXT_FIELDS) if (email[field]?.includes('\uFFFD')) return true;
  return false;
}

/** String's ES2024 methods (Node 20 has them; the project's TypeScript lib is ES2023). */
type Es2024String = string & { isWellFormed(): boolean; toWellFormed(): string };

/**
 * Whether text holds what no stored text may: a lone UTF-16 surrogate (JSON's `"\udc00"`: it has no UTF-8 form, and
 * was stored as invalid bytes) or a NUL (carried into the stored text and the CSV export). Two native scans, about
 * 0.15 µs for 20,000 characters (a regex test took 40 times as long); only a field that holds one is copied.
 */
function unstorable(text: string): boolean {
  return !(text as Es2024String).isWellFormed() || text.includes('\u0000');
}

/** The strings of an email that are read or stored: its text, and the sender and bank. */
const STORED_STRINGS = [...TEXT_FIELDS, 'from', 'bank'] as const;

/** `text` well-formed (a lone surrogate as U+FFFD) and without NULs. */
function storable(text: string): string {
  return (text as Es2024String).toWellFormed().replaceAll('\u0000', '');
}

/**
 * The email with its lone surrogates replaced with U+FFFD and its NULs removed, before it is cleaned or stored;
 * undefined when it holds neither (the common case: a native scan or two per field). `surrogates`: whether a lone
 * surrogate was replaced (a character of the text lost, which the answer says; a NUL carries no text).
 */
export function storableEmail(email: Email): { email: Email; surrogates: boolean } | undefined {
  let out: Email | undefined;
  let surrogates = false;
  for (const field of STORED_STRINGS) {
    const value = email[field];
    if (value === undefined || !unstorable(value)) continue;
    out ??= { ...email };
    surrogates ||= !(value as Es2024String).isWellFormed();
    out[field] = storable(value);
  }
  const names = email.attachmentNames;
  if (names?.some(unstorable)) {
    out ??= { ...email };
    surrogates ||= names.some((name) => !(name as Es2024String).isWellFormed());
    out.attachmentNames = names.map(storable);
  }
  return out === undefined ? undefined : { email: out, surrogates };
}

/** Markup kept of one HTML field at most, whatever its text (cleaning refuses 4 Mi characters of body and HTML). */
const MAX_HTML_CHARS = 1024 * 1024;

/** Passes of `htmlChars` over the markup at most (each reads it up to its cut once). */
const MAX_CUT_PASSES = 12;
/** `htmlChars` stops once the visible text kept is within this share of the limit (an exact cut took 15-20 passes). */
const CUT_TOLERANCE = 0.01;

/**
 * How much of an HTML field to keep: `max` limits its visible text, not its markup. An Outlook email's `<style>` block
 * alone can be longer than the limit, and cutting the markup there left no text at all. Over the limit, a markup
 * prefix whose visible text fits and comes within CUT_TOLERANCE of `max` is kept (where the text jumps past the limit
 * at one tag, a table's text written as it closes: one ending close before that tag). Found where the visible text
 * would reach the limit if it grew evenly between the two cuts known, halving instead when one side has moved twice
 * running: 3-8 passes over the markup, where a search that halved each time took 15-20 (it held the request thread
 * 300 ms for a 1 MB newsletter), at most MAX_CUT_PASSES.
 */
function htmlChars(html: string, max: number): number {
  return markupCut(Math.min(MAX_HTML_CHARS, html.length), max, (end) => htmlToText(html.slice(0, end)).length);
}

/** `htmlChars` giving the event loop a turn before each pass over the markup (see `truncateEmailInTurns`). */
async function htmlCharsInTurns(html: string, max: number): Promise<number> {
  const search = cutSearch(Math.min(MAX_HTML_CHARS, html.length), max);
  for (let step = search.next(); ; ) {
    if (step.done) return step.value;
    await new Promise((resolve) => setImmediate(resolve));
    step = search.next(htmlToText(html.slice(0, step.value)).length);
  }
}

/**
 * `htmlChars`' search, of the markup's first `length` characters, given `visible` (the visible text of the first `end`
 * characters of markup, which never shrinks as `end` grows): `length` when all of it fits in `max`, else a cut whose
 * visible text fits.
 */
export function markupCut(length: number, max: number, visible: (end: number) => number): number {
  const search = cutSearch(length, max);
  for (let step = search.next(); ; step = search.next(visible(step.value))) if (step.done) return step.value;
}

/** `markupCut`'s steps: yields each markup length whose visible text it needs, and is given that back. */
function* cutSearch(length: number, max: number): Generator<number, number, number> {
  let hi = length;
  let visibleHi = yield hi;
  if (visibleHi <= max) return length;
  let lo = 0;
  let visibleLo = 0;
  // Aimed a little under the limit, so that more guesses fit; the same side moving twice running means the guesses stall.
  const target = max * (1 - CUT_TOLERANCE / 2);
  let lastSide: 'lo' | 'hi' | undefined;
  let sameSide = 0;
  for (let pass = 1; pass < MAX_CUT_PASSES && hi - lo > 1 && visibleLo < max * (1 - CUT_TOLERANCE); pass++) {
    const guess = sameSide >= 2 ? (lo + hi) / 2 : lo + ((hi - lo) * (target - visibleLo)) / (visibleHi - visibleLo);
    const cut = Math.min(hi - 1, Math.max(lo + 1, Math.round(guess)));
    const shown = yield cut;
    const side = shown <= max ? 'lo' : 'hi';
    if (side === 'lo') [lo, visibleLo] = [cut, shown];
    else [hi, visibleHi] = [cut, shown];
    sameSide = side === lastSide ? sameSide + 1 : 1;
    lastSide = side;
  }
  return lo;
}

/** A text field over `max` characters that is read, and whether its limit is of visible text (HTML). */
interface Overlong {
  field: (typeof TEXT_FIELDS)[number];
  value: string;
  html: boolean;
}

/** The fields of `email` to cut to `max`: none for most emails. */
function overlongFields(email: Email, max: number): Overlong[] | undefined {
  let found: Overlong[] | undefined;
  for (const field of TEXT_FIELDS) {
    const value = email[field];
    if (value === undefined || value.length <= max) continue;
    // The HTML alternative of a plain-text body is never read: not cut, nor said to be (a newsletter's cost 40 ms).
    if (field === 'html' && htmlPartUnread(email)) continue;
    (found ??= []).push({ field, value, html: field === 'html' || (field === 'body' && bodyIsHtml(value)) });
  }
  return found;
}

/** `email` with each field cut to its `keep` characters; whether any was cut. */
function withCuts(email: Email, cuts: ReadonlyArray<{ field: Overlong['field']; value: string; keep: number }>): { email: Email; truncated: boolean } {
  let out: Email | undefined;
  for (const { field, value, keep } of cuts) {
    if (keep < value.length) {
      out ??= { ...email };
      out[field] = value.slice(0, keep);
    }
  }
  return out === undefined ? { email, truncated: false } : { email: out, truncated: true };
}

/**
 * Cuts every text field to `max` characters (HTML, and a body that is HTML (`bodyIsHtml`): of visible text); says whether anything was cut (the
 * email itself is never changed).
 */
export function truncateEmail(email: Email, max: number): { email: Email; truncated: boolean } {
  return cutAtOnce(email, overlongFields(email, max), max);
}

/** Markup longer than this is cut by `truncateEmailInTurns` (a pass over it takes some milliseconds or more). */
export const CUT_IN_TURNS_CHARS = 64 * 1024;

/**
 * `truncateEmail` for an email whose HTML needs cutting and is long: each pass of the search over the markup (up to
 * MAX_CUT_PASSES of up to 1 MB) comes after a turn of the event loop, so that other requests (`/healthz`, other
 * customers' emails) are answered between them. A fuzz trial's 920 KB of nested table markup held the request thread
 * 1.2-2.4 s in one go.
 */
export async function truncateEmailInTurns(email: Email, max: number): Promise<{ email: Email; truncated: boolean }> {
  return cutInTurns(email, overlongFields(email, max), max);
}

/** `email` with `fields` (its `overlongFields`) cut to `max`, each search over its markup in one go. */
function cutAtOnce(email: Email, fields: Overlong[] | undefined, max: number): { email: Email; truncated: boolean } {
  if (fields === undefined) return { email, truncated: false };
  return withCuts(email, fields.map((f) => ({ ...f, keep: f.html ? htmlChars(f.value, max) : max })));
}

/** `cutAtOnce`, each pass over the markup after a turn of the event loop. */
async function cutInTurns(email: Email, fields: Overlong[] | undefined, max: number): Promise<{ email: Email; truncated: boolean }> {
  if (fields === undefined) return { email, truncated: false };
  const cuts = [];
  for (const f of fields) cuts.push({ ...f, keep: f.html ? await htmlCharsInTurns(f.value, max) : max });
  return withCuts(email, cuts);
}

/** Whether fields to cut hold an HTML field (or body) over CUT_IN_TURNS_CHARS: cut in turns. */
function hasLongMarkup(fields: Overlong[] | undefined): boolean {
  return fields?.some((f) => f.html && f.value.length > CUT_IN_TURNS_CHARS) === true;
}

/**
 * Each email cut to `max`, its fields to cut found once: at once, without a wait, where none has long markup (nearly
 * every request: the single-email path stays as fast); else those with long markup in turns.
 */
function truncateEmails(emails: readonly Email[], max: number): Array<{ email: Email; truncated: boolean }> | Promise<Array<{ email: Email; truncated: boolean }>> {
  const fields = emails.map((e) => overlongFields(e, max));
  if (!fields.some(hasLongMarkup)) return emails.map((e, i) => cutAtOnce(e, fields[i], max));
  return (async () => {
    const out = [];
    for (let i = 0; i < emails.length; i++) out.push(hasLongMarkup(fields[i]) ? await cutInTurns(emails[i], fields[i], max) : cutAtOnce(emails[i], fields[i], max));
    return out;
  })();
}

// What `--store-text` keeps of an email's text is made where its model input is (`predictKeeping`, model/stored-text.ts).
export { rawText, storedText } from '../model/stored-text.js';

/**
 * How the forms most CRMs send end (`Z`, `+01:00`, `+0100`), which no time without a zone does (it ends with its
 * minutes, seconds or day): one regex test, as cheap as the schema's check (`namesTimeZone` reads the rest).
 */
const ENDS_WITH_ZONE = /(?:z|[+-]\d{2}:?\d{2})$/i;

/**
 * The receivedAt to keep for training: one that names its zone as sent (most CRMs send ISO 8601 with `Z` or an
 * offset, which training reads as it is: no rewrite, which cost a tenth of single-email throughput as a schema
 * transform); one without a zone (a local time, a date alone) as the instant it names in the server's time zone
 * (`timeZone`, else UTC), ISO 8601 UTC (`resolveLocalTime`: a local time the autumn change repeats is its first
 * occurrence, one the spring change skips is moved forward by the gap). Kept as sent, a training config with a
 * `timeZone` would read it in its own zone, and refuse a row in the hour a change of daylight saving time repeats or skips.
 */
export function storedReceivedAt(receivedAt: string, timeZone: string | undefined): string {
  const text = receivedAt.trim();
  if (ENDS_WITH_ZONE.test(text) || namesTimeZone(text)) return receivedAt;
  const ms = resolveLocalTime(text, timeZone ?? 'UTC');
  return Number.isNaN(ms) ? receivedAt : new Date(ms).toISOString();
}

/**
 * What `--store-text` keeps of an email for next month's training data (`mailroute feedback export`): its text,
 * masked, and the other fields a training config reads, its bank (a meta token of the model's input: without
 * it, a model retrained on exported cases learns them without the token it is served with), receivedAt (one
 * without a zone as its instant in `timeZone`: `storedReceivedAt`) and its attachment names (masked too). The text and
 * the names come masked with the predictions (`kept`: made where the model's input was, on a model thread for big batches).
 */
function keepTrainingFields(record: PredictionRecord, email: Email, kept: KeptText, timeZone: string | undefined): void {
  record.text = kept.text;
  if (typeof email.bank === 'string' && email.bank.trim() !== '') record.bank = email.bank;
  if (typeof email.receivedAt === 'string' && email.receivedAt.trim() !== '') record.receivedAt = storedReceivedAt(email.receivedAt, timeZone);
  if (kept.attachmentNames !== undefined) record.attachmentNames = kept.attachmentNames;
}

/** Ids named in a warning at most. */
const MAX_REPEATED_SHOWN = 5;

/** The first MAX_REPEATED_SHOWN of `names` (of `total`), each cut to 80 characters, and how many more there are. */
function listShown(names: readonly string[], total = names.length): string {
  const shown = names.slice(0, MAX_REPEATED_SHOWN).map((id) => (id.length > 80 ? `${id.slice(0, 80)}…` : id));
  return `${shown.join(', ')}${total > MAX_REPEATED_SHOWN ? ` and ${total - MAX_REPEATED_SHOWN} more` : ''}`;
}

/**
 * A warning naming the email ids that occur more than once in a batch, or undefined: each copy gets its own
 * prediction, and feedback by emailId joins only the last, which a caller sending them by mistake should know.
 */
export function repeatedIdsWarning(input: readonly Email[]): string | undefined {
  if (input.length < 2) return undefined;
  const seen = new Set<string>();
  let repeated: Set<string> | undefined;
  for (const { id } of input) {
    if (id === undefined) continue;
    if (seen.has(id)) (repeated ??= new Set()).add(id);
    else seen.add(id);
  }
  if (repeated === undefined) return undefined;
  return `Email ids repeated in this batch: ${listShown([...repeated])}. Each copy was classified and stored; feedback by emailId joins the last copy's prediction only.`;
}

/** What the store keeps of one answered prediction (labels, confidences, abstentions per task; no text unless configured). */
function toRecord(p: ClassifyResponse['predictions'][number], createdAt: string, latencyMs: number): PredictionRecord {
  const labels: Record<string, string> = {};
  const confidences: Record<string, number> = {};
  const abstained: Record<string, boolean> = {};
  for (const task in p.tasks) {
    const t = p.tasks[task];
    labels[task] = t.label;
    confidences[task] = t.confidence;
    abstained[task] = t.abstained;
  }
  const record: PredictionRecord = { predictionId: p.predictionId, emailId: p.id ?? p.predictionId, modelId: p.modelId, createdAt, labels, confidences, abstained, queue: p.route.queue, latencyMs };
  if (p.automated !== undefined) record.automated = p.automated;
  return record;
}

/** How the emails reached classifyEmails. */
export interface ClassifyRequest {
  /** Warnings about the request itself (fields or query parameters it holds that are not read, an email without an id). */
  requestWarnings?: readonly string[];
  /** `eml`: one raw email this server decoded, so U+FFFD in it comes from the email's bytes, not the caller's decoding. */
  source?: 'json' | 'eml';
}

/** Why text holds U+FFFD: JSON text was decoded by the caller; a raw email's parts by this server, in the charset they declare. */
const GARBLED_CAUSE = {
  json: 'their text was decoded from bytes that were not UTF-8 before it was sent',
  eml: 'the raw email holds bytes that are not valid in the charset it declares for them (a part or an encoded header word, e.g. charset=utf-8 on Windows-1252 text) or, in a part that declares none or a charset no decoder knows (charset=x-unknown), read as UTF-8 for being mostly UTF-8, or held U+FFFD already, or a part sent as base64 was damaged (another warning then says so)',
} as const;

/**
 * `N email(s) (crm-1, emails[2])`: how many, and which, by id or else by position in the request, at most
 * MAX_REPEATED_SHOWN named (each prediction's `truncated` or `noText` flag says it too).
 */
function emailsNamed(at: readonly number[], input: readonly Email[]): string {
  return `${at.length} email(s) (${listShown(at.slice(0, MAX_REPEATED_SHOWN).map((i) => input[i].id ?? `emails[${i}]`), at.length)})`;
}

/** An email detected in a language the model that answered it was not trained on (its routing's `languages`). */
interface Untrained {
  at: number;
  language: string;
  trainedOn: readonly string[];
}

/**
 * One warning per language (and languages trained on: an endpoint's two variants may differ) of the emails in a
 * language the model was not trained on: it scores them on the few words it shares with the languages it knows.
 */
function untrainedLanguageWarnings(untrained: readonly Untrained[], which: (at: readonly number[]) => string): string[] {
  const groups = new Map<string, { language: string; trainedOn: readonly string[]; at: number[] }>();
  for (const { at, language, trainedOn } of untrained) {
    const key = `${language}\u0000${trainedOn.join(',')}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { language, trainedOn, at: [] }));
    group.at.push(at);
  }
  return [...groups.values()].map(
    ({ language, trainedOn, at }) =>
      `${which(at)} are in ${language}, a language the model was not trained on (it was trained on ${trainedOn.join(', ')}): their labels are unreliable; most such emails go to manual triage, but some are routed with confidence.`,
  );
}

/** The one classify path behind /v1/classify, /v1/classify/eml and /invocations. */
export async function classifyEmails(
  ctx: AppContext,
  input: readonly Email[],
  /** True once the caller is gone (a 503 REQUEST_TIMEOUT, a closed connection): predictions it never saw are not stored or counted. */
  abandoned: () => boolean = () => false,
  { requestWarnings = [], source = 'json' }: ClassifyRequest = {},
): Promise<ClassifyResponse> {
  // Lone surrogates and NULs out before anything reads or stores the text. The U+FFFD warning reads the emails as sent,
  // so a surrogate replaced here is said as such, not as bytes that were not UTF-8.
  let repaired: number[] | undefined;
  const emails = input.map((e, i) => {
    const fixed = storableEmail(e);
    if (fixed === undefined) return e;
    if (fixed.surrogates) (repaired ??= []).push(i);
    return fixed.email;
  });
  const cutting = truncateEmails(emails, ctx.limits.maxTextChars);
  const prepared = Array.isArray(cutting) ? cutting : await cutting;
  const lease = ctx.source.acquire();
  try {
    const started = performance.now();
    const sent = prepared.map((p) => p.email);
    // With --store-text, what is kept of each email comes with its prediction, made where the model's input was.
    const { predictions, kept } = ctx.maskText ? await ctx.batcher.predictKeeping(lease.classifier, sent, ctx.maskText) : { predictions: await ctx.batcher.predict(lease.classifier, sent), kept: undefined };
    const latencyMs = (performance.now() - started) / predictions.length;
    const createdAt = new Date(ctx.clock.now()).toISOString();
    const modelId = lease.classifier.modelId;
    // Positions of the emails each warning is about (made only when one is).
    let cut: number[] | undefined;
    let unread: number[] | undefined;
    // Emails in a language the model that answered was not trained on (only where its routing lists its languages).
    let untrained: Untrained[] | undefined;
    const out = predictions.map((p, i) => {
      const truncated = prepared[i].truncated || p.truncated === true;
      // Both can hold: text cut to maxTextChars can still be longer, once clean, than the model reads.
      if (prepared[i].truncated) (cut ??= []).push(i);
      if (p.truncated === true) (unread ??= []).push(i);
      // Answered as the model gave it, plus the caller's email id and the id to quote in feedback; an automated email's
      // route set here too, so that it holds whatever made the prediction (an endpoint image older than this server).
      // Routed by the model that made the answer (an endpoint's chunks may come from two variants), else the served one's routing.
      const routing = lease.classifier.routingFor?.(p.modelId) ?? lease.classifier.routing;
      const routed = withAutomatedRoute(Object.assign(p, { id: input[i].id ?? p.id, predictionId: ctx.newId() }, truncated ? { truncated: true } : {}), emails[i], routing);
      // An automated email is routed as such, not by its labels: its language does not matter.
      const languages = routing?.languages;
      if (languages !== undefined && routed.automated === undefined && routed.language !== undefined && routed.language !== 'und' && !languages.includes(routed.language)) {
        (untrained ??= []).push({ at: i, language: routed.language, trainedOn: languages });
      }
      return routed;
    });
    if (abandoned()) return { modelId, predictions: out };
    const records = out.map((p, i) => {
      const record = toRecord(p, createdAt, latencyMs);
      if (kept) keepTrainingFields(record, prepared[i].email, kept[i], ctx.timeZone);
      return record;
    });
    // A store that can commit later (SQLite: within a few ms, shared with other requests) is not waited for.
    const saving = ctx.store.queuePredictions ? ctx.store.queuePredictions(records) : ctx.store.savePredictions(records);
    if (saving) await saving;
    // A store that is awaited and slow can outlast the deadline: stored then, but the caller got a 503.
    if (abandoned()) return { modelId, predictions: out };
    ctx.metrics.recordPredictions(out);
    if (untrained) for (const { language } of untrained) ctx.metrics.untrainedLanguages.inc({ language });
    let empty: number[] | undefined;
    for (let i = 0; i < out.length; i++) if (out[i].noText) (empty ??= []).push(i);
    let garbled: number[] | undefined;
    for (let i = 0; i < input.length; i++) if (hasReplacementCharacter(input[i])) (garbled ??= []).push(i);
    const repeated = repeatedIdsWarning(input);
    if (!cut && !unread && !empty && !garbled && !repaired && !untrained && requestWarnings.length === 0 && repeated === undefined) return { modelId, predictions: out };
    const warnings: string[] = [...requestWarnings];
    const which = (at: readonly number[]) => emailsNamed(at, input);
    if (repeated !== undefined) warnings.push(repeated);
    if (cut) warnings.push(`${which(cut)} had text over ${ctx.limits.maxTextChars} characters; it was cut before classification.`);
    if (unread) {
      warnings.push(`${which(unread)} had more text after cleaning than the model reads (its featurizer's maxChars, in the manifest); only the first part was classified.`);
    }
    if (empty) warnings.push(`${which(empty)} had no text left to classify after cleaning (see noText): their labels are guesses, so every task abstains and they go to manual triage.`);
    if (garbled) {
      warnings.push(`${which(garbled)} hold U+FFFD replacement characters: ${GARBLED_CAUSE[source]}, and the characters there (umlauts, €) are lost; they were classified as received.`);
    }
    if (untrained) warnings.push(...untrainedLanguageWarnings(untrained, which));
    if (repaired) {
      warnings.push(`${which(repaired)} held lone UTF-16 surrogates (an escape such as \\udc00 without its pair), which have no UTF-8 form: each was replaced with U+FFFD.`);
    }
    return { modelId, predictions: out, warnings };
  } finally {
    lease.release();
  }
}
