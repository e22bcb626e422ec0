import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  SageMakerClient,
  UpdateEndpointCommand,
} from '@aws-sdk/client-sagemaker';
import { z } from 'zod';
import { AdapterConfigError, DeployEventError } from '../errors.js';
import {
  DeployerConfigSchema,
  ModelPackageStateChangeSchema,
  planDeployment,
  planPackageDeployment,
  servedVersion,
  type ApprovedPackage,
  type CurrentEndpoint,
  type DeployerConfig,
  type DeploymentPlan,
  type ModelPackageStateChange,
} from './deploy-plan.js';
import { DEPLOYER_ENV } from '../contracts.js';


const list = (value: string | undefined) => (value ? value.split(',').map((s) => s.trim()).filter(Boolean) : []);

export function deployerConfigFromEnv(env: Record<string, string | undefined>): DeployerConfig {
  const parsed = DeployerConfigSchema.safeParse({
    endpointName: env[DEPLOYER_ENV.endpointName],
    modelPackageGroupName: env[DEPLOYER_ENV.modelPackageGroupName],
    executionRoleArn: env[DEPLOYER_ENV.executionRoleArn],
    instanceType: env[DEPLOYER_ENV.instanceType],
    initialInstanceCount: Number(env[DEPLOYER_ENV.initialInstanceCount] ?? '1'),
    subnetIds: list(env[DEPLOYER_ENV.subnetIds]),
    securityGroupIds: list(env[DEPLOYER_ENV.securityGroupIds]),
    kmsKeyArn: env[DEPLOYER_ENV.kmsKeyArn] || undefined,
    rollbackAlarmNames: list(env[DEPLOYER_ENV.rollbackAlarmNames]),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AdapterConfigError(`deployer environment invalid at ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}

export type DeployResult =
  | { deployed: false; reason: string }
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
 * The deployer Lambda: an approved model package becomes the endpoint's new production variant, and
 * a rejection of the version the endpoint serves rolls it back to the newest Approved version (as the
 * registries' champion does). Names derive from the event time, so a redelivered event finds its model
 * and config already there and carries on instead of deploying twice.
 */
export function createDeployerHandler(deps: { sagemaker: SageMakerClient; config: DeployerConfig }) {
  const { sagemaker, config } = deps;
  const describePackage = async (arn: string) => toApprovedPackage(await sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn })));

  async function describeEndpoint(): Promise<CurrentEndpoint | undefined> {
    try {
      const ep = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: config.endpointName }));
      return { status: ep.EndpointStatus ?? 'Unknown', endpointConfigName: ep.EndpointConfigName };
    } catch (error) {
      if (!isMissingEndpoint(error)) throw error;
      return undefined;
    }
  }

  async function carryOut(plan: DeploymentPlan, current: CurrentEndpoint | undefined, rolledBackFrom?: number): Promise<DeployResult> {
    if (plan.action === 'skip') return { deployed: false, reason: plan.reason };
    if (current?.endpointConfigName === plan.endpointConfigName) {
      return { deployed: false, reason: `endpoint already runs ${plan.endpointConfigName}` };
    }
    await ignoreExisting(sagemaker.send(new CreateModelCommand(plan.createModel)));
    await ignoreExisting(sagemaker.send(new CreateEndpointConfigCommand(plan.createEndpointConfig)));
    if (plan.endpoint.kind === 'create') await sagemaker.send(new CreateEndpointCommand(plan.endpoint.input));
    else await sagemaker.send(new UpdateEndpointCommand(plan.endpoint.input));
    return {
      deployed: true,
      endpoint: plan.endpoint.kind === 'create' ? 'created' : 'updated',
      modelName: plan.modelName,
      endpointConfigName: plan.endpointConfigName,
      ...(rolledBackFrom === undefined ? {} : { rolledBackFrom }),
    };
  }

  /** A rejected version that the endpoint serves gives way to the newest Approved one; any other rejection changes nothing. */
  async function rollBack(event: ModelPackageStateChange): Promise<DeployResult> {
    const rejected = await describePackage(event.detail.ModelPackageArn);
    // The event may arrive late: a version approved again since is not rolled back.
    if (rejected.status !== 'Rejected') return { deployed: false, reason: `version ${rejected.version} is now ${rejected.status}` };
    const current = await describeEndpoint();
    const serving = servedVersion(current?.endpointConfigName);
    if (serving !== rejected.version) {
      return { deployed: false, reason: `the endpoint serves ${serving === undefined ? 'no version of this deployer' : `version ${serving}`}, not the rejected version ${rejected.version}: nothing to roll back` };
    }
    const newest = await sagemaker.send(
      new ListModelPackagesCommand({
        ModelPackageGroupName: config.modelPackageGroupName,
        ModelApprovalStatus: 'Approved',
        ModelPackageType: 'Versioned',
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
        MaxResults: 1,
      }),
    );
    const arn = newest.ModelPackageSummaryList?.[0]?.ModelPackageArn;
    if (!arn) return { deployed: false, reason: `version ${rejected.version} was rejected and no other version is Approved: the endpoint keeps serving it until one is` };
    const pkg = await describePackage(arn);
    return carryOut(planPackageDeployment({ pkg, current, config, now: new Date(event.time) }), current, rejected.version);
  }

  return async (event: unknown): Promise<DeployResult> => {
    const parsed = ModelPackageStateChangeSchema.safeParse(event);
    if (!parsed.success) throw new DeployEventError(`not a model package state change event: ${parsed.error.issues[0]?.message}`);
    const { detail } = parsed.data;
    if (detail.ModelApprovalStatus === 'Rejected' && detail.ModelPackageGroupName === config.modelPackageGroupName) return rollBack(parsed.data);
    const pkg = await describePackage(detail.ModelPackageArn);
    const current = await describeEndpoint();
    return carryOut(planDeployment({ event: parsed.data, pkg, current, config, now: new Date(parsed.data.time) }), current);
  };
}

/** The deployer Lambda's handler: settings from the environment, a SageMaker client for its region. */
export function createDeployerHandlerFromEnv(env: Record<string, string | undefined>, sagemaker?: SageMakerClient) {
  const config = deployerConfigFromEnv(env);
  return createDeployerHandler({ sagemaker: sagemaker ?? new SageMakerClient({}), config });
}
