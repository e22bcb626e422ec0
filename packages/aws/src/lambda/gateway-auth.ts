import type { Auth, Principal, Scope } from '@mailroute/serving';

/** Claims of the CRM's access token that name the caller (OAuth client credentials). */
function callerOf(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const id = claims.client_id ?? claims.azp ?? claims.sub;
    return typeof id === 'string' && id.length > 0 ? id.slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `Auth` behind API Gateway's JWT authorizer. The authorizer has already checked signature, issuer,
 * expiry and the audience allow-list before the Lambda runs (API Gateway is the only principal allowed
 * to invoke it), so this only names the caller for rate limits and logs and grants the CRM's scopes.
 * Admin routes are never reachable through the public API.
 */
export function createGatewayJwtAuth(scopes: readonly Scope[] = ['classify', 'feedback']): Auth {
  const granted: ReadonlySet<Scope> = new Set(scopes);
  return {
    enabled: true,
    authenticate(presented: string | undefined): Principal | undefined {
      if (!presented) return undefined;
      const keyId = callerOf(presented);
      return keyId ? { keyId, scopes: granted } : undefined;
    },
  };
}
