import { z } from 'zod';
import type { Auth, Principal, Scope } from '@mailroute/serving';
import { API_ENV, oauthScopeProblem, sameTokenScopeProblem, TOKEN_SCOPE_KEYS, type TokenScopeKey, type TokenScopes } from '../contracts.js';

const OAuthScopeSchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'required: the OAuth scope that grants it' : 'a string, the OAuth scope that grants it') })
  .superRefine((scope, ctx) => {
    const problem = oauthScopeProblem(scope);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** MAILROUTE_TOKEN_SCOPES: the OAuth scope that grants each mailroute scope, one of its own for each. */
export const TokenScopesSchema = z
  .strictObject({ classify: OAuthScopeSchema, feedback: OAuthScopeSchema } satisfies Record<TokenScopeKey, unknown>, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `unknown key ${issue.keys.join(', ')}: only ${TOKEN_SCOPE_KEYS.join(' and ')} take an OAuth scope` : issue.code === 'invalid_type' ? 'an object' : undefined,
  })
  .superRefine((scopes, ctx) => {
    const problem = sameTokenScopeProblem(scopes);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const TOKEN_SCOPES_EXAMPLE = '{"classify": "mailroute/classify", "feedback": "mailroute/feedback"}';

/**
 * MAILROUTE_TOKEN_SCOPES's text as the mapping, or the first thing wrong with it (its key named): the Lambda then
 * fails at cold start rather than grant every caller everything.
 */
export function readTokenScopes(text: string): { scopes: TokenScopes } | { problem: string } {
  const fix = `set it as ${TOKEN_SCOPES_EXAMPLE} (stack config mailroute:api.scopes), or leave ${API_ENV.tokenScopes} unset`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problem: `not JSON: ${fix}` };
  }
  const parsed = TokenScopesSchema.safeParse(json);
  if (parsed.success) return { scopes: parsed.data };
  const issue = parsed.error.issues[0];
  const at = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { problem: `${at}${issue.message}; ${fix}` };
}

/** The claims of an access token (a JWT), undefined when it is none. Not verified here: API Gateway did that. */
function claimsOf(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return claims !== null && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The caller an access token names (OAuth client credentials): its client id, else its subject. */
function callerOf(claims: Record<string, unknown>): string | undefined {
  const id = claims.client_id ?? claims.azp ?? claims.sub;
  return typeof id === 'string' && id.length > 0 ? id.slice(0, 200) : undefined;
}

/** Words of a space-separated claim, or the strings of an array claim. */
function scopeValues(claim: unknown): string[] {
  if (typeof claim === 'string') return claim.split(/\s+/).filter((scope) => scope !== '');
  if (Array.isArray(claim)) return claim.filter((scope): scope is string => typeof scope === 'string');
  return [];
}

/**
 * The OAuth scopes a token carries: `scope`, a space-separated string (RFC 9068; Cognito, Auth0, Keycloak), `scp`, an
 * array (Okta) or a space-separated string (Entra ID's delegated tokens), and `roles`, an array: Entra ID gives an
 * app-only (client-credentials) token, such as a CRM service's, its app roles there and no `scp`.
 */
function oauthScopesOf(claims: Record<string, unknown>): Set<string> {
  return new Set([...scopeValues(claims.scope), ...scopeValues(claims.scp), ...(Array.isArray(claims.roles) ? scopeValues(claims.roles) : [])]);
}

/** What every allow-listed client gets when the stack maps no scopes: the CRM's, never admin. */
const EVERY_CLIENT: ReadonlySet<Scope> = new Set<Scope>(TOKEN_SCOPE_KEYS);

/** The mailroute scopes whose OAuth scope the token carries. */
function grantedBy(tokenScopes: TokenScopes, carried: ReadonlySet<string>): ReadonlySet<Scope> {
  return new Set<Scope>(TOKEN_SCOPE_KEYS.filter((key) => carried.has(tokenScopes[key])));
}

/** The 403's detail behind API Gateway: the OAuth scope the token lacks, or that admin is never granted here. */
function missingScopeDetail(tokenScopes: TokenScopes | undefined, principal: Principal, scope: Scope): string {
  const client = `The access token of client "${principal.keyId}"`;
  const needed = (TOKEN_SCOPE_KEYS as readonly Scope[]).includes(scope) ? tokenScopes?.[scope as TokenScopeKey] : undefined;
  if (needed === undefined) {
    return `${client} cannot get the "${scope}" scope this route needs: no caller of API Gateway gets it (a new champion reaches the endpoint through the deployer, not a reload).`;
  }
  const granted = [...principal.scopes];
  const has = granted.length > 0 ? `it grants ${granted.join(', ')} only` : `it grants none of ${TOKEN_SCOPE_KEYS.join(', ')}`;
  return `${client} lacks the OAuth scope "${needed}", which grants the "${scope}" scope this route needs (${has}): have the identity provider allow this client that scope, and request it with the token (scope=${needed}).`;
}

/**
 * `Auth` behind API Gateway's JWT authorizer. The authorizer has already checked signature, issuer, expiry and the
 * audience allow-list before the Lambda runs (API Gateway is the only principal allowed to invoke it), so this only
 * names the caller for rate limits and logs and grants its scopes: with `tokenScopes` (`mailroute:api.scopes`),
 * those whose OAuth scope the token carries, none perhaps (the caller is still known, and hears 403 naming the
 * OAuth scope it lacks); without, classify and feedback to every allow-listed client. Admin is never granted:
 * its routes are not reachable through the public API.
 */
export function createGatewayJwtAuth(tokenScopes?: TokenScopes): Auth {
  return {
    enabled: true,
    authenticate(presented: string | undefined): Principal | undefined {
      const claims = presented ? claimsOf(presented) : undefined;
      const keyId = claims && callerOf(claims);
      if (!claims || !keyId) return undefined;
      return { keyId, scopes: tokenScopes ? grantedBy(tokenScopes, oauthScopesOf(claims)) : EVERY_CLIENT };
    },
    missingScopeDetail: (principal, scope) => missingScopeDetail(tokenScopes, principal, scope),
  };
}
