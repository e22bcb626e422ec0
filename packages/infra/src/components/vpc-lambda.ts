import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { serviceTrustPolicy, type PolicyDocument } from '../iam-documents.js';
import { physicalName } from '../naming.js';
import { managedLogGroup } from './log-group.js';
import { tagsWith, type StackContext } from './common.js';

/** What a component's Lambda function is built from and where it runs: its caller's context holds them. */
export interface LambdaPlacement {
  /** Directory of the esbuild bundle (index.mjs exporting `handler`). */
  codeDir: string;
  /** The stack key: the function's environment and log group are encrypted with it. */
  kmsKeyArn: pulumi.Input<string>;
  subnetIds: pulumi.Input<string>[];
  securityGroupId: pulumi.Input<string>;
}

export interface VpcLambdaArgs {
  /** Short name: the function is `mailroute-<env>-<part>`. */
  part: string;
  description: string;
  environment: pulumi.Input<Record<string, pulumi.Input<string>>>;
  memoryMb: number;
  timeoutSeconds: number;
  /** Its `/tmp` in MB (512 to 10240); Lambda's default 512 when unset. */
  ephemeralStorageMb?: number;
  /** Concurrent instances reserved for it (and its cap); unset: none reserved, the account's shared pool. */
  reservedConcurrency?: number;
  /** The role policy, from the function's log group ARN (and whatever else the caller closes over). */
  policy: (logGroupArn: pulumi.Output<string>) => pulumi.Output<PolicyDocument>;
}

/** A Lambda function in the private subnets with its own role, inline least-privilege policy and log group. */
export function createVpcLambda(name: string, ctx: StackContext & LambdaPlacement, args: VpcLambdaArgs, parent: pulumi.Resource) {
  const { config } = ctx;
  const functionName = physicalName(config, args.part, 64);
  const logGroup = managedLogGroup(`${name}-logs`, `/aws/lambda/${functionName}`, ctx, parent);
  const role = new aws.iam.Role(
    `${name}-role`,
    { name: physicalName(config, `${args.part}-fn`, 64), assumeRolePolicy: JSON.stringify(serviceTrustPolicy('lambda.amazonaws.com', config.accountId)), tags: tagsWith(ctx, functionName) },
    { parent },
  );
  const policy = new aws.iam.RolePolicy(
    `${name}-policy`,
    { role: role.id, policy: args.policy(logGroup.arn).apply((doc) => JSON.stringify(doc)) },
    { parent },
  );
  const fn = new aws.lambda.Function(
    `${name}-function`,
    {
      name: functionName,
      description: args.description,
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      code: new pulumi.asset.FileArchive(ctx.codeDir),
      role: role.arn,
      memorySize: args.memoryMb,
      timeout: args.timeoutSeconds,
      ...(args.ephemeralStorageMb === undefined ? {} : { ephemeralStorage: { size: args.ephemeralStorageMb } }),
      ...(args.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: args.reservedConcurrency }),
      kmsKeyArn: ctx.kmsKeyArn,
      environment: { variables: args.environment },
      vpcConfig: { subnetIds: ctx.subnetIds, securityGroupIds: [ctx.securityGroupId] },
      loggingConfig: { logFormat: 'JSON', logGroup: logGroup.name },
      tags: tagsWith(ctx, functionName),
    },
    // The role's policy must exist before the function first runs (ENI creation in the VPC).
    { parent, dependsOn: [policy, logGroup] },
  );
  return { fn, role, logGroup, functionName };
}
