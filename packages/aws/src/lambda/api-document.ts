import type { ApiDocumentOptions } from '@mailroute/serving';
import { GATEWAY_ROUTES, type TokenScopes } from '../contracts.js';

/** Whether one of `routes` (`METHOD /path`, ANY for every method, a greedy `{proxy+}` last) takes `method path`. */
export function isGatewayRoute(method: string, path: string, routes: readonly string[] = GATEWAY_ROUTES): boolean {
  return routes.some((route) => {
    const [routeMethod, routePath] = route.split(' ');
    if (routeMethod !== 'ANY' && routeMethod !== method.toUpperCase()) return false;
    if (!routePath.endsWith('/{proxy+}')) return routePath === path;
    const prefix = routePath.slice(0, -'{proxy+}'.length);
    return path.startsWith(prefix) && path.length > prefix.length;
  });
}

/** The body of an answer API Gateway gives itself: `{"message": "Unauthorized"}`, not a problem document. */
const GATEWAY_MESSAGE = {
  type: 'object',
  properties: { message: { type: 'string', example: 'Unauthorized' } },
  required: ['message'],
  description: "An answer of API Gateway's own, before the API runs (application/json, not problem+json)",
};

const TOKEN =
  'An OAuth 2.0 access token (a JWT) from the identity provider the stack trusts (its JWT issuer, the stack config key mailroute:api.issuer), got with the client-credentials grant by a client on the allow-list (mailroute:api.allowedClientIds): `Authorization: Bearer <token>`. API Gateway checks its signature, issuer, expiry and audience (its aud claim, or client_id where it has no aud, must be one of those client ids) before the request reaches the API; x-api-key is not read.';

const FRONT_DOOR = [
  'Behind API Gateway (the AWS stack), only the operations listed here are routed (ANY /v1/{proxy+} and GET /openapi.json), each one behind its JWT authorizer, /openapi.json and /v1/model included: the health checks, /metrics, /docs and the SageMaker container\'s /ping and /invocations are not reachable, nor is /v1/admin/reload (API Gateway\'s callers never get the admin scope); health and metrics in AWS are CloudWatch\'s.',
  'HEAD and OPTIONS reach the API under /v1/ only, with a token like every request.',
  'API Gateway answers some requests itself, before the API runs, with a body `{"message": "..."}` as application/json, not application/problem+json: 401 (no token, or one its authorizer refuses; its WWW-Authenticate header says why), 404 (a path or method it has no route for: HEAD or OPTIONS on /openapi.json too), 413 (a request over its payload limit), 429 (over the stage\'s throttling); and a 5xx when the function fails or does not answer within the integration\'s 29 s.',
].join(' ');

/** The answers of API Gateway's own that an operation may get, beside the API's. */
const GATEWAY_ANSWERS = {
  401: 'From API Gateway itself ({"message": "Unauthorized"}): no token, or one its JWT authorizer refuses (WWW-Authenticate says why)',
  413: 'From API Gateway itself ({"message": ...}): a request over its payload limit',
  429: 'From API Gateway itself ({"message": "Too Many Requests"}): over the stage\'s throttling',
  default: 'From API Gateway itself ({"message": ...}): a path or method it has no route for (404), a function that failed or did not answer in time (5xx)',
};

/** What a token grants: per client, by the OAuth scopes it carries (`mailroute:api.scopes`), or everything to every client. */
function grantsOf(tokenScopes: TokenScopes | undefined): string {
  if (tokenScopes === undefined) {
    return 'Every client on the allow-list may use every operation listed here (this stack maps no OAuth scopes, mailroute:api.scopes).';
  }
  return [
    `What a client may do depends on the OAuth scopes its token carries (its scope claim, space-separated, scp, or Entra ID's roles): "${tokenScopes.classify}" for POST /v1/classify and POST /v1/classify/eml, "${tokenScopes.feedback}" for POST /v1/feedback and GET /v1/quality;`,
    'GET /v1/model and /openapi.json take any token the authorizer accepts.',
    'A token without the scope an operation needs is answered 403 FORBIDDEN (application/problem+json) naming the OAuth scope it lacks: request that scope with the token, once the identity provider allows it to the client.',
  ].join(' ');
}

/**
 * /openapi.json as a client of the stack's API Gateway sees the API: the operations it routes (not admin), the JWT
 * access token its authorizer wants in place of an API key and the OAuth scopes that grant what (`tokenScopes`, the
 * stack's `mailroute:api.scopes`), and the answers the gateway gives itself.
 */
export function gatewayApiDocument(tokenScopes?: TokenScopes): ApiDocumentOptions {
  return {
    lists: (method, path) => isGatewayRoute(method, path) && !path.startsWith('/v1/admin/'),
    security: { name: 'accessToken', scheme: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: `${TOKEN} ${grantsOf(tokenScopes)}` } },
    description: FRONT_DOOR,
    frontDoorErrors: { mediaType: 'application/json', schemaName: 'GatewayMessage', schema: GATEWAY_MESSAGE, answers: GATEWAY_ANSWERS },
  };
}
