import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createLocalRegistry } from '@mailroute/model';
import { createApp, type ServingApp } from './app.js';
import { ApiKeyFileSchema, createApiKeyAuth, createNoAuth, type Auth } from './auth/api-keys.js';
import { ServingConfigError } from './errors.js';
import type { LimitsInput } from './http/limits.js';
import { silentLogger, type Logger } from './http/logger.js';
import { createLocalModelSource } from './model/local-model.js';
import { createSqliteStore } from './store/sqlite-store.js';

export const DB_FILE = 'mailroute.db';
export const API_KEYS_FILE = 'api-keys.json';

/** API keys from a JSON file (`{ "keys": [{ id, sha256, scopes, rateLimit? }] }`), or none when it is absent. */
export function loadAuth(file: string | undefined): Auth {
  if (file === undefined || !existsSync(file)) return createNoAuth();
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ServingConfigError(`API key file ${file} is not valid JSON.`, {}, { cause: error });
  }
  const parsed = ApiKeyFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ServingConfigError(`API key file ${file}: ${issue.path.join('.')}: ${issue.message}`);
  }
  if (parsed.data.keys.length === 0) return createNoAuth();
  return createApiKeyAuth(parsed.data.keys);
}

export interface LocalServingOptions {
  /** `MAILROUTE_HOME`: registry, `mailroute.db`, `api-keys.json`. */
  home: string;
  /** Serve this artifact directory instead of the registry champion (SageMaker: /opt/ml/model). */
  modelDir?: string;
  apiKeysFile?: string;
  limits?: LimitsInput;
  /** Keep PII-masked text with each prediction. */
  storeText?: boolean;
  /** Seconds between champion checks (0: no polling). */
  pollSeconds?: number;
  logger?: Logger;
}

/** The local default wiring: local registry (or a fixed model dir), SQLite store, keys file; model loaded. */
export async function createLocalServing(options: LocalServingOptions): Promise<ServingApp> {
  const logger = options.logger ?? silentLogger;
  const registry = options.modelDir ? undefined : createLocalRegistry({ home: options.home });
  const { source, trainingDistribution } = createLocalModelSource({ registry, modelDir: options.modelDir, logger });
  const auth = loadAuth(options.apiKeysFile ?? path.join(options.home, API_KEYS_FILE));
  await source.reload(); // the first model must load, or there is nothing to serve
  const store = createSqliteStore({ file: path.join(options.home, DB_FILE) });
  const serving = createApp({ classifierSource: source, registry, store, auth, limits: options.limits, logger, storeText: options.storeText, trainingDistribution });
  if (registry && (options.pollSeconds ?? 5) > 0) source.startPolling((options.pollSeconds ?? 5) * 1000);
  return serving;
}
