// The API Lambda's tests: what API Gateway (HTTP API, payload format 2.0) hands the function, and what the S3
// and SageMaker mocks answer with.
import type { LambdaHandler } from '@mailroute/serving';

type LambdaEvent = Parameters<LambdaHandler>[0];
type LambdaContext = Parameters<LambdaHandler>[1];

/** An unsigned token with the claims API Gateway's authorizer would have verified. */
export const crmToken = `e30.${Buffer.from(JSON.stringify({ client_id: 'crm-dev-client' })).toString('base64url')}.sig`;

/** The Lambda context the tests pass. */
export const lambdaContext = { awsRequestId: 'req-1', functionName: 'mailroute-dev-api' } as unknown as LambdaContext;

/** An S3 GetObject answer whose body is `text`. */
export const s3Body = (text: string) => ({ Body: { transformToString: async () => text } }) as never;

/**
 * The event API Gateway hands the function for `method rawPath` with the JSON `payload`, taken by the route
 * `routeKey` (default the API's `ANY /v1/{proxy+}`), with `headers` besides Host and Content-Type and the
 * authorizer's context `authorizer` (default none).
 */
export function gatewayEvent(
  method: string,
  rawPath: string,
  payload?: unknown,
  { headers = {}, routeKey = 'ANY /v1/{proxy+}', authorizer = {} }: { headers?: Record<string, string>; routeKey?: string; authorizer?: unknown } = {},
): LambdaEvent {
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: { host: 'api.example.com', 'content-type': 'application/json', ...headers },
    requestContext: {
      accountId: '111111111111',
      apiId: 'abc123',
      authentication: null,
      authorizer,
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.10', userAgent: 'crm/1.0' },
      requestId: 'req-1',
      routeKey,
      stage: '$default',
      time: '29/Nov/2026:10:00:00 +0000',
      timeEpoch: 1_795_000_000_000,
    },
    body: payload === undefined ? null : JSON.stringify(payload),
    isBase64Encoded: false,
  } as LambdaEvent;
}
