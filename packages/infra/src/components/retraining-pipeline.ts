import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { serviceTrustPolicy } from '../iam-documents.js';
import { feedbackExportLambdaPolicy, registerLambdaPolicy, retrainingPipelinePolicy } from '../iam-retraining.js';
import { FEEDBACK_EXPORT_LAMBDA_ENV, REGISTER_LAMBDA_ENV } from '../lambda-env.js';
import { RETRAIN_OUTPUT_PREFIX, retrainingPipelineDefinition } from '../retraining-pipeline.js';
import { ARTIFACT_PREFIXES } from '../storage-plan.js';
import { physicalName } from '../naming.js';
import { createVpcLambda, type LambdaPlacement } from './vpc-lambda.js';
import { exportsFeedback } from '../schedule.js';
import { tagsWith, type StackContext } from './common.js';

// Decided with the config (schedule.ts), whose schedule description names the step.
export { exportsFeedback } from '../schedule.js';

/** The register Lambda's /tmp in MB (Lambda's most). */
export const REGISTER_TMP_MB = 10_240;

/** The longest a SageMaker pipeline's Lambda step waits for its function (10 minutes). */
export const LAMBDA_STEP_SECONDS = 600;

/**
 * The timeout of every function a Lambda step runs (register, feedback export): a minute under the step's limit, so
 * that a run past it fails before the step does (its cold start is not counted in the timeout) and never writes (a
 * model package, a training file) after the step has failed and the pipeline run with it.
 */
export const LAMBDA_STEP_FUNCTION_SECONDS = LAMBDA_STEP_SECONDS - 60;

/** `codeDir`: the register Lambda's bundle (`dist/register`). */
export interface RetrainingPipelineArgs extends LambdaPlacement {
  /** The SageMaker execution role: the training job runs as it. */
  executionRoleArn: pulumi.Input<string>;
  /** The stack's ECR repository: the serving image (its `serving.imageTag`) trains and serves. */
  repositoryUrl: pulumi.Input<string>;
  bucketName: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
  modelPackageGroupName: pulumi.Input<string>;
  /** The prediction and feedback table, which the ExportFeedback step reads (feedback.storeText). */
  tableName: pulumi.Input<string>;
  tableArn: pulumi.Input<string>;
  /** The feedback-export Lambda's bundle (`dist/export-feedback`). */
  feedbackExportCodeDir: string;
}

/**
 * The SageMaker pipeline `<prefix>-retrain` the monthly schedule starts: where the stack keeps the emails' text
 * (`feedback.storeText`), ExportFeedback (the feedback-export Lambda writes the table's confirmed cases beside the CRM's
 * exports); Train (a training job on the serving image, in the VPC, network-isolated) then Register (the register
 * Lambda publishes the trained artifact as a PendingManualApproval model package; a person's approval deploys it, as
 * for any package). Its own role runs the steps; the register Lambda's is the one that writes `models/`.
 */
export class RetrainingPipeline extends pulumi.ComponentResource {
  readonly pipelineArn: pulumi.Output<string>;
  readonly pipelineName: pulumi.Output<string>;
  readonly registerFunctionName: string;
  /** The ExportFeedback step's function, where the stack keeps the emails' text. */
  readonly feedbackExportFunctionName?: string;

  constructor(name: string, ctx: StackContext & RetrainingPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mailroute:ml:RetrainingPipeline', name, {}, opts);
    const { config } = ctx;
    const image = pulumi.interpolate`${ctx.repositoryUrl}:${config.serving.imageTag}`;
    const register = createVpcLambda(
      `${name}-register`,
      ctx,
      {
        part: 'register',
        description: 'mailroute: the retraining pipeline’s Register step (trained artifact -> model package, PendingManualApproval)',
        memoryMb: 1024,
        // The Lambda step waits for the function; a registration downloads and uploads a few MB.
        timeoutSeconds: LAMBDA_STEP_FUNCTION_SECONDS,
        // The artifact is downloaded to /tmp whole: the most Lambda gives (10 GB), so any model ONNX can hold (2 GB)
        // fits, which Lambda's default 512 MB did not (the config allows wide models); it costs cents a year.
        ephemeralStorageMb: REGISTER_TMP_MB,
        environment: {
          [REGISTER_LAMBDA_ENV.artifactBucket]: ctx.bucketName,
          [REGISTER_LAMBDA_ENV.modelsPrefix]: ARTIFACT_PREFIXES.models,
          [REGISTER_LAMBDA_ENV.modelPackageGroupName]: ctx.modelPackageGroupName,
          [REGISTER_LAMBDA_ENV.inferenceImage]: image,
          [REGISTER_LAMBDA_ENV.trainingOutputPrefix]: RETRAIN_OUTPUT_PREFIX,
        },
        policy: (logGroupArn) =>
          pulumi.all([ctx.bucketArn, ctx.modelPackageGroupName, ctx.kmsKeyArn, logGroupArn]).apply(([artifactBucketArn, modelPackageGroupName, kmsKeyArn, lg]) =>
            registerLambdaPolicy({
              accountId: config.accountId,
              region: config.region,
              artifactBucketArn,
              trainingOutputPrefix: RETRAIN_OUTPUT_PREFIX,
              modelsPrefix: ARTIFACT_PREFIXES.models,
              modelPackageGroupName,
              kmsKeyArn,
              logGroupArn: lg,
            }),
          ),
      },
      this,
    );
    // Where the API keeps the emails' text, the monthly run trains on the cases people confirmed too.
    const exporter = exportsFeedback(config)
      ? createVpcLambda(
          `${name}-export-feedback`,
          { ...ctx, codeDir: ctx.feedbackExportCodeDir },
          {
            part: 'export-feedback',
            description: 'mailroute: the retraining pipeline’s ExportFeedback step (confirmed cases of the table -> training data)',
            // It holds the window's feedback (about 300 bytes a case) and streams the file.
            memoryMb: 1024,
            timeoutSeconds: LAMBDA_STEP_FUNCTION_SECONDS,
            // The file is written to /tmp before its upload: with text, about 2 KB a case.
            ephemeralStorageMb: REGISTER_TMP_MB,
            environment: {
              [FEEDBACK_EXPORT_LAMBDA_ENV.tableName]: ctx.tableName,
              [FEEDBACK_EXPORT_LAMBDA_ENV.artifactBucket]: ctx.bucketName,
              [FEEDBACK_EXPORT_LAMBDA_ENV.dataPrefix]: ARTIFACT_PREFIXES.data,
            },
            policy: (logGroupArn) =>
              pulumi.all([ctx.tableArn, ctx.bucketArn, ctx.kmsKeyArn, logGroupArn]).apply(([tableArn, artifactBucketArn, kmsKeyArn, lg]) =>
                feedbackExportLambdaPolicy({ tableArn, artifactBucketArn, dataPrefix: ARTIFACT_PREFIXES.data, kmsKeyArn, logGroupArn: lg }),
              ),
          },
          this,
        )
      : undefined;
    const exporterArn = exporter?.fn.arn ?? pulumi.output(undefined);
    const roleName = physicalName(config, 'retrain-pipeline', 64);
    const role = new aws.iam.Role(
      `${name}-role`,
      { name: roleName, assumeRolePolicy: JSON.stringify(serviceTrustPolicy('sagemaker.amazonaws.com', config.accountId)), tags: tagsWith(ctx, roleName) },
      { parent: this },
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: pulumi.all([ctx.executionRoleArn, register.fn.arn, exporterArn, ctx.kmsKeyArn]).apply(([sagemakerRoleArn, registerFunctionArn, feedbackExportFunctionArn, kmsKeyArn]) =>
          JSON.stringify(
            retrainingPipelinePolicy({
              accountId: config.accountId,
              region: config.region,
              sagemakerRoleArn,
              registerFunctionArn,
              feedbackExportFunctionArn,
              kmsKeyArn,
              // What a run may cost: the configured type and run time only, whatever a run started by hand asks for.
              trainingInstanceTypes: [config.training.instanceType],
              maxRuntimeSeconds: config.training.maxRuntimeSeconds,
            }),
          ),
        ),
      },
      { parent: this },
    );
    const pipelineName = physicalName(config, 'retrain');
    const definition = pulumi
      .all([ctx.bucketName, ctx.kmsKeyArn, ctx.executionRoleArn, image, register.fn.arn, exporterArn, pulumi.all(ctx.subnetIds), ctx.securityGroupId])
      .apply(([bucketName, kmsKeyArn, executionRoleArn, trainingImage, registerFunctionArn, feedbackExportFunctionArn, subnetIds, securityGroupId]) =>
        JSON.stringify(
          retrainingPipelineDefinition({ config, bucketName, kmsKeyArn, executionRoleArn, trainingImage, registerFunctionArn, feedbackExportFunctionArn, subnetIds, securityGroupId, tags: ctx.tags }),
        ),
      );
    const pipeline = new aws.sagemaker.Pipeline(
      `${name}-pipeline`,
      {
        pipelineName,
        pipelineDisplayName: pipelineName,
        pipelineDescription: exportsFeedback(config)
          ? 'mailroute: export the confirmed cases, train on them and the CRM exports under data/, register the model for approval'
          : 'mailroute: train on the CRM exports under data/, register the model for approval',
        roleArn: role.arn,
        pipelineDefinition: definition,
        tags: tagsWith(ctx, pipelineName),
      },
      // Its role may run the steps before the first execution can start.
      { parent: this, dependsOn: [policy] },
    );
    this.pipelineArn = pipeline.arn;
    this.pipelineName = pipeline.pipelineName;
    this.registerFunctionName = register.functionName;
    this.feedbackExportFunctionName = exporter?.functionName;
    this.registerOutputs({ pipelineArn: this.pipelineArn, pipelineName: this.pipelineName });
  }
}
