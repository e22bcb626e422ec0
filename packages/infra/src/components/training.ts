import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { sagemakerExecutionPolicy, serviceTrustPolicy } from '../iam-documents.js';
import { sagemakerPrefixes } from '../storage-plan.js';
import { physicalName, sagemakerLogGroupNames } from '../naming.js';
import { managedLogGroup } from './log-group.js';
import { dataStoreOptions, tagsWith, type StackContext } from './common.js';

/**
 * Untagged images go after a week; tagged ones stay. Any tagged image may be the one an Approved model package,
 * the bootstrap model or the running endpoint names: an image expired by count would make a rollback, a
 * re-approval or an instance replacement fail to pull. Each serving build is a few hundred MB at ECR's
 * storage price, so keeping them costs little.
 */
export function ecrLifecyclePolicy(): string {
  return JSON.stringify({
    rules: [
      { rulePriority: 1, description: 'drop untagged', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 }, action: { type: 'expire' } },
    ],
  });
}

/** The SageMaker execution role (training jobs and endpoint containers) and the image repository. */
export class Training extends pulumi.ComponentResource {
  readonly roleArn: pulumi.Output<string>;
  readonly repositoryUrl: pulumi.Output<string>;
  readonly repositoryArn: pulumi.Output<string>;

  constructor(
    name: string,
    ctx: StackContext & { bucketArn: pulumi.Input<string>; kmsKeyArn: pulumi.Input<string> },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('mailroute:ml:Training', name, {}, opts);
    const { config } = ctx;
    const repoName = physicalName(config, 'serving');
    const repo = new aws.ecr.Repository(
      `${name}-repository`,
      {
        name: repoName,
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: 'KMS', kmsKey: ctx.kmsKeyArn }],
        forceDelete: config.environment !== 'prod',
        tags: tagsWith(ctx, repoName),
      },
      { parent: this, ...dataStoreOptions(config) },
    );
    new aws.ecr.LifecyclePolicy(`${name}-repository-lifecycle`, { repository: repo.name, policy: ecrLifecyclePolicy() }, { parent: this, ...dataStoreOptions(config) });
    const roleName = physicalName(config, 'sagemaker-execution', 64);
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: roleName,
        assumeRolePolicy: JSON.stringify(serviceTrustPolicy('sagemaker.amazonaws.com', config.accountId)),
        maxSessionDuration: 43_200,
        tags: tagsWith(ctx, roleName),
      },
      { parent: this },
    );
    const prefixes = sagemakerPrefixes();
    const logGroups = sagemakerLogGroupNames(config);
    new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: role.id,
        policy: pulumi.all([ctx.bucketArn, ctx.kmsKeyArn, repo.arn]).apply(([bucketArn, kmsKeyArn, ecrRepositoryArn]) =>
          JSON.stringify(
            sagemakerExecutionPolicy({
              bucketArn,
              readPrefixes: prefixes.read,
              writePrefixes: prefixes.write,
              kmsKeyArn,
              ecrRepositoryArn,
              logGroupArns: [logGroups.trainingJobs, logGroups.endpoint].map((group) => `arn:aws:logs:${config.region}:${config.accountId}:log-group:${group}`),
            }),
          ),
        ),
      },
      { parent: this },
    );
    // SageMaker would create this group on the first job, without retention or the CMK. In an account
    // where jobs already ran, import it first, with --parent (this component) and --provider: see the README's Bootstrap.
    managedLogGroup(`${name}-job-logs`, logGroups.trainingJobs, ctx, this);
    this.roleArn = role.arn;
    this.repositoryUrl = repo.repositoryUrl;
    this.repositoryArn = repo.arn;
    this.registerOutputs({ roleArn: this.roleArn, repositoryUrl: this.repositoryUrl });
  }
}
