import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { tlsOnlyBucketPolicy } from '../iam-documents.js';
import { ACCESS_LOG_PREFIX, artifactLifecycleRules } from '../storage-plan.js';
import { physicalName } from '../naming.js';
import { AccessLogBucket } from './access-log-bucket.js';
import { dataStoreOptions, tagsWith, type StackContext } from './common.js';

/**
 * S3 for training data, model artifacts and reports: versioned, SSE-KMS, private, TLS only; every request to it
 * recorded by S3 server access logging in a log bucket of its own (who read or wrote which object, and when).
 */
export class ArtifactStorage extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;
  readonly accessLogBucketName: pulumi.Output<string>;

  constructor(name: string, ctx: StackContext & { kmsKeyArn: pulumi.Input<string> }, opts?: pulumi.ComponentResourceOptions) {
    super('mailroute:storage:ArtifactStorage', name, {}, opts);
    const { config } = ctx;
    // Bucket names are global: the account id keeps dev and prod (and other users) apart.
    const bucketName = physicalName(config, `artifacts-${config.accountId}`);
    const bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      { bucket: bucketName, forceDestroy: config.environment !== 'prod', tags: tagsWith(ctx, bucketName) },
      { parent: this, ...dataStoreOptions(config) },
    );
    // The settings stay with the bucket in prod: a retained bucket of customer mail without its public access
    // block and TLS-only policy, or encrypting new objects with SSE-S3, would be worse than a deleted one.
    const child = { parent: this, ...dataStoreOptions(config) };
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } }, child);
    const pab = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      child,
    );
    new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } }, child);
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: ctx.kmsKeyArn }, bucketKeyEnabled: true }],
      },
      child,
    );
    new aws.s3.BucketPolicy(
      `${name}-tls-only`,
      { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(tlsOnlyBucketPolicy(arn))) },
      { ...child, dependsOn: [pab] },
    );
    new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucket.id, rules: artifactLifecycleRules(config) }, child);
    const logs = new AccessLogBucket(`${name}-access-logs`, { ...ctx, sourceBucketArn: bucket.arn, prefix: ACCESS_LOG_PREFIX }, { parent: this });
    // Logging starts once the log bucket and its policy exist (depending on the component waits for its children).
    // Keys partitioned by the requests' date (<prefix><account>/<region>/<bucket>/YYYY/MM/DD/...), for an auditor's query.
    new aws.s3.BucketLogging(
      `${name}-access-logging`,
      {
        bucket: bucket.id,
        targetBucket: logs.bucketName,
        targetPrefix: ACCESS_LOG_PREFIX,
        targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: 'EventTime' } },
      },
      { ...child, dependsOn: [logs] },
    );
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.accessLogBucketName = logs.bucketName;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, accessLogBucketName: this.accessLogBucketName });
  }
}
