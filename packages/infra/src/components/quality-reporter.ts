import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { qualityReporterPolicy } from '../iam-documents.js';
import { QUALITY_LAMBDA_ENV } from '../lambda-env.js';
import { ARTIFACT_PREFIXES } from '../storage-plan.js';
import { physicalName } from '../naming.js';
import { createVpcLambda, type LambdaPlacement } from './vpc-lambda.js';
import { tagsWith, type StackContext } from './common.js';

export interface QualityReporterArgs extends LambdaPlacement {
  tableName: pulumi.Input<string>;
  tableArn: pulumi.Input<string>;
  bucketName: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
}

/** Daily at 02:00 UTC, before anyone reads the dashboard. */
export const QUALITY_SCHEDULE = 'cron(0 2 * * ? *)';

/**
 * The daily live-quality reporter: macro F1 per task over the last 30 days of CRM feedback, written as
 * CloudWatch EMF lines (metric `Mailroute/Quality` `LiveMacroF1`), which the live-quality alarm watches.
 */
export class QualityReporter extends pulumi.ComponentResource {
  readonly functionName: string;

  constructor(name: string, ctx: StackContext & QualityReporterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mailroute:ops:QualityReporter', name, {}, opts);
    const { config } = ctx;
    const { fn, functionName } = createVpcLambda(
      `${name}-reporter`,
      ctx,
      {
        part: 'quality',
        description: 'mailroute: daily live macro F1 from CRM feedback (CloudWatch EMF)',
        memoryMb: 512,
        timeoutSeconds: 300,
        environment: {
          [QUALITY_LAMBDA_ENV.tableName]: ctx.tableName,
          [QUALITY_LAMBDA_ENV.artifactBucket]: ctx.bucketName,
          [QUALITY_LAMBDA_ENV.modelsPrefix]: ARTIFACT_PREFIXES.models,
          [QUALITY_LAMBDA_ENV.environment]: config.environment,
          [QUALITY_LAMBDA_ENV.windowDays]: '30',
          [QUALITY_LAMBDA_ENV.minFeedback]: '30',
        },
        policy: (logGroupArn) =>
          pulumi.all([ctx.tableArn, ctx.kmsKeyArn, logGroupArn, ctx.bucketArn]).apply(([tableArn, kmsKeyArn, lg, bucketArn]) =>
            qualityReporterPolicy({ tableArn, kmsKeyArn, logGroupArn: lg, artifactBucketArn: bucketArn, modelsPrefix: ARTIFACT_PREFIXES.models }),
          ),
      },
      this,
    );
    const ruleName = physicalName(config, 'quality-daily');
    const rule = new aws.cloudwatch.EventRule(
      `${name}-schedule`,
      { name: ruleName, description: 'Daily live-quality report', scheduleExpression: QUALITY_SCHEDULE, tags: tagsWith(ctx, ruleName) },
      { parent: this },
    );
    new aws.cloudwatch.EventTarget(`${name}-target`, { rule: rule.name, arn: fn.arn, retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 } }, { parent: this });
    new aws.lambda.Permission(
      `${name}-invoke`,
      { action: 'lambda:InvokeFunction', function: fn.name, principal: 'events.amazonaws.com', sourceArn: rule.arn },
      { parent: this },
    );
    this.functionName = functionName;
    this.registerOutputs({});
  }
}
