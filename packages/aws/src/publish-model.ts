import path from 'node:path';
import { createLocalRegistry, type ModelVersion } from '@mailroute/model';
import type { S3SageMakerRegistry } from './s3-sagemaker-registry.js';

export interface PublishModelOptions {
  /** The stack's registry (its bucket and model package group). */
  registry: Pick<S3SageMakerRegistry, 'registerPackage' | 'artifactUri'>;
  /** A model of the local registry (`MAILROUTE_HOME`), by id... */
  modelId?: string;
  /** ...or an artifact directory (one with a manifest.json). */
  artifactDir?: string;
  /** `MAILROUTE_HOME`, for `modelId`. */
  home?: string;
  note?: string;
}

/**
 * Puts a locally trained model into the stack: its files under the bucket's models prefix and a model package
 * (PendingManualApproval) in the group. Approving the package (console or `aws sagemaker
 * update-model-package`) then deploys it. Every file the manifest lists is checked against its sha256 before
 * anything is uploaded (the registry's `register`; REGISTRY_ARTIFACT_INVALID names the file), and a local
 * model's manifest against its registry entry too. Answers the version, the model package's ARN, and where its files are.
 */
export async function publishModel(
  options: PublishModelOptions,
): Promise<{ version: ModelVersion; modelPackageArn: string; artifactDir: string; s3Uri: string }> {
  if ((options.modelId === undefined) === (options.artifactDir === undefined)) throw new RangeError('give a local model id or an artifact directory, one of them');
  let dir: string;
  let note = options.note;
  let runId: string | undefined;
  if (options.modelId !== undefined) {
    if (!options.home) throw new RangeError('a local model id needs MAILROUTE_HOME (--home) to find it');
    const local = createLocalRegistry({ home: options.home });
    const entry = await local.get(options.modelId); // REGISTRY_NOT_FOUND names the ids near it
    dir = await local.artifactDir(options.modelId); // REGISTRY_ARTIFACT_TAMPERED when its files changed
    note ??= entry.note;
    runId = entry.runId;
  } else {
    dir = path.resolve(options.artifactDir as string);
  }
  const { version, modelPackageArn } = await options.registry.registerPackage(dir, { note, runId });
  return { version, modelPackageArn, artifactDir: dir, s3Uri: options.registry.artifactUri(version.id) };
}

/** Which AWS call an SDK error came from, as `recordFailedCalls` noted it. */
export interface FailedAwsCall {
  service: 'S3' | 'SageMaker';
  /** The SDK's operation: `PutObject`, `CreateModelPackage`. */
  operation: string;
  /** What it was called on, in words: `to s3://<bucket>/<key>`, `in model package group <group>`. */
  target: string;
  /** The IAM action the call needs, and on what. */
  permission: string;
}

const failedCalls = new WeakMap<object, FailedAwsCall>();

type AnySend = (command: { input?: unknown }, ...rest: unknown[]) => Promise<unknown>;

/**
 * Notes, for each error an SDK client's `send` throws, the call it came from (operation and the bucket/key or
 * model package group it named), which `publishFailureMessage` then says. The error itself is thrown unchanged,
 * so the registry's own handling of it (its name, status, `$fault`) is not affected. Returns the client.
 */
export function recordFailedCalls<C extends object>(client: C, service: FailedAwsCall['service']): C {
  const target = client as unknown as { send: AnySend };
  const send = target.send.bind(client) as AnySend;
  target.send = async (command, ...rest) => {
    try {
      return await send(command, ...rest);
    } catch (error) {
      if (typeof error === 'object' && error !== null && !failedCalls.has(error)) failedCalls.set(error, describeCall(service, command));
      throw error;
    }
  };
  return client;
}

function describeCall(service: FailedAwsCall['service'], command: { input?: unknown }): FailedAwsCall {
  const operation = command.constructor.name.replace(/Command$/, '');
  const input = (command.input ?? {}) as Record<string, unknown>;
  const text = (key: string) => (typeof input[key] === 'string' ? (input[key] as string) : '?');
  if (service === 'S3') {
    const bucket = text('Bucket');
    if (operation === 'ListObjectsV2') return { service, operation, target: `of s3://${bucket}/${typeof input.Prefix === 'string' ? input.Prefix : ''}`, permission: `s3:ListBucket on arn:aws:s3:::${bucket}` };
    const key = text('Key');
    const action = operation === 'HeadObject' ? 'GetObject' : operation;
    // The stack's bucket encrypts with its KMS key (SSE-KMS): a write needs GenerateDataKey, a read Decrypt.
    const kms = action === 'PutObject' ? ' and kms:GenerateDataKey' : action === 'GetObject' ? ' and kms:Decrypt' : '';
    return { service, operation, target: `${operation === 'PutObject' ? 'to' : 'of'} s3://${bucket}/${key}`, permission: `s3:${action} on arn:aws:s3:::${bucket}/${key}${kms ? `${kms} on the bucket's KMS key (alias/mailroute-<env>-data)` : ''}` };
  }
  const group = input.ModelPackageGroupName;
  const pkg = input.ModelPackageName ?? input.ModelPackageArn;
  const target = typeof group === 'string' ? `${operation === 'CreateModelPackage' ? 'in' : 'of'} model package group ${group}` : typeof pkg === 'string' ? `of ${pkg}` : '';
  const on = typeof group === 'string' ? ` on model package group ${group} and its packages` : typeof pkg === 'string' ? ` on ${pkg}` : '';
  return { service, operation, target, permission: `sagemaker:${operation}${operation === 'ListModelPackages' ? ' (on *: it takes no resource)' : on}` };
}

/** The call an error (or an error it was caused by) came from, and that SDK error. */
function failedCallOf(error: unknown): { call: FailedAwsCall; sdkError: Record<string, unknown> } | undefined {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const call = failedCalls.get(e);
    if (call) return { call, sdkError: e as Record<string, unknown> };
  }
  return undefined;
}

/** AWS is throttling the caller: the SDK's own retries did not get past it. */
const THROTTLED = new Set(['ThrottlingException', 'Throttling', 'ThrottledException', 'SlowDown', 'RequestLimitExceeded', 'TooManyRequestsException', 'ProvisionedThroughputExceededException']);
/** AWS or the network failed the call for now. */
const TRANSIENT = new Set(['ServiceUnavailable', 'ServiceUnavailableException', 'InternalError', 'InternalFailure', 'InternalServerError', 'InternalServerException', 'RequestTimeout', 'RequestTimeoutException', 'TimeoutError']);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);
const DENIED = new Set(['AccessDenied', 'AccessDeniedException']);
/** Credentials missing, expired or of another account: AWS denies before it looks at any permission. */
const CREDENTIALS: Record<string, string> = {
  CredentialsProviderError: 'no AWS credentials found: set AWS_PROFILE, log in with `aws sso login`, or run where a role is attached',
  InvalidAccessKeyId: 'the access key is not valid in this account: check the credentials',
  SignatureDoesNotMatch: 'the secret key does not match the access key: check the credentials',
  UnrecognizedClientException: 'the credentials are not valid in this account or region',
  InvalidClientTokenId: 'the credentials are not valid in this account or region',
  ExpiredToken: 'the credentials have expired: log in again',
  ExpiredTokenException: 'the credentials have expired: log in again',
};
const NOT_THERE: Record<string, string> = {
  NoSuchBucket: 'no such bucket: check --bucket (`pulumi stack output artifactBucket`) and AWS_REGION',
};

/**
 * What publish-model prints for a failure: an AWS call's failure says which call failed and on what (`S3 PutObject
 * to s3://<bucket>/<key>`, `SageMaker CreateModelPackage in model package group <group>`), the AWS error's name and
 * HTTP status, and what to do: the IAM action needed for an access denied, `retry shortly` for throttling
 * (ThrottlingException, SlowDown), a 5xx or a dropped connection, AWS's own words last. Any other error (the
 * registry's, with its code) as `<code>: <name>: <message>`.
 */
export function publishFailureMessage(error: unknown): string {
  const regionHint = /region is missing/i.test(String(error)) ? ' (set AWS_REGION, e.g. AWS_REGION=eu-central-1)' : '';
  const failed = failedCallOf(error);
  if (failed === undefined || failed.sdkError !== error) {
    const code = (error as { code?: unknown } | null)?.code;
    return `${typeof code === 'string' ? `${code}: ` : ''}${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}${regionHint}`;
  }
  const { call, sdkError: e } = failed;
  const name = typeof e.name === 'string' && e.name !== 'Error' ? e.name : typeof e.code === 'string' ? e.code : 'Error';
  const status = (e.$metadata as { httpStatusCode?: unknown } | undefined)?.httpStatusCode;
  const message = typeof e.message === 'string' ? e.message.split('\n')[0].trim() : '';
  const aws = message === '' || message === name ? '' : ` (AWS: ${message.length > 300 ? `${message.slice(0, 300)}...` : message})`;
  const what = `${call.service} ${call.operation}${call.target ? ` ${call.target}` : ''} failed: ${name}${typeof status === 'number' ? ` (HTTP ${status})` : ''}`;
  const todo = advice(name, status, e, message, call);
  return `${what}${todo === undefined ? '' : `: ${todo}`}${aws}${regionHint}`;
}

function advice(name: string, status: unknown, e: Record<string, unknown>, message: string, call: FailedAwsCall): string | undefined {
  const retryable = e.$retryable as { throttling?: unknown } | undefined;
  if (THROTTLED.has(name) || status === 429 || retryable?.throttling === true) return `AWS is throttling ${call.service}'s calls; retry shortly`;
  if (TRANSIENT.has(name) || NETWORK.has(typeof e.code === 'string' ? e.code : name) || (typeof status === 'number' && status >= 500) || e.$fault === 'server' || retryable !== undefined) {
    return `${call.service} failed the call for now (after the SDK's own retries); retry shortly`;
  }
  if (CREDENTIALS[name] !== undefined) return CREDENTIALS[name];
  if (DENIED.has(name) || status === 403) {
    // An AccessDenied that names the action denied (a KMS key's, an explicit deny) says it best.
    const named = /\bperform: ([A-Za-z0-9-]+:[A-Za-z0-9*]+)/.exec(message)?.[1];
    return `access denied: the credentials need ${call.permission}${named !== undefined && !call.permission.includes(named) ? `; AWS names ${named}` : ''}`;
  }
  return NOT_THERE[name];
}
