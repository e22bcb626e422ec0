import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import {
  cleanEmail,
  CleanInputLineSchema,
  CleanScopeSchema,
  parseEml,
  namesFound,
  redactPii,
  senderNames,
  type CleanInputLine,
  type CleanOutputLine,
  type CleanScope,
  type Email,
  type RedactPattern,
} from '@mailroute/preprocess';
import { decodeUtf8, isGzip, isUtf16, jsonErrorOffset, readProblem } from '@mailroute/training';
import type { CliContext } from '../context.js';
import { prepareOutput } from '../output-path.js';
import { PII_PATTERNS_HELP, readPiiPatterns } from '../pii-patterns.js';
import { UsageError } from '../errors.js';
import { createProgress } from '../progress.js';
import { safeLines, safeValue } from '../terminal-text.js';
import { OWNER_ONLY, writeOutputFile, writeStdout } from '../write-output.js';

/** The input file cannot be read at all (missing, a directory, unreadable). */
export class CleanInputError extends Error {
  readonly code = 'CLEAN_INPUT_UNREADABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CleanInputError';
  }
}

/** No line of a batch could be used: the file is not a clean batch (a CSV, a training export). */
export class CleanNothingUsableError extends Error {
  readonly code = 'CLEAN_INPUT_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'CleanNothingUsableError';
  }
}

/** What one line of `--in` must be (clean's input format, or an email as /v1/classify takes it), for the messages. */
const LINE_FORMAT = '{"id":"…","format":"text"|"html"|"eml","input":"…"} or {"id":"…","subject":"…","body":"…","html":"…"}';

/** Why a JSON object with neither form's keys (`{"id":"3"}`) is skipped: what a line needs, of either form. */
const LINE_NEEDS = 'no subject, body or html, nor format and input (a line needs subject, body or html, or "format": "text"|"html"|"eml" with "input")';

/** Why a line with one of format and input but not the other (`{"id":"6","input":"…"}`) is skipped: the one it lacks, and what that takes. */
const LINE_LACKS = {
  format: 'no format (a line with input needs "format": "text"|"html"|"eml")',
  input: 'no input (a line with format needs "input": the email as text, HTML or .eml source)',
} as const;

/** The parts of an email line (as /v1/classify takes an email, and as the demo data and JSONL exports hold it) that clean reads. */
const EMAIL_PARTS = ['subject', 'body', 'html'] as const;

/**
 * A line in the shape of an email (`{"id","subject","body","html"}`, maybe with `from`; other keys such as labels
 * ignored), or why it is none; undefined when the line is not of that shape at all (it has `format` or `input`, or none of the parts).
 */
function emailLine(json: object): { id: string; email: Email } | string | undefined {
  const line = json as Record<string, unknown>;
  if ('format' in line || 'input' in line || !EMAIL_PARTS.some((k) => k in line)) return undefined;
  const id = idOf(line);
  if (typeof id !== 'string' || id === '' || id.length > 200) return 'id: a string of 1 to 200 characters, or a whole number, is needed';
  const email: Email = {};
  for (const k of EMAIL_PARTS) {
    const value = line[k];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') return `${k}: a string or null is needed, not ${Array.isArray(value) ? 'an array' : typeof value}`;
    email[k] = value;
  }
  // As /v1/classify: with none of them there is nothing to clean.
  if (EMAIL_PARTS.every((k) => email[k] === undefined)) return 'subject, body or html is needed (null counts as absent)';
  // The sender, as /v1/classify takes it: its name is masked where the text names the writer without a cue, as the
  // server masks stored text.
  const from = line.from;
  if (from !== undefined && from !== null) {
    if (typeof from !== 'string') return `from: a string or null is needed, not ${Array.isArray(from) ? 'an array' : typeof from}`;
    email.from = from;
  }
  return { id, email };
}

/** A line's id as a string: numbers are ids too, in either form of line, as training reads them (JSONL exports often number their rows). */
function idOf(line: Record<string, unknown>): unknown {
  return typeof line.id === 'number' && Number.isSafeInteger(line.id) ? String(line.id) : line.id;
}

/** `--out -`: lines written to standard output at a time, as they are cleaned. */
const STDOUT_LINES = 100;

/** Skip messages written in full; the rest are counted per reason and summed up at the end. */
const SHOWN_SKIPS = 5;

/** A skipped line: the message with its details, and the reason it shares with other lines (for the count). */
class SkippedLine extends Error {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

interface CleanFlags {
  in: string;
  out: string;
  scope: string;
  redact: boolean;
  piiPatterns?: string;
}

/** The email of a format/input line, and for an eml line what the parser warns of (a body it could not read). */
async function toEmail(line: CleanInputLine): Promise<{ email: Email; warnings: readonly string[] }> {
  if (line.format === 'text') return { email: { body: line.input }, warnings: [] };
  if (line.format === 'html') return { email: { html: line.input }, warnings: [] };
  const { attachments: _attachments, warnings = [], ...email } = await parseEml(line.input);
  return { email, warnings };
}

/** Text written to a file leaves mailroute: every detector, names and addresses included. */
const ALL_DETECTORS = { names: true };

/**
 * One output line. The removed signature and quoted text are written too, so with redaction on they are
 * masked as well: the file must not give back what `text` hides.
 */
function outputLine(id: string, email: Email, scope: CleanScope, redact: boolean, patterns: readonly RedactPattern[]): CleanOutputLine {
  // Names are found by their cues in any part (a name signed in the signature) and masked in every part.
  const r = cleanEmail(email, { scope, redact: false });
  // And the sender's, as its From gives it (an eml's), where the text names them without a cue.
  const knownNames = redact ? [...new Set([...[r.text, r.signature ?? '', r.quoted ?? '', email.subject ?? ''].flatMap(namesFound), ...senderNames(email.from)])] : [];
  const detectors = { ...ALL_DETECTORS, knownNames, patterns: [...patterns] };
  // The text masked here, as cleanEmail would mask it, once the names of every part are known.
  const text = redact ? redactPii(r.text, detectors) : { text: r.text, redactions: [] };
  const redactions: CleanOutputLine['redactions'] = [...text.redactions];
  const mask = (text: string | undefined, part: 'signature' | 'quoted' | 'subject') => {
    if (text === undefined) return null;
    if (!redact) return text;
    const masked = redactPii(text, detectors);
    for (const x of masked.redactions) redactions.push({ ...x, part });
    return masked.text;
  };
  // The subject as cleaned (prefixes cut); its names were looked for above, so they are masked in every part.
  const subject = mask(email.subject?.trim() ? r.subject : undefined, 'subject');
  const signature = mask(r.signature, 'signature');
  const quoted = mask(r.quoted, 'quoted');
  return { id, subject, text: text.text, signature, quoted, language: r.language, redactions };
}

async function cleanOne(line: CleanInputLine, scope: CleanScope, redact: boolean, patterns: readonly RedactPattern[]): Promise<{ out: CleanOutputLine; warnings: readonly string[] }> {
  const { email, warnings } = await toEmail(line);
  return { out: outputLine(line.id, email, scope, redact, patterns), warnings };
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const prefix = typeof code === 'string' && code !== 'CLEAN_INPUT_UNREADABLE' ? `[${code}] ` : '';
    return `${prefix}${error.message.split('\n')[0]}`;
  }
  return String(error);
}

export async function runClean(flags: CleanFlags, ctx: CliContext): Promise<{ written: number; skipped: number }> {
  const scope = CleanScopeSchema.safeParse(flags.scope);
  if (!scope.success) throw new UsageError(`--scope must be quotes or visible, not ${JSON.stringify(flags.scope)}`);
  if (flags.piiPatterns !== undefined && !flags.redact) throw new UsageError('--pii-patterns does not go with --no-redact: its patterns are masked, and --no-redact masks nothing');
  const patterns = flags.piiPatterns === undefined ? [] : await readPiiPatterns(ctx, flags.piiPatterns);
  const inPath = path.resolve(ctx.cwd, flags.in);
  let raw: Buffer;
  try {
    raw = await readFile(inPath);
  } catch (error) {
    throw new CleanInputError(`cannot read ${flags.in}: ${readProblem(error)}`, { cause: error });
  }
  // `--out -`: the lines go to standard output (the messages stay on standard error).
  const toStdout = flags.out === '-';
  const outPath = toStdout ? undefined : await prepareOutput(ctx.cwd, flags.out, 'file', '--out', [flags.in], ctx.home);
  /** Lines kept, and those not written yet: every one for a file (written whole at the end), a few for standard output. */
  let kept = 0;
  let pending: string[] = [];
  let skipped = 0;
  /** Ids seen, and those seen twice or more; ids of emails with no text (nor subject) left. */
  const seen = new Set<string>();
  const repeated = new Set<string>();
  const empty: string[] = [];
  const keep = (out: CleanOutputLine) => {
    if (seen.has(out.id)) repeated.add(out.id);
    seen.add(out.id);
    // The subject is text too (the classifier reads it with the body): only an email with neither has nothing left.
    if (out.text.trim() === '' && (out.subject ?? '').trim() === '') empty.push(out.id);
    pending.push(JSON.stringify(out));
    kept += 1;
  };
  /**
   * `--out -`: the lines kept so far are written once there are `atLeast` of them, so that a reader that wants only
   * the first (`| head -1`) gets them, and closes the pipe, before the whole batch is cleaned.
   */
  const toReader = async (atLeast: number) => {
    if (!toStdout || pending.length < atLeast) return;
    const text = `${pending.join('\n')}\n`;
    pending = [];
    await writeStdout(ctx.stdout, text);
  };
  /** Skipped lines past the first few, per reason; the keys of the first JSON line that is no clean input line. */
  const unshown = new Map<string, number>();
  let firstKeys: string[] | undefined;
  /** The JSONL batch as text (an .eml file is parsed from its bytes instead). */
  let text = '';
  const progress = createProgress(ctx, 'clean');
  try {
    if (inPath.toLowerCase().endsWith('.eml')) {
      // A single message: parsed from bytes so that its declared charsets decide the decoding.
      const email = await parseEml(new Uint8Array(raw));
      const { attachments: _attachments, id, warnings = [], ...rest } = email;
      // Its Message-ID names it, as in serving's /v1/classify/eml; the file name when it has none.
      keep(outputLine(id ?? path.basename(inPath, path.extname(inPath)), rest, scope.data, flags.redact, patterns));
      // What the parser could not read (a multipart with no boundary to be found) or read as UTC for want of a
      // zone (a Date header), as /v1/classify/eml says it.
      for (const warning of warnings) ctx.stderr.write(safeLines(`warning: ${flags.in}: ${warning}\n`));
      progress.update(1, 1);
    } else {
      // A byte order mark (Windows editors save one) is not part of line 1, as in the training reader. Bytes that are not
      // UTF-8 are refused, naming the line, as train and predict refuse them: read leniently, every umlaut became U+FFFD.
      if (isUtf16(raw)) throw new CleanNothingUsableError(`${flags.in}: UTF-16 text (it starts with a UTF-16 byte-order mark): save it as UTF-8`);
      if (isGzip(raw)) throw new CleanNothingUsableError(`${flags.in}: a gzip-compressed file, not JSONL text: decompress it first (gunzip -k ${path.basename(flags.in)})`);
      const utf8 = decodeUtf8(raw);
      if ('badLine' in utf8) throw new CleanNothingUsableError(`${flags.in}:${utf8.badLine}: not UTF-8 (saved as Windows-1252 or Latin-1?): convert it to UTF-8, e.g. iconv -f windows-1252 -t utf-8`);
      text = utf8.text.replace(/^\uFEFF/, '');
      const lines = text.split('\n');
      const total = lines.filter((l) => l.trim() !== '').length;
      let done = 0;
      for (let i = 0; i < lines.length; i += 1) {
        if (lines[i].trim() === '') continue;
        try {
          let json: unknown;
          try {
            json = JSON.parse(lines[i]);
          } catch (cause) {
            // Only where the JSON breaks: V8's message quotes the line (`"id,subject"... is not valid JSON`), and the line may be email text.
            const offset = jsonErrorOffset(lines[i]) ?? Number(/at position (\d+)/.exec((cause as Error).message)?.[1] ?? NaN);
            throw new SkippedLine(`${Number.isNaN(offset) ? '' : `column ${offset + 1}: `}not JSON`, 'not JSON');
          }
          // A JSON object (not an array): either form of line is one.
          const object = json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
          const asEmail = object ? emailLine(object) : undefined;
          if (typeof asEmail === 'string') throw new SkippedLine(`invalid email line: ${asEmail}`, `invalid email line: ${asEmail}`);
          if (asEmail !== undefined) keep(outputLine(asEmail.id, asEmail.email, scope.data, flags.redact, patterns));
          else {
            const parsed = CleanInputLineSchema.safeParse(object && 'id' in object ? { ...object, id: idOf(object) } : json);
            if (!parsed.success) {
              // An object of neither form: not "format: Invalid option", as if it were meant to be of the second.
              const neither = object !== undefined && !('format' in object) && !('input' in object);
              // Its keys say, if no line can be used, what kind of file it is (not for a format/input line: the lines said what is wrong).
              if (neither || object === undefined) firstKeys ??= object ? Object.keys(object) : [];
              // One of format and input and not the other: the one missing is named, not "Invalid option" or "expected string".
              const lacking = object === undefined || neither ? undefined : (['format', 'input'] as const).find((k) => !(k in object));
              const issue = parsed.error.issues[0];
              const why = `invalid line: ${neither ? LINE_NEEDS : lacking ? LINE_LACKS[lacking] : issue ? `${issue.path.join('.') || 'line'}: ${issue.message}` : 'schema mismatch'}`;
              throw new SkippedLine(why, why);
            }
            const { out, warnings } = await cleanOne(parsed.data, scope.data, flags.redact, patterns);
            // As for one .eml file (a body that could not be read): said with the line, not dropped.
            for (const warning of warnings) {
              progress.clearLine();
              ctx.stderr.write(safeLines(`warning: ${flags.in}:${i + 1}: ${warning}\n`));
            }
            keep(out);
          }
        } catch (error) {
          skipped += 1;
          const why = describeError(error);
          if (skipped <= SHOWN_SKIPS) {
            progress.clearLine();
            ctx.stderr.write(safeLines(`${flags.in}:${i + 1}: skipped: ${why}\n`));
          } else {
            const reason = error instanceof SkippedLine ? error.reason : why;
            unshown.set(reason, (unshown.get(reason) ?? 0) + 1);
          }
        }
        done += 1;
        progress.update(done, total);
        await toReader(STDOUT_LINES);
      }
    }
  } finally {
    progress.stop();
  }
  if (unshown.size > 0) {
    const more = skipped - SHOWN_SKIPS;
    const reasons = [...unshown.entries()].sort((a, b) => b[1] - a[1]);
    const listed = reasons.length === 1 ? ` for the same reason (${reasons[0][0]})` : `: ${reasons.slice(0, 5).map(([why, n]) => `${n} ${why}`).join('; ')}${reasons.length > 5 ? `; ${reasons.slice(5).reduce((sum, [, n]) => sum + n, 0)} for other reasons` : ''}`;
    ctx.stderr.write(safeLines(`${flags.in}: … and ${more} more line(s) skipped${listed}\n`));
  }
  // An empty batch (or blank lines only) has no line that can be used either: said so, nothing written, as the help says.
  if (kept === 0 && skipped === 0) throw new CleanNothingUsableError(`${flags.in} has no lines (it is empty or blank): nothing to clean, and nothing was written`);
  if (kept === 0 && skipped > 0) {
    // Not one line was a clean input line: another kind of file, said once, and no empty output written.
    const first = text.trimStart().split('\n')[0] ?? '';
    const looks = !first.startsWith('{') ? ' (it looks like CSV or plain text, not JSONL)' : firstKeys && firstKeys.length > 0 ? ` (its lines have ${firstKeys.slice(0, 6).join(', ')}${firstKeys.length > 6 ? ', …' : ''}, but no subject, body or html)` : '';
    throw new CleanNothingUsableError(`no line of ${flags.in} could be used (${skipped} skipped)${looks}: each line must be a JSON object ${LINE_FORMAT}, or --in one .eml file`);
  }
  // Written before the summary below: a failure (a full disk, a closed pipe) is the command's error, not a "wrote" line.
  if (outPath === undefined) await toReader(1);
  // Email text (masked or, with --no-redact, as written): the owner's alone, whatever the umask.
  else await writeOutputFile(outPath, [`${pending.join('\n')}\n`], `--out ${flags.out}`, { mode: OWNER_ONLY });
  const some = (ids: readonly string[]) => `${ids.slice(0, 5).map(safeValue).join(', ')}${ids.length > 5 ? `, and ${ids.length - 5} more` : ''}`;
  if (empty.length > 0) ctx.stderr.write(`warning: nothing is left after cleaning in ${empty.length} email(s) (empty, markup only or all quote): ${some(empty)}\n`);
  if (repeated.size > 0) ctx.stderr.write(`warning: ${repeated.size} id(s) occur more than once, so the output lines cannot be told apart by id: ${some([...repeated])}\n`);
  ctx.stderr.write(`clean: wrote ${kept} line(s) to ${toStdout ? 'standard output' : flags.out}${skipped > 0 ? `, skipped ${skipped}` : ''}\n`);
  return { written: kept, skipped };
}

export function registerClean(program: Command, ctx: CliContext): void {
  program
    .command('clean')
    .description('Clean emails: strip quotes, signatures, disclaimers and HTML; mask personal data')
    .requiredOption('--in <file>', 'JSONL with {"id","format":"text"|"html"|"eml","input"} or {"id","subject","body","html","from"} (an email as /v1/classify takes it; its from masks the sender\'s name; other keys ignored) per line, or a single .eml file; a body or text input that is in fact HTML (<html, <p, <div, ... at its start, or two <br>/<p>/</div>-like tags near it) is read as HTML')
    .requiredOption('--out <file>', 'JSONL to write: {"id","subject","text","signature","quoted","language","redactions"} per line; - for standard output')
    .option('--scope <scope>', 'quotes: remove quoted and forwarded content only; visible: also signatures, device lines, disclaimers', 'visible')
    .option('--no-redact', 'keep IBANs, card numbers, emails, phone numbers, numbers a keyword names, names and addresses as they are (in text, signature and quoted)')
    .option('--pii-patterns <file>', `also mask by your own patterns: ${PII_PATTERNS_HELP}`)
    .addHelpText(
      'after',
      `\nBad lines are skipped and reported on stderr with their line number (the first ${SHOWN_SKIPS}; the rest counted per reason); the output is written atomically. When no line can be used (each must be ${LINE_FORMAT}), nothing is written and the exit code is 1.`,
    )
    .action(async (flags: CleanFlags) => {
      await runClean(flags, ctx);
    });
}
