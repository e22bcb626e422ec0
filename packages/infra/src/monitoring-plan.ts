import { QUALITY_METRIC } from '@mailroute/aws/contracts';
import { liveQualityAlarmKey, type StackConfig } from './config.js';
import { physicalName } from './naming.js';

export interface AlarmSpec {
  key: string;
  name: string;
  description: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  statistic?: 'Sum' | 'Average' | 'Minimum' | 'Maximum';
  extendedStatistic?: string;
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparisonOperator: 'GreaterThanThreshold' | 'LessThanThreshold';
  treatMissingData: 'notBreaching' | 'missing' | 'breaching';
  /** The deployer rolls a blue/green update back when one of these fires. */
  rollback: boolean;
}

/** The quality reporter Lambda's name (pure, as the Lambda names itself: `createVpcLambda` part `quality`). */
export function qualityFunctionName(config: Pick<StackConfig, 'environment'>): string {
  return physicalName(config, 'quality', 64);
}

/** The retraining schedule's dead-letter queue's name (pure, like the deploy one). */
export function retrainDeadLetterQueueName(config: Pick<StackConfig, 'environment'>): string {
  return physicalName(config, 'retrain-dlq');
}

/** The deploy-on-approval dead-letter queue's name (pure: its alarm is planned before it exists). */
export function deployDeadLetterQueueName(config: Pick<StackConfig, 'environment'>): string {
  return physicalName(config, 'deploy-dlq');
}

/** Alarm names are needed before the alarms exist (deployer settings and IAM), so they are pure. */
export function alarmName(config: Pick<StackConfig, 'environment'>, key: string): string {
  return physicalName(config, key, 255);
}

export function alarmSpecs(
  config: Pick<StackConfig, 'environment' | 'monitoring'>,
  names: { endpointName: string; variantName: string; apiFunctionName: string; deployerFunctionName: string; apiId: string; stage: string },
): AlarmSpec[] {
  const m = config.monitoring;
  const endpoint = { EndpointName: names.endpointName, VariantName: names.variantName };
  const base = { period: 60, evaluationPeriods: 5, datapointsToAlarm: 3, treatMissingData: 'notBreaching' as AlarmSpec['treatMissingData'], rollback: false };
  const spec = (s: Omit<AlarmSpec, 'name' | keyof typeof base> & Partial<typeof base>): AlarmSpec => ({
    ...base,
    ...s,
    name: alarmName(config, s.key),
  });
  /** Any message in a dead-letter queue pages: something the system gave up on waits there. */
  const waiting = (queueName: string, key: string, description: string) =>
    spec({
      key,
      description,
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: queueName },
      statistic: 'Maximum',
      period: 300,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
    });
  const lambda = (fn: string, key: string, metricName: string, description: string) =>
    spec({ key, description, namespace: 'AWS/Lambda', metricName, dimensions: { FunctionName: fn }, statistic: 'Sum', threshold: 0, comparisonOperator: 'GreaterThanThreshold' });
  /**
   * Live macro F1 (what the quality reporter Lambda publishes from CRM feedback, daily) under `threshold`: of the worst
   * task (the minimum over the {Environment} series), or of one task (`Task` in `dimensions`). Too little feedback is
   * not a quality drop: the reporter then publishes nothing for the task, and the dashboard's feedback volume widget
   * (feedbackVolumeWidget) shows the count falling or its gap; no count at all for days is the feedback-stopped alarm's.
   */
  const quality = (key: string, description: string, dimensions: Record<string, string>, threshold: number) =>
    spec({
      key,
      description,
      namespace: QUALITY_METRIC.namespace,
      metricName: QUALITY_METRIC.name,
      dimensions: { Environment: config.environment, ...dimensions },
      statistic: 'Minimum',
      period: 86_400,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      threshold,
      comparisonOperator: 'LessThanThreshold',
      treatMissingData: 'notBreaching',
    });
  return [
    spec({
      key: 'endpoint-5xx',
      description: 'SageMaker endpoint returns 5xx',
      namespace: 'AWS/SageMaker',
      metricName: 'Invocation5XXErrors',
      dimensions: endpoint,
      statistic: 'Sum',
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      rollback: true,
    }),
    spec({
      key: 'endpoint-p99-latency',
      description: `SageMaker model latency p99 over ${m.p99LatencyMs} ms`,
      namespace: 'AWS/SageMaker',
      metricName: 'ModelLatency',
      dimensions: endpoint,
      extendedStatistic: 'p99',
      // ModelLatency is reported in microseconds.
      threshold: m.p99LatencyMs * 1000,
      comparisonOperator: 'GreaterThanThreshold',
      rollback: true,
    }),
    lambda(names.apiFunctionName, 'api-lambda-errors', 'Errors', 'API Lambda errors'),
    lambda(names.apiFunctionName, 'api-lambda-throttles', 'Throttles', 'API Lambda throttled'),
    // One failed deployment is worth a page: an approval must not go unserved unnoticed.
    { ...lambda(names.deployerFunctionName, 'deployer-lambda-errors', 'Errors', 'Deployer Lambda failed to deploy an approved model'), evaluationPeriods: 1, datapointsToAlarm: 1 },
    // When the daily reporter fails, the live-quality alarm (missing data: not breaching) goes quiet.
    { ...lambda(qualityFunctionName(config), 'quality-lambda-errors', 'Errors', 'Quality reporter failed: live quality is not being measured'), period: 3600, evaluationPeriods: 1, datapointsToAlarm: 1 },
    waiting(deployDeadLetterQueueName(config), 'deploy-dlq-messages', 'An approval event the deployer gave up on, or the endpoint failing or rolling back an update, waits in the dead-letter queue'),
    waiting(retrainDeadLetterQueueName(config), 'retrain-dlq-messages', 'A retraining run failed to start, or the stack’s retraining pipeline failed a run: it waits in the dead-letter queue'),
    spec({
      key: 'api-5xx',
      description: 'HTTP API answers 5xx',
      namespace: 'AWS/ApiGateway',
      metricName: '5xx',
      dimensions: { ApiId: names.apiId, Stage: names.stage },
      statistic: 'Sum',
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
    }),
    // What the CRM waits for (API Gateway to its answer: the Lambda, the endpoint, DynamoDB), in ms. Fifteen minutes
    // over it, not one: at a few requests a minute the p99 is the slowest one, a cold start now and then.
    spec({
      key: 'api-p99-latency',
      description: `HTTP API latency p99 over ${m.apiP99LatencyMs} ms (what the CRM waits for)`,
      namespace: 'AWS/ApiGateway',
      metricName: 'Latency',
      dimensions: { ApiId: names.apiId, Stage: names.stage },
      extendedStatistic: 'p99',
      period: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      threshold: m.apiP99LatencyMs,
      comparisonOperator: 'GreaterThanThreshold',
    }),
    // The live-quality alarms take a day without a figure as OK: were the CRM to stop posting feedback, they would stay
    // OK for good. Once a model serves, the reporter publishes every day the cases closed in the day before its run, 0
    // too; `feedbackStoppedDays` days in a row under 1 page. Missing data is not breaching: a stack the CRM does not call
    // yet, or one the bootstrap model serves, publishes nothing, and a reporter that fails has an alarm of its own.
    spec({
      key: 'live-feedback-stopped',
      description: `No CRM feedback for ${m.feedbackStoppedDays} day(s) in a row while a model serves: the CRM's feedback stopped`,
      namespace: QUALITY_METRIC.namespace,
      metricName: QUALITY_METRIC.recentFeedback,
      dimensions: { Environment: config.environment },
      statistic: 'Maximum',
      period: 86_400,
      evaluationPeriods: m.feedbackStoppedDays,
      datapointsToAlarm: m.feedbackStoppedDays,
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
      treatMissingData: 'notBreaching',
    }),
    quality('live-quality', `Live macro F1 from CRM feedback under ${m.minLiveMacroF1}`, {}, m.minLiveMacroF1),
    // A stricter floor for a task: its own series (the reporter publishes each task under {Environment, Task} too).
    ...Object.entries(m.minLiveMacroF1ByTask).map(([task, floor]) =>
      quality(liveQualityAlarmKey(task), `Live macro F1 of task ${task} from CRM feedback under ${floor}`, { Task: task }, floor),
    ),
  ];
}

/**
 * The feedback volume: the confirmed cases (CRM feedback over the reporter's 30-day window) the daily macro F1
 * was measured on, the fewest of any task (as the alarm takes the worst task's F1). A task under the
 * reporter's minimum publishes nothing, so a gap here is a day the live-quality alarm could not judge.
 */
function feedbackVolumeWidget(region: string, environment: string) {
  return {
    title: 'Live feedback volume: confirmed cases behind the live macro F1 (fewest of any task)',
    region,
    view: 'timeSeries',
    stat: 'Minimum',
    period: 86_400,
    metrics: [[QUALITY_METRIC.namespace, QUALITY_METRIC.feedbackCount, 'Environment', environment]],
  };
}

/** CloudWatch dashboard body: one metric widget per alarm and the feedback volume, in the stack's region. */
export function dashboardBody(region: string, environment: string, specs: readonly AlarmSpec[]): string {
  const panels = [
    ...specs.map((s) => ({
      title: s.description,
      region,
      view: 'timeSeries',
      stat: s.extendedStatistic ?? s.statistic,
      period: s.period,
      metrics: [[s.namespace, s.metricName, ...Object.entries(s.dimensions).flat()]],
      annotations: { horizontal: [{ label: 'alarm', value: s.threshold }] },
    })),
    feedbackVolumeWidget(region, environment),
  ];
  const widgets = panels.map((properties, i) => ({ type: 'metric', x: (i % 2) * 12, y: Math.floor(i / 2) * 6, width: 12, height: 6, properties }));
  return JSON.stringify({ widgets });
}
