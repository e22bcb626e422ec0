import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { z } from 'zod';
import { EmailPredictionSchema, MANUAL_TRIAGE, RouteSchema, type EmailClassifier, type EmailPrediction, type ServedRouting } from '@mailroute/model';
import { parseReceivedTime, type Email } from '@mailroute/preprocess';
import { EndpointAccessDeniedError, EndpointFailedError, EndpointInvocationError, EndpointNotInServiceError, EndpointResponseError, EndpointUnavailableError } from './errors.js';

const REASON = RouteSchema.shape.reason;
const AUTOMATED = EmailPredictionSchema.shape.automated;

/**
 * A prediction as any endpoint image answers it: a route reason or automated kind this version does not know (an
 * image newer than the Lambda) is read as the nearest it knows, not refused with the whole batch (a 502).
 */
const EndpointPredictionSchema = EmailPredictionSchema.extend({
  route: z.object({ queue: z.string(), reason: z.string() }).transform((route) => ({ queue: route.queue, reason: knownReason(route) })),
  automated: z
    .string()
    .optional()
    .transform((kind) => (AUTOMATED.safeParse(kind).success ? (kind as EmailPrediction['automated']) : undefined)),
});

/** The route's reason if this version knows it; else `low_confidence` for manual triage, `confident` for a queue. */
function knownReason(route: { queue: string; reason: string }): EmailPrediction['route']['reason'] {
  const known = REASON.safeParse(route.reason);
  if (known.success) return known.data;
  return route.queue === MANUAL_TRIAGE ? 'low_confidence' : 'confident';
}

/**
 * The body the serving container's `POST /invocations` returns (serving's ClassifyResponse:
 * `{ modelId, predictions, warnings? }`; each prediction also carries the container's `predictionId`,
 * which is dropped here: the API Lambda records its own predictions).
 */
export const InvocationsResponseSchema = z.object({
  modelId: z.string(),
  predictions: z.array(EndpointPredictionSchema),
  warnings: z.array(z.string()).optional(),
});
export type InvocationsResponse = z.infer<typeof InvocationsResponseSchema>;

export interface SageMakerEndpointClassifierOptions {
  client: SageMakerRuntimeClient;
  endpointName: string;
  /** Tasks in manifest order, as the deployed model has them (the API Lambda gets them from its config). */
  tasks: ReadonlyArray<{ name: string; labels: readonly string[] }>;
  /** The model id until the first response says which model answered. */
  modelId?: string;
  /** Emails per InvokeEndpoint call (the 6 MB payload limit of SageMaker real-time endpoints). */
  maxBatch?: number;
  /** Pin a production variant, e.g. during a canary. */
  targetVariant?: string;
  /**
   * The task list of a model by id. When an answer comes from another model than the one `tasks` belong
   * to (a deployment happened, in the console or by rollback), the tasks follow the model that answers:
   * the endpoint, not a pointer file, says which model serves.
   */
  tasksOf?: (modelId: string) => Promise<ReadonlyArray<{ name: string; labels: readonly string[] }>>;
  /** How a model routes, by id (read with its tasks), for `/v1/model`; undefined where its manifest does not say. */
  routingOf?: (modelId: string) => ServedRouting | undefined;
}

type Tasks = ReadonlyArray<{ name: string; labels: readonly string[] }>;

/**
 * An `EmailClassifier` that sends emails to the serving container on a SageMaker real-time endpoint
 * (`{ emails }` in, `{ modelId, predictions }` out), so serving code runs unchanged in front of it.
 */
/**
 * The email as any endpoint image takes it: `receivedAt` in ISO 8601 UTC. The API takes more forms (no zone, RFC 2822)
 * than images built before it did, which refuse them with a 400 for the whole batch; the model does not read it.
 */
function forEndpoint(email: Email): Email {
  if (email.receivedAt === undefined) return email;
  const t = parseReceivedTime(email.receivedAt.trim());
  const { receivedAt: _receivedAt, ...rest } = email;
  return Number.isNaN(t) ? rest : { ...rest, receivedAt: new Date(t).toISOString() };
}

/** Models whose tasks are kept: a blue/green canary answers from two at once, a few more come and go. */
const TASKS_KEPT = 8;

export class SageMakerEndpointClassifier implements EmailClassifier {
  private currentTasks: Tasks;
  /** The model `currentTasks` belong to. */
  private tasksModelId: string;
  private lastModelId: string;
  private readonly maxBatch: number;
  /**
   * The tasks of the models that answered, by id: during a canary the answers alternate between the old
   * and the new model, and each switch would otherwise read a manifest from S3 again (in the request's time).
   */
  private readonly tasksById = new Map<string, Tasks>();

  constructor(private readonly options: SageMakerEndpointClassifierOptions) {
    this.currentTasks = options.tasks;
    this.lastModelId = options.modelId ?? 'unknown';
    this.tasksModelId = this.lastModelId;
    if (options.modelId !== undefined) this.tasksById.set(options.modelId, options.tasks);
    this.maxBatch = options.maxBatch ?? 64;
    if (!Number.isInteger(this.maxBatch) || this.maxBatch < 1) {
      throw new RangeError(`maxBatch must be a positive integer, got ${options.maxBatch}`);
    }
  }

  /** The model that answered the last call (blue/green deployments change it under a running Lambda). */
  get modelId(): string {
    return this.lastModelId;
  }

  /** The tasks and labels of the model that answered last (with `tasksOf`), else those given. */
  get tasks(): Tasks {
    return this.currentTasks;
  }

  /** How the model the tasks belong to routes (`routingOf`), or undefined. */
  get routing(): ServedRouting | undefined {
    return this.options.routingOf?.(this.tasksModelId);
  }

  /** How the model of that id routes (`routingOf`): the chunks of one request may be answered by two variants. */
  routingFor(modelId: string): ServedRouting | undefined {
    return this.options.routingOf?.(modelId);
  }

  /** Asks the endpoint which model serves (one small call) and takes that model's tasks: for a cold start. */
  async refresh(): Promise<void> {
    await this.invoke([{ id: 'mailroute-canary', subject: 'canary', body: 'canary' }]);
  }

  async predict(emails: readonly Email[]): Promise<EmailPrediction[]> {
    const out: EmailPrediction[] = [];
    for (let start = 0; start < emails.length; start += this.maxBatch) {
      const chunk = emails.slice(start, start + this.maxBatch);
      out.push(...(await this.invoke(chunk)));
    }
    return out;
  }

  async release(): Promise<void> {
    // The SDK client belongs to the caller; nothing is held here.
  }

  private async invoke(emails: readonly Email[]): Promise<EmailPrediction[]> {
    let body: Uint8Array | undefined;
    try {
      const response = await this.options.client.send(
        new InvokeEndpointCommand({
          EndpointName: this.options.endpointName,
          ContentType: 'application/json',
          Accept: 'application/json',
          TargetVariant: this.options.targetVariant,
          Body: new TextEncoder().encode(JSON.stringify({ emails: emails.map(forEndpoint) })),
        }),
      );
      body = response.Body;
    } catch (cause) {
      throw endpointError(this.options.endpointName, cause);
    }
    const parsed = parseInvocationsBody(body, emails.length);
    this.lastModelId = parsed.modelId;
    if (this.options.tasksOf && parsed.modelId !== this.tasksModelId) {
      this.currentTasks = await this.tasksOfModel(parsed.modelId, this.options.tasksOf);
      this.tasksModelId = parsed.modelId;
    }
    // The answer is held to the emails sent and, when its model's tasks are known, to them: an image that answers
    // otherwise (another model's labels, a task missing) would be stored and counted as this model's.
    checkAnswer(parsed, emails, parsed.modelId === this.tasksModelId ? this.currentTasks : undefined);
    return parsed.predictions;
  }

  private async tasksOfModel(modelId: string, tasksOf: NonNullable<SageMakerEndpointClassifierOptions['tasksOf']>): Promise<Tasks> {
    const known = this.tasksById.get(modelId);
    if (known) return known;
    const tasks = await tasksOf(modelId);
    if (this.tasksById.size >= TASKS_KEPT) this.tasksById.delete(this.tasksById.keys().next().value as string);
    this.tasksById.set(modelId, tasks);
    return tasks;
  }
}

/**
 * Capacity errors of the SageMaker runtime, its own failures (a 5xx still failing after the SDK's retries), and
 * the network: the endpoint is there, and busy or unreachable for a moment.
 */
const BUSY = new Set(['ServiceUnavailable', 'ServiceUnavailableException', 'ModelNotReadyException', 'InternalDependencyException', 'InternalFailure', 'InternalStreamFailure', 'TimeoutError']);
const THROTTLED = new Set(['ThrottlingException']);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied']);
/**
 * What a ValidationError says of an endpoint that is not there or not InService ("Endpoint <name> of account
 * <id> not found."); any other ValidationError is a request this code sent wrong.
 */
const NOT_IN_SERVICE = /\bnot found\b|\bnot in ?service\b|\bInService\b|\bout of service\b/i;

/**
 * What a failed InvokeEndpoint means for the caller, as the API answers it: retry shortly (503
 * ENDPOINT_UNAVAILABLE, its `reason` saying why: throttled or busy), retry in minutes (503
 * ENDPOINT_NOT_IN_SERVICE: the endpoint is not there or not in service), the model failed (502
 * ENDPOINT_FAILED), the API may not call the endpoint (500 ENDPOINT_ACCESS_DENIED), a 5xx of the service the SDK could not
 * name (503 ENDPOINT_UNAVAILABLE, busy), or a fault here (500). No
 * detail quotes the SDK's message (an ARN, an account, the container's output): the cause is kept for the log.
 */
export function endpointError(endpointName: string, cause: unknown): Error {
  const e = cause as { name?: string; code?: string; message?: string; OriginalStatusCode?: number };
  const name = e.name ?? '';
  if (THROTTLED.has(name)) return new EndpointUnavailableError(`The model endpoint is throttling requests (${name}); retry shortly.`, 'ENDPOINT_THROTTLED', { cause });
  if (BUSY.has(name) || NETWORK.has(e.code ?? '')) {
    return new EndpointUnavailableError(`The model endpoint is busy or unreachable (${name || e.code}); retry shortly.`, 'ENDPOINT_BUSY', { cause });
  }
  if (ACCESS_DENIED.has(name)) return new EndpointAccessDeniedError(endpointName, deniedPermission(e.message), { cause });
  if (name === 'ValidationError' && NOT_IN_SERVICE.test(e.message ?? '')) return new EndpointNotInServiceError(endpointName, { cause });
  if (name === 'ModelError') {
    const status = e.OriginalStatusCode;
    if (status === 429) return new EndpointUnavailableError(`The model container is throttling requests (${status}); retry shortly.`, 'ENDPOINT_THROTTLED', { cause });
    if (status === 503) return new EndpointUnavailableError(`The model container is overloaded (${status}); retry shortly.`, 'ENDPOINT_BUSY', { cause });
    return new EndpointFailedError(`The model container failed the request${status === undefined ? '' : ` (${status})`}.`, {}, { cause });
  }
  // A 5xx the SDK could not name (`Unknown` for an empty body, `SyntaxError` for a gateway's HTML page: a 502 or 504 of
  // the service's front): a fault on AWS's side that the SDK retried as one, said as such, with Retry-After.
  if (serverFault(cause)) return new EndpointUnavailableError(`The model endpoint's service failed the request (${name || 'an unnamed server error'}); retry shortly.`, 'ENDPOINT_BUSY', { cause });
  return new EndpointInvocationError(`InvokeEndpoint ${endpointName} failed: ${name || 'error'}`, { cause });
}

/** Whether an SDK error is a server fault: the SDK's `$fault`, or the HTTP status of the answer it failed to read. */
function serverFault(cause: unknown): boolean {
  const e = cause as { $fault?: unknown; $metadata?: { httpStatusCode?: unknown }; $response?: { statusCode?: unknown } };
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  return e.$fault === 'server' || (typeof status === 'number' && status >= 500);
}

/** The action an AccessDeniedException names ("is not authorized to perform: sagemaker:InvokeEndpoint on ..."), else InvokeEndpoint's. */
function deniedPermission(message: string | undefined): string {
  return /\bperform: ([A-Za-z0-9-]+:[A-Za-z0-9*]+)/.exec(message ?? '')?.[1] ?? 'sagemaker:InvokeEndpoint';
}

/** Each task's labels as a set, made once per task list (a model's), not at every call. */
const labelSets = new WeakMap<Tasks, Map<string, Set<string>>>();
function labelSetsOf(tasks: Tasks): Map<string, Set<string>> {
  let sets = labelSets.get(tasks);
  if (sets === undefined) labelSets.set(tasks, (sets = new Map(tasks.map((t) => [t.name, new Set(t.labels)]))));
  return sets;
}

/**
 * Refuses (502 SAGEMAKER_RESPONSE_INVALID) an answer whose predictions name another model than the answer does or
 * another email than the one sent at their place, give a confidence outside [0, 1], or, with `tasks` (the answering
 * model's), lack one of its tasks or name a task or label it does not have.
 */
export function checkAnswer(parsed: InvocationsResponse, emails: readonly Email[], tasks: Tasks | undefined): void {
  const byName = tasks === undefined ? undefined : labelSetsOf(tasks);
  parsed.predictions.forEach((p, i) => {
    const at = `prediction ${i + 1}`;
    if (p.modelId !== undefined && p.modelId !== parsed.modelId) throw new EndpointResponseError(`endpoint answered ${at} with model ${p.modelId}, the answer with ${parsed.modelId}`);
    const sent = emails[i]?.id;
    if (sent !== undefined && p.id !== undefined && p.id !== sent) throw new EndpointResponseError(`endpoint answered ${at} for email ${p.id}, sent ${sent} there`);
    for (const [task, answer] of Object.entries(p.tasks)) {
      if (!(answer.confidence >= 0 && answer.confidence <= 1)) throw new EndpointResponseError(`endpoint answered ${at} with a confidence of ${answer.confidence} for task ${task}`);
      const labels = byName?.get(task);
      if (byName !== undefined && labels === undefined) throw new EndpointResponseError(`endpoint answered ${at} with task ${task}, which model ${parsed.modelId} does not have`);
      if (labels !== undefined && !labels.has(answer.label)) throw new EndpointResponseError(`endpoint answered ${at} with label ${answer.label} for task ${task}, not one of model ${parsed.modelId}'s`);
    }
    for (const task of byName?.keys() ?? []) if (!Object.hasOwn(p.tasks, task)) throw new EndpointResponseError(`endpoint answered ${at} without task ${task} of model ${parsed.modelId}`);
  });
}

/** Decodes and validates an /invocations response; the result count must match the request. */
export function parseInvocationsBody(body: Uint8Array | undefined, expected: number): InvocationsResponse {
  if (!body) throw new EndpointResponseError('endpoint returned an empty body');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(body));
  } catch (cause) {
    throw new EndpointResponseError('endpoint returned a body that is not JSON', { cause });
  }
  const parsed = InvocationsResponseSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EndpointResponseError(`endpoint response does not match { modelId, predictions }: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  if (parsed.data.predictions.length !== expected) {
    throw new EndpointResponseError(`endpoint returned ${parsed.data.predictions.length} predictions for ${expected} emails`);
  }
  return parsed.data;
}
