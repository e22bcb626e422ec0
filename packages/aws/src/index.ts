// Public API of @mailroute/aws: named exports only.
export * from './errors.js';
// The Lambda entries (packages/infra/src/lambda) log in the same line format as the server.
export { logLine } from '@mailroute/serving';
export { SageMakerEndpointClassifier, InvocationsResponseSchema, parseInvocationsBody } from './sagemaker-endpoint-classifier.js';
export type { SageMakerEndpointClassifierOptions, InvocationsResponse } from './sagemaker-endpoint-classifier.js';
export { DynamoPredictionStore } from './dynamo-prediction-store.js';
export type { DynamoPredictionStoreOptions } from './dynamo-prediction-store.js';
export { dynamoConfirmedCases, dynamoDocumentClient } from './dynamo-confirmed-cases.js';
export type { DynamoConfirmedCasesOptions } from './dynamo-confirmed-cases.js';
export { API_ENV, DEPLOYER_ENV, QUALITY_ENV, REGISTER_ENV, REGISTER_STEP, FEEDBACK_EXPORT_ENV, FEEDBACK_EXPORT_STEP, DYNAMO_TABLE_LAYOUT, QUALITY_METRIC } from './contracts.js';
export { S3SageMakerRegistry } from './s3-sagemaker-registry.js';
export type { S3SageMakerRegistryOptions, RegisteredPackage } from './s3-sagemaker-registry.js';
export {
  planDeployment,
  deploymentName,
  DeployerConfigSchema,
  ModelPackageStateChangeSchema,
} from './deployer/deploy-plan.js';
export type { DeployerConfig, DeploymentPlan, ApprovedPackage, CurrentEndpoint, ModelPackageStateChange } from './deployer/deploy-plan.js';
export { createDeployerHandler, createDeployerHandlerFromEnv, deployerConfigFromEnv, toApprovedPackage } from './deployer/deployer-handler.js';
export type { DeployResult } from './deployer/deployer-handler.js';
export { createApiLambdaHandler, createAwsServing, apiConfigFromEnv, defaultAwsServingDeps } from './lambda/api-handler.js';
export type { ApiLambdaConfig, AwsServingDeps } from './lambda/api-handler.js';
export { createGatewayJwtAuth } from './lambda/gateway-auth.js';
export { loadChampionTasks, loadModelTasks } from './lambda/champion-tasks.js';
export { createQualityReporter, qualityMetricRecords, macroF1Scorer } from './quality/quality-report.js';
export type { QualityReporterDeps, NothingToMeasure } from './quality/quality-report.js';
export { createQualityReporterHandlerFromEnv, measuredTasks } from './quality/quality-handler.js';
export { publishModel } from './publish-model.js';
export type { PublishModelOptions } from './publish-model.js';
export { createRegisterHandler, createRegisterHandlerFromEnv } from './register/register-handler.js';
export { createFeedbackExportHandler, createFeedbackExportHandlerFromEnv, parseFeedbackExportEvent } from './feedback-export/feedback-export-handler.js';
export type { FeedbackExportConfig, FeedbackExportDeps, FeedbackExportResult } from './feedback-export/feedback-export-handler.js';
export type { RegisterDeps, RegisterResult } from './register/register-handler.js';
export { artifactPrefix, parseRegisterEvent, registerConfigFromEnv, RegisterConfigSchema, RegisterEventSchema } from './register/register-config.js';
export type { RegisterConfig } from './register/register-config.js';
