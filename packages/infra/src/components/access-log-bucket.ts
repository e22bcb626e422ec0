import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { accessLogBucketPolicy, accessLogLifecycleRules } from '../storage-plan.js';
import { physicalName } from '../naming.js';
import { dataStoreOptions, tagsWith, type StackContext } from './common.js';

/**
 * The bucket S3 delivers a source bucket's server access logs to: private, owner-enforced, SSE-S3, logs expiring
 * after `artifacts.accessLogDays`, a policy that lets only S3's log delivery for that source write, under `prefix`.
 * No versioning: log objects are written once and only expire.
 */
export class AccessLogBucket extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;

  constructor(
    name: string,
    ctx: StackContext & { sourceBucketArn: pulumi.Input<string>; prefix: string },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('mailroute:storage:AccessLogBucket', name, {}, opts);
    const { config } = ctx;
    // Bucket names are global: the account id keeps dev and prod (and other users) apart, as for the artifact bucket.
    const bucketName = physicalName(config, `access-logs-${config.accountId}`);
    // In prod the logs and their settings outlive the stack as the artifact bucket does: a retained log bucket
    // without its policy would stop receiving logs, and one without its lifecycle would keep them forever.
    const child = { parent: this, ...dataStoreOptions(config) };
    const bucket = new aws.s3.Bucket(`${name}-bucket`, { bucket: bucketName, forceDestroy: config.environment !== 'prod', tags: tagsWith(ctx, bucketName) }, child);
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } }, child);
    const pab = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      child,
    );
    // SSE-S3, not the stack key: S3 server access logging supports default encryption on the target bucket only with
    // SSE-S3 (AES256); "Default server-side encryption with AWS KMS keys (SSE-KMS) is not supported" (S3 User Guide,
    // *Enabling Amazon S3 server access logging*). The policy pack's encryption-at-rest rule allows it for log targets only.
    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] }, child);
    // aws:SourceAccount is mailroute:accountId, the one account the stack's provider may touch (allowedAccountIds).
    const policy = pulumi
      .all([bucket.arn, ctx.sourceBucketArn])
      .apply(([logBucketArn, sourceBucketArn]) => JSON.stringify(accessLogBucketPolicy({ logBucketArn, sourceBucketArn, accountId: config.accountId, prefix: ctx.prefix })));
    new aws.s3.BucketPolicy(`${name}-policy`, { bucket: bucket.id, policy }, { ...child, dependsOn: [pab] });
    new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucket.id, rules: accessLogLifecycleRules(config) }, child);
    this.bucketName = bucket.bucket;
    this.registerOutputs({ bucketName: this.bucketName });
  }
}
