import { existsSync } from 'node:fs';
import path from 'node:path';
import { checkHomeDirectory, createLocalRegistry } from '@mailroute/model';
import type { RedactPattern } from '@mailroute/preprocess';
import { createApp, type ServingApp } from './app.js';
import { patternMasking } from './model/stored-text.js';
import { createNoAuth, type Auth } from './auth/api-keys.js';
import { checkKeyFilePermissions, createKeyFileAuth } from './auth/key-file.js';
import { ModelLoadError, ServingConfigError } from './errors.js';
import type { LimitsInput } from './http/limits.js';
import { silentLogger, systemClock, type Logger } from './http/logger.js';
import { createServingMetrics } from './metrics/serving-metrics.js';
import { createLocalModelSource, manifestModelId } from './model/local-model.js';
import { noStore } from './store/no-store.js';
import { createSqliteStore, DEFAULT_RETENTION_DAYS } from './store/sqlite-store.js';
import { sqliteWriteProblem, type SqliteWriteProblem, type StoreLostKind } from './store/sqlite-write-transport.js';
import { createWriteFailureLog } from './write-failure-log.js';

export const DB_FILE = 'mailroute.db';
export const API_KEYS_FILE = 'api-keys.json';

/**
 * API keys from a JSON file (`{ "keys": [{ id, sha256, scopes, rateLimit? }] }`); none when the default
 * file is absent or empty. A file named on purpose (`required`) must exist and hold a key: a typo in its
 * path must not turn auth off. A file others than its owner may write is refused (`checkKeyFilePermissions`).
 */
export function loadAuth(file: string | undefined, options: { required?: boolean; logger?: Logger } = {}): Auth {
  if (file === undefined) return createNoAuth();
  if (options.required && !existsSync(file)) {
    throw new ServingConfigError(`API key file ${file} does not exist (create a key in it with: mailroute serve --new-key <id> --api-keys ${file}).`, { file });
  }
  checkKeyFilePermissions(file);
  // Read again when it changes (a key revoked or added): `createKeyFileAuth`. Without keys at start, auth stays off until a restart.
  const auth = createKeyFileAuth(file, { logger: options.logger });
  if (options.required && auth.keyCount === 0) throw new ServingConfigError(`API key file ${file} holds no keys.`, { file });
  return auth.keyCount === 0 ? createNoAuth() : auth;
}

export interface LocalServingOptions {
  /** `MAILROUTE_HOME`: registry, `mailroute.db`, `api-keys.json`. */
  home: string;
  /** Serve this artifact directory instead of the registry champion (SageMaker: /opt/ml/model). */
  modelDir?: string;
  apiKeysFile?: string;
  /** No API keys at all, not even the home's key file (a SageMaker container: IAM signs its callers). */
  withoutApiKeys?: boolean;
  limits?: LimitsInput;
  /** Keep PII-masked text with each prediction. */
  storeText?: boolean;
  /** With `storeText`: an institution's own patterns, masked in stored text before the built-in detectors (`--pii-patterns`). */
  piiPatterns?: readonly RedactPattern[];
  /** The IANA time zone of the CRM's times sent without one (feedback's closedAt); default UTC. */
  timeZone?: string;
  /** One `request` log line per answer, and an `x-request-id` on every answer (`--access-log`); default off. */
  accessLog?: boolean;
  /** Seconds between champion checks (0: no polling). */
  pollSeconds?: number;
  logger?: Logger;
  /** Worker threads running the model (default 1); 0: on the request thread. */
  modelThreads?: number;
  /** Batches of at most this many emails are scored on the request thread anyway (default 32). */
  inlineEmails?: number;
  /** Predictions commit within this many ms after their answer (default 5); 0: before it. */
  predictionBufferMs?: number;
  /** Days records are kept in the database (default 400; 0: for ever). */
  retentionDays?: number;
  /**
   * `false`: keep no predictions (`noStore`): no `mailroute.db` is made, and /v1/feedback and /v1/quality answer 404
   * `PREDICTIONS_NOT_KEPT`. For a SageMaker container, whose caller (the API Lambda) records the predictions
   * itself. Default true. Goes with none of the store's options (`storeText`, `retentionDays`, `predictionBufferMs`).
   */
  keepPredictions?: boolean;
  /**
   * The model id `modelDir` must hold: a SageMaker model's `MAILROUTE_MODEL_ID`, which the registry sets on
   * each model package to the id it registered. A directory whose manifest names another model refuses to
   * start (a model package pointing at another model's artifact), before the model is loaded.
   */
  expectedModelId?: string;
}

async function checkModelId(modelDir: string | undefined, expected: string, logger: Logger): Promise<void> {
  if (modelDir === undefined) throw new ServingConfigError(`An expected model id (${expected}, MAILROUTE_MODEL_ID) needs a model directory to check (--model-dir, or --sagemaker's /opt/ml/model).`);
  const held = await manifestModelId(modelDir);
  if (held === expected) return;
  logger.error('model_id_mismatch', { modelDir, manifestModelId: held, expectedModelId: expected });
  throw new ModelLoadError(
    `${modelDir} holds model ${held}, not ${expected} (MAILROUTE_MODEL_ID): the model points at another model's artifact; refusing to serve it. Register the model again from its own artifact directory.`,
  );
}

/** The log event of each way the store is lost until a restart. */
const LOST_EVENT: Record<StoreLostKind, string> = { 'file-gone': 'store_file_lost', 'writer-gone': 'store_writer_lost', corrupt: 'store_corrupt' };

/** Why SQLite failed, in the words of the log: what an operator looks at first. */
const LOST_BECAUSE: Record<SqliteWriteProblem, string> = {
  locked: 'the SQLite database was locked by another connection (a backup or a sqlite3 shell?) past the busy timeout',
  full: 'the disk of the SQLite database is full (free space: later predictions are stored again)',
  'read-only': 'the SQLite database cannot be written: it, or its file system, is read-only (remounted read-only after disk errors?)',
  io: 'the disk failed to read or write the SQLite database (an I/O error, or its file system remounted read-only after disk errors: check the disk and the system log)',
  'file-gone': 'the SQLite database file was deleted or replaced while the server ran (restart the server to create a new one)',
  'writer-gone': 'the SQLite writer thread ended (restart the server)',
  corrupt: 'the SQLite database file is damaged (restore it from a backup, without the -wal and -shm files beside it, and restart the server)',
};

/**
 * What the log says of queued predictions that failed to commit. Nobody can retry them (their answers went out), so
 * the cause is said as it is (a locked database, a full disk, a read-only or failing one, a deleted file): the 503's
 * advice to a caller ("retry after Retry-After") is none for the log, and `cause` alone was read past.
 */
export function lostWriteDetail(error: Error): string {
  const problem = sqliteWriteProblem(error.cause) ?? sqliteWriteProblem(error);
  if (problem !== undefined) return `answered predictions not stored: ${LOST_BECAUSE[problem]}`;
  return error.message;
}

/**
 * What the log says of a retention prune that failed: its own event (`prune_failed`), not a lost write, as no
 * prediction or feedback was lost: the records older than `before` stay until a prune succeeds (the next, within the hour).
 */
export function pruneFailedDetail(error: Error, before: string): string {
  const problem = sqliteWriteProblem(error.cause) ?? sqliteWriteProblem(error);
  const why = problem === undefined ? error.message : PRUNE_FAILED_BECAUSE[problem];
  return `pruning records older than ${before} failed: ${why} (they are kept until a prune succeeds; the next runs within the hour)`;
}

/** Why SQLite failed a prune, in the words of the log. */
const PRUNE_FAILED_BECAUSE: Record<SqliteWriteProblem, string> = {
  ...LOST_BECAUSE,
  full: 'the disk of the SQLite database is full (a prune needs some free space for its deletes)',
};

/** How stored text is masked: off, the built-in detectors, or those after the institution's own patterns. */
function storedTextMasking(options: LocalServingOptions): boolean | ((text: string, knownNames?: readonly string[]) => string) {
  const patterns = options.piiPatterns ?? [];
  // Patterns mask stored text only: without it they would do nothing, which a caller should hear of.
  if (patterns.length > 0 && options.storeText !== true) throw new ServingConfigError('PII patterns mask the stored text of predictions: they need storeText (--store-text).');
  if (options.storeText !== true || patterns.length === 0) return options.storeText === true;
  // Described, so that a model thread masks with the same patterns where it cleans, off the request thread.
  return patternMasking(patterns);
}

/** The store's options given to a server that keeps no predictions: said, rather than dropped unseen. */
function refuseStoreOptions(options: LocalServingOptions): void {
  const given = [
    options.storeText === true && 'storeText (--store-text)',
    options.retentionDays !== undefined && 'retentionDays (--retention-days)',
    options.predictionBufferMs !== undefined && 'predictionBufferMs (--prediction-buffer-ms)',
  ].filter((g) => g !== false);
  if (given.length > 0) throw new ServingConfigError(`A server that keeps no predictions (keepPredictions: false, the SageMaker container) has no database: ${given.join(', ')} would do nothing.`);
}

/** The local default wiring: local registry (or a fixed model dir), SQLite store (or none), keys file; model loaded. */
export async function createLocalServing(options: LocalServingOptions): Promise<ServingApp> {
  const logger = options.logger ?? silentLogger;
  const keep = options.keepPredictions !== false;
  if (!keep) refuseStoreOptions(options);
  // The database and the keys live in the home even when the model comes from a directory; a server with
  // neither (and a model directory) does not read it.
  if (keep || !options.withoutApiKeys || options.modelDir === undefined) checkHomeDirectory(options.home);
  if (options.expectedModelId !== undefined) await checkModelId(options.modelDir, options.expectedModelId, logger);
  const registry = options.modelDir ? undefined : createLocalRegistry({ home: options.home });
  const metrics = createServingMetrics();
  const { source, trainingDistribution } = createLocalModelSource({
    registry,
    modelDir: options.modelDir,
    logger,
    threads: options.modelThreads,
    inlineEmails: options.inlineEmails,
    onThreadFailure: (event) => metrics.modelThreadFailures.inc({ event }),
  });
  const auth = options.withoutApiKeys
    ? loadAuth(undefined)
    : options.apiKeysFile !== undefined
      ? loadAuth(options.apiKeysFile, { required: true, logger })
      : loadAuth(path.join(options.home, API_KEYS_FILE), { logger });
  await source.reload(); // the first model must load, or there is nothing to serve
  const writeFailures = createWriteFailureLog(logger, systemClock);
  const store = keep
    ? createSqliteStore({
        file: path.join(options.home, DB_FILE),
        bufferMs: options.predictionBufferMs,
        retentionDays: options.retentionDays,
        // Queued predictions fail after their answer has gone: counted, and logged (rate-limited), as nobody awaits them.
        onError: (error, records) => {
          metrics.storeWriteFailures.inc({}, records);
          writeFailures.failed({ detail: lostWriteDetail(error), cause: String(error.cause), records });
        },
        // A read-only file system or a failing disk: said once (the store is not ready until a write commits), and its end.
        onWritesFailing: (error) => logger.error('store_unwritable', { detail: error.message, reason: error.reason, cause: String(error.cause) }),
        onWritesRecovered: (report) => writeFailures.recovered(report),
        onWarning: (message) => logger.warn(message),
        // An older file brought up to this data version: said once, with where the copy made before it is kept.
        onUpgraded: (r) => logger.info('store_data_upgraded', { file: r.file, fromVersion: r.fromVersion, toVersion: r.toVersion, copy: r.copy ?? null, detail: r.message }),
        // The retention prune (at start, then hourly): what it deleted, or why it failed, each its own event.
        onPruned: (report) =>
          logger.info('retention prune deleted old records', { predictions: report.predictions, feedback: report.feedback, before: report.before, durationMs: Math.round(report.durationMs) }),
        onPruneError: (error, before) => logger.error('prune_failed', { detail: pruneFailedDetail(error, before), cause: String(error.cause) }),
        // The database file deleted (or replaced) under the server, found damaged, or the writer thread ended: said once;
        // every write (and read) is refused from then on, and the server is not ready.
        onLost: (problem, kind) => logger.error(LOST_EVENT[kind], { detail: problem }),
      })
    : noStore;
  // Feedback that closed before the store's retention would be pruned at once: the feedback route refuses it.
  const limits = keep ? { ...options.limits, feedbackRetentionDays: options.retentionDays ?? DEFAULT_RETENTION_DAYS } : options.limits;
  const serving = createApp({ classifierSource: source, registry, store, auth, limits, logger, storeText: storedTextMasking(options), timeZone: options.timeZone, trainingDistribution, metrics, accessLog: options.accessLog });
  if (registry && (options.pollSeconds ?? 5) > 0) source.startPolling((options.pollSeconds ?? 5) * 1000);
  return serving;
}
