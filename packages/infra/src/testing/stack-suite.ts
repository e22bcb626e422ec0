// Test-only: the assertions every stack must pass, run by stack-dev.test.ts and stack-prod.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import type { StackConfig } from '../config.js';
import { createProgram } from '../stack.js';
import { runPolicies } from '../policies/rules.js';
import { T, first, policyStatements } from '../policies/graph.js';
import { API_LAMBDA_ENV, API_ROUTES, DEPLOYER_LAMBDA_ENV, QUALITY_LAMBDA_ENV } from '../lambda-env.js';
import { loadStackConfigFile, runMocked, type RecordedResource } from './pulumi-harness.js';
import { expectRetrainingPipeline } from './retraining-checks.js';
import { failedEndpointPattern } from '../storage-plan.js';
import { NAME_RULES, nameProblems } from './name-rules.js';

export function stackSuite(stack: 'dev' | 'prod') {
  let config: StackConfig;
  let graph: RecordedResource[];
  let outputs: Record<string, unknown>;
  const one = (type: string, name?: string) => {
    const found = graph.filter((r) => r.type === type && (name === undefined || r.name === name));
    expect(found, `${type} ${name ?? ''}`).toHaveLength(1);
    return found[0];
  };
  const all = (type: string) => graph.filter((r) => r.type === type);
  const inputs = (type: string, name?: string) => one(type, name).inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  beforeAll(async () => {
    config = loadStackConfigFile(stack);
    ({ graph, outputs } = await runMocked(config, (rootOpts) => createProgram(config, { lambdaDistDir: '/opt/mailroute/dist' }, rootOpts).outputs));
  }, 60_000);

  describe(`stack ${stack}`, () => {
    it('passes every policy', () => {
      expect(runPolicies(graph, { environment: stack, accountId: config.accountId })).toEqual([]);
    });

    it('gives every named resource a name its service takes', () => {
      expect(nameProblems(graph)).toEqual([]);
      // Every kind the rules know is in the stack, so a rule cannot go stale unnoticed.
      expect(Object.keys(NAME_RULES).filter((type) => !graph.some((r) => r.type === type))).toEqual([]);
    });

    it('pins the provider to the stack’s account and role', () => {
      const p = inputs(T.provider);
      expect(p.allowedAccountIds).toEqual([config.accountId]);
      expect(p.assumeRoles[0].roleArn).toBe(config.deployRoleArn);
      expect(p.region).toBe(config.region);
      expect(p.defaultTags.tags).toMatchObject({ environment: stack, service: 'mailroute', 'cost-centre': config.costCentre });
    });

    it('runs every Lambda on a supported Node runtime (Node 20 reached its end of life in April 2026)', () => {
      expect(all(T.lambda).map((f) => f.inputs.runtime)).toEqual(Array(4).fill('nodejs22.x'));
    });

    it('builds every resource inside a mailroute component', () => {
      const components = new Set(graph.filter((r) => r.type.startsWith('mailroute:')).map((r) => r.name));
      expect([...components].sort()).toEqual(
        ['api', 'artifacts', 'artifacts-access-logs', 'deploy-on-approval', 'feedback', 'key', 'monitoring', 'network', 'quality', 'registry', 'retraining', 'retraining-pipeline', 'serving', 'training', `mailroute-${stack}-stack`].sort(),
      );
      for (const r of graph.filter((x) => x.type.startsWith('aws:'))) expect(components.has(r.parentName ?? ''), r.name).toBe(true);
    });

    it('Network: private subnets per AZ, nine endpoints, no internet path', () => {
      expect(inputs(T.provider).region).toBe(config.region);
      expect(inputs('aws:ec2/vpc:Vpc').cidrBlock).toBe(config.network.cidr);
      const subnets = all(T.subnet);
      expect(subnets).toHaveLength(config.network.azCount);
      expect(subnets.every((s) => s.inputs.mapPublicIpOnLaunch === false)).toBe(true);
      const endpoints = all('aws:ec2/vpcEndpoint:VpcEndpoint');
      expect(endpoints).toHaveLength(9);
      expect(endpoints.filter((e) => e.inputs.vpcEndpointType === 'Interface').every((e) => e.inputs.privateDnsEnabled === true)).toBe(true);
      const workloads = inputs(T.securityGroup, 'network-workloads');
      expect(workloads.ingress ?? []).toEqual([]);
      // Every flow, accepted or rejected, to the stack's encrypted flow-log group.
      const flow = inputs('aws:ec2/flowLog:FlowLog');
      expect(flow).toMatchObject({ trafficType: 'ALL', logDestinationType: 'cloud-watch-logs' });
      expect(flow.logDestination).toContain('network-flow-logs');
      expect(inputs(T.logGroup, 'network-flow-logs').kmsKeyId).toBeDefined();
    });

    it('StackKey and ArtifactStorage: rotating CMK, versioned private TLS-only bucket with lifecycle', () => {
      expect(inputs(T.kmsKey).enableKeyRotation).toBe(true);
      expect(inputs(T.bucket, 'artifacts-bucket').bucket).toBe(`mailroute-${stack}-artifacts-${config.accountId}`);
      expect(inputs(T.bucket, 'artifacts-bucket').forceDestroy).toBe(stack === 'dev');
      expect(inputs(T.bucketVersioning, 'artifacts-versioning').versioningConfiguration.status).toBe('Enabled');
      expect(first(inputs(T.bucketSse, 'artifacts-encryption').rules)?.bucketKeyEnabled).toBe(true);
      const deny = policyStatements(inputs(T.bucketPolicy, 'artifacts-tls-only').policy)[0];
      expect(deny).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': false } } });
      const lifecycle = inputs(T.bucketLifecycle, 'artifacts-lifecycle');
      // Old versions expire by prefix: models/ (the registry's audit trail) keeps them modelsNoncurrentVersionDays.
      const noncurrent = (id: string) => lifecycle.rules.find((r: { id: string }) => r.id === id)?.noncurrentVersionExpiration.noncurrentDays;
      expect(noncurrent('expire-noncurrent-versions-models')).toBe(config.artifacts.modelsNoncurrentVersionDays);
      expect(noncurrent('expire-noncurrent-versions-data')).toBe(config.artifacts.noncurrentVersionDays);
      expect(config.artifacts.modelsNoncurrentVersionDays).toBe(stack === 'prod' ? 2557 : config.artifacts.noncurrentVersionDays);
      expect(lifecycle.rules.filter((r: { filter: { prefix?: string }; noncurrentVersionExpiration?: unknown }) => r.noncurrentVersionExpiration && !r.filter.prefix)).toEqual([]);
    });

    it('ArtifactStorage: server access logs to a private SSE-S3 log bucket that only S3 log delivery for this bucket writes', () => {
      const logBucketName = `mailroute-${stack}-access-logs-${config.accountId}`;
      expect(inputs(T.bucket, 'artifacts-access-logs-bucket')).toMatchObject({ bucket: logBucketName, forceDestroy: stack === 'dev' });
      expect(outputs.accessLogBucket).toBe(logBucketName);
      // Every request to the artifact bucket, logged under artifact-bucket/, keys partitioned by the requests' date.
      expect(inputs(T.bucketLogging, 'artifacts-access-logging')).toEqual({
        bucket: 'artifacts-bucket-id',
        targetBucket: logBucketName,
        targetPrefix: 'artifact-bucket/',
        targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: 'EventTime' } },
      });
      const pab = inputs(T.bucketPab, 'artifacts-access-logs-public-access');
      expect([pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets]).toEqual([true, true, true, true]);
      expect(inputs(T.bucketOwnership, 'artifacts-access-logs-ownership').rule).toEqual({ objectOwnership: 'BucketOwnerEnforced' });
      // SSE-S3: server access logging takes no SSE-KMS default on its target bucket.
      expect(inputs(T.bucketSse, 'artifacts-access-logs-encryption').rules).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }]);
      expect(all(T.bucketVersioning).map((r) => r.name)).toEqual(['artifacts-versioning']);
      expect(inputs(T.bucketLifecycle, 'artifacts-access-logs-lifecycle').rules).toEqual([
        { id: 'expire-access-logs', status: 'Enabled', filter: {}, expiration: { days: config.artifacts.accessLogDays } },
      ]);
      const logBucketArn = `arn:aws:mock:${config.region}:${config.accountId}:artifacts-access-logs-bucket`;
      expect(policyStatements(inputs(T.bucketPolicy, 'artifacts-access-logs-policy').policy)).toEqual([
        expect.objectContaining({ Effect: 'Deny', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': false } } }),
        {
          Sid: 'S3ServerAccessLogDelivery',
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${logBucketArn}/artifact-bucket/*`,
          Condition: {
            ArnEquals: { 'aws:SourceArn': `arn:aws:mock:${config.region}:${config.accountId}:artifacts-bucket` },
            StringEquals: { 'aws:SourceAccount': config.accountId },
          },
        },
      ]);
    });

    it('ModelRegistry and Training: package group, immutable KMS repository, scoped role', () => {
      expect(inputs(T.modelPackageGroup).modelPackageGroupName).toBe(`mailroute-${stack}-email-classifier`);
      const repo = inputs(T.ecr);
      expect(repo.imageTagMutability).toBe('IMMUTABLE');
      expect(repo.imageScanningConfiguration.scanOnPush).toBe(true);
      const trust = JSON.parse(inputs(T.role, 'training-role').assumeRolePolicy);
      expect(trust.Statement[0].Principal).toEqual({ Service: 'sagemaker.amazonaws.com' });
      const statements = policyStatements(inputs(T.rolePolicy, 'training-role-policy').policy);
      const read = statements.find((s) => s.Sid === 'ReadPrefixes')!;
      expect(inputs(T.logGroup, 'training-job-logs')).toMatchObject({ name: '/aws/sagemaker/TrainingJobs', retentionInDays: config.monitoring.logRetentionDays });
      const bucket = `arn:aws:mock:${config.region}:${config.accountId}:artifacts-bucket`;
      expect(read.Resource).toEqual([`${bucket}/data/*`, `${bucket}/models/*`]);
      // Jobs write reports and their output, never models/ (the champion pointer, registered artifacts).
      expect(statements.find((s) => s.Sid === 'WritePrefixes')!.Resource).toEqual([`${bucket}/reports/*`, `${bucket}/training-output/*`]);
      // Logs: the two groups this stack creates (and their streams), no other /aws/sagemaker/ group.
      const groups = [inputs(T.logGroup, 'training-job-logs').name, inputs(T.logGroup, 'serving-logs').name];
      expect(groups).toEqual(['/aws/sagemaker/TrainingJobs', `/aws/sagemaker/Endpoints/mailroute-${stack}-classifier`]);
      const arns = groups.map((g) => `arn:aws:logs:${config.region}:${config.accountId}:log-group:${g}`);
      expect(statements.find((s) => s.Sid === 'JobAndEndpointLogs')!.Resource).toEqual(arns.flatMap((a) => [a, `${a}:*`]));
    });

    it('Training: the execution role puts metrics into the namespaces SageMaker publishes to as the role, no other', () => {
      // SageMaker publishes the endpoint's instance metrics and a training job's (its MetricDefinitions) with the
      // execution role: to /aws/sagemaker/Endpoints and /aws/sagemaker/TrainingJobs. Nothing publishes to "Mailroute".
      const statements = policyStatements(inputs(T.rolePolicy, 'training-role-policy').policy);
      expect(statements.filter((s) => [s.Action].flat().includes('cloudwatch:PutMetricData'))).toEqual([
        {
          Sid: 'PutSageMakerEndpointAndJobMetrics',
          Effect: 'Allow',
          Action: 'cloudwatch:PutMetricData',
          Resource: '*',
          Condition: { StringEquals: { 'cloudwatch:namespace': ['/aws/sagemaker/Endpoints', '/aws/sagemaker/TrainingJobs'] } },
        },
      ]);
      // The pipeline's training job defines the metrics SageMaker publishes there.
      const train = JSON.parse(inputs(T.pipeline).pipelineDefinition).Steps.find((s: { Type: string }) => s.Type === 'Training');
      expect(train.Arguments.AlgorithmSpecification.MetricDefinitions.map((m: { Name: string }) => m.Name)).toContain('validation:f1');
      // No other role puts metrics: the Lambdas' figures are log lines (EMF for Mailroute/Quality).
      const others = all(T.rolePolicy).filter((r) => r.name !== 'training-role-policy' && policyStatements(r.inputs.policy).some((s) => [s.Action].flat().includes('cloudwatch:PutMetricData')));
      expect(others.map((r) => r.name)).toEqual([]);
    });

    it('FeedbackStorage: single table with GSIs, TTL, PITR and the CMK', () => {
      const t = inputs(T.table);
      expect(t.billingMode).toBe('PAY_PER_REQUEST');
      expect([t.hashKey, t.rangeKey]).toEqual(['pk', 'sk']);
      expect(t.globalSecondaryIndexes.map((g: { name: string }) => g.name)).toEqual(['by-email', 'by-day', 'judged-by-day']);
      // The sparse index of judged predictions the store's judged-only reads query, whole items projected.
      expect(t.globalSecondaryIndexes[2]).toEqual({ name: 'judged-by-day', hashKey: 'gsi3pk', rangeKey: 'gsi3sk', projectionType: 'ALL' });
      expect(t.attributes).toEqual(expect.arrayContaining([{ name: 'gsi3pk', type: 'S' }, { name: 'gsi3sk', type: 'S' }]));
      expect(t.attributes).toHaveLength(8);
      expect(t.ttl).toEqual({ attributeName: 'expiresAt', enabled: true });
      expect(t.pointInTimeRecovery.enabled).toBe(true);
      expect(t.deletionProtectionEnabled).toBe(stack === 'prod');
    });

    it('ServingEndpoint: bootstrap model in the VPC, sized config, endpoint left to the deployer, autoscaling', () => {
      const model = inputs(T.sagemakerModel);
      expect(model.primaryContainer.image).toBe(`${config.accountId}.dkr.ecr.${config.region}.amazonaws.com/mailroute-${stack}-serving:${config.serving.imageTag}`);
      expect(model.enableNetworkIsolation).toBe(true);
      // The container checks MAILROUTE_MODEL_ID against its manifest; the bootstrap artifact's id is not known here.
      expect(model.primaryContainer.environment?.MAILROUTE_MODEL_ID).toBeUndefined();
      expect(model.vpcConfig.subnets).toHaveLength(config.network.azCount);
      const variant = inputs(T.endpointConfig).productionVariants[0];
      // The committed stacks serve on EBS-backed types: the volume gets the stack key (see serving-endpoint.test.ts).
      expect(inputs(T.endpointConfig).kmsKeyArn).toBe(`arn:aws:mock:${config.region}:${config.accountId}:key-key`);
      expect(variant).toMatchObject({ variantName: 'AllTraffic', instanceType: config.serving.instanceType, initialInstanceCount: config.serving.initialInstanceCount });
      const endpoint = one('aws:sagemaker/endpoint:Endpoint');
      expect(endpoint.inputs.name).toBe(`mailroute-${stack}-classifier`);
      expect(endpoint.ignoreChanges).toEqual(['endpointConfigName']);
      // A replaced bootstrap model or config stays in the account: the endpoint may still run on it.
      for (const t of [T.sagemakerModel, T.endpointConfig]) expect(one(t).retainOnDelete, t).toBe(true);
      expect(inputs('aws:appautoscaling/target:Target')).toMatchObject({ minCapacity: config.serving.minInstances, maxCapacity: config.serving.maxInstances });
      expect(inputs('aws:appautoscaling/policy:Policy').targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType).toBe('SageMakerVariantInvocationsPerInstance');
    });

    it('PublicApi: JWT authorizer with the CRM allow-list on every route, throttled stage, Lambda wiring', () => {
      const auth = inputs('aws:apigatewayv2/authorizer:Authorizer');
      expect(auth.authorizerType).toBe('JWT');
      expect(auth.jwtConfiguration).toEqual({ issuer: config.api.issuer, audiences: config.api.allowedClientIds });
      expect(all(T.route).map((r) => r.inputs.routeKey).sort()).toEqual([...API_ROUTES].sort());
      const stage = inputs(T.stage);
      expect(stage.defaultRouteSettings).toMatchObject({ throttlingRateLimit: config.api.throttleRatePerSecond, throttlingBurstLimit: config.api.throttleBurst });
      const fn = inputs(T.lambda, 'api-handler-function');
      expect(fn.environment.variables[API_LAMBDA_ENV.endpointName]).toBe(`mailroute-${stack}-classifier`);
      expect(fn.environment.variables[API_LAMBDA_ENV.tableName]).toBe(`mailroute-${stack}-predictions`);
      // The body limit the Lambda reads, from mailroute:api.maxBodyBytes (default 1 MiB in both stacks).
      expect(fn.environment.variables[API_LAMBDA_ENV.maxBodyBytes]).toBe(String(1024 * 1024));
      expect(fn.memorySize).toBe(config.serving.lambdaMemoryMb);
      // Neither stack sets it: the default is the integration's timeout, what /v1/quality's limit assumes.
      expect(fn.timeout).toBe(29);
      // The app's own deadline, 2 s under the function's timeout: its 503 comes before Lambda ends the function.
      expect(fn.environment.variables[API_LAMBDA_ENV.requestTimeoutMs]).toBe('27000');
      // Off in both committed stacks (mailroute:feedback.storeText): no email text is kept.
      expect(fn.environment.variables[API_LAMBDA_ENV.storeText]).toBeUndefined();
      expect(inputs('aws:apigatewayv2/integration:Integration').timeoutMilliseconds).toBe(fn.timeout * 1000);
      expect(fn.code).toEqual({ archive: '/opt/mailroute/dist/api' });
      expect(inputs(T.lambdaPermission, 'api-invoke').principal).toBe('apigateway.amazonaws.com');
      expect(outputs.apiUrl).toMatch(/^https:\/\//);
    });

    it('gives Lambda roles only the network-interface actions Lambda needs, the SageMaker role SageMaker’s', () => {
      const eni = (policyName: string) => [policyStatements(inputs(T.rolePolicy, policyName).policy).find((s) => s.Sid === 'VpcNetworkInterfaces')?.Action].flat();
      for (const name of ['api-handler-policy', 'quality-reporter-policy', 'deploy-on-approval-deployer-policy', 'retraining-pipeline-register-policy']) {
        expect(eni(name), name).toContain('ec2:CreateNetworkInterface');
        expect(eni(name), name).not.toContain('ec2:CreateNetworkInterfacePermission');
        expect(eni(name), name).not.toContain('ec2:DescribeVpcs');
      }
      expect(eni('training-role-policy')).toContain('ec2:CreateNetworkInterfacePermission');
    });

    it('DeployOnApproval: rule on approvals of this group, DLQ, deployer settings', () => {
      const pattern = JSON.parse(inputs('aws:cloudwatch/eventRule:EventRule', 'deploy-on-approval-rule').eventPattern);
      expect(pattern.detail).toEqual({ ModelPackageGroupName: [`mailroute-${stack}-email-classifier`], ModelApprovalStatus: ['Approved', 'Rejected', 'PendingManualApproval'] });
      expect(inputs('aws:cloudwatch/eventTarget:EventTarget', 'deploy-on-approval-target').deadLetterConfig.arn).toContain('deploy-on-approval-dlq');
      // A deployment that fails after Lambda's own retries goes to the same queue, which the deployer may write to.
      const asyncConfig = inputs('aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig', 'deploy-on-approval-async');
      expect(asyncConfig.destinationConfig.onFailure.destination).toContain('deploy-on-approval-dlq');
      const deployerPolicy = JSON.parse(inputs('aws:iam/rolePolicy:RolePolicy', 'deploy-on-approval-deployer-policy').policy);
      expect(deployerPolicy.Statement.find((x: { Sid: string }) => x.Sid === 'FailedApprovalsToDeadLetterQueue').Resource).toContain('deploy-on-approval-dlq');
      // An update SageMaker accepted and then failed or rolled back reaches the same queue, sent by its own rule.
      const failed = inputs('aws:cloudwatch/eventRule:EventRule', 'deploy-on-approval-endpoint-failed');
      expect(failed.name).toBe(`mailroute-${stack}-endpoint-failed`);
      expect(JSON.parse(failed.eventPattern)).toEqual(failedEndpointPattern(`mailroute-${stack}-classifier`));
      const deployDlqArn = `arn:aws:mock:${config.region}:${config.accountId}:deploy-on-approval-dlq`;
      expect(inputs('aws:cloudwatch/eventTarget:EventTarget', 'deploy-on-approval-endpoint-failed-target').arn).toBe(deployDlqArn);
      expect(policyStatements(inputs('aws:sqs/queuePolicy:QueuePolicy', 'deploy-on-approval-dlq-policy').policy)).toEqual([
        expect.objectContaining({
          Resource: deployDlqArn,
          Condition: { ArnEquals: { 'aws:SourceArn': [`arn:aws:mock:${config.region}:${config.accountId}:deploy-on-approval-rule`, `arn:aws:mock:${config.region}:${config.accountId}:deploy-on-approval-endpoint-failed`] } },
        }),
      ]);
      const env = inputs(T.lambda, 'deploy-on-approval-deployer-function').environment.variables;
      expect(inputs(T.lambda, 'deploy-on-approval-deployer-function').code).toEqual({ archive: '/opt/mailroute/dist/deployer' });
      expect(env[DEPLOYER_LAMBDA_ENV.instanceType]).toBe(config.serving.instanceType);
      expect(env[DEPLOYER_LAMBDA_ENV.rollbackAlarmNames]).toBe(`mailroute-${stack}-endpoint-5xx,mailroute-${stack}-endpoint-p99-latency`);
      expect(env[DEPLOYER_LAMBDA_ENV.subnetIds].split(',')).toHaveLength(config.network.azCount);
      // What it creates carries the stack's tags, as everything Pulumi creates does (not managed-by: Pulumi does not manage it).
      expect(JSON.parse(env[DEPLOYER_LAMBDA_ENV.resourceTags])).toEqual({ environment: stack, service: 'mailroute', 'cost-centre': config.costCentre });
      // One deployment at a time; a second approval waits in the async queue (hours, not the one hour before).
      expect(inputs(T.lambda, 'deploy-on-approval-deployer-function').reservedConcurrentExecutions).toBe(1);
      expect(asyncConfig).toMatchObject({ maximumRetryAttempts: 2, maximumEventAgeInSeconds: 21_600 });
      // The API Lambda reserves none unless serving.lambdaReservedConcurrency says so (neither committed stack does).
      expect(inputs(T.lambda, 'api-handler-function').reservedConcurrentExecutions).toBeUndefined();
    });

    it('Retraining: the configured schedule against the pipeline the stack creates, off until exports are in place', () => {
      const s = inputs('aws:scheduler/schedule:Schedule');
      expect(s.scheduleExpression).toBe(config.retraining.schedule);
      expect(s.scheduleExpressionTimezone).toBe(config.retraining.timezone);
      // Runs when the expression says (03:00 on the 1st), no flexible window after it.
      expect(s.flexibleTimeWindow).toEqual({ mode: 'OFF' });
      expect(s.state).toBe('DISABLED');
      // The created pipeline's ARN (what the mocks answer for it), and only it may be started.
      const pipelineArn = `arn:aws:mock:${config.region}:${config.accountId}:retraining-pipeline-pipeline`;
      expect(s.target.arn).toBe(pipelineArn);
      expect(s.target.sagemakerPipelineParameters.pipelineParameters).toEqual([{ name: 'Environment', value: stack }]);
      expect(policyStatements(inputs(T.rolePolicy, 'retraining-policy').policy).find((x) => x.Sid === 'StartRetrainingPipeline')?.Resource).toBe(pipelineArn);
      // A run that starts and then fails lands in the same queue (its alarm pages), sent by this rule only.
      expect(JSON.parse(inputs('aws:cloudwatch/eventRule:EventRule', 'retraining-failed-runs').eventPattern)).toMatchObject({
        'detail-type': ['SageMaker Model Building Pipeline Execution Status Change'],
        detail: { pipelineArn: [pipelineArn], currentPipelineExecutionStatus: ['Failed'] },
      });
      const dlqArn = `arn:aws:mock:${config.region}:${config.accountId}:retraining-dlq`;
      expect(inputs('aws:cloudwatch/eventTarget:EventTarget', 'retraining-failed-runs-target').arn).toBe(dlqArn);
      expect(policyStatements(inputs('aws:sqs/queuePolicy:QueuePolicy', 'retraining-dlq-policy').policy)[0]).toMatchObject({
        Resource: dlqArn,
        Condition: { ArnEquals: { 'aws:SourceArn': `arn:aws:mock:${config.region}:${config.accountId}:retraining-failed-runs` } },
      });
      // A run the target refuses goes to a queue the scheduler's role may write to (and the alarm watches).
      expect(s.target.deadLetterConfig.arn).toContain('retraining-dlq');
      const policy = JSON.parse(inputs(T.rolePolicy, 'retraining-policy').policy);
      expect(policy.Statement.find((x: { Sid: string }) => x.Sid === 'FailedRunsToDeadLetterQueue').Resource).toContain('retraining-dlq');
    });

    it('RetrainingPipeline: Train on the serving image in the VPC, Register through the register Lambda, roles of their own', () => {
      expectRetrainingPipeline(graph, config);
      // The register step downloads the artifact to /tmp whole: room for any model ONNX holds, not Lambda's 512 MB.
      expect(inputs(T.lambda, 'retraining-pipeline-register-function').ephemeralStorage).toEqual({ size: 10_240 });
      // The others keep Lambda's default.
      expect(inputs(T.lambda, 'api-handler-function').ephemeralStorage).toBeUndefined();
    });

    it('Monitoring: twelve alarms (and one per task given a stricter live-quality floor) to the encrypted topic, email subscription, dashboard, log retention', () => {
      const alarms = all('aws:cloudwatch/metricAlarm:MetricAlarm');
      const byTask = Object.keys(config.monitoring.minLiveMacroF1ByTask);
      expect(alarms).toHaveLength(12 + byTask.length);
      // The latency the CRM sees, on the stack's own API and stage; and feedback that stopped coming while a model serves.
      expect(alarms.find((a) => a.name === 'monitoring-api-p99-latency')?.inputs).toMatchObject({
        namespace: 'AWS/ApiGateway',
        metricName: 'Latency',
        extendedStatistic: 'p99',
        dimensions: { ApiId: 'api-api-id', Stage: '$default' },
        threshold: config.monitoring.apiP99LatencyMs,
      });
      expect(alarms.find((a) => a.name === 'monitoring-live-feedback-stopped')?.inputs).toMatchObject({
        metricName: 'LiveFeedbackLastDay',
        dimensions: { Environment: stack },
        period: 86_400,
        evaluationPeriods: stack === 'prod' ? 2 : 7,
        treatMissingData: 'notBreaching',
      });
      // Pulumi.prod.yaml gives the queue a floor of its own: its alarm reads the task's own series.
      for (const task of byTask) expect(alarms.find((a) => a.name === `monitoring-live-quality-${task}`)?.inputs.dimensions, task).toEqual({ Environment: stack, Task: task });
      // The quality reporter's errors alarm watches the function the stack really creates.
      expect(alarms.find((a) => a.name === 'monitoring-quality-lambda-errors')?.inputs.dimensions).toEqual({ FunctionName: inputs(T.lambda, 'quality-reporter-function').name });
      const topic = `arn:aws:mock:${config.region}:${config.accountId}:monitoring-topic`;
      expect(alarms.every((a) => (a.inputs.alarmActions as string[])[0] === topic)).toBe(true);
      expect(inputs('aws:sns/topicSubscription:TopicSubscription')).toMatchObject({ protocol: 'email', endpoint: config.monitoring.alarmEmail });
      const api5xx = alarms.find((a) => a.name === 'monitoring-api-5xx')!;
      expect(api5xx.inputs.dimensions).toEqual({ ApiId: 'api-api-id', Stage: '$default' });
      expect(all(T.logGroup).every((g) => g.inputs.retentionInDays === config.monitoring.logRetentionDays)).toBe(true);
      expect(JSON.parse(inputs('aws:cloudwatch/dashboard:Dashboard').dashboardBody).widgets).toHaveLength(13 + byTask.length);
      expect(byTask).toEqual(stack === 'prod' ? ['queue'] : []);
    });

    it('QualityReporter: daily rule -> reporter Lambda reading the table, feeding the live-quality alarm', () => {
      const rule = inputs('aws:cloudwatch/eventRule:EventRule', 'quality-schedule');
      expect(rule.scheduleExpression).toBe('cron(0 2 * * ? *)');
      const fn = inputs(T.lambda, 'quality-reporter-function');
      expect(fn.code).toEqual({ archive: '/opt/mailroute/dist/quality' });
      expect(fn.environment.variables[QUALITY_LAMBDA_ENV.tableName]).toBe(`mailroute-${stack}-predictions`);
      expect(fn.environment.variables[QUALITY_LAMBDA_ENV.environment]).toBe(stack);
      const actions = policyStatements(inputs(T.rolePolicy, 'quality-reporter-policy').policy).flatMap((s) => [s.Action].flat());
      expect(actions).toContain('dynamodb:Query');
      expect(actions).not.toContain('dynamodb:PutItem');
      expect(inputs(T.lambdaPermission, 'quality-invoke').sourceArn).toContain('quality-schedule');
    });

    it('keeps data stores on delete in prod only', () => {
      expect(all(T.bucket).map((b) => b.name)).toEqual(['artifacts-bucket', 'artifacts-access-logs-bucket']);
      const stores = [...all(T.bucket), ...[T.table, T.kmsKey, T.ecr, T.modelPackageGroup].map((t) => one(t))];
      for (const s of stores) {
        expect(s.protect, s.name).toBe(stack === 'prod');
        expect(s.retainOnDelete, s.name).toBe(stack === 'prod');
      }
      // A retained store keeps its settings: a bucket its public access block, policy, encryption, lifecycle and access logging.
      const settings = [T.bucketPab, T.bucketPolicy, T.bucketSse, T.bucketOwnership, T.bucketVersioning, T.bucketLifecycle, T.bucketLogging, T.kmsAlias, T.ecrLifecycle].flatMap((t) => {
        expect(all(t).length, t).toBeGreaterThan(0);
        return all(t);
      });
      for (const s of settings) {
        expect(Boolean(s.protect), s.name).toBe(stack === 'prod');
        expect(Boolean(s.retainOnDelete), s.name).toBe(stack === 'prod');
      }
      // What the CRM calls (the endpoint, the API and its URL) cannot be destroyed by accident in prod.
      for (const t of ['aws:sagemaker/endpoint:Endpoint', 'aws:apigatewayv2/api:Api']) expect(Boolean(one(t).protect), t).toBe(stack === 'prod');
      // Logs outlive what wrote them in prod (retention still applies), and are not protected against changes.
      for (const g of all(T.logGroup)) expect(Boolean(g.retainOnDelete), g.name).toBe(stack === 'prod');
    });

    it('exports the stack outputs with a cost estimate', () => {
      expect(outputs.endpointName).toBe(`mailroute-${stack}-classifier`);
      expect(outputs.monthlyCostEstimateUsd).toBeGreaterThan(0);
    });
  });
}
