import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { ServedRouting } from '@mailroute/model';
import {
  createApp,
  createLambdaHandler,
  createStaticClassifierSource,
  type BodyLimitSetting,
  type LambdaHandler,
  type Logger,
  type ServingApp,
} from '@mailroute/serving';
import { RegistryArtifactError } from '../errors.js';
import { DynamoPredictionStore } from '../dynamo-prediction-store.js';
import { SageMakerEndpointClassifier } from '../sagemaker-endpoint-classifier.js';
import { gatewayApiDocument } from './api-document.js';
import { createGatewayJwtAuth, readTokenScopes } from './gateway-auth.js';
import { BOOTSTRAP_MODEL, loadChampionTasks, loadModelInfo, loadModelTasks, loadTrainingDistribution, ManifestCache } from './champion-tasks.js';
import { API_ENV, knownTimeZone, LAMBDA_DEFAULT_MAX_BODY_BYTES, LAMBDA_MAX_BODY_BYTES, lambdaRequestTimeoutMs } from '../contracts.js';
import { configFromEnv, KeyPrefixSchema } from '../lambda-env.js';


/**
 * The request timeout on Lambda when the stack sets none (MAILROUTE_REQUEST_TIMEOUT_MS, from the function's
 * timeout: lambdaRequestTimeoutMs), and its ceiling: under API Gateway's 29 s integration timeout, so the app
 * answers its 503 before the gateway's bare 504, and well over the server's 10 s: a `/v1/quality` answer of
 * many DynamoDB pages, read one after another, is sized for the gateway's limit, not the server's.
 */
const LAMBDA_REQUEST_TIMEOUT_MS = lambdaRequestTimeoutMs(29);

const ApiConfigSchema = z.object({
  endpointName: z.string().min(1),
  tableName: z.string().min(1),
  artifactBucket: z.string().min(1),
  modelsPrefix: KeyPrefixSchema.default('models/'),
  feedbackTtlDays: z.coerce.number().int().min(1).default(400),
  maxBodyBytes: z.coerce.number().int().min(1).max(LAMBDA_MAX_BODY_BYTES).default(LAMBDA_DEFAULT_MAX_BODY_BYTES),
  requestTimeoutMs: z.coerce.number().int().min(1).max(LAMBDA_REQUEST_TIMEOUT_MS).default(LAMBDA_REQUEST_TIMEOUT_MS),
  timeZone: z.string().refine(knownTimeZone, { error: 'not a time zone this runtime knows (an IANA name such as Europe/Berlin)' }).optional(),
  storeText: z
    .enum(['true', 'false'], { error: 'true or false' })
    .optional()
    .transform((value) => value === 'true'),
  // Malformed, the Lambda fails at cold start naming the variable: read as unset, it would grant every caller both scopes.
  tokenScopes: z
    .string()
    .transform((text, ctx) => {
      const read = readTokenScopes(text);
      if ('scopes' in read) return read.scopes;
      ctx.addIssue({ code: 'custom', message: read.problem });
      return z.NEVER;
    })
    .optional(),
});
export type ApiLambdaConfig = z.infer<typeof ApiConfigSchema>;

export function apiConfigFromEnv(env: Record<string, string | undefined>): ApiLambdaConfig {
  return configFromEnv(ApiConfigSchema, API_ENV, env, 'API Lambda');
}

export interface AwsServingDeps {
  s3: S3Client;
  runtime: SageMakerRuntimeClient;
  dynamo: DynamoDBDocumentClient;
  logger?: Logger;
}

/**
 * How long one attempt of an SDK call may take, connecting and answering: the SDK sets no limit, so a call that hangs
 * (an endpoint or a connection that never answers) held the invocation until Lambda ended it and API Gateway answered
 * its own plain 5xx. An endpoint scores a batch in well under a second; its 3 attempts stay within the request timeout.
 */
export const SDK_TIMEOUTS = {
  sagemaker: { connectionTimeout: 3_000, requestTimeout: 10_000 },
  s3: { connectionTimeout: 3_000, requestTimeout: 5_000 },
  dynamodb: { connectionTimeout: 3_000, requestTimeout: 5_000 },
} as const;

/** SDK clients for the Lambda's region (from the Lambda environment), created once per container, each with SDK_TIMEOUTS. */
export function defaultAwsServingDeps(logger?: Logger): AwsServingDeps {
  return {
    s3: new S3Client({ requestHandler: SDK_TIMEOUTS.s3 }),
    runtime: new SageMakerRuntimeClient({ requestHandler: SDK_TIMEOUTS.sagemaker }),
    dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({ requestHandler: SDK_TIMEOUTS.dynamodb }), { marshallOptions: { removeUndefinedValues: true } }),
    logger,
  };
}

/** The serving app wired with the AWS adapters: the endpoint as classifier, DynamoDB as store. */
export async function createAwsServing(config: ApiLambdaConfig, deps: AwsServingDeps): Promise<ServingApp> {
  const manifests = new ManifestCache(deps.s3, config.artifactBucket);
  const { modelId, tasks, routing } = await loadChampionTasks(deps.s3, config.artifactBucket, config.modelsPrefix, manifests);
  // How each model read routes (its manifest's), for /v1/model: read with its tasks.
  const routings = new Map<string, ServedRouting>();
  if (routing !== undefined) routings.set(modelId, routing);
  const classifier = new SageMakerEndpointClassifier({
    client: deps.runtime,
    endpointName: config.endpointName,
    tasks,
    modelId,
    // The endpoint says which model serves; champion.json can lag behind it (an approval in the console,
    // a rollback), so the tasks follow every answer's model id, starting with one canary call.
    tasksOf: async (id) => {
      try {
        const info = await loadModelInfo(deps.s3, config.artifactBucket, config.modelsPrefix, id, manifests);
        if (info.routing !== undefined) routings.set(id, info.routing);
        return info.tasks;
      } catch (error) {
        // Before the first approval the endpoint serves the bootstrap artifact, whose manifest names its
        // own model id: it has no directory of that id, and its tasks are the bootstrap manifest's.
        if (error instanceof RegistryArtifactError && modelId === BOOTSTRAP_MODEL) {
          if (routing !== undefined) routings.set(id, routing);
          return tasks;
        }
        throw error;
      }
    },
    routingOf: (id) => routings.get(id),
  });
  await classifier.refresh();
  const source = createStaticClassifierSource(classifier);
  await source.reload();
  const store = new DynamoPredictionStore({ client: deps.dynamo, tableName: config.tableName, retentionDays: config.feedbackTtlDays, logger: deps.logger });
  // What /v1/quality measures drift against: the serving model's training label shares, read once per model
  // (a failed read is tried again at the next request, and drift falls back to the previous window meanwhile).
  const distributions = new Map<string, Promise<Record<string, Record<string, number>> | undefined>>();
  const trainingDistribution = async (id: string) => {
    let pending = distributions.get(id);
    if (pending === undefined) {
      pending = loadTrainingDistribution(deps.s3, config.artifactBucket, config.modelsPrefix, id, manifests);
      distributions.set(id, pending);
    }
    try {
      return await pending;
    } catch (error) {
      distributions.delete(id);
      deps.logger?.warn('training distribution unread: drift is measured against the previous window', { modelId: id, error: (error as Error).message });
      return undefined;
    }
  };
  return createApp({
    trainingDistribution,
    classifierSource: source,
    store,
    // Per-client scopes from the token's OAuth scopes where the stack maps them (mailroute:api.scopes).
    auth: createGatewayJwtAuth(config.tokenScopes),
    // What API Gateway's callers reach: its routes (no admin), its JWT authorizer and the scopes it needs, its own answers.
    apiDocument: gatewayApiDocument(config.tokenScopes),
    logger: deps.logger,
    modelTasks: (id) => loadModelTasks(deps.s3, config.artifactBucket, config.modelsPrefix, id, manifests),
    timeZone: config.timeZone,
    // Masked as on Node (redactPii, names and addresses too) before it is written; for the feedback export.
    storeText: config.storeText,
    // DynamoDB pages and BatchGets cost far more than a local SQLite read: a quality answer must fit API Gateway's 29 s.
    // Feedback that closed before the TTL would be expired on arrival (reads skip it): the route refuses it.
    // The body limit is the stack's (its 413 names that key, not serve's flag), bounded by Lambda's payload.
    limits: {
      requestTimeoutMs: config.requestTimeoutMs,
      qualityMaxPredictions: LAMBDA_QUALITY_MAX_PREDICTIONS,
      feedbackRetentionDays: config.feedbackTtlDays,
      maxBodyBytes: config.maxBodyBytes,
      bodyLimitSetting: LAMBDA_BODY_LIMIT,
    },
  });
}

/** What the API Lambda's 413 advises: the stack config key that sets its environment variable, up to 4 MiB. */
const LAMBDA_BODY_LIMIT: BodyLimitSetting = {
  setting: `the stack config key mailroute:api.maxBodyBytes (the API Lambda's ${API_ENV.maxBodyBytes})`,
  ceiling: LAMBDA_MAX_BODY_BYTES,
  because: "what Lambda's 6 MB invocation payload holds once API Gateway has base64-encoded a binary body",
};

/** Predictions one `/v1/quality` answer reads on Lambda (the server's default is 100,000). */
const LAMBDA_QUALITY_MAX_PREDICTIONS = 20_000;

/** The API Lambda's handler: config from the environment, app built on the first event. */
export function createApiLambdaHandler(env: Record<string, string | undefined>, deps?: AwsServingDeps): LambdaHandler {
  const given = deps ?? defaultAwsServingDeps();
  // Every log line names the stack's environment (MAILROUTE_ENVIRONMENT), as the quality Lambda's metrics do.
  const environment = env[API_ENV.environment];
  const resolved = given.logger && environment ? { ...given, logger: withFields(given.logger, { environment }) } : given;
  return createLambdaHandler(async () => createAwsServing(apiConfigFromEnv(env), resolved), { logger: resolved.logger });
}

/** The logger with `fields` on every line (a line's own fields win). */
function withFields(logger: Logger, fields: Record<string, unknown>): Logger {
  return {
    info: (message, own) => logger.info(message, { ...fields, ...own }),
    warn: (message, own) => logger.warn(message, { ...fields, ...own }),
    error: (message, own) => logger.error(message, { ...fields, ...own }),
  };
}
