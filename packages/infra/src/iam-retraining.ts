/**
 * The retraining pipeline's IAM documents (pure, as in iam-documents.ts): the pipeline's own role and the
 * register Lambda's.
 */
import { LAMBDA_ENI_ACTIONS } from './policies/wildcard-allow-list.js';
import { DYNAMO_TABLE_LAYOUT as L, FEEDBACK_EXPORT_STEP, TRAINING_JOB } from '@mailroute/aws/contracts';
import { doc, logsTo, passRoleToSageMaker, readOptionalObjects, tableAndIndexes, useKey, vpcAccess, type PolicyDocument } from './iam-documents.js';

/**
 * The retraining pipeline's role: SageMaker Pipelines runs its steps with it. It starts, watches and stops the
 * Train step's job (SageMaker names a pipeline's jobs `pipelines-<execution>-<step>-<suffix>`, so that prefix
 * is as narrow as an ARN gets; the account runs this stack only), tags it, passes it the execution role, lets
 * SageMaker use the stack key for the job's volume (a grant for the AWS resource only), and invokes the
 * register Lambda for the Register step (and the feedback-export Lambda for ExportFeedback). It never reads or
 * writes the bucket itself.
 *
 * What a run may cost is capped here, not by the pipeline's parameters, which a run started by hand overrides: a
 * job only on the configured instance types (`sagemaker:InstanceTypes`, every type the request names; present, as
 * ForAllValues holds for a request that names none) and for at most `maxRuntimeSeconds`
 * (`sagemaker:MaxRuntimeInSeconds` of its StoppingCondition). Anything else is AccessDenied, and the run fails.
 */
export function retrainingPipelinePolicy(input: {
  accountId: string;
  region: string;
  sagemakerRoleArn: string;
  registerFunctionArn: string;
  /** The ExportFeedback step's Lambda, where the stack keeps the emails' text (feedback.storeText). */
  feedbackExportFunctionArn?: string;
  kmsKeyArn: string;
  /** The instance types a training job may run on (`training.instanceType`). */
  trainingInstanceTypes: readonly string[];
  /** The longest StoppingCondition.MaxRuntimeInSeconds a job may ask for (`training.maxRuntimeSeconds`). */
  maxRuntimeSeconds: number;
}): PolicyDocument {
  const sm = `arn:aws:sagemaker:${input.region}:${input.accountId}`;
  const steps = [input.registerFunctionArn, ...(input.feedbackExportFunctionArn === undefined ? [] : [input.feedbackExportFunctionArn])];
  const jobs = `${sm}:training-job/pipelines-*`;
  return doc(
    {
      Sid: 'CreatePipelineTrainingJobsWithinCostCap',
      Effect: 'Allow',
      Action: 'sagemaker:CreateTrainingJob',
      Resource: jobs,
      Condition: {
        'ForAllValues:StringEquals': { 'sagemaker:InstanceTypes': [...input.trainingInstanceTypes] },
        Null: { 'sagemaker:InstanceTypes': 'false' },
        NumericLessThanEquals: { 'sagemaker:MaxRuntimeInSeconds': String(input.maxRuntimeSeconds) },
      },
    },
    {
      Sid: 'RunPipelineTrainingJobs',
      Effect: 'Allow',
      Action: ['sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob', 'sagemaker:AddTags'],
      Resource: jobs,
    },
    passRoleToSageMaker(input.sagemakerRoleArn),
    { Sid: 'InvokeLambdaSteps', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: steps.length === 1 ? steps[0] : steps },
    { Sid: 'DescribeStackKey', Effect: 'Allow', Action: 'kms:DescribeKey', Resource: input.kmsKeyArn },
    {
      Sid: 'GrantStackKeyToTrainingVolumes',
      Effect: 'Allow',
      Action: 'kms:CreateGrant',
      Resource: input.kmsKeyArn,
      Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
    },
  );
}

/**
 * The register Lambda (the pipeline's Register step): reads the Train step's output under its prefix, writes
 * the version's files under `models/` (the manifest first, by a conditional write it reads back; a failed
 * registration deletes what it wrote) and creates its model package in the stack's group. The only role
 * besides a person's that writes `models/`: the SageMaker execution role may not.
 */
export function registerLambdaPolicy(input: {
  accountId: string;
  region: string;
  artifactBucketArn: string;
  /** The training jobs' output prefix, the only place it registers from (`training-output/retrain/`). */
  trainingOutputPrefix: string;
  modelsPrefix: string;
  modelPackageGroupName: string;
  kmsKeyArn: string;
  logGroupArn: string;
}): PolicyDocument {
  const sm = `arn:aws:sagemaker:${input.region}:${input.accountId}`;
  const bucket = input.artifactBucketArn;
  return doc(
    // The listing also lets a missing manifest read back as NoSuchKey (see readOptionalObjects).
    ...readOptionalObjects('ReadModels', bucket, input.modelsPrefix),
    { Sid: 'ReadTrainingOutput', Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucket}/${input.trainingOutputPrefix}*` },
    // A model's own folder only (`models/<id>/...`): not the champion pointer, its history or the gate and decision
    // records beside them (`models/champion.json`, ...), which approvals write.
    { Sid: 'WriteModels', Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: `${bucket}/${input.modelsPrefix}*/*` },
    useKey(input.kmsKeyArn),
    {
      // Registered only as awaiting a person's approval: a package created Approved would be deployed by the deployer
      // with no one deciding, so IAM refuses one, whatever the code asks (sagemaker:ModelApprovalStatus of the request).
      Sid: 'RegisterModelPackages',
      Effect: 'Allow',
      Action: 'sagemaker:CreateModelPackage',
      Resource: [`${sm}:model-package/${input.modelPackageGroupName}/*`, `${sm}:model-package-group/${input.modelPackageGroupName}`],
      Condition: { StringEquals: { 'sagemaker:ModelApprovalStatus': 'PendingManualApproval' } },
    },
    { Sid: 'DescribeModelPackages', Effect: 'Allow', Action: 'sagemaker:DescribeModelPackage', Resource: `${sm}:model-package/${input.modelPackageGroupName}/*` },
    // The duplicate check and the search after a failed create list the group; List actions take no resource.
    { Sid: 'ListGroupPackages', Effect: 'Allow', Action: 'sagemaker:ListModelPackages', Resource: '*' },
    logsTo([input.logGroupArn]),
    vpcAccess(LAMBDA_ENI_ACTIONS),
  );
}

/**
 * The feedback-export Lambda (the pipeline's ExportFeedback step, where the stack keeps the emails' text): scans the
 * prediction and feedback table (Scan, BatchGetItem on it; Query on `by-email` for feedback that names no prediction),
 * reads the training config under the data prefix (only `train-config.json`, not the CRM's exports; listing the bucket,
 * so a missing one is a 404), and writes or removes only its own file, `mailroute-feedback/confirmed-cases.csv|jsonl`
 * in a folder under that prefix.
 */
export function feedbackExportLambdaPolicy(input: { tableArn: string; artifactBucketArn: string; dataPrefix: string; kmsKeyArn: string; logGroupArn: string }): PolicyDocument {
  const under = (key: string) => [`${input.artifactBucketArn}/${input.dataPrefix}${key}`, `${input.artifactBucketArn}/${input.dataPrefix}*/${key}`];
  return doc(
    { Sid: 'ReadConfirmedCases', Effect: 'Allow', Action: ['dynamodb:Scan', 'dynamodb:BatchGetItem', 'dynamodb:Query'], Resource: tableAndIndexes(input.tableArn, [L.byEmailIndex]) },
    { Sid: 'ReadTrainingConfig', Effect: 'Allow', Action: 's3:GetObject', Resource: under(TRAINING_JOB.defaultConfigFile) },
    { Sid: 'ReadTrainingConfigMissingAs404', Effect: 'Allow', Action: 's3:ListBucket', Resource: input.artifactBucketArn },
    { Sid: 'WriteFeedbackFile', Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: ['csv', 'jsonl'].flatMap((ext) => under(`${FEEDBACK_EXPORT_STEP.file}.${ext}`)) },
    useKey(input.kmsKeyArn),
    logsTo([input.logGroupArn]),
    vpcAccess(LAMBDA_ENI_ACTIONS),
  );
}
