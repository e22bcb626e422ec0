/**
 * Environment variable names of the Lambda functions, from the module the handlers read them from
 * (`@mailroute/aws/contracts` imports nothing, so the Pulumi program does not load the AWS SDK).
 */
export {
  API_ENV as API_LAMBDA_ENV,
  DEPLOYER_ENV as DEPLOYER_LAMBDA_ENV,
  QUALITY_ENV as QUALITY_LAMBDA_ENV,
  REGISTER_ENV as REGISTER_LAMBDA_ENV,
  FEEDBACK_EXPORT_ENV as FEEDBACK_EXPORT_LAMBDA_ENV,
  lambdaRequestTimeoutMs,
  /** Routes of the HTTP API; every one goes through the JWT authorizer. */
  GATEWAY_ROUTES as API_ROUTES,
} from '@mailroute/aws/contracts';
