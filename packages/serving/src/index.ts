// Public API of @mailroute/serving: named exports only.
export type { PredictionRecord, FeedbackRecord, FeedbackOutcome, FeedbackClearing, FeedbackPair, PairWindow, PredictionStore } from './store/types.js';
export { windowBounds } from './store/pair-window.js';
export { createApp, maskPii, type AppOptions, type ServingApp } from './app.js';
export { storedText } from './routes/classify-core.js';
export type { ApiDocumentOptions, HttpSecurityScheme } from './routes/api-document.js';
export type { AppContext, AppEnv, ServingHono, TrainingDistribution } from './http/context.js';
export { LimitsSchema, MAX_BODY_BYTES, SAGEMAKER_BODY_LIMIT, SERVE_BODY_LIMIT, type BodyLimitSetting, type Limits, type LimitsInput } from './http/limits.js';
export { logLine, silentLogger, systemClock, type Logger, type Clock } from './http/logger.js';
export { problem, toProblem, PROBLEM_CONTENT_TYPE, type Problem } from './http/problem.js';
export {
  SCOPES,
  ApiKeyEntrySchema,
  ApiKeyFileSchema,
  RateLimitSchema,
  createApiKeyAuth,
  createNoAuth,
  hashApiKey,
  generateApiKey,
  type Scope,
  type ApiKeyEntry,
  type ApiKeyFile,
  type RateLimit,
  type Auth,
  type Principal,
} from './auth/api-keys.js';
export {
  createClassifierSource,
  createStaticClassifierSource,
  registryTarget,
  type ClassifierSource,
  type ClassifierSourceOptions,
  type ClassifierLease,
  type ClassifierStatus,
  type ModelTarget,
  type ReloadOutcome,
  type SourceEvent,
} from './model/classifier-source.js';
export { verifyClassifier } from './model/verify.js';
export { createSqliteStore, readFailureMessage, type SqliteStoreOptions } from './store/sqlite-store.js';
export { snapshotSqlite, sqliteSnapshotFacts, type SqliteSnapshotFacts } from './store/sqlite-snapshot.js';
export { noStore } from './store/no-store.js';
export { iterateConfirmedCases, readConfirmedCases, type ConfirmedCase } from './store/confirmed-cases.js';
export { lookupCase, LOOKUP_MAX_PREDICTIONS, type StoredCase } from './store/case-lookup.js';
export { STORE_SCHEMA_VERSION, storeCopiesBeside } from './store/sqlite-migration.js';
export { eraseEmailRecords, type EraseCheckpoint, type EraseOptions, type EraseReport, type ErasedEmail } from './store/sqlite-erase.js';
export { computeLiveQuality, computeLiveQualityInTurns, type LiveQuality, type TaskInfo, type TaskScorer } from './quality/live-quality.js';
export { populationStabilityIndex, jensenShannon } from './quality/drift.js';
export { createServingMetrics, type ServingMetrics } from './metrics/serving-metrics.js';
export { startNodeServer, closeOnSignals, isLoopback, DEFAULT_MAX_CONNECTIONS, type NodeServerOptions, type RunningServer } from './adapters/node-server.js';
export { createLambdaHandler, type LambdaHandler } from './adapters/lambda.js';
export * from './errors.js';
export { createLocalModelSource, trainingDistributionOf, type LocalModelSource, type LocalModelSourceOptions } from './model/local-model.js';
export { createLocalServing, loadAuth, DB_FILE, API_KEYS_FILE, type LocalServingOptions } from './local-serving.js';
export { addApiKey, revokeApiKey, readKeyFile, checkKeyFilePermissions, createKeyFileAuth, KEY_FILE_CHECK_MS, type KeyFileAuth } from './auth/key-file.js';
export { createLabelNamer, type LabelNamer } from './quality/label-names.js';
