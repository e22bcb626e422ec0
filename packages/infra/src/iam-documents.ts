/**
 * IAM and resource policy documents as pure functions of resolved ARNs. Components feed them
 * `pulumi.all(...)` values; tests and the policy checks read the JSON they produce.
 */
import { DYNAMO_TABLE_INDEXES, DYNAMO_TABLE_LAYOUT as L } from '@mailroute/aws/contracts';
import { LAMBDA_ENI_ACTIONS, SAGEMAKER_ENI_ACTIONS } from './policies/wildcard-allow-list.js';

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | Record<string, string | string[]>;
  Action: string | string[];
  /** Absent only in trust policies. */
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}
export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Statement[];
}

export const doc = (...statements: Statement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });

/** Trust policy for an AWS service, limited to calls on behalf of this account (confused deputy). */
export function serviceTrustPolicy(service: string, accountId: string): PolicyDocument {
  return doc({
    Effect: 'Allow',
    Principal: { Service: service },
    Action: 'sts:AssumeRole',
    Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
  });
}

/** Deny every request to the bucket that does not use TLS. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
  return doc({
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': false } },
  });
}

/**
 * Key policy of the stack's customer managed key. `Resource: "*"` in a key policy means this key
 * (AWS requires it); the account root keeps administration so IAM policies can grant use.
 */
export function kmsKeyPolicy(input: { accountId: string; region: string }): PolicyDocument {
  const { accountId, region } = input;
  return doc(
    { Sid: 'AccountAdministers', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' },
    {
      Sid: 'CloudWatchLogsEncrypts',
      Effect: 'Allow',
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${region}:${accountId}:*` } },
    },
    {
      Sid: 'EventBridgeWritesEncryptedDeadLetters',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
    {
      Sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
  );
}

/**
 * Network interfaces in the VPC: EC2 takes no resource-level ARNs for these (see the allow-list). Lambda
 * roles get AWSLambdaVPCAccessExecutionRole's actions, the SageMaker role SageMaker's longer list.
 */
export function vpcAccess(actions: readonly string[]): Statement {
  return { Sid: 'VpcNetworkInterfaces', Effect: 'Allow', Action: [...actions], Resource: '*' };
}

/**
 * Where SageMaker publishes with the execution role: an endpoint's instance metrics (CPU, memory, disk) to
 * `/aws/sagemaker/Endpoints`, a training job's instance metrics and its MetricDefinitions (`train:loss`,
 * `validation:f1` ...) to `/aws/sagemaker/TrainingJobs`. The stack runs no processing or transform jobs. Nothing
 * else publishes as the role: the serving container is network-isolated, and the quality Lambda's figures
 * (`Mailroute/Quality`) are EMF log lines.
 */
const SAGEMAKER_METRIC_NAMESPACES: readonly string[] = ['/aws/sagemaker/Endpoints', '/aws/sagemaker/TrainingJobs'];

function sagemakerMetrics(): Statement {
  return {
    Sid: 'PutSageMakerEndpointAndJobMetrics',
    Effect: 'Allow',
    Action: 'cloudwatch:PutMetricData',
    Resource: '*',
    Condition: { StringEquals: { 'cloudwatch:namespace': [...SAGEMAKER_METRIC_NAMESPACES] } },
  };
}

export function logsTo(logGroupArns: string[]): Statement {
  return {
    Sid: 'WriteOwnLogs',
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
    Resource: logGroupArns.flatMap((arn) => [arn, `${arn}:*`]),
  };
}

/**
 * Read objects under `prefix`, some of which may be missing (models/champion.json on a fresh stack).
 * Without s3:ListBucket S3 answers a missing key with 403 AccessDenied instead of 404 NoSuchKey, so the
 * code's "missing" branch never runs. The listing is granted on the bucket without an `s3:prefix`
 * condition: AWS does not document that S3 fills `s3:prefix` for the implicit ListBucket check of a
 * GetObject on a missing key, and if it does not, a prefix-conditioned grant still answers 403. Listing
 * reveals key names (and sizes, dates) only, never an object's content.
 */
export function readOptionalObjects(sid: string, bucketArn: string, prefix: string): Statement[] {
  return [
    { Sid: sid, Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucketArn}/${prefix}*` },
    { Sid: `${sid}MissingAs404`, Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn },
  ];
}

export function useKey(kmsKeyArn: string): Statement {
  return { Sid: 'UseStackKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], Resource: kmsKeyArn };
}

/** Hand the SageMaker execution role to SageMaker (a model, a training job), and to no other service. */
export function passRoleToSageMaker(sagemakerRoleArn: string): Statement {
  return {
    Sid: 'PassExecutionRoleToSageMaker',
    Effect: 'Allow',
    Action: 'iam:PassRole',
    Resource: sagemakerRoleArn,
    Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
  };
}

/** VPC flow logs' delivery role: write to its own log group only. */
export function flowLogsPolicy(logGroupArn: string): PolicyDocument {
  return doc({ ...logsTo([logGroupArn]), Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams', 'logs:DescribeLogGroups'] });
}

/** The SageMaker execution role: training jobs and the endpoint's containers. */
export function sagemakerExecutionPolicy(input: {
  bucketArn: string;
  readPrefixes: string[];
  writePrefixes: string[];
  kmsKeyArn: string;
  ecrRepositoryArn: string;
  /** The stack's SageMaker log groups (training jobs, the endpoint): the role writes to these only. */
  logGroupArns: string[];
}): PolicyDocument {
  const { bucketArn } = input;
  return doc(
    {
      Sid: 'ListOwnPrefixes',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: bucketArn,
      Condition: { StringLike: { 's3:prefix': [...new Set([...input.readPrefixes, ...input.writePrefixes])].map((p) => `${p}*`) } },
    },
    { Sid: 'ReadPrefixes', Effect: 'Allow', Action: 's3:GetObject', Resource: input.readPrefixes.map((p) => `${bucketArn}/${p}*`) },
    {
      Sid: 'WritePrefixes',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:AbortMultipartUpload'],
      Resource: input.writePrefixes.map((p) => `${bucketArn}/${p}*`),
    },
    useKey(input.kmsKeyArn),
    {
      Sid: 'PullServingAndTrainingImages',
      Effect: 'Allow',
      Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
      Resource: input.ecrRepositoryArn,
    },
    { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
    // The groups exist (the stack creates them); CreateLogGroup stays for SageMaker's own call on them, which
    // then answers that the group exists. No other /aws/sagemaker/ group can be created or written.
    { ...logsTo(input.logGroupArns), Sid: 'JobAndEndpointLogs', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'] },
    sagemakerMetrics(),
    vpcAccess(SAGEMAKER_ENI_ACTIONS),
  );
}

/** The table and the indexes named, not `index/*`: a new index is queried only once a role names it. */
export function tableAndIndexes(tableArn: string, indexes: readonly { name: string }[]): string[] {
  return [tableArn, ...indexes.map((index) => `${tableArn}/index/${index.name}`)];
}

/** The API Lambda: invoke the endpoint, read and write the feedback table, its own logs. */
export function apiLambdaPolicy(input: {
  endpointArn: string;
  tableArn: string;
  kmsKeyArn: string;
  logGroupArn: string;
  /** The artifact bucket and the prefix it reads (the champion pointer and manifests, for the task list). */
  artifactBucketArn: string;
  modelsPrefix: string;
}): PolicyDocument {
  return doc(
    ...readOptionalObjects('ReadModelManifests', input.artifactBucketArn, input.modelsPrefix),
    { Sid: 'InvokeEndpoint', Effect: 'Allow', Action: 'sagemaker:InvokeEndpoint', Resource: input.endpointArn },
    {
      Sid: 'PredictionAndFeedbackTable',
      Effect: 'Allow',
      // UpdateItem: saving feedback marks its email's predictions judged (the judged-by-day index).
      Action: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:UpdateItem'],
      Resource: tableAndIndexes(input.tableArn, DYNAMO_TABLE_INDEXES),
    },
    useKey(input.kmsKeyArn),
    logsTo([input.logGroupArn]),
    // No cloudwatch:PutMetricData: nothing it runs calls it (its figures are log lines and Prometheus text).
    vpcAccess(LAMBDA_ENI_ACTIONS),
  );
}

/** The daily quality reporter: read predictions and feedback, the champion's manifest, its own logs. */
export function qualityReporterPolicy(input: {
  tableArn: string;
  kmsKeyArn: string;
  logGroupArn: string;
  artifactBucketArn: string;
  modelsPrefix: string;
}): PolicyDocument {
  return doc(
    ...readOptionalObjects('ReadModelManifests', input.artifactBucketArn, input.modelsPrefix),
    {
      Sid: 'ReadPredictionsAndFeedback',
      Effect: 'Allow',
      Action: ['dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:GetItem'],
      // listPairs reads by day, judged-only reads the judged-by-day index; it never looks an email up.
      Resource: tableAndIndexes(input.tableArn, [L.byDayIndex, L.judgedByDayIndex]),
    },
    useKey(input.kmsKeyArn),
    logsTo([input.logGroupArn]),
    vpcAccess(LAMBDA_ENI_ACTIONS),
  );
}

/** The deployer Lambda: a new model and endpoint config from an approved package, then the update. */
export function deployerLambdaPolicy(input: {
  accountId: string;
  region: string;
  endpointName: string;
  modelPackageGroupName: string;
  sagemakerRoleArn: string;
  kmsKeyArn: string;
  logGroupArn: string;
  alarmArns: string[];
  /** Where Lambda sends an approval event whose deployment failed after its retries. */
  deadLetterQueueArn: string;
}): PolicyDocument {
  const sm = `arn:aws:sagemaker:${input.region}:${input.accountId}`;
  return doc(
    {
      Sid: 'ReadApprovedPackages',
      Effect: 'Allow',
      Action: 'sagemaker:DescribeModelPackage',
      Resource: `${sm}:model-package/${input.modelPackageGroupName}/*`,
    },
    // The Approved versions, when the version serving is rejected (a rollback to the one approved last). ListModelPackages
    // takes no resource in an identity policy; it lists package names and statuses, nothing more.
    { Sid: 'FindNewestApprovedPackage', Effect: 'Allow', Action: 'sagemaker:ListModelPackages', Resource: '*' },
    {
      Sid: 'CreateModelsAndConfigs',
      Effect: 'Allow',
      Action: ['sagemaker:CreateModel', 'sagemaker:CreateEndpointConfig', 'sagemaker:AddTags'],
      Resource: [`${sm}:model/${input.endpointName}-*`, `${sm}:endpoint-config/${input.endpointName}-*`],
    },
    {
      Sid: 'UpdateOwnEndpoint',
      Effect: 'Allow',
      Action: ['sagemaker:DescribeEndpoint', 'sagemaker:CreateEndpoint', 'sagemaker:UpdateEndpoint', 'sagemaker:AddTags'],
      // SageMaker authorizes CreateEndpoint and UpdateEndpoint on the endpoint config too: the ones the
      // deployer names `<endpoint>-v<version>-<stamp>` (deploymentName in @mailroute/aws).
      Resource: [`${sm}:endpoint/${input.endpointName}`, `${sm}:endpoint-config/${input.endpointName}-*`],
    },
    passRoleToSageMaker(input.sagemakerRoleArn),
    { Sid: 'RollbackAlarms', Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms', Resource: input.alarmArns },
    { Sid: 'FailedApprovalsToDeadLetterQueue', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: input.deadLetterQueueArn },
    {
      Sid: 'EncryptEndpointVolumes',
      Effect: 'Allow',
      Action: ['kms:CreateGrant', 'kms:DescribeKey', 'kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: input.kmsKeyArn,
    },
    logsTo([input.logGroupArn]),
    vpcAccess(LAMBDA_ENI_ACTIONS),
  );
}

/** A dead-letter queue's policy: the stack's EventBridge rules named may send to it (and no other source). */
export function ruleToQueuePolicy(queueArn: string, ruleArn: string | string[]): PolicyDocument {
  return doc({
    Sid: 'EventBridgeDeadLetters',
    Effect: 'Allow',
    Principal: { Service: 'events.amazonaws.com' },
    Action: 'sqs:SendMessage',
    Resource: queueArn,
    Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } },
  });
}

/** EventBridge Scheduler's role: start the retraining target and read its (CMK-encrypted) schedule. */
export function schedulerTargetPolicy(
  target: { kind: 'sagemaker-pipeline'; arn: string } | { kind: 'lambda'; arn: string },
  kmsKeyArn: string,
  /** Where the scheduler puts a run its target refused after the retries (an encrypted SQS queue). */
  deadLetterQueueArn: string,
): PolicyDocument {
  const start: Statement =
    target.kind === 'lambda'
      ? { Sid: 'InvokeRetraining', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: target.arn }
      : { Sid: 'StartRetrainingPipeline', Effect: 'Allow', Action: 'sagemaker:StartPipelineExecution', Resource: target.arn };
  return doc(
    start,
    { Sid: 'FailedRunsToDeadLetterQueue', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: deadLetterQueueArn },
    // Decrypt: the schedule itself; GenerateDataKey: messages to the CMK-encrypted dead-letter queue.
    { Sid: 'UseStackKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: kmsKeyArn },
  );
}
