import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { apiLambdaPolicy } from '../iam-documents.js';
import { API_LAMBDA_ENV, API_ROUTES, lambdaRequestTimeoutMs } from '../lambda-env.js';
import { ARTIFACT_PREFIXES } from '../storage-plan.js';
import { physicalName } from '../naming.js';
import { managedLogGroup } from './log-group.js';
import { createVpcLambda, type LambdaPlacement } from './vpc-lambda.js';
import { tagsWith, type StackContext } from './common.js';

export interface PublicApiArgs extends LambdaPlacement {
  endpointName: pulumi.Input<string>;
  endpointArn: pulumi.Input<string>;
  tableName: pulumi.Input<string>;
  tableArn: pulumi.Input<string>;
  bucketName: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
}

/**
 * The CRM's entry: an HTTP API with a JWT authorizer (audiences = the CRM caller allow-list) and stage
 * throttling, in front of the Lambda that runs the Hono app with the AWS adapters. The Lambda, not the routes,
 * checks per-client scopes (`mailroute:api.scopes`): one `ANY /v1/{proxy+}` route serves both scopes, and the app's
 * problem+json 403 names the OAuth scope a token lacks, where API Gateway's own is a bare {"message": "Forbidden"}.
 */
export class PublicApi extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;
  readonly apiId: pulumi.Output<string>;
  readonly stageName: string;
  readonly functionName: string;

  constructor(name: string, ctx: StackContext & PublicApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mailroute:serving:PublicApi', name, {}, opts);
    const { config } = ctx;
    const { fn, functionName } = createVpcLambda(
      `${name}-handler`,
      ctx,
      {
        part: 'api',
        description: 'mailroute HTTP API (Hono app, Lambda adapter)',
        memoryMb: config.serving.lambdaMemoryMb,
        timeoutSeconds: config.serving.lambdaTimeoutSeconds,
        // Unset by default: a reservation comes out of every other function's share of the account's quota.
        reservedConcurrency: config.serving.lambdaReservedConcurrency,
        environment: {
          [API_LAMBDA_ENV.endpointName]: ctx.endpointName,
          [API_LAMBDA_ENV.tableName]: ctx.tableName,
          [API_LAMBDA_ENV.artifactBucket]: ctx.bucketName,
          [API_LAMBDA_ENV.modelsPrefix]: ARTIFACT_PREFIXES.models,
          [API_LAMBDA_ENV.feedbackTtlDays]: String(config.feedback.ttlDays),
          [API_LAMBDA_ENV.environment]: config.environment,
          [API_LAMBDA_ENV.maxBodyBytes]: String(config.api.maxBodyBytes),
          ...(config.api.timeZone === undefined ? {} : { [API_LAMBDA_ENV.timeZone]: config.api.timeZone }),
          // Per-client scopes only where the stack maps them: unset, the Lambda grants every allow-listed client both.
          ...(config.api.scopes === undefined ? {} : { [API_LAMBDA_ENV.tokenScopes]: JSON.stringify(config.api.scopes) }),
          ...(config.feedback.storeText ? { [API_LAMBDA_ENV.storeText]: 'true' } : {}),
          // The app's deadline, under the function's timeout: its 503 with Retry-After comes before Lambda ends it.
          [API_LAMBDA_ENV.requestTimeoutMs]: String(lambdaRequestTimeoutMs(config.serving.lambdaTimeoutSeconds)),
          NODE_OPTIONS: '--enable-source-maps',
        },
        policy: (logGroupArn) =>
          pulumi.all([ctx.endpointArn, ctx.tableArn, ctx.kmsKeyArn, logGroupArn, ctx.bucketArn]).apply(([endpointArn, tableArn, kmsKeyArn, lg, bucketArn]) =>
            apiLambdaPolicy({
              endpointArn,
              tableArn,
              kmsKeyArn,
              logGroupArn: lg,
              artifactBucketArn: bucketArn,
              modelsPrefix: ARTIFACT_PREFIXES.models,
            }),
          ),
      },
      this,
    );
    const apiName = physicalName(config, 'api');
    const api = new aws.apigatewayv2.Api(
      `${name}-api`,
      { name: apiName, protocolType: 'HTTP', description: 'mailroute: classify emails and take CRM feedback', tags: tagsWith(ctx, apiName) },
      // Its URL is configured in the CRM: in prod it is never replaced or destroyed by accident.
      { parent: this, protect: config.environment === 'prod' },
    );
    const authorizer = new aws.apigatewayv2.Authorizer(
      `${name}-jwt`,
      {
        apiId: api.id,
        name: 'crm-jwt',
        authorizerType: 'JWT',
        identitySources: ['$request.header.Authorization'],
        jwtConfiguration: { issuer: config.api.issuer, audiences: config.api.allowedClientIds },
      },
      { parent: this },
    );
    const integration = new aws.apigatewayv2.Integration(
      `${name}-integration`,
      { apiId: api.id, integrationType: 'AWS_PROXY', integrationUri: fn.invokeArn, payloadFormatVersion: '2.0', timeoutMilliseconds: 29_000 },
      { parent: this },
    );
    for (const routeKey of API_ROUTES) {
      new aws.apigatewayv2.Route(
        `${name}-route-${routeKey.replace(/[^a-z0-9]+/gi, '-').replace(/-+$/, '').toLowerCase()}`,
        { apiId: api.id, routeKey, authorizationType: 'JWT', authorizerId: authorizer.id, target: pulumi.interpolate`integrations/${integration.id}` },
        { parent: this },
      );
    }
    const accessLogs = managedLogGroup(`${name}-access-logs`, `/aws/apigateway/${apiName}`, { ...ctx }, this);
    this.stageName = '$default';
    new aws.apigatewayv2.Stage(
      `${name}-stage`,
      {
        apiId: api.id,
        name: this.stageName,
        autoDeploy: true,
        defaultRouteSettings: { throttlingRateLimit: config.api.throttleRatePerSecond, throttlingBurstLimit: config.api.throttleBurst },
        accessLogSettings: { destinationArn: accessLogs.arn, format: JSON.stringify(accessLogFormat()) },
        tags: tagsWith(ctx, `${apiName}-default`),
      },
      { parent: this },
    );
    new aws.lambda.Permission(
      `${name}-invoke`,
      { action: 'lambda:InvokeFunction', function: fn.name, principal: 'apigateway.amazonaws.com', sourceArn: pulumi.interpolate`${api.executionArn}/*/*` },
      { parent: this },
    );
    this.url = api.apiEndpoint;
    this.apiId = api.id;
    this.functionName = functionName;
    this.registerOutputs({ url: this.url, apiId: this.apiId });
  }
}

/**
 * Access log line: who (JWT client id), what, how it went; never bodies. Only `$context` variables: an HTTP API's access
 * log takes those alone (API Gateway developer guide, *Customize HTTP API access logs*), no request header, so a caller's
 * own `x-request-id` cannot be a field here. `requestId` is API Gateway's id, which the API Lambda's log lines carry
 * when the caller sent no usable id of its own (serving's README, *Adapters*, Lambda).
 */
export function accessLogFormat(): Record<string, string> {
  return {
    requestId: '$context.requestId',
    time: '$context.requestTime',
    routeKey: '$context.routeKey',
    status: '$context.status',
    latencyMs: '$context.responseLatency',
    integrationStatus: '$context.integrationStatus',
    clientId: '$context.authorizer.claims.client_id',
    sourceIp: '$context.identity.sourceIp',
    error: '$context.error.message',
  };
}
