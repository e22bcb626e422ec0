import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { StackConfigError, type StackConfig } from './config.js';
import { estimateMonthlyCost } from './cost.js';
import { alarmSpecs } from './monitoring-plan.js';
import { endpointName as endpointNameOf, physicalName, standardTags } from './naming.js';
import { stackContext } from './components/common.js';
import { StackKey } from './components/stack-key.js';
import { Network } from './components/network.js';
import { ArtifactStorage } from './components/artifact-storage.js';
import { ModelRegistry } from './components/model-registry.js';
import { Training } from './components/training.js';
import { ServingEndpoint, VARIANT_NAME } from './components/serving-endpoint.js';
import { PublicApi } from './components/public-api.js';
import { DeployOnApproval } from './components/deploy-on-approval.js';
import { FeedbackStorage } from './components/feedback-storage.js';
import { createsRetrainingPipeline, Retraining } from './components/retraining.js';
import { RetrainingPipeline } from './components/retraining-pipeline.js';
import { Monitoring } from './components/monitoring.js';
import { QualityReporter } from './components/quality-reporter.js';

export interface ProgramOptions {
  /** Where `npm run build -w packages/infra` put the Lambda bundles (`api/`, `deployer/`, `quality/`, `register/`, `export-feedback/`). */
  lambdaDistDir: string;
  /** The role the provider assumes (see providerRoleArn); `deploy` when unset. */
  pulumiRole?: PulumiRole;
}

/** `deploy`: the stack's deployRoleArn; `preview`: its read-only previewRoleArn, for `pulumi preview` only. */
export type PulumiRole = 'deploy' | 'preview';

/** The environment variable that picks the role: CI sets `preview` in its preview jobs. */
export const PULUMI_ROLE_ENV = 'MAILROUTE_PULUMI_ROLE';

/** The role asked for in the environment; unset (or `deploy`) is the deploy role, any other value is refused. */
export function pulumiRoleFrom(env: Record<string, string | undefined>): PulumiRole {
  const value = env[PULUMI_ROLE_ENV];
  if (value === undefined || value === '' || value === 'deploy') return 'deploy';
  if (value === 'preview') return 'preview';
  throw new StackConfigError(`${PULUMI_ROLE_ENV}=${value}: set preview (pulumi preview with mailroute:previewRoleArn) or leave it unset (mailroute:deployRoleArn)`);
}

/**
 * The role the provider assumes. A preview role is read-only, so it is refused for a real update (the
 * update would fail half-way at the first write) and where the stack names none (silently using the deploy
 * role instead would give pull-request code the rights to change the stack).
 */
export function providerRoleArn(config: StackConfig, role: PulumiRole, dryRun: boolean): string {
  if (role === 'deploy') return config.deployRoleArn;
  if (!dryRun) {
    throw new StackConfigError(`${PULUMI_ROLE_ENV}=preview during an update: the preview role cannot deploy; unset ${PULUMI_ROLE_ENV} for pulumi up`);
  }
  if (config.previewRoleArn === undefined) {
    throw new StackConfigError(`${PULUMI_ROLE_ENV}=preview, but mailroute:previewRoleArn is not set: name the stack's read-only role there (pulumi config set mailroute:previewRoleArn <arn>)`);
  }
  return config.previewRoleArn;
}

/**
 * The AWS provider of a stack: pinned to the stack's account (it refuses to touch another) and
 * reaching it through the stack's deploy role, or its preview role for a read-only preview; default
 * tags on everything it creates.
 */
export function createAwsProvider(config: StackConfig, opts?: pulumi.CustomResourceOptions, role: PulumiRole = 'deploy'): aws.Provider {
  const roleArn = providerRoleArn(config, role, pulumi.runtime.isDryRun());
  const sessionName = `pulumi-mailroute-${config.environment}${role === 'preview' ? '-preview' : ''}`;
  return new aws.Provider(
    `aws-${config.environment}`,
    {
      region: config.region as aws.Region,
      allowedAccountIds: [config.accountId],
      assumeRoles: [{ roleArn, sessionName }],
      defaultTags: { tags: standardTags(config) },
    },
    opts,
  );
}

/** The whole system of one stack; every component is a child, so provider and options flow down. */
export class MailrouteStack extends pulumi.ComponentResource {
  readonly outputs: Record<string, pulumi.Input<unknown>>;

  constructor(config: StackConfig, options: ProgramOptions, opts?: pulumi.ComponentResourceOptions) {
    super('mailroute:index:Stack', physicalName(config, 'stack'), {}, opts);
    const ctx = stackContext(config);
    const child = { parent: this };
    const key = new StackKey('key', ctx, child);
    const kmsKeyArn = key.arn;
    const network = new Network('network', { ...ctx, kmsKeyArn }, child);
    const artifacts = new ArtifactStorage('artifacts', { ...ctx, kmsKeyArn }, child);
    const registry = new ModelRegistry('registry', ctx, child);
    const training = new Training('training', { ...ctx, bucketArn: artifacts.bucketArn, kmsKeyArn }, child);
    const feedback = new FeedbackStorage('feedback', { ...ctx, kmsKeyArn }, child);
    const vpc = { subnetIds: network.privateSubnetIds, securityGroupId: network.workloadSecurityGroupId };
    const endpoint = new ServingEndpoint(
      'serving',
      { ...ctx, ...vpc, kmsKeyArn, executionRoleArn: training.roleArn, repositoryUrl: training.repositoryUrl, bucketName: artifacts.bucketName },
      child,
    );
    const api = new PublicApi(
      'api',
      {
        ...ctx,
        ...vpc,
        codeDir: `${options.lambdaDistDir}/api`,
        kmsKeyArn,
        endpointName: endpoint.endpointName,
        endpointArn: endpoint.endpointArn,
        tableName: feedback.tableName,
        tableArn: feedback.tableArn,
        bucketName: artifacts.bucketName,
        bucketArn: artifacts.bucketArn,
      },
      child,
    );
    const endpointName = endpointNameOf(config);
    const deployerFunctionName = physicalName(config, 'deployer', 64);
    const rollbackAlarmNames = alarmSpecs(config, { endpointName, variantName: VARIANT_NAME, apiFunctionName: api.functionName, deployerFunctionName, apiId: '', stage: api.stageName })
      .filter((s) => s.rollback)
      .map((s) => s.name);
    const deployer = new DeployOnApproval(
      'deploy-on-approval',
      {
        ...ctx,
        ...vpc,
        codeDir: `${options.lambdaDistDir}/deployer`,
        kmsKeyArn,
        endpointName: endpoint.endpointName,
        modelPackageGroupName: registry.groupName,
        executionRoleArn: training.roleArn,
        rollbackAlarmNames,
      },
      child,
    );
    // The default target is built here; a Lambda target (or another pipeline) is only scheduled.
    const pipeline = createsRetrainingPipeline(config)
      ? new RetrainingPipeline(
          'retraining-pipeline',
          {
            ...ctx,
            ...vpc,
            codeDir: `${options.lambdaDistDir}/register`,
            kmsKeyArn,
            executionRoleArn: training.roleArn,
            repositoryUrl: training.repositoryUrl,
            bucketName: artifacts.bucketName,
            bucketArn: artifacts.bucketArn,
            modelPackageGroupName: registry.groupName,
            tableName: feedback.tableName,
            tableArn: feedback.tableArn,
            feedbackExportCodeDir: `${options.lambdaDistDir}/export-feedback`,
          },
          child,
        )
      : undefined;
    new Retraining('retraining', { ...ctx, kmsKeyArn, pipelineArn: pipeline?.pipelineArn }, child);
    new QualityReporter(
      'quality',
      {
        ...ctx,
        ...vpc,
        codeDir: `${options.lambdaDistDir}/quality`,
        kmsKeyArn,
        tableName: feedback.tableName,
        tableArn: feedback.tableArn,
        bucketName: artifacts.bucketName,
        bucketArn: artifacts.bucketArn,
      },
      child,
    );
    const monitoring = new Monitoring(
      'monitoring',
      { ...ctx, kmsKeyArn, endpointName, variantName: VARIANT_NAME, apiFunctionName: api.functionName, deployerFunctionName: deployer.functionName, apiId: api.apiId, stage: api.stageName },
      child,
    );
    this.outputs = {
      apiUrl: api.url,
      endpointName: endpoint.endpointName,
      artifactBucket: artifacts.bucketName,
      accessLogBucket: artifacts.accessLogBucketName,
      modelPackageGroup: registry.groupName,
      ecrRepositoryUrl: training.repositoryUrl,
      sagemakerRoleArn: training.roleArn,
      feedbackTable: feedback.tableName,
      ...(pipeline ? { retrainingPipeline: pipeline.pipelineName } : {}),
      alarmTopicArn: monitoring.topicArn,
      dashboard: monitoring.dashboardName,
      monthlyCostEstimateUsd: estimateMonthlyCost(config).totalUsd,
    };
    this.registerOutputs(this.outputs);
  }
}

/** Builds one stack: its pinned provider and everything under one root component. */
export function createProgram(config: StackConfig, options: ProgramOptions, rootOpts: pulumi.ComponentResourceOptions = {}) {
  const provider = createAwsProvider(config, undefined, options.pulumiRole);
  const stack = new MailrouteStack(config, options, { ...rootOpts, providers: { aws: provider } });
  return { provider, stack, outputs: stack.outputs };
}
