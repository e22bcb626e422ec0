import { isLoopback, type RunningServer } from '@mailroute/serving';
import type { CliContext } from '../context.js';
import type { TimeZoneSetting } from '../time-option.js';

/** With `--store-text`: the database the text goes to, and the `--pii-patterns` file masked in it too. */
export interface StoredTextBanner {
  database: string;
  patternsFile?: string;
}

/**
 * Without `--store-text` (and `start`, which has no such option): predictions keep no text, so a month of served
 * mail and its feedback gives `feedback export` nothing to train on. Said at once, not found out a month later.
 */
const TEXT_OFF_LINE =
  'text: off: predictions keep no email text, so `mailroute feedback export` will have no text to train on (`mailroute serve --store-text` keeps it, PII-masked)';

/**
 * The zone the CRM's times without one are read in, and where it was set: a CRM that sends local times to a server
 * left on UTC stores them an hour or two off, and `feedback export --since` must be read in the same zone.
 */
export function timeZoneLine(setting: TimeZoneSetting): string {
  const from = setting.zone === undefined ? 'by default; --time-zone or MAILROUTE_TIME_ZONE sets another' : setting.from;
  return `time zone: ${setting.zone ?? 'UTC'} (${from}): the CRM's times sent without one (receivedAt, closedAt) are read in it`;
}

/**
 * What `serve` and `start` print once listening: where, whether callers need a key, the routes and a curl;
 * with `storedText` (`--store-text`), that email text is being kept, and where, else that it is not (`TEXT_OFF_LINE`).
 * `sagemaker`: serving as a SageMaker container, which takes no keys (IAM authorizes callers), on any address, and
 * keeps no predictions at all (nothing to say of their text). `timeZone`: the zone of the CRM's times (`timeZoneLine`).
 */
export function printBanner(ctx: CliContext, server: RunningServer, storedText?: StoredTextBanner, sagemaker = false, timeZone?: TimeZoneSetting): void {
  const { authEnabled } = server;
  const base = server.url.replace('://0.0.0.0:', '://127.0.0.1:');
  const keyHeader = authEnabled ? ` -H 'Authorization: Bearer <key>'` : '';
  ctx.stdout.write(
    [
      `mailroute is serving on ${server.url}`,
      authEnabled
        ? 'auth: API keys required'
        : sagemaker || !isLoopback(server.host)
          ? 'auth: none in the container (the SageMaker runtime authenticates callers with IAM)'
          : 'auth: OFF (loopback only; `mailroute serve --new-key <id>` adds a key, and auth is on from the next start)',
      ...(storedText === undefined
        ? sagemaker
          ? []
          : [TEXT_OFF_LINE]
        : [
            `text: ON (--store-text): each email's subject and body, PII-masked${storedText.patternsFile === undefined ? '' : ` (also by the patterns of ${storedText.patternsFile})`}, kept with its prediction in ${storedText.database} (predictions.text)`,
          ]),
      ...(timeZone === undefined ? [] : [timeZoneLine(timeZone)]),
      `  classify  POST ${base}/v1/classify`,
      `  docs      ${base}/docs  (OpenAPI: ${base}/openapi.json)`,
      `  quality   ${base}/v1/quality   metrics ${base}/metrics   model ${base}/v1/model`,
      `  sagemaker GET ${base}/ping   POST ${base}/invocations (the body of /v1/classify)`,
      'try:',
      `  curl -s ${base}/v1/classify -H 'content-type: application/json'${keyHeader} -d '{"emails":[{"id":"1","subject":"Depotübertrag","body":"Bitte übertragen Sie mein Depot zur neuen Bank."}]}'`,
      '',
    ].join('\n'),
  );
}
