import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { deployerLambdaPolicy, ruleToQueuePolicy } from '../iam-documents.js';
import { DEPLOYER_LAMBDA_ENV } from '../lambda-env.js';
import { approvalEventPattern, failedEndpointPattern } from '../storage-plan.js';
import { physicalName, REQUIRED_TAG_KEYS } from '../naming.js';
import { deployDeadLetterQueueName } from '../monitoring-plan.js';
import { createVpcLambda, type LambdaPlacement } from './vpc-lambda.js';
import { alarmArn, deadLetterQueue, tagsWith, type StackContext } from './common.js';

/** The deployer's timeout: the longest Lambda allows. */
export const DEPLOYER_TIMEOUT_SECONDS = 900;

/** One deployment at a time (see the deployer's function below). */
export const DEPLOYER_RESERVED_CONCURRENCY = 1;

/**
 * How long an approval waits in the deployer's asynchronous queue (throttled behind another deployment, or between
 * retries of a failed one) before it goes to the dead-letter queue: Lambda's longest, 6 hours, room for the deployment
 * before it (up to 15 minutes an invocation, three invocations) many times over.
 */
export const DEPLOYER_MAX_EVENT_AGE_SECONDS = 21_600;

/**
 * The tags the deployer puts on the models, endpoint configs and endpoints it creates (MAILROUTE_RESOURCE_TAGS): the
 * stack's required ones (environment, service, cost-centre), not `managed-by: pulumi`, as Pulumi does not manage them.
 */
export function deployerResourceTags(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(REQUIRED_TAG_KEYS.map((key) => [key, tags[key]]));
}

export interface DeployOnApprovalArgs extends LambdaPlacement {
  endpointName: pulumi.Input<string>;
  modelPackageGroupName: pulumi.Input<string>;
  executionRoleArn: pulumi.Input<string>;
  /** Alarms that roll a blue/green update back (names are known before the alarms exist). */
  rollbackAlarmNames: string[];
}

/**
 * EventBridge rule on "SageMaker Model Package State Change" with status Approved, Rejected or
 * PendingManualApproval for this stack's group -> the deployer Lambda (new model + endpoint config, blue/green
 * UpdateEndpoint; a version rejected, or its approval withdrawn, that the endpoint serves gives way to the
 * Approved one approved last). Failed
 * deliveries, and deployments that still fail after Lambda's retries, land in an encrypted dead-letter
 * queue with an alarm on it.
 */
export class DeployOnApproval extends pulumi.ComponentResource {
  readonly functionName: string;
  readonly ruleName: pulumi.Output<string>;

  constructor(name: string, ctx: StackContext & DeployOnApprovalArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mailroute:ml:DeployOnApproval', name, {}, opts);
    const { config } = ctx;
    const endpointName = pulumi.output(ctx.endpointName);
    const dlq = deadLetterQueue(`${name}-dlq`, deployDeadLetterQueueName(config), ctx, this);
    const { fn, functionName } = createVpcLambda(
      `${name}-deployer`,
      ctx,
      {
        part: 'deployer',
        description: 'mailroute: deploy an approved model package to the endpoint (blue/green); roll back a rejected one that serves',
        memoryMb: 256,
        // The longest Lambda allows: an approval that meets another rollout (20 minutes or more) waits it
        // out, polling, for up to about 14 minutes an invocation, and Lambda's 2 retries extend that.
        timeoutSeconds: DEPLOYER_TIMEOUT_SECONDS,
        // One deployment at a time: a second approval's invocation is throttled while the first runs, and Lambda keeps
        // it in the function's asynchronous queue, retrying it (throttles are not among the 2 retries of a failed
        // deployment) until it runs or is older than the queue's maximum event age, when it goes to the dead-letter queue.
        reservedConcurrency: DEPLOYER_RESERVED_CONCURRENCY,
        environment: {
          [DEPLOYER_LAMBDA_ENV.endpointName]: ctx.endpointName,
          [DEPLOYER_LAMBDA_ENV.modelPackageGroupName]: ctx.modelPackageGroupName,
          [DEPLOYER_LAMBDA_ENV.executionRoleArn]: ctx.executionRoleArn,
          [DEPLOYER_LAMBDA_ENV.instanceType]: config.serving.instanceType,
          [DEPLOYER_LAMBDA_ENV.initialInstanceCount]: String(config.serving.initialInstanceCount),
          [DEPLOYER_LAMBDA_ENV.subnetIds]: pulumi.all(ctx.subnetIds).apply((ids) => ids.join(',')),
          [DEPLOYER_LAMBDA_ENV.securityGroupIds]: ctx.securityGroupId,
          [DEPLOYER_LAMBDA_ENV.kmsKeyArn]: ctx.kmsKeyArn,
          [DEPLOYER_LAMBDA_ENV.rollbackAlarmNames]: ctx.rollbackAlarmNames.join(','),
          // The models, configs and endpoints it creates carry the stack's tags, as what Pulumi creates does.
          [DEPLOYER_LAMBDA_ENV.resourceTags]: JSON.stringify(deployerResourceTags(ctx.tags)),
        },
        policy: (logGroupArn) =>
          pulumi
            .all([endpointName, ctx.modelPackageGroupName, ctx.executionRoleArn, ctx.kmsKeyArn, logGroupArn, dlq.arn])
            .apply(([ep, group, roleArn, kmsKeyArn, lg, deadLetterQueueArn]) =>
              deployerLambdaPolicy({
                accountId: config.accountId,
                region: config.region,
                endpointName: ep,
                modelPackageGroupName: group,
                sagemakerRoleArn: roleArn,
                kmsKeyArn,
                logGroupArn: lg,
                alarmArns: ctx.rollbackAlarmNames.map((n) => alarmArn(config, n)),
                deadLetterQueueArn,
              }),
            ),
      },
      this,
    );
    const ruleName = physicalName(config, 'model-approved');
    const rule = new aws.cloudwatch.EventRule(
      `${name}-rule`,
      {
        name: ruleName,
        description: 'A model package of this stack was approved or rejected',
        eventPattern: pulumi.output(ctx.modelPackageGroupName).apply((group) => JSON.stringify(approvalEventPattern(group))),
        tags: tagsWith(ctx, ruleName),
      },
      { parent: this },
    );
    const endpointFailed = this.endpointFailedRule(name, ctx, endpointName, dlq);
    new aws.sqs.QueuePolicy(
      `${name}-dlq-policy`,
      {
        queueUrl: dlq.url,
        policy: pulumi
          .all([dlq.arn, rule.arn, endpointFailed.arn])
          .apply(([queueArn, ...ruleArns]) => JSON.stringify(ruleToQueuePolicy(queueArn, ruleArns))),
      },
      { parent: this },
    );
    new aws.cloudwatch.EventTarget(
      `${name}-target`,
      { rule: rule.name, arn: fn.arn, retryPolicy: { maximumRetryAttempts: 4, maximumEventAgeInSeconds: 3600 }, deadLetterConfig: { arn: dlq.arn } },
      { parent: this },
    );
    // EventBridge invokes the deployer asynchronously: its retry policy and DLQ above cover delivery only.
    // A deployment that fails (a bad package, an endpoint still Updating after the deployer waited the
    // invocation out) is retried by Lambda and then sent to the same queue, whose alarm pages; nothing is
    // dropped silently. An approval throttled behind another deployment (reserved concurrency 1) waits in the
    // queue up to the maximum event age, then goes there too.
    new aws.lambda.FunctionEventInvokeConfig(
      `${name}-async`,
      { functionName: fn.name, maximumRetryAttempts: 2, maximumEventAgeInSeconds: DEPLOYER_MAX_EVENT_AGE_SECONDS, destinationConfig: { onFailure: { destination: dlq.arn } } },
      { parent: this },
    );
    new aws.lambda.Permission(
      `${name}-invoke`,
      { action: 'lambda:InvokeFunction', function: fn.name, principal: 'events.amazonaws.com', sourceArn: rule.arn },
      { parent: this },
    );
    this.functionName = functionName;
    this.ruleName = rule.name;
    this.registerOutputs({ ruleName: this.ruleName });
  }

  /**
   * The deployer returns once SageMaker accepts UpdateEndpoint; an update that then fails (the new fleet fails
   * its health checks) or is rolled back raises no error anywhere. Such a state change of the endpoint goes to
   * the deploy dead-letter queue, whose alarm pages. (One rolled back by the 5xx or p99 alarm pages through them.)
   */
  private endpointFailedRule(name: string, ctx: StackContext, endpointName: pulumi.Output<string>, dlq: aws.sqs.Queue): aws.cloudwatch.EventRule {
    const ruleName = physicalName(ctx.config, 'endpoint-failed');
    const rule = new aws.cloudwatch.EventRule(
      `${name}-endpoint-failed`,
      {
        name: ruleName,
        description: 'The endpoint of this stack failed an update or is rolling one back',
        eventPattern: endpointName.apply((ep) => JSON.stringify(failedEndpointPattern(ep))),
        tags: tagsWith(ctx, ruleName),
      },
      { parent: this },
    );
    new aws.cloudwatch.EventTarget(
      `${name}-endpoint-failed-target`,
      { rule: rule.name, arn: dlq.arn, retryPolicy: { maximumRetryAttempts: 4, maximumEventAgeInSeconds: 3600 } },
      { parent: this },
    );
    return rule;
  }
}
