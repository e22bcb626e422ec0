import { describe, it, expect } from 'vitest';
import { carveSubnets, privateSubnetPlan, vpcEndpointPlan } from './network-plan.js';
import { ARTIFACT_PREFIXES, accessLogBucketPolicy, accessLogLifecycleRules, approvalEventPattern, artifactLifecycleRules, endpointScaling, failedEndpointPattern, sagemakerPrefixes } from './storage-plan.js';
import { alarmSpecs, dashboardBody } from './monitoring-plan.js';
import { QUALITY_METRIC } from '@mailroute/aws/contracts';
import { physicalName, standardTags } from './naming.js';
import { apiLambdaPolicy, deployerLambdaPolicy, kmsKeyPolicy, qualityReporterPolicy, sagemakerExecutionPolicy, schedulerTargetPolicy, serviceTrustPolicy, tlsOnlyBucketPolicy } from './iam-documents.js';
import { parseStackConfig } from './config.js';
import { ecrLifecyclePolicy } from './components/training.js';
import { MINIMAL_CONFIG } from './testing/minimal-config.js';

const config = parseStackConfig({
  environment: 'prod',
  accountId: '222222222222',
  region: 'eu-central-1',
  deployRoleArn: 'arn:aws:iam::222222222222:role/deploy',
  costCentre: 'cc-2',
  api: { issuer: 'https://login.example.com', allowedClientIds: ['crm'] },
  monitoring: { alarmEmail: 'ops@example.com', p99LatencyMs: 250, logRetentionDays: 365 },
  serving: { imageTag: '0.1.0', minInstances: 2, maxInstances: 4 },
});

describe('network plan', () => {
  it('carves aligned, non-overlapping /20 subnets per AZ', () => {
    expect(privateSubnetPlan('10.40.0.0/16', 'eu-central-1', 3)).toEqual([
      { az: 'eu-central-1a', cidr: '10.40.0.0/20' },
      { az: 'eu-central-1b', cidr: '10.40.16.0/20' },
      { az: 'eu-central-1c', cidr: '10.40.32.0/20' },
    ]);
    expect(() => carveSubnets('10.40.0.0/24', 20, 1)).toThrow(RangeError);
    expect(() => carveSubnets('10.40.0.1/16', 20, 1)).toThrow(/network address/);
    expect(() => carveSubnets('10.40.0.0/19', 20, 3)).toThrow(/fewer than 3/);
  });

  it('lists gateway endpoints for S3 and DynamoDB and interface endpoints for the rest', () => {
    const plan = vpcEndpointPlan('eu-central-1');
    expect(plan.filter((e) => e.type === 'Gateway').map((e) => e.key)).toEqual(['s3', 'dynamodb']);
    expect(plan.map((e) => e.serviceName)).toEqual(expect.arrayContaining([
      'com.amazonaws.eu-central-1.sagemaker.api',
      'com.amazonaws.eu-central-1.sagemaker.runtime',
      'com.amazonaws.eu-central-1.ecr.api',
      'com.amazonaws.eu-central-1.ecr.dkr',
      'com.amazonaws.eu-central-1.logs',
      'com.amazonaws.eu-central-1.sts',
    ]));
  });
});

describe('storage and deployment plans', () => {
  it('expires noncurrent versions and scratch, moves old data to IA', () => {
    const rules = artifactLifecycleRules(config);
    expect(rules.find((r) => r.id === 'expire-noncurrent-versions-data')).toMatchObject({ filter: { prefix: 'data/' }, noncurrentVersionExpiration: { noncurrentDays: 90 } });
    expect(rules.find((r) => r.id === 'training-data-to-infrequent-access')?.filter).toEqual({ prefix: 'data/' });
  });

  /** The days S3 keeps a noncurrent version of `key`: where rules overlap, the shortest expiry applies; none: kept. */
  const noncurrentDaysOf = (rules: ReturnType<typeof artifactLifecycleRules>, key: string) => {
    const days = rules.flatMap((r) => {
      const prefix = (r.filter as { prefix?: string }).prefix ?? '';
      const expiry = (r as { noncurrentVersionExpiration?: { noncurrentDays: number } }).noncurrentVersionExpiration;
      return key.startsWith(prefix) && expiry ? [expiry.noncurrentDays] : [];
    });
    return days.length === 0 ? undefined : Math.min(...days);
  };

  it("keeps old versions of the registry's audit trail under models/ years in prod, not the other prefixes' 90 days", () => {
    const rules = artifactLifecycleRules(config);
    // Prod's default: seven years. The champion pointer, its history and the decision records are rewritten or
    // deleted only by a person or the registry; their earlier versions are the trail.
    for (const key of ['models/champion.json', 'models/champion-history.json', 'models/m-7.decision.1.json', 'models/m-7/manifest.json']) expect(noncurrentDaysOf(rules, key), key).toBe(2557);
    for (const key of ['data/retraining/exports/crm.csv', 'reports/r.json', 'training-output/retrain/j/output/model/x']) expect(noncurrentDaysOf(rules, key), key).toBe(90);
    // The replaced feedback file still goes after a day (its rule overlaps data/'s, and the shorter wins).
    expect(noncurrentDaysOf(artifactLifecycleRules({ ...config }), 'data/retraining/exports/mailroute-feedback/confirmed-cases.csv')).toBe(1);
    // No bucket-wide noncurrent rule, which would cut models/ to its days; a prefix added later gets a rule of its own.
    expect(rules.filter((r) => 'noncurrentVersionExpiration' in r && !(r.filter as { prefix?: string }).prefix)).toEqual([]);
    expect(rules.filter((r) => r.id.startsWith('expire-noncurrent-versions-')).map((r) => (r.filter as { prefix?: string }).prefix)).toEqual(Object.values(ARTIFACT_PREFIXES));
    // Set by the stack: dev's default is the other prefixes' days.
    expect(noncurrentDaysOf(artifactLifecycleRules({ artifacts: { ...config.artifacts, modelsNoncurrentVersionDays: 3653 } }), 'models/champion.json')).toBe(3653);
    const dev = parseStackConfig({ ...MINIMAL_CONFIG, artifacts: { noncurrentVersionDays: 30 } });
    expect(noncurrentDaysOf(artifactLifecycleRules(dev), 'models/champion.json')).toBe(30);
  });

  it('keeps a replaced or deleted feedback file a day, whether or not the stack keeps the emails\' text now', () => {
    expect(artifactLifecycleRules(config).find((r) => r.id === 'expire-replaced-feedback-files')).toEqual({
      id: 'expire-replaced-feedback-files',
      status: 'Enabled',
      filter: { prefix: 'data/retraining/exports/mailroute-feedback/confirmed-cases' },
      noncurrentVersionExpiration: { noncurrentDays: 1 },
    });
  });

  it('expires the artifact bucket\'s access logs after artifacts.accessLogDays (prod\'s default 400)', () => {
    expect(accessLogLifecycleRules(config)).toEqual([{ id: 'expire-access-logs', status: 'Enabled', filter: {}, expiration: { days: 400 } }]);
    expect(accessLogLifecycleRules({ artifacts: { ...config.artifacts, accessLogDays: 2557 } })[0].expiration).toEqual({ days: 2557 });
  });

  it('lets only S3 log delivery for the one source bucket of this account write logs, under its prefix, over TLS', () => {
    const policy = accessLogBucketPolicy({ logBucketArn: 'arn:aws:s3:::logs', sourceBucketArn: 'arn:aws:s3:::artifacts', accountId: '222222222222', prefix: 'artifact-bucket/' });
    expect(policy.Statement).toEqual([
      tlsOnlyBucketPolicy('arn:aws:s3:::logs').Statement[0],
      {
        Sid: 'S3ServerAccessLogDelivery',
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: 'arn:aws:s3:::logs/artifact-bucket/*',
        Condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:s3:::artifacts' }, StringEquals: { 'aws:SourceAccount': '222222222222' } },
      },
    ]);
  });

  it('gives SageMaker no write access to training data or models (the champion pointer, registered artifacts)', () => {
    const p = sagemakerPrefixes();
    expect(p.write).toEqual(['reports/', 'training-output/']);
    expect(p.read).toContain('models/');
  });

  it('matches only approvals of its own group', () => {
    expect(approvalEventPattern('g')).toEqual({
      source: ['aws.sagemaker'],
      'detail-type': ['SageMaker Model Package State Change'],
      detail: { ModelPackageGroupName: ['g'], ModelApprovalStatus: ['Approved', 'Rejected', 'PendingManualApproval'] },
    });
  });

  it('matches its own endpoint failing or rolling back an update, in the event reference’s spelling (IN_SERVICE) and the API’s (InService)', () => {
    expect(failedEndpointPattern('mailroute-prod-classifier')).toEqual({
      source: ['aws.sagemaker'],
      'detail-type': ['SageMaker Endpoint State Change'],
      detail: {
        EndpointName: ['mailroute-prod-classifier'],
        EndpointStatus: ['Failed', 'FAILED', 'RollingBack', 'ROLLING_BACK', 'UpdateRollbackFailed', 'UPDATE_ROLLBACK_FAILED'],
      },
    });
  });

  it('expires only untagged images: a model package, the bootstrap model or the endpoint may name any tagged one', () => {
    const rules = (JSON.parse(ecrLifecyclePolicy()) as { rules: { selection: { tagStatus: string } }[] }).rules;
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) expect(rule.selection.tagStatus).toBe('untagged');
  });

  it('scales the endpoint variant between the configured bounds', () => {
    expect(endpointScaling(config, 'ep')).toMatchObject({ resourceId: 'endpoint/ep/variant/AllTraffic', minCapacity: 2, maxCapacity: 4 });
  });
});

describe('monitoring plan', () => {
  const specs = alarmSpecs(config, { endpointName: 'ep', variantName: 'AllTraffic', apiFunctionName: 'api', deployerFunctionName: 'dep', apiId: 'abc', stage: '$default' });
  it('has the twelve alarms, p99 in microseconds, quality as a floor, one failed deployment, report or retraining enough to page', () => {
    expect(specs.map((s) => s.key)).toEqual([
      'endpoint-5xx', 'endpoint-p99-latency', 'api-lambda-errors', 'api-lambda-throttles', 'deployer-lambda-errors', 'quality-lambda-errors', 'deploy-dlq-messages',
      'retrain-dlq-messages', 'api-5xx', 'api-p99-latency', 'live-feedback-stopped', 'live-quality',
    ]);
    expect(specs.find((s) => s.key === 'retrain-dlq-messages')?.dimensions).toEqual({ QueueName: 'mailroute-prod-retrain-dlq' });
    expect(specs.find((s) => s.key === 'quality-lambda-errors')).toMatchObject({ dimensions: { FunctionName: 'mailroute-prod-quality' }, datapointsToAlarm: 1 });
    expect(specs.find((s) => s.key === 'deployer-lambda-errors')).toMatchObject({ evaluationPeriods: 1, datapointsToAlarm: 1 });
    expect(specs.find((s) => s.key === 'deploy-dlq-messages')).toMatchObject({ namespace: 'AWS/SQS', dimensions: { QueueName: 'mailroute-prod-deploy-dlq' }, threshold: 0, datapointsToAlarm: 1 });
    const p99 = specs.find((s) => s.key === 'endpoint-p99-latency')!;
    expect(p99.extendedStatistic).toBe('p99');
    expect(p99.threshold).toBe(250_000);
    const quality = specs.find((s) => s.key === 'live-quality')!;
    expect(quality.comparisonOperator).toBe('LessThanThreshold');
    expect(quality.threshold).toBeCloseTo(0.7, 10);
    expect(specs.filter((s) => s.rollback).map((s) => s.name)).toEqual(['mailroute-prod-endpoint-5xx', 'mailroute-prod-endpoint-p99-latency']);
  });
  it('alarms when no feedback was closed for feedbackStoppedDays days while a model serves, where live quality stays OK', () => {
    const stopped = specs.find((s) => s.key === 'live-feedback-stopped')!;
    // The cases closed in the day before each daily run (0 too): under 1 for two daily periods (prod's default) pages.
    expect(stopped).toMatchObject({
      name: 'mailroute-prod-live-feedback-stopped',
      namespace: QUALITY_METRIC.namespace,
      metricName: 'LiveFeedbackLastDay',
      dimensions: { Environment: 'prod' },
      period: 86_400,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      comparisonOperator: 'LessThanThreshold',
      // Nothing published (no model serves yet: a new stack) is no alarm; the reporter's failures alarm of their own.
      treatMissingData: 'notBreaching',
      rollback: false,
    });
    expect(stopped.threshold).toBe(1);
    // The quality alarms themselves take a day without a figure as OK, which is why this one is there.
    expect(specs.find((s) => s.key === 'live-quality')?.treatMissingData).toBe('notBreaching');
    const days = (feedbackStoppedDays?: number, environment: 'dev' | 'prod' = 'prod') => {
      const parsed = parseStackConfig({ ...MINIMAL_CONFIG, environment, serving: { imageTag: '1.0.0', minInstances: 2 }, monitoring: { alarmEmail: 'ops@example.com', logRetentionDays: 365, feedbackStoppedDays } });
      return alarmSpecs(parsed, { endpointName: 'ep', variantName: 'v', apiFunctionName: 'a', deployerFunctionName: 'd', apiId: 'i', stage: 's' }).find((s) => s.key === 'live-feedback-stopped')!;
    };
    expect(days(undefined, 'dev')).toMatchObject({ evaluationPeriods: 7, datapointsToAlarm: 7, dimensions: { Environment: 'dev' } });
    expect(days(4)).toMatchObject({ evaluationPeriods: 4, datapointsToAlarm: 4 });
    // CloudWatch evaluates at most 7 days of periods.
    expect(days(7).period * days(7).evaluationPeriods).toBeLessThanOrEqual(7 * 86_400);
  });

  it('alarms on the p99 latency the CRM sees at the HTTP API, over monitoring.apiP99LatencyMs (2 s by default) for 15 minutes', () => {
    const api = specs.find((s) => s.key === 'api-p99-latency')!;
    expect(api).toMatchObject({
      name: 'mailroute-prod-api-p99-latency',
      namespace: 'AWS/ApiGateway',
      metricName: 'Latency',
      dimensions: { ApiId: 'abc', Stage: '$default' },
      extendedStatistic: 'p99',
      period: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      // Not the model's alone (the Lambda, DynamoDB): it does not roll a deployment back.
      rollback: false,
    });
    // API Gateway's Latency is in milliseconds, unlike SageMaker's ModelLatency.
    expect(api.threshold).toBe(2000);
    expect(api.statistic).toBeUndefined();
    const slower = { ...config, monitoring: { ...config.monitoring, apiP99LatencyMs: 5000 } };
    expect(alarmSpecs(slower, { endpointName: 'ep', variantName: 'v', apiFunctionName: 'a', deployerFunctionName: 'd', apiId: 'i', stage: 's' }).find((s) => s.key === 'api-p99-latency')?.threshold).toBe(5000);
  });

  it('gives a task with a stricter floor an alarm of its own, on its own series', () => {
    const strict = { ...config, monitoring: { ...config.monitoring, minLiveMacroF1ByTask: { queue: 0.8, business_area: 0.75 } } };
    const all = alarmSpecs(strict, { endpointName: 'ep', variantName: 'AllTraffic', apiFunctionName: 'api', deployerFunctionName: 'dep', apiId: 'abc', stage: '$default' });
    expect(all.map((s) => s.key).slice(-3)).toEqual(['live-quality', 'live-quality-queue', 'live-quality-business-area']);
    const queue = all.find((s) => s.key === 'live-quality-queue')!;
    expect(queue).toMatchObject({ name: 'mailroute-prod-live-quality-queue', namespace: QUALITY_METRIC.namespace, metricName: QUALITY_METRIC.name, dimensions: { Environment: 'prod', Task: 'queue' }, comparisonOperator: 'LessThanThreshold', treatMissingData: 'notBreaching', rollback: false });
    expect(queue.threshold).toBeCloseTo(0.8, 10);
    // The worst-task alarm keeps its floor and its {Environment} series.
    expect(all.find((s) => s.key === 'live-quality')?.dimensions).toEqual({ Environment: 'prod' });
  });

  it('draws one widget per alarm and the feedback volume', () => {
    const body = JSON.parse(dashboardBody('eu-central-1', 'prod', specs)) as { widgets: { x: number; y: number; properties: { metrics: string[][] } }[] };
    expect(body.widgets).toHaveLength(13);
    expect(body.widgets[0].properties.metrics[0]).toEqual(['AWS/SageMaker', 'Invocation5XXErrors', 'EndpointName', 'ep', 'VariantName', 'AllTraffic']);
    // The count the quality reporter publishes beside the macro F1 (its EMF record), for the stack's environment.
    const volume = body.widgets.find((w) => w.properties.metrics[0][1] === QUALITY_METRIC.feedbackCount);
    expect(volume?.properties.metrics[0]).toEqual([QUALITY_METRIC.namespace, 'LiveFeedbackCount', 'Environment', 'prod']);
    expect(new Set(body.widgets.map((w) => `${w.x},${w.y}`)).size).toBe(13);
  });
});

describe('naming', () => {
  it('prefixes and bounds names', () => {
    expect(physicalName(config, 'api')).toBe('mailroute-prod-api');
    expect(() => physicalName(config, 'x'.repeat(60))).toThrow(/longer than 63/);
    expect(() => physicalName(config, 'Bad_Name')).toThrow(/characters/);
    expect(standardTags(config)).toMatchObject({ environment: 'prod', service: 'mailroute', 'cost-centre': 'cc-2' });
  });
});

describe('policy documents', () => {
  it('trust policies carry the source-account condition and no Resource', () => {
    const s = serviceTrustPolicy('lambda.amazonaws.com', '222222222222').Statement[0];
    expect(s.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '222222222222' } });
    expect(s.Resource).toBeUndefined();
  });
  it('denies plain HTTP on bucket and objects', () => {
    const s = tlsOnlyBucketPolicy('arn:aws:s3:::b').Statement[0];
    expect(s).toMatchObject({ Effect: 'Deny', Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'], Condition: { Bool: { 'aws:SecureTransport': false } } });
  });
  it('limits CloudWatch Logs use of the key to this account’s log groups', () => {
    const s = kmsKeyPolicy({ accountId: '222222222222', region: 'eu-central-1' }).Statement.find((x) => x.Sid === 'CloudWatchLogsEncrypts');
    expect(s?.Condition).toEqual({ ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-central-1:222222222222:*' } });
  });
  it('scopes SageMaker to its prefixes', () => {
    const d = sagemakerExecutionPolicy({ bucketArn: 'arn:aws:s3:::b', readPrefixes: ['data/'], writePrefixes: ['models/'], kmsKeyArn: 'k', ecrRepositoryArn: 'r', logGroupArns: ['arn:lg'] });
    expect(d.Statement.find((s) => s.Sid === 'ReadPrefixes')?.Resource).toEqual(['arn:aws:s3:::b/data/*']);
    expect(d.Statement.find((s) => s.Sid === 'WritePrefixes')?.Resource).toEqual(['arn:aws:s3:::b/models/*']);
  });
  it('lets the API Lambda invoke only its endpoint and the deployer pass only the SageMaker role', () => {
    const api = apiLambdaPolicy({ endpointArn: 'arn:ep', tableArn: 'arn:t', kmsKeyArn: 'k', logGroupArn: 'lg', artifactBucketArn: 'arn:aws:s3:::b', modelsPrefix: 'models/' });
    expect(api.Statement.find((s) => s.Sid === 'InvokeEndpoint')?.Resource).toBe('arn:ep');
    // Nothing the API Lambda runs puts CloudWatch metrics.
    expect(api.Statement.flatMap((s) => [s.Action].flat())).not.toContain('cloudwatch:PutMetricData');
    // Reading only models/; listing the bucket (key names, no prefix condition), so a missing champion pointer is 404 NoSuchKey, not 403.
    expect(api.Statement.filter((s) => s.Sid?.startsWith('ReadModelManifests'))).toEqual([
      { Sid: 'ReadModelManifests', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/models/*' },
      { Sid: 'ReadModelManifestsMissingAs404', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b' },
    ]);
    const dep = deployerLambdaPolicy({ accountId: '2', region: 'r', endpointName: 'ep', modelPackageGroupName: 'g', sagemakerRoleArn: 'arn:role', kmsKeyArn: 'k', logGroupArn: 'lg', alarmArns: ['a'], deadLetterQueueArn: 'arn:dlq' });
    expect(dep.Statement.find((s) => s.Sid === 'FailedApprovalsToDeadLetterQueue')).toMatchObject({ Action: 'sqs:SendMessage', Resource: 'arn:dlq' });
    expect(dep.Statement.find((s) => s.Sid === 'PassExecutionRoleToSageMaker')).toMatchObject({ Resource: 'arn:role', Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } } });
  });
});

describe('network interface permissions', () => {
  const eniActions = (d: { Statement: { Sid?: string; Action: string | string[] }[] }) => [d.Statement.find((s) => s.Sid === 'VpcNetworkInterfaces')?.Action ?? []].flat().sort();
  // AWSLambdaVPCAccessExecutionRole's EC2 actions, no more.
  const lambdaVpcAccess = ['ec2:AssignPrivateIpAddresses', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:UnassignPrivateIpAddresses'];
  const sagemakerOnly = ['ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterfacePermission', 'ec2:DescribeDhcpOptions', 'ec2:DescribeSecurityGroups', 'ec2:DescribeVpcs'];

  it('gives Lambda roles what AWSLambdaVPCAccessExecutionRole has, nothing of SageMaker’s', () => {
    const lambdaPolicies = [
      apiLambdaPolicy({ endpointArn: 'arn:ep', tableArn: 'arn:t', kmsKeyArn: 'k', logGroupArn: 'lg', artifactBucketArn: 'arn:aws:s3:::b', modelsPrefix: 'models/' }),
      qualityReporterPolicy({ tableArn: 'arn:t', kmsKeyArn: 'k', logGroupArn: 'lg', artifactBucketArn: 'arn:aws:s3:::b', modelsPrefix: 'models/' }),
      deployerLambdaPolicy({ accountId: '2', region: 'r', endpointName: 'ep', modelPackageGroupName: 'g', sagemakerRoleArn: 'arn:role', kmsKeyArn: 'k', logGroupArn: 'lg', alarmArns: ['a'], deadLetterQueueArn: 'arn:dlq' }),
    ];
    for (const d of lambdaPolicies) expect(eniActions(d)).toEqual(lambdaVpcAccess);
  });

  it('gives the SageMaker execution role SageMaker’s VPC actions', () => {
    const d = sagemakerExecutionPolicy({ bucketArn: 'arn:aws:s3:::b', readPrefixes: ['data/'], writePrefixes: ['reports/'], kmsKeyArn: 'k', ecrRepositoryArn: 'r', logGroupArns: ['arn:lg'] });
    expect(eniActions(d)).toEqual(expect.arrayContaining([...lambdaVpcAccess, ...sagemakerOnly]));
  });
});

describe('key policy and scheduler role', () => {
  it('lets EventBridge write to the encrypted dead-letter queue, in this account only', () => {
    const s = kmsKeyPolicy({ accountId: '222222222222', region: 'eu-central-1' }).Statement.find((x) => x.Sid === 'EventBridgeWritesEncryptedDeadLetters');
    expect(s).toMatchObject({ Principal: { Service: 'events.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } } });
  });
  it('lets the scheduler start only its target', () => {
    const d = schedulerTargetPolicy({ kind: 'sagemaker-pipeline', arn: 'arn:aws:sagemaker:eu-central-1:2:pipeline/p' }, 'arn:key', 'arn:dlq');
    expect(d.Statement.map((s) => [s.Action, s.Resource])).toEqual([
      ['sagemaker:StartPipelineExecution', 'arn:aws:sagemaker:eu-central-1:2:pipeline/p'],
      ['sqs:SendMessage', 'arn:dlq'],
      [['kms:Decrypt', 'kms:GenerateDataKey'], 'arn:key'],
    ]);
  });
});
