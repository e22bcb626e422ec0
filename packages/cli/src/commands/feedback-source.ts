import path from 'node:path';
import { DB_FILE, iterateConfirmedCases, type ConfirmedCase } from '@mailroute/serving';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { createProgress, type Progress } from '../progress.js';

export const DYNAMODB_TABLE_HELP =
  "read the cases from the AWS stack's DynamoDB table (`pulumi stack output feedbackTable`) instead of <home>/" +
  `${DB_FILE}; the region is AWS_REGION's (or AWS_DEFAULT_REGION's, or the AWS profile's), the credentials the AWS SDK's usual ones (AWS_PROFILE, SSO, the instance's role); it scans the whole table once`;

/**
 * Why a confirmed case has no prediction paired with it, as both feedback commands say it: the store keeps the
 * feedback either way and does not tell the two apart.
 */
export const NO_PREDICTION_WHY =
  "no prediction of the email is kept: it was never classified here (its feedback was answered matched: false: another instance's email, or a mistyped emailId), its prediction was not stored (answered while the store could not write: a full, read-only or failing disk; the server's mailroute_store_write_failures_total counts those), or it is gone after the store's retention";

export interface CaseWindow {
  since?: Date;
  until?: Date;
}

/** Told the window's count of cases when a read starts (0 done), then after each case. */
export type CaseProgress = (done: number, total: number) => void;

/** Where the confirmed cases are read: the local store's file (a case at a time, as often as asked), or the AWS stack's table. */
export type CaseSource =
  | { local: true; cases(window: CaseWindow, onProgress?: CaseProgress): Iterable<ConfirmedCase>; shown: string }
  | { local: false; cases(window: CaseWindow): AsyncIterable<ConfirmedCase>; shown: string };

/** The source `--dynamodb-table` names, else the home's database file (checked when read). */
export function caseSource(ctx: CliContext, dynamodbTable: string | undefined): CaseSource {
  if (dynamodbTable === undefined) {
    return { local: true, cases: (window, onProgress) => iterateConfirmedCases(path.join(ctx.home, DB_FILE), window, onProgress), shown: path.join(ctx.home, DB_FILE) };
  }
  const tableName = dynamodbTable.trim();
  // DynamoDB's rule for a table name; a name that breaks it would only fail later as the SDK's ValidationException.
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) throw new UsageError(`--dynamodb-table ${JSON.stringify(dynamodbTable)}: not a DynamoDB table name (3 to 255 letters, digits, "_", "-" and "."; \`pulumi stack output feedbackTable\` prints the stack's)`);
  // Else the SDK's own lookup (the profile's region), which fails when reading if there is none (see HINTS).
  const region = ctx.env.AWS_REGION?.trim() || ctx.env.AWS_DEFAULT_REGION?.trim() || undefined;
  const where = `the DynamoDB table ${tableName}${region === undefined ? '' : ` (${region})`}`;
  return { local: false, cases: (window) => withHint(tableCases(region, tableName, window), where), shown: where };
}

/** The table's cases; the AWS SDK loaded only here (it adds a quarter of a second and 45 MB to every other command). */
async function* tableCases(region: string | undefined, tableName: string, window: CaseWindow): AsyncGenerator<ConfirmedCase> {
  const { dynamoConfirmedCases, dynamoDocumentClient } = await import('@mailroute/aws');
  yield* dynamoConfirmedCases({ client: dynamoDocumentClient(region), tableName, ...window });
}

/** What to do about the DynamoDB failures a person meets first, said beside the store's error. */
const HINTS: Record<string, string> = {
  ResourceNotFoundException: 'no such table in this region: check AWS_REGION and the name (`pulumi stack output feedbackTable`)',
  AccessDeniedException:
    "the credentials may not read this table: the export needs dynamodb:Scan and dynamodb:BatchGetItem on it, dynamodb:Query on its by-email index, and kms:Decrypt on the stack's KMS key (the table is encrypted with it)",
  CredentialsProviderError: 'no AWS credentials found: set AWS_PROFILE, log in with `aws sso login`, or run where a role is attached',
  UnrecognizedClientException: 'the credentials are not valid in this account or region',
  ExpiredTokenException: 'the credentials have expired: log in again',
  ...Object.fromEntries(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET'].map((code) => [code, "DynamoDB's endpoint could not be reached: check the network, a proxy, and AWS_REGION"])),
};

/** The SDK's words for a missing region (a plain Error): AWS_REGION unset and no region in the profile. */
const NO_REGION = /^Region is missing/;

/** The AWS error's own words, one line, shortened: they name the action or key denied (`kms:Decrypt`). */
function causeText(cause: { message?: unknown } | undefined): string {
  const text = typeof cause?.message === 'string' ? cause.message.split('\n')[0].trim() : '';
  return text === '' ? '' : ` (AWS: ${text.length > 300 ? `${text.slice(0, 300)}...` : text})`;
}

/** A failure to read the table, naming it, with what to check where that is known and AWS's own words. */
async function* withHint(cases: AsyncIterable<ConfirmedCase>, where: string): AsyncGenerator<ConfirmedCase> {
  try {
    yield* cases;
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const cause = error.cause as { name?: unknown; code?: unknown; message?: unknown } | undefined;
    const noRegion = typeof cause?.message === 'string' && NO_REGION.test(cause.message);
    const hint = noRegion ? 'no AWS region: set AWS_REGION to the region of the stack (e.g. AWS_REGION=eu-central-1), or a region in the AWS profile' : [cause?.name, cause?.code].map((key) => (typeof key === 'string' ? HINTS[key] : undefined)).find((h) => h !== undefined);
    error.message = `${error.message}, reading ${where}${hint === undefined ? '' : `: ${hint}`}${noRegion ? '' : causeText(cause)}`;
    throw error;
  }
}

/** Every case of the window at once, without the stored text (the prediction lines read labels only). */
export async function casesWithoutText(source: CaseSource & { local: false }, window: CaseWindow): Promise<ConfirmedCase[]> {
  const all: ConfirmedCase[] = [];
  for await (const c of source.cases(window)) {
    const { text: _text, attachmentNames: _names, ...rest } = c;
    all.push(rest);
  }
  return all;
}

/** A window of fewer cases than this reports no progress: read in about a second (a trial on 330,000 cases read 8,000 to 17,000 a second). */
export const PROGRESS_CASES = 10_000;

/**
 * The progress of reading the local store's cases `passes` times over (`feedback predictions` reads them twice: for
 * the models, then for the lines), as one stage named `title`: the progress helper's bar, or its line each tenth,
 * on stderr. Shown once the window holds PROGRESS_CASES or more, as its first read starts; none below. `pass(i)`: the
 * callback of read i (0 first). At most a thousand updates reach the helper, whatever the count.
 */
export function caseProgress(ctx: CliContext, title: string, passes = 1): { pass: (i: number) => CaseProgress; stop: () => void } {
  let progress: Progress | undefined;
  const totals: number[] = [];
  let shown = -1;
  return {
    pass: (i) => (done, total) => {
      if (progress === undefined) {
        if (i !== 0 || done !== 0 || total < PROGRESS_CASES) return;
        progress = createProgress(ctx, title);
      }
      // A later read may find more cases (a server recording them meanwhile): each read counts its own.
      totals[i] = total;
      let all = 0;
      let before = 0;
      for (let p = 0; p < passes; p++) {
        all += totals[p] ?? total;
        if (p < i) before += totals[p] ?? 0;
      }
      const mille = all > 0 ? Math.floor(((before + done) * 1000) / all) : 1000;
      if (mille === shown && before + done < all) return;
      shown = mille;
      progress.update(before + done, all);
    },
    stop: () => progress?.stop(),
  };
}
