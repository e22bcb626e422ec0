import path from 'node:path';
import type { Command } from 'commander';
import { MAX_EMAIL_ID_CHARS } from '@mailroute/preprocess';
import { DB_FILE, lookupCase, LOOKUP_MAX_PREDICTIONS } from '@mailroute/serving';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { safeJson } from '../terminal-text.js';
import { writeStdout } from '../write-output.js';

/** No case of the id in the store: said with what it may mean, exit 1. */
export class CaseNotFoundError extends Error {
  readonly code = 'CASE_NOT_FOUND';
  constructor(id: string, file: string) {
    super(
      `no prediction or feedback with the id ${JSON.stringify(id)} in ${file}, as a prediction id or an email id: the email was never classified here (another instance's, or a mistyped id; ids are matched exactly, as the CRM sent them), its prediction was not stored (answered while the store could not write), or it is gone after the store's retention or a feedback forget`,
    );
    this.name = 'CaseNotFoundError';
  }
}

/** `mailroute feedback show <id>`: one email's case as the local store keeps it, for a person asking why it went where it went. */
export function registerFeedbackShow(feedback: Command, ctx: CliContext): void {
  feedback
    .command('show <id>')
    .description(
      `One email's case from <home>/${DB_FILE}, by a prediction id (the classify answer's predictionId) or an email id: its predictions, newest first (model, labels, confidences, abstentions, the queue routed to, latency; the masked text where the server stores text), and the labels a person confirmed, as JSON; exit 1 when the store holds neither`,
    )
    .option('--home <dir>', `the home whose ${DB_FILE} to read (env MAILROUTE_HOME)`)
    .option('--json', 'print JSON (what it prints anyway)')
    .option('--dynamodb-table <name>', "not supported: look the email up in the AWS stack's table with the AWS CLI or console")
    .action(async (raw: string, flags: { home?: string; dynamodbTable?: string }) => {
      if (flags.dynamodbTable !== undefined) throw new UsageError(`--dynamodb-table: feedback show reads only the home's ${DB_FILE}; in the AWS stack's table an email's items are keyed pk "EMAIL#<email id>" (its feedback, sk "FEEDBACK") and its predictions listed by the by-email index (gsi1pk "EMAIL#<email id>")`);
      const id = raw.trim();
      if (id === '') throw new UsageError('the id is empty: give a prediction id or an email id');
      if (id.length > MAX_EMAIL_ID_CHARS) throw new UsageError(`the id has ${id.length} characters: an email id has at most ${MAX_EMAIL_ID_CHARS} (the server refuses longer ones), a prediction id 36`);
      const home = flags.home === undefined ? ctx.home : path.resolve(ctx.cwd, flags.home);
      const file = path.join(home, DB_FILE);
      const found = lookupCase(file, id);
      if (found === undefined) throw new CaseNotFoundError(id, file);
      const more = found.morePredictions === true ? { note: `the email has more than ${LOOKUP_MAX_PREDICTIONS} predictions: the newest ${LOOKUP_MAX_PREDICTIONS} are listed` } : {};
      await writeStdout(ctx.stdout, `${safeJson({ database: file, ...found, ...more })}\n`);
    });
}
