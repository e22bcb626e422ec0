import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import type { StackConfig } from '../config.js';
import { ruleToQueuePolicy, schedulerTargetPolicy, serviceTrustPolicy } from '../iam-documents.js';
import { failedPipelineRunPattern } from '../storage-plan.js';
import { physicalName } from '../naming.js';
import { retrainDeadLetterQueueName } from '../monitoring-plan.js';
import { retrainingScheduleDescription } from '../schedule.js';
import { deadLetterQueue, tagsWith, type StackContext } from './common.js';

// Decided with the config (schedule.ts), which checks the schedule's description by it.
export { createsRetrainingPipeline } from '../schedule.js';

/** The retraining target: the configured one, or the stack's SageMaker pipeline `mailroute-<env>-retrain`. */
export function retrainingTarget(config: StackConfig): { kind: 'sagemaker-pipeline' | 'lambda'; arn: string } {
  const t = config.retraining.target ?? { kind: 'sagemaker-pipeline' as const, pipelineName: physicalName(config, 'retrain') };
  if (t.kind === 'lambda') return { kind: 'lambda', arn: t.functionArn };
  return { kind: 'sagemaker-pipeline', arn: `arn:aws:sagemaker:${config.region}:${config.accountId}:pipeline/${t.pipelineName}` };
}

/**
 * EventBridge Scheduler: monthly by default, starting the configured retraining target. `pipelineArn`: the
 * pipeline the stack created (RetrainingPipeline), which the schedule then starts (and is created after).
 */
export class Retraining extends pulumi.ComponentResource {
  readonly scheduleName: pulumi.Output<string>;

  constructor(name: string, ctx: StackContext & { kmsKeyArn: pulumi.Input<string>; pipelineArn?: pulumi.Input<string> }, opts?: pulumi.ComponentResourceOptions) {
    super('mailroute:ml:Retraining', name, {}, opts);
    const { config } = ctx;
    const configured = retrainingTarget(config);
    const targetArn = pulumi.output(configured.kind === 'sagemaker-pipeline' && ctx.pipelineArn !== undefined ? ctx.pipelineArn : configured.arn);
    const roleName = physicalName(config, 'retrain-scheduler', 64);
    const role = new aws.iam.Role(
      `${name}-role`,
      { name: roleName, assumeRolePolicy: JSON.stringify(serviceTrustPolicy('scheduler.amazonaws.com', config.accountId)), tags: tagsWith(ctx, roleName) },
      { parent: this },
    );
    // A run the target refuses (a missing pipeline, a throttled start) lands here after the retries, and
    // its alarm pages: a monthly retraining never fails silently (nor does a run of the stack's pipeline, below).
    const dlq = deadLetterQueue(`${name}-dlq`, retrainDeadLetterQueueName(config), ctx, this);
    new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: pulumi
          .all([targetArn, ctx.kmsKeyArn, dlq.arn])
          .apply(([arn, kmsKeyArn, dlqArn]) => JSON.stringify(schedulerTargetPolicy({ kind: configured.kind, arn }, kmsKeyArn, dlqArn))),
      },
      { parent: this },
    );
    const schedule = new aws.scheduler.Schedule(
      `${name}-schedule`,
      {
        name: physicalName(config, 'retrain-monthly'),
        description: retrainingScheduleDescription(config, ctx.pipelineArn !== undefined),
        scheduleExpression: config.retraining.schedule,
        scheduleExpressionTimezone: config.retraining.timezone,
        state: config.retraining.enabled ? 'ENABLED' : 'DISABLED',
        // At the time the schedule names (the README promises 03:00 on the 1st), not somewhere in the hour after it.
        flexibleTimeWindow: { mode: 'OFF' },
        kmsKeyArn: ctx.kmsKeyArn,
        target: {
          arn: targetArn,
          roleArn: role.arn,
          retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
          deadLetterConfig: { arn: dlq.arn },
          ...(configured.kind === 'sagemaker-pipeline'
            ? { sagemakerPipelineParameters: { pipelineParameters: [{ name: 'Environment', value: config.environment }] } }
            : { input: JSON.stringify({ source: 'mailroute.retraining', environment: config.environment }) }),
        },
      },
      { parent: this },
    );
    if (ctx.pipelineArn !== undefined) this.pageOnFailedRuns(name, ctx, ctx.pipelineArn, dlq);
    this.scheduleName = schedule.name;
    this.registerOutputs({ scheduleName: this.scheduleName });
  }

  /**
   * A run of the stack's pipeline that starts and then fails (no exports, a bad config, a refused registration)
   * goes to the same queue as a refused start, whose alarm pages: the scheduler only sees the start succeed.
   */
  private pageOnFailedRuns(name: string, ctx: StackContext, pipelineArn: pulumi.Input<string>, dlq: aws.sqs.Queue): void {
    const ruleName = physicalName(ctx.config, 'retrain-failed');
    const rule = new aws.cloudwatch.EventRule(
      `${name}-failed-runs`,
      {
        name: ruleName,
        description: 'A run of the retraining pipeline failed',
        eventPattern: pulumi.output(pipelineArn).apply((arn) => JSON.stringify(failedPipelineRunPattern(arn))),
        tags: tagsWith(ctx, ruleName),
      },
      { parent: this },
    );
    new aws.sqs.QueuePolicy(
      `${name}-dlq-policy`,
      { queueUrl: dlq.url, policy: pulumi.all([dlq.arn, rule.arn]).apply(([queueArn, ruleArn]) => JSON.stringify(ruleToQueuePolicy(queueArn, ruleArn))) },
      { parent: this },
    );
    new aws.cloudwatch.EventTarget(`${name}-failed-runs-target`, { rule: rule.name, arn: dlq.arn, retryPolicy: { maximumRetryAttempts: 4, maximumEventAgeInSeconds: 3600 } }, { parent: this });
  }
}
