import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { MAX_EMAIL_ID_CHARS } from '@mailroute/preprocess';
import { DB_FILE, eraseEmailRecords, storeCopiesBeside, type EraseReport } from '@mailroute/serving';
import { decodeUtf8, isUtf16, readProblem } from '@mailroute/training';
import type { CliContext } from '../context.js';
import { IncompleteError, UsageError } from '../errors.js';
import { plural } from '../plural.js';
import { safeJson, safeLines } from '../terminal-text.js';
import { writeStdout } from '../write-output.js';
import { ERASURE_LOG, recordErasure } from './erasure-log.js';
import { deciderName } from './registry.js';

interface ForgetFlags {
  emailId?: string[];
  idsFile?: string;
  home?: string;
  dryRun?: boolean;
  json?: boolean;
  dynamodbTable?: string;
}

/**
 * Why `--dynamodb-table` is refused, and what to do instead: the stack's items, keyed as packages/aws's store keys
 * them (dynamo-layout.ts), deleted by hand. An erasure written here would be a second DynamoDB store to keep right.
 */
export const DYNAMODB_NOT_SUPPORTED =
  `--dynamodb-table: feedback forget erases only the home's ${DB_FILE}, not the AWS stack's DynamoDB table; delete the emails' items there with the AWS CLI or console: ` +
  'each email\'s feedback item (pk "EMAIL#<email id>", sk "FEEDBACK") and its predictions, which a query of the by-email index (gsi1pk "EMAIL#<email id>") lists by pk and sk ("PRED#<prediction id>", "PREDICTION"); see packages/cli/README.md, "feedback forget"';

/** An id as the server stores it: surrounding whitespace trimmed (the API trims it), at most MAX_EMAIL_ID_CHARS. */
function checkedId(raw: string, where: string): string {
  const id = raw.trim();
  if (id.length > MAX_EMAIL_ID_CHARS) {
    throw new UsageError(`${where}: an email id has at most ${MAX_EMAIL_ID_CHARS} characters (the server refuses longer ones, so the store holds none), this one ${id.length}`);
  }
  return id;
}

/**
 * The ids file's text, UTF-8 (a BOM dropped). Anything else is refused, not read as garbage ids that match nothing: a
 * file saved as Windows "Unicode" (UTF-16) would have erased no record and said so only as `no records` for each id.
 */
function utf8Text(bytes: Buffer, file: string): string {
  if (isUtf16(bytes)) throw new UsageError(`--ids-file ${file} is UTF-16 text (Windows "Unicode"): save it as UTF-8, one email id a line`);
  const decoded = decodeUtf8(bytes);
  if ('badLine' in decoded) throw new UsageError(`--ids-file ${file} is not UTF-8 text (line ${decoded.badLine}): save it as UTF-8, one email id a line`);
  const { text } = decoded;
  if (text.includes('\0')) throw new UsageError(`--ids-file ${file} holds NUL characters, which no email id has (UTF-16 without its BOM?): save it as UTF-8, one email id a line`);
  return text.replace(/^\uFEFF/, '');
}

/** The ids of `--email-id` and `--ids-file` (one a line, blank lines ignored), in the order given. */
async function idsToForget(ctx: CliContext, flags: ForgetFlags): Promise<string[]> {
  const ids: string[] = [];
  for (const raw of flags.emailId ?? []) {
    const id = checkedId(raw, `--email-id ${JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}...` : raw)}`);
    if (id === '') throw new UsageError('--email-id is empty: give an email id');
    ids.push(id);
  }
  if (flags.idsFile !== undefined) {
    let bytes: Buffer;
    try {
      bytes = await readFile(path.resolve(ctx.cwd, flags.idsFile));
    } catch (cause) {
      throw new Error(`cannot read --ids-file ${flags.idsFile}: ${readProblem(cause)}`, { cause });
    }
    const text = utf8Text(bytes, flags.idsFile);
    text.split(/\r?\n/).forEach((line, i) => {
      const id = checkedId(line, `--ids-file ${flags.idsFile} line ${i + 1}`);
      if (id !== '') ids.push(id);
    });
  }
  if (ids.length === 0) {
    throw new UsageError(flags.idsFile === undefined ? 'give the email ids to forget: --email-id <id> (repeat it), or --ids-file <file> (one a line)' : `--ids-file ${flags.idsFile} holds no email id (one a line; blank lines are ignored)`);
  }
  return ids;
}

const records = (e: { predictions: number; feedback: number }) => (e.predictions + e.feedback === 0 ? 'no records' : `${plural(e.predictions, 'prediction')}, ${e.feedback} feedback`);

/** What the command could and could not take out of the database file's bytes, in one line. */
function erasedLine(report: EraseReport): string | undefined {
  const c = report.checkpoint;
  if (c === undefined) return undefined;
  const none = report.totals.predictions + report.totals.feedback === 0;
  if (!c.wal) return none ? 'nothing to delete' : 'the deleted content was overwritten with zeros in the file (secure_delete; the file is in rollback-journal mode: no WAL)';
  if (c.complete && none) return `nothing to delete; the WAL was checkpointed and cut to 0 bytes (wal_checkpoint(TRUNCATE)): content deleted before (a run the checkpoint did not complete) is no longer in ${DB_FILE}-wal`;
  if (c.complete) return `the deleted content was overwritten with zeros (secure_delete) and the WAL checkpointed and cut to 0 bytes (wal_checkpoint(TRUNCATE)): none of it is left in ${DB_FILE} or ${DB_FILE}-wal`;
  return (
    `NOT YET ERASED FROM THE WAL: the records are deleted, but the checkpoint could not complete (${plural(c.tries, 'try', 'tries')}): a reader holds an older snapshot (the running server, a backup, a sqlite3 shell), ` +
    `so the deleted content may remain in ${DB_FILE}-wal (and its old pages in ${DB_FILE}) until the server's next checkpoint; run this command again with the same ids when the server is idle, or stopped (it finds no records and checkpoints again)`
  );
}

/** Said on stderr (exit code 3) when the checkpoint could not complete. */
export const NOT_YET_ERASED = `not yet erased: the records are deleted, but their content may remain in ${DB_FILE}-wal until a checkpoint completes (a reader held an older snapshot); run the same command again once the server is idle, or stopped`;

/** Where else these emails' data may be, which the command does not touch. */
function notTouched(file: string): string[] {
  const copies = storeCopiesBeside(file).map((f) => path.basename(f));
  return [
    `backups made by mailroute backup: each holds a ${DB_FILE} of its own, as it was (delete or re-make them; mailroute restore into this home erases these emails again, by its ${ERASURE_LOG}, a copy restored by hand brings them back)`,
    `the home's records a mailroute restore moved aside, each with its ${DB_FILE} (<home>/.before-restore-*/: delete them once the restored server serves)`,
    ...(copies.length === 0 ? [] : [`the copies the server kept beside ${DB_FILE} when it upgraded the data version: ${copies.join(', ')} (delete them once not needed)`]),
    'files written by mailroute feedback export and feedback predictions (and by predict and evaluate: prediction lines, reports with examples)',
    "the CRM exports used as training data (train's --data files; mailroute runs show <run> names the files each run read)",
    // A run's record copies no row whole, but what it does keep of rows is said, not denied.
    "the records of training runs (<home>/runs/<run>/run.json; delete a run's folder to remove it): no row is copied whole, but their warnings may name CRM email ids (of ids or texts repeated in the data) and rows by file and line, and quote the start of a text or a cell, masked, at most 40 characters; their taxonomy keeps the label cells as written in the data",
    'models already trained on these emails: a model is not unlearned; train one on data without the rows, and approve it',
    `the AWS stack's DynamoDB table, if the emails went through it (packages/cli/README.md, "feedback forget", says which items to delete there)`,
  ];
}

/** The result as the terminal shows it. */
function textReport(report: EraseReport, ids: number, touched: string[]): string {
  const width = Math.max(5, ...report.emails.map((e) => e.emailId.length));
  const head = report.dryRun
    ? `dry run: nothing deleted; ${plural(ids, 'email id')} in ${report.file}:`
    : `forgot ${plural(ids, 'email id')} in ${report.file} (one transaction):`;
  const total = `${plural(report.totals.predictions, 'prediction')}, ${report.totals.feedback} feedback ${report.dryRun ? 'would be deleted' : 'deleted'}`;
  const erased = erasedLine(report);
  return [
    head,
    ...report.emails.map((e) => `  ${e.emailId.padEnd(width)}  ${records(e)}`),
    `  ${'total'.padEnd(width)}  ${total}`,
    ...(erased === undefined ? [] : [erased]),
    'not touched: these emails\' data may also be in',
    ...touched.map((t) => `  - ${t}`),
  ].join('\n');
}

/** `mailroute feedback forget`: an erasure request (GDPR Art. 17) for the local store. */
export function registerFeedbackForget(feedback: Command, ctx: CliContext): void {
  feedback
    .command('forget')
    .description(
      `Delete every prediction and the feedback of the given email ids from <home>/${DB_FILE}, in one transaction, while a server may run on it (an erasure request): the deleted content overwritten (secure_delete) and the WAL checkpointed; says where else the emails' data may be, which it does not touch`,
    )
    .option('--email-id <id...>', `an email id to forget, as the CRM sent it (at most ${MAX_EMAIL_ID_CHARS} characters); repeat it, or give several after it`)
    .option('--ids-file <file>', 'a file of email ids to forget, one a line (blank lines ignored)')
    .option('--home <dir>', `the home whose ${DB_FILE} to erase from (env MAILROUTE_HOME)`)
    .option('--dry-run', 'count the records of each id, delete nothing')
    .option('--json', 'print the result as one JSON object')
    .option('--dynamodb-table <name>', "not supported: the AWS stack's table is erased with the AWS CLI or console (the error says which items)")
    .action(async (flags: ForgetFlags) => {
      if (flags.dynamodbTable !== undefined) throw new UsageError(DYNAMODB_NOT_SUPPORTED);
      const ids = await idsToForget(ctx, flags);
      const home = flags.home === undefined ? ctx.home : path.resolve(ctx.cwd, flags.home);
      const file = path.join(home, DB_FILE);
      const report = await eraseEmailRecords(file, ids, { dryRun: flags.dryRun === true });
      // The evidence that the request was carried out, and what a restore of an older backup erases again.
      let logged: string | undefined;
      let notLogged: string | undefined;
      if (!report.dryRun) {
        logged = await recordErasure(home, { at: new Date(), by: deciderName(undefined, ctx.env), emailIds: ids, ...report.totals }).catch((error: unknown) => {
          notLogged = `the records are deleted, but the erasure could not be recorded in ${path.join(home, ERASURE_LOG)} (${(error as Error).message}): a restore of an older backup will not erase them again by itself; keep this output as the evidence`;
          return undefined;
        });
      }
      const touched = notTouched(file);
      if (flags.json) {
        const json = {
          database: report.file,
          dryRun: report.dryRun,
          emails: report.emails.map((e) => ({ ...e, found: e.predictions + e.feedback > 0 })),
          totals: { ...report.totals, emailIds: report.emails.length, withoutRecords: report.emails.filter((e) => e.predictions + e.feedback === 0).length },
          secureDelete: !report.dryRun,
          checkpoint: report.checkpoint ?? null,
          erased: erasedLine(report) ?? null,
          erasureLog: logged ?? null,
          notTouched: touched,
        };
        await writeStdout(ctx.stdout, `${safeJson(json)}\n`);
      } else {
        const recorded = logged === undefined ? '' : `recorded in ${logged} (the email ids as sha256): a restore of an older backup erases these emails again\n`;
        await writeStdout(ctx.stdout, safeLines(`${textReport(report, report.emails.length, touched)}\n${recorded}`));
      }
      if (notLogged !== undefined) throw new IncompleteError(notLogged);
      // The deletes are committed, but not every byte of them is gone: an erasure request is not done yet.
      if (report.checkpoint?.complete === false) throw new IncompleteError(NOT_YET_ERASED);
    });
}
