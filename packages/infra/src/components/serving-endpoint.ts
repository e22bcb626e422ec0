import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { hasInstanceStorage } from '@mailroute/aws/contracts';
import { endpointScaling } from '../storage-plan.js';
import { endpointName as endpointNameOf, physicalName, sagemakerLogGroupNames } from '../naming.js';
import { managedLogGroup } from './log-group.js';
import { tagsWith, type StackContext } from './common.js';

export const VARIANT_NAME = 'AllTraffic';

export interface ServingEndpointArgs {
  kmsKeyArn: pulumi.Input<string>;
  executionRoleArn: pulumi.Input<string>;
  repositoryUrl: pulumi.Input<string>;
  bucketName: pulumi.Input<string>;
  subnetIds: pulumi.Input<string>[];
  securityGroupId: pulumi.Input<string>;
}

/**
 * The serving container on a SageMaker real-time endpoint in the private subnets, started from the
 * bootstrap model. After the first approval the deployer Lambda owns the endpoint's config (blue/green),
 * so Pulumi ignores later changes of `endpointConfigName` instead of reverting them.
 */
export class ServingEndpoint extends pulumi.ComponentResource {
  readonly endpointName: pulumi.Output<string>;
  readonly endpointArn: pulumi.Output<string>;

  constructor(name: string, ctx: StackContext & ServingEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mailroute:serving:ServingEndpoint', name, {}, opts);
    const { config } = ctx;
    const s = config.serving;
    const endpointName = endpointNameOf(config);
    managedLogGroup(`${name}-logs`, sagemakerLogGroupNames(config).endpoint, ctx, this);
    // A changed imageTag, bootstrapModelKey, instanceType or initialInstanceCount replaces the bootstrap
    // model and config, but the endpoint ignores `endpointConfigName` and keeps running on the old pair.
    // Pulumi must not delete them under it: SageMaker needs an in-use config and its model (to scale, to
    // replace an instance). Removed ones are left in the account (see the README's Teardown).
    const inUseByEndpoint = { retainOnDelete: true };
    const model = new aws.sagemaker.Model(
      `${name}-bootstrap-model`,
      {
        executionRoleArn: ctx.executionRoleArn,
        enableNetworkIsolation: true,
        primaryContainer: {
          image: pulumi.interpolate`${ctx.repositoryUrl}:${s.imageTag}`,
          modelDataSource: {
            s3DataSources: [
              { s3Uri: pulumi.interpolate`s3://${ctx.bucketName}/${s.bootstrapModelKey}`, s3DataType: 'S3Prefix', compressionType: 'None' },
            ],
          },
          // No MAILROUTE_MODEL_ID: the program does not know which model was copied to the bootstrap key (its
          // manifest names its own id), and the container would refuse any id set here that is not that one.
        },
        vpcConfig: { subnets: ctx.subnetIds, securityGroupIds: [ctx.securityGroupId] },
        tags: tagsWith(ctx, physicalName(config, 'bootstrap-model')),
      },
      { parent: this, ...inUseByEndpoint },
    );
    const endpointConfig = new aws.sagemaker.EndpointConfiguration(
      `${name}-bootstrap-config`,
      {
        // SageMaker encrypts local NVMe storage itself and CreateEndpointConfig refuses a KmsKeyId for such types.
        ...(hasInstanceStorage(s.instanceType) ? {} : { kmsKeyArn: ctx.kmsKeyArn }),
        productionVariants: [
          { variantName: VARIANT_NAME, modelName: model.name, instanceType: s.instanceType, initialInstanceCount: s.initialInstanceCount, initialVariantWeight: 1 },
        ],
        tags: tagsWith(ctx, physicalName(config, 'bootstrap-config')),
      },
      { parent: this, ...inUseByEndpoint },
    );
    const endpoint = new aws.sagemaker.Endpoint(
      `${name}-endpoint`,
      { name: endpointName, endpointConfigName: endpointConfig.name, tags: tagsWith(ctx, endpointName) },
      // Prod's endpoint is what the CRM calls: no `pulumi destroy` or replacement takes it down unannounced.
      { parent: this, ignoreChanges: ['endpointConfigName'], protect: config.environment === 'prod' },
    );
    const scaling = endpointScaling(config, endpointName, VARIANT_NAME);
    const target = new aws.appautoscaling.Target(
      `${name}-scaling-target`,
      {
        resourceId: scaling.resourceId,
        scalableDimension: scaling.scalableDimension,
        serviceNamespace: scaling.serviceNamespace,
        minCapacity: scaling.minCapacity,
        maxCapacity: scaling.maxCapacity,
        tags: tagsWith(ctx, physicalName(config, 'classifier-scaling')),
      },
      { parent: this, dependsOn: [endpoint] },
    );
    new aws.appautoscaling.Policy(
      `${name}-scaling-policy`,
      {
        policyType: 'TargetTrackingScaling',
        resourceId: target.resourceId,
        scalableDimension: target.scalableDimension,
        serviceNamespace: target.serviceNamespace,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: scaling.targetValue,
          predefinedMetricSpecification: { predefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
          scaleInCooldown: scaling.scaleInCooldown,
          scaleOutCooldown: scaling.scaleOutCooldown,
        },
      },
      { parent: this },
    );
    this.endpointName = endpoint.name;
    this.endpointArn = endpoint.arn;
    this.registerOutputs({ endpointName: this.endpointName, endpointArn: this.endpointArn });
  }
}
