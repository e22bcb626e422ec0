import { z } from 'zod';
import type {
  CreateEndpointCommandInput,
  CreateEndpointConfigCommandInput,
  CreateModelCommandInput,
  TrafficRoutingConfig,
  UpdateEndpointCommandInput,
} from '@aws-sdk/client-sagemaker';
import { hasInstanceStorage } from '../contracts.js';
import { EndpointBusyError } from '../errors.js';

/** The EventBridge event SageMaker sends when a model package changes state (fields used here). */
export const ModelPackageStateChangeSchema = z.object({
  source: z.literal('aws.sagemaker'),
  'detail-type': z.literal('SageMaker Model Package State Change'),
  // The deployment's names derive from it: an unparsable time is a bad event, not a RangeError later.
  time: z.string().refine((t) => !Number.isNaN(Date.parse(t)), 'not a timestamp'),
  detail: z.looseObject({
    ModelPackageArn: z.string().startsWith('arn:'),
    ModelPackageGroupName: z.string(),
    ModelPackageVersion: z.number().int().optional(),
    ModelApprovalStatus: z.string(),
  }),
});
export type ModelPackageStateChange = z.infer<typeof ModelPackageStateChangeSchema>;

/** The tags the deployer itself puts on what it creates: the package deployed, and the service (as the stack's). */
export const DEPLOYER_OWN_TAG_KEYS = ['mailroute:model-package', 'service'] as const;

/** SageMaker takes at most 50 tags a resource; the deployer's own are two of them. */
const MAX_RESOURCE_TAGS = 50 - DEPLOYER_OWN_TAG_KEYS.length;

/** What AWS takes in a tag key or value: letters, digits, spaces and `_ . : / = + - @`. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * The stack's tags (environment, service, cost-centre), which the deployer puts on every model, endpoint config and
 * endpoint it creates beside its own (DEPLOYER_OWN_TAG_KEYS): a key of 1 to 128 characters, not `aws:...` (AWS keeps
 * those), a value of at most 256, both in the characters AWS takes; at most 48, so that the deployer's own two fit
 * SageMaker's 50. `mailroute:model-package` is the deployer's to set; `service`, where given, must be `mailroute`.
 * Checked with the other settings: a bad value fails the deployer with AWS_CONFIG_INVALID naming the variable before any
 * SageMaker call, not with SageMaker's ValidationException after a model was created.
 */
export const ResourceTagsSchema = z.record(z.string(), z.string()).superRefine((tags, ctx) => {
  const problem = (key: string, value: string): string | undefined => {
    if (key.length < 1 || key.length > 128) return 'a tag key is 1 to 128 characters';
    if (!TAG_TEXT.test(key)) return 'a tag key takes letters, digits, spaces and _ . : / = + - @ only';
    if (/^aws:/i.test(key)) return 'a tag key may not start with aws: (AWS reserves it)';
    if (key === 'mailroute:model-package') return 'the deployer sets this tag itself';
    if (key === 'service' && value !== 'mailroute') return 'the service tag is mailroute (the deployer sets it so)';
    if (value.length > 256) return 'a tag value is at most 256 characters';
    if (!TAG_TEXT.test(value)) return 'a tag value takes letters, digits, spaces and _ . : / = + - @ only';
    return undefined;
  };
  for (const [key, value] of Object.entries(tags)) {
    const why = problem(key, value);
    if (why) ctx.addIssue({ code: 'custom', path: [key], message: `tag ${JSON.stringify(key.slice(0, 130))}: ${why}` });
  }
  const count = Object.keys(tags).filter((key) => !(DEPLOYER_OWN_TAG_KEYS as readonly string[]).includes(key)).length;
  if (count > MAX_RESOURCE_TAGS) ctx.addIssue({ code: 'custom', message: `${count} tags: at most ${MAX_RESOURCE_TAGS}, as SageMaker takes 50 a resource and two are the deployer's own` });
});

/** The deployer Lambda's settings (from its environment, see deployer-handler.ts). */
export const DeployerConfigSchema = z.object({
  endpointName: z.string().min(1).max(63),
  modelPackageGroupName: z.string().min(1),
  executionRoleArn: z.string().startsWith('arn:'),
  instanceType: z.string().startsWith('ml.'),
  initialInstanceCount: z.number().int().min(1),
  variantName: z.string().default('AllTraffic'),
  subnetIds: z.array(z.string()).min(1),
  securityGroupIds: z.array(z.string()).min(1),
  kmsKeyArn: z.string().optional(),
  /** CloudWatch alarms that roll the update back while traffic shifts. */
  rollbackAlarmNames: z.array(z.string()).default([]),
  /** The stack's tags, on everything it creates (ResourceTagsSchema); none beside its own when unset. */
  resourceTags: ResourceTagsSchema.default({}),
  /**
   * Share of capacity that gets traffic first (canary), then waits this long before the rest. SageMaker allows
   * a canary of at most half the instances, so a fleet of one shifts all at once and bakes as long instead.
   */
  canaryPercent: z.number().min(1).max(50).default(10),
  canaryWaitSeconds: z.number().int().min(0).max(3600).default(300),
  /** How long the old (blue) fleet stays after all traffic moved, for a quick rollback. */
  terminationWaitSeconds: z.number().int().min(0).max(3600).default(600),
});
export type DeployerConfig = z.input<typeof DeployerConfigSchema>;

/** The model package as DescribeModelPackage returns it (fields used here). */
export interface ApprovedPackage {
  arn: string;
  version: number;
  status: string;
  image: string;
  modelDataS3Uri: string;
  compressed: boolean;
  environment?: Record<string, string>;
}

export interface CurrentEndpoint {
  status: string;
  endpointConfigName?: string;
  /** The config an update in progress is rolling out (DescribeEndpoint's PendingDeploymentSummary). */
  pendingConfigName?: string;
  /** Instances the served variant runs now (DescribeEndpoint's CurrentInstanceCount), when it says. */
  instanceCount?: number;
}

export type DeploymentPlan =
  | { action: 'skip'; reason: string; staleEvent?: true }
  | {
      action: 'deploy';
      modelName: string;
      endpointConfigName: string;
      createModel: CreateModelCommandInput;
      createEndpointConfig: CreateEndpointConfigCommandInput;
      endpoint: { kind: 'create'; input: CreateEndpointCommandInput } | { kind: 'update'; input: UpdateEndpointCommandInput };
    };

export const BUSY = ['Creating', 'Updating', 'SystemUpdating', 'RollingBack', 'Deleting', 'UpdateRollbackFailed'];

/**
 * How traffic moves to the new (green) fleet, which has as many instances as the old one (its properties are
 * retained). SageMaker refuses a canary larger than half the instances: from two instances up, the canary is
 * `canaryPercent` of them, at least one and at most half; a single instance takes all traffic at once. Either
 * way the new fleet bakes `canaryWaitSeconds` under the rollback alarms.
 */
export function trafficRouting(instances: number, config: Pick<z.output<typeof DeployerConfigSchema>, 'canaryPercent' | 'canaryWaitSeconds'>): TrafficRoutingConfig {
  if (instances < 2) return { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: config.canaryWaitSeconds };
  const canary = Math.min(Math.floor(instances / 2), Math.max(1, Math.floor((instances * config.canaryPercent) / 100)));
  return { Type: 'CANARY', CanarySize: { Type: 'INSTANCE_COUNT', Value: canary }, WaitIntervalInSeconds: config.canaryWaitSeconds };
}

/** SageMaker names: letters, digits and hyphens, at most 63 characters. */
export function deploymentName(endpointName: string, version: number, now: Date): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const suffix = `-v${version}-${stamp}`;
  return `${endpointName.slice(0, 63 - suffix.length)}${suffix}`.replace(/[^A-Za-z0-9-]/g, '-');
}

/**
 * Pure planning: from an approved model package and the endpoint as it is now, the SageMaker calls
 * that deploy it. An existing endpoint is updated blue/green (canary traffic shift, or all at once for a
 * single instance; old fleet kept until the new one is healthy, automatic rollback on the alarms); a
 * missing one is created.
 */
export function planDeployment(input: {
  event: ModelPackageStateChange;
  pkg: ApprovedPackage;
  current: CurrentEndpoint | undefined;
  config: DeployerConfig;
  now: Date;
}): DeploymentPlan {
  const config = DeployerConfigSchema.parse(input.config);
  const { event, pkg, current } = input;
  const skip = eventNotToDeploy(event, config);
  if (skip) return { action: 'skip', reason: skip };
  return planPackageDeployment({ pkg, current, config, now: input.now });
}

/**
 * Why an event deploys nothing whatever its package holds (another group's package, a status other than
 * Approved), or undefined: decided before the package is described, which the deployer's role may only do
 * for its own group's packages.
 */
export function eventNotToDeploy(event: ModelPackageStateChange, config: Pick<DeployerConfig, 'modelPackageGroupName'>): string | undefined {
  if (event.detail.ModelPackageGroupName !== config.modelPackageGroupName) {
    return `package group ${event.detail.ModelPackageGroupName} is not ${config.modelPackageGroupName}`;
  }
  if (event.detail.ModelApprovalStatus !== 'Approved') return `status ${event.detail.ModelApprovalStatus} is not Approved`;
  return undefined;
}

/**
 * The version an endpoint config the deployer named serves (`<endpoint>-v<version>-<stamp>`), and the stamp:
 * the time of the event that deployed it (yyyymmddhhmmss, UTC); undefined for a config it did not name.
 */
export function servedDeployment(endpointConfigName: string | undefined): { version: number; stamp: string } | undefined {
  const m = /-v(\d+)-(\d{14})$/.exec(endpointConfigName ?? '');
  return m ? { version: Number(m[1]), stamp: m[2] } : undefined;
}

export function servedVersion(endpointConfigName: string | undefined): number | undefined {
  return servedDeployment(endpointConfigName)?.version;
}

/**
 * The deployment on the endpoint (or rolling out to it) made for a later event than the one named `name`:
 * a later approval, or the rollback of a later rejection. In the same second the newer version counts as
 * later, as the registry's "deployed last" does. An event delivered late (EventBridge's retries, a redrive
 * from the dead-letter queue) must not put its older version back over it.
 */
function laterDeployment(current: CurrentEndpoint | undefined, name: string, rollbackOf?: number): { configName: string; pending: boolean } | undefined {
  const own = servedDeployment(name);
  if (!own) return undefined;
  for (const [configName, pending] of [[current?.pendingConfigName, true], [current?.endpointConfigName, false]] as const) {
    const other = servedDeployment(configName);
    // The rejected version's own deployment is what a rollback replaces, however late its second: approved and
    // rejected within one second, it had counted as later, and the rejected model kept serving.
    if (other && rollbackOf !== undefined && other.version === rollbackOf) continue;
    if (other && configName && (other.stamp > own.stamp || (other.stamp === own.stamp && other.version > own.version))) return { configName, pending };
  }
  return undefined;
}

/**
 * The SageMaker calls that put an Approved package on the endpoint (after the event was checked): for an
 * approval event its own package, for a rejection of the version serving the Approved one approved last.
 */
export function planPackageDeployment(input: { pkg: ApprovedPackage; current: CurrentEndpoint | undefined; config: DeployerConfig; now: Date; rollbackOf?: number }): DeploymentPlan {
  const config = DeployerConfigSchema.parse(input.config);
  const { pkg, current } = input;
  // The event may arrive late: trust the package's current status, not the event's.
  if (pkg.status !== 'Approved') return { action: 'skip', reason: `package is now ${pkg.status}` };
  const name = deploymentName(config.endpointName, pkg.version, input.now);
  const later = laterDeployment(current, name, input.rollbackOf);
  if (later) {
    return {
      action: 'skip',
      staleEvent: true,
      reason:
        `stale event: version ${pkg.version}'s event of ${input.now.toISOString()} is older than the deployment ${later.configName} ${later.pending ? 'that rolls out now' : 'the endpoint serves'}; nothing deployed ` +
        `(to serve version ${pkg.version} again, reject the versions approved after it, or approve it again with force if it was rejected)`,
    };
  }
  if (current && BUSY.includes(current.status)) {
    // This event's own update in progress (a redelivery, a Lambda retry): DescribeEndpoint still names the
    // old config and the new one as pending (or as the config of an endpoint being created). Done, not busy.
    if (current.pendingConfigName === name || (current.status === 'Creating' && current.endpointConfigName === name)) {
      return { action: 'skip', reason: `endpoint ${config.endpointName} is already ${current.status === 'Creating' ? 'being created with' : 'rolling out'} ${name}` };
    }
    throw new EndpointBusyError(`endpoint ${config.endpointName} is ${current.status}; retry later`);
  }
  // Another Approved event for the version already serving (a re-approval, a repeated event) deploys
  // nothing: the config the deployer named for it is in place. An older version approved again is a
  // deliberate rollback and is deployed.
  if (servedVersion(current?.endpointConfigName) === pkg.version) {
    return { action: 'skip', reason: `endpoint ${config.endpointName} already serves version ${pkg.version} (${current?.endpointConfigName})` };
  }
  // The stack's tags (environment, cost-centre ...), as on every resource the stack creates, then the deployer's own.
  const own: Record<(typeof DEPLOYER_OWN_TAG_KEYS)[number], string> = { 'mailroute:model-package': pkg.arn, service: 'mailroute' };
  const tags = Object.entries({ ...config.resourceTags, ...own }).map(([Key, Value]) => ({ Key, Value }));
  const createModel: CreateModelCommandInput = {
    ModelName: name,
    ExecutionRoleArn: config.executionRoleArn,
    PrimaryContainer: {
      Image: pkg.image,
      ModelDataSource: {
        S3DataSource: {
          S3Uri: pkg.modelDataS3Uri,
          S3DataType: pkg.compressed ? 'S3Object' : 'S3Prefix',
          CompressionType: pkg.compressed ? 'Gzip' : 'None',
        },
      },
      Environment: pkg.environment,
    },
    VpcConfig: { Subnets: config.subnetIds, SecurityGroupIds: config.securityGroupIds },
    EnableNetworkIsolation: true,
    Tags: tags,
  };
  const createEndpointConfig: CreateEndpointConfigCommandInput = {
    EndpointConfigName: name,
    // SageMaker encrypts local NVMe storage itself and refuses a KmsKeyId for such types (g4dn, g5, c5d ...).
    ...(hasInstanceStorage(config.instanceType) ? {} : { KmsKeyId: config.kmsKeyArn }),
    ProductionVariants: [
      {
        VariantName: config.variantName,
        ModelName: name,
        InstanceType: config.instanceType as never,
        InitialInstanceCount: config.initialInstanceCount,
        InitialVariantWeight: 1,
      },
    ],
    Tags: tags,
  };
  const common = { action: 'deploy' as const, modelName: name, endpointConfigName: name, createModel, createEndpointConfig };
  if (!current) {
    return { ...common, endpoint: { kind: 'create', input: { EndpointName: config.endpointName, EndpointConfigName: name, Tags: tags } } };
  }
  return {
    ...common,
    endpoint: {
      kind: 'update',
      input: {
        EndpointName: config.endpointName,
        EndpointConfigName: name,
        // Keep the instance count autoscaling has reached (and the variant weight): the config's
        // InitialInstanceCount would size the new fleet back to its minimum during a busy hour.
        RetainAllVariantProperties: true,
        DeploymentConfig: {
          BlueGreenUpdatePolicy: {
            TrafficRoutingConfiguration: trafficRouting(current.instanceCount ?? config.initialInstanceCount, config),
            TerminationWaitInSeconds: config.terminationWaitSeconds,
          },
          AutoRollbackConfiguration:
            config.rollbackAlarmNames.length > 0
              ? { Alarms: config.rollbackAlarmNames.map((AlarmName) => ({ AlarmName })) }
              : undefined,
        },
      },
    },
  };
}
