import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  type DescribeEndpointCommandOutput,
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  SageMakerClient,
  UpdateEndpointCommand,
} from '@aws-sdk/client-sagemaker';
import { z } from 'zod';
import { DeployEventError, EndpointBusyError, NoApprovedVersionError } from '../errors.js';
import {
  BUSY,
  DeployerConfigSchema,
  deploymentName,
  eventNotToDeploy,
  ModelPackageStateChangeSchema,
  planDeployment,
  ResourceTagsSchema,
  planPackageDeployment,
  servedVersion,
  type ApprovedPackage,
  type CurrentEndpoint,
  type DeployerConfig,
  type DeploymentPlan,
  type ModelPackageStateChange,
} from './deploy-plan.js';
import { DEPLOYER_ENV } from '../contracts.js';
import { configFromEnv } from '../lambda-env.js';


/** Statuses that take a version out of service: rejected, or its approval withdrawn (back to PendingManualApproval). */
const WITHDRAWN = new Set(['Rejected', 'PendingManualApproval']);

const list = (value: string | undefined) => (value ? value.split(',').map((s) => s.trim()).filter(Boolean) : []);
const listFromEnv = (min: number) => z.string().optional().transform(list).pipe(z.array(z.string()).min(min));

/** A JSON object in a variable (unset: `{}`); text that is no JSON object is an issue of its own. */
const jsonObjectFromEnv = z
  .string()
  .optional()
  .transform((text, ctx): unknown => {
    if (text === undefined) return {};
    try {
      const value: unknown = JSON.parse(text);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value;
    } catch {
      // Said below, as for any value that is no object.
    }
    ctx.addIssue({ code: 'custom', message: `not a JSON object of tag keys and values, such as {"environment":"prod","cost-centre":"cc-1"}: ${text.slice(0, 80)}` });
    return z.NEVER;
  });

/** The deployer's settings as its environment spells them: a count in digits, lists comma-separated, the tags as JSON. */
const DeployerEnvSchema = DeployerConfigSchema.extend({
  initialInstanceCount: z.coerce.number().int().min(1).default(1),
  subnetIds: listFromEnv(1),
  securityGroupIds: listFromEnv(1),
  rollbackAlarmNames: listFromEnv(0),
  resourceTags: jsonObjectFromEnv.pipe(ResourceTagsSchema),
});

export function deployerConfigFromEnv(env: Record<string, string | undefined>): DeployerConfig {
  return configFromEnv(DeployerEnvSchema, DEPLOYER_ENV, env, 'deployer');
}

export type DeployResult =
  /** `staleEvent`: the event was older than the deployment on the endpoint (delivered late) and was skipped. */
  | { deployed: false; reason: string; staleEvent?: true }
  | {
      deployed: true;
      endpoint: 'created' | 'updated';
      modelName: string;
      endpointConfigName: string;
      /** Set when a rejection of this version, which the endpoint served, rolled it back. */
      rolledBackFrom?: number;
    };

const PackageSchema = z.object({
  ModelPackageArn: z.string(),
  ModelPackageVersion: z.number().int().default(0),
  ModelApprovalStatus: z.string(),
  InferenceSpecification: z.object({
    Containers: z
      .array(
        z.object({
          Image: z.string(),
          ModelDataUrl: z.string().optional(),
          ModelDataSource: z.object({ S3DataSource: z.object({ S3Uri: z.string(), CompressionType: z.string().optional() }) }).optional(),
          Environment: z.record(z.string(), z.string()).optional(),
        }),
      )
      .min(1),
  }),
});

export function toApprovedPackage(described: unknown): ApprovedPackage {
  const parsed = PackageSchema.safeParse(described);
  if (!parsed.success) throw new DeployEventError(`model package has no usable inference specification: ${parsed.error.issues[0]?.message}`);
  const pkg = parsed.data;
  const container = pkg.InferenceSpecification.Containers[0];
  const source = container.ModelDataSource?.S3DataSource;
  const uri = source?.S3Uri ?? container.ModelDataUrl;
  if (!uri) throw new DeployEventError(`model package ${pkg.ModelPackageArn} names no model data`);
  return {
    arn: pkg.ModelPackageArn,
    version: pkg.ModelPackageVersion,
    status: pkg.ModelApprovalStatus,
    image: container.Image,
    modelDataS3Uri: uri,
    compressed: source ? source.CompressionType === 'Gzip' : true,
    environment: container.Environment,
  };
}

function isMissingEndpoint(error: unknown): boolean {
  return (error as { name?: string }).name === 'ValidationException' && /could not find endpoint/i.test(String((error as Error).message));
}

async function ignoreExisting(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    const existing = (error as { name?: string }).name === 'ValidationException' && /already exist/i.test(String((error as Error).message));
    if (!existing) throw error;
  }
}

/**
 * The event a dead-letter message carries. The deploy queue holds two shapes: what EventBridge could not
 * deliver (the event itself) and what Lambda gave up on after its retries (its on-failure record, the event
 * as `requestPayload`). A redrive invokes the deployer with the message body as it is, so both are taken.
 */
function redrivenEvent(event: unknown): unknown {
  const record = event as { requestContext?: unknown; requestPayload?: unknown; responseContext?: unknown } | null;
  const isFailureRecord = typeof record === 'object' && record !== null && record.requestContext !== undefined && record.responseContext !== undefined;
  return isFailureRecord ? record.requestPayload : event;
}

/** The served variant's instance count as DescribeEndpoint reports it, if it does. */
function instanceCountOf(variants: DescribeEndpointCommandOutput['ProductionVariants'], variantName: string): { instanceCount?: number } {
  const count = variants?.find((v) => v.VariantName === variantName)?.CurrentInstanceCount;
  return count === undefined ? {} : { instanceCount: count };
}

/** The part of the Lambda context the deployer reads. */
export interface LambdaTimeLeft {
  getRemainingTimeInMillis(): number;
}

/**
 * The deployer Lambda: an approved model package becomes the endpoint's new production variant, and
 * a rejection of the version the endpoint serves rolls it back to the Approved version approved last, the
 * one that served before it (as the registries' champion does). Names derive from the event time, so a redelivered event finds its model
 * and config already there and carries on instead of deploying twice.
 */
export function createDeployerHandler(deps: {
  sagemaker: SageMakerClient;
  config: DeployerConfig;
  /** Waiting out a busy endpoint (defaults: poll every 30 s, keep 60 s of the invocation for the deployment). */
  busyWait?: { pollMs?: number; marginMs?: number; sleep?: (ms: number) => Promise<void> };
}) {
  const { sagemaker, config } = deps;
  const { variantName } = DeployerConfigSchema.parse(config);
  const describePackage = async (arn: string) => toApprovedPackage(await sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn })));

  async function describeEndpoint(): Promise<CurrentEndpoint | undefined> {
    try {
      const ep = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: config.endpointName }));
      return {
        status: ep.EndpointStatus ?? 'Unknown',
        endpointConfigName: ep.EndpointConfigName,
        ...(ep.PendingDeploymentSummary?.EndpointConfigName ? { pendingConfigName: ep.PendingDeploymentSummary.EndpointConfigName } : {}),
        ...instanceCountOf(ep.ProductionVariants, variantName),
      };
    } catch (error) {
      if (!isMissingEndpoint(error)) throw error;
      return undefined;
    }
  }

  /** Whether the endpoint runs, is created with or updates to `endpointConfigName` now (false when it cannot be read). */
  async function rollingOut(endpointConfigName: string): Promise<boolean> {
    const now = await describeEndpoint().catch(() => undefined);
    return now !== undefined && (now.endpointConfigName === endpointConfigName || now.pendingConfigName === endpointConfigName);
  }

  async function carryOut(plan: DeploymentPlan, current: CurrentEndpoint | undefined, rolledBackFrom?: number): Promise<DeployResult> {
    if (plan.action === 'skip') return { deployed: false, reason: plan.reason, ...(plan.staleEvent ? { staleEvent: true as const } : {}) };
    if (current?.endpointConfigName === plan.endpointConfigName) {
      return { deployed: false, reason: `endpoint already runs ${plan.endpointConfigName}` };
    }
    await ignoreExisting(sagemaker.send(new CreateModelCommand(plan.createModel)));
    await ignoreExisting(sagemaker.send(new CreateEndpointConfigCommand(plan.createEndpointConfig)));
    try {
      if (plan.endpoint.kind === 'create') await sagemaker.send(new CreateEndpointCommand(plan.endpoint.input));
      else await sagemaker.send(new UpdateEndpointCommand(plan.endpoint.input));
    } catch (error) {
      // EventBridge may deliver an event twice at once: the other delivery, a step ahead, started this very
      // rollout, and SageMaker refuses the second call (endpoint in progress, or existing). That is done, not
      // a failure that pages and is retried into the dead-letter queue.
      if (await rollingOut(plan.endpointConfigName)) return { deployed: false, reason: `endpoint ${config.endpointName} is already rolling out ${plan.endpointConfigName} (a duplicate delivery started it)` };
      throw error;
    }
    return {
      deployed: true,
      endpoint: plan.endpoint.kind === 'create' ? 'created' : 'updated',
      modelName: plan.modelName,
      endpointConfigName: plan.endpointConfigName,
      ...(rolledBackFrom === undefined ? {} : { rolledBackFrom }),
    };
  }

  /**
   * The Approved package of the group approved last (its LastModifiedTime, which the approval set; ties to the
   * newest version): as every approval deploys, the version that served before the one rejected, the champion
   * the registry's pointer goes back to. Pages are followed: SageMaker may cut a page before it filters by
   * status, so a first page can be empty while Approved versions exist. Each is described (the summaries have
   * no LastModifiedTime), one at a time: the control plane throttles a burst.
   */
  async function approvedLast(): Promise<string | undefined> {
    let best: { arn: string; at: number; version: number } | undefined;
    for (const arn of await approvedArns()) {
      const pkg = await sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
      if (pkg.ModelApprovalStatus !== 'Approved') continue; // rejected since it was listed
      const at = (pkg.LastModifiedTime ?? pkg.CreationTime ?? new Date(0)).getTime();
      const version = pkg.ModelPackageVersion ?? 0;
      if (best === undefined || at > best.at || (at === best.at && version > best.version)) best = { arn, at, version };
    }
    return best?.arn;
  }

  async function approvedArns(): Promise<string[]> {
    const arns: string[] = [];
    let token: string | undefined;
    do {
      const page = await sagemaker.send(
        new ListModelPackagesCommand({
          ModelPackageGroupName: config.modelPackageGroupName,
          ModelApprovalStatus: 'Approved',
          ModelPackageType: 'Versioned',
          SortBy: 'CreationTime',
          SortOrder: 'Descending',
          MaxResults: 100,
          ...(token ? { NextToken: token } : {}),
        }),
      );
      for (const s of page.ModelPackageSummaryList ?? []) {
        if (s.ModelPackageArn && (s.ModelApprovalStatus === undefined || s.ModelApprovalStatus === 'Approved')) arns.push(s.ModelPackageArn);
      }
      token = page.NextToken;
    } while (token);
    return arns;
  }

  /**
   * A version rejected, or set back to PendingManualApproval (its approval withdrawn), that the endpoint serves gives way
   * to the Approved one approved last; any other such change (a new version registered pending among them) changes nothing.
   */
  async function rollBack(event: ModelPackageStateChange): Promise<DeployResult> {
    const rejected = await describePackage(event.detail.ModelPackageArn);
    // The event may arrive late: a version approved again since is not rolled back.
    if (!WITHDRAWN.has(rejected.status)) return { deployed: false, reason: `version ${rejected.version} is now ${rejected.status}` };
    const named = rejected.status === 'Rejected' ? 'rejected' : 'unapproved';
    const current = await describeEndpoint();
    const serving = servedVersion(current?.endpointConfigName);
    // An update in progress still reports the old config as the one serving, and may be rolling out the
    // rejected version: nothing can be decided (or updated) until it ends. Busy: retried, then the
    // dead-letter queue, whose alarm pages; never "nothing to roll back" while the rejected one goes live.
    if (current && BUSY.includes(current.status)) {
      const pending = servedVersion(current.pendingConfigName);
      // Neither served nor rolling out (a version just registered pending, while another deploys): nothing to wait for.
      if (serving !== rejected.version && pending !== rejected.version && current.pendingConfigName !== undefined) {
        return { deployed: false, reason: `the endpoint serves ${serving === undefined ? 'no version of this deployer' : `version ${serving}`} and rolls out version ${pending ?? current.pendingConfigName}, not the ${named} version ${rejected.version}: nothing to roll back` };
      }
      // A redelivery of this rejection while its own rollback rolls out: the pending config is the one it named.
      if (pending !== undefined && current.pendingConfigName === deploymentName(config.endpointName, pending, new Date(event.time))) {
        return { deployed: false, reason: `endpoint ${config.endpointName} is already rolling back to version ${pending} (${current.pendingConfigName})` };
      }
      throw new EndpointBusyError(
        `endpoint ${config.endpointName} is ${current.status}${pending === undefined ? '' : ` (rolling out version ${pending})`}: the ${rejected.status === 'Rejected' ? 'rejection' : 'withdrawn approval'} of version ${rejected.version} is decided when it is InService; redrive this event from the dead-letter queue then`,
      );
    }
    if (serving !== rejected.version) {
      return { deployed: false, reason: `the endpoint serves ${serving === undefined ? 'no version of this deployer' : `version ${serving}`}, not the ${named} version ${rejected.version}: nothing to roll back` };
    }
    const arn = await approvedLast();
    if (!arn) {
      // A model people rejected is serving and nothing can replace it: fail, so the deployer's error alarm pages.
      const was = rejected.status === 'Rejected' ? 'was rejected' : `was set back to ${rejected.status}`;
      throw new NoApprovedVersionError(`version ${rejected.version} ${was} while it serves and no other version of ${config.modelPackageGroupName} is Approved: approve one to roll back to`);
    }
    const pkg = await describePackage(arn);
    return carryOut(planPackageDeployment({ pkg, current, config, now: new Date(event.time), rollbackOf: rejected.version }), current, rejected.version);
  }

  /**
   * Deploys, or waits while another update keeps the endpoint busy (a blue/green rollout takes 20 minutes or
   * more): every `pollMs` the event is decided again from scratch, as long as the invocation has `pollMs` plus
   * `marginMs` left (the Lambda context's remaining time); then busy fails the invocation, for Lambda's retries
   * and at last the dead-letter queue. Without a context (a test, a script) busy fails at once.
   */
  const pollMs = deps.busyWait?.pollMs ?? 30_000;
  const marginMs = deps.busyWait?.marginMs ?? 60_000;
  const sleep = deps.busyWait?.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return async (event: unknown, context?: LambdaTimeLeft): Promise<DeployResult> => {
    for (;;) {
      try {
        return await decide(event);
      } catch (error) {
        if (!(error instanceof EndpointBusyError) || (context?.getRemainingTimeInMillis() ?? 0) < pollMs + marginMs) throw error;
        await sleep(pollMs);
      }
    }
  };

  async function decide(event: unknown): Promise<DeployResult> {
    const parsed = ModelPackageStateChangeSchema.safeParse(redrivenEvent(event));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DeployEventError(`not a model package state change event: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
    }
    const { detail } = parsed.data;
    if (WITHDRAWN.has(detail.ModelApprovalStatus) && detail.ModelPackageGroupName === config.modelPackageGroupName) return rollBack(parsed.data);
    // Another group's package, or a status that deploys nothing: skipped before it is described (the role
    // may describe only its own group's packages; a denied describe would fail into the dead-letter queue).
    const skip = eventNotToDeploy(parsed.data, config);
    if (skip) return { deployed: false, reason: skip };
    const pkg = await describePackage(detail.ModelPackageArn);
    const current = await describeEndpoint();
    return carryOut(planDeployment({ event: parsed.data, pkg, current, config, now: new Date(parsed.data.time) }), current);
  }
}

/** The deployer Lambda's handler: settings from the environment, a SageMaker client for its region. */
export function createDeployerHandlerFromEnv(env: Record<string, string | undefined>, sagemaker?: SageMakerClient) {
  const config = deployerConfigFromEnv(env);
  return createDeployerHandler({ sagemaker: sagemaker ?? new SageMakerClient({}), config });
}
