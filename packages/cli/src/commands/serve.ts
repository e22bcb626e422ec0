import type { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { checkHomeDirectory, createLocalRegistry, noChampionMessage, rollbackChampion } from '@mailroute/model';
import { formatTable } from '@mailroute/training';
import {
  addApiKey,
  revokeApiKey,
  readKeyFile,
  checkKeyFilePermissions,
  KEY_FILE_CHECK_MS,
  API_KEYS_FILE,
  DB_FILE,
  SCOPES,
  closeOnSignals,
  createLocalServing,
  isLoopback,
  loadAuth,
  logLine,
  ModelLoadError,
  NoChampionError,
  SAGEMAKER_BODY_LIMIT,
  ServingConfigError,
  startNodeServer,
  DEFAULT_MAX_CONNECTIONS,
  type Logger,
  type LimitsInput,
  type RateLimit,
  type RunningServer,
  type Scope,
} from '@mailroute/serving';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { plainDecimal, wholeNumber, wholeNumberOption } from '../numbers.js';
import { PII_PATTERNS_HELP, readPiiPatterns } from '../pii-patterns.js';
import { plural } from '../plural.js';
import { safeJson, safeLines, safeValue } from '../terminal-text.js';
import { serveTimeZone, type TimeZoneSetting } from '../time-option.js';
import { printBanner } from './serve-banner.js';

/** Where SIGTERM/SIGINT come from; tests swap in their own emitter (injection, not module mocking). */
export const shutdownSignals: { emitter: EventEmitter } = { emitter: process };

export interface ServeFlags {
  host?: string;
  port?: number;
  home?: string;
  modelDir?: string;
  apiKeys?: string;
  pollSeconds?: number;
  maxBatch?: number;
  maxBodyBytes?: number;
  timeoutMs?: number;
  maxConcurrent?: number;
  maxConcurrentPerKey?: number;
  maxConnections?: number;
  storeText?: boolean;
  piiPatterns?: string;
  modelThreads?: number;
  inlineEmails?: number;
  predictionBufferMs?: number;
  retentionDays?: number;
  sagemaker?: boolean;
  newKey?: string;
  revokeKey?: string;
  listKeys?: boolean;
  json?: boolean;
  scopes?: Scope[];
  rotate?: boolean;
  rateLimit?: RateLimit | null;
  timeZone?: string;
  accessLog?: boolean;
}

function scopeList(value: string): Scope[] {
  const scopes = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const bad = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (scopes.length === 0 || bad.length > 0) throw new InvalidArgumentError(`scopes are a comma-separated list of ${SCOPES.join(', ')}.`);
  // Each once: `classify,classify` was stored and said twice.
  return [...new Set(scopes)] as Scope[];
}

/** `20` (per second, a burst of as many), `0.5`, `20/50` (a burst of 50), or `off`; the numbers in plain digits (plainDecimal). */
export function rateLimitArg(value: string): RateLimit | null {
  if (value.trim().toLowerCase() === 'off') return null;
  const [rate, burstText, ...rest] = value.split('/');
  const perSecond = rest.length === 0 ? plainDecimal(rate) : NaN;
  const burst = burstText === undefined ? Math.max(1, Math.ceil(perSecond)) : /^\d+$/.test(burstText) ? Number(burstText) : NaN;
  if (!(perSecond > 0 && perSecond <= 100_000) || !(burst >= 1 && burst <= 1_000_000)) {
    throw new InvalidArgumentError('a rate limit is requests per second, optionally with a burst (20, 0.5 or 20/50), or off.');
  }
  return { perSecond, burst };
}

/** One JSON line per event on stderr: the server's log (`logLine`). */
export function lineLogger(ctx: CliContext): Logger {
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) => void ctx.stderr.write(`${logLine(level, message, fields)}\n`);
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

/** The server options `serve` and `start` share; `sagemaker`: the command has `--sagemaker`, whose defaults the help then names. */
export function addServeOptions(command: Command, { sagemaker }: { sagemaker: boolean }): Command {
  return command
    .option('--host <host>', 'address to listen on (env HOST; default 127.0.0.1)')
    .option('--port <port>', 'port, 0 for any free one (env PORT; default 8080)', wholeNumberOption('--port', 0, 65535))
    .option('--home <dir>', 'registry and database location (env MAILROUTE_HOME)')
    .option('--api-keys <file>', 'API key file (default <home>/api-keys.json; with no key file: no auth, loopback only)')
    .option('--poll-seconds <n>', 'seconds between champion checks (default 5), 0 to stop polling', wholeNumberOption('--poll-seconds', 0, 86_400))
    .option('--max-batch <n>', 'emails per request (default 256)', wholeNumberOption('--max-batch', 1, 10_000))
    .option('--max-body-bytes <n>', `request body limit (default 1 MB${sagemaker ? ', 6 MB with --sagemaker' : ''}; at most 6 MB)`, wholeNumberOption('--max-body-bytes', 1, 6 * 1024 * 1024))
    .option('--timeout-ms <n>', 'request timeout (default 10000)', wholeNumberOption('--timeout-ms', 1, 600_000))
    .option('--max-concurrent <n>', 'requests of one kind (classify, feedback) handled at once before 503 (default 64 each)', wholeNumberOption('--max-concurrent', 1, 100_000))
    .option(
      '--max-concurrent-per-key <n>',
      'of those, requests of one kind one API key has at once before 503, so one key cannot take every slot (default: three quarters of --max-concurrent, rounded up: 48 of 64; at most --max-concurrent; without keys: not applied)',
      wholeNumberOption('--max-concurrent-per-key', 1, 100_000),
    )
    .option(
      '--max-connections <n>',
      `open client connections at most; more are closed at once (env MAILROUTE_MAX_CONNECTIONS; default ${DEFAULT_MAX_CONNECTIONS})`,
      wholeNumberOption('--max-connections', 1, 1_000_000),
    )
    .option('--model-threads <n>', 'worker threads running the model, 0 to run it on the request thread (default 1)', wholeNumberOption('--model-threads', 0, 64))
    .option('--inline-emails <n>', 'batches of at most n emails and 8000 characters of text (subject, body and html) are scored on the request thread, saving the hop to a model thread (default 32; 0: none)', wholeNumberOption('--inline-emails', 0, 10_000))
    .option(
      '--prediction-buffer-ms <n>',
      'predictions are answered at once and committed within n ms, in one transaction with other requests (default 5); 0: each committed before its answer',
      wholeNumberOption('--prediction-buffer-ms', 0, 1000),
    )
    .option(
      '--retention-days <n>',
      `days predictions (and their stored text) and feedback are kept in the database (default 400; 0: for ever)${sagemaker ? '; --sagemaker keeps no database' : ''}`,
      wholeNumberOption('--retention-days', 0, 100_000),
    )
    .option('--time-zone <zone>', "IANA time zone of the CRM's times sent without one, as feedback's closedAt and an email's receivedAt (2026-12-04 14:03, or a date alone), e.g. Europe/Berlin (env MAILROUTE_TIME_ZONE; default UTC)")
    .option('--access-log', 'log one JSON line per request (request id, method, route, status, ms, key id) and give every answer an x-request-id (env MAILROUTE_ACCESS_LOG=1; default off)');
}

/**
 * `--time-zone` or MAILROUTE_TIME_ZONE, checked (a misspelt zone would refuse every feedback at its first request),
 * with where it came from, for the banner.
 */
export function timeZoneSetting(ctx: CliContext, flags: ServeFlags): TimeZoneSetting {
  return serveTimeZone(ctx, flags.timeZone);
}

/**
 * An environment variable as a setting: undefined when unset or blank, as `VAR=` in an env file or a compose
 * file leaves it. A blank MAILROUTE_API_KEYS_FILE was a key file named "" ("API key file  does not exist"), and
 * a blank SM_MODEL_DIR served the registry's champion instead of /opt/ml/model.
 */
export function envSetting(ctx: CliContext, variable: string): string | undefined {
  const value = ctx.env[variable];
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * The API key file --api-keys or MAILROUTE_API_KEYS_FILE names, relative to the command's folder as --home and
 * --model-dir are (it was read and written relative to the process's); undefined when neither names one.
 */
export function namedKeyFile(ctx: CliContext, flags: Pick<ServeFlags, 'apiKeys'>): string | undefined {
  const file = flags.apiKeys ?? envSetting(ctx, 'MAILROUTE_API_KEYS_FILE');
  return file === undefined ? undefined : path.resolve(ctx.cwd, file);
}

/** An integer environment variable, read as the options are (wholeNumber); undefined when unset; a bad value is a usage error. */
function envInteger(ctx: CliContext, variable: string, min: number, max: number): number | undefined {
  // Blank is unset: `PORT=` must not mean port 0 (any free port).
  const raw = envSetting(ctx, variable);
  return raw === undefined ? undefined : wholeNumber(variable, raw, min, max);
}

/** The values of a yes/no environment variable, in any case (surrounding blanks aside). */
const ENV_YES = ['1', 'true', 'yes', 'on'];
const ENV_NO = ['0', 'false', 'no', 'off'];

/**
 * A yes/no environment variable: true for 1, true, yes or on, false for 0, false, no or off, or when unset or blank;
 * any other value is a usage error naming those (`Y` or `enabled` read as no would start the server in the wrong mode).
 */
export function envYesNo(ctx: CliContext, variable: string): boolean {
  const raw = envSetting(ctx, variable);
  if (raw === undefined) return false;
  const value = raw.trim().toLowerCase();
  if (ENV_YES.includes(value)) return true;
  if (ENV_NO.includes(value)) return false;
  const either = (words: string[]) => `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
  throw new UsageError(`${variable} is on with ${either(ENV_YES)}, off with ${either(ENV_NO)} (in any case), not ${JSON.stringify(raw.slice(0, 40))}`);
}

/** Where the server will listen, from the flags and the environment; a bad PORT or MAILROUTE_SAGEMAKER is a usage error. */
export function listenAddress(ctx: CliContext, flags: ServeFlags) {
  const sagemaker = flags.sagemaker === true || envYesNo(ctx, 'MAILROUTE_SAGEMAKER');
  // SageMaker names the port in SAGEMAKER_BIND_TO_PORT when it runs several containers (inference
  // pipelines); it wins over PORT in SageMaker mode.
  const portVariable = sagemaker && envSetting(ctx, 'SAGEMAKER_BIND_TO_PORT') !== undefined ? 'SAGEMAKER_BIND_TO_PORT' : 'PORT';
  const envPort = flags.port === undefined ? envInteger(ctx, portVariable, 0, 65535) : undefined;
  const envHost = envSetting(ctx, 'HOST');
  const host = flags.host ?? envHost ?? (sagemaker ? '0.0.0.0' : '127.0.0.1');
  const port = flags.port ?? envPort ?? 8080;
  const home = flags.home ? path.resolve(ctx.cwd, flags.home) : sagemaker && envSetting(ctx, 'MAILROUTE_HOME') === undefined ? '/tmp/mailroute' : ctx.home;
  return { sagemaker, host, port, home };
}

/** The SQLite file whose `predictions.text` column `--store-text` writes. */
export function textDatabase(ctx: CliContext, flags: ServeFlags): string {
  return path.join(listenAddress(ctx, flags).home, DB_FILE);
}

/**
 * Refuses, before any work (a model load, or `start`'s demo training), to listen on a public address
 * without API keys: only loopback may run without them (the check runs again on the keys read).
 */
export function refuseUnsafeListen(ctx: CliContext, flags: ServeFlags): void {
  const { sagemaker, host, home } = listenAddress(ctx, flags);
  const explicitKeys = namedKeyFile(ctx, flags);
  if (explicitKeys === undefined && !existsSync(path.join(home, API_KEYS_FILE)) && !isLoopback(host) && !sagemaker) {
    throw new UsageError(`refusing to listen on ${host} without API keys; create a key (mailroute serve --new-key <id>) or name a key file (--api-keys), or use --host 127.0.0.1`);
  }
}

/** `--max-concurrent-per-key` over `--max-concurrent` (or its default 64) could never be reached: refused, rather than read as the cap. */
function checkPerKeyShare(flags: ServeFlags): void {
  const cap = flags.maxConcurrent ?? 64;
  if (flags.maxConcurrentPerKey !== undefined && flags.maxConcurrentPerKey > cap) {
    throw new UsageError(
      `--max-concurrent-per-key ${flags.maxConcurrentPerKey} is over ${flags.maxConcurrent === undefined ? 'the default --max-concurrent of 64' : `--max-concurrent ${cap}`}: one key's share is part of the server's cap; give at most ${cap}, or raise --max-concurrent too`,
    );
  }
}

/**
 * Refuses a home that is a file (or lies under one, or is a broken link) in the words of how it was named: `--home <dir>`
 * when given, else `MAILROUTE_HOME=<dir>` with `(or --home)`, as serve and start take --home.
 */
function checkServeHome(home: string, flags: Pick<ServeFlags, 'home'>): void {
  checkHomeDirectory(home, { option: '--home', given: Boolean(flags.home) });
}

/** The settings a server reads that can be wrong before anything is loaded: MAILROUTE_MAX_CONNECTIONS, the home and a named key file. */
export function checkServeSettings(ctx: CliContext, flags: ServeFlags): void {
  checkServeHome(listenAddress(ctx, flags).home, flags);
  timeZoneSetting(ctx, flags);
  checkPerKeyShare(flags);
  if (flags.maxConnections === undefined) envInteger(ctx, 'MAILROUTE_MAX_CONNECTIONS', 1, 1_000_000);
  const apiKeysFile = namedKeyFile(ctx, flags);
  if (apiKeysFile !== undefined) loadAuth(apiKeysFile, { required: true });
}

/**
 * Options that would have no effect with the others given, refused as `--scopes` without `--new-key` is: a
 * model directory is never polled (only a registry's champion changes), with no model thread every batch
 * is scored on the request thread, so no size decides where, and a SageMaker container keeps no database to
 * store text in, prune or commit to.
 */
function refuseIdleOptions(flags: ServeFlags, modelDir: string | undefined, sagemaker: boolean): void {
  // The container keeps no predictions (the API Lambda records them in DynamoDB): no database to keep text in or prune.
  const storeOptions = [flags.storeText === true && '--store-text', flags.retentionDays !== undefined && '--retention-days', flags.predictionBufferMs !== undefined && '--prediction-buffer-ms'].filter(Boolean);
  if (sagemaker && storeOptions.length > 0) {
    throw new UsageError(
      `${storeOptions.join(', ')} ${storeOptions.length === 1 ? 'does' : 'do'} not go with --sagemaker (MAILROUTE_SAGEMAKER=1): the container keeps no predictions, and no database (the API in front of it records them)`,
    );
  }
  if (modelDir !== undefined && flags.pollSeconds !== undefined) {
    throw new UsageError('--poll-seconds does not go with a model directory (--model-dir, or --sagemaker\'s): the directory is served as it is, never polled; the poll watches a registry\'s champion');
  }
  if (flags.piiPatterns !== undefined && flags.storeText !== true) {
    throw new UsageError('--pii-patterns goes only with --store-text: its patterns mask the text stored with each prediction (the model reads text masked by the built-in detectors)');
  }
  if (sagemaker && flags.maxConcurrentPerKey !== undefined) {
    throw new UsageError('--max-concurrent-per-key does not go with --sagemaker (MAILROUTE_SAGEMAKER=1): the container takes no API keys, so every request is one caller\'s; --max-concurrent caps them');
  }
  if (flags.modelThreads === 0 && flags.inlineEmails !== undefined) {
    throw new UsageError('--inline-emails does not go with --model-threads 0: every batch is scored on the request thread then');
  }
}

/** The app's limits the flags set (the rest are the app's defaults). */
export function serveLimits(flags: ServeFlags, sagemaker: boolean): LimitsInput {
  return {
    ...(flags.maxBatch === undefined ? {} : { maxBatch: flags.maxBatch }),
    ...(flags.maxBodyBytes === undefined ? {} : { maxBodyBytes: flags.maxBodyBytes }),
    ...(flags.timeoutMs === undefined ? {} : { requestTimeoutMs: flags.timeoutMs }),
    ...(flags.maxConcurrent === undefined ? {} : { maxConcurrent: flags.maxConcurrent }),
    ...(flags.maxConcurrentPerKey === undefined ? {} : { maxConcurrentPerKey: flags.maxConcurrentPerKey }),
    // SageMaker allows 6 MB per invocation, and the 413 says that is fixed (no flag reaches an endpoint's container).
    ...(sagemaker && flags.maxBodyBytes === undefined ? { maxBodyBytes: SAGEMAKER_BODY_LIMIT.ceiling, bodyLimitSetting: SAGEMAKER_BODY_LIMIT } : {}),
  };
}

/** Starts the server from flags and environment and returns it. */
export async function startFromFlags(ctx: CliContext, flags: ServeFlags, logger: Logger): Promise<RunningServer> {
  const { sagemaker, host, port, home } = listenAddress(ctx, flags);
  const maxConnections = flags.maxConnections ?? envInteger(ctx, 'MAILROUTE_MAX_CONNECTIONS', 1, 1_000_000);
  const modelDir = flags.modelDir ?? (sagemaker ? (envSetting(ctx, 'SM_MODEL_DIR') ?? '/opt/ml/model') : undefined);
  const limits = serveLimits(flags, sagemaker);
  refuseUnsafeListen(ctx, flags);
  refuseIdleOptions(flags, modelDir, sagemaker);
  checkPerKeyShare(flags);
  const piiPatterns = flags.piiPatterns === undefined ? undefined : await readPiiPatterns(ctx, flags.piiPatterns);
  const apiKeysFile = namedKeyFile(ctx, flags);
  // SageMaker's runtime signs InvokeEndpoint with IAM and passes no API key on: a key required here would
  // refuse every invocation, so a container reads none, not even a key file left in its home.
  if (sagemaker && apiKeysFile !== undefined) throw new UsageError('--api-keys (MAILROUTE_API_KEYS_FILE) does not go with --sagemaker: SageMaker invokes the container without API keys (IAM authorizes InvokeEndpoint)');
  // The home is read unless a SageMaker container serves a model directory (createLocalServing's own check, said here
  // with --home, which this command takes).
  if (!sagemaker || modelDir === undefined) checkServeHome(home, flags);
  let serving: Awaited<ReturnType<typeof createLocalServing>>;
  try {
    serving = await createLocalServing({
      home,
      modelDir: modelDir ? path.resolve(ctx.cwd, modelDir) : undefined,
      apiKeysFile,
      withoutApiKeys: sagemaker,
      limits,
      storeText: flags.storeText === true,
      piiPatterns,
      timeZone: timeZoneSetting(ctx, flags).zone,
      accessLog: flags.accessLog === true || envYesNo(ctx, 'MAILROUTE_ACCESS_LOG'),
      pollSeconds: flags.pollSeconds,
      modelThreads: flags.modelThreads,
      inlineEmails: flags.inlineEmails,
      predictionBufferMs: flags.predictionBufferMs,
      retentionDays: flags.retentionDays,
      // In a SageMaker container the API Lambda keeps the records (DynamoDB, under its own ids): a copy here
      // would be read by nothing, so none is kept (no mailroute.db).
      keepPredictions: !sagemaker,
      // Set by the registry on each SageMaker model package: the artifact must be that model's.
      expectedModelId: modelDir ? envSetting(ctx, 'MAILROUTE_MODEL_ID') : undefined,
      logger,
    });
  } catch (error) {
    // The library says what is missing; the CLI adds what to do about it.
    // Nothing failed to load: the registry has no champion. Said with start's code (REGISTRY_NOT_APPROVED).
    if (error instanceof NoChampionError && modelDir === undefined) {
      // The way out `start` names (approve a pending one, make the newest Approved champion, or train or force
      // when every one is Rejected); an empty registry, with nothing to approve, is told to train one.
      // A registry that cannot be listed now is not said to be empty: the library's own words stand.
      const versions = await createLocalRegistry({ home }).list().catch(() => undefined);
      if (versions === undefined) throw error;
      throw new NoChampionError(noChampionMessage(home, versions, 'serve a model directory with --model-dir', 'There is no model to serve'));
    }
    // No runtime on this machine: said as it is, not as a champion to reject.
    const runtime = causeWithCode(error, 'ONNX_RUNTIME_UNAVAILABLE');
    if (runtime !== undefined) throw runtime;
    if ((error as { code?: unknown }).code === 'MODEL_LOAD_FAILED' && modelDir === undefined) throw await withWayBack(error as Error, home);
    throw error;
  }
  if (!serving.context.auth.enabled && !isLoopback(host) && !sagemaker) {
    await serving.close();
    throw new UsageError(`refusing to listen on ${host} without API keys; create a key (mailroute serve --new-key <id>) or name a key file (--api-keys), or use --host 127.0.0.1`);
  }
  try {
    return await startNodeServer({ serving, host, port, logger, maxConnections, ...(sagemaker ? { unauthenticatedBecause: 'sagemaker' as const } : {}) });
  } catch (error) {
    await serving.close();
    throw error;
  }
}

/** The error or the first of its causes with this code. */
function causeWithCode(error: unknown, code: string): Error | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) if ((e as { code?: unknown }).code === code) return e;
  return undefined;
}

/** An artifact whose files are not the ones registered: a file's sha256 differs, or it is gone, since registration. */
const CHANGED_ARTIFACT_CODES = ['ARTIFACT_HASH_MISMATCH', 'ARTIFACT_MISSING', 'REGISTRY_ARTIFACT_TAMPERED'];

/**
 * A champion that does not load (a tampered or damaged artifact) keeps the server from starting: the error gets the
 * way back to a model that serves. A file changed or missing since registration is restored from a backup first (the
 * model is fine, its copy is not); then, or for a model that does not load for another reason, the champion rejected
 * (`--note <why>`, which rejecting the champion needs), said as what it leaves, the version the registry then makes
 * champion: the previous champion (the latest earlier one in the champion history still Approved), which served
 * before, or else an Approved version that never served, said so (not offered as a way back); with neither, rejecting
 * it leaves no champion at all (REGISTRY_NOT_APPROVED at the next start), so the way to one is named too.
 */
async function withWayBack(error: Error, home: string): Promise<Error> {
  const registry = createLocalRegistry({ home });
  const champion = await registry.champion().catch(() => undefined);
  if (champion === undefined) return error;
  const [versions, history] = await Promise.all([registry.list().catch(() => []), registry.championHistory().catch((): string[] => [])]);
  // The one `registry reject` makes champion (its artifact aside), as the registry picks it.
  const next = rollbackChampion(versions, history, champion.id);
  const pending = versions.filter((v) => v.status === 'PendingManualApproval').sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  const why = '--note "<why>"';
  const reject = `mailroute registry reject ${champion.id} ${why}`;
  const elsewhere =
    next !== undefined && history.includes(next.id)
      ? `roll back to the previous champion ${next.id}: reject this one (${reject}, which makes ${next.id} champion again), or make ${next.id} champion and keep this one Approved (mailroute registry champion ${next.id} ${why}), then start again`
      : next !== undefined
        ? `no earlier champion is Approved (mailroute registry history shows the earlier champions); rejecting this one (${reject}) makes ${next.id} champion, an Approved version that has not served before: check it first (mailroute registry show ${next.id}), then start again`
        : `no other version would take over (mailroute registry history shows the earlier champions), so rejecting it (${reject}) leaves no model to serve: first ${pending ? `approve another (mailroute registry approve ${pending.id}, which makes it the champion)` : 'train and approve another (mailroute train, then mailroute registry approve <id>)'}, then start again`;
  const changed = CHANGED_ARTIFACT_CODES.some((code) => causeWithCode(error, code) !== undefined);
  const way = changed
    ? `its files are not the ones registered (a sha256 that does not match, or a file missing, means it changed after registration: a disk fault, an edit, a copy cut short). Restore ${path.join(home, 'models', champion.id)} from a backup and start again; without one, ${elsewhere}.`
    : `${elsewhere}.`;
  return new ModelLoadError(`${error.message.split('\n')[0]}. The champion ${champion.id} does not load: ${way}`, {}, { cause: error });
}

/** The options that --new-key reads: where the key file is, and the key's own. */
const KEY_OPTIONS = new Set(['newKey', 'home', 'apiKeys', 'scopes', 'rotate', 'rateLimit']);
/** The options that --revoke-key reads: where the key file is. */
const REVOKE_OPTIONS = new Set(['revokeKey', 'home', 'apiKeys']);
/** The options that --list-keys reads: where the key file is, and how to print it. */
const LIST_OPTIONS = new Set(['listKeys', 'home', 'apiKeys', 'json']);

/**
 * Server options given with --new-key, --revoke-key or --list-keys, which act on the key file and exit: they would be
 * dropped without a word (and go unchecked).
 */
function refuseServerOptions(command: Command, action: 'new' | 'revoke' | 'list' = 'new'): void {
  const read = action === 'revoke' ? REVOKE_OPTIONS : action === 'list' ? LIST_OPTIONS : KEY_OPTIONS;
  const given = command.options.filter((o) => !read.has(o.attributeName()) && command.getOptionValueSource(o.attributeName()) === 'cli').map((o) => o.long);
  if (given.length === 0) return;
  const them = given.length === 1 ? 'it' : 'them';
  const doing = {
    new: `--new-key, which makes an API key and exits without serving: make the key, then start the server with ${them}`,
    revoke: `--revoke-key, which removes an API key and exits without serving: start the server with ${them} on its own`,
    list: `--list-keys, which lists the API keys and exits without serving: list them, then run ${them} on ${given.length === 1 ? 'its' : 'their'} own`,
  }[action];
  throw new UsageError(`${given.join(', ')} ${given.length === 1 ? 'does' : 'do'} not go with ${doing}`);
}

/** The key file --new-key, --revoke-key and --list-keys act on: --api-keys, MAILROUTE_API_KEYS_FILE, or <home>/api-keys.json. */
function keyFileOf(ctx: CliContext, flags: ServeFlags): { home: string; file: string } {
  const home = flags.home ? path.resolve(ctx.cwd, flags.home) : ctx.home;
  const named = namedKeyFile(ctx, flags);
  // The home's key file: a home that is a file is said so, not as a key file that is not there.
  if (named === undefined) checkServeHome(home, flags);
  return { home, file: named ?? path.join(home, API_KEYS_FILE) };
}

/** An API key (or the key file) named that is not there: exit code 1, as a registry id that is not there is, not a usage error. */
export class KeyNotFoundError extends Error {
  readonly code = 'API_KEY_NOT_FOUND';
  constructor(message: string) {
    super(message);
    this.name = 'KeyNotFoundError';
  }
}

/** Seconds a running server takes at most to read a changed key file (at a request that presents a key). */
const KEY_FILE_CHECK_SECONDS = KEY_FILE_CHECK_MS / 1000;

/** `--revoke-key <id>`: the key taken out of the key file (written whole, as --new-key writes it); running servers stop accepting it. */
function revokeKey(ctx: CliContext, flags: ServeFlags & { revokeKey: string }, command: Command): void {
  if (flags.newKey !== undefined) throw new UsageError('--revoke-key does not go with --new-key: revoke a key, or make one (--new-key <id> --rotate gives an id a new key, the old one stops working)');
  refuseServerOptions(command, 'revoke');
  const { home, file } = keyFileOf(ctx, flags);
  if (!existsSync(file)) throw new KeyNotFoundError(`there is no key file ${file}, so no API key "${flags.revokeKey}" to revoke (name the key file with --api-keys or MAILROUTE_API_KEYS_FILE)`);
  let entry: ReturnType<typeof revokeApiKey>;
  try {
    entry = revokeApiKey(file, flags.revokeKey);
  } catch (error) {
    // No such key (it names the file's keys): not found, exit code 1, in the CLI's words.
    if (error instanceof ServingConfigError && error.extra.keyId === flags.revokeKey) {
      throw new KeyNotFoundError(`t${error.message.slice(1).replace(/\.$/, '')}`);
    }
    throw error;
  }
  const left = entry.keysLeft;
  const after =
    left > 0
      ? `${left} key${left === 1 ? '' : 's'} left`
      : `it holds no keys now: a running server refuses every key until one is added (mailroute serve --new-key <id>); at its next start a server refuses a key file named with --api-keys that holds none, and serves ${path.join(home, API_KEYS_FILE)} without auth, to this machine only`;
  ctx.stderr.write(
    `API key "${entry.id}" (${entry.scopes.join(', ')}) revoked: removed from ${file} (${after}). A running server that reads this file stops accepting it within ${KEY_FILE_CHECK_SECONDS} seconds (it logs "api keys reloaded"); no restart needed.\n`,
  );
}

/**
 * `--list-keys`: the keys of the key file (id, scopes, rate limit), as a table or JSON (`--json`), never their
 * hashes; the file is only read. One that others may write is listed with the warning of why a server refuses it.
 */
function listKeys(ctx: CliContext, flags: ServeFlags, command: Command): void {
  refuseServerOptions(command, 'list');
  const { file } = keyFileOf(ctx, flags);
  if (!existsSync(file)) {
    // A key file named (--api-keys, MAILROUTE_API_KEYS_FILE) that is not there is likely mistyped, and a server refuses it.
    if (namedKeyFile(ctx, flags) !== undefined) {
      throw new KeyNotFoundError(`there is no key file ${file}, so no API keys to list (name the key file with --api-keys or MAILROUTE_API_KEYS_FILE; create a key in it with mailroute serve --new-key <id>)`);
    }
    // The home's own not made yet: no keys, as a server started on this home reads it (no auth, to this machine only).
    if (flags.json) {
      ctx.stdout.write(`${safeJson({ file, keys: [] })}\n`);
      return;
    }
    ctx.stderr.write(safeLines(`no API keys: there is no key file ${file}, so a server started on this home serves without auth, to this machine only; create a key with mailroute serve --new-key <id>.\n`));
    return;
  }
  const { keys } = readKeyFile(file);
  try {
    checkKeyFilePermissions(file);
  } catch (error) {
    if (!(error instanceof ServingConfigError)) throw error;
    ctx.stderr.write(safeLines(`warning: ${error.message} Until then a server refuses it at start, and at its next check of a changed file.\n`));
  }
  if (flags.json) {
    ctx.stdout.write(`${safeJson({ file, keys: keys.map((k) => ({ id: k.id, scopes: k.scopes, rateLimit: k.rateLimit ?? null, createdAt: k.createdAt ?? null })) })}\n`);
    return;
  }
  if (keys.length === 0) {
    ctx.stderr.write(safeLines(`${file} holds no API keys: a running server that reads it refuses every key; add one with mailroute serve --new-key <id>.\n`));
    return;
  }
  const now = Date.now();
  const rows = keys.map((k) => [k.id, k.scopes.join(', '), k.rateLimit ? `${k.rateLimit.perSecond}/s, bursts of ${k.rateLimit.burst}` : 'none', keyAge(k.createdAt, now)].map(safeValue));
  ctx.stdout.write(`${formatTable(['id', 'scopes', 'rate limit', 'created'], rows)}\n`);
  const note = keys.some((k) => k.createdAt === undefined) ? ' A key created `unknown` was made before the key file kept when a key was made.' : '';
  ctx.stderr.write(safeLines(`${plural(keys.length, 'API key')} in ${file} (only their sha256 is stored).${note}\n`));
}

/** When a key was made, in UTC, and how long ago in whole days: `2026-12-07 (today)`, `2026-09-01 (97 days ago)`; `unknown` for a key made before it was kept. */
function keyAge(createdAt: string | undefined, now: number): string {
  if (createdAt === undefined) return 'unknown';
  const at = Date.parse(createdAt);
  const days = Math.floor((now - at) / 86_400_000);
  const ago = days <= 0 ? 'today' : days === 1 ? 'yesterday' : `${days} days ago`;
  return `${new Date(at).toISOString().slice(0, 10)} (${ago})`;
}

export function registerServe(program: Command, ctx: CliContext): void {
  addServeOptions(program.command('serve').description('Serve the champion model over HTTP (Node server; SageMaker container with --sagemaker)'), { sagemaker: true })
    .option('--model-dir <dir>', 'serve this artifact directory instead of the registry champion (with MAILROUTE_MODEL_ID set, as on a registered SageMaker model, its manifest must name that model or serve refuses to start)')
    .option('--store-text', 'keep a PII-masked copy of each email text with its prediction (predictions.text in <home>/mailroute.db)')
    .option('--pii-patterns <file>', `with --store-text, also mask the stored text by your own patterns: ${PII_PATTERNS_HELP}`)
    .addOption(new Option('--sagemaker', 'SageMaker container mode: 0.0.0.0:8080, model from /opt/ml/model (env MAILROUTE_SAGEMAKER=1)'))
    .option('--new-key <id>', 'create an API key with this id (1 to 100 characters, no leading or trailing blanks) in the key file, print it once, and exit')
    .option('--revoke-key <id>', `remove the API key with this id from the key file, and exit; running servers stop accepting it within ${KEY_FILE_CHECK_SECONDS} seconds`)
    .option('--list-keys', 'list the API keys of the key file (id, scopes, rate limit, when made; never their hashes), and exit')
    .option('--json', 'with --list-keys: print the keys as JSON')
    .option('--scopes <list>', 'scopes of --new-key (classify,feedback,admin,metrics; default classify,feedback, or the rotated key\'s own; metrics alone: /metrics and /v1/model, for Prometheus)', scopeList)
    .option(
      '--rotate',
      `with --new-key: replace the key of an id that exists (the old key stops working, and the new one starts, at a running server's next check of the key file, within ${KEY_FILE_CHECK_SECONDS} seconds: for a switch without refusals make a key with a second id, switch to it, then --revoke-key the old one; its scopes, unless --scopes, and rate limit, unless --rate-limit, stay)`,
    )
    .option('--rate-limit <rate>', 'with --new-key: requests per second for the key, with an optional burst (20, 20/50; default burst: the rate rounded up, at least 1), or off; 429 with Retry-After beyond it; counted per scope (classify and feedback each get the limit)', rateLimitArg)
    .action(async (flags: ServeFlags, command: Command) => {
      if (flags.listKeys === true) return listKeys(ctx, flags, command);
      if (flags.json === true) throw new UsageError('--json goes only with --list-keys (the keys listed as JSON)');
      if (flags.revokeKey !== undefined) return revokeKey(ctx, { ...flags, revokeKey: flags.revokeKey }, command);
      // Key options without a key to make would be dropped without a word.
      const keyOnly = [flags.scopes && '--scopes', flags.rotate && '--rotate', flags.rateLimit !== undefined && '--rate-limit'].filter(Boolean);
      if (flags.newKey === undefined && keyOnly.length > 0) throw new UsageError(`${keyOnly.join(', ')} ${keyOnly.length === 1 ? 'goes' : 'go'} only with --new-key <id> (describing the key it makes)`);
      if (flags.newKey !== undefined) {
        refuseServerOptions(command);
        if (!/^\S.{0,99}$/u.test(flags.newKey) || /\s$/u.test(flags.newKey)) {
          throw new UsageError(`--new-key needs an id of 1 to 100 characters without leading or trailing blanks (e.g. crm-prod), not "${flags.newKey.slice(0, 40)}${flags.newKey.length > 40 ? '…' : ''}"`);
        }
        const { file } = keyFileOf(ctx, flags);
        // A file others may write is refused as serve refuses it, before anything else is said of it, and left as it is.
        checkKeyFilePermissions(file);
        const old = readKeyFile(file).keys.find((k) => k.id === flags.newKey);
        if (old && flags.rotate !== true) {
          throw new UsageError(`API key "${flags.newKey}" already exists in ${file}; add --rotate to replace it (the old key stops working), or pick another id`);
        }
        if (!old && flags.rotate === true) throw new UsageError(`there is no API key "${flags.newKey}" in ${file} to rotate; leave out --rotate to create it`);
        const scopes = flags.scopes ?? old?.scopes ?? (['classify', 'feedback'] as Scope[]);
        const key = addApiKey(file, flags.newKey, scopes, { rotate: flags.rotate === true, rateLimit: flags.rateLimit });
        const limit = flags.rateLimit === undefined ? old?.rateLimit : (flags.rateLimit ?? undefined);
        const limitNote = limit ? `, ${limit.perSecond}/s with bursts of ${limit.burst}` : '';
        ctx.stdout.write(`${key}\n`);
        // No overlap: the old key goes, and the new one comes, at the same check of the file.
        const rotateNote = old
          ? ` The old key of "${flags.newKey}" stops working, and this one starts, when a running server next checks the key file (within ${KEY_FILE_CHECK_SECONDS} seconds): a caller that switches to it at once may get 401s until then. To switch without refusals, make a key with a second id (mailroute serve --new-key ${flags.newKey}-2), switch the CRM to it, then revoke the old id (mailroute serve --revoke-key ${flags.newKey}).`
          : '';
        ctx.stderr.write(`API key "${flags.newKey}" (${scopes.join(', ')}${limitNote}) stored hashed in ${file}; it is shown only now. A running server that reads this file with keys in it takes it within ${KEY_FILE_CHECK_SECONDS} seconds; one started without keys (auth off) needs a restart to turn auth on.${rotateNote}\n`);
        return;
      }
      const logger = lineLogger(ctx);
      const server = await startFromFlags(ctx, flags, logger);
      printBanner(ctx, server, flags.storeText === true ? { database: textDatabase(ctx, flags), patternsFile: flags.piiPatterns } : undefined, listenAddress(ctx, flags).sagemaker, timeZoneSetting(ctx, flags));
      await closeOnSignals(server, shutdownSignals.emitter, logger);
    });
}

