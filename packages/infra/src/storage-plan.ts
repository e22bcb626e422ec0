import { FEEDBACK_EXPORT_STEP } from '@mailroute/aws/contracts';
import type { StackConfig } from './config.js';
import { doc, tlsOnlyBucketPolicy, type PolicyDocument } from './iam-documents.js';

/** Prefixes of the artifact bucket and who uses them. */
export const ARTIFACT_PREFIXES = {
  data: 'data/',
  models: 'models/',
  reports: 'reports/',
  trainingOutput: 'training-output/',
} as const;

/**
 * Lifecycle rules of the artifact bucket (input shape of aws.s3.BucketLifecycleConfiguration). A replaced or deleted
 * object (a noncurrent version) is kept `noncurrentVersionDays` under each prefix but `models/`, and
 * `modelsNoncurrentVersionDays` there: the champion pointer, the champion history and the decision records under
 * `models/` are the registry's audit trail, which only versioning keeps from being rewritten unseen. One rule per
 * prefix, none for the whole bucket: where rules overlap S3 applies the shorter expiry, so a bucket-wide rule would
 * expire `models/` too. An object outside the prefixes (nothing the stack writes) keeps its old versions.
 */
export function artifactLifecycleRules(config: Pick<StackConfig, 'artifacts'> & Partial<Pick<StackConfig, 'retraining'>>) {
  const a = config.artifacts;
  // The feedback file the pipeline replaces each run holds customers' masked text: a replaced (or deleted) one is kept a
  // day, not `noncurrentVersionDays` (where rules overlap, S3 applies the shorter expiry). Under the default data folder
  // only; kept whether or not the stack keeps text now, so that a file left from before it was turned off goes too.
  const feedbackFile =
    config.retraining !== undefined
      ? [{ id: 'expire-replaced-feedback-files', status: 'Enabled', filter: { prefix: `${config.retraining.dataPrefix}${FEEDBACK_EXPORT_STEP.file}` }, noncurrentVersionExpiration: { noncurrentDays: 1 } }]
      : [];
  const noncurrent = Object.entries(ARTIFACT_PREFIXES).map(([key, prefix]) => ({
    id: `expire-noncurrent-versions-${prefix.slice(0, -1)}`,
    status: 'Enabled',
    filter: { prefix },
    noncurrentVersionExpiration: { noncurrentDays: key === 'models' ? a.modelsNoncurrentVersionDays : a.noncurrentVersionDays },
  }));
  return [
    ...feedbackFile,
    ...noncurrent,
    {
      id: 'abort-incomplete-uploads',
      status: 'Enabled',
      filter: {},
      abortIncompleteMultipartUpload: { daysAfterInitiation: a.abortMultipartDays },
    },
    {
      id: 'training-data-to-infrequent-access',
      status: 'Enabled',
      filter: { prefix: ARTIFACT_PREFIXES.data },
      transitions: [{ days: a.dataInfrequentAccessDays, storageClass: 'STANDARD_IA' }],
    },
    {
      id: 'expire-training-scratch',
      status: 'Enabled',
      filter: { prefix: ARTIFACT_PREFIXES.trainingOutput },
      expiration: { days: 30 },
    },
  ];
}

/** Where in the log bucket S3 delivers the artifact bucket's server access logs. */
export const ACCESS_LOG_PREFIX = 'artifact-bucket/';

/** The service principal S3 delivers server access logs as. */
export const S3_LOG_DELIVERY_PRINCIPAL = 'logging.s3.amazonaws.com';

/** Lifecycle of the log bucket: it holds access logs only, which expire after `artifacts.accessLogDays`. */
export function accessLogLifecycleRules(config: Pick<StackConfig, 'artifacts'>) {
  return [{ id: 'expire-access-logs', status: 'Enabled', filter: {}, expiration: { days: config.artifacts.accessLogDays } }];
}

/**
 * Policy of the log bucket: S3's log delivery may put objects under the source's prefix, for that one bucket of this
 * account only (aws:SourceArn and aws:SourceAccount, against a confused deputy), and no request without TLS. It grants
 * nothing else; the bucket owner enforced setting leaves no ACL to grant with. As in the S3 User Guide's example
 * (*Enabling Amazon S3 server access logging*, "Grant permissions to the logging service principal").
 */
export function accessLogBucketPolicy(input: { logBucketArn: string; sourceBucketArn: string; accountId: string; prefix: string }): PolicyDocument {
  return doc(...tlsOnlyBucketPolicy(input.logBucketArn).Statement, {
    Sid: 'S3ServerAccessLogDelivery',
    Effect: 'Allow',
    Principal: { Service: S3_LOG_DELIVERY_PRINCIPAL },
    Action: 's3:PutObject',
    Resource: `${input.logBucketArn}/${input.prefix}*`,
    Condition: { ArnEquals: { 'aws:SourceArn': input.sourceBucketArn }, StringEquals: { 'aws:SourceAccount': input.accountId } },
  });
}

/**
 * SageMaker reads data and models and writes reports and job output; nothing else. Its role is shared by
 * training jobs and the endpoint, so it must not write `models/`: a job could overwrite the champion
 * pointer or a registered artifact. Models reach `models/` through the registry (`register`), which runs
 * with its caller's credentials.
 */
export function sagemakerPrefixes(): { read: string[]; write: string[] } {
  const p = ARTIFACT_PREFIXES;
  return { read: [p.data, p.models], write: [p.reports, p.trainingOutput] };
}

/** The approval event of one model package group (EventBridge pattern). */
export function approvalEventPattern(modelPackageGroupName: string) {
  return {
    source: ['aws.sagemaker'],
    'detail-type': ['SageMaker Model Package State Change'],
    detail: { ModelPackageGroupName: [modelPackageGroupName], ModelApprovalStatus: ['Approved', 'Rejected', 'PendingManualApproval'] },
  };
}

/** A run of one SageMaker pipeline that ended Failed (EventBridge pattern). */
export function failedPipelineRunPattern(pipelineArn: string) {
  return {
    source: ['aws.sagemaker'],
    'detail-type': ['SageMaker Model Building Pipeline Execution Status Change'],
    detail: { pipelineArn: [pipelineArn], currentPipelineExecutionStatus: ['Failed'] },
  };
}

/**
 * The endpoint states that mean an update failed or is being undone (DescribeEndpoint's EndpointStatus): a
 * blue/green update SageMaker accepted and then could not finish leaves no error in the deployer, which returned
 * once UpdateEndpoint was accepted.
 */
export const FAILED_ENDPOINT_STATUSES = ['Failed', 'RollingBack', 'UpdateRollbackFailed'] as const;

/**
 * "SageMaker Endpoint State Change" events of one endpoint in a FAILED_ENDPOINT_STATUSES state (EventBridge
 * pattern). AWS's event reference shows the status as IN_SERVICE where the API says InService, and shows no
 * failed event, so each status is matched in both spellings (FAILED and Failed, UPDATE_ROLLBACK_FAILED ...).
 */
export function failedEndpointPattern(endpointName: string) {
  const spellings = FAILED_ENDPOINT_STATUSES.flatMap((status) => [status, status.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()]);
  return {
    source: ['aws.sagemaker'],
    'detail-type': ['SageMaker Endpoint State Change'],
    detail: { EndpointName: [endpointName], EndpointStatus: spellings },
  };
}

/** Endpoint autoscaling (target tracking on invocations per instance). */
export function endpointScaling(config: Pick<StackConfig, 'serving'>, endpointName: string, variantName = 'AllTraffic') {
  const s = config.serving;
  return {
    resourceId: `endpoint/${endpointName}/variant/${variantName}`,
    scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
    serviceNamespace: 'sagemaker',
    minCapacity: s.minInstances,
    maxCapacity: s.maxInstances,
    targetValue: s.invocationsPerInstance,
    scaleInCooldown: 600,
    scaleOutCooldown: 60,
  };
}
