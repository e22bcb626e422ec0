import { describe, expect, it } from 'vitest';
import type { Principal } from '@mailroute/serving';
import { API_ENV } from '../contracts.js';
import { crmToken } from '../test-support/gateway-event.js';
import { apiConfigFromEnv } from './api-handler.js';
import { createGatewayJwtAuth, readTokenScopes } from './gateway-auth.js';

/** An unsigned token with `claims`, as API Gateway's authorizer would have verified it. */
const tokenWith = (claims: Record<string, unknown>) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
const tokenScopes = { classify: 'mailroute/classify', feedback: 'mailroute/feedback' };
const scopesOf = (principal: Principal | undefined) => [...(principal?.scopes ?? [])].sort();

describe('createGatewayJwtAuth without a scope mapping', () => {
  it('names the caller from the token and grants every allow-listed client classify and feedback, never admin', () => {
    const auth = createGatewayJwtAuth();
    const principal = auth.authenticate(crmToken);
    expect(principal?.keyId).toBe('crm-dev-client');
    expect(scopesOf(principal)).toEqual(['classify', 'feedback']);
    // Whatever OAuth scopes the token carries, or none.
    expect(scopesOf(auth.authenticate(tokenWith({ client_id: 'reporting', scope: 'other/read' })))).toEqual(['classify', 'feedback']);
    expect(auth.authenticate(undefined)).toBeUndefined();
    expect(auth.authenticate('not-a-jwt')).toBeUndefined();
    expect(auth.authenticate(`e30.${Buffer.from('null').toString('base64url')}.sig`)).toBeUndefined();
    // Admin's 403 speaks of the token, not of an API key the caller never had.
    expect(auth.missingScopeDetail?.(principal!, 'admin')).toMatch(/^The access token of client "crm-dev-client" cannot get the "admin" scope .*no caller of API Gateway gets it/);
  });
});

describe('createGatewayJwtAuth with a scope mapping (mailroute:api.scopes)', () => {
  const auth = createGatewayJwtAuth(tokenScopes);

  it('grants the mailroute scopes whose OAuth scope the scope claim carries (space-separated: Cognito, Auth0, Keycloak)', () => {
    const classifier = auth.authenticate(tokenWith({ client_id: 'crm-classify', scope: 'openid mailroute/classify' }));
    expect(classifier?.keyId).toBe('crm-classify');
    expect(scopesOf(classifier)).toEqual(['classify']);
    expect(scopesOf(auth.authenticate(tokenWith({ client_id: 'crm', scope: ' mailroute/feedback  mailroute/classify ' })))).toEqual(['classify', 'feedback']);
    // A scope is matched whole: neither a prefix nor another resource server's scope of that name.
    expect(scopesOf(auth.authenticate(tokenWith({ client_id: 'crm', scope: 'mailroute/classify-all other/feedback' })))).toEqual([]);
  });

  it('reads scp as an array (Okta) or a space-separated string (Entra ID), and Entra ID\'s roles array', () => {
    expect(scopesOf(auth.authenticate(tokenWith({ cid: 'x', sub: 'reporting', scp: ['mailroute/feedback', 42] })))).toEqual(['feedback']);
    expect(auth.authenticate(tokenWith({ sub: 'reporting', scp: ['mailroute/feedback'] }))?.keyId).toBe('reporting');
    expect(scopesOf(auth.authenticate(tokenWith({ azp: 'crm', scp: 'mailroute/classify mailroute/feedback' })))).toEqual(['classify', 'feedback']);
    // Entra ID's app-only tokens carry app roles, an array, and no scp.
    expect(scopesOf(auth.authenticate(tokenWith({ azp: 'crm-daemon', roles: ['mailroute/classify'] })))).toEqual(['classify']);
    expect(scopesOf(auth.authenticate(tokenWith({ azp: 'crm-daemon', roles: 'mailroute/classify' })))).toEqual([]);
    // Both claims count.
    expect(scopesOf(auth.authenticate(tokenWith({ client_id: 'crm', scope: 'mailroute/classify', scp: ['mailroute/feedback'] })))).toEqual(['classify', 'feedback']);
  });

  it('keeps a token with none of them a known caller, with no scope, whose 403 names the OAuth scope it lacks', () => {
    const none = auth.authenticate(tokenWith({ client_id: 'crm-other', scope: 'openid', scp: { not: 'a list' } }));
    expect(none?.keyId).toBe('crm-other');
    expect(scopesOf(none)).toEqual([]);
    expect(auth.missingScopeDetail?.(none!, 'feedback')).toBe(
      'The access token of client "crm-other" lacks the OAuth scope "mailroute/feedback", which grants the "feedback" scope this route needs (it grants none of classify, feedback): have the identity provider allow this client that scope, and request it with the token (scope=mailroute/feedback).',
    );
    const classifier = auth.authenticate(tokenWith({ client_id: 'crm-classify', scope: 'mailroute/classify' }));
    expect(auth.missingScopeDetail?.(classifier!, 'feedback')).toContain('(it grants classify only)');
    expect(auth.missingScopeDetail?.(classifier!, 'admin')).toContain('no caller of API Gateway gets it');
  });
});

describe(`${API_ENV.tokenScopes}`, () => {
  const env = {
    [API_ENV.endpointName]: 'mailroute-dev-classifier',
    [API_ENV.tableName]: 'mailroute-dev-predictions',
    [API_ENV.artifactBucket]: 'mailroute-dev-artifacts-111111111111',
  };

  it('is read as the mapping; unset or blank, none', () => {
    expect(apiConfigFromEnv({ ...env, [API_ENV.tokenScopes]: JSON.stringify(tokenScopes) }).tokenScopes).toEqual(tokenScopes);
    expect(apiConfigFromEnv(env).tokenScopes).toBeUndefined();
    expect(apiConfigFromEnv({ ...env, [API_ENV.tokenScopes]: '' }).tokenScopes).toBeUndefined();
  });

  it('fails the config, naming the variable and what is wrong, when malformed: never read as unset (every scope to every client)', () => {
    const cases: Array<[string, RegExp]> = [
      ['mailroute/classify', /not JSON/],
      ['{"classify": "mailroute/classify"}', /feedback: required/],
      ['{"classify": "mailroute/classify", "feedback": "mailroute/feedback", "admin": "mailroute/admin"}', /unknown key admin: only classify and feedback take an OAuth scope/],
      ['{"classify": "mailroute/classify", "feedback": "mailroute feedback"}', /feedback: "mailroute feedback" has a space/],
      ['{"classify": "", "feedback": "mailroute/feedback"}', /classify: empty/],
      ['{"classify": "a/b", "feedback": "a/b"}', /classify and feedback both need "a\/b"/],
      ['["mailroute/classify"]', /: an object; /],
    ];
    for (const [value, problem] of cases) {
      expect(() => apiConfigFromEnv({ ...env, [API_ENV.tokenScopes]: value }), value).toThrow(expect.objectContaining({ code: 'AWS_CONFIG_INVALID' }));
      expect(() => apiConfigFromEnv({ ...env, [API_ENV.tokenScopes]: value }), value).toThrow(/^API Lambda environment invalid at MAILROUTE_TOKEN_SCOPES: /);
      expect(() => apiConfigFromEnv({ ...env, [API_ENV.tokenScopes]: value }), value).toThrow(problem);
    }
    expect(readTokenScopes('{"classify": 1, "feedback": "f"}')).toEqual({ problem: expect.stringMatching(/^classify: a string, .*mailroute:api\.scopes/) });
  });
});
