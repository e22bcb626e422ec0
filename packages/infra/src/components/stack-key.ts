import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { kmsKeyPolicy } from '../iam-documents.js';
import { physicalName } from '../naming.js';
import { dataStoreOptions, tagsWith, type StackContext } from './common.js';

/** The stack's customer managed key: S3, DynamoDB, SNS, SQS, logs, endpoint volumes, ECR, Lambda env. */
export class StackKey extends pulumi.ComponentResource {
  readonly key: aws.kms.Key;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, ctx: StackContext, opts?: pulumi.ComponentResourceOptions) {
    super('mailroute:security:StackKey', name, {}, opts);
    const { config } = ctx;
    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `mailroute ${config.environment}: data at rest`,
        enableKeyRotation: true,
        rotationPeriodInDays: 365,
        deletionWindowInDays: 30,
        policy: JSON.stringify(kmsKeyPolicy({ accountId: config.accountId, region: config.region })),
        tags: tagsWith(ctx, physicalName(config, 'data-key')),
      },
      { parent: this, ...dataStoreOptions(config) },
    );
    new aws.kms.Alias(`${name}-alias`, { name: `alias/${physicalName(config, 'data')}`, targetKeyId: this.key.keyId }, { parent: this, ...dataStoreOptions(config) });
    this.arn = this.key.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
