/**
 * Names shared by the AWS adapters and the Pulumi program that deploys them: the Lambda environment
 * variables, the DynamoDB table layout, the live-quality metric, which instance types take a volume
 * key (hasInstanceStorage), and what a per-client OAuth scope may be (oauthScopeProblem). This module imports nothing, so the
 * program reads it as `@mailroute/aws/contracts` without loading the AWS SDK; both sides use these
 * objects, so they cannot drift apart.
 */

/** Environment variable names of the API Lambda. */
export const API_ENV = {
  endpointName: 'MAILROUTE_ENDPOINT_NAME',
  tableName: 'MAILROUTE_TABLE_NAME',
  artifactBucket: 'MAILROUTE_ARTIFACT_BUCKET',
  modelsPrefix: 'MAILROUTE_MODELS_PREFIX',
  feedbackTtlDays: 'MAILROUTE_FEEDBACK_TTL_DAYS',
  environment: 'MAILROUTE_ENVIRONMENT',
  /** The request body limit in bytes (stack config `mailroute:api.maxBodyBytes`), at most LAMBDA_MAX_BODY_BYTES. */
  maxBodyBytes: 'MAILROUTE_MAX_BODY_BYTES',
  /** The request deadline in ms before the app's 503 REQUEST_TIMEOUT: lambdaRequestTimeoutMs of the function's timeout. */
  requestTimeoutMs: 'MAILROUTE_REQUEST_TIMEOUT_MS',
  /** The IANA time zone of the CRM's times sent without one (stack config `mailroute:api.timeZone`); unset: UTC. */
  timeZone: 'MAILROUTE_TIME_ZONE',
  /**
   * `true`: keep a PII-masked copy of each email's text (and attachment names) with its prediction, as `serve
   * --store-text` does, for `mailroute feedback export --dynamodb-table` (stack config `mailroute:feedback.storeText`); unset: none.
   */
  storeText: 'MAILROUTE_STORE_TEXT',
  /**
   * JSON `{"classify": "<OAuth scope>", "feedback": "<OAuth scope>"}` (stack config `mailroute:api.scopes`): a caller
   * gets each mailroute scope whose OAuth scope its access token carries; unset: every allow-listed client gets both.
   */
  tokenScopes: 'MAILROUTE_TOKEN_SCOPES',
} as const;

/** The mailroute scopes a caller of the public API can be granted, each by one OAuth scope of its access token. */
export const TOKEN_SCOPE_KEYS = ['classify', 'feedback'] as const;
export type TokenScopeKey = (typeof TOKEN_SCOPE_KEYS)[number];
/** The OAuth scope that grants each mailroute scope (`mailroute:api.scopes`, MAILROUTE_TOKEN_SCOPES). */
export type TokenScopes = Record<TokenScopeKey, string>;

/** RFC 6749 3.3's scope-token: printable ASCII but space, `"` and `\`. */
const OAUTH_SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * Why `scope` cannot be one scope of an access token's `scope` claim, or undefined: that claim is a space-separated
 * list, so a scope with a space could never match. Here too (config and Lambda both check it), as this module imports nothing.
 */
export function oauthScopeProblem(scope: string): string | undefined {
  if (scope === '') return 'empty: name the OAuth scope the token carries, such as mailroute/classify';
  if (/\s/.test(scope)) return `"${scope.slice(0, 80)}" has a space: one OAuth scope has none (a token's scope claim separates its scopes with spaces)`;
  if (!OAUTH_SCOPE_TOKEN.test(scope)) return `"${scope.slice(0, 80)}" is not an OAuth scope: printable ASCII without " or \\ (RFC 6749, section 3.3)`;
  return undefined;
}

/** Why `scopes` cannot tell the mailroute scopes apart (one OAuth scope granting two of them), or undefined. */
export function sameTokenScopeProblem(scopes: TokenScopes): string | undefined {
  if (scopes.classify !== scopes.feedback) return undefined;
  return `classify and feedback both need "${scopes.classify}": give each its own OAuth scope, or a client allowed to classify could post feedback too`;
}

/** Whether this runtime knows the IANA time zone `name` (`Europe/Berlin`). Here too, as this module imports nothing. */
export function knownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * The API Lambda's request deadline for a function timeout (stack config `serving.lambdaTimeoutSeconds`, 1-29):
 * 2 s under it, so the app answers its 503 with Retry-After before Lambda ends the function (API Gateway would
 * answer a bare error), and at most 27 s, under API Gateway's 29 s; at least 500 ms.
 */
export function lambdaRequestTimeoutMs(timeoutSeconds: number): number {
  return Math.max(500, Math.min(27_000, timeoutSeconds * 1000 - 2000));
}

/** The API Lambda's default body limit: serving's, 1 MiB. */
export const LAMBDA_DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * The most the API Lambda's body limit may be: 4 MiB. A synchronous Lambda invocation takes 6 MiB of event
 * (API Gateway's HTTP API would take 10 MB, so Lambda's limit is the one that binds), and API Gateway
 * base64-encodes a binary body (`/v1/classify/eml`'s message/rfc822) into it: 4 MiB becomes 5.33 MiB,
 * leaving about 0.67 MiB for the headers, the request context and the escaping of a JSON body in the event.
 */
export const LAMBDA_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Environment variable names of the deployer Lambda. */
export const DEPLOYER_ENV = {
  endpointName: 'MAILROUTE_ENDPOINT_NAME',
  modelPackageGroupName: 'MAILROUTE_MODEL_PACKAGE_GROUP',
  executionRoleArn: 'MAILROUTE_SAGEMAKER_ROLE_ARN',
  instanceType: 'MAILROUTE_INSTANCE_TYPE',
  initialInstanceCount: 'MAILROUTE_INSTANCE_COUNT',
  subnetIds: 'MAILROUTE_SUBNET_IDS',
  securityGroupIds: 'MAILROUTE_SECURITY_GROUP_IDS',
  kmsKeyArn: 'MAILROUTE_KMS_KEY_ARN',
  rollbackAlarmNames: 'MAILROUTE_ROLLBACK_ALARMS',
  /** The stack's tags (environment, service, cost-centre) as a JSON object: put on every model, config and endpoint it creates. */
  resourceTags: 'MAILROUTE_RESOURCE_TAGS',
} as const;

/** Environment variable names of the quality reporter Lambda. */
export const QUALITY_ENV = {
  tableName: 'MAILROUTE_TABLE_NAME',
  artifactBucket: 'MAILROUTE_ARTIFACT_BUCKET',
  modelsPrefix: 'MAILROUTE_MODELS_PREFIX',
  environment: 'MAILROUTE_ENVIRONMENT',
  windowDays: 'MAILROUTE_QUALITY_WINDOW_DAYS',
  minFeedback: 'MAILROUTE_QUALITY_MIN_FEEDBACK',
} as const;

/** Single-table layout of the prediction and feedback store; keep the names stable (live tables use them). */
export const DYNAMO_TABLE_LAYOUT = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Newest prediction per email: gsi1pk = EMAIL#<emailId>, gsi1sk = <createdAt>#<predictionId>. */
  byEmailIndex: { name: 'by-email', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** Predictions per UTC day: gsi2pk = DAY#<yyyy-mm-dd>, gsi2sk = <createdAt>#<predictionId>. */
  byDayIndex: { name: 'by-day', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  /**
   * Judged predictions (their email has feedback) per UTC day, a sparse index: saving feedback copies the
   * email's predictions' gsi2pk/gsi2sk into gsi3pk/gsi3sk, so only judged predictions carry them.
   */
  judgedByDayIndex: { name: 'judged-by-day', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  ttlAttribute: 'expiresAt',
} as const;

/** Every secondary index of the table: the table defines them, and the API's role may read them all. */
export const DYNAMO_TABLE_INDEXES = [DYNAMO_TABLE_LAYOUT.byEmailIndex, DYNAMO_TABLE_LAYOUT.byDayIndex, DYNAMO_TABLE_LAYOUT.judgedByDayIndex] as const;

/**
 * The metrics the quality reporter publishes: `name` (macro F1), which the "live-quality" alarm watches,
 * `feedbackCount` (the confirmed cases it was measured on), which the dashboard's feedback volume widget draws, and
 * `recentFeedback` (the cases closed in the day before each run, 0 too, once a model is measured), which the
 * "live-feedback-stopped" alarm watches.
 */
export const QUALITY_METRIC = { namespace: 'Mailroute/Quality', name: 'LiveMacroF1', feedbackCount: 'LiveFeedbackCount', recentFeedback: 'LiveFeedbackLastDay' } as const;

/**
 * The retraining job's container contract (a SageMaker training job): the retraining pipeline's Train step
 * runs the serving image with the argument `train`; the image's entry reads the CRM exports and the training
 * config from these input channels under /opt/ml/input/data/, the hyperparameters from
 * /opt/ml/input/config/hyperparameters.json, and leaves the trained model's artifact directory (manifest.json
 * and every file it lists) in /opt/ml/model, which the job uploads uncompressed (CompressionType NONE).
 */
export const TRAINING_JOB = {
  /** The argument SageMaker passes to the image: `docker run <image> train`. */
  command: 'train',
  /**
   * Input channel of the CRM exports: every .csv, .jsonl, .ndjson and .json file in it, read in path order (a
   * .json file as the config's "format" says: CSV or JSONL, never a JSON array); any other file fails the job.
   */
  dataChannel: 'training',
  /** Input channel of the training config (JSON, the training package's schema). */
  configChannel: 'config',
  /** Hyperparameter naming the config file inside the config channel. */
  configHyperparameter: 'config',
  /** The config file read when the hyperparameter is not set. */
  defaultConfigFile: 'train-config.json',
  /** Hyperparameter: a note recorded on the model version (the pipeline sets its execution id). */
  noteHyperparameter: 'note',
} as const;

/** Environment variable names of the feedback-export Lambda, the retraining pipeline's ExportFeedback step. */
export const FEEDBACK_EXPORT_ENV = {
  /** The prediction and feedback table (the API Lambda's). */
  tableName: 'MAILROUTE_TABLE_NAME',
  artifactBucket: 'MAILROUTE_ARTIFACT_BUCKET',
  /** The prefix the step reads the config from and writes the file under (the SageMaker role's `data/`). */
  dataPrefix: 'MAILROUTE_DATA_PREFIX',
} as const;

/**
 * The ExportFeedback step's names: the Lambda step passes `inputs` as the event's keys (the pipeline's TrainingDataUri
 * and ConfigUri parameters), and the Lambda's answer carries `outputs` (the count of cases written, the file's URI).
 * The file is `file` + `.csv` or `.jsonl` (the config's format) under TrainingDataUri, replaced at each run.
 */
export const FEEDBACK_EXPORT_STEP = {
  inputs: { trainingDataUri: 'TrainingDataUri', configUri: 'ConfigUri' },
  outputs: { cases: 'FeedbackCases', uri: 'FeedbackUri' },
  file: 'mailroute-feedback/confirmed-cases',
} as const;

/** Environment variable names of the register Lambda, the retraining pipeline's Register step. */
export const REGISTER_ENV = {
  artifactBucket: 'MAILROUTE_ARTIFACT_BUCKET',
  modelsPrefix: 'MAILROUTE_MODELS_PREFIX',
  modelPackageGroupName: 'MAILROUTE_MODEL_PACKAGE_GROUP',
  /** The serving image the model package names (ECR URI with tag). */
  inferenceImage: 'MAILROUTE_INFERENCE_IMAGE',
  /** The bucket prefix training jobs write their output under: the only place the Lambda registers from. */
  trainingOutputPrefix: 'MAILROUTE_TRAINING_OUTPUT_PREFIX',
} as const;

/**
 * The Register step's names: the Lambda step passes `inputs` as the event's keys (the artifact's S3 prefix,
 * the Train step's ModelArtifacts.S3ModelArtifacts, and a note), and the Lambda's answer carries `outputs`.
 */
export const REGISTER_STEP = {
  inputs: { artifactUri: 'ArtifactUri', note: 'Note' },
  outputs: { modelId: 'ModelId', modelPackageArn: 'ModelPackageArn' },
} as const;

/**
 * Whether a SageMaker instance type has local NVMe instance storage, which SageMaker encrypts in hardware and
 * for which it refuses a volume key: CreateTrainingJob a VolumeKmsKeyId, CreateEndpointConfig a KmsKeyId. The
 * families with a `d` in their attributes (c5d, m6id, g4dn, p4d ...) and those whose every size has it (g5,
 * g6, g6e, p5, trn1, dl1). The Pulumi program (training job, bootstrap endpoint config) and the deployer
 * (each deployment's endpoint config) both ask it.
 */
export function hasInstanceStorage(instanceType: string): boolean {
  const family = instanceType.split('.')[1] ?? '';
  if (/^(g5|g6|g6e|gr6|p5|p5e|p5en|trn1|trn1n|trn2|dl1)$/.test(family)) return true;
  return /^[a-z]+\d+[a-z]*d[a-z]*$/.test(family);
}

/**
 * The HTTP API's routes, every one behind its JWT authorizer: the only requests API Gateway hands the API Lambda.
 * infra creates them (`API_ROUTES`); the Lambda's OpenAPI document lists what they reach.
 */
export const GATEWAY_ROUTES = ['ANY /v1/{proxy+}', 'GET /openapi.json'] as const;
