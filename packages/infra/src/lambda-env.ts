/**
 * Environment variable names of the two Lambda functions. The handlers in @mailroute/aws read the same
 * names (infra's tests compare them); they are repeated here so the Pulumi program does not load the
 * AWS SDK.
 */
export const API_LAMBDA_ENV = {
  endpointName: 'MAILROUTE_ENDPOINT_NAME',
  tableName: 'MAILROUTE_TABLE_NAME',
  artifactBucket: 'MAILROUTE_ARTIFACT_BUCKET',
  modelsPrefix: 'MAILROUTE_MODELS_PREFIX',
  feedbackTtlDays: 'MAILROUTE_FEEDBACK_TTL_DAYS',
  environment: 'MAILROUTE_ENVIRONMENT',
} as const;

export const DEPLOYER_LAMBDA_ENV = {
  endpointName: 'MAILROUTE_ENDPOINT_NAME',
  modelPackageGroupName: 'MAILROUTE_MODEL_PACKAGE_GROUP',
  executionRoleArn: 'MAILROUTE_SAGEMAKER_ROLE_ARN',
  instanceType: 'MAILROUTE_INSTANCE_TYPE',
  initialInstanceCount: 'MAILROUTE_INSTANCE_COUNT',
  subnetIds: 'MAILROUTE_SUBNET_IDS',
  securityGroupIds: 'MAILROUTE_SECURITY_GROUP_IDS',
  kmsKeyArn: 'MAILROUTE_KMS_KEY_ARN',
  rollbackAlarmNames: 'MAILROUTE_ROLLBACK_ALARMS',
} as const;

/** Routes of the HTTP API; every one goes through the JWT authorizer. */
export const API_ROUTES = ['ANY /v1/{proxy+}', 'GET /openapi.json'] as const;

export const QUALITY_LAMBDA_ENV = {
  tableName: 'MAILROUTE_TABLE_NAME',
  artifactBucket: 'MAILROUTE_ARTIFACT_BUCKET',
  modelsPrefix: 'MAILROUTE_MODELS_PREFIX',
  environment: 'MAILROUTE_ENVIRONMENT',
  windowDays: 'MAILROUTE_QUALITY_WINDOW_DAYS',
  minFeedback: 'MAILROUTE_QUALITY_MIN_FEEDBACK',
} as const;
