import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { alarmSpecs, dashboardBody } from '../monitoring-plan.js';
import { physicalName } from '../naming.js';
import { tagsWith, type StackContext } from './common.js';

export interface MonitoringArgs {
  kmsKeyArn: pulumi.Input<string>;
  endpointName: string;
  variantName: string;
  apiFunctionName: string;
  deployerFunctionName: string;
  apiId: pulumi.Input<string>;
  stage: string;
}

/** Alarms to an encrypted SNS topic with the alarm address subscribed, and one dashboard. */
export class Monitoring extends pulumi.ComponentResource {
  readonly topicArn: pulumi.Output<string>;
  readonly alarmNames: string[] = [];
  readonly dashboardName: pulumi.Output<string>;

  constructor(name: string, ctx: StackContext & MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mailroute:ops:Monitoring', name, {}, opts);
    const { config } = ctx;
    const topicName = physicalName(config, 'alarms');
    const topic = new aws.sns.Topic(`${name}-topic`, { name: topicName, kmsMasterKeyId: ctx.kmsKeyArn, tags: tagsWith(ctx, topicName) }, { parent: this });
    new aws.sns.TopicSubscription(`${name}-email`, { topic: topic.arn, protocol: 'email', endpoint: config.monitoring.alarmEmail }, { parent: this });
    const specs = pulumi.output(ctx.apiId).apply((apiId) =>
      alarmSpecs(config, { endpointName: ctx.endpointName, variantName: ctx.variantName, apiFunctionName: ctx.apiFunctionName, deployerFunctionName: ctx.deployerFunctionName, apiId, stage: ctx.stage }),
    );
    // The alarm set is static (keys and names); only the API id inside a dimension is an output.
    const staticSpecs = alarmSpecs(config, { endpointName: ctx.endpointName, variantName: ctx.variantName, apiFunctionName: ctx.apiFunctionName, deployerFunctionName: ctx.deployerFunctionName, apiId: '', stage: ctx.stage });
    staticSpecs.forEach((spec, i) => {
      const resolved = specs.apply((all) => all[i]);
      new aws.cloudwatch.MetricAlarm(
        `${name}-${spec.key}`,
        {
          name: spec.name,
          alarmDescription: spec.description,
          namespace: spec.namespace,
          metricName: spec.metricName,
          dimensions: resolved.apply((s) => s.dimensions),
          statistic: spec.statistic,
          extendedStatistic: spec.extendedStatistic,
          period: spec.period,
          evaluationPeriods: spec.evaluationPeriods,
          datapointsToAlarm: spec.datapointsToAlarm,
          threshold: spec.threshold,
          comparisonOperator: spec.comparisonOperator,
          treatMissingData: spec.treatMissingData,
          alarmActions: [topic.arn],
          okActions: [topic.arn],
          tags: tagsWith(ctx, spec.name),
        },
        { parent: this },
      );
      this.alarmNames.push(spec.name);
    });
    const dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      { dashboardName: physicalName(config, 'overview'), dashboardBody: specs.apply((all) => dashboardBody(config.region, config.environment, all)) },
      { parent: this },
    );
    this.topicArn = topic.arn;
    this.dashboardName = dashboard.dashboardName;
    this.registerOutputs({ topicArn: this.topicArn, dashboardName: this.dashboardName, alarmNames: this.alarmNames });
  }
}
